import { entropyRange } from './range-entropy.ts';
import { minmaxRange } from './range-minmax.ts';
import { mseRange } from './range-mse.ts';
import { percentileRange } from './range-percentile.ts';
import type { Range, RangeMethod, RangeOptions, TensorStats } from './range-types.ts';

/** The range a calibration method picks for one tensor. */
export function rangeFor(method: RangeMethod, s: TensorStats, opts: RangeOptions = {}): Range {
  switch (method) {
    case 'minmax':
      return minmaxRange(s);
    case 'percentile':
      return percentileRange(s, opts.percentile);
    case 'entropy':
      return entropyRange(s, opts.quantizedBins);
    case 'mse':
      return mseRange(s, opts.levels);
  }
}

export const needsHistograms = (m: RangeMethod): boolean => m !== 'minmax';
