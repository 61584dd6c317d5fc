/**
 * End to end for the elementwise family: ONNX models (built with the writer) -> loader -> importers ->
 * C backend -> gcc and clang -> run; outputs equal the reference interpreter byte for byte. Also checks
 * what the importers make of opset differences (Clip bounds, Softmax axis semantics, legacy broadcast,
 * Cast's string `to`, variadic Max).
 */
import { describe, expect, it } from 'vitest';
import { compileModel } from '../compile.ts';
import { runCompiled } from '../../run.ts';
import { allocData, type DType } from '../../../compiler/ir/dtype.ts';
import type { Graph } from '../../../compiler/ir/graph.ts';
import { Tensor, shapeSize, tensorsIdentical } from '../../../compiler/ir/tensor.ts';
import { interpret } from '../../../compiler/interpreter/interpret.ts';
import { loadOnnxBytes } from '../../../compiler/frontend/onnx/load.ts';
import { encodeModel, type ModelDesc } from '../../../compiler/frontend/onnx/writer.ts';

let seed = 987654321;
function byte(): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed >>> 24;
}
/** Random bytes for integers; floats in [-8, 8) with a few specials. */
function rand(dtype: DType, shape: number[]): Tensor {
  const t = new Tensor(dtype, shape, allocData(dtype, shapeSize(shape)));
  if (dtype === 'f32') {
    const d = t.data as Float32Array;
    for (let i = 0; i < d.length; i++) d[i] = ((byte() << 8) | byte()) / 4096 - 8;
    const specials = [NaN, Infinity, -Infinity, -0, 100, -100];
    specials.forEach((v, i) => i < d.length && (d[(i * 7) % d.length] = v));
    return t;
  }
  const b = t.bytes();
  for (let i = 0; i < b.length; i++) b[i] = dtype === 'bool' ? byte() & 1 : byte();
  return t;
}

function checkModel(desc: ModelDesc, feeds: Map<string, Tensor>, name: string): Graph {
  const graph = loadOnnxBytes(encodeModel(desc), { name });
  const expected = interpret(graph, feeds);
  const model = compileModel(graph, { target: 'c', name });
  for (const cc of ['gcc', 'clang']) {
    const got = runCompiled(model, feeds, { cc });
    for (const [out, want] of expected) {
      const t = got.get(out);
      expect(t, `${cc} ${out}`).toBeDefined();
      expect(tensorsIdentical(t!, want), `${cc} ${out}: ${t!.dtype}[${t!.shape}] vs ${want.dtype}[${want.shape}]`).toBe(true);
    }
  }
  return graph;
}

const scalar = (dtype: DType, v: number) => Tensor.scalar(dtype, v);

describe('elementwise end to end (ONNX -> C -> run) equals the interpreter', () => {
  it('opset 19: arithmetic with broadcasting, activations, clip, softmax, cast, where, max', () => {
    const ins: { name: string; dtype: DType; shape: number[] }[] = [
      { name: 'a8', dtype: 'i8', shape: [2, 1, 5] },
      { name: 'b8', dtype: 'i8', shape: [3, 1] },
      { name: 'u16', dtype: 'u16', shape: [4, 3] },
      { name: 'q32', dtype: 'i32', shape: [9] },
      { name: 'd32', dtype: 'i32', shape: [9] },
      { name: 'x', dtype: 'f32', shape: [2, 3, 7] },
      { name: 'hi', dtype: 'f32', shape: [] },
      { name: 'big', dtype: 'i64', shape: [6] },
      { name: 'u64', dtype: 'u64', shape: [2, 3] },
    ];
    const desc: ModelDesc = {
      opsets: [{ domain: '', version: 19 }],
      inputs: ins,
      outputs: [
        'o_add', 'o_sub', 'o_div', 'o_mul', 'o_relu', 'o_clip', 'o_clip_rt', 'o_leaky', 'o_sig', 'o_tanh', 'o_exp',
        'o_sm', 'o_cast8', 'o_cast16', 'o_where', 'o_max', 'o_misc', 'o_udiv', 'o_castlike',
      ].map((name) => ({ name })),
      initializers: [
        { name: 'k', tensor: scalar('f32', 0.3) },
        { name: 'lo', tensor: scalar('f32', -1.5) },
        { name: 'u16k', tensor: Tensor.fromNumbers('u16', [3], [1, 65535, 300]) },
        { name: 'zero', tensor: scalar('f32', 0) },
        { name: 'u64k', tensor: new Tensor('u64', [3], BigUint64Array.from([0n, 3n, 2n ** 63n])) },
      ],
      nodes: [
        { op: 'Add', inputs: ['a8', 'b8'], outputs: ['o_add'] },
        { op: 'Sub', inputs: ['u16k', 'u16'], outputs: ['o_sub'] },
        { op: 'Div', inputs: ['q32', 'd32'], outputs: ['o_div'] },
        { op: 'Mul', inputs: ['x', 'k'], outputs: ['o_mul'] },
        { op: 'Relu', inputs: ['x'], outputs: ['o_relu'] },
        { op: 'Clip', inputs: ['x', 'lo', ''], outputs: ['o_clip'] },
        { op: 'Clip', inputs: ['x', 'lo', 'hi'], outputs: ['o_clip_rt'] },
        { op: 'LeakyRelu', inputs: ['x'], outputs: ['o_leaky'], attrs: { alpha: { f: 0.2 } } },
        { op: 'Sigmoid', inputs: ['x'], outputs: ['o_sig'] },
        { op: 'Tanh', inputs: ['x'], outputs: ['o_tanh'] },
        { op: 'Exp', inputs: ['x'], outputs: ['o_exp'] },
        { op: 'Softmax', inputs: ['x'], outputs: ['o_sm'], attrs: { axis: { i: 1 } } },
        { op: 'Cast', inputs: ['o_mul'], outputs: ['o_cast8'], attrs: { to: { i: 3 } } },
        { op: 'Cast', inputs: ['big'], outputs: ['o_cast16'], attrs: { to: { i: 10 } } },
        { op: 'Less', inputs: ['x', 'zero'], outputs: ['neg'] },
        { op: 'Where', inputs: ['neg', 'o_mul', 'x'], outputs: ['o_where'] },
        { op: 'Max', inputs: ['x', 'zero', 'o_mul'], outputs: ['o_max'] },
        { op: 'Abs', inputs: ['x'], outputs: ['ab'] },
        { op: 'Sqrt', inputs: ['ab'], outputs: ['sq'] },
        { op: 'Reciprocal', inputs: ['sq'], outputs: ['rc'] },
        { op: 'Neg', inputs: ['rc'], outputs: ['o_misc'] },
        { op: 'Div', inputs: ['u64', 'u64k'], outputs: ['o_udiv'] },
        { op: 'CastLike', inputs: ['u16', 'x'], outputs: ['o_castlike'] },
      ],
    };
    const feeds = new Map(ins.map((i) => [i.name, rand(i.dtype, i.shape)]));
    feeds.set('d32', Tensor.fromNumbers('i32', [9], [0, -1, 2, -2, 3, 0, 7, -1, 1]));
    feeds.set('q32', Tensor.fromNumbers('i32', [9], [5, -2147483648, 7, 7, -8, 0, -100, 5, 2147483647]));
    feeds.set('hi', scalar('f32', 2.5));
    const g = checkModel(desc, feeds, 'ew19');
    const clips = g.nodes.filter((n) => n.op === 'clip');
    expect(clips[0]!.attrs).toEqual({ min: -1.5 });
    expect(clips[0]!.inputs.map((v) => v?.name ?? null)).toEqual(['x', null, null]);
    // a runtime bound stays an input
    expect(clips[1]!.attrs).toEqual({ min: -1.5 });
    expect(clips[1]!.inputs.map((v) => v?.name ?? null)).toEqual(['x', null, 'hi']);
    expect(g.nodes.find((n) => n.op === 'softmax')!.attrs).toEqual({ axis: 1, coerce2d: false });
    expect(g.nodes.filter((n) => n.op === 'max').length).toBe(2);
  });

  it('opset 11: Softmax coerces to 2-D, Clip bounds as inputs; opset 6: Clip attributes', () => {
    const ins: { name: string; dtype: DType; shape: number[] }[] = [{ name: 'x', dtype: 'f32', shape: [2, 3, 4] }];
    const desc11: ModelDesc = {
      opsets: [{ domain: '', version: 11 }],
      inputs: ins,
      outputs: [{ name: 'sm1' }, { name: 'sm_last' }, { name: 'sm_rank' }, { name: 'cl' }],
      initializers: [{ name: 'mx', tensor: scalar('f32', 0.75) }],
      nodes: [
        { op: 'Softmax', inputs: ['x'], outputs: ['sm1'] }, // default axis 1: rows of 12
        { op: 'Softmax', inputs: ['x'], outputs: ['sm_last'], attrs: { axis: { i: -1 } } },
        { op: 'Softmax', inputs: ['x'], outputs: ['sm_rank'], attrs: { axis: { i: 3 } } },
        { op: 'Clip', inputs: ['x', '', 'mx'], outputs: ['cl'] },
      ],
    };
    const feeds = new Map([['x', rand('f32', [2, 3, 4])]]);
    const g = checkModel(desc11, feeds, 'ew11');
    expect(g.nodes.filter((n) => n.op === 'softmax').map((n) => n.attrs)).toEqual([
      { axis: 1, coerce2d: true },
      { axis: 2, coerce2d: false },
      { axis: 3, coerce2d: true },
    ]);
    expect(g.nodes.find((n) => n.op === 'clip')!.attrs).toEqual({ max: 0.75 });

    const desc6: ModelDesc = {
      opsets: [{ domain: '', version: 6 }],
      inputs: [...ins, { name: 'b', dtype: 'f32', shape: [3] }],
      outputs: [{ name: 'cl' }, { name: 'add' }],
      nodes: [
        { op: 'Clip', inputs: ['x'], outputs: ['cl'], attrs: { min: { f: -0.5 } } },
        // legacy broadcast: B [3] aligned with axis 1 of A [2,3,4]
        { op: 'Add', inputs: ['x', 'b'], outputs: ['add'], attrs: { broadcast: { i: 1 }, axis: { i: 1 } } },
      ],
    };
    const feeds6 = new Map([
      ['x', rand('f32', [2, 3, 4])],
      ['b', Tensor.fromNumbers('f32', [3], [100, 200, 300])],
    ]);
    const g6 = checkModel(desc6, feeds6, 'ew6');
    expect(g6.nodes.find((n) => n.op === 'clip')!.attrs).toEqual({ min: -0.5, max: 3.4028234663852886e38 });
    const add = interpret(g6, feeds6).get('add')!;
    // element [1][2][3] = x[1][2][3] + b[2]
    expect(add.num(12 + 8 + 3)).toBe(Math.fround(feeds6.get('x')!.num(23) + 300));
  });
});
