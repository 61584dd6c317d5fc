/**
 * Index geometry of the data-movement ops, shared by their definitions (interpreter) and the C
 * emitters, so both walk memory the same way. Transpose, slice and expand are all one thing: a
 * "strided view" of the input (an output shape, per-axis input strides that may be 0 or negative, and a
 * start offset) copied into a dense output. Pad is a view whose per-axis index map is not affine.
 */
import type { TensorData } from '../ir/dtype.ts';
import { shapeSize, stridesOf, type Shape } from '../ir/tensor.ts';

/** The C kernels take at most this many axes (after simplification); larger ranks are rejected. */
export const MAX_RANK = 8;

export interface StridedView {
  /** Output shape (dense, row-major). */
  shape: number[];
  /** Input stride in elements for each output axis (0 = broadcast, negative = reversed). */
  strides: number[];
  /** Input element index of output element 0. */
  offset: number;
}

export function transposeView(inShape: Shape, perm: readonly number[]): StridedView {
  const s = stridesOf(inShape);
  return { shape: perm.map((p) => inShape[p]!), strides: perm.map((p) => s[p]!), offset: 0 };
}

/** Starts are already clamped into range; steps non-zero. */
export function sliceView(inShape: Shape, starts: readonly number[], steps: readonly number[], outShape: Shape): StridedView {
  const s = stridesOf(inShape);
  let offset = 0;
  for (let i = 0; i < inShape.length; i++) if (outShape[i]! > 0) offset += starts[i]! * s[i]!;
  return { shape: [...outShape], strides: s.map((x, i) => x * steps[i]!), offset };
}

/** Numpy broadcast of inShape to outShape (outShape rank >= inShape rank). */
export function expandView(inShape: Shape, outShape: Shape): StridedView {
  const s = stridesOf(inShape);
  const r = outShape.length;
  const strides = new Array<number>(r).fill(0);
  for (let i = 0; i < inShape.length; i++) {
    const o = r - inShape.length + i;
    strides[o] = inShape[i] === 1 && outShape[o] !== 1 ? 0 : s[i]!;
  }
  return { shape: [...outShape], strides, offset: 0 };
}

/**
 * The same view with size-1 axes dropped and adjacent axes merged where the input walk is contiguous
 * across them. Keeps the element order; an empty view keeps one axis of size 0.
 */
export function simplifyView(v: StridedView): StridedView {
  if (shapeSize(v.shape) === 0) return { shape: [0], strides: [0], offset: v.offset };
  const shape: number[] = [];
  const strides: number[] = [];
  for (let i = 0; i < v.shape.length; i++) {
    if (v.shape[i] === 1) continue;
    const n = shape.length;
    if (n > 0 && strides[n - 1] === v.strides[i]! * v.shape[i]!) {
      shape[n - 1]! *= v.shape[i]!;
      strides[n - 1] = v.strides[i]!;
    } else {
      shape.push(v.shape[i]!);
      strides.push(v.strides[i]!);
    }
  }
  return { shape, strides, offset: v.offset };
}

/** Indexable view of any typed array (numbers or BigInts). */
type Elems = { [i: number]: number | bigint; readonly length: number };

/**
 * The same memory as unsigned integers of the element's width, so that copying moves bits: going
 * through a Float32Array/Float64Array element would convert to a JS number and may rewrite NaN payloads.
 */
export function rawView(d: TensorData): Elems {
  switch (d.BYTES_PER_ELEMENT) {
    case 1: return new Uint8Array(d.buffer, d.byteOffset, d.length);
    case 2: return new Uint16Array(d.buffer, d.byteOffset, d.length);
    case 4: return new Uint32Array(d.buffer, d.byteOffset, d.length);
    default: return new BigUint64Array(d.buffer, d.byteOffset, d.length);
  }
}

/** Copies the view of `src` into the dense `dst` (same element type). */
export function copyView(src: TensorData, v: StridedView, dst: TensorData): void {
  const s = rawView(src);
  const d = rawView(dst);
  const n = shapeSize(v.shape);
  const r = v.shape.length;
  const idx = new Array<number>(r).fill(0);
  let at = v.offset;
  for (let k = 0; k < n; k++) {
    d[k] = s[at]!;
    // odometer: advance the last axis, carry into earlier ones
    for (let a = r - 1; a >= 0; a--) {
      if (++idx[a]! < v.shape[a]!) {
        at += v.strides[a]!;
        break;
      }
      at -= v.strides[a]! * (v.shape[a]! - 1);
      idx[a] = 0;
    }
  }
}

// ---- Pad ----------------------------------------------------------------------------------------

export type PadMode = 'constant' | 'reflect' | 'edge' | 'wrap';
export const PAD_MODES: readonly PadMode[] = ['constant', 'reflect', 'edge', 'wrap'];

/**
 * Per-axis pad geometry. Negative pads crop first (as ONNX Runtime does): the kept input range is
 * [lo, hi); output coordinate o maps to input coordinate o + shift, and coordinates outside [lo, hi)
 * are filled according to the mode, relative to the kept range.
 */
export interface PadAxis {
  outDim: number;
  lo: number;
  hi: number;
  shift: number;
}

/** Geometry of one axis, or a message saying why these pads are invalid for it. */
export function padAxis(dim: number, begin: number, end: number): PadAxis | string {
  const lo = Math.max(0, -begin);
  const hi = dim - Math.max(0, -end);
  if (hi < lo) return `pads ${begin}, ${end} crop more than the ${dim} elements of the axis`;
  const outDim = hi - lo + Math.max(0, begin) + Math.max(0, end);
  return { outDim, lo, hi, shift: lo - Math.max(0, begin) };
}

const mod = (a: number, n: number): number => ((a % n) + n) % n;

/**
 * Input coordinate for output coordinate o on one axis, or -1 for "the constant value". Mirrors
 * qcc_pad_src_ in runtime-c/qcc_shape.h. Reflect and wrap extend periodically (numpy.pad), so pads
 * larger than the axis are fine; reflect of a one-element axis repeats it.
 */
export function padSource(o: number, ax: PadAxis, mode: PadMode): number {
  const c = o + ax.shift;
  if (c >= ax.lo && c < ax.hi) return c;
  const n = ax.hi - ax.lo;
  switch (mode) {
    case 'constant':
      return -1;
    case 'edge':
      return c < ax.lo ? ax.lo : ax.hi - 1;
    case 'wrap':
      return ax.lo + mod(c - ax.lo, n);
    case 'reflect': {
      if (n === 1) return ax.lo;
      const p = 2 * (n - 1);
      const m = mod(c - ax.lo, p);
      return ax.lo + (m >= n ? p - m : m);
    }
  }
}

/** Pads `src` (shape inShape) into dense `dst`; `value` is the constant element (same array type). */
export function padCopy(src: TensorData, inShape: Shape, axes: readonly PadAxis[], mode: PadMode, dst: TensorData, value: TensorData): void {
  const s = rawView(src);
  const d = rawView(dst);
  const fill = rawView(value)[0]!;
  const st = stridesOf(inShape);
  const outShape = axes.map((a) => a.outDim);
  const n = shapeSize(outShape);
  const r = outShape.length;
  const idx = new Array<number>(r).fill(0);
  for (let k = 0; k < n; k++) {
    let at = 0;
    for (let a = 0; a < r; a++) {
      const c = padSource(idx[a]!, axes[a]!, mode);
      if (c < 0) {
        at = -1;
        break;
      }
      at += c * st[a]!;
    }
    d[k] = at < 0 ? fill : s[at]!;
    for (let a = r - 1; a >= 0; a--) {
      if (++idx[a]! < outShape[a]!) break;
      idx[a] = 0;
    }
  }
}
