import { describe, expect, it } from 'vitest';
import { DTYPES, type DType } from '../ir/dtype.ts';
import { Graph } from '../ir/graph.ts';
import { Tensor, tensorsIdentical } from '../ir/tensor.ts';
import { f16BitsToF32 } from '../numerics/f16.ts';
import { Prng, randomInputs, randomTensor } from './random-inputs.ts';

function graphWithInputs(specs: [string, DType, number[]][]): Graph {
  const g = new Graph('g');
  g.inputs = specs.map(([n, d, s]) => g.addValue(n, { dtype: d, shape: s }));
  return g;
}

describe('Prng (xoshiro128**)', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = new Prng(42);
    const b = new Prng(42);
    const c = new Prng(43);
    const sa = Array.from({ length: 16 }, () => a.nextU32());
    const sb = Array.from({ length: 16 }, () => b.nextU32());
    const sc = Array.from({ length: 16 }, () => c.nextU32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
    for (const x of sa) expect(Number.isInteger(x) && x >= 0 && x < 2 ** 32).toBe(true);
  });

  it('intIn stays inside the inclusive range and reaches both ends of a small range', () => {
    const r = new Prng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const x = r.intIn(-3, 3);
      expect(x).toBeGreaterThanOrEqual(-3);
      expect(x).toBeLessThanOrEqual(3);
      seen.add(x);
    }
    expect([...seen].sort((p, q) => p - q)).toEqual([-3, -2, -1, 0, 1, 2, 3]);
  });
});

describe('randomInputs', () => {
  it('gives the same tensors for the same seed and different ones for another seed', () => {
    const g = graphWithInputs([['x', 'f32', [2, 3, 5]], ['y', 'i8', [40]]]);
    const a = randomInputs(g, 5);
    const b = randomInputs(g, 5);
    const c = randomInputs(g, 6);
    for (const k of ['x', 'y']) {
      expect(tensorsIdentical(a.get(k)!, b.get(k)!)).toBe(true);
      expect(tensorsIdentical(a.get(k)!, c.get(k)!)).toBe(false);
    }
  });

  it('matches every input dtype and shape', () => {
    const dtypes: DType[] = ['f32', 'f64', 'f16', 'i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64', 'u64', 'bool'];
    const g = graphWithInputs(dtypes.map((d, i) => [`in${i}`, d, [3, i + 2]]));
    const feeds = randomInputs(g, 1);
    dtypes.forEach((d, i) => {
      const t = feeds.get(`in${i}`)!;
      expect(t.dtype).toBe(d);
      expect([...t.shape]).toEqual([3, i + 2]);
    });
  });

  it.each(['i8', 'u8', 'i16', 'u16', 'i32', 'u32'] as DType[])('%s inputs start with the extremes and stay in range', (d) => {
    const g = graphWithInputs([['x', d, [1000]]]);
    const t = randomInputs(g, 3).get('x')!;
    const { min, max } = DTYPES[d];
    expect(t.toNumbers().slice(0, 5)).toEqual([min, max, 0, min + 1, max - 1]);
    const v = t.toNumbers();
    expect(Math.min(...v)).toBe(min);
    expect(Math.max(...v)).toBe(max);
    // Uniform over the full range: both halves are populated after the extremes.
    const mid = (min + max) / 2;
    expect(v.slice(5).filter((x) => x < mid).length).toBeGreaterThan(300);
    expect(v.slice(5).filter((x) => x > mid).length).toBeGreaterThan(300);
  });

  it('int64 inputs start with the 64-bit extremes', () => {
    const t = randomInputs(graphWithInputs([['x', 'i64', [8]]]), 0).get('x')!;
    const d = t.data as BigInt64Array;
    expect([d[0], d[1], d[2], d[3], d[4]]).toEqual([-(2n ** 63n), 2n ** 63n - 1n, 0n, -(2n ** 63n) + 1n, 2n ** 63n - 2n]);
  });

  it('float inputs are finite, include zeros, half steps and larger magnitudes', () => {
    const t = randomInputs(graphWithInputs([['x', 'f32', [4000]]]), 9).get('x')!;
    const v = t.toNumbers();
    expect(v.every((x) => Number.isFinite(x))).toBe(true);
    expect(v.filter((x) => x === 0).length).toBeGreaterThan(100);
    expect(v.filter((x) => x !== 0 && Math.abs(x % 1) === 0.5).length).toBeGreaterThan(100);
    expect(v.filter((x) => Math.abs(x) > 4).length).toBeGreaterThan(20);
    expect(v.filter((x) => Math.abs(x) <= 4).length).toBeGreaterThan(2500);
  });

  it('f16 inputs are finite half-precision bit patterns', () => {
    const t = randomInputs(graphWithInputs([['x', 'f16', [500]]]), 2).get('x')!;
    const v = Array.from(t.data as Uint16Array, f16BitsToF32);
    expect(v.every((x) => Number.isFinite(x))).toBe(true);
    expect(v.some((x) => x !== 0)).toBe(true);
  });

  it('aims rounding ties at the scale of a quantizer the input feeds', () => {
    const g = graphWithInputs([['x', 'f32', [2000]]]);
    const scale = Math.fround(0.0375);
    const s = g.addConst('s', Tensor.scalar('f32', scale));
    const zp = g.addConst('zp', Tensor.scalar('u8', 128));
    const y = g.addValue('y', { dtype: 'u8', shape: [2000] });
    g.addNode('quantize_linear', 'q', [g.inputs[0]!, s, zp], [y]);
    const v = randomInputs(g, 4).get('x')!.toNumbers();
    const ties = v.filter((x) => Math.abs(x) < 100 && Math.abs(Math.fround(x / scale) % 1) === 0.5);
    expect(ties.length).toBeGreaterThan(50);
  });

  it('randomTensor handles empty and scalar shapes', () => {
    expect(randomTensor('i8', [0], new Prng(1)).size).toBe(0);
    expect(randomTensor('u8', [], new Prng(1)).toNumbers()).toEqual([0]);
  });
});
