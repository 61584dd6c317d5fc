/*
 * qcc runtime: data-movement kernels (transpose, slice, expand, concat, split, pad, gather, reshape).
 * They only move bytes, so they are generic over the element size (1, 2, 4 or 8 bytes; any other size
 * also works, more slowly) and exact for every dtype. Index geometry comes from the compiler
 * (compiler/ops/shape-layout.ts), which computes the same walks for the reference interpreter.
 * Header-only, C99, no allocation, no globals.
 */
#ifndef QCC_SHAPE_H
#define QCC_SHAPE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define QCC_SHAPE_MAX_RANK 8

/*
 * A strided view of an input copied into a dense output: output element (i0..i{r-1}) reads input
 * element offset + sum(i_k * strides[k]). Strides may be 0 (broadcast) or negative (reversed slice).
 * Transpose, slice and expand are all views; rank >= 1.
 */
typedef struct {
  int32_t rank;
  size_t shape[QCC_SHAPE_MAX_RANK];
  ptrdiff_t strides[QCC_SHAPE_MAX_RANK];
  ptrdiff_t offset;
} qcc_view;

/* One output row (the last axis) of a view; constant-size memcpy compiles to a plain load/store. */
#define QCC_VIEW_ROW_(N)                                           \
  for (j = 0; j < inner; j++) {                                    \
    memcpy(d, s + p * (ptrdiff_t)(N), (N));                        \
    d += (N);                                                      \
    p += istride;                                                  \
  }

static inline void qcc_view_copy(void *dst, const void *src, size_t esize, const qcc_view *v) {
  uint8_t *d = (uint8_t *)dst;
  const uint8_t *s = (const uint8_t *)src;
  size_t idx[QCC_SHAPE_MAX_RANK];
  const int r = (int)v->rank;
  const size_t inner = v->shape[r - 1];
  const ptrdiff_t istride = v->strides[r - 1];
  ptrdiff_t at = v->offset;
  size_t rows = 1, k, j;
  int a;
  for (a = 0; a < r - 1; a++) {
    rows *= v->shape[a];
    idx[a] = 0;
  }
  if (inner == 0 || rows == 0) return;
  for (k = 0; k < rows; k++) {
    ptrdiff_t p = at;
    if (istride == 1) {
      memcpy(d, s + p * (ptrdiff_t)esize, inner * esize);
      d += inner * esize;
    } else {
      switch (esize) {
        case 1: QCC_VIEW_ROW_(1) break;
        case 2: QCC_VIEW_ROW_(2) break;
        case 4: QCC_VIEW_ROW_(4) break;
        case 8: QCC_VIEW_ROW_(8) break;
        default: QCC_VIEW_ROW_(esize) break;
      }
    }
    /* odometer over the outer axes */
    for (a = r - 2; a >= 0; a--) {
      if (++idx[a] < v->shape[a]) {
        at += v->strides[a];
        break;
      }
      at -= v->strides[a] * (ptrdiff_t)(v->shape[a] - 1);
      idx[a] = 0;
    }
  }
}

/*
 * rows x row_bytes block copy between buffers with different row pitches (bytes). Concat copies each
 * input into its column band of the output; split copies each band out. Callers offset the pointers.
 */
static inline void qcc_copy_rows(void *dst, size_t dst_pitch, const void *src, size_t src_pitch, size_t rows,
                                 size_t row_bytes) {
  uint8_t *d = (uint8_t *)dst;
  const uint8_t *s = (const uint8_t *)src;
  size_t k;
  if (row_bytes == 0) return;
  for (k = 0; k < rows; k++) memcpy(d + k * dst_pitch, s + k * src_pitch, row_bytes);
}

/* Reshape: same bytes, new shape. A no-op when the planner places output and input together. */
static inline void qcc_reshape(void *dst, const void *src, size_t bytes) {
  if (bytes != 0 && dst != src) memcpy(dst, src, bytes);
}

/*
 * Pad (modes: 0 constant, 1 reflect, 2 edge, 3 wrap). Per axis, output coordinate o reads input
 * coordinate o + shift when it lies in the kept range [lo, hi) (negative pads crop the range);
 * outside it the mode decides. Reflect and wrap are periodic, so pads may exceed the axis length.
 */
typedef struct {
  int32_t rank;
  int32_t mode;
  size_t out_shape[QCC_SHAPE_MAX_RANK];
  size_t in_strides[QCC_SHAPE_MAX_RANK];
  ptrdiff_t lo[QCC_SHAPE_MAX_RANK];
  ptrdiff_t hi[QCC_SHAPE_MAX_RANK];
  ptrdiff_t shift[QCC_SHAPE_MAX_RANK];
} qcc_pad_params;

/* Input coordinate for output coordinate o, or -1 for the constant. Mirrors padSource(). */
static inline ptrdiff_t qcc_pad_src_(ptrdiff_t o, ptrdiff_t lo, ptrdiff_t hi, ptrdiff_t shift, int32_t mode) {
  const ptrdiff_t c = o + shift;
  const ptrdiff_t n = hi - lo;
  ptrdiff_t m, p;
  if (c >= lo && c < hi) return c;
  switch (mode) {
    case 0: return -1;
    case 2: return c < lo ? lo : hi - 1;
    case 3:
      m = (c - lo) % n;
      if (m < 0) m += n;
      return lo + m;
    default:
      if (n == 1) return lo;
      p = 2 * (n - 1);
      m = (c - lo) % p;
      if (m < 0) m += p;
      return lo + (m >= n ? p - m : m);
  }
}

static inline void qcc_pad(void *dst, const void *src, size_t esize, const qcc_pad_params *q, const void *value) {
  uint8_t *d = (uint8_t *)dst;
  const uint8_t *s = (const uint8_t *)src;
  size_t idx[QCC_SHAPE_MAX_RANK];
  const int r = (int)q->rank;
  const size_t inner = q->out_shape[r - 1];
  const ptrdiff_t lo = q->lo[r - 1], hi = q->hi[r - 1], shift = q->shift[r - 1];
  /* output coordinates [mid0, mid1) of the last axis read the kept input range directly */
  ptrdiff_t mid0 = lo - shift, mid1 = hi - shift;
  size_t rows = 1, k, j;
  int a;
  if (mid0 < 0) mid0 = 0;
  if (mid1 > (ptrdiff_t)inner) mid1 = (ptrdiff_t)inner;
  if (mid1 < mid0) mid1 = mid0;
  for (a = 0; a < r - 1; a++) {
    rows *= q->out_shape[a];
    idx[a] = 0;
  }
  if (inner == 0 || rows == 0) return;
  for (k = 0; k < rows; k++) {
    ptrdiff_t base = 0;
    for (a = 0; a < r - 1; a++) {
      const ptrdiff_t c = qcc_pad_src_((ptrdiff_t)idx[a], q->lo[a], q->hi[a], q->shift[a], q->mode);
      if (c < 0) {
        base = -1;
        break;
      }
      base += c * (ptrdiff_t)q->in_strides[a];
    }
    if (base < 0) {
      for (j = 0; j < inner; j++) memcpy(d + j * esize, value, esize);
    } else {
      const uint8_t *row = s + base * (ptrdiff_t)esize;
      for (j = 0; j < (size_t)mid0; j++) {
        const ptrdiff_t c = qcc_pad_src_((ptrdiff_t)j, lo, hi, shift, q->mode);
        memcpy(d + j * esize, c < 0 ? (const uint8_t *)value : row + c * (ptrdiff_t)esize, esize);
      }
      if (mid1 > mid0) memcpy(d + (size_t)mid0 * esize, row + (mid0 + shift) * (ptrdiff_t)esize, (size_t)(mid1 - mid0) * esize);
      for (j = (size_t)mid1; j < inner; j++) {
        const ptrdiff_t c = qcc_pad_src_((ptrdiff_t)j, lo, hi, shift, q->mode);
        memcpy(d + j * esize, c < 0 ? (const uint8_t *)value : row + c * (ptrdiff_t)esize, esize);
      }
    }
    d += inner * esize;
    for (a = r - 2; a >= 0; a--) {
      if (++idx[a] < q->out_shape[a]) break;
      idx[a] = 0;
    }
  }
}

/*
 * Gather along one axis: data viewed as [outer, dim, inner], n indices. Negative indices count from
 * the end. Out-of-range indices are invalid input (the interpreter rejects them); here they produce
 * zero bytes rather than reading out of bounds.
 */
#define QCC_GATHER_BODY_()                                                      \
  uint8_t *d = (uint8_t *)dst;                                                  \
  const uint8_t *s = (const uint8_t *)src;                                      \
  const size_t row = inner * esize;                                             \
  size_t o, j;                                                                  \
  if (row == 0) return;                                                         \
  for (o = 0; o < outer; o++) {                                                 \
    for (j = 0; j < n; j++) {                                                   \
      int64_t k = (int64_t)idx[j];                                              \
      if (k < 0) k += (int64_t)dim;                                             \
      if (k < 0 || k >= (int64_t)dim) memset(d, 0, row);                        \
      else memcpy(d, s + (o * dim + (size_t)k) * row, row);                     \
      d += row;                                                                 \
    }                                                                           \
  }

static inline void qcc_gather_i64(void *dst, const void *src, size_t esize, size_t outer, size_t dim, size_t inner,
                                  const int64_t *idx, size_t n) {
  QCC_GATHER_BODY_()
}

static inline void qcc_gather_i32(void *dst, const void *src, size_t esize, size_t outer, size_t dim, size_t inner,
                                  const int32_t *idx, size_t n) {
  QCC_GATHER_BODY_()
}

#endif /* QCC_SHAPE_H */
