/*
 * qcc_qdwconv_avx2.h: channel-vectorised depthwise KxK (K 3 or 5, stride 1 or 2, dilation 1, any padding), for
 * small planes where the row kernel of qcc_qpacked_avx2.h (one channel at a time, 8 outputs of a row per
 * vector) pays per-channel setup and half-empty vectors. Its generic twin is qcc_qpconv_dw_s16 (qcc_qpacked.h):
 * the same sums, exact, in another order (int32 sums wrap, so the order does not matter).
 *
 * Per image and block of 16 channels (the last block may be partial; its missing channels read channel c - 1
 * and are never stored):
 *   1. T: the zero-padded plane of (x - x_zp) channels-last as s16, [sp_h][sp_w][16] (16x16 byte transposes).
 *   2. Q: pair vectors of T. Stride 1: Q[r][j] = (T[r][j], T[r][j + 1]); stride 2: Q[r][i] = (T[r][2i],
 *      T[r][2i + 1]); each [16] pairs as two int32 vectors: "lo" = channels 0-3, 8-11, "hi" = 4-7, 12-15 (what
 *      vpunpck{l,h}wd give within 128-bit lanes). Then one vpmaddwd of Q by the packed weight pairs
 *      (w[ky][kx], w[ky][kx + 1]) of the same lane order (kx + 1 = K: weight 0) adds two taps of 8 channels.
 *      Output (oy, ox), tap pair kp (kx = 2 kp), row ky reads Q[oy * S + ky][ox + 2 kp] (S 1) or
 *      Q[oy * 2 + ky][ox + kp] (S 2).
 *   3. acc = bias + sum of the pair products (int32), requantized by qcc_requant8_avx2 with per-channel scale
 *      vectors (same lane order), packed to 16 bytes in channel order into the tile O [oh * ow][16].
 *   4. O transposed back to the NCHW output (16 channels x 16 pixels per step).
 * Operands: |x - x_zp| <= 255 and |w - w_zp| <= 255 (packed as s16), so each vpmaddwd pair sum is exact.
 *
 * Packed operands (backends/x86-avx2/dw-pack.ts): weights [cblock][ky][kp][lo 16 | hi 16] s16, bias and scale
 * [cblock][lo 8 | hi 8]. Scratch (backends/x86-avx2/dw-pack.ts depthwiseClScratch, which must agree):
 *   T  al32(sp_h * sp_w * 32) | Q al32(sp_h * q_w * 64) | O al32(max(oh * ow, 16) * 16)
 * with sp_h = (oh - 1) * S + K, q_w = ow + K - 1 (S 1) or ow + (K - 1) / 2 (S 2), sp_w = q_w + 1 (S 1) or
 * 2 q_w (S 2). Input rows / columns past sp_h / sp_w (negative end padding) are never read by an output.
 */
#ifndef QCC_QDWCONV_AVX2_H
#define QCC_QDWCONV_AVX2_H

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "qcc_qpacked.h"
#include "qcc_requant_avx2.h"

static inline size_t qcc_qdw_al32_(size_t b) { return (b + 31u) & ~(size_t)31u; }

/* Within each 128-bit lane, an 8x8 transpose of 16-bit units: unit k of v[r] goes to unit r of v[k]. */
static inline void qcc_qdw_tr8x8_epi16_(__m256i v[8]) {
  const __m256i t0 = _mm256_unpacklo_epi16(v[0], v[1]), t1 = _mm256_unpackhi_epi16(v[0], v[1]);
  const __m256i t2 = _mm256_unpacklo_epi16(v[2], v[3]), t3 = _mm256_unpackhi_epi16(v[2], v[3]);
  const __m256i t4 = _mm256_unpacklo_epi16(v[4], v[5]), t5 = _mm256_unpackhi_epi16(v[4], v[5]);
  const __m256i t6 = _mm256_unpacklo_epi16(v[6], v[7]), t7 = _mm256_unpackhi_epi16(v[6], v[7]);
  const __m256i u0 = _mm256_unpacklo_epi32(t0, t2), u1 = _mm256_unpackhi_epi32(t0, t2);
  const __m256i u2 = _mm256_unpacklo_epi32(t1, t3), u3 = _mm256_unpackhi_epi32(t1, t3);
  const __m256i u4 = _mm256_unpacklo_epi32(t4, t6), u5 = _mm256_unpackhi_epi32(t4, t6);
  const __m256i u6 = _mm256_unpacklo_epi32(t5, t7), u7 = _mm256_unpackhi_epi32(t5, t7);
  v[0] = _mm256_unpacklo_epi64(u0, u4);
  v[1] = _mm256_unpackhi_epi64(u0, u4);
  v[2] = _mm256_unpacklo_epi64(u1, u5);
  v[3] = _mm256_unpackhi_epi64(u1, u5);
  v[4] = _mm256_unpacklo_epi64(u2, u6);
  v[5] = _mm256_unpackhi_epi64(u2, u6);
  v[6] = _mm256_unpacklo_epi64(u3, u7);
  v[7] = _mm256_unpackhi_epi64(u3, u7);
}

/*
 * Pixels [p0, p0 + 16) of 16 channel planes xs[k] -> d[i] = pixel p0 + i as 16 s16 (channel order), each
 * (x ^ flip) - zpu = x - x_zp. After the transpose, unit k of v[r] is channel k (lane 1: k + 8) at pixels
 * 2r, 2r + 1; the byte shuffle makes each lane [pixel 2r: 8 channels | pixel 2r + 1: 8 channels].
 */
static inline void qcc_qdw_load16_(const uint8_t *const xs[16], ptrdiff_t p0, __m256i flip, __m256i zpu, __m256i d[16]) {
  const __m256i sh = _mm256_setr_epi8(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15,
                                      0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
  const __m256i z = _mm256_setzero_si256();
  __m256i v[8];
  int32_t k;
  for (k = 0; k < 8; k++) {
    const __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(xs[k] + p0));
    const __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(xs[k + 8] + p0));
    v[k] = _mm256_inserti128_si256(_mm256_castsi128_si256(a), b, 1);
  }
  qcc_qdw_tr8x8_epi16_(v);
  for (k = 0; k < 8; k++) {
    const __m256i t = _mm256_shuffle_epi8(_mm256_xor_si256(v[k], flip), sh);
    d[2 * k] = _mm256_sub_epi16(_mm256_unpacklo_epi8(t, z), zpu);
    d[2 * k + 1] = _mm256_sub_epi16(_mm256_unpackhi_epi8(t, z), zpu);
  }
}

/* Tile pixels [0, 16) at O (16 bytes each, channel order) -> the first nc of the 16 channel rows ys[k]. */
static inline void qcc_qdw_store16_(const uint8_t *O, uint8_t *const ys[16], int32_t nc) {
  const __m256i sh = _mm256_setr_epi8(0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15,
                                      0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15);
  __m256i v[8];
  int32_t r;
  for (r = 0; r < 8; r++) {
    /* [pixel 2r: 16 ch | pixel 2r + 1: 16 ch] -> lanes [2r ch 0-7, 2r+1 ch 0-7 | 2r ch 8-15, 2r+1 ch 8-15] */
    const __m256i a = _mm256_permute4x64_epi64(_mm256_loadu_si256((const __m256i *)(const void *)(O + 32 * r)), 0xD8);
    v[r] = _mm256_shuffle_epi8(a, sh); /* unit k: channel k at pixels 2r, 2r + 1 */
  }
  qcc_qdw_tr8x8_epi16_(v);
  for (r = 0; r < 8; r++) {
    if (r < nc) _mm_storeu_si128((__m128i *)(void *)ys[r], _mm256_castsi256_si128(v[r]));
    if (r + 8 < nc) _mm_storeu_si128((__m128i *)(void *)ys[r + 8], _mm256_extracti128_si256(v[r], 1));
  }
}

/* The taps of one output pixel of 16 channels: q = Q at row oy * S, pair ox; tap pair kp is JS * kp pairs on. */
#define QCC_QDW_TAPS_(K, JS)                                                                                    \
  do {                                                                                                         \
    int32_t ky_, kp_;                                                                                          \
    for (ky_ = 0; ky_ < (K); ky_++) {                                                                          \
      const int32_t *qr_ = q + (ptrdiff_t)ky_ * qrow;                                                          \
      for (kp_ = 0; kp_ < ((K) + 1) / 2; kp_++) {                                                              \
        const int32_t *qp_ = qr_ + kp_ * (JS) * 16;                                                            \
        lo = _mm256_add_epi32(lo, _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(const void *)qp_),  \
                                                    wv[ky_][kp_][0]));                                        \
        hi = _mm256_add_epi32(hi, _mm256_madd_epi16(_mm256_loadu_si256((const __m256i *)(const void *)(qp_ + 8)), \
                                                    wv[ky_][kp_][1]));                                        \
      }                                                                                                        \
    }                                                                                                          \
  } while (0)

/* Step 3 for one block: every output pixel into the tile O. K and S are constants at the call sites. */
QCC_KERNEL_INLINE void qcc_qdw_block_(const qcc_qpconv_params *p, int32_t K, int32_t S, const int32_t *Q,
                                  const int16_t *wb, __m256i b_lo, __m256i b_hi, __m256 s_lo, __m256 s_hi,
                                  const qcc_rq_avx2 *rq, uint8_t *O) {
  const ptrdiff_t qrow = (ptrdiff_t)p->q_w * 16;
  const int32_t KP = (K + 1) / 2;
  __m256i wv[5][3][2];
  int32_t oy, ox, ky, kp;
  for (ky = 0; ky < K; ky++) {
    for (kp = 0; kp < KP; kp++) {
      const int16_t *w = wb + ((ptrdiff_t)ky * KP + kp) * 32;
      wv[ky][kp][0] = _mm256_loadu_si256((const __m256i *)(const void *)w);
      wv[ky][kp][1] = _mm256_loadu_si256((const __m256i *)(const void *)(w + 16));
    }
  }
  for (oy = 0; oy < p->oh; oy++) {
    const int32_t *qy = Q + (ptrdiff_t)oy * S * qrow;
    uint8_t *o = O + (ptrdiff_t)oy * p->ow * 16;
    for (ox = 0; ox < p->ow; ox++, o += 16) {
      const int32_t *q = qy + (ptrdiff_t)ox * 16;
      __m256i lo = b_lo, hi = b_hi, w16, b8;
      if (S == 1) QCC_QDW_TAPS_(K, 2);
      else QCC_QDW_TAPS_(K, 1);
      lo = qcc_requant8_avx2(lo, s_lo, rq);
      hi = qcc_requant8_avx2(hi, s_hi, rq);
      /* lanes [lo 0-3 = ch 0-3, hi 0-3 = ch 4-7 | lo 4-7 = ch 8-11, hi 4-7 = ch 12-15]: channel order */
      w16 = _mm256_packs_epi32(lo, hi);
      b8 = p->y_signed ? _mm256_packs_epi16(w16, w16) : _mm256_packus_epi16(w16, w16);
      _mm_storeu_si128((__m128i *)(void *)o, _mm256_castsi256_si128(_mm256_permute4x64_epi64(b8, 0x08)));
    }
  }
}

#undef QCC_QDW_TAPS_

/*
 * Steps 1, 2 and 4 are shared with the x86-avx512vnni twin (qcc_qdwconv_vnni.h), which stores T's 16-bit units
 * in another channel order (tswap 1: units 4-7 and 8-11 swapped, so that Q's [lo | hi] is channel order as one
 * 512-bit vector); step 3 is each variant's own.
 */
typedef struct {
  int16_t *T;
  int32_t *Q;
  uint8_t *O;
  __m256i flip, zpu;
  int32_t r_in0, r_in1, tswap;
} qcc_qdw_ctx_;

QCC_KERNEL_INLINE qcc_qdw_ctx_ qcc_qdw_setup_(const qcc_qpconv_params *p, uint8_t *scratch, int32_t tswap) {
  const size_t tbytes = qcc_qdw_al32_((size_t)p->sp_h * p->sp_w * 32u);
  const size_t qbytes = qcc_qdw_al32_((size_t)p->sp_h * p->q_w * 64u);
  const __m256i z = _mm256_setzero_si256();
  const int32_t SPW = p->sp_w, c_in0 = p->pw < SPW ? p->pw : SPW, c_in1 = p->pw + p->w < SPW ? p->pw + p->w : SPW;
  qcc_qdw_ctx_ c;
  int32_t r, j;
  c.T = (int16_t *)(void *)scratch;
  c.Q = (int32_t *)(void *)(scratch + tbytes);
  c.O = scratch + tbytes + qbytes;
  c.flip = _mm256_set1_epi8((char)(p->x_signed ? 0x80 : 0));
  c.zpu = _mm256_set1_epi16((int16_t)(p->x_signed ? p->xzp + 128 : p->xzp));
  c.r_in0 = p->ph < p->sp_h ? p->ph : p->sp_h;
  c.r_in1 = p->ph + p->h < p->sp_h ? p->ph + p->h : p->sp_h;
  c.tswap = tswap;
  /* T's padding is zero for every block: written once, cells outside rows [r_in0, r_in1) x columns
   * [c_in0, c_in1), the interior qcc_qdw_fill_ rewrites per block (clearing all of T cost more than the taps
   * on DS-CNN's 25x5 planes) */
  for (r = 0; r < p->sp_h; r++) {
    int16_t *t = c.T + (ptrdiff_t)r * SPW * 16;
    const int32_t inner = r >= c.r_in0 && r < c.r_in1;
    for (j = 0; j < SPW; j++) {
      if (inner && j == c_in0) j = c_in1;
      if (j < SPW) _mm256_storeu_si256((__m256i *)(void *)(t + 16 * j), z);
    }
  }
  return c;
}

/* Steps 1 and 2 for image n, channels [c0, c0 + nc) (first: the first block of the call, which also computes
 * Q's rows of T's zero padding). */
QCC_KERNEL_INLINE void qcc_qdw_fill_(const qcc_qpconv_params *p, const qcc_qdw_ctx_ *cx, const void *x, int32_t n,
                                 int32_t c0, int32_t nc, int32_t first) {
  const int32_t S = p->sh, H = p->h, W = p->w, SPH = p->sp_h, SPW = p->sp_w, QW = p->q_w;
  const ptrdiff_t hw = (ptrdiff_t)H * W;
  const uint8_t *xs[16];
  uint8_t xbuf[16][16];
  int16_t *T = cx->T;
  int32_t *Q = cx->Q;
  int32_t k, r, j;
  ptrdiff_t i, p0;
  for (k = 0; k < 16; k++) {
    const int32_t u = cx->tswap && k >= 4 && k < 12 ? k ^ 12 : k; /* 4-7 <-> 8-11 */
    const int32_t c = c0 + (u < nc ? u : nc - 1);
    xs[k] = (const uint8_t *)x + ((ptrdiff_t)n * p->c + c) * hw;
  }
  /* 1. T interior (input pixels in 16-pixel steps; the last step overlaps the one before it) */
  if (hw < 16) {
    for (k = 0; k < 16; k++) {
      for (i = 0; i < 16; i++) xbuf[k][i] = i < hw ? xs[k][i] : 0;
      xs[k] = xbuf[k];
    }
  }
  for (p0 = 0; p0 < hw; p0 += 16) {
    __m256i d[16];
    int32_t yy, ix, kend = hw - p0 < 16 ? (int32_t)(hw - p0) : 16;
    if (p0 + 16 > hw && hw >= 16) {
      p0 = hw - 16;
      kend = 16;
    }
    qcc_qdw_load16_(xs, p0, cx->flip, cx->zpu, d);
    yy = (int32_t)(p0 / W) + p->ph;
    ix = (int32_t)(p0 % W);
    /* the chunk's pixels by row segments (contiguous in T), clipped to T's rows and columns */
    for (k = 0; k < kend && yy < SPH; yy++, ix = 0) {
      const int32_t seg = W - ix < kend - k ? W - ix : kend - k;
      const int32_t keep = SPW - p->pw - ix < seg ? SPW - p->pw - ix : seg;
      int16_t *t = T + ((ptrdiff_t)yy * SPW + p->pw + ix) * 16;
      for (j = 0; j < keep; j++) _mm256_storeu_si256((__m256i *)(void *)(t + 16 * j), d[k + j]);
      k += seg;
    }
  }
  /* 2. Q (rows of T's zero padding give zero rows: computed for the first block only) */
  for (r = first ? 0 : cx->r_in0; r < (first ? SPH : cx->r_in1); r++) {
    const int16_t *tr = T + (ptrdiff_t)r * SPW * 16;
    int32_t *qr = Q + (ptrdiff_t)r * QW * 16;
    for (j = 0; j < QW; j++) {
      const int16_t *t0 = tr + (ptrdiff_t)j * S * 16;
      const __m256i a = _mm256_loadu_si256((const __m256i *)(const void *)t0);
      const __m256i c = _mm256_loadu_si256((const __m256i *)(const void *)(t0 + 16));
      _mm256_storeu_si256((__m256i *)(void *)(qr + 16 * j), _mm256_unpacklo_epi16(a, c));
      _mm256_storeu_si256((__m256i *)(void *)(qr + 16 * j + 8), _mm256_unpackhi_epi16(a, c));
    }
  }
}

/* 4. O -> NCHW, channels [c0, c0 + nc) of image n (16-pixel steps, the last one overlapping; planes under 16
 * pixels through a buffer) */
QCC_KERNEL_INLINE void qcc_qdw_store_(const qcc_qpconv_params *p, const uint8_t *O, void *y, int32_t n, int32_t c0,
                                  int32_t nc) {
  const ptrdiff_t plane = qcc_qp_out_plane_(p);
  uint8_t *ys[16];
  uint8_t ybuf[16][16];
  int32_t k;
  ptrdiff_t i, p0;
  for (k = 0; k < 16; k++) ys[k] = (uint8_t *)y + ((ptrdiff_t)n * p->c + c0 + (k < nc ? k : nc - 1)) * plane;
  if (plane < 16) {
    uint8_t *yb[16];
    for (k = 0; k < 16; k++) yb[k] = ybuf[k];
    qcc_qdw_store16_(O, yb, nc);
    for (k = 0; k < nc; k++) {
      for (i = 0; i < plane; i++) ys[k][i] = ybuf[k][i];
    }
  } else {
    for (p0 = 0; p0 < plane; p0 += 16) {
      uint8_t *yp[16];
      if (p0 + 16 > plane) p0 = plane - 16;
      for (k = 0; k < 16; k++) yp[k] = ys[k] + p0;
      qcc_qdw_store16_(O + p0 * 16, yp, nc);
    }
  }
}

QCC_KERNEL_INLINE void qcc_qdwconv_s16_avx2(const qcc_qpconv_params *p, const void *x, const int16_t *wp,
                                        const int32_t *bias, const float *scale, void *y, uint8_t *scratch) {
  const int32_t K = p->kh, S = p->sh, KP = (p->kh + 1) / 2, nblk = (p->c + 15) / 16;
  const qcc_qdw_ctx_ cx = qcc_qdw_setup_(p, scratch, 0);
  const qcc_rq_avx2 rq = qcc_rq_init_avx2(p->yzp, p->y_signed ? -128 : 0, p->y_signed ? 127 : 255);
  int32_t n, b;
  for (n = 0; n < p->n; n++) {
    for (b = 0; b < nblk; b++) {
      const int32_t c0 = b * 16, nc = p->c - c0 < 16 ? p->c - c0 : 16;
      const int16_t *wb = wp + (ptrdiff_t)b * K * KP * 32;
      const __m256i b_lo = _mm256_loadu_si256((const __m256i *)(const void *)(bias + 16 * b));
      const __m256i b_hi = _mm256_loadu_si256((const __m256i *)(const void *)(bias + 16 * b + 8));
      const __m256 s_lo = _mm256_loadu_ps(scale + 16 * b), s_hi = _mm256_loadu_ps(scale + 16 * b + 8);
      qcc_qdw_fill_(p, &cx, x, n, c0, nc, n == 0 && b == 0);
      /* 3. the block's outputs into O */
      if (K == 3 && S == 1) qcc_qdw_block_(p, 3, 1, cx.Q, wb, b_lo, b_hi, s_lo, s_hi, &rq, cx.O);
      else if (K == 3) qcc_qdw_block_(p, 3, 2, cx.Q, wb, b_lo, b_hi, s_lo, s_hi, &rq, cx.O);
      else if (S == 1) qcc_qdw_block_(p, 5, 1, cx.Q, wb, b_lo, b_hi, s_lo, s_hi, &rq, cx.O);
      else qcc_qdw_block_(p, 5, 2, cx.Q, wb, b_lo, b_hi, s_lo, s_hi, &rq, cx.O);
      qcc_qdw_store_(p, cx.O, y, n, c0, nc);
    }
  }
}

#endif /* QCC_QDWCONV_AVX2_H */
