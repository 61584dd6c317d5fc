/**
 * End to end for the nn family: small graphs (constant weights, chained ops, every nn kind) compiled by
 * the C backend driver, built with gcc and clang, run on seeded inputs; outputs must equal the
 * interpreter's byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { Graph, type Attrs, type Value } from '../../../compiler/ir/graph.ts';
import { Tensor, tensorsIdentical } from '../../../compiler/ir/tensor.ts';
import type { DType } from '../../../compiler/ir/dtype.ts';
import { interpret } from '../../../compiler/interpreter/interpret.ts';
import { getOpDef } from '../../../compiler/ops/registry.ts';
import { randomF32, rng } from '../../../compiler/ops/nn-test-util.ts';
import { loadOnnxModel } from '../../../compiler/frontend/onnx/load.ts';
import { randomInputs } from '../../../compiler/io/random-inputs.ts';
import { MODELS_DIR } from '../../../test/util/models.ts';
import { join } from 'node:path';
import { compileModel } from '../compile.ts';
import { runCompiled } from '../../run.ts';

class Builder {
  readonly g = new Graph('nn');
  private k = 0;
  input(name: string, dtype: DType, shape: number[]): Value {
    const v = this.g.addValue(name, { dtype, shape });
    this.g.inputs.push(v);
    return v;
  }
  const(t: Tensor): Value {
    return this.g.addConst(`c${this.k++}`, t);
  }
  op(kind: string, inputs: (Value | null)[], attrs: Attrs = {}): Value {
    const name = `${kind}_${this.k++}`;
    const [t] = getOpDef(kind).infer({ id: -1, name, op: kind, inputs, outputs: [], attrs });
    const out = this.g.addValue(`${name}_out`, t!);
    this.g.addNode(kind, name, inputs, [out], attrs);
    return out;
  }
  output(v: Value): void {
    this.g.outputs.push(v);
  }
}

function check(graph: Graph, feeds: Map<string, Tensor>, name: string): void {
  const want = interpret(graph, feeds);
  const model = compileModel(graph, { target: 'c', name });
  for (const cc of ['gcc', 'clang']) {
    const got = runCompiled(model, feeds, { cc });
    for (const [k, t] of want) {
      const g = got.get(k)!;
      expect(g.shape).toEqual(t.shape);
      expect(tensorsIdentical(g, t), `${cc}: output ${k}`).toBe(true);
    }
  }
}

describe('nn graphs compiled to C equal the interpreter', () => {
  it('conv (grouped, padded) -> max_pool (ceil) -> depthwise conv -> average_pool (count_include_pad) -> global pools', () => {
    const r = rng(7);
    const b = new Builder();
    const x = b.input('x', 'f32', [2, 6, 11, 9]);
    const c1 = b.op('conv', [x, b.const(randomF32(r, [9, 2, 3, 2])), b.const(randomF32(r, [9]))], {
      group: 3, strides: [2, 1], dilations: [1, 2], pads: [1, 0, 2, 1],
    });
    const p1 = b.op('max_pool', [c1], { kernel_shape: [3, 2], strides: [2, 2], pads: [1, 0, 1, 1], ceil_mode: 1 });
    const c2 = b.op('conv', [p1, b.const(randomF32(r, [9, 1, 3, 3])), null], { group: 9, pads: [1, 1, 1, 1] });
    const p2 = b.op('average_pool', [c2], { kernel_shape: [2, 3], strides: [1, 2], pads: [1, 1, 0, 1], ceil_mode: 1, count_include_pad: 1 });
    b.output(b.op('global_average_pool', [p2]));
    b.output(b.op('global_max_pool', [p2]));
    b.output(b.op('average_pool', [c1], { kernel_shape: [2, 2], dilations: [2, 1], pads: [0, 1, 1, 0] }));
    check(b.g, new Map([['x', randomF32(r, [2, 6, 11, 9])]]), 'nn_cnn');
  });

  it('1-D and 3-D conv and pools', () => {
    const r = rng(11);
    const b = new Builder();
    const x = b.input('x', 'f32', [1, 3, 17]);
    b.output(b.op('max_pool', [b.op('conv', [x, b.const(randomF32(r, [5, 3, 4])), null], { strides: [3], pads: [2, 1], dilations: [2] })], { kernel_shape: [2], strides: [2], ceil_mode: 1 }));
    const v = b.input('v', 'f32', [1, 2, 5, 4, 6]);
    const c = b.op('conv', [v, b.const(randomF32(r, [3, 2, 2, 3, 2])), b.const(randomF32(r, [3]))], { pads: [1, 0, 1, 0, 1, 1], strides: [1, 2, 2] });
    b.output(b.op('average_pool', [c], { kernel_shape: [2, 2, 2], pads: [0, 1, 1, 1, 1, 0], strides: [2, 1, 2], ceil_mode: 1 }));
    check(b.g, new Map([['x', randomF32(r, [1, 3, 17])], ['v', randomF32(r, [1, 2, 5, 4, 6])]]), 'nn_13d');
  });

  it('matmul (broadcast batches, 1-D operands) -> gemm (transposed, broadcast C)', () => {
    const r = rng(13);
    const b = new Builder();
    const a = b.input('a', 'f32', [3, 1, 5, 7]);
    const m = b.op('matmul', [a, b.const(randomF32(r, [2, 7, 4]))]); // [3, 2, 5, 4]
    b.output(m);
    b.output(b.op('matmul', [b.const(randomF32(r, [5])), m])); // [3, 2, 4]
    const a2 = b.input('a2', 'f32', [6, 3]);
    b.output(b.op('gemm', [a2, b.const(randomF32(r, [5, 6])), b.const(randomF32(r, [5]))], { transA: 1, transB: 1, alpha: 0.75, beta: -1.5 }));
    b.output(b.op('gemm', [a2, b.const(randomF32(r, [3, 4])), b.const(randomF32(r, [6, 1]))], { alpha: 1, beta: 1 }));
    b.output(b.op('gemm', [a2, b.input('bw', 'f32', [3, 2]), null], { alpha: 1, beta: 1 }));
    check(b.g, new Map([['a', randomF32(r, [3, 1, 5, 7])], ['a2', randomF32(r, [6, 3])], ['bw', randomF32(r, [3, 2])]]), 'nn_mm');
  });

  it('uint8 and int8 max pool', () => {
    const b = new Builder();
    const u = b.input('u', 'u8', [1, 3, 7, 5]);
    const i = b.input('i', 'i8', [2, 2, 9]);
    b.output(b.op('max_pool', [u], { kernel_shape: [3, 2], strides: [2, 2], pads: [1, 1, 1, 0], ceil_mode: 1 }));
    b.output(b.op('max_pool', [i], { kernel_shape: [3], dilations: [2], pads: [2, 2] }));
    const r = rng(17);
    const ut = Tensor.fromNumbers('u8', [1, 3, 7, 5], Array.from({ length: 105 }, (_, k) => (k % 9 === 0 ? 255 : k % 7 === 0 ? 0 : Math.floor(r() * 256))));
    const it8 = Tensor.fromNumbers('i8', [2, 2, 9], Array.from({ length: 36 }, (_, k) => (k % 5 === 0 ? -128 : k % 11 === 0 ? 127 : Math.floor(r() * 256) - 128)));
    check(b.g, new Map([['u', ut], ['i', it8]]), 'nn_q');
  });

  it.each(['onnxruntime/qdq_convs.onnx', 'onnxruntime/qdq_with_multi_consumer_q_dq_axis.onnx', 'shark-testsuite/QuantizedMLP.onnx'])(
    'real model %s (float conv / max_pool / gemm between Q and DQ)',
    (file) => {
      const g = loadOnnxModel(join(MODELS_DIR, file));
      check(g, randomInputs(g, 3), 'nn_real');
    },
  );
});
