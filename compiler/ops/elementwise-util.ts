/**
 * Helpers shared by the elementwise op definitions and their C emitters: broadcast index maps, the
 * collapsed broadcast geometry the C kernels walk, dtype groups, and untyped views of tensor data.
 */
import { DTYPES, type DType } from '../ir/dtype.ts';
import { broadcastStrides } from '../ir/broadcast.ts';
import { shapeSize, type Shape, type Tensor } from '../ir/tensor.ts';

/** Element views used by the kernels (typed-array stores do the float32 rounding and integer wrapping). */
export interface NumArray {
  [i: number]: number;
  readonly length: number;
}
export interface BigArray {
  [i: number]: bigint;
  readonly length: number;
}
export const numView = (t: Tensor): NumArray => t.data as unknown as NumArray;
export const bigView = (t: Tensor): BigArray => t.data as unknown as BigArray;

/** The tensor's elements as unsigned integers of their width: copies through it keep every bit. */
export function rawView(t: Tensor): NumArray | BigArray {
  const d = t.data;
  switch (DTYPES[t.dtype].bytes) {
    case 1: return new Uint8Array(d.buffer, d.byteOffset, d.length);
    case 2: return new Uint16Array(d.buffer, d.byteOffset, d.length);
    case 4: return new Uint32Array(d.buffer, d.byteOffset, d.length);
    default: return new BigUint64Array(d.buffer, d.byteOffset, d.length);
  }
}

export const FLOAT_TYPES: readonly DType[] = ['f32', 'f64'];
export const INT_TYPES: readonly DType[] = ['i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64', 'u64'];
export const SIGNED_INT_TYPES: readonly DType[] = ['i8', 'i16', 'i32', 'i64'];
/** Arithmetic dtypes of add/sub/mul/div/clip (f16 has no arithmetic kernels yet). */
export const NUMERIC_TYPES: readonly DType[] = [...FLOAT_TYPES, ...INT_TYPES];
export const ALL_TYPES: readonly DType[] = [...NUMERIC_TYPES, 'f16', 'bool'];

/**
 * For each output element of `outShape`, the flat index of the element of a `shape` operand it reads
 * under numpy broadcasting; null when no broadcasting happens (the identity map).
 */
export function broadcastIndex(shape: Shape, outShape: Shape): Int32Array | null {
  const n = shapeSize(outShape);
  if (shapeSize(shape) === n && shape.length === outShape.length) return null;
  const strides = broadcastStrides(shape, outShape);
  const r = outShape.length;
  const idx = new Int32Array(n);
  const ctr = new Array<number>(r).fill(0);
  let off = 0;
  for (let i = 0; i < n; i++) {
    idx[i] = off;
    for (let d = r - 1; d >= 0; d--) {
      ctr[d]!++;
      off += strides[d]!;
      if (ctr[d]! < outShape[d]!) break;
      off -= ctr[d]! * strides[d]!;
      ctr[d] = 0;
    }
  }
  return idx;
}

/** At most this many axes after collapsing (QCC_BCAST_MAX_RANK in runtime-c/qcc_elementwise.h). */
export const BCAST_MAX_RANK = 6;

/** Broadcast geometry as the C kernels take it: collapsed output shape and per-operand strides. */
export interface BroadcastGeometry {
  /** Output shape with size-1 axes dropped and mergeable neighbours merged; at least one axis. */
  shape: number[];
  /** For each operand, its element stride per axis of `shape` (0 where it is broadcast). */
  strides: number[][];
}

/**
 * Collapses a broadcast: drops output axes of size 1 and merges axis d with d+1 when every operand
 * walks them as one (stride[d] == stride[d+1] * shape[d+1], which covers both contiguous and
 * broadcast-on-both). Equal shapes become one axis with stride 1; a scalar operand gets stride 0.
 */
export function collapseBroadcast(inShapes: readonly Shape[], outShape: Shape): BroadcastGeometry {
  const full = inShapes.map((s) => broadcastStrides(s, outShape));
  const shape: number[] = [];
  const strides: number[][] = inShapes.map(() => []);
  for (let d = 0; d < outShape.length; d++) {
    const size = outShape[d]!;
    if (size === 1) continue;
    const last = shape.length - 1;
    const mergeable = last >= 0 && full.every((s, k) => strides[k]![last] === s[d]! * size);
    if (mergeable) {
      shape[last] = shape[last]! * size;
      full.forEach((s, k) => (strides[k]![last] = s[d]!));
    } else {
      shape.push(size);
      full.forEach((s, k) => strides[k]!.push(s[d]!));
    }
  }
  if (shape.length === 0) {
    shape.push(1);
    strides.forEach((s) => s.push(0));
  }
  return { shape, strides };
}
