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
 * The fence (no instruction) keeps GCC from loading the next panels early and spilling them to the stack.
 */
#define QCC_QM_GEMV_PANEL_(rp, a0, a1, a2, a3)                                                                   \
  do {                                                                                                           \
    const int8x16x4_t bv_ = vld1q_s8_x4(rp);                                                                     \
    a0 = vdotq_s32(a0, bv_.val[0], lv); a1 = vdotq_s32(a1, bv_.val[1], lv);                                      \
    a2 = vdotq_s32(a2, bv_.val[2], lv); a3 = vdotq_s32(a3, bv_.val[3], lv);                                      \
    QCC_QG_ADVANCE_(rp, 64);                                                                                     \
    QCC_QCI_FENCE_();                                                                                            \
  } while (0)

/*
 * One plain row l (kg * 8 bytes) times four R panels of the 8x8 tile layout at r + q * rs (32 columns):
 * acc[q * 8 + j] for panel q. Per 16 k: one A load, two DUP, eight 4-register LD1 of B, 32 SDOT (512 MACs).
 */
static inline QCC_QG_ALWAYS_INLINE_ void qcc_qg_tile_1x32_i8mm(int32_t kg, const int8_t *l, const int8_t *r, ptrdiff_t rs, int32_t *acc,
                                         int32_t pair) {
  int32x4_t a00 = vdupq_n_s32(0), a01 = a00, a02 = a00, a03 = a00, a10 = a00, a11 = a00, a12 = a00, a13 = a00;
  int32x4_t a20 = a00, a21 = a00, a22 = a00, a23 = a00, a30 = a00, a31 = a00, a32 = a00, a33 = a00;
  const int8_t *r0 = r, *r1 = r + rs, *r2 = r + 2 * rs, *r3 = r + 3 * rs;
  int32_t q;
  (void)pair;
  for (q = kg >> 1; q > 0; q--) {
    /* 16 bytes of the row: each half duplicated (DUP by 64-bit lane) serves one k group */
    const int64x2_t w = vreinterpretq_s64_s8(vld1q_s8(l));
    int8x16_t lv = vreinterpretq_s8_s64(vdupq_laneq_s64(w, 0));
    QCC_QM_GEMV_PANEL_(r0, a00, a01, a02, a03);
    QCC_QM_GEMV_PANEL_(r1, a10, a11, a12, a13);
    QCC_QM_GEMV_PANEL_(r2, a20, a21, a22, a23);
    QCC_QM_GEMV_PANEL_(r3, a30, a31, a32, a33);
    lv = vreinterpretq_s8_s64(vdupq_laneq_s64(w, 1));
    QCC_QM_GEMV_PANEL_(r0, a00, a01, a02, a03);
    QCC_QM_GEMV_PANEL_(r1, a10, a11, a12, a13);
    QCC_QM_GEMV_PANEL_(r2, a20, a21, a22, a23);
    QCC_QM_GEMV_PANEL_(r3, a30, a31, a32, a33);
    l += 16;
  }
  if (kg & 1) {
    const int8x8_t h = vld1_s8(l);
    const int8x16_t lv = vcombine_s8(h, h);
    QCC_QM_GEMV_PANEL_(r0, a00, a01, a02, a03);
    QCC_QM_GEMV_PANEL_(r1, a10, a11, a12, a13);
    QCC_QM_GEMV_PANEL_(r2, a20, a21, a22, a23);
    QCC_QM_GEMV_PANEL_(r3, a30, a31, a32, a33);
  }
  vst1q_s32(acc + 0, vpaddq_s32(a00, a01)); vst1q_s32(acc + 4, vpaddq_s32(a02, a03));
  vst1q_s32(acc + 8, vpaddq_s32(a10, a11)); vst1q_s32(acc + 12, vpaddq_s32(a12, a13));
  vst1q_s32(acc + 16, vpaddq_s32(a20, a21)); vst1q_s32(acc + 20, vpaddq_s32(a22, a23));
  vst1q_s32(acc + 24, vpaddq_s32(a30, a31)); vst1q_s32(acc + 28, vpaddq_s32(a32, a33));
}

QCC_QG_DRIVERS_DEF_(i8mm, 8, 8, 8, qcc_qg_tile_8x8_i8mm, qcc_qg_tile_1x32_i8mm, 4, 0, QCC_KERNEL_INLINE)

/*
 * Implicit-GEMM convolution on SMMLA (2-D, dilation 1, W stride 1, any H stride, every weight zero point
 * folded): qcc_qlinear_conv_implicit_s8_dotprod's scheme with channel groups of 8. The input of one image and
 * group is copied once into buf[cg][hr][wc][8] = normal form of x[8 cg + j][hr - PH][wc - PW] (xzt in the
 * padding and for the channels past c_per_group, whose weights are 0), rows HP = (OH - 1) SH + KH, WP = OW8 +
 * KW - 1 columns (OW8 = OW rounded up to 8). For tap (kh, kw) the R operand of output pixels (oh, ow .. ow + 7)
 * is the 64 contiguous bytes at buf[cg][oh SH + kh][ow + kw]: four pixel pairs of 8 channels, SMMLA's layout.
 * Weights (backends/arm-neon/ops.ts implicitConvWeights8): [group][8-row block][cg][tap][8 rows][8 channels],
 * zeros for padded rows and channels. Per tap and channel group: two 4-register LD1 and 16 SMMLA, 512 MACs.
 * Sums: the same products as the im2col kernel, int32 modulo 2^32 (another order, the same bits), from rowc[m];
 * the requantization is qcc_requant_s32x4_neon. Scratch: ceil(c_per_group / 8) * HP * WP * 8 bytes.
 */
static inline int32_t qcc_qconv_implicit_width_i8mm(const qcc_qconv_params *p) {
  return (p->out_sp[2] + 7) / 8 * 8 + p->kernel[2] - 1;
}

QCC_KERNEL_INLINE void qcc_qconv_implicit_fill_i8mm(const qcc_qconv_params *p, const uint8_t *x_img, uint8_t flip, int32_t xzt,
                                                int32_t grp, int8_t *buf) {
  const int32_t IH = p->in_sp[1], IW = p->in_sp[2], PH = p->pads[1];
  const int32_t CPG = p->c_per_group, CG = (CPG + 7) / 8;
  const int32_t WP = qcc_qconv_implicit_width_i8mm(p), HP = (p->out_sp[1] - 1) * p->strides[1] + p->kernel[1];
  const int32_t PW = p->pads[2] < WP ? p->pads[2] : WP;
  const int32_t LIM = IW < WP - PW ? IW : WP - PW; /* input columns a window reaches */
  const int8x8_t z = vdup_n_s8((int8_t)xzt);
  const uint8x16_t f = vdupq_n_u8(flip);
  uint8_t zr[8]; /* raw bytes whose normal form is xzt: the rows of channels past c_per_group */
  int32_t cg, hr, j, c, wc;
  memset(zr, (uint8_t)xzt ^ flip, sizeof zr);
  for (cg = 0; cg < CG; cg++) {
    const uint8_t *src[8];
    for (j = 0; j < 8; j++) {
      c = cg * 8 + j;
      src[j] = c < CPG ? x_img + (ptrdiff_t)(grp * CPG + c) * IH * IW : NULL;
    }
    for (hr = 0; hr < HP; hr++) {
      int8_t *dst = buf + ((ptrdiff_t)cg * HP + hr) * WP * 8;
      const int32_t ih = hr - PH;
      wc = 0;
      if (ih >= 0 && ih < IH) {
        const ptrdiff_t ro = (ptrdiff_t)ih * IW;
        for (; wc < PW; wc++) vst1_s8(dst + (ptrdiff_t)8 * wc, z);
        for (j = 0; j + 8 <= LIM; j += 8) {
          const int8_t *rows[8];
          for (c = 0; c < 8; c++) rows[c] = (const int8_t *)(src[c] ? src[c] + ro + j : zr);
          qcc_qg_transpose8x8_neon(rows, 0, f, dst + (ptrdiff_t)8 * (PW + j));
        }
        for (; j < LIM; j++) {
          int8_t *d = dst + (ptrdiff_t)8 * (PW + j);
          for (c = 0; c < 8; c++) d[c] = src[c] ? (int8_t)(uint8_t)(src[c][ro + j] ^ flip) : (int8_t)xzt;
        }
        wc = PW + LIM;
      }
      for (; wc < WP; wc++) vst1_s8(dst + (ptrdiff_t)8 * wc, z);
    }
  }
}

#define QCC_QMI_TAP_(LP, RP)                                                                                     \
  do {                                                                                                           \
    const int8x16x4_t l_ = vld1q_s8_x4(LP), x_ = vld1q_s8_x4(RP);                                                \
    QCC_QM_GROUP_(l_, x_);                                                                                       \
    QCC_QCI_FENCE_();                                                                                            \
  } while (0)

/* Row pair {2 p, 2 p + 1} of the accumulators starts at {rc[2p], rc[2p], rc[2p + 1], rc[2p + 1]}. */
#define QCC_QMI_INIT_(p) vcombine_s32(vdup_n_s32(rc[2 * (p)]), vdup_n_s32(rc[2 * (p) + 1]))

/*
 * The 8x8 tile of the SMMLA implicit kernel: acc[i * 8 + j] = rc[i] + sum over cg < CG and the taps of the
 * weights at lw times the input at xb (channel group stride plane8, row stride WP8).
 */
static inline void qcc_qci_tile_i8mm(int32_t CG, int32_t KH, int32_t KW, const int8_t *lw, const int8_t *xb, ptrdiff_t WP8,
                                     ptrdiff_t plane8, const int32_t *rc, int32_t *acc) {
  int32x4_t c00 = QCC_QMI_INIT_(0), c01 = c00, c02 = c00, c03 = c00;
  int32x4_t c10 = QCC_QMI_INIT_(1), c11 = c10, c12 = c10, c13 = c10;
  int32x4_t c20 = QCC_QMI_INIT_(2), c21 = c20, c22 = c20, c23 = c20;
  int32x4_t c30 = QCC_QMI_INIT_(3), c31 = c30, c32 = c30, c33 = c30;
  int32_t cg, t;
  if (KH == 3 && KW == 3) {
    for (cg = 0; cg < CG; cg++) {
      const int8_t *r0 = xb, *r1 = xb + WP8, *r2 = xb + 2 * WP8;
      QCC_QMI_TAP_(lw, r0); QCC_QMI_TAP_(lw + 64, r0 + 8); QCC_QMI_TAP_(lw + 128, r0 + 16);
      QCC_QMI_TAP_(lw + 192, r1); QCC_QMI_TAP_(lw + 256, r1 + 8); QCC_QMI_TAP_(lw + 320, r1 + 16);
      QCC_QMI_TAP_(lw + 384, r2); QCC_QMI_TAP_(lw + 448, r2 + 8); QCC_QMI_TAP_(lw + 512, r2 + 16);
      lw += 576;
      xb += plane8;
    }
  } else {
    for (cg = 0; cg < CG; cg++) {
      for (t = 0; t < KH * KW; t++) {
        QCC_QMI_TAP_(lw, xb + (t / KW) * WP8 + (t % KW) * 8);
        lw += 64;
      }
      xb += plane8;
    }
  }
  QCC_QM_STORE_PAIR_(0, c00, c01, c02, c03);
  QCC_QM_STORE_PAIR_(1, c10, c11, c12, c13);
  QCC_QM_STORE_PAIR_(2, c20, c21, c22, c23);
  QCC_QM_STORE_PAIR_(3, c30, c31, c32, c33);
}

QCC_KERNEL_INLINE void qcc_qlinear_conv_implicit_s8_i8mm(const qcc_qconv_params *p, const uint8_t *x, uint8_t flip, int32_t xzt,
                                                     const int8_t *wp, const int32_t *rowc, const float *scale, int32_t yzp,
                                                     int32_t qmin, int32_t qmax, uint8_t *y, uint8_t *scratch) {
  const int32_t OH = p->out_sp[1], OW = p->out_sp[2], P = OH * OW, KH = p->kernel[1], KW = p->kernel[2];
  const int32_t SH = p->strides[1], T = KH * KW, CG = (p->c_per_group + 7) / 8;
  const int32_t mpg = p->m_per_group, mpgp = (mpg + 7) / 8 * 8;
  const int32_t WP = qcc_qconv_implicit_width_i8mm(p), HP = (OH - 1) * SH + KH;
  const ptrdiff_t WP8 = (ptrdiff_t)WP * 8, plane8 = (ptrdiff_t)HP * WP8, wblk = (ptrdiff_t)CG * T * 64;
  const ptrdiff_t in_img = (ptrdiff_t)p->c * p->in_sp[1] * p->in_sp[2];
  const float32x4_t lo = vdupq_n_f32((float)(qmin - yzp)), hi = vdupq_n_f32((float)(qmax - yzp));
  const int32x4_t zp = vdupq_n_s32(yzp);
  int8_t *buf = (int8_t *)scratch;
  int32_t n, grp, mb, oh, ow, i;
  for (n = 0; n < p->n; n++) {
    for (grp = 0; grp < p->group; grp++) {
      qcc_qconv_implicit_fill_i8mm(p, x + n * in_img, flip, xzt, grp, buf);
      for (mb = 0; mb < mpgp / 8; mb++) {
        const ptrdiff_t ci = (ptrdiff_t)grp * mpgp + (ptrdiff_t)mb * 8;
        const int32_t rn = mpg - mb * 8 < 8 ? mpg - mb * 8 : 8;
        const int8_t *const wb = wp + ci / 8 * wblk;
        const int32_t *const rc = rowc + ci;
        const float *const srow = scale + ci;
        uint8_t *const ym = y + ((ptrdiff_t)n * p->m + (ptrdiff_t)grp * mpg + (ptrdiff_t)mb * 8) * P;
        for (oh = 0; oh < OH; oh++) {
          for (ow = 0; ow < OW; ow += 8) {
            const int32_t cn = OW - ow < 8 ? OW - ow : 8;
            uint8_t *yb = ym + (ptrdiff_t)oh * OW + ow;
            int32_t acc[64];
            qcc_qci_tile_i8mm(CG, KH, KW, wb, buf + (ptrdiff_t)oh * SH * WP8 + (ptrdiff_t)ow * 8, WP8, plane8, rc, acc);
            for (i = 0; i < rn; i++) QCC_QCI_ROW_(i, vld1q_s32(acc + 8 * i), vld1q_s32(acc + 8 * i + 4));
          }
        }
      }
    }
  }
}

#endif /* QCC_QGEMM_I8MM_H */
