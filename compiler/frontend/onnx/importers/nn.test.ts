// ONNX importers of the nn family: opset differences, auto_pad resolution, attribute validation.
import { describe, expect, it } from 'vitest';
import { QccError } from '../../../errors.ts';
import { catchQccError } from '../../../../test/util/errors.ts';
import { Tensor } from '../../../ir/tensor.ts';
import { interpret } from '../../../interpreter/interpret.ts';
import { modelFromText } from '../../../../test/util/onnx-text.ts';

const f32 = (shape: number[], v: number[]) => Tensor.fromNumbers('f32', shape, v);

/** A graph in ONNX text (signature, initializers, nodes) imported at ai.onnx `opset`. */
const load = (opset: number, src: string) => modelFromText(src, { opset });

const loadError = (opset: number, src: string): QccError => catchQccError(() => load(opset, src));

function run1(opset: number, src: string, feeds: Record<string, Tensor>): number[] {
  const g = load(opset, src);
  return interpret(g, new Map(Object.entries(feeds))).get('y')!.toNumbers();
}

/** The node `[node1] y = <node>` on float[1, 1, 5] x. */
const on5 = (node: string) => `m (float[1, 1, 5] x) => (y) { [node1] y = ${node} }`;
const x5 = f32([1, 1, 5], [1, 2, 3, 4, 5]);

describe('pool importers', () => {
  it('resolve SAME_UPPER / SAME_LOWER into explicit pads', () => {
    // in 5, k 2, s 2: out ceil(5/2) = 3, total pad (3-1)*2 + 2 - 5 = 1: at the end (UPPER) or start (LOWER)
    const pool = (autoPad: string) => on5(`MaxPool <kernel_shape = [2], strides = [2], auto_pad = "${autoPad}"> (x)`);
    const up = load(11, pool('SAME_UPPER'));
    expect(up.nodes[0]!.attrs.pads).toEqual([0, 1]);
    expect(run1(11, pool('SAME_UPPER'), { x: x5 })).toEqual([2, 4, 5]);
    expect(run1(11, pool('SAME_LOWER'), { x: x5 })).toEqual([1, 3, 5]);
  });
  it('VALID ignores ceil_mode (ONNX: ceil((in - k + 1) / s) windows)', () => {
    expect(run1(12, on5('AveragePool <kernel_shape = [2], strides = [2], auto_pad = "VALID", ceil_mode = 1> (x)'), { x: x5 })).toEqual([1.5, 3.5]);
    expect(run1(12, on5('AveragePool <kernel_shape = [2], strides = [2], ceil_mode = 1> (x)'), { x: x5 })).toEqual([1.5, 3.5, 5]);
  });
  it('accept attributes only from the opset that introduced them', () => {
    const ceil = on5('MaxPool <kernel_shape = [2], ceil_mode = 1> (x)');
    expect(loadError(8, ceil).message).toMatch(/'ceil_mode' is not supported/);
    expect(load(10, ceil).nodes[0]!.op).toBe('max_pool');
    const cip = on5('AveragePool <kernel_shape = [2], count_include_pad = 1> (x)');
    expect(loadError(6, cip).code).toBe('E_UNSUPPORTED');
    expect(load(7, cip).nodes[0]!.attrs.count_include_pad).toBe(1);
    const dil = on5('AveragePool <kernel_shape = [2], dilations = [2]> (x)');
    expect(loadError(18, dil).code).toBe('E_UNSUPPORTED');
    expect(run1(19, dil, { x: x5 })).toEqual([2, 3, 4]);
    expect(loadError(7, on5('MaxPool <kernel_shape = [2], storage_order = 0> (x)')).code).toBe('E_UNSUPPORTED');
  });
  it('reject the Indices output, naming the node; accept it listed empty', () => {
    const e = loadError(12, 'm (float[1, 1, 5] x) => (y, idx) { [node1] y, idx = MaxPool <kernel_shape = [2]> (x) }');
    expect(e.code).toBe('E_UNSUPPORTED');
    expect(e.message).toContain("'node1'");
    expect(e.message).toContain('Indices');
    expect(run1(12, 'm (float[1, 1, 5] x) => (y) { [node1] y, "" = MaxPool <kernel_shape = [2]> (x) }', { x: x5 })).toEqual([2, 3, 4, 5]);
  });
  it('validate attributes', () => {
    const bad = (attrs: string, re: RegExp, code = 'E_ATTR') => {
      const e = loadError(12, `m (float[1, 1, 5, 5] x) => (y) { [node1] y = MaxPool <${attrs}> (x) }`);
      expect(e.code).toBe(code);
      expect(e.message).toContain("'node1'");
      expect(e.message).toMatch(re);
    };
    bad('kernel_shape = [2]', /kernel_shape/);
    bad('kernel_shape = [2, 2], pads = [1, 1]', /'pads'/);
    bad('kernel_shape = [2, 2], strides = [0, 1]', /'strides'/);
    bad('kernel_shape = [2, 2], auto_pad = "SAME"', /auto_pad/);
    bad('kernel_shape = [2, 2], storage_order = 3', /storage_order/);
    bad('kernel_shape = [2, 2], ceil_mode = 2', /ceil_mode/);
    bad('kernel_shape = [7, 2]', /does not fit/, 'E_SHAPE');
  });
  it('map the int8/uint8 MaxPool and the global pools', () => {
    const u8 = 'm (uint8[1, 1, 3] x) => (y) { [node1] y = MaxPool <kernel_shape = [2]> (x) }';
    expect(run1(12, u8, { x: Tensor.fromNumbers('u8', [1, 1, 3], [0, 255, 7]) })).toEqual([255, 255]);
    const x = f32([1, 2, 2], [1, 4, -1, -3]);
    const global = (op: string) => `m (float[1, 2, 2] x) => (y) { [node1] y = ${op} (x) }`;
    expect(run1(1, global('GlobalMaxPool'), { x })).toEqual([4, -1]);
    expect(run1(22, global('GlobalAveragePool'), { x })).toEqual([2.5, -2]);
    expect(loadError(12, u8.replace('MaxPool', 'AveragePool')).code).toBe('E_UNSUPPORTED');
  });
});

describe('Conv importer', () => {
  const conv = (attrs: string) => `
    m (float[1, 1, 5] x) => (y)
    <float[1, 1, 3] w = {1, 1, 1}>
    { [node1] y = Conv <${attrs}> (x, w) }`;
  it('resolves auto_pad and checks kernel_shape against W', () => {
    // SAME_LOWER, k 3, s 1: total pad 2, split 1/1: moving sums of 3 with zero padding
    expect(run1(11, conv('auto_pad = "SAME_LOWER", kernel_shape = [3]'), { x: x5 })).toEqual([3, 6, 9, 12, 9]);
    const e = loadError(11, conv('kernel_shape = [2]'));
    expect(e.code).toBe('E_SHAPE');
    expect(e.message).toContain("'node1'");
  });
  it('reports channel/group mismatches with the shapes', () => {
    const e = loadError(11, `
      m (float[1, 3, 5] x) => (y)
      <float[2, 2, 3] w = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}>
      { [node1] y = Conv <group = 1> (x, w) }`);
    expect(e.code).toBe('E_SHAPE');
    expect(e.message).toContain('node1');
    expect(e.message).toMatch(/1x3x5/);
    expect(e.message).toMatch(/2x2x3/);
  });
});

describe('Gemm / MatMul importers', () => {
  const a = f32([2, 2], [1, 2, 3, 4]);
  const b = f32([2, 2], [1, 0, 0, 1]);
  const gemm = (node: string, c = true) =>
    `m (float[2, 2] a, float[2, 2] b${c ? ', float[2] c' : ''}) => (y) { [node1] y = ${node} }`;
  it('opset 6 broadcast=0 needs an M x N C; broadcast=1 and opset 7+ broadcast it', () => {
    const e = loadError(6, gemm('Gemm (a, b, c)'));
    expect(e.code).toBe('E_SHAPE');
    expect(e.message).toMatch(/broadcast/);
    const c = f32([2], [10, 20]);
    expect(run1(6, gemm('Gemm <broadcast = 1> (a, b, c)'), { a, b, c })).toEqual([11, 22, 13, 24]);
    expect(run1(7, gemm('Gemm (a, b, c)'), { a, b, c })).toEqual([11, 22, 13, 24]);
    expect(loadError(7, gemm('Gemm <broadcast = 1> (a, b, c)')).code).toBe('E_UNSUPPORTED');
  });
  it('C is optional; transA/transB/alpha/beta', () => {
    expect(run1(13, gemm('Gemm <transA = 1, alpha = 2.0> (a, b)', false), { a, b })).toEqual([2, 6, 4, 8]);
    expect(loadError(13, gemm('Gemm <transB = 2> (a, b)', false)).code).toBe('E_ATTR');
  });
  it('MatMul: K mismatch and unsupported dtypes name the node', () => {
    const e = loadError(13, 'm (float[2, 3] a, float[2, 3] b) => (y) { [node1] y = MatMul (a, b) }');
    expect(e.code).toBe('E_SHAPE');
    expect(e.message).toContain('node1');
    expect(e.message).toContain('K=3');
    expect(loadError(13, 'm (int32[2, 2] a, int32[2, 2] b) => (y) { [node1] y = MatMul (a, b) }').code).toBe('E_UNSUPPORTED');
  });
});
