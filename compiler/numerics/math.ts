/**
 * Deterministic float32 transcendentals: exp, tanh, sigmoid.
 *
 * The C twins live in runtime-c/qcc_math.h and must stay in lock step with this file: every line here
 * that ends in Math.fround(...) is one `float` statement there, in the same order, with the same
 * constants (written here as exact float32 values, there as hex float literals). Only + - * / and
 * comparisons are used; each of them rounds once to float32 in both languages (a double result
 * rounded to float32 equals the correctly rounded float32 result for these operations), so the bits agree.
 *
 * NaN inputs return the canonical quiet NaN (0x7fc00000) so that payloads never differ between engines.
 *
 * Measured accuracy, exhaustively over all 2^32 float32 inputs against libm's double exp/tanh: exp 0.99 ulp
 * (at x = 70.403), tanh 1.33 ulp (x = 0.6283, just above the polynomial/exp switch), sigmoid 2.40 ulp
 * (x = -4.157). Overflow gives +inf exactly when exp(x) rounds above FLT_MAX, subnormal results are
 * rounded once, exp underflows to 0 below -103.97. math.test.ts checks these bounds on a sweep.
 */

const fr = Math.fround;

/** ln(2) split so that k*LN2_HI is exact for |k| <= 2^15 (LN2_HI has 9 significant bits). */
export const LN2_HI = 0.693359375; // 0x3f318000
export const LN2_LO = fr(-2.12194440e-4); // ln2 - LN2_HI, 0xb95e8083
export const LOG2E = fr(1.44269504088896341); // 0x3fb8aa3b

/** Minimax-style polynomial for (exp(r) - 1 - r) / r^2 on |r| <= 0.35 (Cephes expf coefficients). */
export const EXP_P = [
  fr(1.9875691500e-4),
  fr(1.3981999507e-3),
  fr(8.3334519073e-3),
  fr(4.1665795894e-2),
  fr(1.6666665459e-1),
  fr(5.0000001201e-1),
] as const;

/** Above this exp overflows (the largest float with a finite exp is 88.72283...). */
export const EXP_HI = 89;
/** Below this exp is 0 (exp(-103.98) is under half the smallest subnormal). */
export const EXP_LO = -104;

/** 2^n as a float32 for -126 <= n <= 127 (exact; the C side builds it from exponent bits). */
function pow2(n: number): number {
  return 2 ** n;
}

/** float32 exp(x). */
export function expf(x: number): number {
  x = fr(x);
  if (x !== x) return NaN;
  if (x > EXP_HI) return Infinity;
  if (x < EXP_LO) return 0;
  // k = round(x / ln2), by truncation of x*log2e +- 0.5 (|x*log2e| < 151, so the int conversion is exact).
  const t = fr(x * LOG2E);
  const k = Math.trunc(t < 0 ? fr(t - 0.5) : fr(t + 0.5));
  // r = x - k*ln2 in two steps: k*LN2_HI is exact and x - k*LN2_HI is exact (Sterbenz) for k != 0.
  const kf = k;
  const hi = fr(x - fr(kf * LN2_HI));
  const r = fr(hi - fr(kf * LN2_LO));
  // exp(r) = 1 + r + r^2 * P(r), Horner.
  const z = fr(r * r);
  let p = EXP_P[0];
  p = fr(fr(p * r) + EXP_P[1]);
  p = fr(fr(p * r) + EXP_P[2]);
  p = fr(fr(p * r) + EXP_P[3]);
  p = fr(fr(p * r) + EXP_P[4]);
  p = fr(fr(p * r) + EXP_P[5]);
  const q = fr(fr(p * z) + r);
  const e = fr(q + 1);
  // Scale by 2^k. k is in [-150, 128]; split so that each factor is a normal power of two and only the
  // last multiplication rounds (a subnormal or overflowing result is then rounded once).
  if (k > 127) return fr(fr(e * pow2(k - 1)) * 2);
  if (k < -126) return fr(fr(e * pow2(k + 64)) * pow2(-64));
  return fr(e * pow2(k));
}

/** Polynomial for (tanh(x) - x) / x^3 in x^2 on |x| < 0.625 (Cephes tanhf coefficients). */
export const TANH_P = [
  fr(-5.70498872745e-3),
  fr(2.06390887954e-2),
  fr(-5.37397155531e-2),
  fr(1.33314422036e-1),
  fr(-3.33332819422e-1),
] as const;

/** Below this |x|, tanh(x) rounds to x. */
export const TANH_TINY = 2 ** -12;
/** At or above this |x|, tanh(x) rounds to 1. */
export const TANH_ONE = 9.125;
export const TANH_POLY = 0.625;

/** float32 tanh(x). */
export function tanhf(x: number): number {
  x = fr(x);
  if (x !== x) return NaN;
  const neg = x < 0;
  const a = neg ? -x : x;
  let y: number;
  if (a < TANH_TINY) {
    return x; // keeps the sign of -0
  } else if (a < TANH_POLY) {
    const z = fr(a * a);
    let p = TANH_P[0];
    p = fr(fr(p * z) + TANH_P[1]);
    p = fr(fr(p * z) + TANH_P[2]);
    p = fr(fr(p * z) + TANH_P[3]);
    p = fr(fr(p * z) + TANH_P[4]);
    const c = fr(fr(p * z) * a);
    y = fr(c + a);
  } else if (a < TANH_ONE) {
    // tanh(a) = 1 - 2 / (exp(2a) + 1); for a >= 0.625 the subtraction loses no relative accuracy.
    const e = expf(fr(a + a));
    const d = fr(e + 1);
    const f = fr(2 / d);
    y = fr(1 - f);
  } else {
    y = 1;
  }
  return neg ? -y : y;
}

/** float32 logistic sigmoid 1 / (1 + exp(-x)). */
export function sigmoidf(x: number): number {
  x = fr(x);
  if (x !== x) return NaN;
  if (x >= 0) {
    const e = expf(-x);
    const d = fr(1 + e);
    return fr(1 / d);
  }
  // exp(x) / (1 + exp(x)) keeps full relative accuracy down to the subnormal range.
  const e = expf(x);
  const d = fr(1 + e);
  return fr(e / d);
}
