/*
 * qcc runtime: float32 matrix products: qcc_matmul_f32 (batched, broadcast batches given as offset
 * tables) and qcc_gemm_f32 (transA/transB, alpha, beta, broadcast C).
 *
 * Exactness: every output is summed as the reference interpreter does (compiler/ops/nn-matmul.ts):
 * acc = +0; for k = 0..K-1: prod = a[m,k] * b[k,n] (rounded to float), acc = acc + prod. Gemm then
 * computes y = alpha * acc, and with C: y = y + (beta * c). The row-update form below (i-k-j, output
 * row used as the accumulators) keeps that per-element order while reading B row by row.
 * The output must not alias the inputs. Header-only, C99, no allocation, no globals.
 */
#ifndef QCC_GEMM_F32_H
#define QCC_GEMM_F32_H

#include <stddef.h>
#include <stdint.h>

typedef struct {
  int32_t batch, m, k, n;
} qcc_matmul_f32_params;

/* y[b] = a[a_off[b]] (m x k) @ b[b_off[b]] (k x n), y dense [batch, m, n]; offsets in elements. */
static inline void qcc_matmul_f32(const qcc_matmul_f32_params *p, const int32_t *a_off, const int32_t *b_off,
                                  const float *a, const float *b, float *y) {
  const int32_t M = p->m, K = p->k, N = p->n;
  int32_t bi, i, kk, j;
  for (bi = 0; bi < p->batch; bi++) {
    const float *ab = a + a_off[bi];
    const float *bb = b + b_off[bi];
    float *yb = y + (ptrdiff_t)bi * M * N;
    for (i = 0; i < M; i++) {
      const float *ar = ab + (ptrdiff_t)i * K;
      float *yr = yb + (ptrdiff_t)i * N;
      for (j = 0; j < N; j++) yr[j] = 0.0f;
      for (kk = 0; kk < K; kk++) {
        const float av = ar[kk];
        const float *br = bb + (ptrdiff_t)kk * N;
        for (j = 0; j < N; j++) {
          const float prod = av * br[j];
          yr[j] = yr[j] + prod;
        }
      }
    }
  }
}

typedef struct {
  int32_t m, k, n, trans_a, trans_b;
  float alpha, beta;
  /* Element strides of C along M and N (0 on broadcast axes); unused without C. */
  int32_t c_sm, c_sn;
} qcc_gemm_f32_params;

/* y [m, n] = alpha * op(a) @ op(b) + beta * c; c may be NULL. */
static inline void qcc_gemm_f32(const qcc_gemm_f32_params *p, const float *a, const float *b, const float *c, float *y) {
  const int32_t M = p->m, K = p->k, N = p->n;
  /* element (i, kk) of op(a) is a[i * asi + kk * ask]; (kk, j) of op(b) is b[kk * bsk + j * bsj] */
  const ptrdiff_t asi = p->trans_a ? 1 : K, ask = p->trans_a ? M : 1;
  const ptrdiff_t bsk = p->trans_b ? 1 : N, bsj = p->trans_b ? K : 1;
  int32_t i, kk, j;
  for (i = 0; i < M; i++) {
    float *yr = y + (ptrdiff_t)i * N;
    if (p->trans_b) {
      /* rows of b are contiguous along k: one dot product per output */
      for (j = 0; j < N; j++) {
        float acc = 0.0f;
        for (kk = 0; kk < K; kk++) {
          const float prod = a[i * asi + kk * ask] * b[kk * bsk + j * bsj];
          acc = acc + prod;
        }
        yr[j] = acc;
      }
    } else {
      for (j = 0; j < N; j++) yr[j] = 0.0f;
      for (kk = 0; kk < K; kk++) {
        const float av = a[i * asi + kk * ask];
        const float *br = b + kk * bsk;
        for (j = 0; j < N; j++) {
          const float prod = av * br[j];
          yr[j] = yr[j] + prod;
        }
      }
    }
    for (j = 0; j < N; j++) {
      float v = p->alpha * yr[j];
      if (c) {
        const float bc = p->beta * c[(ptrdiff_t)i * p->c_sm + (ptrdiff_t)j * p->c_sn];
        v = v + bc;
      }
      yr[j] = v;
    }
  }
}

#endif /* QCC_GEMM_F32_H */
