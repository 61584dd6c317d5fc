/**
 * qlinear_reduce_mean (com.microsoft QLinearReduceMean). Inputs data, data_scale, data_zp?, reduced_scale,
 * reduced_zp?; attrs axes (required, may be negative), keepdims.
 *
 * ONNX Runtime has a schema but no CPU kernel for this op (onnxruntime-web refuses to create a session:
 * "Could not find an implementation for QLinearReduceMean(1)"), so there is no referee. qcc implements the
 * spec's "Dequantize -> ReduceMean in float -> Quantize" in float32, in a fixed order:
 *   s = 0; s += x_scale * float(x - x_zp) over the reduced elements in row-major order
 *   y = MlasQuantizeLinear(s / float(count), y_scale, y_zp)          (quantizeF32)
 */
import type { Node, TensorType } from '../ir/graph.ts';
import { Tensor, shapeSize, stridesOf } from '../ir/tensor.ts';
import { quantizeF32 } from '../numerics/requant.ts';
import { attrInt, attrInts, inType, opError } from './op-def.ts';
import { defineOp } from './registry.ts';
import { normAxis } from './qparams.ts';
import { checkScale, checkZp, q8Input, qRange8, scaleOf, zpOf } from './contrib-util.ts';

const f = Math.fround;

export interface QReduceGeom {
  outShape: number[];
  /** For each output element, the input offset of its first reduced element. */
  bases: Int32Array;
  /** Input offsets of the reduced elements relative to the base, row-major. */
  offsets: Int32Array;
}

export function qreduceGeom(node: Node): QReduceGeom {
  const s = inType(node, 0).shape;
  const axes = [...new Set(attrInts(node, 'axes').map((a) => normAxis(node, a, s.length)))].sort((a, b) => a - b);
  if (axes.length === 0) throw opError(node, "'axes' must not be empty", 'E_ATTR');
  const keep = attrInt(node, 'keepdims', 1) === 1;
  const st = stridesOf(s);
  const kept = s.map((_, i) => i).filter((i) => !axes.includes(i));
  const walk = (dims: number[]): Int32Array => {
    const n = shapeSize(dims.map((d) => s[d]!));
    const r = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      let rem = k;
      let off = 0;
      for (let j = dims.length - 1; j >= 0; j--) {
        const d = dims[j]!;
        off += (rem % s[d]!) * st[d]!;
        rem = Math.floor(rem / s[d]!);
      }
      r[k] = off;
    }
    return r;
  };
  const outShape = keep ? s.map((d, i) => (axes.includes(i) ? 1 : d)) : kept.map((i) => s[i]!);
  return { outShape, bases: walk(kept), offsets: walk(axes) };
}

defineOp({
  kind: 'qlinear_reduce_mean',
  constInputs: [1, 2, 3, 4],
  infer(node): TensorType[] {
    const x = q8Input(node, 0, 'data');
    checkScale(node, 1, 'data_scale');
    checkZp(node, 2, 'data_zero_point', x.dtype);
    checkScale(node, 3, 'reduced_scale');
    checkZp(node, 4, 'reduced_zero_point', x.dtype);
    const g = qreduceGeom(node);
    if (g.offsets.length === 0) throw opError(node, 'the reduced axes are empty (mean of nothing)');
    return [{ dtype: x.dtype, shape: g.outShape }];
  },
  interpret(node, [x, xs, xz, ys, yz]) {
    const g = qreduceGeom(node);
    const y = new Tensor(x!.dtype, g.outShape);
    const xd = x!.data as Int8Array | Uint8Array;
    const yd = y.data as Int8Array | Uint8Array;
    const s = scaleOf(xs);
    const z = zpOf(xz);
    const { qmin, qmax } = qRange8(x!.dtype);
    const cnt = f(g.offsets.length);
    for (let o = 0; o < g.bases.length; o++) {
      const b = g.bases[o]!;
      let acc = 0;
      for (let k = 0; k < g.offsets.length; k++) acc = f(acc + f(s * ((xd[b + g.offsets[k]!]! - z) | 0)));
      yd[o] = quantizeF32(f(acc / cnt), scaleOf(ys), zpOf(yz), qmin, qmax);
    }
    return [y];
  },
});
