/** Shared helpers for the frontend and IO tests. */
import { expect } from 'vitest';
import { QccError, type QccErrorCode } from '../../errors.ts';
import type { DType } from '../../ir/dtype.ts';
import { Tensor } from '../../ir/tensor.ts';

/** Runs fn, expects a QccError of `code` whose message contains every fragment; returns it. */
export function expectQcc(fn: () => unknown, code: QccErrorCode, ...fragments: string[]): QccError {
  let err: unknown;
  try {
    fn();
  } catch (e) {
    err = e;
  }
  if (!(err instanceof QccError)) throw new Error(`expected QccError ${code}, got ${err instanceof Error ? err.stack : String(err)}`);
  expect(err.code, err.message).toBe(code);
  for (const f of fragments) expect(err.message + (err.hint ? `\nhint: ${err.hint}` : '')).toContain(f);
  return err;
}

/** Corner values of every dtype (ends of the range, zero, negatives, float specials). */
export function cornerTensor(dtype: DType): Tensor {
  const shape = [2, 3];
  switch (dtype) {
    case 'f32': return Tensor.fromNumbers('f32', shape, [-0, 1.5, -3.4028234663852886e38, Infinity, 1e-45, -2.5]);
    case 'f64': return Tensor.fromNumbers('f64', shape, [-0, Math.PI, -Number.MAX_VALUE, -Infinity, 5e-324, 1e300]);
    case 'f16': return Tensor.fromNumbers('f16', shape, [0x0000, 0x8000, 0x3c00, 0x7bff, 0xfc00, 0x0001]);
    case 'i8': return Tensor.fromNumbers('i8', shape, [-128, 127, 0, -1, 1, 100]);
    case 'u8': return Tensor.fromNumbers('u8', shape, [0, 255, 128, 127, 1, 254]);
    case 'i16': return Tensor.fromNumbers('i16', shape, [-32768, 32767, 0, -1, 1, 1234]);
    case 'u16': return Tensor.fromNumbers('u16', shape, [0, 65535, 32768, 1, 2, 40000]);
    case 'i32': return Tensor.fromNumbers('i32', shape, [-2147483648, 2147483647, 0, -1, 1, 65536]);
    case 'u32': return Tensor.fromNumbers('u32', shape, [0, 4294967295, 2147483648, 1, 2, 3000000000]);
    case 'i64': {
      const t = new Tensor('i64', shape);
      (t.data as BigInt64Array).set([-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n, 2n ** 53n + 1n, -(2n ** 40n)]);
      return t;
    }
    case 'u64': {
      const t = new Tensor('u64', shape);
      (t.data as BigUint64Array).set([0n, 2n ** 64n - 1n, 2n ** 63n, 1n, 2n ** 53n + 1n, 12345678901234567890n]);
      return t;
    }
    case 'bool': return Tensor.fromNumbers('bool', shape, [0, 1, 1, 0, 0, 1]);
  }
}

export const ALL_DTYPES: DType[] = ['f32', 'f64', 'f16', 'i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64', 'u64', 'bool'];

/** Deterministic bytes (xorshift32). */
export function randomBytes(n: number, seed: number): Uint8Array {
  let s = seed >>> 0 || 1;
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    out[i] = s & 0xff;
  }
  return out;
}
