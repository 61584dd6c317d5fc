/**
 * quantize_linear, dequantize_linear, dynamic_quantize_linear: float <-> integer conversions.
 * Semantics follow ONNX Runtime's CPU kernels (quantize_linear.cc, MLAS MlasQuantizeLinear,
 * qmath.h GetQuantizationParameter) so that the interpreter agrees with onnxruntime-web bit for bit.
 */
import type { DType } from '../ir/dtype.ts';
import type { Node, TensorType } from '../ir/graph.ts';
import { Tensor } from '../ir/tensor.ts';
import { f32ToF16Bits } from '../numerics/f16.ts';
import { quantizeF32 } from '../numerics/requant.ts';
import { roundHalfEvenF32 } from '../numerics/round.ts';
import { f16BitsToF32 } from '../numerics/f16.ts';
import { attrInt, attrString, inType, opError } from './op-def.ts';
import { defineOp } from './registry.ts';
import {
  QUANT_OUT_DTYPES, axisLayout, checkAxisParams, expand, intValues, qRange, requireDtype, scaleValues,
} from './qparams.ts';

const FLOATS: readonly DType[] = ['f32', 'f16'];
const DEQUANT_IN: readonly DType[] = ['u8', 'i8', 'u16', 'i16', 'i32'];

/** Resolved layout of a (de)quantize node: axis (normalised), per-axis or not. */
export interface QdqLayout {
  axis: number;
  perAxis: boolean;
}

export function qdqLayout(node: Node): QdqLayout {
  const zp = node.inputs[2]?.type ?? null;
  return checkAxisParams(node, inType(node, 0), inType(node, 1), zp, attrInt(node, 'axis', 1));
}

function floatInput(t: Tensor): Float32Array {
  if (t.dtype === 'f16') return Float32Array.from(t.data as Uint16Array, (h) => f16BitsToF32(h));
  return t.data as Float32Array;
}

// QuantizeLinear. attrs: axis (normalised by the importer, default 1), dtype (output: u8|i8|u16|i16).
// Inputs: x (f32|f16), y_scale (f32|f16), y_zero_point? (same dtype as output).
// A per-tensor scale and zero point may be runtime values (the C kernel loads them); per-axis ones are baked.
defineOp({
  kind: 'quantize_linear',
  constInputs: (node) => (qdqLayout(node).perAxis ? [1, 2] : []),
  infer(node): TensorType[] {
    const x = inType(node, 0);
    const out = attrString(node, 'dtype', 'u8') as DType;
    if (!QUANT_OUT_DTYPES.includes(out)) throw opError(node, `output type ${out} is not supported (u8, i8, u16, i16)`, 'E_UNSUPPORTED');
    requireDtype(node, 'input x', x, FLOATS);
    requireDtype(node, 'y_scale', inType(node, 1), FLOATS);
    const zp = node.inputs[2];
    if (zp && zp.type.dtype !== out) throw opError(node, `zero point type ${zp.type.dtype} differs from output type ${out}`);
    qdqLayout(node);
    return [{ dtype: out, shape: x.shape }];
  },
  interpret(node, [x, scale, zp]) {
    const out = attrString(node, 'dtype', 'u8') as DType;
    const { axis, perAxis } = qdqLayout(node);
    const L = axisLayout(x!.shape, axis, perAxis);
    const scales = expand(scaleValues(scale!), L.channels);
    const zps = expand(intValues(zp, 1), L.channels);
    const { qmin, qmax } = qRange(out);
    const xs = floatInput(x!);
    const y = new Tensor(out, x!.shape);
    const yd = y.data as Int8Array | Uint8Array | Int16Array | Uint16Array;
    let i = 0;
    for (let o = 0; o < L.outer; o++) {
      for (let c = 0; c < L.channels; c++) {
        const s = scales[c]!;
        const z = zps[c]!;
        for (let k = 0; k < L.inner; k++, i++) yd[i] = quantizeF32(xs[i]!, s, z, qmin, qmax);
      }
    }
    return [y];
  },
});

// DequantizeLinear. attrs: axis (normalised), dtype (output: f32|f16).
// Inputs: x (u8|i8|u16|i16|i32), x_scale (f32|f16), x_zero_point? (x's dtype; must be 0 for i32).
// y = float32(int32(x) - zp) * float32(scale), rounded to f16 at the end for f16 outputs (ORT's
// DequantizeLinearApply). Not foldable: the QDQ fusion pass must still see DequantizeLinear on constant
// weights (it turns DQ -> Conv -> Q into qlinear_conv), so folding them into float constants would hide it.
defineOp({
  kind: 'dequantize_linear',
  foldable: false,
  // As quantize_linear; an int32 input's zero point stays constant so that its must-be-0 check is made here.
  constInputs: (node) => (qdqLayout(node).perAxis ? [1, 2] : inType(node, 0).dtype === 'i32' ? [2] : []),
  infer(node): TensorType[] {
    const x = inType(node, 0);
    const out = attrString(node, 'dtype', inType(node, 1).dtype) as DType;
    requireDtype(node, 'input x', x, DEQUANT_IN);
    requireDtype(node, 'x_scale', inType(node, 1), FLOATS);
    if (!FLOATS.includes(out)) throw opError(node, `output type ${out} is not supported (f32, f16)`, 'E_UNSUPPORTED');
    const zp = node.inputs[2];
    if (zp && zp.type.dtype !== x.dtype) throw opError(node, `zero point type ${zp.type.dtype} differs from input type ${x.dtype}`);
    if (zp?.const && x.dtype === 'i32' && zp.const.toNumbers().some((v) => v !== 0)) {
      throw opError(node, 'an int32 input must have no zero point or a zero point of 0', 'E_ATTR');
    }
    qdqLayout(node);
    return [{ dtype: out, shape: x.shape }];
  },
  interpret(node, [x, scale, zp]) {
    const out = attrString(node, 'dtype', scale!.dtype) as DType;
    const { axis, perAxis } = qdqLayout(node);
    const L = axisLayout(x!.shape, axis, perAxis);
    const scales = expand(scaleValues(scale!), L.channels);
    const zps = expand(intValues(zp, 1), L.channels);
    if (x!.dtype === 'i32' && zps.some((v) => v !== 0)) throw opError(node, 'an int32 input must have a zero point of 0', 'E_ATTR');
    const xd = x!.data as Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array;
    const y = new Tensor(out, x!.shape);
    const yf = out === 'f32' ? (y.data as Float32Array) : null;
    const yh = out === 'f16' ? (y.data as Uint16Array) : null;
    let i = 0;
    for (let o = 0; o < L.outer; o++) {
      for (let c = 0; c < L.channels; c++) {
        const s = scales[c]!;
        const z = zps[c]!;
        for (let k = 0; k < L.inner; k++, i++) {
          const v = Math.fround(Math.fround((xd[i]! - z) | 0) * s);
          if (yf) yf[i] = v;
          else yh![i] = f32ToF16Bits(v);
        }
      }
    }
    return [y];
  },
});

/**
 * DynamicQuantizeLinear's parameters, as ORT's GetQuantizationParameter<uint8_t> (core/util/qmath.h):
 * min/max over x (NaN elements ignored), widened to include 0; scale = max == min ? 1 : (max - min) / 255;
 * zp = round_half_even(clamp(0 - min / scale, 0, 255)).
 */
export function dynamicQuantParams(xs: ArrayLike<number>): { scale: number; zp: number } {
  let mn = 3.4028234663852886e38;
  let mx = -3.4028234663852886e38;
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i]!;
    if (v < mn) mn = v;
    if (v > mx) mx = v;
  }
  if (mn > 0) mn = 0;
  if (mx < 0) mx = 0;
  const scale = mx === mn ? 1 : Math.fround(Math.fround(mx - mn) / 255);
  const initial = Math.fround(0 - Math.fround(mn / scale));
  // std::max(0.f, std::min(255.f, initial)) with std::min/max's comparison order: NaN (infinite inputs) -> 255.
  const hi = initial < 255 ? initial : 255;
  const zp = roundHalfEvenF32(0 < hi ? hi : 0);
  return { scale, zp };
}

// DynamicQuantizeLinear: x f32 -> (y u8, y_scale f32 scalar, y_zero_point u8 scalar).
defineOp({
  kind: 'dynamic_quantize_linear',
  infer(node): TensorType[] {
    const x = inType(node, 0);
    requireDtype(node, 'input x', x, ['f32']);
    return [{ dtype: 'u8', shape: x.shape }, { dtype: 'f32', shape: [] }, { dtype: 'u8', shape: [] }];
  },
  interpret(_node, [x]) {
    const xs = x!.data as Float32Array;
    const { scale, zp } = dynamicQuantParams(xs);
    const y = new Tensor('u8', x!.shape);
    const yd = y.data as Uint8Array;
    for (let i = 0; i < xs.length; i++) yd[i] = quantizeF32(xs[i]!, scale, zp, 0, 255);
    return [y, Tensor.scalar('f32', scale), Tensor.scalar('u8', zp)];
  },
});
