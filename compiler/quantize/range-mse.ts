import { binWidth, type Histogram } from './histogram.ts';
import { clipRange, type Range, type TensorStats } from './range-types.ts';

/**
 * Mean squared quantization error of clipping |x| at threshold t with a uniform quantizer of `levels`
 * levels spanning `span(t)`: values below t are rounded (error step^2 / 12 on average), values above are
 * clipped to t (error (x - t)^2, x at its bin centre).
 */
export function clippingMse(h: Histogram, t: number, step: number): number {
  const w = binWidth(h);
  let err = 0;
  let n = 0;
  const inRange = (step * step) / 12;
  for (let b = 0; b < h.counts.length; b++) {
    const c = h.counts[b]!;
    if (c === 0) continue;
    const x = h.lo + (b + 0.5) * w;
    err += c * (x > t ? (x - t) * (x - t) : inRange);
    n += c;
  }
  return n === 0 ? 0 : err / n;
}

/**
 * MSE calibration: the threshold on |x| (a bin edge) that minimises the expected squared error of
 * clipping plus rounding. A tensor with both signs spans [-t, t] (step 2t / (levels - 1)), a one-signed
 * one [0, t] (step t / (levels - 1)).
 */
export function mseThreshold(h: Histogram, twoSided: boolean, levels = 256): number {
  const w = binWidth(h);
  let best = Infinity;
  let bestT = h.hi;
  for (let i = 1; i <= h.counts.length; i++) {
    const t = h.lo + i * w;
    const step = ((twoSided ? 2 : 1) * t) / (levels - 1);
    const e = clippingMse(h, t, step);
    if (e < best) {
      best = e;
      bestT = t;
    }
  }
  return bestT;
}

export function mseRange(s: TensorStats, levels = 256): Range {
  if (!s.abs) throw new Error('internal: mse calibration needs the |x| histogram');
  return clipRange(s, mseThreshold(s.abs, s.min < 0 && s.max > 0, levels));
}
