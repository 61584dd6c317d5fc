/*
 * qcc_pool_neon.h: MaxPool on u8 / i8 for AArch64 Advanced SIMD; twins qcc_max_pool_u8 / _i8 (qcc_pool.h),
 * same parameter struct. Integer max is exact in any order, and skipping the padded taps (the twin's rule)
 * equals taking them as the dtype's minimum (the twin's initial value, also the result of a window without
 * input taps). So per output row, over the valid window rows y0..y1, the outputs whose horizontal window
 * lies inside the row (and, for stride 2, whose 32-byte LD2 stays inside it) are 16 per step: UMAX/SMAX
 * of the window's taps (LD1 at stride 1, the even lane of LD2 at stride 2); a row's last step ends at the
 * last such output, overlapping the previous one. The border outputs use the twin's loop. Taken for 2-D
 * (D = 1) windows with dilation 1 and stride 1 or 2 along W; everything else calls the twin.
 */
#ifndef QCC_POOL_NEON_H
#define QCC_POOL_NEON_H

#include <arm_neon.h>
#include <stddef.h>
#include <stdint.h>
#include "qcc_pool.h"

#define QCC_MAX_POOL_NEON_DEF_(NSFX, SFX, T, VT, LD1, LD2, MAX, ST, INIT)                                            \
  static inline VT qcc_max_pool_ld_##NSFX##_neon_(const T *s, int32_t sw) {                                          \
    return sw == 1 ? LD1(s) : LD2(s).val[0];                                                                         \
  }                                                                                                                  \
  static inline void qcc_max_pool_##NSFX##_neon(const qcc_pool_params *p, const T *x, T *y) {                        \
    const int32_t IH = p->in[1], IW = p->in[2], OH = p->out[1], OW = p->out[2];                                      \
    const int32_t KH = p->k[1], KW = p->k[2], SH = p->stride[1], SW = p->stride[2];                                  \
    const int32_t PH = p->pad[1], PW = p->pad[2];                                                                    \
    int32_t nc, oh, ow, lo, hi;                                                                                      \
    if (p->in[0] != 1 || p->out[0] != 1 || p->k[0] != 1 || p->dil[1] != 1 || p->dil[2] != 1 ||                       \
        (SW != 1 && SW != 2)) {                                                                                      \
      qcc_max_pool_##NSFX(p, x, y);                                                                                  \
      return;                                                                                                        \
    }                                                                                                                \
    /* interior outputs [lo, hi]: ow * SW - PW >= 0 and the last byte read, ow * SW - PW + KW - 1 (+ 1 for the       \
       second lane of LD2), < IW */                                                                                  \
    lo = (PW + SW - 1) / SW;                                                                                         \
    hi = IW - KW + PW - (SW - 1) < 0 ? -1 : (IW - KW + PW - (SW - 1)) / SW;                                          \
    if (hi > OW - 1) hi = OW - 1;                                                                                    \
    for (nc = 0; nc < p->n * p->c; nc++) {                                                                           \
      const T *xp = x + (ptrdiff_t)nc * IH * IW;                                                                     \
      for (oh = 0; oh < OH; oh++) {                                                                                  \
        int32_t y0, y1, ty, tx;                                                                                      \
        const int32_t iy = oh * SH - PH;                                                                             \
        T *yr = y + ((ptrdiff_t)nc * OH + oh) * OW;                                                                  \
        qcc_window_range(oh, SH, PH, 1, KH, IH, &y0, &y1);                                                           \
        ow = 0;                                                                                                      \
        if (hi - lo + 1 >= 16) {                                                                                     \
          for (ow = lo; ow <= hi; ow += 16) {                                                                        \
            const int32_t o = ow + 15 <= hi ? ow : hi - 15;                                                          \
            const T *b = xp + (ptrdiff_t)o * SW - PW;                                                                \
            VT m = vdupq_n_##SFX(INIT);                                                                              \
            for (ty = y0; ty < y1; ty++) {                                                                           \
              const T *r = b + (ptrdiff_t)(iy + ty) * IW;                                                            \
              for (tx = 0; tx < KW; tx++) m = MAX(m, qcc_max_pool_ld_##NSFX##_neon_(r + tx, SW));                    \
            }                                                                                                        \
            ST(yr + o, m);                                                                                           \
          }                                                                                                          \
        }                                                                                                            \
        for (ow = 0; ow < OW; ow++) {                                                                                \
          int32_t x0, x1;                                                                                            \
          const int32_t ix = ow * SW - PW;                                                                           \
          T m = (T)(INIT);                                                                                           \
          if (hi - lo + 1 >= 16 && ow == lo) {                                                                       \
            ow = hi;                                                                                                 \
            continue;                                                                                                \
          }                                                                                                          \
          qcc_window_range(ow, SW, PW, 1, KW, IW, &x0, &x1);                                                         \
          for (ty = y0; ty < y1; ty++) {                                                                             \
            const T *r = xp + (ptrdiff_t)(iy + ty) * IW + ix;                                                        \
            for (tx = x0; tx < x1; tx++) {                                                                           \
              const T v = r[tx];                                                                                     \
              if (v > m) m = v;                                                                                      \
            }                                                                                                        \
          }                                                                                                          \
          yr[ow] = m;                                                                                                \
        }                                                                                                            \
      }                                                                                                              \
    }                                                                                                                \
  }

QCC_MAX_POOL_NEON_DEF_(u8, u8, uint8_t, uint8x16_t, vld1q_u8, vld2q_u8, vmaxq_u8, vst1q_u8, 0)
QCC_MAX_POOL_NEON_DEF_(i8, s8, int8_t, int8x16_t, vld1q_s8, vld2q_s8, vmaxq_s8, vst1q_s8, INT8_MIN)

#endif /* QCC_POOL_NEON_H */
