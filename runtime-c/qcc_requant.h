/*
 * qcc_requant.h: float32 rounding and requantization shared by the quantized kernels.
 * Mirrors compiler/numerics/round.ts and compiler/numerics/requant.ts step for step (scheme `fp32`,
 * ONNX Runtime's order), and compiler/numerics/requant-fixed.ts (scheme `fixed`, TFLite's int32 multiplier
 * and shift; formulas and edge cases documented there). Every float step is stored in a `float` so the code does not depend on
 * -ffp-contract or on FLT_EVAL_METHOD; the rounding uses the 2^23 trick in the default rounding mode.
 */
#ifndef QCC_REQUANT_H
#define QCC_REQUANT_H

#include <stdint.h>
#include <stddef.h>
#include <string.h>

/* uint32 -> int32 two's complement without relying on implementation-defined conversion (compiles to nothing).
 * Integer accumulators are kept in uint32_t so that wrapping is defined behaviour, as int32 wrapping is in TS. */
static inline int32_t qcc_i32_from_u32(uint32_t u) {
  return u <= 0x7fffffffu ? (int32_t)u : -(int32_t)(~u) - 1;
}

/* Round to nearest integer, ties to even. NaN and +-Inf are returned unchanged. */
static inline float qcc_round_half_even_f32(float x) {
  float t;
  if (!(x < 8388608.0f && x > -8388608.0f)) return x;
  if (x >= 0.0f) {
    t = x + 8388608.0f;
    t = t - 8388608.0f;
  } else {
    t = x - 8388608.0f;
    t = t + 8388608.0f;
  }
  return t;
}

/* Clamp to [lo, hi] (callers have handled NaN; it would go to lo). */
static inline float qcc_clamp_f32(float x, float lo, float hi) {
  float a = x > lo ? x : lo;
  return a < hi ? a : hi;
}

/* fp32 scheme: round_half_even(clamp(float(acc) * scale, qmin - zp, qmax - zp)) + zp; NaN -> zp (onnxruntime-web). */
static inline int32_t qcc_requantize_f32(int32_t acc, float scale, int32_t zp, int32_t qmin, int32_t qmax) {
  float v = (float)acc;
  v = v * scale;
  if (!(v == v)) return zp;
  v = qcc_clamp_f32(v, (float)(qmin - zp), (float)(qmax - zp));
  v = qcc_round_half_even_f32(v);
  return (int32_t)v + zp;
}

/* QuantizeLinear step: round_half_even(clamp(x / scale, qmin - zp, qmax - zp)) + zp; NaN -> 0 (onnxruntime-web). */
static inline int32_t qcc_quantize_f32(float x, float scale, int32_t zp, int32_t qmin, int32_t qmax) {
  float v = x / scale;
  if (!(v == v)) return 0;
  v = qcc_clamp_f32(v, (float)(qmin - zp), (float)(qmax - zp));
  v = qcc_round_half_even_f32(v);
  return (int32_t)v + zp;
}

/* Requantize a row of int32 accumulators with one scale into u8 / i8. */
static inline void qcc_requant_row_u8(const int32_t *acc, size_t n, float scale, int32_t zp, uint8_t *y) {
  size_t i;
  for (i = 0; i < n; i++) y[i] = (uint8_t)qcc_requantize_f32(acc[i], scale, zp, 0, 255);
}

static inline void qcc_requant_row_i8(const int32_t *acc, size_t n, float scale, int32_t zp, int8_t *y) {
  size_t i;
  for (i = 0; i < n; i++) y[i] = (int8_t)qcc_requantize_f32(acc[i], scale, zp, -128, 127);
}

/* ---- scheme `fixed` (compiler/numerics/requant-fixed.ts) ---------------------------------------------- */

/* TFLite QuantizeMultiplier of a float32 scale: scale = mult * 2^(shift - 31), mult in [2^30, 2^31) (sign
 * aside). frexp done on the bits (no libm): a normal float's 24-bit mantissa m gives mult = m << 7 exactly.
 * NaN or 0 -> (0, 0); shifts above 31 (and +-Inf) -> 31; shifts below -31 (incl. subnormals) -> (0, 0). */
static inline void qcc_quantize_multiplier_f32(float scale, int32_t *mult, int32_t *shift) {
  uint32_t b, mant;
  int32_t e, m;
  memcpy(&b, &scale, sizeof b);
  e = (int32_t)((b >> 23) & 0xffu);
  mant = b & 0x7fffffu;
  if (e == 0xff && mant != 0u) { *mult = 0; *shift = 0; return; }       /* NaN */
  if (e == 0xff) { *mult = (b >> 31) ? -INT32_MAX : INT32_MAX; *shift = 31; return; } /* +-Inf */
  if (e == 0) { *mult = 0; *shift = 0; return; }                         /* zero, subnormal: below 2^-126 */
  m = (int32_t)((mant | 0x800000u) << 7);                                /* q * 2^31, q in [0.5, 1) */
  e -= 126;                                                              /* frexp exponent */
  if (e < -31) { *mult = 0; *shift = 0; return; }
  if (e > 31) e = 31;
  *mult = (b >> 31) ? -m : m;
  *shift = e;
}

/* gemmlowp SaturatingRoundingDoublingHighMul: trunc((a*b + nudge) / 2^31); INT32_MIN * INT32_MIN -> INT32_MAX. */
static inline int32_t qcc_srdhm(int32_t a, int32_t b) {
  int64_t ab, nudge;
  if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
  ab = (int64_t)a * (int64_t)b;
  nudge = ab >= 0 ? ((int64_t)1 << 30) : (1 - ((int64_t)1 << 30));
  return (int32_t)((ab + nudge) / ((int64_t)1 << 31)); /* C99 division truncates toward zero */
}

/* floor(x / 2^e), 0 <= e <= 31, without relying on >> of negative values. */
static inline int32_t qcc_asr_i32(int32_t x, int32_t e) {
  uint32_t u = (uint32_t)x;
  return x >= 0 ? (int32_t)(u >> e) : qcc_i32_from_u32(~((~u) >> e));
}

/* gemmlowp RoundingDivideByPOT: x / 2^e rounded to nearest, ties away from zero (0 <= e <= 31). */
static inline int32_t qcc_rdbpot(int32_t x, int32_t e) {
  const uint32_t mask = (uint32_t)(((uint64_t)1 << e) - 1u);
  const uint32_t remainder = (uint32_t)x & mask;
  const uint32_t threshold = (mask >> 1) + (x < 0 ? 1u : 0u);
  return qcc_asr_i32(x, e) + (remainder > threshold ? 1 : 0);
}

/* TFLite MultiplyByQuantizedMultiplier, the left shift saturating instead of overflowing (shift <= 31). */
static inline int32_t qcc_mbqm(int32_t acc, int32_t mult, int32_t shift) {
  int32_t x = acc;
  if (shift > 0) {
    int64_t v = (int64_t)acc * ((int64_t)1 << shift);
    x = v > INT32_MAX ? INT32_MAX : v < INT32_MIN ? INT32_MIN : (int32_t)v;
    return qcc_srdhm(x, mult);
  }
  return qcc_rdbpot(qcc_srdhm(x, mult), -shift);
}

/* fixed scheme: clamp(MBQM(acc) + zp, qmin, qmax) with the add done in 64 bits (no overflow). */
static inline int32_t qcc_requantize_fixed(int32_t acc, int32_t mult, int32_t shift, int32_t zp, int32_t qmin, int32_t qmax) {
  const int64_t v = (int64_t)qcc_mbqm(acc, mult, shift) + zp;
  return v < qmin ? qmin : v > qmax ? qmax : (int32_t)v;
}

#endif /* QCC_REQUANT_H */
