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
 * compile time); pair = 0 widens each product on its own. Then int32 (vaddw onto rowc, modulo 2^32)
 * and the fp32 requantization (qcc_qdw_requant16_neon: the float product and rounding of
 * qcc_qgemm_common_neon.h, the clamp on integers). 3x3 windows of stride 1 or 2 have their own unrolled
 * row loop; a row's last step (8 outputs when at most 8 are left, else 16) ends at OW, overlapping the previous
 * one, instead of going through a buffer.
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
#define QCC_QDW_WIDEN_(pl, ph)                                                                                       \
  do {                                                                                                               \
    a0 = vaddw_s16(a0, vget_low_s16(pl));                                                                            \
    a1 = vaddw_high_s16(a1, pl);                                                                                     \
    a2 = vaddw_s16(a2, vget_low_s16(ph));                                                                            \
    a3 = vaddw_high_s16(a3, ph);                                                                                     \
  } while (0)
#define QCC_QDW_ONE_(P, W, S)                                                                                        \
  do {                                                                                                               \
    const int8x16_t xv_ = qcc_qdw_load_neon(P, S);                                                                   \
    const int16x8_t pl_ = vmull_s8(vget_low_s8(xv_), vget_low_s8(W)), ph_ = vmull_high_s8(xv_, W);                   \
    QCC_QDW_WIDEN_(pl_, ph_);                                                                                        \
  } while (0)
#define QCC_QDW_PAIR_(P, Q, W, V, S)                                                                                 \
  do {                                                                                                               \
    const int8x16_t xv_ = qcc_qdw_load_neon(P, S), xw_ = qcc_qdw_load_neon(Q, S);                                    \
    int16x8_t pl_ = vmull_s8(vget_low_s8(xv_), vget_low_s8(W)), ph_ = vmull_high_s8(xv_, W);                         \
    pl_ = vmlal_s8(pl_, vget_low_s8(xw_), vget_low_s8(V));                                                           \
    ph_ = vmlal_high_s8(ph_, xw_, V);                                                                                \
    QCC_QDW_WIDEN_(pl_, ph_);                                                                                        \
  } while (0)

/*
 * Sixteen outputs from int32 sums: float32(acc) * scale (SCVTF, FMUL, as qcc_requant_s32x4_neon; s0 for
 * lanes 0-3, ..., s3 for lanes 12-15), FCVTNS (round half to even, saturating; NaN -> 0), then the clamp in
 * the integer domain with saturating narrows (int32 -> int16, + zp, -> 8 bits) and UMAX/UMIN (SMAX/SMIN) to
 * [qmin, qmax]. Every step after the product is monotone and the bounds are integers, so round(clamp(v)) ==
 * clamp(round(v)) and this equals the float clamp of qcc_requant_s32x4_neon; a NaN product gives zp on both (zp is
 * inside [qmin, qmax] unless a fused clamp moved the bounds, and such nodes with non-finite scales stay generic).
 * sgn: the bounds are signed (qmin < 0, i8 output); otherwise they lie in [0, 255] and the u8 narrow is used.
 */
static inline int8x16_t qcc_qdw_requant16s_neon(int32x4_t a0, int32x4_t a1, int32x4_t a2, int32x4_t a3,
                                                float32x4_t s0, float32x4_t s1, float32x4_t s2, float32x4_t s3,
                                                int16x8_t zp, int32_t sgn, int8x16_t lo, int8x16_t hi) {
  const int32x4_t r0 = vcvtnq_s32_f32(vmulq_f32(vcvtq_f32_s32(a0), s0));
  const int32x4_t r1 = vcvtnq_s32_f32(vmulq_f32(vcvtq_f32_s32(a1), s1));
  const int32x4_t r2 = vcvtnq_s32_f32(vmulq_f32(vcvtq_f32_s32(a2), s2));
  const int32x4_t r3 = vcvtnq_s32_f32(vmulq_f32(vcvtq_f32_s32(a3), s3));
  const int16x8_t h0 = vqaddq_s16(vqmovn_high_s32(vqmovn_s32(r0), r1), zp);
  const int16x8_t h1 = vqaddq_s16(vqmovn_high_s32(vqmovn_s32(r2), r3), zp);
  if (sgn) return vminq_s8(vmaxq_s8(vqmovn_high_s16(vqmovn_s16(h0), h1), lo), hi);
  return vreinterpretq_s8_u8(vminq_u8(vmaxq_u8(vqmovun_high_s16(vqmovun_s16(h0), h1), vreinterpretq_u8_s8(lo)),
                                      vreinterpretq_u8_s8(hi)));
}
/* The same with one scale for the sixteen lanes (sixteen outputs of one channel). */
static inline int8x16_t qcc_qdw_requant16_neon(int32x4_t a0, int32x4_t a1, int32x4_t a2, int32x4_t a3, float32x4_t s,
                                               int16x8_t zp, int32_t sgn, int8x16_t lo, int8x16_t hi) {
  return qcc_qdw_requant16s_neon(a0, a1, a2, a3, s, s, s, s, zp, sgn, lo, hi);
}

/* dst[0 .. n) = v for n >= 16: 16-byte stores, the last one overlapping (no memset call for short rows). */
static inline void qcc_qdw_fill_neon(int8_t *dst, int8x16_t v, int32_t n) {
  int32_t i;
  for (i = 0; i + 16 < n; i += 16) vst1q_s8(dst + i, v);
  vst1q_s8(dst + n - 16, v);
}

/* 8 outputs (the short last step of a row): 64-bit loads, one int16 vector per tap group. */
static inline int8x8_t qcc_qdw_load8_neon(const int8_t *src, int32_t sw) {
  return sw == 1 ? vld1_s8(src) : vld2_s8(src).val[0];
}
#define QCC_QDW_ONE8_(P, W, S)                                                                                       \
  do {                                                                                                               \
    const int16x8_t pl_ = vmull_s8(qcc_qdw_load8_neon(P, S), vget_low_s8(W));                                        \
    a0 = vaddw_s16(a0, vget_low_s16(pl_));                                                                           \
    a1 = vaddw_high_s16(a1, pl_);                                                                                    \
  } while (0)
#define QCC_QDW_PAIR8_(P, Q, W, V, S)                                                                                \
  do {                                                                                                               \
    int16x8_t pl_ = vmull_s8(qcc_qdw_load8_neon(P, S), vget_low_s8(W));                                              \
    pl_ = vmlal_s8(pl_, qcc_qdw_load8_neon(Q, S), vget_low_s8(V));                                                   \
    a0 = vaddw_s16(a0, vget_low_s16(pl_));                                                                           \
    a1 = vaddw_high_s16(a1, pl_);                                                                                    \
  } while (0)

/*
 * One output row of a 3x3 window, stride SW (a literal, so each expansion has its own loads): 16 outputs
 * per step, accumulators started at rowc, the taps paired 0+1, 2+3, 4+5, 6+7 (pair) and 8 alone. The last
 * step of a row of at least 16 outputs is moved back to end at OW (it recomputes a few outputs, with the
 * same values); rows shorter than 16 go through a stack buffer.
 */
#define QCC_QDW_ROW3_(SW)                                                                                            \
  do {                                                                                                               \
    for (ow = 0; ow < OW; ow += 16) {                                                                                \
      const int32_t o = ow + 16 <= OW || OW < 16 ? ow : OW - 16;                                                     \
      const int8_t *b0 = r0 + (ptrdiff_t)o * SW, *b1 = b0 + WP, *b2 = b1 + WP;                                       \
      int32x4_t a0 = rc, a1 = rc, a2 = rc, a3 = rc;                                                                  \
      int8x16_t res;                                                                                                 \
      if (OW >= 16 && OW - ow <= 8) {                                                                                \
        /* at most 8 left: 8 outputs ending at OW (overlapping the previous step) */                                 \
        b0 = r0 + (ptrdiff_t)(OW - 8) * SW, b1 = b0 + WP, b2 = b1 + WP;                                              \
        if (pair) {                                                                                                  \
          QCC_QDW_PAIR8_(b0, b0 + 1, w3x3[0], w3x3[1], SW);                                                          \
          QCC_QDW_PAIR8_(b0 + 2, b1, w3x3[2], w3x3[3], SW);                                                          \
          QCC_QDW_PAIR8_(b1 + 1, b1 + 2, w3x3[4], w3x3[5], SW);                                                      \
          QCC_QDW_PAIR8_(b2, b2 + 1, w3x3[6], w3x3[7], SW);                                                          \
        } else {                                                                                                     \
          QCC_QDW_ONE8_(b0, w3x3[0], SW); QCC_QDW_ONE8_(b0 + 1, w3x3[1], SW); QCC_QDW_ONE8_(b0 + 2, w3x3[2], SW);    \
          QCC_QDW_ONE8_(b1, w3x3[3], SW); QCC_QDW_ONE8_(b1 + 1, w3x3[4], SW); QCC_QDW_ONE8_(b1 + 2, w3x3[5], SW);    \
          QCC_QDW_ONE8_(b2, w3x3[6], SW); QCC_QDW_ONE8_(b2 + 1, w3x3[7], SW);                                        \
        }                                                                                                            \
        QCC_QDW_ONE8_(b2 + 2, w3x3[8], SW);                                                                          \
        res = qcc_qdw_requant16_neon(a0, a1, a0, a1, s, zp, sgn, lo, hi);                                            \
        vst1_s8((int8_t *)yr + OW - 8, vget_low_s8(res));                                                            \
        break;                                                                                                       \
      }                                                                                                              \
      if (pair) {                                                                                                    \
        QCC_QDW_PAIR_(b0, b0 + 1, w3x3[0], w3x3[1], SW);                                                             \
        QCC_QDW_PAIR_(b0 + 2, b1, w3x3[2], w3x3[3], SW);                                                             \
        QCC_QDW_PAIR_(b1 + 1, b1 + 2, w3x3[4], w3x3[5], SW);                                                         \
        QCC_QDW_PAIR_(b2, b2 + 1, w3x3[6], w3x3[7], SW);                                                             \
      } else {                                                                                                       \
        QCC_QDW_ONE_(b0, w3x3[0], SW); QCC_QDW_ONE_(b0 + 1, w3x3[1], SW); QCC_QDW_ONE_(b0 + 2, w3x3[2], SW);         \
        QCC_QDW_ONE_(b1, w3x3[3], SW); QCC_QDW_ONE_(b1 + 1, w3x3[4], SW); QCC_QDW_ONE_(b1 + 2, w3x3[5], SW);         \
        QCC_QDW_ONE_(b2, w3x3[6], SW); QCC_QDW_ONE_(b2 + 1, w3x3[7], SW);                                            \
      }                                                                                                              \
      QCC_QDW_ONE_(b2 + 2, w3x3[8], SW);                                                                             \
      res = qcc_qdw_requant16_neon(a0, a1, a2, a3, s, zp, sgn, lo, hi);                                              \
      if (OW >= 16) vst1q_s8((int8_t *)yr + o, res);                                                                 \
      else {                                                                                                         \
        int8_t out[16];                                                                                              \
        vst1q_s8(out, res);                                                                                          \
        memcpy(yr, out, (size_t)OW);                                                                                 \
      }                                                                                                              \
    }                                                                                                                \
  } while (0)

/*
 * The padded plane of one input channel xc in scratch: HP = (OH - 1) * SH + KH rows of WP bytes (signed
 * normal form); row r is input row r - PH, column c input column c - PW, everything else xzt.
 */
QCC_KERNEL_INLINE void qcc_qdw_plane_neon(const qcc_qconv_params *p, const uint8_t *xc, uint8_t flip, int32_t xzt,
                                      int8_t *plane) {
  const int32_t IH = p->in_sp[1], IW = p->in_sp[2], OH = p->out_sp[1], KH = p->kernel[1], SH = p->strides[1];
  const int32_t PH = p->pads[1], PW = p->pads[2];
  const int32_t WP = qcc_qdw_plane_width_neon(p), HP = (OH - 1) * SH + KH;
  const int8x16_t xz = vdupq_n_s8((int8_t)xzt);
  const uint8x16_t f = vdupq_n_u8(flip);
  /* The copied columns of an input row: [c0, c0 + cnt) of the padded row. */
  const int32_t c0 = PW, cnt = PW + IW > WP ? WP - PW : IW;
  int32_t r;
  for (r = 0; r < HP; r++) {
    int8_t *dst = plane + (ptrdiff_t)r * WP;
    const uint8_t *src = xc + (ptrdiff_t)(r - PH) * IW;
    int32_t j = 0;
    /* the whole row first (WP >= 16 + KW + 32), then the input columns over it */
    qcc_qdw_fill_neon(dst, xz, WP);
    if (r - PH < 0 || r - PH >= IH || cnt <= 0) continue;
    if (cnt >= 16) {
      for (; j + 16 <= cnt; j += 16) vst1q_u8((uint8_t *)dst + c0 + j, veorq_u8(vld1q_u8(src + j), f));
      if (j < cnt) vst1q_u8((uint8_t *)dst + c0 + cnt - 16, veorq_u8(vld1q_u8(src + cnt - 16), f));
    } else {
      for (; j < cnt; j++) dst[c0 + j] = (int8_t)(uint8_t)(src[j] ^ flip);
    }
  }
}

QCC_KERNEL_INLINE void qcc_qlinear_dwconv_s8_neon(const qcc_qconv_params *p, const uint8_t *x, uint8_t flip, int32_t xzt,
                                              const int8_t *w, const int32_t *rowc, int32_t pair, const float *scale,
                                              int32_t yzp, int32_t qmin, int32_t qmax, uint8_t *y, uint8_t *scratch) {
  int8_t *const plane = (int8_t *)scratch;
  const int32_t IH = p->in_sp[1], IW = p->in_sp[2], OH = p->out_sp[1], OW = p->out_sp[2];
  const int32_t KH = p->kernel[1], KW = p->kernel[2], SH = p->strides[1], SW = p->strides[2];
  const int32_t T = KH * KW;
  const int32_t WP = qcc_qdw_plane_width_neon(p);
  const int32_t sgn = qmin < 0;
  const int8x16_t lo = vdupq_n_s8((int8_t)qmin), hi = vdupq_n_s8((int8_t)qmax);
  const int16x8_t zp = vdupq_n_s16((int16_t)yzp);
  int32_t n, m, oh, ow, t;
  for (n = 0; n < p->n; n++) {
    for (m = 0; m < p->m; m++) {
      const uint8_t *xc = x + ((ptrdiff_t)n * p->c + m) * IH * IW;
      uint8_t *yc = y + ((ptrdiff_t)n * p->m + m) * OH * OW;
      const int8_t *wm = w + (ptrdiff_t)m * T;
      const float32x4_t s = vdupq_n_f32(scale[m]);
      const int32x4_t rc = vdupq_n_s32(rowc[m]);
      int8x16_t w3x3[9];
      for (t = 0; t < 9 && t < T; t++) w3x3[t] = vdupq_n_s8(wm[t]);
      qcc_qdw_plane_neon(p, xc, flip, xzt, plane);
      if (KH == 3 && KW == 3 && (SW == 1 || SW == 2)) {
        for (oh = 0; oh < OH; oh++) {
          const int8_t *r0 = plane + (ptrdiff_t)oh * SH * WP;
          uint8_t *yr = yc + (ptrdiff_t)oh * OW;
          if (SW == 1) QCC_QDW_ROW3_(1);
          else QCC_QDW_ROW3_(2);
        }
        continue;
      }
      for (oh = 0; oh < OH; oh++) {
        const int8_t *base = plane + (ptrdiff_t)oh * SH * WP;
        uint8_t *yr = yc + (ptrdiff_t)oh * OW;
        for (ow = 0; ow < OW; ow += 16) {
          const int32_t o = ow + 16 <= OW || OW < 16 ? ow : OW - 16;
          int32x4_t a0 = rc, a1 = rc, a2 = rc, a3 = rc;
          const int8_t *b = base + (ptrdiff_t)o * SW;
          int8x16_t res;
          for (t = 0; t < T; t++) {
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
            QCC_QDW_WIDEN_(pl, ph);
          }
          res = qcc_qdw_requant16_neon(a0, a1, a2, a3, s, zp, sgn, lo, hi);
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

#endif /* QCC_QDWCONV_NEON_H */
