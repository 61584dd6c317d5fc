import { formatFloatNodes } from '../../passes/float-report.ts';
import { formatModelInfo, modelInfo } from '../../report/info.ts';
import { loadModel } from '../load.ts';
import type { CliIo, ModelOptions } from '../options.ts';
import { prepareForCli } from '../prepare.ts';

export interface InfoOptions extends ModelOptions {
  json?: boolean;
  /** --explain: every node left in float, with the reason (the pipeline's float report). */
  explain?: boolean;
}

/** `qcc info`: ops, per-node shapes, MACs and weight bytes, totals (of the graph after the pass pipeline). */
export function infoCommand(modelPath: string, opts: InfoOptions, io: CliIo): number {
  const graph = loadModel(modelPath, opts);
  const { floatNodes } = prepareForCli(graph, opts);
  const info = modelInfo(graph);
  if (opts.json) {
    io.out(JSON.stringify(opts.explain ? { ...info, floatNodes } : info, null, 2));
    return 0;
  }
  io.out(formatModelInfo(info));
  if (opts.explain) io.out('\n' + formatFloatNodes(floatNodes));
  return 0;
}
