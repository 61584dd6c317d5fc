/*
 * qcc_qlinear_binary_avx2.h: QLinearAdd / QLinearMul (com.microsoft) with AVX2, the same bits as the twins
 * qcc_qlinear_add/mul_* of qcc_qlinear_binary.h (same parameters) for finite A/B scales and a finite non-zero
 * C scale (the emitter keeps the generic kernel otherwise). Per element, the same float32 operations in the
 * same order, each one IEEE-rounded once (no FMA intrinsic; the build uses -ffp-contract=off):
 *   float(a - az)          _mm256_cvtepi32_ps of an integer |.| <= 255: exact, as the scalar conversion
 *   va = as * ., vb = bs * .  _mm256_mul_ps
 *   v = va + vb / va * vb  _mm256_add_ps / _mm256_mul_ps
 *   w = v / cs             _mm256_div_ps (correctly rounded, as the scalar division)
 *   w < lo ? lo : w        _mm256_max_ps(lo, w) (returns its second operand when unordered, as the ternary)
 *   hi < w ? hi : w        _mm256_min_ps(hi, w)
 *   w + float(cz)          _mm256_add_ps
 *   nearbyint -> int32     _mm256_cvtps_epi32, round half to even under the default MXCSR; w + cz is within
 *                          [qmin - 1, qmax + 1] (never NaN: scales finite, cs != 0, inf clamps), so no
 *                          saturation case arises and the result equals qcc_nearbyint_i32.
 *   (T)                    the value is in [qmin, qmax]: the saturating packs do not change it.
 * Vectorised along the innermost collapsed axis when A walks it contiguously and B contiguously or not at all
 * (B broadcast along it); other layouts and tails use the scalar element function. In place (y == a or
 * y == b) is safe: each 8-element chunk is loaded before it is stored.
 */
#ifndef QCC_QLINEAR_BINARY_AVX2_H
#define QCC_QLINEAR_BINARY_AVX2_H

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>
#include "qcc_qlinear_binary.h"

static inline __m256 qcc_qbin_ld8_avx2_(const void *p, int32_t is_signed, __m256i zp) {
  const __m128i b = _mm_loadl_epi64((const __m128i *)p);
  const __m256i v = is_signed ? _mm256_cvtepi8_epi32(b) : _mm256_cvtepu8_epi32(b);
  return _mm256_cvtepi32_ps(_mm256_sub_epi32(v, zp));
}

/* 8 results, mul = 0: add, 1: mul; vb: B's values already scaled (bs * float(b - bz)). */
static inline __m256i qcc_qbin8_avx2_(__m256 va, __m256 vb, int32_t mul, __m256 cs, __m256 lo, __m256 hi, __m256 czf) {
  __m256 w = mul ? _mm256_mul_ps(va, vb) : _mm256_add_ps(va, vb);
  w = _mm256_div_ps(w, cs);
  w = _mm256_max_ps(lo, w);
  w = _mm256_min_ps(hi, w);
  w = _mm256_add_ps(w, czf);
  return _mm256_cvtps_epi32(w);
}

static inline void qcc_qbin_st8_avx2_(void *dst, __m256i v, int32_t is_signed) {
  const __m128i w = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  _mm_storel_epi64((__m128i *)dst, is_signed ? _mm_packs_epi16(w, w) : _mm_packus_epi16(w, w));
}

#define QCC_QBIN_AVX2_DEF_(OP, MUL, SFX, T, SIGNED)                                                               \
  static inline void qcc_qlinear_##OP##_##SFX##_avx2(const qcc_qbin_params *p, const T *a, const T *b, T *y) {    \
    int32_t idx[QCC_QBIN_MAX_RANK] = {0};                                                                        \
    ptrdiff_t oa = 0, ob = 0;                                                                                    \
    const int32_t last = p->rank - 1, n = p->shape[p->rank - 1];                                                 \
    const ptrdiff_t la = p->sa[last], lb = p->sb[last];                                                          \
    const int32_t vec = la == 1 && (lb == 1 || lb == 0);                                                         \
    const __m256i azv = _mm256_set1_epi32(p->az), bzv = _mm256_set1_epi32(p->bz);                                \
    const __m256 asv = _mm256_set1_ps(p->as), bsv = _mm256_set1_ps(p->bs), csv = _mm256_set1_ps(p->cs);         \
    const __m256 lo = _mm256_set1_ps(p->lo), hi = _mm256_set1_ps(p->hi), czf = _mm256_set1_ps((float)p->cz);    \
    for (;;) {                                                                                                   \
      int32_t i = 0;                                                                                             \
      if (vec) {                                                                                                 \
        /* B broadcast along the axis: its scaled value is one vector for the whole run */                      \
        const __m256 vb0 = _mm256_mul_ps(bsv, _mm256_cvtepi32_ps(_mm256_set1_epi32((int32_t)b[ob] - p->bz)));    \
        for (; i < (n & ~7); i += 8) {                                                                           \
          const __m256 va = _mm256_mul_ps(asv, qcc_qbin_ld8_avx2_(a + oa + i, SIGNED, azv));                     \
          const __m256 vb = lb ? _mm256_mul_ps(bsv, qcc_qbin_ld8_avx2_(b + ob + i, SIGNED, bzv)) : vb0;           \
          qcc_qbin_st8_avx2_(y + i, qcc_qbin8_avx2_(va, vb, MUL, csv, lo, hi, czf), SIGNED);                     \
        }                                                                                                        \
      }                                                                                                          \
      for (; i < n; i++) y[i] = (T)qcc_qlinear_##OP##_elem_(a[oa + i * la], b[ob + i * lb], p);                  \
      y += n;                                                                                                    \
      if (!qcc_qbin_next_row_(p, idx, &oa, &ob)) return;                                                         \
    }                                                                                                            \
  }

QCC_QBIN_AVX2_DEF_(add, 0, u8, uint8_t, 0)
QCC_QBIN_AVX2_DEF_(add, 0, i8, int8_t, 1)
QCC_QBIN_AVX2_DEF_(mul, 1, u8, uint8_t, 0)
QCC_QBIN_AVX2_DEF_(mul, 1, i8, int8_t, 1)

#endif /* QCC_QLINEAR_BINARY_AVX2_H */
