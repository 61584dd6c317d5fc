/**
 * Tensor comparisons for tests, with failure messages that say where and by how much: the first
 * differing index (flat and as coordinates), both values, and how many elements differ in total.
 * Each `check*` returns undefined when the tensors agree and a message otherwise; each `expect*`
 * throws an Error with that message (for vitest).
 */
import { DTYPES } from '../../compiler/ir/dtype.ts';
import type { Tensor } from '../../compiler/ir/tensor.ts';
import { f16BitsToF32 } from '../../compiler/numerics/f16.ts';

/** ONNX's backend-test tolerance (onnx/backend/test/runner: rtol=1e-3, atol=1e-7). */
export const ONNX_TOLERANCE: Tolerance = { rtol: 1e-3, atol: 1e-7 };

export interface Tolerance {
  /** Relative tolerance: |actual - expected| <= atol + rtol * |expected| (numpy.testing.assert_allclose). */
  readonly rtol: number;
  readonly atol: number;
}

const shapeStr = (s: readonly number[]) => `[${s.join(',')}]`;

function coords(shape: readonly number[], flat: number): string {
  if (shape.length === 0) return '';
  const c = new Array<number>(shape.length);
  let r = flat;
  for (let i = shape.length - 1; i >= 0; i--) {
    const d = shape[i]!;
    c[i] = d === 0 ? 0 : r % d;
    r = d === 0 ? 0 : Math.floor(r / d);
  }
  return ` (at [${c.join(',')}])`;
}

/** Element i as a number (f16 decoded; 64-bit integers exact up to 2^53). */
function elem(t: Tensor, i: number): number {
  const v = t.data[i]!;
  if (t.dtype === 'f16') return f16BitsToF32(v as number);
  return Number(v);
}

/** Element i as text that is exact for every dtype (BigInt printed in full; floats with all digits). */
function elemText(t: Tensor, i: number): string {
  const v = t.data[i]!;
  if (typeof v === 'bigint') return v.toString();
  if (t.dtype === 'f16') return `${f16BitsToF32(v)} (0x${v.toString(16).padStart(4, '0')})`;
  return String(v);
}

function header(actual: Tensor, expected: Tensor, label: string): string | undefined {
  const l = label ? `${label}: ` : '';
  if (actual.dtype !== expected.dtype) return `${l}dtype ${actual.dtype}, expected ${expected.dtype}`;
  if (actual.shape.length !== expected.shape.length || actual.shape.some((d, i) => d !== expected.shape[i])) {
    return `${l}shape ${shapeStr(actual.shape)}, expected ${shapeStr(expected.shape)}`;
  }
  return undefined;
}

function report(actual: Tensor, expected: Tensor, label: string, bad: number[], count: number, extra = ''): string {
  const l = label ? `${label}: ` : '';
  const i = bad[0]!;
  return (
    `${l}${count} of ${expected.size} elements differ${extra}; first at index ${i}${coords(expected.shape, i)}: ` +
    `got ${elemText(actual, i)}, expected ${elemText(expected, i)}` +
    (bad.length > 1 ? `; next at ${bad.slice(1).map((k) => `${k}: ${elemText(actual, k)} vs ${elemText(expected, k)}`).join(', ')}` : '')
  );
}

/** Same dtype, shape and bytes. Floats compare by bit pattern (so NaN payloads and -0 matter). */
export function checkIdentical(actual: Tensor, expected: Tensor, label = ''): string | undefined {
  const h = header(actual, expected, label);
  if (h) return h;
  const a = actual.bytes();
  const e = expected.bytes();
  const w = DTYPES[expected.dtype].bytes;
  const bad: number[] = [];
  let count = 0;
  let last = -1;
  for (let b = 0; b < e.length; b++) {
    if (a[b] !== e[b]) {
      const i = Math.floor(b / w);
      if (i !== last) {
        last = i;
        count++;
        if (bad.length < 4) bad.push(i);
      }
    }
  }
  return count ? report(actual, expected, label, bad, count, ' (byte comparison)') : undefined;
}

/** Integers and bools exactly; floats with the tolerance (NaN equals NaN; infinities must match). */
export function checkClose(actual: Tensor, expected: Tensor, tol: Tolerance = ONNX_TOLERANCE, label = ''): string | undefined {
  const h = header(actual, expected, label);
  if (h) return h;
  if (!DTYPES[expected.dtype].isFloat) {
    const bad: number[] = [];
    let count = 0;
    const a = actual.data;
    const e = expected.data;
    for (let i = 0; i < e.length; i++) {
      if (a[i] !== e[i]) {
        count++;
        if (bad.length < 4) bad.push(i);
      }
    }
    return count ? report(actual, expected, label, bad, count) : undefined;
  }
  const bad: number[] = [];
  let count = 0;
  let worst = 0;
  let worstAt = -1;
  for (let i = 0; i < expected.size; i++) {
    const x = elem(actual, i);
    const y = elem(expected, i);
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (x === y) continue; // also equal infinities
    const diff = Math.abs(x - y);
    const ok = Number.isFinite(y) && diff <= tol.atol + tol.rtol * Math.abs(y);
    if (!ok) {
      count++;
      if (bad.length < 4) bad.push(i);
      const rel = Number.isFinite(diff) && y !== 0 ? diff / Math.abs(y) : Infinity;
      if (worstAt < 0 || rel > worst) {
        worst = rel;
        worstAt = i;
      }
    }
  }
  if (!count) return undefined;
  const extra = ` beyond rtol=${tol.rtol} atol=${tol.atol} (worst relative error ${worst.toPrecision(3)} at index ${worstAt})`;
  return report(actual, expected, label, bad, count, extra);
}

/** Largest absolute difference (as a number), for reports; NaN-vs-NaN counts as 0, NaN-vs-number as Infinity. */
export function maxAbsDiff(actual: Tensor, expected: Tensor): number {
  let m = 0;
  const n = Math.min(actual.size, expected.size);
  for (let i = 0; i < n; i++) {
    const x = elem(actual, i);
    const y = elem(expected, i);
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    const d = x === y ? 0 : Math.abs(x - y);
    if (!(d <= m)) m = Number.isNaN(d) ? Infinity : d;
  }
  return m;
}

/**
 * Compares two name->tensor maps: same names, and each pair by `check`. Returns every mismatch
 * (one line per output), or undefined.
 */
export function checkOutputs(
  actual: ReadonlyMap<string, Tensor>,
  expected: ReadonlyMap<string, Tensor>,
  check: (a: Tensor, e: Tensor, label: string) => string | undefined,
): string | undefined {
  const problems: string[] = [];
  for (const [name, e] of expected) {
    const a = actual.get(name);
    if (!a) {
      problems.push(`output '${name}' missing (have: ${[...actual.keys()].join(', ') || 'none'})`);
      continue;
    }
    const m = check(a, e, `output '${name}'`);
    if (m) problems.push(m);
  }
  for (const name of actual.keys()) if (!expected.has(name)) problems.push(`unexpected output '${name}'`);
  return problems.length ? problems.join('\n') : undefined;
}

export function expectIdentical(actual: Tensor, expected: Tensor, label = ''): void {
  const m = checkIdentical(actual, expected, label);
  if (m) throw new Error(m);
}

export function expectClose(actual: Tensor, expected: Tensor, tol: Tolerance = ONNX_TOLERANCE, label = ''): void {
  const m = checkClose(actual, expected, tol, label);
  if (m) throw new Error(m);
}

/** Exact for every dtype: integers by value, floats by bits. */
export function expectExact(actual: Tensor, expected: Tensor, label = ''): void {
  expectIdentical(actual, expected, label);
}

export function expectOutputs(
  actual: ReadonlyMap<string, Tensor>,
  expected: ReadonlyMap<string, Tensor>,
  check: (a: Tensor, e: Tensor, label: string) => string | undefined,
): void {
  const m = checkOutputs(actual, expected, check);
  if (m) throw new Error(m);
}
