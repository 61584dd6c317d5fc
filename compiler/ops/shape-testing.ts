/**
 * Test helper for the shape family: builds a one-node graph for an internal op, infers it and runs the
 * interpreter kernel. Used by the interpreter tests and the C parity test.
 */
import { Graph, type Attrs, type Node } from '../ir/graph.ts';
import type { Tensor } from '../ir/tensor.ts';
import { getOpDef } from './registry.ts';
import './index.ts';

export interface OneNode {
  graph: Graph;
  node: Node;
}

/** A graph with one node of `kind`; inputs listed in `consts` become constants, the rest graph inputs. */
export function oneNode(kind: string, inputs: readonly Tensor[], attrs: Attrs, numOutputs = 1, consts: readonly number[] = []): OneNode {
  const g = new Graph('t');
  const ins = inputs.map((t, i) =>
    consts.includes(i) ? g.addConst(`c${i}`, t) : g.addValue(`x${i}`, { dtype: t.dtype, shape: t.shape }),
  );
  g.inputs = ins.filter((v) => !v.const);
  const outs = Array.from({ length: numOutputs }, (_, i) => g.addValue(`y${i}`, { dtype: 'f32', shape: [] }));
  const node = g.addNode(kind, `n_${kind}`, ins, outs, attrs);
  const types = getOpDef(kind).infer(node);
  types.forEach((t, i) => (outs[i]!.type = t));
  g.outputs = outs;
  return { graph: g, node };
}

/** Infers and interprets one node of `kind` on the given inputs. */
export function runOp(kind: string, inputs: readonly Tensor[], attrs: Attrs, numOutputs = 1): Tensor[] {
  const { node } = oneNode(kind, inputs, attrs, numOutputs);
  return getOpDef(kind).interpret(node, [...inputs]);
}
