/**
 * Seeded referee inputs: randomInputs (integer extremes first, float ties at quantizer scales), and
 * float inputs that feed a QuantizeLinear spread over that quantizer's whole range, ends included,
 * plus a little beyond, so saturation on both sides and every rounding tie region are exercised.
 */
import { DTYPES } from '../../compiler/ir/dtype.ts';
import type { Graph, Value } from '../../compiler/ir/graph.ts';
import { Tensor } from '../../compiler/ir/tensor.ts';
import { Prng, randomInputs } from '../../compiler/io/random-inputs.ts';
import { f32ToF16Bits } from '../../compiler/numerics/f16.ts';

/** [lo, hi] real range and step of the per-tensor QuantizeLinear nodes an input feeds. */
function quantRanges(v: Value): { lo: number; hi: number; step: number }[] {
  const out: { lo: number; hi: number; step: number }[] = [];
  for (const u of v.users) {
    if (u.op !== 'quantize_linear' || u.inputs[0] !== v) continue;
    const s = u.inputs[1]?.const;
    const z = u.inputs[2]?.const;
    if (!s) continue;
    const dtype = z?.dtype ?? (typeof u.attrs['dtype'] === 'string' ? u.attrs['dtype'] : 'u8');
    const info = DTYPES[dtype as keyof typeof DTYPES];
    if (!info || info.isFloat) continue;
    const scales = s.toNumbers();
    const zps = z ? z.toNumbers() : [0];
    // Per-axis quantizers: the widest channel decides the span (narrower channels saturate more).
    let lo = Infinity;
    let hi = -Infinity;
    let step = Infinity;
    scales.forEach((sc, c) => {
      const zp = zps.length === 1 ? zps[0]! : zps[c]!;
      lo = Math.min(lo, sc * (info.min - zp));
      hi = Math.max(hi, sc * (info.max - zp));
      step = Math.min(step, sc);
    });
    if (Number.isFinite(lo) && Number.isFinite(hi) && step > 0) out.push({ lo, hi, step });
  }
  return out;
}

export function spanTensor(dtype: 'f32' | 'f16', shape: readonly number[], range: { lo: number; hi: number; step: number }, rng: Prng): Tensor {
  const t = new Tensor(dtype, shape);
  const n = t.size;
  const { lo, hi, step } = range;
  const margin = 4 * step;
  const values = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const r = rng.nextFloat();
    if (i === 0) values[i] = lo;
    else if (i === 1) values[i] = hi;
    else if (i === 2) values[i] = lo - margin;
    else if (i === 3) values[i] = hi + margin;
    else if (i === 4) values[i] = 0;
    else if (r < 0.3) {
      // Exact ties k + 0.5 in units of the step.
      const k = Math.floor(lo / step) + rng.intIn(0, Math.max(1, Math.round((hi - lo) / step)));
      values[i] = (k + 0.5) * step;
    } else values[i] = lo - margin + rng.nextFloat() * (hi - lo + 2 * margin);
  }
  if (dtype === 'f16') (t.data as Uint16Array).set(values.map((x) => f32ToF16Bits(Math.fround(x))));
  else (t.data as Float32Array).set(values.map((x) => Math.fround(x)));
  return t;
}

/** Inputs for one referee run; `fixed` overrides chosen inputs (e.g. shipped scales and zero points). */
export function refereeInputs(graph: Graph, seed: number, fixed: ReadonlyMap<string, Tensor> = new Map()): Map<string, Tensor> {
  const feeds = randomInputs(graph, seed);
  graph.inputs.forEach((v, k) => {
    const f = fixed.get(v.name);
    if (f) {
      feeds.set(v.name, f);
      return;
    }
    if (v.type.dtype !== 'f32' && v.type.dtype !== 'f16') return;
    const ranges = quantRanges(v);
    if (ranges.length === 0) return;
    const lo = Math.min(...ranges.map((r) => r.lo));
    const hi = Math.max(...ranges.map((r) => r.hi));
    const step = Math.min(...ranges.map((r) => r.step));
    feeds.set(v.name, spanTensor(v.type.dtype, v.type.shape, { lo, hi, step }, new Prng((seed * 7919 + k * 104729 + 17) >>> 0)));
  });
  return feeds;
}
