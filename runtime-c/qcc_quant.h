/*
 * qcc_quant.h: QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear kernels (generic C99).
 * Twin of compiler/ops/quant.ts. Scales arrive as float32 (f16 scales are widened exactly at compile time),
 * zero points as int32; per-tensor parameters are one channel (outer = 1, channels = 1, inner = size).
 * Layout: x and y are [outer, channels, inner] row-major; channel c uses scale[c] and zp[c].
 */
#ifndef QCC_QUANT_H
#define QCC_QUANT_H

#include <float.h>
#include <stddef.h>
#include <stdint.h>
#include "qcc_math.h"
#include "qcc_requant.h"

#define QCC_ID_(v) (v)

/* y = round_half_even(clamp(x / scale, qmin - zp, qmax - zp)) + zp (MLAS MlasQuantizeLinear). */
#define QCC_QUANTIZE_DEF_(NAME, XT, XCONV, YT, QMIN, QMAX)                                                  \
  static inline void NAME(const XT *x, YT *y, int32_t outer, int32_t channels, int32_t inner,                 \
                          const float *scale, const int32_t *zp) {                                            \
    int32_t o, c, k;                                                                                          \
    size_t i = 0;                                                                                             \
    for (o = 0; o < outer; o++) {                                                                             \
      for (c = 0; c < channels; c++) {                                                                        \
        const float s = scale[c];                                                                             \
        const int32_t z = zp[c];                                                                              \
        for (k = 0; k < inner; k++, i++) y[i] = (YT)qcc_quantize_f32(XCONV(x[i]), s, z, QMIN, QMAX);         \
      }                                                                                                       \
    }                                                                                                         \
  }

QCC_QUANTIZE_DEF_(qcc_quantize_linear_f32_u8, float, QCC_ID_, uint8_t, 0, 255)
QCC_QUANTIZE_DEF_(qcc_quantize_linear_f32_i8, float, QCC_ID_, int8_t, -128, 127)
QCC_QUANTIZE_DEF_(qcc_quantize_linear_f32_u16, float, QCC_ID_, uint16_t, 0, 65535)
QCC_QUANTIZE_DEF_(qcc_quantize_linear_f32_i16, float, QCC_ID_, int16_t, -32768, 32767)
QCC_QUANTIZE_DEF_(qcc_quantize_linear_f16_u8, uint16_t, qcc_f16_to_f32, uint8_t, 0, 255)
QCC_QUANTIZE_DEF_(qcc_quantize_linear_f16_i8, uint16_t, qcc_f16_to_f32, int8_t, -128, 127)
QCC_QUANTIZE_DEF_(qcc_quantize_linear_f16_u16, uint16_t, qcc_f16_to_f32, uint16_t, 0, 65535)
QCC_QUANTIZE_DEF_(qcc_quantize_linear_f16_i16, uint16_t, qcc_f16_to_f32, int16_t, -32768, 32767)

/* y = float(int32(x) - zp) * scale (ORT DequantizeLinearApply); f16 outputs round the float32 result once. */
#define QCC_DEQUANTIZE_DEF_(NAME, XT, YT, YCONV)                                                            \
  static inline void NAME(const XT *x, YT *y, int32_t outer, int32_t channels, int32_t inner,                 \
                          const float *scale, const int32_t *zp) {                                            \
    int32_t o, c, k;                                                                                          \
    size_t i = 0;                                                                                             \
    for (o = 0; o < outer; o++) {                                                                             \
      for (c = 0; c < channels; c++) {                                                                        \
        const float s = scale[c];                                                                             \
        const int32_t z = zp[c];                                                                              \
        for (k = 0; k < inner; k++, i++) {                                                                    \
          float v = (float)((int32_t)x[i] - z);                                                               \
          v = v * s;                                                                                          \
          y[i] = YCONV(v);                                                                                    \
        }                                                                                                     \
      }                                                                                                       \
    }                                                                                                         \
  }

QCC_DEQUANTIZE_DEF_(qcc_dequantize_linear_u8_f32, uint8_t, float, QCC_ID_)
QCC_DEQUANTIZE_DEF_(qcc_dequantize_linear_i8_f32, int8_t, float, QCC_ID_)
QCC_DEQUANTIZE_DEF_(qcc_dequantize_linear_u16_f32, uint16_t, float, QCC_ID_)
QCC_DEQUANTIZE_DEF_(qcc_dequantize_linear_i16_f32, int16_t, float, QCC_ID_)
QCC_DEQUANTIZE_DEF_(qcc_dequantize_linear_i32_f32, int32_t, float, QCC_ID_)
QCC_DEQUANTIZE_DEF_(qcc_dequantize_linear_u8_f16, uint8_t, uint16_t, qcc_f32_to_f16)
QCC_DEQUANTIZE_DEF_(qcc_dequantize_linear_i8_f16, int8_t, uint16_t, qcc_f32_to_f16)
QCC_DEQUANTIZE_DEF_(qcc_dequantize_linear_u16_f16, uint16_t, uint16_t, qcc_f32_to_f16)
QCC_DEQUANTIZE_DEF_(qcc_dequantize_linear_i16_f16, int16_t, uint16_t, qcc_f32_to_f16)
QCC_DEQUANTIZE_DEF_(qcc_dequantize_linear_i32_f16, int32_t, uint16_t, qcc_f32_to_f16)

/*
 * DynamicQuantizeLinear to uint8 (ORT GetQuantizationParameter<uint8_t> + MlasQuantizeLinear): min/max
 * over x (NaN elements ignored), widened to include 0; scale = max == min ? 1 : (max - min) / 255;
 * zp = round_half_even(max(0, min(255, 0 - min / scale))) with std::min/max's operand order (NaN -> 255).
 */
static inline void qcc_dynamic_quantize_linear_f32(const float *x, size_t n, uint8_t *y, float *scale_out, uint8_t *zp_out) {
  float mn = FLT_MAX, mx = -FLT_MAX, scale, initial, hi, zpf;
  int32_t zp;
  size_t i;
  for (i = 0; i < n; i++) {
    const float v = x[i];
    if (v < mn) mn = v;
    if (v > mx) mx = v;
  }
  if (mn > 0.0f) mn = 0.0f;
  if (mx < 0.0f) mx = 0.0f;
  if (mx == mn) {
    scale = 1.0f;
  } else {
    scale = mx - mn;
    scale = scale / 255.0f;
  }
  initial = mn / scale;
  initial = 0.0f - initial;
  hi = initial < 255.0f ? initial : 255.0f;
  zpf = 0.0f < hi ? hi : 0.0f;
  zp = (int32_t)qcc_round_half_even_f32(zpf);
  for (i = 0; i < n; i++) y[i] = (uint8_t)qcc_quantize_f32(x[i], scale, zp, 0, 255);
  *scale_out = scale;
  *zp_out = (uint8_t)zp;
}

#endif /* QCC_QUANT_H */
