/*
 * qcc_qdwconv_neon.h: depthwise QLinearConv (group == C == M, 2-D, KH x KW taps, strides 1 or 2, no
 * dilation) for AArch64 Advanced SIMD, used by arm-neon and arm-neon-dotprod (SDOT sums 4 neighbouring
 * bytes, which a per-channel 3x3 window does not have). Generic twin: qcc_qlinear_conv_* (qcc_qconv.h).
 *
 * Per channel, the input plane is copied into scratch in the signed normal form (u8 -> v - 128) with a
 * border of the input zero point (xzt, normal form) wide enough for every tap of every output (and for
 * over-reading 16-pixel vectors), so the inner loop has no bounds tests: out = sum_t xt * w[t] + rowc[m]
 * where w holds w - wzp (the compiler folds the weight zero point; it must fit int8) and
 * rowc[m] = bias[m] - xzt * sum_t w[t] (mod 2^32). Products go through int16 like qcc_qgemm_neon.h:
 * pair = 1 adds two taps in an int16 lane (vmull + vmlal), exact when no weight is -128 (checked at
 * compile time); pair = 0 widens each product on its own. Then int32 (vaddw, modulo 2^32) and the
 * fp32 requantization of qcc_qgemm_common_neon.h.
 * Scratch: ((OH - 1) * SH + KH) * WP bytes with WP = ((OW + 15) / 16 * 16) * SW + KW + 32.
 */
#ifndef QCC_QDWCONV_NEON_H
#define QCC_QDWCONV_NEON_H

#include "qcc_qgemm_common_neon.h"

static inline int32_t qcc_qdw_plane_width_neon(const qcc_qconv_params *p) {
  return (p->out_sp[2] + 15) / 16 * 16 * p->strides[2] + p->kernel[2] + 32;
}

static inline int8x16_t qcc_qdw_load_neon(const int8_t *src, int32_t sw) {
  return sw == 1 ? vld1q_s8(src) : vld2q_s8(src).val[0];
}

/* Accumulate one tap (x vector at P, weight vector W) or two taps sharing int16 lanes (exact: see above). */
#define QCC_QDW_WIDEN_(pl, ph)                                                                                   \
  do {                                                                                                           \
    a0 = vaddw_s16(a0, vget_low_s16(pl));                                                                        \
    a1 = vaddw_high_s16(a1, pl);                                                                                 \
    a2 = vaddw_s16(a2, vget_low_s16(ph));                                                                        \
    a3 = vaddw_high_s16(a3, ph);                                                                                 \
  } while (0)
#define QCC_QDW_ONE_(P, W)                                                                                       \
  do {                                                                                                           \
    const int8x16_t xv_ = qcc_qdw_load_neon(P, SW);                                                              \
    const int16x8_t pl_ = vmull_s8(vget_low_s8(xv_), vget_low_s8(W)), ph_ = vmull_high_s8(xv_, W);               \
    QCC_QDW_WIDEN_(pl_, ph_);                                                                                    \
  } while (0)
#define QCC_QDW_PAIR_(P, Q, W, V)                                                                                \
  do {                                                                                                           \
    const int8x16_t xv_ = qcc_qdw_load_neon(P, SW), xw_ = qcc_qdw_load_neon(Q, SW);                              \
    int16x8_t pl_ = vmull_s8(vget_low_s8(xv_), vget_low_s8(W)), ph_ = vmull_high_s8(xv_, W);                     \
    pl_ = vmlal_s8(pl_, vget_low_s8(xw_), vget_low_s8(V));                                                       \
    ph_ = vmlal_high_s8(ph_, xw_, V);                                                                            \
    QCC_QDW_WIDEN_(pl_, ph_);                                                                                    \
  } while (0)

static inline void qcc_qlinear_dwconv_s8_neon(const qcc_qconv_params *p, const uint8_t *x, uint8_t flip, int32_t xzt,
                                              const int8_t *w, const int32_t *rowc, int32_t pair, const float *scale,
                                              int32_t yzp, int32_t qmin, int32_t qmax, uint8_t *y, int8_t *plane) {
  const int32_t IH = p->in_sp[1], IW = p->in_sp[2], OH = p->out_sp[1], OW = p->out_sp[2];
  const int32_t KH = p->kernel[1], KW = p->kernel[2], SH = p->strides[1], SW = p->strides[2];
  const int32_t PH = p->pads[1], PW = p->pads[2], T = KH * KW;
  const int32_t WP = qcc_qdw_plane_width_neon(p), HP = (OH - 1) * SH + KH;
  const float32x4_t lo = vdupq_n_f32((float)(qmin - yzp)), hi = vdupq_n_f32((float)(qmax - yzp));
  const int32x4_t zp = vdupq_n_s32(yzp);
  const uint8x16_t f = vdupq_n_u8(flip);
  int32_t n, m, r, oh, ow, t;
  for (n = 0; n < p->n; n++) {
    for (m = 0; m < p->m; m++) {
      const uint8_t *xc = x + ((ptrdiff_t)n * p->c + m) * IH * IW;
      uint8_t *yc = y + ((ptrdiff_t)n * p->m + m) * OH * OW;
      const int8_t *wm = w + (ptrdiff_t)m * T;
      const float32x4_t s = vdupq_n_f32(scale[m]);
      const int32x4_t rc = vdupq_n_s32(rowc[m]);
      int8x16_t w3x3[9];
      for (t = 0; t < 9 && t < T; t++) w3x3[t] = vdupq_n_s8(wm[t]);
      /* The padded plane: row r is input row r - PH, column c input column c - PW. */
      for (r = 0; r < HP; r++) {
        int8_t *dst = plane + (ptrdiff_t)r * WP;
        const int32_t ih = r - PH;
        int32_t c0 = PW, cnt = IW, j = 0;
        memset(dst, (uint8_t)(int8_t)xzt, (size_t)WP);
        if (ih < 0 || ih >= IH) continue;
        if (c0 + cnt > WP) cnt = WP - c0;
        for (; j + 16 <= cnt; j += 16) vst1q_u8((uint8_t *)dst + c0 + j, veorq_u8(vld1q_u8(xc + (ptrdiff_t)ih * IW + j), f));
        for (; j < cnt; j++) dst[c0 + j] = (int8_t)(uint8_t)(xc[(ptrdiff_t)ih * IW + j] ^ flip);
      }
      for (oh = 0; oh < OH; oh++) {
        const int8_t *base = plane + (ptrdiff_t)oh * SH * WP;
        for (ow = 0; ow < OW; ow += 16) {
          int32x4_t a0 = vdupq_n_s32(0), a1 = a0, a2 = a0, a3 = a0;
          const int8_t *b = base + (ptrdiff_t)ow * SW;
          int8_t out[16];
          int32_t cn = OW - ow < 16 ? OW - ow : 16;
          if (KH == 3 && KW == 3) {
            /* 3x3: taps unrolled, weights in registers (w3x3[]), pairs 0+1, 2+3, 4+5, 6+7 and 8 alone. */
            const int8_t *b0 = b, *b1 = b + WP, *b2 = b + 2 * WP;
            if (pair) {
              QCC_QDW_PAIR_(b0, b0 + 1, w3x3[0], w3x3[1]);
              QCC_QDW_PAIR_(b0 + 2, b1, w3x3[2], w3x3[3]);
              QCC_QDW_PAIR_(b1 + 1, b1 + 2, w3x3[4], w3x3[5]);
              QCC_QDW_PAIR_(b2, b2 + 1, w3x3[6], w3x3[7]);
            } else {
              QCC_QDW_ONE_(b0, w3x3[0]); QCC_QDW_ONE_(b0 + 1, w3x3[1]); QCC_QDW_ONE_(b0 + 2, w3x3[2]);
              QCC_QDW_ONE_(b1, w3x3[3]); QCC_QDW_ONE_(b1 + 1, w3x3[4]); QCC_QDW_ONE_(b1 + 2, w3x3[5]);
              QCC_QDW_ONE_(b2, w3x3[6]); QCC_QDW_ONE_(b2 + 1, w3x3[7]);
            }
            QCC_QDW_ONE_(b2 + 2, w3x3[8]);
          } else for (t = 0; t < T; t++) {
            const int8x16_t xv = qcc_qdw_load_neon(b + (t / KW) * WP + t % KW, SW);
            const int8x16_t wv = vdupq_n_s8(wm[t]);
            int16x8_t pl = vmull_s8(vget_low_s8(xv), vget_low_s8(wv));
            int16x8_t ph = vmull_high_s8(xv, wv);
            if (pair && t + 1 < T) {
              const int8x16_t xv2 = qcc_qdw_load_neon(b + ((t + 1) / KW) * WP + (t + 1) % KW, SW);
              const int8x16_t wv2 = vdupq_n_s8(wm[t + 1]);
              pl = vmlal_s8(pl, vget_low_s8(xv2), vget_low_s8(wv2));
              ph = vmlal_high_s8(ph, xv2, wv2);
              t++;
            }
            a0 = vaddw_s16(a0, vget_low_s16(pl));
            a1 = vaddw_high_s16(a1, pl);
            a2 = vaddw_s16(a2, vget_low_s16(ph));
            a3 = vaddw_high_s16(a3, ph);
          }
          a0 = qcc_requant_s32x4_neon(vaddq_s32(a0, rc), s, lo, hi, zp);
          a1 = qcc_requant_s32x4_neon(vaddq_s32(a1, rc), s, lo, hi, zp);
          a2 = qcc_requant_s32x4_neon(vaddq_s32(a2, rc), s, lo, hi, zp);
          a3 = qcc_requant_s32x4_neon(vaddq_s32(a3, rc), s, lo, hi, zp);
          if (cn == 16) {
            vst1_s8((int8_t *)(yc + (ptrdiff_t)oh * OW + ow), qcc_narrow8_neon(a0, a1));
            vst1_s8((int8_t *)(yc + (ptrdiff_t)oh * OW + ow + 8), qcc_narrow8_neon(a2, a3));
          } else {
            vst1_s8(out, qcc_narrow8_neon(a0, a1));
            vst1_s8(out + 8, qcc_narrow8_neon(a2, a3));
            memcpy(yc + (ptrdiff_t)oh * OW + ow, out, (size_t)cn);
          }
        }
      }
    }
  }
}

#endif /* QCC_QDWCONV_NEON_H */
