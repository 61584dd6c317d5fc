/**
 * Referee for the float nn family: single-op ONNX models (Conv, MatMul, Gemm, MaxPool, AveragePool,
 * GlobalAveragePool, GlobalMaxPool) over their corners, interpreter vs onnxruntime-web. Max pools must
 * be identical (no arithmetic); sums within 1e-4 relative (ORT sums in another order).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadOnnxBytes } from '../../compiler/frontend/onnx/load.ts';
import { encodeModel, type AttrDesc, type ModelDesc } from '../../compiler/frontend/onnx/writer.ts';
import type { DType } from '../../compiler/ir/dtype.ts';
import { Tensor } from '../../compiler/ir/tensor.ts';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import { randomF32, rng } from '../../compiler/ops/nn-test-util.ts';
import { checkClose, checkIdentical, expectOutputs } from '../util/compare.ts';
import { bytesFromText } from '../util/onnx-text.ts';
import { openReferee, type Referee } from './ort.ts';

interface OpCase {
  name: string;
  desc: ModelDesc;
  exact?: boolean;
}

function single(op: string, opset: number, ins: [string, number[], DType?][], attrs: Record<string, AttrDesc>, inits: Record<string, Tensor> = {}): ModelDesc {
  return {
    opsets: [{ domain: '', version: opset }],
    inputs: ins.filter(([n]) => n && !inits[n]).map(([name, shape, dtype]) => ({ name, dtype: dtype ?? 'f32', shape })),
    outputs: [{ name: 'y' }],
    initializers: Object.entries(inits).map(([name, tensor]) => ({ name, tensor })),
    nodes: [{ op, inputs: ins.map(([n]) => n), outputs: ['y'], attrs }],
  };
}

const ints = (v: number[]): AttrDesc => ({ ints: v });

function cases(): OpCase[] {
  const r = rng(99);
  const cs: OpCase[] = [];
  const conv = (name: string, x: number[], w: number[], attrs: Record<string, AttrDesc>, bias = true) =>
    cs.push({
      name: `Conv ${name}`,
      desc: single('Conv', 11, [['x', x], ['w', w], ...(bias ? [['b', [w[0]!]] as [string, number[]]] : [])], attrs, {
        w: randomF32(r, w),
        ...(bias ? { b: randomF32(r, [w[0]!]) } : {}),
      }),
    });
  conv('2-D plain', [1, 3, 9, 8], [5, 3, 3, 3], {});
  conv('2-D groups, strides, dilations, asymmetric pads', [2, 6, 11, 10], [9, 2, 3, 2], { group: { i: 3 }, strides: ints([2, 3]), dilations: ints([2, 1]), pads: ints([1, 0, 2, 1]) });
  conv('depthwise, SAME_UPPER, stride 2', [1, 5, 9, 7], [5, 1, 3, 3], { group: { i: 5 }, strides: ints([2, 2]), auto_pad: { s: 'SAME_UPPER' } });
  conv('depthwise x2, SAME_LOWER', [1, 3, 8, 8], [6, 1, 4, 4], { group: { i: 3 }, auto_pad: { s: 'SAME_LOWER' } }, false);
  conv('1-D', [2, 3, 20], [4, 3, 5], { strides: ints([3]), pads: ints([2, 4]), dilations: ints([2]) });
  conv('3-D', [1, 2, 5, 6, 7], [3, 2, 2, 3, 2], { pads: ints([1, 0, 1, 0, 1, 1]), strides: ints([1, 2, 2]) });
  const mm = (a: number[], b: number[]) =>
    cs.push({ name: `MatMul ${a.join('x')} @ ${b.join('x')}`, desc: single('MatMul', 13, [['a', a], ['b', b]], {}) });
  mm([3, 1, 5, 7], [2, 7, 4]);
  mm([7], [2, 7, 3]);
  mm([2, 3, 4], [4]);
  mm([1, 16], [16, 33]);
  const gemm = (name: string, m: number, k: number, n: number, tA: number, tB: number, c: number[] | null, alpha = 1, beta = 1) =>
    cs.push({
      name: `Gemm ${name}`,
      desc: single('Gemm', 13, [['a', tA ? [k, m] : [m, k]], ['b', tB ? [n, k] : [k, n]], ...(c ? [['c', c] as [string, number[]]] : [])], {
        transA: { i: tA }, transB: { i: tB }, alpha: { f: alpha }, beta: { f: beta },
      }),
    });
  gemm('no C', 4, 9, 5, 0, 0, null);
  gemm('transposed, scalar C', 4, 9, 5, 1, 1, [], 0.5, -2);
  gemm('vector C', 3, 17, 6, 0, 1, [6], 1.25, 0.75);
  gemm('column C', 3, 8, 6, 1, 0, [3, 1]);
  gemm('matrix C', 5, 8, 6, 0, 0, [5, 6], -1, 3);
  const pool = (op: string, opset: number, name: string, x: number[], attrs: Record<string, AttrDesc>, dtype: DType = 'f32') =>
    cs.push({ name: `${op} ${name}`, desc: single(op, opset, [['x', x, dtype]], attrs), exact: op.includes('Max') });
  pool('MaxPool', 12, '2-D ceil, pads, strides', [1, 3, 10, 9], { kernel_shape: ints([3, 2]), strides: ints([2, 2]), pads: ints([1, 0, 1, 1]), ceil_mode: { i: 1 } });
  pool('MaxPool', 12, 'dilations', [2, 2, 11, 11], { kernel_shape: ints([2, 3]), dilations: ints([3, 2]), pads: ints([1, 1, 0, 2]) });
  pool('MaxPool', 12, '1-D SAME_LOWER', [1, 3, 13], { kernel_shape: ints([4]), strides: ints([3]), auto_pad: { s: 'SAME_LOWER' } });
  pool('MaxPool', 12, '3-D', [1, 2, 5, 6, 7], { kernel_shape: ints([2, 2, 3]), strides: ints([2, 1, 2]), pads: ints([0, 1, 1, 1, 0, 1]), ceil_mode: { i: 1 } });
  pool('MaxPool', 12, 'uint8', [1, 3, 7, 6], { kernel_shape: ints([3, 3]), strides: ints([2, 2]), pads: ints([1, 1, 1, 1]) }, 'u8');
  pool('MaxPool', 12, 'int8', [1, 2, 9], { kernel_shape: ints([3]), pads: ints([2, 2]), strides: ints([2]), ceil_mode: { i: 1 } }, 'i8');
  for (const cip of [0, 1]) {
    pool('AveragePool', 19, `ceil, pads, count_include_pad=${cip}`, [1, 3, 10, 9], { kernel_shape: ints([3, 3]), strides: ints([2, 2]), pads: ints([1, 1, 1, 0]), ceil_mode: { i: 1 }, count_include_pad: { i: cip } });
    pool('AveragePool', 19, `dilations, count_include_pad=${cip}`, [1, 2, 12, 11], { kernel_shape: ints([2, 3]), dilations: ints([2, 2]), pads: ints([1, 2, 1, 1]), count_include_pad: { i: cip } });
    pool('AveragePool', 19, `1-D last window partly past the pad, count_include_pad=${cip}`, [1, 2, 8], { kernel_shape: ints([3]), strides: ints([2]), pads: ints([0, 1]), ceil_mode: { i: 1 }, count_include_pad: { i: cip } });
    pool('AveragePool', 19, `3-D, count_include_pad=${cip}`, [1, 2, 5, 6, 7], { kernel_shape: ints([2, 3, 2]), pads: ints([1, 1, 0, 0, 1, 1]), strides: ints([2, 2, 2]), count_include_pad: { i: cip } });
  }
  pool('AveragePool', 11, 'SAME_UPPER', [1, 3, 9, 8], { kernel_shape: ints([3, 2]), strides: ints([2, 3]), auto_pad: { s: 'SAME_UPPER' } });
  pool('GlobalAveragePool', 1, '2-D', [2, 5, 7, 9], {});
  pool('GlobalMaxPool', 1, '3-D', [1, 3, 4, 5, 6], {});
  return cs;
}

function feedsFor(d: ModelDesc, seed: number): Map<string, Tensor> {
  const r = rng(seed);
  return new Map(
    d.inputs.map((io) => {
      const shape = io.shape as number[];
      if (io.dtype === 'f32') return [io.name, randomF32(r, shape)];
      const n = shape.reduce((a, b) => a * b, 1);
      const lo = io.dtype === 'i8' ? -128 : 0;
      return [io.name, Tensor.fromNumbers(io.dtype, shape, Array.from({ length: n }, () => lo + Math.floor(r() * 256)))];
    }),
  );
}

const sessions: Referee[] = [];
afterAll(async () => {
  for (const s of sessions) await s.release();
});

describe('referee: float nn ops vs onnxruntime-web', () => {
  it.each(cases().map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const bytes = encodeModel(c.desc);
    const graph = loadOnnxBytes(bytes, { name: 'op' });
    const ort = await openReferee(bytes, 'disabled');
    sessions.push(ort);
    for (const seed of [1, 2]) {
      const feeds = feedsFor(c.desc, seed);
      const ours = interpret(graph, feeds);
      const theirs = await ort.run(feeds);
      expectOutputs(ours, theirs, (a, e, label) => (c.exact ? checkIdentical(a, e, label) : checkClose(a, e, { rtol: 1e-4, atol: 1e-5 }, label)));
    }
  });

  it('differs from onnxruntime-web on purpose for auto_pad VALID with ceil_mode (ONNX: ceil_mode has no effect)', async () => {
    const bytes = bytesFromText('m (float[1, 1, 5] x) => (y) { y = MaxPool <kernel_shape = [2], strides = [2], auto_pad = "VALID", ceil_mode = 1> (x) }', 12);
    const ort = await openReferee(bytes, 'disabled');
    sessions.push(ort);
    const x = new Map([['x', Tensor.fromNumbers('f32', [1, 1, 5], [1, 2, 3, 4, 5])]]);
    expect(interpret(loadOnnxBytes(bytes, { name: 'op' }), x).get('y')!.toNumbers()).toEqual([2, 4]);
    // ORT applies its ceil formula ceil((5 - 2) / 2) + 1 = 3 here; record what it does so a change is noticed.
    expect((await ort.run(x)).get('y')!.shape).toEqual([1, 1, 3]);
  });
});
