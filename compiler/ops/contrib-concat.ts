/**
 * qlinear_concat (com.microsoft QLinearConcat). Inputs y_scale, y_zp, then (x_i, x_scale_i, x_zp_i)
 * triples; attr axis. Every x_i and y share one 8-bit type.
 *
 * ONNX Runtime (qlinear_concat.cc): an input whose scale equals y_scale (float ==) and whose zero point
 * equals y_zp is copied; any other input is mapped through the 256-entry table of the identity
 * transform (QlinearBuildLookupTable: MlasQuantizeLinear(x_scale * float(x - x_zp), y_scale, y_zp)).
 */
import type { Node, TensorType } from '../ir/graph.ts';
import { Tensor, shapeSize } from '../ir/tensor.ts';
import { attrInt, inType, opError } from './op-def.ts';
import { defineOp } from './registry.ts';
import { normAxis } from './qparams.ts';
import { applyTable, buildQLinearTable } from './contrib-lut.ts';
import { checkScale, checkZp, q8Input, scaleOf, zpOf } from './contrib-util.ts';

const CONCAT_CONST_INPUTS: readonly number[] = [0, 1, ...Array.from({ length: 1024 }, (_, i) => [3 + 3 * i, 4 + 3 * i]).flat()];

export interface QConcatGeom {
  axis: number;
  outShape: number[];
  /** Product of the dims before the axis. */
  outer: number;
  /** Elements per outer index of each input (its axis dim times the inner dims), and of the output. */
  inner: number[];
  outInner: number;
}

export function qconcatGeom(node: Node): QConcatGeom {
  const k = (node.inputs.length - 2) / 3;
  const shapes = Array.from({ length: k }, (_, i) => inType(node, 2 + 3 * i).shape);
  const rank = shapes[0]!.length;
  if (rank === 0) throw opError(node, 'cannot concatenate scalars');
  const axis = normAxis(node, attrInt(node, 'axis'), rank);
  const outShape = [...shapes[0]!];
  outShape[axis] = 0;
  for (const [i, s] of shapes.entries()) {
    if (s.length !== rank || s.some((d, j) => j !== axis && d !== shapes[0]![j])) {
      throw opError(node, `input ${i} has shape [${s.join(',')}], which differs from [${shapes[0]!.join(',')}] outside axis ${axis}`);
    }
    outShape[axis] += s[axis]!;
  }
  const innerOf = (s: readonly number[]) => shapeSize(s.slice(axis));
  return { axis, outShape, outer: shapeSize(outShape.slice(0, axis)), inner: shapes.map(innerOf), outInner: innerOf(outShape) };
}

/** Per input: its table, or null when ORT copies it. */
export function qconcatTables(node: Node, params: readonly (Tensor | null)[]): (Uint8Array | null)[] {
  const dt = inType(node, 2).dtype;
  const ys = scaleOf(params[0]);
  const yz = zpOf(params[1]);
  const k = (node.inputs.length - 2) / 3;
  return Array.from({ length: k }, (_, i) => {
    const xs = scaleOf(params[3 + 3 * i]);
    const xz = zpOf(params[4 + 3 * i]);
    if (xs === ys && xz === yz) return null;
    return buildQLinearTable(dt, xs, xz, ys, yz, (v) => v);
  });
}

defineOp({
  kind: 'qlinear_concat',
  // Scales and zero points (their tables are built at compile time); indices past the node's inputs are ignored.
  constInputs: CONCAT_CONST_INPUTS,
  infer(node): TensorType[] {
    const n = node.inputs.length;
    if (n < 5 || (n - 2) % 3 !== 0) throw opError(node, `expects y_scale, y_zero_point and (tensor, scale, zero point) triples; got ${n} inputs`);
    const y = inType(node, 1);
    if (y.dtype !== 'u8' && y.dtype !== 'i8') throw opError(node, `Y_zero_point has type ${y.dtype}; expected u8 or i8`, 'E_UNSUPPORTED');
    checkScale(node, 0, 'Y_scale');
    checkZp(node, 1, 'Y_zero_point', y.dtype);
    for (let i = 2; i < n; i += 3) {
      const x = q8Input(node, i, `input ${i}`);
      if (x.dtype !== y.dtype) throw opError(node, `input ${i} has type ${x.dtype} but Y_zero_point is ${y.dtype}`);
      checkScale(node, i + 1, `scale of input ${i}`);
      checkZp(node, i + 2, `zero point of input ${i}`, y.dtype);
    }
    return [{ dtype: y.dtype, shape: qconcatGeom(node).outShape }];
  },
  interpret(node, inputs) {
    const g = qconcatGeom(node);
    const tables = qconcatTables(node, inputs);
    const dt = inType(node, 2).dtype;
    const y = new Tensor(dt, g.outShape);
    const yb = new Uint8Array(y.data.buffer, y.data.byteOffset, y.size);
    let off = 0;
    tables.forEach((t, i) => {
      const x = inputs[2 + 3 * i]!;
      const m = t ? applyTable(x, t) : x;
      const mb = new Uint8Array(m.data.buffer, m.data.byteOffset, m.size);
      const inner = g.inner[i]!;
      for (let o = 0; o < g.outer; o++) yb.set(mb.subarray(o * inner, (o + 1) * inner), o * g.outInner + off);
      off += inner;
    });
    return [y];
  },
});
