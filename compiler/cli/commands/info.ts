import { writeFileSync } from 'node:fs';
import { formatFloatNodes } from '../../passes/float-report.ts';
import { formatModelInfo, modelInfo } from '../../report/info.ts';
import { loadModel, requireNoRuntimeConstInputs } from '../load.ts';
import { resolveName, type CliIo, type ModelOptions } from '../options.ts';
import { prepareForCli } from '../prepare.ts';

export interface InfoOptions extends ModelOptions {
  json?: boolean;
  /** --explain: every node left in float, with the reason (the pipeline's float report). */
  explain?: boolean;
  /** --target T: compile in memory and report the memory plan and flash of the generated C. */
  target?: string;
  name?: string;
  /** --html FILE: write the memory timeline page (target c unless --target). */
  html?: string;
}

/**
 * `qcc info`: ops, per-node shapes, MACs and weight bytes, totals (of the graph after the pass pipeline).
 * With --target (or --html) it compiles the model in memory and reports, per layer, activation bytes and
 * the arena offset of its output, and the totals of the C: flash, arena peak, lower bound and their ratio.
 */
export async function infoCommand(modelPath: string, opts: InfoOptions, io: CliIo): Promise<number> {
  const target = opts.target ?? (opts.html !== undefined ? 'c' : undefined);
  if (target === undefined) {
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
  // Backend code loads only when a target is asked for (plain `info` stays fast).
  const { compileModel, modelPrefix } = await import('../../../backends/c/compile.ts');
  const { getTarget } = await import('../../../backends/target.ts');
  const { formatMemoryReport, memoryReport } = await import('../../../backends/c/report.ts');
  getTarget(target);
  const name = resolveName(modelPath, opts.name, modelPrefix);
  const graph = loadModel(modelPath, opts);
  requireNoRuntimeConstInputs(graph);
  const { floatNodes } = prepareForCli(graph, { ...opts, target } as ModelOptions);
  const report = memoryReport(graph, compileModel(graph, { target, name }));
  if (opts.html !== undefined) {
    const { memoryReportHtml } = await import('../../../backends/c/report-html.ts');
    writeFileSync(opts.html, memoryReportHtml(report));
  }
  if (opts.json) {
    io.out(JSON.stringify(opts.explain ? { ...report, floatNodes } : report, null, 2));
    return 0;
  }
  io.out(formatMemoryReport(report));
  if (opts.explain) io.out('\n' + formatFloatNodes(floatNodes));
  if (opts.html !== undefined) io.out(`wrote ${opts.html}`);
  return 0;
}
