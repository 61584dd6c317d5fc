/*
 * qcc_qcontrib.h: float -> integer steps shared by the kernels of ONNX Runtime's com.microsoft quantized
 * ops (twin of compiler/ops/contrib-util.ts). Conversions saturate as wasm's i32.trunc_sat_f32_s/u do in
 * onnxruntime-web (NaN -> 0), without relying on C's undefined out-of-range conversions.
 */
#ifndef QCC_QCONTRIB_H
#define QCC_QCONTRIB_H

#include <stdint.h>
#include "qcc_requant.h"

/* (int32_t)x with saturation; NaN -> 0. */
static inline int32_t qcc_f32_to_i32_sat(float x) {
  if (!(x == x)) return 0;
  if (x >= 2147483648.0f) return INT32_MAX;
  if (x <= -2147483648.0f) return INT32_MIN;
  return (int32_t)x;
}

/* (uint32_t)x with saturation; NaN and negatives -> 0. */
static inline uint32_t qcc_f32_to_u32_sat(float x) {
  if (!(x == x) || x <= 0.0f) return 0u;
  if (x >= 4294967296.0f) return UINT32_MAX;
  return (uint32_t)x;
}

/* (int32_t)nearbyintf(x). */
static inline int32_t qcc_nearbyint_i32(float x) {
  return qcc_f32_to_i32_sat(qcc_round_half_even_f32(x));
}

/* int32 addition that wraps (as wasm's i32.add). */
static inline int32_t qcc_add_wrap_i32(int32_t a, int32_t b) {
  return qcc_i32_from_u32((uint32_t)a + (uint32_t)b);
}

#endif /* QCC_QCONTRIB_H */
