// ONNX importers of the nn family: opset differences, auto_pad resolution, attribute validation.
import { describe, expect, it } from 'vitest';
import { QccError } from '../../../errors.ts';
import type { DType } from '../../../ir/dtype.ts';
import { Tensor } from '../../../ir/tensor.ts';
import { interpret } from '../../../interpreter/interpret.ts';
import { loadOnnxBytes } from '../load.ts';
import { encodeModel, type AttrDesc, type ModelDesc } from '../writer.ts';

const f32 = (shape: number[], v: number[]) => Tensor.fromNumbers('f32', shape, v);

function model(opset: number, op: string, inShapes: [string, number[], DType?][], attrs: Record<string, AttrDesc> = {}, outputs = ['y'], inits: Record<string, Tensor> = {}): ModelDesc {
  return {
    opsets: [{ domain: '', version: opset }],
    inputs: inShapes.filter(([n]) => n !== '' && !inits[n]).map(([name, shape, dtype]) => ({ name, dtype: dtype ?? 'f32', shape })),
    outputs: outputs.filter((o) => o !== '').map((name) => ({ name })),
    initializers: Object.entries(inits).map(([name, tensor]) => ({ name, tensor })),
    nodes: [{ op, name: 'node1', inputs: inShapes.map(([n]) => n), outputs, attrs }],
  };
}

const load = (d: ModelDesc) => loadOnnxBytes(encodeModel(d), { name: 'm' });

function loadError(d: ModelDesc): QccError {
  try {
    load(d);
  } catch (e) {
    if (e instanceof QccError) return e;
    throw e;
  }
  throw new Error('expected the load to fail');
}

function run1(d: ModelDesc, feeds: Record<string, Tensor>): number[] {
  const g = load(d);
  return interpret(g, new Map(Object.entries(feeds))).get('y')!.toNumbers();
}

const x5 = f32([1, 1, 5], [1, 2, 3, 4, 5]);

describe('pool importers', () => {
  it('resolve SAME_UPPER / SAME_LOWER into explicit pads', () => {
    // in 5, k 2, s 2: out ceil(5/2) = 3, total pad (3-1)*2 + 2 - 5 = 1: at the end (UPPER) or start (LOWER)
    const at = (autoPad: string) => ({ kernel_shape: { ints: [2] }, strides: { ints: [2] }, auto_pad: { s: autoPad } });
    const up = load(model(11, 'MaxPool', [['x', [1, 1, 5]]], at('SAME_UPPER')));
    expect(up.nodes[0]!.attrs.pads).toEqual([0, 1]);
    expect(run1(model(11, 'MaxPool', [['x', [1, 1, 5]]], at('SAME_UPPER')), { x: x5 })).toEqual([2, 4, 5]);
    expect(run1(model(11, 'MaxPool', [['x', [1, 1, 5]]], at('SAME_LOWER')), { x: x5 })).toEqual([1, 3, 5]);
  });
  it('VALID ignores ceil_mode (ONNX: ceil((in - k + 1) / s) windows)', () => {
    const d = model(12, 'AveragePool', [['x', [1, 1, 5]]], { kernel_shape: { ints: [2] }, strides: { ints: [2] }, auto_pad: { s: 'VALID' }, ceil_mode: { i: 1 } });
    expect(run1(d, { x: x5 })).toEqual([1.5, 3.5]);
    const explicit = model(12, 'AveragePool', [['x', [1, 1, 5]]], { kernel_shape: { ints: [2] }, strides: { ints: [2] }, ceil_mode: { i: 1 } });
    expect(run1(explicit, { x: x5 })).toEqual([1.5, 3.5, 5]);
  });
  it('accept attributes only from the opset that introduced them', () => {
    const ceil = { kernel_shape: { ints: [2] }, ceil_mode: { i: 1 } };
    expect(loadError(model(8, 'MaxPool', [['x', [1, 1, 5]]], ceil)).message).toMatch(/'ceil_mode' is not supported/);
    expect(load(model(10, 'MaxPool', [['x', [1, 1, 5]]], ceil)).nodes[0]!.op).toBe('max_pool');
    const cip = { kernel_shape: { ints: [2] }, count_include_pad: { i: 1 } };
    expect(loadError(model(6, 'AveragePool', [['x', [1, 1, 5]]], cip)).code).toBe('E_UNSUPPORTED');
    expect(load(model(7, 'AveragePool', [['x', [1, 1, 5]]], cip)).nodes[0]!.attrs.count_include_pad).toBe(1);
    const dil = { kernel_shape: { ints: [2] }, dilations: { ints: [2] } };
    expect(loadError(model(18, 'AveragePool', [['x', [1, 1, 5]]], dil)).code).toBe('E_UNSUPPORTED');
    expect(run1(model(19, 'AveragePool', [['x', [1, 1, 5]]], dil), { x: x5 })).toEqual([2, 3, 4]);
    expect(loadError(model(7, 'MaxPool', [['x', [1, 1, 5]]], { kernel_shape: { ints: [2] }, storage_order: { i: 0 } })).code).toBe('E_UNSUPPORTED');
  });
  it('reject the Indices output, naming the node; accept it listed empty', () => {
    const e = loadError(model(12, 'MaxPool', [['x', [1, 1, 5]]], { kernel_shape: { ints: [2] } }, ['y', 'idx']));
    expect(e.code).toBe('E_UNSUPPORTED');
    expect(e.message).toContain("'node1'");
    expect(e.message).toContain('Indices');
    expect(run1(model(12, 'MaxPool', [['x', [1, 1, 5]]], { kernel_shape: { ints: [2] } }, ['y', '']), { x: x5 })).toEqual([2, 3, 4, 5]);
  });
  it('validate attributes', () => {
    const bad = (attrs: Record<string, AttrDesc>, re: RegExp, code = 'E_ATTR') => {
      const e = loadError(model(12, 'MaxPool', [['x', [1, 1, 5, 5]]], attrs));
      expect(e.code).toBe(code);
      expect(e.message).toContain("'node1'");
      expect(e.message).toMatch(re);
    };
    bad({ kernel_shape: { ints: [2] } }, /kernel_shape/);
    bad({ kernel_shape: { ints: [2, 2] }, pads: { ints: [1, 1] } }, /'pads'/);
    bad({ kernel_shape: { ints: [2, 2] }, strides: { ints: [0, 1] } }, /'strides'/);
    bad({ kernel_shape: { ints: [2, 2] }, auto_pad: { s: 'SAME' } }, /auto_pad/);
    bad({ kernel_shape: { ints: [2, 2] }, storage_order: { i: 3 } }, /storage_order/);
    bad({ kernel_shape: { ints: [2, 2] }, ceil_mode: { i: 2 } }, /ceil_mode/);
    bad({ kernel_shape: { ints: [7, 2] } }, /does not fit/, 'E_SHAPE');
  });
  it('map the int8/uint8 MaxPool and the global pools', () => {
    const d = model(12, 'MaxPool', [['x', [1, 1, 3], 'u8']], { kernel_shape: { ints: [2] } });
    expect(run1(d, { x: Tensor.fromNumbers('u8', [1, 1, 3], [0, 255, 7]) })).toEqual([255, 255]);
    const x = f32([1, 2, 2], [1, 4, -1, -3]);
    expect(run1(model(1, 'GlobalMaxPool', [['x', [1, 2, 2]]]), { x })).toEqual([4, -1]);
    expect(run1(model(22, 'GlobalAveragePool', [['x', [1, 2, 2]]]), { x })).toEqual([2.5, -2]);
    expect(loadError(model(12, 'AveragePool', [['x', [1, 1, 3], 'u8']], { kernel_shape: { ints: [2] } })).code).toBe('E_UNSUPPORTED');
  });
});

describe('Conv importer', () => {
  const w = f32([1, 1, 3], [1, 1, 1]);
  it('resolves auto_pad and checks kernel_shape against W', () => {
    // SAME_LOWER, k 3, s 1: total pad 2, split 1/1: moving sums of 3 with zero padding
    const d = model(11, 'Conv', [['x', [1, 1, 5]], ['w', [1, 1, 3]]], { auto_pad: { s: 'SAME_LOWER' }, kernel_shape: { ints: [3] } }, ['y'], { w });
    expect(run1(d, { x: x5 })).toEqual([3, 6, 9, 12, 9]);
    const e = loadError(model(11, 'Conv', [['x', [1, 1, 5]], ['w', [1, 1, 3]]], { kernel_shape: { ints: [2] } }, ['y'], { w }));
    expect(e.code).toBe('E_SHAPE');
    expect(e.message).toContain("'node1'");
  });
  it('reports channel/group mismatches with the shapes', () => {
    const e = loadError(model(11, 'Conv', [['x', [1, 3, 5]], ['w', [2, 2, 3]]], { group: { i: 1 } }, ['y'], { w: f32([2, 2, 3], new Array(12).fill(0)) }));
    expect(e.code).toBe('E_SHAPE');
    expect(e.message).toContain('node1');
    expect(e.message).toMatch(/1x3x5/);
    expect(e.message).toMatch(/2x2x3/);
  });
});

describe('Gemm / MatMul importers', () => {
  const a = f32([2, 2], [1, 2, 3, 4]);
  const b = f32([2, 2], [1, 0, 0, 1]);
  it('opset 6 broadcast=0 needs an M x N C; broadcast=1 and opset 7+ broadcast it', () => {
    const ins: [string, number[]][] = [['a', [2, 2]], ['b', [2, 2]], ['c', [2]]];
    const e = loadError(model(6, 'Gemm', ins));
    expect(e.code).toBe('E_SHAPE');
    expect(e.message).toMatch(/broadcast/);
    const c = f32([2], [10, 20]);
    expect(run1(model(6, 'Gemm', ins, { broadcast: { i: 1 } }), { a, b, c })).toEqual([11, 22, 13, 24]);
    expect(run1(model(7, 'Gemm', ins), { a, b, c })).toEqual([11, 22, 13, 24]);
    expect(loadError(model(7, 'Gemm', ins, { broadcast: { i: 1 } })).code).toBe('E_UNSUPPORTED');
  });
  it('C is optional; transA/transB/alpha/beta', () => {
    const ins: [string, number[]][] = [['a', [2, 2]], ['b', [2, 2]]];
    expect(run1(model(13, 'Gemm', ins, { transA: { i: 1 }, alpha: { f: 2 } }), { a, b })).toEqual([2, 6, 4, 8]);
    expect(loadError(model(13, 'Gemm', ins, { transB: { i: 2 } })).code).toBe('E_ATTR');
  });
  it('MatMul: K mismatch and unsupported dtypes name the node', () => {
    const e = loadError(model(13, 'MatMul', [['a', [2, 3]], ['b', [2, 3]]]));
    expect(e.code).toBe('E_SHAPE');
    expect(e.message).toContain('node1');
    expect(e.message).toContain('K=3');
    expect(loadError(model(13, 'MatMul', [['a', [2, 2], 'i32'], ['b', [2, 2], 'i32']])).code).toBe('E_UNSUPPORTED');
  });
});
