/*
 * qcc_requant_avx512.h: fp32 requantization of 16 int32 accumulators on a zmm, for the x86-avx512vnni
 * kernels: exactly the float steps of qcc_requant8_avx2 (x86-avx2/qcc_requant_avx2.h) on 16 lanes:
 * cvtdq2ps, mulps by the scale, max/min against (qmin - zp, qmax - zp), cvtps2dq (round half to even under
 * the default MXCSR), + zp. No FMA. The result is in [qmin, qmax], so the low byte of a lane is the output.
 */
#ifndef QCC_REQUANT_AVX512_H
#define QCC_REQUANT_AVX512_H

#include <immintrin.h>
#include <stdint.h>

typedef struct {
  __m512 lo, hi;
  __m512i zp;
} qcc_rq_avx512;

static inline qcc_rq_avx512 qcc_rq_init_avx512(int32_t zp, int32_t qmin, int32_t qmax) {
  qcc_rq_avx512 r;
  r.lo = _mm512_set1_ps((float)(qmin - zp));
  r.hi = _mm512_set1_ps((float)(qmax - zp));
  r.zp = _mm512_set1_epi32(zp);
  return r;
}

/* 16 accumulators (bias included) -> 16 int32 in [qmin, qmax]. */
static inline __m512i qcc_requant16_avx512(__m512i acc, __m512 scale, const qcc_rq_avx512 *r) {
  __m512 v = _mm512_cvtepi32_ps(acc);
  v = _mm512_mul_ps(v, scale);
  v = _mm512_max_ps(v, r->lo);
  v = _mm512_min_ps(v, r->hi);
  return _mm512_add_epi32(_mm512_cvtps_epi32(v), r->zp);
}

#endif /* QCC_REQUANT_AVX512_H */
