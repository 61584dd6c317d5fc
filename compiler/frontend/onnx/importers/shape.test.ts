import { describe, expect, it } from 'vitest';
import { QccError } from '../../../errors.ts';
import { catchQccError } from '../../../../test/util/errors.ts';
import type { DType } from '../../../ir/dtype.ts';
import { Tensor } from '../../../ir/tensor.ts';
import { interpret } from '../../../interpreter/interpret.ts';
import { modelFromText } from '../../../../test/util/onnx-text.ts';

const iota = (dtype: DType, shape: number[]) =>
  Tensor.fromNumbers(dtype, shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i));

/** A graph in ONNX text (signature, initializers, nodes) imported at ai.onnx `opset`. */
const load = (opset: number, src: string) => modelFromText(src, { opset });

/** Loads, runs the interpreter on `feeds`, returns the graph and the outputs as number arrays. */
function run(opset: number, src: string, feeds: Record<string, Tensor>) {
  const g = load(opset, src);
  const out = interpret(g, new Map(Object.entries(feeds)));
  return { g, out, ops: g.nodes.map((n) => n.op) };
}

const loadError = (opset: number, src: string): QccError => catchQccError(() => load(opset, src));

describe('Shape -> Gather -> Concat -> Reshape', () => {
  it('folds away at import, leaving one reshape with an explicit shape', () => {
    const { g, out, ops } = run(13, `
      m (float[2, 3, 4] x) => (y)
      <int64[1] i0 = {0}, int64[1] minus1 = {-1}>
      {
        s = Shape (x)
        g = Gather <axis = 0> (s, i0)
        t = Concat <axis = 0> (g, minus1)
        y = Reshape (x, t)
      }`, { x: iota('f32', [2, 3, 4]) });
    expect(ops).toEqual(['reshape']);
    expect(g.nodes[0]!.attrs['shape']).toEqual([2, 12]);
    expect(g.nodes[0]!.inputs.length).toBe(1);
    expect(out.get('y')!.shape).toEqual([2, 12]);
  });

  it('Shape start/end (opset 15) with clamping and a negative Gather index', () => {
    const { g, ops } = run(15, `
      m (float[2, 3, 4, 5] x) => (y)
      <int64[] last = {-1}, int64[1] ax0 = {0}, int64[1] minus1 = {-1}>
      {
        s = Shape <start = -3, end = 100> (x)
        g = Gather (s, last)
        gu = Unsqueeze (g, ax0)
        t = Concat <axis = -1> (minus1, gu)
        y = Reshape (x, t)
      }`, { x: iota('f32', [2, 3, 4, 5]) });
    expect(ops).toEqual(['reshape']);
    expect(g.nodes[0]!.attrs['shape']).toEqual([24, 5]);
  });
});

describe('importers', () => {
  it('Reshape needs a constant shape', () => {
    const e = loadError(13, 'm (float[2, 3] x, int64[2] s) => (y) { [rs] y = Reshape (x, s) }');
    expect(e.code).toBe('E_NOT_CONSTANT');
    expect(e.message).toContain('rs');
  });

  it('Reshape errors name the node and the shapes', () => {
    const reshape = (s: string) => `m (float[2, 3] x) => (y) <int64[2] s = {${s}}> { [rs] y = Reshape (x, s) }`;
    const e = loadError(13, reshape('-1, -1'));
    expect(e.code).toBe('E_SHAPE');
    expect(e.message).toMatch(/rs.*more than one -1/);
    const e2 = loadError(13, reshape('4, 2'));
    expect(e2.message).toMatch(/\[4,2\].*\[2,3\]/);
  });

  it('Identity of an intermediate value adds no node', () => {
    const { ops, out } = run(13, 'm (float[2, 3] x) => (y) { t = Transpose (x)  y = Identity (t) }', { x: iota('f32', [2, 3]) });
    expect(ops).toEqual(['transpose']);
    expect(out.get('y')!.toNumbers()).toEqual([0, 3, 1, 4, 2, 5]);
  });

  it('Squeeze: attribute axes (opset 11), input axes (13), all size-1 axes, validation', () => {
    const sq = (opset: number, src: string) => load(opset, `m (float[1, 3, 1, 2] x) => (y) ${src}`).outputs[0]!.type.shape;
    expect(sq(11, '{ y = Squeeze <axes = [-2, 0]> (x) }')).toEqual([3, 2]);
    expect(sq(13, '<int64[1] a = {2}> { y = Squeeze (x, a) }')).toEqual([1, 3, 2]);
    expect(sq(13, '{ y = Squeeze (x) }')).toEqual([3, 2]);
    const bad = loadError(13, 'm (float[1, 3] x) => (y) <int64[1] a = {1}> { [sq] y = Squeeze (x, a) }');
    expect(bad.message).toMatch(/sq.*axis 1.*size is 3/);
    expect(loadError(13, 'm (float[1, 3] x) => (y) <int64[1] a = {2}> { y = Squeeze (x, a) }').code).toBe('E_ATTR');
  });

  it('Unsqueeze: unsorted negative axes; repeated axes rejected', () => {
    const g = load(13, 'm (float[3, 4] x) => (y) <int64[2] a = {-1, 0}> { y = Unsqueeze (x, a) }');
    expect(g.outputs[0]!.type.shape).toEqual([1, 3, 4, 1]);
    const g11 = load(11, 'm (float[3, 4] x) => (y) { y = Unsqueeze <axes = [3, 1]> (x) }');
    expect(g11.outputs[0]!.type.shape).toEqual([3, 1, 4, 1]);
    expect(loadError(13, 'm (float[3] x) => (y) <int64[2] a = {0, -3}> { y = Unsqueeze (x, a) }').code).toBe('E_ATTR');
  });

  it('Flatten with a negative axis', () => {
    const g = load(13, 'm (float[2, 3, 4, 5] x) => (y) { y = Flatten <axis = -1> (x) }');
    expect(g.outputs[0]!.type.shape).toEqual([24, 5]);
  });

  it('Pad: attribute pads (opset 2), constant_value input (11), axes input (18)', () => {
    const x = Tensor.fromNumbers('i32', [2, 2], [1, 2, 3, 4]);
    const pad = (src: string) => `m (int32[2, 2] x) => (y) ${src}`;
    const p2 = run(2, pad('{ y = Pad <pads = [0, 1, 0, 0], value = 7.0> (x) }'), { x });
    expect(p2.out.get('y')!.toNumbers()).toEqual([7, 1, 2, 7, 3, 4]);
    const p11 = run(11, pad('<int64[4] p = {1, 0, 0, 0}, int32[] v = {-5}> { y = Pad (x, p, v) }'), { x });
    expect(p11.out.get('y')!.toNumbers()).toEqual([-5, -5, 1, 2, 3, 4]);
    const p18 = run(18, pad('<int64[2] p = {0, 2}, int64[1] a = {-1}> { y = Pad <mode = "edge"> (x, p, "", a) }'), { x });
    expect(p18.out.get('y')!.toNumbers()).toEqual([1, 2, 2, 2, 3, 4, 4, 4]);
    expect(loadError(11, pad('<int64[2] p = {1, 1}> { y = Pad (x, p) }')).code).toBe('E_ATTR');
  });

  it('Slice: opset 1 attributes, opset 13 inputs with INT64_MAX ends and negative steps', () => {
    const x = iota('f32', [3, 4]);
    const s1 = run(1, 'm (float[3, 4] x) => (y) { y = Slice <starts = [1], ends = [1000], axes = [1]> (x) }', { x });
    expect(s1.out.get('y')!.toNumbers()).toEqual([1, 2, 3, 5, 6, 7, 9, 10, 11]);
    const s13 = run(13, `
      m (float[3, 4] x) => (y)
      <int64[1] st = {9223372036854775807}, int64[1] en = {-9223372036854775808}, int64[1] ax = {0}, int64[1] sp = {-2}>
      { y = Slice (x, st, en, ax, sp) }`, { x });
    expect(s13.out.get('y')!.toNumbers()).toEqual([8, 9, 10, 11, 0, 1, 2, 3]);
  });

  it('Split: even split (13), num_outputs with a smaller last part (18), split input', () => {
    const x = iota('f32', [5, 2]);
    const split = (src: string) => `m (float[5, 2] x) => (a, b) ${src}`;
    const s18 = run(18, split('{ a, b = Split <num_outputs = 2> (x) }'), { x });
    expect(s18.out.get('a')!.shape).toEqual([3, 2]);
    expect(s18.out.get('b')!.toNumbers()).toEqual([6, 7, 8, 9]);
    const s13 = run(13, split('<int64[2] s = {1, 1}> { a, b = Split <axis = -1> (x, s) }'), { x });
    expect(s13.out.get('b')!.toNumbers()).toEqual([1, 3, 5, 7, 9]);
    expect(loadError(13, split('{ a, b = Split (x) }')).code).toBe('E_SHAPE');
  });

  it('ConstantOfShape, Range and Size fold to constants; Expand uses them', () => {
    const { out, ops } = run(13, `
      m (float[3, 1] x) => (y, r, n)
      <int64[1] shp = {1}, int64[] r0 = {10}, int64[] r1 = {3}, int64[] r2 = {-3}>
      {
        c = ConstantOfShape <value = int64[1] {2}> (shp)
        r = Range (r0, r1, r2)
        n = Size (x)
        y = Expand (x, c)
      }`, { x: Tensor.fromNumbers('f32', [3, 1], [1, 2, 3]) });
    expect(ops).toEqual(['expand']);
    expect(out.get('y')!.shape).toEqual([3, 2]);
    expect(out.get('y')!.toNumbers()).toEqual([1, 1, 2, 2, 3, 3]);
    expect(out.get('r')!.toNumbers()).toEqual([10, 7, 4]);
    expect(out.get('n')!.toNumbers()).toEqual([3]);
  });

  it('Gather with runtime indices stays a node; constant out-of-range indices are rejected', () => {
    const { out, ops } = run(13, 'm (float[4] x, int32[2] i) => (y) { y = Gather (x, i) }', {
      x: Tensor.fromNumbers('f32', [4], [5, 6, 7, 8]),
      i: Tensor.fromNumbers('i32', [2], [-4, 3]),
    });
    expect(ops).toEqual(['gather']);
    expect(out.get('y')!.toNumbers()).toEqual([5, 8]);
    const e = loadError(13, 'm (float[4] x) => (y) <int64[1] i = {4}> { [ga] y = Gather (x, i) }');
    expect(e.message).toMatch(/ga.*index 4 is out of range/);
  });
});
