/**
 * The sanitized job must be able to fail: a deliberately broken kernel (reads one element past its
 * input) is caught by AddressSanitizer both in the strict driver and through runCompiled (QCC_SANITIZE=1
 * in backends/run.ts). Runs only under `npm run test:sanitize`.
 */
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../backends/c/compile.ts';
import type { CEmitter } from '../../backends/c/emitter.ts';
import { runCompiled } from '../../backends/run.ts';
import { getTarget } from '../../backends/target.ts';
import { loadOnnxBytes } from '../../compiler/frontend/onnx/load.ts';
import { encodeModel } from '../../compiler/frontend/onnx/writer.ts';
import { shapeSize } from '../../compiler/ir/tensor.ts';
import { randomInputs } from '../../compiler/io/random-inputs.ts';
import { SANITIZING, buildStrict } from './sanitize-harness.ts';

const overread: CEmitter = {
  kind: 'relu',
  runtime: () => [],
  emit(n, ctx) {
    const x = ctx.ref(n.inputs[0]!);
    const y = ctx.ref(n.outputs[0]!);
    const count = shapeSize(n.inputs[0]!.type.shape);
    // Bug on purpose: i <= count.
    return `{ size_t qcc_i; for (qcc_i = 0; qcc_i <= ${count}u; qcc_i++) { volatile float qcc_v = ${x}[qcc_i]; if (qcc_i < ${count}u) ${y}[qcc_i] = qcc_v > 0.0f ? qcc_v : 0.0f; } }`;
  },
};

describe.skipIf(!SANITIZING)('sanitizer canary', () => {
  const graph = loadOnnxBytes(
    encodeModel({
      opsets: [{ domain: '', version: 13 }],
      inputs: [{ name: 'x', dtype: 'f32', shape: [7] }],
      outputs: [{ name: 'y', dtype: 'f32', shape: [7] }],
      nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }],
    }),
  );
  const emitters = new Map(getTarget('c').emitters);
  emitters.set('relu', overread);
  const model = compileModel(graph, { target: 'c', name: 'canary', emitters });
  const inputs = randomInputs(graph, 1);

  for (const cc of ['gcc', 'clang']) {
    it(`strict driver (${cc}): ASan reports the overread`, () => {
      const b = buildStrict(model, cc);
      try {
        const r = b.run([inputs.get('x')!]);
        expect(r.ok).toBe(false);
        expect(r.ok ? '' : r.stderr).toMatch(/AddressSanitizer: heap-buffer-overflow/);
      } finally {
        b.dispose();
      }
    });
  }

  it('runCompiled under QCC_SANITIZE=1: the run fails with the ASan report', () => {
    expect(() => runCompiled(model, inputs)).toThrow(/AddressSanitizer/);
  });
});
