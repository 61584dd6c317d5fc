/*
 * qcc_qlinear_fixed.h: QLinearConv and QLinearMatMul with the `fixed` requantization scheme (TFLite int32
 * multiplier and shift, qcc_requant.h qcc_requantize_fixed). The accumulation is the generic kernels'
 * (qcc_qconv.h, qcc_qmatmul.h); only the requantization differs: mult[c], shift[c] come from the float32
 * scales at compile time (compiler/numerics/requant-fixed.ts quantizeMultiplier).
 */
#ifndef QCC_QLINEAR_FIXED_H
#define QCC_QLINEAR_FIXED_H

#include <stddef.h>
#include <stdint.h>
#include "qcc_requant.h"
#include "qcc_qconv.h"
#include "qcc_qmatmul.h"

#define QCC_QLINEAR_CONV_FIXED_DEF_(SFX, ACCSFX, XT, WT, YT, YMIN, YMAX)                                         \
  static inline void qcc_qlinear_conv_fixed_##SFX(const qcc_qconv_params *p, const XT *x, int32_t xzp,            \
                                                  const WT *w, const int32_t *wzp, const int32_t *bias,          \
                                                  const int32_t *mult, const int32_t *shift, int32_t yzp, YT *y, \
                                                  uint32_t *acc) {                                               \
    const ptrdiff_t out_plane = (ptrdiff_t)p->out_sp[0] * p->out_sp[1] * p->out_sp[2];                           \
    int32_t n, m;                                                                                                \
    ptrdiff_t i;                                                                                                 \
    for (n = 0; n < p->n; n++) {                                                                                 \
      for (m = 0; m < p->m; m++) {                                                                               \
        const int32_t mm = mult[m], sh = shift[m];                                                               \
        YT *yr = y + ((ptrdiff_t)n * p->m + m) * out_plane;                                                      \
        qcc_qconv_image_acc_##ACCSFX(p, x, xzp, w, wzp[m], bias ? (uint32_t)bias[m] : 0u, n, m, acc);            \
        for (i = 0; i < out_plane; i++) yr[i] = (YT)qcc_requantize_fixed(qcc_i32_from_u32(acc[i]), mm, sh, yzp, YMIN, YMAX); \
      }                                                                                                          \
    }                                                                                                            \
  }

QCC_QLINEAR_CONV_FIXED_DEF_(u8u8u8, u8u8, uint8_t, uint8_t, uint8_t, 0, 255)
QCC_QLINEAR_CONV_FIXED_DEF_(u8u8i8, u8u8, uint8_t, uint8_t, int8_t, -128, 127)
QCC_QLINEAR_CONV_FIXED_DEF_(u8i8u8, u8i8, uint8_t, int8_t, uint8_t, 0, 255)
QCC_QLINEAR_CONV_FIXED_DEF_(u8i8i8, u8i8, uint8_t, int8_t, int8_t, -128, 127)
QCC_QLINEAR_CONV_FIXED_DEF_(i8u8u8, i8u8, int8_t, uint8_t, uint8_t, 0, 255)
QCC_QLINEAR_CONV_FIXED_DEF_(i8u8i8, i8u8, int8_t, uint8_t, int8_t, -128, 127)
QCC_QLINEAR_CONV_FIXED_DEF_(i8i8u8, i8i8, int8_t, int8_t, uint8_t, 0, 255)
QCC_QLINEAR_CONV_FIXED_DEF_(i8i8i8, i8i8, int8_t, int8_t, int8_t, -128, 127)

#define QCC_QLINEAR_MATMUL_FIXED_DEF_(SFX, ROWSFX, AT, BT, YT, YMIN, YMAX)                                      \
  static inline void qcc_qlinear_matmul_fixed_##SFX(const qcc_qmatmul_params *p, const int32_t *a_off,            \
                                                    const int32_t *b_off, const int32_t *bq_off, const AT *a,    \
                                                    int32_t azp, const BT *b, const int32_t *bzp,                \
                                                    const int32_t *mult, const int32_t *shift, int32_t yzp,      \
                                                    YT *y, uint32_t *acc) {                                      \
    int32_t t, i, j;                                                                                             \
    for (t = 0; t < p->batch; t++) {                                                                             \
      const int32_t *mt = mult + bq_off[t], *st = shift + bq_off[t];                                            \
      for (i = 0; i < p->m; i++) {                                                                               \
        YT *yr = y + ((ptrdiff_t)t * p->m + i) * p->n;                                                           \
        qcc_qmatmul_row_##ROWSFX(a + a_off[t] + (ptrdiff_t)i * p->k, b + b_off[t], p->k, p->n, azp,              \
                                 bzp + bq_off[t], acc);                                                          \
        for (j = 0; j < p->n; j++) yr[j] = (YT)qcc_requantize_fixed(qcc_i32_from_u32(acc[j]), mt[j], st[j], yzp, YMIN, YMAX); \
      }                                                                                                          \
    }                                                                                                            \
  }

QCC_QLINEAR_MATMUL_FIXED_DEF_(u8u8u8, u8u8, uint8_t, uint8_t, uint8_t, 0, 255)
QCC_QLINEAR_MATMUL_FIXED_DEF_(u8u8i8, u8u8, uint8_t, uint8_t, int8_t, -128, 127)
QCC_QLINEAR_MATMUL_FIXED_DEF_(u8i8u8, u8i8, uint8_t, int8_t, uint8_t, 0, 255)
QCC_QLINEAR_MATMUL_FIXED_DEF_(u8i8i8, u8i8, uint8_t, int8_t, int8_t, -128, 127)
QCC_QLINEAR_MATMUL_FIXED_DEF_(i8u8u8, i8u8, int8_t, uint8_t, uint8_t, 0, 255)
QCC_QLINEAR_MATMUL_FIXED_DEF_(i8u8i8, i8u8, int8_t, uint8_t, int8_t, -128, 127)
QCC_QLINEAR_MATMUL_FIXED_DEF_(i8i8u8, i8i8, int8_t, int8_t, uint8_t, 0, 255)
QCC_QLINEAR_MATMUL_FIXED_DEF_(i8i8i8, i8i8, int8_t, int8_t, int8_t, -128, 127)

#endif /* QCC_QLINEAR_FIXED_H */
