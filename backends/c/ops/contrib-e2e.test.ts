/**
 * End to end for ONNX Runtime's com.microsoft quantized ops: the generated models of the referee
 * (test/referee/contrib-cases.ts), merged per op family into one model each, compiled by the C backend,
 * built with gcc and clang, run on the seeded inputs: outputs must equal the interpreter's byte for byte.
 * The two onnx2c models (QLinearAdd int8, QLinearMul uint8) are compiled with their scales and zero points
 * bound from test_data_set_0 and must also reproduce the outputs they ship with.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOnnxBytes, loadOnnxModel } from '../../../compiler/frontend/onnx/load.ts';
import { encodeModel, type ModelDesc } from '../../../compiler/frontend/onnx/writer.ts';
import { interpret } from '../../../compiler/interpreter/interpret.ts';
import { Tensor, tensorsIdentical } from '../../../compiler/ir/tensor.ts';
import { readTensorFile } from '../../../compiler/io/test-data.ts';
import { bindInputs } from '../../../compiler/passes/bind-inputs.ts';
import { contribCases, contribFeeds, type ContribCase } from '../../../test/referee/contrib-cases.ts';
import { MODELS_DIR } from '../../../test/util/models.ts';
import { runCompiled } from '../../run.ts';
import { compileModel } from '../compile.ts';

/** Prefixes every name of case k so that several cases live in one model. */
function merge(cases: readonly ContribCase[]): ModelDesc {
  const desc: ModelDesc = { opsets: cases[0]!.desc.opsets, inputs: [], outputs: [], initializers: [], nodes: [] };
  cases.forEach((c, k) => {
    const p = (n: string) => (n === '' ? '' : `c${k}_${n}`);
    desc.inputs.push(...c.desc.inputs.map((i) => ({ ...i, name: p(i.name) })));
    desc.outputs.push(...c.desc.outputs.map((o) => ({ ...o, name: p(o.name) })));
    desc.initializers!.push(...(c.desc.initializers ?? []).map((i) => ({ ...i, name: p(i.name) })));
    desc.nodes.push(...c.desc.nodes.map((n) => ({ ...n, name: p(n.name ?? 'node'), inputs: n.inputs.map(p), outputs: n.outputs.map(p) })));
  });
  return desc;
}

function feedsOf(cases: readonly ContribCase[], seed: number): Map<string, Tensor> {
  const feeds = new Map<string, Tensor>();
  cases.forEach((c, k) => {
    for (const [n, t] of contribFeeds(c, seed + k)) feeds.set(`c${k}_${n}`, t);
  });
  return feeds;
}

function expectSame(got: Map<string, Tensor>, want: Map<string, Tensor>, what: string): void {
  expect([...got.keys()].sort()).toEqual([...want.keys()].sort());
  for (const [k, t] of want) {
    const g = got.get(k)!;
    expect(g.shape, `${what}: ${k}`).toEqual(t.shape);
    expect(tensorsIdentical(g, t), `${what}: output ${k} differs`).toBe(true);
  }
}

const FAMILIES: [string, RegExp][] = [
  ['qlinear_binary', /^QLinear(Add|Mul) /],
  ['qlinear_lut', /^QLinear(Sigmoid|LeakyRelu) /],
  ['qlinear_pool', /^QLinear(Global)?AveragePool /],
  ['qlinear_concat', /^QLinearConcat /],
  ['qlinear_softmax', /^QLinear(Softmax|ReduceMean) /],
  ['qgemm', /^QGemm /],
];

describe('com.microsoft quantized ops compiled to C equal the interpreter (gcc and clang)', () => {
  const all = contribCases();
  it.each(FAMILIES)('%s', (name, re) => {
    const cases = all.filter((c) => re.test(c.name));
    expect(cases.length).toBeGreaterThan(2);
    const graph = loadOnnxBytes(encodeModel(merge(cases)), { name });
    const model = compileModel(graph, { target: 'c', name });
    for (const seed of [21, 22]) {
      const feeds = feedsOf(cases, seed);
      const want = interpret(graph, feeds);
      for (const cc of ['gcc', 'clang']) expectSame(runCompiled(model, feeds, { cc }), want, `${cc}, seed ${seed}`);
    }
  });

  it.each(['test_qlinearadd_int8', 'test_qlinearmul_uint8'])('onnx2c %s: shipped outputs, with scales and zero points bound', (dir) => {
    const base = join(MODELS_DIR, 'onnx2c', dir);
    const graph = loadOnnxModel(join(base, 'model.onnx'));
    const inputs = graph.inputs.map((v, i) => [v.name, readTensorFile(join(base, 'test_data_set_0', `input_${i}.pb`)).tensor] as const);
    const expected = readTensorFile(join(base, 'test_data_set_0', 'output_0.pb')).tensor;
    // A and B (inputs 0 and 3) stay run-time data; scales and zero points become constants.
    const data = new Map(inputs.filter((_, i) => i === 0 || i === 3));
    bindInputs(graph, new Map(inputs.filter((_, i) => i !== 0 && i !== 3)));
    const want = interpret(graph, data);
    const out = [...want.values()][0]!;
    expect(tensorsIdentical(out, expected.withShape(out.shape)), 'interpreter vs shipped output').toBe(true);
    const model = compileModel(graph, { target: 'c', name: dir });
    for (const cc of ['gcc', 'clang']) expectSame(runCompiled(model, data, { cc }), want, cc);
  });
});
