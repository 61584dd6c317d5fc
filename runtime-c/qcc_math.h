/*
 * qcc deterministic float32 math: exp, tanh, sigmoid, and half-precision conversions.
 *
 * Twin of compiler/numerics/math.ts (and numerics/f16.ts): each `float` statement below is one
 * Math.fround step there, in the same order with the same constants, so results are identical bit for
 * bit. Only + - * / and comparisons are used (no libm); build with -ffp-contract=off, though no
 * statement below contains a product that could be fused (every product is stored first).
 * Requires FLT_EVAL_METHOD == 0 (SSE2, ARM, RISC-V; not x87).
 */
#ifndef QCC_MATH_H
#define QCC_MATH_H

#include <stdint.h>
#include <string.h>

static inline float qcc_f32_from_bits(uint32_t b) {
  float f;
  memcpy(&f, &b, sizeof f);
  return f;
}

static inline uint32_t qcc_f32_bits(float f) {
  uint32_t b;
  memcpy(&b, &f, sizeof b);
  return b;
}

/* The canonical quiet NaN that every transcendental returns for a NaN input. */
static inline float qcc_nanf(void) { return qcc_f32_from_bits(0x7fc00000u); }

/* The canonical quiet NaN of double. */
static inline double qcc_nan(void) {
  uint64_t b = 0x7ff8000000000000ull;
  double d;
  memcpy(&d, &b, sizeof d);
  return d;
}

/* NaN results of float kernels are made canonical so that they do not depend on the hardware's NaN
 * propagation rules (x86 and ARM differ on which payload survives and on the sign of a new NaN). */
static inline float qcc_canonf(float r) { return r != r ? qcc_nanf() : r; }
static inline double qcc_canon(double r) { return r != r ? qcc_nan() : r; }

/* 2^n for -126 <= n <= 127, from exponent bits (exact). */
static inline float qcc_pow2f(int n) { return qcc_f32_from_bits((uint32_t)(n + 127) << 23); }

static inline float qcc_expf(float x) {
  float t, hi, kf, r, z, p, q, e;
  int k;
  if (x != x) return qcc_nanf();
  if (x > 89.0f) return qcc_f32_from_bits(0x7f800000u);
  if (x < -104.0f) return 0.0f;
  t = x * 0x1.715476p+0f;
  k = (int)(t < 0.0f ? t - 0.5f : t + 0.5f);
  kf = (float)k;
  hi = kf * 0x1.630000p-1f;
  hi = x - hi;
  r = kf * -0x1.bd0106p-13f;
  r = hi - r;
  z = r * r;
  p = 0x1.a0d2cep-13f;
  p = p * r; p = p + 0x1.6e879cp-10f;
  p = p * r; p = p + 0x1.111210p-7f;
  p = p * r; p = p + 0x1.555382p-5f;
  p = p * r; p = p + 0x1.555554p-3f;
  p = p * r; p = p + 0x1.000000p-1f;
  q = p * z;
  q = q + r;
  e = q + 1.0f;
  if (k > 127) {
    e = e * qcc_pow2f(k - 1);
    return e * 2.0f;
  }
  if (k < -126) {
    e = e * qcc_pow2f(k + 64);
    return e * qcc_pow2f(-64);
  }
  return e * qcc_pow2f(k);
}

static inline float qcc_tanhf(float x) {
  float a, y, z, p, c, e, d, f;
  int neg;
  if (x != x) return qcc_nanf();
  neg = x < 0.0f;
  a = neg ? -x : x;
  if (a < 0x1p-12f) {
    return x;
  } else if (a < 0.625f) {
    z = a * a;
    p = -0x1.75e1d4p-8f;
    p = p * z; p = p + 0x1.52269cp-6f;
    p = p * z; p = p + -0x1.b83c5ap-5f;
    p = p * z; p = p + 0x1.110726p-3f;
    p = p * z; p = p + -0x1.555532p-2f;
    c = p * z;
    c = c * a;
    y = c + a;
  } else if (a < 9.125f) {
    e = a + a;
    e = qcc_expf(e);
    d = e + 1.0f;
    f = 2.0f / d;
    y = 1.0f - f;
  } else {
    y = 1.0f;
  }
  return neg ? -y : y;
}

static inline float qcc_sigmoidf(float x) {
  float e, d;
  if (x != x) return qcc_nanf();
  if (x >= 0.0f) {
    e = qcc_expf(-x);
    d = 1.0f + e;
    return 1.0f / d;
  }
  e = qcc_expf(x);
  d = 1.0f + e;
  return e / d;
}

/* ---- IEEE half precision (raw bits in uint16_t), twin of compiler/numerics/f16.ts ---- */

static inline float qcc_f16_to_f32(uint16_t h) {
  uint32_t sign = (uint32_t)(h & 0x8000u) << 16;
  uint32_t exp = (h >> 10) & 0x1fu;
  uint32_t mant = h & 0x3ffu;
  if (exp == 0) {
    /* zero or subnormal: mant * 2^-24, exact in float */
    float v = (float)mant * 0x1p-24f;
    return sign ? -v : v;
  }
  /* NaNs come out quiet (payload kept): a signalling NaN could not survive the interpreter's numbers. */
  if (exp == 31) return qcc_f32_from_bits(sign | 0x7f800000u | (mant << 13) | (mant ? 0x400000u : 0u));
  return qcc_f32_from_bits(sign | ((exp - 15 + 127) << 23) | (mant << 13));
}

/* float32 -> half, round to nearest even, overflow to inf, NaN to a quiet NaN keeping the sign. */
static inline uint16_t qcc_f32_to_f16(float x) {
  uint32_t b = qcc_f32_bits(x);
  uint32_t sign = (b >> 16) & 0x8000u;
  int exp = (int)((b >> 23) & 0xffu);
  uint32_t mant = b & 0x7fffffu;
  int e;
  uint32_t m, rest;
  if (exp == 0xff) return (uint16_t)(sign | 0x7c00u | (mant ? 0x200u : 0u));
  e = exp - 127 + 15;
  if (e >= 31) return (uint16_t)(sign | 0x7c00u);
  if (e <= 0) {
    int shift;
    uint32_t half;
    if (e < -10) return (uint16_t)sign;
    mant |= 0x800000u;
    shift = 14 - e;
    half = 1u << (shift - 1);
    rest = mant & ((1u << shift) - 1u);
    m = mant >> shift;
    if (rest > half || (rest == half && (m & 1u))) m++;
    return (uint16_t)(sign | m);
  }
  rest = mant & 0x1fffu;
  m = mant >> 13;
  if (rest > 0x1000u || (rest == 0x1000u && (m & 1u))) {
    m++;
    if (m == 0x400u) {
      m = 0;
      e++;
      if (e >= 31) return (uint16_t)(sign | 0x7c00u);
    }
  }
  return (uint16_t)(sign | ((uint32_t)e << 10) | m);
}

#endif /* QCC_MATH_H */
