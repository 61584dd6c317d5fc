import { QccError } from '../../errors.ts';
import { dtypeFromOnnx, onnxDtypeName, type DType } from '../../ir/dtype.ts';
import { int64ToBigInt, type Int64, type ValueInfoProto } from './proto.ts';

/** A dim as declared: a number, a symbolic name, or null when unknown. */
export type DeclaredDim = number | string | null;

export interface DeclaredType {
  /** ONNX elem_type code (0 when not given). */
  elemType: number;
  /** null when the value has no shape (unknown rank). */
  dims: DeclaredDim[] | null;
}

const own = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/**
 * The declared tensor type of a value_info, undefined when it has no type at all. Non-tensor types
 * (sequence, map, optional, sparse) are E_UNSUPPORTED. Negative dims are E_MODEL.
 */
export function declaredType(vi: ValueInfoProto, what: string): DeclaredType | undefined {
  const tp = vi.type;
  if (!tp) return undefined;
  const tt = tp.tensorType;
  if (!tt) {
    const other = tp.sequenceType ? 'a sequence' : tp.mapType ? 'a map' : tp.optionalType ? 'an optional' : tp.sparseTensorType ? 'a sparse tensor' : undefined;
    if (other) throw new QccError('E_UNSUPPORTED', `${what} is ${other}; qcc supports dense tensors only`);
    return undefined;
  }
  const elemType = tt.elemType ?? 0;
  if (!tt.shape) return { elemType, dims: null };
  const dims = (tt.shape.dim ?? []).map((d): DeclaredDim => {
    if (d.dimParam) return d.dimParam;
    if (own(d, 'dimValue')) {
      const v = int64ToBigInt(d.dimValue as Int64);
      if (v < 0n) throw new QccError('E_MODEL', `${what} has a negative dimension ${v}`);
      if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new QccError('E_LIMIT', `${what} has an absurd dimension ${v}`);
      return Number(v);
    }
    return null;
  });
  return { elemType, dims };
}

export function declaredDType(t: DeclaredType, what: string): DType {
  if (t.elemType === 0) throw new QccError('E_MODEL', `${what} has no element type`);
  const dt = dtypeFromOnnx(t.elemType);
  if (!dt) throw new QccError('E_UNSUPPORTED', `${what} has data type ${onnxDtypeName(t.elemType)}, which qcc does not support`);
  return dt;
}

export function dimsToString(dims: DeclaredDim[] | null): string {
  if (dims === null) return 'unknown shape';
  return '[' + dims.map((d) => (d === null ? '?' : String(d))).join(', ') + ']';
}
