/**
 * End to end for the shape family: ONNX models (built with the writer) -> loader -> C backend -> gcc and
 * clang -> run, outputs compared with the reference interpreter byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { compileModel } from '../compile.ts';
import { runCompiled } from '../../run.ts';
import { allocData, type DType } from '../../../compiler/ir/dtype.ts';
import { Tensor, shapeSize, tensorsIdentical } from '../../../compiler/ir/tensor.ts';
import { interpret } from '../../../compiler/interpreter/interpret.ts';
import { loadOnnxBytes } from '../../../compiler/frontend/onnx/load.ts';
import { encodeModel, type ModelDesc } from '../../../compiler/frontend/onnx/writer.ts';

let seed = 12345;
function byte(): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed >>> 24;
}
function rand(dtype: DType, shape: number[]): Tensor {
  const t = new Tensor(dtype, shape, allocData(dtype, shapeSize(shape)));
  const b = t.bytes();
  for (let i = 0; i < b.length; i++) b[i] = dtype === 'bool' ? byte() & 1 : byte();
  return t;
}
const i64 = (v: number[], shape = [v.length]) => Tensor.fromNumbers('i64', shape, v);

/** One model with a branch per op; each branch reads its own input so dtypes can differ. */
function shapeModel(): { desc: ModelDesc; feeds: Map<string, Tensor> } {
  const ins: { name: string; dtype: DType; shape: number[] }[] = [
    { name: 'tr', dtype: 'f32', shape: [2, 3, 4, 5] },
    { name: 'pr', dtype: 'u8', shape: [3, 4] },
    { name: 'pw', dtype: 'f16', shape: [2, 3] },
    { name: 'pe', dtype: 'i64', shape: [1, 2, 3] },
    { name: 'cc', dtype: 'i8', shape: [2, 3, 2] },
    { name: 'ga', dtype: 'f64', shape: [4, 3] },
    { name: 'gi', dtype: 'i64', shape: [2, 2] },
    { name: 'sl', dtype: 'i32', shape: [5, 6] },
    { name: 'sp', dtype: 'f32', shape: [3, 7] },
    { name: 'ex', dtype: 'bool', shape: [3, 1] },
    { name: 'ch', dtype: 'i16', shape: [2, 3, 4] },
    { name: 'id', dtype: 'u16', shape: [5] },
  ];
  const desc: ModelDesc = {
    opsets: [{ domain: '', version: 19 }],
    inputs: ins,
    outputs: ['o_tr', 'o_pr', 'o_pw', 'o_pe', 'o_cc', 'o_ga', 'o_sl', 'o_sp0', 'o_sp1', 'o_sp2', 'o_ex', 'o_ch', 'o_id'].map((name) => ({ name })),
    initializers: [
      { name: 'pads_r', tensor: i64([1, 2, 2, 3]) },
      { name: 'pads_w', tensor: i64([3, -1, 2, 5]) },
      { name: 'pads_e', tensor: i64([0, 1, 4, 0, 2, 1]) },
      { name: 'cc_k', tensor: Tensor.fromNumbers('i8', [2, 1, 2], [-128, 127, 0, -1]) },
      { name: 'sl_st', tensor: i64([-1, 1]) },
      { name: 'sl_en', tensor: i64([-100, 6]) },
      { name: 'sl_ax', tensor: i64([0, 1]) },
      { name: 'sl_sp', tensor: i64([-2, 2]) },
      { name: 'sp_s', tensor: i64([2, 0, 5]) },
      { name: 'ex_s', tensor: i64([2, 1, 4]) },
      { name: 'ch_shape', tensor: i64([0, -1]) },
    ],
    nodes: [
      { op: 'Transpose', inputs: ['tr'], outputs: ['o_tr'], attrs: { perm: { ints: [3, 1, 0, 2] } } },
      { op: 'Pad', inputs: ['pr', 'pads_r'], outputs: ['o_pr'], attrs: { mode: { s: 'reflect' } } },
      { op: 'Pad', inputs: ['pw', 'pads_w'], outputs: ['o_pw'], attrs: { mode: { s: 'wrap' } } },
      { op: 'Pad', inputs: ['pe', 'pads_e'], outputs: ['o_pe'], attrs: { mode: { s: 'edge' } } },
      { op: 'Concat', inputs: ['cc', 'cc_k', 'cc'], outputs: ['o_cc'], attrs: { axis: { i: -2 } } },
      { op: 'Gather', inputs: ['ga', 'gi'], outputs: ['o_ga'], attrs: { axis: { i: 0 } } },
      { op: 'Slice', inputs: ['sl', 'sl_st', 'sl_en', 'sl_ax', 'sl_sp'], outputs: ['o_sl'] },
      { op: 'Split', inputs: ['sp', 'sp_s'], outputs: ['o_sp0', 'o_sp1', 'o_sp2'], attrs: { axis: { i: 1 } } },
      { op: 'Expand', inputs: ['ex', 'ex_s'], outputs: ['o_ex'] },
      { op: 'Reshape', inputs: ['ch', 'ch_shape'], outputs: ['ch_r'] },
      { op: 'Transpose', inputs: ['ch_r'], outputs: ['ch_t'] },
      { op: 'Unsqueeze', inputs: ['ch_t', 'sl_ax'], outputs: ['o_ch'] },
      { op: 'Identity', inputs: ['id'], outputs: ['o_id'] },
    ],
  };
  const feeds = new Map(ins.map((i) => [i.name, rand(i.dtype, i.shape)]));
  // gather indices in range, negative ones included
  feeds.set('gi', i64([-1, 0, 3, -3], [2, 2]));
  return { desc, feeds };
}

describe('shape family end to end (ONNX -> C -> run) equals the interpreter', () => {
  const { desc, feeds } = shapeModel();
  const graph = loadOnnxBytes(encodeModel(desc), { name: 'shapes' });
  const expected = interpret(graph, feeds);

  it('imports to the expected kinds', () => {
    expect(graph.nodes.map((n) => n.op).sort()).toEqual(
      ['concat', 'expand', 'gather', 'pad', 'pad', 'pad', 'reshape', 'reshape', 'slice', 'split', 'transpose', 'transpose', 'reshape'].sort(),
    );
  });

  for (const cc of ['gcc', 'clang']) {
    it(cc, () => {
      const model = compileModel(graph, { target: 'c', name: 'shapes' });
      const got = runCompiled(model, feeds, { cc });
      for (const [name, want] of expected) {
        const t = got.get(name);
        expect(t, name).toBeDefined();
        expect(tensorsIdentical(t!, want), `${name}: ${t!.dtype}[${t!.shape}] vs ${want.dtype}[${want.shape}]`).toBe(true);
      }
    });
  }
});
