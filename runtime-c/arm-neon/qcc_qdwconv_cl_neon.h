/*
 * qcc_qdwconv_cl_neon.h: depthwise QLinearConv, channel-vectorised (16 channels per vector), for small planes
 * where the row kernel of qcc_qdwconv_neon.h wastes lanes (DS-CNN's 25x5, MobileNet's 14x14 and 7x7 planes).
 * Same geometry, weights and numerics as qcc_qlinear_dwconv_s8_neon (window 3x3 or 5x5, strides 1 or 2,
 * signed normal form, folded int8 weights, rowc, int16 tap pairs when no weight is -128, the requantization
 * of qcc_qdw_requant16s_neon); only the order of the work differs, and each output is the same exact int32
 * sum, so the results are identical.
 *
 * Per batch item and block of 16 channels: the input planes are transposed (16x16 bytes at a time) into a
 * channels-last tile [HP][WP][16] whose border (xzt, filled once per call) stays; every output pixel is
 * then 16 channels at once (one vector load per tap, weights w[block][tap][16 channels]), written to a
 * channels-last output tile, which is transposed back into the 16 output planes. Channels past C in the
 * last block compute on a copy of a real channel (zero weights) and are not stored.
 * Weights, rowc and scale are padded by the compiler to whole blocks of 16 channels.
 * Scratch (qcc_qdw_cl_scratch_neon): output tile OH*OW*16, input tile HP*WP*16 plus a 16-byte slot for
 * input pixels no tap reads, int32 tile offsets of the IH*IW input pixels.
 */
#ifndef QCC_QDWCONV_CL_NEON_H
#define QCC_QDWCONV_CL_NEON_H

#include "qcc_qdwconv_neon.h"

/*
 * Transposes the 16 rows of 16 bytes in the variables r0 .. r15 of the caller (row i becomes column i):
 * trn1/trn2 at 8, 16, 32 and 64 bits on named vectors (an array would go through the stack).
 */
#define QCC_QDW_TRN_(T, L, A, B)                                                                                     \
  do {                                                                                                               \
    const T x_ = vreinterpretq_##L##_u8(A), y_ = vreinterpretq_##L##_u8(B);                                          \
    A = vreinterpretq_u8_##L(vtrn1q_##L(x_, y_));                                                                    \
    B = vreinterpretq_u8_##L(vtrn2q_##L(x_, y_));                                                                    \
  } while (0)
#define QCC_QDW_TRN8_(A, B)                                                                                          \
  do {                                                                                                               \
    const uint8x16_t x_ = A;                                                                                         \
    A = vtrn1q_u8(x_, B);                                                                                            \
    B = vtrn2q_u8(x_, B);                                                                                            \
  } while (0)
#define QCC_QDW_T16_()                                                                                               \
  do {                                                                                                               \
    QCC_QDW_TRN8_(r0, r1); QCC_QDW_TRN8_(r2, r3); QCC_QDW_TRN8_(r4, r5); QCC_QDW_TRN8_(r6, r7);                      \
    QCC_QDW_TRN8_(r8, r9); QCC_QDW_TRN8_(r10, r11); QCC_QDW_TRN8_(r12, r13); QCC_QDW_TRN8_(r14, r15);                \
    QCC_QDW_TRN_(uint16x8_t, u16, r0, r2); QCC_QDW_TRN_(uint16x8_t, u16, r1, r3);                                    \
    QCC_QDW_TRN_(uint16x8_t, u16, r4, r6); QCC_QDW_TRN_(uint16x8_t, u16, r5, r7);                                    \
    QCC_QDW_TRN_(uint16x8_t, u16, r8, r10); QCC_QDW_TRN_(uint16x8_t, u16, r9, r11);                                  \
    QCC_QDW_TRN_(uint16x8_t, u16, r12, r14); QCC_QDW_TRN_(uint16x8_t, u16, r13, r15);                                \
    QCC_QDW_TRN_(uint32x4_t, u32, r0, r4); QCC_QDW_TRN_(uint32x4_t, u32, r1, r5);                                    \
    QCC_QDW_TRN_(uint32x4_t, u32, r2, r6); QCC_QDW_TRN_(uint32x4_t, u32, r3, r7);                                    \
    QCC_QDW_TRN_(uint32x4_t, u32, r8, r12); QCC_QDW_TRN_(uint32x4_t, u32, r9, r13);                                  \
    QCC_QDW_TRN_(uint32x4_t, u32, r10, r14); QCC_QDW_TRN_(uint32x4_t, u32, r11, r15);                                \
    QCC_QDW_TRN_(uint64x2_t, u64, r0, r8); QCC_QDW_TRN_(uint64x2_t, u64, r1, r9);                                    \
    QCC_QDW_TRN_(uint64x2_t, u64, r2, r10); QCC_QDW_TRN_(uint64x2_t, u64, r3, r11);                                  \
    QCC_QDW_TRN_(uint64x2_t, u64, r4, r12); QCC_QDW_TRN_(uint64x2_t, u64, r5, r13);                                  \
    QCC_QDW_TRN_(uint64x2_t, u64, r6, r14); QCC_QDW_TRN_(uint64x2_t, u64, r7, r15);                                  \
  } while (0)
/* Declares r0 .. r15 = LOAD(0) .. LOAD(15); then STORE(i, ri) for i in 0 .. 15. */
#define QCC_QDW_LOAD16_(LOAD)                                                                                        \
  uint8x16_t r0 = LOAD(0), r1 = LOAD(1), r2 = LOAD(2), r3 = LOAD(3), r4 = LOAD(4), r5 = LOAD(5), r6 = LOAD(6),       \
             r7 = LOAD(7), r8 = LOAD(8), r9 = LOAD(9), r10 = LOAD(10), r11 = LOAD(11), r12 = LOAD(12),               \
             r13 = LOAD(13), r14 = LOAD(14), r15 = LOAD(15)
#define QCC_QDW_STORE16_(STORE)                                                                                      \
  do {                                                                                                               \
    STORE(0, r0); STORE(1, r1); STORE(2, r2); STORE(3, r3); STORE(4, r4); STORE(5, r5); STORE(6, r6);                \
    STORE(7, r7); STORE(8, r8); STORE(9, r9); STORE(10, r10); STORE(11, r11); STORE(12, r12);                        \
    STORE(13, r13); STORE(14, r14); STORE(15, r15);                                                                  \
  } while (0)

/* Tile geometry: rows and columns of the padded input that some tap reads. */
static inline int32_t qcc_qdw_cl_hp_neon(const qcc_qconv_params *p) {
  return (p->out_sp[1] - 1) * p->strides[1] + p->kernel[1];
}
static inline int32_t qcc_qdw_cl_wp_neon(const qcc_qconv_params *p) {
  return (p->out_sp[2] - 1) * p->strides[2] + p->kernel[2];
}

QCC_KERNEL_INLINE void qcc_qlinear_dwconv_cl_s8_neon(const qcc_qconv_params *p, const uint8_t *x, uint8_t flip, int32_t xzt,
                                                 const int8_t *w, const int32_t *rowc, int32_t pair, const float *scale,
                                                 int32_t yzp, int32_t qmin, int32_t qmax, uint8_t *y, uint8_t *scratch) {
  const int32_t IH = p->in_sp[1], IW = p->in_sp[2], OH = p->out_sp[1], OW = p->out_sp[2];
  const int32_t KH = p->kernel[1], KW = p->kernel[2], SH = p->strides[1], SW = p->strides[2];
  const int32_t PH = p->pads[1], PW = p->pads[2], T = KH * KW, C = p->m;
  const int32_t HP = qcc_qdw_cl_hp_neon(p), WP = qcc_qdw_cl_wp_neon(p);
  const int32_t IP = IH * IW, OP = OH * OW;
  const int32_t sgn = qmin < 0;
  const int8x16_t lo = vdupq_n_s8((int8_t)qmin), hi = vdupq_n_s8((int8_t)qmax);
  const int16x8_t zp = vdupq_n_s16((int16_t)yzp);
  const uint8x16_t f = vdupq_n_u8(flip);
  int8_t *otile = (int8_t *)scratch;
  int8_t *tile = otile + (ptrdiff_t)OP * 16;
  int32_t *offs = (int32_t *)(void *)(tile + ((ptrdiff_t)HP * WP + 1) * 16);
  int32_t toff[25];
  int32_t n, cb, i, j, t, oh, ow;
  /* the border: xzt everywhere once (block after block only overwrites the interior) */
  {
    const int8x16_t xz = vdupq_n_s8((int8_t)xzt);
    for (i = 0; i < HP * WP; i++) vst1q_s8(tile + (ptrdiff_t)i * 16, xz);
  }
  for (i = 0; i < IH; i++) {
    for (j = 0; j < IW; j++) {
      const int32_t r = i + PH, c = j + PW;
      offs[i * IW + j] = (r < HP && c < WP ? r * WP + c : HP * WP) * 16;
    }
  }
  for (t = 0; t < T; t++) toff[t] = ((t / KW) * WP + t % KW) * 16;
  for (n = 0; n < p->n; n++) {
    for (cb = 0; cb < C; cb += 16) {
      const int32_t cv = C - cb < 16 ? C - cb : 16;
      const uint8_t *xb = x + ((ptrdiff_t)n * C + cb) * IP;
      uint8_t *yb = y + ((ptrdiff_t)n * C + cb) * OP;
      const int8_t *wb = w + (ptrdiff_t)cb * T;
      const int32x4_t rc0 = vld1q_s32(rowc + cb), rc1 = vld1q_s32(rowc + cb + 4);
      const int32x4_t rc2 = vld1q_s32(rowc + cb + 8), rc3 = vld1q_s32(rowc + cb + 12);
      const float32x4_t s0 = vld1q_f32(scale + cb), s1 = vld1q_f32(scale + cb + 4);
      const float32x4_t s2 = vld1q_f32(scale + cb + 8), s3 = vld1q_f32(scale + cb + 12);
      /* input planes -> tile, 16 pixels at a time (the last group overlapping the previous one) */
      for (i = 0; i < IP; i += 16) {
        const int32_t q = IP < 16 ? 0 : i + 16 <= IP ? i : IP - 16;
        const uint8_t *xq = xb + q;
        uint8_t tmp[16 * 16];
        if (IP < 16) {
          for (j = 0; j < 16; j++) memcpy(tmp + j * 16, xb + (ptrdiff_t)(j < cv ? j : 0) * IP, (size_t)IP);
        }
        {
#define QCC_QDW_IN_(c) (IP < 16 ? vld1q_u8(tmp + (c) * 16) : vld1q_u8(xq + (ptrdiff_t)((c) < cv ? (c) : 0) * IP))
#define QCC_QDW_TO_TILE_(c, v)                                                                                       \
  if ((c) < IP) vst1q_u8((uint8_t *)tile + offs[q + (c)], veorq_u8(v, f))
          QCC_QDW_LOAD16_(QCC_QDW_IN_);
          QCC_QDW_T16_();
          QCC_QDW_STORE16_(QCC_QDW_TO_TILE_);
#undef QCC_QDW_IN_
#undef QCC_QDW_TO_TILE_
        }
      }
      /* sixteen channels of one output pixel at a time */
      if (KH == 3 && KW == 3) {
        int8x16_t w3x3[9];
        for (t = 0; t < 9; t++) w3x3[t] = vld1q_s8(wb + t * 16);
        for (oh = 0; oh < OH; oh++) {
          for (ow = 0; ow < OW; ow++) {
            const int8_t *b0 = tile + ((ptrdiff_t)oh * SH * WP + (ptrdiff_t)ow * SW) * 16, *b1 = b0 + WP * 16,
                         *b2 = b1 + WP * 16;
            int32x4_t a0 = rc0, a1 = rc1, a2 = rc2, a3 = rc3;
            if (pair) {
              QCC_QDW_PAIR_(b0, b0 + 16, w3x3[0], w3x3[1], 1);
              QCC_QDW_PAIR_(b0 + 32, b1, w3x3[2], w3x3[3], 1);
              QCC_QDW_PAIR_(b1 + 16, b1 + 32, w3x3[4], w3x3[5], 1);
              QCC_QDW_PAIR_(b2, b2 + 16, w3x3[6], w3x3[7], 1);
            } else {
              QCC_QDW_ONE_(b0, w3x3[0], 1); QCC_QDW_ONE_(b0 + 16, w3x3[1], 1); QCC_QDW_ONE_(b0 + 32, w3x3[2], 1);
              QCC_QDW_ONE_(b1, w3x3[3], 1); QCC_QDW_ONE_(b1 + 16, w3x3[4], 1); QCC_QDW_ONE_(b1 + 32, w3x3[5], 1);
              QCC_QDW_ONE_(b2, w3x3[6], 1); QCC_QDW_ONE_(b2 + 16, w3x3[7], 1);
            }
            QCC_QDW_ONE_(b2 + 32, w3x3[8], 1);
            vst1q_s8(otile + ((ptrdiff_t)oh * OW + ow) * 16,
                     qcc_qdw_requant16s_neon(a0, a1, a2, a3, s0, s1, s2, s3, zp, sgn, lo, hi));
          }
        }
      } else {
        for (oh = 0; oh < OH; oh++) {
          for (ow = 0; ow < OW; ow++) {
            const int8_t *b = tile + ((ptrdiff_t)oh * SH * WP + (ptrdiff_t)ow * SW) * 16;
            int32x4_t a0 = rc0, a1 = rc1, a2 = rc2, a3 = rc3;
            for (t = 0; t + 1 < T && pair; t += 2) {
              const int8x16_t wv = vld1q_s8(wb + t * 16), wv2 = vld1q_s8(wb + t * 16 + 16);
              QCC_QDW_PAIR_(b + toff[t], b + toff[t + 1], wv, wv2, 1);
            }
            for (; t < T; t++) {
              const int8x16_t wv = vld1q_s8(wb + t * 16);
              QCC_QDW_ONE_(b + toff[t], wv, 1);
            }
            vst1q_s8(otile + ((ptrdiff_t)oh * OW + ow) * 16,
                     qcc_qdw_requant16s_neon(a0, a1, a2, a3, s0, s1, s2, s3, zp, sgn, lo, hi));
          }
        }
      }
      /* output tile -> output planes, 16 pixels at a time */
      for (i = 0; i < OP; i += 16) {
        const int32_t q = OP < 16 ? 0 : i + 16 <= OP ? i : OP - 16;
        const uint8_t *oq = (const uint8_t *)otile + (ptrdiff_t)q * 16;
        uint8_t *yq = yb + q;
        uint8_t tmp[16];
#define QCC_QDW_OUT_(c) vld1q_u8(oq + ((c) < OP ? (c) : 0) * 16)
#define QCC_QDW_TO_Y_(c, v)                                                                                          \
  if ((c) < cv) {                                                                                                    \
    if (OP >= 16) vst1q_u8(yq + (ptrdiff_t)(c) * OP, v);                                                             \
    else vst1q_u8(tmp, v), memcpy(yq + (ptrdiff_t)(c) * OP, tmp, (size_t)OP);                                        \
  }
        QCC_QDW_LOAD16_(QCC_QDW_OUT_);
        QCC_QDW_T16_();
        QCC_QDW_STORE16_(QCC_QDW_TO_Y_);
#undef QCC_QDW_OUT_
#undef QCC_QDW_TO_Y_
      }
    }
  }
}

#endif /* QCC_QDWCONV_CL_NEON_H */
