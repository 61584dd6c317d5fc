/*
 * qcc_qdwconv_vnni.h: the channel-vectorised depthwise kernel of qcc_qdwconv_avx2.h (same parameters, scratch,
 * steps 1, 2 and 4) with step 3 on 512-bit registers and vpdpwssd (AVX-512 VNNI):
 *   acc.lane += a0*b0 + a1*b1   (s16 x s16; |x - x_zp|, |w - w_zp| <= 255 so the pair sum fits easily; the
 *                               non-saturating form, and the int32 add wraps as the interpreter's int32)
 * One vector holds all 16 channels of a block: T's 16-bit units are stored with channels 4-7 and 8-11 swapped
 * (qcc_qdw_fill_ with tswap 1), so Q's [lo | hi] pair vectors read as one 512-bit vector are channel order, and
 * so are the packed weights (backends/x86-avx2/dw-pack.ts, order 'natural': [cblock][ky][kp][16 pairs]), bias
 * and scale. Requantization: the ops of qcc_requant8_avx2 on 16 lanes (same bits), then vpmovdb (the values are
 * already in the output range, so truncating to 8 bits is exact for u8 and s8).
 * Build flags: -mavx512f -mavx512vl -mavx512vnni on top of x86-avx2's (this file uses AVX512F + VNNI only).
 */
#ifndef QCC_QDWCONV_VNNI_H
#define QCC_QDWCONV_VNNI_H

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>
#include "../x86-avx2/qcc_qdwconv_avx2.h"
#include "qcc_requant_avx512.h"

/* The taps of one output pixel, rows [R0, R1) of the window (K, JS, KP constants): tap pair 0 of each row
 * into acc, the others into acc1 (two chains halve the dependent vpdpwssd latency). */
#define QCC_QDWV_ROW_(ky)                                                                                      \
  do {                                                                                                         \
    const int32_t *qr_ = q + (ky) * qrow;                                                                      \
    acc = _mm512_dpwssd_epi32(acc, _mm512_loadu_si512((const void *)qr_), wv[ky][0]);                          \
    acc1 = _mm512_dpwssd_epi32(acc1, _mm512_loadu_si512((const void *)(qr_ + JS * 16)), wv[ky][1]);            \
    if (K == 5) acc1 = _mm512_dpwssd_epi32(acc1, _mm512_loadu_si512((const void *)(qr_ + 2 * JS * 16)), wv[ky][2]); \
  } while (0)

/* Step 3 for one block (K, S constants at the call sites): every output pixel into the tile O. */
QCC_KERNEL_INLINE void qcc_qdw_block_vnni_(const qcc_qpconv_params *p, int32_t K, int32_t S, const int32_t *Q,
                                       const int16_t *wb, const int32_t *bias, const float *scale,
                                       const qcc_rq_avx512 *rq, uint8_t *O) {
  const ptrdiff_t qrow = (ptrdiff_t)p->q_w * 16;
  const int32_t KP = (K + 1) / 2, JS = S == 1 ? 2 : 1, OH = p->oh, OW = p->ow;
  const __m512i b = _mm512_loadu_si512((const void *)bias);
  const __m512 s = _mm512_loadu_ps(scale);
  const qcc_rq_avx512 r = *rq;
  __m512i wv[5][3];
  int32_t oy, ox, ky, kp;
  for (ky = 0; ky < 5; ky++) {
    for (kp = 0; kp < 3; kp++) {
      wv[ky][kp] = ky < K && kp < KP ? _mm512_loadu_si512((const void *)(wb + ((ptrdiff_t)ky * KP + kp) * 32))
                                     : _mm512_setzero_si512();
    }
  }
  for (oy = 0; oy < OH; oy++) {
    const int32_t *qy = Q + (ptrdiff_t)oy * S * qrow;
    uint8_t *o = O + (ptrdiff_t)oy * OW * 16;
    for (ox = 0; ox < OW; ox++, o += 16) {
      const int32_t *q = qy + (ptrdiff_t)ox * 16;
      __m512i acc = b, acc1 = _mm512_setzero_si512();
      QCC_QDWV_ROW_(0);
      QCC_QDWV_ROW_(1);
      QCC_QDWV_ROW_(2);
      if (K == 5) {
        QCC_QDWV_ROW_(3);
        QCC_QDWV_ROW_(4);
      }
      _mm_storeu_si128((__m128i *)(void *)o, _mm512_cvtepi32_epi8(qcc_requant16_avx512(_mm512_add_epi32(acc, acc1), s, &r)));
    }
  }
}

#undef QCC_QDWV_ROW_

QCC_KERNEL_INLINE void qcc_qdwconv_s16_vnni(const qcc_qpconv_params *p, const void *x, const int16_t *wp,
                                        const int32_t *bias, const float *scale, void *y, uint8_t *scratch) {
  const int32_t K = p->kh, S = p->sh, KP = (p->kh + 1) / 2, nblk = (p->c + 15) / 16;
  const qcc_qdw_ctx_ cx = qcc_qdw_setup_(p, scratch, 1);
  const qcc_rq_avx512 rq = qcc_rq_init_avx512(p->yzp, p->y_signed ? -128 : 0, p->y_signed ? 127 : 255);
  int32_t n, b;
  for (n = 0; n < p->n; n++) {
    for (b = 0; b < nblk; b++) {
      const int32_t c0 = b * 16, nc = p->c - c0 < 16 ? p->c - c0 : 16;
      const int16_t *wb = wp + (ptrdiff_t)b * K * KP * 32;
      const int32_t *bb = bias + 16 * b;
      const float *sb = scale + 16 * b;
      qcc_qdw_fill_(p, &cx, x, n, c0, nc, n == 0 && b == 0);
      if (K == 3 && S == 1) qcc_qdw_block_vnni_(p, 3, 1, cx.Q, wb, bb, sb, &rq, cx.O);
      else if (K == 3) qcc_qdw_block_vnni_(p, 3, 2, cx.Q, wb, bb, sb, &rq, cx.O);
      else if (S == 1) qcc_qdw_block_vnni_(p, 5, 1, cx.Q, wb, bb, sb, &rq, cx.O);
      else qcc_qdw_block_vnni_(p, 5, 2, cx.Q, wb, bb, sb, &rq, cx.O);
      qcc_qdw_store_(p, cx.O, y, n, c0, nc);
    }
  }
}

#endif /* QCC_QDWCONV_VNNI_H */
