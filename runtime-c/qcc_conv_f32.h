/*
 * qcc runtime: float32 convolution (1-D/2-D/3-D through the 3-axis form of qcc_window.h), groups
 * (depthwise included), strides, dilations, explicit pads, optional bias.
 *
 * Exactness: each output is summed exactly as the reference interpreter does (compiler/ops/nn-conv.ts):
 * acc = +0; for each input channel of the group, for each kernel tap in row-major (kd, kh, kw) order that
 * falls inside the input: prod = x * w (rounded to float), acc = acc + prod; then acc = acc + bias.
 * Padded taps are skipped by clipping, per tap, the range of output positions that see the input, so
 * the inner loop has no bounds checks. The product is stored in its own float before the add, so the
 * result does not depend on -ffp-contract.
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

/*
 * x [n, c_in, in...], w [c_out, c_in/group, k...], b [c_out] or NULL, y [n, c_out, out...]; y must not
 * alias x. Loop order: the output plane of one channel is the accumulator array (+0 first); then for
 * each input channel, each tap (kd, kh, kw) in row-major order, every output position whose tap is
 * inside the input gets y = y + x * w. For any one output that is exactly the interpreter's sequence
 * (channels, then taps in row-major order, padded taps skipped), and the innermost loop is a contiguous
 * multiply-add over output columns with no bounds checks.
 */
static inline void qcc_conv_f32(const qcc_conv_f32_params *p, const float *x, const float *w, const float *b, float *y) {
  const int32_t cig = p->c_in / p->group, cog = p->c_out / p->group;
  const int32_t ID = p->in[0], IH = p->in[1], IW = p->in[2];
  const int32_t OD = p->out[0], OH = p->out[1], OW = p->out[2];
  const int32_t KD = p->k[0], KH = p->k[1], KW = p->k[2];
  const int32_t SD = p->stride[0], SH = p->stride[1], SW = p->stride[2];
  const int32_t DD = p->dil[0], DH = p->dil[1], DW = p->dil[2];
  const int32_t PD = p->pad[0], PH = p->pad[1], PW = p->pad[2];
  const ptrdiff_t in_plane = (ptrdiff_t)ID * IH * IW, out_plane = (ptrdiff_t)OD * OH * OW;
  const ptrdiff_t ksize = (ptrdiff_t)KD * KH * KW;
  int32_t n, oc, ic, tz, ty, tx, od, oh, ow;
  ptrdiff_t i;
  for (n = 0; n < p->n; n++) {
    for (oc = 0; oc < p->c_out; oc++) {
      const float *xg = x + ((ptrdiff_t)n * p->c_in + (ptrdiff_t)(oc / cog) * cig) * in_plane;
      const float *wo = w + (ptrdiff_t)oc * cig * ksize;
      float *yo = y + ((ptrdiff_t)n * p->c_out + oc) * out_plane;
      for (i = 0; i < out_plane; i++) yo[i] = 0.0f;
      for (ic = 0; ic < cig; ic++) {
        const float *xc = xg + (ptrdiff_t)ic * in_plane;
        const float *wc = wo + (ptrdiff_t)ic * ksize;
        for (tz = 0; tz < KD; tz++) {
          int32_t z0, z1;
          qcc_window_out_range(tz, SD, PD, DD, ID, OD, &z0, &z1);
          for (ty = 0; ty < KH; ty++) {
            int32_t y0, y1;
            qcc_window_out_range(ty, SH, PH, DH, IH, OH, &y0, &y1);
            for (tx = 0; tx < KW; tx++) {
              int32_t x0, x1;
              const float wv = wc[((ptrdiff_t)tz * KH + ty) * KW + tx];
              /* input column of output column ow is ow * SW + xoff (>= 0 for ow in [x0, x1)) */
              const int32_t xoff = tx * DW - PW;
              qcc_window_out_range(tx, SW, PW, DW, IW, OW, &x0, &x1);
              for (od = z0; od < z1; od++) {
                const float *xz = xc + (ptrdiff_t)(od * SD - PD + tz * DD) * IH * IW;
                for (oh = y0; oh < y1; oh++) {
                  const float *xr = xz + (ptrdiff_t)(oh * SH - PH + ty * DH) * IW;
                  float *yr = yo + ((ptrdiff_t)od * OH + oh) * OW;
                  if (SW == 1) {
                    for (ow = x0; ow < x1; ow++) {
                      const float prod = xr[ow + xoff] * wv;
                      yr[ow] = yr[ow] + prod;
                    }
                  } else {
                    for (ow = x0; ow < x1; ow++) {
                      const float prod = xr[(ptrdiff_t)ow * SW + xoff] * wv;
                      yr[ow] = yr[ow] + prod;
                    }
                  }
                }
              }
            }
          }
        }
      }
      if (b) {
        const float bv = b[oc];
        for (i = 0; i < out_plane; i++) yo[i] = yo[i] + bv;
      }
    }
  }
}

#endif /* QCC_CONV_F32_H */
