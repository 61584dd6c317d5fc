/**
 * Every real model, and Gather with indices from the input, built with a strict driver (each input,
 * output and the arena an exact-size heap block) by gcc and clang, run on extreme inputs: min, max,
 * NaN/Inf/-0/denormals, zeros, random. The C must return OK and equal the interpreter byte for byte
 * wherever the interpreter accepts the inputs; where it rejects them (an index out of range), the C must
 * still stay inside its buffers. `npm run test:sanitize` runs this under ASan + UBSan (any finding fails);
 * the normal suite runs the same checks on plain builds.
 */
import { describe, expect, it } from 'vitest';
import { compileModel, type CompiledModel } from '../../backends/c/compile.ts';
import { isQccError } from '../../compiler/errors.ts';
import { loadOnnxBytes, loadOnnxModel } from '../../compiler/frontend/onnx/load.ts';
import { encodeModel } from '../../compiler/frontend/onnx/writer.ts';
import type { Graph } from '../../compiler/ir/graph.ts';
import { Tensor } from '../../compiler/ir/tensor.ts';
import { verifyGraph } from '../../compiler/ir/verify.ts';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import { prepareGraph } from '../../compiler/passes/pipeline.ts';
import { bindRandomConstInputs } from '../../compiler/verify.ts';
import { checkIdentical } from '../util/compare.ts';
import { REAL_MODELS } from '../util/models.ts';
import { extremeInputSets, type InputSet } from './extreme-inputs.ts';
import { SANITIZING, buildStrict } from './sanitize-harness.ts';

// The normal suite already builds these models with both compilers elsewhere; sanitized runs use both.
const COMPILERS = SANITIZING ? ['gcc', 'clang'] : ['gcc'];

/** Builds with each compiler and runs every input set; returns the problems found (empty: all good). */
function check(graph: Graph, model: CompiledModel, sets: readonly InputSet[]): string[] {
  const problems: string[] = [];
  const expected = sets.map((s) => {
    try {
      return interpret(graph, s.inputs);
    } catch (e) {
      if (isQccError(e)) return null; // invalid input for the model: the C only has to stay in bounds
      throw e;
    }
  });
  for (const cc of COMPILERS) {
    const b = buildStrict(model, cc);
    try {
      sets.forEach((s, k) => {
        const r = b.run(model.inputs.map((io) => s.inputs.get(io.name)!));
        if (!r.ok) {
          problems.push(`${cc} ${s.label}: exit ${r.status}\n${r.stderr.slice(0, 3000)}`);
          return;
        }
        const want = expected[k];
        if (!want) return;
        model.outputs.forEach((io, i) => {
          const bad = checkIdentical(r.outputs[i]!, want.get(io.name)!, io.name);
          if (bad) problems.push(`${cc} ${s.label}: ${bad}`);
        });
      });
    } finally {
      b.dispose();
    }
  }
  return problems;
}

describe(`generated C stays in bounds on extreme inputs${SANITIZING ? ' (ASan + UBSan)' : ''}`, () => {
  // Sanitized: every real model. The normal suite (plain builds; the models' normal e2e tests live in
  // test/quant) takes one model per source project to keep the extreme-input check cheap.
  const models = SANITIZING ? REAL_MODELS : REAL_MODELS.filter((m, i) => REAL_MODELS.findIndex((x) => x.source === m.source) === i);
  for (const m of models) {
    it(m.id, () => {
      const graph = loadOnnxModel(m.path, m.inputShapes ? { inputShapes: { ...m.inputShapes } } : {});
      bindRandomConstInputs(graph, 7);
      prepareGraph(graph, { verify: verifyGraph });
      const model = compileModel(graph, { target: 'c', name: 'strict_m' });
      expect(check(graph, model, extremeInputSets(graph)).join('\n\n')).toBe('');
    });
  }

  for (const idx of ['i64', 'i32'] as const) {
    it(`gather with ${idx} indices out of range (both signs, type extremes) reads nothing outside its data`, () => {
      const bytes = encodeModel({
        opsets: [{ domain: '', version: 13 }],
        inputs: [{ name: 'idx', dtype: idx, shape: [8] }],
        outputs: [
          { name: 'rows', dtype: 'f32', shape: [8, 3] },
          { name: 'cols', dtype: 'f32', shape: [5, 8] },
        ],
        initializers: [{ name: 'data', tensor: Tensor.fromNumbers('f32', [5, 3], Array.from({ length: 15 }, (_, i) => i + 0.5)) }],
        nodes: [
          { op: 'Gather', inputs: ['data', 'idx'], outputs: ['rows'], attrs: { axis: { i: 0 } } },
          { op: 'Gather', inputs: ['data', 'idx'], outputs: ['cols'], attrs: { axis: { i: 1 } } },
        ],
      });
      const graph = loadOnnxBytes(bytes);
      const model = compileModel(graph, { target: 'c', name: 'gather_oob' });
      const big = idx === 'i64';
      const t = (xs: (number | bigint)[]) =>
        big ? new Tensor('i64', [8], BigInt64Array.from(xs.map((x) => BigInt(x)))) : new Tensor('i32', [8], Int32Array.from(xs.map(Number)));
      const min = big ? -(2n ** 63n) : -(2 ** 31);
      const max = big ? 2n ** 63n - 1n : 2 ** 31 - 1;
      const sets: InputSet[] = [
        { label: 'in range', inputs: new Map([['idx', t([0, 1, 2, -1, -2, -3, 2, 0])]]) },
        { label: 'just outside', inputs: new Map([['idx', t([3, 5, -4, -6, 6, -5, 4, -3])]]) },
        { label: 'type extremes', inputs: new Map([['idx', t([min, max, max, min, 0, min, max, -1])]]) },
        ...extremeInputSets(graph, [3]),
      ];
      expect(check(graph, model, sets).join('\n\n')).toBe('');
    });
  }
});
