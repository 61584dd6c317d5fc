/** Accuracy metrics between float and quantized runs: SQNR (dB), max error, top-1 agreement. */
import type { Tensor } from '../ir/tensor.ts';

/** Running sums for SQNR = 10 log10(sum f^2 / sum (f - q)^2) and the largest |f - q|. */
export class ErrorStats {
  signal = 0;
  noise = 0;
  maxAbs = 0;
  count = 0;
  add(f: ArrayLike<number>, q: ArrayLike<number>): void {
    for (let i = 0; i < f.length; i++) {
      const a = f[i]!;
      const d = a - q[i]!;
      this.signal += a * a;
      this.noise += d * d;
      const ad = Math.abs(d);
      if (ad > this.maxAbs || ad !== ad) this.maxAbs = ad;
    }
    this.count += f.length;
  }
  /** +Infinity when the two agree exactly. */
  get sqnr(): number {
    if (this.noise === 0) return Infinity;
    if (this.signal === 0) return -Infinity;
    return 10 * Math.log10(this.signal / this.noise);
  }
}

export function argmaxOf(t: Tensor): number {
  const d = t.data as ArrayLike<number>;
  let best = 0;
  for (let i = 1; i < d.length; i++) if (d[i]! > d[best]!) best = i;
  return best;
}

export type ErrorTarget = { kind: 'sqnr'; min: number } | { kind: 'top1'; min: number };

export function parseErrorTarget(s: string): ErrorTarget | null {
  const m = /^(sqnr|top1):(-?\d+(?:\.\d+)?)$/.exec(s.trim());
  if (!m) return null;
  const v = Number(m[2]);
  if (m[1] === 'top1' && !(v >= 0 && v <= 1)) return null;
  return { kind: m[1] as 'sqnr' | 'top1', min: v };
}

export function formatDb(x: number): string {
  return x === Infinity ? 'exact' : x === -Infinity ? '-inf' : `${x.toFixed(1)} dB`;
}
