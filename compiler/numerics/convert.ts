/**
 * Element conversions of the Cast op, twin of the qcc_cvt_* functions in runtime-c/qcc_elementwise.h.
 *
 * ONNX leaves float -> integer out of range undefined; we do what onnxruntime-web (our referee) does,
 * which is what C compiled for wasm with saturating truncation does:
 *   - truncate toward zero, NaN -> 0;
 *   - int8/int16/int32 targets: saturate to the int32 range, then wrap to the width;
 *   - uint8/uint16/uint32 targets: saturate to [0, 2^32-1], then wrap to the width;
 *   - int64 / uint64 targets: saturate to their own range.
 * Everything else is exact or IEEE round-to-nearest-even once: integer -> float rounds once (int64 too),
 * float64 -> float16 goes through float32 (two roundings, as ONNX Runtime does; numpy rounds once),
 * integer -> integer wraps (ONNX: "discard higher bits"), anything -> bool is `!= 0` (NaN is true).
 * f16 -> f32 keeps NaN payloads (bit conversion), as the C side does.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Truncate and saturate to int32 (NaN -> 0); the caller's typed-array store then wraps to 8/16 bits. */
export function floatToI32Sat(x: number): number {
  if (x !== x) return 0;
  if (x >= 2147483647) return 2147483647;
  if (x <= -2147483648) return -2147483648;
  return Math.trunc(x);
}

/** Truncate and saturate to uint32 (NaN and negatives -> 0). */
export function floatToU32Sat(x: number): number {
  if (!(x > 0)) return 0;
  if (x >= 4294967295) return 4294967295;
  return Math.trunc(x);
}

export function floatToI64Sat(x: number): bigint {
  if (x !== x) return 0n;
  if (x >= 2 ** 63) return 2n ** 63n - 1n;
  if (x <= -(2 ** 63)) return -(2n ** 63n);
  return BigInt(Math.trunc(x));
}

export function floatToU64Sat(x: number): bigint {
  if (!(x > 0)) return 0n;
  if (x >= 2 ** 64) return 2n ** 64n - 1n;
  return BigInt(Math.trunc(x));
}

/** A 64-bit integer rounded once (to nearest, ties to even) to float32, as C's (float) does. */
export function bigToF32(v: bigint): number {
  const neg = v < 0n;
  let a = neg ? -v : v;
  const bits = a.toString(2).length;
  if (bits > 24) {
    const shift = BigInt(bits - 24);
    const rest = a & ((1n << shift) - 1n);
    const half = 1n << (shift - 1n);
    let m = a >> shift;
    if (rest > half || (rest === half && (m & 1n) === 1n)) m += 1n;
    a = m << shift;
  }
  // a has at most 25 significant bits now: exact in double and (after the carry) in float32.
  const r = Math.fround(Number(a));
  return neg ? -r : r;
}

/**
 * f16 bits -> float32 value with the NaN payload kept (the JS number carries it to typed-array stores).
 * NaNs are made quiet: a signalling NaN would be quieted by the first float conversion anyway.
 */
export function f16ToF32Keep(h: number): number {
  const sign = (h & 0x8000) << 16;
  const exp = (h >> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) {
    const v = mant * 2 ** -24;
    return sign ? -v : v;
  }
  u32[0] = (sign | (exp === 31 ? 0x7f800000 | (mant << 13) | (mant ? 0x400000 : 0) : ((exp - 15 + 127) << 23) | (mant << 13))) >>> 0;
  return f32[0]!;
}
