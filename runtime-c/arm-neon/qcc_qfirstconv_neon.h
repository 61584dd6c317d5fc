/*
 * qcc_qfirstconv_neon.h: first-layer QLinearConv (group 1, 1 to 3 input channels, 2-D 3x3 window, stride 2
 * along W, no dilation) for AArch64 Advanced SIMD, used by arm-neon: a direct kernel, no im2col. Generic
 * twin: qcc_qlinear_conv_* (qcc_qconv.h).
 *
 * Per output row, each of the C * 3 input rows it reads is staged once in the signed normal form
 * (u8 -> v - 128) with a border of the input zero point xzt (so the taps need no bounds tests; a padded tap
 * adds xzt * w, which rowc cancels as in every arm conv kernel: rowc[m] = bias[m] - xzt * sum w (mod 2^32),
 * w holds w - wzp folded by the compiler and must fit int8), then de-interleaved by LD2 and widened to int16
 * into an even-column and an odd-column row (tap kx = 0, 1, 2 of outputs o.. are even[o..], odd[o..],
 * even[o + 1..]). Then two output channels at a time, their 9 * C weights held as int16 lanes of four
 * registers each (w16: [m][32], zero padded), 16 outputs per step: SMLAL/SMLAL2 by lane into int32, exact
 * products and int32 sums modulo 2^32 like the twin's, and the requantization of the depthwise kernel
 * (qcc_qdw_requant16_neon). An odd last channel is computed with its own weights twice, stored once. A row's
 * last step ends at OW, overlapping the previous one; rows shorter than 16 go through a stack buffer.
 * Scratch (backends/arm-neon/ops.ts convScratch): the staging row of WP bytes rounded up to 16, then C * 3 * 2 int16 rows of R + 16, R = OW
 * rounded up to 16).
 */
#ifndef QCC_QFIRSTCONV_NEON_H
#define QCC_QFIRSTCONV_NEON_H

#include "qcc_qdwconv_neon.h"

/* One tap of the 3x3 window for 16 output pixels and two output channels: de-interleaved input row `r`
 * (shifted by `off` columns), lane `lane` of weight vector `wv`, widened multiply-accumulate into the
 * int32x4 accumulators a0..a3 (channel A) and b0..b3 (channel B). Lanes must be constants, hence a macro. */
#define QCC_QFC_TAP_(r, off, wv, lane) do { \
    xl = vld1q_s16(xr[r] + o + (off)); xh = vld1q_s16(xr[r] + o + (off) + 8); \
    a0 = vmlal_laneq_s16(a0, vget_low_s16(xl), wa[wv], lane); a1 = vmlal_high_laneq_s16(a1, xl, wa[wv], lane); \
    a2 = vmlal_laneq_s16(a2, vget_low_s16(xh), wa[wv], lane); a3 = vmlal_high_laneq_s16(a3, xh, wa[wv], lane); \
    b0 = vmlal_laneq_s16(b0, vget_low_s16(xl), wb[wv], lane); b1 = vmlal_high_laneq_s16(b1, xl, wb[wv], lane); \
    b2 = vmlal_laneq_s16(b2, vget_low_s16(xh), wb[wv], lane); b3 = vmlal_high_laneq_s16(b3, xh, wb[wv], lane); \
  } while (0)

/* The nine taps of input channel 0, 1 or 2 (rows 6c..6c+5 of xr: even and odd columns of the window's three
 * input rows; weight lanes 9c..9c+8 of wa/wb). */
#define QCC_QFC_CH0_() do { \
    QCC_QFC_TAP_(0, 0, 0, 0); QCC_QFC_TAP_(1, 0, 0, 1); QCC_QFC_TAP_(0, 1, 0, 2); \
    QCC_QFC_TAP_(2, 0, 0, 3); QCC_QFC_TAP_(3, 0, 0, 4); QCC_QFC_TAP_(2, 1, 0, 5); \
    QCC_QFC_TAP_(4, 0, 0, 6); QCC_QFC_TAP_(5, 0, 0, 7); QCC_QFC_TAP_(4, 1, 1, 0); \
  } while (0)
#define QCC_QFC_CH1_() do { \
    QCC_QFC_TAP_(6, 0, 1, 1); QCC_QFC_TAP_(7, 0, 1, 2); QCC_QFC_TAP_(6, 1, 1, 3); \
    QCC_QFC_TAP_(8, 0, 1, 4); QCC_QFC_TAP_(9, 0, 1, 5); QCC_QFC_TAP_(8, 1, 1, 6); \
    QCC_QFC_TAP_(10, 0, 1, 7); QCC_QFC_TAP_(11, 0, 2, 0); QCC_QFC_TAP_(10, 1, 2, 1); \
  } while (0)
#define QCC_QFC_CH2_() do { \
    QCC_QFC_TAP_(12, 0, 2, 2); QCC_QFC_TAP_(13, 0, 2, 3); QCC_QFC_TAP_(12, 1, 2, 4); \
    QCC_QFC_TAP_(14, 0, 2, 5); QCC_QFC_TAP_(15, 0, 2, 6); QCC_QFC_TAP_(14, 1, 2, 7); \
    QCC_QFC_TAP_(16, 0, 3, 0); QCC_QFC_TAP_(17, 0, 3, 1); QCC_QFC_TAP_(16, 1, 3, 2); \
  } while (0)

/* One 16-pixel step over 1, 2 or 3 input channels (the taps are unrolled per channel count: lanes are constants). */
#define QCC_QFC_STEP_DEF_(NAME, TAPS) \
  static inline void NAME(const int16_t *const *xr, ptrdiff_t o, const int16x8_t *wa, const int16x8_t *wb, int32x4_t *acc) { \
    int32x4_t a0 = acc[0], a1 = acc[1], a2 = acc[2], a3 = acc[3], b0 = acc[4], b1 = acc[5], b2 = acc[6], b3 = acc[7]; \
    int16x8_t xl, xh; \
    TAPS; \
    acc[0] = a0; acc[1] = a1; acc[2] = a2; acc[3] = a3; acc[4] = b0; acc[5] = b1; acc[6] = b2; acc[7] = b3; \
  }

QCC_QFC_STEP_DEF_(qcc_qfc_step1_neon_, QCC_QFC_CH0_())
QCC_QFC_STEP_DEF_(qcc_qfc_step2_neon_, QCC_QFC_CH0_(); QCC_QFC_CH1_())
QCC_QFC_STEP_DEF_(qcc_qfc_step3_neon_, QCC_QFC_CH0_(); QCC_QFC_CH1_(); QCC_QFC_CH2_())

static inline void qcc_qlinear_conv_first_s8_neon(const qcc_qconv_params *p, const uint8_t *x, uint8_t flip, int32_t xzt,
                                                  const int16_t *w16, const int32_t *rowc, const float *scale,
                                                  int32_t yzp, int32_t qmin, int32_t qmax, uint8_t *y, uint8_t *scratch) {
  const int32_t C = p->c, IH = p->in_sp[1], IW = p->in_sp[2], OH = p->out_sp[1], OW = p->out_sp[2];
  const int32_t SH = p->strides[1], PH = p->pads[1], PW = p->pads[2];
  const int32_t WP = qcc_qdw_plane_width_neon(p), R = (OW + 15) / 16 * 16, WE = R + 16;
  const int32_t sgn = qmin < 0;
  const int8x16_t lo = vdupq_n_s8((int8_t)qmin), hi = vdupq_n_s8((int8_t)qmax);
  const int16x8_t zp = vdupq_n_s16((int16_t)yzp);
  const int8x16_t xz = vdupq_n_s8((int8_t)xzt);
  const uint8x16_t f = vdupq_n_u8(flip);
  const int32_t c0 = PW, cnt = PW + IW > WP ? WP - PW : IW;
  int8_t *stage = (int8_t *)scratch;
  int16_t *rows16 = (int16_t *)(void *)(scratch + (WP + 15) / 16 * 16);
  const int16_t *xr[18];
  int32_t n, m, c, ky, oh, ow, r;
  for (r = 0; r < 6 * C; r++) xr[r] = rows16 + (ptrdiff_t)r * WE;
  for (n = 0; n < p->n; n++) {
    for (oh = 0; oh < OH; oh++) {
      for (c = 0; c < C; c++) {
        for (ky = 0; ky < 3; ky++) {
          const int32_t iy = oh * SH - PH + ky;
          int16_t *ev = rows16 + (ptrdiff_t)(2 * (c * 3 + ky)) * WE, *od = ev + WE;
          const uint8_t *src = x + (((ptrdiff_t)n * C + c) * IH + iy) * IW;
          int32_t i = 0;
          qcc_qdw_fill_neon(stage, xz, WP);
          if (iy >= 0 && iy < IH && cnt > 0) {
            if (cnt >= 16) {
              for (; i + 16 <= cnt; i += 16) vst1q_u8((uint8_t *)stage + c0 + i, veorq_u8(vld1q_u8(src + i), f));
              if (i < cnt) vst1q_u8((uint8_t *)stage + c0 + cnt - 16, veorq_u8(vld1q_u8(src + cnt - 16), f));
            } else {
              for (; i < cnt; i++) stage[c0 + i] = (int8_t)(uint8_t)(src[i] ^ flip);
            }
          }
          /* even / odd columns 0 .. R + 16 (reads stage[0 .. 2R + 32) <= WP = 2R + 35) */
          for (i = 0; i <= R; i += 16) {
            const int8x16x2_t e = vld2q_s8(stage + 2 * i);
            vst1q_s16(ev + i, vmovl_s8(vget_low_s8(e.val[0])));
            vst1q_s16(ev + i + 8, vmovl_high_s8(e.val[0]));
            vst1q_s16(od + i, vmovl_s8(vget_low_s8(e.val[1])));
            vst1q_s16(od + i + 8, vmovl_high_s8(e.val[1]));
          }
        }
      }
      for (m = 0; m < p->m; m += 2) {
        const int32_t two = m + 1 < p->m, m2 = two ? m + 1 : m;
        const int16_t *wp = w16 + (ptrdiff_t)m * 32, *wp2 = w16 + (ptrdiff_t)m2 * 32;
        const int16x8_t wa[4] = {vld1q_s16(wp), vld1q_s16(wp + 8), vld1q_s16(wp + 16), vld1q_s16(wp + 24)};
        const int16x8_t wb[4] = {vld1q_s16(wp2), vld1q_s16(wp2 + 8), vld1q_s16(wp2 + 16), vld1q_s16(wp2 + 24)};
        const float32x4_t sa = vdupq_n_f32(scale[m]), sb = vdupq_n_f32(scale[m2]);
        const int32x4_t ra = vdupq_n_s32(rowc[m]), rb = vdupq_n_s32(rowc[m2]);
        uint8_t *ya = y + (((ptrdiff_t)n * p->m + m) * OH + oh) * OW;
        uint8_t *yb = ya + (ptrdiff_t)OH * OW;
        for (ow = 0; ow < OW; ow += 16) {
          const int32_t o = ow + 16 <= OW || OW < 16 ? ow : OW - 16;
          int32x4_t acc[8];
          int8x16_t res[2];
          int32_t h;
          acc[0] = ra, acc[1] = ra, acc[2] = ra, acc[3] = ra;
          acc[4] = rb, acc[5] = rb, acc[6] = rb, acc[7] = rb;
          if (C == 3) qcc_qfc_step3_neon_(xr, o, wa, wb, acc);
          else if (C == 2) qcc_qfc_step2_neon_(xr, o, wa, wb, acc);
          else qcc_qfc_step1_neon_(xr, o, wa, wb, acc);
          res[0] = qcc_qdw_requant16_neon(acc[0], acc[1], acc[2], acc[3], sa, zp, sgn, lo, hi);
          res[1] = qcc_qdw_requant16_neon(acc[4], acc[5], acc[6], acc[7], sb, zp, sgn, lo, hi);
          for (h = 0; h < 1 + two; h++) {
            uint8_t *yo = h ? yb : ya;
            if (OW >= 16) vst1q_s8((int8_t *)yo + o, res[h]);
            else {
              int8_t out[16];
              vst1q_s8(out, res[h]);
              memcpy(yo, out, (size_t)OW);
            }
          }
        }
      }
    }
  }
}

#endif /* QCC_QFIRSTCONV_NEON_H */
