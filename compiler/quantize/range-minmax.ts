import type { Range, TensorStats } from './range-types.ts';

/** The observed extremes: nothing is clipped. */
export function minmaxRange(s: TensorStats): Range {
  return { rmin: s.min, rmax: s.max };
}
