/*
 * qcc_qsoftmax.h: QLinearSoftmax and QLinearReduceMean (com.microsoft), u8 / i8. Twins of
 * compiler/ops/contrib-softmax.ts and contrib-reduce.ts. The softmax's exp table (256 floats, ONNX
 * Runtime's double-precision construction) and yscale = floorf(1.0f / y_scale) come from the compiler.
 */
#ifndef QCC_QSOFTMAX_H
#define QCC_QSOFTMAX_H

#include <stddef.h>
#include <stdint.h>
#include "qcc_qcontrib.h"
#include "qcc_requant.h"

/* Softmax over d elements at stride `inner`, for outer x inner positions. */
#define QCC_QSOFTMAX_DEF_(SFX, T, SIGNED)                                                                  \
  static inline void qcc_qlinear_softmax_##SFX(const T *x, T *y, int32_t outer, int32_t d, int32_t inner,      \
                                               const float *table, float yscale, int32_t yz) {                 \
    int32_t o, k, j;                                                                                           \
    for (o = 0; o < outer; o++) {                                                                              \
      for (k = 0; k < inner; k++) {                                                                            \
        const ptrdiff_t base = (ptrdiff_t)o * d * inner + k;                                                   \
        int32_t mx = x[base];                                                                                  \
        float sum = 0.0f;                                                                                      \
        for (j = 1; j < d; j++) {                                                                              \
          const int32_t v = x[base + (ptrdiff_t)j * inner];                                                    \
          if (v > mx) mx = v;                                                                                  \
        }                                                                                                      \
        for (j = 0; j < d; j++) {                                                                              \
          const int32_t v = x[base + (ptrdiff_t)j * inner];                                                    \
          sum = sum + table[SIGNED ? (uint8_t)(127 - mx + v) : 255 - mx + v];                                  \
        }                                                                                                      \
        for (j = 0; j < d; j++) {                                                                              \
          const int32_t v = x[base + (ptrdiff_t)j * inner];                                                    \
          const float t = table[SIGNED ? (uint8_t)(127 - mx + v) : 255 - mx + v];                              \
          float q = t * yscale;                                                                                \
          q = q / sum;                                                                                         \
          q = qcc_round_half_even_f32(q);                                                                      \
          if (SIGNED) {                                                                                        \
            int32_t r = qcc_add_wrap_i32(qcc_f32_to_i32_sat(q), yz);                                           \
            r = r > 127 ? 127 : r < -128 ? -128 : r;                                                           \
            y[base + (ptrdiff_t)j * inner] = (T)r;                                                             \
          } else {                                                                                             \
            const uint32_t r = qcc_f32_to_u32_sat(q) + (uint32_t)yz;                                           \
            y[base + (ptrdiff_t)j * inner] = (T)(r > 255u ? 255u : r);                                         \
          }                                                                                                    \
        }                                                                                                      \
      }                                                                                                        \
    }                                                                                                          \
  }

QCC_QSOFTMAX_DEF_(u8, uint8_t, 0)
QCC_QSOFTMAX_DEF_(i8, int8_t, 1)

/*
 * Mean over the reduced elements (input offsets base[o] + off[k], k in row-major order), dequantized and
 * summed in float32, divided by float(count), quantized with QuantizeLinear's rounding.
 */
#define QCC_QREDUCE_MEAN_DEF_(SFX, T, QMIN, QMAX)                                                                \
  static inline void qcc_qlinear_reduce_mean_##SFX(const T *x, T *y, int32_t nout, const int32_t *base, int32_t nred, \
                                                   const int32_t *off, float xs, int32_t xz, float ys, int32_t yz) {   \
    const float cnt = (float)nred;                                                                                   \
    int32_t o, k;                                                                                                    \
    for (o = 0; o < nout; o++) {                                                                                     \
      float s = 0.0f;                                                                                                \
      for (k = 0; k < nred; k++) {                                                                                   \
        const float t = xs * (float)((int32_t)x[base[o] + off[k]] - xz);                                            \
        s = s + t;                                                                                                   \
      }                                                                                                              \
      s = s / cnt;                                                                                                   \
      y[o] = (T)qcc_quantize_f32(s, ys, yz, QMIN, QMAX);                                                             \
    }                                                                                                                \
  }

QCC_QREDUCE_MEAN_DEF_(u8, uint8_t, 0, 255)
QCC_QREDUCE_MEAN_DEF_(i8, int8_t, -128, 127)

#endif /* QCC_QSOFTMAX_H */
