/*
 * qcc_pool_avx2.h: AVX2 twins of two generic pooling kernels, same parameters, same bytes out.
 *
 * qcc_qlinear_global_average_pool_{u8,i8}_avx2 (twin of qcc_qpool.h): the integer sum of each plane is
 * computed with vectors, the per-plane float step stays the generic kernel's scalar code.
 *   NCHW: one plane is `image` contiguous bytes: vpsadbw sums 32 bytes into four 64-bit lanes (i8: bytes
 *         xor 0x80 are x + 128, so sum(x) = sum(u) - 128 * image). Every sum is taken mod 2^32 at the end,
 *         which is the generic uint32 accumulation exactly (wrapping addition is associative).
 *   channels last: 32 channels per step, one 32-byte load per pixel widened to int16 and added into 16-bit
 *         lanes for at most 128 pixels (|sum| <= 128 * 255 < 2^15), then flushed into int32 lanes; a channel
 *         count not multiple of 32 ends with one overlapping block (channels c-32 .. c-1, same values), fewer
 *         than 32 channels take the scalar loop.
 * qcc_max_pool_{u8,i8}_avx2 (twin of qcc_pool.h's max pool): 2-D windows (in[0] = out[0] = k[0] = 1),
 *   dilation 1, column stride 1 or 2 (any row stride): outputs whose window columns lie inside the row take
 *   vpmaxub / vpmaxsb over the window, 32 (then 16) outputs per vector; stride 2 keeps the even bytes of
 *   two loads (mask + packus, an exact byte selection). A vector never reads past its input row. Border
 *   columns and leftovers take the generic scalar loop; other geometries call the generic kernel.
 *   max is exact and order-free, so every output equals the scalar loop's.
 */
#ifndef QCC_POOL_AVX2_H
#define QCC_POOL_AVX2_H

#include <immintrin.h>
#include <stddef.h>
#include <stdint.h>
#include "qcc_window.h"
#include "qcc_pool.h"
#include "qcc_qpool.h"

/* Sum of n bytes (as u8 after xor `flip`) mod 2^32. */
static inline uint32_t qcc_sum_u8_avx2_(const uint8_t *p, int32_t n, uint8_t flip) {
  const __m256i z = _mm256_setzero_si256(), f = _mm256_set1_epi8((char)flip);
  __m256i acc = _mm256_setzero_si256();
  __m128i lo, hi;
  uint64_t t;
  uint32_t s = 0;
  int32_t i = 0;
  for (; i + 32 <= n; i += 32) {
    const __m256i v = _mm256_xor_si256(_mm256_loadu_si256((const __m256i *)(const void *)(p + i)), f);
    acc = _mm256_add_epi64(acc, _mm256_sad_epu8(v, z));
  }
  lo = _mm256_castsi256_si128(acc);
  hi = _mm256_extracti128_si256(acc, 1);
  lo = _mm_add_epi64(lo, hi);
  lo = _mm_add_epi64(lo, _mm_unpackhi_epi64(lo, lo));
  t = (uint64_t)_mm_cvtsi128_si64(lo);
  s = (uint32_t)t;
  for (; i < n; i++) s += (uint32_t)(uint8_t)(p[i] ^ flip);
  return s;
}

/* Per-channel int32 sums (mod 2^32) of 32 channels starting at x (pixel stride c) over `image` pixels. */
static inline void qcc_sum_cl32_avx2_(const uint8_t *x, ptrdiff_t c, int32_t image, int is_signed, int32_t out[32]) {
  __m256i a0 = _mm256_setzero_si256(), a1 = a0, a2 = a0, a3 = a0;
  int32_t i = 0;
  while (i < image) {
    const int32_t end = image - i > 128 ? i + 128 : image;
    __m256i h0 = _mm256_setzero_si256(), h1 = h0;
    for (; i < end; i++) {
      const __m256i v = _mm256_loadu_si256((const __m256i *)(const void *)(x + (ptrdiff_t)i * c));
      const __m128i vl = _mm256_castsi256_si128(v), vh = _mm256_extracti128_si256(v, 1);
      if (is_signed) {
        h0 = _mm256_add_epi16(h0, _mm256_cvtepi8_epi16(vl));
        h1 = _mm256_add_epi16(h1, _mm256_cvtepi8_epi16(vh));
      } else {
        h0 = _mm256_add_epi16(h0, _mm256_cvtepu8_epi16(vl));
        h1 = _mm256_add_epi16(h1, _mm256_cvtepu8_epi16(vh));
      }
    }
    a0 = _mm256_add_epi32(a0, _mm256_cvtepi16_epi32(_mm256_castsi256_si128(h0)));
    a1 = _mm256_add_epi32(a1, _mm256_cvtepi16_epi32(_mm256_extracti128_si256(h0, 1)));
    a2 = _mm256_add_epi32(a2, _mm256_cvtepi16_epi32(_mm256_castsi256_si128(h1)));
    a3 = _mm256_add_epi32(a3, _mm256_cvtepi16_epi32(_mm256_extracti128_si256(h1, 1)));
  }
  _mm256_storeu_si256((__m256i *)(void *)out, a0);
  _mm256_storeu_si256((__m256i *)(void *)(out + 8), a1);
  _mm256_storeu_si256((__m256i *)(void *)(out + 16), a2);
  _mm256_storeu_si256((__m256i *)(void *)(out + 24), a3);
}

#define QCC_QGAP_AVX2_DEF_(SFX, T, QMIN, QMAX, SIGNED)                                                              \
  static inline T qcc_qgap_finish_##SFX##_avx2_(uint32_t acc, float scale, int32_t yz) {                             \
    int32_t v;                                                                                                      \
    float f = (float)qcc_i32_from_u32(acc);                                                                         \
    f = f * scale;                                                                                                  \
    v = qcc_add_wrap_i32(qcc_nearbyint_i32(f), yz);                                                                 \
    v = v > (QMAX) ? (QMAX) : v;                                                                                    \
    v = v < (QMIN) ? (QMIN) : v;                                                                                    \
    return (T)v;                                                                                                    \
  }                                                                                                                 \
  static inline void qcc_qlinear_global_average_pool_##SFX##_avx2(const T *x, T *y, int32_t n, int32_t c,            \
                                                                  int32_t image, int32_t channels_last, int32_t xz, \
                                                                  float scale, int32_t yz) {                        \
    const uint32_t bias = (uint32_t)(-xz) * (uint32_t)image;                                                        \
    const uint8_t *xb = (const uint8_t *)(const void *)x;                                                           \
    int32_t b, ch, i;                                                                                               \
    if (!channels_last || c < 32) {                                                                                 \
      for (b = 0; b < n; b++) {                                                                                     \
        for (ch = 0; ch < c; ch++) {                                                                                \
          uint32_t acc = bias;                                                                                      \
          if (!channels_last) {                                                                                     \
            acc += qcc_sum_u8_avx2_(xb + ((ptrdiff_t)b * c + ch) * image, image, (SIGNED) ? 0x80 : 0);              \
            if (SIGNED) acc -= 128u * (uint32_t)image;                                                              \
          } else {                                                                                                  \
            const ptrdiff_t base = (ptrdiff_t)b * image * c + ch;                                                   \
            for (i = 0; i < image; i++) acc += (uint32_t)(int32_t)x[base + (ptrdiff_t)i * c];                       \
          }                                                                                                         \
          y[(ptrdiff_t)b * c + ch] = qcc_qgap_finish_##SFX##_avx2_(acc, scale, yz);                                 \
        }                                                                                                           \
      }                                                                                                             \
      return;                                                                                                       \
    }                                                                                                               \
    for (b = 0; b < n; b++) {                                                                                       \
      for (ch = 0; ch < c; ch += 32) {                                                                              \
        const int32_t c0 = ch + 32 <= c ? ch : c - 32;                                                              \
        int32_t s[32], j;                                                                                           \
        qcc_sum_cl32_avx2_(xb + (ptrdiff_t)b * image * c + c0, c, image, SIGNED, s);                                \
        for (j = 0; j < 32; j++) {                                                                                  \
          y[(ptrdiff_t)b * c + c0 + j] = qcc_qgap_finish_##SFX##_avx2_(bias + (uint32_t)s[j], scale, yz);           \
        }                                                                                                           \
      }                                                                                                             \
    }                                                                                                               \
  }

QCC_QGAP_AVX2_DEF_(u8, uint8_t, 0, 255, 0)
QCC_QGAP_AVX2_DEF_(i8, int8_t, -128, 127, 1)

/* Even bytes of the 64 bytes at p (32 of them, in order). */
static inline __m256i qcc_even32_avx2_(const uint8_t *p) {
  const __m256i m = _mm256_set1_epi16(0x00ff);
  const __m256i a = _mm256_and_si256(_mm256_loadu_si256((const __m256i *)(const void *)p), m);
  const __m256i b = _mm256_and_si256(_mm256_loadu_si256((const __m256i *)(const void *)(p + 32)), m);
  return _mm256_permute4x64_epi64(_mm256_packus_epi16(a, b), 0xd8);
}
static inline __m128i qcc_even16_avx2_(const uint8_t *p) {
  const __m128i m = _mm_set1_epi16(0x00ff);
  const __m128i a = _mm_and_si128(_mm_loadu_si128((const __m128i *)(const void *)p), m);
  const __m128i b = _mm_and_si128(_mm_loadu_si128((const __m128i *)(const void *)(p + 16)), m);
  return _mm_packus_epi16(a, b);
}

#define QCC_MAX_POOL_AVX2_DEF_(SFX, T, INIT, MAX256, MAX128)                                                       \
  static inline void qcc_max_pool_##SFX##_avx2(const qcc_pool_params *p, const T *x, T *y) {                       \
    const int32_t IH = p->in[1], IW = p->in[2], OH = p->out[1], OW = p->out[2];                                    \
    const int32_t KH = p->k[1], KW = p->k[2], SH = p->stride[1], S = p->stride[2], PH = p->pad[1], PW = p->pad[2]; \
    const uint8_t *xb = (const uint8_t *)(const void *)x;                                                          \
    int32_t nc, oh, ow, owA, owB, y0, y1, ty, tx;                                                                  \
    if (p->in[0] != 1 || p->out[0] != 1 || p->k[0] != 1 || p->dil[1] != 1 || p->dil[2] != 1 || (S != 1 && S != 2)) { \
      qcc_max_pool_##SFX(p, x, y);                                                                                 \
      return;                                                                                                      \
    }                                                                                                              \
    /* interior columns: ow * S - PW >= 0 and ow * S - PW + KW <= IW */                                            \
    owA = (PW + S - 1) / S;                                                                                        \
    owB = IW - KW + PW >= 0 ? (IW - KW + PW) / S + 1 : 0;                                                          \
    if (owB > OW) owB = OW;                                                                                        \
    if (owA > owB) owA = owB;                                                                                      \
    for (nc = 0; nc < p->n * p->c; nc++) {                                                                         \
      const ptrdiff_t xp = (ptrdiff_t)nc * IH * IW;                                                                \
      for (oh = 0; oh < OH; oh++) {                                                                                \
        const int32_t iy = oh * SH - PH;                                                                           \
        T *yr = y + ((ptrdiff_t)nc * OH + oh) * OW;                                                                \
        int32_t done = owA;                                                                                        \
        qcc_window_range(oh, SH, PH, 1, KH, IH, &y0, &y1);                                                         \
        /* 32 outputs per vector; each load stays inside the row (stride 2 reads 64 bytes) */                      \
        for (;;) {                                                                                                 \
          int32_t o = done, last;                                                                                  \
          if (owB - owA < 32) break;                                                                               \
          if (o + 32 > owB) o = owB - 32;                                                                          \
          last = (o * S - PW) + (KW - 1) + (S == 2 ? 63 : 31);                                                     \
          if (last > IW - 1) break;                                                                                \
          {                                                                                                        \
            __m256i m = _mm256_set1_epi8((char)(INIT));                                                            \
            for (ty = y0; ty < y1; ty++) {                                                                         \
              const uint8_t *r = xb + xp + (ptrdiff_t)(iy + ty) * IW + (o * S - PW);                               \
              for (tx = 0; tx < KW; tx++) {                                                                        \
                const __m256i v = S == 1 ? _mm256_loadu_si256((const __m256i *)(const void *)(r + tx))             \
                                         : qcc_even32_avx2_(r + tx);                                               \
                m = MAX256(m, v);                                                                                  \
              }                                                                                                    \
            }                                                                                                      \
            _mm256_storeu_si256((__m256i *)(void *)(yr + o), m);                                                   \
          }                                                                                                        \
          done = o + 32;                                                                                           \
          if (done >= owB) break;                                                                                  \
        }                                                                                                          \
        /* then 16 per vector (overlapping the vectors above is fine: same values) */                              \
        for (;;) {                                                                                                 \
          int32_t o = done, last;                                                                                  \
          if (done >= owB || owB - owA < 16) break;                                                                \
          if (o + 16 > owB) o = owB - 16;                                                                          \
          last = (o * S - PW) + (KW - 1) + (S == 2 ? 31 : 15);                                                     \
          if (last > IW - 1) break;                                                                                \
          {                                                                                                        \
            __m128i m = _mm_set1_epi8((char)(INIT));                                                               \
            for (ty = y0; ty < y1; ty++) {                                                                         \
              const uint8_t *r = xb + xp + (ptrdiff_t)(iy + ty) * IW + (o * S - PW);                               \
              for (tx = 0; tx < KW; tx++) {                                                                        \
                const __m128i v = S == 1 ? _mm_loadu_si128((const __m128i *)(const void *)(r + tx))                \
                                         : qcc_even16_avx2_(r + tx);                                               \
                m = MAX128(m, v);                                                                                  \
              }                                                                                                    \
            }                                                                                                      \
            _mm_storeu_si128((__m128i *)(void *)(yr + o), m);                                                      \
          }                                                                                                        \
          done = o + 16;                                                                                           \
        }                                                                                                          \
        /* everything not written above: the generic scalar window */                                              \
        for (ow = 0; ow < OW; ow++) {                                                                              \
          int32_t x0, x1;                                                                                          \
          const int32_t ix = ow * S - PW;                                                                          \
          T mm = (T)(INIT);                                                                                        \
          if (ow >= owA && ow < done) continue;                                                                    \
          qcc_window_range(ow, S, PW, 1, KW, IW, &x0, &x1);                                                        \
          for (ty = y0; ty < y1; ty++) {                                                                           \
            const ptrdiff_t row = xp + (ptrdiff_t)(iy + ty) * IW + ix;                                             \
            for (tx = x0; tx < x1; tx++) {                                                                         \
              const T v = x[row + tx];                                                                             \
              if (v > mm) mm = v;                                                                                  \
            }                                                                                                      \
          }                                                                                                        \
          yr[ow] = mm;                                                                                             \
        }                                                                                                          \
      }                                                                                                            \
    }                                                                                                              \
  }

QCC_MAX_POOL_AVX2_DEF_(u8, uint8_t, 0, _mm256_max_epu8, _mm_max_epu8)
QCC_MAX_POOL_AVX2_DEF_(i8, int8_t, -128, _mm256_max_epi8, _mm_max_epi8)

#endif /* QCC_POOL_AVX2_H */
