import { formatModelInfo, modelInfo } from '../../report/info.ts';
import { loadModel } from '../load.ts';
import type { CliIo, ModelOptions } from '../options.ts';

export interface InfoOptions extends ModelOptions {
  json?: boolean;
}

/** `qcc info`: ops, per-node shapes, MACs and weight bytes, totals. */
export function infoCommand(modelPath: string, opts: InfoOptions, io: CliIo): number {
  const info = modelInfo(loadModel(modelPath, opts));
  io.out(opts.json ? JSON.stringify(info, null, 2) : formatModelInfo(info));
  return 0;
}
