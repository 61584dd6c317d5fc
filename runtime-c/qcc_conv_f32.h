/*
 * qcc runtime: float32 convolution (1-D/2-D/3-D through the 3-axis form of qcc_window.h), groups
 * (depthwise included), strides, dilations, explicit pads, optional bias.
 *
 * Exactness: each output is summed exactly as the reference interpreter does (compiler/ops/nn-conv.ts):
 * acc = +0; for each input channel of the group, for each kernel tap in row-major (kd, kh, kw) order that
 * falls inside the input: prod = x * w (rounded to float), acc = acc + prod; then acc = acc + bias.
 * Padded taps are skipped by clipping the tap ranges once per output position, so the inner loop has
 * no bounds checks. Needs -ffp-contract=off semantics: the product is stored in its own float first.
 * Header-only, C99, no allocation, no globals.
 */
#ifndef QCC_CONV_F32_H
#define QCC_CONV_F32_H

#include <stddef.h>
#include <stdint.h>
#include "qcc_window.h"

typedef struct {
  int32_t n, c_in, c_out, group;
  /* Spatial axes (D, H, W); pad holds the begin pads (end pads are implied by out). */
  int32_t in[3], out[3], k[3], stride[3], dil[3], pad[3];
} qcc_conv_f32_params;

/* x [n, c_in, in...], w [c_out, c_in/group, k...], b [c_out] or NULL, y [n, c_out, out...]. */
static inline void qcc_conv_f32(const qcc_conv_f32_params *p, const float *x, const float *w, const float *b, float *y) {
  const int32_t cig = p->c_in / p->group, cog = p->c_out / p->group;
  const int32_t ID = p->in[0], IH = p->in[1], IW = p->in[2];
  const int32_t OD = p->out[0], OH = p->out[1], OW = p->out[2];
  const int32_t KD = p->k[0], KH = p->k[1], KW = p->k[2];
  const int32_t DD = p->dil[0], DH = p->dil[1], DW = p->dil[2];
  const ptrdiff_t in_plane = (ptrdiff_t)ID * IH * IW, out_plane = (ptrdiff_t)OD * OH * OW;
  const ptrdiff_t ksize = (ptrdiff_t)KD * KH * KW;
  int32_t n, oc, od, oh, ow, ic, tz, ty, tx;
  for (n = 0; n < p->n; n++) {
    for (oc = 0; oc < p->c_out; oc++) {
      const float *xg = x + ((ptrdiff_t)n * p->c_in + (ptrdiff_t)(oc / cog) * cig) * in_plane;
      const float *wo = w + (ptrdiff_t)oc * cig * ksize;
      float *yo = y + ((ptrdiff_t)n * p->c_out + oc) * out_plane;
      for (od = 0; od < OD; od++) {
        int32_t z0, z1;
        const int32_t iz = od * p->stride[0] - p->pad[0];
        qcc_window_range(od, p->stride[0], p->pad[0], DD, KD, ID, &z0, &z1);
        for (oh = 0; oh < OH; oh++) {
          int32_t y0, y1;
          const int32_t iy = oh * p->stride[1] - p->pad[1];
          qcc_window_range(oh, p->stride[1], p->pad[1], DH, KH, IH, &y0, &y1);
          for (ow = 0; ow < OW; ow++) {
            int32_t x0, x1;
            const int32_t ix = ow * p->stride[2] - p->pad[2];
            float acc = 0.0f;
            qcc_window_range(ow, p->stride[2], p->pad[2], DW, KW, IW, &x0, &x1);
            for (ic = 0; ic < cig; ic++) {
              const float *xc = xg + (ptrdiff_t)ic * in_plane;
              const float *wc = wo + (ptrdiff_t)ic * ksize;
              for (tz = z0; tz < z1; tz++) {
                const float *xz = xc + (ptrdiff_t)(iz + tz * DD) * IH * IW;
                const float *wz = wc + (ptrdiff_t)tz * KH * KW;
                for (ty = y0; ty < y1; ty++) {
                  /* row offset of tap 0 (may be negative: only taps in [x0, x1) are read) */
                  const ptrdiff_t xr = (ptrdiff_t)(iy + ty * DH) * IW + ix;
                  const float *wr = wz + (ptrdiff_t)ty * KW;
                  for (tx = x0; tx < x1; tx++) {
                    const float prod = xz[xr + (ptrdiff_t)tx * DW] * wr[tx];
                    acc = acc + prod;
                  }
                }
              }
            }
            if (b) acc = acc + b[oc];
            yo[((ptrdiff_t)od * OH + oh) * OW + ow] = acc;
          }
        }
      }
    }
  }
}

#endif /* QCC_CONV_F32_H */
