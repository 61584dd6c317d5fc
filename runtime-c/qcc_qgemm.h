/*
 * qcc_qgemm.h: QGemm (com.microsoft). Twin of compiler/ops/contrib-qgemm.ts:
 *   acc[m][n] = C[m*csm + n*csn] + sum_k (A - az) * (B - bz[n])      int32, wrapping
 *   8-bit: y = qcc_requantize_f32(acc, scale[n], yz);  float: y = float(acc) * scale[n]
 * A is M x K (or K x M with trans_a), B K x N (or N x K with trans_b); C is NULL or read with the
 * broadcast strides csm, csn.
 */
#ifndef QCC_QGEMM_H
#define QCC_QGEMM_H

#include <stddef.h>
#include <stdint.h>
#include "qcc_requant.h"

typedef struct {
  int32_t m, k, n, trans_a, trans_b, csm, csn;
} qcc_qgemm_params;

static inline void qcc_qgemm_acc_(const qcc_qgemm_params *p, int32_t i, int32_t j, const int32_t *c, uint32_t *acc) {
  *acc = c ? (uint32_t)c[(ptrdiff_t)i * p->csm + (ptrdiff_t)j * p->csn] : 0u;
}

#define QCC_QGEMM_DEF_(SFX, TA, TB, TY, OUT)                                                                    \
  static inline void qcc_qgemm_##SFX(const qcc_qgemm_params *p, const TA *a, int32_t az, const TB *b, const int32_t *bz, \
                                     const int32_t *c, const float *scale, int32_t yz, TY *y) {                      \
    int32_t i, j, q;                                                                                                 \
    (void)yz;                                                                                                        \
    for (i = 0; i < p->m; i++) {                                                                                     \
      for (j = 0; j < p->n; j++) {                                                                                   \
        uint32_t acc;                                                                                                \
        int32_t s;                                                                                                   \
        qcc_qgemm_acc_(p, i, j, c, &acc);                                                                            \
        for (q = 0; q < p->k; q++) {                                                                                 \
          const int32_t av = (int32_t)a[p->trans_a ? (ptrdiff_t)q * p->m + i : (ptrdiff_t)i * p->k + q] - az;         \
          const int32_t bv = (int32_t)b[p->trans_b ? (ptrdiff_t)j * p->k + q : (ptrdiff_t)q * p->n + j] - bz[j];      \
          acc += (uint32_t)(av * bv);                                                                                \
        }                                                                                                            \
        s = qcc_i32_from_u32(acc);                                                                                   \
        OUT                                                                                                          \
      }                                                                                                              \
    }                                                                                                                \
  }

#define QCC_QGEMM_OUT_U8_ y[(ptrdiff_t)i * p->n + j] = (uint8_t)qcc_requantize_f32(s, scale[j], yz, 0, 255);
#define QCC_QGEMM_OUT_I8_ y[(ptrdiff_t)i * p->n + j] = (int8_t)qcc_requantize_f32(s, scale[j], yz, -128, 127);
#define QCC_QGEMM_OUT_F32_ { float f = (float)s; f = f * scale[j]; y[(ptrdiff_t)i * p->n + j] = f; }

QCC_QGEMM_DEF_(u8u8_u8, uint8_t, uint8_t, uint8_t, QCC_QGEMM_OUT_U8_)
QCC_QGEMM_DEF_(u8i8_u8, uint8_t, int8_t, uint8_t, QCC_QGEMM_OUT_U8_)
QCC_QGEMM_DEF_(i8i8_i8, int8_t, int8_t, int8_t, QCC_QGEMM_OUT_I8_)
QCC_QGEMM_DEF_(i8u8_i8, int8_t, uint8_t, int8_t, QCC_QGEMM_OUT_I8_)
QCC_QGEMM_DEF_(u8u8_f32, uint8_t, uint8_t, float, QCC_QGEMM_OUT_F32_)
QCC_QGEMM_DEF_(u8i8_f32, uint8_t, int8_t, float, QCC_QGEMM_OUT_F32_)
QCC_QGEMM_DEF_(i8i8_f32, int8_t, int8_t, float, QCC_QGEMM_OUT_F32_)
QCC_QGEMM_DEF_(i8u8_f32, int8_t, uint8_t, float, QCC_QGEMM_OUT_F32_)

#endif /* QCC_QGEMM_H */
