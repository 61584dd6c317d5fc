import { DTYPES, type DType } from '../ir/dtype.ts';
import type { Tensor } from '../ir/tensor.ts';
import { f16BitsToF32, f32ToF16Bits } from '../numerics/f16.ts';
import { CANONICAL_NAN_F32, formatF16Value, formatF32, formatF64, parseNumberText } from './numbers.ts';

const f16RoundTrip = (x: number): number => f16BitsToF32(f32ToF16Bits(x));
const hex = (b: number, digits: number): string => '0x' + (b >>> 0).toString(16).padStart(digits, '0');

/**
 * Tensor elements as exact literals. With `nanBits`, a NaN other than the canonical quiet NaN is written
 * as `nan:0x<bits>` (the IR text keeps every bit; the ONNX syntax has no way to, so it writes `nan`).
 */
export function tensorItems(t: Tensor, nanBits = false): string[] {
  switch (t.dtype) {
    case 'f32': {
      // Bits are read from memory: converting a signalling NaN to a JS number would quiet it.
      const bits = new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length);
      return Array.from(t.data as Float32Array, (v, i) => {
        if (nanBits && Number.isNaN(v) && bits[i] !== CANONICAL_NAN_F32) return `nan:${hex(bits[i]!, 8)}`;
        return formatF32(v);
      });
    }
    case 'f64':
      return Array.from(t.data as Float64Array, formatF64);
    case 'f16':
      return Array.from(t.data as Uint16Array, (h) => {
        const v = f16BitsToF32(h);
        if (nanBits && Number.isNaN(v) && h !== 0x7e00) return `nan:${hex(h, 4)}`;
        return formatF16Value(v, f16RoundTrip);
      });
    case 'i64':
    case 'u64':
      return Array.from(t.data as BigInt64Array, (b) => b.toString());
    default:
      return Array.from(t.data as ArrayLike<number>, (x) => String(x));
  }
}

/**
 * Stores the literal `text` as element i of t (the inverse of tensorItems). Returns an error message
 * (what is wrong with the literal) instead of throwing, so the caller can locate it.
 */
export function setTensorItem(t: Tensor, i: number, text: string, typeName: string = t.dtype as string): string | undefined {
  const info = DTYPES[t.dtype];
  const bits = /^nan:0x([0-9a-fA-F]+)$/.exec(text);
  if (bits) {
    if (t.dtype === 'f32') new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length)[i] = parseInt(bits[1]!, 16) >>> 0;
    else if (t.dtype === 'f16') (t.data as Uint16Array)[i] = parseInt(bits[1]!, 16) & 0xffff;
    else return `NaN bits are only for f32 and f16 data, not ${typeName}`;
    return undefined;
  }
  if (t.dtype === 'bool' && (text === 'true' || text === 'false')) {
    (t.data as Uint8Array)[i] = text === 'true' ? 1 : 0;
    return undefined;
  }
  if (!info.isFloat) {
    if (!/^[+-]?\d+$/.test(text)) return `expected an integer in ${typeName} data, found '${text}'`;
    const b = BigInt(text);
    const [lo, hi] = info.isBig ? (info.isSigned ? [-(2n ** 63n), 2n ** 63n - 1n] : [0n, 2n ** 64n - 1n]) : [BigInt(info.min), BigInt(info.max)];
    if (b < lo || b > hi) return `${text} is out of range for ${typeName} (${lo} to ${hi})`;
    if (info.isBig) (t.data as BigInt64Array | BigUint64Array)[i] = b;
    else (t.data as Int32Array)[i] = Number(b);
    return undefined;
  }
  const x = parseNumberText(text);
  if (x === undefined) return `expected a number in ${typeName} data, found '${text}'`;
  if (t.dtype === 'f16') (t.data as Uint16Array)[i] = f32ToF16Bits(x);
  else (t.data as Float32Array | Float64Array)[i] = x;
  return undefined;
}

/** Whether every element has the same bits (so the tensor can be written as a splat). */
export function isSplat(t: Tensor): boolean {
  const b = t.bytes();
  const w = DTYPES[t.dtype].bytes;
  for (let i = w; i < b.length; i++) if (b[i] !== b[i % w]) return false;
  return true;
}

/** FNV-1a 32-bit hash of the bytes, as 8 hex digits (identifies elided data in summaries). */
export function dataHash(t: Tensor): string {
  let h = 0x811c9dc5;
  for (const c of t.bytes()) h = Math.imul(h ^ c, 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The element type names of the IR text are qcc's dtype names. */
export const DTYPE_NAMES = Object.keys(DTYPES) as DType[];
