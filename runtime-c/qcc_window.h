/*
 * qcc runtime: window geometry shared by the float conv and pooling kernels. Every window is normalised
 * to three spatial axes (D, H, W); 1-D and 2-D ops get leading axes of size 1 (kernel 1, stride 1,
 * dilation 1, pad 0), which keeps their row-major tap order. The compiler computes the same ranges
 * (compiler/ops/nn-window.ts: tapRange, paddedTapCount) for the reference interpreter.
 * Header-only, C99, no allocation, no globals.
 */
#ifndef QCC_WINDOW_H
#define QCC_WINDOW_H

#include <stdint.h>
#include <string.h>

/*
 * Taps t in [*t0, *t1) of one window axis whose input index o*stride - pad + t*dil lies in [0, len).
 * Divisions only see non-negative operands, so they agree with the compiler's Math.floor.
 */
static inline void qcc_window_range(int32_t o, int32_t stride, int32_t pad, int32_t dil, int32_t k, int32_t len,
                                    int32_t *t0, int32_t *t1) {
  const int32_t base = o * stride - pad;
  const int32_t lim = len - base;
  int32_t a = 0, b;
  if (base < 0) a = (-base + dil - 1) / dil;
  b = lim <= 0 ? 0 : (lim + dil - 1) / dil;
  if (b > k) b = k;
  if (a > b) a = b;
  *t0 = a;
  *t1 = b;
}

/*
 * Output positions o in [*o0, *o1) (clipped to [0, out)) whose tap t reads an input index
 * o*stride - pad + t*dil inside [0, len). The loop-interchanged form of qcc_window_range.
 */
static inline void qcc_window_out_range(int32_t t, int32_t stride, int32_t pad, int32_t dil, int32_t len, int32_t out,
                                        int32_t *o0, int32_t *o1) {
  const int32_t lo = pad - t * dil;       /* need o * stride >= lo */
  const int32_t hi = len + pad - t * dil; /* need o * stride < hi */
  int32_t a = lo <= 0 ? 0 : (lo + stride - 1) / stride;
  int32_t b = hi <= 0 ? 0 : (hi + stride - 1) / stride;
  if (b > out) b = out;
  if (a > b) a = b;
  *o0 = a;
  *o1 = b;
}

/* Taps of one window axis inside the padded extent [-pad_begin, len + pad_end) (count_include_pad). */
static inline int32_t qcc_window_padded_taps(int32_t o, int32_t stride, int32_t pad_begin, int32_t pad_end, int32_t dil,
                                             int32_t k, int32_t len) {
  const int32_t lim = pad_begin + len + pad_end - o * stride;
  int32_t c = lim <= 0 ? 0 : (lim + dil - 1) / dil;
  return c > k ? k : c;
}

/* A float from its IEEE-754 bits (-inf and the canonical NaN without <math.h>). */
static inline float qcc_window_f32_from_bits(uint32_t u) {
  float f;
  memcpy(&f, &u, sizeof f);
  return f;
}

#endif /* QCC_WINDOW_H */
