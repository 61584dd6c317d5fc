/*
 * qcc_qconv.h: integer convolution (ConvInteger) and quantized convolution (QLinearConv), generic C99.
 * Twin of compiler/ops/qgeometry.ts (qconvAccumulate) and compiler/ops/qlinear.ts.
 *
 * Layout NC(D)HW; 1-D and 2-D convs are 3-D with leading size-1 dims (the emitter pads the geometry).
 * For each image n and output channel m, acc[o] = bias[m] + sum (x - xzp) * (w - wzp[m]) over the group's
 * input channels and the kernel; padding contributes nothing (ONNX Runtime pads with the zero point).
 * Accumulators are uint32_t so wrapping is defined; integer sums do not depend on the order, so the
 * weight-stationary loop below (valid output range per kernel tap, no per-MAC padding test) gives the
 * interpreter's values exactly. QLinearConv then requantizes each accumulator with scale[m] (fp32 scheme,
 * qcc_requant.h). Per-tensor scale / weight zero point arrive expanded to M entries.
 */
#ifndef QCC_QCONV_H
#define QCC_QCONV_H

#include <stddef.h>
#include <stdint.h>
#include "qcc_requant.h"

typedef struct {
  int32_t n, c, m, group, c_per_group, m_per_group;
  int32_t in_sp[3], out_sp[3], kernel[3], strides[3], dilations[3], pads[3];
} qcc_qconv_params;

/* Output indices o in [*lo, *hi) with 0 <= o * s - pad + k * d < in. */
static inline void qcc_qconv_range_(int32_t out, int32_t in, int32_t s, int32_t d, int32_t pad, int32_t k, int32_t *lo,
                                    int32_t *hi) {
  const int32_t t = pad - k * d;
  const int32_t u = in - 1 + pad - k * d;
  int32_t a = t <= 0 ? 0 : (t + s - 1) / s;
  int32_t b = u < 0 ? 0 : u / s + 1;
  if (b > out) b = out;
  if (a > b) a = b;
  *lo = a;
  *hi = b;
}

/* acc[plane_out] += contributions of image x_img (all C channels) and filter w_m (c_per_group x kernel). */
#define QCC_QCONV_ACC_DEF_(SFX, XT, WT)                                                                          \
  static inline void qcc_qconv_acc_##SFX(const qcc_qconv_params *p, const XT *x_img, const WT *w_m, int32_t xzp, \
                                         int32_t wzp, int32_t grp, uint32_t *acc) {                              \
    const int32_t ID = p->in_sp[0], IH = p->in_sp[1], IW = p->in_sp[2];                                          \
    const int32_t OH = p->out_sp[1], OW = p->out_sp[2];                                                          \
    const int32_t KD = p->kernel[0], KH = p->kernel[1], KW = p->kernel[2];                                       \
    const int32_t SD = p->strides[0], SH = p->strides[1], SW = p->strides[2];                                    \
    const int32_t DD = p->dilations[0], DH = p->dilations[1], DW = p->dilations[2];                              \
    const int32_t PD = p->pads[0], PH = p->pads[1], PW = p->pads[2];                                             \
    const ptrdiff_t in_plane = (ptrdiff_t)ID * IH * IW;                                                          \
    int32_t ci, kd, kh, kw, od, oh, ow, od0, od1, oh0, oh1, ow0, ow1;                                            \
    for (ci = 0; ci < p->c_per_group; ci++) {                                                                    \
      const XT *xc = x_img + (ptrdiff_t)(grp * p->c_per_group + ci) * in_plane;                                  \
      const WT *wc = w_m + (ptrdiff_t)ci * KD * KH * KW;                                                         \
      for (kd = 0; kd < KD; kd++) {                                                                              \
        qcc_qconv_range_(p->out_sp[0], ID, SD, DD, PD, kd, &od0, &od1);                                          \
        for (kh = 0; kh < KH; kh++) {                                                                            \
          qcc_qconv_range_(OH, IH, SH, DH, PH, kh, &oh0, &oh1);                                                  \
          for (kw = 0; kw < KW; kw++) {                                                                          \
            const int32_t wv = (int32_t)wc[((ptrdiff_t)kd * KH + kh) * KW + kw] - wzp;                           \
            if (wv == 0) continue; /* adds nothing */                                                            \
            qcc_qconv_range_(OW, IW, SW, DW, PW, kw, &ow0, &ow1);                                                \
            for (od = od0; od < od1; od++) {                                                                     \
              const ptrdiff_t id = (ptrdiff_t)od * SD - PD + (ptrdiff_t)kd * DD;                                 \
              for (oh = oh0; oh < oh1; oh++) {                                                                   \
                const ptrdiff_t ih = (ptrdiff_t)oh * SH - PH + (ptrdiff_t)kh * DH;                               \
                const ptrdiff_t base = (id * IH + ih) * IW + (ptrdiff_t)kw * DW - PW;                            \
                uint32_t *ar = acc + ((ptrdiff_t)od * OH + oh) * OW;                                             \
                for (ow = ow0; ow < ow1; ow++) {                                                                 \
                  const int32_t xv = (int32_t)xc[base + (ptrdiff_t)ow * SW] - xzp;                               \
                  ar[ow] += (uint32_t)(xv * wv);                                                                 \
                }                                                                                                \
              }                                                                                                  \
            }                                                                                                    \
          }                                                                                                      \
        }                                                                                                        \
      }                                                                                                          \
    }                                                                                                            \
  }

QCC_QCONV_ACC_DEF_(u8u8, uint8_t, uint8_t)
QCC_QCONV_ACC_DEF_(u8i8, uint8_t, int8_t)
QCC_QCONV_ACC_DEF_(i8u8, int8_t, uint8_t)
QCC_QCONV_ACC_DEF_(i8i8, int8_t, int8_t)

/* acc[out_plane] = init + the sums of image n for output channel m (x: the whole batch, w: all M filters). */
#define QCC_QCONV_IMAGE_ACC_DEF_(SFX, XT, WT)                                                                    \
  static inline void qcc_qconv_image_acc_##SFX(const qcc_qconv_params *p, const XT *x, int32_t xzp, const WT *w, \
                                               int32_t wzp, uint32_t init, int32_t n, int32_t m, uint32_t *acc) { \
    const ptrdiff_t in_img = (ptrdiff_t)p->c * p->in_sp[0] * p->in_sp[1] * p->in_sp[2];                          \
    const ptrdiff_t out_plane = (ptrdiff_t)p->out_sp[0] * p->out_sp[1] * p->out_sp[2];                           \
    const ptrdiff_t w_size = (ptrdiff_t)p->c_per_group * p->kernel[0] * p->kernel[1] * p->kernel[2];             \
    ptrdiff_t i;                                                                                                 \
    for (i = 0; i < out_plane; i++) acc[i] = init;                                                               \
    qcc_qconv_acc_##SFX(p, x + n * in_img, w + m * w_size, xzp, wzp, m / p->m_per_group, acc);                   \
  }

QCC_QCONV_IMAGE_ACC_DEF_(u8u8, uint8_t, uint8_t)
QCC_QCONV_IMAGE_ACC_DEF_(u8i8, uint8_t, int8_t)
QCC_QCONV_IMAGE_ACC_DEF_(i8u8, int8_t, uint8_t)
QCC_QCONV_IMAGE_ACC_DEF_(i8i8, int8_t, int8_t)

/* ConvInteger: y (int32, [N, M, out...]) is used as the accumulator buffer. */
#define QCC_CONV_INTEGER_DEF_(SFX, XT, WT)                                                                       \
  static inline void qcc_conv_integer_##SFX(const qcc_qconv_params *p, const XT *x, int32_t xzp, const WT *w,     \
                                            const int32_t *wzp, int32_t *y) {                                    \
    const ptrdiff_t out_plane = (ptrdiff_t)p->out_sp[0] * p->out_sp[1] * p->out_sp[2];                           \
    int32_t n, m;                                                                                                \
    for (n = 0; n < p->n; n++) {                                                                                 \
      for (m = 0; m < p->m; m++) {                                                                               \
        uint32_t *acc = (uint32_t *)(y + ((ptrdiff_t)n * p->m + m) * out_plane);                                 \
        qcc_qconv_image_acc_##SFX(p, x, xzp, w, wzp[m], 0u, n, m, acc);                                          \
      }                                                                                                          \
    }                                                                                                            \
  }

QCC_CONV_INTEGER_DEF_(u8u8, uint8_t, uint8_t)
QCC_CONV_INTEGER_DEF_(u8i8, uint8_t, int8_t)
QCC_CONV_INTEGER_DEF_(i8u8, int8_t, uint8_t)
QCC_CONV_INTEGER_DEF_(i8i8, int8_t, int8_t)

/*
 * QLinearConv: acc (scratch, out_plane uint32) per (n, m), initialised with bias[m] (or 0), then
 * y = requantize(acc, scale[m], yzp) with scale[m] = (x_scale * w_scale[m]) / y_scale computed at compile time.
 */
#define QCC_QLINEAR_CONV_DEF_(SFX, ACCSFX, XT, WT, YT, YMIN, YMAX)                                               \
  static inline void qcc_qlinear_conv_##SFX(const qcc_qconv_params *p, const XT *x, int32_t xzp, const WT *w,     \
                                            const int32_t *wzp, const int32_t *bias, const float *scale,         \
                                            int32_t yzp, YT *y, uint32_t *acc) {                                 \
    const ptrdiff_t out_plane = (ptrdiff_t)p->out_sp[0] * p->out_sp[1] * p->out_sp[2];                           \
    int32_t n, m;                                                                                                \
    ptrdiff_t i;                                                                                                 \
    for (n = 0; n < p->n; n++) {                                                                                 \
      for (m = 0; m < p->m; m++) {                                                                               \
        const float s = scale[m];                                                                                \
        YT *yr = y + ((ptrdiff_t)n * p->m + m) * out_plane;                                                      \
        qcc_qconv_image_acc_##ACCSFX(p, x, xzp, w, wzp[m], bias ? (uint32_t)bias[m] : 0u, n, m, acc);            \
        for (i = 0; i < out_plane; i++) yr[i] = (YT)qcc_requantize_f32(qcc_i32_from_u32(acc[i]), s, yzp, YMIN, YMAX); \
      }                                                                                                          \
    }                                                                                                            \
  }

QCC_QLINEAR_CONV_DEF_(u8u8u8, u8u8, uint8_t, uint8_t, uint8_t, 0, 255)
QCC_QLINEAR_CONV_DEF_(u8u8i8, u8u8, uint8_t, uint8_t, int8_t, -128, 127)
QCC_QLINEAR_CONV_DEF_(u8i8u8, u8i8, uint8_t, int8_t, uint8_t, 0, 255)
QCC_QLINEAR_CONV_DEF_(u8i8i8, u8i8, uint8_t, int8_t, int8_t, -128, 127)
QCC_QLINEAR_CONV_DEF_(i8u8u8, i8u8, int8_t, uint8_t, uint8_t, 0, 255)
QCC_QLINEAR_CONV_DEF_(i8u8i8, i8u8, int8_t, uint8_t, int8_t, -128, 127)
QCC_QLINEAR_CONV_DEF_(i8i8u8, i8i8, int8_t, int8_t, uint8_t, 0, 255)
QCC_QLINEAR_CONV_DEF_(i8i8i8, i8i8, int8_t, int8_t, int8_t, -128, 127)

#endif /* QCC_QCONV_H */
