import { listImporters } from '../../frontend/onnx/importer.ts';
import '../../frontend/onnx/importers/index.ts';
import type { CliIo } from '../options.ts';

export interface OpsOptions {
  json?: boolean;
}

/** `qcc ops`: the ONNX ops (domain, op type, first opsets) the importer registry handles. */
export function opsCommand(opts: OpsOptions, io: CliIo): number {
  const list = listImporters().map((i) => ({ domain: i.domain === '' ? 'ai.onnx' : i.domain, opType: i.opType, since: i.since }));
  if (opts.json) {
    io.out(JSON.stringify(list, null, 2));
    return 0;
  }
  const width = Math.max(...list.map((i) => `${i.domain}::${i.opType}`.length));
  io.out(`${list.length} supported ONNX ops (first opset version handled by each importer):`);
  for (const i of list) io.out(`  ${`${i.domain}::${i.opType}`.padEnd(width)}  ${i.since.map((v) => `${v}+`).join(', ')}`);
  return 0;
}
