/*
 * qcc_qmatmul.h: MatMulInteger and QLinearMatMul, generic C99. Twin of compiler/ops/qgeometry.ts
 * (qmatmulAccumulate) and compiler/ops/qlinear.ts.
 *
 * Batches (numpy broadcasting) come as offset tables: output batch t reads A at a_off[t], B at b_off[t];
 * per-column B zero points (and QLinearMatMul scales) at [bq_off[t] + j], per-tensor ones expanded to one
 * vector with zero offsets. MatMulInteger's A zero point is either per row (azp[az_off[t] + i]) or, with
 * azp == NULL, the scalar azp0, which may be read from a run-time tensor (DynamicQuantizeLinear output).
 * acc[j] = sum_k (a[i,k] - azp) * (b[k,j] - bzp[j]) in uint32 (defined wrapping; order-independent).
 */
#ifndef QCC_QMATMUL_H
#define QCC_QMATMUL_H

#include <stddef.h>
#include <stdint.h>
#include "qcc_requant.h"

typedef struct {
  int32_t batch, m, k, n;
} qcc_qmatmul_params;

#define QCC_QMATMUL_ROW_DEF_(SFX, AT, BT)                                                                        \
  static inline void qcc_qmatmul_row_##SFX(const AT *a_row, const BT *b, int32_t k, int32_t n, int32_t azp,       \
                                           const int32_t *bzp, uint32_t *acc) {                                  \
    int32_t q, j;                                                                                                \
    for (j = 0; j < n; j++) acc[j] = 0u;                                                                         \
    for (q = 0; q < k; q++) {                                                                                    \
      const int32_t av = (int32_t)a_row[q] - azp;                                                                \
      const BT *br = b + (ptrdiff_t)q * n;                                                                       \
      if (av == 0) continue; /* adds nothing */                                                                  \
      for (j = 0; j < n; j++) acc[j] += (uint32_t)(av * ((int32_t)br[j] - bzp[j]));                              \
    }                                                                                                            \
  }

QCC_QMATMUL_ROW_DEF_(u8u8, uint8_t, uint8_t)
QCC_QMATMUL_ROW_DEF_(u8i8, uint8_t, int8_t)
QCC_QMATMUL_ROW_DEF_(i8u8, int8_t, uint8_t)
QCC_QMATMUL_ROW_DEF_(i8i8, int8_t, int8_t)

/* MatMulInteger: y (int32, [batch, m, n]) rows are the accumulators. */
#define QCC_MATMUL_INTEGER_DEF_(SFX, AT, BT)                                                                     \
  static inline void qcc_matmul_integer_##SFX(const qcc_qmatmul_params *p, const int32_t *a_off,                  \
                                              const int32_t *b_off, const int32_t *az_off, const int32_t *bz_off, \
                                              const AT *a, const int32_t *azp, int32_t azp0, const BT *b,        \
                                              const int32_t *bzp, int32_t *y) {                                  \
    int32_t t, i;                                                                                                \
    for (t = 0; t < p->batch; t++) {                                                                             \
      for (i = 0; i < p->m; i++) {                                                                               \
        uint32_t *acc = (uint32_t *)(y + ((ptrdiff_t)t * p->m + i) * p->n);                                      \
        const int32_t za = azp ? azp[az_off[t] + i] : azp0;                                                      \
        qcc_qmatmul_row_##SFX(a + a_off[t] + (ptrdiff_t)i * p->k, b + b_off[t], p->k, p->n, za, bzp + bz_off[t],  \
                              acc);                                                                              \
      }                                                                                                          \
    }                                                                                                            \
  }

QCC_MATMUL_INTEGER_DEF_(u8u8, uint8_t, uint8_t)
QCC_MATMUL_INTEGER_DEF_(u8i8, uint8_t, int8_t)
QCC_MATMUL_INTEGER_DEF_(i8u8, int8_t, uint8_t)
QCC_MATMUL_INTEGER_DEF_(i8i8, int8_t, int8_t)

/* QLinearMatMul: acc is scratch of n uint32; y = requantize(acc[j], scale[bq_off[t] + j], yzp). */
#define QCC_QLINEAR_MATMUL_DEF_(SFX, ROWSFX, AT, BT, YT, YMIN, YMAX)                                            \
  static inline void qcc_qlinear_matmul_##SFX(const qcc_qmatmul_params *p, const int32_t *a_off,                  \
                                              const int32_t *b_off, const int32_t *bq_off, const AT *a,          \
                                              int32_t azp, const BT *b, const int32_t *bzp, const float *scale,  \
                                              int32_t yzp, YT *y, uint32_t *acc) {                               \
    int32_t t, i, j;                                                                                             \
    for (t = 0; t < p->batch; t++) {                                                                             \
      const float *st = scale + bq_off[t];                                                                       \
      for (i = 0; i < p->m; i++) {                                                                               \
        YT *yr = y + ((ptrdiff_t)t * p->m + i) * p->n;                                                           \
        qcc_qmatmul_row_##ROWSFX(a + a_off[t] + (ptrdiff_t)i * p->k, b + b_off[t], p->k, p->n, azp,              \
                                 bzp + bq_off[t], acc);                                                          \
        for (j = 0; j < p->n; j++) yr[j] = (YT)qcc_requantize_f32(qcc_i32_from_u32(acc[j]), st[j], yzp, YMIN, YMAX); \
      }                                                                                                          \
    }                                                                                                            \
  }

QCC_QLINEAR_MATMUL_DEF_(u8u8u8, u8u8, uint8_t, uint8_t, uint8_t, 0, 255)
QCC_QLINEAR_MATMUL_DEF_(u8u8i8, u8u8, uint8_t, uint8_t, int8_t, -128, 127)
QCC_QLINEAR_MATMUL_DEF_(u8i8u8, u8i8, uint8_t, int8_t, uint8_t, 0, 255)
QCC_QLINEAR_MATMUL_DEF_(u8i8i8, u8i8, uint8_t, int8_t, int8_t, -128, 127)
QCC_QLINEAR_MATMUL_DEF_(i8u8u8, i8u8, int8_t, uint8_t, uint8_t, 0, 255)
QCC_QLINEAR_MATMUL_DEF_(i8u8i8, i8u8, int8_t, uint8_t, int8_t, -128, 127)
QCC_QLINEAR_MATMUL_DEF_(i8i8u8, i8i8, int8_t, int8_t, uint8_t, 0, 255)
QCC_QLINEAR_MATMUL_DEF_(i8i8i8, i8i8, int8_t, int8_t, int8_t, -128, 127)

#endif /* QCC_QMATMUL_H */
