/*
 * qcc_quant_neon.h: QuantizeLinear float32 -> u8 / i8 and DequantizeLinear u8 / i8 -> float32 for AArch64
 * Advanced SIMD (baseline Armv8-A), the same bits as the twins of qcc_quant.h (same parameters) for every
 * input and scale. AArch64 NEON honours FPCR, which Linux leaves at round-to-nearest with no flush to zero;
 * no fused intrinsic is used (the build has -ffp-contract=off).
 * Quantize, per element (qcc_quantize_f32):
 *   v = x / scale          vdivq_f32 (correctly rounded, as the scalar division)
 *   NaN -> 0               lanes where v != v are masked to 0 after the zero point is added
 *   v > lo ? v : lo        vmaxq_f32(v, lo): equal for non-NaN v except max(-0, +0) = +0, the same integer
 *   a < hi ? a : hi        vminq_f32(a, hi): likewise
 *   round half to even     vcvtnq_s32_f32: |a| <= 383 here, where the scalar 2^23 trick is the same exact
 *                          round-half-even (-0.0 gives 0 both ways)
 *   + zp, (T)              in [qmin, qmax] after the clamp (or 0): the saturating narrows do not change it.
 * Dequantize: float(int32(x) - zp) * scale; the conversion of |x - zp| <= 2^31 rounds to nearest as the C
 * cast does (exact for 8-bit x and 8-bit zero points), vmulq_f32 is the scalar product.
 * 16 elements per step along the inner axis; tails use the scalar element function.
 */
#ifndef QCC_QUANT_NEON_H
#define QCC_QUANT_NEON_H

#include <arm_neon.h>
#include <stddef.h>
#include <stdint.h>
#include "qcc_quant.h"

static inline int32x4_t qcc_quantize4_neon_(float32x4_t x, float32x4_t s, float32x4_t lo, float32x4_t hi, int32x4_t zp) {
  const float32x4_t v = vdivq_f32(x, s);
  const uint32x4_t ord = vceqq_f32(v, v);
  const float32x4_t a = vminq_f32(vmaxq_f32(v, lo), hi);
  const int32x4_t q = vaddq_s32(vcvtnq_s32_f32(a), zp);
  return vandq_s32(q, vreinterpretq_s32_u32(ord));
}

/* 16 quantized values, saturating-narrowed to int16 (exact: they are in [-128, 255]). */
static inline void qcc_quantize16_neon_(const float *x, float32x4_t s, float32x4_t lo, float32x4_t hi, int32x4_t zp,
                                        int16x8_t *w0, int16x8_t *w1) {
  const int32x4_t q0 = qcc_quantize4_neon_(vld1q_f32(x), s, lo, hi, zp);
  const int32x4_t q1 = qcc_quantize4_neon_(vld1q_f32(x + 4), s, lo, hi, zp);
  const int32x4_t q2 = qcc_quantize4_neon_(vld1q_f32(x + 8), s, lo, hi, zp);
  const int32x4_t q3 = qcc_quantize4_neon_(vld1q_f32(x + 12), s, lo, hi, zp);
  *w0 = vqmovn_high_s32(vqmovn_s32(q0), q1);
  *w1 = vqmovn_high_s32(vqmovn_s32(q2), q3);
}

#define QCC_QUANTIZE_NEON_DEF_(NAME, YT, QMIN, QMAX, STORE16)                                                         \
  static inline void NAME(const float *x, YT *y, int32_t outer, int32_t channels, int32_t inner, const float *scale, \
                          const int32_t *zp) {                                                                     \
    int32_t o, c, k;                                                                                               \
    size_t i = 0;                                                                                                  \
    for (o = 0; o < outer; o++) {                                                                                  \
      for (c = 0; c < channels; c++) {                                                                             \
        const float s = scale[c];                                                                                  \
        const int32_t z = zp[c];                                                                                   \
        const float32x4_t sv = vdupq_n_f32(s), lo = vdupq_n_f32((float)(QMIN - z)), hi = vdupq_n_f32((float)(QMAX - z)); \
        const int32x4_t zv = vdupq_n_s32(z);                                                                       \
        for (k = 0; k + 16 <= inner; k += 16, i += 16) {                                                           \
          int16x8_t w0, w1;                                                                                        \
          qcc_quantize16_neon_(x + i, sv, lo, hi, zv, &w0, &w1);                                                   \
          STORE16(y + i, w0, w1);                                                                                  \
        }                                                                                                          \
        for (; k < inner; k++, i++) y[i] = (YT)qcc_quantize_f32(x[i], s, z, QMIN, QMAX);                          \
      }                                                                                                            \
    }                                                                                                              \
  }

#define QCC_QSTORE_U8_(p, w0, w1) vst1q_u8((p), vqmovun_high_s16(vqmovun_s16(w0), (w1)))
#define QCC_QSTORE_I8_(p, w0, w1) vst1q_s8((p), vqmovn_high_s16(vqmovn_s16(w0), (w1)))

QCC_QUANTIZE_NEON_DEF_(qcc_quantize_linear_f32_u8_neon, uint8_t, 0, 255, QCC_QSTORE_U8_)
QCC_QUANTIZE_NEON_DEF_(qcc_quantize_linear_f32_i8_neon, int8_t, -128, 127, QCC_QSTORE_I8_)

static inline void qcc_dequantize8_neon_(int16x8_t w, int32x4_t zp, float32x4_t s, float *y) {
  const int32x4_t a = vsubq_s32(vmovl_s16(vget_low_s16(w)), zp);
  const int32x4_t b = vsubq_s32(vmovl_high_s16(w), zp);
  vst1q_f32(y, vmulq_f32(vcvtq_f32_s32(a), s));
  vst1q_f32(y + 4, vmulq_f32(vcvtq_f32_s32(b), s));
}

#define QCC_DEQUANTIZE_NEON_DEF_(NAME, XT, LOAD16)                                                                   \
  static inline void NAME(const XT *x, float *y, int32_t outer, int32_t channels, int32_t inner, const float *scale, \
                          const int32_t *zp) {                                                                     \
    int32_t o, c, k;                                                                                               \
    size_t i = 0;                                                                                                  \
    for (o = 0; o < outer; o++) {                                                                                  \
      for (c = 0; c < channels; c++) {                                                                             \
        const float s = scale[c];                                                                                  \
        const int32_t z = zp[c];                                                                                   \
        const float32x4_t sv = vdupq_n_f32(s);                                                                     \
        const int32x4_t zv = vdupq_n_s32(z);                                                                       \
        for (k = 0; k + 16 <= inner; k += 16, i += 16) {                                                           \
          int16x8_t w0, w1;                                                                                        \
          LOAD16(x + i, w0, w1);                                                                                   \
          qcc_dequantize8_neon_(w0, zv, sv, y + i);                                                                \
          qcc_dequantize8_neon_(w1, zv, sv, y + i + 8);                                                            \
        }                                                                                                          \
        for (; k < inner; k++, i++) {                                                                              \
          float v = (float)((int32_t)x[i] - z);                                                                    \
          v = v * s;                                                                                               \
          y[i] = v;                                                                                                \
        }                                                                                                          \
      }                                                                                                            \
    }                                                                                                              \
  }

#define QCC_DQLOAD_U8_(p, w0, w1)                                                  \
  do {                                                                             \
    const uint8x16_t b_ = vld1q_u8(p);                                             \
    (w0) = vreinterpretq_s16_u16(vmovl_u8(vget_low_u8(b_)));                       \
    (w1) = vreinterpretq_s16_u16(vmovl_high_u8(b_));                               \
  } while (0)
#define QCC_DQLOAD_I8_(p, w0, w1)                                                  \
  do {                                                                             \
    const int8x16_t b_ = vld1q_s8(p);                                              \
    (w0) = vmovl_s8(vget_low_s8(b_));                                              \
    (w1) = vmovl_high_s8(b_);                                                      \
  } while (0)

QCC_DEQUANTIZE_NEON_DEF_(qcc_dequantize_linear_u8_f32_neon, uint8_t, QCC_DQLOAD_U8_)
QCC_DEQUANTIZE_NEON_DEF_(qcc_dequantize_linear_i8_f32_neon, int8_t, QCC_DQLOAD_I8_)

#endif /* QCC_QUANT_NEON_H */
