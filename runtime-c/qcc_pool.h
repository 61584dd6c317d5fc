/*
 * qcc runtime: pooling. Max pool (float32, uint8, int8), average pool (float32), global average and max
 * pool (float32). 1-D/2-D/3-D through the 3-axis form of qcc_window.h.
 *
 * Exactness, as the reference interpreter (compiler/ops/nn-pool.ts): taps are visited in row-major window
 * order and padded taps are skipped.
 *   max:     m = -inf (the dtype's minimum for integers); for each tap v: if (v > m) m = v. NaN inputs
 *            are thus ignored; a window without input taps gives -inf.
 *   average: s = +0; s = s + v per tap; y = s / (float)count, count = the input taps, or with
 *            count_include_pad the taps inside [-pad_begin, len + pad_end). count 0 gives NaN 0x7fc00000.
 * Header-only, C99, no allocation, no globals.
 */
#ifndef QCC_POOL_H
#define QCC_POOL_H

#include <stddef.h>
#include <stdint.h>
#include "qcc_window.h"

typedef struct {
  int32_t n, c;
  /* Spatial axes (D, H, W). */
  int32_t in[3], out[3], k[3], stride[3], dil[3], pad[3], pad_end[3];
  int32_t count_include_pad;
} qcc_pool_params;

/*
 * Walks every output element: sets z0..x1 (valid tap ranges), xw (offset of tap (0,0,0) in the plane,
 * possibly negative), the tap strides sz, sy, sx, and runs BODY which writes *yp.
 */
#define QCC_POOL_WALK_(BODY)                                                                   \
  {                                                                                            \
    const int32_t ID = p->in[0], IH = p->in[1], IW = p->in[2];                                 \
    const ptrdiff_t plane = (ptrdiff_t)ID * IH * IW;                                           \
    const ptrdiff_t sz = (ptrdiff_t)p->dil[0] * IH * IW, sy = (ptrdiff_t)p->dil[1] * IW;       \
    const ptrdiff_t sx = p->dil[2];                                                            \
    int32_t nc, od, oh, ow, tz, ty, tx;                                                        \
    for (nc = 0; nc < p->n * p->c; nc++) {                                                     \
      const ptrdiff_t xp = (ptrdiff_t)nc * plane;                                              \
      for (od = 0; od < p->out[0]; od++) {                                                     \
        int32_t z0, z1;                                                                        \
        const int32_t iz = od * p->stride[0] - p->pad[0];                                      \
        qcc_window_range(od, p->stride[0], p->pad[0], p->dil[0], p->k[0], ID, &z0, &z1);       \
        for (oh = 0; oh < p->out[1]; oh++) {                                                   \
          int32_t y0, y1;                                                                      \
          const int32_t iy = oh * p->stride[1] - p->pad[1];                                    \
          qcc_window_range(oh, p->stride[1], p->pad[1], p->dil[1], p->k[1], IH, &y0, &y1);     \
          for (ow = 0; ow < p->out[2]; ow++) {                                                 \
            int32_t x0, x1;                                                                    \
            const int32_t ix = ow * p->stride[2] - p->pad[2];                                  \
            const ptrdiff_t xw = xp + ((ptrdiff_t)iz * IH + iy) * IW + ix;                     \
            qcc_window_range(ow, p->stride[2], p->pad[2], p->dil[2], p->k[2], IW, &x0, &x1);   \
            BODY                                                                               \
            yp++;                                                                              \
          }                                                                                    \
        }                                                                                      \
      }                                                                                        \
    }                                                                                          \
  }

#define QCC_MAX_POOL_DEF_(NAME, T, INIT)                                      \
  static inline void NAME(const qcc_pool_params *p, const T *x, T *y) {       \
    T *yp = y;                                                                \
    const T init = (INIT);                                                    \
    QCC_POOL_WALK_({                                                          \
      T m = init;                                                             \
      for (tz = z0; tz < z1; tz++) {                                          \
        for (ty = y0; ty < y1; ty++) {                                        \
          const ptrdiff_t row = xw + tz * sz + ty * sy;                       \
          for (tx = x0; tx < x1; tx++) {                                      \
            const T v = x[row + tx * sx];                                     \
            if (v > m) m = v;                                                 \
          }                                                                   \
        }                                                                     \
      }                                                                       \
      *yp = m;                                                                \
    })                                                                        \
  }

QCC_MAX_POOL_DEF_(qcc_max_pool_f32, float, qcc_window_f32_from_bits(0xff800000u))
QCC_MAX_POOL_DEF_(qcc_max_pool_u8, uint8_t, 0)
QCC_MAX_POOL_DEF_(qcc_max_pool_i8, int8_t, INT8_MIN)

static inline void qcc_average_pool_f32(const qcc_pool_params *p, const float *x, float *y) {
  float *yp = y;
  QCC_POOL_WALK_({
    float s = 0.0f;
    int32_t count;
    for (tz = z0; tz < z1; tz++) {
      for (ty = y0; ty < y1; ty++) {
        const ptrdiff_t row = xw + tz * sz + ty * sy;
        for (tx = x0; tx < x1; tx++) s = s + x[row + tx * sx];
      }
    }
    if (p->count_include_pad) {
      count = qcc_window_padded_taps(od, p->stride[0], p->pad[0], p->pad_end[0], p->dil[0], p->k[0], ID) *
              qcc_window_padded_taps(oh, p->stride[1], p->pad[1], p->pad_end[1], p->dil[1], p->k[1], IH) *
              qcc_window_padded_taps(ow, p->stride[2], p->pad[2], p->pad_end[2], p->dil[2], p->k[2], IW);
    } else {
      count = (z1 - z0) * (y1 - y0) * (x1 - x0);
    }
    *yp = count > 0 ? s / (float)count : qcc_window_f32_from_bits(0x7fc00000u);
  })
}

/* planes = n * c, plane = product of the spatial sizes. */
static inline void qcc_global_average_pool_f32(int32_t planes, int32_t plane, const float *x, float *y) {
  int32_t q, i;
  for (q = 0; q < planes; q++) {
    const float *xp = x + (ptrdiff_t)q * plane;
    float s = 0.0f;
    for (i = 0; i < plane; i++) s = s + xp[i];
    y[q] = plane > 0 ? s / (float)plane : qcc_window_f32_from_bits(0x7fc00000u);
  }
}

static inline void qcc_global_max_pool_f32(int32_t planes, int32_t plane, const float *x, float *y) {
  int32_t q, i;
  for (q = 0; q < planes; q++) {
    const float *xp = x + (ptrdiff_t)q * plane;
    float m = qcc_window_f32_from_bits(0xff800000u);
    for (i = 0; i < plane; i++) {
      if (xp[i] > m) m = xp[i];
    }
    y[q] = m;
  }
}

#endif /* QCC_POOL_H */
