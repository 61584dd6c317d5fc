/**
 * End to end for the quantized family: load -> interpret -> compile (target 'c') -> gcc and clang -> run;
 * every output byte-identical to the interpreter. Covers the family's ONNX node tests (scales and zero
 * points frozen into constants, as a deployed model has them), the migraphx single-node models and the
 * onnxruntime / shark QDQ models on seeded inputs, and generated chains (QuantizeLinear -> QLinearConv -> QLinearMatMul -> DequantizeLinear;
 * DynamicQuantizeLinear -> MatMulInteger; ConvInteger) with per-channel parameters and f16 scales.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../backends/c/compile.ts';
import { runCompiled } from '../../backends/run.ts';
import { loadOnnxBytes, loadOnnxModel } from '../../compiler/frontend/onnx/load.ts';
import { encodeModel, type ModelDesc } from '../../compiler/frontend/onnx/writer.ts';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import { randomInputs } from '../../compiler/io/random-inputs.ts';
import type { Graph } from '../../compiler/ir/graph.ts';
import { Tensor, tensorsIdentical } from '../../compiler/ir/tensor.ts';
import { f32ToF16Bits } from '../../compiler/numerics/f16.ts';
import { rng } from '../../compiler/ops/nn-test-util.ts';
import { MODELS_DIR, REAL_MODELS } from '../util/models.ts';
import { freezeConstInputs, loadNodeTestCase, nodeTestCases } from '../util/node-tests.ts';


function checkC(label: string, g: Graph, feeds: Map<string, Tensor>): void {
  const want = interpret(g, feeds);
  freezeConstInputs(g, feeds);
  const model = compileModel(g, { target: 'c', name: label.replace(/[^A-Za-z0-9_]/g, '_') });
  for (const cc of ['gcc', 'clang']) {
    const got = runCompiled(model, feeds, { cc });
    for (const [name, t] of want) {
      const a = got.get(name);
      expect(a && tensorsIdentical(a, t), `${label} (${cc}) output '${name}': C ${a?.toNumbers().slice(0, 16)} interp ${t.toNumbers().slice(0, 16)}`).toBe(true);
    }
  }
}

const FAMILY = /^test_(quantizelinear|dequantizelinear|dynamicquantizelinear|qlinearconv|qlinearmatmul|convinteger|matmulinteger)/;
const UNSUPPORTED = /_(int4|uint4|int2|uint2|e4m3fn|e5m2|float4e2m1|blocked|expanded)/;
const nodeCases = nodeTestCases(FAMILY, UNSUPPORTED);

describe('quantized family through the C backend', () => {
  it('found the node tests and models', () => {
    expect(nodeCases.length).toBeGreaterThanOrEqual(20);
    expect(readdirSync(join(MODELS_DIR, 'migraphx')).filter((f) => f.endsWith('.onnx')).length).toBe(5);
  });
  for (const c of nodeCases) {
    it(`node test ${c}`, () => {
      const { graph, feeds } = loadNodeTestCase(c);
      checkC(c, graph, feeds);
    });
  }
  for (const f of existsSync(join(MODELS_DIR, 'migraphx')) ? readdirSync(join(MODELS_DIR, 'migraphx')).filter((x) => x.endsWith('.onnx')).sort() : []) {
    it(`migraphx/${f}`, () => {
      for (const seed of [1, 2, 3]) {
        const g = loadOnnxModel(join(MODELS_DIR, 'migraphx', f));
        checkC(`${f}_${seed}`, g, randomInputs(g, seed));
      }
    });
  }
  // The real QDQ / dynamic-quantization models (onnx2c's com.microsoft QLinearAdd/Mul are another family).
  for (const m of REAL_MODELS.filter((x) => x.source === 'onnxruntime' || x.source === 'shark-testsuite')) {
    it(`real model ${m.id}`, () => {
      for (const seed of [1, 2]) {
        const g = loadOnnxModel(m.path, m.inputShapes ? { inputShapes: { ...m.inputShapes } } : {});
        checkC(`${m.id}_${seed}`, g, randomInputs(g, seed));
      }
    });
  }

  const r = rng(0xe2e);
  const ri = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const ints = (dtype: 'u8' | 'i8' | 'i32', shape: number[], lo: number, hi: number) =>
    Tensor.fromNumbers(dtype, shape, Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => ri(lo, hi)));
  const f32 = (shape: number[], v: number[]) => Tensor.fromNumbers('f32', shape, v);

  it('generated chain: Q -> QLinearConv (depthwise, then grouped, per-channel) -> QLinearMatMul -> DQ', () => {
    const desc: ModelDesc = {
      opsets: [{ domain: '', version: 21 }],
      inputs: [{ name: 'x', dtype: 'f32', shape: [2, 6, 9, 7] }],
      outputs: [{ name: 'y' }],
      initializers: [
        { name: 'xs', tensor: f32([], [0.02]) }, { name: 'xz', tensor: ints('u8', [], 100, 100) },
        { name: 'w1', tensor: ints('i8', [6, 1, 3, 3], -128, 127) }, { name: 'w1s', tensor: f32([6], [0.01, 0.02, 0.005, 0.03, 0.0125, 0.007]) },
        { name: 'w1z', tensor: ints('i8', [6], 0, 0) }, { name: 'y1s', tensor: f32([], [0.05]) }, { name: 'y1z', tensor: ints('u8', [], 128, 128) },
        { name: 'b1', tensor: ints('i32', [6], -3000, 3000) },
        { name: 'w2', tensor: ints('u8', [9, 2, 2, 1], 0, 255) }, { name: 'w2s', tensor: f32([9], Array.from({ length: 9 }, (_, i) => 0.001 * (i + 1))) },
        { name: 'w2z', tensor: ints('u8', [9], 120, 136) }, { name: 'y2s', tensor: f32([], [0.1]) }, { name: 'y2z', tensor: ints('u8', [], 10, 10) },
        { name: 'm', tensor: ints('i8', [4, 5], -128, 127) }, { name: 'ms', tensor: Tensor.fromNumbers('f16', [5], [0.01, 0.02, 0.03, 0.04, 0.05].map(f32ToF16Bits)) },
        { name: 'mz', tensor: ints('i8', [5], -3, 3) }, { name: 'as', tensor: Tensor.fromNumbers('f16', [], [f32ToF16Bits(0.1)]) },
        { name: 'ys', tensor: Tensor.fromNumbers('f16', [], [f32ToF16Bits(0.25)]) }, { name: 'yz', tensor: ints('u8', [], 3, 3) },
        { name: 'a2s', tensor: f32([], [0.1]) },
      ],
      nodes: [
        { op: 'QuantizeLinear', inputs: ['x', 'xs', 'xz'], outputs: ['xq'] },
        { op: 'QLinearConv', inputs: ['xq', 'xs', 'xz', 'w1', 'w1s', 'w1z', 'y1s', 'y1z', 'b1'], outputs: ['c1'],
          attrs: { group: { i: 6 }, pads: { ints: [1, 0, 1, 2] }, strides: { ints: [1, 2] }, dilations: { ints: [2, 1] } } },
        { op: 'QLinearConv', inputs: ['c1', 'y1s', 'y1z', 'w2', 'w2s', 'w2z', 'y2s', 'y2z'], outputs: ['c2'], attrs: { group: { i: 3 }, auto_pad: { s: 'SAME_LOWER' } } },
        { op: 'QLinearMatMul', inputs: ['c2', 'a2s', 'y2z', 'm', 'ms', 'mz', 'ys', 'yz'], outputs: ['q'] },
        { op: 'DequantizeLinear', inputs: ['q', 'ys', 'yz'], outputs: ['y'] },
      ],
    };
    expect(loadOnnxBytes(encodeModel(desc)).valueByName('c2')!.type.shape).toEqual([2, 9, 7, 4]);
    for (const seed of [1, 2]) {
      const g = loadOnnxBytes(encodeModel(desc));
      checkC(`chain_${seed}`, g, randomInputs(g, seed));
    }
  });

  it('generated: DynamicQuantizeLinear -> MatMulInteger (per-column b zp), ConvInteger (per-channel w zp, i8 x)', () => {
    const desc: ModelDesc = {
      opsets: [{ domain: '', version: 13 }],
      inputs: [{ name: 'a', dtype: 'f32', shape: [2, 3, 17] }, { name: 'x', dtype: 'i8', shape: [1, 4, 6, 5] }],
      outputs: [{ name: 'y' }, { name: 's' }, { name: 'z' }, { name: 'c' }],
      initializers: [
        { name: 'b', tensor: ints('i8', [17, 11], -128, 127) }, { name: 'bz', tensor: ints('i8', [11], -128, 127) },
        { name: 'w', tensor: ints('u8', [6, 2, 3, 2], 0, 255) }, { name: 'xz', tensor: ints('i8', [], -128, -128) }, { name: 'wz', tensor: ints('u8', [6], 0, 255) },
      ],
      nodes: [
        { op: 'DynamicQuantizeLinear', inputs: ['a'], outputs: ['aq', 's', 'z'] },
        { op: 'MatMulInteger', inputs: ['aq', 'b', 'z', 'bz'], outputs: ['y'] },
        { op: 'ConvInteger', inputs: ['x', 'w', 'xz', 'wz'], outputs: ['c'], attrs: { group: { i: 2 }, pads: { ints: [2, 1, 0, 1] }, strides: { ints: [2, 1] } } },
      ],
    };
    for (const seed of [1, 2, 3]) {
      const g = loadOnnxBytes(encodeModel(desc));
      checkC(`dyn_${seed}`, g, randomInputs(g, seed));
    }
  });
});
