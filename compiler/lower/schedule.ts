import { QccError } from '../errors.ts';
import type { Graph, Node, Value } from '../ir/graph.ts';

/**
 * The execution order of a graph: for now exactly `graph.nodes` (kept topological by the Graph API).
 * Memory planning and code generation both work on this one linear list, so lifetimes are step indices.
 */
export interface Schedule {
  readonly steps: readonly Node[];
  /** Step index of a node of the schedule. */
  stepOf(node: Node): number;
}

/** Builds the schedule and checks that every value is available before its first use. */
export function schedule(graph: Graph): Schedule {
  const steps = [...graph.nodes];
  const index = new Map<Node, number>();
  steps.forEach((n, i) => index.set(n, i));
  const available = new Set<Value>(graph.inputs);
  for (const n of steps) {
    for (const v of n.inputs) {
      if (!v || v.const || available.has(v)) continue;
      const where = v.producer && index.has(v.producer) ? 'is produced later' : 'has no producer';
      throw new QccError('E_MODEL', `input '${v.name}' ${where}`, { node: { name: n.name, op: n.op } });
    }
    for (const o of n.outputs) available.add(o);
  }
  for (const o of graph.outputs) {
    if (!o.const && !available.has(o)) throw new QccError('E_MODEL', `graph output '${o.name}' is never computed`);
  }
  return {
    steps,
    stepOf(node: Node): number {
      const i = index.get(node);
      if (i === undefined) throw new Error(`internal: node '${node.name}' is not in the schedule`);
      return i;
    },
  };
}
