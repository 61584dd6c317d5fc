// Reference semantics of the nn family, against values derived by hand (in the comments).
import { describe, expect, it } from 'vitest';
import { Tensor } from '../ir/tensor.ts';
import { QccError } from '../errors.ts';
import { getOpDef } from './registry.ts';
import { f32, oneNode, run1 } from './nn-test-util.ts';

const vals = (t: Tensor) => Array.from(t.data as Float32Array);
const seq = (n: number, from = 1) => Array.from({ length: n }, (_, i) => i + from);

function shapeError(fn: () => unknown): QccError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(QccError);
    return e as QccError;
  }
  throw new Error('expected an error');
}

describe('conv', () => {
  const x33 = f32([1, 1, 3, 3], seq(9));
  it('valid 2x2 kernel with bias', () => {
    // y[i,j] = x[i,j] - x[i+1,j+1] = -4 everywhere, + 0.5.
    const y = run1('conv', [x33, f32([1, 1, 2, 2], [1, 0, 0, -1]), f32([1], [0.5])]);
    expect(y.shape).toEqual([1, 1, 2, 2]);
    expect(vals(y)).toEqual([-3.5, -3.5, -3.5, -3.5]);
  });
  it('3x3 ones with pads 1 sums each neighbourhood', () => {
    const y = run1('conv', [x33, f32([1, 1, 3, 3], new Array(9).fill(1)), null], { pads: [1, 1, 1, 1] });
    expect(vals(y)).toEqual([12, 21, 16, 27, 45, 33, 24, 39, 28]);
  });
  it('1-D stride 2, dilation 2, asymmetric pads', () => {
    // taps at 2o-1 and 2o+1: o=0: pad + 2*10; o=1: 2 + 4*10; o=2: 4 + 6*10. Length floor((7+1-3)/2)+1 = 3.
    const y = run1('conv', [f32([1, 1, 7], seq(7)), f32([1, 1, 2], [1, 10]), null], { strides: [2], dilations: [2], pads: [1, 0] });
    expect(vals(y)).toEqual([20, 42, 64]);
  });
  it('groups and depthwise', () => {
    const y = run1('conv', [f32([1, 4, 1, 1], [1, 2, 3, 4]), f32([2, 2, 1, 1], [1, 2, 3, 4]), null], { group: 2 });
    expect(vals(y)).toEqual([1 * 1 + 2 * 2, 3 * 3 + 4 * 4]);
    const d = run1('conv', [f32([1, 3, 1, 2], [1, 2, 3, 4, 5, 6]), f32([3, 1, 1, 1], [2, -1, 0.5]), f32([3], [1, 1, 1])], { group: 3 });
    expect(vals(d)).toEqual([3, 5, -2, -3, 3.5, 4]);
  });
  it('3-D', () => {
    // 2x2x2 input, 2x2x2 kernel of ones: the sum 1..8 = 36.
    const y = run1('conv', [f32([1, 1, 2, 2, 2], seq(8)), f32([1, 1, 2, 2, 2], new Array(8).fill(1)), null]);
    expect(y.shape).toEqual([1, 1, 1, 1, 1]);
    expect(vals(y)).toEqual([36]);
  });
  it('sums sequentially in float32 and adds the bias last', () => {
    // fround(1e8 + 1) = 1e8 (ulp 8), then - 1e8 = 0, then + bias 1 = 1. Bias first would give 0.
    const y = run1('conv', [f32([1, 1, 3], [1e8, 1, -1e8]), f32([1, 1, 3], [1, 1, 1]), f32([1], [1])]);
    expect(vals(y)).toEqual([1]);
  });
  it('rounds each product to float32', () => {
    // (1+2^-12)^2 = 1 + 2^-11 + 2^-24 rounds (tie to even) to 1 + 2^-11; minus 1 leaves 2^-11.
    const e = 1 + 2 ** -12;
    const y = run1('conv', [f32([1, 1, 2], [e, 1]), f32([1, 1, 2], [e, -1]), null]);
    expect(vals(y)).toEqual([2 ** -11]);
  });
  it('rejects channel and group mismatches naming the node and shapes', () => {
    const e = shapeError(() => oneNode('conv', [x33, f32([1, 2, 2, 2], new Array(8).fill(0))], {}, 'convA'));
    expect(e.code).toBe('E_SHAPE');
    expect(e.message).toContain("'convA'");
    expect(e.message).toContain('f32[1x1x3x3]');
    expect(e.message).toContain('f32[1x2x2x2]');
    const g = shapeError(() => oneNode('conv', [f32([1, 4, 3, 3], new Array(36).fill(0)), f32([3, 2, 1, 1], new Array(6).fill(0))], { group: 2 }));
    expect(g.message).toContain('not divisible by group=2');
  });
  it('counts MACs', () => {
    const { node } = oneNode('conv', [f32([2, 4, 5, 5], new Array(200).fill(0)), f32([6, 2, 3, 3], new Array(108).fill(0))], { group: 2 });
    // out 3x3; 2 * 6 * 9 * 2 * 9
    expect(getOpDef('conv').macs!(node)).toBe(2 * 6 * 9 * 2 * 9);
  });
});

describe('matmul', () => {
  const a = f32([2, 3], [1, 2, 3, 4, 5, 6]);
  const b = f32([3, 2], [7, 8, 9, 10, 11, 12]);
  it('2-D', () => {
    const y = run1('matmul', [a, b]);
    expect(y.shape).toEqual([2, 2]);
    expect(vals(y)).toEqual([58, 64, 139, 154]);
  });
  it('1-D operands drop their axis', () => {
    expect(run1('matmul', [f32([3], [1, 2, 3]), b]).shape).toEqual([2]);
    expect(vals(run1('matmul', [f32([3], [1, 2, 3]), b]))).toEqual([58, 64]);
    expect(vals(run1('matmul', [a, f32([3], [1, 0, -1])]))).toEqual([-2, -2]);
    const s = run1('matmul', [f32([3], [1, 2, 3]), f32([3], [1, 2, 3])]);
    expect(s.shape).toEqual([]);
    expect(vals(s)).toEqual([14]);
  });
  it('broadcasts batch axes', () => {
    // A[0] = I, A[1] = 2I; B[j] = j-th 2x2 block. Out[i, j] = (i+1) * B[j].
    const A = f32([2, 1, 2, 2], [1, 0, 0, 1, 2, 0, 0, 2]);
    const B = f32([3, 2, 2], seq(12));
    const y = run1('matmul', [A, B]);
    expect(y.shape).toEqual([2, 3, 2, 2]);
    expect(vals(y)).toEqual([...seq(12), ...seq(12).map((v) => 2 * v)]);
    // A 1-D with batched B: [1, 1] @ B[j] = column sums.
    const z = run1('matmul', [f32([2], [1, 1]), B]);
    expect(z.shape).toEqual([3, 2]);
    expect(vals(z)).toEqual([4, 6, 12, 14, 20, 22]);
  });
  it('rejects a K mismatch and non-broadcasting batches', () => {
    const e = shapeError(() => oneNode('matmul', [a, f32([2, 2], [0, 0, 0, 0])], {}, 'mm'));
    expect(e.message).toContain("'mm'");
    expect(e.message).toContain('2x3');
    expect(e.message).toContain('K=3');
    const f = shapeError(() => oneNode('matmul', [f32([2, 1, 1], [0, 0]), f32([3, 1, 1], [0, 0, 0])]));
    expect(f.message).toContain('do not broadcast');
  });
  it('counts MACs', () => {
    const { node } = oneNode('matmul', [f32([2, 1, 2, 3], new Array(12).fill(0)), f32([4, 3, 5], new Array(60).fill(0))]);
    expect(getOpDef('matmul').macs!(node)).toBe(8 * 2 * 3 * 5);
  });
});

describe('gemm', () => {
  const a = f32([2, 3], [1, 2, 3, 4, 5, 6]);
  const aT = f32([3, 2], [1, 4, 2, 5, 3, 6]);
  const b = f32([3, 2], [7, 8, 9, 10, 11, 12]);
  const bT = f32([2, 3], [7, 9, 11, 8, 10, 12]);
  const ab = [58, 64, 139, 154];
  it('plain, transposed operands, no C', () => {
    expect(vals(run1('gemm', [a, b, null]))).toEqual(ab);
    expect(vals(run1('gemm', [aT, b, null], { transA: 1 }))).toEqual(ab);
    expect(vals(run1('gemm', [a, bT, null], { transB: 1 }))).toEqual(ab);
    expect(vals(run1('gemm', [aT, bT, null], { transA: 1, transB: 1 }))).toEqual(ab);
  });
  it('alpha, beta and every C broadcast', () => {
    const at = { alpha: 0.5, beta: 2 };
    // 0.5 * ab + 2 * C
    expect(vals(run1('gemm', [a, b, f32([], [1])], at))).toEqual([31, 34, 71.5, 79]);
    expect(vals(run1('gemm', [a, b, f32([2], [1, -1])], at))).toEqual([31, 30, 71.5, 75]);
    expect(vals(run1('gemm', [a, b, f32([1, 2], [1, -1])], at))).toEqual([31, 30, 71.5, 75]);
    expect(vals(run1('gemm', [a, b, f32([2, 1], [1, -1])], at))).toEqual([31, 34, 67.5, 75]);
    expect(vals(run1('gemm', [a, b, f32([2, 2], [1, 2, 3, 4])], at))).toEqual([31, 36, 75.5, 85]);
  });
  it('scales by alpha before adding beta*C', () => {
    // acc = 2^25 (exact); alpha*acc = 2^-5; + beta*C = 2^-5 + 1. Adding C before scaling would give ~1.
    const y = run1('gemm', [f32([1, 1], [2 ** 25]), f32([1, 1], [1]), f32([1], [1])], { alpha: 2 ** -30 });
    expect(vals(y)).toEqual([1 + 2 ** -5]);
  });
  it('counts MACs', () => {
    const { node } = oneNode('gemm', [aT, bT, null], { transA: 1, transB: 1 });
    expect(getOpDef('gemm').macs!(node)).toBe(2 * 3 * 2);
  });
  it('rejects K mismatches and bad C', () => {
    const e = shapeError(() => oneNode('gemm', [a, b, null], { transA: 1 }, 'g1'));
    expect(e.message).toContain("'g1'");
    expect(e.message).toContain('K=2');
    const c = shapeError(() => oneNode('gemm', [a, b, f32([3], [0, 0, 0])]));
    expect(c.message).toContain('does not broadcast');
  });
});

describe('max_pool', () => {
  it('2-D, pads never win', () => {
    const y = run1('max_pool', [f32([1, 1, 3, 3], seq(9).map((v) => -v))], { kernel_shape: [2, 2], strides: [2, 2], pads: [1, 1, 1, 1] });
    // windows start at -1 and 1 on each axis: {x00}, {x01,x02}, {x10,x20}, {x11,x12,x21,x22}
    expect(vals(y)).toEqual([-1, -2, -4, -5]);
    expect(vals(run1('max_pool', [f32([1, 1, 3, 3], seq(9))], { kernel_shape: [2, 2] }))).toEqual([5, 6, 8, 9]);
  });
  it('ceil_mode, and the last window that would start in the padding', () => {
    const x = f32([1, 1, 5], [1, 2, 3, 4, 5]);
    expect(vals(run1('max_pool', [x], { kernel_shape: [2], strides: [2] }))).toEqual([2, 4]);
    expect(vals(run1('max_pool', [x], { kernel_shape: [2], strides: [2], ceil_mode: 1 }))).toEqual([2, 4, 5]);
    // len 4, pads [0,1]: ceil gives 3 windows but the third starts at 4 = in the end pad, so 2.
    const y = run1('max_pool', [f32([1, 1, 4], [1, 2, 3, 4])], { kernel_shape: [2], strides: [2], pads: [0, 1], ceil_mode: 1 });
    expect(vals(y)).toEqual([2, 4]);
  });
  it('dilations and 3-D', () => {
    expect(vals(run1('max_pool', [f32([1, 1, 5], [1, 9, 2, 8, 3])], { kernel_shape: [2], dilations: [2] }))).toEqual([2, 9, 3]);
    expect(vals(run1('max_pool', [f32([1, 1, 2, 2, 2], [1, 2, 3, 8, 4, 5, 6, 7])], { kernel_shape: [2, 2, 2] }))).toEqual([8]);
  });
  it('ignores NaN; a window of NaNs gives -inf', () => {
    const y = run1('max_pool', [f32([1, 1, 4], [NaN, 1, NaN, NaN])], { kernel_shape: [2], strides: [2] });
    expect(vals(y)).toEqual([1, -Infinity]);
  });
  it('uint8 and int8 extremes', () => {
    const u = run1('max_pool', [Tensor.fromNumbers('u8', [1, 2, 3], [0, 255, 0, 0, 0, 0])], { kernel_shape: [2] });
    expect(u.dtype).toBe('u8');
    expect(Array.from(u.data as Uint8Array)).toEqual([255, 255, 0, 0]);
    const i = run1('max_pool', [Tensor.fromNumbers('i8', [1, 1, 3], [-128, -128, 127])], { kernel_shape: [2], pads: [1, 0] });
    expect(Array.from(i.data as Int8Array)).toEqual([-128, -128, 127]);
  });
  it('rejects a kernel rank mismatch', () => {
    const e = shapeError(() => oneNode('max_pool', [f32([1, 1, 3, 3], seq(9))], { kernel_shape: [2] }, 'mp'));
    expect(e.code).toBe('E_ATTR');
    expect(e.message).toContain("'mp'");
  });
});

describe('average_pool', () => {
  const x = f32([1, 1, 5], [1, 2, 3, 4, 5]);
  it('excludes or includes the padding in the count', () => {
    const at = { kernel_shape: [3], pads: [1, 1] };
    expect(vals(run1('average_pool', [x], at))).toEqual([1.5, 2, 3, 4, 4.5]);
    expect(vals(run1('average_pool', [x], { ...at, count_include_pad: 1 }))).toEqual([1, 2, 3, 4, 3]);
  });
  it('ceil_mode: taps past the end padding are never counted', () => {
    // windows [0,1], [2,3], [4,(5)]; the last has one tap in the input and none in (zero) padding.
    expect(vals(run1('average_pool', [x], { kernel_shape: [2], strides: [2], ceil_mode: 1 }))).toEqual([1.5, 3.5, 5]);
    expect(vals(run1('average_pool', [x], { kernel_shape: [2], strides: [2], ceil_mode: 1, count_include_pad: 1 }))).toEqual([1.5, 3.5, 5]);
    // pads [0,1], k=3, s=2: windows [0..2], [2..4], [4, 5(pad), 6(past)]; with the pad counted: 5/2.
    const y = run1('average_pool', [x], { kernel_shape: [3], strides: [2], pads: [0, 1], ceil_mode: 1, count_include_pad: 1 });
    expect(vals(y)).toEqual([2, 4, 2.5]);
  });
  it('dilations, 2-D', () => {
    // 1x1x3x3, k 2x2 dilation 2: one window {x00, x02, x20, x22} = (1+3+7+9)/4
    expect(vals(run1('average_pool', [f32([1, 1, 3, 3], seq(9))], { kernel_shape: [2, 2], dilations: [2, 2] }))).toEqual([5]);
  });
  it('sums in window order in float32, then divides', () => {
    // fround(1e8 + 1) = 1e8; - 1e8 = 0; 0 / 3 = 0 (another order would give 1/3).
    expect(vals(run1('average_pool', [f32([1, 1, 3], [1e8, 1, -1e8])], { kernel_shape: [3] }))).toEqual([0]);
    // 1/3 rounded once: fround(1/3)
    expect(vals(run1('average_pool', [f32([1, 1, 3], [1, 0, 0])], { kernel_shape: [3] }))).toEqual([Math.fround(1 / 3)]);
  });
});

describe('global pools', () => {
  const x = f32([1, 2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 9]);
  it('average and max per channel', () => {
    const a = run1('global_average_pool', [x]);
    expect(a.shape).toEqual([1, 2, 1, 1]);
    expect(vals(a)).toEqual([2.5, 6.75]);
    expect(vals(run1('global_max_pool', [x]))).toEqual([4, 9]);
  });
  it('sum sequentially and reject non-float inputs', () => {
    // fround(1e8 + 1) = 1e8; - 1e8 = 0; + 2 = 2; / 4 = 0.5 (exact order matters: 1e8-1e8 first gives 0.75)
    expect(vals(run1('global_average_pool', [f32([1, 1, 4], [1e8, 1, -1e8, 2])]))).toEqual([0.5]);
    const e = shapeError(() => oneNode('global_max_pool', [Tensor.fromNumbers('u8', [1, 1, 2], [0, 1])], {}, 'gmp'));
    expect(e.code).toBe('E_UNSUPPORTED');
    expect(e.message).toContain("'gmp'");
  });
});
