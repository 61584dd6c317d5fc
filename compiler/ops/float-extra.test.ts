import { describe, expect, it } from 'vitest';
import { loadOnnxBytes } from '../frontend/onnx/load.ts';
import { encodeModel } from '../frontend/onnx/writer.ts';
import { Tensor } from '../ir/tensor.ts';
import { interpret } from '../interpreter/interpret.ts';
import { logf, powf } from '../numerics/logf.ts';
import { Prng } from '../io/random-inputs.ts';
import { roundF32 } from './float-extra.ts';

const f = Math.fround;
const ulps = (a: number, b: number) => {
  const buf = new DataView(new ArrayBuffer(8));
  buf.setFloat32(0, a);
  buf.setFloat32(4, b);
  return Math.abs(buf.getInt32(0) - buf.getInt32(4));
};

describe('logf / powf', () => {
  it('logf is within 2 ulp of the correctly rounded log on normal, subnormal and large inputs', () => {
    const rng = new Prng(3);
    for (let i = 0; i < 20000; i++) {
      const x = f(2 ** (rng.nextFloat() * 250 - 140) * (1 + rng.nextFloat()));
      if (x === 0 || !Number.isFinite(x)) continue;
      expect(ulps(logf(x), f(Math.log(x))), `log(${x})`).toBeLessThanOrEqual(2);
    }
    expect(logf(0)).toBe(-Infinity);
    expect(logf(-1)).toBeNaN();
    expect(logf(Infinity)).toBe(Infinity);
    expect(logf(1)).toBe(0);
  });
  it('powf: C99 special cases, exact small integer exponents, close to Math.pow elsewhere', () => {
    expect(powf(NaN, 0)).toBe(1);
    expect(powf(1, NaN)).toBe(1);
    expect(powf(-8, 1 / 3)).toBeNaN();
    expect(Object.is(powf(-0, 3), -0)).toBe(true);
    expect(powf(-0, -1)).toBe(-Infinity);
    expect(powf(0, -2)).toBe(Infinity);
    expect(powf(-Infinity, 3)).toBe(-Infinity);
    expect(powf(-Infinity, 2)).toBe(Infinity);
    expect(powf(0.5, Infinity)).toBe(0);
    expect(powf(-1, -Infinity)).toBe(1);
    expect(powf(f(1.1), 2)).toBe(f(f(1.1) * f(1.1)));
    expect(powf(-2, 3)).toBeCloseTo(-8, 5);
    const rng = new Prng(5);
    for (let i = 0; i < 5000; i++) {
      const x = f(rng.nextFloat() * 10);
      const y = f(rng.nextFloat() * 8 - 4);
      const want = Math.pow(x, y);
      if (!Number.isFinite(want) || want === 0) continue;
      expect(Math.abs(powf(x, y) - want) / want, `${x} ** ${y}`).toBeLessThan(4e-6);
    }
  });
  it('round: ties to even, sign of zero kept', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999998, 8388607.5].map(roundF32)).toEqual([0, 2, 2, -0, -2, -2, 2, 8388608]);
    expect(Object.is(roundF32(-0.4), -0)).toBe(true);
    expect(Object.is(roundF32(0.4), 0)).toBe(true);
  });
});

describe('float-extra ops through the importer', () => {
  it('BatchNormalization, ReduceMean, ReduceMin, Pow, Round', () => {
    const x = Tensor.fromNumbers('f32', [1, 2, 3], [1, -2, 3, 4, 5, -6]);
    const bytes = encodeModel({
      opsets: [{ domain: '', version: 13 }],
      inputs: [{ name: 'x', dtype: 'f32', shape: [1, 2, 3] }],
      outputs: [{ name: 'bn' }, { name: 'mean' }, { name: 'min' }, { name: 'pow' }, { name: 'round' }],
      initializers: [
        { name: 's', tensor: Tensor.fromNumbers('f32', [2], [2, 0.5]) },
        { name: 'b', tensor: Tensor.fromNumbers('f32', [2], [1, -1]) },
        { name: 'm', tensor: Tensor.fromNumbers('f32', [2], [1, 2]) },
        { name: 'v', tensor: Tensor.fromNumbers('f32', [2], [3, 0]) },
        { name: 'two', tensor: Tensor.scalar('f32', 2) },
      ],
      nodes: [
        { op: 'BatchNormalization', inputs: ['x', 's', 'b', 'm', 'v'], outputs: ['bn'], attrs: { epsilon: { f: 1 } } },
        { op: 'ReduceMean', inputs: ['x'], outputs: ['mean'], attrs: { axes: { ints: [-1] }, keepdims: { i: 0 } } },
        { op: 'ReduceMin', inputs: ['x'], outputs: ['min'], attrs: { axes: { ints: [1] } } },
        { op: 'Pow', inputs: ['x', 'two'], outputs: ['pow'] },
        { op: 'Round', inputs: ['mean'], outputs: ['round'] },
      ],
    });
    const out = interpret(loadOnnxBytes(bytes), new Map([['x', x]]));
    // channel 0: (x - 1) / 2 * 2 + 1 = x; channel 1: (x - 2) / 1 * 0.5 - 1
    expect(out.get('bn')!.toNumbers()).toEqual([1, -2, 3, 0, 0.5, -5]);
    expect(out.get('mean')!.toNumbers()).toEqual([f(2 / 3), 1]);
    expect(out.get('mean')!.shape).toEqual([1, 2]);
    expect(out.get('min')!.toNumbers()).toEqual([1, -2, -6]);
    expect(out.get('min')!.shape).toEqual([1, 1, 3]);
    expect(out.get('pow')!.toNumbers()).toEqual([1, 4, 9, 16, 25, 36]);
    expect(out.get('round')!.toNumbers()).toEqual([1, 1]);
  });
});
