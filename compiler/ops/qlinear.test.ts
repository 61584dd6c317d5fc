import { describe, expect, it } from 'vitest';
import { isQccError } from '../errors.ts';
import { getOpDef } from './registry.ts';
import { f32ToF16Bits } from '../numerics/f16.ts';
import { T, buildOne, runOne } from './q-test-util.ts';

const nums = (t: { toNumbers(): number[] }) => t.toNumbers();
const conv2d = (k: number[], extra: Record<string, number | number[]> = {}) => ({
  kernel_shape: k, strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0], group: 1, ...extra,
});
const s = (v: number) => T('f32', [], [v]);

describe('qlinear_conv', () => {
  const x = T('u8', [1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const w = T('u8', [1, 1, 2, 2], [2, 2, 2, 2]);
  it('2x2 window, zero points on x, w and y, scale 0.25 with ties', () => {
    // (x - 1) windows sum to 8, 12, 20, 24; (w - 1) = 1; * 0.25 = 2, 3, 5, 6; + 10
    const [y] = runOne('qlinear_conv', [x, s(0.5), T('u8', [], [1]), w, s(0.5), T('u8', [], [1]), s(1), T('u8', [], [10])], conv2d([2, 2]));
    expect(y!.shape).toEqual([1, 1, 2, 2]);
    expect(nums(y!)).toEqual([12, 13, 15, 16]);
    // with bias 2: 10, 14, 22, 26 -> 2.5, 3.5, 5.5, 6.5 -> 2, 4, 6, 6 (ties to even)
    const [yb] = runOne('qlinear_conv', [x, s(0.5), T('u8', [], [1]), w, s(0.5), T('u8', [], [1]), s(1), T('u8', [], [10]), T('i32', [1], [2])], conv2d([2, 2]));
    expect(nums(yb!)).toEqual([12, 14, 16, 16]);
  });
  it('pads, stride 2, per-channel weight scales and zero points, i8 everywhere', () => {
    const xi = T('i8', [1, 1, 3, 3], [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const wi = T('i8', [2, 1, 1, 1], [3, -1]);
    const attrs = conv2d([1, 1], { strides: [2, 2], pads: [1, 1, 1, 1] });
    // output 3x3, only the centre (input (1,1) = 5) is not padding: ch0 5 * (3 - 1) * 1 = 10, ch1 5 * (-1 - 0) * 2 = -10
    const [y] = runOne('qlinear_conv', [xi, s(1), T('i8', [], [0]), wi, T('f32', [2], [1, 2]), T('i8', [2], [1, 0]), s(1), T('i8', [], [-3])], attrs);
    expect(y!.shape).toEqual([1, 2, 3, 3]);
    expect(nums(y!)).toEqual([-3, -3, -3, -3, 7, -3, -3, -3, -3, -3, -3, -3, -3, -13, -3, -3, -3, -3]);
  });
  it('depthwise (group = channels)', () => {
    const xd = T('u8', [1, 2, 1, 3], [10, 20, 30, 1, 2, 3]);
    const wd = T('u8', [2, 1, 1, 2], [1, 2, 3, 4]);
    const [y] = runOne('qlinear_conv', [xd, s(1), T('u8', [], [0]), wd, s(1), T('u8', [], [0]), s(1), T('u8', [], [0])], conv2d([1, 2], { group: 2 }));
    expect(nums(y!)).toEqual([50, 80, 11, 18]);
  });
  it('1-D with dilation, saturation at 255; 3-D', () => {
    const attrs1 = { kernel_shape: [2], strides: [1], dilations: [2], pads: [0, 0], group: 1 };
    const [y] = runOne('qlinear_conv', [T('u8', [1, 1, 5], [1, 2, 3, 4, 200]), s(1), T('u8', [], [0]), T('u8', [1, 1, 2], [1, 1]), s(1), T('u8', [], [0]), s(1), T('u8', [], [0])], attrs1);
    expect(nums(y!)).toEqual([4, 6, 203]);
    const [y2] = runOne('qlinear_conv', [T('u8', [1, 1, 5], [1, 2, 3, 4, 255]), s(1), T('u8', [], [0]), T('u8', [1, 1, 2], [1, 1]), s(1), T('u8', [], [0]), s(1), T('u8', [], [0])], attrs1);
    expect(nums(y2!)).toEqual([4, 6, 255]);
    const attrs3 = { kernel_shape: [2, 2, 2], strides: [1, 1, 1], dilations: [1, 1, 1], pads: [0, 0, 0, 0, 0, 0], group: 1 };
    const [y3] = runOne('qlinear_conv', [T('i8', [1, 1, 2, 2, 2], [1, 2, 3, 4, 5, 6, 7, 8]), s(1), T('i8', [], [0]), T('i8', [1, 1, 2, 2, 2], new Array(8).fill(1)), s(1), T('i8', [], [0]), s(1), T('i8', [], [0])], attrs3);
    expect(nums(y3!)).toEqual([36]);
  });
  it('validation errors name the node', () => {
    const bad = (f: () => unknown, re: RegExp) => {
      try { f(); } catch (e) { expect(isQccError(e) && /node 'n0'/.test(e.message) && re.test(e.message)).toBe(true); return; }
      throw new Error('no error');
    };
    const ins = (wt = w, ws = s(1), wz = T('u8', [], [0])) => [x, s(1), T('u8', [], [0]), wt, ws, wz, s(1), T('u8', [], [0])];
    bad(() => buildOne('qlinear_conv', ins(w, T('f32', [3], [1, 1, 1])), conv2d([2, 2])), /w_scale/);
    bad(() => buildOne('qlinear_conv', ins(T('u8', [2, 1, 2, 2], new Array(8).fill(1))), conv2d([2, 2], { group: 2 })), /group 2 does not divide the 1 input/);
    bad(() => buildOne('qlinear_conv', ins(T('u8', [1, 2, 2, 2], new Array(8).fill(1))), conv2d([2, 2])), /input channels/);
    bad(() => buildOne('qlinear_conv', [x, s(1), T('i8', [], [0]), w, s(1), T('u8', [], [0]), s(1), T('u8', [], [0])], conv2d([2, 2])), /x_zero_point has type i8/);
    bad(() => buildOne('qlinear_conv', ins(), { ...conv2d([2, 2]), requant: 'fp16' }), /'fp16' is not implemented/);
  });
  it('macs', () => {
    const { node } = buildOne('qlinear_conv', [x, s(1), T('u8', [], [0]), w, s(1), T('u8', [], [0]), s(1), T('u8', [], [0])], conv2d([2, 2]));
    expect(getOpDef('qlinear_conv').macs!(node)).toBe(4 * 4);
  });
});

describe('conv_integer', () => {
  it('the ONNX with_padding example (per-channel w zero point)', () => {
    const x = T('u8', [1, 1, 3, 3], [2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const w = T('u8', [2, 1, 2, 2], new Array(8).fill(1));
    const [y] = runOne('conv_integer', [x, w, T('u8', [], [1]), T('u8', [2], [0, 1])], conv2d([2, 2], { pads: [1, 1, 1, 1] }));
    expect(y!.dtype).toBe('i32');
    expect(y!.shape).toEqual([1, 2, 4, 4]);
    expect(nums(y!)).toEqual([1, 3, 5, 3, 5, 12, 16, 9, 11, 24, 28, 15, 7, 15, 17, 9, ...new Array(16).fill(0)]);
  });
  it('no zero points; i8 x with u8 w', () => {
    const [y] = runOne('conv_integer', [T('i8', [1, 1, 1, 2], [-128, 127]), T('u8', [1, 1, 1, 2], [255, 255]), null, null], conv2d([1, 2]));
    expect(nums(y!)).toEqual([-255]);
  });
});

describe('matmul_integer', () => {
  const A = T('u8', [2, 3], [1, 2, 3, 4, 5, 6]);
  const B = T('i8', [3, 2], [1, -1, 2, -2, 3, -3]);
  it('per-tensor a zp, per-column b zp', () => {
    const [y] = runOne('matmul_integer', [A, B, T('u8', [], [1]), T('i8', [2], [0, -1])]);
    expect(nums(y!)).toEqual([8, -5, 26, -14]);
  });
  it('per-row a zp ([M] and [M,1]), batch broadcast of A over a 2-D B', () => {
    expect(nums(runOne('matmul_integer', [A, B, T('u8', [2], [1, 4]), T('i8', [2], [0, -1])])[0]!)).toEqual([8, -5, 8, -5]);
    expect(nums(runOne('matmul_integer', [A, B, T('u8', [2, 1], [1, 4]), T('i8', [1, 2], [0, -1])])[0]!)).toEqual([8, -5, 8, -5]);
    const A3 = T('u8', [2, 2, 3], [1, 2, 3, 4, 5, 6, 1, 1, 1, 2, 2, 2]);
    const [y] = runOne('matmul_integer', [A3, B, T('u8', [], [1]), T('i8', [2], [0, -1])]);
    expect(y!.shape).toEqual([2, 2, 2]);
    expect(nums(y!)).toEqual([8, -5, 26, -14, 0, 0, 6, -3]);
  });
  it('1-D operands drop their dimension', () => {
    const [y] = runOne('matmul_integer', [T('u8', [3], [1, 2, 3]), B, null, null]);
    expect(y!.shape).toEqual([2]);
    expect(nums(y!)).toEqual([1 + 4 + 9, -14]);
  });
  it('rejects a b zero point of the wrong length', () => {
    expect(() => buildOne('matmul_integer', [A, B, null, T('i8', [3], [0, 0, 0])])).toThrow(/b_zero_point has 3 elements/);
  });
});

describe('qlinear_matmul', () => {
  const A = T('u8', [2, 2], [1, 2, 3, 4]);
  const I = T('u8', [2, 2], [1, 0, 0, 1]);
  it('per-column b scale; u8 and i8 outputs', () => {
    const ins = (yzp: ReturnType<typeof T>) => [A, s(1), T('u8', [], [0]), I, T('f32', [2], [1, 0.5]), T('u8', [2], [0, 0]), s(1), yzp];
    expect(nums(runOne('qlinear_matmul', ins(T('u8', [], [0])))[0]!)).toEqual([1, 1, 3, 2]);
    expect(nums(runOne('qlinear_matmul', ins(T('i8', [], [-128])))[0]!)).toEqual([-127, -127, -125, -126]);
  });
  it('batched per-column params [B,1,N] and saturation', () => {
    const B = T('i8', [2, 2, 2], [1, 0, 0, 1, -1, 0, 0, -1]);
    const [y] = runOne('qlinear_matmul', [A, s(100), T('u8', [], [0]), B, T('f32', [2, 1, 2], [1, 2, 3, 4]), T('i8', [2, 1, 2], [0, 0, 0, 0]), s(100), T('i8', [], [0])]);
    // batch 0 identity: [1*1, 2*2, 3*1, 4*2]; batch 1 negated: [-1*3, -2*4, -3*3, -4*4]
    expect(nums(y!)).toEqual([1, 4, 3, 8, -3, -8, -9, -16]);
    const [ys] = runOne('qlinear_matmul', [A, s(100), T('u8', [], [0]), B, T('f32', [2, 1, 2], [1, 2, 3, 4]), T('i8', [2, 1, 2], [0, 0, 0, 0]), s(0.1), T('i8', [], [0])]);
    expect(nums(ys!)).toEqual([127, 127, 127, 127, -128, -128, -128, -128]);
  });
  it('f16 scales are widened to float32', () => {
    const h = (v: number) => T('f16', [], [f32ToF16Bits(v)]);
    const [y] = runOne('qlinear_matmul', [A, h(2), T('u8', [], [0]), I, h(0.5), T('u8', [], [0]), h(0.25), T('u8', [], [0])]);
    expect(nums(y!)).toEqual([4, 8, 12, 16]);
  });
  it('rejects per-row a scales', () => {
    expect(() => buildOne('qlinear_matmul', [A, T('f32', [2], [1, 1]), T('u8', [2], [0, 0]), I, s(1), T('u8', [], [0]), s(1), T('u8', [], [0])])).toThrow(/per-row a_scale/);
  });
});
