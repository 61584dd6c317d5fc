/**
 * Packing and scratch of the channel-vectorised depthwise kernel (runtime-c/x86-avx2/qcc_qdwconv_avx2.h, which
 * documents the layouts). Channels go in blocks of 16; within a block the kernel's int32 lanes hold channels in
 * the order vpunpck{l,h}wd leave them: "lo" = 0-3, 8-11 and "hi" = 4-7, 12-15. Missing channels of the last
 * block get weight 0, bias 0 and scale 0 (computed, never stored). The x86-avx512vnni twin
 * (runtime-c/x86-avx512vnni/qcc_qdwconv_vnni.h) reads lo | hi as one 512-bit vector in channel order: order
 * 'natural' packs lane l of half h as channel 8h + l.
 */
import { roundUp } from './pack.ts';

export const DW_CB = 16;
/** Channel (within a block) of lane l of the lo (half 0) or hi (half 1) vector. */
const laneChannel = (half: number, l: number, order: DwClOrder): number =>
  order === 'natural' ? 8 * half + l : (l < 4 ? l : l + 4) + 4 * half;
/** Lane order of the packed operands: 'avx2' (qcc_qdwconv_s16_avx2) or 'natural' (qcc_qdwconv_s16_vnni). */
export type DwClOrder = 'avx2' | 'natural';

export interface PackedDepthwiseCl {
  /** s16 [cblock][ky][kp][lo 16 | hi 16]: lane l = (w[ky][2kp], w[ky][2kp + 1] or 0) of its channel. */
  weights: Int16Array;
  /** [cblock][lo 8 | hi 8]. */
  bias: Int32Array;
  scale: Float32Array;
}

/** wEff: c rows of K * K effective weights w - w_zp (ONNX order); bias may be absent (0). */
export function packDepthwiseCl(wEff: Int32Array, c: number, K: number, bias: ArrayLike<number> | null, scales: Float32Array, order: DwClOrder = 'avx2'): PackedDepthwiseCl {
  const KP = (K + 1) / 2;
  const nblk = Math.ceil(c / DW_CB);
  const weights = new Int16Array(nblk * K * KP * 32);
  const pb = new Int32Array(nblk * DW_CB);
  const ps = new Float32Array(nblk * DW_CB);
  for (let b = 0; b < nblk; b++) {
    for (let half = 0; half < 2; half++) {
      for (let l = 0; l < 8; l++) {
        const ch = b * DW_CB + laneChannel(half, l, order);
        if (ch >= c) continue;
        const slot = b * DW_CB + half * 8 + l;
        pb[slot] = bias ? bias[ch]! | 0 : 0;
        ps[slot] = scales[ch]!;
        for (let ky = 0; ky < K; ky++) {
          for (let kp = 0; kp < KP; kp++) {
            const base = (((b * K + ky) * KP + kp) * 2 + half) * 16 + 2 * l;
            weights[base] = wEff[(ch * K + ky) * K + 2 * kp]!;
            if (2 * kp + 1 < K) weights[base + 1] = wEff[(ch * K + ky) * K + 2 * kp + 1]!;
          }
        }
      }
    }
  }
  return { weights, bias: pb, scale: ps };
}

const al32 = (b: number): number => roundUp(b, 32);

/** Scratch layout of qcc_qdwconv_s16_avx2 (T | Q | O, each 32-byte aligned): must match the header. */
export function depthwiseClScratch(oh: number, ow: number, K: number, S: number) {
  const spH = (oh - 1) * S + K;
  const qW = S === 1 ? ow + K - 1 : ow + (K - 1) / 2;
  const spW = S === 1 ? qW + 1 : 2 * qW;
  const bytes = al32(spH * spW * 32) + al32(spH * qW * 64) + al32(Math.max(oh * ow, 16) * 16);
  return { spH, spW, qW, bytes };
}
