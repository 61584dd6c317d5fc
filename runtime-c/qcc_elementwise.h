/*
 * qcc elementwise kernels: binary arithmetic / comparison with numpy broadcasting, where, unary
 * activations and math, clip, softmax, cast. Twin of compiler/ops/elementwise-binary.ts,
 * activations.ts, softmax.ts, cast.ts and compiler/numerics/convert.ts (same results, bit for bit).
 *
 * Naming: qcc_<op>_<dtype> works on equal shapes (a plain loop over n elements), qcc_<op>_<dtype>_sa /
 * _sb have a scalar first / second operand, qcc_<op>_<dtype>_bcast takes a qcc_bcast (collapsed
 * output shape and per-operand element strides, 0 on broadcast axes; computed by the compiler).
 *
 * Integer arithmetic is done in the unsigned type of the same width (so it wraps instead of being
 * undefined) and converted back; conversion of an out-of-range value to a signed type is
 * implementation-defined in C99 and is modulo 2^N on every compiler we support. Integer division
 * truncates toward zero, x / 0 is 0, MIN / -1 wraps to MIN.
 */
#ifndef QCC_ELEMENTWISE_H
#define QCC_ELEMENTWISE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "qcc_math.h"

#define QCC_LOAD_SAME(v) (v)

/* ---- broadcasting ---------------------------------------------------------------------------- */

#define QCC_BCAST_MAX_RANK 6

typedef struct {
  int rank; /* >= 1 */
  size_t shape[QCC_BCAST_MAX_RANK];
  /* element strides of operand k along each output axis (0 where it is broadcast) */
  size_t stride[3][QCC_BCAST_MAX_RANK];
} qcc_bcast;

/* Advances the index over all axes but the last, updating the operands' offsets; 0 when done. */
static inline int qcc_bcast_next(const qcc_bcast *p, size_t *idx, size_t *off, int nops) {
  int d, k;
  for (d = p->rank - 2; d >= 0; d--) {
    idx[d]++;
    for (k = 0; k < nops; k++) off[k] += p->stride[k][d];
    if (idx[d] < p->shape[d]) return 1;
    for (k = 0; k < nops; k++) off[k] -= idx[d] * p->stride[k][d];
    idx[d] = 0;
  }
  return 0;
}

#define QCC_EW_BINARY(NAME, TA, TY, FN)                                                         \
  static inline void NAME(const TA *a, const TA *b, TY *y, size_t n) {                          \
    size_t i;                                                                                   \
    for (i = 0; i < n; i++) y[i] = FN(a[i], b[i]);                                              \
  }                                                                                             \
  static inline void NAME##_sa(const TA *a, const TA *b, TY *y, size_t n) {                     \
    const TA s = a[0];                                                                          \
    size_t i;                                                                                   \
    for (i = 0; i < n; i++) y[i] = FN(s, b[i]);                                                 \
  }                                                                                             \
  static inline void NAME##_sb(const TA *a, const TA *b, TY *y, size_t n) {                     \
    const TA s = b[0];                                                                          \
    size_t i;                                                                                   \
    for (i = 0; i < n; i++) y[i] = FN(a[i], s);                                                 \
  }                                                                                             \
  static inline void NAME##_bcast(const TA *a, const TA *b, TY *y, const qcc_bcast *p) {        \
    size_t idx[QCC_BCAST_MAX_RANK] = {0};                                                       \
    size_t off[2] = {0, 0};                                                                     \
    const size_t n = p->shape[p->rank - 1];                                                     \
    const size_t sa = p->stride[0][p->rank - 1], sb = p->stride[1][p->rank - 1];                \
    do {                                                                                        \
      size_t i, ja = off[0], jb = off[1];                                                       \
      for (i = 0; i < n; i++) {                                                                 \
        *y++ = FN(a[ja], b[jb]);                                                                \
        ja += sa;                                                                               \
        jb += sb;                                                                               \
      }                                                                                         \
    } while (qcc_bcast_next(p, idx, off, 2));                                                   \
  }

/* ---- element functions ------------------------------------------------------------------------ */

/* Float results that are NaN become the canonical quiet NaN (CANON), as in the interpreter. */
#define QCC_EW_FLOAT_FNS(SFX, T, CANON)                                                         \
  static inline T qcc_ew_add_##SFX(T a, T b) { return CANON(a + b); }                           \
  static inline T qcc_ew_sub_##SFX(T a, T b) { return CANON(a - b); }                           \
  static inline T qcc_ew_mul_##SFX(T a, T b) { return CANON(a * b); }                           \
  static inline T qcc_ew_div_##SFX(T a, T b) { return CANON(a / b); }                           \
  static inline T qcc_ew_max_##SFX(T a, T b) { return CANON(a != a || b != b ? a + b : (a > b ? a : b)); } \
  static inline T qcc_ew_min_##SFX(T a, T b) { return CANON(a != a || b != b ? a + b : (a < b ? a : b)); }

#define QCC_EW_INT_FNS(SFX, T, UT)                                                              \
  static inline T qcc_ew_add_##SFX(T a, T b) { return (T)((UT)a + (UT)b); }                     \
  static inline T qcc_ew_sub_##SFX(T a, T b) { return (T)((UT)a - (UT)b); }                     \
  static inline T qcc_ew_mul_##SFX(T a, T b) { return (T)((UT)a * (UT)b); }                     \
  static inline T qcc_ew_max_##SFX(T a, T b) { return a > b ? a : b; }                          \
  static inline T qcc_ew_min_##SFX(T a, T b) { return a < b ? a : b; }

#define QCC_EW_SDIV(SFX, T, UT)                                                                 \
  static inline T qcc_ew_div_##SFX(T a, T b) {                                                  \
    if (b == 0) return 0;                                                                       \
    if (b == -1) return (T)((UT)0 - (UT)a);                                                     \
    return (T)(a / b);                                                                          \
  }
#define QCC_EW_UDIV(SFX, T)                                                                     \
  static inline T qcc_ew_div_##SFX(T a, T b) { return b == 0 ? (T)0 : (T)(a / b); }

#define QCC_EW_CMP_FNS(SFX, T)                                                                  \
  static inline uint8_t qcc_ew_less_##SFX(T a, T b) { return (uint8_t)(a < b); }                \
  static inline uint8_t qcc_ew_less_or_equal_##SFX(T a, T b) { return (uint8_t)(a <= b); }      \
  static inline uint8_t qcc_ew_greater_##SFX(T a, T b) { return (uint8_t)(a > b); }            \
  static inline uint8_t qcc_ew_greater_or_equal_##SFX(T a, T b) { return (uint8_t)(a >= b); }   \
  static inline uint8_t qcc_ew_equal_##SFX(T a, T b) { return (uint8_t)(a == b); }

#define QCC_EW_ARITH_KERNELS(SFX, T)                                                            \
  QCC_EW_BINARY(qcc_add_##SFX, T, T, qcc_ew_add_##SFX)                                         \
  QCC_EW_BINARY(qcc_sub_##SFX, T, T, qcc_ew_sub_##SFX)                                         \
  QCC_EW_BINARY(qcc_mul_##SFX, T, T, qcc_ew_mul_##SFX)                                         \
  QCC_EW_BINARY(qcc_div_##SFX, T, T, qcc_ew_div_##SFX)                                         \
  QCC_EW_BINARY(qcc_max_##SFX, T, T, qcc_ew_max_##SFX)                                         \
  QCC_EW_BINARY(qcc_min_##SFX, T, T, qcc_ew_min_##SFX)

#define QCC_EW_CMP_KERNELS(SFX, T)                                                              \
  QCC_EW_CMP_FNS(SFX, T)                                                                        \
  QCC_EW_BINARY(qcc_less_##SFX, T, uint8_t, qcc_ew_less_##SFX)                                 \
  QCC_EW_BINARY(qcc_less_or_equal_##SFX, T, uint8_t, qcc_ew_less_or_equal_##SFX)               \
  QCC_EW_BINARY(qcc_greater_##SFX, T, uint8_t, qcc_ew_greater_##SFX)                           \
  QCC_EW_BINARY(qcc_greater_or_equal_##SFX, T, uint8_t, qcc_ew_greater_or_equal_##SFX)         \
  QCC_EW_BINARY(qcc_equal_##SFX, T, uint8_t, qcc_ew_equal_##SFX)

QCC_EW_FLOAT_FNS(f32, float, qcc_canonf)
QCC_EW_FLOAT_FNS(f64, double, qcc_canon)
QCC_EW_INT_FNS(i8, int8_t, uint32_t)
QCC_EW_INT_FNS(u8, uint8_t, uint32_t)
QCC_EW_INT_FNS(i16, int16_t, uint32_t)
QCC_EW_INT_FNS(u16, uint16_t, uint32_t)
QCC_EW_INT_FNS(i32, int32_t, uint32_t)
QCC_EW_INT_FNS(u32, uint32_t, uint32_t)
QCC_EW_INT_FNS(i64, int64_t, uint64_t)
QCC_EW_INT_FNS(u64, uint64_t, uint64_t)
QCC_EW_SDIV(i8, int8_t, uint32_t)
QCC_EW_SDIV(i16, int16_t, uint32_t)
QCC_EW_SDIV(i32, int32_t, uint32_t)
QCC_EW_SDIV(i64, int64_t, uint64_t)
QCC_EW_UDIV(u8, uint8_t)
QCC_EW_UDIV(u16, uint16_t)
QCC_EW_UDIV(u32, uint32_t)
QCC_EW_UDIV(u64, uint64_t)

QCC_EW_ARITH_KERNELS(f32, float)
QCC_EW_ARITH_KERNELS(f64, double)
QCC_EW_ARITH_KERNELS(i8, int8_t)
QCC_EW_ARITH_KERNELS(u8, uint8_t)
QCC_EW_ARITH_KERNELS(i16, int16_t)
QCC_EW_ARITH_KERNELS(u16, uint16_t)
QCC_EW_ARITH_KERNELS(i32, int32_t)
QCC_EW_ARITH_KERNELS(u32, uint32_t)
QCC_EW_ARITH_KERNELS(i64, int64_t)
QCC_EW_ARITH_KERNELS(u64, uint64_t)

QCC_EW_CMP_KERNELS(f32, float)
QCC_EW_CMP_KERNELS(f64, double)
QCC_EW_CMP_KERNELS(i8, int8_t)
QCC_EW_CMP_KERNELS(u8, uint8_t)
QCC_EW_CMP_KERNELS(i16, int16_t)
QCC_EW_CMP_KERNELS(u16, uint16_t)
QCC_EW_CMP_KERNELS(i32, int32_t)
QCC_EW_CMP_KERNELS(u32, uint32_t)
QCC_EW_CMP_KERNELS(i64, int64_t)
QCC_EW_CMP_KERNELS(u64, uint64_t)
QCC_EW_CMP_KERNELS(bool, uint8_t)

/* ---- where: element copies (moves keep NaN bits on every FLT_EVAL_METHOD 0 target) ----------- */

#define QCC_EW_WHERE(SFX, T)                                                                   \
  static inline void qcc_where_##SFX(const uint8_t *c, const T *a, const T *b, T *y, size_t n) { \
    size_t i;                                                                                   \
    for (i = 0; i < n; i++) y[i] = c[i] ? a[i] : b[i];                                          \
  }                                                                                             \
  static inline void qcc_where_##SFX##_bcast(const uint8_t *c, const T *a, const T *b, T *y,   \
                                              const qcc_bcast *p) {                             \
    size_t idx[QCC_BCAST_MAX_RANK] = {0};                                                       \
    size_t off[3] = {0, 0, 0};                                                                  \
    const size_t n = p->shape[p->rank - 1];                                                     \
    const size_t sc = p->stride[0][p->rank - 1], sa = p->stride[1][p->rank - 1],                \
                 sb = p->stride[2][p->rank - 1];                                                \
    do {                                                                                        \
      size_t i, jc = off[0], ja = off[1], jb = off[2];                                          \
      for (i = 0; i < n; i++) {                                                                 \
        *y++ = c[jc] ? a[ja] : b[jb];                                                           \
        jc += sc;                                                                               \
        ja += sa;                                                                               \
        jb += sb;                                                                               \
      }                                                                                         \
    } while (qcc_bcast_next(p, idx, off, 3));                                                   \
  }

QCC_EW_WHERE(f32, float)
QCC_EW_WHERE(f64, double)
QCC_EW_WHERE(f16, uint16_t)
QCC_EW_WHERE(i8, int8_t)
QCC_EW_WHERE(u8, uint8_t)
QCC_EW_WHERE(i16, int16_t)
QCC_EW_WHERE(u16, uint16_t)
QCC_EW_WHERE(i32, int32_t)
QCC_EW_WHERE(u32, uint32_t)
QCC_EW_WHERE(i64, int64_t)
QCC_EW_WHERE(u64, uint64_t)
QCC_EW_WHERE(bool, uint8_t)

/* ---- unary ------------------------------------------------------------------------------------ */

#define QCC_EW_UNARY(NAME, T, FN)                                                               \
  static inline void NAME(const T *x, T *y, size_t n) {                                         \
    size_t i;                                                                                   \
    for (i = 0; i < n; i++) y[i] = FN(x[i]);                                                    \
  }

/* Correctly rounded float32 square root by integer arithmetic (no libm); canonical NaN for x < 0. */
static inline float qcc_sqrtf(float x) {
  uint32_t b = qcc_f32_bits(x);
  int exp = (int)((b >> 23) & 0xffu), e, s;
  uint64_t m, M, r, bit;
  uint32_t q, out;
  if (x != x || x < 0.0f) return qcc_nanf();
  if (x == 0.0f || exp == 0xff) return x; /* +-0 and +inf */
  if (exp == 0) {
    m = b & 0x7fffffu;
    e = -149;
    while (m < 0x800000u) {
      m <<= 1;
      e--;
    }
  } else {
    m = (b & 0x7fffffu) | 0x800000u;
    e = exp - 150;
  }
  /* x = m * 2^e, m in [2^23, 2^24). M = m << s with e - s even, M in [2^48, 2^50). */
  s = (e & 1) ? 25 : 26;
  M = m << s;
  e -= s;
  r = 0;
  bit = (uint64_t)1 << 50;
  while (bit > M) bit >>= 2;
  while (bit) {
    if (M >= r + bit) {
      M -= r + bit;
      r = (r >> 1) + bit;
    } else {
      r >>= 1;
    }
    bit >>= 2;
  }
  /* r in [2^24, 2^25): 24 result bits and a round bit; M != 0 is the sticky bit. */
  q = (uint32_t)(r >> 1);
  if ((r & 1u) && (M != 0 || (q & 1u))) q++;
  e = e / 2 + 1; /* value = q * 2^e */
  if (q == 0x1000000u) {
    q >>= 1;
    e++;
  }
  out = ((uint32_t)(e + 23 + 127) << 23) | (q & 0x7fffffu);
  return qcc_f32_from_bits(out);
}

static inline float qcc_ew_relu_f32(float x) { return qcc_canonf(x < 0.0f ? 0.0f : x); }
static inline double qcc_ew_relu_f64(double x) { return qcc_canon(x < 0.0 ? 0.0 : x); }
static inline float qcc_ew_reciprocal_f32(float x) { return qcc_canonf(1.0f / x); }
static inline double qcc_ew_reciprocal_f64(double x) { return qcc_canon(1.0 / x); }

/* neg and abs of floats are sign-bit operations on the raw bits (NaN payloads move unchanged). */
#define QCC_EW_SIGNBIT(NAME, T, UT, OP)                                                         \
  static inline void NAME(const T *x, T *y, size_t n) {                                         \
    size_t i;                                                                                   \
    for (i = 0; i < n; i++) {                                                                   \
      UT b;                                                                                     \
      memcpy(&b, &x[i], sizeof b);                                                              \
      b = OP;                                                                                   \
      memcpy(&y[i], &b, sizeof b);                                                              \
    }                                                                                           \
  }
QCC_EW_SIGNBIT(qcc_neg_f32, float, uint32_t, b ^ 0x80000000u)
QCC_EW_SIGNBIT(qcc_abs_f32, float, uint32_t, b & 0x7fffffffu)
QCC_EW_SIGNBIT(qcc_neg_f64, double, uint64_t, b ^ 0x8000000000000000ull)
QCC_EW_SIGNBIT(qcc_abs_f64, double, uint64_t, b & 0x7fffffffffffffffull)

#define QCC_EW_SIGNED_UNARY_FNS(SFX, T, UT)                                                     \
  static inline T qcc_ew_relu_##SFX(T x) { return x < 0 ? (T)0 : x; }                           \
  static inline T qcc_ew_neg_##SFX(T x) { return (T)((UT)0 - (UT)x); }                          \
  static inline T qcc_ew_abs_##SFX(T x) { return x < 0 ? (T)((UT)0 - (UT)x) : x; }              \
  QCC_EW_UNARY(qcc_relu_##SFX, T, qcc_ew_relu_##SFX)                                            \
  QCC_EW_UNARY(qcc_neg_##SFX, T, qcc_ew_neg_##SFX)                                              \
  QCC_EW_UNARY(qcc_abs_##SFX, T, qcc_ew_abs_##SFX)

QCC_EW_SIGNED_UNARY_FNS(i8, int8_t, uint32_t)
QCC_EW_SIGNED_UNARY_FNS(i16, int16_t, uint32_t)
QCC_EW_SIGNED_UNARY_FNS(i32, int32_t, uint32_t)
QCC_EW_SIGNED_UNARY_FNS(i64, int64_t, uint64_t)

QCC_EW_UNARY(qcc_relu_f32, float, qcc_ew_relu_f32)
QCC_EW_UNARY(qcc_relu_f64, double, qcc_ew_relu_f64)
QCC_EW_UNARY(qcc_reciprocal_f32, float, qcc_ew_reciprocal_f32)
QCC_EW_UNARY(qcc_reciprocal_f64, double, qcc_ew_reciprocal_f64)
QCC_EW_UNARY(qcc_sqrt_f32, float, qcc_sqrtf)
QCC_EW_UNARY(qcc_exp_f32, float, qcc_expf)
QCC_EW_UNARY(qcc_tanh_f32, float, qcc_tanhf)
QCC_EW_UNARY(qcc_sigmoid_f32, float, qcc_sigmoidf)

/* abs of unsigned types is the identity (a copy). */
#define QCC_EW_UABS(SFX, T)                                                                     \
  static inline void qcc_abs_##SFX(const T *x, T *y, size_t n) {                                \
    size_t i;                                                                                   \
    for (i = 0; i < n; i++) y[i] = x[i];                                                        \
  }
QCC_EW_UABS(u8, uint8_t)
QCC_EW_UABS(u16, uint16_t)
QCC_EW_UABS(u32, uint32_t)
QCC_EW_UABS(u64, uint64_t)

static inline void qcc_leaky_relu_f32(const float *x, float *y, size_t n, float alpha) {
  size_t i;
  for (i = 0; i < n; i++) {
    const float v = x[i];
    const float p = alpha * v;
    y[i] = v < 0.0f ? p : qcc_canonf(v);
  }
}

static inline void qcc_leaky_relu_f64(const double *x, double *y, size_t n, double alpha) {
  size_t i;
  for (i = 0; i < n; i++) {
    const double v = x[i];
    const double p = alpha * v;
    y[i] = v < 0.0 ? p : qcc_canon(v);
  }
}

/* clip: min(max(x, lo), hi), so lo > hi gives hi; a NaN x gives the canonical NaN. */
#define QCC_EW_CLIP(SFX, T, CANON)                                                              \
  static inline void qcc_clip_##SFX(const T *x, T *y, size_t n, T lo, T hi) {                   \
    size_t i;                                                                                   \
    for (i = 0; i < n; i++) {                                                                   \
      T v = x[i];                                                                               \
      v = v < lo ? lo : v;                                                                      \
      y[i] = CANON(v > hi ? hi : v);                                                            \
    }                                                                                           \
  }
QCC_EW_CLIP(f32, float, qcc_canonf)
QCC_EW_CLIP(f64, double, qcc_canon)
QCC_EW_CLIP(i8, int8_t, QCC_LOAD_SAME)
QCC_EW_CLIP(u8, uint8_t, QCC_LOAD_SAME)
QCC_EW_CLIP(i16, int16_t, QCC_LOAD_SAME)
QCC_EW_CLIP(u16, uint16_t, QCC_LOAD_SAME)
QCC_EW_CLIP(i32, int32_t, QCC_LOAD_SAME)
QCC_EW_CLIP(u32, uint32_t, QCC_LOAD_SAME)
QCC_EW_CLIP(i64, int64_t, QCC_LOAD_SAME)
QCC_EW_CLIP(u64, uint64_t, QCC_LOAD_SAME)

/* ---- softmax ---------------------------------------------------------------------------------- */

/*
 * outer * inner rows of n elements, `inner` apart. Per row: max (sequential, v > m), e_j = exp(x_j - m)
 * stored in y, sum of e_j in order, y_j = e_j / sum.
 */
static inline void qcc_softmax_f32(const float *x, float *y, size_t outer, size_t n, size_t inner) {
  size_t o, i, j;
  if (n == 0) return;
  for (o = 0; o < outer; o++) {
    for (i = 0; i < inner; i++) {
      const size_t base = o * n * inner + i;
      float m = x[base], sum = 0.0f;
      for (j = 1; j < n; j++) {
        const float v = x[base + j * inner];
        if (v > m) m = v;
      }
      for (j = 0; j < n; j++) {
        const float d = x[base + j * inner] - m;
        const float e = qcc_expf(d);
        y[base + j * inner] = e;
        sum = sum + e;
      }
      for (j = 0; j < n; j++) y[base + j * inner] = y[base + j * inner] / sum;
    }
  }
}

/* ---- reduce_sum / reduce_max ------------------------------------------------------------------ */

/* Kept axes (outer walk) and reduced axes (inner walk), each with input strides; rcount = reduced size. */
typedef struct {
  int orank;
  size_t oshape[QCC_BCAST_MAX_RANK];
  size_t ostride[QCC_BCAST_MAX_RANK];
  int rrank;
  size_t rshape[QCC_BCAST_MAX_RANK];
  size_t rstride[QCC_BCAST_MAX_RANK];
  size_t rcount;
} qcc_reduce;

/* Row-major odometer step over all axes; 0 when the walk is complete. */
static inline int qcc_walk_next(int rank, const size_t *shape, const size_t *stride, size_t *idx, size_t *off) {
  int d;
  for (d = rank - 1; d >= 0; d--) {
    idx[d]++;
    *off += stride[d];
    if (idx[d] < shape[d]) return 1;
    *off -= idx[d] * stride[d];
    idx[d] = 0;
  }
  return 0;
}

#define QCC_EW_REDUCE_SUM(SFX, T, ACC, CANON)                                                   \
  static inline void qcc_reduce_sum_##SFX(const T *x, T *y, const qcc_reduce *p) {              \
    size_t oi[QCC_BCAST_MAX_RANK] = {0}, ooff = 0;                                              \
    do {                                                                                        \
      size_t ri[QCC_BCAST_MAX_RANK] = {0}, roff = 0;                                            \
      ACC acc = 0;                                                                              \
      if (p->rcount)                                                                            \
        do {                                                                                    \
          acc = acc + (ACC)x[ooff + roff];                                                      \
        } while (qcc_walk_next(p->rrank, p->rshape, p->rstride, ri, &roff));                    \
      *y++ = CANON((T)acc);                                                                     \
    } while (qcc_walk_next(p->orank, p->oshape, p->ostride, oi, &ooff));                        \
  }

/* NANCHECK(v, acc) is true when the result must be NaN (floats), 0 for integers. */
#define QCC_EW_REDUCE_MAX(SFX, T, LOWEST, NANCHECK, NANV)                                       \
  static inline void qcc_reduce_max_##SFX(const T *x, T *y, const qcc_reduce *p) {              \
    size_t oi[QCC_BCAST_MAX_RANK] = {0}, ooff = 0;                                              \
    do {                                                                                        \
      size_t ri[QCC_BCAST_MAX_RANK] = {0}, roff = 0;                                            \
      T acc = p->rcount ? x[ooff] : (LOWEST);                                                   \
      if (p->rcount)                                                                            \
        do {                                                                                    \
          const T v = x[ooff + roff];                                                           \
          acc = NANCHECK(v, acc) ? (NANV) : (v > acc ? v : acc);                                \
        } while (qcc_walk_next(p->rrank, p->rshape, p->rstride, ri, &roff));                    \
      *y++ = acc;                                                                               \
    } while (qcc_walk_next(p->orank, p->oshape, p->ostride, oi, &ooff));                        \
  }

#define QCC_NANCHECK_F(v, acc) ((v) != (v) || (acc) != (acc))
#define QCC_NANCHECK_I(v, acc) 0

QCC_EW_REDUCE_SUM(f32, float, float, qcc_canonf)
QCC_EW_REDUCE_SUM(f64, double, double, qcc_canon)
QCC_EW_REDUCE_SUM(i8, int8_t, uint32_t, QCC_LOAD_SAME)
QCC_EW_REDUCE_SUM(u8, uint8_t, uint32_t, QCC_LOAD_SAME)
QCC_EW_REDUCE_SUM(i16, int16_t, uint32_t, QCC_LOAD_SAME)
QCC_EW_REDUCE_SUM(u16, uint16_t, uint32_t, QCC_LOAD_SAME)
QCC_EW_REDUCE_SUM(i32, int32_t, uint32_t, QCC_LOAD_SAME)
QCC_EW_REDUCE_SUM(u32, uint32_t, uint32_t, QCC_LOAD_SAME)
QCC_EW_REDUCE_SUM(i64, int64_t, uint64_t, QCC_LOAD_SAME)
QCC_EW_REDUCE_SUM(u64, uint64_t, uint64_t, QCC_LOAD_SAME)
QCC_EW_REDUCE_MAX(f32, float, -qcc_f32_from_bits(0x7f800000u), QCC_NANCHECK_F, qcc_nanf())
QCC_EW_REDUCE_MAX(f64, double, -(double)qcc_f32_from_bits(0x7f800000u), QCC_NANCHECK_F, qcc_nan())
QCC_EW_REDUCE_MAX(i8, int8_t, INT8_MIN, QCC_NANCHECK_I, 0)
QCC_EW_REDUCE_MAX(u8, uint8_t, 0, QCC_NANCHECK_I, 0)
QCC_EW_REDUCE_MAX(i16, int16_t, INT16_MIN, QCC_NANCHECK_I, 0)
QCC_EW_REDUCE_MAX(u16, uint16_t, 0, QCC_NANCHECK_I, 0)
QCC_EW_REDUCE_MAX(i32, int32_t, INT32_MIN, QCC_NANCHECK_I, 0)
QCC_EW_REDUCE_MAX(u32, uint32_t, 0, QCC_NANCHECK_I, 0)
QCC_EW_REDUCE_MAX(i64, int64_t, INT64_MIN, QCC_NANCHECK_I, 0)
QCC_EW_REDUCE_MAX(u64, uint64_t, 0, QCC_NANCHECK_I, 0)

/* ---- cast ------------------------------------------------------------------------------------- */

/* float -> integer: truncate, NaN -> 0, saturate (to int32 / uint32 for the narrow types, then wrap). */
static inline int32_t qcc_sat_i32(double x) {
  if (x != x) return 0;
  if (x >= 2147483647.0) return INT32_MAX;
  if (x <= -2147483648.0) return INT32_MIN;
  return (int32_t)x;
}
static inline uint32_t qcc_sat_u32(double x) {
  if (!(x > 0.0)) return 0;
  if (x >= 4294967295.0) return UINT32_MAX;
  return (uint32_t)x;
}
static inline int64_t qcc_sat_i64(double x) {
  if (x != x) return 0;
  if (x >= 9223372036854775808.0) return INT64_MAX;
  if (x <= -9223372036854775808.0) return INT64_MIN;
  return (int64_t)x;
}
static inline uint64_t qcc_sat_u64(double x) {
  if (!(x > 0.0)) return 0;
  if (x >= 18446744073709551616.0) return UINT64_MAX;
  return (uint64_t)x;
}

/* From a float value (float or double). */
#define QCC_FCVT_f32(v) ((float)(v))
#define QCC_FCVT_f64(v) ((double)(v))
#define QCC_FCVT_f16(v) qcc_f32_to_f16((float)(v))
#define QCC_FCVT_i8(v) ((int8_t)qcc_sat_i32((double)(v)))
#define QCC_FCVT_u8(v) ((uint8_t)qcc_sat_u32((double)(v)))
#define QCC_FCVT_i16(v) ((int16_t)qcc_sat_i32((double)(v)))
#define QCC_FCVT_u16(v) ((uint16_t)qcc_sat_u32((double)(v)))
#define QCC_FCVT_i32(v) qcc_sat_i32((double)(v))
#define QCC_FCVT_u32(v) qcc_sat_u32((double)(v))
#define QCC_FCVT_i64(v) qcc_sat_i64((double)(v))
#define QCC_FCVT_u64(v) qcc_sat_u64((double)(v))
#define QCC_FCVT_bool(v) ((uint8_t)((v) != 0))
/* From an integer or bool value (one rounding to float types; modulo wrapping between integers). */
#define QCC_ICVT_f32(v) ((float)(v))
#define QCC_ICVT_f64(v) ((double)(v))
#define QCC_ICVT_f16(v) qcc_f32_to_f16((float)(v))
#define QCC_ICVT_i8(v) ((int8_t)(v))
#define QCC_ICVT_u8(v) ((uint8_t)(v))
#define QCC_ICVT_i16(v) ((int16_t)(v))
#define QCC_ICVT_u16(v) ((uint16_t)(v))
#define QCC_ICVT_i32(v) ((int32_t)(v))
#define QCC_ICVT_u32(v) ((uint32_t)(v))
#define QCC_ICVT_i64(v) ((int64_t)(v))
#define QCC_ICVT_u64(v) ((uint64_t)(v))
#define QCC_ICVT_bool(v) ((uint8_t)((v) != 0))

#define QCC_CAST_FN(FROM, TF, TO, TT, CVT, LOAD)                                                \
  static inline void qcc_cast_##FROM##_##TO(const TF *x, TT *y, size_t n) {                     \
    size_t i;                                                                                   \
    for (i = 0; i < n; i++) y[i] = CVT##_##TO(LOAD(x[i]));                                      \
  }
#define QCC_CAST_FROM(FROM, TF, CVT, LOAD)                                                      \
  QCC_CAST_FN(FROM, TF, f32, float, CVT, LOAD)                                                  \
  QCC_CAST_FN(FROM, TF, f64, double, CVT, LOAD)                                                 \
  QCC_CAST_FN(FROM, TF, f16, uint16_t, CVT, LOAD)                                               \
  QCC_CAST_FN(FROM, TF, i8, int8_t, CVT, LOAD)                                                  \
  QCC_CAST_FN(FROM, TF, u8, uint8_t, CVT, LOAD)                                                 \
  QCC_CAST_FN(FROM, TF, i16, int16_t, CVT, LOAD)                                                \
  QCC_CAST_FN(FROM, TF, u16, uint16_t, CVT, LOAD)                                               \
  QCC_CAST_FN(FROM, TF, i32, int32_t, CVT, LOAD)                                                \
  QCC_CAST_FN(FROM, TF, u32, uint32_t, CVT, LOAD)                                               \
  QCC_CAST_FN(FROM, TF, i64, int64_t, CVT, LOAD)                                                \
  QCC_CAST_FN(FROM, TF, u64, uint64_t, CVT, LOAD)                                               \
  QCC_CAST_FN(FROM, TF, bool, uint8_t, CVT, LOAD)

QCC_CAST_FROM(f32, float, QCC_FCVT, QCC_LOAD_SAME)
QCC_CAST_FROM(f64, double, QCC_FCVT, QCC_LOAD_SAME)
QCC_CAST_FROM(f16, uint16_t, QCC_FCVT, qcc_f16_to_f32)
QCC_CAST_FROM(i8, int8_t, QCC_ICVT, QCC_LOAD_SAME)
QCC_CAST_FROM(u8, uint8_t, QCC_ICVT, QCC_LOAD_SAME)
QCC_CAST_FROM(i16, int16_t, QCC_ICVT, QCC_LOAD_SAME)
QCC_CAST_FROM(u16, uint16_t, QCC_ICVT, QCC_LOAD_SAME)
QCC_CAST_FROM(i32, int32_t, QCC_ICVT, QCC_LOAD_SAME)
QCC_CAST_FROM(u32, uint32_t, QCC_ICVT, QCC_LOAD_SAME)
QCC_CAST_FROM(i64, int64_t, QCC_ICVT, QCC_LOAD_SAME)
QCC_CAST_FROM(u64, uint64_t, QCC_ICVT, QCC_LOAD_SAME)
QCC_CAST_FROM(bool, uint8_t, QCC_ICVT, QCC_LOAD_SAME)

#endif /* QCC_ELEMENTWISE_H */
