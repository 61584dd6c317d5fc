import type { Graph } from '../ir/graph.ts';

/** Context shared by the passes of one pipeline run. */
export interface PassContext {
  /** Messages passes want the user to see (e.g. nodes left in float, with the reason). */
  log: string[];
  /**
   * Why a node stays in float (keyed by node id), written by the fusion passes when a pattern was tried
   * and rejected; the float-report pass turns it into the list `qcc info --explain` prints.
   */
  floatReasons?: Map<number, string>;
}

/** A graph-to-graph transformation. `run` returns whether it changed anything. */
export interface Pass {
  readonly name: string;
  run(graph: Graph, ctx: PassContext): boolean;
}

export interface PipelineOptions {
  /** Passes (by name) to skip. Unknown names are an error so typos do not silently do nothing. */
  disable?: readonly string[];
  /** Called after each named pass ran (for --print-after). */
  after?: (passName: string, graph: Graph) => void;
  /** Re-run the whole list until nothing changes (bounded). */
  fixpoint?: boolean;
  /** Checks well-formedness after every pass (tests turn it on). */
  verify?: (graph: Graph) => void;
}

const MAX_ROUNDS = 16;

export function runPipeline(graph: Graph, passes: readonly Pass[], opts: PipelineOptions = {}): PassContext {
  const ctx: PassContext = { log: [], floatReasons: new Map() };
  const known = new Set(passes.map((p) => p.name));
  for (const d of opts.disable ?? []) {
    if (!known.has(d)) throw new Error(`unknown pass '${d}' (known: ${[...known].join(', ')})`);
  }
  const active = passes.filter((p) => !opts.disable?.includes(p.name));
  for (let round = 0; round < (opts.fixpoint ? MAX_ROUNDS : 1); round++) {
    let changed = false;
    for (const p of active) {
      const c = p.run(graph, ctx);
      changed ||= c;
      opts.verify?.(graph);
      opts.after?.(p.name, graph);
    }
    if (!changed) break;
  }
  return ctx;
}
