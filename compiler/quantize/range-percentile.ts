import { QccError } from '../errors.ts';
import { binWidth, total, type Histogram } from './histogram.ts';
import type { Range, TensorStats } from './range-types.ts';

/**
 * The value below which a fraction `q` of the histogram's mass lies, interpolating linearly inside the
 * bin where the cumulative count crosses q * total (values are taken as spread evenly over a bin).
 */
export function histogramQuantile(h: Histogram, q: number): number {
  const n = total(h);
  if (n === 0) return h.lo;
  const target = q * n;
  const w = binWidth(h);
  let acc = 0;
  for (let b = 0; b < h.counts.length; b++) {
    const c = h.counts[b]!;
    if (c > 0 && acc + c >= target) return h.lo + (b + (target - acc) / c) * w;
    acc += c;
  }
  return h.hi;
}

/**
 * Percentile calibration: cut a fraction (1 - p) of the values off each tail of the signed histogram.
 * A tensor that never goes below zero (after a Relu) keeps its minimum.
 */
export function percentileRange(s: TensorStats, p = 0.99999): Range {
  if (!(p > 0.5 && p <= 1)) throw new QccError('E_USAGE', `percentile must be in (0.5, 1], got ${p}`);
  const h = s.signed;
  if (!h) throw new Error('internal: percentile calibration needs the signed histogram');
  const rmax = s.max <= 0 ? s.max : Math.min(s.max, histogramQuantile(h, p));
  const rmin = s.min >= 0 ? s.min : Math.max(s.min, histogramQuantile(h, 1 - p));
  return { rmin, rmax };
}
