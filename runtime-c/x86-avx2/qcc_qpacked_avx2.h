/*
 * qcc_qpacked_avx2.h: AVX2 quantized conv / matmul kernels on compile-time packed weights. Twins (same
 * parameters, same layouts, scalar loops) are in qcc_qpacked.h; see there for the layouts and the exactness
 * contract of the two kernel families:
 *   u8s8: vpmaddubsw (u8 x s8 pairs -> s16, saturating) + vpmaddwd by 1 (-> s32) + vpaddd. The packer chooses it
 *         only when no adjacent weight pair can saturate for any u8 input, so every step is exact.
 *   s16:  vpmaddwd on (x - x_zp) x w' (both |.| <= 255, pair sums < 2^17): exact for every input and weight.
 * Accumulators are vpaddd (wrapping mod 2^32, as the interpreter's int32). Requantization: qcc_requant_avx2.h.
 */
#ifndef QCC_QPACKED_AVX2_H
#define QCC_QPACKED_AVX2_H

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "qcc_cpu_avx2.h"
#include "qcc_qpacked.h"
#include "qcc_requant_avx2.h"

static inline __m256i qcc_bcast32_avx2_(const void *p) {
  int32_t v;
  memcpy(&v, p, 4);
  return _mm256_set1_epi32(v);
}

static inline __m256i qcc_ld256_avx2_(const void *p) { return _mm256_loadu_si256((const __m256i *)p); }

/* One step of the dot4 family: acc += sum of 4 u8 x s8 products per 32-bit lane. */
#define QCC_DOT4_(acc, a, b) acc = _mm256_add_epi32(acc, _mm256_madd_epi16(_mm256_maddubs_epi16(a, b), ones))
/* One step of the pair family: acc += sum of 2 s16 x s16 products per 32-bit lane. */
#define QCC_DOT2_(acc, a, b) acc = _mm256_add_epi32(acc, _mm256_madd_epi16(a, b))

/*
 * Vectorised im2col for dilation 1 and column stride 1 or 2 (any kernel, row stride, padding), used by the
 * conv GEMMs instead of the scalar qcc_qp_im2col_* of the twins; it writes the same panel bytes for every
 * pixel < np (pixels np..16k-1 of the last panel hold whatever the reads past the block gave: their outputs are
 * never stored). Two steps:
 *   1. per image and group, once: the zero-point padded input as "tap planes" Q: for channel ci, tap column kx
 *      and row phase ry (< min(sh, kh)), Q[ci][kx][ry] is QR = oh + (kh - 1) / sh rows of ow elements with
 *      Q[ci][kx][ry][i][ow] = padded input (row i * sh + ry, column ow * sw + kx). So the inputs of tap
 *      (ci, ky, kx) for the output pixels p = oh * ow_count + ow are one contiguous run over p, at
 *      Q[ci][kx][ky % sh] + (ky / sh) * ow_count + p, even across output rows (short rows cost nothing extra).
 *      u8 family: bytes x ^ flip, padding x_zp_u; s16 family: (x ^ flip) - x_zp_u, padding 0. Built as flat
 *      shifted copies of the channel when sw = sh = 1 and ow = w, else row by row from the channel's padded rows.
 *      Q holds each input element about kw / sw times (3x for 3x3 stride 1): the price of contiguous runs.
 *   2. per pixel block and k-group: the KG runs loaded 32 (u8) or 16 (s16) pixels at a time and interleaved
 *      into the panel layout [16 px][KG] in registers (no intermediate copy). Taps past kdim read a row of pad
 *      values.
 * Scratch after the panel block (sizes: backends/x86-avx2/pack.ts convGemmScratch, which must agree):
 *   Q (cpg x kw x min(sh, kh) x QR x ow elements + 64 bytes slack: the reads of a block's last panels run up to
 *   16 elements past a plane) | pad row (nb elements + 64 bytes) | tap offsets (kpad int32) | the padded plane P
 *   of one channel (p_rows x pw_cols bytes + 64).
 */
static inline size_t qcc_qp_al32_(size_t b) { return (b + 31u) & ~(size_t)31u; }
static inline int32_t qcc_qp_pw_cols_(const qcc_qpconv_params *p) { return (p->ow - 1) * p->sw + p->kw; }
/* rows per tap plane, row phases */
static inline int32_t qcc_qp_qr_(const qcc_qpconv_params *p) { return p->oh + (p->kh - 1) / p->sh; }
static inline int32_t qcc_qp_nry_(const qcc_qpconv_params *p) { return p->sh < p->kh ? p->sh : p->kh; }
/* bytes of the tap planes Q (es: element size, 1 for the u8 family, 2 for s16) */
static inline size_t qcc_qp_q_bytes_(const qcc_qpconv_params *p, int32_t es) {
  return (size_t)p->cpg * p->kw * qcc_qp_nry_(p) * qcc_qp_qr_(p) * p->ow * es;
}
/*
 * The tap planes hold the group's input about kw / sw times; above this size (large planes with many channels,
 * e.g. 128 channels at 112x112) the conv takes the scalar im2col, whose scratch is one panel block, rather
 * than grow the arena by megabytes. backends/x86-avx2/pack.ts (TAP_PLANES_MAX) holds the same number.
 */
#define QCC_QP_TAP_PLANES_MAX ((size_t)4 << 20)
static inline int32_t qcc_qp_fast_im2col_(const qcc_qpconv_params *p, int32_t es) {
  return p->dh == 1 && p->dw == 1 && (p->sw == 1 || p->sw == 2) && qcc_qp_q_bytes_(p, es) <= QCC_QP_TAP_PLANES_MAX;
}
/* rows of the padded plane P: every input row a tap reads is i * sh + ry - ph with i < QR, ry < NRY */
static inline int32_t qcc_qp_p_rows_(const qcc_qpconv_params *p) { return (qcc_qp_qr_(p) - 1) * p->sh + qcc_qp_nry_(p); }

/* Buffers of the vectorised im2col inside the conv GEMM's scratch. */
typedef struct {
  uint8_t *q, *pad, *p;
  int32_t *toff;
} qcc_qp_bufs_;

static inline qcc_qp_bufs_ qcc_qp_bufs_avx2_(const qcc_qpconv_params *p, int32_t es, uint8_t *scratch) {
  qcc_qp_bufs_ b;
  const size_t qbytes = qcc_qp_q_bytes_(p, es);
  memset(&b, 0, sizeof b);
  if (!qcc_qp_fast_im2col_(p, es)) return b; /* the scalar im2col's scratch is the panel block only */
  b.q = scratch + qcc_qp_al32_((size_t)p->nb * p->kpad * es);
  b.pad = b.q + qcc_qp_al32_(qbytes + 64u);
  b.toff = (int32_t *)(void *)(b.pad + qcc_qp_al32_((size_t)p->nb * es + 64u));
  b.p = (uint8_t *)(void *)b.toff + qcc_qp_al32_((size_t)p->kpad * 4u);
  return b;
}

/* d[i] = x[i - pw] ^ flip for i - pw in [0, W), else pad; i in [0, n). */
static inline void qcc_qp_pad_row_avx2_(uint8_t *d, const uint8_t *xr, int32_t n, int32_t W, int32_t pw, uint8_t flip,
                                        uint8_t pad) {
  const __m256i f = _mm256_set1_epi8((char)flip);
  const int32_t a = pw < n ? pw : n, b = pw + W < n ? pw + W : n;
  int32_t i;
  for (i = 0; i < a; i++) d[i] = pad;
  /* vector part [a, bv), then scalar tails: explicit bounds keep GCC's loop analysis (-Werror) quiet */
  {
    const int32_t bv = a + ((b - a) & ~31);
    for (; i < bv; i += 32) _mm256_storeu_si256((__m256i *)(void *)(d + i), _mm256_xor_si256(qcc_ld256_avx2_(xr + i - pw), f));
    if (bv > a && bv < b) {
      /* the tail as one vector ending at b (the overlap is written twice with the same bytes) */
      _mm256_storeu_si256((__m256i *)(void *)(d + b - 32), _mm256_xor_si256(qcc_ld256_avx2_(xr + b - 32 - pw), f));
    } else if (bv < b && b - a >= 16) {
      const __m128i f16 = _mm256_castsi256_si128(f);
      _mm_storeu_si128((__m128i *)(void *)(d + a), _mm_xor_si128(_mm_loadu_si128((const __m128i *)(const void *)(xr + a - pw)), f16));
      _mm_storeu_si128((__m128i *)(void *)(d + b - 16), _mm_xor_si128(_mm_loadu_si128((const __m128i *)(const void *)(xr + b - 16 - pw)), f16));
    } else {
      for (i = bv; i < b; i++) d[i] = (uint8_t)(xr[i - pw] ^ flip);
    }
    for (i = b > a ? b : a; i < n; i++) d[i] = pad;
  }
}

/*
 * Column stride 2: e[j] = s[2j] and (o non-NULL) o[j] = s[2j + 1] for j < n, writing exactly e[0, n), o[0, n)
 * and reading exactly s[0, 2n) (overlapping last vectors). es = 1: bytes ^ flip; es = 2: s16 (byte ^ flip) - zpu.
 */
static inline void qcc_qp_deint_avx2_(uint8_t *e, uint8_t *o, const uint8_t *s, int32_t n, int32_t es, uint8_t flip,
                                      int32_t zpu) {
  const __m256i m = _mm256_set1_epi16(0xff), z = _mm256_set1_epi16((int16_t)zpu), fv = _mm256_set1_epi8((char)flip);
  int32_t j;
  if (n >= 16) {
    for (j = 0;; j += 16) {
      if (j > n - 16) j = n - 16; /* the last vector ends at n */
      {
        const __m256i v = _mm256_xor_si256(qcc_ld256_avx2_(s + 2 * j), fv);
        if (es == 1) {
          const __m256i pk = _mm256_permute4x64_epi64(_mm256_packus_epi16(_mm256_and_si256(v, m), _mm256_srli_epi16(v, 8)), 0xD8);
          _mm_storeu_si128((__m128i *)(void *)(e + j), _mm256_castsi256_si128(pk));
          if (o) _mm_storeu_si128((__m128i *)(void *)(o + j), _mm256_extracti128_si256(pk, 1));
        } else {
          _mm256_storeu_si256((__m256i *)(void *)(e + 2 * j), _mm256_sub_epi16(_mm256_and_si256(v, m), z));
          if (o) _mm256_storeu_si256((__m256i *)(void *)(o + 2 * j), _mm256_sub_epi16(_mm256_srli_epi16(v, 8), z));
        }
      }
      if (j == n - 16) break;
    }
  } else if (n >= 8) {
    const __m128i m8 = _mm256_castsi256_si128(m), z8 = _mm256_castsi256_si128(z);
    int32_t h;
    for (h = 0; h < 2; h++) {
      const int32_t jj = h ? n - 8 : 0;
      const __m128i v = _mm_xor_si128(_mm_loadu_si128((const __m128i *)(const void *)(s + 2 * jj)), _mm256_castsi256_si128(fv));
      if (es == 1) {
        const __m128i pk = _mm_packus_epi16(_mm_and_si128(v, m8), _mm_srli_epi16(v, 8));
        _mm_storel_epi64((__m128i *)(void *)(e + jj), pk);
        if (o) _mm_storel_epi64((__m128i *)(void *)(o + jj), _mm_unpackhi_epi64(pk, pk));
      } else {
        _mm_storeu_si128((__m128i *)(void *)(e + 2 * jj), _mm_sub_epi16(_mm_and_si128(v, m8), z8));
        if (o) _mm_storeu_si128((__m128i *)(void *)(o + 2 * jj), _mm_sub_epi16(_mm_srli_epi16(v, 8), z8));
      }
    }
  } else {
    for (j = 0; j < n; j++) {
      const uint8_t a = (uint8_t)(s[2 * j] ^ flip);
      if (es == 1) {
        e[j] = a;
        if (o) o[j] = (uint8_t)(s[2 * j + 1] ^ flip);
      } else {
        ((int16_t *)(void *)e)[j] = (int16_t)((int32_t)a - zpu);
        if (o) ((int16_t *)(void *)o)[j] = (int16_t)((int32_t)(uint8_t)(s[2 * j + 1] ^ flip) - zpu);
      }
    }
  }
}

/* s16 family, sw = 1: d[i] = (s[i] ^ flip) - zpu. */
static inline void qcc_qp_widen_s16_avx2_(int16_t *d, const uint8_t *s, ptrdiff_t n, uint8_t flip, int32_t zpu) {
  const __m256i z = _mm256_set1_epi16((int16_t)zpu);
  const __m128i f = _mm_set1_epi8((char)flip);
  ptrdiff_t i;
  const ptrdiff_t nv = n > 0 ? n & ~(ptrdiff_t)15 : 0;
  for (i = 0; i < nv; i += 16) {
    const __m256i v = _mm256_cvtepu8_epi16(_mm_xor_si128(_mm_loadu_si128((const __m128i *)(const void *)(s + i)), f));
    _mm256_storeu_si256((__m256i *)(void *)(d + i), _mm256_sub_epi16(v, z));
  }
  if (nv > 0 && nv < n) {
    /* the tail as one vector ending at n (the overlap is written twice with the same values) */
    const __m256i v = _mm256_cvtepu8_epi16(_mm_xor_si128(_mm_loadu_si128((const __m128i *)(const void *)(s + n - 16)), f));
    _mm256_storeu_si256((__m256i *)(void *)(d + n - 16), _mm256_sub_epi16(v, z));
    return;
  }
  for (i = nv; i < n; i++) d[i] = (int16_t)((int32_t)(uint8_t)(s[i] ^ flip) - zpu);
}

/* Fills n (>= 0) elements (es bytes) with the pad value (u8: v; s16: 0). */
static inline void qcc_qp_fill_avx2_(uint8_t *d, int32_t n, int32_t es, uint8_t v) {
  const __m256i f = _mm256_set1_epi8((char)(es == 1 ? v : 0));
  const ptrdiff_t bytes = n > 0 ? (ptrdiff_t)n * es : 0, nv = bytes & ~(ptrdiff_t)31;
  const uint8_t pv = es == 1 ? v : 0u;
  ptrdiff_t i;
  for (i = 0; i < nv; i += 32) _mm256_storeu_si256((__m256i *)(void *)(d + i), f);
  if (nv > 0 && nv < bytes) {
    _mm256_storeu_si256((__m256i *)(void *)(d + bytes - 32), f); /* the tail as one vector ending at bytes */
  } else if (nv == 0 && bytes >= 8) {
    const __m128i f16 = _mm256_castsi256_si128(f);
    if (bytes >= 16) {
      _mm_storeu_si128((__m128i *)(void *)d, f16);
      _mm_storeu_si128((__m128i *)(void *)(d + bytes - 16), f16);
    } else {
      _mm_storel_epi64((__m128i *)(void *)d, f16);
      _mm_storel_epi64((__m128i *)(void *)(d + bytes - 8), f16);
    }
  } else {
    for (i = nv; i < bytes; i++) d[i] = pv;
  }
}

/* d[i] = s[i] ^ flip for i < n (>= 0), writing exactly d[0, n). */
static inline void qcc_qp_xcopy_avx2_(uint8_t *d, const uint8_t *s, ptrdiff_t n, uint8_t flip) {
  const __m256i f = _mm256_set1_epi8((char)flip);
  ptrdiff_t i;
  if (n >= 32) {
    for (i = 0; i + 32 <= n; i += 32) _mm256_storeu_si256((__m256i *)(void *)(d + i), _mm256_xor_si256(qcc_ld256_avx2_(s + i), f));
    if (i < n) _mm256_storeu_si256((__m256i *)(void *)(d + n - 32), _mm256_xor_si256(qcc_ld256_avx2_(s + n - 32), f));
  } else if (n >= 16) {
    const __m128i f16 = _mm256_castsi256_si128(f);
    _mm_storeu_si128((__m128i *)(void *)d, _mm_xor_si128(_mm_loadu_si128((const __m128i *)(const void *)s), f16));
    _mm_storeu_si128((__m128i *)(void *)(d + n - 16), _mm_xor_si128(_mm_loadu_si128((const __m128i *)(const void *)(s + n - 16)), f16));
  } else {
    for (i = 0; i < n; i++) d[i] = (uint8_t)(s[i] ^ flip);
  }
}

/* n (> 0) pad elements at the start of each of rows rows (rowb bytes apart). */
static inline void qcc_qp_fill_cols_(uint8_t *r, int32_t rows, ptrdiff_t rowb, int32_t n, int32_t es, uint8_t v) {
  int32_t i, c;
  if (es == 1) {
    if (n == 1) for (i = 0; i < rows; i++, r += rowb) r[0] = v;
    else for (i = 0; i < rows; i++, r += rowb) for (c = 0; c < n; c++) r[c] = v;
  } else {
    if (n == 1) for (i = 0; i < rows; i++, r += rowb) ((int16_t *)(void *)r)[0] = 0;
    else for (i = 0; i < rows; i++, r += rowb) for (c = 0; c < n; c++) ((int16_t *)(void *)r)[c] = 0;
  }
}

/*
 * Step 1 when sw = sh = 1 and ow = w (the "same" padded stride-1 convs): the valid rows of Q[ci][kx] are the
 * channel's input shifted by kx - pw as one flat run (row i at input row i - ph), then the |kx - pw| columns at
 * a row end that are padding are overwritten, and the rows above and below are filled. No per-row copies.
 */
QCC_KERNEL_INLINE void qcc_qp_planes_flat_avx2_(const qcc_qpconv_params *p, const uint8_t *xg, int32_t es, uint8_t *q,
                                            uint8_t flip, int32_t zpu) {
  const int32_t W = p->w, H = p->h, KW = p->kw, QR = qcc_qp_qr_(p), PH = p->ph;
  const ptrdiff_t hw = (ptrdiff_t)H * W, qplane = (ptrdiff_t)QR * W;
  int32_t ci, kx;
  for (ci = 0; ci < p->cpg; ci++) {
    const uint8_t *xc = xg + (ptrdiff_t)ci * hw;
    for (kx = 0; kx < KW; kx++) {
      uint8_t *d = q + ((ptrdiff_t)ci * KW + kx) * qplane * es; /* element e = i * W + ow */
      const int32_t sh = kx - p->pw; /* element e of the valid rows reads xc[e - PH * W + sh] */
      const int32_t lpad = -sh < W ? (-sh > 0 ? -sh : 0) : W, rfrom = W - sh < 0 ? 0 : W - sh < W ? W - sh : W;
      const ptrdiff_t e0 = (ptrdiff_t)PH * W + (sh < 0 ? -sh : 0), e1 = (ptrdiff_t)(PH + H) * W - (sh > 0 ? sh : 0);
      if (e1 > e0) {
        if (es == 1) qcc_qp_xcopy_avx2_(d + e0, xc + e0 - (ptrdiff_t)PH * W + sh, e1 - e0, flip);
        else qcc_qp_widen_s16_avx2_((int16_t *)(void *)(d + 2 * e0), xc + e0 - (ptrdiff_t)PH * W + sh, e1 - e0, flip, zpu);
      }
      qcc_qp_fill_avx2_(d, PH < QR ? PH * W : QR * W, es, (uint8_t)zpu);
      if (PH + H < QR) qcc_qp_fill_avx2_(d + (ptrdiff_t)(PH + H) * W * es, (QR - PH - H) * W, es, (uint8_t)zpu);
      {
        /* the padded columns of the valid rows (1 each side for 3x3 pad 1): one tight loop per side */
        const int32_t nrows = (PH + H < QR ? PH + H : QR) - PH;
        const ptrdiff_t rowb = (ptrdiff_t)W * es;
        if (lpad > 0) qcc_qp_fill_cols_(d + (ptrdiff_t)PH * rowb, nrows, rowb, lpad, es, (uint8_t)zpu);
        if (rfrom < W) qcc_qp_fill_cols_(d + (ptrdiff_t)PH * rowb + (ptrdiff_t)rfrom * es, nrows, rowb, W - rfrom, es, (uint8_t)zpu);
      }
    }
  }
}

/*
 * Step 1 for one image and group: es = element size (1: u8 family, 2: s16 family). Also fills the pad row and
 * the tap offsets. Per channel, the padded input rows go into the plane P first (u8, x ^ flip, padding x_zp_u)
 * and the Q rows are built from P afterwards: a Q row read from a row buffer written just before stalls on
 * store-to-load forwarding (the loads straddle the buffer's stores), which made this step cost more than the
 * panels on small planes.
 */
QCC_KERNEL_INLINE void qcc_qp_planes_avx2_(const qcc_qpconv_params *p, const uint8_t *xg, int32_t es, const qcc_qp_bufs_ *b) {
  const int32_t S = p->sw, SH = p->sh, KW = p->kw, OW = p->ow, QR = qcc_qp_qr_(p), NRY = qcc_qp_nry_(p);
  const int32_t PWC = qcc_qp_pw_cols_(p), PR = qcc_qp_p_rows_(p);
  const uint8_t flip = p->x_signed ? 0x80u : 0u;
  const int32_t zpu = p->x_signed ? p->xzp + 128 : p->xzp; /* a byte: padding is x_zp_u, so (pad - zpu) = 0 */
  const ptrdiff_t hw = (ptrdiff_t)p->h * p->w, qrow = (ptrdiff_t)OW * es, qplane = (ptrdiff_t)QR * qrow;
  const ptrdiff_t qbytes = (ptrdiff_t)p->cpg * KW * NRY * qplane, kxstep = (ptrdiff_t)NRY * qplane;
  int32_t ci, ry, i, kx, k, r;
  {
    /* tap offsets: k = (ci, ky, kx) in the ONNX weight order; channel 0's taps (ky = t * sh + ry, counters, no
     * divisions), then every other channel's are those plus ci planes (a loop the compiler vectorises) */
    const int32_t KHW = p->kh * KW, cst = (int32_t)((ptrdiff_t)KW * NRY * qplane);
    int32_t t = 0, ky;
    ry = 0;
    for (ky = 0, k = 0; ky < p->kh; ky++) {
      for (kx = 0; kx < KW; kx++, k++) b->toff[k] = (int32_t)(((ptrdiff_t)kx * NRY + ry) * qplane + (ptrdiff_t)t * qrow);
      if (++ry == SH) {
        ry = 0;
        t++;
      }
    }
    for (ci = 1; ci < p->cpg; ci++) {
      int32_t *tc = b->toff + (ptrdiff_t)ci * KHW;
      const int32_t add = ci * cst;
      for (k = 0; k < KHW; k++) tc[k] = b->toff[k] + add;
    }
    k = p->kdim;
    for (; k < p->kpad; k++) b->toff[k] = 0;
    qcc_qp_fill_avx2_(b->pad, p->nb, es, (uint8_t)zpu);
    qcc_qp_fill_avx2_(b->q + qbytes, 64 / es, es, 0u); /* the slack the last panels read (outputs never stored) */
  }
  if (KW == 1 && S == 1 && SH == 1 && p->ph == 0 && p->pw == 0 && p->oh == p->h && OW == p->w) {
    /* 1x1, stride 1, no padding: Q is the group's input, converted in one run */
    const ptrdiff_t n = (ptrdiff_t)p->cpg * hw;
    if (es == 2) {
      qcc_qp_widen_s16_avx2_((int16_t *)(void *)b->q, xg, n, flip, zpu);
    } else {
      const __m256i fv = _mm256_set1_epi8((char)flip);
      ptrdiff_t j;
      const ptrdiff_t nv = n & ~(ptrdiff_t)31;
      for (j = 0; j < nv; j += 32) _mm256_storeu_si256((__m256i *)(void *)(b->q + j), _mm256_xor_si256(qcc_ld256_avx2_(xg + j), fv));
      for (j = nv; j < n; j++) b->q[j] = (uint8_t)(xg[j] ^ flip);
    }
    return;
  }
  if (S == 1 && SH == 1 && OW == p->w) {
    qcc_qp_planes_flat_avx2_(p, xg, es, b->q, flip, zpu);
    return;
  }
  /* no column padding read (pw = 0, pw_cols <= w): the rows are read straight from the input (flipped on the way) */
  const int32_t direct = p->pw == 0 && PWC <= p->w;
  const uint8_t rflip = direct ? flip : 0u;
  for (ci = 0; ci < p->cpg; ci++) {
    const uint8_t *xc = xg + (ptrdiff_t)ci * hw;
    /* P: the input rows any tap reads (row r = i * sh + ry), padded */
    for (r = 0, ry = 0; r < PR && !direct; r++, ry = ry + 1 == SH ? 0 : ry + 1) {
      const int32_t ih = r - p->ph;
      if (ry >= NRY || ih < 0 || ih >= p->h) continue;
      qcc_qp_pad_row_avx2_(b->p + (ptrdiff_t)r * PWC, xc + (ptrdiff_t)ih * p->w, PWC, p->w, p->pw, flip, (uint8_t)zpu);
    }
    for (ry = 0; ry < NRY; ry++) {
      uint8_t *q0 = b->q + ((ptrdiff_t)ci * KW * NRY + ry) * qplane; /* kx = 0; kx + 1 is NRY planes on */
      for (i = 0; i < QR; i++) {
        const int32_t rr = i * SH + ry, ih = rr - p->ph;
        const uint8_t *pr = direct ? xc + (ptrdiff_t)ih * p->w : b->p + (ptrdiff_t)rr * PWC;
        uint8_t *d = q0 + (ptrdiff_t)i * qrow;
        if (ih < 0 || ih >= p->h) {
          for (kx = 0; kx < KW; kx++) qcc_qp_fill_avx2_(d + (ptrdiff_t)kx * kxstep, OW, es, (uint8_t)zpu);
        } else if (S == 1) {
          for (kx = 0; kx < KW; kx++) {
            if (es == 1) qcc_qp_xcopy_avx2_(d + (ptrdiff_t)kx * kxstep, pr + kx, OW, rflip);
            else qcc_qp_widen_s16_avx2_((int16_t *)(void *)(d + (ptrdiff_t)kx * kxstep), pr + kx, OW, rflip, zpu);
          }
        } else {
          /* columns 2 ow + kx and 2 ow + kx + 1 from one pass */
          for (kx = 0; kx < KW; kx += 2) {
            uint8_t *o = kx + 1 < KW ? d + (ptrdiff_t)(kx + 1) * kxstep : NULL;
            qcc_qp_deint_avx2_(d + (ptrdiff_t)kx * kxstep, o, pr + kx, OW, es, rflip, zpu);
          }
        }
      }
    }
  }
}

/* Step 2 for pixels [p0, p0 + np) into the panel block blk. */
QCC_KERNEL_INLINE void qcc_qp_gather_avx2_(const qcc_qpconv_params *p, int32_t es, const qcc_qp_bufs_ *b, int32_t p0,
                                       int32_t np, uint8_t *blk) {
  const int32_t kpad = p->kpad, kdim = p->kdim, npan = (np + 15) >> 4;
  const int32_t *const kperm = p->kperm;
  const ptrdiff_t pst = (ptrdiff_t)kpad * 16 * es; /* bytes per panel */
  const uint8_t *base = b->q + (ptrdiff_t)p0 * es;
  int32_t k, q;
  /* packed position kk reads tap kperm[kk] (qcc_qpacked.h), or kk itself without a permutation */
#define QCC_QP_TAPN_(kn) ((kn) >= 0 && (kn) < kdim ? base + b->toff[kn] : b->pad)
#define QCC_QP_TAP_(kk) (kperm ? QCC_QP_TAPN_(kperm[kk]) : QCC_QP_TAPN_(kk))
  if (es == 1) {
    for (k = 0; k < kpad; k += 4) {
      const uint8_t *s0 = QCC_QP_TAP_(k), *s1 = QCC_QP_TAP_(k + 1), *s2 = QCC_QP_TAP_(k + 2), *s3 = QCC_QP_TAP_(k + 3);
      uint8_t *o = blk + (ptrdiff_t)k * 16;
      for (q = 0; q + 2 <= npan; q += 2, o += 2 * pst, s0 += 32, s1 += 32, s2 += 32, s3 += 32) {
        const __m256i a0 = qcc_ld256_avx2_(s0), a1 = qcc_ld256_avx2_(s1), a2 = qcc_ld256_avx2_(s2), a3 = qcc_ld256_avx2_(s3);
        const __m256i l01 = _mm256_unpacklo_epi8(a0, a1), h01 = _mm256_unpackhi_epi8(a0, a1);
        const __m256i l23 = _mm256_unpacklo_epi8(a2, a3), h23 = _mm256_unpackhi_epi8(a2, a3);
        /* per 128-bit lane (pixels 0-15 | 16-31): u0 = px 0-3, u1 = 4-7, u2 = 8-11, u3 = 12-15 */
        const __m256i u0 = _mm256_unpacklo_epi16(l01, l23), u1 = _mm256_unpackhi_epi16(l01, l23);
        const __m256i u2 = _mm256_unpacklo_epi16(h01, h23), u3 = _mm256_unpackhi_epi16(h01, h23);
        _mm256_storeu_si256((__m256i *)(void *)o, _mm256_permute2x128_si256(u0, u1, 0x20));
        _mm256_storeu_si256((__m256i *)(void *)(o + 32), _mm256_permute2x128_si256(u2, u3, 0x20));
        _mm256_storeu_si256((__m256i *)(void *)(o + pst), _mm256_permute2x128_si256(u0, u1, 0x31));
        _mm256_storeu_si256((__m256i *)(void *)(o + pst + 32), _mm256_permute2x128_si256(u2, u3, 0x31));
      }
      if (q < npan) {
        const __m128i a0 = _mm_loadu_si128((const __m128i *)(const void *)s0);
        const __m128i a1 = _mm_loadu_si128((const __m128i *)(const void *)s1);
        const __m128i a2 = _mm_loadu_si128((const __m128i *)(const void *)s2);
        const __m128i a3 = _mm_loadu_si128((const __m128i *)(const void *)s3);
        const __m128i l01 = _mm_unpacklo_epi8(a0, a1), h01 = _mm_unpackhi_epi8(a0, a1);
        const __m128i l23 = _mm_unpacklo_epi8(a2, a3), h23 = _mm_unpackhi_epi8(a2, a3);
        _mm_storeu_si128((__m128i *)(void *)o, _mm_unpacklo_epi16(l01, l23));
        _mm_storeu_si128((__m128i *)(void *)(o + 16), _mm_unpackhi_epi16(l01, l23));
        _mm_storeu_si128((__m128i *)(void *)(o + 32), _mm_unpacklo_epi16(h01, h23));
        _mm_storeu_si128((__m128i *)(void *)(o + 48), _mm_unpackhi_epi16(h01, h23));
      }
    }
  } else {
    for (k = 0; k < kpad; k += 2) {
      const uint8_t *s0 = QCC_QP_TAP_(k), *s1 = QCC_QP_TAP_(k + 1);
      uint8_t *o = blk + (ptrdiff_t)k * 32;
      for (q = 0; q < npan; q++, o += pst, s0 += 32, s1 += 32) {
        const __m256i a0 = qcc_ld256_avx2_(s0), a1 = qcc_ld256_avx2_(s1);
        const __m256i lo = _mm256_unpacklo_epi16(a0, a1), hi = _mm256_unpackhi_epi16(a0, a1);
        _mm256_storeu_si256((__m256i *)(void *)o, _mm256_permute2x128_si256(lo, hi, 0x20));
        _mm256_storeu_si256((__m256i *)(void *)(o + 32), _mm256_permute2x128_si256(lo, hi, 0x31));
      }
    }
  }
#undef QCC_QP_TAP_
#undef QCC_QP_TAPN_
}


/*
 * The conv GEMM driver: per image and group, im2col blocks of nb pixels (vectorised when qcc_qp_fast_im2col_),
 * then per block mb of MR output rows ROWS_STEP computes and stores those rows for all the block's pixels
 * (locals in scope: blk = the block's panels, np = valid pixels, row0 = the first packed row, nrows = valid
 * rows, yr = the output of row 0 at the block's first pixel, plane = the row stride of y, nkg, es, wp, bias,
 * scale, rq, p).
 */
#define QCC_QPCONV_GEMM_DRIVER_(NAME, T, WT, KG, IM2COL, ROWS_STEP)                                             \
  QCC_QPCONV_GEMM_DRIVER_X_(NAME, T, WT, KG, IM2COL, ROWS_STEP, )
/* The same with extra parameters after scale (EXTRA: ", type name" or empty). */
#define QCC_QPCONV_GEMM_DRIVER_X_(NAME, T, WT, KG, IM2COL, ROWS_STEP, EXTRA)                                    \
  QCC_KERNEL_INLINE void NAME(const qcc_qpconv_params *p, const void *x, const WT *wp, const int32_t *bias,         \
                          const float *scale EXTRA, void *y, uint8_t *scratch) {                               \
    const ptrdiff_t plane = qcc_qp_out_plane_(p), hw = (ptrdiff_t)p->h * p->w;                                 \
    const int32_t nkg = p->kpad / KG, es = (int32_t)sizeof(T), fast = qcc_qp_fast_im2col_(p, es);                  \
    const qcc_qp_bufs_ bufs = qcc_qp_bufs_avx2_(p, es, scratch);                                               \
    const qcc_rq_avx2 rq = qcc_rq_init_avx2(p->yzp, p->y_signed ? -128 : 0, p->y_signed ? 127 : 255);          \
    T *blk = (T *)(void *)scratch;                                                                             \
    int32_t n, g, p0, mb;                                                                                      \
    for (n = 0; n < p->n; n++) {                                                                               \
      for (g = 0; g < p->group; g++) {                                                                         \
        const uint8_t *xg = (const uint8_t *)x + (n * qcc_qp_in_img_(p) + (ptrdiff_t)g * p->cpg * hw);          \
        if (fast) {                                                                                            \
          qcc_qp_planes_avx2_(p, xg, es, &bufs);                                                               \
        }                                                                                                      \
        for (p0 = 0; p0 < plane; p0 += p->nb) {                                                                \
          const int32_t np = (int32_t)(plane - p0 < p->nb ? plane - p0 : p->nb);                               \
          if (fast) qcc_qp_gather_avx2_(p, es, &bufs, (int32_t)p0, np, scratch);                              \
          else IM2COL;                                                                                         \
          for (mb = 0; mb < p->mblocks; mb++) {                                                                \
            const int32_t row0 = (g * p->mblocks + mb) * QCC_QP_MR;                                            \
            const int32_t ml = mb * QCC_QP_MR, nrows = p->mpg - ml < QCC_QP_MR ? p->mpg - ml : QCC_QP_MR;      \
            uint8_t *yr = (uint8_t *)y + (((ptrdiff_t)n * p->m + g * p->mpg + ml) * plane + p0);               \
            ROWS_STEP;                                                                                         \
          }                                                                                                    \
        }                                                                                                      \
      }                                                                                                        \
    }                                                                                                          \
  }

/*
 * x86-avx2's own conv tile: 4 output rows x 16 pixels, requantized and stored in the tile (no accumulator array).
 * A function that is not inlined (GNU attribute, as the cpu check's builtins): inlined into the driver, GCC 12
 * keeps the driver's invariants (requant constants, im2col masks) in registers across the k loop and then
 * spills and copies the accumulators every k-group (47 instead of 33 instructions per k-group for u8s8, 32
 * instead of 24 for s16). Accumulators start at the rows' bias (packed per MR rows, so bias[0..3] exist); the k
 * loop (QCC_QP_KLOOP_*) does two k-groups per iteration.
 */
#if defined(__GNUC__)
#define QCC_QP_NOINLINE_ __attribute__((noinline))
/* An empty asm that "changes" the 8 accumulators: no instruction, but GCC can no longer reassociate the two
 * k-groups' products into one sum before the accumulator add (that needs more registers and spills). */
#define QCC_QP_KEEP8_(a, b, c, d, e, f, g, h) __asm__("" : "+x"(a), "+x"(b), "+x"(c), "+x"(d), "+x"(e), "+x"(f), "+x"(g), "+x"(h))
#else
#define QCC_QP_NOINLINE_
#define QCC_QP_KEEP8_(a, b, c, d, e, f, g, h) ((void)0)
#endif
/*
 * The tile's k loop over pairs of k-groups (nkg & ~1 of them; panel and w are left at the first k-group not
 * done). With GNU C on x86-64 it is inline assembly: the accumulators, panel vectors and temporaries are
 * register operands, so the loop is the same 31 instructions per k-group (u8s8; 23 for s16) whatever GCC's
 * register allocator makes of the surrounding code (as C it varied with the translation unit: the same tile
 * source compiled to a loop with accumulator spills in a model with more kernel instances). Otherwise the C
 * steps, two k-groups per iteration.
 */
#if defined(__GNUC__) && defined(__x86_64__)
/* row r of k-group g: broadcast the row's 4 weight bytes, then one step per 16-pixel half (a0, a1) */
#define QCC_QPA_ROW4_(WOFF, CA, CB)                                                                             \
  "vpbroadcastd " WOFF "(%[we],%[i]), %[b]\n\t"                                                                \
  "vpmaddubsw %[b], %[a0], %[t0]\n\t"                                                                          \
  "vpmaddubsw %[b], %[a1], %[t1]\n\t"                                                                          \
  "vpmaddwd %[ones], %[t0], %[t0]\n\t"                                                                         \
  "vpmaddwd %[ones], %[t1], %[t1]\n\t"                                                                         \
  "vpaddd %[t0], %[" CA "], %[" CA "]\n\t"                                                                     \
  "vpaddd %[t1], %[" CB "], %[" CB "]\n\t"
#define QCC_QPA_ROW2_(WOFF, CA, CB)                                                                             \
  "vpbroadcastd " WOFF "(%[we],%[i]), %[b]\n\t"                                                                \
  "vpmaddwd %[b], %[a0], %[t0]\n\t"                                                                            \
  "vpmaddwd %[b], %[a1], %[t1]\n\t"                                                                            \
  "vpaddd %[t0], %[" CA "], %[" CA "]\n\t"                                                                     \
  "vpaddd %[t1], %[" CB "], %[" CB "]\n\t"
/* one k-group: panel bytes POFF.. (relative to pe + 4 i), weight bytes WO0.. (relative to we + i) */
#define QCC_QPA_KG_(ROW, POFF, WO0, WO1, WO2, WO3)                                                              \
  "vmovdqu " POFF "(%[pe],%[i],4), %[a0]\n\t"                                                                  \
  "vmovdqu " POFF "+32(%[pe],%[i],4), %[a1]\n\t"                                                               \
  ROW(WO0, "c00", "c01") ROW(WO1, "c10", "c11") ROW(WO2, "c20", "c21") ROW(WO3, "c30", "c31")
/* i runs from -(32 * pairs) up to 0 in steps of 32 (the weight bytes of two k-groups; 128 panel bytes) */
#define QCC_QP_KLOOP_ASM_(ROW, panel, w, nkg)                                                                   \
  do {                                                                                                         \
    const ptrdiff_t n2_ = (ptrdiff_t)((nkg) >> 1);                                                             \
    if (n2_ > 0) {                                                                                             \
      const uint8_t *const pe_ = (const uint8_t *)(panel) + n2_ * 128;                                         \
      const uint8_t *const we_ = (const uint8_t *)(const void *)(w) + n2_ * 32;                                \
      ptrdiff_t i_ = -n2_ * 32;                                                                                \
      __m256i a0_, a1_, b_, t0_, t1_;                                                                          \
      __asm__("1:\n\t"                                                                                         \
              QCC_QPA_KG_(ROW, "0", "0", "4", "8", "12")                                                       \
              QCC_QPA_KG_(ROW, "64", "16", "20", "24", "28")                                                   \
              "addq $32, %[i]\n\t"                                                                             \
              "jnz 1b\n\t"                                                                                     \
              : [i] "+r"(i_), [c00] "+x"(c00), [c01] "+x"(c01), [c10] "+x"(c10), [c11] "+x"(c11),             \
                [c20] "+x"(c20), [c21] "+x"(c21), [c30] "+x"(c30), [c31] "+x"(c31), [a0] "=&x"(a0_),           \
                [a1] "=&x"(a1_), [b] "=&x"(b_), [t0] "=&x"(t0_), [t1] "=&x"(t1_)                               \
              : [pe] "r"(pe_), [we] "r"(we_), [ones] "x"(ones)                                                 \
              : "cc", "memory");                                                                               \
      (panel) = pe_;                                                                                           \
      (w) += n2_ * 32 / (ptrdiff_t)sizeof(*(w));                                                               \
    }                                                                                                          \
  } while (0)
#define QCC_QP_KLOOP_QCC_DOT4_(panel, w, nkg, WT) QCC_QP_KLOOP_ASM_(QCC_QPA_ROW4_, panel, w, nkg)
#define QCC_QP_KLOOP_QCC_DOT2_(panel, w, nkg, WT) QCC_QP_KLOOP_ASM_(QCC_QPA_ROW2_, panel, w, nkg)
#else
#define QCC_QP_KLOOP_C_(DOT, panel, w, nkg, WT)                                                                 \
  do {                                                                                                         \
    const uint8_t *pe_ = (panel) + (ptrdiff_t)((nkg) & ~1) * 64;                                               \
    for (; (panel) < pe_; (panel) += 128, (w) += 32 / sizeof(WT)) {                                            \
      QCC_QPCONV_KSTEP_(DOT, WT, panel, w);                                                                    \
      QCC_QPCONV_KSTEP_(DOT, WT, (panel) + 64, (w) + 16 / sizeof(WT));                                         \
    }                                                                                                          \
  } while (0)
#define QCC_QP_KLOOP_QCC_DOT4_(panel, w, nkg, WT) QCC_QP_KLOOP_C_(QCC_DOT4_, panel, w, nkg, WT)
#define QCC_QP_KLOOP_QCC_DOT2_(panel, w, nkg, WT) QCC_QP_KLOOP_C_(QCC_DOT2_, panel, w, nkg, WT)
#endif
#define QCC_QPCONV_KSTEP_(DOT, WT, PN, WN)                                                                      \
  do {                                                                                                         \
    const __m256i a0 = qcc_ld256_avx2_(PN), a1 = qcc_ld256_avx2_((PN) + 32);                                   \
    __m256i b = qcc_bcast32_avx2_(WN);                                                                         \
    DOT(c00, a0, b);                                                                                           \
    DOT(c01, a1, b);                                                                                           \
    b = qcc_bcast32_avx2_((WN) + 4 / sizeof(WT));                                                              \
    DOT(c10, a0, b);                                                                                           \
    DOT(c11, a1, b);                                                                                           \
    b = qcc_bcast32_avx2_((WN) + 8 / sizeof(WT));                                                              \
    DOT(c20, a0, b);                                                                                           \
    DOT(c21, a1, b);                                                                                           \
    b = qcc_bcast32_avx2_((WN) + 12 / sizeof(WT));                                                             \
    DOT(c30, a0, b);                                                                                           \
    DOT(c31, a1, b);                                                                                           \
  } while (0)
#define QCC_QP_RQ_ROW_(r, ca, cb)                                                                               \
  if ((r) < nrows) qcc_rq_store16_avx2(y + (r) * ystride, ca, cb, _mm256_set1_ps(scale[r]), rq, nq, y_signed);
#define QCC_QPCONV_TILE_RQ_DEF_(NAME, WT, DOT) QCC_QPCONV_TILE_RQ_DEF_X_(NAME, WT, DOT, , )
/* The same with extra parameters (EXTRA: ", type name" or empty) and statements run after the k loop, before
 * the requantization (AFTER: may read panel0, the panel's first k-group, and update the accumulators).
 * One call covers the np pixels of a block (its panels pstride bytes apart) for up to 4 rows: the call, the
 * setup and the weight pointers are paid once per block, not once per 16 pixels (small-k layers such as
 * MobileNetV2's 8 -> 48 1x1 spent more on those than on the k loop). */
#define QCC_QPCONV_TILE_RQ_DEF_X_(NAME, WT, DOT, EXTRA, AFTER)                                                  \
  static QCC_QP_NOINLINE_ void NAME(const uint8_t *panels, ptrdiff_t pstride, int32_t np, const WT *w0,        \
                                    int32_t nkg, const int32_t *bias, const float *scale, int32_t nrows,       \
                                    uint8_t *y, ptrdiff_t ystride, int32_t y_signed,                           \
                                    const qcc_rq_avx2 *rq EXTRA) {                                             \
    const __m256i ones = _mm256_set1_epi16(1);                                                                 \
    int32_t q0;                                                                                                \
    (void)ones;                                                                                                \
    for (q0 = 0; q0 < np; q0 += QCC_QP_NR, panels += pstride, y += QCC_QP_NR) {                                \
      const uint8_t *const panel0 = panels;                                                                    \
      const uint8_t *panel = panels;                                                                           \
      const WT *w = w0;                                                                                        \
      const int32_t nq = np - q0 < QCC_QP_NR ? np - q0 : QCC_QP_NR;                                           \
      __m256i c00 = _mm256_set1_epi32(bias[0]), c01 = c00, c10 = _mm256_set1_epi32(bias[1]), c11 = c10,        \
              c20 = _mm256_set1_epi32(bias[2]), c21 = c20, c30 = _mm256_set1_epi32(bias[3]), c31 = c30;        \
      QCC_QP_KLOOP_##DOT(panel, w, nkg, WT);                                                                   \
      if (nkg & 1) QCC_QPCONV_KSTEP_(DOT, WT, panel, w);                                                       \
      (void)panel0;                                                                                            \
      AFTER                                                                                                    \
      QCC_QP_RQ_ROW_(0, c00, c01)                                                                              \
      QCC_QP_RQ_ROW_(1, c10, c11)                                                                              \
      QCC_QP_RQ_ROW_(2, c20, c21)                                                                              \
      QCC_QP_RQ_ROW_(3, c30, c31)                                                                              \
    }                                                                                                          \
  }

QCC_QPCONV_TILE_RQ_DEF_(qcc_qpconv_tile_rq_u8s8_avx2_, int8_t, QCC_DOT4_)
QCC_QPCONV_TILE_RQ_DEF_(qcc_qpconv_tile_rq_s16_avx2_, int16_t, QCC_DOT2_)
#define QCC_QP_TILE_RQ_STEP_(TILE)                                                                              \
  TILE((const uint8_t *)blk, (ptrdiff_t)p->kpad * QCC_QP_NR * es, np, wp + (ptrdiff_t)row0 * p->kpad, nkg,       \
       bias + row0, scale + row0, nrows, yr, plane, p->y_signed, &rq)

QCC_QPCONV_GEMM_DRIVER_(qcc_qpconv_gemm_u8s8_avx2, uint8_t, int8_t, 4,
                        qcc_qp_im2col_u8(p, xg, p0, np, qcc_qp_flip_(p), qcc_qp_pad_u8_(p->x_signed, p->xzp), blk),
                        QCC_QP_TILE_RQ_STEP_(qcc_qpconv_tile_rq_u8s8_avx2_))
QCC_QPCONV_GEMM_DRIVER_(qcc_qpconv_gemm_s16_avx2, int16_t, int16_t, 2, qcc_qp_im2col_s16(p, xg, p0, np, blk),
                        QCC_QP_TILE_RQ_STEP_(qcc_qpconv_tile_rq_s16_avx2_))

/*
 * u8s8 with a sparse correction ("u8s8c", qcc_qpacked.h documents the contract): the packed weights a keep every
 * adjacent pair safe, the residual b = w' - a is applied after the k loop as per-row lists of (k-group, s8 quad)
 * entries with the same DOT4 step on the same panel (b's pairs are safe too, so every step is exact; the int32
 * sums wrap as the interpreter's). corr: [packed rows + 1] entry offsets (absolute indices into corr), then the
 * entries {panel byte offset = 64 * k-group, the 4 s8 weights as one little-endian int32}.
 */
#define QCC_QP_COMMA_ ,
#define QCC_QP_CORR_ROW_(r, ca, cb)                                                                             \
  {                                                                                                            \
    const int32_t *e_ = corr + coff[r], *const ee_ = corr + coff[(r) + 1];                                     \
    for (; e_ < ee_; e_ += 2) {                                                                                \
      const uint8_t *pp_ = panel0 + e_[0];                                                                     \
      const __m256i q_ = _mm256_set1_epi32(e_[1]);                                                             \
      QCC_DOT4_(ca, qcc_ld256_avx2_(pp_), q_);                                                                 \
      QCC_DOT4_(cb, qcc_ld256_avx2_(pp_ + 32), q_);                                                            \
    }                                                                                                          \
  }
QCC_QPCONV_TILE_RQ_DEF_X_(qcc_qpconv_tile_rq_u8s8c_avx2_, int8_t, QCC_DOT4_, QCC_QP_COMMA_ const int32_t *coff QCC_QP_COMMA_ const int32_t *corr,
                          if (coff[0] != coff[4]) {
                            QCC_QP_CORR_ROW_(0, c00, c01) QCC_QP_CORR_ROW_(1, c10, c11) QCC_QP_CORR_ROW_(2, c20, c21)
                            QCC_QP_CORR_ROW_(3, c30, c31)
                          })
#define QCC_QP_TILE_RQ_CORR_STEP_                                                                               \
  qcc_qpconv_tile_rq_u8s8c_avx2_((const uint8_t *)blk, (ptrdiff_t)p->kpad * QCC_QP_NR, np, wp + (ptrdiff_t)row0 * p->kpad, \
                                 nkg, bias + row0, scale + row0, nrows, yr, plane, p->y_signed, &rq, corr + row0, corr)
QCC_QPCONV_GEMM_DRIVER_X_(qcc_qpconv_gemm_u8s8c_avx2, uint8_t, int8_t, 4,
                          qcc_qp_im2col_u8(p, xg, p0, np, qcc_qp_flip_(p), qcc_qp_pad_u8_(p->x_signed, p->xzp), blk),
                          QCC_QP_TILE_RQ_CORR_STEP_, QCC_QP_COMMA_ const int32_t *corr)

/*
 * Depthwise KxK, K in {3, 5}, stride 1 or 2 (exact s16 pairs). Per channel, scratch holds the zero-padded
 * plane P of (x - x_zp) as s16 (sp_h rows of sp_w) and, for stride 1, the pair plane Q[r][j] = (P[r][j],
 * P[r][j+1]) (sp_h rows of q_w int32): 8 outputs and taps (kx, kx+1) are one vpmaddwd of Q at ow + kx by the
 * broadcast weight pair. For stride 2, P itself read as int32 at 2 * ow + kx is that pair vector. The sizes
 * (computed by the emitter) cover ceil(ow / 8) * 8 outputs, so the vector loads stay inside scratch.
 */
/*
 * P for one channel. The padding of P (rows outside [ph, ph + h), columns outside [pw, pw + w), slack) is the
 * same zero for every channel, so only the first channel (all = 1) writes it; later ones write the h x w
 * values only.
 */
QCC_KERNEL_INLINE void qcc_qpconv_dw_plane_avx2_(const qcc_qpconv_params *p, const uint8_t *xc, int16_t *P, int32_t all) {
  const int32_t H = p->h, W = p->w, SW = p->sp_w, top = p->ph;
  const __m256i zp = _mm256_set1_epi16((int16_t)p->xzp), z = _mm256_setzero_si256();
  int32_t r, i;
  if (all) {
    for (r = 0; r < p->sp_h; r++) {
      for (i = 0; i < SW; i += 16) _mm256_storeu_si256((__m256i *)(void *)(P + (ptrdiff_t)r * SW + i), z);
    }
  }
  for (r = top; r < p->sp_h && r - top < H; r++) {
    const uint8_t *xr = xc + (ptrdiff_t)(r - top) * W;
    int16_t *d = P + (ptrdiff_t)r * SW + p->pw;
    const int32_t wv = W & ~15;
    for (i = 0; i < wv; i += 16) {
      const __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(xr + i));
      const __m256i v = p->x_signed ? _mm256_cvtepi8_epi16(b) : _mm256_cvtepu8_epi16(b);
      _mm256_storeu_si256((__m256i *)(void *)(d + i), _mm256_sub_epi16(v, zp));
    }
    if (wv < W && W >= 16) {
      /* the tail as one vector ending at W (overlapping values are written twice, identically) */
      const __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(xr + W - 16));
      const __m256i v = p->x_signed ? _mm256_cvtepi8_epi16(b) : _mm256_cvtepu8_epi16(b);
      _mm256_storeu_si256((__m256i *)(void *)(d + W - 16), _mm256_sub_epi16(v, zp));
    } else {
      /* short rows (W < 16, e.g. 5-wide planes): fields hoisted and the sign test out of the loop, so it is a
       * tight loop (it was most of this kernel's time on small planes) */
      const int32_t end = W < SW - p->pw ? W : SW - p->pw, xz = p->xzp;
      if (p->x_signed) {
        for (i = wv; i < end; i++) d[i] = (int16_t)((int32_t)xr[i] - (int32_t)((xr[i] & 0x80u) << 1) - xz);
      } else {
        for (i = wv; i < end; i++) d[i] = (int16_t)((int32_t)xr[i] - xz);
      }
    }
  }
}

QCC_KERNEL_INLINE void qcc_qpconv_dw_s16_avx2(const qcc_qpconv_params *p, const void *x, const int16_t *wp,
                                          const int32_t *bias, const float *scale, void *y, uint8_t *scratch) {
  const int32_t K = p->kh, KP = p->kh + 1, S = p->sh, OW = p->ow;
  const ptrdiff_t hw = (ptrdiff_t)p->h * p->w, plane = qcc_qp_out_plane_(p);
  const qcc_rq_avx2 rq = qcc_rq_init_avx2(p->yzp, p->y_signed ? -128 : 0, p->y_signed ? 127 : 255);
  int16_t *P = (int16_t *)(void *)scratch;
  int32_t *Q = (int32_t *)(void *)(scratch + (((size_t)p->sp_h * p->sp_w * 2u + 31u) & ~(size_t)31u));
  int32_t n, c, r, j, oh, ow, ky;
  for (n = 0; n < p->n; n++) {
    for (c = 0; c < p->c; c++) {
      const uint8_t *xc = (const uint8_t *)x + ((ptrdiff_t)n * p->c + c) * hw;
      const int16_t *wc = wp + (ptrdiff_t)c * K * KP;
      uint8_t *yc = (uint8_t *)y + ((ptrdiff_t)n * p->c + c) * plane;
      const __m256 s = _mm256_set1_ps(scale[c]);
      const __m256i b0 = _mm256_set1_epi32(bias[c]);
      __m256i w[5][3];
      for (ky = 0; ky < K; ky++) {
        w[ky][0] = qcc_bcast32_avx2_(wc + ky * KP);
        w[ky][1] = qcc_bcast32_avx2_(wc + ky * KP + 2);
        w[ky][2] = K == 5 ? qcc_bcast32_avx2_(wc + ky * KP + 4) : _mm256_setzero_si256();
      }
      qcc_qpconv_dw_plane_avx2_(p, xc, P, n == 0 && c == 0);
      if (S == 1) {
        /* Q rows of P's zero rows stay zero after the first channel */
        const int32_t r0 = n == 0 && c == 0 ? 0 : p->ph, r1 = n == 0 && c == 0 ? p->sp_h : p->ph + p->h;
        for (r = r0; r < r1 && r < p->sp_h; r++) {
          const int16_t *pr = P + (ptrdiff_t)r * p->sp_w;
          int32_t *qr = Q + (ptrdiff_t)r * p->q_w;
          for (j = 0; j < p->q_w; j += 16) {
            const __m256i a = qcc_ld256_avx2_(pr + j), b = qcc_ld256_avx2_(pr + j + 1);
            const __m256i lo = _mm256_unpacklo_epi16(a, b), hi = _mm256_unpackhi_epi16(a, b);
            _mm256_storeu_si256((__m256i *)(void *)(qr + j), _mm256_permute2x128_si256(lo, hi, 0x20));
            _mm256_storeu_si256((__m256i *)(void *)(qr + j + 8), _mm256_permute2x128_si256(lo, hi, 0x31));
          }
        }
      }
      oh = 0;
      if (K == 3 && S == 1) {
        /* two output rows per pass: they share Q rows oh + 1 and oh + 2; weights stay in registers */
        const __m256i w00 = w[0][0], w01 = w[0][1], w10 = w[1][0], w11 = w[1][1], w20 = w[2][0], w21 = w[2][1];
        for (; oh + 2 <= p->oh; oh += 2) {
          const int32_t *q0 = Q + (ptrdiff_t)oh * p->q_w, *q1 = q0 + p->q_w, *q2 = q1 + p->q_w, *q3 = q2 + p->q_w;
          uint8_t *y0 = yc + (ptrdiff_t)oh * OW;
          for (ow = 0; ow < OW; ow += 8) {
            const __m256i a1 = qcc_ld256_avx2_(q1 + ow), a1b = qcc_ld256_avx2_(q1 + ow + 2);
            const __m256i a2 = qcc_ld256_avx2_(q2 + ow), a2b = qcc_ld256_avx2_(q2 + ow + 2);
            __m256i u = _mm256_add_epi32(b0, _mm256_madd_epi16(qcc_ld256_avx2_(q0 + ow), w00));
            __m256i u2 = _mm256_madd_epi16(qcc_ld256_avx2_(q0 + ow + 2), w01);
            __m256i v = _mm256_add_epi32(b0, _mm256_madd_epi16(a1, w00));
            __m256i v2 = _mm256_madd_epi16(a1b, w01);
            u = _mm256_add_epi32(u, _mm256_madd_epi16(a1, w10));
            u2 = _mm256_add_epi32(u2, _mm256_madd_epi16(a1b, w11));
            v = _mm256_add_epi32(v, _mm256_madd_epi16(a2, w10));
            v2 = _mm256_add_epi32(v2, _mm256_madd_epi16(a2b, w11));
            u = _mm256_add_epi32(u, _mm256_madd_epi16(a2, w20));
            u2 = _mm256_add_epi32(u2, _mm256_madd_epi16(a2b, w21));
            v = _mm256_add_epi32(v, _mm256_madd_epi16(qcc_ld256_avx2_(q3 + ow), w20));
            v2 = _mm256_add_epi32(v2, _mm256_madd_epi16(qcc_ld256_avx2_(q3 + ow + 2), w21));
            u = qcc_requant8_avx2(_mm256_add_epi32(u, u2), s, &rq);
            v = qcc_requant8_avx2(_mm256_add_epi32(v, v2), s, &rq);
            if (OW - ow >= 8) {
              /* both rows' 8 results in one pack: dwords [u0-3, u4-7, v0-3, v4-7] (values already in range) */
              const __m256i w16 = _mm256_packs_epi32(u, v);
              const __m256i b8 = p->y_signed ? _mm256_packs_epi16(w16, w16) : _mm256_packus_epi16(w16, w16);
              const __m128i o = _mm256_castsi256_si128(_mm256_permutevar8x32_epi32(b8, _mm256_setr_epi32(0, 4, 1, 5, 0, 4, 1, 5)));
              _mm_storel_epi64((__m128i *)(void *)(y0 + ow), o);
              _mm_storel_epi64((__m128i *)(void *)(y0 + OW + ow), _mm_unpackhi_epi64(o, o));
            } else {
              qcc_store8_q8_avx2(y0 + ow, u, OW - ow, p->y_signed);
              qcc_store8_q8_avx2(y0 + OW + ow, v, OW - ow, p->y_signed);
            }
          }
        }
      }
      for (; oh < p->oh; oh++) {
        for (ow = 0; ow < OW; ow += 8) {
          __m256i acc = b0, acc2 = _mm256_setzero_si256();
          for (ky = 0; ky < K; ky++) {
            if (S == 1) {
              const int32_t *qr = Q + (ptrdiff_t)(oh + ky) * p->q_w + ow;
              QCC_DOT2_(acc, qcc_ld256_avx2_(qr), w[ky][0]);
              QCC_DOT2_(acc2, qcc_ld256_avx2_(qr + 2), w[ky][1]);
              if (K == 5) QCC_DOT2_(acc, qcc_ld256_avx2_(qr + 4), w[ky][2]);
            } else {
              const int16_t *pr = P + (ptrdiff_t)(oh * S + ky) * p->sp_w + 2 * ow;
              QCC_DOT2_(acc, qcc_ld256_avx2_(pr), w[ky][0]);
              QCC_DOT2_(acc2, qcc_ld256_avx2_(pr + 2), w[ky][1]);
              if (K == 5) QCC_DOT2_(acc, qcc_ld256_avx2_(pr + 4), w[ky][2]);
            }
          }
          acc = _mm256_add_epi32(acc, acc2);
          qcc_store8_q8_avx2(yc + (ptrdiff_t)oh * OW + ow, qcc_requant8_avx2(acc, s, &rq), OW - ow, p->y_signed);
        }
      }
    }
  }
}

/*
 * Matmul tiles: MR rows (1 or 4) x 16 columns. a: rows of the converted A (stride kpad elements), b: the panel
 * (per k-group 64 bytes), acc initialised with the columns' bias.
 */
#define QCC_QPMM_TILE4_DEF_(NAME, T, WT, KG, DOT)                                                               \
  static inline void NAME(const T *a, int32_t kpad, const WT *b, int32_t nkg, __m256i bias0, __m256i bias1,     \
                          __m256i out[8]) {                                                                    \
    const __m256i ones = _mm256_set1_epi16(1);                                                                 \
    __m256i c00 = bias0, c01 = bias1, c10 = bias0, c11 = bias1, c20 = bias0, c21 = bias1, c30 = bias0,         \
            c31 = bias1;                                                                                       \
    const T *a1 = a + kpad, *a2 = a + 2 * (ptrdiff_t)kpad, *a3 = a + 3 * (ptrdiff_t)kpad;                      \
    int32_t kk;                                                                                                \
    (void)ones;                                                                                                \
    for (kk = 0; kk < nkg; kk++) {                                                                             \
      const __m256i b0 = qcc_ld256_avx2_(b), b1 = qcc_ld256_avx2_((const uint8_t *)b + 32);                    \
      __m256i x = qcc_bcast32_avx2_(a + kk * KG);                                                              \
      DOT(c00, x, b0);                                                                                         \
      DOT(c01, x, b1);                                                                                         \
      x = qcc_bcast32_avx2_(a1 + kk * KG);                                                                     \
      DOT(c10, x, b0);                                                                                         \
      DOT(c11, x, b1);                                                                                         \
      x = qcc_bcast32_avx2_(a2 + kk * KG);                                                                     \
      DOT(c20, x, b0);                                                                                         \
      DOT(c21, x, b1);                                                                                         \
      x = qcc_bcast32_avx2_(a3 + kk * KG);                                                                     \
      DOT(c30, x, b0);                                                                                         \
      DOT(c31, x, b1);                                                                                         \
      b += 64 / sizeof(WT);                                                                                    \
    }                                                                                                          \
    out[0] = c00; out[1] = c01; out[2] = c10; out[3] = c11;                                                    \
    out[4] = c20; out[5] = c21; out[6] = c30; out[7] = c31;                                                    \
  }

#define QCC_QPMM_TILE1_DEF_(NAME, T, WT, KG, DOT)                                                               \
  static inline void NAME(const T *a, const WT *b, int32_t nkg, __m256i bias0, __m256i bias1, __m256i out[2]) { \
    const __m256i ones = _mm256_set1_epi16(1);                                                                 \
    __m256i c00 = bias0, c01 = bias1, d00 = _mm256_setzero_si256(), d01 = d00;                                 \
    int32_t kk = 0;                                                                                            \
    (void)ones;                                                                                                \
    for (; kk + 2 <= nkg; kk += 2) {                                                                           \
      const __m256i x = qcc_bcast32_avx2_(a + kk * KG), x2 = qcc_bcast32_avx2_(a + (kk + 1) * KG);             \
      DOT(c00, x, qcc_ld256_avx2_(b));                                                                         \
      DOT(c01, x, qcc_ld256_avx2_((const uint8_t *)b + 32));                                                   \
      DOT(d00, x2, qcc_ld256_avx2_((const uint8_t *)b + 64));                                                  \
      DOT(d01, x2, qcc_ld256_avx2_((const uint8_t *)b + 96));                                                  \
      b += 128 / sizeof(WT);                                                                                   \
    }                                                                                                          \
    if (kk < nkg) {                                                                                            \
      const __m256i x = qcc_bcast32_avx2_(a + kk * KG);                                                        \
      DOT(c00, x, qcc_ld256_avx2_(b));                                                                         \
      DOT(c01, x, qcc_ld256_avx2_((const uint8_t *)b + 32));                                                   \
    }                                                                                                          \
    out[0] = _mm256_add_epi32(c00, d00);                                                                       \
    out[1] = _mm256_add_epi32(c01, d01);                                                                       \
  }

QCC_QPMM_TILE4_DEF_(qcc_qpmm_tile4_u8s8_avx2_, uint8_t, int8_t, 4, QCC_DOT4_)
QCC_QPMM_TILE4_DEF_(qcc_qpmm_tile4_s16_avx2_, int16_t, int16_t, 2, QCC_DOT2_)
QCC_QPMM_TILE1_DEF_(qcc_qpmm_tile1_u8s8_avx2_, uint8_t, int8_t, 4, QCC_DOT4_)
QCC_QPMM_TILE1_DEF_(qcc_qpmm_tile1_s16_avx2_, int16_t, int16_t, 2, QCC_DOT2_)

/*
 * The matmul driver: per batch, A converted into scratch (PACK), then per 16-column panel pn, STEP4 for rows
 * i..i+3 and STEP1 for the remaining rows (locals in scope: ap, b = the panel, j0, nq = valid columns, yt,
 * nkg, bias, scale, rq, p).
 */
#define QCC_QPMM_DRIVER_(NAME, T, WT, KG, PACK, STEP4, STEP1)                                                   \
  static inline void NAME(const qcc_qpmm_params *p, const int32_t *a_off, const void *a, const WT *bp,          \
                          const int32_t *bias, const float *scale, void *y, uint8_t *scratch) {                \
    const int32_t nkg = p->kpad / KG;                                                                          \
    const qcc_rq_avx2 rq = qcc_rq_init_avx2(p->yzp, p->y_signed ? -128 : 0, p->y_signed ? 127 : 255);          \
    T *ap = (T *)(void *)scratch;                                                                              \
    int32_t t, i, pn;                                                                                          \
    for (t = 0; t < p->batch; t++) {                                                                           \
      uint8_t *yt = (uint8_t *)y + (ptrdiff_t)t * p->m * p->n;                                                 \
      PACK(p, (const uint8_t *)a + a_off[t], ap);                                                              \
      for (pn = 0; pn < p->npanels; pn++) {                                                                    \
        const WT *b = bp + (ptrdiff_t)pn * p->kpad * QCC_QP_NR;                                                \
        const int32_t j0 = pn * QCC_QP_NR, nq = p->n - j0 < QCC_QP_NR ? p->n - j0 : QCC_QP_NR;                 \
        for (i = 0; i + 4 <= p->m; i += 4) {                                                                   \
          STEP4;                                                                                               \
        }                                                                                                      \
        for (; i < p->m; i++) {                                                                                \
          STEP1;                                                                                               \
        }                                                                                                      \
      }                                                                                                        \
    }                                                                                                          \
  }

/* The driver with tiles that return their accumulators (used by the x86-avx512vnni tiles). */
#define QCC_QPMM_ACC_STEP4_(TILE4)                                                                              \
  do {                                                                                                         \
    const __m256i bias0_ = qcc_ld256_avx2_(bias + j0), bias1_ = qcc_ld256_avx2_(bias + j0 + 8);                \
    const __m256 s0_ = _mm256_loadu_ps(scale + j0), s1_ = _mm256_loadu_ps(scale + j0 + 8);                     \
    __m256i acc_[8];                                                                                           \
    int32_t r_;                                                                                                \
    TILE4(ap + (ptrdiff_t)i * p->kpad, p->kpad, b, nkg, bias0_, bias1_, acc_);                                 \
    for (r_ = 0; r_ < 4; r_++) {                                                                               \
      qcc_store16_q8_avx2(yt + (ptrdiff_t)(i + r_) * p->n + j0, qcc_requant8_avx2(acc_[2 * r_], s0_, &rq),     \
                          qcc_requant8_avx2(acc_[2 * r_ + 1], s1_, &rq), nq, p->y_signed);                     \
    }                                                                                                          \
  } while (0)
#define QCC_QPMM_ACC_STEP1_(TILE1)                                                                              \
  do {                                                                                                         \
    const __m256i bias0_ = qcc_ld256_avx2_(bias + j0), bias1_ = qcc_ld256_avx2_(bias + j0 + 8);                \
    const __m256 s0_ = _mm256_loadu_ps(scale + j0), s1_ = _mm256_loadu_ps(scale + j0 + 8);                     \
    __m256i acc_[2];                                                                                           \
    TILE1(ap + (ptrdiff_t)i * p->kpad, b, nkg, bias0_, bias1_, acc_);                                          \
    qcc_store16_q8_avx2(yt + (ptrdiff_t)i * p->n + j0, qcc_requant8_avx2(acc_[0], s0_, &rq),                   \
                        qcc_requant8_avx2(acc_[1], s1_, &rq), nq, p->y_signed);                                \
  } while (0)
#define QCC_QPMM_AVX2_DEF_(NAME, T, WT, KG, PACK, TILE4, TILE1)                                                 \
  QCC_QPMM_DRIVER_(NAME, T, WT, KG, PACK, QCC_QPMM_ACC_STEP4_(TILE4), QCC_QPMM_ACC_STEP1_(TILE1))

/*
 * x86-avx2's own matmul tiles (see QCC_QPCONV_TILE_RQ_DEF_ for why they are not inlined and requantize
 * themselves): MR rows of A (broadcast, stride kpad) x 16 columns of the panel b, bias and scale of the panel's
 * columns, y = the output of row 0 (row stride ystride), nq valid columns. Two k-groups per iteration.
 */
#define QCC_QPMM_KSTEP4_(DOT, T, WT, KG, AO, BO)                                                                \
  do {                                                                                                         \
    const __m256i b0 = qcc_ld256_avx2_(b + (BO)), b1 = qcc_ld256_avx2_((const uint8_t *)(b + (BO)) + 32);      \
    __m256i x = qcc_bcast32_avx2_(a + (AO));                                                                   \
    DOT(c00, x, b0);                                                                                           \
    DOT(c01, x, b1);                                                                                           \
    x = qcc_bcast32_avx2_(a + k1 + (AO));                                                                          \
    DOT(c10, x, b0);                                                                                           \
    DOT(c11, x, b1);                                                                                           \
    x = qcc_bcast32_avx2_(a + k2 + (AO));                                                                          \
    DOT(c20, x, b0);                                                                                           \
    DOT(c21, x, b1);                                                                                           \
    x = qcc_bcast32_avx2_(a + k3 + (AO));                                                                          \
    DOT(c30, x, b0);                                                                                           \
    DOT(c31, x, b1);                                                                                           \
  } while (0)
/* BS: the bias's row stride (0: one bias row for the 4 rows; 16: per-row biases, the u8s8c corrected ones) */
#define QCC_QPMM_RQ_ROW_(r, ca, cb, BS)                                                                         \
  qcc_store16_q8_avx2(y + (r) * ystride,                                                                       \
                      qcc_requant8_avx2(_mm256_add_epi32(ca, BS ? qcc_ld256_avx2_(bias + (r) * BS) : bias0), s0, rq), \
                      qcc_requant8_avx2(_mm256_add_epi32(cb, BS ? qcc_ld256_avx2_(bias + (r) * BS + 8) : bias1), s1, rq), \
                      nq, y_signed)
#define QCC_QPMM_TILE4_RQ_DEF_(NAME, T, WT, KG, DOT) QCC_QPMM_TILE4_RQ_DEF_B_(NAME, T, WT, KG, DOT, 0)
#define QCC_QPMM_TILE4_RQ_DEF_B_(NAME, T, WT, KG, DOT, BS)                                                      \
  static QCC_QP_NOINLINE_ void NAME(const T *a, int32_t kpad, const WT *b, int32_t nkg, const int32_t *bias,    \
                                    const float *scale, uint8_t *y, ptrdiff_t ystride, int32_t nq,              \
                                    int32_t y_signed, const qcc_rq_avx2 *rq) {                                 \
    const __m256i ones = _mm256_set1_epi16(1);                                                                 \
    __m256i c00 = _mm256_setzero_si256(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00,    \
            c31 = c00;                                                                                         \
    const ptrdiff_t k1 = kpad, k2 = 2 * (ptrdiff_t)kpad, k3 = 3 * (ptrdiff_t)kpad;                              \
    const T *ae = a + (ptrdiff_t)(nkg & ~1) * KG;                                                              \
    (void)ones;                                                                                                \
    for (; a < ae; a += 2 * KG, b += 128 / sizeof(WT)) {                                                       \
      QCC_QPMM_KSTEP4_(DOT, T, WT, KG, 0, 0);                                                                  \
      QCC_QP_KEEP8_(c00, c01, c10, c11, c20, c21, c30, c31);                                                   \
      QCC_QPMM_KSTEP4_(DOT, T, WT, KG, KG, 64 / sizeof(WT));                                                   \
      QCC_QP_KEEP8_(c00, c01, c10, c11, c20, c21, c30, c31);                                                   \
    }                                                                                                          \
    if (nkg & 1) QCC_QPMM_KSTEP4_(DOT, T, WT, KG, 0, 0);                                                       \
    {                                                                                                          \
      const __m256i bias0 = qcc_ld256_avx2_(bias), bias1 = qcc_ld256_avx2_(bias + 8);                          \
      const __m256 s0 = _mm256_loadu_ps(scale), s1 = _mm256_loadu_ps(scale + 8);                               \
      (void)bias0; (void)bias1;                                                                                \
      QCC_QPMM_RQ_ROW_(0, c00, c01, BS);                                                                         \
      QCC_QPMM_RQ_ROW_(1, c10, c11, BS);                                                                         \
      QCC_QPMM_RQ_ROW_(2, c20, c21, BS);                                                                         \
      QCC_QPMM_RQ_ROW_(3, c30, c31, BS);                                                                         \
    }                                                                                                          \
  }

#define QCC_QPMM_TILE1_RQ_DEF_(NAME, T, WT, KG, DOT)                                                            \
  static QCC_QP_NOINLINE_ void NAME(const T *a, const WT *b, int32_t nkg, const int32_t *bias, const float *scale, \
                                    uint8_t *y, int32_t nq, int32_t y_signed, const qcc_rq_avx2 *rq) {         \
    const __m256i ones = _mm256_set1_epi16(1);                                                                 \
    __m256i c00 = _mm256_setzero_si256(), c01 = c00, d00 = c00, d01 = c00;                                     \
    const T *ae = a + (ptrdiff_t)(nkg & ~1) * KG;                                                              \
    (void)ones;                                                                                                \
    for (; a < ae; a += 2 * KG, b += 128 / sizeof(WT)) {                                                       \
      const __m256i x = qcc_bcast32_avx2_(a), x2 = qcc_bcast32_avx2_(a + KG);                                  \
      DOT(c00, x, qcc_ld256_avx2_(b));                                                                         \
      DOT(c01, x, qcc_ld256_avx2_((const uint8_t *)b + 32));                                                   \
      DOT(d00, x2, qcc_ld256_avx2_((const uint8_t *)b + 64));                                                  \
      DOT(d01, x2, qcc_ld256_avx2_((const uint8_t *)b + 96));                                                  \
    }                                                                                                          \
    if (nkg & 1) {                                                                                             \
      const __m256i x = qcc_bcast32_avx2_(a);                                                                  \
      DOT(c00, x, qcc_ld256_avx2_(b));                                                                         \
      DOT(c01, x, qcc_ld256_avx2_((const uint8_t *)b + 32));                                                   \
    }                                                                                                          \
    {                                                                                                          \
      const __m256 s0 = _mm256_loadu_ps(scale), s1 = _mm256_loadu_ps(scale + 8);                               \
      c00 = _mm256_add_epi32(_mm256_add_epi32(c00, d00), qcc_ld256_avx2_(bias));                               \
      c01 = _mm256_add_epi32(_mm256_add_epi32(c01, d01), qcc_ld256_avx2_(bias + 8));                           \
      qcc_store16_q8_avx2(y, qcc_requant8_avx2(c00, s0, rq), qcc_requant8_avx2(c01, s1, rq), nq, y_signed);    \
    }                                                                                                          \
  }

QCC_QPMM_TILE4_RQ_DEF_(qcc_qpmm_tile4_rq_u8s8_avx2_, uint8_t, int8_t, 4, QCC_DOT4_)
QCC_QPMM_TILE4_RQ_DEF_(qcc_qpmm_tile4_rq_s16_avx2_, int16_t, int16_t, 2, QCC_DOT2_)
QCC_QPMM_TILE1_RQ_DEF_(qcc_qpmm_tile1_rq_u8s8_avx2_, uint8_t, int8_t, 4, QCC_DOT4_)
QCC_QPMM_TILE1_RQ_DEF_(qcc_qpmm_tile1_rq_s16_avx2_, int16_t, int16_t, 2, QCC_DOT2_)
#define QCC_QPMM_RQ_STEP4_(TILE4)                                                                               \
  TILE4(ap + (ptrdiff_t)i * p->kpad, p->kpad, b, nkg, bias + j0, scale + j0, yt + (ptrdiff_t)i * p->n + j0, p->n, nq, \
        p->y_signed, &rq)
#define QCC_QPMM_RQ_STEP1_(TILE1)                                                                               \
  TILE1(ap + (ptrdiff_t)i * p->kpad, b, nkg, bias + j0, scale + j0, yt + (ptrdiff_t)i * p->n + j0, nq, p->y_signed, &rq)

QCC_QPMM_DRIVER_(qcc_qpmatmul_u8s8_avx2, uint8_t, int8_t, 4, qcc_qp_pack_a_u8,
                 QCC_QPMM_RQ_STEP4_(qcc_qpmm_tile4_rq_u8s8_avx2_), QCC_QPMM_RQ_STEP1_(qcc_qpmm_tile1_rq_u8s8_avx2_))
QCC_QPMM_DRIVER_(qcc_qpmatmul_s16_avx2, int16_t, int16_t, 2, qcc_qp_pack_a_s16,
                 QCC_QPMM_RQ_STEP4_(qcc_qpmm_tile4_rq_s16_avx2_), QCC_QPMM_RQ_STEP1_(qcc_qpmm_tile1_rq_s16_avx2_))

/*
 * Matmul u8s8 with a sparse correction ("u8s8c", qcc_qpacked.h documents the contract): the panels hold the safe
 * halves a, the residual b is a per-column list of (k-group, s8 quad) entries. Per batch, A (converted, [m][kpad])
 * is also transposed once into at = [k-group][mp8 rows][4 bytes] (mp8 = m rounded up to 8, padding rows 0), so one
 * entry of column j is, for 8 rows at a time, one load of at, one DOT4 with the broadcast quad. Per panel with
 * entries, cb[row][16] = bias[j] + corr[row][j] (the column sums over 32 or 8 rows are computed column by column
 * into tmp, then transposed 8 x 8 and added to the bias); the tiles take cb as per-row biases (BS = 16). Panels
 * without entries run the u8s8 tiles unchanged. Scratch: al32(m * kpad) | kpad * mp8 bytes (at) | mp8 * 64 (cb).
 */
QCC_QPMM_TILE4_RQ_DEF_B_(qcc_qpmm_tile4_rq_u8s8b_avx2_, uint8_t, int8_t, 4, QCC_DOT4_, 16)

/* tmp[c][0 .. 8 * NCH) = sum over column jc + c's entries of dot4(at rows, quad), rows r0 .. r0 + 8 * NCH */
#define QCC_QPMM_CORR_COLS_DEF_(NAME, NCH)                                                                      \
  static inline void NAME(const uint8_t *at, ptrdiff_t kgb, const int32_t *corr, int32_t jc, int32_t *tmp) {   \
    const __m256i ones = _mm256_set1_epi16(1);                                                                 \
    int32_t c, q;                                                                                              \
    for (c = 0; c < 16; c++) {                                                                                 \
      __m256i acc[NCH];                                                                                        \
      const int32_t *e = corr + corr[jc + c], *const ee = corr + corr[jc + c + 1];                             \
      for (q = 0; q < NCH; q++) acc[q] = _mm256_setzero_si256();                                               \
      for (; e < ee; e += 2) {                                                                                 \
        const uint8_t *ak = at + (ptrdiff_t)e[0] * kgb;                                                        \
        const __m256i qd = _mm256_set1_epi32(e[1]);                                                            \
        for (q = 0; q < NCH; q++) QCC_DOT4_(acc[q], qcc_ld256_avx2_(ak + 32 * q), qd);                         \
      }                                                                                                        \
      for (q = 0; q < NCH; q++) _mm256_storeu_si256((__m256i *)(void *)(tmp + c * 8 * NCH + 8 * q), acc[q]);   \
    }                                                                                                          \
  }
QCC_QPMM_CORR_COLS_DEF_(qcc_qpmm_corr_cols4_avx2_, 4)
QCC_QPMM_CORR_COLS_DEF_(qcc_qpmm_corr_cols1_avx2_, 1)

/* cb rows r .. r + 7, columns h .. h + 7 of the panel = bias + the transposed tmp block (columns h.., rows q * 8..) */
static inline void qcc_qpmm_corr_t8_avx2_(const int32_t *tmp, int32_t ld, const int32_t *bias, int32_t *cb) {
  const __m256i r0 = qcc_ld256_avx2_(tmp), r1 = qcc_ld256_avx2_(tmp + ld), r2 = qcc_ld256_avx2_(tmp + 2 * ld),
                r3 = qcc_ld256_avx2_(tmp + 3 * ld), r4 = qcc_ld256_avx2_(tmp + 4 * ld), r5 = qcc_ld256_avx2_(tmp + 5 * ld),
                r6 = qcc_ld256_avx2_(tmp + 6 * ld), r7 = qcc_ld256_avx2_(tmp + 7 * ld);
  const __m256i t0 = _mm256_unpacklo_epi32(r0, r1), t1 = _mm256_unpackhi_epi32(r0, r1);
  const __m256i t2 = _mm256_unpacklo_epi32(r2, r3), t3 = _mm256_unpackhi_epi32(r2, r3);
  const __m256i t4 = _mm256_unpacklo_epi32(r4, r5), t5 = _mm256_unpackhi_epi32(r4, r5);
  const __m256i t6 = _mm256_unpacklo_epi32(r6, r7), t7 = _mm256_unpackhi_epi32(r6, r7);
  const __m256i u0 = _mm256_unpacklo_epi64(t0, t2), u1 = _mm256_unpackhi_epi64(t0, t2);
  const __m256i u2 = _mm256_unpacklo_epi64(t1, t3), u3 = _mm256_unpackhi_epi64(t1, t3);
  const __m256i u4 = _mm256_unpacklo_epi64(t4, t6), u5 = _mm256_unpackhi_epi64(t4, t6);
  const __m256i u6 = _mm256_unpacklo_epi64(t5, t7), u7 = _mm256_unpackhi_epi64(t5, t7);
  const __m256i b = qcc_ld256_avx2_(bias);
#define QCC_QPMM_CB_ST_(r, v) _mm256_storeu_si256((__m256i *)(void *)(cb + (r) * 16), _mm256_add_epi32(v, b))
  QCC_QPMM_CB_ST_(0, _mm256_permute2x128_si256(u0, u4, 0x20));
  QCC_QPMM_CB_ST_(1, _mm256_permute2x128_si256(u1, u5, 0x20));
  QCC_QPMM_CB_ST_(2, _mm256_permute2x128_si256(u2, u6, 0x20));
  QCC_QPMM_CB_ST_(3, _mm256_permute2x128_si256(u3, u7, 0x20));
  QCC_QPMM_CB_ST_(4, _mm256_permute2x128_si256(u0, u4, 0x31));
  QCC_QPMM_CB_ST_(5, _mm256_permute2x128_si256(u1, u5, 0x31));
  QCC_QPMM_CB_ST_(6, _mm256_permute2x128_si256(u2, u6, 0x31));
  QCC_QPMM_CB_ST_(7, _mm256_permute2x128_si256(u3, u7, 0x31));
#undef QCC_QPMM_CB_ST_
}

static inline void qcc_qpmatmul_u8s8c_avx2(const qcc_qpmm_params *p, const int32_t *a_off, const void *a, const int8_t *bp,
                                           const int32_t *bias, const float *scale, const int32_t *corr, void *y,
                                           uint8_t *scratch) {
  const int32_t nkg = p->kpad / 4, mp8 = (p->m + 7) & ~7;
  const qcc_rq_avx2 rq = qcc_rq_init_avx2(p->yzp, p->y_signed ? -128 : 0, p->y_signed ? 127 : 255);
  uint8_t *ap = scratch;
  uint8_t *at = scratch + qcc_qp_al32_((size_t)p->m * p->kpad);
  int32_t *cb = (int32_t *)(void *)(at + (size_t)p->kpad * mp8);
  int32_t tmp[16 * 32];
  const ptrdiff_t kgb = (ptrdiff_t)mp8 * 4;
  int32_t t, i, pn, kg;
  for (t = 0; t < p->batch; t++) {
    uint8_t *yt = (uint8_t *)y + (ptrdiff_t)t * p->m * p->n;
    qcc_qp_pack_a_u8(p, (const uint8_t *)a + a_off[t], ap);
    for (kg = 0; kg < nkg; kg++) {
      uint8_t *d = at + kg * kgb;
      for (i = 0; i < p->m; i++) memcpy(d + 4 * i, ap + (ptrdiff_t)i * p->kpad + 4 * kg, 4);
      memset(d + 4 * p->m, 0, (size_t)(mp8 - p->m) * 4);
    }
    for (pn = 0; pn < p->npanels; pn++) {
      const int8_t *b = bp + (ptrdiff_t)pn * p->kpad * QCC_QP_NR;
      const int32_t j0 = pn * QCC_QP_NR, nq = p->n - j0 < QCC_QP_NR ? p->n - j0 : QCC_QP_NR;
      const int32_t corrected = corr[j0] != corr[j0 + QCC_QP_NR];
      const int32_t *bb = corrected ? cb : bias + j0;
      if (corrected) {
        int32_t r = 0, q;
        for (; r + 32 <= mp8; r += 32) {
          qcc_qpmm_corr_cols4_avx2_(at + 4 * r, kgb, corr, j0, tmp);
          for (q = 0; q < 4; q++) {
            qcc_qpmm_corr_t8_avx2_(tmp + 8 * q, 32, bias + j0, cb + (r + 8 * q) * 16);
            qcc_qpmm_corr_t8_avx2_(tmp + 8 * 32 + 8 * q, 32, bias + j0 + 8, cb + (r + 8 * q) * 16 + 8);
          }
        }
        for (; r < mp8; r += 8) {
          qcc_qpmm_corr_cols1_avx2_(at + 4 * r, kgb, corr, j0, tmp);
          qcc_qpmm_corr_t8_avx2_(tmp, 8, bias + j0, cb + r * 16);
          qcc_qpmm_corr_t8_avx2_(tmp + 8 * 8, 8, bias + j0 + 8, cb + r * 16 + 8);
        }
      }
      for (i = 0; i + 4 <= p->m; i += 4) {
        if (corrected) {
          qcc_qpmm_tile4_rq_u8s8b_avx2_(ap + (ptrdiff_t)i * p->kpad, p->kpad, b, nkg, cb + i * 16, scale + j0,
                                        yt + (ptrdiff_t)i * p->n + j0, p->n, nq, p->y_signed, &rq);
        } else {
          qcc_qpmm_tile4_rq_u8s8_avx2_(ap + (ptrdiff_t)i * p->kpad, p->kpad, b, nkg, bias + j0, scale + j0,
                                       yt + (ptrdiff_t)i * p->n + j0, p->n, nq, p->y_signed, &rq);
        }
      }
      for (; i < p->m; i++) {
        qcc_qpmm_tile1_rq_u8s8_avx2_(ap + (ptrdiff_t)i * p->kpad, b, nkg, bb + (corrected ? i * 16 : 0), scale + j0,
                                     yt + (ptrdiff_t)i * p->n + j0, nq, p->y_signed, &rq);
      }
    }
  }
}

#undef QCC_DOT4_
#undef QCC_DOT2_

#endif /* QCC_QPACKED_AVX2_H */
