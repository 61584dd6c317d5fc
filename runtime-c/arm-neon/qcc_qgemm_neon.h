/*
 * qcc_qgemm_neon.h: integer GEMM tiles for AArch64 baseline Advanced SIMD (no dotprod) and the conv /
 * matmul drivers built on them (qcc_qlinear_conv_s8_neon, qcc_qlinear_matmul_s8_neon). Generic twins:
 * qcc_qlinear_conv_* (qcc_qconv.h) and qcc_qlinear_matmul_* (qcc_qmatmul.h).
 *
 * Layout: k groups of 16 bytes. Tile 4 rows x 4 columns: for every (row, column) an int32x4 accumulator
 * gathers 16 products per step through int16:
 *   pair = 1:  t = vmull_s8(l[0..7], r[0..7]); t = vmlal_high_s8(t, l, r);  acc = vpadalq_s16(acc, t)
 *   pair = 0:  acc = vpadalq_s16(acc, vmull_s8(lo, lo)); acc = vpadalq_s16(acc, vmull_high_s8(l, r))
 * Exactness of the int16 lanes: operands are int8 (normal form). One product lies in [-16256, 16384], which
 * int16 holds, so pair = 0 is exact for every input. A lane of pair = 1 adds two products; it is exact when
 * no weight byte is -128 (then |product| <= 128 * 127 = 16256 and |sum| <= 32512). The compiler checks the
 * packed weights and passes pair = 1 only then. vpadalq and all later sums are int32 modulo 2^32, like the
 * generic kernels' uint32 accumulators.
 */
#ifndef QCC_QGEMM_NEON_H
#define QCC_QGEMM_NEON_H

#include "qcc_qgemm_common_neon.h"

#define QCC_QG_PAIR_(acc, l, r)                                                                                  \
  do {                                                                                                           \
    int16x8_t t_ = vmull_s8(vget_low_s8(l), vget_low_s8(r));                                                     \
    t_ = vmlal_high_s8(t_, l, r);                                                                                \
    acc = vpadalq_s16(acc, t_);                                                                                  \
  } while (0)
#define QCC_QG_SINGLE_(acc, l, r)                                                                                \
  do {                                                                                                           \
    acc = vpadalq_s16(acc, vmull_s8(vget_low_s8(l), vget_low_s8(r)));                                            \
    acc = vpadalq_s16(acc, vmull_high_s8(l, r));                                                                 \
  } while (0)

#define QCC_QG_4X4_BODY_(OP)                                                                                     \
  for (q = 0; q < kg; q++) {                                                                                     \
    const int8x16_t l0 = vld1q_s8(l), l1 = vld1q_s8(l + 16), l2 = vld1q_s8(l + 32), l3 = vld1q_s8(l + 48);        \
    const int8x16_t r0 = vld1q_s8(r), r1 = vld1q_s8(r + 16), r2 = vld1q_s8(r + 32), r3 = vld1q_s8(r + 48);        \
    OP(c00, l0, r0); OP(c01, l0, r1); OP(c02, l0, r2); OP(c03, l0, r3);                                          \
    OP(c10, l1, r0); OP(c11, l1, r1); OP(c12, l1, r2); OP(c13, l1, r3);                                          \
    OP(c20, l2, r0); OP(c21, l2, r1); OP(c22, l2, r2); OP(c23, l2, r3);                                          \
    OP(c30, l3, r0); OP(c31, l3, r1); OP(c32, l3, r2); OP(c33, l3, r3);                                          \
    l += 64;                                                                                                     \
    r += 64;                                                                                                     \
  }

/* acc[i * 4 + j] = sum over kg * 16 k of l[i][k] * r[j][k] (L panel [kg][4][16], R panel [kg][4][16]). */
static inline QCC_QG_ALWAYS_INLINE_ void qcc_qg_tile_4x4_neon(int32_t kg, const int8_t *l, const int8_t *r, int32_t *acc, int32_t pair) {
  int32x4_t c00 = vdupq_n_s32(0), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
  int32x4_t c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
  int32_t q;
  if (pair) {
    QCC_QG_4X4_BODY_(QCC_QG_PAIR_)
  } else {
    QCC_QG_4X4_BODY_(QCC_QG_SINGLE_)
  }
  vst1q_s32(acc + 0, vpaddq_s32(vpaddq_s32(c00, c01), vpaddq_s32(c02, c03)));
  vst1q_s32(acc + 4, vpaddq_s32(vpaddq_s32(c10, c11), vpaddq_s32(c12, c13)));
  vst1q_s32(acc + 8, vpaddq_s32(vpaddq_s32(c20, c21), vpaddq_s32(c22, c23)));
  vst1q_s32(acc + 12, vpaddq_s32(vpaddq_s32(c30, c31), vpaddq_s32(c32, c33)));
}

#define QCC_QG_1X8_BODY_(OP)                                                                                     \
  for (q = 0; q < kg; q++) {                                                                                     \
    const int8x16_t lv = vld1q_s8(l);                                                                            \
    OP(c0, lv, vld1q_s8(r0)); OP(c1, lv, vld1q_s8(r0 + 16)); OP(c2, lv, vld1q_s8(r0 + 32));                       \
    OP(c3, lv, vld1q_s8(r0 + 48)); OP(c4, lv, vld1q_s8(r1)); OP(c5, lv, vld1q_s8(r1 + 16));                       \
    OP(c6, lv, vld1q_s8(r1 + 32)); OP(c7, lv, vld1q_s8(r1 + 48));                                                \
    l += 16;                                                                                                     \
    r0 += 64;                                                                                                    \
    r1 += 64;                                                                                                    \
  }

/* One plain row l (kg * 16 bytes) times two R panels: acc[0..3] from r, acc[4..7] from r + rs. */
static inline QCC_QG_ALWAYS_INLINE_ void qcc_qg_tile_1x8_neon(int32_t kg, const int8_t *l, const int8_t *r, ptrdiff_t rs, int32_t *acc,
                                        int32_t pair) {
  const int8_t *r0 = r, *r1 = r + rs;
  int32x4_t c0 = vdupq_n_s32(0), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
  int32_t q;
  if (pair) {
    QCC_QG_1X8_BODY_(QCC_QG_PAIR_)
  } else {
    QCC_QG_1X8_BODY_(QCC_QG_SINGLE_)
  }
  vst1q_s32(acc + 0, vpaddq_s32(vpaddq_s32(c0, c1), vpaddq_s32(c2, c3)));
  vst1q_s32(acc + 4, vpaddq_s32(vpaddq_s32(c4, c5), vpaddq_s32(c6, c7)));
}

QCC_QG_DRIVERS_DEF_(neon, 4, 4, 16, qcc_qg_tile_4x4_neon, qcc_qg_tile_1x8_neon, 2, 0, static inline)

#endif /* QCC_QGEMM_NEON_H */
