/*
 * qcc_quant_avx2.h: QuantizeLinear float32 -> u8 / i8 with AVX2, the same bits as the twins
 * qcc_quantize_linear_f32_u8 / _i8 (qcc_quant.h, same parameters) for every input and scale:
 *   v = x / scale          _mm256_div_ps (correctly rounded, as the scalar division; default MXCSR, no FTZ/DAZ)
 *   NaN -> 0               lanes where v is unordered are blended to 0 (the scalar returns 0 for NaN)
 *   v > lo ? v : lo        _mm256_max_ps(v, lo) (returns its second operand unless v > lo: the same ternary)
 *   a < hi ? a : hi        _mm256_min_ps(a, hi)
 *   round half to even     _mm256_cvtps_epi32 under the default MXCSR: |a| <= 383 here, where the scalar
 *                          2^23 trick is the same exact round-half-even (-0.0 gives 0 both ways)
 *   + zp, (T)              in [qmin, qmax] after the clamp: the saturating packs do not change it.
 */
#ifndef QCC_QUANT_AVX2_H
#define QCC_QUANT_AVX2_H

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>
#include "qcc_quant.h"

static inline __m256i qcc_quantize8_avx2_(__m256 x, __m256 s, __m256 lo, __m256 hi, __m256i zp) {
  const __m256 v = _mm256_div_ps(x, s);
  const __m256 ord = _mm256_cmp_ps(v, v, _CMP_ORD_Q);
  const __m256 a = _mm256_min_ps(_mm256_max_ps(v, lo), hi);
  const __m256i q = _mm256_add_epi32(_mm256_cvtps_epi32(a), zp);
  return _mm256_and_si256(q, _mm256_castps_si256(ord));
}

#define QCC_QUANTIZE_AVX2_DEF_(NAME, TWIN_ELEM, YT, QMIN, QMAX, SIGNED)                                          \
  static inline void NAME(const float *x, YT *y, int32_t outer, int32_t channels, int32_t inner, const float *scale, \
                          const int32_t *zp) {                                                                     \
    int32_t o, c, k;                                                                                               \
    size_t i = 0;                                                                                                  \
    for (o = 0; o < outer; o++) {                                                                                  \
      for (c = 0; c < channels; c++) {                                                                             \
        const float s = scale[c];                                                                                  \
        const int32_t z = zp[c];                                                                                   \
        const __m256 sv = _mm256_set1_ps(s), lo = _mm256_set1_ps((float)(QMIN - z)),                              \
                     hi = _mm256_set1_ps((float)(QMAX - z));                                                       \
        const __m256i zv = _mm256_set1_epi32(z);                                                                   \
        for (k = 0; k + 16 <= inner; k += 16, i += 16) {                                                           \
          const __m256i q0 = qcc_quantize8_avx2_(_mm256_loadu_ps(x + i), sv, lo, hi, zv);                          \
          const __m256i q1 = qcc_quantize8_avx2_(_mm256_loadu_ps(x + i + 8), sv, lo, hi, zv);                      \
          const __m256i w = _mm256_packs_epi32(q0, q1); /* lanes: q0[0..3] q1[0..3] | q0[4..7] q1[4..7] */         \
          const __m256i b = SIGNED ? _mm256_packs_epi16(w, w) : _mm256_packus_epi16(w, w);                         \
          const __m256i r = _mm256_permutevar8x32_epi32(b, _mm256_setr_epi32(0, 4, 1, 5, 0, 4, 1, 5));             \
          _mm_storeu_si128((__m128i *)(void *)(y + i), _mm256_castsi256_si128(r));                                 \
        }                                                                                                          \
        for (; k < inner; k++, i++) y[i] = (YT)qcc_quantize_f32(x[i], s, z, QMIN, QMAX);                          \
      }                                                                                                            \
    }                                                                                                              \
  }

QCC_QUANTIZE_AVX2_DEF_(qcc_quantize_linear_f32_u8_avx2, qcc_quantize_f32, uint8_t, 0, 255, 0)
QCC_QUANTIZE_AVX2_DEF_(qcc_quantize_linear_f32_i8_avx2, qcc_quantize_f32, int8_t, -128, 127, 1)

#endif /* QCC_QUANT_AVX2_H */
