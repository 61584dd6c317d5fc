/**
 * Scale and zero point from a float range, and quantization of weights and biases, the way ONNX
 * Runtime's Python quantizer computes them (onnxruntime/python/tools/quantization/quant_utils.py:
 * compute_scale_zp, quantize_nparray, quantize_bias_static): the range always contains 0, symmetric
 * ranges use [-127, 127] for int8, scale = (rmax - rmin) / (qmax - qmin) computed in double and stored
 * as float32, zero point = round(qmin - rmin / scale) (ties to even).
 */
import { Tensor } from '../ir/tensor.ts';
import { roundHalfEvenF32 } from '../numerics/round.ts';

export type QType = 'u8' | 'i8';

export interface QuantParams {
  dtype: QType;
  scale: number;
  zp: number;
}

const FLT_MIN = 1.1754943508222875e-38;

export function qLimits(dtype: QType, symmetric: boolean): { qmin: number; qmax: number } {
  if (dtype === 'u8') return { qmin: 0, qmax: 255 };
  return symmetric ? { qmin: -127, qmax: 127 } : { qmin: -128, qmax: 127 };
}

/** Round half to even in double precision (numpy.round). */
function roundEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function scaleZp(rmin: number, rmax: number, dtype: QType, symmetric: boolean): QuantParams {
  let lo = Math.min(rmin, 0);
  let hi = Math.max(rmax, 0);
  if (symmetric) {
    const a = Math.max(Math.abs(lo), Math.abs(hi));
    lo = -a;
    hi = a;
  }
  const { qmin, qmax } = qLimits(dtype, symmetric);
  const scale = (hi - lo) / (qmax - qmin);
  if (!(scale >= FLT_MIN) || !Number.isFinite(scale)) return { dtype, scale: 1, zp: dtype === 'u8' && symmetric ? 128 : 0 };
  const zp = Math.min(qmax, Math.max(dtype === 'u8' ? 0 : -128, roundEven(qmin - lo / scale)));
  return { dtype, scale: Math.fround(scale), zp };
}

/** q = saturate(round(x / scale) + zp), the division and rounding in float32. */
export function quantizeValue(x: number, scale: number, zp: number, qmin: number, qmax: number): number {
  const q = roundHalfEvenF32(Math.fround(Math.fround(x) / scale)) + zp;
  return q < qmin ? qmin : q > qmax ? qmax : q;
}

export interface QuantizedWeight {
  q: Tensor;
  scales: number[];
  zps: number[];
  /** The channel axis, or null per tensor. */
  axis: number | null;
}

/**
 * Quantizes a weight tensor per tensor or per channel along `axis`. s8 weights are symmetric
 * ([-127, 127], zero point 0), u8 weights asymmetric (ORT's defaults).
 */
export function quantizeWeight(w: Tensor, dtype: QType, axis: number | null): QuantizedWeight {
  const symmetric = dtype === 'i8';
  const { qmin, qmax } = qLimits(dtype, symmetric);
  const data = w.data as Float32Array;
  const shape = w.shape;
  const channels = axis === null ? 1 : shape[axis]!;
  let inner = 1;
  if (axis !== null) for (let d = axis + 1; d < shape.length; d++) inner *= shape[d]!;
  const chOf = (i: number): number => (axis === null ? 0 : Math.floor(i / inner) % channels);
  const lo = new Array<number>(channels).fill(Infinity);
  const hi = new Array<number>(channels).fill(-Infinity);
  for (let i = 0; i < data.length; i++) {
    const c = chOf(i);
    if (data[i]! < lo[c]!) lo[c] = data[i]!;
    if (data[i]! > hi[c]!) hi[c] = data[i]!;
  }
  const params = lo.map((l, c) => scaleZp(Number.isFinite(l) ? l : 0, Number.isFinite(hi[c]!) ? hi[c]! : 0, dtype, symmetric));
  const q = new Tensor(dtype, shape);
  for (let i = 0; i < data.length; i++) {
    const p = params[chOf(i)]!;
    (q.data as Int8Array | Uint8Array)[i] = quantizeValue(data[i]!, p.scale, p.zp, qmin, qmax);
  }
  return { q, scales: params.map((p) => p.scale), zps: params.map((p) => p.zp), axis };
}

/**
 * int32 bias with scale input_scale * weight_scale[c] (float32 product), zero point 0: the exact bias of
 * the integer accumulator. Returns the quantized bias and its per-channel scales.
 */
export function quantizeBias(b: Tensor, inputScale: number, weightScales: readonly number[]): { q: Tensor; scales: number[] } {
  const n = b.size;
  const scales = Array.from({ length: n }, (_, c) => Math.fround(inputScale * weightScales[weightScales.length === 1 ? 0 : c]!));
  const q = new Tensor('i32', b.shape);
  const data = b.data as Float32Array;
  for (let c = 0; c < n; c++) {
    const s = scales[c]!;
    const v = s === 0 ? 0 : roundHalfEvenF32(Math.fround(data[c]! / s));
    (q.data as Int32Array)[c] = Math.max(-2147483648, Math.min(2147483647, Number.isFinite(v) ? v : 0));
  }
  return { q, scales };
}
