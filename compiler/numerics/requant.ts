/**
 * Requantization: int32 accumulator -> 8-bit output. One definition used by the interpreter and by the C
 * emitters (which compute the per-channel scales here at compile time), mirrored by runtime-c/qcc_requant.h.
 *
 * Scheme `fp32` (ONNX Runtime, onnxruntime/core/providers/cpu/quantization/qlinearconv.cc ComputeOutputScale
 * and quantize_linear_matmul.cc; MLAS quantize.cpp MlasRequantizeOutput):
 *   scale  = (x_scale * w_scale[c]) / y_scale        two float32 operations, in that order
 *   v      = float32(acc) * scale                    acc already includes the int32 bias (wrapping add)
 *   v      = clamp(v, qmin - zp, qmax - zp)           float32; NaN goes to the low end
 *   y      = round_half_even(v) + zp                 exact integer
 * Clamping before rounding equals MLAS's SSE/NEON/scalar variants for every non-NaN value because the
 * clamp bounds are integers. NaN (only from NaN/Inf scales) gives the zero point, as onnxruntime-web does
 * (its scalar MLAS path rounds with the 1.5 * 2^23 bias trick, which leaves zp in the low byte for NaN);
 * native x86 ORT gives qmin instead. onnxruntime-web is our referee.
 *
 * Scheme `fixed` (TFLite int32 multiplier + shift, for integer-only cores) lives in requant-fixed.ts; its
 * multipliers come from the same float32 scale. `requantizer` picks the scheme a node's `requant` says.
 */
import { quantizeMultipliers, requantizeFixed } from './requant-fixed.ts';
import { clampF32, roundHalfEvenF32 } from './round.ts';

export type RequantScheme = 'fp32' | 'fixed';
export const REQUANT_SCHEMES: readonly string[] = ['fp32', 'fixed'];

export function isRequantScheme(s: string): s is RequantScheme {
  return REQUANT_SCHEMES.includes(s);
}

/**
 * Requantizes accumulators of channel c with scales[c] (float32 scales of the fp32 scheme; the fixed scheme
 * derives its multipliers from them once, here).
 */
export function requantizer(scheme: RequantScheme, scales: ArrayLike<number>, zp: number, qmin: number, qmax: number): (acc: number, c: number) => number {
  if (scheme === 'fixed') {
    const { mult, shift } = quantizeMultipliers(scales);
    return (acc, c) => requantizeFixed(acc, mult[c]!, shift[c]!, zp, qmin, qmax);
  }
  return (acc, c) => requantizeF32(acc, scales[c]!, zp, qmin, qmax);
}

/** Output range of an 8/16-bit quantized dtype. */
export interface QRange {
  qmin: number;
  qmax: number;
}

/** The combined float32 requant scale of ORT: (inScale * wScale) / outScale, each step rounded to float32. */
export function requantScaleF32(inScale: number, wScale: number, outScale: number): number {
  return Math.fround(Math.fround(Math.fround(inScale) * Math.fround(wScale)) / Math.fround(outScale));
}

/** Per-channel scales (length = wScales.length) as a Float32Array. */
export function requantScalesF32(inScale: number, wScales: ArrayLike<number>, outScale: number): Float32Array {
  const r = new Float32Array(wScales.length);
  for (let i = 0; i < wScales.length; i++) r[i] = requantScaleF32(inScale, wScales[i]!, outScale);
  return r;
}

/** Requantize one int32 accumulator (bias already added) with a float32 scale. */
export function requantizeF32(acc: number, scale: number, zp: number, qmin: number, qmax: number): number {
  const v = Math.fround(Math.fround(acc | 0) * scale);
  if (v !== v) return zp;
  return roundHalfEvenF32(clampF32(v, qmin - zp, qmax - zp)) + zp;
}

/**
 * QuantizeLinear's float -> int step (MLAS MlasQuantizeLinear): v = x / scale in float32, clamp to
 * [qmin - zp, qmax - zp], round half to even, add zp. A NaN quotient (NaN input, 0/0) gives 0, not zp:
 * onnxruntime-web's scalar path computes (int32_t)NaN, which wasm's saturating truncation makes 0.
 */
export function quantizeF32(x: number, scale: number, zp: number, qmin: number, qmax: number): number {
  const v = Math.fround(Math.fround(x) / Math.fround(scale));
  if (v !== v) return 0;
  return roundHalfEvenF32(clampF32(v, qmin - zp, qmax - zp)) + zp;
}
