/*
 * qcc mixed-precision float kernels: batch_normalization (per-channel y = x * a + b), reduce_mean,
 * reduce_min, pow (with a deterministic float32 logf), round (half to even, sign of zero kept).
 * Twin of compiler/ops/float-extra.ts and compiler/numerics/logf.ts: same float32 operations in the same
 * order, every intermediate stored in a float.
 */
#ifndef QCC_FLOAT_EXTRA_H
#define QCC_FLOAT_EXTRA_H

#include <stddef.h>
#include <stdint.h>
#include "qcc_math.h"
#include "qcc_elementwise.h"

/* Cephes logf: x = m * 2^e with m in [sqrt(1/2), sqrt(2)), polynomial in m - 1. */
static inline float qcc_logf(float x) {
  uint32_t b;
  int e = 0;
  float m, z, y, fe, r;
  if (x != x || x < 0.0f) return qcc_nanf();
  if (x == 0.0f) return -qcc_f32_from_bits(0x7f800000u);
  if (x == qcc_f32_from_bits(0x7f800000u)) return x;
  if (x < 0x1p-126f) {
    x = x * 8388608.0f;
    e = -23;
  }
  b = qcc_f32_bits(x);
  e += (int)((b >> 23) & 0xffu) - 126;
  m = qcc_f32_from_bits((b & 0x807fffffu) | 0x3f000000u);
  if (m < 0x1.6a09e6p-1f) {
    e -= 1;
    m = m + m;
    m = m - 1.0f;
  } else {
    m = m - 1.0f;
  }
  z = m * m;
  y = 0x1.204376p-4f;
  y = y * m; y = y + -0x1.d7a370p-4f;
  y = y * m; y = y + 0x1.de4a34p-4f;
  y = y * m; y = y + -0x1.fcba9ep-4f;
  y = y * m; y = y + 0x1.23d37ep-3f;
  y = y * m; y = y + -0x1.555ca0p-3f;
  y = y * m; y = y + 0x1.999d58p-3f;
  y = y * m; y = y + -0x1.fffff8p-3f;
  y = y * m; y = y + 0x1.555554p-2f;
  y = y * m;
  y = y * z;
  fe = (float)e;
  r = -0x1.bd0106p-13f * fe;
  y = y + r;
  r = -0.5f * z;
  y = y + r;
  r = m + y;
  fe = 0x1.630000p-1f * fe;
  return r + fe;
}

static inline int qcc_f32_is_int(float y) {
  float a = y < 0.0f ? -y : y;
  if (!(a < 8388608.0f)) return a == a && a != qcc_f32_from_bits(0x7f800000u); /* large finite floats are integers */
  return (float)(int32_t)y == y;
}

static inline int qcc_f32_is_odd_int(float y) {
  float a = y < 0.0f ? -y : y;
  if (!(a < 16777216.0f)) return 0;
  return (float)(int32_t)y == y && ((int32_t)y & 1) != 0;
}

static inline float qcc_powf(float x, float y) {
  const float inf = qcc_f32_from_bits(0x7f800000u);
  float ax, t, r;
  int neg;
  if (y == 0.0f || x == 1.0f) return 1.0f;
  if (x != x || y != y) return qcc_nanf();
  if (y == 1.0f) return x;
  if (y == 2.0f) return x * x;
  if (y == -1.0f) return 1.0f / x;
  ax = x < 0.0f ? -x : x;
  if (x == 0.0f || ax == inf || y == inf || y == -inf) {
    if (y == inf || y == -inf) {
      if (ax == 1.0f) return 1.0f;
      return ((ax > 1.0f) == (y > 0.0f)) ? inf : 0.0f;
    }
    neg = (qcc_f32_bits(x) >> 31) != 0;
    r = (ax == inf ? y > 0.0f : y < 0.0f) ? inf : 0.0f;
    return neg && qcc_f32_is_odd_int(y) ? -r : r;
  }
  if (x < 0.0f && !qcc_f32_is_int(y)) return qcc_nanf();
  t = qcc_logf(ax);
  t = y * t;
  r = qcc_expf(t);
  return x < 0.0f && qcc_f32_is_odd_int(y) ? -r : r;
}

QCC_EW_BINARY(qcc_pow_f32, float, float, qcc_powf)

/* Round half to even with the 2^23 trick; the sign of a zero result follows x; NaN canonical. */
static inline float qcc_roundf(float x) {
  float a = x < 0.0f ? -x : x, r;
  if (x != x) return qcc_nanf();
  if (!(a < 8388608.0f)) return x;
  if (x >= 0.0f) {
    r = x + 8388608.0f;
    r = r - 8388608.0f;
  } else {
    r = x - 8388608.0f;
    r = r + 8388608.0f;
  }
  if (r == 0.0f) return (qcc_f32_bits(x) >> 31) ? -0.0f : 0.0f;
  return r;
}

QCC_EW_UNARY(qcc_round_f32, float, qcc_roundf)

/* y[(o*c + ch)*inner + i] = x * a[ch] + b[ch] */
static inline void qcc_batch_norm_f32(const float *x, float *y, size_t outer, size_t c, size_t inner, const float *a, const float *b) {
  size_t o, ch, i;
  for (o = 0; o < outer; o++) {
    for (ch = 0; ch < c; ch++) {
      const float ac = a[ch], bc = b[ch];
      for (i = 0; i < inner; i++) {
        float t = *x++ * ac;
        *y++ = t + bc;
      }
    }
  }
}

static inline void qcc_reduce_mean_f32(const float *x, float *y, const qcc_reduce *p) {
  size_t oi[QCC_BCAST_MAX_RANK] = {0}, ooff = 0;
  const float count = (float)p->rcount;
  do {
    size_t ri[QCC_BCAST_MAX_RANK] = {0}, roff = 0;
    float acc = 0.0f;
    if (p->rcount)
      do {
        acc = acc + x[ooff + roff];
      } while (qcc_walk_next(p->rrank, p->rshape, p->rstride, ri, &roff));
    *y++ = qcc_canonf(acc / count);
  } while (qcc_walk_next(p->orank, p->oshape, p->ostride, oi, &ooff));
}

#define QCC_FX_REDUCE_MIN(SFX, T, HIGHEST, NANCHECK, NANV)                                     \
  static inline void qcc_reduce_min_##SFX(const T *x, T *y, const qcc_reduce *p) {              \
    size_t oi[QCC_BCAST_MAX_RANK] = {0}, ooff = 0;                                              \
    do {                                                                                        \
      size_t ri[QCC_BCAST_MAX_RANK] = {0}, roff = 0;                                            \
      T acc = p->rcount ? x[ooff] : (HIGHEST);                                                  \
      if (p->rcount)                                                                            \
        do {                                                                                    \
          const T v = x[ooff + roff];                                                           \
          acc = NANCHECK(v, acc) ? (NANV) : (v < acc ? v : acc);                                \
        } while (qcc_walk_next(p->rrank, p->rshape, p->rstride, ri, &roff));                    \
      *y++ = acc;                                                                               \
    } while (qcc_walk_next(p->orank, p->oshape, p->ostride, oi, &ooff));                        \
  }

QCC_FX_REDUCE_MIN(f32, float, qcc_f32_from_bits(0x7f800000u), QCC_NANCHECK_F, qcc_nanf())
QCC_FX_REDUCE_MIN(f64, double, (double)qcc_f32_from_bits(0x7f800000u), QCC_NANCHECK_F, qcc_nan())
QCC_FX_REDUCE_MIN(i8, int8_t, INT8_MAX, QCC_NANCHECK_I, 0)
QCC_FX_REDUCE_MIN(u8, uint8_t, UINT8_MAX, QCC_NANCHECK_I, 0)
QCC_FX_REDUCE_MIN(i16, int16_t, INT16_MAX, QCC_NANCHECK_I, 0)
QCC_FX_REDUCE_MIN(u16, uint16_t, UINT16_MAX, QCC_NANCHECK_I, 0)
QCC_FX_REDUCE_MIN(i32, int32_t, INT32_MAX, QCC_NANCHECK_I, 0)
QCC_FX_REDUCE_MIN(u32, uint32_t, UINT32_MAX, QCC_NANCHECK_I, 0)

#endif
