/**
 * Test helper for the quantized op family: builds a one-node graph (inputs given as constants or as
 * runtime graph inputs), runs type inference and the reference interpreter.
 */
import { Graph, type Attrs, type Node } from '../ir/graph.ts';
import { Tensor } from '../ir/tensor.ts';
import { interpret } from '../interpreter/interpret.ts';
import { getOpDef } from './registry.ts';
import './index.ts';

export interface OneNode {
  graph: Graph;
  node: Node;
}

/** Inputs listed in `runtime` become graph inputs; the others are constants. null = absent optional input. */
export function buildOne(kind: string, inputs: (Tensor | null)[], attrs: Attrs = {}, runtime: readonly number[] = [0]): OneNode {
  const g = new Graph('t');
  const vals = inputs.map((t, i) => {
    if (!t) return null;
    if (runtime.includes(i)) {
      const v = g.addValue(`in${i}`, { dtype: t.dtype, shape: t.shape });
      g.inputs.push(v);
      return v;
    }
    return g.addConst(`c${i}`, t);
  });
  const def = getOpDef(kind);
  const probe: Node = { id: -1, name: 'n0', op: kind, inputs: vals, outputs: [], attrs };
  const types = def.infer(probe);
  const outs = types.map((t, k) => g.addValue(`out${k}`, t));
  const node = g.addNode(kind, 'n0', vals, outs, attrs);
  g.outputs.push(...outs);
  return { graph: g, node };
}

export function runOne(kind: string, inputs: (Tensor | null)[], attrs: Attrs = {}, runtime: readonly number[] = [0]): Tensor[] {
  const { graph } = buildOne(kind, inputs, attrs, runtime);
  const feeds = new Map<string, Tensor>();
  inputs.forEach((t, i) => {
    if (t && runtime.includes(i)) feeds.set(`in${i}`, t);
  });
  const res = interpret(graph, feeds);
  return graph.outputs.map((o) => res.get(o.name)!);
}

export const T = Tensor.fromNumbers;
