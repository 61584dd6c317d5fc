/**
 * Requantization scheme `fixed`: TFLite / CMSIS-NN integer-only requantization, one definition used by the
 * interpreter and by the C emitters (which compute multiplier and shift here at compile time). Mirrored
 * step for step by runtime-c/qcc_requant.h (qcc_quantize_multiplier_f32, qcc_mbqm, qcc_requantize_fixed).
 *
 * Compile time, from the float32 scale s of the fp32 scheme ((in * w) / out in float32, ORT's order):
 *   QuantizeMultiplier (tensorflow/lite/kernels/internal/quantization_util.cc):
 *     s = q * 2^shift with q in [0.5, 1) (frexp), mult = round(q * 2^31) (half away from zero);
 *     mult == 2^31 -> mult = 2^30, shift + 1; shift < -31 -> mult = 0, shift = 0 (flush tiny scales).
 *   From a float32 s the mantissa has 24 bits, so q * 2^31 is an integer: no rounding happens at all.
 *   Our additions where TFLite is undefined: NaN -> (0, 0) (gives the zero point, as the fp32 scheme does);
 *   +-Inf and shifts above 31 -> shift 31 (equivalent under the saturating left shift below);
 *   subnormal float32 scales are below 2^-126, so they are flushed to 0 like every scale below 2^-32.
 * Run time, MultiplyByQuantizedMultiplier (TFLite's double-rounding reference, gemmlowp's fixedpoint.h):
 *   left = max(shift, 0), right = max(-shift, 0)
 *   x    = saturate_i32(acc * 2^left)                 TFLite writes acc * (1 << left), which overflows (UB);
 *                                                    we saturate (CMSIS-NN and TFLite wrap in practice)
 *   h    = SaturatingRoundingDoublingHighMul(x, mult)  (x * mult + (x*mult >= 0 ? 2^30 : 1 - 2^30)) / 2^31,
 *                                                    truncating division; INT32_MIN * INT32_MIN -> INT32_MAX
 *   r    = RoundingDivideByPOT(h, right)              arithmetic shift, rounding half away from zero
 *   y    = clamp(r + zp, qmin, qmax)                  computed without overflow (TFLite adds in int32)
 */

const I32_MIN = -2147483648;
const I32_MAX = 2147483647;
const TWO31 = 2147483648;

/** int32 multiplier and shift of a requant scale: scale ~= mult * 2^(shift - 31). */
export interface FixedMultiplier {
  mult: number;
  shift: number;
}

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);

/** C's frexp on a finite nonzero double: [q, e] with |q| in [0.5, 1) and x = q * 2^e, exact. */
export function frexp(x: number): [number, number] {
  f64[0] = x;
  let e = (u32[1]! >>> 20) & 0x7ff;
  if (e === 0) {
    // Subnormal double: scale into the normal range first (exact).
    const [q, e2] = frexp(x * 2 ** 64);
    return [q, e2 - 64];
  }
  e -= 1022;
  return [x / 2 ** e, e]; // division by a power of two: exact
}

/** TfLiteRound: round half away from zero. */
function roundAway(x: number): number {
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}

/** TFLite's QuantizeMultiplier applied to a scale (a float32 value; doubles work too). */
export function quantizeMultiplier(scale: number): FixedMultiplier {
  if (scale !== scale) return { mult: 0, shift: 0 };
  if (scale === 0) return { mult: 0, shift: 0 };
  if (!Number.isFinite(scale)) return { mult: scale > 0 ? I32_MAX : -I32_MAX, shift: 31 };
  let [q, shift] = frexp(scale);
  let qf = roundAway(q * TWO31);
  if (Math.abs(qf) === TWO31) {
    qf /= 2;
    shift++;
  }
  if (shift < -31) return { mult: 0, shift: 0 };
  if (shift > 31) shift = 31;
  return { mult: qf, shift };
}

/** Per-channel multipliers of a list of float32 scales, as two Int32Arrays (what the C kernels take). */
export function quantizeMultipliers(scales: ArrayLike<number>): { mult: Int32Array; shift: Int32Array } {
  const mult = new Int32Array(scales.length);
  const shift = new Int32Array(scales.length);
  for (let i = 0; i < scales.length; i++) {
    const m = quantizeMultiplier(scales[i]!);
    mult[i] = m.mult;
    shift[i] = m.shift;
  }
  return { mult, shift };
}

/**
 * gemmlowp SaturatingRoundingDoublingHighMul for int32 a, b: trunc((a*b + nudge) / 2^31) with nudge 2^30
 * (a*b >= 0) or 1 - 2^30, and INT32_MIN * INT32_MIN -> INT32_MAX. Exact without BigInt: a*b is split so
 * every partial value stays below 2^53.
 */
export function srdhm(a: number, b: number): number {
  if (a === I32_MIN && b === I32_MIN) return I32_MAX;
  const neg = (a < 0) !== (b < 0) && a !== 0 && b !== 0;
  const nudge = neg ? 1 - 2 ** 30 : 2 ** 30;
  // a = ah * 2^16 + al with al in [0, 2^16); a*b = ah*b*2^16 + al*b.
  const al = a & 0xffff;
  const ah = (a - al) / 65536;
  const t1 = ah * b; // |t1| <= 2^15 * 2^31 = 2^46
  const q1 = Math.floor(t1 / 32768); // t1 = q1 * 2^15 + r1
  const r1 = t1 - q1 * 32768;
  // P = a*b + nudge = q1 * 2^31 + R, |R| < 2^47 + 2^31 + 2^30
  const R = r1 * 65536 + al * b + nudge;
  const qR = Math.floor(R / TWO31);
  const rem = R - qR * TWO31; // P mod 2^31, in [0, 2^31)
  let q = q1 + qR; // floor(P / 2^31)
  // Truncation toward zero: a negative P with a remainder rounds up. P < 0 <=> q < 0 (floor) here.
  if (q < 0 && rem !== 0) q += 1;
  return q;
}

/** gemmlowp RoundingDivideByPOT: x / 2^e (0 <= e <= 31) rounded to nearest, ties away from zero. */
export function roundingDivideByPOT(x: number, e: number): number {
  if (e === 0) return x;
  const mask = 2 ** e - 1;
  const remainder = x & mask; // JS & works on int32: mask 2^31 - 1 is fine
  const threshold = Math.floor(mask / 2) + (x < 0 ? 1 : 0);
  return (x >> e) + (remainder > threshold ? 1 : 0);
}

/** TFLite MultiplyByQuantizedMultiplier with a saturating left shift (see the header). */
export function multiplyByQuantizedMultiplier(acc: number, mult: number, shift: number): number {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  let x = (acc | 0) * 2 ** left; // exact: |acc| <= 2^31, left <= 31
  if (x > I32_MAX) x = I32_MAX;
  else if (x < I32_MIN) x = I32_MIN;
  return roundingDivideByPOT(srdhm(x, mult | 0), right);
}

/** The `fixed` scheme's output: clamp(MBQM(acc) + zp, qmin, qmax), without int32 overflow. */
export function requantizeFixed(acc: number, mult: number, shift: number, zp: number, qmin: number, qmax: number): number {
  const v = multiplyByQuantizedMultiplier(acc, mult, shift) + zp; // exact in a double
  return v < qmin ? qmin : v > qmax ? qmax : v;
}
