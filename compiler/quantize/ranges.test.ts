/**
 * Calibration methods against answers derived independently of the code: exact sample extremes, the
 * quantiles of a uniform grid, and the MSE-optimal clipping threshold of Laplace and Gaussian
 * distributions minimised from their closed-form clipping error (computed here, not by the code).
 */
import { describe, expect, it } from 'vitest';
import { histogramOf, newHistogram, addToHistogram } from './histogram.ts';
import { entropyRange, entropyThreshold } from './range-entropy.ts';
import { minmaxRange } from './range-minmax.ts';
import { mseThreshold } from './range-mse.ts';
import { percentileRange } from './range-percentile.ts';
import { quantizeBias, quantizeWeight, scaleZp } from './qparams.ts';
import { Tensor } from '../ir/tensor.ts';
import type { TensorStats } from './range-types.ts';

function statsOf(xs: Float64Array | number[]): TensorStats {
  let min = Infinity;
  let max = -Infinity;
  for (const x of xs) {
    min = Math.min(min, x);
    max = Math.max(max, x);
  }
  const s: TensorStats = { min, max, signed: newHistogram(min, max), abs: newHistogram(0, Math.max(-min, max)) };
  addToHistogram(s.signed!, xs);
  addToHistogram(s.abs!, xs, true);
  return s;
}

/** Seeded normal samples (mulberry32 + Box-Muller). */
function gaussian(n: number, seed: number): Float64Array {
  let a = seed >>> 0;
  const rnd = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const u = Math.max(rnd(), 1e-12);
    const v = rnd();
    const r = Math.sqrt(-2 * Math.log(u));
    out[i] = r * Math.cos(2 * Math.PI * v);
    if (i + 1 < n) out[i + 1] = r * Math.sin(2 * Math.PI * v);
  }
  return out;
}

/** Stratified Laplace(0, 1) sample: the inverse CDF at (i + 0.5) / n. */
function laplace(n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const u = (i + 0.5) / n;
    out[i] = u < 0.5 ? Math.log(2 * u) : -Math.log(2 * (1 - u));
  }
  return out;
}

/** argmin over a fine grid of a function of t. */
function argminGrid(f: (t: number) => number, lo: number, hi: number, steps = 20000): number {
  let best = Infinity;
  let bt = lo;
  for (let k = 0; k <= steps; k++) {
    const t = lo + ((hi - lo) * k) / steps;
    const v = f(t);
    if (v < best) {
      best = v;
      bt = t;
    }
  }
  return bt;
}

describe('minmax', () => {
  it('is the sample extremes', () => {
    expect(minmaxRange(statsOf([-3, 1, 2, 7.5, 0.25]))).toEqual({ rmin: -3, rmax: 7.5 });
  });
  it('gives ORT scale and zero point (worked by hand)', () => {
    // u8 over [-1, 3]: scale 4/255, zp round(0 + 1 / (4/255)) = round(63.75) = 64.
    expect(scaleZp(-1, 3, 'u8', false)).toEqual({ dtype: 'u8', scale: Math.fround(4 / 255), zp: 64 });
    // s8 asymmetric over [0, 6] (a Relu6 output): zp at -128.
    expect(scaleZp(0, 6, 'i8', false)).toEqual({ dtype: 'i8', scale: Math.fround(6 / 255), zp: -128 });
    // A range not containing 0 is widened to it.
    expect(scaleZp(2, 4, 'u8', false).zp).toBe(0);
    // Degenerate range: scale 1, zp 0 (ORT's rule for scale below FLT_MIN).
    expect(scaleZp(0, 0, 'i8', false)).toEqual({ dtype: 'i8', scale: 1, zp: 0 });
  });
  it('quantizes s8 weights symmetrically per channel and the bias with input x weight scale', () => {
    const w = Tensor.fromNumbers('f32', [2, 3], [0.5, -0.25, 0.1, -2, 1, 0]);
    const q = quantizeWeight(w, 'i8', 0);
    expect(q.scales).toEqual([Math.fround(0.5 / 127), Math.fround(2 / 127)]);
    expect(q.zps).toEqual([0, 0]);
    expect(Array.from(q.q.data as Int8Array)).toEqual([127, -64, 25, -127, 64, 0]);
    const b = quantizeBias(Tensor.fromNumbers('f32', [2], [1, -1]), 0.5, q.scales);
    expect(b.scales).toEqual([Math.fround(0.5 * q.scales[0]!), Math.fround(0.5 * q.scales[1]!)]);
    expect(Array.from(b.q.data as Int32Array)).toEqual([Math.round(1 / b.scales[0]!), -Math.round(1 / b.scales[1]!)]);
  });
});

describe('percentile', () => {
  it('cuts the tails of a uniform distribution at the quantile', () => {
    // Uniform grid on [-5, 5]: the 99% quantile is 4.9 and the 1% one -4.9 (histogram bin 10/2048).
    const n = 200000;
    const xs = Array.from({ length: n }, (_, i) => -5 + (10 * (i + 0.5)) / n);
    const r = percentileRange(statsOf(xs), 0.99);
    expect(r.rmax).toBeCloseTo(4.9, 2);
    expect(r.rmin).toBeCloseTo(-4.9, 2);
  });
  it('keeps the minimum of a non-negative tensor', () => {
    const xs = Array.from({ length: 100000 }, (_, i) => (10 * (i + 0.5)) / 100000);
    const r = percentileRange(statsOf(xs), 0.999);
    expect(r.rmin).toBeCloseTo(0, 3);
    expect(r.rmax).toBeCloseTo(9.99, 2);
  });
});

describe('mse', () => {
  it('finds the analytic optimum of a Laplace(0, 1) distribution', () => {
    // Two-sided clip at t, 256 levels. Per side, the integral of (x - t)^2 e^{-x} / 2 over x > t is e^{-t}
    // (substitute u = x - t: e^{-t} / 2 * Gamma(3)), so clipping costs 2 e^{-t}; rounding inside costs
    // (1 - e^{-t}) * step^2 / 12 with step = 2t / 255.
    const expected = argminGrid((t) => 2 * Math.exp(-t) + (1 - Math.exp(-t)) * ((2 * t) / 255) ** 2 / 12, 1, 20);
    const xs = laplace(2_000_000);
    const t = mseThreshold(histogramOf(xs, 2048, true), true, 256);
    expect(expected).toBeGreaterThan(8);
    expect(Math.abs(t - expected)).toBeLessThan(0.35);
  });
  it('finds the analytic optimum of a standard Gaussian', () => {
    // Tail integral of (x - t)^2 phi(x) over x > t is (1 + t^2) Q(t) - t phi(t); Q by numeric integration here.
    const phi = (x: number) => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
    const Q = (t: number) => {
      let s = 0;
      const h = 1e-3;
      for (let x = t; x < t + 12; x += h) s += (phi(x) + 4 * phi(x + h / 2) + phi(x + h)) * (h / 6);
      return s;
    };
    const mse = (t: number) => 2 * ((1 + t * t) * Q(t) - t * phi(t)) + (1 - 2 * Q(t)) * ((2 * t) / 255) ** 2 / 12;
    const expected = argminGrid(mse, 2, 6, 400);
    const t = mseThreshold(histogramOf(gaussian(1_000_000, 7), 2048, true), true, 256);
    expect(expected).toBeGreaterThan(3);
    expect(Math.abs(t - expected)).toBeLessThan(0.3);
  });
});

describe('entropy (TensorRT KL)', () => {
  it('clips far-away outliers of a Gaussian and keeps its body', () => {
    // 500k N(0, 1) samples and 50 outliers at +-40: minmax would span 40. The reference distribution P
    // cut at t keeps all but 2Q(t) of the mass; below 3 sigma that lost mass (> 0.27 %) piles into P's last
    // bin, which Q (128 merged bins) cannot follow, while above ~6 sigma the bins get coarser with nothing
    // left to gain: the KL threshold lies in [3, 6].
    const g = Array.from(gaussian(500_000, 3));
    for (let k = 0; k < 50; k++) g.push(k % 2 ? 40 : -40);
    const s = statsOf(g);
    const r = entropyRange(s);
    expect(r.rmax).toBeGreaterThan(3);
    expect(r.rmax).toBeLessThan(6);
    expect(r.rmin).toBeCloseTo(-r.rmax, 10);
  });
  it('keeps the whole range of a distribution without tails (uniform)', () => {
    // For a uniform |x| every clip below the maximum moves real mass into the last bin; the full range wins.
    const xs = Array.from({ length: 100000 }, (_, i) => (i + 0.5) / 100000);
    const h = histogramOf(xs, 2048, true);
    expect(entropyThreshold(h)).toBeGreaterThan(0.97);
  });
});
