/*
 * qcc_qlinear_binary_neon.h: QLinearAdd / QLinearMul (com.microsoft) for AArch64 Advanced SIMD, the same
 * bits as the twins qcc_qlinear_add/mul_* of qcc_qlinear_binary.h (same parameter struct) for every scale,
 * NaN and infinity included. Per element, the same float32 operations in the same order, each one
 * IEEE-rounded once (AArch64 NEON honours FPCR, which Linux leaves at round-to-nearest with no flush to
 * zero; no fused intrinsic is used, the build has -ffp-contract=off):
 *   float(a - az)            vcvtq_f32_s32 of an integer |.| <= 255: exact, as the scalar conversion
 *   va = as * ., vb = bs * . vmulq_f32
 *   v = va + vb / va * vb    vaddq_f32 / vmulq_f32
 *   w = v / cs               vdivq_f32 (correctly rounded, as the scalar division)
 *   w < lo ? lo : w          vbslq_f32(vcltq_f32(w, lo), lo, w): the ternary itself, NaN stays NaN
 *   hi < w ? hi : w          vbslq_f32(vcltq_f32(hi, w), hi, w)
 *   w + float(cz)            vaddq_f32
 *   qcc_nearbyint_i32(w)     vcvtnq_s32_f32: round half to even; w is NaN (both give 0) or within
 *                            [qmin - 1, qmax + 1] (lo, hi finite), so no saturation case differs
 *   (T)                      the value is in [qmin, qmax] or 0: the truncating narrows keep it
 * Vectorised 16 elements at a time along the innermost collapsed axis when A and B each walk it
 * contiguously or not at all (same shape, scalar or per-row broadcast); other layouts and tails use the
 * scalar element function. In place (y == a or y == b) is safe: each 16-element chunk is loaded before it
 * is stored, and y never runs ahead of a contiguous operand.
 */
#ifndef QCC_QLINEAR_BINARY_NEON_H
#define QCC_QLINEAR_BINARY_NEON_H

#include <arm_neon.h>
#include <stddef.h>
#include <stdint.h>
#include "qcc_qlinear_binary.h"

/* 16 values minus the zero point, as 4 float32x4 (exact: |x - z| <= 255). */
static inline void qcc_qbin_ld16_neon_(const void *p, int32_t is_signed, int16x4_t z, float32x4_t v[4]) {
  int16x8_t lo, hi;
  if (is_signed) {
    const int8x16_t b = vld1q_s8((const int8_t *)p);
    lo = vmovl_s8(vget_low_s8(b));
    hi = vmovl_high_s8(b);
  } else {
    const uint8x16_t b = vld1q_u8((const uint8_t *)p);
    lo = vreinterpretq_s16_u16(vmovl_u8(vget_low_u8(b)));
    hi = vreinterpretq_s16_u16(vmovl_high_u8(b));
  }
  v[0] = vcvtq_f32_s32(vsubl_s16(vget_low_s16(lo), z));
  v[1] = vcvtq_f32_s32(vsubl_s16(vget_high_s16(lo), z));
  v[2] = vcvtq_f32_s32(vsubl_s16(vget_low_s16(hi), z));
  v[3] = vcvtq_f32_s32(vsubl_s16(vget_high_s16(hi), z));
}

/* 4 results, mul = 0: add, 1: mul; va, vb already scaled. */
static inline int32x4_t qcc_qbin4_neon_(float32x4_t va, float32x4_t vb, int32_t mul, float32x4_t cs, float32x4_t lo,
                                        float32x4_t hi, float32x4_t czf) {
  float32x4_t w = mul ? vmulq_f32(va, vb) : vaddq_f32(va, vb);
  w = vdivq_f32(w, cs);
  w = vbslq_f32(vcltq_f32(w, lo), lo, w);
  w = vbslq_f32(vcltq_f32(hi, w), hi, w);
  w = vaddq_f32(w, czf);
  return vcvtnq_s32_f32(w);
}

#define QCC_QBIN_NEON_DEF_(OP, MUL, SFX, T, SIGNED)                                                               \
  static inline void qcc_qlinear_##OP##_##SFX##_neon(const qcc_qbin_params *p, const T *a, const T *b, T *y) {    \
    int32_t idx[QCC_QBIN_MAX_RANK] = {0};                                                                        \
    ptrdiff_t oa = 0, ob = 0;                                                                                    \
    const int32_t last = p->rank - 1, n = p->shape[p->rank - 1];                                                 \
    const ptrdiff_t la = p->sa[last], lb = p->sb[last];                                                          \
    const int32_t vec = (la == 1 || la == 0) && (lb == 1 || lb == 0);                                            \
    const int16x4_t azv = vdup_n_s16((int16_t)p->az), bzv = vdup_n_s16((int16_t)p->bz);                          \
    const float32x4_t asv = vdupq_n_f32(p->as), bsv = vdupq_n_f32(p->bs), csv = vdupq_n_f32(p->cs);             \
    const float32x4_t lo = vdupq_n_f32(p->lo), hi = vdupq_n_f32(p->hi), czf = vdupq_n_f32((float)p->cz);        \
    int32_t k;                                                                                                   \
    for (;;) {                                                                                                   \
      int32_t i = 0;                                                                                             \
      if (vec && n >= 16) {                                                                                      \
        /* an operand broadcast along the axis is one scaled vector for the whole run */                        \
        const float32x4_t va0 = vmulq_f32(asv, vcvtq_f32_s32(vdupq_n_s32((int32_t)a[oa] - p->az)));              \
        const float32x4_t vb0 = vmulq_f32(bsv, vcvtq_f32_s32(vdupq_n_s32((int32_t)b[ob] - p->bz)));              \
        for (; i + 16 <= n; i += 16) {                                                                           \
          float32x4_t xa[4], xb[4];                                                                              \
          int32x4_t r[4];                                                                                        \
          if (la) qcc_qbin_ld16_neon_(a + oa + i, SIGNED, azv, xa);                                              \
          if (lb) qcc_qbin_ld16_neon_(b + ob + i, SIGNED, bzv, xb);                                              \
          for (k = 0; k < 4; k++) {                                                                              \
            const float32x4_t va = la ? vmulq_f32(asv, xa[k]) : va0;                                             \
            const float32x4_t vb = lb ? vmulq_f32(bsv, xb[k]) : vb0;                                             \
            r[k] = qcc_qbin4_neon_(va, vb, MUL, csv, lo, hi, czf);                                               \
          }                                                                                                      \
          vst1q_s8((int8_t *)(y + i), vcombine_s8(vmovn_s16(vcombine_s16(vmovn_s32(r[0]), vmovn_s32(r[1]))),      \
                                                  vmovn_s16(vcombine_s16(vmovn_s32(r[2]), vmovn_s32(r[3])))));    \
        }                                                                                                        \
      }                                                                                                          \
      for (; i < n; i++) y[i] = (T)qcc_qlinear_##OP##_elem_(a[oa + i * la], b[ob + i * lb], p);                  \
      y += n;                                                                                                    \
      if (!qcc_qbin_next_row_(p, idx, &oa, &ob)) return;                                                         \
    }                                                                                                            \
  }

QCC_QBIN_NEON_DEF_(add, 0, u8, uint8_t, 0)
QCC_QBIN_NEON_DEF_(add, 0, i8, int8_t, 1)
QCC_QBIN_NEON_DEF_(mul, 1, u8, uint8_t, 0)
QCC_QBIN_NEON_DEF_(mul, 1, i8, int8_t, 1)

#endif /* QCC_QLINEAR_BINARY_NEON_H */
