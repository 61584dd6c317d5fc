/*
 * qcc_qfirstconv_neon.h: first-layer QLinearConv (group 1, 1 to 3 input channels, 2-D 3x3 window, stride 2
 * along W, no dilation) for AArch64 Advanced SIMD, used by arm-neon and arm-neon-dotprod: a direct kernel,
 * no im2col. Generic twin: qcc_qlinear_conv_* (qcc_qconv.h).
 *
 * Per output row, the C * 3 input rows it reads are copied once into scratch in the signed normal form
 * (u8 -> v - 128) with a border of the input zero point xzt (so the taps need no bounds tests; a padded tap
 * adds xzt * w, which rowc cancels as in every arm conv kernel: rowc[m] = bias[m] - xzt * sum w (mod 2^32),
 * w holds w - wzp folded by the compiler and must fit int8). Then per output channel m, its 9 * C weights
 * broadcast, 16 outputs per step: LD2 de-interleaves the stride-2 columns (the even lane is tap kx of
 * outputs o..o+15), SMULL/SMLAL into int16 (two taps per int16 lane when no weight is -128, pair = 1,
 * |sum| <= 2 * 128 * 127 < 2^15; one tap per lane otherwise), SADDW into int32 (modulo 2^32, like the twin's
 * int32 sum) and the requantization of the depthwise kernel (qcc_qdw_requant16_neon). A row's last step
 * ends at OW, overlapping the previous one; rows shorter than 16 go through a stack buffer.
 * Scratch: C * 3 * WP bytes, WP = qcc_qdw_plane_width_neon (((OW + 15) / 16 * 16) * SW + KW + 32).
 */
#ifndef QCC_QFIRSTCONV_NEON_H
#define QCC_QFIRSTCONV_NEON_H

#include "qcc_qdwconv_neon.h"

/* 16 outputs of 1 input channel(s), one tap per int16 lane (unrolled: each (c, ky) row is two LD2) */
static inline void qcc_qfc_step1s_neon_(const int8_t *b, ptrdiff_t WP, const int8x16_t *wv, int32x4_t *acc) {
  int32x4_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  int8x16_t x0, x1, x2, x3, x4, x5, x6, x7, x8;
  int16x8_t pl, ph;
  { const int8x16x2_t e = vld2q_s8(b + 0 * WP); x0 = e.val[0]; x1 = e.val[1]; }
  x2 = vld2q_s8(b + 0 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x0), vget_low_s8(wv[0])); ph = vmull_high_s8(x0, wv[0]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x1), vget_low_s8(wv[1])); ph = vmull_high_s8(x1, wv[1]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x2), vget_low_s8(wv[2])); ph = vmull_high_s8(x2, wv[2]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 1 * WP); x3 = e.val[0]; x4 = e.val[1]; }
  x5 = vld2q_s8(b + 1 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x3), vget_low_s8(wv[3])); ph = vmull_high_s8(x3, wv[3]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x4), vget_low_s8(wv[4])); ph = vmull_high_s8(x4, wv[4]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x5), vget_low_s8(wv[5])); ph = vmull_high_s8(x5, wv[5]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 2 * WP); x6 = e.val[0]; x7 = e.val[1]; }
  x8 = vld2q_s8(b + 2 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x6), vget_low_s8(wv[6])); ph = vmull_high_s8(x6, wv[6]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x7), vget_low_s8(wv[7])); ph = vmull_high_s8(x7, wv[7]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x8), vget_low_s8(wv[8])); ph = vmull_high_s8(x8, wv[8]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  acc[0] = a0; acc[1] = a1; acc[2] = a2; acc[3] = a3;
}

/* 16 outputs of 1 input channel(s), taps paired in int16 (unrolled: each (c, ky) row is two LD2) */
static inline void qcc_qfc_step1p_neon_(const int8_t *b, ptrdiff_t WP, const int8x16_t *wv, int32x4_t *acc) {
  int32x4_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  int8x16_t x0, x1, x2, x3, x4, x5, x6, x7, x8;
  int16x8_t pl, ph;
  { const int8x16x2_t e = vld2q_s8(b + 0 * WP); x0 = e.val[0]; x1 = e.val[1]; }
  x2 = vld2q_s8(b + 0 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x0), vget_low_s8(wv[0])); ph = vmull_high_s8(x0, wv[0]);
  pl = vmlal_s8(pl, vget_low_s8(x1), vget_low_s8(wv[1])); ph = vmlal_high_s8(ph, x1, wv[1]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 1 * WP); x3 = e.val[0]; x4 = e.val[1]; }
  x5 = vld2q_s8(b + 1 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x2), vget_low_s8(wv[2])); ph = vmull_high_s8(x2, wv[2]);
  pl = vmlal_s8(pl, vget_low_s8(x3), vget_low_s8(wv[3])); ph = vmlal_high_s8(ph, x3, wv[3]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x4), vget_low_s8(wv[4])); ph = vmull_high_s8(x4, wv[4]);
  pl = vmlal_s8(pl, vget_low_s8(x5), vget_low_s8(wv[5])); ph = vmlal_high_s8(ph, x5, wv[5]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 2 * WP); x6 = e.val[0]; x7 = e.val[1]; }
  x8 = vld2q_s8(b + 2 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x6), vget_low_s8(wv[6])); ph = vmull_high_s8(x6, wv[6]);
  pl = vmlal_s8(pl, vget_low_s8(x7), vget_low_s8(wv[7])); ph = vmlal_high_s8(ph, x7, wv[7]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x8), vget_low_s8(wv[8])); ph = vmull_high_s8(x8, wv[8]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  acc[0] = a0; acc[1] = a1; acc[2] = a2; acc[3] = a3;
}

/* 16 outputs of 2 input channel(s), one tap per int16 lane (unrolled: each (c, ky) row is two LD2) */
static inline void qcc_qfc_step2s_neon_(const int8_t *b, ptrdiff_t WP, const int8x16_t *wv, int32x4_t *acc) {
  int32x4_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  int8x16_t x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15, x16, x17;
  int16x8_t pl, ph;
  { const int8x16x2_t e = vld2q_s8(b + 0 * WP); x0 = e.val[0]; x1 = e.val[1]; }
  x2 = vld2q_s8(b + 0 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x0), vget_low_s8(wv[0])); ph = vmull_high_s8(x0, wv[0]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x1), vget_low_s8(wv[1])); ph = vmull_high_s8(x1, wv[1]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x2), vget_low_s8(wv[2])); ph = vmull_high_s8(x2, wv[2]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 1 * WP); x3 = e.val[0]; x4 = e.val[1]; }
  x5 = vld2q_s8(b + 1 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x3), vget_low_s8(wv[3])); ph = vmull_high_s8(x3, wv[3]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x4), vget_low_s8(wv[4])); ph = vmull_high_s8(x4, wv[4]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x5), vget_low_s8(wv[5])); ph = vmull_high_s8(x5, wv[5]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 2 * WP); x6 = e.val[0]; x7 = e.val[1]; }
  x8 = vld2q_s8(b + 2 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x6), vget_low_s8(wv[6])); ph = vmull_high_s8(x6, wv[6]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x7), vget_low_s8(wv[7])); ph = vmull_high_s8(x7, wv[7]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x8), vget_low_s8(wv[8])); ph = vmull_high_s8(x8, wv[8]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 3 * WP); x9 = e.val[0]; x10 = e.val[1]; }
  x11 = vld2q_s8(b + 3 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x9), vget_low_s8(wv[9])); ph = vmull_high_s8(x9, wv[9]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x10), vget_low_s8(wv[10])); ph = vmull_high_s8(x10, wv[10]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x11), vget_low_s8(wv[11])); ph = vmull_high_s8(x11, wv[11]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 4 * WP); x12 = e.val[0]; x13 = e.val[1]; }
  x14 = vld2q_s8(b + 4 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x12), vget_low_s8(wv[12])); ph = vmull_high_s8(x12, wv[12]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x13), vget_low_s8(wv[13])); ph = vmull_high_s8(x13, wv[13]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x14), vget_low_s8(wv[14])); ph = vmull_high_s8(x14, wv[14]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 5 * WP); x15 = e.val[0]; x16 = e.val[1]; }
  x17 = vld2q_s8(b + 5 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x15), vget_low_s8(wv[15])); ph = vmull_high_s8(x15, wv[15]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x16), vget_low_s8(wv[16])); ph = vmull_high_s8(x16, wv[16]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x17), vget_low_s8(wv[17])); ph = vmull_high_s8(x17, wv[17]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  acc[0] = a0; acc[1] = a1; acc[2] = a2; acc[3] = a3;
}

/* 16 outputs of 2 input channel(s), taps paired in int16 (unrolled: each (c, ky) row is two LD2) */
static inline void qcc_qfc_step2p_neon_(const int8_t *b, ptrdiff_t WP, const int8x16_t *wv, int32x4_t *acc) {
  int32x4_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  int8x16_t x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15, x16, x17;
  int16x8_t pl, ph;
  { const int8x16x2_t e = vld2q_s8(b + 0 * WP); x0 = e.val[0]; x1 = e.val[1]; }
  x2 = vld2q_s8(b + 0 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x0), vget_low_s8(wv[0])); ph = vmull_high_s8(x0, wv[0]);
  pl = vmlal_s8(pl, vget_low_s8(x1), vget_low_s8(wv[1])); ph = vmlal_high_s8(ph, x1, wv[1]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 1 * WP); x3 = e.val[0]; x4 = e.val[1]; }
  x5 = vld2q_s8(b + 1 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x2), vget_low_s8(wv[2])); ph = vmull_high_s8(x2, wv[2]);
  pl = vmlal_s8(pl, vget_low_s8(x3), vget_low_s8(wv[3])); ph = vmlal_high_s8(ph, x3, wv[3]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x4), vget_low_s8(wv[4])); ph = vmull_high_s8(x4, wv[4]);
  pl = vmlal_s8(pl, vget_low_s8(x5), vget_low_s8(wv[5])); ph = vmlal_high_s8(ph, x5, wv[5]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 2 * WP); x6 = e.val[0]; x7 = e.val[1]; }
  x8 = vld2q_s8(b + 2 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x6), vget_low_s8(wv[6])); ph = vmull_high_s8(x6, wv[6]);
  pl = vmlal_s8(pl, vget_low_s8(x7), vget_low_s8(wv[7])); ph = vmlal_high_s8(ph, x7, wv[7]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 3 * WP); x9 = e.val[0]; x10 = e.val[1]; }
  x11 = vld2q_s8(b + 3 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x8), vget_low_s8(wv[8])); ph = vmull_high_s8(x8, wv[8]);
  pl = vmlal_s8(pl, vget_low_s8(x9), vget_low_s8(wv[9])); ph = vmlal_high_s8(ph, x9, wv[9]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x10), vget_low_s8(wv[10])); ph = vmull_high_s8(x10, wv[10]);
  pl = vmlal_s8(pl, vget_low_s8(x11), vget_low_s8(wv[11])); ph = vmlal_high_s8(ph, x11, wv[11]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 4 * WP); x12 = e.val[0]; x13 = e.val[1]; }
  x14 = vld2q_s8(b + 4 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x12), vget_low_s8(wv[12])); ph = vmull_high_s8(x12, wv[12]);
  pl = vmlal_s8(pl, vget_low_s8(x13), vget_low_s8(wv[13])); ph = vmlal_high_s8(ph, x13, wv[13]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 5 * WP); x15 = e.val[0]; x16 = e.val[1]; }
  x17 = vld2q_s8(b + 5 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x14), vget_low_s8(wv[14])); ph = vmull_high_s8(x14, wv[14]);
  pl = vmlal_s8(pl, vget_low_s8(x15), vget_low_s8(wv[15])); ph = vmlal_high_s8(ph, x15, wv[15]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x16), vget_low_s8(wv[16])); ph = vmull_high_s8(x16, wv[16]);
  pl = vmlal_s8(pl, vget_low_s8(x17), vget_low_s8(wv[17])); ph = vmlal_high_s8(ph, x17, wv[17]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  acc[0] = a0; acc[1] = a1; acc[2] = a2; acc[3] = a3;
}

/* 16 outputs of 3 input channel(s), one tap per int16 lane (unrolled: each (c, ky) row is two LD2) */
static inline void qcc_qfc_step3s_neon_(const int8_t *b, ptrdiff_t WP, const int8x16_t *wv, int32x4_t *acc) {
  int32x4_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  int8x16_t x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15, x16, x17, x18, x19, x20, x21, x22, x23, x24, x25, x26;
  int16x8_t pl, ph;
  { const int8x16x2_t e = vld2q_s8(b + 0 * WP); x0 = e.val[0]; x1 = e.val[1]; }
  x2 = vld2q_s8(b + 0 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x0), vget_low_s8(wv[0])); ph = vmull_high_s8(x0, wv[0]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x1), vget_low_s8(wv[1])); ph = vmull_high_s8(x1, wv[1]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x2), vget_low_s8(wv[2])); ph = vmull_high_s8(x2, wv[2]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 1 * WP); x3 = e.val[0]; x4 = e.val[1]; }
  x5 = vld2q_s8(b + 1 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x3), vget_low_s8(wv[3])); ph = vmull_high_s8(x3, wv[3]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x4), vget_low_s8(wv[4])); ph = vmull_high_s8(x4, wv[4]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x5), vget_low_s8(wv[5])); ph = vmull_high_s8(x5, wv[5]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 2 * WP); x6 = e.val[0]; x7 = e.val[1]; }
  x8 = vld2q_s8(b + 2 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x6), vget_low_s8(wv[6])); ph = vmull_high_s8(x6, wv[6]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x7), vget_low_s8(wv[7])); ph = vmull_high_s8(x7, wv[7]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x8), vget_low_s8(wv[8])); ph = vmull_high_s8(x8, wv[8]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 3 * WP); x9 = e.val[0]; x10 = e.val[1]; }
  x11 = vld2q_s8(b + 3 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x9), vget_low_s8(wv[9])); ph = vmull_high_s8(x9, wv[9]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x10), vget_low_s8(wv[10])); ph = vmull_high_s8(x10, wv[10]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x11), vget_low_s8(wv[11])); ph = vmull_high_s8(x11, wv[11]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 4 * WP); x12 = e.val[0]; x13 = e.val[1]; }
  x14 = vld2q_s8(b + 4 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x12), vget_low_s8(wv[12])); ph = vmull_high_s8(x12, wv[12]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x13), vget_low_s8(wv[13])); ph = vmull_high_s8(x13, wv[13]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x14), vget_low_s8(wv[14])); ph = vmull_high_s8(x14, wv[14]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 5 * WP); x15 = e.val[0]; x16 = e.val[1]; }
  x17 = vld2q_s8(b + 5 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x15), vget_low_s8(wv[15])); ph = vmull_high_s8(x15, wv[15]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x16), vget_low_s8(wv[16])); ph = vmull_high_s8(x16, wv[16]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x17), vget_low_s8(wv[17])); ph = vmull_high_s8(x17, wv[17]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 6 * WP); x18 = e.val[0]; x19 = e.val[1]; }
  x20 = vld2q_s8(b + 6 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x18), vget_low_s8(wv[18])); ph = vmull_high_s8(x18, wv[18]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x19), vget_low_s8(wv[19])); ph = vmull_high_s8(x19, wv[19]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x20), vget_low_s8(wv[20])); ph = vmull_high_s8(x20, wv[20]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 7 * WP); x21 = e.val[0]; x22 = e.val[1]; }
  x23 = vld2q_s8(b + 7 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x21), vget_low_s8(wv[21])); ph = vmull_high_s8(x21, wv[21]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x22), vget_low_s8(wv[22])); ph = vmull_high_s8(x22, wv[22]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x23), vget_low_s8(wv[23])); ph = vmull_high_s8(x23, wv[23]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 8 * WP); x24 = e.val[0]; x25 = e.val[1]; }
  x26 = vld2q_s8(b + 8 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x24), vget_low_s8(wv[24])); ph = vmull_high_s8(x24, wv[24]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x25), vget_low_s8(wv[25])); ph = vmull_high_s8(x25, wv[25]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x26), vget_low_s8(wv[26])); ph = vmull_high_s8(x26, wv[26]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  acc[0] = a0; acc[1] = a1; acc[2] = a2; acc[3] = a3;
}

/* 16 outputs of 3 input channel(s), taps paired in int16 (unrolled: each (c, ky) row is two LD2) */
static inline void qcc_qfc_step3p_neon_(const int8_t *b, ptrdiff_t WP, const int8x16_t *wv, int32x4_t *acc) {
  int32x4_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3];
  int8x16_t x0, x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15, x16, x17, x18, x19, x20, x21, x22, x23, x24, x25, x26;
  int16x8_t pl, ph;
  { const int8x16x2_t e = vld2q_s8(b + 0 * WP); x0 = e.val[0]; x1 = e.val[1]; }
  x2 = vld2q_s8(b + 0 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x0), vget_low_s8(wv[0])); ph = vmull_high_s8(x0, wv[0]);
  pl = vmlal_s8(pl, vget_low_s8(x1), vget_low_s8(wv[1])); ph = vmlal_high_s8(ph, x1, wv[1]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 1 * WP); x3 = e.val[0]; x4 = e.val[1]; }
  x5 = vld2q_s8(b + 1 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x2), vget_low_s8(wv[2])); ph = vmull_high_s8(x2, wv[2]);
  pl = vmlal_s8(pl, vget_low_s8(x3), vget_low_s8(wv[3])); ph = vmlal_high_s8(ph, x3, wv[3]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x4), vget_low_s8(wv[4])); ph = vmull_high_s8(x4, wv[4]);
  pl = vmlal_s8(pl, vget_low_s8(x5), vget_low_s8(wv[5])); ph = vmlal_high_s8(ph, x5, wv[5]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 2 * WP); x6 = e.val[0]; x7 = e.val[1]; }
  x8 = vld2q_s8(b + 2 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x6), vget_low_s8(wv[6])); ph = vmull_high_s8(x6, wv[6]);
  pl = vmlal_s8(pl, vget_low_s8(x7), vget_low_s8(wv[7])); ph = vmlal_high_s8(ph, x7, wv[7]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 3 * WP); x9 = e.val[0]; x10 = e.val[1]; }
  x11 = vld2q_s8(b + 3 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x8), vget_low_s8(wv[8])); ph = vmull_high_s8(x8, wv[8]);
  pl = vmlal_s8(pl, vget_low_s8(x9), vget_low_s8(wv[9])); ph = vmlal_high_s8(ph, x9, wv[9]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x10), vget_low_s8(wv[10])); ph = vmull_high_s8(x10, wv[10]);
  pl = vmlal_s8(pl, vget_low_s8(x11), vget_low_s8(wv[11])); ph = vmlal_high_s8(ph, x11, wv[11]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 4 * WP); x12 = e.val[0]; x13 = e.val[1]; }
  x14 = vld2q_s8(b + 4 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x12), vget_low_s8(wv[12])); ph = vmull_high_s8(x12, wv[12]);
  pl = vmlal_s8(pl, vget_low_s8(x13), vget_low_s8(wv[13])); ph = vmlal_high_s8(ph, x13, wv[13]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 5 * WP); x15 = e.val[0]; x16 = e.val[1]; }
  x17 = vld2q_s8(b + 5 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x14), vget_low_s8(wv[14])); ph = vmull_high_s8(x14, wv[14]);
  pl = vmlal_s8(pl, vget_low_s8(x15), vget_low_s8(wv[15])); ph = vmlal_high_s8(ph, x15, wv[15]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x16), vget_low_s8(wv[16])); ph = vmull_high_s8(x16, wv[16]);
  pl = vmlal_s8(pl, vget_low_s8(x17), vget_low_s8(wv[17])); ph = vmlal_high_s8(ph, x17, wv[17]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 6 * WP); x18 = e.val[0]; x19 = e.val[1]; }
  x20 = vld2q_s8(b + 6 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x18), vget_low_s8(wv[18])); ph = vmull_high_s8(x18, wv[18]);
  pl = vmlal_s8(pl, vget_low_s8(x19), vget_low_s8(wv[19])); ph = vmlal_high_s8(ph, x19, wv[19]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 7 * WP); x21 = e.val[0]; x22 = e.val[1]; }
  x23 = vld2q_s8(b + 7 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x20), vget_low_s8(wv[20])); ph = vmull_high_s8(x20, wv[20]);
  pl = vmlal_s8(pl, vget_low_s8(x21), vget_low_s8(wv[21])); ph = vmlal_high_s8(ph, x21, wv[21]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x22), vget_low_s8(wv[22])); ph = vmull_high_s8(x22, wv[22]);
  pl = vmlal_s8(pl, vget_low_s8(x23), vget_low_s8(wv[23])); ph = vmlal_high_s8(ph, x23, wv[23]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  { const int8x16x2_t e = vld2q_s8(b + 8 * WP); x24 = e.val[0]; x25 = e.val[1]; }
  x26 = vld2q_s8(b + 8 * WP + 2).val[0];
  pl = vmull_s8(vget_low_s8(x24), vget_low_s8(wv[24])); ph = vmull_high_s8(x24, wv[24]);
  pl = vmlal_s8(pl, vget_low_s8(x25), vget_low_s8(wv[25])); ph = vmlal_high_s8(ph, x25, wv[25]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  pl = vmull_s8(vget_low_s8(x26), vget_low_s8(wv[26])); ph = vmull_high_s8(x26, wv[26]);
  a0 = vaddw_s16(a0, vget_low_s16(pl)); a1 = vaddw_high_s16(a1, pl);
  a2 = vaddw_s16(a2, vget_low_s16(ph)); a3 = vaddw_high_s16(a3, ph);
  acc[0] = a0; acc[1] = a1; acc[2] = a2; acc[3] = a3;
}

static inline void qcc_qlinear_conv_first_s8_neon(const qcc_qconv_params *p, const uint8_t *x, uint8_t flip, int32_t xzt,
                                                  const int8_t *w, const int32_t *rowc, int32_t pair, const float *scale,
                                                  int32_t yzp, int32_t qmin, int32_t qmax, uint8_t *y, int8_t *rows) {
  const int32_t C = p->c, IH = p->in_sp[1], IW = p->in_sp[2], OH = p->out_sp[1], OW = p->out_sp[2];
  const int32_t SH = p->strides[1], PH = p->pads[1], PW = p->pads[2], K = 9 * C;
  const int32_t WP = qcc_qdw_plane_width_neon(p);
  const int32_t sgn = qmin < 0;
  const int8x16_t lo = vdupq_n_s8((int8_t)qmin), hi = vdupq_n_s8((int8_t)qmax);
  const int16x8_t zp = vdupq_n_s16((int16_t)yzp);
  const int8x16_t xz = vdupq_n_s8((int8_t)xzt);
  const uint8x16_t f = vdupq_n_u8(flip);
  const int32_t c0 = PW, cnt = PW + IW > WP ? WP - PW : IW;
  int32_t n, m, c, ky, oh, ow, j;
  for (n = 0; n < p->n; n++) {
    for (oh = 0; oh < OH; oh++) {
      /* rows[(c * 3 + ky) * WP + col]: input row oh * SH - PH + ky of channel c, column col - PW, else xzt */
      for (c = 0; c < C; c++) {
        for (ky = 0; ky < 3; ky++) {
          const int32_t iy = oh * SH - PH + ky;
          int8_t *dst = rows + (ptrdiff_t)(c * 3 + ky) * WP;
          const uint8_t *src = x + (((ptrdiff_t)n * C + c) * IH + iy) * IW;
          int32_t i = 0;
          qcc_qdw_fill_neon(dst, xz, WP);
          if (iy < 0 || iy >= IH || cnt <= 0) continue;
          if (cnt >= 16) {
            for (; i + 16 <= cnt; i += 16) vst1q_u8((uint8_t *)dst + c0 + i, veorq_u8(vld1q_u8(src + i), f));
            if (i < cnt) vst1q_u8((uint8_t *)dst + c0 + cnt - 16, veorq_u8(vld1q_u8(src + cnt - 16), f));
          } else {
            for (; i < cnt; i++) dst[c0 + i] = (int8_t)(uint8_t)(src[i] ^ flip);
          }
        }
      }
      for (m = 0; m < p->m; m++) {
        const int8_t *wm = w + (ptrdiff_t)m * K;
        const float32x4_t s = vdupq_n_f32(scale[m]);
        const int32x4_t rc = vdupq_n_s32(rowc[m]);
        uint8_t *yr = y + (((ptrdiff_t)n * p->m + m) * OH + oh) * OW;
        int8x16_t wv[27];
        for (j = 0; j < K; j++) wv[j] = vdupq_n_s8(wm[j]);
        for (ow = 0; ow < OW; ow += 16) {
          const int32_t o = ow + 16 <= OW || OW < 16 ? ow : OW - 16;
          const int8_t *b = rows + (ptrdiff_t)o * 2;
          int8x16_t res;
          int32x4_t acc[4];
          acc[0] = rc, acc[1] = rc, acc[2] = rc, acc[3] = rc;
          if (C == 3) {
            if (pair) qcc_qfc_step3p_neon_(b, WP, wv, acc);
            else qcc_qfc_step3s_neon_(b, WP, wv, acc);
          } else if (C == 2) {
            if (pair) qcc_qfc_step2p_neon_(b, WP, wv, acc);
            else qcc_qfc_step2s_neon_(b, WP, wv, acc);
          } else {
            if (pair) qcc_qfc_step1p_neon_(b, WP, wv, acc);
            else qcc_qfc_step1s_neon_(b, WP, wv, acc);
          }
          res = qcc_qdw_requant16_neon(acc[0], acc[1], acc[2], acc[3], s, zp, sgn, lo, hi);
          if (OW >= 16) vst1q_s8((int8_t *)yr + o, res);
          else {
            int8_t out[16];
            vst1q_s8(out, res);
            memcpy(yr, out, (size_t)OW);
          }
        }
      }
    }
  }
}

#endif /* QCC_QFIRSTCONV_NEON_H */
