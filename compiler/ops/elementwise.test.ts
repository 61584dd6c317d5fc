/**
 * Interpreter semantics of the elementwise family with hand-derived expected values (wrap-around,
 * truncating division, division by zero, broadcasting, NaN handling, clip bounds, softmax axes, casts).
 */
import { describe, expect, it } from 'vitest';
import type { DType } from '../ir/dtype.ts';
import { Graph, type Attrs } from '../ir/graph.ts';
import { Tensor } from '../ir/tensor.ts';
import { catchQccError } from '../../test/util/errors.ts';
import { getOpDef } from './registry.ts';
import './index.ts';
import { broadcastIndex, collapseBroadcast } from './elementwise-util.ts';

/** Builds one node of `kind` over the given inputs, infers, interprets; returns output 0. */
function run(kind: string, inputs: (Tensor | null)[], attrs: Attrs = {}): Tensor {
  const g = new Graph('t');
  const vals = inputs.map((t, i) => (t ? g.addValue(`in${i}`, { dtype: t.dtype, shape: t.shape }) : null));
  const out = g.addValue('out', { dtype: 'f32', shape: [] });
  const node = g.addNode(kind, 'n', vals, [out], attrs);
  const def = getOpDef(kind);
  out.type = def.infer(node)[0]!;
  const [y] = def.interpret(node, inputs);
  expect(y!.dtype).toBe(out.type.dtype);
  expect([...y!.shape]).toEqual([...out.type.shape]);
  return y!;
}

const T = (dtype: DType, values: number[], shape: number[] = [values.length]) => Tensor.fromNumbers(dtype, shape, values);
const B = (dtype: 'i64' | 'u64', values: bigint[]) =>
  new Tensor(dtype, [values.length], dtype === 'i64' ? BigInt64Array.from(values) : BigUint64Array.from(values));
const nums = (t: Tensor) => t.toNumbers();
const bigs = (t: Tensor) => Array.from(t.data as BigInt64Array | BigUint64Array);
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const bitsOf = (x: number) => ((f32[0] = x), u32[0]!);

const qccError = catchQccError;

describe('integer arithmetic wraps like C on the exact-width type', () => {
  it('add / sub', () => {
    expect(nums(run('add', [T('i8', [127, -128, 100]), T('i8', [1, -1, 100])]))).toEqual([-128, 127, -56]);
    expect(nums(run('add', [T('u8', [255, 200]), T('u8', [1, 100])]))).toEqual([0, 44]);
    expect(nums(run('sub', [T('u16', [0, 5]), T('u16', [1, 65535])]))).toEqual([65535, 6]);
    expect(nums(run('add', [T('i32', [2147483647]), T('i32', [1])]))).toEqual([-2147483648]);
    expect(nums(run('sub', [T('u32', [0]), T('u32', [1])]))).toEqual([4294967295]);
    expect(bigs(run('add', [B('i64', [2n ** 63n - 1n]), B('i64', [1n])]))).toEqual([-(2n ** 63n)]);
    expect(bigs(run('sub', [B('u64', [0n]), B('u64', [1n])]))).toEqual([2n ** 64n - 1n]);
  });

  it('mul', () => {
    // 300*300 = 90000 = 65536 + 24464; -32768 * -1 = 32768 -> -32768
    expect(nums(run('mul', [T('i16', [300, -32768]), T('i16', [300, -1])]))).toEqual([24464, -32768]);
    expect(nums(run('mul', [T('u16', [65535]), T('u16', [65535])]))).toEqual([1]);
    // (2^32-1)^2 = 1 mod 2^32; 46341^2 = 2147488281 = 2^31 + 4633 -> -2147479015
    expect(nums(run('mul', [T('u32', [4294967295]), T('u32', [4294967295])]))).toEqual([1]);
    expect(nums(run('mul', [T('i32', [46341, 65536]), T('i32', [46341, 65536])]))).toEqual([-2147479015, 0]);
    expect(bigs(run('mul', [B('u64', [2n ** 63n, 3n]), B('u64', [2n, 2n ** 63n + 1n])]))).toEqual([0n, 2n ** 63n + 3n]);
    expect(bigs(run('mul', [B('i64', [-(2n ** 63n)]), B('i64', [-1n])]))).toEqual([-(2n ** 63n)]);
  });

  it('div truncates toward zero, x/0 = 0, MIN/-1 = MIN', () => {
    expect(nums(run('div', [T('i32', [7, -7, 7, -7, 5, -2147483648]), T('i32', [2, 2, -2, -2, 0, -1])]))).toEqual([
      3, -3, -3, 3, 0, -2147483648,
    ]);
    expect(nums(run('div', [T('i8', [-128, -128, 127]), T('i8', [-1, 0, -2])]))).toEqual([-128, 0, -63]);
    expect(nums(run('div', [T('u8', [255, 255]), T('u8', [0, 2])]))).toEqual([0, 127]);
    expect(nums(run('div', [T('u32', [4294967295]), T('u32', [2])]))).toEqual([2147483647]);
    expect(bigs(run('div', [B('i64', [-(2n ** 63n), -7n, 9n]), B('i64', [-1n, 2n, 0n])]))).toEqual([-(2n ** 63n), -3n, 0n]);
    expect(bigs(run('div', [B('u64', [2n ** 64n - 1n, 1n]), B('u64', [2n, 0n])]))).toEqual([2n ** 63n - 1n, 0n]);
  });
});

describe('float arithmetic', () => {
  it('rounds each result to float32 once', () => {
    const y = run('div', [T('f32', [1, 1, 0, -1]), T('f32', [3, 0, 0, 0])]);
    expect(nums(y)).toEqual([Math.fround(1 / 3), Infinity, NaN, -Infinity]);
    // 0.1f + 0.2f in float32 is 0x3e99999a (not the double sum rounded from decimal)
    expect(bitsOf(run('add', [T('f32', [0.1]), T('f32', [0.2])]).num(0))).toBe(0x3e99999a);
    // 16777216 + 1 is not representable: ties to even
    expect(nums(run('add', [T('f32', [16777216]), T('f32', [1])]))).toEqual([16777216]);
  });

  it('f64 stays double', () => {
    expect(nums(run('add', [T('f64', [0.1]), T('f64', [0.2])]))).toEqual([0.1 + 0.2]);
  });

  it('max / min propagate NaN and broadcast', () => {
    expect(nums(run('max', [T('f32', [NaN, 1, 3]), T('f32', [1, NaN, 2])]))).toEqual([NaN, NaN, 3]);
    expect(nums(run('min', [T('f32', [NaN, 1, 3]), T('f32', [1, NaN, 2])]))).toEqual([NaN, NaN, 2]);
    expect(nums(run('max', [T('i8', [-128, 5, 0], [3, 1]), T('i8', [0, 1], [2])]))).toEqual([0, 1, 5, 5, 0, 1]);
  });
});

describe('broadcasting', () => {
  it('follows numpy: [2,1,3] + [4,1] -> [2,4,3]', () => {
    const a = T('f32', [1, 2, 3, 4, 5, 6], [2, 1, 3]);
    const b = T('f32', [10, 20, 30, 40], [4, 1]);
    const y = run('add', [a, b]);
    expect([...y.shape]).toEqual([2, 4, 3]);
    expect(nums(y).slice(0, 6)).toEqual([11, 12, 13, 21, 22, 23]);
    expect(nums(y).slice(21)).toEqual([44, 45, 46]);
  });

  it('scalars and size-1 axes', () => {
    expect(nums(run('sub', [T('i16', [5], []), T('i16', [1, 2, 3])]))).toEqual([4, 3, 2]);
    const y = run('mul', [T('u8', [1, 2, 3, 4, 5, 6], [1, 2, 3]), T('u8', [2], [1])]);
    expect([...y.shape]).toEqual([1, 2, 3]);
    expect(nums(y)).toEqual([2, 4, 6, 8, 10, 12]);
  });

  it('rejects incompatible shapes and mixed dtypes, and f16 arithmetic', () => {
    expect(qccError(() => run('add', [T('f32', [1, 2, 3, 4, 5, 6], [2, 3]), T('f32', [1, 2, 3, 4])])).code).toBe('E_SHAPE');
    expect(qccError(() => run('add', [T('f32', [1]), T('i32', [1])])).code).toBe('E_SHAPE');
    expect(qccError(() => run('add', [T('f16', [0]), T('f16', [0])])).code).toBe('E_UNSUPPORTED');
    expect(qccError(() => run('relu', [T('u8', [0])])).code).toBe('E_UNSUPPORTED');
  });

  it('index maps and collapsed geometry', () => {
    expect(broadcastIndex([3], [3])).toBeNull();
    expect(Array.from(broadcastIndex([2, 1], [2, 3])!)).toEqual([0, 0, 0, 1, 1, 1]);
    expect(Array.from(broadcastIndex([], [2, 2])!)).toEqual([0, 0, 0, 0]);
    // equal shapes collapse to one contiguous axis
    expect(collapseBroadcast([[2, 3, 4], [2, 3, 4]], [2, 3, 4])).toEqual({ shape: [24], strides: [[1], [1]] });
    // a scalar gets stride 0
    expect(collapseBroadcast([[2, 3], []], [2, 3])).toEqual({ shape: [6], strides: [[1], [0]] });
    // [2,1,3,4] vs [5,1,1]: axes 2 and 3 merge (both contiguous for a, both broadcast for b)
    expect(collapseBroadcast([[2, 1, 3, 4], [5, 1, 1]], [2, 5, 3, 4])).toEqual({
      shape: [2, 5, 12],
      strides: [[12, 0, 1], [0, 1, 0]],
    });
    // all size-1: one axis of 1
    expect(collapseBroadcast([[1, 1], [1]], [1, 1])).toEqual({ shape: [1], strides: [[0], [0]] });
  });
});

describe('comparisons and where', () => {
  it('give bool, NaN compares false', () => {
    const a = T('f32', [1, 2, NaN, 3]);
    const b = T('f32', [2, 2, NaN, 1]);
    expect(run('less', [a, b]).dtype).toBe('bool');
    expect(nums(run('less', [a, b]))).toEqual([1, 0, 0, 0]);
    expect(nums(run('less_or_equal', [a, b]))).toEqual([1, 1, 0, 0]);
    expect(nums(run('greater', [a, b]))).toEqual([0, 0, 0, 1]);
    expect(nums(run('greater_or_equal', [a, b]))).toEqual([0, 1, 0, 1]);
    expect(nums(run('equal', [a, b]))).toEqual([0, 1, 0, 0]);
    expect(nums(run('less', [B('u64', [2n ** 64n - 1n, 0n]), B('u64', [0n, 1n])]))).toEqual([0, 1]);
  });

  it('where broadcasts all three and copies bits', () => {
    const c = T('bool', [1, 0], [2, 1]);
    const y = run('where', [c, T('i64', [7], []), T('i64', [1, 2, 3])]);
    expect([...y.shape]).toEqual([2, 3]);
    expect(bigs(y)).toEqual([7n, 7n, 7n, 1n, 2n, 3n]);
    const nan = new Float32Array(1);
    new Uint32Array(nan.buffer)[0] = 0x7fc12345;
    const z = run('where', [T('bool', [1]), new Tensor('f32', [1], nan), T('f32', [0])]);
    expect(new Uint32Array(z.data.buffer)[0]).toBe(0x7fc12345);
  });
});

describe('activations', () => {
  it('relu keeps -0 and NaN, zeroes negatives', () => {
    const y = run('relu', [T('f32', [-1, 0, 2.5, -0, NaN, -Infinity])]);
    expect(nums(y)).toEqual([0, 0, 2.5, -0, NaN, 0]);
    expect(Object.is(y.num(3), -0)).toBe(true);
    expect(nums(run('relu', [T('i8', [-128, 127, 0])]))).toEqual([0, 127, 0]);
    expect(bigs(run('relu', [B('i64', [-(2n ** 63n), 5n])]))).toEqual([0n, 5n]);
  });

  it('leaky_relu rounds alpha*x once', () => {
    const y = run('leaky_relu', [T('f32', [-2, 3, -0.5])], { alpha: Math.fround(0.1) });
    // fround(0.1) * -2 is exact doubling: fround(-0.2); * -0.5 is exact halving
    expect(nums(y)).toEqual([Math.fround(-0.2), 3, Math.fround(-0.05)]);
  });

  it('neg and abs wrap on integers; abs clears the float sign bit', () => {
    expect(nums(run('neg', [T('i8', [-128, 5, 0])]))).toEqual([-128, -5, 0]);
    expect(nums(run('abs', [T('i32', [-2147483648, -3])]))).toEqual([-2147483648, 3]);
    expect(nums(run('abs', [T('u8', [255])]))).toEqual([255]);
    const a = run('abs', [T('f32', [-0, -Infinity, -1.5])]);
    expect(Object.is(a.num(0), 0)).toBe(true);
    expect(nums(a).slice(1)).toEqual([Infinity, 1.5]);
  });

  it('sqrt, reciprocal, exp, sigmoid, tanh at known points', () => {
    expect(nums(run('sqrt', [T('f32', [4, 2, 0, -0, -1, Infinity])]))).toEqual([2, Math.fround(Math.SQRT2), 0, -0, NaN, Infinity]);
    expect(nums(run('reciprocal', [T('f32', [4, 0, -0])]))).toEqual([0.25, Infinity, -Infinity]);
    expect(nums(run('exp', [T('f32', [0, -Infinity, 1])])).slice(0, 2)).toEqual([1, 0]);
    expect(run('exp', [T('f32', [1])]).num(0)).toBeCloseTo(Math.E, 6);
    expect(nums(run('sigmoid', [T('f32', [0, Infinity, -Infinity])]))).toEqual([0.5, 1, 0]);
    expect(run('sigmoid', [T('f32', [2])]).num(0)).toBeCloseTo(1 / (1 + Math.exp(-2)), 7);
    expect(nums(run('tanh', [T('f32', [0, Infinity, -Infinity])]))).toEqual([0, 1, -1]);
    expect(run('tanh', [T('f32', [0.5])]).num(0)).toBeCloseTo(Math.tanh(0.5), 7);
  });
});

describe('clip', () => {
  const x = T('f32', [-5, 0.5, 5, NaN, -Infinity]);
  it('clamps with attribute bounds; NaN passes', () => {
    expect(nums(run('clip', [x, null, null], { min: -1, max: 1 }))).toEqual([-1, 0.5, 1, NaN, -1]);
    expect(nums(run('clip', [x, null, null], { min: 0 }))).toEqual([0, 0.5, 5, NaN, 0]);
    expect(nums(run('clip', [x, null, null]))).toEqual([-5, 0.5, 5, NaN, -Infinity]);
  });
  it('min > max gives max everywhere', () => {
    expect(nums(run('clip', [x, null, null], { min: 2, max: 1 }))).toEqual([1, 1, 1, NaN, 1]);
  });
  it('takes runtime scalar bounds for integers, 64-bit included', () => {
    expect(nums(run('clip', [T('i8', [-128, 0, 127]), T('i8', [-5], []), T('i8', [100], [1])]))).toEqual([-5, 0, 100]);
    const big = B('u64', [0n, 2n ** 63n, 2n ** 64n - 1n]);
    const hi = new Tensor('u64', [], BigUint64Array.from([2n ** 63n + 1n]));
    expect(bigs(run('clip', [big, null, hi]))).toEqual([0n, 2n ** 63n, 2n ** 63n + 1n]);
  });
  it('rejects non-scalar bounds and bound dtype mismatch', () => {
    expect(qccError(() => run('clip', [T('f32', [1]), T('f32', [0, 1]), null])).code).toBe('E_SHAPE');
    expect(qccError(() => run('clip', [T('f32', [1]), T('f64', [0], []), null])).code).toBe('E_SHAPE');
  });
});

describe('softmax', () => {
  it('normalises a row with max subtraction', () => {
    const y = run('softmax', [T('f32', [1, 2, 3])], { axis: 0, coerce2d: false });
    const s = Math.exp(-2) + Math.exp(-1) + 1;
    nums(y).forEach((v, i) => expect(v).toBeCloseTo(Math.exp(i - 2) / s, 7));
    const big = run('softmax', [T('f32', [1000, 1001, -Infinity])], { axis: 0, coerce2d: false });
    expect(big.num(0)).toBeCloseTo(1 / (1 + Math.E), 6);
    expect(big.num(2)).toBe(0);
  });

  it('one axis (opset 13) vs 2-D coercion (opset < 13)', () => {
    const zeros = T('f32', new Array(8).fill(0), [2, 2, 2]);
    expect(nums(run('softmax', [zeros], { axis: 1, coerce2d: false }))).toEqual(new Array(8).fill(0.5));
    expect(nums(run('softmax', [zeros], { axis: 1, coerce2d: true }))).toEqual(new Array(8).fill(0.25));
    // axis 0 of [2,3]: columns; x[1][j] - x[0][j] = ln 3 gives 1/4, 3/4
    const x = T('f32', [0, 0, 0, Math.log(3), Math.log(3), Math.log(3)], [2, 3]);
    const y = nums(run('softmax', [x], { axis: 0, coerce2d: false }));
    y.slice(0, 3).forEach((v) => expect(v).toBeCloseTo(0.25, 6));
    y.slice(3).forEach((v) => expect(v).toBeCloseTo(0.75, 6));
    // legacy axis == rank: rows of one element
    expect(nums(run('softmax', [T('f32', [5, -3], [2])], { axis: 1, coerce2d: true }))).toEqual([1, 1]);
  });

  it('rejects a bad axis', () => {
    expect(qccError(() => run('softmax', [T('f32', [1, 2])], { axis: 1, coerce2d: false })).code).toBe('E_ATTR');
  });
});

describe('cast', () => {
  const xs = [NaN, 1e10, -1e10, 300.7, -300.7, 200.5, -129.9, 255.9, 65535.5, 3e9, -0.7, 4294967296];
  const x = T('f32', xs);
  // Expected values: onnxruntime-web 1.30 on the same inputs (saturate to int32/uint32, then wrap).
  it('float -> narrow integers saturate to 32 bits then wrap (as onnxruntime-web)', () => {
    expect(nums(run('cast', [x], { to: 'i8' }))).toEqual([0, -1, 0, 44, -44, -56, 127, -1, -1, -1, 0, -1]);
    expect(nums(run('cast', [x], { to: 'u8' }))).toEqual([0, 255, 0, 44, 0, 200, 0, 255, 255, 0, 0, 255]);
    expect(nums(run('cast', [x], { to: 'i16' }))).toEqual([0, -1, 0, 300, -300, 200, -129, 255, -1, -1, 0, -1]);
    expect(nums(run('cast', [x], { to: 'u16' }))).toEqual([0, 65535, 0, 300, 0, 200, 0, 255, 65535, 24064, 0, 65535]);
    expect(nums(run('cast', [x], { to: 'i32' }))).toEqual([
      0, 2147483647, -2147483648, 300, -300, 200, -129, 255, 65535, 2147483647, 0, 2147483647,
    ]);
    expect(nums(run('cast', [x], { to: 'u32' }))).toEqual([0, 4294967295, 0, 300, 0, 200, 0, 255, 65535, 3000000000, 0, 4294967295]);
  });

  it('float -> 64-bit integers saturate to their range', () => {
    const y = T('f32', [1e30, -1e30, -5.5, NaN]);
    expect(bigs(run('cast', [y], { to: 'i64' }))).toEqual([2n ** 63n - 1n, -(2n ** 63n), -5n, 0n]);
    expect(bigs(run('cast', [y], { to: 'u64' }))).toEqual([2n ** 64n - 1n, 0n, 0n, 0n]);
  });

  it('integers -> float round once (int64 too)', () => {
    const v = 2n ** 60n + 2n ** 36n + 1n; // just above the midpoint between two floats
    expect(nums(run('cast', [B('i64', [v, -v, 16777217n])], { to: 'f32' }))).toEqual([2 ** 60 + 2 ** 37, -(2 ** 60 + 2 ** 37), 16777216]);
    expect(nums(run('cast', [B('u64', [2n ** 64n - 1n])], { to: 'f32' }))).toEqual([2 ** 64]);
    expect(nums(run('cast', [T('i32', [16777217, 16777219])], { to: 'f32' }))).toEqual([16777216, 16777220]);
  });

  it('to and from f16 (f64 goes through f32, as onnxruntime does)', () => {
    const d = new Tensor('f64', [4], Float64Array.from([1 + 2 ** -11 + 2 ** -40, 65519.99, 65520, -0]));
    expect(nums(run('cast', [d], { to: 'f16' }))).toEqual([0x3c00, 0x7bff, 0x7c00, 0x8000]);
    expect(nums(run('cast', [T('i64', [65519, 65520, 2049, 2051, -70000])], { to: 'f16' }))).toEqual([
      0x7bff, 0x7c00, 0x6800, 0x6802, 0xfc00,
    ]);
    const h = new Tensor('f16', [5], Uint16Array.from([0x3c00, 0x0001, 0xfc00, 0x7e01, 0xc500]));
    const y = run('cast', [h], { to: 'f32' });
    expect(Array.from(new Uint32Array(y.data.buffer))).toEqual([0x3f800000, 0x33800000, 0xff800000, 0x7fc02000, 0xc0a00000]);
    expect(nums(run('cast', [h], { to: 'i8' }))).toEqual([1, 0, 0, 0, -5]); // -inf saturates to INT32_MIN, whose low byte is 0
  });

  it('integer -> integer wraps; anything -> bool is != 0', () => {
    expect(nums(run('cast', [T('i32', [300, -1])], { to: 'u8' }))).toEqual([44, 255]);
    expect(nums(run('cast', [B('i64', [70000n, -(2n ** 63n)])], { to: 'i16' }))).toEqual([4464, 0]);
    expect(bigs(run('cast', [T('i8', [-1])], { to: 'u64' }))).toEqual([2n ** 64n - 1n]);
    expect(bigs(run('cast', [T('u32', [4294967295])], { to: 'i64' }))).toEqual([4294967295n]);
    expect(nums(run('cast', [T('f32', [0, -0, NaN, 0.1])], { to: 'bool' }))).toEqual([0, 0, 1, 1]);
    expect(nums(run('cast', [B('u64', [0n, 2n ** 63n])], { to: 'bool' }))).toEqual([0, 1]);
    expect(nums(run('cast', [T('bool', [1, 0])], { to: 'f32' }))).toEqual([1, 0]);
  });
});

describe('reduce_sum / reduce_max', () => {
  const x = T('f32', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], [2, 3, 2]);
  it('reduce over axis sets, keepdims or not', () => {
    const a = run('reduce_sum', [x], { axes: [0, 2], keepdims: true });
    expect([...a.shape]).toEqual([1, 3, 1]);
    // axis 1 index j: x[0][j][0..1] + x[1][j][0..1]
    expect(nums(a)).toEqual([1 + 2 + 7 + 8, 3 + 4 + 9 + 10, 5 + 6 + 11 + 12]);
    const b = run('reduce_max', [x], { axes: [1], keepdims: false });
    expect([...b.shape]).toEqual([2, 2]);
    expect(nums(b)).toEqual([5, 6, 11, 12]);
    expect(nums(run('reduce_sum', [x], { axes: [0, 1, 2], keepdims: false }))).toEqual([78]);
  });
  it('integer sums wrap; NaN makes max NaN; empty reductions', () => {
    expect(nums(run('reduce_sum', [T('i8', [100, 100, -128, -1], [2, 2])], { axes: [1], keepdims: false }))).toEqual([-56, 127]);
    expect(nums(run('reduce_sum', [T('u32', [4294967295, 2])], { axes: [0], keepdims: false }))).toEqual([1]);
    expect(nums(run('reduce_max', [T('f32', [1, NaN, 3])], { axes: [0], keepdims: false }))).toEqual([NaN]);
    expect(nums(run('reduce_max', [new Tensor('i16', [2, 0])], { axes: [1], keepdims: true }))).toEqual([-32768, -32768]);
    expect(nums(run('reduce_sum', [new Tensor('f32', [2, 0])], { axes: [1], keepdims: false }))).toEqual([0, 0]);
  });
  it('rejects unsorted or out-of-range axes', () => {
    expect(qccError(() => run('reduce_sum', [x], { axes: [2, 0], keepdims: true })).code).toBe('E_ATTR');
    expect(qccError(() => run('reduce_sum', [x], { axes: [3], keepdims: true })).code).toBe('E_ATTR');
  });
});
