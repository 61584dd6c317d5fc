/**
 * Mixed-precision float ops (BatchNormalization, ReduceMean, ReduceMin, Pow, Round): compiled C (gcc and
 * clang) equals the interpreter bit for bit on seeded inputs, and the interpreter agrees with
 * onnxruntime-web within 1e-5 relative (float outputs). Pow's exponents include integers, halves and
 * negative values, its bases zeros, negatives and subnormal-range magnitudes.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadOnnxBytes } from '../../../compiler/frontend/onnx/load.ts';
import { encodeModel, type ModelDesc } from '../../../compiler/frontend/onnx/writer.ts';
import { Tensor } from '../../../compiler/ir/tensor.ts';
import { interpret } from '../../../compiler/interpreter/interpret.ts';
import { Prng } from '../../../compiler/io/random-inputs.ts';
import { formatVerifyReport, verifyModel } from '../../../compiler/verify.ts';
import { openReferee, type Referee } from '../../../test/referee/ort.ts';
import { checkClose } from '../../../test/util/compare.ts';

const f32 = (shape: number[], v: number[]) => Tensor.fromNumbers('f32', shape, v.map(Math.fround));

function model(): ModelDesc {
  const rng = new Prng(11);
  const r = (n: number, lo: number, hi: number) => Array.from({ length: n }, () => lo + rng.nextFloat() * (hi - lo));
  return {
    opsets: [{ domain: '', version: 13 }],
    inputs: [{ name: 'x', dtype: 'f32', shape: [2, 3, 4, 5] }, { name: 'i', dtype: 'i8', shape: [3, 7] }],
    outputs: [{ name: 'bn' }, { name: 'mean' }, { name: 'min' }, { name: 'imin' }, { name: 'p2' }, { name: 'p3' }, { name: 'ph' }, { name: 'pv' }, { name: 'round' }],
    initializers: [
      { name: 's', tensor: f32([3], r(3, -2, 2)) },
      { name: 'b', tensor: f32([3], r(3, -1, 1)) },
      { name: 'm', tensor: f32([3], r(3, -1, 1)) },
      { name: 'v', tensor: f32([3], r(3, 0, 3)) },
      { name: 'two', tensor: f32([], [2]) },
      { name: 'three', tensor: f32([], [3]) },
      { name: 'half', tensor: f32([1], [0.5]) },
      { name: 'ev', tensor: f32([5], [-2, -0.5, 1.5, 0.25, 7]) },
      { name: 'axes', tensor: Tensor.fromNumbers('i64', [2], [1, 3]) },
    ],
    nodes: [
      { op: 'BatchNormalization', inputs: ['x', 's', 'b', 'm', 'v'], outputs: ['bn'], attrs: { epsilon: { f: 1e-3 } } },
      { op: 'ReduceMean', inputs: ['x'], outputs: ['mean'], attrs: { axes: { ints: [1, 3] } } },
      { op: 'ReduceMin', inputs: ['x'], outputs: ['min'], attrs: { axes: { ints: [0, 2] }, keepdims: { i: 0 } } },
      { op: 'ReduceMin', inputs: ['i'], outputs: ['imin'], attrs: { axes: { ints: [1] } } },
      { op: 'Pow', inputs: ['x', 'two'], outputs: ['p2'] },
      { op: 'Pow', inputs: ['x', 'three'], outputs: ['p3'] },
      { op: 'Pow', inputs: ['x', 'half'], outputs: ['ph'] },
      { op: 'Pow', inputs: ['x', 'ev'], outputs: ['pv'] },
      { op: 'Round', inputs: ['x'], outputs: ['round'] },
    ],
  };
}

const sessions: Referee[] = [];
afterAll(async () => {
  for (const s of sessions) await s.release();
});

describe('float-extra ops', () => {
  for (const cc of ['gcc', 'clang']) {
    it(`${cc}: C == interpreter, bit for bit`, () => {
      const graph = loadOnnxBytes(encodeModel(model()), { name: 'fx' });
      const report = verifyModel(graph, { target: 'c', seeds: [1, 2, 3], run: { cc } });
      expect(report.ok, formatVerifyReport(report)).toBe(true);
    });
  }

  it('interpreter == onnxruntime-web within 1e-5 relative (positive bases for fractional powers)', async () => {
    const bytes = encodeModel(model());
    const graph = loadOnnxBytes(bytes);
    const ort = await openReferee(bytes);
    sessions.push(ort);
    const rng = new Prng(2);
    const x = f32([2, 3, 4, 5], Array.from({ length: 120 }, (_, k) => k % 7 === 0 ? 0 : 0.05 + rng.nextFloat() * 4));
    const i = Tensor.fromNumbers('i8', [3, 7], Array.from({ length: 21 }, (_, k) => ((k * 37) % 256) - 128));
    const feeds = new Map([['x', x], ['i', i]]);
    const ours = interpret(graph, feeds);
    const theirs = await ort.run(feeds);
    for (const [name, t] of ours) {
      expect(checkClose(t, theirs.get(name)!, { rtol: 1e-5, atol: 1e-30 }, name)).toBeUndefined();
    }
  });
});
