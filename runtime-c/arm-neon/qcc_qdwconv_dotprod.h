/*
 * qcc_qdwconv_dotprod.h: depthwise QLinearConv with a 3x3 window and stride 1 for arm-neon-dotprod (SDOT):
 * the row kernel of qcc_qdwconv_neon.h (same padded plane, weights, rowc and requantization), two output
 * rows at a time. The four plane rows they read are interleaved into one scratch row of 4-byte columns
 * z[c] = (row0[c], row1[c], row2[c], row3[c]) (ST4), so that one SDOT by lane adds the three taps of a
 * window column: out0[o] = rowc + sum_kx dot(z[o + kx], (w[0][kx], w[1][kx], w[2][kx], 0)) and
 * out1[o] = rowc + sum_kx dot(z[o + kx], (0, w[0][kx], w[1][kx], w[2][kx])). The products are int8 x int8
 * summed exactly in int32 (modulo 2^32 like the other kernels) whatever the weights (-128 included).
 * 16 outputs of both rows per step from 3 four-vector loads and 24 SDOTs; a row's last step is 8 outputs
 * when at most 8 are left, else 16, ending at OW (overlapping the previous one). An odd last row reads a
 * fourth plane row past the plane (the scratch row, weight 0) and stores only its first row.
 * Scratch: the plane of qcc_qlinear_dwconv_s8_neon, then the interleaved row, 4 * ((OW + 15) / 16 * 16 + 16) bytes.
 */
#ifndef QCC_QDWCONV_DOTPROD_H
#define QCC_QDWCONV_DOTPROD_H

#include "qcc_qgemm_dotprod.h"
#include "qcc_qdwconv_neon.h"

#define QCC_QDW_DOT3_(A, Q, LANE)                                                                                    \
  do {                                                                                                               \
    a0 = vdotq_laneq_s32(a0, Q.val[0], A, LANE), a1 = vdotq_laneq_s32(a1, Q.val[1], A, LANE);                        \
    a2 = vdotq_laneq_s32(a2, Q.val[2], A, LANE), a3 = vdotq_laneq_s32(a3, Q.val[3], A, LANE);                        \
    b0 = vdotq_laneq_s32(b0, Q.val[0], wb, LANE), b1 = vdotq_laneq_s32(b1, Q.val[1], wb, LANE);                      \
    b2 = vdotq_laneq_s32(b2, Q.val[2], wb, LANE), b3 = vdotq_laneq_s32(b3, Q.val[3], wb, LANE);                      \
  } while (0)
/* 16 outputs of both rows at column OO (S16: store them); 8 outputs at OO (the last step of a row). */
#define QCC_QDW_DOT16_(OO, S16)                                                                                      \
  do {                                                                                                               \
    const int8_t *zo_ = z + 4 * (OO);                                                                                \
    int32x4_t a0 = rc, a1 = rc, a2 = rc, a3 = rc, b0 = rc, b1 = rc, b2 = rc, b3 = rc;                                \
    int8x16x4_t q_ = vld1q_s8_x4(zo_);                                                                               \
    QCC_QDW_DOT3_(wa, q_, 0);                                                                                        \
    q_ = vld1q_s8_x4(zo_ + 4);                                                                                       \
    QCC_QDW_DOT3_(wa, q_, 1);                                                                                        \
    q_ = vld1q_s8_x4(zo_ + 8);                                                                                       \
    QCC_QDW_DOT3_(wa, q_, 2);                                                                                        \
    S16(OO, qcc_qdw_requant16_neon(a0, a1, a2, a3, s, zp, sgn, lo, hi),                                              \
        qcc_qdw_requant16_neon(b0, b1, b2, b3, s, zp, sgn, lo, hi));                                                 \
  } while (0)
#define QCC_QDW_DOT8_(OO)                                                                                            \
  do {                                                                                                               \
    const int8_t *zo_ = z + 4 * (OO);                                                                                \
    int32x4_t a0 = rc, a1 = rc, b0 = rc, b1 = rc;                                                                    \
    int8x16x2_t q_ = vld1q_s8_x2(zo_);                                                                               \
    int8x16_t r_;                                                                                                    \
    a0 = vdotq_laneq_s32(a0, q_.val[0], wa, 0), a1 = vdotq_laneq_s32(a1, q_.val[1], wa, 0);                          \
    b0 = vdotq_laneq_s32(b0, q_.val[0], wb, 0), b1 = vdotq_laneq_s32(b1, q_.val[1], wb, 0);                          \
    q_ = vld1q_s8_x2(zo_ + 4);                                                                                       \
    a0 = vdotq_laneq_s32(a0, q_.val[0], wa, 1), a1 = vdotq_laneq_s32(a1, q_.val[1], wa, 1);                          \
    b0 = vdotq_laneq_s32(b0, q_.val[0], wb, 1), b1 = vdotq_laneq_s32(b1, q_.val[1], wb, 1);                          \
    q_ = vld1q_s8_x2(zo_ + 8);                                                                                       \
    a0 = vdotq_laneq_s32(a0, q_.val[0], wa, 2), a1 = vdotq_laneq_s32(a1, q_.val[1], wa, 2);                          \
    b0 = vdotq_laneq_s32(b0, q_.val[0], wb, 2), b1 = vdotq_laneq_s32(b1, q_.val[1], wb, 2);                          \
    r_ = qcc_qdw_requant16_neon(a0, a1, b0, b1, s, zp, sgn, lo, hi);                                                 \
    vst1_s8((int8_t *)y0 + (OO), vget_low_s8(r_));                                                                   \
    if (two) vst1_s8((int8_t *)y0 + OW + (OO), vget_high_s8(r_));                                                    \
  } while (0)
#define QCC_QDW_ST16_(OO, R0, R1)                                                                                    \
  do {                                                                                                               \
    vst1q_s8((int8_t *)y0 + (OO), R0);                                                                               \
    if (two) vst1q_s8((int8_t *)y0 + OW + (OO), R1);                                                                 \
  } while (0)
#define QCC_QDW_ST16SHORT_(OO, R0, R1)                                                                               \
  do {                                                                                                               \
    int8_t out_[32];                                                                                                 \
    vst1q_s8(out_, R0), vst1q_s8(out_ + 16, R1);                                                                     \
    memcpy(y0, out_, (size_t)OW);                                                                                    \
    if (two) memcpy(y0 + OW, out_ + 16, (size_t)OW);                                                                 \
  } while (0)

QCC_KERNEL_INLINE void qcc_qlinear_dwconv3_s8_dotprod(const qcc_qconv_params *p, const uint8_t *x, uint8_t flip,
                                                  int32_t xzt, const int8_t *w, const int32_t *rowc, const float *scale,
                                                  int32_t yzp, int32_t qmin, int32_t qmax, uint8_t *y, uint8_t *scratch) {
  int8_t *const plane = (int8_t *)scratch;
  const int32_t IH = p->in_sp[1], IW = p->in_sp[2], OH = p->out_sp[1], OW = p->out_sp[2];
  const int32_t WP = qcc_qdw_plane_width_neon(p), HP = OH + 2;
  const int32_t sgn = qmin < 0;
  const int8x16_t lo = vdupq_n_s8((int8_t)qmin), hi = vdupq_n_s8((int8_t)qmax);
  const int16x8_t zp = vdupq_n_s16((int16_t)yzp);
  int8_t *z = plane + (ptrdiff_t)HP * WP;
  int32_t n, m, oh, o, c;
  for (n = 0; n < p->n; n++) {
    for (m = 0; m < p->m; m++) {
      const uint8_t *xc = x + ((ptrdiff_t)n * p->c + m) * IH * IW;
      uint8_t *yc = y + ((ptrdiff_t)n * p->m + m) * OH * OW;
      const int8_t *wm = w + (ptrdiff_t)m * 9;
      const float32x4_t s = vdupq_n_f32(scale[m]);
      const int32x4_t rc = vdupq_n_s32(rowc[m]);
      /* lane kx: (w[0][kx], w[1][kx], w[2][kx], 0) for row 0, (0, w[0][kx], w[1][kx], w[2][kx]) for row 1 */
      const int8_t wt[32] = {wm[0], wm[3], wm[6], 0, wm[1], wm[4], wm[7], 0, wm[2], wm[5], wm[8], 0, 0, 0, 0, 0,
                             0, wm[0], wm[3], wm[6], 0, wm[1], wm[4], wm[7], 0, wm[2], wm[5], wm[8], 0, 0, 0, 0};
      const int8x16_t wa = vld1q_s8(wt), wb = vld1q_s8(wt + 16);
      qcc_qdw_plane_neon(p, xc, flip, xzt, plane);
      for (oh = 0; oh < OH; oh += 2) {
        const int8_t *r0 = plane + (ptrdiff_t)oh * WP;
        uint8_t *y0 = yc + (ptrdiff_t)oh * OW;
        const int32_t two = oh + 1 < OH;
        /* z[0 .. OW + 2): the columns the taps read (the plane row has OWR + 35) */
        for (c = 0; c < OW + 2; c += 16) {
          int8x16x4_t q;
          q.val[0] = vld1q_s8(r0 + c), q.val[1] = vld1q_s8(r0 + WP + c);
          q.val[2] = vld1q_s8(r0 + 2 * WP + c), q.val[3] = vld1q_s8(r0 + 3 * WP + c);
          vst4q_s8(z + 4 * c, q);
        }
        if (OW < 16) {
          QCC_QDW_DOT16_(0, QCC_QDW_ST16SHORT_);
          continue;
        }
        for (o = 0; o + 16 <= OW; o += 16) QCC_QDW_DOT16_(o, QCC_QDW_ST16_);
        if (o < OW) {
          if (OW - o <= 8) QCC_QDW_DOT8_(OW - 8);
          else QCC_QDW_DOT16_(OW - 16, QCC_QDW_ST16_);
        }
      }
    }
  }
}

#endif /* QCC_QDWCONV_DOTPROD_H */
