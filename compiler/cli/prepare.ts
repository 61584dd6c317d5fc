import type { Graph } from '../ir/graph.ts';
import { PASS_NAMES, prepareGraph, type PrepareOptions, type PrepareResult } from '../passes/pipeline.ts';
import { getTarget } from '../../backends/target.ts';
import { applyRequantScheme, parseRequantOption } from '../passes/select-requant.ts';
import { usage, type ModelOptions } from './options.ts';

/**
 * The pass pipeline as every command runs it on a loaded graph (after --const binding): the CLI's
 * --disable-pass names checked against the pipeline, plus hooks other commands add (--print-after).
 */
export function prepareForCli(graph: Graph, opts: ModelOptions, extra: Omit<PrepareOptions, 'disable'> = {}): PrepareResult {
  const disable = opts.disablePass ?? [];
  for (const d of disable) {
    if (!PASS_NAMES.includes(d)) throw usage(`unknown pass '${d}' in --disable-pass`, `passes: ${PASS_NAMES.join(', ')}`);
  }
  const result = prepareGraph(graph, { ...extra, disable });
  // After the pipeline (QDQ fusion creates the quantized nodes): --requant, or the target's scheme.
  const target = (opts as { target?: string }).target;
  applyRequantScheme(graph, parseRequantOption(opts.requant, target !== undefined ? getTarget(target).requant : 'fp32'));
  return result;
}
