import { binWidth, type Histogram } from './histogram.ts';
import { clipRange, type Range, type TensorStats } from './range-types.ts';

/** Kullback-Leibler divergence sum p log(p/q) of two unnormalised distributions (0 log 0 = 0). */
function klDivergence(p: Float64Array, q: Float64Array): number {
  let sp = 0;
  let sq = 0;
  for (let i = 0; i < p.length; i++) {
    sp += p[i]!;
    sq += q[i]!;
  }
  if (sp === 0 || sq === 0) return Infinity;
  let d = 0;
  for (let i = 0; i < p.length; i++) {
    const a = p[i]! / sp;
    if (a === 0) continue;
    const b = q[i]! / sq;
    if (b === 0) return Infinity;
    d += a * Math.log(a / b);
  }
  return d;
}

/**
 * TensorRT's entropy calibration ("8-bit Inference with TensorRT", Migacz, GTC 2017) on the histogram of
 * |x|: for every candidate threshold i (in bins, from `quantizedBins` to the end), the reference P is the
 * histogram cut at i with the clipped tail added to its last bin; the candidate Q merges P's bins into
 * `quantizedBins` groups and spreads each group's mass evenly over the group's non-empty bins. The
 * threshold with the smallest KL(P || Q) wins; it is the right edge of its last bin.
 */
export function entropyThreshold(h: Histogram, quantizedBins = 128): number {
  const n = h.counts.length;
  const w = binWidth(h);
  if (n <= quantizedBins) return h.hi;
  let tail = 0;
  for (let b = quantizedBins; b < n; b++) tail += h.counts[b]!;
  let best = Infinity;
  let bestI = n;
  for (let i = quantizedBins; i <= n; i++) {
    // P: bins [0, i) with everything at or beyond i added to bin i-1.
    const p = new Float64Array(i);
    for (let b = 0; b < i; b++) p[b] = h.counts[b]!;
    p[i - 1]! += tail;
    if (i < n) tail -= h.counts[i]!;
    // Q: the unclipped bins merged into quantizedBins groups, expanded back over non-empty bins.
    const q = new Float64Array(i);
    const per = i / quantizedBins;
    for (let j = 0; j < quantizedBins; j++) {
      const start = Math.floor(j * per);
      const end = j === quantizedBins - 1 ? i : Math.floor((j + 1) * per);
      let mass = 0;
      let nonzero = 0;
      for (let b = start; b < end; b++) {
        mass += h.counts[b]!;
        if (h.counts[b]! > 0) nonzero++;
      }
      if (nonzero === 0) continue;
      for (let b = start; b < end; b++) if (h.counts[b]! > 0) q[b] = mass / nonzero;
    }
    const d = klDivergence(p, q);
    if (d < best) {
      best = d;
      bestI = i;
    }
  }
  return h.lo + bestI * w;
}

export function entropyRange(s: TensorStats, quantizedBins = 128): Range {
  if (!s.abs) throw new Error('internal: entropy calibration needs the |x| histogram');
  return clipRange(s, entropyThreshold(s.abs, quantizedBins));
}
