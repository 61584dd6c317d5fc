/*
 * qcc_qpacked_vnni.h: the u8s8 GEMM kernels of the x86-avx512vnni target (same parameters, packed layouts,
 * im2col and bias/zero-point folding as qcc_qpacked_avx2.h; generic twins qcc_qpconv_gemm_u8s8 /
 * qcc_qpmatmul_u8s8 in qcc_qpacked.h) with the multiply-accumulate step done by vpdpbusd on 512-bit registers:
 *   acc.lane += a0*b0 + a1*b1 + a2*b2 + a3*b3   (u8 a, s8 b; each product exact in 16 bits, no saturating
 *                                                intermediate; the int32 add wraps, as the interpreter's int32)
 * So the u8s8 family is exact for every weight that fits s8 after subtracting its zero point: the packer does
 * not need the vpmaddubsw pair condition (backends/x86-avx2/emitters.ts, ISA_VNNI).
 *
 * One zmm holds one k-group of one 16-wide panel of the packed layouts (16 lanes x 4 bytes = 64 bytes), so the
 * layouts stay those of qcc_qpacked.h and the tiles read several panels side by side (the next panel is
 * kpad * 16 bytes further):
 *   conv:   R output channels (4 or 8: one or two 4-row weight blocks, weight quads broadcast) x Z panels of
 *           16 pixels (im2col block, vector loads), R * Z accumulators.
 *   matmul: R rows of A (1..6, u8 quads broadcast) x Z panels of 16 columns of B (vector loads, Z <= 4: 64
 *           columns), R * Z <= 24 accumulators; the 1-row tile (GEMV) splits k in two accumulator sets.
 * Requantization: qcc_requant16_avx512, the float steps of qcc_requant8_avx2 on 16 lanes (cvtdq2ps, mulps,
 * maxps, minps, cvtps2dq under the default MXCSR; no FMA). Results are in [qmin, qmax], so the low byte of
 * each lane is the output byte (u8 or s8); a byte-masked store writes the valid lanes only.
 * Build flags: -mavx512f -mavx512bw -mavx512vl -mavx512vnni on top of x86-avx2's.
 */
#ifndef QCC_QPACKED_VNNI_H
#define QCC_QPACKED_VNNI_H

#include <immintrin.h>
#include "../x86-avx2/qcc_qpacked_avx2.h"
#include "qcc_requant_avx512.h"

/* Stores the low bytes of the first n (1..16, more is 16) lanes of v. */
static inline void qcc_store16_q8_avx512(uint8_t *dst, __m512i v, int32_t n) {
  const __m128i b = _mm512_cvtepi32_epi8(v);
  if (n >= 16) _mm_storeu_si128((__m128i *)(void *)dst, b);
  else _mm_mask_storeu_epi8(dst, (__mmask16)((1u << n) - 1u), b);
}

static inline __m512i qcc_bcast32_avx512_(const void *p) {
  int32_t v;
  memcpy(&v, p, 4);
  return _mm512_set1_epi32(v);
}

static inline __m512i qcc_ld512_(const void *p) { return _mm512_loadu_si512(p); }

/*
 * acc += dot4(a u8, b s8) per lane. GCC (12) allocates the accumulator of _mm512_dpbusd_epi32 badly in these
 * tiles: it copies every accumulator to another register and back on each k-group (and spills the 6 x 4 tile),
 * which halves the throughput. The same instruction as inline asm with the accumulator tied ("+v") keeps every
 * accumulator in place. Clang's code from the intrinsic is already right.
 */
/*
 * The tiles stay out-of-line functions: inlined into the kernel (and the kernel into the model's run
 * function) GCC spilled half of the 24 accumulators of the conv tile (64->64 3x3 @56: 450 us instead of 300).
 * One call per tile and k loop costs nothing measurable.
 */
#if defined(__GNUC__) || defined(__clang__)
#define QCC_V5_TILE_ __attribute__((noinline, unused)) static
#else
#define QCC_V5_TILE_ static inline
#endif

#if defined(__GNUC__) && !defined(__clang__)
#define QCC_DPBUSD512_(acc, a, b) __asm__("vpdpbusd %2, %1, %0" : "+v"(acc) : "v"(a), "v"(b))
#else
#define QCC_DPBUSD512_(acc, a, b) acc = _mm512_dpbusd_epi32(acc, a, b)
#endif

/*
 * Register tiles are written out by macros over (row r, panel z) with literal indices, so every accumulator is
 * a named variable c<r>_<z> (kept in a register; no arrays the compiler would have to scalarize).
 * QCC_V5_ROWS_(R, F, Z) -> F(0, Z) ... F(R - 1, Z);  QCC_V5_COLS_(Z, F, r) -> F(r, 0) ... F(r, Z - 1).
 */
#define QCC_V5_C1_(F, r) F(r, 0)
#define QCC_V5_C2_(F, r) F(r, 0) F(r, 1)
#define QCC_V5_C3_(F, r) F(r, 0) F(r, 1) F(r, 2)
#define QCC_V5_C4_(F, r) F(r, 0) F(r, 1) F(r, 2) F(r, 3)
#define QCC_V5_COLS_(Z, F, r) QCC_V5_C##Z##_(F, r)
#define QCC_V5_R1_(F, Z) F(0, Z)
#define QCC_V5_R2_(F, Z) F(0, Z) F(1, Z)
#define QCC_V5_R3_(F, Z) F(0, Z) F(1, Z) F(2, Z)
#define QCC_V5_R4_(F, Z) F(0, Z) F(1, Z) F(2, Z) F(3, Z)
#define QCC_V5_R5_(F, Z) F(0, Z) F(1, Z) F(2, Z) F(3, Z) F(4, Z)
#define QCC_V5_R6_(F, Z) F(0, Z) F(1, Z) F(2, Z) F(3, Z) F(4, Z) F(5, Z)
#define QCC_V5_R8_(F, Z) F(0, Z) F(1, Z) F(2, Z) F(3, Z) F(4, Z) F(5, Z) F(6, Z) F(7, Z)
#define QCC_V5_ROWS_(R, F, Z) QCC_V5_R##R##_(F, Z)

/* ---- conv: R channels x Z pixel panels ---------------------------------------------------------------- */
/* accumulator (r, z) starts at the channel's bias */
#define QCC_V5_CV_INIT_(r, z) __m512i c##r##_##z = bb##r;
#define QCC_V5_CV_INITROW_(r, Z) const __m512i bb##r = _mm512_set1_epi32(bias[r]); QCC_V5_COLS_(Z, QCC_V5_CV_INIT_, r)
#define QCC_V5_CV_LOAD_(r, z) const __m512i a##z = qcc_ld512_(panel + (ptrdiff_t)z * pstride);
#define QCC_V5_CV_DOT_(r, z) QCC_DPBUSD512_(c##r##_##z, a##z, x);
/* row r: its weight quad is in block r / 4 (wstride further per block), position r % 4 of the k-group */
#define QCC_V5_CV_ROW_(r, Z)                                                                                   \
  {                                                                                                            \
    const __m512i x = qcc_bcast32_avx512_(w + (r / 4) * wstride + (r % 4) * 4);                                \
    QCC_V5_COLS_(Z, QCC_V5_CV_DOT_, r)                                                                         \
  }
#define QCC_V5_CV_ST_(r, z) qcc_store16_q8_avx512(y + (ptrdiff_t)r * ystride + 16 * z, qcc_requant16_avx512(c##r##_##z, s, rq), npx - 16 * z);
#define QCC_V5_CV_STROW_(r, Z)                                                                                 \
  if (r < nrows) {                                                                                             \
    const __m512 s = _mm512_set1_ps(scale[r]);                                                                 \
    QCC_V5_COLS_(Z, QCC_V5_CV_ST_, r)                                                                          \
  }

/*
 * panel: first panel's k-group 0 (next panel pstride bytes on), w: the first weight block's k-group 0 (next
 * block wstride bytes on), bias / scale: the tile's first packed row; y: output of row 0, first pixel (row r at
 * r * ystride); npx: valid pixels (> 16 * (Z - 1)), nrows: valid rows.
 */
#define QCC_V5_CONV_TILE_DEF_(NAME, R, Z)                                                                      \
  QCC_V5_TILE_ void NAME(const uint8_t *panel, ptrdiff_t pstride, const int8_t *w, ptrdiff_t wstride,         \
                          int32_t nkg, const int32_t *bias, const float *scale, const qcc_rq_avx512 *rq,       \
                          uint8_t *y, ptrdiff_t ystride, int32_t npx, int32_t nrows) {                         \
    int32_t kk;                                                                                                \
    QCC_V5_ROWS_(R, QCC_V5_CV_INITROW_, Z)                                                                     \
    for (kk = 0; kk < nkg; kk++) {                                                                             \
      QCC_V5_COLS_(Z, QCC_V5_CV_LOAD_, 0)                                                                      \
      QCC_V5_ROWS_(R, QCC_V5_CV_ROW_, Z)                                                                       \
      panel += 64;                                                                                             \
      w += 16;                                                                                                 \
    }                                                                                                          \
    QCC_V5_ROWS_(R, QCC_V5_CV_STROW_, Z)                                                                       \
  }

QCC_V5_CONV_TILE_DEF_(qcc_v5_conv_tile_8x3_, 8, 3)
QCC_V5_CONV_TILE_DEF_(qcc_v5_conv_tile_8x2_, 8, 2)
QCC_V5_CONV_TILE_DEF_(qcc_v5_conv_tile_8x1_, 8, 1)
QCC_V5_CONV_TILE_DEF_(qcc_v5_conv_tile_4x3_, 4, 3)
QCC_V5_CONV_TILE_DEF_(qcc_v5_conv_tile_4x2_, 4, 2)
QCC_V5_CONV_TILE_DEF_(qcc_v5_conv_tile_4x1_, 4, 1)

/* Pixel panels per conv tile (the last tile of a block takes what is left). */
#define QCC_V5_CONV_Z 3

QCC_KERNEL_INLINE void qcc_qpconv_gemm_u8s8_vnni(const qcc_qpconv_params *p, const void *x, const int8_t *wp,
                                             const int32_t *bias, const float *scale, void *y, uint8_t *scratch) {
  const ptrdiff_t plane = qcc_qp_out_plane_(p), hw = (ptrdiff_t)p->h * p->w;
  const ptrdiff_t pstride = (ptrdiff_t)p->kpad * QCC_QP_NR, wstride = (ptrdiff_t)QCC_QP_MR * p->kpad;
  const int32_t nkg = p->kpad / 4, fast = qcc_qp_fast_im2col_(p, 1);
  const qcc_rq_avx512 rq = qcc_rq_init_avx512(p->yzp, p->y_signed ? -128 : 0, p->y_signed ? 127 : 255);
  const qcc_qp_bufs_ bufs = qcc_qp_bufs_avx2_(p, 1, scratch);
  uint8_t *blk = scratch;
  int32_t n, g, p0, q, mb;
  for (n = 0; n < p->n; n++) {
    for (g = 0; g < p->group; g++) {
      const uint8_t *xg = (const uint8_t *)x + (n * qcc_qp_in_img_(p) + (ptrdiff_t)g * p->cpg * hw);
      if (fast) qcc_qp_planes_avx2_(p, xg, 1, &bufs);
      for (p0 = 0; p0 < plane; p0 += p->nb) {
        const int32_t np = (int32_t)(plane - p0 < p->nb ? plane - p0 : p->nb);
        const int32_t npan = (np + QCC_QP_NR - 1) / QCC_QP_NR;
        if (fast) qcc_qp_gather_avx2_(p, 1, &bufs, (int32_t)p0, np, blk);
        else qcc_qp_im2col_u8(p, xg, (int32_t)p0, np, qcc_qp_flip_(p), qcc_qp_pad_u8_(p->x_signed, p->xzp), blk);
        for (q = 0; q < npan; q += QCC_V5_CONV_Z) {
          const int32_t z = npan - q < QCC_V5_CONV_Z ? npan - q : QCC_V5_CONV_Z;
          const int32_t npx = np - q * QCC_QP_NR;
          const uint8_t *panel = blk + (ptrdiff_t)q * pstride;
          for (mb = 0; mb < p->mblocks; mb += 2) {
            const int32_t row0 = (g * p->mblocks + mb) * QCC_QP_MR, ml = mb * QCC_QP_MR;
            const int32_t nrows = p->mpg - ml;
            const int8_t *w = wp + (ptrdiff_t)row0 * p->kpad;
            uint8_t *yr = (uint8_t *)y + (((ptrdiff_t)n * p->m + g * p->mpg + ml) * plane + p0 + q * QCC_QP_NR);
            if (p->mblocks - mb >= 2) {
              if (z == 3) qcc_v5_conv_tile_8x3_(panel, pstride, w, wstride, nkg, bias + row0, scale + row0, &rq, yr, plane, npx, nrows);
              else if (z == 2) qcc_v5_conv_tile_8x2_(panel, pstride, w, wstride, nkg, bias + row0, scale + row0, &rq, yr, plane, npx, nrows);
              else qcc_v5_conv_tile_8x1_(panel, pstride, w, wstride, nkg, bias + row0, scale + row0, &rq, yr, plane, npx, nrows);
            } else {
              if (z == 3) qcc_v5_conv_tile_4x3_(panel, pstride, w, wstride, nkg, bias + row0, scale + row0, &rq, yr, plane, npx, nrows);
              else if (z == 2) qcc_v5_conv_tile_4x2_(panel, pstride, w, wstride, nkg, bias + row0, scale + row0, &rq, yr, plane, npx, nrows);
              else qcc_v5_conv_tile_4x1_(panel, pstride, w, wstride, nkg, bias + row0, scale + row0, &rq, yr, plane, npx, nrows);
            }
          }
        }
      }
    }
  }
}

/* ---- matmul: R rows of A x Z column panels of B ------------------------------------------------------- */
#define QCC_V5_MM_BIAS_(r, z) const __m512i bb##z = qcc_ld512_(bias + 16 * z);
#define QCC_V5_MM_INIT_(r, z) __m512i c##r##_##z = bb##z;
#define QCC_V5_MM_INITROW_(r, Z) QCC_V5_COLS_(Z, QCC_V5_MM_INIT_, r)
#define QCC_V5_MM_LOAD_(r, z) const __m512i b##z = qcc_ld512_(b + (ptrdiff_t)z * bstride);
#define QCC_V5_MM_DOT_(r, z) QCC_DPBUSD512_(c##r##_##z, x, b##z);
#define QCC_V5_MM_ROW_(r, Z)                                                                                   \
  {                                                                                                            \
    const __m512i x = qcc_bcast32_avx512_(a + (ptrdiff_t)r * kpad);                                            \
    QCC_V5_COLS_(Z, QCC_V5_MM_DOT_, r)                                                                         \
  }
#define QCC_V5_MM_SCALE_(r, z) const __m512 s##z = _mm512_loadu_ps(scale + 16 * z);
#define QCC_V5_MM_ST_(r, z) qcc_store16_q8_avx512(y + (ptrdiff_t)r * ystride + 16 * z, qcc_requant16_avx512(c##r##_##z, s##z, rq), ncols - 16 * z);
#define QCC_V5_MM_STROW_(r, Z) QCC_V5_COLS_(Z, QCC_V5_MM_ST_, r)

/*
 * a: row 0 of the converted A (row r at r * kpad), b: the first panel (next panel bstride bytes on), bias /
 * scale: the tile's first column (padded to whole panels), y: output row 0 at the first column (row r at
 * r * ystride), ncols: valid columns (> 16 * (Z - 1)).
 */
#define QCC_V5_MM_TILE_DEF_(NAME, R, Z)                                                                        \
  QCC_V5_TILE_ void NAME(const uint8_t *a, int32_t kpad, const int8_t *b, ptrdiff_t bstride, int32_t nkg,     \
                          const int32_t *bias, const float *scale, const qcc_rq_avx512 *rq, uint8_t *y,        \
                          ptrdiff_t ystride, int32_t ncols) {                                                  \
    int32_t kk;                                                                                                \
    QCC_V5_COLS_(Z, QCC_V5_MM_BIAS_, 0)                                                                        \
    QCC_V5_ROWS_(R, QCC_V5_MM_INITROW_, Z)                                                                     \
    for (kk = 0; kk < nkg; kk++) {                                                                             \
      QCC_V5_COLS_(Z, QCC_V5_MM_LOAD_, 0)                                                                      \
      QCC_V5_ROWS_(R, QCC_V5_MM_ROW_, Z)                                                                       \
      a += 4;                                                                                                  \
      b += 64;                                                                                                 \
    }                                                                                                          \
    {                                                                                                          \
      QCC_V5_COLS_(Z, QCC_V5_MM_SCALE_, 0)                                                                     \
      QCC_V5_ROWS_(R, QCC_V5_MM_STROW_, Z)                                                                     \
    }                                                                                                          \
  }

/* One row (GEMV): k-groups alternate between two accumulator sets (c, d), added at the end (int32 wrap: the
 * sum is the same). */
#define QCC_V5_MM1_INITD_(r, z) __m512i d##z = _mm512_setzero_si512();
#define QCC_V5_MM1_LOAD2_(r, z) const __m512i e##z = qcc_ld512_(b + 64 + (ptrdiff_t)z * bstride);
#define QCC_V5_MM1_DOT2_(r, z) QCC_DPBUSD512_(d##z, x2, e##z);
#define QCC_V5_MM1_ADD_(r, z) c0_##z = _mm512_add_epi32(c0_##z, d##z);
#define QCC_V5_MM_TILE1_DEF_(NAME, Z)                                                                          \
  QCC_V5_TILE_ void NAME(const uint8_t *a, int32_t kpad, const int8_t *b, ptrdiff_t bstride, int32_t nkg,     \
                          const int32_t *bias, const float *scale, const qcc_rq_avx512 *rq, uint8_t *y,        \
                          ptrdiff_t ystride, int32_t ncols) {                                                  \
    int32_t kk = 0;                                                                                            \
    QCC_V5_COLS_(Z, QCC_V5_MM_BIAS_, 0)                                                                        \
    QCC_V5_ROWS_(1, QCC_V5_MM_INITROW_, Z)                                                                     \
    QCC_V5_COLS_(Z, QCC_V5_MM1_INITD_, 0)                                                                      \
    (void)kpad;                                                                                                \
    for (; kk + 2 <= nkg; kk += 2) {                                                                           \
      const __m512i x = qcc_bcast32_avx512_(a), x2 = qcc_bcast32_avx512_(a + 4);                               \
      QCC_V5_COLS_(Z, QCC_V5_MM_LOAD_, 0)                                                                      \
      QCC_V5_COLS_(Z, QCC_V5_MM1_LOAD2_, 0)                                                                    \
      QCC_V5_COLS_(Z, QCC_V5_MM_DOT_, 0)                                                                       \
      QCC_V5_COLS_(Z, QCC_V5_MM1_DOT2_, 0)                                                                     \
      a += 8;                                                                                                  \
      b += 128;                                                                                                \
    }                                                                                                          \
    if (kk < nkg) {                                                                                            \
      const __m512i x = qcc_bcast32_avx512_(a);                                                                \
      QCC_V5_COLS_(Z, QCC_V5_MM_LOAD_, 0)                                                                      \
      QCC_V5_COLS_(Z, QCC_V5_MM_DOT_, 0)                                                                       \
    }                                                                                                          \
    QCC_V5_COLS_(Z, QCC_V5_MM1_ADD_, 0)                                                                        \
    {                                                                                                          \
      QCC_V5_COLS_(Z, QCC_V5_MM_SCALE_, 0)                                                                     \
      QCC_V5_ROWS_(1, QCC_V5_MM_STROW_, Z)                                                                     \
    }                                                                                                          \
    (void)ystride;                                                                                             \
  }

#define QCC_V5_MM_TILES_DEF_(Z)                                                                                \
  QCC_V5_MM_TILE1_DEF_(qcc_v5_mm_tile_1x##Z##_, Z)                                                             \
  QCC_V5_MM_TILE_DEF_(qcc_v5_mm_tile_2x##Z##_, 2, Z)                                                           \
  QCC_V5_MM_TILE_DEF_(qcc_v5_mm_tile_3x##Z##_, 3, Z)                                                           \
  QCC_V5_MM_TILE_DEF_(qcc_v5_mm_tile_4x##Z##_, 4, Z)                                                           \
  QCC_V5_MM_TILE_DEF_(qcc_v5_mm_tile_5x##Z##_, 5, Z)                                                           \
  QCC_V5_MM_TILE_DEF_(qcc_v5_mm_tile_6x##Z##_, 6, Z)                                                           \
  /* rows rows (1..6) of the Z-panel column block */                                                          \
  static inline void qcc_v5_mm_rows_x##Z##_(int32_t rows, const uint8_t *a, int32_t kpad, const int8_t *b,     \
                                             ptrdiff_t bstride, int32_t nkg, const int32_t *bias,              \
                                             const float *scale, const qcc_rq_avx512 *rq, uint8_t *y,          \
                                             ptrdiff_t ystride, int32_t ncols) {                               \
    switch (rows) {                                                                                            \
      case 1: qcc_v5_mm_tile_1x##Z##_(a, kpad, b, bstride, nkg, bias, scale, rq, y, ystride, ncols); break;    \
      case 2: qcc_v5_mm_tile_2x##Z##_(a, kpad, b, bstride, nkg, bias, scale, rq, y, ystride, ncols); break;    \
      case 3: qcc_v5_mm_tile_3x##Z##_(a, kpad, b, bstride, nkg, bias, scale, rq, y, ystride, ncols); break;    \
      case 4: qcc_v5_mm_tile_4x##Z##_(a, kpad, b, bstride, nkg, bias, scale, rq, y, ystride, ncols); break;    \
      case 5: qcc_v5_mm_tile_5x##Z##_(a, kpad, b, bstride, nkg, bias, scale, rq, y, ystride, ncols); break;    \
      default: qcc_v5_mm_tile_6x##Z##_(a, kpad, b, bstride, nkg, bias, scale, rq, y, ystride, ncols); break;   \
    }                                                                                                          \
  }

QCC_V5_MM_TILES_DEF_(4)
QCC_V5_MM_TILES_DEF_(3)
QCC_V5_MM_TILES_DEF_(2)
QCC_V5_MM_TILES_DEF_(1)

/* Column panels per matmul tile and rows per tile (the last ones take what is left). */
#define QCC_V5_MM_Z 4
#define QCC_V5_MM_R 6

static inline void qcc_qpmatmul_u8s8_vnni(const qcc_qpmm_params *p, const int32_t *a_off, const void *a,
                                          const int8_t *bp, const int32_t *bias, const float *scale, void *y,
                                          uint8_t *scratch) {
  const int32_t nkg = p->kpad / 4;
  const ptrdiff_t bstride = (ptrdiff_t)p->kpad * QCC_QP_NR;
  const qcc_rq_avx512 rq = qcc_rq_init_avx512(p->yzp, p->y_signed ? -128 : 0, p->y_signed ? 127 : 255);
  uint8_t *ap = scratch;
  int32_t t, i, pn;
  for (t = 0; t < p->batch; t++) {
    uint8_t *yt = (uint8_t *)y + (ptrdiff_t)t * p->m * p->n;
    qcc_qp_pack_a_u8(p, (const uint8_t *)a + a_off[t], ap);
    for (pn = 0; pn < p->npanels; pn += QCC_V5_MM_Z) {
      const int32_t z = p->npanels - pn < QCC_V5_MM_Z ? p->npanels - pn : QCC_V5_MM_Z;
      const int32_t j0 = pn * QCC_QP_NR, ncols = p->n - j0;
      const int8_t *b = bp + (ptrdiff_t)pn * bstride;
      for (i = 0; i < p->m; i += QCC_V5_MM_R) {
        const int32_t rows = p->m - i < QCC_V5_MM_R ? p->m - i : QCC_V5_MM_R;
        const uint8_t *ar = ap + (ptrdiff_t)i * p->kpad;
        uint8_t *yr = yt + (ptrdiff_t)i * p->n + j0;
        if (z == 4) qcc_v5_mm_rows_x4_(rows, ar, p->kpad, b, bstride, nkg, bias + j0, scale + j0, &rq, yr, p->n, ncols);
        else if (z == 3) qcc_v5_mm_rows_x3_(rows, ar, p->kpad, b, bstride, nkg, bias + j0, scale + j0, &rq, yr, p->n, ncols);
        else if (z == 2) qcc_v5_mm_rows_x2_(rows, ar, p->kpad, b, bstride, nkg, bias + j0, scale + j0, &rq, yr, p->n, ncols);
        else qcc_v5_mm_rows_x1_(rows, ar, p->kpad, b, bstride, nkg, bias + j0, scale + j0, &rq, yr, p->n, ncols);
      }
    }
  }
}

#endif /* QCC_QPACKED_VNNI_H */
