/**
 * Resource limits: sizes a model may ask for before qcc refuses it (E_LIMIT), checked on shapes and
 * plans, before anything of that size is allocated. The defaults suit a 24 GiB build machine: one tensor
 * up to 4 GiB (also the largest typed array Node allocates), all tensors of a model together up to
 * 16 GiB (the interpreter keeps every intermediate alive), and an arena up to 2 GiB - 1 (the largest the
 * generated C's 32-bit-safe size literals describe). Firmware budgets lower the arena limit
 * (`qcc compile --max-arena 256K`).
 */
import { QccError } from './errors.ts';
import { DTYPES } from './ir/dtype.ts';
import { typeToString, type TensorType } from './ir/graph.ts';

export const DEFAULT_MAX_TENSOR_BYTES = 4 * 1024 ** 3;
export const DEFAULT_MAX_TOTAL_BYTES = 16 * 1024 ** 3;
export const DEFAULT_MAX_ARENA_BYTES = 0x7fffffff;

export function formatBytes(n: number | bigint): string {
  const x = Number(n);
  const exact = `${n} bytes`;
  if (x >= 1024 ** 3) return `${exact} (${(x / 1024 ** 3).toFixed(2)} GiB)`;
  if (x >= 1024 ** 2) return `${exact} (${(x / 1024 ** 2).toFixed(2)} MiB)`;
  if (x >= 1024) return `${exact} (${(x / 1024).toFixed(1)} KiB)`;
  return exact;
}

/**
 * Bytes of a tensor type, exact (BigInt, so absurd shapes cannot overflow into small numbers). Shapes
 * with negative or non-integer dims are an inference bug surfaced as E_SHAPE rather than a crash later.
 */
export function typeBytes(t: TensorType, what: string): bigint {
  let n = BigInt(DTYPES[t.dtype].bytes);
  for (const d of t.shape) {
    if (d > Number.MAX_SAFE_INTEGER) throw new QccError('E_LIMIT', `${what} has an absurd dimension ${d} (shape [${t.shape.join(', ')}])`);
    if (!Number.isSafeInteger(d) || d < 0) throw new QccError('E_SHAPE', `${what} has an invalid shape [${t.shape.join(', ')}]`);
    n *= BigInt(d);
  }
  return n;
}

/** E_LIMIT when a value of type `t` would be larger than `maxBytes`; returns its size otherwise. */
export function checkTensorLimit(t: TensorType, what: string, maxBytes: number): number {
  const bytes = typeBytes(t, what);
  if (bytes > BigInt(maxBytes)) {
    throw new QccError('E_LIMIT', `${what} (${typeToString(t)}) would be ${formatBytes(bytes)}, over the tensor limit of ${formatBytes(maxBytes)}`);
  }
  return Number(bytes);
}

/**
 * A byte count from the command line: digits with an optional K, M or G suffix (powers of 1024, an
 * optional trailing B or iB), e.g. `262144`, `256K`, `1M`, `1.5MiB`. Null when it does not parse.
 */
export function parseByteSize(s: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)(i?[bB])?\s*$/.exec(s);
  if (!m) return null;
  const scale = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 }[m[2]!.toLowerCase() as '' | 'k' | 'm' | 'g'];
  if (m[3] && m[3].toLowerCase() === 'ib' && m[2] === '') return null;
  const v = Number(m[1]) * scale;
  if (!Number.isFinite(v) || !Number.isInteger(v) || v > Number.MAX_SAFE_INTEGER) return null;
  return v;
}
