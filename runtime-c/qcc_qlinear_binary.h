/*
 * qcc_qlinear_binary.h: QLinearAdd / QLinearMul (com.microsoft) on u8 / i8 with numpy broadcasting.
 * Twin of compiler/ops/contrib-binary.ts (ONNX Runtime's portable MLAS kernels, float32, no FMA):
 *   va = as * float(a - az); vb = bs * float(b - bz); v = (va + vb) / cs (or (va * vb) / cs)
 *   v = min(max(v, lo), hi) with lo = qmin - cz, hi = qmax - cz; y = (int32_t)nearbyintf(v + float(cz))
 * Broadcasting: the compiler collapses the shapes (compiler/ops/elementwise-util.ts collapseBroadcast).
 */
#ifndef QCC_QLINEAR_BINARY_H
#define QCC_QLINEAR_BINARY_H

#include <stddef.h>
#include <stdint.h>
#include "qcc_qcontrib.h"

#define QCC_QBIN_MAX_RANK 6

typedef struct {
  float as, bs, cs, lo, hi;
  int32_t az, bz, cz;
  int32_t rank; /* >= 1 */
  int32_t shape[QCC_QBIN_MAX_RANK];
  /* element strides of a and b along each output axis (0 where broadcast) */
  int32_t sa[QCC_QBIN_MAX_RANK], sb[QCC_QBIN_MAX_RANK];
} qcc_qbin_params;

static inline int32_t qcc_qbin_finish_(float v, const qcc_qbin_params *p) {
  float w = v / p->cs;
  w = w < p->lo ? p->lo : w;
  w = p->hi < w ? p->hi : w;
  w = w + (float)p->cz;
  return qcc_nearbyint_i32(w);
}

static inline int32_t qcc_qlinear_add_elem_(int32_t a, int32_t b, const qcc_qbin_params *p) {
  const float va = p->as * (float)(a - p->az);
  const float vb = p->bs * (float)(b - p->bz);
  const float v = va + vb;
  return qcc_qbin_finish_(v, p);
}

static inline int32_t qcc_qlinear_mul_elem_(int32_t a, int32_t b, const qcc_qbin_params *p) {
  const float va = p->as * (float)(a - p->az);
  const float vb = p->bs * (float)(b - p->bz);
  const float v = va * vb;
  return qcc_qbin_finish_(v, p);
}

/* Advances the row odometer over the outer axes (all but the last) and the row offsets of a and b.
 * Returns 0 after the last row. Shared by the generic kernel and its SIMD twins. */
static inline int qcc_qbin_next_row_(const qcc_qbin_params *p, int32_t *idx, ptrdiff_t *oa, ptrdiff_t *ob) {
  int32_t d;
  for (d = p->rank - 2; d >= 0; d--) {
    idx[d]++;
    *oa += p->sa[d];
    *ob += p->sb[d];
    if (idx[d] < p->shape[d]) return 1;
    *oa -= (ptrdiff_t)idx[d] * p->sa[d];
    *ob -= (ptrdiff_t)idx[d] * p->sb[d];
    idx[d] = 0;
  }
  return 0;
}

#define QCC_QBIN_DEF_(OP, SFX, T)                                                                  \
  static inline void qcc_qlinear_##OP##_##SFX(const qcc_qbin_params *p, const T *a, const T *b, T *y) { \
    int32_t idx[QCC_QBIN_MAX_RANK] = {0};                                                          \
    ptrdiff_t oa = 0, ob = 0;                                                                      \
    const int32_t last = p->rank - 1, n = p->shape[p->rank - 1];                                   \
    const ptrdiff_t la = p->sa[last], lb = p->sb[last];                                            \
    for (;;) {                                                                                     \
      int32_t i;                                                                                   \
      ptrdiff_t ja = oa, jb = ob;                                                                  \
      for (i = 0; i < n; i++, ja += la, jb += lb) *y++ = (T)qcc_qlinear_##OP##_elem_(a[ja], b[jb], p); \
      if (!qcc_qbin_next_row_(p, idx, &oa, &ob)) return;                                           \
    }                                                                                              \
  }

QCC_QBIN_DEF_(add, u8, uint8_t)
QCC_QBIN_DEF_(add, i8, int8_t)
QCC_QBIN_DEF_(mul, u8, uint8_t)
QCC_QBIN_DEF_(mul, i8, int8_t)

#endif /* QCC_QLINEAR_BINARY_H */
