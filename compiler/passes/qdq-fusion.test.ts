import { describe, expect, it } from 'vitest';
import { loadOnnxBytes } from '../frontend/onnx/load.ts';
import { encodeModel } from '../frontend/onnx/writer.ts';
import type { Graph } from '../ir/graph.ts';
import { verifyGraph } from '../ir/verify.ts';
import { QdqBuilder } from '../../test/quant/qdq-models.ts';
import { deadCodeElimination } from './dead-code.ts';
import { floatNodes } from './float-report.ts';
import { runPipeline } from './pass.ts';
import { qdqFusion } from './qdq-fusion.ts';

function fuse(b: QdqBuilder, outputs: string[]): { g: Graph; before: string[]; reasons: Map<string, string> } {
  const g = loadOnnxBytes(encodeModel(b.build(outputs)));
  const before = g.nodes.map((n) => n.op);
  const ctx = runPipeline(g, [qdqFusion, deadCodeElimination], { fixpoint: true, verify: verifyGraph });
  const reasons = new Map(floatNodes(g, ctx).map((f) => [f.name, f.reason]));
  return { g, before, reasons };
}
const ops = (g: Graph) => g.nodes.map((n) => n.op);

describe('qdq-fusion', () => {
  it('DQ -> Conv -> Q with per-channel weights and an int32 bias becomes qlinear_conv reading the int32 bias', () => {
    const b = new QdqBuilder(1);
    const x = b.qdq(b.input('x', [1, 2, 4, 4]), 'u8', 0.1, 128);
    const w = b.weight([3, 2, 1, 1], 0);
    const y = b.q(b.op('Conv', [x, w.out, b.bias(3, 0.1, w.scales)]), 'u8', 0.2, 100);
    const { g, before } = fuse(b, [y]);
    expect([...before].sort()).toEqual(['conv', 'dequantize_linear', 'dequantize_linear', 'dequantize_linear', 'quantize_linear', 'quantize_linear']);
    expect(ops(g)).toEqual(['quantize_linear', 'qlinear_conv']);
    const conv = g.nodes[1]!;
    expect(conv.inputs[8]!.type.dtype).toBe('i32');
    expect(conv.inputs[4]!.type.shape).toEqual([3]);
    expect(g.outputs[0]!.name).toBe(y);
  });

  it('keeps float, with the reason, what ORT does not fuse', () => {
    const b = new QdqBuilder(2);
    const x = b.qdq(b.input('x', [1, 2, 4, 4]), 'i8', 0.1, 0);
    const wu = b.weight([2, 2, 1, 1], 0, 'u8');
    const c1 = b.q(b.op('Conv', [x, wu.out]), 'i8', 0.2, 0); // int8 activations, uint8 weights
    const w = b.weight([2, 2, 1, 1], 0);
    const c2 = b.op('Conv', [x, w.out]); // graph output
    const m = b.q(b.op('MatMul', [b.input('f', [3, 3]), b.dq(b.q(b.input('g', [3, 3]), 'i8', 0.1, 0), 'i8', 0.1, 0)]), 'i8', 0.1, 0);
    const { g, reasons } = fuse(b, [c1, c2, m]);
    expect(ops(g).filter((o) => o.startsWith('qlinear'))).toEqual([]);
    expect([...reasons.values()]).toEqual([
      'int8 activations with uint8 weights (ONNX Runtime has no such kernel)',
      'its output is a graph output (ONNX Runtime does not fuse it either)',
      "input 0 ('f') does not come from a DequantizeLinear",
    ]);
  });

  it('DQ -> Q pairs with equal parameters cancel; different ones stay', () => {
    const b = new QdqBuilder(3);
    const xq = b.q(b.input('x', [5]), 'i8', 0.1, 3);
    const same = b.op('Relu', [b.q(b.dq(xq, 'i8', 0.1, 3), 'i8', 0.1, 3)].map((v) => b.dq(v, 'i8', 0.1, 3)));
    const other = b.q(b.dq(xq, 'i8', 0.1, 3), 'i8', 0.1, 4);
    const { g } = fuse(b, [same, other]);
    // x -> Q -> DQ -> Relu; the Q -> DQ -> Q(other zp) pair stays.
    expect(ops(g)).toEqual(['quantize_linear', 'dequantize_linear', 'relu', 'dequantize_linear', 'quantize_linear']);
  });

  it('a DQ shared by two convs and a graph output stays for its float user; both convs fuse', () => {
    const b = new QdqBuilder(4);
    const x = b.dq(b.q(b.input('x', [1, 2, 3, 3]), 'u8', 0.1, 128), 'u8', 0.1, 128);
    const w = b.weight([2, 2, 1, 1], 0);
    const y1 = b.q(b.op('Conv', [x, w.out]), 'u8', 0.2, 128);
    const y2 = b.q(b.op('Conv', [x, w.out]), 'u8', 0.3, 128);
    const { g } = fuse(b, [y1, y2, x]);
    expect(ops(g)).toEqual(['quantize_linear', 'dequantize_linear', 'qlinear_conv', 'qlinear_conv']);
  });

  it('DQ -> Relu -> Q with equal parameters becomes an integer clip [zp, qmax]; Relu -> Q at zp = qmin is dropped', () => {
    const b = new QdqBuilder(5);
    const xq = b.q(b.input('x', [6]), 'i8', 0.1, -5);
    const r1 = b.q(b.op('Relu', [b.dq(xq, 'i8', 0.1, -5)]), 'i8', 0.1, -5);
    const r2 = b.q(b.op('Relu', [b.dq(xq, 'i8', 0.1, -5)]), 'i8', 0.1, -128);
    const { g } = fuse(b, [r1, r2]);
    expect(ops(g)).toEqual(['quantize_linear', 'clip', 'dequantize_linear', 'quantize_linear']);
    expect(g.nodes[1]!.attrs).toEqual({ min: -5, max: 127 });
  });

  it('MaxPool between different DQ/Q parameters stays float', () => {
    const b = new QdqBuilder(6);
    const x = b.qdq(b.input('x', [1, 1, 4, 4]), 'u8', 0.1, 128);
    const y = b.q(b.op('MaxPool', [x], { kernel_shape: { ints: [2, 2] } }), 'u8', 0.2, 128);
    const { g, reasons } = fuse(b, [y]);
    expect(ops(g)).toContain('max_pool');
    expect([...reasons.values()]).toEqual(['the DequantizeLinear and QuantizeLinear around it have different parameters']);
  });
});
