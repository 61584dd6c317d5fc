/**
 * Histograms of calibration activations. Two per tensor, filled in one pass over the calibration set
 * once the min/max pass has fixed their ranges: `signed` over [min, max] (percentile, and the range
 * limits), `abs` over [0, max |x|] (entropy and mse search a symmetric clipping threshold on it, the
 * way TensorRT's calibrator does).
 */
export interface Histogram {
  /** Left edge of bin 0 and right edge of the last bin. */
  lo: number;
  hi: number;
  counts: Float64Array;
}

export const DEFAULT_BINS = 2048;

export function newHistogram(lo: number, hi: number, bins = DEFAULT_BINS): Histogram {
  return { lo, hi: hi > lo ? hi : lo + 1e-30, counts: new Float64Array(bins) };
}

export function binWidth(h: Histogram): number {
  return (h.hi - h.lo) / h.counts.length;
}

/** Adds values; values outside [lo, hi] go to the end bins (they cannot occur after the min/max pass). */
export function addToHistogram(h: Histogram, xs: ArrayLike<number>, abs = false): void {
  const n = h.counts.length;
  const k = n / (h.hi - h.lo);
  for (let i = 0; i < xs.length; i++) {
    const x = abs ? Math.abs(xs[i]!) : xs[i]!;
    if (x !== x) continue; // NaN carries no range information
    let b = Math.floor((x - h.lo) * k);
    if (b < 0) b = 0;
    else if (b >= n) b = n - 1;
    h.counts[b]! += 1;
  }
}

/** Histogram of a sample (tests, and one-shot use). */
export function histogramOf(xs: ArrayLike<number>, bins = DEFAULT_BINS, abs = false): Histogram {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    const x = abs ? Math.abs(xs[i]!) : xs[i]!;
    if (x < lo) lo = x;
    if (x > hi) hi = x;
  }
  const h = newHistogram(abs ? 0 : lo, hi, bins);
  addToHistogram(h, xs, abs);
  return h;
}

export function total(h: Histogram): number {
  let s = 0;
  for (const c of h.counts) s += c;
  return s;
}
