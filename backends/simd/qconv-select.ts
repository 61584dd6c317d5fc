/**
 * ISA-neutral choice of the integer convolution kernel family for a QLinearConv node, from its geometry
 * (SIMD backends map each family to their own kernels): depthwise windows go to a per-channel kernel,
 * everything else (1x1, first layers with 1-3 channels, grouped, general) to im2col + GEMM tiles.
 */
import type { QConvGeometry } from '../../compiler/ops/qgeometry.ts';

export type QConvKernelFamily = 'depthwise' | 'gemm';

/** Depthwise kernel sizes the per-channel kernels handle (square, 2-D). */
export const DEPTHWISE_KERNELS: readonly number[] = [3, 5];

export function isDepthwise2d(g: QConvGeometry): boolean {
  return (
    g.group === g.c && g.group === g.m && g.cPerGroup === 1 && g.mPerGroup === 1 &&
    g.inSp[0] === 1 && g.kernel[0] === 1 && g.strides[0] === 1 &&
    g.kernel[1] === g.kernel[2] && DEPTHWISE_KERNELS.includes(g.kernel[1]) &&
    g.dilations.every((d) => d === 1) && [1, 2].includes(g.strides[1]) && [1, 2].includes(g.strides[2])
  );
}

export function selectQConvKernel(g: QConvGeometry): QConvKernelFamily {
  return isDepthwise2d(g) ? 'depthwise' : 'gemm';
}
