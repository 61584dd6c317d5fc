/*
 * qcc_qlinear_smlad.h: QLinearConv and QLinearMatMul for Cortex-M4/M7/M33 with the DSP extension: the dual
 * 16-bit multiply-accumulate SMLAD (ACLE __smlad from <arm_acle.h>; no CMSIS). Without __ARM_FEATURE_DSP
 * (or with -DQCC_NO_DSP) the same code uses qcc_smlad_generic, the generic twin the host tests run.
 *
 * Exact: int8/uint8 values minus their zero point lie in [-255, 255], so they are widened to int16 and packed
 * two per 32-bit word (low half first). Weights are packed at compile time (backends/cortex-m/ops.ts) with
 * their zero points already subtracted; activations are packed into scratch per output pixel (conv, an
 * im2col column in the weights' [c][kd][kh][kw] order, padding as 0) or per row (matmul). SMLAD adds both
 * products to the int32 accumulator modulo 2^32 (it only sets the Q flag on overflow), which is exactly the
 * generic kernels' uint32 wrapping; integer sums do not depend on the order. Requantization per output
 * channel: `fixed` (mult/shift non-NULL) or `fp32` (scale), as in qcc_requant.h.
 */
#ifndef QCC_QLINEAR_SMLAD_H
#define QCC_QLINEAR_SMLAD_H

#include <stddef.h>
#include <stdint.h>
#include "qcc_requant.h"
#include "qcc_qconv.h"
#include "qcc_qmatmul.h"

/* acc + lo(a)*lo(b) + hi(a)*hi(b), halves signed 16-bit, modulo 2^32 (SMLAD without the Q flag). */
static inline uint32_t qcc_smlad_generic(uint32_t a, uint32_t b, uint32_t acc) {
  const int32_t a0 = (int32_t)(a & 0xffffu) - (int32_t)((a & 0x8000u) << 1);
  const int32_t a1 = (int32_t)(a >> 16) - (int32_t)((a >> 15) & 0x10000u);
  const int32_t b0 = (int32_t)(b & 0xffffu) - (int32_t)((b & 0x8000u) << 1);
  const int32_t b1 = (int32_t)(b >> 16) - (int32_t)((b >> 15) & 0x10000u);
  return acc + (uint32_t)(a0 * b0) + (uint32_t)(a1 * b1);
}

#if defined(__ARM_FEATURE_DSP) && __ARM_FEATURE_DSP && !defined(QCC_NO_DSP)
#include <arm_acle.h>
#define QCC_SMLAD(a, b, acc) ((uint32_t)__smlad((int32_t)(a), (int32_t)(b), (int32_t)(acc)))
#else
#define QCC_SMLAD(a, b, acc) qcc_smlad_generic((a), (b), (acc))
#endif

/* Two int16 values (in [-32768, 32767]) packed low first. */
static inline uint32_t qcc_pack16x2(int32_t lo, int32_t hi) {
  return ((uint32_t)lo & 0xffffu) | (((uint32_t)hi & 0xffffu) << 16);
}

/* One requantized output: fixed when mult != NULL, else fp32. */
static inline int32_t qcc_smlad_requant(uint32_t acc, const int32_t *mult, const int32_t *shift, const float *scale,
                                        int32_t c, int32_t yzp, int32_t qmin, int32_t qmax) {
  if (mult) return qcc_requantize_fixed(qcc_i32_from_u32(acc), mult[c], shift[c], yzp, qmin, qmax);
  return qcc_requantize_f32(qcc_i32_from_u32(acc), scale[c], yzp, qmin, qmax);
}

/* dot of kp packed pairs */
static inline uint32_t qcc_smlad_dot(const uint32_t *a, const uint32_t *b, int32_t kp, uint32_t acc) {
  int32_t q = 0;
  for (; q + 4 <= kp; q += 4) {
    acc = QCC_SMLAD(a[q], b[q], acc);
    acc = QCC_SMLAD(a[q + 1], b[q + 1], acc);
    acc = QCC_SMLAD(a[q + 2], b[q + 2], acc);
    acc = QCC_SMLAD(a[q + 3], b[q + 3], acc);
  }
  for (; q < kp; q++) acc = QCC_SMLAD(a[q], b[q], acc);
  return acc;
}

/*
 * QLinearConv: wp holds, per output channel m, kp = ceil(c_per_group * KD*KH*KW / 2) packed pairs of
 * (w - wzp[m]) (an odd count ends with a 0). col is scratch of kp uint32.
 */
#define QCC_QLINEAR_CONV_SMLAD_DEF_(SFX, XT, YT, YMIN, YMAX)                                                    \
  static inline void qcc_qlinear_conv_smlad_##SFX(const qcc_qconv_params *p, const XT *x, int32_t xzp,            \
                                                  const uint32_t *wp, int32_t kp, const int32_t *bias,           \
                                                  const int32_t *mult, const int32_t *shift, const float *scale, \
                                                  int32_t yzp, YT *y, uint32_t *col) {                           \
    const int32_t ID = p->in_sp[0], IH = p->in_sp[1], IW = p->in_sp[2];                                          \
    const int32_t OD = p->out_sp[0], OH = p->out_sp[1], OW = p->out_sp[2];                                       \
    const int32_t KD = p->kernel[0], KH = p->kernel[1], KW = p->kernel[2];                                       \
    const ptrdiff_t in_plane = (ptrdiff_t)ID * IH * IW;                                                          \
    const ptrdiff_t out_plane = (ptrdiff_t)OD * OH * OW;                                                         \
    int32_t n, grp, od, oh, ow, ci, kd, kh, kw, mg;                                                              \
    for (n = 0; n < p->n; n++) {                                                                                 \
      for (grp = 0; grp < p->group; grp++) {                                                                     \
        const XT *xg = x + ((ptrdiff_t)n * p->c + (ptrdiff_t)grp * p->c_per_group) * in_plane;                   \
        for (od = 0; od < OD; od++) {                                                                            \
          for (oh = 0; oh < OH; oh++) {                                                                          \
            for (ow = 0; ow < OW; ow++) {                                                                        \
              int32_t k = 0, prev = 0;                                                                           \
              const ptrdiff_t o = ((ptrdiff_t)od * OH + oh) * OW + ow;                                           \
              for (ci = 0; ci < p->c_per_group; ci++) {                                                          \
                const XT *xc = xg + (ptrdiff_t)ci * in_plane;                                                    \
                for (kd = 0; kd < KD; kd++) {                                                                    \
                  const int32_t id = od * p->strides[0] - p->pads[0] + kd * p->dilations[0];                     \
                  for (kh = 0; kh < KH; kh++) {                                                                  \
                    const int32_t ih = oh * p->strides[1] - p->pads[1] + kh * p->dilations[1];                   \
                    for (kw = 0; kw < KW; kw++) {                                                                \
                      const int32_t iw = ow * p->strides[2] - p->pads[2] + kw * p->dilations[2];                 \
                      int32_t v = 0;                                                                             \
                      if (id >= 0 && id < ID && ih >= 0 && ih < IH && iw >= 0 && iw < IW)                        \
                        v = (int32_t)xc[((ptrdiff_t)id * IH + ih) * IW + iw] - xzp;                              \
                      if (k & 1) col[k >> 1] = qcc_pack16x2(prev, v);                                            \
                      else prev = v;                                                                             \
                      k++;                                                                                       \
                    }                                                                                            \
                  }                                                                                              \
                }                                                                                                \
              }                                                                                                  \
              if (k & 1) col[k >> 1] = qcc_pack16x2(prev, 0);                                                    \
              for (mg = 0; mg < p->m_per_group; mg++) {                                                          \
                const int32_t m = grp * p->m_per_group + mg;                                                     \
                const uint32_t acc = qcc_smlad_dot(col, wp + (ptrdiff_t)m * kp, kp, bias ? (uint32_t)bias[m] : 0u); \
                y[((ptrdiff_t)n * p->m + m) * out_plane + o] =                                                   \
                    (YT)qcc_smlad_requant(acc, mult, shift, scale, m, yzp, YMIN, YMAX);                          \
              }                                                                                                  \
            }                                                                                                    \
          }                                                                                                      \
        }                                                                                                        \
      }                                                                                                          \
    }                                                                                                            \
  }

QCC_QLINEAR_CONV_SMLAD_DEF_(u8u8, uint8_t, uint8_t, 0, 255)
QCC_QLINEAR_CONV_SMLAD_DEF_(u8i8, uint8_t, int8_t, -128, 127)
QCC_QLINEAR_CONV_SMLAD_DEF_(i8u8, int8_t, uint8_t, 0, 255)
QCC_QLINEAR_CONV_SMLAD_DEF_(i8i8, int8_t, int8_t, -128, 127)

/*
 * QLinearMatMul with a 2-D B: bt holds, per column j, kp = ceil(k / 2) packed pairs of (b[q][j] - bzp[j]);
 * A rows are packed into scratch `row` (kp uint32). Output channel of column j: requant index j.
 */
#define QCC_QLINEAR_MATMUL_SMLAD_DEF_(SFX, AT, YT, YMIN, YMAX)                                                  \
  static inline void qcc_qlinear_matmul_smlad_##SFX(const qcc_qmatmul_params *p, const int32_t *a_off,            \
                                                    const AT *a, int32_t azp, const uint32_t *bt, int32_t kp,    \
                                                    const int32_t *mult, const int32_t *shift,                   \
                                                    const float *scale, int32_t yzp, YT *y, uint32_t *row) {     \
    int32_t t, i, j, q;                                                                                          \
    for (t = 0; t < p->batch; t++) {                                                                             \
      for (i = 0; i < p->m; i++) {                                                                               \
        const AT *ar = a + a_off[t] + (ptrdiff_t)i * p->k;                                                       \
        YT *yr = y + ((ptrdiff_t)t * p->m + i) * p->n;                                                           \
        for (q = 0; q + 1 < p->k; q += 2) row[q >> 1] = qcc_pack16x2((int32_t)ar[q] - azp, (int32_t)ar[q + 1] - azp); \
        if (p->k & 1) row[p->k >> 1] = qcc_pack16x2((int32_t)ar[p->k - 1] - azp, 0);                             \
        for (j = 0; j < p->n; j++)                                                                               \
          yr[j] = (YT)qcc_smlad_requant(qcc_smlad_dot(row, bt + (ptrdiff_t)j * kp, kp, 0u), mult, shift, scale, j, \
                                        yzp, YMIN, YMAX);                                                        \
      }                                                                                                          \
    }                                                                                                            \
  }

QCC_QLINEAR_MATMUL_SMLAD_DEF_(u8u8, uint8_t, uint8_t, 0, 255)
QCC_QLINEAR_MATMUL_SMLAD_DEF_(u8i8, uint8_t, int8_t, -128, 127)
QCC_QLINEAR_MATMUL_SMLAD_DEF_(i8u8, int8_t, uint8_t, 0, 255)
QCC_QLINEAR_MATMUL_SMLAD_DEF_(i8i8, int8_t, int8_t, -128, 127)

#endif /* QCC_QLINEAR_SMLAD_H */
