import { describe, expect, it } from 'vitest';
import { isQccError } from '../errors.ts';
import { f32ToF16Bits } from '../numerics/f16.ts';
import { T, buildOne, runOne } from './q-test-util.ts';

const nums = (t: { toNumbers(): number[] }) => t.toNumbers();

describe('quantize_linear', () => {
  it('per tensor, u8 (the ONNX example)', () => {
    const [y] = runOne('quantize_linear', [T('f32', [6], [0, 2, 3, 1000, -254, -1000]), T('f32', [], [2]), T('u8', [], [128])], { dtype: 'u8', axis: 1 });
    expect(y!.dtype).toBe('u8');
    expect(nums(y!)).toEqual([128, 129, 130, 255, 1, 0]);
  });
  it('ties to even, i8, zero point absent means 0', () => {
    const [y] = runOne('quantize_linear', [T('f32', [6], [1, 3, 5, -1, -3, -5]), T('f32', [], [2]), null], { dtype: 'i8' });
    expect(nums(y!)).toEqual([0, 2, 2, 0, -2, -2]);
  });
  it('per axis (axis 1 of NCHW), runtime scale accepted by the interpreter', () => {
    const x = T('f32', [1, 3, 1, 2], [-10, 10, -10, 10, -10, 10]);
    const [y] = runOne('quantize_linear', [x, T('f32', [3], [1, 2, 4]), T('i8', [3], [-128, 0, 127])], { dtype: 'i8', axis: 1 }, [0, 1, 2]);
    // channel 0: -10/1 + -128 -> -128 (clamped), 10 - 128 = -118; channel 1: -5, 5; channel 2: -2.5 -> -2 + 127 = 125, 2.5 -> 2 + 127 -> 127
    expect(nums(y!)).toEqual([-128, -118, -5, 5, 125, 127]);
  });
  it('negative axis and f16 input/scale, i16 and u16 outputs', () => {
    const h = (v: number[]) => Uint16Array.from(v, f32ToF16Bits);
    const [y] = runOne('quantize_linear', [T('f16', [2, 2], h([1.5, 2.5, -100000 / 1000, 65504])), T('f16', [2], h([1, 0.5])), T('i16', [2], [0, 10])], { dtype: 'i16', axis: -1 });
    // col 0 scale 1: 1.5 -> 2, -100 -> -100; col 1 scale .5 zp 10: 2.5/.5 = 5 + 10 = 15, 65504/.5 = 131008 -> 32767
    expect(nums(y!)).toEqual([2, 15, -100, 32767]);
    const [u] = runOne('quantize_linear', [T('f32', [3], [-1, 70000, 3.5]), T('f32', [], [1]), T('u16', [], [0])], { dtype: 'u16' });
    expect(nums(u!)).toEqual([0, 65535, 4]);
  });
  it('rejects blocked scales, bad per-axis lengths and unsupported output types, naming the node', () => {
    const x = T('f32', [2, 4], new Array(8).fill(0));
    const err = (f: () => unknown) => { try { f(); } catch (e) { return e; } return undefined; };
    const e1 = err(() => buildOne('quantize_linear', [x, T('f32', [2, 2], [1, 1, 1, 1]), T('u8', [2, 2], [0, 0, 0, 0])], { dtype: 'u8', axis: 1 }));
    expect(isQccError(e1) && e1.code === 'E_UNSUPPORTED' && /blocked/.test(e1.message) && /n0/.test(e1.message)).toBe(true);
    const e2 = err(() => buildOne('quantize_linear', [x, T('f32', [3], [1, 1, 1]), null], { dtype: 'u8', axis: 1 }));
    expect(isQccError(e2) && e2.code === 'E_SHAPE' && /axis 1/.test(e2.message)).toBe(true);
    const e3 = err(() => buildOne('quantize_linear', [x, T('f32', [], [1]), null], { dtype: 'i32' }));
    expect(isQccError(e3) && e3.code === 'E_UNSUPPORTED').toBe(true);
    const e4 = err(() => buildOne('quantize_linear', [x, T('f32', [], [1]), T('i8', [], [0])], { dtype: 'u8' }));
    expect(isQccError(e4) && /zero point type/.test(e4.message)).toBe(true);
  });
});

describe('dequantize_linear', () => {
  it('per tensor u8, i8, i32', () => {
    expect(nums(runOne('dequantize_linear', [T('u8', [3], [0, 255, 128]), T('f32', [], [0.5]), T('u8', [], [128])], { axis: 1 })[0]!)).toEqual([-64, 63.5, 0]);
    expect(nums(runOne('dequantize_linear', [T('i8', [3], [-128, 127, 0]), T('f32', [], [2]), T('i8', [], [-128])], { axis: 1 })[0]!)).toEqual([0, 510, 256]);
    // int32 -> float32 rounds: 2^31 - 1 becomes 2^31
    expect(nums(runOne('dequantize_linear', [T('i32', [2], [-2147483648, 2147483647]), T('f32', [], [1]), null], { axis: 1 })[0]!)).toEqual([-2147483648, 2147483648]);
  });
  it('per axis (the ONNX example, axis 1)', () => {
    const x = T('u8', [1, 3, 3, 2], [3, 89, 34, 200, 74, 59, 5, 24, 24, 87, 32, 13, 245, 99, 4, 142, 121, 102]);
    const [y] = runOne('dequantize_linear', [x, T('f32', [3], [2, 4, 5]), T('u8', [3], [84, 24, 196])], { axis: 1 });
    expect(nums(y!)).toEqual([-162, 10, -100, 232, -20, -50, -76, 0, 0, 252, 32, -44, 245, -485, -960, -270, -375, -470]);
  });
  it('f16 scale gives f16 output (product rounded once to half)', () => {
    const [y] = runOne('dequantize_linear', [T('u8', [2], [3, 4]), T('f16', [], [f32ToF16Bits(2)]), T('u8', [], [0])], { axis: 1 });
    expect(y!.dtype).toBe('f16');
    expect(Array.from(y!.data as Uint16Array)).toEqual([0x4600, 0x4800]); // 6.0, 8.0
  });
  it('int32 with a non-zero zero point is rejected', () => {
    expect(() => buildOne('dequantize_linear', [T('i32', [1], [1]), T('f32', [], [1]), T('i32', [], [3])], {})).toThrow(/zero point of 0/);
  });
});

describe('dynamic_quantize_linear', () => {
  it('range widened to include 0, scale 1 when the range is 255 wide', () => {
    const [y, s, z] = runOne('dynamic_quantize_linear', [T('f32', [6], [-51, 0, 204, 2.5, 3.5, -0.5])]);
    expect(nums(s!)).toEqual([1]);
    expect(nums(z!)).toEqual([51]);
    expect(nums(y!)).toEqual([0, 51, 255, 53, 55, 51]);
  });
  it('all positive -> zp 0; all negative -> zp 255; all zero -> scale 1', () => {
    const [y1, s1, z1] = runOne('dynamic_quantize_linear', [T('f32', [2], [2.5, 255])]);
    expect([nums(y1!), nums(s1!), nums(z1!)]).toEqual([[2, 255], [1], [0]]);
    const [y2, , z2] = runOne('dynamic_quantize_linear', [T('f32', [2], [-255, -1.5])]);
    expect([nums(y2!), nums(z2!)]).toEqual([[0, 253], [255]]);
    const [y3, s3, z3] = runOne('dynamic_quantize_linear', [T('f32', [2], [0, 0])]);
    expect([nums(y3!), nums(s3!), nums(z3!)]).toEqual([[0, 0], [1], [0]]);
  });
  it('scale is (max - min) / 255 in float32', () => {
    const [, s] = runOne('dynamic_quantize_linear', [T('f32', [2], [-1, 1])]);
    const f = new Float32Array([2]);
    f[0] = f[0]! / 255;
    expect(nums(s!)).toEqual([f[0]]);
  });
});
