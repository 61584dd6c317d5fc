/**
 * Unary elementwise ops: relu, leaky_relu, clip, sigmoid, tanh, exp, neg, abs, sqrt, reciprocal.
 *
 * Floats: one operation rounded to the output type (the Float32Array store rounds once); exp, tanh and
 * sigmoid are our own float32 functions (numerics/math.ts) that the C runtime reproduces bit for bit.
 * NaN: every float result that is NaN is the canonical quiet NaN (as in the binary ops), except for neg
 * and abs, which flip / clear the sign bit of the raw bits (NaN payloads included), as C does.
 * Integers: neg and abs wrap (-(-128) is -128 in int8), as C does on the exact-width type.
 */
import { DTYPES, type DType } from '../ir/dtype.ts';
import { typeToString, type Node } from '../ir/graph.ts';
import { Tensor } from '../ir/tensor.ts';
import { expf, sigmoidf, tanhf } from '../numerics/math.ts';
import { attrFloat, inType, opError } from './op-def.ts';
import { defineOp } from './registry.ts';
import { FLOAT_TYPES, INT_TYPES, NUMERIC_TYPES, SIGNED_INT_TYPES, bigView, numView } from './elementwise-util.ts';

const fr = Math.fround;

export interface UnaryFns {
  readonly types: readonly DType[];
  /** For f32/f64, an operation on the raw bits instead of the value (sign-bit ops keep NaN payloads). */
  readonly bits32?: (b: number) => number;
  readonly bits64?: (b: bigint) => bigint;
  /** The element function for numbers (floats and integers up to 32 bits); the typed-array store rounds or wraps. */
  num(node: Node, dtype: DType): (x: number) => number;
  big?: (x: bigint) => bigint;
}

const canon = (r: number): number => (r !== r ? NaN : r);

export const UNARY_FNS: Readonly<Record<string, UnaryFns>> = {
  relu: {
    types: [...FLOAT_TYPES, ...SIGNED_INT_TYPES],
    num: () => (x) => canon(x < 0 ? 0 : x),
    big: (x) => (x < 0n ? 0n : x),
  },
  leaky_relu: {
    types: FLOAT_TYPES,
    // alpha is a float32 attribute; the product is rounded by the store (once, to the output type).
    num: (node) => {
      const alpha = attrFloat(node, 'alpha');
      return (x) => (x < 0 ? alpha * x : canon(x));
    },
  },
  sigmoid: { types: ['f32'], num: () => sigmoidf },
  tanh: { types: ['f32'], num: () => tanhf },
  exp: { types: ['f32'], num: () => expf },
  neg: {
    types: [...FLOAT_TYPES, ...SIGNED_INT_TYPES],
    num: () => (x) => -x,
    big: (x) => -x,
    bits32: (b) => (b ^ 0x80000000) >>> 0,
    bits64: (b) => b ^ 0x8000000000000000n,
  },
  abs: {
    types: NUMERIC_TYPES,
    num: () => (x) => (x < 0 ? -x : x),
    big: (x) => (x < 0n ? -x : x),
    bits32: (b) => (b & 0x7fffffff) >>> 0,
    bits64: (b) => b & 0x7fffffffffffffffn,
  },
  sqrt: { types: ['f32'], num: () => (x) => (x !== x || x < 0 ? NaN : fr(Math.sqrt(x))) },
  reciprocal: { types: FLOAT_TYPES, num: () => (x) => canon(1 / x) },
};

function checkType(node: Node, dtype: DType, allowed: readonly DType[]): void {
  if (!allowed.includes(dtype)) {
    throw opError(node, `dtype ${dtype} is not supported (supported: ${allowed.join(', ')})`, 'E_UNSUPPORTED');
  }
}

export function unaryApply(x: Tensor, fns: UnaryFns, node: Node): Tensor {
  const out = new Tensor(x.dtype, x.shape);
  const n = x.size;
  if (x.dtype === 'f32' && fns.bits32) {
    const xv = new Uint32Array(x.data.buffer, x.data.byteOffset, n);
    const o = new Uint32Array(out.data.buffer);
    for (let i = 0; i < n; i++) o[i] = fns.bits32(xv[i]!);
  } else if (x.dtype === 'f64' && fns.bits64) {
    const xv = new BigUint64Array(x.data.buffer, x.data.byteOffset, n);
    const o = new BigUint64Array(out.data.buffer);
    for (let i = 0; i < n; i++) o[i] = fns.bits64(xv[i]!);
  } else if (DTYPES[x.dtype].isBig) {
    const big = fns.big;
    if (!big) throw opError(node, `dtype ${x.dtype} is not supported`, 'E_UNSUPPORTED');
    const xv = bigView(x);
    const o = bigView(out);
    for (let i = 0; i < n; i++) o[i] = big(xv[i]!);
  } else {
    const f = fns.num(node, x.dtype);
    const xv = numView(x);
    const o = numView(out);
    for (let i = 0; i < n; i++) o[i] = f(xv[i]!);
  }
  return out;
}

for (const [kind, fns] of Object.entries(UNARY_FNS)) {
  defineOp({
    kind,
    infer(node) {
      const x = inType(node, 0);
      checkType(node, x.dtype, fns.types);
      if (kind === 'leaky_relu') attrFloat(node, 'alpha');
      return [{ dtype: x.dtype, shape: x.shape }];
    },
    interpret(node, [x]) {
      return [unaryApply(x!, fns, node)];
    },
  });
}

/**
 * clip(x[, min][, max]) = min(max(x, lo), hi), so lo > hi gives hi everywhere (numpy.clip, as the ONNX
 * spec says); a NaN x gives the canonical NaN. Bounds come from the attributes `min`/`max` when the
 * importer could make them constant, else from scalar inputs 1 and 2; an absent bound does not clamp.
 */
export function clipBounds(node: Node, inputs: readonly (Tensor | null)[]): { lo?: number | bigint; hi?: number | bigint } {
  const get = (name: string, i: number): number | bigint | undefined => {
    const a = node.attrs[name];
    if (typeof a === 'number') return DTYPES[node.outputs[0]!.type.dtype].isBig ? BigInt(a) : a;
    const t = inputs[i];
    return t ? (t.data[0] as number | bigint) : undefined;
  };
  return { lo: get('min', 1), hi: get('max', 2) };
}

defineOp({
  kind: 'clip',
  infer(node) {
    const x = inType(node, 0);
    checkType(node, x.dtype, NUMERIC_TYPES);
    for (const [i, name] of [[1, 'min'], [2, 'max']] as const) {
      const a = node.attrs[name];
      if (a !== undefined && typeof a !== 'number') throw opError(node, `attribute '${name}' must be a number`, 'E_ATTR');
      if (a !== undefined && INT_TYPES.includes(x.dtype) && !Number.isSafeInteger(a)) {
        throw opError(node, `attribute '${name}' = ${a} is not an integer of ${x.dtype}`, 'E_ATTR');
      }
      const v = node.inputs[i];
      if (!v) continue;
      if (a !== undefined) throw opError(node, `${name} is given both as attribute and as input`, 'E_ATTR');
      if (v.type.dtype !== x.dtype || v.type.shape.length > 1 || (v.type.shape.length === 1 && v.type.shape[0] !== 1)) {
        throw opError(node, `${name} must be a scalar of the input's dtype ${x.dtype}, got ${typeToString(v.type)}`, 'E_SHAPE');
      }
    }
    return [{ dtype: x.dtype, shape: x.shape }];
  },
  interpret(node, inputs) {
    const x = inputs[0]!;
    const { lo, hi } = clipBounds(node, inputs);
    const out = new Tensor(x.dtype, x.shape);
    const n = x.size;
    if (DTYPES[x.dtype].isBig) {
      const xv = bigView(x);
      const o = bigView(out);
      for (let i = 0; i < n; i++) {
        let v = xv[i]!;
        if (lo !== undefined && v < lo) v = lo as bigint;
        if (hi !== undefined && v > hi) v = hi as bigint;
        o[i] = v;
      }
    } else {
      const l = lo === undefined ? -Infinity : (lo as number);
      const h = hi === undefined ? Infinity : (hi as number);
      const xv = numView(x);
      const o = numView(out);
      for (let i = 0; i < n; i++) {
        let v = xv[i]!;
        v = v < l ? l : v;
        v = v > h ? h : v;
        o[i] = canon(v);
      }
    }
    return [out];
  },
});
