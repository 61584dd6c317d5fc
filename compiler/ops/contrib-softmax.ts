/**
 * qlinear_softmax (com.microsoft QLinearSoftmax). Inputs x, x_scale, x_zp?, y_scale, y_zp?; attrs axis,
 * opset (the Softmax opset it replaces: before 13 the softmax runs over all dims from axis on, flattened;
 * from 13 over the axis alone).
 *
 * ONNX Runtime (qlinear_softmax.cc, EXP_OUT_DTYPE = float) never dequantizes x: x_zp is ignored (softmax is
 * shift invariant) and a 256-entry float table of exponentials is built once, in double precision:
 *   D         = reduce length
 *   bit_shift = max(0, double(logf(FLT_MAX / float(D))) - 5) / double(x_scale)
 *   table[j]  = float(exp((double(i) - 255 + bit_shift) * double(x_scale)))   j = i (u8), j = byte(i - 128) (i8)
 * and per row (float32, sequential in index order):
 *   u8: t = table + 255 - max(x);  i8: t[x] = table[byte(127 - max(x) + x)]
 *   sum = 0; sum += t[x] over the row
 *   Y   = floorf(1.0f / y_scale)
 *   q   = nearbyintf((t[x] * Y) / sum), converted to uint32 (u8) / int32 (i8) with wasm's saturation
 *   u8: v = q + y_zp (uint32);  y = v > 255 ? 255 : v
 *   i8: v = q + y_zp (int32, wrapping); y = clamp(v, -128, 127)
 * (The i8 saturation is what onnxruntime-web 1.30 does, measured: the ORT sources we could read write
 * `v > 255 ? (int8)255 : (int8)v`, which would wrap 128..255 to negative values; the wasm build clamps
 * to 127, and clamps the int32-wrapped INT32_MAX + y_zp of an overflowing product to -128.)
 * The table depends on x_scale and D only: the C backend bakes it in (runtime-c/qcc_qsoftmax.h).
 * Math.exp/Math.log are V8's fdlibm ports and ORT's wasm uses musl; both are within 1 ulp of the double
 * result, which the rounding to float hides except in (rare) near-ties: tests compare against ORT.
 */
import type { Node, TensorType } from '../ir/graph.ts';
import { Tensor, shapeSize } from '../ir/tensor.ts';
import { roundHalfEvenF32 } from '../numerics/round.ts';
import { attrInt, inType, opError } from './op-def.ts';
import { defineOp } from './registry.ts';
import { normAxis } from './qparams.ts';
import { checkScale, checkZp, f32ToI32Sat, f32ToU32Sat, q8Input, scaleOf, zpOf } from './contrib-util.ts';

const f = Math.fround;
const FLT_MAX = 3.4028234663852886e38;

/** outer x d x inner decomposition: the softmax runs over d elements at stride inner. */
export interface QSoftmaxGeom {
  outer: number;
  d: number;
  inner: number;
}

export function qsoftmaxGeom(node: Node): QSoftmaxGeom {
  const s = inType(node, 0).shape;
  if (s.length === 0) throw opError(node, 'X must have rank >= 1');
  const axis = normAxis(node, attrInt(node, 'axis'), s.length);
  if (attrInt(node, 'opset') < 13) return { outer: shapeSize(s.slice(0, axis)), d: shapeSize(s.slice(axis)), inner: 1 };
  return { outer: shapeSize(s.slice(0, axis)), d: s[axis]!, inner: shapeSize(s.slice(axis + 1)) };
}

/** ORT's exp table (see the file comment). */
export function qsoftmaxTable(xScale: number, d: number, signed: boolean): Float32Array {
  const logf = f(Math.log(f(FLT_MAX / f(d))));
  const bitShift = Math.max(0, logf - 5) / xScale;
  const t = new Float32Array(256);
  for (let i = 0; i < 256; i++) {
    const e = Math.exp((i - 255 + bitShift) * xScale);
    t[signed ? (i - 128) & 0xff : i] = e;
  }
  return t;
}

/** floorf(1.0f / y_scale), the integer-valued float ORT multiplies by. */
export function qsoftmaxYScale(yScale: number): number {
  return Math.floor(f(1 / yScale));
}

export function qsoftmaxRun(
  g: QSoftmaxGeom, signed: boolean, x: Int8Array | Uint8Array, table: Float32Array, yScale: number, yZp: number, y: Int8Array | Uint8Array,
): void {
  const Y = qsoftmaxYScale(yScale);
  for (let o = 0; o < g.outer; o++) {
    for (let k = 0; k < g.inner; k++) {
      const base = o * g.d * g.inner + k;
      let mx = x[base]!;
      for (let j = 1; j < g.d; j++) mx = Math.max(mx, x[base + j * g.inner]!);
      const idx = (v: number) => (signed ? (127 - mx + v) & 0xff : 255 - mx + v);
      let sum = 0;
      for (let j = 0; j < g.d; j++) sum = f(sum + table[idx(x[base + j * g.inner]!)]!);
      for (let j = 0; j < g.d; j++) {
        const t = table[idx(x[base + j * g.inner]!)]!;
        const q = roundHalfEvenF32(f(f(t * Y) / sum));
        let v: number;
        if (signed) {
          v = (f32ToI32Sat(q) + yZp) | 0;
          v = v > 127 ? 127 : v < -128 ? -128 : v;
        } else {
          v = (f32ToU32Sat(q) + yZp) >>> 0;
          v = v > 255 ? 255 : v;
        }
        y[base + j * g.inner] = v;
      }
    }
  }
}

defineOp({
  kind: 'qlinear_softmax',
  constInputs: [1, 2, 3, 4],
  infer(node): TensorType[] {
    const x = q8Input(node, 0, 'X');
    checkScale(node, 1, 'X_scale');
    checkZp(node, 2, 'x_zero_point', x.dtype);
    checkScale(node, 3, 'y_scale');
    checkZp(node, 4, 'y_zero_point', x.dtype);
    qsoftmaxGeom(node);
    return [{ dtype: x.dtype, shape: x.shape }];
  },
  interpret(node, [x, xs, , ys, yz]) {
    const g = qsoftmaxGeom(node);
    const signed = x!.dtype === 'i8';
    const y = new Tensor(x!.dtype, x!.shape);
    if (g.d === 0 || y.size === 0) return [y];
    const table = qsoftmaxTable(scaleOf(xs), g.d, signed);
    qsoftmaxRun(g, signed, x!.data as Int8Array | Uint8Array, table, scaleOf(ys), zpOf(yz), y.data as Int8Array | Uint8Array);
    return [y];
  },
});
