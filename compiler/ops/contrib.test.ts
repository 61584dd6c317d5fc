/**
 * Unit tests of the com.microsoft quantized ops (the referee and C tests are in
 * test/referee/contrib-ops.test.ts and backends/c/ops/contrib-e2e.test.ts): optional inputs, the float
 * formulas that distinguish ORT's kernels from look-alikes, validation errors.
 */
import { describe, expect, it } from 'vitest';
import { QccError } from '../errors.ts';
import { Tensor, tensorsIdentical } from '../ir/tensor.ts';
import { roundHalfEvenF32 } from '../numerics/round.ts';
import { runOne } from './q-test-util.ts';
import { qbinaryElement } from './contrib-binary.ts';
import { mlasLogistic } from './contrib-lut.ts';
import { qsoftmaxTable } from './contrib-softmax.ts';

const sc = (v: number) => Tensor.scalar('f32', Math.fround(v));
const ramp = (d: 'u8' | 'i8', shape: number[]) => Tensor.fromNumbers(d, shape, Array.from({ length: 256 }, (_, i) => (d === 'u8' ? i : i - 128)));

function qccCode(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof QccError) return e.code;
    throw e;
  }
  return 'no error';
}

describe('qlinear_add / qlinear_mul', () => {
  it('absent zero points mean 0', () => {
    for (const kind of ['qlinear_add', 'qlinear_mul'])
      for (const d of ['u8', 'i8'] as const) {
        const a = ramp(d, [256, 1]);
        const b = ramp(d, [1, 256]);
        const z = Tensor.scalar(d, 0);
        const [y1] = runOne(kind, [a, sc(0.05), null, b, sc(0.03), null, sc(0.2), null], {}, [0, 3]);
        const [y2] = runOne(kind, [a, sc(0.05), z, b, sc(0.03), z, sc(0.2), z], {}, [0, 3]);
        expect(tensorsIdentical(y1!, y2!)).toBe(true);
      }
  });

  it("ORT-web's order (a*sa + b*sb) / sc + zp is not the SSE2 kernel's zp + a*(sa/sc) + b*(sb/sc): they differ on some pairs", () => {
    const f = Math.fround;
    const p = { as: f(0.05), az: 128, bs: f(0.031), bz: 120, cs: f(0.07), cz: 128 };
    const ra = f(p.as / p.cs);
    const rb = f(p.bs / p.cs);
    const fixed = f(p.cz - f(f(ra * p.az) + f(rb * p.bz)));
    let differ = 0;
    for (let a = 0; a < 256; a++) {
      for (let b = 0; b < 256; b++) {
        const ours = qbinaryElement('qlinear_add', a, b, p, -p.cz, 255 - p.cz);
        const sse = Math.min(255, Math.max(0, roundHalfEvenF32(f(f(fixed + f(a * ra)) + f(b * rb)))));
        if (ours !== sse) differ++;
      }
    }
    expect(differ).toBeGreaterThan(0);
  });
});

describe('lookup tables', () => {
  it("MLAS's logistic is within 2e-6 of 1 / (1 + exp(-x)) and saturates at +-18", () => {
    for (let x = -20; x <= 20; x += 0.013) {
      const want = 1 / (1 + Math.exp(-x));
      expect(Math.abs(mlasLogistic(Math.fround(x)) - want)).toBeLessThan(2e-6);
    }
    expect(mlasLogistic(-1e30)).toBe(mlasLogistic(-18));
    expect(mlasLogistic(1e30)).toBe(mlasLogistic(18));
  });

  it('sigmoid of an i8 tensor indexes the table by byte', () => {
    const x = ramp('i8', [256]);
    const [y] = runOne('qlinear_sigmoid', [x, sc(0.1), Tensor.scalar('i8', 0), sc(1 / 256), Tensor.scalar('i8', -128)]);
    const v = y!.toNumbers();
    // Monotone non-decreasing in x, from ~0 (x = -12.8) to ~1 (x = 12.7).
    for (let i = 1; i < 256; i++) expect(v[i]!).toBeGreaterThanOrEqual(v[i - 1]!);
    expect(v[0]).toBe(-128);
    expect(v[255]).toBe(127);
  });
});

describe('qlinear_softmax', () => {
  it('the exp table of i8 is the u8 table rotated by 128', () => {
    const u = qsoftmaxTable(0.1, 10, false);
    const s = qsoftmaxTable(0.1, 10, true);
    for (let i = 0; i < 256; i++) expect(s[(i - 128) & 0xff]).toBe(u[i]);
  });

  it('i8 output saturates to [-128, 127] (onnxruntime-web), including the int32 wrap of an overflowing product', () => {
    // D = 1: t * floor(1 / y_scale) overflows float to inf, (int32) saturates, + y_zp wraps negative -> -128.
    const [y1] = runOne('qlinear_softmax', [Tensor.fromNumbers('i8', [3, 1], [5, -7, 100]), sc(0.7), null, sc(1 / 256), Tensor.scalar('i8', 127)],
      { axis: -1, opset: 13 });
    expect(y1!.toNumbers()).toEqual([-128, -128, -128]);
    // 1.0 * 256 - 0 = 256 -> 127 (not wrapped).
    const [y2] = runOne('qlinear_softmax', [Tensor.fromNumbers('i8', [1, 2], [100, -100]), sc(0.3), null, sc(1 / 256), Tensor.scalar('i8', 0)],
      { axis: -1, opset: 13 });
    expect(y2!.toNumbers()).toEqual([127, 0]);
  });
});

describe('validation', () => {
  const x = Tensor.fromNumbers('u8', [1, 2, 3, 3], new Array(18).fill(7));
  const z = Tensor.scalar('u8', 0);
  it('global average pool rejects the scales ONNX Runtime rejects', () => {
    expect(qccCode(() => runOne('qlinear_global_average_pool', [x, sc(1000), z, sc(0.001), z], { channels_last: 0 }))).toBe('E_UNSUPPORTED');
  });
  it('average pool: pads must be smaller than the kernel', () => {
    expect(qccCode(() => runOne('qlinear_average_pool', [x, sc(0.1), z, sc(0.1), z], { kernel_shape: [2, 2], pads: [2, 0, 0, 0] }))).toBe('E_ATTR');
  });
  it('concat: shapes must agree outside the axis', () => {
    const b = Tensor.fromNumbers('u8', [1, 2, 3, 2], new Array(12).fill(1));
    expect(qccCode(() => runOne('qlinear_concat', [sc(0.1), z, x, sc(0.1), z, b, sc(0.1), z], { axis: 1 }, [2, 5]))).toBe('E_SHAPE');
  });
  it('qgemm: inner dimensions must agree', () => {
    const a = Tensor.fromNumbers('u8', [2, 3], new Array(6).fill(1));
    const b = Tensor.fromNumbers('u8', [4, 5], new Array(20).fill(1));
    expect(qccCode(() => runOne('qgemm', [a, sc(0.1), z, b, sc(0.1), z, null, null, null], {}))).toBe('E_SHAPE');
  });
});
