/**
 * Deterministic float32 natural logarithm and power, step for step the same as runtime-c/qcc_float_extra.h
 * (qcc_logf, qcc_powf): every operation rounded to float32, no FMA, no libm.
 * logf: Cephes logf (range reduction to [sqrt(1/2), sqrt(2)), degree-8 polynomial), about 1 ulp.
 * powf(x, y): C99 special cases; y = 0, 1, 2, -1 exactly; else exp(y * log|x|) with the sign of x for
 * odd integer y and NaN for negative x with a non-integer y.
 */
import { expf } from './math.ts';

const f = Math.fround;
const SQRTHF = f(0.707106781186547524);
const P = [7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1,
  2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1].map(f);
const LN2_LO = f(-2.12194440e-4);
const LN2_HI = f(0.693359375);

const buf = new DataView(new ArrayBuffer(4));
const bitsOf = (x: number) => {
  buf.setFloat32(0, x);
  return buf.getUint32(0);
};
const fromBits = (b: number) => {
  buf.setUint32(0, b >>> 0);
  return buf.getFloat32(0);
};

/** float32 ln(x). */
export function logf(x: number): number {
  x = f(x);
  if (x !== x || x < 0) return NaN;
  if (x === 0) return -Infinity;
  if (x === Infinity) return Infinity;
  let e = 0;
  if (x < 1.1754943508222875e-38) {
    x = f(x * 8388608); // subnormal: scale by 2^23 first
    e = -23;
  }
  const b = bitsOf(x);
  e += ((b >>> 23) & 0xff) - 126;
  let m = fromBits((b & 0x807fffff) | 0x3f000000); // mantissa in [0.5, 1)
  if (m < SQRTHF) {
    e -= 1;
    m = f(f(m + m) - 1);
  } else {
    m = f(m - 1);
  }
  const z = f(m * m);
  let y = P[0]!;
  for (let i = 1; i < P.length; i++) y = f(f(y * m) + P[i]!);
  y = f(f(y * m) * z);
  const fe = f(e);
  y = f(y + f(LN2_LO * fe));
  y = f(y + f(f(-0.5) * z));
  let r = f(m + y);
  r = f(r + f(LN2_HI * fe));
  return r;
}

const isInt = (y: number) => Number.isFinite(y) && Math.floor(y) === y;
const isOddInt = (y: number) => isInt(y) && Math.abs(y) < 16777216 && Math.abs(y % 2) === 1;

/** float32 pow(x, y). */
export function powf(x: number, y: number): number {
  x = f(x);
  y = f(y);
  if (y === 0 || x === 1) return 1;
  if (x !== x || y !== y) return NaN;
  if (y === 1) return x;
  if (y === 2) return f(x * x);
  if (y === -1) return f(1 / x);
  const ax = Math.abs(x);
  if (x === 0 || ax === Infinity || Math.abs(y) === Infinity) {
    // Limits as C99 F.9.4.4 specifies them; exactly 0, Inf, or 1.
    if (Math.abs(y) === Infinity) {
      if (ax === 1) return 1;
      return (ax > 1) === (y > 0) ? Infinity : 0;
    }
    const neg = x < 0 || Object.is(x, -0);
    const big = ax === Infinity ? y > 0 : y < 0;
    const mag = big ? Infinity : 0;
    return neg && isOddInt(y) ? -mag : mag;
  }
  if (x < 0 && !isInt(y)) return NaN;
  const r = expf(f(y * logf(ax)));
  return x < 0 && isOddInt(y) ? -r : r;
}
