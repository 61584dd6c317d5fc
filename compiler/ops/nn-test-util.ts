// Test helpers of the nn op family: one-node graphs built directly in the IR (no ONNX loader needed).
import type { DType } from '../ir/dtype.ts';
import { Graph, type Attrs, type Node } from '../ir/graph.ts';
import { Tensor, type Shape } from '../ir/tensor.ts';
import { getOpDef } from './registry.ts';
import './index.ts';
import { mulberry32 } from '../../test/util/prng.ts';

export type Operand = Tensor | { dtype: DType; shape: Shape } | null;

/** A graph holding one node of `op`; tensor operands become graph inputs, output types are inferred. */
export function oneNode(op: string, operands: Operand[], attrs: Attrs = {}, name = 'n0'): { graph: Graph; node: Node } {
  const graph = new Graph('t');
  const inputs = operands.map((o, i) => {
    if (!o) return null;
    const v = graph.addValue(`in${i}`, { dtype: o.dtype, shape: o.shape });
    graph.inputs.push(v);
    return v;
  });
  const def = getOpDef(op);
  const out = graph.addValue('y', { dtype: 'f32', shape: [] });
  const node = graph.addNode(op, name, inputs, [out], attrs);
  const [t] = def.infer(node);
  out.type = t!;
  graph.outputs.push(out);
  return { graph, node };
}

/** Runs one node through its reference semantics. */
export function run1(op: string, operands: (Tensor | null)[], attrs: Attrs = {}): Tensor {
  const { node } = oneNode(op, operands, attrs);
  const [y] = getOpDef(op).interpret(node, operands);
  return y!;
}

export const f32 = (shape: Shape, values: ArrayLike<number>) => Tensor.fromNumbers('f32', shape, values);

/** Seeded PRNG (mulberry32) for random shapes and data. */
export const rng = mulberry32;

/** Random float32 data in [-2, 2) with a fine mantissa (so sums really round). */
export function randomF32(r: () => number, shape: Shape): Tensor {
  const t = new Tensor('f32', shape);
  const d = t.data as Float32Array;
  for (let i = 0; i < d.length; i++) d[i] = (r() - 0.5) * 4;
  return t;
}
