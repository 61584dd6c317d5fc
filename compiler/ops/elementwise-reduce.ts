/**
 * reduce_sum, reduce_max (attributes: `axes`, sorted non-negative and non-empty; `keepdims`).
 *
 * Order (the C kernels in qcc_elementwise.h do the same): output elements in row-major order; for each,
 * the reduced elements in row-major order of the reduced axes. Sums start at 0 and add one element at a
 * time (float32 rounding per step; integers wrap); max starts at the first element, and any NaN makes the
 * result the canonical NaN. An empty reduction gives 0 (sum) or the lowest value of the dtype (max).
 */
import { DTYPES } from '../ir/dtype.ts';
import { typeToString, type Node } from '../ir/graph.ts';
import { Tensor, shapeSize, stridesOf, type Shape } from '../ir/tensor.ts';
import { attrInts, inType, opError } from './op-def.ts';
import { defineOp } from './registry.ts';
import { NUMERIC_TYPES, bigView, numView } from './elementwise-util.ts';

export interface ReduceGeometry {
  /** Kept axes (collapsed where contiguous) with their input strides; at least one axis. */
  outShape: number[];
  outStrides: number[];
  /** Reduced axes (collapsed where contiguous) with their input strides; at least one axis. */
  redShape: number[];
  redStrides: number[];
}

function collapse(shape: number[], strides: number[]): [number[], number[]] {
  const s: number[] = [];
  const st: number[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    const last = s.length - 1;
    if (last >= 0 && st[last] === strides[i]! * shape[i]!) {
      s[last] = s[last]! * shape[i]!;
      st[last] = strides[i]!;
    } else {
      s.push(shape[i]!);
      st.push(strides[i]!);
    }
  }
  if (s.length === 0) return [[1], [0]];
  return [s, st];
}

export function reduceGeometry(shape: Shape, axes: readonly number[]): ReduceGeometry {
  const strides = stridesOf(shape);
  const keep = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const [outShape, outStrides] = collapse(keep.map((i) => shape[i]!), keep.map((i) => strides[i]!));
  const [redShape, redStrides] = collapse(axes.map((i) => shape[i]!), axes.map((i) => strides[i]!));
  return { outShape, outStrides, redShape, redStrides };
}

/** Flat input offsets of a strided walk over `shape`, row-major (the C kernel's odometer). */
export function walkOffsets(shape: readonly number[], strides: readonly number[]): Int32Array {
  const n = shapeSize(shape);
  const res = new Int32Array(n);
  const ctr = new Array<number>(shape.length).fill(0);
  let off = 0;
  for (let i = 0; i < n; i++) {
    res[i] = off;
    for (let d = shape.length - 1; d >= 0; d--) {
      ctr[d]!++;
      off += strides[d]!;
      if (ctr[d]! < shape[d]!) break;
      off -= ctr[d]! * strides[d]!;
      ctr[d] = 0;
    }
  }
  return res;
}

/** Output shape of a reduction node and its `axes` attribute (sorted, distinct, in range, non-empty: E_ATTR otherwise). */
export function reduceOut(node: Node): { shape: number[]; axes: readonly number[] } {
  const x = inType(node, 0);
  const axes = attrInts(node, 'axes');
  const r = x.shape.length;
  if (axes.length === 0 || axes.some((a, i) => !Number.isInteger(a) || a < 0 || a >= r || (i > 0 && a <= axes[i - 1]!))) {
    throw opError(node, `axes [${axes.join(',')}] must be sorted, distinct and in range for ${typeToString(x)}`, 'E_ATTR');
  }
  const keep = node.attrs['keepdims'] !== false;
  const shape = keep ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
  return { shape, axes };
}

for (const kind of ['reduce_sum', 'reduce_max'] as const) {
  defineOp({
    kind,
    infer(node) {
      const x = inType(node, 0);
      if (!NUMERIC_TYPES.includes(x.dtype)) {
        throw opError(node, `dtype ${x.dtype} is not supported (supported: ${NUMERIC_TYPES.join(', ')})`, 'E_UNSUPPORTED');
      }
      return [{ dtype: x.dtype, shape: reduceOut(node).shape }];
    },
    interpret(node, [x]) {
      const { shape, axes } = reduceOut(node);
      const out = new Tensor(x!.dtype, shape);
      const g = reduceGeometry(x!.shape, axes);
      const outer = walkOffsets(g.outShape, g.outStrides);
      const inner = shapeSize(x!.shape) === 0 ? new Int32Array(0) : walkOffsets(g.redShape, g.redStrides);
      const n = shapeSize(shape);
      const info = DTYPES[x!.dtype];
      const max = kind === 'reduce_max';
      if (info.isBig) {
        const xv = bigView(x!);
        const o = bigView(out);
        const lowest = info.isSigned ? -(2n ** 63n) : 0n;
        for (let i = 0; i < n; i++) {
          const base = outer[i]!;
          let acc = max ? (inner.length ? xv[base]! : lowest) : 0n;
          for (let j = 0; j < inner.length; j++) {
            const v = xv[base + inner[j]!]!;
            if (max) acc = v > acc ? v : acc;
            else acc += v;
          }
          o[i] = acc; // the store wraps
        }
        return [out];
      }
      const xv = numView(x!);
      const o = numView(out);
      const f32 = x!.dtype === 'f32';
      const wrap32 = x!.dtype === 'i32' ? (v: number) => v | 0 : x!.dtype === 'u32' ? (v: number) => v >>> 0 : (v: number) => v;
      const lowest = info.isFloat ? -Infinity : info.min;
      for (let i = 0; i < n; i++) {
        const base = outer[i]!;
        let acc = max ? (inner.length ? xv[base]! : lowest) : 0;
        for (let j = 0; j < inner.length; j++) {
          const v = xv[base + inner[j]!]!;
          if (max) acc = v !== v || acc !== acc ? NaN : v > acc ? v : acc;
          else if (f32) acc = Math.fround(acc + v);
          else acc = info.isFloat ? acc + v : wrap32(acc + v);
        }
        // integer sums of 8/16-bit types stay exact in a double (< 2^53) and wrap on the store
        o[i] = acc !== acc ? NaN : acc;
      }
      return [out];
    },
  });
}
