/*
 * qcc_requant_avx2.h: vectorised fp32 requantization, the same bits as qcc_requantize_f32 (qcc_requant.h) for
 * every int32 accumulator and every finite scale (the emitters fall back to the generic kernels for a NaN or
 * infinite scale, the only way the scalar NaN branch can be taken):
 *   _mm256_cvtepi32_ps      = (float)acc, round to nearest even (MXCSR default), as C's conversion
 *   _mm256_mul_ps           = one float32 multiply (no FMA: this file never calls an fmadd intrinsic and the
 *                             build uses -ffp-contract=off)
 *   max(v, lo), min(., hi)  = qcc_clamp_f32 with the integer bounds qmin - zp, qmax - zp (v is never NaN)
 *   _mm256_cvtps_epi32      = round half to even (MXCSR default) of a value in [-383, 383]: exact, as the
 *                             2^23 trick of qcc_round_half_even_f32
 *   + zp                    = the integer add.
 * Requires the default MXCSR (round to nearest, no FTZ/DAZ), which the scalar code relies on as well.
 */
#ifndef QCC_REQUANT_AVX2_H
#define QCC_REQUANT_AVX2_H

#include <immintrin.h>
#include <stdint.h>
#include <string.h>

typedef struct {
  __m256 lo, hi;
  __m256i zp, zp16;
} qcc_rq_avx2;

static inline qcc_rq_avx2 qcc_rq_init_avx2(int32_t zp, int32_t qmin, int32_t qmax) {
  qcc_rq_avx2 r;
  r.lo = _mm256_set1_ps((float)(qmin - zp));
  r.hi = _mm256_set1_ps((float)(qmax - zp));
  r.zp = _mm256_set1_epi32(zp);
  r.zp16 = _mm256_set1_epi16((int16_t)zp);
  return r;
}

/* 8 accumulators (bias included) -> 8 int32 in [qmin, qmax]. */
static inline __m256i qcc_requant8_avx2(__m256i acc, __m256 scale, const qcc_rq_avx2 *r) {
  __m256 v = _mm256_cvtepi32_ps(acc);
  v = _mm256_mul_ps(v, scale);
  v = _mm256_max_ps(v, r->lo);
  v = _mm256_min_ps(v, r->hi);
  return _mm256_add_epi32(_mm256_cvtps_epi32(v), r->zp);
}

/* Stores the first n (<= 8) of 8 int32 already in the output range as u8 (y_signed 0) or i8. */
static inline void qcc_store8_q8_avx2(uint8_t *dst, __m256i v, int32_t n, int32_t y_signed) {
  const __m128i w = _mm_packs_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1));
  const __m128i b = y_signed ? _mm_packs_epi16(w, w) : _mm_packus_epi16(w, w);
  if (n >= 8) {
    _mm_storel_epi64((__m128i *)(void *)dst, b);
  } else {
    uint8_t t[16];
    int32_t i;
    _mm_storeu_si128((__m128i *)(void *)t, b);
    for (i = 0; i < n; i++) dst[i] = t[i]; /* a loop: GCC warns on memcpy with sizes from dead paths */
  }
}

/* The first n (<= 16) of 16 int16 values w (packs_epi32 of two 8-lane vectors v0, v1: 128-bit lanes v0[0..3]
 * v1[0..3] | v0[4..7] v1[4..7]), saturated to u8 (y_signed 0) or i8, stored in the order v0, v1. */
static inline void qcc_store16_w16_avx2_(uint8_t *dst, __m256i w, int32_t n, int32_t y_signed) {
  const __m256i b = y_signed ? _mm256_packs_epi16(w, w) : _mm256_packus_epi16(w, w);
  const __m128i o = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(b, _mm256_setr_epi32(0, 4, 1, 5, 0, 4, 1, 5)));
  if (n >= 16) {
    _mm_storeu_si128((__m128i *)(void *)dst, o);
  } else {
    uint8_t t[16];
    int32_t i;
    _mm_storeu_si128((__m128i *)(void *)t, o);
    for (i = 0; i < n; i++) dst[i] = t[i]; /* a loop: GCC warns on memcpy with sizes from dead paths */
  }
}

/* Stores 16 results (two vectors), the first n of them. */
static inline void qcc_store16_q8_avx2(uint8_t *dst, __m256i v0, __m256i v1, int32_t n, int32_t y_signed) {
  qcc_store16_w16_avx2_(dst, _mm256_packs_epi32(v0, v1), n, y_signed);
}

/*
 * 16 accumulators (two vectors, bias included) requantized and stored as the first n (<= 16) q8 outputs, when
 * the output range is the whole dtype (qmin, qmax of qcc_rq_init_avx2 = -128, 127 or 0, 255): 4 instructions
 * per 8 outputs and 5 per 16 instead of qcc_requant8_avx2's 6 + qcc_store16_q8_avx2's 4. The same bits:
 * r = round(min(v, hi)) is round(v) for v <= hi and INT_MIN when v < -2^31 (cvtps2dq's indefinite value), so
 * r <= hi = qmax - zp <= 383; packs to int16 saturates r below -32768 to -32768, the saturating int16 add of zp
 * then stays below qmin exactly when r + zp does (|zp| <= 255), and the 8-bit pack saturates to [qmin, qmax]:
 * clamp(round(v) + zp, qmin, qmax) = clamp(round(v), qmin - zp, qmax - zp) + zp.
 */
static inline void qcc_rq_store16_avx2(uint8_t *dst, __m256i a0, __m256i a1, __m256 scale, const qcc_rq_avx2 *r,
                                       int32_t n, int32_t y_signed) {
  const __m256i i0 = _mm256_cvtps_epi32(_mm256_min_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(a0), scale), r->hi));
  const __m256i i1 = _mm256_cvtps_epi32(_mm256_min_ps(_mm256_mul_ps(_mm256_cvtepi32_ps(a1), scale), r->hi));
  qcc_store16_w16_avx2_(dst, _mm256_adds_epi16(_mm256_packs_epi32(i0, i1), r->zp16), n, y_signed);
}

/* Row requant + store over an array (parity tests and tails): y[i] = requant(acc[i], scale). */
static inline void qcc_requant_row_avx2(const int32_t *acc, int32_t n, float scale, int32_t zp, int32_t y_signed,
                                        uint8_t *y) {
  const qcc_rq_avx2 r = qcc_rq_init_avx2(zp, y_signed ? -128 : 0, y_signed ? 127 : 255);
  const __m256 s = _mm256_set1_ps(scale);
  int32_t i;
  for (i = 0; i < n; i += 8) {
    __m256i a;
    if (n - i >= 8) {
      a = _mm256_loadu_si256((const __m256i *)(const void *)(acc + i));
    } else {
      int32_t t[8] = {0, 0, 0, 0, 0, 0, 0, 0};
      memcpy(t, acc + i, (size_t)(n - i) * sizeof(int32_t));
      a = _mm256_loadu_si256((const __m256i *)(void *)t);
    }
    qcc_store8_q8_avx2(y + i, qcc_requant8_avx2(a, s, &r), n - i, y_signed);
  }
}

#endif /* QCC_REQUANT_AVX2_H */
