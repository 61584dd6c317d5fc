/*
 * qcc_qpool.h: QLinearGlobalAveragePool and QLinearAveragePool (com.microsoft), u8 / i8, NCHW or channels
 * last. Twin of compiler/ops/contrib-pool.ts (ONNX Runtime's qlinear_pool.cc and MLAS qlgavgpool.cpp):
 *   global: acc = -xz * image + sum(x) (int32); y = clamp((int32_t)nearbyintf(float(acc) * scale) + yz)
 *   window: s = 0; s += xs * float(x - xz) per tap inside the input (row-major); s = s / float(count);
 *           y = clamp((int32_t)nearbyintf(s / ys + float(yz)))
 * Spatial axes are padded at the front to three.
 */
#ifndef QCC_QPOOL_H
#define QCC_QPOOL_H

#include <stddef.h>
#include <stdint.h>
#include "qcc_qcontrib.h"

/* Global average over planes of `image` elements: plane p = (batch b, channel ch); NCHW or channels last. */
#define QCC_QGAP_DEF_(SFX, T, QMIN, QMAX)                                                                   \
  static inline void qcc_qlinear_global_average_pool_##SFX(const T *x, T *y, int32_t n, int32_t c, int32_t image, \
                                                           int32_t channels_last, int32_t xz, float scale,     \
                                                           int32_t yz) {                                       \
    const uint32_t bias = (uint32_t)(-xz) * (uint32_t)image;                                                   \
    int32_t b, ch, i;                                                                                          \
    for (b = 0; b < n; b++) {                                                                                  \
      for (ch = 0; ch < c; ch++) {                                                                             \
        const ptrdiff_t base = channels_last ? (ptrdiff_t)b * image * c + ch : ((ptrdiff_t)b * c + ch) * image; \
        const ptrdiff_t step = channels_last ? c : 1;                                                          \
        uint32_t acc = bias;                                                                                   \
        int32_t v;                                                                                             \
        float f;                                                                                               \
        for (i = 0; i < image; i++) acc += (uint32_t)(int32_t)x[base + (ptrdiff_t)i * step];                   \
        f = (float)qcc_i32_from_u32(acc);                                                                      \
        f = f * scale;                                                                                         \
        v = qcc_add_wrap_i32(qcc_nearbyint_i32(f), yz);                                                        \
        v = v > (QMAX) ? (QMAX) : v;                                                                           \
        v = v < (QMIN) ? (QMIN) : v;                                                                           \
        y[(ptrdiff_t)b * c + ch] = (T)v;                                                                       \
      }                                                                                                        \
    }                                                                                                          \
  }

QCC_QGAP_DEF_(u8, uint8_t, 0, 255)
QCC_QGAP_DEF_(i8, int8_t, -128, 127)

typedef struct {
  int32_t n, c, channels_last, count_include_pad;
  int32_t in[3], out[3], k[3], stride[3], pad[3];
  float xs, ys;
  int32_t xz, yz;
} qcc_qavgpool_params;

#define QCC_QAVGPOOL_DEF_(SFX, T, QMIN, QMAX)                                                                  \
  static inline void qcc_qlinear_average_pool_##SFX(const qcc_qavgpool_params *p, const T *x, T *y) {          \
    const int32_t ID = p->in[0], IH = p->in[1], IW = p->in[2];                                                 \
    const ptrdiff_t image = (ptrdiff_t)ID * IH * IW, oimage = (ptrdiff_t)p->out[0] * p->out[1] * p->out[2];    \
    const int32_t ksize = p->k[0] * p->k[1] * p->k[2];                                                         \
    int32_t b, ch, od, oh, ow, d, h, w;                                                                        \
    for (b = 0; b < p->n; b++) {                                                                               \
      for (ch = 0; ch < p->c; ch++) {                                                                          \
        const ptrdiff_t xb = p->channels_last ? (ptrdiff_t)b * image * p->c + ch : ((ptrdiff_t)b * p->c + ch) * image; \
        const ptrdiff_t yb = p->channels_last ? (ptrdiff_t)b * oimage * p->c + ch : ((ptrdiff_t)b * p->c + ch) * oimage; \
        const ptrdiff_t step = p->channels_last ? p->c : 1;                                                    \
        ptrdiff_t yo = 0;                                                                                      \
        for (od = 0; od < p->out[0]; od++) {                                                                   \
          const int32_t d0 = od * p->stride[0] - p->pad[0];                                                    \
          const int32_t d1 = d0 + p->k[0] < ID ? d0 + p->k[0] : ID, ds = d0 > 0 ? d0 : 0;                      \
          for (oh = 0; oh < p->out[1]; oh++) {                                                                 \
            const int32_t h0 = oh * p->stride[1] - p->pad[1];                                                  \
            const int32_t h1 = h0 + p->k[1] < IH ? h0 + p->k[1] : IH, hs = h0 > 0 ? h0 : 0;                    \
            for (ow = 0; ow < p->out[2]; ow++, yo++) {                                                         \
              const int32_t w0 = ow * p->stride[2] - p->pad[2];                                                \
              const int32_t w1 = w0 + p->k[2] < IW ? w0 + p->k[2] : IW, ws = w0 > 0 ? w0 : 0;                  \
              float s = 0.0f, cnt;                                                                             \
              int32_t v;                                                                                       \
              for (d = ds; d < d1; d++) {                                                                      \
                for (h = hs; h < h1; h++) {                                                                    \
                  for (w = ws; w < w1; w++) {                                                                  \
                    const ptrdiff_t off = ((ptrdiff_t)d * IH + h) * IW + w;                                    \
                    const float t = p->xs * (float)((int32_t)x[xb + off * step] - p->xz);                     \
                    s = s + t;                                                                                 \
                  }                                                                                            \
                }                                                                                              \
              }                                                                                                \
              cnt = (float)(p->count_include_pad ? ksize : (d1 - ds) * (h1 - hs) * (w1 - ws));                 \
              s = s / cnt;                                                                                     \
              s = s / p->ys;                                                                                   \
              s = s + (float)p->yz;                                                                            \
              v = qcc_nearbyint_i32(s);                                                                        \
              v = v < (QMAX) ? v : (QMAX);                                                                     \
              v = v > (QMIN) ? v : (QMIN);                                                                     \
              y[yb + yo * step] = (T)v;                                                                        \
            }                                                                                                  \
          }                                                                                                    \
        }                                                                                                      \
      }                                                                                                        \
    }                                                                                                          \
  }

QCC_QAVGPOOL_DEF_(u8, uint8_t, 0, 255)
QCC_QAVGPOOL_DEF_(i8, int8_t, -128, 127)

#endif /* QCC_QPOOL_H */
