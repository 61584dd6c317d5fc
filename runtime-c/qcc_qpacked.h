/*
 * qcc_qpacked.h: quantized conv / matmul on compile-time packed weights, generic C99. These are the
 * twins of the SIMD kernels (runtime-c/x86-avx2/, later arm-neon): same parameters, same packed layouts,
 * plain scalar loops. The packing is done by backends/x86-avx2/pack.ts (ISA-neutral) and the layouts are:
 *
 *   k-group KG: 4 (u8 x s8 "dot4" kernels: vpmaddubsw / sdot) or 2 (s16 x s16 pair kernels: vpmaddwd).
 *   Tiles: MR = 4 output rows (conv: output channels), NR = 16 columns (conv: output pixels; matmul: output
 *   columns). k runs over (ci, kh, kw) for conv (the ONNX weight order), over K for matmul; kpad = k rounded up
 *   to KG, padded weights are 0.
 *
 *   conv weights     [group][mblock][kpad / KG][MR][KG]        (s8 for KG 4, s16 for KG 2)
 *   conv activations (im2col block in scratch, built here) [panel of 16 px][kpad / KG][16 px][KG]
 *   matmul B         [npanel][kpad / KG][NR][KG]
 *   matmul A         (scratch, built here) [row][kpad]          (u8 for KG 4, s16 for KG 2)
 *   depthwise        [c][K][K + 1] s16, w - wzp, kernel rows padded with one 0 to pairs
 *
 * u8 x s8 kernels ("u8s8") compute sum x_u * w' with x_u = x (u8 activations) or x ^ 0x80 = x + 128 (s8
 * activations) and w' = w - wzp, which the packer only chooses when every w' fits s8 and every adjacent pair
 * of w' cannot saturate a 16-bit sum for any x_u in [0, 255]; the bias it passes is
 * bias - x_zp_u * sum_k w' (int32, wrapping), so the result is sum (x - x_zp) * w' + bias exactly.
 * Padding of the conv is the byte x_zp_u (contributes 0 after the correction). s16 kernels compute
 * sum (x - x_zp) * w' directly on 16-bit operands (|.| <= 255, every pair sum fits int32): always exact.
 * Accumulation is uint32 (wrapping like the interpreter's int32); requantization is qcc_requantize_f32.
 */
#ifndef QCC_QPACKED_H
#define QCC_QPACKED_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "qcc_requant.h"

#define QCC_QP_MR 4
#define QCC_QP_NR 16

/*
 * SIMD kernel drivers that generated code calls through per-node instances (QCC_INSTANCE functions, see
 * backends/c/emitter.ts instance()) and their large helpers. The generated model file defines this as
 * always-inline before it includes the runtime, so each instance is the kernel compiled with that node's
 * constant parameter struct (loop bounds, strides, flags folded). Elsewhere (the kernel tests, user code) they
 * are plain inline functions: the same code, without one expansion per call site.
 */
#ifndef QCC_KERNEL_INLINE
#define QCC_KERNEL_INLINE static inline
#endif

typedef struct {
  int32_t n, c, h, w, m, oh, ow;
  int32_t kh, kw, sh, sw, dh, dw, ph, pw;
  int32_t group, cpg, mpg;
  int32_t kdim, kpad; /* cpg * kh * kw, rounded up to the k-group */
  int32_t mblocks;    /* ceil(mpg / MR) */
  int32_t nb;         /* pixels per im2col block (multiple of NR) */
  int32_t x_signed, xzp, y_signed, yzp;
  int32_t sp_h, sp_w, q_w; /* depthwise: padded plane rows / row length (s16), pair-row length (int32) */
  /* conv GEMM: NULL, or the order of k in the packed weights and panels: packed position kk holds tap kperm[kk]
   * (the ONNX order ci * kh * kw + ky * kw + kx; negative: padding). x86-avx2 orders the taps so that fewer
   * adjacent weight pairs can saturate vpmaddubsw (backends/x86-avx2/pack.ts pairingPermutation). */
  const int32_t *kperm;
} qcc_qpconv_params;

typedef struct {
  int32_t batch, m, k, n, kpad, npanels;
  int32_t a_signed, azp, y_signed, yzp;
  /* NULL, or the order of k in the packed B and A: packed position kk holds A's column kperm[kk] (negative:
   * padding), as qcc_qpconv_params.kperm */
  const int32_t *kperm;
} qcc_qpmm_params;

static inline int32_t qcc_qp_ld_(const void *x, ptrdiff_t i, int32_t is_signed) {
  return is_signed ? (int32_t)((const int8_t *)x)[i] : (int32_t)((const uint8_t *)x)[i];
}

static inline void qcc_qp_st_(void *y, ptrdiff_t i, int32_t is_signed, int32_t v) {
  if (is_signed) ((int8_t *)y)[i] = (int8_t)v;
  else ((uint8_t *)y)[i] = (uint8_t)v;
}

/* Output pixels o in [*lo, *hi) with 0 <= o * s - pad + k * d < in (all of [0, out) clipped). */
static inline void qcc_qp_range_(int32_t out, int32_t in, int32_t s, int32_t d, int32_t pad, int32_t k, int32_t *lo,
                                 int32_t *hi) {
  const int32_t t = pad - k * d;
  const int32_t u = in - 1 + pad - k * d;
  int32_t a = t <= 0 ? 0 : (t + s - 1) / s;
  int32_t b = u < 0 ? 0 : u / s + 1;
  if (b > out) b = out;
  if (a > b) a = b;
  *lo = a;
  *hi = b;
}

/*
 * im2col of output pixels [p0, p0 + np) of one image and group (xg points at its first input channel) into
 * `dst` in the activation layout above; pixels from np up to the next multiple of 16 get the pad value.
 * T: element type, KG: k-group, VAL(b): input byte b as T, PADV: padding value. Each output-row segment is
 * split into its left padding, the valid run and its right padding, and each part is written in chunks that
 * stay inside one 16-pixel panel, so the inner loops are plain strided copies / fills.
 */
#define QCC_QP_FILL_(T, KG, J0, CNT, V)                                                                               \
  do {                                                                                                         \
    int32_t jj_ = (J0), left_ = (CNT);                                                                         \
    while (left_ > 0) {                                                                                        \
      const int32_t room_ = 16 - (jj_ & 15), c_ = left_ < room_ ? left_ : room_;                               \
      T *d_ = dk + (ptrdiff_t)(jj_ >> 4) * pstride + (jj_ & 15) * KG;                                          \
      int32_t t_;                                                                                              \
      for (t_ = 0; t_ < c_; t_++) d_[t_ * KG] = (V);                                                           \
      jj_ += c_;                                                                                               \
      left_ -= c_;                                                                                             \
    }                                                                                                          \
  } while (0)

#define QCC_QP_IM2COL_BODY_(T, KG, VAL, PADV)                                                                  \
  const int32_t H = p->h, W = p->w, OW = p->ow, KW = p->kw, KHW = p->kh * p->kw, SWD = p->sw;                  \
  const ptrdiff_t pstride = (ptrdiff_t)p->kpad * QCC_QP_NR; /* elements per 16-pixel panel */                  \
  const int32_t npad = (np + QCC_QP_NR - 1) / QCC_QP_NR * QCC_QP_NR;                                           \
  int32_t k;                                                                                                   \
  for (k = 0; k < p->kpad; k++) {                                                                              \
    T *dk = dst + (ptrdiff_t)(k / KG) * (QCC_QP_NR * KG) + (k % KG);                                          \
    const int32_t kn = p->kperm ? p->kperm[k] : k; /* the tap at packed position k */                          \
    int32_t j = 0, oh = p0 / OW, ow = p0 % OW, lo = 0, hi = 0, ky = 0, kx = 0;                                 \
    const uint8_t *xc = NULL;                                                                                  \
    if (kn < 0 || kn >= p->kdim) {                                                                             \
      QCC_QP_FILL_(T, KG, 0, npad, (PADV));                                                                           \
      continue;                                                                                                \
    }                                                                                                          \
    {                                                                                                          \
      const int32_t ci = kn / KHW, r = kn % KHW;                                                               \
      ky = r / KW;                                                                                             \
      kx = r % KW;                                                                                             \
      xc = (const uint8_t *)xg + (ptrdiff_t)ci * H * W;                                                        \
      qcc_qp_range_(OW, W, SWD, p->dw, p->pw, kx, &lo, &hi);                                                   \
    }                                                                                                          \
    while (j < np) {                                                                                           \
      int32_t seg = OW - ow;                                                                                   \
      const int32_t ih = oh * p->sh - p->ph + ky * p->dh;                                                      \
      if (seg > np - j) seg = np - j;                                                                          \
      if (ih < 0 || ih >= H) {                                                                                 \
        QCC_QP_FILL_(T, KG, j, seg, (PADV));                                                                          \
      } else {                                                                                                 \
        const uint8_t *row = xc + (ptrdiff_t)ih * W + (ptrdiff_t)kx * p->dw - p->pw;                           \
        int32_t a = lo > ow ? lo : ow, b = hi < ow + seg ? hi : ow + seg;                                      \
        if (b < a) b = a;                                                                                      \
        QCC_QP_FILL_(T, KG, j, a - ow, (PADV));                                                                       \
        {                                                                                                      \
          int32_t jj = j + (a - ow), o = a;                                                                    \
          while (o < b) {                                                                                      \
            const int32_t room = 16 - (jj & 15), c = b - o < room ? b - o : room;                              \
            T *d = dk + (ptrdiff_t)(jj >> 4) * pstride + (jj & 15) * KG;                                       \
            const uint8_t *src = row + (ptrdiff_t)o * SWD;                                                     \
            int32_t t;                                                                                         \
            if (SWD == 1) {                                                                                    \
              for (t = 0; t < c; t++) d[t * KG] = VAL(src[t]);                                                 \
            } else {                                                                                           \
              for (t = 0; t < c; t++) d[t * KG] = VAL(src[(ptrdiff_t)t * SWD]);                                \
            }                                                                                                  \
            jj += c;                                                                                           \
            o += c;                                                                                            \
          }                                                                                                    \
        }                                                                                                      \
        QCC_QP_FILL_(T, KG, j + (b - ow), ow + seg - b, (PADV));                                                      \
      }                                                                                                        \
      j += seg;                                                                                                \
      ow = 0;                                                                                                  \
      oh++;                                                                                                    \
    }                                                                                                          \
    QCC_QP_FILL_(T, KG, np, npad - np, (PADV));                                                                       \
  }

/* u8 panels for the dot4 kernels: x_u = byte ^ flip, padding pad. */
static inline void qcc_qp_im2col_u8(const qcc_qpconv_params *p, const void *xg, int32_t p0, int32_t np, uint8_t flip,
                                    uint8_t pad, uint8_t *dst) {
#define QCC_QP_VAL_U8_(b) ((uint8_t)((b) ^ flip))
  QCC_QP_IM2COL_BODY_(uint8_t, 4, QCC_QP_VAL_U8_, pad)
#undef QCC_QP_VAL_U8_
}

/* Activation byte as a signed value minus the zero point (|.| <= 255). */
static inline int16_t qcc_qp_s16v_(uint8_t b, int32_t is_signed, int32_t zp) {
  const int32_t v = is_signed ? (int32_t)b - (int32_t)((b & 0x80u) << 1) : (int32_t)b;
  return (int16_t)(v - zp);
}

/* s16 panels for the pair kernels: x - x_zp, padding 0. */
static inline void qcc_qp_im2col_s16(const qcc_qpconv_params *p, const void *xg, int32_t p0, int32_t np, int16_t *dst) {
  /* s8 x - zp == (x ^ 0x80) - (zp + 128): one branch-free form for both signednesses */
  const uint8_t flip = p->x_signed ? 0x80u : 0u;
  const int32_t zpu = p->x_signed ? p->xzp + 128 : p->xzp;
#define QCC_QP_VAL_S16_(b) ((int16_t)((int32_t)((b) ^ flip) - zpu))
  QCC_QP_IM2COL_BODY_(int16_t, 2, QCC_QP_VAL_S16_, 0)
#undef QCC_QP_VAL_S16_
}

/* Activation bytes per element and padding value of the dot4 path (s8 activations are flipped to u8). */
static inline uint8_t qcc_qp_flip_(const qcc_qpconv_params *p) { return p->x_signed ? 0x80u : 0u; }
static inline uint8_t qcc_qp_pad_u8_(int32_t x_signed, int32_t xzp) { return (uint8_t)(x_signed ? xzp + 128 : xzp); }

static inline ptrdiff_t qcc_qp_in_img_(const qcc_qpconv_params *p) { return (ptrdiff_t)p->c * p->h * p->w; }
static inline ptrdiff_t qcc_qp_out_plane_(const qcc_qpconv_params *p) { return (ptrdiff_t)p->oh * p->ow; }

/*
 * Conv as GEMM over im2col blocks (general conv, 1x1, first layer). bias and scale are per packed row:
 * index (g * mblocks + mb) * MR + r (rows past mpg are padding). scratch: kpad * nb bytes (u8) or 2 * kpad * nb
 * bytes (s16). The generic twin multiplies the same packed operands in plain int32.
 */
#define QCC_QPCONV_GEMM_GENERIC_DEF_(NAME, T, WT, KG, IM2COL) QCC_QPCONV_GEMM_GENERIC_DEF_X_(NAME, T, WT, KG, IM2COL, , )
/* The same with extra parameters after scale (EXTRA: ", type name" or empty) and a statement run per output
 * after the k loop (AFTER: may add to acc; locals panel, j, row, k in scope). */
#define QCC_QPCONV_GEMM_GENERIC_DEF_X_(NAME, T, WT, KG, IM2COL, EXTRA, AFTER)                                   \
  static inline void NAME(const qcc_qpconv_params *p, const void *x, const WT *wp, const int32_t *bias,         \
                          const float *scale EXTRA, void *y, uint8_t *scratch) {                               \
    const ptrdiff_t plane = qcc_qp_out_plane_(p), hw = (ptrdiff_t)p->h * p->w;                                 \
    const int32_t nkg = p->kpad / KG, qmin = p->y_signed ? -128 : 0, qmax = p->y_signed ? 127 : 255;            \
    T *blk = (T *)(void *)scratch;                                                                             \
    int32_t n, g, p0, q, mb, r, j, k;                                                                          \
    for (n = 0; n < p->n; n++) {                                                                               \
      for (g = 0; g < p->group; g++) {                                                                         \
        const uint8_t *xg = (const uint8_t *)x + (n * qcc_qp_in_img_(p) + (ptrdiff_t)g * p->cpg * hw);          \
        for (p0 = 0; p0 < plane; p0 += p->nb) {                                                                \
          const int32_t np = (int32_t)(plane - p0 < p->nb ? plane - p0 : p->nb);                               \
          IM2COL;                                                                                              \
          for (q = 0; q * QCC_QP_NR < np; q++) {                                                               \
            const T *panel = blk + (ptrdiff_t)q * p->kpad * QCC_QP_NR;                                         \
            const int32_t nq = np - q * QCC_QP_NR < QCC_QP_NR ? np - q * QCC_QP_NR : QCC_QP_NR;               \
            for (mb = 0; mb < p->mblocks; mb++) {                                                              \
              const WT *wb = wp + ((ptrdiff_t)g * p->mblocks + mb) * nkg * (QCC_QP_MR * KG);                   \
              for (r = 0; r < QCC_QP_MR; r++) {                                                                \
                const int32_t ml = mb * QCC_QP_MR + r, row = (g * p->mblocks + mb) * QCC_QP_MR + r;            \
                uint8_t *yr;                                                                                   \
                if (ml >= p->mpg) break;                                                                       \
                yr = (uint8_t *)y + (((ptrdiff_t)n * p->m + g * p->mpg + ml) * plane + p0 + q * QCC_QP_NR);    \
                for (j = 0; j < nq; j++) {                                                                     \
                  uint32_t acc = (uint32_t)bias[row];                                                          \
                  for (k = 0; k < p->kpad; k++) {                                                              \
                    const int32_t xv = (int32_t)panel[(k / KG) * (QCC_QP_NR * KG) + j * KG + k % KG];          \
                    const int32_t wv = (int32_t)wb[(k / KG) * (QCC_QP_MR * KG) + r * KG + k % KG];             \
                    acc += (uint32_t)(xv * wv);                                                                \
                  }                                                                                            \
                  AFTER                                                                                        \
                  qcc_qp_st_(yr, j, p->y_signed,                                                               \
                             qcc_requantize_f32(qcc_i32_from_u32(acc), scale[row], p->yzp, qmin, qmax));       \
                }                                                                                              \
              }                                                                                                \
            }                                                                                                  \
          }                                                                                                    \
        }                                                                                                      \
      }                                                                                                        \
    }                                                                                                          \
  }

QCC_QPCONV_GEMM_GENERIC_DEF_(qcc_qpconv_gemm_u8s8, uint8_t, int8_t, 4,
                             qcc_qp_im2col_u8(p, xg, p0, np, qcc_qp_flip_(p), qcc_qp_pad_u8_(p->x_signed, p->xzp), blk))
QCC_QPCONV_GEMM_GENERIC_DEF_(qcc_qpconv_gemm_s16, int16_t, int16_t, 2, qcc_qp_im2col_s16(p, xg, p0, np, blk))

/*
 * u8s8 with a sparse correction ("u8s8c", x86-avx2 only, for weights whose pairs could saturate vpmaddubsw):
 * w' = a + b, where the packed weights a (layout as u8s8) and the residual b both keep every adjacent pair safe
 * (pack.ts splitU8S8). The k loop runs on a, then per output row the nonzero k-groups of b are added from a
 * separate constant: corr = [packed rows + 1] offsets (absolute indices into corr; row `row`'s entries are
 * corr[corr[row]] up to corr[corr[row + 1]]), then the entries {64 * k-group (the byte offset of the k-group in a
 * 16-pixel panel), the 4 s8 weights of b as one little-endian int32}. The bias folds x_zp_u * sum (a + b).
 * Every product is exact and the int32 sum wraps, so the result equals sum (x - x_zp) * w' + bias.
 */
static inline int32_t qcc_qp_quad_s8_(int32_t q, int32_t t) {
  return (int32_t)(((uint32_t)q >> (8 * t)) & 0xffu) - (int32_t)((((uint32_t)q >> (8 * t)) & 0x80u) << 1);
}
#define QCC_QP_CORR_GENERIC_                                                                                   \
  {                                                                                                            \
    const int32_t *e_ = corr + corr[row], *const ee_ = corr + corr[row + 1];                                   \
    for (; e_ < ee_; e_ += 2) {                                                                                \
      for (k = 0; k < 4; k++) {                                                                                \
        acc += (uint32_t)((int32_t)panel[e_[0] + j * 4 + k] * qcc_qp_quad_s8_(e_[1], k));                      \
      }                                                                                                        \
    }                                                                                                          \
  }
#define QCC_QP_COMMA_GENERIC_ ,
QCC_QPCONV_GEMM_GENERIC_DEF_X_(qcc_qpconv_gemm_u8s8c, uint8_t, int8_t, 4,
                               qcc_qp_im2col_u8(p, xg, p0, np, qcc_qp_flip_(p), qcc_qp_pad_u8_(p->x_signed, p->xzp), blk),
                               QCC_QP_COMMA_GENERIC_ const int32_t *corr, QCC_QP_CORR_GENERIC_)

/*
 * Depthwise KxK (K = kh = kw in {3, 5}), stride sh = sw, group = c = m: y[c] = requant(bias[c] +
 * sum (x - x_zp) * w'[c]) with w' packed [c][K][K + 1] s16. The generic twin needs no scratch.
 */
static inline void qcc_qpconv_dw_s16(const qcc_qpconv_params *p, const void *x, const int16_t *wp, const int32_t *bias,
                                     const float *scale, void *y, uint8_t *scratch) {
  const int32_t K = p->kh, KP = p->kh + 1, qmin = p->y_signed ? -128 : 0, qmax = p->y_signed ? 127 : 255;
  const ptrdiff_t hw = (ptrdiff_t)p->h * p->w, plane = qcc_qp_out_plane_(p);
  int32_t n, c, oh, ow, ky, kx;
  (void)scratch;
  for (n = 0; n < p->n; n++) {
    for (c = 0; c < p->c; c++) {
      const uint8_t *xc = (const uint8_t *)x + ((ptrdiff_t)n * p->c + c) * hw;
      const int16_t *wc = wp + (ptrdiff_t)c * K * KP;
      uint8_t *yc = (uint8_t *)y + ((ptrdiff_t)n * p->c + c) * plane;
      for (oh = 0; oh < p->oh; oh++) {
        for (ow = 0; ow < p->ow; ow++) {
          uint32_t acc = (uint32_t)bias[c];
          for (ky = 0; ky < K; ky++) {
            const int32_t ih = oh * p->sh - p->ph + ky;
            if (ih < 0 || ih >= p->h) continue;
            for (kx = 0; kx < K; kx++) {
              const int32_t iw = ow * p->sw - p->pw + kx;
              if (iw < 0 || iw >= p->w) continue;
              acc += (uint32_t)((int32_t)qcc_qp_s16v_(xc[(ptrdiff_t)ih * p->w + iw], p->x_signed, p->xzp) *
                                (int32_t)wc[ky * KP + kx]);
            }
          }
          qcc_qp_st_(yc, (ptrdiff_t)oh * p->ow + ow, p->y_signed,
                     qcc_requantize_f32(qcc_i32_from_u32(acc), scale[c], p->yzp, qmin, qmax));
        }
      }
    }
  }
}

/*
 * Matmul y[t] = A[t] (activations, rows at a + a_off[t]) x B (packed, shared by all batches). bias and scale
 * per column (padded to npanels * NR). scratch: m * kpad bytes (u8) or 2 * m * kpad bytes (s16), the A rows
 * converted and zero-padded to kpad.
 */
static inline void qcc_qp_pack_a_u8(const qcc_qpmm_params *p, const uint8_t *a, uint8_t *dst) {
  const uint8_t flip = p->a_signed ? 0x80u : 0u;
  int32_t i, k;
  for (i = 0; i < p->m; i++) {
    const uint8_t *ar = a + (ptrdiff_t)i * p->k;
    uint8_t *d = dst + (ptrdiff_t)i * p->kpad;
    if (p->kperm) {
      for (k = 0; k < p->kpad; k++) d[k] = p->kperm[k] < 0 ? 0u : (uint8_t)(ar[p->kperm[k]] ^ flip);
    } else {
      for (k = 0; k < p->k; k++) d[k] = (uint8_t)(ar[k] ^ flip);
      for (; k < p->kpad; k++) d[k] = 0u;
    }
  }
}

static inline void qcc_qp_pack_a_s16(const qcc_qpmm_params *p, const uint8_t *a, int16_t *dst) {
  int32_t i, k;
  for (i = 0; i < p->m; i++) {
    const uint8_t *ar = a + (ptrdiff_t)i * p->k;
    int16_t *d = dst + (ptrdiff_t)i * p->kpad;
    if (p->kperm) {
      for (k = 0; k < p->kpad; k++) d[k] = p->kperm[k] < 0 ? 0 : qcc_qp_s16v_(ar[p->kperm[k]], p->a_signed, p->azp);
    } else {
      for (k = 0; k < p->k; k++) d[k] = qcc_qp_s16v_(ar[k], p->a_signed, p->azp);
      for (; k < p->kpad; k++) d[k] = 0;
    }
  }
}

#define QCC_QPMM_GENERIC_DEF_(NAME, T, WT, KG, PACK)                                                              static inline void NAME(const qcc_qpmm_params *p, const int32_t *a_off, const void *a, const WT *bp,                                    const int32_t *bias, const float *scale, void *y, uint8_t *scratch) {                    const int32_t qmin = p->y_signed ? -128 : 0, qmax = p->y_signed ? 127 : 255;                                    T *ap = (T *)(void *)scratch;                                                                                  int32_t t, i, j, k;                                                                                            for (t = 0; t < p->batch; t++) {                                                                                 PACK(p, (const uint8_t *)a + a_off[t], ap);                                                                    for (i = 0; i < p->m; i++) {                                                                                     for (j = 0; j < p->n; j++) {                                                                                     const WT *bc = bp + (ptrdiff_t)(j / QCC_QP_NR) * p->kpad * QCC_QP_NR + (j % QCC_QP_NR) * KG;                   uint32_t acc = (uint32_t)bias[j];                                                                              for (k = 0; k < p->kpad; k++) {                                                                                  acc += (uint32_t)((int32_t)ap[(ptrdiff_t)i * p->kpad + k] *                                                                      (int32_t)bc[(k / KG) * (QCC_QP_NR * KG) + k % KG]);                                        }                                                                                                              qcc_qp_st_(y, ((ptrdiff_t)t * p->m + i) * p->n + j, p->y_signed,                                                          qcc_requantize_f32(qcc_i32_from_u32(acc), scale[j], p->yzp, qmin, qmax));                         }                                                                                                            }                                                                                                            }                                                                                                            }

QCC_QPMM_GENERIC_DEF_(qcc_qpmatmul_u8s8, uint8_t, int8_t, 4, qcc_qp_pack_a_u8)
QCC_QPMM_GENERIC_DEF_(qcc_qpmatmul_s16, int16_t, int16_t, 2, qcc_qp_pack_a_s16)

/*
 * Matmul u8s8 with a sparse correction ("u8s8c", x86-avx2 only): B' = a + b as for the conv (pack.ts
 * splitU8S8 on the columns), the panels hold a (layout as u8s8), corr the residual b per output column:
 * [npanels * NR + 1] offsets (absolute indices into corr; column j's entries are corr[corr[j]] up to
 * corr[corr[j + 1]], padding columns have none), then the entries {k-group, the 4 s8 weights of b as one
 * little-endian int32}. The bias folds a_zp_u * sum (a + b). Scratch: as the x86-avx2 kernel's
 * (pack.ts matmulScratch); the twin uses its first m * kpad bytes (A converted as for u8s8).
 */
static inline void qcc_qpmatmul_u8s8c(const qcc_qpmm_params *p, const int32_t *a_off, const void *a, const int8_t *bp,
                                      const int32_t *bias, const float *scale, const int32_t *corr, void *y,
                                      uint8_t *scratch) {
  const int32_t qmin = p->y_signed ? -128 : 0, qmax = p->y_signed ? 127 : 255;
  uint8_t *ap = scratch;
  int32_t t, i, j, k;
  for (t = 0; t < p->batch; t++) {
    qcc_qp_pack_a_u8(p, (const uint8_t *)a + a_off[t], ap);
    for (i = 0; i < p->m; i++) {
      const uint8_t *ar = ap + (ptrdiff_t)i * p->kpad;
      for (j = 0; j < p->n; j++) {
        const int8_t *bc = bp + (ptrdiff_t)(j / QCC_QP_NR) * p->kpad * QCC_QP_NR + (j % QCC_QP_NR) * 4;
        const int32_t *e = corr + corr[j], *const ee = corr + corr[j + 1];
        uint32_t acc = (uint32_t)bias[j];
        for (k = 0; k < p->kpad; k++) acc += (uint32_t)((int32_t)ar[k] * (int32_t)bc[(k / 4) * (QCC_QP_NR * 4) + k % 4]);
        for (; e < ee; e += 2) {
          for (k = 0; k < 4; k++) acc += (uint32_t)((int32_t)ar[e[0] * 4 + k] * qcc_qp_quad_s8_(e[1], k));
        }
        qcc_qp_st_(y, ((ptrdiff_t)t * p->m + i) * p->n + j, p->y_signed,
                   qcc_requantize_f32(qcc_i32_from_u32(acc), scale[j], p->yzp, qmin, qmax));
      }
    }
  }
}

#endif /* QCC_QPACKED_H */
