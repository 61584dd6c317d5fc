/**
 * Float32 -> integer rounding shared by every quantizing op, mirrored step for step by runtime-c/qcc_requant.h
 * (`qcc_round_half_even_f32`). No libm on the C side, so rounding is done with the 2^23 trick: adding and
 * subtracting 2^23 to a float32 of magnitude below 2^23 leaves it rounded to an integer, ties to even, in
 * the default rounding mode (which is what nearbyintf / cvtps2dq / vcvtnq use in ONNX Runtime's MLAS).
 */

const TWO23 = 8388608; // 2^23: every float32 at or above it is an integer

/** Round a float32 value to the nearest integer, ties to even. NaN and +-Inf come back unchanged. */
export function roundHalfEvenF32(x: number): number {
  if (!(Math.abs(x) < TWO23)) return x; // already integral, or NaN/Inf
  if (x >= 0) return Math.fround(Math.fround(x + TWO23) - TWO23);
  return Math.fround(Math.fround(x - TWO23) + TWO23);
}

/** Clamp a float32 to [lo, hi] with the comparisons the C uses (callers handle NaN first; it would go to lo). */
export function clampF32(x: number, lo: number, hi: number): number {
  const a = x > lo ? x : lo;
  return a < hi ? a : hi;
}
