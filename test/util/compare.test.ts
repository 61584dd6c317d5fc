import { describe, expect, it } from 'vitest';
import { Tensor } from '../../compiler/ir/tensor.ts';
import { f32ToF16Bits } from '../../compiler/numerics/f16.ts';
import { ONNX_TOLERANCE, checkClose, checkIdentical, checkOutputs, maxAbsDiff } from './compare.ts';

const f = (v: number[], shape = [v.length]) => Tensor.fromNumbers('f32', shape, v.map(Math.fround));

describe('compare utilities', () => {
  it('integers: exact, with the first differing index, coordinates and both values', () => {
    const a = Tensor.fromNumbers('i8', [2, 3], [1, 2, 3, 4, -128, 6]);
    const b = Tensor.fromNumbers('i8', [2, 3], [1, 2, 3, 4, 127, 6]);
    expect(checkClose(a, a)).toBeUndefined();
    expect(checkClose(a, b, ONNX_TOLERANCE, 'y')).toBe('y: 1 of 6 elements differ; first at index 4 (at [1,1]): got -128, expected 127');
  });

  it('64-bit integers compare exactly beyond 2^53', () => {
    const a = new Tensor('i64', [1], BigInt64Array.of(2n ** 60n + 1n));
    const b = new Tensor('i64', [1], BigInt64Array.of(2n ** 60n));
    expect(checkClose(a, b)).toMatch(/got 1152921504606846977, expected 1152921504606846976/);
    expect(checkIdentical(a, b)).toMatch(/1 of 1 elements differ/);
  });

  it('floats: rtol/atol as numpy.allclose, NaN equals NaN, infinities must match', () => {
    expect(checkClose(f([1, NaN, Infinity]), f([1.0009, NaN, Infinity]))).toBeUndefined();
    expect(checkClose(f([1]), f([1.002]))).toMatch(/beyond rtol=0.001/);
    expect(checkClose(f([NaN]), f([0]))).toMatch(/got NaN, expected 0/);
    expect(checkClose(f([Infinity]), f([-Infinity]))).toMatch(/1 of 1/);
    expect(checkClose(f([0]), f([1e-8]))).toBeUndefined(); // within atol 1e-7
    expect(checkClose(f([0]), f([1e-8]), { rtol: 1e-5, atol: 0 })).toMatch(/1 of 1/);
  });

  it('f16 compares by value; identical compares by bits', () => {
    const a = new Tensor('f16', [2], Uint16Array.of(f32ToF16Bits(1), f32ToF16Bits(0)));
    const b = new Tensor('f16', [2], Uint16Array.of(f32ToF16Bits(1), 0x8000)); // -0
    expect(checkClose(a, b)).toBeUndefined();
    expect(checkIdentical(a, b)).toMatch(/first at index 1/);
  });

  it('dtype and shape mismatches are reported before values', () => {
    expect(checkClose(Tensor.fromNumbers('u8', [2], [1, 2]), Tensor.fromNumbers('i8', [2], [1, 2]))).toBe('dtype u8, expected i8');
    expect(checkIdentical(f([1, 2], [2, 1]), f([1, 2], [1, 2]))).toBe('shape [2,1], expected [1,2]');
  });

  it('output maps: missing and unexpected names, one line per problem', () => {
    const m = checkOutputs(new Map([['a', f([1])], ['c', f([0])]]), new Map([['a', f([2])], ['b', f([0])]]), checkIdentical);
    expect(m?.split('\n')).toHaveLength(3);
    expect(m).toMatch(/output 'a': 1 of 1/);
    expect(m).toMatch(/output 'b' missing/);
    expect(m).toMatch(/unexpected output 'c'/);
  });

  it('maxAbsDiff', () => {
    expect(maxAbsDiff(f([1, 2, NaN]), f([1, 2.5, NaN]))).toBe(0.5);
    expect(maxAbsDiff(f([NaN]), f([1]))).toBe(Infinity);
  });
});
