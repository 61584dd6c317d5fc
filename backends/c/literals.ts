import { DTYPES, type DType } from '../../compiler/ir/dtype.ts';

/**
 * Exact, deterministic C literals. Floats are hex floats (every float32/float64 is exactly representable
 * that way, and the text does not depend on a decimal printing algorithm). Infinities and NaNs are
 * written through the macros of LITERAL_MACROS (GCC/clang builtins keep the exact NaN bits and sign;
 * other compilers fall back to <math.h>'s INFINITY/NAN), so the generated code needs no libm.
 */

/** Helper macros every generated file that uses floatLit/doubleLit must see (guarded: may repeat). */
export const LITERAL_MACROS = `#ifndef QCC_LITERAL_MACROS
#define QCC_LITERAL_MACROS
#if defined(__GNUC__) || defined(__clang__)
/* Builtins are constant expressions and keep NaN payloads: the bits match the model exactly. */
#define QCC_INFF (__builtin_inff())
#define QCC_NANF(payload) (__builtin_nanf(payload))
#define QCC_NANSF(payload) (__builtin_nansf(payload))
#define QCC_INF (__builtin_inf())
#define QCC_NAN(payload) (__builtin_nan(payload))
#define QCC_NANS(payload) (__builtin_nans(payload))
#else
#include <math.h>
#define QCC_INFF INFINITY
#define QCC_NANF(payload) NAN
#define QCC_NANSF(payload) NAN
#define QCC_INF ((double)INFINITY)
#define QCC_NAN(payload) ((double)NAN)
#define QCC_NANS(payload) ((double)NAN)
#endif
#endif`;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** Hex digits of a mantissa with trailing zeros removed ('' when zero). */
function mantHex(m: bigint | number, digits: number): string {
  return m.toString(16).padStart(digits, '0').replace(/0+$/, '');
}

/** C literal of the float32 value of `x` (rounded to float32 first), with `f` suffix. */
export function floatLit(x: number): string {
  f32[0] = x;
  return f32BitsLit(u32[0]!);
}

const HEX = '0123456789abcdef';
/** `p<exp>f` suffixes for every float32 exponent, precomputed (big weight sets format fast). */
const EXP_SUFFIX = new Map<number, string>();
for (let e = -160; e <= 127; e++) EXP_SUFFIX.set(e, `p${e >= 0 ? '+' : ''}${e}f`);

/** '0x1' or '0x1.<hex>' for a 24-bit left-aligned mantissa (23 fraction bits << 1), trailing zeros cut. */
function hexMant24(m24: number): string {
  if (m24 === 0) return '0x1';
  let digits = 6;
  while ((m24 & 0xf) === 0) {
    m24 >>>= 4;
    digits--;
  }
  let s = '0x1.';
  for (let k = digits - 1; k >= 0; k--) s += HEX[(m24 >>> (4 * k)) & 0xf];
  return s;
}

/** C literal of a float32 given by its bit pattern. */
export function f32BitsLit(bits: number): string {
  const neg = bits >>> 31 !== 0;
  const e = (bits >>> 23) & 0xff;
  const m = bits & 0x7fffff;
  const sign = neg ? '-' : '';
  if (e === 0xff) {
    if (m === 0) return `${sign}QCC_INFF`;
    // Quiet NaNs have the top mantissa bit set; the builtin's payload is the rest.
    if (m & 0x400000) return `${sign}QCC_NANF("0x${(m & 0x3fffff).toString(16)}")`;
    return `${sign}QCC_NANSF("0x${m.toString(16)}")`;
  }
  if (e === 0 && m === 0) return `${sign}0.0f`;
  if (e === 0) {
    // Subnormal: normalise so the literal reads 0x1.xxxp-yyy (still exact).
    let mm = m;
    let ee = -126;
    while ((mm & 0x800000) === 0) {
      mm <<= 1;
      ee--;
    }
    return sign + hexMant24((mm & 0x7fffff) << 1) + EXP_SUFFIX.get(ee)!;
  }
  return sign + hexMant24(m << 1) + EXP_SUFFIX.get(e - 127)!;
}

/** C literal of a float64 value (no suffix). */
export function doubleLit(x: number): string {
  f64[0] = x;
  const bits = u64[0]!;
  const neg = bits >> 63n !== 0n;
  const e = Number((bits >> 52n) & 0x7ffn);
  const m = bits & 0xfffffffffffffn;
  const sign = neg ? '-' : '';
  if (e === 0x7ff) {
    if (m === 0n) return `${sign}QCC_INF`;
    if (m & 0x8000000000000n) return `${sign}QCC_NAN("0x${(m & 0x7ffffffffffffn).toString(16)}")`;
    return `${sign}QCC_NANS("0x${m.toString(16)}")`;
  }
  if (e === 0 && m === 0n) return `${sign}0.0`;
  if (e === 0) {
    let mm = m;
    let ee = -1022;
    while ((mm & 0x10000000000000n) === 0n) {
      mm <<= 1n;
      ee--;
    }
    const h = mantHex(mm & 0xfffffffffffffn, 13);
    return `${sign}0x1${h ? '.' + h : ''}p${ee}`;
  }
  const h = mantHex(m, 13);
  const ex = e - 1023;
  return `${sign}0x1${h ? '.' + h : ''}p${ex >= 0 ? '+' : ''}${ex}`;
}

/** Suffix of integer literals of this dtype. */
function intSuffix(dtype: DType): string {
  switch (dtype) {
    case 'i64': return 'LL';
    case 'u64': return 'ULL';
    case 'u32': return 'u';
    default: return '';
  }
}

/**
 * C literal of an integer of the given dtype, range-checked. Negative values are parenthesised so the
 * literal is safe in any expression; INT32_MIN/INT64_MIN are written as (MAX - 1) so no warning fires.
 * Integer dtypes only (f16 is its raw uint16 bits; bool is 0/1).
 */
export function intLit(x: number | bigint, dtype: DType): string {
  return intText(x, dtype, true);
}

function intText(x: number | bigint, dtype: DType, paren: boolean): string {
  const info = DTYPES[dtype];
  if (info.isFloat && dtype !== 'f16') throw new Error(`internal: intLit of float dtype ${dtype}`);
  if (typeof x === 'number' && !Number.isInteger(x)) throw new Error(`internal: intLit(${x}) is not an integer`);
  const v = BigInt(x);
  const bits = BigInt(info.bytes * 8);
  const signed = info.isSigned && dtype !== 'f16';
  const min = signed ? -(1n << (bits - 1n)) : 0n;
  const max = signed ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
  if (v < min || v > max) throw new Error(`internal: ${v} out of range for ${dtype}`);
  const sfx = intSuffix(dtype);
  if (v < 0n) {
    const body = v === min && bits >= 32n ? `-${max}${sfx} - 1` : `-${-v}${sfx}`;
    return paren ? `(${body})` : body;
  }
  return `${v}${sfx}`;
}

/** Decimal text of -128..255, indexed by value + 128. */
const SMALL_INTS: readonly string[] = Array.from({ length: 384 }, (_, i) => String(i - 128));

/**
 * Initializer elements of a constant array, `perLine` per line, each line indented. Fast path for big
 * weight sets: no per-element range checks beyond what the typed array already guarantees.
 */
export function arrayInitializer(dtype: DType, data: ArrayLike<number> | ArrayLike<bigint>, perLine = 16): string {
  const n = data.length;
  if (n === 0) return '';
  const parts: string[] = new Array<string>(n);
  if (dtype === 'f32') {
    const bits = new Uint32Array(Float32Array.from(data as ArrayLike<number>).buffer);
    for (let i = 0; i < n; i++) parts[i] = f32BitsLit(bits[i]!);
  } else if (dtype === 'f64') {
    for (let i = 0; i < n; i++) parts[i] = doubleLit(Number(data[i]));
  } else if (dtype === 'i64' || dtype === 'u64' || dtype === 'i32' || dtype === 'u32') {
    for (let i = 0; i < n; i++) parts[i] = intText(data[i] as number | bigint, dtype, false);
  } else if (dtype === 'i8' || dtype === 'u8' || dtype === 'bool') {
    // The common case of quantized weights: table lookup instead of number formatting.
    for (let i = 0; i < n; i++) parts[i] = SMALL_INTS[Number(data[i]) + 128]!;
  } else {
    // 16-bit integers, f16 bits: plain decimal ints.
    for (let i = 0; i < n; i++) parts[i] = String(data[i]);
  }
  const lines: string[] = new Array<string>(Math.ceil(n / perLine));
  for (let i = 0, k = 0; i < n; i += perLine, k++) lines[k] = '  ' + parts.slice(i, i + perLine).join(', ');
  return lines.join(',\n');
}

/**
 * C string literal of a model string (its UTF-8 bytes): printable ASCII as is, except `"`, `\` and `?`
 * (no trigraphs), everything else as 3-digit octal escapes, which never run into the next character.
 */
export function cStringLit(s: string): string {
  let out = '"';
  for (const b of Buffer.from(s, 'utf8')) {
    out += b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c && b !== 0x3f ? String.fromCharCode(b) : '\\' + b.toString(8).padStart(3, '0');
  }
  return out + '"';
}
