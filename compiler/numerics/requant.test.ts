import { describe, expect, it } from 'vitest';
import { quantizeF32, requantScaleF32, requantizeF32 } from './requant.ts';
import { roundHalfEvenF32 } from './round.ts';

describe('roundHalfEvenF32', () => {
  it.each([
    [0.5, 0], [1.5, 2], [2.5, 2], [3.5, 4], [-0.5, 0], [-1.5, -2], [-2.5, -2], [-3.5, -4],
    [0.49999997, 0], [1.0000001, 1], [-1.0000001, -1], [4194303.5, 4194304], [4194302.5, 4194302],
    [8388607.5, 8388608], [-8388607.5, -8388608], [16777216, 16777216], [-(2 ** 40), -(2 ** 40)],
  ])('%f -> %f', (x, want) => {
    expect(roundHalfEvenF32(Math.fround(x)) + 0).toBe(want);
  });
  it('keeps NaN and infinities', () => {
    expect(roundHalfEvenF32(NaN)).toBeNaN();
    expect(roundHalfEvenF32(Infinity)).toBe(Infinity);
  });
});

describe('requantizeF32 (fp32 scheme)', () => {
  // [acc, scale, zp, qmin, qmax, expected] — expected values worked out by hand.
  it.each([
    [5, 0.5, 0, 0, 255, 2], // 2.5 ties to even
    [7, 0.5, 0, 0, 255, 4], // 3.5 ties to even
    [-5, 0.5, 0, -128, 127, -2], // -2.5
    [-7, 0.5, 0, -128, 127, -4], // -3.5
    [3, 0.5, 10, 0, 255, 12], // 1.5 -> 2, + zp
    [1000, 1, 0, -128, 127, 127],
    [-1000, 1, 0, -128, 127, -128],
    [-1, 1, 0, 0, 255, 0],
    [300, 1, 0, 0, 255, 255],
    [5, 1, 255, 0, 255, 255], // zp at the top end saturates upward at once
    [-3, 1, 255, 0, 255, 252],
    [-1, 1, -128, -128, 127, -128], // zp at the bottom end
    [300, 1, -128, -128, 127, 127],
    [1, 0, 7, 0, 255, 7], // zero scale
    [1, 1e30, 0, -128, 127, 127], // huge scale
    [-1, 1e30, 3, 0, 255, 0],
    [0, 1e30, 3, 0, 255, 3],
    [2147483647, 1e-9, 0, -128, 127, 2], // float(2^31-1) = 2^31; * ~1e-9 = 2.147..
    [-2147483648, 2 ** -24, 0, -128, 127, -128],
    [33554433, 2 ** -26, 0, 0, 255, 0], // float32(2^25+1) = 2^25 -> exactly 0.5 -> 0 (the int is rounded to float first)
    [2 ** 31, 2 ** -31, 0, -128, 127, -1], // accumulators wrap like int32: 2^31 is -2^31
    [-3, 0.5, 0, 0, 255, 0], // -1.5 -> -2 -> clamped
    [255, 1, 0, 0, 255, 255],
    [-128, 1, 0, -128, 127, -128],
    [127, 1, 0, -128, 127, 127],
  ])('acc %d * %f zp %d in [%d,%d] -> %d', (acc, scale, zp, qmin, qmax, want) => {
    expect(requantizeF32(acc, Math.fround(scale), zp, qmin, qmax)).toBe(want);
  });

  it('sends NaN to the zero point (as onnxruntime-web does)', () => {
    expect(requantizeF32(1, NaN, 10, 0, 255)).toBe(10);
    expect(requantizeF32(0, Infinity, -7, -128, 127)).toBe(-7); // 0 * inf = NaN
    expect(requantizeF32(1, Infinity, -7, -128, 127)).toBe(127);
  });

  it('computes the scale as (a * b) / c in float32, in that order', () => {
    const f = new Float32Array(3);
    // Independent float32 evaluation through a Float32Array store after each operation.
    const ref = (a: number, b: number, c: number) => {
      f[0] = a; f[1] = b; f[2] = c;
      f[0] = f[0]! * f[1]!;
      f[0] = f[0]! / f[2]!;
      return f[0]!;
    };
    let differsFromOtherOrder = 0;
    for (const [a, b, c] of [[0.1, 0.3, 0.7], [0.0078125, 0.00392157, 0.0235], [1e-3, 3e-3, 7e-3], [0.017, 0.0042, 0.031]]) {
      const [a32, b32, c32] = [Math.fround(a!), Math.fround(b!), Math.fround(c!)];
      expect(requantScaleF32(a32, b32, c32)).toBe(ref(a32, b32, c32));
      if (requantScaleF32(a32, b32, c32) !== Math.fround(a32 * Math.fround(b32 / c32))) differsFromOtherOrder++;
    }
    expect(differsFromOtherOrder).toBeGreaterThan(0);
  });
});

describe('quantizeF32', () => {
  it.each([
    [0, 2, 128, 0, 255, 128], [2, 2, 128, 0, 255, 129], [3, 2, 128, 0, 255, 130], [1000, 2, 128, 0, 255, 255],
    [-254, 2, 128, 0, 255, 1], [-1000, 2, 128, 0, 255, 0], // the ONNX example
    [1, 2, 0, -128, 127, 0], [5, 2, 0, -128, 127, 2], [-3, 2, 0, -128, 127, -2], [-5, 2, 0, -128, 127, -2],
    [1e10, 1, 0, -32768, 32767, 32767], [-1e10, 1, 100, 0, 65535, 0], [1, 0, 0, 0, 255, 255], [-1, 0, 0, -128, 127, -128],
    [0, 0, 5, 0, 255, 0], // 0/0 = NaN -> 0 (not zp), as onnxruntime-web
    [NaN, 1, -20, -128, 127, 0], [NaN, 1, 100, 0, 255, 0], [Infinity, 1, 100, 0, 255, 255], [-Infinity, 1, -20, -128, 127, -128],
  ])('%f / %f + %d in [%d,%d] -> %d', (x, s, zp, qmin, qmax, want) => {
    expect(quantizeF32(x, s, zp, qmin, qmax)).toBe(want);
  });
});
