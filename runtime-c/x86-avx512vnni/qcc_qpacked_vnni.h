/*
 * qcc_qpacked_vnni.h: the u8s8 GEMM kernels of qcc_qpacked_avx2.h (same parameters, packed layouts, im2col and
 * requantization; twins qcc_qpconv_gemm_u8s8 / qcc_qpmatmul_u8s8 in qcc_qpacked.h) with the multiply-accumulate
 * step done by vpdpbusd on 256-bit registers (AVX-512 VNNI + VL):
 *   acc.lane += a0*b0 + a1*b1 + a2*b2 + a3*b3   (u8 a, s8 b; each product exact in 16 bits, no saturating
 *                                                intermediate; the int32 add wraps, as the interpreter's int32)
 * So the u8s8 family is exact for every weight that fits s8 after subtracting its zero point: the packer no
 * longer needs the vpmaddubsw pair condition (backends/x86-avx2/emitters.ts, ISA_VNNI). Build flags:
 * -mavx512f -mavx512vl -mavx512vnni on top of x86-avx2's.
 */
#ifndef QCC_QPACKED_VNNI_H
#define QCC_QPACKED_VNNI_H

#include <immintrin.h>
#include "../x86-avx2/qcc_qpacked_avx2.h"

#define QCC_DOT4_VNNI_(acc, a, b) acc = _mm256_dpbusd_epi32(acc, a, b)

QCC_QPCONV_TILE_DEF_(qcc_qpconv_tile_u8s8_vnni_, int8_t, QCC_DOT4_VNNI_)
QCC_QPCONV_GEMM_AVX2_DEF_(qcc_qpconv_gemm_u8s8_vnni, uint8_t, int8_t, 4,
                          qcc_qp_im2col_u8(p, xg, p0, np, qcc_qp_flip_(p), qcc_qp_pad_u8_(p->x_signed, p->xzp), blk),
                          qcc_qpconv_tile_u8s8_vnni_)
QCC_QPMM_TILE4_DEF_(qcc_qpmm_tile4_u8s8_vnni_, uint8_t, int8_t, 4, QCC_DOT4_VNNI_)
QCC_QPMM_TILE1_DEF_(qcc_qpmm_tile1_u8s8_vnni_, uint8_t, int8_t, 4, QCC_DOT4_VNNI_)
QCC_QPMM_AVX2_DEF_(qcc_qpmatmul_u8s8_vnni, uint8_t, int8_t, 4, qcc_qp_pack_a_u8, qcc_qpmm_tile4_u8s8_vnni_,
                   qcc_qpmm_tile1_u8s8_vnni_)

#undef QCC_DOT4_VNNI_

#endif /* QCC_QPACKED_VNNI_H */
