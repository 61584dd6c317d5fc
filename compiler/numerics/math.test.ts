import { describe, expect, it } from 'vitest';
import { expf, sigmoidf, tanhf } from './math.ts';

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const fromBits = (b: number): number => {
  u32[0] = b >>> 0;
  return f32[0]!;
};
const bits = (x: number): number => {
  f32[0] = x;
  return u32[0]!;
};

/** |got - want| in units of the float32 ulp at want (the true value, a double). +-inf counts as +-2^128. */
function ulpError(got: number, want: number): number {
  if (want !== want) return got !== got ? 0 : Infinity;
  // Beyond float32's range (|want| >= 2^128) the only right answer is the infinity of that sign.
  if (Math.abs(want) >= 2 ** 128) return got === Math.sign(want) * Infinity ? 0 : Infinity;
  const g = got === Infinity ? 2 ** 128 : got === -Infinity ? -(2 ** 128) : got;
  const a = Math.abs(want);
  let e = a === 0 ? -149 : Math.floor(Math.log2(a));
  if (a !== 0 && 2 ** e > a) e--;
  if (a !== 0 && 2 ** (e + 1) <= a) e++;
  const ulp = 2 ** Math.max(Math.min(e, 127) - 23, -149);
  return Math.abs(g - want) / ulp;
}

const sigmoidRef = (x: number): number => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

/** Every float32 in a strided sweep of all bit patterns, plus seeded random bit patterns. */
function* sample(stride: number, randomCount: number): Generator<number> {
  for (let b = 0; b < 2 ** 32; b += stride) yield fromBits(b);
  let s = 0x9e3779b9;
  for (let i = 0; i < randomCount; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    yield fromBits(s);
  }
}

function worst(fn: (x: number) => number, ref: (x: number) => number, xs: Iterable<number>): { err: number; x: number } {
  let err = 0;
  let at = 0;
  for (const x of xs) {
    if (x !== x) continue;
    const e = ulpError(fn(x), ref(x));
    if (e > err) {
      err = e;
      at = x;
    }
  }
  return { err, x: at };
}

/** Dense sweep of the interesting range of each function: all floats with |x| < hi, every k-th. */
function* dense(hi: number, k: number): Generator<number> {
  const top = bits(hi);
  for (let b = 0; b < top; b += k) {
    yield fromBits(b);
    yield fromBits(b | 0x80000000);
  }
}

describe('expf', () => {
  it('is within 1 ulp of exp over the whole float range', () => {
    const w = worst(expf, Math.exp, sample(1999, 200_000));
    expect(w.err, `at x=${w.x}`).toBeLessThanOrEqual(1);
    const d = worst(expf, Math.exp, dense(104, 1009));
    expect(d.err, `at x=${d.x}`).toBeLessThanOrEqual(1);
  });

  it('handles the edges', () => {
    expect(bits(expf(NaN))).toBe(0x7fc00000);
    expect(bits(expf(fromBits(0xffc12345)))).toBe(0x7fc00000);
    expect(expf(Infinity)).toBe(Infinity);
    expect(expf(-Infinity)).toBe(0);
    expect(expf(0)).toBe(1);
    expect(expf(-0)).toBe(1);
    // largest float with a finite exp: 88.72283 (0x42b17217); the next one overflows
    expect(expf(fromBits(0x42b17217))).toBe(Math.fround(Math.exp(fromBits(0x42b17217))));
    expect(expf(fromBits(0x42b17218))).toBe(Infinity);
    expect(expf(89)).toBe(Infinity);
    expect(expf(3e38)).toBe(Infinity);
    // subnormal results are rounded once: exp(-100) = 3.72e-44 = 26.5 * 2^-149
    expect(expf(-100)).toBe(Math.fround(Math.exp(-100)));
    expect(expf(-103.9)).toBe(2 ** -149);
    expect(expf(-104)).toBe(0);
    expect(expf(-3e38)).toBe(0);
    // the minimum normal boundary
    const xm = Math.fround(-87.33654);
    expect(ulpError(expf(xm), Math.exp(xm))).toBeLessThanOrEqual(1);
  });
});

describe('tanhf', () => {
  it('is within 2 ulp of tanh over the whole float range', () => {
    const w = worst(tanhf, Math.tanh, sample(1999, 200_000));
    expect(w.err, `at x=${w.x}`).toBeLessThanOrEqual(2);
    const d = worst(tanhf, Math.tanh, dense(10, 601));
    expect(d.err, `at x=${d.x}`).toBeLessThanOrEqual(2);
  });

  it('is odd, exact at the ends, and x for tiny x', () => {
    for (const x of dense(10, 100_003)) expect(tanhf(-x)).toBe(-tanhf(x));
    expect(tanhf(Infinity)).toBe(1);
    expect(tanhf(-Infinity)).toBe(-1);
    expect(tanhf(20)).toBe(1);
    expect(tanhf(9.125)).toBe(1);
    expect(Object.is(tanhf(-0), -0)).toBe(true);
    expect(tanhf(2 ** -13)).toBe(2 ** -13);
    expect(tanhf(fromBits(1))).toBe(fromBits(1));
    expect(bits(tanhf(NaN))).toBe(0x7fc00000);
    // both sides of the polynomial / exp switch at 0.625
    for (const x of [fromBits(bits(0.625) - 1), 0.625]) expect(ulpError(tanhf(x), Math.tanh(x))).toBeLessThanOrEqual(2);
  });
});

describe('sigmoidf', () => {
  it('is within 2.5 ulp of the logistic function over the whole float range', () => {
    const w = worst(sigmoidf, sigmoidRef, sample(1999, 200_000));
    expect(w.err, `at x=${w.x}`).toBeLessThanOrEqual(2.5);
    const d = worst(sigmoidf, sigmoidRef, dense(110, 1009));
    expect(d.err, `at x=${d.x}`).toBeLessThanOrEqual(2.5);
  });

  it('handles the edges', () => {
    expect(sigmoidf(0)).toBe(0.5);
    expect(sigmoidf(-0)).toBe(0.5);
    expect(sigmoidf(Infinity)).toBe(1);
    expect(sigmoidf(-Infinity)).toBe(0);
    expect(sigmoidf(20)).toBe(1);
    // deep in the negative range the result is exp(x) itself, subnormal included
    expect(sigmoidf(-100)).toBe(expf(-100));
    expect(sigmoidf(-100)).toBeGreaterThan(0);
    expect(sigmoidf(-200)).toBe(0);
    expect(bits(sigmoidf(NaN))).toBe(0x7fc00000);
  });
});
