/**
 * The default pass pipeline and `prepareGraph`, which every CLI command runs after loading a model (and
 * after binding --const inputs), so the interpreter, the C backend and the reports all see one graph.
 */
import type { Graph } from '../ir/graph.ts';
import '../ops/index.ts';
import { activationFusion } from './activation-fusion.ts';
import { constantFold } from './constant-fold.ts';
import { deadCodeElimination } from './dead-code.ts';
import { floatNodes, floatReport, type FloatNode } from './float-report.ts';
import { identityElimination } from './identity-elimination.ts';
import { runPipeline, type Pass, type PipelineOptions } from './pass.ts';
import { qdqFusion } from './qdq-fusion.ts';

/** In order; the list runs to a fixpoint (a Relu removed before a Q lets the op before it fuse next round). */
export const DEFAULT_PIPELINE: readonly Pass[] = [
  constantFold,
  identityElimination,
  qdqFusion,
  activationFusion,
  deadCodeElimination,
  floatReport,
];

export const PASS_NAMES: readonly string[] = DEFAULT_PIPELINE.map((p) => p.name);

export interface PrepareOptions {
  /** Pass names to skip (--disable-pass); unknown names are an error. */
  disable?: readonly string[];
  /** Called after each pass with its name (--print-after, --emit ir). */
  after?: (passName: string, graph: Graph) => void;
  /** Well-formedness check after every pass (tests). */
  verify?: (graph: Graph) => void;
  /** Another pass list (tests). */
  passes?: readonly Pass[];
}

export interface PrepareResult {
  /** Messages of the passes, including one `float: NODE (op): reason` line per node left in float. */
  log: string[];
  /** Every node that still computes in float, with the reason. */
  floatNodes: FloatNode[];
}

/** Runs the pipeline on the graph in place. */
export function prepareGraph(graph: Graph, opts: PrepareOptions = {}): PrepareResult {
  const popts: PipelineOptions = { fixpoint: true };
  if (opts.disable) popts.disable = opts.disable;
  if (opts.after) popts.after = opts.after;
  if (opts.verify) popts.verify = opts.verify;
  const ctx = runPipeline(graph, opts.passes ?? DEFAULT_PIPELINE, popts);
  return { log: ctx.log, floatNodes: floatNodes(graph, ctx) };
}
