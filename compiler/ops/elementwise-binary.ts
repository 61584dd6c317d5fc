/**
 * Binary elementwise ops with numpy broadcasting: add, sub, mul, div (numeric), max, min (numeric),
 * less, less_or_equal, greater, greater_or_equal, equal (numeric and bool in, bool out), and the
 * ternary where (bool condition).
 *
 * Integer semantics are C's on the exact-width type: add/sub/mul wrap modulo 2^bits; div truncates
 * toward zero, x / 0 is 0 (ONNX leaves it undefined; we pick 0 in the interpreter and in C alike), and
 * MIN / -1 wraps to MIN. Float ops are one IEEE operation rounded to float32 (or float64).
 * max/min propagate NaN (numpy's maximum/minimum): NaN if either operand is NaN.
 * Every float result that is NaN is the canonical quiet NaN (0x7fc00000 / 0x7ff8000000000000): which NaN
 * payload survives an operation differs between x86 and ARM (and between operand orders the C compiler
 * may pick), so the C kernels canonicalise too. where copies bits unchanged.
 */
import { DTYPES, type DType } from '../ir/dtype.ts';
import { typeToString, type Node, type TensorType } from '../ir/graph.ts';
import { broadcastShapes } from '../ir/broadcast.ts';
import { Tensor, shapeSize } from '../ir/tensor.ts';
import { inType, opError } from './op-def.ts';
import { defineOp } from './registry.ts';
import { NUMERIC_TYPES, bigView, broadcastIndex, numView, rawView } from './elementwise-util.ts';

/** One binary operation in its three TS flavours. */
export interface BinaryFns {
  /** float32/float64: one double operation; the Float32Array store rounds it to float32 exactly once. */
  float(a: number, b: number): number;
  /** Integers up to 32 bits: an integer-valued number whose low bits are the wrapped result (the typed-array store wraps). */
  int(a: number, b: number): number;
  /** 64-bit integers (the BigInt64Array/BigUint64Array store wraps). */
  big(a: bigint, b: bigint): bigint;
}

/** NaN results become the canonical NaN (the JS NaN constant stores as 0x7fc00000 / 0x7ff8...). */
const canon = (r: number): number => (r !== r ? NaN : r);

export const BINARY_FNS: Readonly<Record<string, BinaryFns>> = {
  add: { float: (a, b) => canon(a + b), int: (a, b) => a + b, big: (a, b) => a + b },
  sub: { float: (a, b) => canon(a - b), int: (a, b) => a - b, big: (a, b) => a - b },
  mul: { float: (a, b) => canon(a * b), int: (a, b) => Math.imul(a, b), big: (a, b) => a * b },
  // |a / b| rounds correctly enough in double for Math.trunc to be exact on 32-bit operands.
  div: { float: (a, b) => canon(a / b), int: (a, b) => (b === 0 ? 0 : Math.trunc(a / b)), big: (a, b) => (b === 0n ? 0n : a / b) },
  max: {
    float: (a, b) => (a !== a || b !== b ? NaN : a > b ? a : b),
    int: (a, b) => (a > b ? a : b),
    big: (a, b) => (a > b ? a : b),
  },
  min: {
    float: (a, b) => (a !== a || b !== b ? NaN : a < b ? a : b),
    int: (a, b) => (a < b ? a : b),
    big: (a, b) => (a < b ? a : b),
  },
};

/** Comparisons: same in every flavour (bool out as 0/1); NaN compares false (equal too). */
export const COMPARE_FNS: Readonly<Record<string, (a: number | bigint, b: number | bigint) => number>> = {
  less: (a, b) => (a < b ? 1 : 0),
  less_or_equal: (a, b) => (a <= b ? 1 : 0),
  greater: (a, b) => (a > b ? 1 : 0),
  greater_or_equal: (a, b) => (a >= b ? 1 : 0),
  equal: (a, b) => (a === b ? 1 : 0),
};

function broadcastOut(node: Node, types: TensorType[]): number[] {
  const shape = broadcastShapes(...types.map((t) => t.shape));
  if (!shape) {
    throw opError(node, `operands ${types.map(typeToString).join(', ')} cannot be broadcast together`, 'E_SHAPE');
  }
  return shape;
}

function checkSameDtype(node: Node, a: TensorType, b: TensorType, allowed: readonly DType[]): void {
  if (a.dtype !== b.dtype) {
    throw opError(node, `operand dtypes differ: ${typeToString(a)} and ${typeToString(b)}`, 'E_SHAPE');
  }
  if (!allowed.includes(a.dtype)) {
    throw opError(node, `dtype ${a.dtype} is not supported (supported: ${allowed.join(', ')})`, 'E_UNSUPPORTED');
  }
}

/** Applies a binary op over broadcast operands into a new tensor of `outDtype`. */
export function binaryApply(
  a: Tensor,
  b: Tensor,
  outDtype: DType,
  outShape: readonly number[],
  fns: { num(x: number, y: number): number; big(x: bigint, y: bigint): bigint | number },
): Tensor {
  const out = new Tensor(outDtype, outShape);
  const n = shapeSize(outShape);
  const ia = broadcastIndex(a.shape, outShape);
  const ib = broadcastIndex(b.shape, outShape);
  if (DTYPES[a.dtype].isBig) {
    const x = bigView(a);
    const y = bigView(b);
    if (DTYPES[outDtype].isBig) {
      const o = bigView(out);
      for (let i = 0; i < n; i++) o[i] = fns.big(x[ia ? ia[i]! : i]!, y[ib ? ib[i]! : i]!) as bigint;
    } else {
      const o = numView(out);
      for (let i = 0; i < n; i++) o[i] = fns.big(x[ia ? ia[i]! : i]!, y[ib ? ib[i]! : i]!) as number;
    }
  } else {
    const x = numView(a);
    const y = numView(b);
    const o = numView(out);
    for (let i = 0; i < n; i++) o[i] = fns.num(x[ia ? ia[i]! : i]!, y[ib ? ib[i]! : i]!);
  }
  return out;
}

for (const [kind, fns] of Object.entries(BINARY_FNS)) {
  defineOp({
    kind,
    infer(node) {
      const a = inType(node, 0);
      const b = inType(node, 1);
      checkSameDtype(node, a, b, NUMERIC_TYPES);
      return [{ dtype: a.dtype, shape: broadcastOut(node, [a, b]) }];
    },
    interpret(node, [a, b]) {
      const t = node.outputs[0]!.type;
      const num = DTYPES[t.dtype].isFloat ? fns.float : fns.int;
      return [binaryApply(a!, b!, t.dtype, t.shape, { num, big: fns.big })];
    },
  });
}

for (const [kind, fn] of Object.entries(COMPARE_FNS)) {
  defineOp({
    kind,
    infer(node) {
      const a = inType(node, 0);
      const b = inType(node, 1);
      checkSameDtype(node, a, b, [...NUMERIC_TYPES, 'bool']);
      return [{ dtype: 'bool', shape: broadcastOut(node, [a, b]) }];
    },
    interpret(node, [a, b]) {
      return [binaryApply(a!, b!, 'bool', node.outputs[0]!.type.shape, { num: fn, big: fn })];
    },
  });
}

/** where(cond, x, y): x where cond is true, else y; all three broadcast together. */
defineOp({
  kind: 'where',
  infer(node) {
    const c = inType(node, 0);
    const x = inType(node, 1);
    const y = inType(node, 2);
    if (c.dtype !== 'bool') throw opError(node, `condition must be bool, got ${typeToString(c)}`, 'E_SHAPE');
    if (x.dtype !== y.dtype) throw opError(node, `branch dtypes differ: ${typeToString(x)} and ${typeToString(y)}`, 'E_SHAPE');
    return [{ dtype: x.dtype, shape: broadcastOut(node, [c, x, y]) }];
  },
  interpret(node, [c, x, y]) {
    const t = node.outputs[0]!.type;
    const out = new Tensor(t.dtype, t.shape);
    const n = shapeSize(t.shape);
    const ic = broadcastIndex(c!.shape, t.shape);
    const ix = broadcastIndex(x!.shape, t.shape);
    const iy = broadcastIndex(y!.shape, t.shape);
    const cv = c!.data;
    // Elements are copied as raw bits (an integer view of the same width), never through a float number.
    const xv = rawView(x!);
    const yv = rawView(y!);
    const o = rawView(out);
    for (let i = 0; i < n; i++) {
      o[i] = cv[ic ? ic[i]! : i] ? xv[ix ? ix[i]! : i]! : yv[iy ? iy[i]! : i]!;
    }
    return [out];
  },
});
