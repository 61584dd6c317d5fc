/**
 * Element types. Storage in TypeScript: one typed array per dtype. 64-bit integers use BigInt arrays,
 * f16 keeps its raw bits in a Uint16Array (convert with numerics/f16.ts), bool is a Uint8Array of 0/1.
 */
export type DType = 'f32' | 'f64' | 'f16' | 'i8' | 'u8' | 'i16' | 'u16' | 'i32' | 'u32' | 'i64' | 'u64' | 'bool';

export type TensorData =
  | Float32Array
  | Float64Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

export interface DTypeInfo {
  readonly bytes: number;
  /** C99 type name used in generated code. */
  readonly cType: string;
  /** ONNX TensorProto.DataType code. */
  readonly onnx: number;
  readonly isFloat: boolean;
  readonly isSigned: boolean;
  /** Stored as BigInt in TS. */
  readonly isBig: boolean;
  /** Integer range (as number; exact for everything up to 32 bits). */
  readonly min: number;
  readonly max: number;
}

const I = (bytes: number, cType: string, onnx: number, signed: boolean, big = false): DTypeInfo => ({
  bytes,
  cType,
  onnx,
  isFloat: false,
  isSigned: signed,
  isBig: big,
  min: signed ? -(2 ** (bytes * 8 - 1)) : 0,
  max: signed ? 2 ** (bytes * 8 - 1) - 1 : 2 ** (bytes * 8) - 1,
});

export const DTYPES: Readonly<Record<DType, DTypeInfo>> = {
  f32: { bytes: 4, cType: 'float', onnx: 1, isFloat: true, isSigned: true, isBig: false, min: -Infinity, max: Infinity },
  f64: { bytes: 8, cType: 'double', onnx: 11, isFloat: true, isSigned: true, isBig: false, min: -Infinity, max: Infinity },
  f16: { bytes: 2, cType: 'uint16_t', onnx: 10, isFloat: true, isSigned: true, isBig: false, min: -65504, max: 65504 },
  i8: I(1, 'int8_t', 3, true),
  u8: I(1, 'uint8_t', 2, false),
  i16: I(2, 'int16_t', 5, true),
  u16: I(2, 'uint16_t', 4, false),
  i32: I(4, 'int32_t', 6, true),
  u32: I(4, 'uint32_t', 12, false),
  i64: I(8, 'int64_t', 7, true, true),
  u64: I(8, 'uint64_t', 13, false, true),
  bool: { bytes: 1, cType: 'uint8_t', onnx: 9, isFloat: false, isSigned: false, isBig: false, min: 0, max: 1 },
};

const BY_ONNX = new Map<number, DType>(Object.entries(DTYPES).map(([k, v]) => [v.onnx, k as DType]));

/** Names of ONNX data types we read but do not support, for error messages. */
export const ONNX_DTYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'UNDEFINED', 1: 'FLOAT', 2: 'UINT8', 3: 'INT8', 4: 'UINT16', 5: 'INT16', 6: 'INT32', 7: 'INT64', 8: 'STRING',
  9: 'BOOL', 10: 'FLOAT16', 11: 'DOUBLE', 12: 'UINT32', 13: 'UINT64', 14: 'COMPLEX64', 15: 'COMPLEX128',
  16: 'BFLOAT16', 17: 'FLOAT8E4M3FN', 18: 'FLOAT8E4M3FNUZ', 19: 'FLOAT8E5M2', 20: 'FLOAT8E5M2FNUZ', 21: 'UINT4',
  22: 'INT4', 23: 'FLOAT4E2M1', 24: 'FLOAT8E8M0', 25: 'UINT2', 26: 'INT2',
};

export function dtypeFromOnnx(code: number): DType | undefined {
  return BY_ONNX.get(code);
}

export function onnxDtypeName(code: number): string {
  return ONNX_DTYPE_NAMES[code] ?? `dtype #${code}`;
}

export function allocData(dtype: DType, length: number): TensorData {
  switch (dtype) {
    case 'f32': return new Float32Array(length);
    case 'f64': return new Float64Array(length);
    case 'f16': return new Uint16Array(length);
    case 'i8': return new Int8Array(length);
    case 'u8': case 'bool': return new Uint8Array(length);
    case 'i16': return new Int16Array(length);
    case 'u16': return new Uint16Array(length);
    case 'i32': return new Int32Array(length);
    case 'u32': return new Uint32Array(length);
    case 'i64': return new BigInt64Array(length);
    case 'u64': return new BigUint64Array(length);
  }
}

export const isQuantInt = (d: DType): d is 'i8' | 'u8' => d === 'i8' || d === 'u8';
