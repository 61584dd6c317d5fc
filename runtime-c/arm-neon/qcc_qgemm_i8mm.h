/*
 * qcc_qgemm_i8mm.h: integer GEMM tiles for Armv8.6 I8MM (SMMLA, -march=armv8.2-a+dotprod+i8mm) and the conv /
 * matmul drivers built on them (qcc_qlinear_conv_s8_i8mm, qcc_qlinear_matmul_s8_i8mm,
 * qcc_qlinear_conv_pixrows_s8_i8mm). The target is dotprod plus i8mm: this header includes the dotprod one,
 * whose implicit-GEMM conv and SDOT depthwise kernels the i8mm target keeps.
 * Generic twins: qcc_qlinear_conv_* (qcc_qconv.h) and qcc_qlinear_matmul_* (qcc_qmatmul.h).
 *
 * SMMLA (vmmlaq_s32(c, a, b)) multiplies the 2x8 int8 matrix a (bytes 0-7 row 0, 8-15 row 1) by the 8x2 int8
 * matrix whose columns are b's two halves and adds the 2x2 result to c = {c00, c01, c10, c11}: 32 MACs per
 * instruction. Like SDOT, the int8 x int8 products are summed straight into the int32 lanes (modulo 2^32), so
 * it is exact for every operand; u8 operands are in the signed normal form (qcc_qgemm_common_neon.h), so the
 * unsigned and mixed forms (UMMLA, USMMLA) are not needed.
 *
 * Layout: k groups of 8 bytes. Tile 8 rows x 8 columns; L panel [kg][8 rows][8], R panel [kg][8 cols][8], so
 * each 16-byte vector of L is a row pair and each of R a column pair, the operands SMMLA wants as they lie.
 * Per k group: one 4-register LD1 of each operand and 16 SMMLA, 512 MACs.
 *
 * qcc_arm_has_i8mm() is the run-time feature test the generated model calls before computing.
 */
#ifndef QCC_QGEMM_I8MM_H
#define QCC_QGEMM_I8MM_H

#include "qcc_qgemm_dotprod.h"

/* Nonzero when the CPU executes SDOT and SMMLA. Linux: HWCAP_ASIMDDP and HWCAP2_I8MM; elsewhere the build flags. */
static inline int qcc_arm_has_i8mm(void) {
#if defined(__linux__) && defined(AT_HWCAP2)
  return qcc_arm_has_dotprod() && (getauxval(AT_HWCAP2) & (1UL << 13)) != 0; /* HWCAP2_I8MM */
#elif defined(__ARM_FEATURE_MATMUL_INT8)
  return qcc_arm_has_dotprod();
#else
  return 0;
#endif
}

#if !defined(__ARM_FEATURE_MATMUL_INT8)
#error "qcc_qgemm_i8mm.h needs -march=armv8.2-a+dotprod+i8mm (the arm-neon-i8mm target's flags)"
#endif

/* One k group of the 8x8 tile: l0..l3 the row pairs 01, 23, 45, 67; r0..r3 the column pairs. */
#define QCC_QM_ROWPAIR_(l, c0, c1, c2, c3, r0, r1, r2, r3)                                                       \
  do {                                                                                                           \
    c0 = vmmlaq_s32(c0, l, r0); c1 = vmmlaq_s32(c1, l, r1); c2 = vmmlaq_s32(c2, l, r2); c3 = vmmlaq_s32(c3, l, r3); \
  } while (0)
#define QCC_QM_GROUP_(lv, rv)                                                                                    \
  do {                                                                                                           \
    QCC_QM_ROWPAIR_(lv.val[0], c00, c01, c02, c03, rv.val[0], rv.val[1], rv.val[2], rv.val[3]);                  \
    QCC_QM_ROWPAIR_(lv.val[1], c10, c11, c12, c13, rv.val[0], rv.val[1], rv.val[2], rv.val[3]);                  \
    QCC_QM_ROWPAIR_(lv.val[2], c20, c21, c22, c23, rv.val[0], rv.val[1], rv.val[2], rv.val[3]);                  \
    QCC_QM_ROWPAIR_(lv.val[3], c30, c31, c32, c33, rv.val[0], rv.val[1], rv.val[2], rv.val[3]);                  \
  } while (0)
/* Rows 2p and 2p + 1 of the tile from the row pair's four 2x2 blocks (each {r0 c0, r0 c1, r1 c0, r1 c1}). */
#define QCC_QM_STORE_PAIR_(p, x0, x1, x2, x3)                                                                    \
  do {                                                                                                           \
    const int64x2_t y0_ = vreinterpretq_s64_s32(x0), y1_ = vreinterpretq_s64_s32(x1);                            \
    const int64x2_t y2_ = vreinterpretq_s64_s32(x2), y3_ = vreinterpretq_s64_s32(x3);                            \
    vst1q_s32(acc + 16 * (p), vreinterpretq_s32_s64(vzip1q_s64(y0_, y1_)));                                      \
    vst1q_s32(acc + 16 * (p) + 4, vreinterpretq_s32_s64(vzip1q_s64(y2_, y3_)));                                  \
    vst1q_s32(acc + 16 * (p) + 8, vreinterpretq_s32_s64(vzip2q_s64(y0_, y1_)));                                  \
    vst1q_s32(acc + 16 * (p) + 12, vreinterpretq_s32_s64(vzip2q_s64(y2_, y3_)));                                 \
  } while (0)

/*
 * acc[i * 8 + j] = sum over kg * 8 k of l[i][k] * r[j][k]. Two k groups per iteration: 4 LD1 (64 bytes each,
 * post-incremented), 32 SMMLA and the loop per 1024 MACs.
 */
static inline QCC_QG_ALWAYS_INLINE_ void qcc_qg_tile_8x8_i8mm(int32_t kg, const int8_t *l, const int8_t *r, int32_t *acc, int32_t pair) {
  int32x4_t c00 = vdupq_n_s32(0), c01 = c00, c02 = c00, c03 = c00, c10 = c00, c11 = c00, c12 = c00, c13 = c00;
  int32x4_t c20 = c00, c21 = c00, c22 = c00, c23 = c00, c30 = c00, c31 = c00, c32 = c00, c33 = c00;
  int32_t q;
  (void)pair;
  for (q = kg >> 1; q > 0; q--) {
    /* One group's operands at a time (16 accumulators + 8 operands): loading both groups' first would need
     * 32 vector registers and GCC would move registers around. */
    int8x16x4_t lv = vld1q_s8_x4(l), rv = vld1q_s8_x4(r);
    QCC_QG_ADVANCE_(l, 64);
    QCC_QG_ADVANCE_(r, 64);
    QCC_QM_GROUP_(lv, rv);
    lv = vld1q_s8_x4(l);
    rv = vld1q_s8_x4(r);
    QCC_QG_ADVANCE_(l, 64);
    QCC_QG_ADVANCE_(r, 64);
    QCC_QM_GROUP_(lv, rv);
  }
  if (kg & 1) {
    const int8x16x4_t lv = vld1q_s8_x4(l), rv = vld1q_s8_x4(r);
    QCC_QM_GROUP_(lv, rv);
  }
  QCC_QM_STORE_PAIR_(0, c00, c01, c02, c03);
  QCC_QM_STORE_PAIR_(1, c10, c11, c12, c13);
  QCC_QM_STORE_PAIR_(2, c20, c21, c22, c23);
  QCC_QM_STORE_PAIR_(3, c30, c31, c32, c33);
}

/*
 * One 8-k group of one 8-column panel for the GEMV: the panel's four column pairs (c 2j k0-7, c 2j+1 k0-7)
 * times lv = the row's 8 bytes twice. SDOT's lanes then hold {c0 k0-3, c0 k4-7, c1 k0-3, c1 k4-7}; the halves
 * are added pairwise once at the end. 16 useful MACs per instruction, as many as SMMLA gives with one row.
 */
#define QCC_QM_GEMV_PANEL_(rp, a0, a1, a2, a3)                                                                   \
  do {                                                                                                           \
    const int8x16x4_t bv_ = vld1q_s8_x4(rp);                                                                     \
    a0 = vdotq_s32(a0, bv_.val[0], lv); a1 = vdotq_s32(a1, bv_.val[1], lv);                                      \
    a2 = vdotq_s32(a2, bv_.val[2], lv); a3 = vdotq_s32(a3, bv_.val[3], lv);                                      \
    QCC_QG_ADVANCE_(rp, 64);                                                                                     \
  } while (0)

/*
 * One plain row l (kg * 8 bytes) times four R panels of the 8x8 tile layout at r + q * rs (32 columns):
 * acc[q * 8 + j] for panel q. Per 8 k: one A load, four 4-register LD1 of B, 16 SDOT (256 MACs).
 */
static inline QCC_QG_ALWAYS_INLINE_ void qcc_qg_tile_1x32_i8mm(int32_t kg, const int8_t *l, const int8_t *r, ptrdiff_t rs, int32_t *acc,
                                         int32_t pair) {
  int32x4_t a00 = vdupq_n_s32(0), a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00;
  int32x4_t a20 = a00, a21 = a00, a22 = a00, a23 = a00, a30 = a00, a31 = a00, a32 = a00, a33 = a00;
  const int8_t *r0 = r, *r1 = r + rs, *r2 = r + 2 * rs, *r3 = r + 3 * rs;
  int32_t q;
  (void)pair;
  for (q = kg; q > 0; q--) {
    const int8x8_t h = vld1_s8(l);
    const int8x16_t lv = vcombine_s8(h, h);
    QCC_QM_GEMV_PANEL_(r0, a00, a01, a02, a03);
    QCC_QM_GEMV_PANEL_(r1, a10, a11, a12, a13);
    QCC_QM_GEMV_PANEL_(r2, a20, a21, a22, a23);
    QCC_QM_GEMV_PANEL_(r3, a30, a31, a32, a33);
    l += 8;
  }
  vst1q_s32(acc + 0, vpaddq_s32(a00, a01)); vst1q_s32(acc + 4, vpaddq_s32(a02, a03));
  vst1q_s32(acc + 8, vpaddq_s32(a10, a11)); vst1q_s32(acc + 12, vpaddq_s32(a12, a13));
  vst1q_s32(acc + 16, vpaddq_s32(a20, a21)); vst1q_s32(acc + 20, vpaddq_s32(a22, a23));
  vst1q_s32(acc + 24, vpaddq_s32(a30, a31)); vst1q_s32(acc + 28, vpaddq_s32(a32, a33));
}

QCC_QG_DRIVERS_DEF_(i8mm, 8, 8, 8, qcc_qg_tile_8x8_i8mm, qcc_qg_tile_1x32_i8mm, 4, 0)

#endif /* QCC_QGEMM_I8MM_H */
