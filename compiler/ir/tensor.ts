import { DTYPES, allocData, type DType, type TensorData } from './dtype.ts';
import { QccError } from '../errors.ts';

export type Shape = readonly number[];

export function shapeSize(shape: Shape): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function shapeToString(shape: Shape): string {
  return shape.length === 0 ? 'scalar' : shape.join('x');
}

/** Row-major strides in elements. */
export function stridesOf(shape: Shape): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
}

/** A dense row-major tensor value. Immutable by convention: kernels allocate new outputs. */
export class Tensor {
  readonly dtype: DType;
  readonly shape: Shape;
  readonly data: TensorData;

  constructor(dtype: DType, shape: Shape, data?: TensorData) {
    const n = shapeSize(shape);
    this.dtype = dtype;
    this.shape = Object.freeze([...shape]);
    this.data = data ?? allocData(dtype, n);
    if (this.data.length !== n) {
      throw new QccError('E_MODEL', `tensor data has ${this.data.length} elements but shape ${shapeToString(shape)} needs ${n}`);
    }
  }

  get size(): number {
    return this.data.length;
  }

  get byteLength(): number {
    return this.data.length * DTYPES[this.dtype].bytes;
  }

  /** Element i as a JS number (BigInts converted; exact up to 2^53). */
  num(i: number): number {
    return Number(this.data[i]!);
  }

  /** All elements as JS numbers. */
  toNumbers(): number[] {
    return Array.from(this.data as ArrayLike<number | bigint>, (v) => Number(v));
  }

  /** Raw little-endian bytes (the layout of generated C arrays and of raw_data). */
  bytes(): Uint8Array {
    return new Uint8Array(this.data.buffer, this.data.byteOffset, this.data.byteLength);
  }

  withShape(shape: Shape): Tensor {
    return new Tensor(this.dtype, shape, this.data);
  }

  static fromNumbers(dtype: DType, shape: Shape, values: ArrayLike<number>): Tensor {
    const t = new Tensor(dtype, shape);
    if (DTYPES[dtype].isBig) {
      const d = t.data as BigInt64Array | BigUint64Array;
      for (let i = 0; i < values.length; i++) d[i] = BigInt(Math.trunc(values[i]!));
    } else {
      (t.data as Exclude<TensorData, BigInt64Array | BigUint64Array>).set(values as ArrayLike<number>);
    }
    return t;
  }

  static scalar(dtype: DType, v: number): Tensor {
    return Tensor.fromNumbers(dtype, [], [v]);
  }
}

/** Byte-for-byte equality of dtype, shape and data. */
export function tensorsIdentical(a: Tensor, b: Tensor): boolean {
  if (a.dtype !== b.dtype || a.shape.length !== b.shape.length) return false;
  for (let i = 0; i < a.shape.length; i++) if (a.shape[i] !== b.shape[i]) return false;
  const x = a.bytes();
  const y = b.bytes();
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}
