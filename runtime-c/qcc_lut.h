/*
 * qcc_lut.h: 256-entry byte tables (QLinearSigmoid, QLinearLeakyRelu, QLinearConcat's requantization).
 * The tables are computed by the compiler (compiler/ops/contrib-lut.ts), so the kernels only index them
 * with the input byte (u8 and i8 data alike are read as bytes).
 */
#ifndef QCC_LUT_H
#define QCC_LUT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline void qcc_lut8(const uint8_t *x, const uint8_t *table, uint8_t *y, size_t n) {
  size_t i;
  for (i = 0; i < n; i++) y[i] = table[x[i]];
}

/*
 * One input of QLinearConcat: `outer` blocks of `inner` bytes go to y + o * out_inner + offset, mapped
 * through `table`, or copied when table is NULL.
 */
static inline void qcc_qconcat_part(const uint8_t *x, const uint8_t *table, uint8_t *y, size_t outer, size_t inner,
                                    size_t out_inner, size_t offset) {
  size_t o;
  for (o = 0; o < outer; o++) {
    if (table) qcc_lut8(x + o * inner, table, y + o * out_inner + offset, inner);
    else memcpy(y + o * out_inner + offset, x + o * inner, inner);
  }
}

#endif /* QCC_LUT_H */
