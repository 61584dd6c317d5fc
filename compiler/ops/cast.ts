/**
 * cast: converts every element to the dtype in attribute `to` (a DType name). The conversion rules
 * (saturation of float -> integer as onnxruntime-web does, f64 -> f16 through f32, wrapping between
 * integers) are in numerics/convert.ts; the C kernels qcc_cast_<from>_<to> follow them.
 */
import { DTYPES, type DType } from '../ir/dtype.ts';
import { Tensor } from '../ir/tensor.ts';
import { f32ToF16Bits } from '../numerics/f16.ts';
import {
  bigToF32, f16ToF32Keep, floatToI32Sat, floatToI64Sat, floatToU32Sat, floatToU64Sat,
} from '../numerics/convert.ts';
import { attrString, inType, opError } from './op-def.ts';
import { defineOp } from './registry.ts';
import { ALL_TYPES, bigView, numView } from './elementwise-util.ts';

type Src = { kind: 'num'; get(i: number): number; float: boolean } | { kind: 'big'; get(i: number): bigint };

function source(x: Tensor): Src {
  if (x.dtype === 'f16') {
    const d = x.data as Uint16Array;
    return { kind: 'num', get: (i) => f16ToF32Keep(d[i]!), float: true };
  }
  if (DTYPES[x.dtype].isBig) {
    const d = bigView(x);
    return { kind: 'big', get: (i) => d[i]! };
  }
  const d = numView(x);
  return { kind: 'num', get: (i) => d[i]!, float: DTYPES[x.dtype].isFloat };
}

/** Reference Cast on whole tensors (exported for the C parity tests). */
export function castTensor(x: Tensor, to: DType): Tensor {
  const out = new Tensor(to, x.shape);
  const n = x.size;
  if (x.dtype === to) {
    out.bytes().set(x.bytes());
    return out;
  }
  const src = source(x);
  if (DTYPES[to].isBig) {
    const o = bigView(out);
    if (src.kind === 'big') {
      for (let i = 0; i < n; i++) o[i] = src.get(i); // the store wraps
    } else if (src.float) {
      const sat = to === 'i64' ? floatToI64Sat : floatToU64Sat;
      for (let i = 0; i < n; i++) o[i] = sat(src.get(i));
    } else {
      for (let i = 0; i < n; i++) o[i] = BigInt(src.get(i));
    }
    return out;
  }
  const o = numView(out);
  let f: (i: number) => number;
  if (to === 'bool') {
    f = src.kind === 'big' ? (i) => (src.get(i) !== 0n ? 1 : 0) : (i) => (src.get(i) !== 0 ? 1 : 0);
  } else if (to === 'f32' || to === 'f64') {
    // The typed-array store rounds once (numbers up to 32-bit integers and f64 are exact in a double).
    f = src.kind === 'big' ? (to === 'f32' ? (i) => bigToF32(src.get(i)) : (i) => Number(src.get(i))) : src.get;
  } else if (to === 'f16') {
    f = src.kind === 'big' ? (i) => f32ToF16Bits(bigToF32(src.get(i))) : (i) => f32ToF16Bits(Math.fround(src.get(i)));
  } else {
    const signed = DTYPES[to].isSigned;
    if (src.kind === 'big') {
      f = signed ? (i) => Number(BigInt.asIntN(32, src.get(i))) : (i) => Number(BigInt.asUintN(32, src.get(i)));
    } else if (src.float) {
      const sat = signed ? floatToI32Sat : floatToU32Sat;
      f = (i) => sat(src.get(i));
    } else {
      f = src.get; // integer to integer: the store wraps
    }
  }
  for (let i = 0; i < n; i++) o[i] = f(i);
  return out;
}

export function isDType(s: string): s is DType {
  return (ALL_TYPES as readonly string[]).includes(s);
}

defineOp({
  kind: 'cast',
  infer(node) {
    const x = inType(node, 0);
    const to = attrString(node, 'to');
    if (!isDType(to)) throw opError(node, `cannot cast to '${to}'`, 'E_UNSUPPORTED');
    if (!ALL_TYPES.includes(x.dtype)) throw opError(node, `cannot cast from ${x.dtype}`, 'E_UNSUPPORTED');
    return [{ dtype: to, shape: x.shape }];
  },
  interpret(node, [x]) {
    return [castTensor(x!, attrString(node, 'to') as DType)];
  },
});
