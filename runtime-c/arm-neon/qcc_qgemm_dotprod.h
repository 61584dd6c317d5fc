/*
 * qcc_qgemm_dotprod.h: integer GEMM tiles for Armv8.2 dotprod (SDOT, -march=armv8.2-a+dotprod) and the
 * conv / matmul drivers built on them (qcc_qlinear_conv_s8_dotprod, qcc_qlinear_matmul_s8_dotprod).
 * Generic twins: qcc_qlinear_conv_* (qcc_qconv.h) and qcc_qlinear_matmul_* (qcc_qmatmul.h).
 *
 * Layout: k groups of 4 bytes. Tile 8 rows x 8 columns; L panel [kg][8 rows][4], R panel [kg][8 cols][4];
 * each step is 2 + 2 loads and 16 SDOT (by element: lane i of the L vector is row i's 4 bytes), 256 MACs.
 * SDOT multiplies int8 x int8 and adds the four products straight into the int32 lane (modulo 2^32): no
 * narrower intermediate exists, so it is exact for every input and weight. Mixed signedness never reaches
 * the instruction: u8 operands are in the signed normal form (qcc_qgemm_common_neon.h), so there is no need
 * for USDOT (i8mm) or for the +128 shift with a bias correction.
 *
 * qcc_arm_has_dotprod() is the run-time feature test the generated model calls before computing.
 */
#ifndef QCC_QGEMM_DOTPROD_H
#define QCC_QGEMM_DOTPROD_H

#include "qcc_qgemm_common_neon.h"

#if defined(__linux__)
#include <sys/auxv.h>
#endif

/* Nonzero when the CPU executes SDOT/UDOT. Linux: HWCAP_ASIMDDP; elsewhere trust the build flags. */
static inline int qcc_arm_has_dotprod(void) {
#if defined(__linux__) && defined(AT_HWCAP)
  return (getauxval(AT_HWCAP) & (1UL << 20)) != 0; /* HWCAP_ASIMDDP */
#elif defined(__ARM_FEATURE_DOTPROD)
  return 1;
#else
  return 0;
#endif
}

#if !defined(__ARM_FEATURE_DOTPROD)
#error "qcc_qgemm_dotprod.h needs -march=armv8.2-a+dotprod (the arm-neon-dotprod target's flags)"
#endif

#define QCC_QG_DOT8_(c, r, l, lane) c = vdotq_laneq_s32(c, r, l, lane)
#define QCC_QG_DOT8_STEP_(LP, RP)                                                                                \
  do {                                                                                                           \
    const int8x16_t l0 = vld1q_s8(LP), l1 = vld1q_s8((LP) + 16), r0 = vld1q_s8(RP), r1 = vld1q_s8((RP) + 16);    \
    QCC_QG_DOT8_(a0, r0, l0, 0); QCC_QG_DOT8_(b0, r1, l0, 0);                                                     \
    QCC_QG_DOT8_(a1, r0, l0, 1); QCC_QG_DOT8_(b1, r1, l0, 1);                                                     \
    QCC_QG_DOT8_(a2, r0, l0, 2); QCC_QG_DOT8_(b2, r1, l0, 2);                                                     \
    QCC_QG_DOT8_(a3, r0, l0, 3); QCC_QG_DOT8_(b3, r1, l0, 3);                                                     \
    QCC_QG_DOT8_(a4, r0, l1, 0); QCC_QG_DOT8_(b4, r1, l1, 0);                                                     \
    QCC_QG_DOT8_(a5, r0, l1, 1); QCC_QG_DOT8_(b5, r1, l1, 1);                                                     \
    QCC_QG_DOT8_(a6, r0, l1, 2); QCC_QG_DOT8_(b6, r1, l1, 2);                                                     \
    QCC_QG_DOT8_(a7, r0, l1, 3); QCC_QG_DOT8_(b7, r1, l1, 3);                                                     \
  } while (0)

/* acc[i * 8 + j] = sum over kg * 4 k of l[i][k] * r[j][k]. */
static inline void qcc_qg_tile_8x8_dotprod(int32_t kg, const int8_t *l, const int8_t *r, int32_t *acc, int32_t pair) {
  int32x4_t a0 = vdupq_n_s32(0), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
  int32x4_t a4 = a0, b4 = a0, a5 = a0, b5 = a0, a6 = a0, b6 = a0, a7 = a0, b7 = a0;
  int32_t q;
  (void)pair;
  /* Two k groups per iteration (fewer loop instructions per SDOT), then the odd one. */
  for (q = kg >> 1; q > 0; q--) {
    QCC_QG_DOT8_STEP_(l, r);
    QCC_QG_DOT8_STEP_(l + 32, r + 32);
    l += 64;
    r += 64;
  }
  if (kg & 1) QCC_QG_DOT8_STEP_(l, r);
  vst1q_s32(acc + 0, a0); vst1q_s32(acc + 4, b0); vst1q_s32(acc + 8, a1); vst1q_s32(acc + 12, b1);
  vst1q_s32(acc + 16, a2); vst1q_s32(acc + 20, b2); vst1q_s32(acc + 24, a3); vst1q_s32(acc + 28, b3);
  vst1q_s32(acc + 32, a4); vst1q_s32(acc + 36, b4); vst1q_s32(acc + 40, a5); vst1q_s32(acc + 44, b5);
  vst1q_s32(acc + 48, a6); vst1q_s32(acc + 52, b6); vst1q_s32(acc + 56, a7); vst1q_s32(acc + 60, b7);
}

#define QCC_QG_1X16_STEP_(lane)                                                                                  \
  do {                                                                                                           \
    c0 = vdotq_laneq_s32(c0, vld1q_s8(r0), lv, lane);                                                            \
    c1 = vdotq_laneq_s32(c1, vld1q_s8(r0 + 16), lv, lane);                                                       \
    c2 = vdotq_laneq_s32(c2, vld1q_s8(r1), lv, lane);                                                            \
    c3 = vdotq_laneq_s32(c3, vld1q_s8(r1 + 16), lv, lane);                                                       \
    r0 += 32;                                                                                                    \
    r1 += 32;                                                                                                    \
  } while (0)

/* One plain row l (kg * 4 bytes) times two R panels: acc[0..7] from r0, acc[8..15] from r1. */
static inline void qcc_qg_tile_1x16_dotprod(int32_t kg, const int8_t *l, const int8_t *r0, const int8_t *r1,
                                            int32_t *acc, int32_t pair) {
  int32x4_t c0 = vdupq_n_s32(0), c1 = c0, c2 = c0, c3 = c0;
  int32_t q;
  (void)pair;
  for (q = kg >> 2; q > 0; q--) {
    const int8x16_t lv = vld1q_s8(l);
    QCC_QG_1X16_STEP_(0);
    QCC_QG_1X16_STEP_(1);
    QCC_QG_1X16_STEP_(2);
    QCC_QG_1X16_STEP_(3);
    l += 16;
  }
  for (q = kg & 3; q > 0; q--) {
    int32_t w;
    int8x16_t lv;
    memcpy(&w, l, 4);
    lv = vreinterpretq_s8_s32(vdupq_n_s32(w));
    QCC_QG_1X16_STEP_(0);
    l += 4;
  }
  vst1q_s32(acc + 0, c0);
  vst1q_s32(acc + 4, c1);
  vst1q_s32(acc + 8, c2);
  vst1q_s32(acc + 12, c3);
}

QCC_QG_DRIVERS_DEF_(dotprod, 8, 8, 4, qcc_qg_tile_8x8_dotprod, qcc_qg_tile_1x16_dotprod)

#endif /* QCC_QGEMM_DOTPROD_H */
