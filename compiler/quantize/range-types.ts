import type { Histogram } from './histogram.ts';

/** What calibration knows about one float tensor. */
export interface TensorStats {
  min: number;
  max: number;
  /** Filled by the second pass for the histogram methods. */
  signed?: Histogram;
  abs?: Histogram;
}

/** A float range [rmin, rmax] to quantize a tensor to. */
export interface Range {
  rmin: number;
  rmax: number;
}

export type RangeMethod = 'minmax' | 'percentile' | 'entropy' | 'mse';
export const RANGE_METHODS: readonly RangeMethod[] = ['minmax', 'percentile', 'entropy', 'mse'];

export interface RangeOptions {
  /** percentile: the fraction of values kept on each side (default 0.99999). */
  percentile?: number;
  /** entropy: bins of the quantized distribution (default 128, TensorRT's for int8). */
  quantizedBins?: number;
  /** mse: levels of the integer type (default 256). */
  levels?: number;
}

/** A symmetric clipping threshold on |x| applied to the observed range. */
export function clipRange(s: TensorStats, t: number): Range {
  return { rmin: Math.max(s.min, -t), rmax: Math.min(s.max, t) };
}
