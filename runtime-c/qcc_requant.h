/*
 * qcc_requant.h: float32 rounding and requantization shared by the quantized kernels.
 * Mirrors compiler/numerics/round.ts and compiler/numerics/requant.ts step for step (scheme `fp32`,
 * ONNX Runtime's order). Every float step is stored in a `float` so the code does not depend on
 * -ffp-contract or on FLT_EVAL_METHOD; the rounding uses the 2^23 trick in the default rounding mode.
 */
#ifndef QCC_REQUANT_H
#define QCC_REQUANT_H

#include <stdint.h>
#include <stddef.h>

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

#endif /* QCC_REQUANT_H */
