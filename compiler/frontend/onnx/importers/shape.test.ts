import { describe, expect, it } from 'vitest';
import { QccError } from '../../../errors.ts';
import type { DType } from '../../../ir/dtype.ts';
import { Tensor } from '../../../ir/tensor.ts';
import { interpret } from '../../../interpreter/interpret.ts';
import { loadOnnxBytes } from '../load.ts';
import { encodeModel, type ModelDesc, type NodeDesc } from '../writer.ts';

const i64 = (v: number[], shape = [v.length]) => Tensor.fromNumbers('i64', shape, v);
const iota = (dtype: DType, shape: number[]) =>
  Tensor.fromNumbers(dtype, shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, (_, i) => i));

interface Io {
  name: string;
  dtype: DType;
  shape: number[];
}

function model(opset: number, inputs: Io[], nodes: NodeDesc[], outputs: string[], inits: Record<string, Tensor> = {}): ModelDesc {
  return {
    opsets: [{ domain: '', version: opset }],
    inputs,
    outputs: outputs.map((name) => ({ name })),
    initializers: Object.entries(inits).map(([name, tensor]) => ({ name, tensor })),
    nodes,
  };
}

const load = (d: ModelDesc) => loadOnnxBytes(encodeModel(d), { name: 'm' });

/** Loads, runs the interpreter on `feeds`, returns the graph and the outputs as number arrays. */
function run(d: ModelDesc, feeds: Record<string, Tensor>) {
  const g = load(d);
  const out = interpret(g, new Map(Object.entries(feeds)));
  return { g, out, ops: g.nodes.map((n) => n.op) };
}

function loadError(d: ModelDesc): QccError {
  try {
    load(d);
  } catch (e) {
    if (e instanceof QccError) return e;
    throw e;
  }
  throw new Error('expected the load to fail');
}

const X = (shape: number[], dtype: DType = 'f32'): Io => ({ name: 'x', dtype, shape });

describe('Shape -> Gather -> Concat -> Reshape', () => {
  it('folds away at import, leaving one reshape with an explicit shape', () => {
    const d = model(
      13,
      [X([2, 3, 4])],
      [
        { op: 'Shape', inputs: ['x'], outputs: ['s'] },
        { op: 'Gather', inputs: ['s', 'i0'], outputs: ['g'], attrs: { axis: { i: 0 } } },
        { op: 'Concat', inputs: ['g', 'minus1'], outputs: ['t'], attrs: { axis: { i: 0 } } },
        { op: 'Reshape', inputs: ['x', 't'], outputs: ['y'] },
      ],
      ['y'],
      { i0: i64([0]), minus1: i64([-1]) },
    );
    const { g, out, ops } = run(d, { x: iota('f32', [2, 3, 4]) });
    expect(ops).toEqual(['reshape']);
    expect(g.nodes[0]!.attrs['shape']).toEqual([2, 12]);
    expect(g.nodes[0]!.inputs.length).toBe(1);
    expect(out.get('y')!.shape).toEqual([2, 12]);
  });

  it('Shape start/end (opset 15) with clamping and a negative Gather index', () => {
    const d = model(
      15,
      [X([2, 3, 4, 5])],
      [
        { op: 'Shape', inputs: ['x'], outputs: ['s'], attrs: { start: { i: -3 }, end: { i: 100 } } },
        { op: 'Gather', inputs: ['s', 'last'], outputs: ['g'] },
        { op: 'Unsqueeze', inputs: ['g', 'ax0'], outputs: ['gu'] },
        { op: 'Concat', inputs: ['minus1', 'gu'], outputs: ['t'], attrs: { axis: { i: -1 } } },
        { op: 'Reshape', inputs: ['x', 't'], outputs: ['y'] },
      ],
      ['y'],
      { last: i64([-1], []), ax0: i64([0]), minus1: i64([-1]) },
    );
    const { g, ops } = run(d, { x: iota('f32', [2, 3, 4, 5]) });
    expect(ops).toEqual(['reshape']);
    expect(g.nodes[0]!.attrs['shape']).toEqual([24, 5]);
  });
});

describe('importers', () => {
  it('Reshape needs a constant shape', () => {
    const e = loadError(
      model(13, [X([2, 3]), { name: 's', dtype: 'i64', shape: [2] }], [{ op: 'Reshape', name: 'rs', inputs: ['x', 's'], outputs: ['y'] }], ['y']),
    );
    expect(e.code).toBe('E_NOT_CONSTANT');
    expect(e.message).toContain('rs');
  });

  it('Reshape errors name the node and the shapes', () => {
    const e = loadError(model(13, [X([2, 3])], [{ op: 'Reshape', name: 'rs', inputs: ['x', 's'], outputs: ['y'] }], ['y'], { s: i64([-1, -1]) }));
    expect(e.code).toBe('E_SHAPE');
    expect(e.message).toMatch(/rs.*more than one -1/);
    const e2 = loadError(model(13, [X([2, 3])], [{ op: 'Reshape', name: 'rs', inputs: ['x', 's'], outputs: ['y'] }], ['y'], { s: i64([4, 2]) }));
    expect(e2.message).toMatch(/\[4,2\].*\[2,3\]/);
  });

  it('Identity of an intermediate value adds no node', () => {
    const { ops, out } = run(
      model(13, [X([2, 3])], [
        { op: 'Transpose', inputs: ['x'], outputs: ['t'] },
        { op: 'Identity', inputs: ['t'], outputs: ['y'] },
      ], ['y']),
      { x: iota('f32', [2, 3]) },
    );
    expect(ops).toEqual(['transpose']);
    expect(out.get('y')!.toNumbers()).toEqual([0, 3, 1, 4, 2, 5]);
  });

  it('Squeeze: attribute axes (opset 11), input axes (13), all size-1 axes, validation', () => {
    const sq = (opset: number, node: NodeDesc, inits: Record<string, Tensor> = {}) => load(model(opset, [X([1, 3, 1, 2])], [node], ['y'], inits));
    expect(sq(11, { op: 'Squeeze', inputs: ['x'], outputs: ['y'], attrs: { axes: { ints: [-2, 0] } } }).outputs[0]!.type.shape).toEqual([3, 2]);
    expect(sq(13, { op: 'Squeeze', inputs: ['x', 'a'], outputs: ['y'] }, { a: i64([2]) }).outputs[0]!.type.shape).toEqual([1, 3, 2]);
    expect(sq(13, { op: 'Squeeze', inputs: ['x'], outputs: ['y'] }).outputs[0]!.type.shape).toEqual([3, 2]);
    const bad = loadError(model(13, [X([1, 3])], [{ op: 'Squeeze', name: 'sq', inputs: ['x', 'a'], outputs: ['y'] }], ['y'], { a: i64([1]) }));
    expect(bad.message).toMatch(/sq.*axis 1.*size is 3/);
    expect(loadError(model(13, [X([1, 3])], [{ op: 'Squeeze', inputs: ['x', 'a'], outputs: ['y'] }], ['y'], { a: i64([2]) })).code).toBe('E_ATTR');
  });

  it('Unsqueeze: unsorted negative axes; repeated axes rejected', () => {
    const g = load(model(13, [X([3, 4])], [{ op: 'Unsqueeze', inputs: ['x', 'a'], outputs: ['y'] }], ['y'], { a: i64([-1, 0]) }));
    expect(g.outputs[0]!.type.shape).toEqual([1, 3, 4, 1]);
    const g11 = load(model(11, [X([3, 4])], [{ op: 'Unsqueeze', inputs: ['x'], outputs: ['y'], attrs: { axes: { ints: [3, 1] } } }], ['y']));
    expect(g11.outputs[0]!.type.shape).toEqual([3, 1, 4, 1]);
    expect(loadError(model(13, [X([3])], [{ op: 'Unsqueeze', inputs: ['x', 'a'], outputs: ['y'] }], ['y'], { a: i64([0, -3]) })).code).toBe('E_ATTR');
  });

  it('Flatten with a negative axis', () => {
    const g = load(model(13, [X([2, 3, 4, 5])], [{ op: 'Flatten', inputs: ['x'], outputs: ['y'], attrs: { axis: { i: -1 } } }], ['y']));
    expect(g.outputs[0]!.type.shape).toEqual([24, 5]);
  });

  it('Pad: attribute pads (opset 2), constant_value input (11), axes input (18)', () => {
    const x = Tensor.fromNumbers('i32', [2, 2], [1, 2, 3, 4]);
    const xi: Io = { name: 'x', dtype: 'i32', shape: [2, 2] };
    const p2 = run(model(2, [xi], [{ op: 'Pad', inputs: ['x'], outputs: ['y'], attrs: { pads: { ints: [0, 1, 0, 0] }, value: { f: 7 } } }], ['y']), { x });
    expect(p2.out.get('y')!.toNumbers()).toEqual([7, 1, 2, 7, 3, 4]);
    const p11 = run(model(11, [xi], [{ op: 'Pad', inputs: ['x', 'p', 'v'], outputs: ['y'] }], ['y'], { p: i64([1, 0, 0, 0]), v: Tensor.fromNumbers('i32', [], [-5]) }), { x });
    expect(p11.out.get('y')!.toNumbers()).toEqual([-5, -5, 1, 2, 3, 4]);
    const p18 = run(
      model(18, [xi], [{ op: 'Pad', inputs: ['x', 'p', '', 'a'], outputs: ['y'], attrs: { mode: { s: 'edge' } } }], ['y'], { p: i64([0, 2]), a: i64([-1]) }),
      { x },
    );
    expect(p18.out.get('y')!.toNumbers()).toEqual([1, 2, 2, 2, 3, 4, 4, 4]);
    expect(loadError(model(11, [xi], [{ op: 'Pad', inputs: ['x', 'p'], outputs: ['y'] }], ['y'], { p: i64([1, 1]) })).code).toBe('E_ATTR');
  });

  it('Slice: opset 1 attributes, opset 13 inputs with INT64_MAX ends and negative steps', () => {
    const x = iota('f32', [3, 4]);
    const s1 = run(model(1, [X([3, 4])], [{ op: 'Slice', inputs: ['x'], outputs: ['y'], attrs: { starts: { ints: [1] }, ends: { ints: [1000] }, axes: { ints: [1] } } }], ['y']), { x });
    expect(s1.out.get('y')!.toNumbers()).toEqual([1, 2, 3, 5, 6, 7, 9, 10, 11]);
    const big = new Tensor('i64', [1]);
    (big.data as BigInt64Array)[0] = 2n ** 63n - 1n;
    const small = new Tensor('i64', [1]);
    (small.data as BigInt64Array)[0] = -(2n ** 63n);
    const s13 = run(
      model(13, [X([3, 4])], [{ op: 'Slice', inputs: ['x', 'st', 'en', 'ax', 'sp'], outputs: ['y'] }], ['y'], { st: big, en: small, ax: i64([0]), sp: i64([-2]) }),
      { x },
    );
    expect(s13.out.get('y')!.toNumbers()).toEqual([8, 9, 10, 11, 0, 1, 2, 3]);
  });

  it('Split: even split (13), num_outputs with a smaller last part (18), split input', () => {
    const x = iota('f32', [5, 2]);
    const s18 = run(model(18, [X([5, 2])], [{ op: 'Split', inputs: ['x'], outputs: ['a', 'b'], attrs: { num_outputs: { i: 2 } } }], ['a', 'b']), { x });
    expect(s18.out.get('a')!.shape).toEqual([3, 2]);
    expect(s18.out.get('b')!.toNumbers()).toEqual([6, 7, 8, 9]);
    const s13 = run(model(13, [X([5, 2])], [{ op: 'Split', inputs: ['x', 's'], outputs: ['a', 'b'], attrs: { axis: { i: -1 } } }], ['a', 'b'], { s: i64([1, 1]) }), { x });
    expect(s13.out.get('b')!.toNumbers()).toEqual([1, 3, 5, 7, 9]);
    expect(loadError(model(13, [X([5, 2])], [{ op: 'Split', inputs: ['x'], outputs: ['a', 'b'] }], ['a', 'b'])).code).toBe('E_SHAPE');
  });

  it('ConstantOfShape, Range and Size fold to constants; Expand uses them', () => {
    const d = model(
      13,
      [X([3, 1])],
      [
        { op: 'ConstantOfShape', inputs: ['shp'], outputs: ['c'], attrs: { value: { t: Tensor.fromNumbers('i64', [1], [2]) } } },
        { op: 'Range', inputs: ['r0', 'r1', 'r2'], outputs: ['r'] },
        { op: 'Size', inputs: ['x'], outputs: ['n'] },
        { op: 'Expand', inputs: ['x', 'c'], outputs: ['y'] },
      ],
      ['y', 'r', 'n'],
      { shp: i64([1]), r0: i64([10], []), r1: i64([3], []), r2: i64([-3], []) },
    );
    const { out, ops } = run(d, { x: Tensor.fromNumbers('f32', [3, 1], [1, 2, 3]) });
    expect(ops).toEqual(['expand']);
    expect(out.get('y')!.shape).toEqual([3, 2]);
    expect(out.get('y')!.toNumbers()).toEqual([1, 1, 2, 2, 3, 3]);
    expect(out.get('r')!.toNumbers()).toEqual([10, 7, 4]);
    expect(out.get('n')!.toNumbers()).toEqual([3]);
  });

  it('Gather with runtime indices stays a node; constant out-of-range indices are rejected', () => {
    const d = model(13, [X([4]), { name: 'i', dtype: 'i32', shape: [2] }], [{ op: 'Gather', inputs: ['x', 'i'], outputs: ['y'] }], ['y']);
    const { out, ops } = run(d, { x: Tensor.fromNumbers('f32', [4], [5, 6, 7, 8]), i: Tensor.fromNumbers('i32', [2], [-4, 3]) });
    expect(ops).toEqual(['gather']);
    expect(out.get('y')!.toNumbers()).toEqual([5, 8]);
    const e = loadError(model(13, [X([4])], [{ op: 'Gather', name: 'ga', inputs: ['x', 'i'], outputs: ['y'] }], ['y'], { i: i64([4]) }));
    expect(e.message).toMatch(/ga.*index 4 is out of range/);
  });
});
