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

/*
 * Streaming pointer step. GCC (12) rewrites a run of loads from one pointer advanced by constants into one
 * address register per load (an extra ADD/MOV each, as many as the loads); an empty asm that "changes" the
 * pointer hides its value from that rewrite, so every LD1 post-increments the same register. It emits no
 * instruction and touches no data: the arithmetic is unchanged.
 */
#if defined(__GNUC__)
#define QCC_QG_ADVANCE_(p, n)                                                                                    \
  do {                                                                                                           \
    (p) += (n);                                                                                                  \
    __asm__("" : "+r"(p));                                                                                       \
  } while (0)
#else
#define QCC_QG_ADVANCE_(p, n) ((p) += (n))
#endif

#define QCC_QG_DOT8_(c, r, l, lane) c = vdotq_laneq_s32(c, r, l, lane)
/* One k group of the 8x8 tile: l0/l1 hold rows 0-3 / 4-7 (4 bytes each), r0/r1 columns 0-3 / 4-7. */
#define QCC_QG_DOT8_GROUP_(l0, l1, r0, r1)                                                                       \
  do {                                                                                                           \
    QCC_QG_DOT8_(a0, r0, l0, 0); QCC_QG_DOT8_(b0, r1, l0, 0);                                                     \
    QCC_QG_DOT8_(a1, r0, l0, 1); QCC_QG_DOT8_(b1, r1, l0, 1);                                                     \
    QCC_QG_DOT8_(a2, r0, l0, 2); QCC_QG_DOT8_(b2, r1, l0, 2);                                                     \
    QCC_QG_DOT8_(a3, r0, l0, 3); QCC_QG_DOT8_(b3, r1, l0, 3);                                                     \
    QCC_QG_DOT8_(a4, r0, l1, 0); QCC_QG_DOT8_(b4, r1, l1, 0);                                                     \
    QCC_QG_DOT8_(a5, r0, l1, 1); QCC_QG_DOT8_(b5, r1, l1, 1);                                                     \
    QCC_QG_DOT8_(a6, r0, l1, 2); QCC_QG_DOT8_(b6, r1, l1, 2);                                                     \
    QCC_QG_DOT8_(a7, r0, l1, 3); QCC_QG_DOT8_(b7, r1, l1, 3);                                                     \
  } while (0)
#define QCC_QG_DOT8_STEP_(LP, RP)                                                                                \
  do {                                                                                                           \
    const int8x16_t l0_ = vld1q_s8(LP), l1_ = vld1q_s8((LP) + 16), r0_ = vld1q_s8(RP), r1_ = vld1q_s8((RP) + 16); \
    QCC_QG_DOT8_GROUP_(l0_, l1_, r0_, r1_);                                                                      \
  } while (0)

/*
 * acc[i * 8 + j] = sum over kg * 4 k of l[i][k] * r[j][k]. Two k groups per iteration, each operand loaded
 * with one 4-register LD1 (64 bytes): 32 SDOT + 2 loads + 2 loop instructions per 512 MACs.
 */
static inline QCC_QG_ALWAYS_INLINE_ void qcc_qg_tile_8x8_dotprod(int32_t kg, const int8_t *l, const int8_t *r, int32_t *acc, int32_t pair) {
  int32x4_t a0 = vdupq_n_s32(0), b0 = a0, a1 = a0, b1 = a0, a2 = a0, b2 = a0, a3 = a0, b3 = a0;
  int32x4_t a4 = a0, b4 = a0, a5 = a0, b5 = a0, a6 = a0, b6 = a0, a7 = a0, b7 = a0;
  int32_t q;
  (void)pair;
  for (q = kg >> 1; q > 0; q--) {
    const int8x16x4_t lv = vld1q_s8_x4(l), rv = vld1q_s8_x4(r);
    QCC_QG_DOT8_GROUP_(lv.val[0], lv.val[1], rv.val[0], rv.val[1]);
    QCC_QG_DOT8_GROUP_(lv.val[2], lv.val[3], rv.val[2], rv.val[3]);
    l += 64;
    r += 64;
  }
  if (kg & 1) QCC_QG_DOT8_STEP_(l, r);
  vst1q_s32(acc + 0, a0); vst1q_s32(acc + 4, b0); vst1q_s32(acc + 8, a1); vst1q_s32(acc + 12, b1);
  vst1q_s32(acc + 16, a2); vst1q_s32(acc + 20, b2); vst1q_s32(acc + 24, a3); vst1q_s32(acc + 28, b3);
  vst1q_s32(acc + 32, a4); vst1q_s32(acc + 36, b4); vst1q_s32(acc + 40, a5); vst1q_s32(acc + 44, b5);
  vst1q_s32(acc + 48, a6); vst1q_s32(acc + 52, b6); vst1q_s32(acc + 56, a7); vst1q_s32(acc + 60, b7);
}

/* Four k groups (one 16-byte A vector, lanes 0-3) of one 8-column panel: 128 bytes, two 4-register LD1. */
#define QCC_QG_GEMV_PANEL_(rp, ca, cb)                                                                           \
  do {                                                                                                           \
    int8x16x4_t bv_ = vld1q_s8_x4(rp);                                                                           \
    ca = vdotq_laneq_s32(ca, bv_.val[0], lv, 0); cb = vdotq_laneq_s32(cb, bv_.val[1], lv, 0);                     \
    ca = vdotq_laneq_s32(ca, bv_.val[2], lv, 1); cb = vdotq_laneq_s32(cb, bv_.val[3], lv, 1);                     \
    QCC_QG_ADVANCE_(rp, 64);                                                                                     \
    bv_ = vld1q_s8_x4(rp);                                                                                       \
    ca = vdotq_laneq_s32(ca, bv_.val[0], lv, 2); cb = vdotq_laneq_s32(cb, bv_.val[1], lv, 2);                     \
    ca = vdotq_laneq_s32(ca, bv_.val[2], lv, 3); cb = vdotq_laneq_s32(cb, bv_.val[3], lv, 3);                     \
    QCC_QG_ADVANCE_(rp, 64);                                                                                     \
  } while (0)
#define QCC_QG_GEMV_TAIL_(rp, ca, cb)                                                                            \
  do {                                                                                                           \
    ca = vdotq_laneq_s32(ca, vld1q_s8(rp), lv, 0);                                                               \
    cb = vdotq_laneq_s32(cb, vld1q_s8((rp) + 16), lv, 0);                                                        \
    QCC_QG_ADVANCE_(rp, 32);                                                                                     \
  } while (0)

/*
 * One plain row l (kg * 4 bytes) times four R panels (32 columns): acc[q * 8 + j] for panel q. Per 16 k:
 * one A load, eight 4-register LD1 of B and 32 SDOT (512 MACs); B is streamed once, so its loads bound the
 * GEMV at 1/64 of a load per MAC.
 * rs == 0: the 32-column block is interleaved for this tile (all rows of the matmul use it, see
 * backends/arm-neon/ops.ts gemvInterleave): per 16 k the four panels' 128 bytes in turn, then per tail k
 * group the four panels' 32 bytes, so one pointer streams through it. rs != 0: four panels of the 8x8 tile
 * layout at r + q * rs.
 */
static inline QCC_QG_ALWAYS_INLINE_ void qcc_qg_tile_1x32_dotprod(int32_t kg, const int8_t *l, const int8_t *r, ptrdiff_t rs, int32_t *acc,
                                            int32_t pair) {
  int32x4_t c0 = vdupq_n_s32(0), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0, c6 = c0, c7 = c0;
  int32_t q;
  (void)pair;
  if (rs == 0) {
    const int8_t *rp = r;
    for (q = kg >> 2; q > 0; q--) {
      const int8x16_t lv = vld1q_s8(l);
      QCC_QG_GEMV_PANEL_(rp, c0, c1);
      QCC_QG_GEMV_PANEL_(rp, c2, c3);
      QCC_QG_GEMV_PANEL_(rp, c4, c5);
      QCC_QG_GEMV_PANEL_(rp, c6, c7);
      l += 16;
    }
    for (q = kg & 3; q > 0; q--) {
      int32_t w;
      int8x16_t lv;
      memcpy(&w, l, 4);
      lv = vreinterpretq_s8_s32(vdupq_n_s32(w));
      QCC_QG_GEMV_TAIL_(rp, c0, c1);
      QCC_QG_GEMV_TAIL_(rp, c2, c3);
      QCC_QG_GEMV_TAIL_(rp, c4, c5);
      QCC_QG_GEMV_TAIL_(rp, c6, c7);
      l += 4;
    }
  } else {
    const int8_t *r0 = r, *r1 = r + rs, *r2 = r + 2 * rs, *r3 = r + 3 * rs;
    for (q = kg >> 2; q > 0; q--) {
      const int8x16_t lv = vld1q_s8(l);
      QCC_QG_GEMV_PANEL_(r0, c0, c1);
      QCC_QG_GEMV_PANEL_(r1, c2, c3);
      QCC_QG_GEMV_PANEL_(r2, c4, c5);
      QCC_QG_GEMV_PANEL_(r3, c6, c7);
      l += 16;
    }
    for (q = kg & 3; q > 0; q--) {
      int32_t w;
      int8x16_t lv;
      memcpy(&w, l, 4);
      lv = vreinterpretq_s8_s32(vdupq_n_s32(w));
      QCC_QG_GEMV_TAIL_(r0, c0, c1);
      QCC_QG_GEMV_TAIL_(r1, c2, c3);
      QCC_QG_GEMV_TAIL_(r2, c4, c5);
      QCC_QG_GEMV_TAIL_(r3, c6, c7);
      l += 4;
    }
  }
  vst1q_s32(acc + 0, c0); vst1q_s32(acc + 4, c1); vst1q_s32(acc + 8, c2); vst1q_s32(acc + 12, c3);
  vst1q_s32(acc + 16, c4); vst1q_s32(acc + 20, c5); vst1q_s32(acc + 24, c6); vst1q_s32(acc + 28, c7);
}

QCC_QG_DRIVERS_DEF_(dotprod, 8, 8, 4, qcc_qg_tile_8x8_dotprod, qcc_qg_tile_1x32_dotprod, 4, 1, QCC_KERNEL_INLINE)

/*
 * Implicit-GEMM convolution (2-D, dilation 1, W stride SW 1 or 2, any H stride, every weight zero point
 * folded): no im2col. The input of one image and group is copied once into a padded, channel-interleaved
 * buffer split by column phase (padded column c = SW wc + ph):
 *   buf[cg][hr][ph][wc][4] = normal form of x[4 cg + j][hr - PH][SW wc + ph - PW]   (xzt in the padding and
 *   for the channels past c_per_group, whose weights are 0), rows HP = (OH - 1) SH + KH, phase planes of
 *   WPH = OW8 + (KW - 1) / SW columns, OW8 = OW rounded up to 8 (SW = 1: one phase, the plain padded rows).
 * For tap (kh, kw) the SDOT operand of output pixels (oh, ow .. ow + 7) and channels 4 cg .. 4 cg + 3 is
 * then the 32 contiguous bytes at buf[cg][oh SH + kh][kw % SW][ow + kw / SW]: each tap is a shifted 1x1 GEMM
 * over the same buffer, accumulated into the same int32 tile. Outputs ow >= OW of a row's last tile read
 * columns < WPH and are not stored; input columns and rows past the last one a window reaches are not copied.
 * Weights (packed at compile time, backends/arm-neon/ops.ts implicitConvWeights): [group][8-row block]
 * [cg][tap][8 rows][4 channels], rows padded with zeros to a multiple of 8.
 * Sums: the tile adds, modulo 2^32, the same products sum_k ws * xt as the im2col kernel (k visited in
 * another order; integer addition modulo 2^32 is associative, so the bits are the same), starting from
 * rowc[m]; the requantization is qcc_requant_s32x4_neon.
 * Scratch: ceil(c_per_group / 4) * HP * SW * WPH * 4 bytes.
 */
static inline int32_t qcc_qconv_implicit_width_dotprod(const qcc_qconv_params *p) {
  return (p->out_sp[2] + 7) / 8 * 8 + (p->kernel[2] - 1) / p->strides[2];
}

QCC_KERNEL_INLINE void qcc_qconv_implicit_fill_dotprod(const qcc_qconv_params *p, const uint8_t *x_img, uint8_t flip,
                                                   int32_t xzt, int32_t grp, int8_t *buf) {
  const int32_t IH = p->in_sp[1], IW = p->in_sp[2], PH = p->pads[1], PW = p->pads[2], SW = p->strides[2];
  const int32_t CPG = p->c_per_group, CG = (CPG + 3) / 4;
  const int32_t WPH = qcc_qconv_implicit_width_dotprod(p), HP = (p->out_sp[1] - 1) * p->strides[1] + p->kernel[1];
  const int32_t WP = SW * WPH; /* columns per buffer row (all phases) */
  const int8x16_t z = vdupq_n_s8((int8_t)xzt);
  const uint8x16_t f = vdupq_n_u8(flip);
  /* The column tails index with 4 * (ptrdiff_t)wc: with the geometry constant (kernel instances) GCC's loop
   * analysis otherwise reports the int product's overflow in tails it cannot rule out (-Waggressive-loop-
   * optimizations, an error under -Werror). */
  int32_t cg, hr, j, c;
  for (cg = 0; cg < CG; cg++) {
    const uint8_t *src[4];
    for (j = 0; j < 4; j++) {
      c = cg * 4 + j;
      src[j] = c < CPG ? x_img + (ptrdiff_t)(grp * CPG + c) * IH * IW : NULL;
    }
    for (hr = 0; hr < HP; hr++) {
      int8_t *dst = buf + ((ptrdiff_t)cg * HP + hr) * WP * 4;
      const int32_t ih = hr - PH;
      int32_t wc = 0;
      if (ih >= 0 && ih < IH && SW == 1) {
        const ptrdiff_t ro = (ptrdiff_t)ih * IW;
        for (; wc < PW; wc++) vst1q_lane_s32((int32_t *)(void *)(dst + 4 * (ptrdiff_t)wc), vreinterpretq_s32_s8(z), 0);
        for (j = 0; j + 16 <= IW; j += 16) {
          int8x16x4_t v;
          v.val[0] = src[0] ? vreinterpretq_s8_u8(veorq_u8(vld1q_u8(src[0] + ro + j), f)) : z;
          v.val[1] = src[1] ? vreinterpretq_s8_u8(veorq_u8(vld1q_u8(src[1] + ro + j), f)) : z;
          v.val[2] = src[2] ? vreinterpretq_s8_u8(veorq_u8(vld1q_u8(src[2] + ro + j), f)) : z;
          v.val[3] = src[3] ? vreinterpretq_s8_u8(veorq_u8(vld1q_u8(src[3] + ro + j), f)) : z;
          vst4q_s8(dst + 4 * (wc + j), v); /* byte 4 i + c = channel c of column i */
        }
        for (; j < IW; j++) {
          int8_t *d = dst + 4 * (wc + j);
          for (c = 0; c < 4; c++) d[c] = src[c] ? (int8_t)(uint8_t)(src[c][ro + j] ^ flip) : (int8_t)xzt;
        }
        wc += IW;
      } else if (ih >= 0 && ih < IH) {
        /* SW = 2: the row is first all xzt, then input columns j (padded PW + j) go to phase (PW + j) % 2,
         * column (PW + j) / 2; 32- and 16-column steps split even and odd columns with LD2 (one phase plane each). */
        const ptrdiff_t ro = (ptrdiff_t)ih * IW;
        for (; wc + 4 <= WP; wc += 4) vst1q_s8(dst + 4 * wc, z);
        for (; wc < WP; wc++) vst1q_lane_s32((int32_t *)(void *)(dst + 4 * (ptrdiff_t)wc), vreinterpretq_s32_s8(z), 0);
        for (j = 0; j + 32 <= IW && (PW + j + 1) / 2 + 16 <= WPH; j += 32) {
          int8x16x4_t ev, od;
          int8_t *de = dst + 4 * (((PW + j) & 1) * WPH + (PW + j) / 2);
          int8_t *dd = dst + 4 * (((PW + j + 1) & 1) * WPH + (PW + j + 1) / 2);
          for (c = 0; c < 4; c++) {
            if (src[c]) {
              const uint8x16x2_t t = vld2q_u8(src[c] + ro + j);
              ev.val[c] = vreinterpretq_s8_u8(veorq_u8(t.val[0], f));
              od.val[c] = vreinterpretq_s8_u8(veorq_u8(t.val[1], f));
            } else {
              ev.val[c] = z;
              od.val[c] = z;
            }
          }
          vst4q_s8(de, ev);
          vst4q_s8(dd, od);
        }
        for (; j + 16 <= IW && (PW + j + 1) / 2 + 8 <= WPH; j += 16) {
          int8x8x4_t ev, od;
          int8_t *de = dst + 4 * (((PW + j) & 1) * WPH + (PW + j) / 2);
          int8_t *dd = dst + 4 * (((PW + j + 1) & 1) * WPH + (PW + j + 1) / 2);
          for (c = 0; c < 4; c++) {
            if (src[c]) {
              const uint8x8x2_t t = vld2_u8(src[c] + ro + j);
              ev.val[c] = vreinterpret_s8_u8(veor_u8(t.val[0], vget_low_u8(f)));
              od.val[c] = vreinterpret_s8_u8(veor_u8(t.val[1], vget_low_u8(f)));
            } else {
              ev.val[c] = vget_low_s8(z);
              od.val[c] = vget_low_s8(z);
            }
          }
          vst4_s8(de, ev);
          vst4_s8(dd, od);
        }
        for (; j < IW; j++) {
          const int32_t pc = PW + j, w = pc >> 1;
          int8_t *d;
          if (w >= WPH) break; /* past the last column a window reaches (and so are the next ones) */
          d = dst + 4 * ((pc & 1) * WPH + w);
          for (c = 0; c < 4; c++) d[c] = src[c] ? (int8_t)(uint8_t)(src[c][ro + j] ^ flip) : (int8_t)xzt;
        }
        continue;
      }
      for (; wc + 4 <= WP; wc += 4) vst1q_s8(dst + 4 * wc, z);
      for (; wc < WP; wc++) vst1q_lane_s32((int32_t *)(void *)(dst + 4 * (ptrdiff_t)wc), vreinterpretq_s32_s8(z), 0);
    }
  }
}

/* Requantizes row i of the register tile (a, b: columns 0-3, 4-7) and stores its first cn bytes. */
#define QCC_QCI_ROW_(i, a, b)                                                                                    \
  do {                                                                                                           \
    {                                                                                                            \
      const float32x4_t s_ = vdupq_n_f32(srow[i]);                                                               \
      const int8x8_t o_ = qcc_narrow8_neon(qcc_requant_s32x4_neon(a, s_, lo, hi, zp),                            \
                                           qcc_requant_s32x4_neon(b, s_, lo, hi, zp));                           \
      uint8_t *d_ = yb + (ptrdiff_t)(i) * P;                                                                     \
      if (cn == 8) {                                                                                             \
        vst1_s8((int8_t *)d_, o_);                                                                               \
      } else {                                                                                                   \
        int8_t t_[8];                                                                                            \
        vst1_s8(t_, o_);                                                                                         \
        memcpy(d_, t_, (size_t)cn);                                                                              \
      }                                                                                                          \
    }                                                                                                            \
  } while (0)

/*
 * One tap: 16 SDOT of the 32 weight bytes at LP (rows 0-3, 4-7) with the 32 input bytes at RP. The empty
 * asm with a memory clobber keeps GCC from hoisting the next taps' loads above these SDOTs (it would load
 * all nine taps first and spill the accumulators); it emits nothing.
 */
#if defined(__GNUC__)
#define QCC_QCI_FENCE_() __asm__ __volatile__("" ::: "memory")
#else
#define QCC_QCI_FENCE_() ((void)0)
#endif
#define QCC_QCI_TAP_(LP, RP)                                                                                     \
  do {                                                                                                           \
    const int8x16_t l0_ = vld1q_s8(LP), l1_ = vld1q_s8((LP) + 16), x0_ = vld1q_s8(RP), x1_ = vld1q_s8((RP) + 16); \
    QCC_QG_DOT8_GROUP_(l0_, l1_, x0_, x1_);                                                                      \
    QCC_QCI_FENCE_();                                                                                            \
  } while (0)

#define QCC_QCI_TILE_INIT_()                                                                                     \
  int32x4_t a0 = vdupq_n_s32(rc[0]), a1 = vdupq_n_s32(rc[1]), a2 = vdupq_n_s32(rc[2]), a3 = vdupq_n_s32(rc[3]);   \
  int32x4_t a4 = vdupq_n_s32(rc[4]), a5 = vdupq_n_s32(rc[5]), a6 = vdupq_n_s32(rc[6]), a7 = vdupq_n_s32(rc[7]);   \
  int32x4_t b0 = a0, b1 = a1, b2 = a2, b3 = a3, b4 = a4, b5 = a5, b6 = a6, b7 = a7
#define QCC_QCI_TILE_STORE_()                                                                                    \
  do {                                                                                                           \
    vst1q_s32(acc + 0, a0); vst1q_s32(acc + 4, b0); vst1q_s32(acc + 8, a1); vst1q_s32(acc + 12, b1);             \
    vst1q_s32(acc + 16, a2); vst1q_s32(acc + 20, b2); vst1q_s32(acc + 24, a3); vst1q_s32(acc + 28, b3);          \
    vst1q_s32(acc + 32, a4); vst1q_s32(acc + 36, b4); vst1q_s32(acc + 40, a5); vst1q_s32(acc + 44, b5);          \
    vst1q_s32(acc + 48, a6); vst1q_s32(acc + 52, b6); vst1q_s32(acc + 56, a7); vst1q_s32(acc + 60, b7);          \
  } while (0)

/*
 * The 8x8 tile of the implicit kernel, W stride 1: acc[i * 8 + j] = rc[i] + sum over cg < CG and the taps of
 * the weights at lw times the input at xb (channel group stride plane4, row stride WP4). A function of its
 * own so that its 16 accumulators, 4 operands and the loop pointers are all the register allocator sees.
 */
static inline void qcc_qci_tile_dotprod(int32_t CG, int32_t KH, int32_t KW, const int8_t *lw, const int8_t *xb,
                                        ptrdiff_t WP4, ptrdiff_t plane4, const int32_t *rc, int32_t *acc) {
  QCC_QCI_TILE_INIT_();
  int32_t cg, t;
  if (KH == 3 && KW == 3) {
    for (cg = 0; cg < CG; cg++) {
      const int8_t *r0 = xb, *r1 = xb + WP4, *r2 = xb + 2 * WP4;
      QCC_QCI_TAP_(lw, r0); QCC_QCI_TAP_(lw + 32, r0 + 4); QCC_QCI_TAP_(lw + 64, r0 + 8);
      QCC_QCI_TAP_(lw + 96, r1); QCC_QCI_TAP_(lw + 128, r1 + 4); QCC_QCI_TAP_(lw + 160, r1 + 8);
      QCC_QCI_TAP_(lw + 192, r2); QCC_QCI_TAP_(lw + 224, r2 + 4); QCC_QCI_TAP_(lw + 256, r2 + 8);
      lw += 288;
      xb += plane4;
    }
  } else {
    for (cg = 0; cg < CG; cg++) {
      for (t = 0; t < KH * KW; t++) {
        QCC_QCI_TAP_(lw, xb + (t / KW) * WP4 + (t % KW) * 4);
        lw += 32;
      }
      xb += plane4;
    }
  }
  QCC_QCI_TILE_STORE_();
}

/*
 * The same tile for W stride 2: buffer rows of RB bytes, each two phase planes of PH4 bytes; tap column kw
 * is at (kw % 2) * PH4 + (kw / 2) * 4. Not inlined (GNU C): inlined beside the stride-1 tile, GCC's register
 * allocation of the stride-1 3x3 loop gets worse (register moves, +10% instructions); a call per tile costs
 * a few instructions of the hundreds in it.
 */
#if defined(__GNUC__)
#define QCC_QCI_NOINLINE_ __attribute__((noinline))
#else
#define QCC_QCI_NOINLINE_
#endif
static QCC_QCI_NOINLINE_ void qcc_qci_tile_s2_dotprod(int32_t CG, int32_t KH, int32_t KW, const int8_t *lw, const int8_t *xb,
                                           ptrdiff_t RB, ptrdiff_t PH4, ptrdiff_t plane4, const int32_t *rc,
                                           int32_t *acc) {
  QCC_QCI_TILE_INIT_();
  int32_t cg, kh, kw;
  if (KH == 3 && KW == 3) {
    /* columns kw = 0, 2 in phase 0 (offsets 0, 4), kw = 1 in phase 1 (offset PH4) */
    for (cg = 0; cg < CG; cg++) {
      const int8_t *r0 = xb, *r1 = xb + RB, *r2 = xb + 2 * RB;
      QCC_QCI_TAP_(lw, r0); QCC_QCI_TAP_(lw + 32, r0 + PH4); QCC_QCI_TAP_(lw + 64, r0 + 4);
      QCC_QCI_TAP_(lw + 96, r1); QCC_QCI_TAP_(lw + 128, r1 + PH4); QCC_QCI_TAP_(lw + 160, r1 + 4);
      QCC_QCI_TAP_(lw + 192, r2); QCC_QCI_TAP_(lw + 224, r2 + PH4); QCC_QCI_TAP_(lw + 256, r2 + 4);
      lw += 288;
      xb += plane4;
    }
  } else if (KH == 1 && KW == 1) {
    for (cg = 0; cg < CG; cg++) {
      QCC_QCI_TAP_(lw, xb);
      lw += 32;
      xb += plane4;
    }
  } else {
    for (cg = 0; cg < CG; cg++) {
      const int8_t *row = xb;
      for (kh = 0; kh < KH; kh++) {
        for (kw = 0; kw < KW; kw++) {
          QCC_QCI_TAP_(lw, row + (kw & 1) * PH4 + (kw >> 1) * 4);
          lw += 32;
        }
        row += RB;
      }
      xb += plane4;
    }
  }
  QCC_QCI_TILE_STORE_();
}

QCC_KERNEL_INLINE void qcc_qlinear_conv_implicit_s8_dotprod(const qcc_qconv_params *p, const uint8_t *x, uint8_t flip,
                                                        int32_t xzt, const int8_t *wp, const int32_t *rowc,
                                                        const float *scale, int32_t yzp, int32_t qmin, int32_t qmax,
                                                        uint8_t *y, uint8_t *scratch) {
  const int32_t OH = p->out_sp[1], OW = p->out_sp[2], P = OH * OW, KH = p->kernel[1], KW = p->kernel[2];
  const int32_t SH = p->strides[1], SW = p->strides[2];
  const int32_t T = KH * KW, CG = (p->c_per_group + 3) / 4;
  const int32_t mpg = p->m_per_group, mpgp = (mpg + 7) / 8 * 8;
  const int32_t WPH = qcc_qconv_implicit_width_dotprod(p), HP = (OH - 1) * SH + KH;
  const ptrdiff_t PH4 = (ptrdiff_t)WPH * 4, RB = PH4 * SW, plane4 = (ptrdiff_t)HP * RB, wblk = (ptrdiff_t)CG * T * 32;
  const ptrdiff_t in_img = (ptrdiff_t)p->c * p->in_sp[1] * p->in_sp[2];
  const float32x4_t lo = vdupq_n_f32((float)(qmin - yzp)), hi = vdupq_n_f32((float)(qmax - yzp));
  const int32x4_t zp = vdupq_n_s32(yzp);
  int8_t *buf = (int8_t *)scratch;
  int32_t n, grp, mb, oh, ow, i;
  for (n = 0; n < p->n; n++) {
    for (grp = 0; grp < p->group; grp++) {
      qcc_qconv_implicit_fill_dotprod(p, x + n * in_img, flip, xzt, grp, buf);
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
            const int8_t *xb = buf + (ptrdiff_t)oh * SH * RB + (ptrdiff_t)ow * 4;
            if (SW == 1) qcc_qci_tile_dotprod(CG, KH, KW, wb, xb, RB, plane4, rc, acc);
            else qcc_qci_tile_s2_dotprod(CG, KH, KW, wb, xb, RB, PH4, plane4, rc, acc);
            for (i = 0; i < rn; i++) QCC_QCI_ROW_(i, vld1q_s32(acc + 8 * i), vld1q_s32(acc + 8 * i + 4));
          }
        }
      }
    }
  }
}

#endif /* QCC_QGEMM_DOTPROD_H */
