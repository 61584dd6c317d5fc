/*
 * qcc_qgemm_common_neon.h: pieces shared by the AArch64 Advanced SIMD (arm-neon) and dotprod
 * (arm-neon-dotprod) integer GEMM kernels: the signed normal form, the vectorised fp32 requantization,
 * the tile epilogue and the run-time im2col packer. Generic twins: qcc_qconv.h, qcc_qmatmul.h.
 *
 * Signed normal form. Every 8-bit operand is mapped to int8 before multiplying: u8 values v become v - 128
 * (activations at run time by flipping the top bit, weights at compile time), and their zero points move
 * the same way, so (x - xzp) * (w - wzp) is unchanged and one s8 x s8 kernel serves u8/i8 x u8/i8.
 * With l = the lane-broadcast operand (rows i) and r = the vector operand (columns j) of C = L * R,
 *   acc[i][j] = bias + sum_k (l - lz_i)(r - rz_j)
 *             = sum_k l*r + rowc[i] + colc[j] - rowz[i] * colsum[j] - colz[j] * rowsum[i]   (mod 2^32)
 * where rowc/colc fold the compile-time parts (bias, - zp * weight sums, K * lz * rz) and rowz/colz are
 * the weight zero points the compile step could not fold into the weights (it stores w - wzp when that
 * fits int8, which is almost always). All of it is int32 arithmetic modulo 2^32, like the generic
 * kernels' uint32 accumulators, so any grouping gives the same bits; the only narrower intermediates
 * are the int16 products of the baseline kernel (bounded in qcc_qgemm_neon.h).
 *
 * Requantization is the scalar fp32 scheme (qcc_requant.h) lane by lane: SCVTF (round to nearest, as C's
 * (float)int32), FMUL (never fused), FMAX/FMIN with the integer bounds qmin - zp, qmax - zp (NaN stays
 * NaN), FCVTNS (round half to even; NaN -> 0), + zp. A NaN product (only from NaN/Inf scales) thus gives
 * zp, as qcc_requantize_f32 does; clamping before or after rounding agrees because the bounds are integers.
 */
#ifndef QCC_QGEMM_COMMON_NEON_H
#define QCC_QGEMM_COMMON_NEON_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <arm_neon.h>
#include "qcc_qconv.h"
#include "qcc_qmatmul.h"

/*
 * Conv and MatMul drivers and their large per-call helpers, which generated code calls through per-node
 * instances (backends/c/emitter.ts instance()): the generated model file defines this as always-inline before
 * it includes the runtime, so each instance is the kernel compiled with that node's constant parameter struct
 * (loop bounds, strides, flags folded). Elsewhere (the kernel tests, user code) plain inline functions: the
 * same code without one expansion per call site. The same default as qcc_qpacked.h. The im2col GEMM's per-row
 * and per-tile helpers (im2col row, interleave, epilogue) are marked too: with one driver copy per node GCC
 * called them out of line, unspecialised (DS-CNN dotprod 1.16 -> 1.41 M instructions instead of 0.93 M).
 */
#ifndef QCC_KERNEL_INLINE
#define QCC_KERNEL_INLINE static inline
#endif

/* Pixels per im2col tile (a multiple of 8; every kernel's column block divides it). */
#define QCC_QG_TP 64

/* float32(acc) * scale, clamp, round half to even, + zp: qcc_requantize_f32 on four lanes. */
static inline int32x4_t qcc_requant_s32x4_neon(int32x4_t acc, float32x4_t scale, float32x4_t lo, float32x4_t hi,
                                               int32x4_t zp) {
  float32x4_t v = vcvtq_f32_s32(acc);
  v = vmulq_f32(v, scale);
  v = vmaxq_f32(v, lo);
  v = vminq_f32(v, hi);
  return vaddq_s32(vcvtnq_s32_f32(v), zp);
}

/* Epilogue operands, each already offset to the tile's first row / column (NULL when absent). */
typedef struct {
  const int32_t *rowc, *colc;  /* compile-time constants */
  const int32_t *rowz, *colsum; /* - rowz[i] * colsum[j] */
  const int32_t *colz, *rowsum; /* - colz[j] * rowsum[i] */
  const float *srow, *scol;     /* requant scale per row or per column (exactly one is set) */
  int32_t yzp, qmin, qmax;
} qcc_qg_epi;

/*
 * The tiles are always inlined (GNU C): when the conv driver, the MatMul driver and the pixel-row conv are
 * in one translation unit, GCC otherwise calls them out of line (MobileNetV2 1x1 8 -> 48 on arm-neon: +11%
 * instructions).
 */
#if defined(__GNUC__)
#define QCC_QG_ALWAYS_INLINE_ __attribute__((always_inline))
#else
#define QCC_QG_ALWAYS_INLINE_
#endif

/*
 * acc: rn x NR tile (row stride NR, NR = 4 or 8) of raw sums; writes y[i * ldy + j] for i < rn, j < cn
 * as u8 (is_u8) or i8. Values are in [qmin, qmax] after requantization, so the narrowing is exact.
 */
QCC_KERNEL_INLINE void qcc_qg_epilogue_neon(const int32_t *acc, int32_t nr, int32_t rn, int32_t cn, const qcc_qg_epi *e,
                                        void *y, ptrdiff_t ldy) {
  /* Fields in locals: the byte stores below may alias anything, so *e would be reloaded per row. */
  const int32_t *const rowc = e->rowc, *const colc = e->colc, *const rowz = e->rowz, *const colsum = e->colsum;
  const int32_t *const colz = e->colz, *const rowsum = e->rowsum;
  const float *const srow = e->srow, *const scol = e->scol;
  const float32x4_t lo = vdupq_n_f32((float)(e->qmin - e->yzp));
  const float32x4_t hi = vdupq_n_f32((float)(e->qmax - e->yzp));
  const int32x4_t zp = vdupq_n_s32(e->yzp);
  int32x4_t cc[2], cs[2], cz[2];
  float32x4_t sc[2];
  int32_t i, j;
  for (j = 0; j < nr; j += 4) {
    cc[j >> 2] = colc ? vld1q_s32(colc + j) : vdupq_n_s32(0);
    cs[j >> 2] = rowz ? vld1q_s32(colsum + j) : vdupq_n_s32(0);
    cz[j >> 2] = colz ? vld1q_s32(colz + j) : vdupq_n_s32(0);
    sc[j >> 2] = scol ? vld1q_f32(scol + j) : vdupq_n_f32(0.0f);
  }
  for (i = 0; i < rn; i++) {
    const int32x4_t rc = vdupq_n_s32(rowc ? rowc[i] : 0);
    const int32x4_t rz = vdupq_n_s32(rowz ? rowz[i] : 0);
    const int32x4_t rs = vdupq_n_s32(colz ? rowsum[i] : 0);
    const float32x4_t sr = vdupq_n_f32(srow ? srow[i] : 0.0f);
    int32x4_t v[2];
    int8_t out[8];
    uint8_t *dst = (uint8_t *)y + (ptrdiff_t)i * ldy;
    for (j = 0; j < nr; j += 4) {
      int32x4_t a = vaddq_s32(vaddq_s32(vld1q_s32(acc + i * nr + j), rc), cc[j >> 2]);
      if (rowz) a = vsubq_s32(a, vmulq_s32(rz, cs[j >> 2]));
      if (colz) a = vsubq_s32(a, vmulq_s32(cz[j >> 2], rs));
      v[j >> 2] = qcc_requant_s32x4_neon(a, srow ? sr : sc[j >> 2], lo, hi, zp);
    }
    if (nr == 4) v[1] = v[0];
    /* In [qmin, qmax]: the truncating narrows are exact (u8 values keep their low byte). */
    vst1_s8(out, vmovn_s16(vcombine_s16(vmovn_s32(v[0]), vmovn_s32(v[1]))));
    if (cn == 8) memcpy(dst, out, 8);
    else if (cn == 4) memcpy(dst, out, 4);
    else memcpy(dst, out, (size_t)cn);
  }
}

/* Eight requantized values from two int32x4 vectors stored as bytes (u8 results are truncated, exact). */
static inline int8x8_t qcc_narrow8_neon(int32x4_t a, int32x4_t b) {
  return vmovn_s16(vcombine_s16(vmovn_s32(a), vmovn_s32(b)));
}

/* dst[0 .. n) = v; short runs (pad columns) inline instead of a memset call. */
static inline void qcc_qg_fill_neon(int8_t *dst, int8_t v, int32_t n) {
  int32_t i = 0;
  if (n >= 16) {
    const int8x16_t vv = vdupq_n_s8(v);
    for (; i + 16 <= n; i += 16) vst1q_s8(dst + i, vv);
  }
  for (; i < n; i++) dst[i] = v;
}

/*
 * dst[j] = src[2j] ^ flip for j < cnt (cnt >= 8), reading only src[0 .. 2 cnt - 2] (the last byte read is the
 * last element: the row may end the input buffer). 16 outputs from two 16-byte loads (src[2j .. 2j + 15] and
 * src[2j + 15 .. 2j + 30]) and one two-register table lookup; the last 16 (or 8) outputs are recomputed from
 * cnt - 16 (cnt - 8) when cnt is not a multiple, which rewrites the same values.
 */
static inline void qcc_qg_even_bytes_neon(const uint8_t *src, int32_t cnt, uint8x16_t f, uint8_t *dst) {
  /* table indices {0, 2, .., 14, 17, 19, .., 31} and {0, 2, 4, 6, 9, 11, 13, 15}, little-endian bytes */
  const uint8x8_t ix8 = vcreate_u8(0x0F0D0B0906040200ull);
  int32_t j = 0;
  if (cnt >= 16) {
    const uint8x16_t ix = vcombine_u8(vcreate_u8(0x0E0C0A0806040200ull), vcreate_u8(0x1F1D1B1917151311ull));
    for (;; j += 16) {
      uint8x16x2_t t;
      if (j + 16 > cnt) j = cnt - 16;
      t.val[0] = vld1q_u8(src + 2 * j);
      t.val[1] = vld1q_u8(src + 2 * j + 15);
      vst1q_u8(dst + j, veorq_u8(vqtbl2q_u8(t, ix), f));
      if (j + 16 >= cnt) break;
    }
  } else {
    for (;; j += 8) {
      uint8x16_t t;
      if (j + 8 > cnt) j = cnt - 8;
      t = vcombine_u8(vld1_u8(src + 2 * j), vld1_u8(src + 2 * j + 7));
      vst1_u8(dst + j, veor_u8(vqtbl1_u8(t, ix8), vget_low_u8(f)));
      if (j + 8 >= cnt) break;
    }
  }
}

/*
 * One im2col row of the run-time operand: for filter tap k = (ci, kd, kh, kw) of group grp, the s8 normal
 * form of the input value under each of the tile's output pixels p0 .. p0 + n - 1, xzt (the input zero
 * point in normal form) where the tap falls in the padding. flip is 0x80 for u8 input, 0 for i8.
 */
QCC_KERNEL_INLINE void qcc_qg_im2col_row_neon(const qcc_qconv_params *p, const uint8_t *x_img, uint8_t flip, int32_t xzt,
                                          int32_t grp, int32_t k, int32_t p0, int32_t n, int8_t *row) {
  const int32_t KD = p->kernel[0], KH = p->kernel[1], KW = p->kernel[2];
  const int32_t ID = p->in_sp[0], IH = p->in_sp[1], IW = p->in_sp[2];
  const int32_t OH = p->out_sp[1], OW = p->out_sp[2];
  const int32_t kw = k % KW, kh = (k / KW) % KH, kd = (k / (KW * KH)) % KD, ci = k / (KW * KH * KD);
  const uint8_t *xc = x_img + (ptrdiff_t)(grp * p->c_per_group + ci) * ID * IH * IW;
  const int32_t SW = p->strides[2], SD = p->strides[0], SH = p->strides[1];
  const int32_t PD = p->pads[0], PH = p->pads[1], PW = p->pads[2];
  const int32_t DD = p->dilations[0], DH = p->dilations[1], DW = p->dilations[2];
  int32_t lo, hi, pix = p0, done = 0;
  const int8_t zt = (int8_t)xzt;
  qcc_qconv_range_(OW, IW, SW, DW, PW, kw, &lo, &hi);
  while (done < n) {
    const int32_t od = pix / (OH * OW), oh = (pix / OW) % OH, ow = pix % OW;
    const int32_t run = (OW - ow) < (n - done) ? (OW - ow) : (n - done);
    const int32_t id = od * SD - PD + kd * DD;
    const int32_t ih = oh * SH - PH + kh * DH;
    int8_t *dst = row + done;
    if (id < 0 || id >= ID || ih < 0 || ih >= IH) {
      qcc_qg_fill_neon(dst, zt, run);
    } else {
      const int32_t a = lo > ow ? lo : ow, b = hi < ow + run ? hi : ow + run;
      int32_t j = 0, cnt;
      const uint8_t *src;
      if (a >= b) {
        qcc_qg_fill_neon(dst, zt, run);
      } else {
        cnt = b - a;
        src = xc + ((ptrdiff_t)id * IH + ih) * IW + (ptrdiff_t)a * SW - PW + (ptrdiff_t)kw * DW;
        if (a > ow) qcc_qg_fill_neon(dst, zt, a - ow);
        dst += a - ow;
        if (SW == 1) {
          const uint8x16_t f = vdupq_n_u8(flip);
          for (; j + 16 <= cnt; j += 16) vst1q_u8((uint8_t *)dst + j, veorq_u8(vld1q_u8(src + j), f));
          for (; j + 8 <= cnt; j += 8) vst1_u8((uint8_t *)dst + j, veor_u8(vld1_u8(src + j), vget_low_u8(f)));
        } else if (SW == 2 && cnt >= 8) {
          qcc_qg_even_bytes_neon(src, cnt, vdupq_n_u8(flip), (uint8_t *)dst);
          j = cnt;
        }
        for (; j < cnt; j++) dst[j] = (int8_t)(uint8_t)(src[(ptrdiff_t)j * SW] ^ flip);
        if (ow + run > b) qcc_qg_fill_neon(dst + cnt, zt, ow + run - b);
      }
    }
    done += run;
    pix += run;
  }
}

/*
 * Eight columns of four rows (each XORed with flip: 0x80 maps u8 input to the normal form) -> per column
 * the 4 bytes r0[c] r1[c] r2[c] r3[c]: columns 0-3 in *first4, 4-7 in *last4.
 */
static inline void qcc_qg_zip4x8_neon(const int8_t *r0, const int8_t *r1, const int8_t *r2, const int8_t *r3,
                                      uint8x8_t flip, uint32x4_t *first4, uint32x4_t *last4) {
  const int8x8_t a = vreinterpret_s8_u8(veor_u8(vld1_u8((const uint8_t *)r0), flip));
  const int8x8_t b = vreinterpret_s8_u8(veor_u8(vld1_u8((const uint8_t *)r1), flip));
  const int8x8_t c = vreinterpret_s8_u8(veor_u8(vld1_u8((const uint8_t *)r2), flip));
  const int8x8_t d = vreinterpret_s8_u8(veor_u8(vld1_u8((const uint8_t *)r3), flip));
  const int8x8x2_t ab = vzip_s8(a, b);
  const int8x8x2_t cd = vzip_s8(c, d);
  const int16x4x2_t l = vzip_s16(vreinterpret_s16_s8(ab.val[0]), vreinterpret_s16_s8(cd.val[0]));
  const int16x4x2_t h = vzip_s16(vreinterpret_s16_s8(ab.val[1]), vreinterpret_s16_s8(cd.val[1]));
  *first4 = vreinterpretq_u32_s16(vcombine_s16(l.val[0], l.val[1]));
  *last4 = vreinterpretq_u32_s16(vcombine_s16(h.val[0], h.val[1]));
}

/* Column sums of the tile (for weight zero points that could not be folded): colsum[c] += row[c]. */
static inline void qcc_qg_colsum_add_neon(int32_t *colsum, const int8_t *row, int32_t n8) {
  int32_t c;
  for (c = 0; c < n8; c += 8) {
    const int16x8_t w = vmovl_s8(vld1_s8(row + c));
    vst1q_s32(colsum + c, vaddw_s16(vld1q_s32(colsum + c), vget_low_s16(w)));
    vst1q_s32(colsum + c + 4, vaddw_high_s16(vld1q_s32(colsum + c + 4), w));
  }
}

/* 4x4 transpose of 32-bit units: out[c] = {u0[c], u1[c], u2[c], u3[c]} (16 bytes each), stored at dst + 16c. */
static inline void qcc_qg_store_t4_neon(int8_t *dst, ptrdiff_t stride, uint32x4_t u0, uint32x4_t u1, uint32x4_t u2,
                                        uint32x4_t u3) {
  const uint32x4_t t0 = vzip1q_u32(u0, u1), t1 = vzip1q_u32(u2, u3);
  const uint32x4_t t2 = vzip2q_u32(u0, u1), t3 = vzip2q_u32(u2, u3);
  vst1q_s8(dst, vreinterpretq_s8_u64(vzip1q_u64(vreinterpretq_u64_u32(t0), vreinterpretq_u64_u32(t1))));
  vst1q_s8(dst + stride, vreinterpretq_s8_u64(vzip2q_u64(vreinterpretq_u64_u32(t0), vreinterpretq_u64_u32(t1))));
  vst1q_s8(dst + 2 * stride, vreinterpretq_s8_u64(vzip1q_u64(vreinterpretq_u64_u32(t2), vreinterpretq_u64_u32(t3))));
  vst1q_s8(dst + 3 * stride, vreinterpretq_s8_u64(vzip2q_u64(vreinterpretq_u64_u32(t2), vreinterpretq_u64_u32(t3))));
}

/*
 * Eight rows of eight bytes (each XORed with f) transposed: dst[8 c + r] = rows[r][c], 64 bytes (the R panel
 * layout of the i8mm tile, one k group of 8 for 8 columns). Rows r and r + 4 share a vector, so the byte and
 * 16-bit transposes work on both halves at once; UZP1/UZP2 of 32-bit lanes then join the halves' columns.
 */
static inline void qcc_qg_transpose8x8_neon(const int8_t *const *rows, int32_t c, uint8x16_t f, int8_t *dst) {
  const uint8x16_t q0 = veorq_u8(vcombine_u8(vld1_u8((const uint8_t *)rows[0] + c), vld1_u8((const uint8_t *)rows[4] + c)), f);
  const uint8x16_t q1 = veorq_u8(vcombine_u8(vld1_u8((const uint8_t *)rows[1] + c), vld1_u8((const uint8_t *)rows[5] + c)), f);
  const uint8x16_t q2 = veorq_u8(vcombine_u8(vld1_u8((const uint8_t *)rows[2] + c), vld1_u8((const uint8_t *)rows[6] + c)), f);
  const uint8x16_t q3 = veorq_u8(vcombine_u8(vld1_u8((const uint8_t *)rows[3] + c), vld1_u8((const uint8_t *)rows[7] + c)), f);
  /* t0: even columns of rows 0,1 | 4,5; t1: odd columns; t2, t3 the same for rows 2,3 | 6,7 */
  const uint16x8_t t0 = vreinterpretq_u16_u8(vtrn1q_u8(q0, q1)), t1 = vreinterpretq_u16_u8(vtrn2q_u8(q0, q1));
  const uint16x8_t t2 = vreinterpretq_u16_u8(vtrn1q_u8(q2, q3)), t3 = vreinterpretq_u16_u8(vtrn2q_u8(q2, q3));
  /* 32-bit lanes {rows 0-3 col j, rows 0-3 col j + 4, rows 4-7 col j, rows 4-7 col j + 4}: u0 j = 0, u1 j = 2,
   * u2 j = 1, u3 j = 3 */
  const uint32x4_t u0 = vreinterpretq_u32_u16(vtrn1q_u16(t0, t2)), u1 = vreinterpretq_u32_u16(vtrn2q_u16(t0, t2));
  const uint32x4_t u2 = vreinterpretq_u32_u16(vtrn1q_u16(t1, t3)), u3 = vreinterpretq_u32_u16(vtrn2q_u16(t1, t3));
  vst1q_s8(dst, vreinterpretq_s8_u32(vuzp1q_u32(u0, u2)));      /* columns 0, 1 */
  vst1q_s8(dst + 16, vreinterpretq_s8_u32(vuzp1q_u32(u1, u3))); /* columns 2, 3 */
  vst1q_s8(dst + 32, vreinterpretq_s8_u32(vuzp2q_u32(u0, u2))); /* columns 4, 5 */
  vst1q_s8(dst + 48, vreinterpretq_s8_u32(vuzp2q_u32(u1, u3))); /* columns 6, 7 */
}

/*
 * Packs G (4, 8 or 16) rows (rows[r] points at the row's first tile column; n8, a multiple of 8, columns
 * are read, each byte XORed with flip) into the column panels of width NR (8 for G = 4 or 8, 4 for G = 16):
 * panel b holds [k group][NR columns][G bytes]; kg is the k group, panel_stride the bytes per panel.
 */
QCC_KERNEL_INLINE void qcc_qg_interleave_neon(const int8_t *const *rows, int32_t g, int32_t n8, int32_t kg, uint8_t flip,
                                          int8_t *panel, ptrdiff_t panel_stride) {
  const uint8x8_t f = vdup_n_u8(flip);
  int32_t c;
  if (g == 8) {
    const uint8x16_t f16 = vdupq_n_u8(flip);
    for (c = 0; c < n8; c += 8) qcc_qg_transpose8x8_neon(rows, c, f16, panel + (ptrdiff_t)(c / 8) * panel_stride + (ptrdiff_t)kg * 64);
    return;
  }
  for (c = 0; c < n8; c += 8) {
    uint32x4_t fi[4], la[4];
    int32_t q;
    for (q = 0; q < g / 4; q++) {
      qcc_qg_zip4x8_neon(rows[4 * q] + c, rows[4 * q + 1] + c, rows[4 * q + 2] + c, rows[4 * q + 3] + c, f, &fi[q], &la[q]);
    }
    if (g == 4) {
      int8_t *dst = panel + (ptrdiff_t)(c / 8) * panel_stride + (ptrdiff_t)kg * 32;
      vst1q_s8(dst, vreinterpretq_s8_u32(fi[0]));
      vst1q_s8(dst + 16, vreinterpretq_s8_u32(la[0]));
    } else {
      int8_t *d0 = panel + (ptrdiff_t)(c / 4) * panel_stride + (ptrdiff_t)kg * 64;
      qcc_qg_store_t4_neon(d0, 16, fi[0], fi[1], fi[2], fi[3]);
      qcc_qg_store_t4_neon(d0 + panel_stride, 16, la[0], la[1], la[2], la[3]);
    }
  }
}

/*
 * Drivers shared by the two ISAs, instantiated by each ISA header with its tile kernels:
 *   TILE(kg, l, r, acc, pair): MR x NR raw sums of L panel l and R panel r over kg groups of G.
 *   TILE1(kg, l, r, rstride, acc, pair): one plain row l times W1 consecutive R panels (r, r + rstride, ...;
 *   W1 * NR columns, acc[q * NR + j] for panel q). ILV = 1: when M < MR (no row uses TILE), the compiler
 *   packed B's W1-panel blocks interleaved for TILE1, which is then called with rstride 0.
 *   MMLINK: how the MatMul and pixel-row drivers are declared, QCC_KERNEL_INLINE (one specialised copy per node
 *   instance) or static inline (shared). Measured (npm run profile:arm, MobileNetV2 zoo, 1x1 convs on 2x2
 *   planes): specialised, dotprod 21.2k -> 12.6k, 46.2k -> 31.2k instructions per node, but NEON +1-5% (GCC
 *   spills accumulators of the inlined 4x4 tile), so NEON keeps them shared.
 *
 * Convolution (NCHW): C[m][pixel] = W[m][k] * im2col[k][pixel]; W is L (packed at compile time per group,
 * [group][MR-row block][k group][MR][G], rows padded to a multiple of MR with zeros, rowc/rowz/scale padded
 * the same way), the im2col tile of QCC_QG_TP pixels is R (packed here). Scratch: Kp * TP + G * TP + 4 * TP.
 * x is the raw input (u8 or i8 bytes), flip 0x80 for u8; xzt the input zero point in normal form.
 */
#define QCC_QG_DRIVERS_DEF_(ISA, MR, NR, G, TILE, TILE1, W1, ILV, MMLINK)                                                 \
  QCC_KERNEL_INLINE void qcc_qlinear_conv_s8_##ISA(const qcc_qconv_params *p, const uint8_t *x, uint8_t flip,    \
                                               int32_t xzt, const int8_t *wp, const int32_t *rowc,               \
                                               const int32_t *rowz, int32_t pair, const float *scale,            \
                                               int32_t yzp, int32_t qmin, int32_t qmax, uint8_t *y,              \
                                               uint8_t *scratch) {                                               \
    const int32_t K = p->c_per_group * p->kernel[0] * p->kernel[1] * p->kernel[2];                               \
    const int32_t KG = (K + (G)-1) / (G), Kp = KG * (G);                                                         \
    const int32_t P = p->out_sp[0] * p->out_sp[1] * p->out_sp[2];                                                \
    const int32_t mpg = p->m_per_group, mpgp = (mpg + (MR)-1) / (MR) * (MR);                                     \
    const ptrdiff_t in_img = (ptrdiff_t)p->c * p->in_sp[0] * p->in_sp[1] * p->in_sp[2];                          \
    const int pointwise = p->kernel[0] * p->kernel[1] * p->kernel[2] == 1 && p->strides[0] == 1 &&               \
                          p->strides[1] == 1 && p->strides[2] == 1 && p->pads[0] == 0 && p->pads[1] == 0 &&      \
                          p->pads[2] == 0;                                                                       \
    int8_t *panel = (int8_t *)scratch;                                                                           \
    int8_t *rows = panel + (ptrdiff_t)Kp * QCC_QG_TP;                                                            \
    int32_t *colsum = (int32_t *)(void *)(rows + (ptrdiff_t)(G) * QCC_QG_TP);                                    \
    int32_t acc[(MR) * (NR)];                                                                                    \
    int32_t n, grp, p0, kg, r, mb, c;                                                                            \
    qcc_qg_epi e;                                                                                                \
    e.colc = NULL;                                                                                               \
    e.colz = NULL;                                                                                               \
    e.rowsum = NULL;                                                                                             \
    e.scol = NULL;                                                                                               \
    e.yzp = yzp;                                                                                                 \
    e.qmin = qmin;                                                                                               \
    e.qmax = qmax;                                                                                               \
    for (n = 0; n < p->n; n++) {                                                                                 \
      for (grp = 0; grp < p->group; grp++) {                                                                     \
        for (p0 = 0; p0 < P; p0 += QCC_QG_TP) {                                                                  \
          const int32_t tp = P - p0 < QCC_QG_TP ? P - p0 : QCC_QG_TP, n8 = (tp + 7) & ~7;                        \
          /* 1x1, stride 1, no pad: the im2col rows are the input channel rows (read in place when the  \
           * tile's n8 columns stay inside the plane). */                                                        \
          const int direct = pointwise && !rowz && p0 + n8 <= P;                                                 \
          const int8_t *rp[(G)];                                                                                 \
          if (rowz) memset(colsum, 0, sizeof(int32_t) * (size_t)n8);                                             \
          if (direct) memset(rows, 0, (size_t)n8);                                                               \
          for (kg = 0; kg < KG; kg++) {                                                                          \
            for (r = 0; r < (G); r++) {                                                                          \
              const int32_t k = kg * (G) + r;                                                                    \
              int8_t *row = rows + (ptrdiff_t)r * QCC_QG_TP;                                                     \
              if (direct) {                                                                                      \
                rp[r] = k < K ? (const int8_t *)(x + n * in_img + (ptrdiff_t)(grp * p->c_per_group + k) * P + p0) \
                              : rows;                                                                            \
              } else if (k < K) {                                                                                \
                qcc_qg_im2col_row_neon(p, x + n * in_img, flip, xzt, grp, k, p0, n8, row);                       \
                if (rowz) qcc_qg_colsum_add_neon(colsum, row, n8);                                               \
                rp[r] = row;                                                                                     \
              } else {                                                                                           \
                memset(row, 0, (size_t)n8);                                                                      \
                rp[r] = row;                                                                                     \
              }                                                                                                  \
            }                                                                                                    \
            qcc_qg_interleave_neon(rp, (G), n8, kg, direct ? flip : (uint8_t)0, panel, (ptrdiff_t)Kp * (NR));    \
          }                                                                                                      \
          for (mb = 0; mb < mpgp / (MR); mb++) {                                                                 \
            const ptrdiff_t ci = (ptrdiff_t)grp * mpgp + (ptrdiff_t)mb * (MR);                                   \
            const int32_t rn = mpg - mb * (MR) < (MR) ? mpg - mb * (MR) : (MR);                                  \
            const int8_t *lw = wp + ci * Kp;                                                                     \
            uint8_t *yb = y + ((ptrdiff_t)n * p->m + (ptrdiff_t)grp * mpg + (ptrdiff_t)mb * (MR)) * P + p0;       \
            e.rowc = rowc + ci;                                                                                  \
            e.rowz = rowz ? rowz + ci : NULL;                                                                    \
            e.srow = scale + ci;                                                                                 \
            for (c = 0; c < tp; c += (NR)) {                                                                     \
              const int32_t cn = tp - c < (NR) ? tp - c : (NR);                                                  \
              TILE(KG, lw, panel + (ptrdiff_t)(c / (NR)) * Kp * (NR), acc, pair);                                \
              e.colsum = colsum + c;                                                                             \
              qcc_qg_epilogue_neon(acc, (NR), rn, cn, &e, yb + c, P);                                            \
            }                                                                                                    \
          }                                                                                                      \
        }                                                                                                        \
      }                                                                                                          \
    }                                                                                                            \
  }                                                                                                              \
                                                                                                                 \
  /*                                                                                                             \
   * MatMul: C[i][j] = A[i][k] * B[k][j]; A is L (packed here: full MR-row blocks as panels, remaining rows     \
   * plain, Kp bytes each), B is R (packed at compile time into panels of NR columns, N padded to W1 * NR).     \
   * colc/colz/scale hold N padded entries. Scratch: M * Kp (rounded up to 16) + 4 * M.                          \
   */                                                                                                            \
  MMLINK void qcc_qlinear_matmul_s8_##ISA(const qcc_qmatmul_params *p, const int32_t *a_off,                       \
                                                 const uint8_t *a, uint8_t flip, const int8_t *bp,               \
                                                 const int32_t *colc, const int32_t *colz, int32_t pair,         \
                                                 const float *scale, int32_t yzp, int32_t qmin, int32_t qmax,    \
                                                 uint8_t *y, uint8_t *scratch) {                                 \
    const int32_t M = p->m, K = p->k, N = p->n;                                                                  \
    const int32_t KG = (K + (G)-1) / (G), Kp = KG * (G), mfull = M / (MR) * (MR);                                \
    const int32_t kv = (G) % 8 == 0 ? K & ~7 : 0; /* A's bytes packed 8 at a time */                             \
    int8_t *lp = (int8_t *)scratch;                                                                              \
    int32_t *rowsum = (int32_t *)(void *)(scratch + (((ptrdiff_t)M * Kp + 15) & ~(ptrdiff_t)15));               \
    int32_t acc[(MR) * (NR) > (W1) * (NR) ? (MR) * (NR) : (W1) * (NR)];                                          \
    int32_t t, i, k, cb, q;                                                                                      \
    qcc_qg_epi e;                                                                                                \
    e.rowc = NULL;                                                                                               \
    e.rowz = NULL;                                                                                               \
    e.colsum = NULL;                                                                                             \
    e.srow = NULL;                                                                                               \
    e.yzp = yzp;                                                                                                 \
    e.qmin = qmin;                                                                                               \
    e.qmax = qmax;                                                                                               \
    for (t = 0; t < p->batch; t++) {                                                                             \
      const uint8_t *at = a + a_off[t];                                                                          \
      uint8_t *yt = y + (ptrdiff_t)t * M * N;                                                                    \
      for (i = 0; i < M; i++) {                                                                                  \
        const uint8_t *src = at + (ptrdiff_t)i * K;                                                              \
        uint32_t sum = 0u;                                                                                       \
        k = 0;                                                                                                   \
        if (i < mfull) {                                                                                         \
          int8_t *blk = lp + (ptrdiff_t)(i / (MR)) * (MR) * Kp + (i % (MR)) * (G);                               \
          /* G a multiple of 8: whole 8-byte runs stay inside one k group. The scalar loop starts at the        \
           * constant kv rather than where the vector loop stopped: with K a multiple of 8 GCC then drops it, \
           * where it used to thread an impossible path into it and warn (-Waggressive-loop-optimizations). */ \
          for (; k < kv; k += 8) {                                                                               \
            const int8x8_t v = vreinterpret_s8_u8(veor_u8(vld1_u8(src + k), vdup_n_u8(flip)));                  \
            vst1_s8(blk + (ptrdiff_t)(k / (G)) * (MR) * (G) + k % (G), v);                                       \
            sum += (uint32_t)(int32_t)vaddlv_s8(v);                                                              \
          }                                                                                                      \
          for (k = kv; k < Kp; k++) {                                                                            \
            const int8_t v = k < K ? (int8_t)(uint8_t)(src[k] ^ flip) : 0;                                       \
            blk[(ptrdiff_t)(k / (G)) * (MR) * (G) + k % (G)] = v;                                                \
            sum += (uint32_t)(int32_t)v;                                                                         \
          }                                                                                                      \
        } else {                                                                                                 \
          int8_t *row = lp + (ptrdiff_t)i * Kp;                                                                  \
          for (; k < kv; k += 8) {                                                                               \
            const int8x8_t v = vreinterpret_s8_u8(veor_u8(vld1_u8(src + k), vdup_n_u8(flip)));                  \
            vst1_s8(row + k, v);                                                                                 \
            sum += (uint32_t)(int32_t)vaddlv_s8(v);                                                              \
          }                                                                                                      \
          for (k = kv; k < Kp; k++) {                                                                            \
            const int8_t v = k < K ? (int8_t)(uint8_t)(src[k] ^ flip) : 0;                                       \
            row[k] = v;                                                                                          \
            sum += (uint32_t)(int32_t)v;                                                                         \
          }                                                                                                      \
        }                                                                                                        \
        rowsum[i] = qcc_i32_from_u32(sum);                                                                       \
      }                                                                                                          \
      for (i = 0; i < mfull; i += (MR)) {                                                                        \
        e.rowsum = rowsum + i;                                                                                   \
        for (cb = 0; cb * (NR) < N; cb++) {                                                                      \
          const int32_t cn = N - cb * (NR) < (NR) ? N - cb * (NR) : (NR);                                        \
          TILE(KG, lp + (ptrdiff_t)i * Kp, bp + (ptrdiff_t)cb * Kp * (NR), acc, pair);                           \
          e.colc = colc + cb * (NR);                                                                             \
          e.colz = colz ? colz + cb * (NR) : NULL;                                                               \
          e.scol = scale + cb * (NR);                                                                            \
          qcc_qg_epilogue_neon(acc, (NR), (MR), cn, &e, yt + (ptrdiff_t)i * N + cb * (NR), N);                   \
        }                                                                                                        \
      }                                                                                                          \
      for (; i < M; i++) {                                                                                       \
        e.rowsum = rowsum + i;                                                                                   \
        for (cb = 0; cb * (NR) < N; cb += (W1)) {                                                                \
          TILE1(KG, lp + (ptrdiff_t)i * Kp, bp + (ptrdiff_t)cb * Kp * (NR), (ILV) && mfull == 0 ? 0 : (ptrdiff_t)Kp * (NR), \
                acc, pair);                                                                                      \
          for (q = 0; q < (W1) && (cb + q) * (NR) < N; q++) {                                                    \
            const int32_t c0 = (cb + q) * (NR), cn = N - c0 < (NR) ? N - c0 : (NR);                              \
            e.colc = colc + c0;                                                                                  \
            e.colz = colz ? colz + c0 : NULL;                                                                    \
            e.scol = scale + c0;                                                                                 \
            qcc_qg_epilogue_neon(acc + q * (NR), (NR), 1, cn, &e, yt + (ptrdiff_t)i * N + c0, N);                \
          }                                                                                                      \
        }                                                                                                        \
      }                                                                                                          \
    }                                                                                                            \
  }                                                                                                              \
                                                                                                               \
  /*                                                                                                           \
   * 1x1 convolution (stride 1, no padding, one group) on a small plane of P pixels as the MatMul above        \
   * with the pixels as rows: A[i][k] = x[k][i] (transposed into scratch), B[k][j] = W[j][k] (packed at        \
   * compile time like a MatMul B: panels of NR output channels, interleaved for TILE1 when P < MR), colc      \
   * the conv rowc, colz the unfolded weight zero points (NULL when all folded), scale per output channel,     \
   * all padded to W1 * NR. The many output channels fill the vector lanes instead of the few pixels; the      \
   * P x M result is transposed into y. The sums are the conv's (the same products, int32 modulo 2^32), so     \
   * the bits are the same. Scratch: P * K and P * M (each rounded up to 16), then the MatMul scratch for      \
   * M = P.                                                                                                    \
   */                                                                                                          \
  MMLINK void qcc_qlinear_conv_pixrows_s8_##ISA(const qcc_qconv_params *p, const uint8_t *x,                  \
                                                      uint8_t flip, const int8_t *bp, const int32_t *colc,     \
                                                      const int32_t *colz, int32_t pair, const float *scale,   \
                                                      int32_t yzp, int32_t qmin, int32_t qmax, uint8_t *y,     \
                                                      uint8_t *scratch) {                                      \
    const int32_t P = p->out_sp[0] * p->out_sp[1] * p->out_sp[2], K = p->c, N = p->m;                          \
    uint8_t *at = scratch;                                                                                     \
    uint8_t *yt = at + (((ptrdiff_t)P * K + 15) & ~(ptrdiff_t)15);                                             \
    uint8_t *ms = yt + (((ptrdiff_t)P * N + 15) & ~(ptrdiff_t)15);                                             \
    const int32_t a_off = 0;                                                                                   \
    qcc_qmatmul_params mp;                                                                                     \
    int32_t n, i, k;                                                                                           \
    mp.batch = 1;                                                                                              \
    mp.m = P;                                                                                                  \
    mp.k = K;                                                                                                  \
    mp.n = N;                                                                                                  \
    for (n = 0; n < p->n; n++) {                                                                               \
      const uint8_t *xn = x + (ptrdiff_t)n * K * P;                                                            \
      uint8_t *yn = y + (ptrdiff_t)n * N * P;                                                                  \
      for (k = 0; k < K; k++) {                                                                                \
        for (i = 0; i < P; i++) at[(ptrdiff_t)i * K + k] = xn[(ptrdiff_t)k * P + i];                           \
      }                                                                                                        \
      qcc_qlinear_matmul_s8_##ISA(&mp, &a_off, at, flip, bp, colc, colz, pair, scale, yzp, qmin, qmax, yt, ms);\
      for (k = 0; k < N; k++) {                                                                                \
        for (i = 0; i < P; i++) yn[(ptrdiff_t)k * P + i] = yt[(ptrdiff_t)i * N + k];                           \
      }                                                                                                        \
    }                                                                                                          \
  }

#endif /* QCC_QGEMM_COMMON_NEON_H */
