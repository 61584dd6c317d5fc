/*
 * qcc_qpool_neon.h: QLinearGlobalAveragePool on u8 / i8 for AArch64 Advanced SIMD; twins
 * qcc_qlinear_global_average_pool_u8 / _i8 (qcc_qpool.h), same signature. Only the integer sum is
 * vectorised: it is exact in any order (|sum| < 2^31 since the image has fewer than 2^24 elements, and the
 * twin's uint32 wrap-around is addition mod 2^32 either way); the float requantization per channel is the
 * twin's statement for statement.
 *   NCHW: 16 bytes per step, UADALP/SADALP into 16-bit lanes (at most 128 steps: 128 * 2 * 255 < 2^16,
 *         128 * 2 * -128 >= -2^15), then UADALP/SADALP into 32-bit lanes; the plane's tail is scalar.
 *   channels last: 16 channels per block, UADDW/SADDW of each pixel's 16 bytes into 16-bit lanes (at most
 *         256 pixels: 256 * 255 < 2^16, 256 * -128 >= -2^15), widened into 32-bit lanes; the last channels
 *         (fewer than 16) are scalar.
 */
#ifndef QCC_QPOOL_NEON_H
#define QCC_QPOOL_NEON_H

#include <arm_neon.h>
#include <stddef.h>
#include <stdint.h>
#include "qcc_qpool.h"

#define QCC_QGAP_NEON_DEF_(SFX, T, QMIN, QMAX, V8, V16, V32, LD, PADDL, PADAL8, PADAL16, DUP16, DUP32, ADDW8L,   \
                           ADDW8H, ADDW16L, ADDW16H, LO8, LO16, U32OF, ST32)                            \
  static inline T qcc_qgap_requant_##SFX##_neon_(uint32_t acc, float scale, int32_t yz) {                        \
    int32_t v;                                                                                                   \
    float f = (float)qcc_i32_from_u32(acc);                                                                      \
    f = f * scale;                                                                                               \
    v = qcc_add_wrap_i32(qcc_nearbyint_i32(f), yz);                                                              \
    v = v > (QMAX) ? (QMAX) : v;                                                                                 \
    v = v < (QMIN) ? (QMIN) : v;                                                                                 \
    return (T)v;                                                                                                 \
  }                                                                                                              \
  static inline void qcc_qlinear_global_average_pool_##SFX##_neon(const T *x, T *y, int32_t n, int32_t c,        \
                                                                  int32_t image, int32_t channels_last,          \
                                                                  int32_t xz, float scale, int32_t yz) {         \
    const uint32_t bias = (uint32_t)(-xz) * (uint32_t)image;                                                     \
    int32_t b, ch, i;                                                                                            \
    if (!channels_last) {                                                                                        \
      for (b = 0; b < n * c; b++) {                                                                              \
        const T *p = x + (ptrdiff_t)b * image;                                                                   \
        V32 s32 = DUP32(0);                                                                                      \
        uint32_t acc;                                                                                            \
        i = 0;                                                                                                   \
        while (i + 16 <= image) {                                                                                \
          int32_t steps = (image - i) / 16, k;                                                                   \
          V16 s16;                                                                                               \
          if (steps > 128) steps = 128;                                                                          \
          s16 = PADDL(LD(p + i));                                                                                \
          for (k = 1; k < steps; k++) s16 = PADAL8(s16, LD(p + i + 16 * k));                                     \
          s32 = PADAL16(s32, s16);                                                                               \
          i += 16 * steps;                                                                                       \
        }                                                                                                        \
        acc = bias + U32OF(s32);                                                                                 \
        for (; i < image; i++) acc += (uint32_t)(int32_t)p[i];                                                   \
        y[b] = qcc_qgap_requant_##SFX##_neon_(acc, scale, yz);                                                   \
      }                                                                                                          \
      return;                                                                                                    \
    }                                                                                                            \
    for (b = 0; b < n; b++) {                                                                                    \
      const T *xb = x + (ptrdiff_t)b * image * c;                                                                \
      T *yb = y + (ptrdiff_t)b * c;                                                                              \
      for (ch = 0; ch + 16 <= c; ch += 16) {                                                                     \
        V32 a0 = DUP32(0), a1 = DUP32(0), a2 = DUP32(0), a3 = DUP32(0);                                          \
        uint32_t lanes[16];                                                                                      \
        int32_t k;                                                                                               \
        for (i = 0; i < image; i += 256) {                                                                       \
          const int32_t end = image - i > 256 ? i + 256 : image;                                                 \
          V16 lo = DUP16(0), hi = DUP16(0);                                                                      \
          for (k = i; k < end; k++) {                                                                            \
            const V8 v = LD(xb + (ptrdiff_t)k * c + ch);                                                         \
            lo = ADDW8L(lo, LO8(v));                                                                             \
            hi = ADDW8H(hi, v);                                                                                  \
          }                                                                                                      \
          a0 = ADDW16L(a0, LO16(lo));                                                                            \
          a1 = ADDW16H(a1, lo);                                                                                  \
          a2 = ADDW16L(a2, LO16(hi));                                                                            \
          a3 = ADDW16H(a3, hi);                                                                                  \
        }                                                                                                        \
        ST32(lanes, a0);                                                                                         \
        ST32(lanes + 4, a1);                                                                                     \
        ST32(lanes + 8, a2);                                                                                     \
        ST32(lanes + 12, a3);                                                                                    \
        for (k = 0; k < 16; k++) yb[ch + k] = qcc_qgap_requant_##SFX##_neon_(bias + lanes[k], scale, yz);        \
      }                                                                                                          \
      for (; ch < c; ch++) {                                                                                     \
        uint32_t acc = bias;                                                                                     \
        for (i = 0; i < image; i++) acc += (uint32_t)(int32_t)xb[(ptrdiff_t)i * c + ch];                         \
        yb[ch] = qcc_qgap_requant_##SFX##_neon_(acc, scale, yz);                                                 \
      }                                                                                                          \
    }                                                                                                            \
  }

#define QCC_QGAP_U32_U_(v) vaddvq_u32(v)
#define QCC_QGAP_U32_S_(v) ((uint32_t)vaddvq_s32(v))
#define QCC_QGAP_ST_U_(p, v) vst1q_u32((p), (v))
#define QCC_QGAP_ST_S_(p, v) vst1q_u32((p), vreinterpretq_u32_s32(v))

QCC_QGAP_NEON_DEF_(u8, uint8_t, 0, 255, uint8x16_t, uint16x8_t, uint32x4_t, vld1q_u8, vpaddlq_u8, vpadalq_u8,
                   vpadalq_u16, vdupq_n_u16, vdupq_n_u32, vaddw_u8, vaddw_high_u8, vaddw_u16, vaddw_high_u16,
                   vget_low_u8, vget_low_u16, QCC_QGAP_U32_U_, QCC_QGAP_ST_U_)
QCC_QGAP_NEON_DEF_(i8, int8_t, -128, 127, int8x16_t, int16x8_t, int32x4_t, vld1q_s8, vpaddlq_s8, vpadalq_s8,
                   vpadalq_s16, vdupq_n_s16, vdupq_n_s32, vaddw_s8, vaddw_high_s8, vaddw_s16, vaddw_high_s16,
                   vget_low_s8, vget_low_s16, QCC_QGAP_U32_S_, QCC_QGAP_ST_S_)

#endif /* QCC_QPOOL_NEON_H */
