/**
 * After QDQ fusion (and activation fusion into the qlinear output clamp) the generated C equals the
 * interpreter byte for byte, with gcc and clang, on the generated QDQ graphs.
 */
import { describe, expect, it } from 'vitest';
import { GENERIC_EMITTERS } from '../../backends/c/ops/index.ts';
import { loadOnnxBytes } from '../../compiler/frontend/onnx/load.ts';
import { encodeModel } from '../../compiler/frontend/onnx/writer.ts';
import { prepareGraph } from '../../compiler/passes/pipeline.ts';
import { formatVerifyReport, verifyModel } from '../../compiler/verify.ts';
import { qdqCases } from './qdq-models.ts';

const cases = [...qdqCases('u8'), ...qdqCases('i8')].map((c) => {
  const graph = loadOnnxBytes(encodeModel(c.desc), { name: 'qdq' });
  prepareGraph(graph);
  return { name: c.name, graph };
});
// Kinds whose C emitter is still being written elsewhere are skipped here (they are checked by the referee test).
const runnable = cases.filter((c) => c.graph.nodes.every((n) => GENERIC_EMITTERS.has(n.op)));

describe('C == interpreter after QDQ fusion', () => {
  it('covers the integer conv/matmul/gemm cases, including a fused clamp', () => {
    const ops = new Set(runnable.flatMap((c) => c.graph.nodes.map((n) => n.op)));
    for (const k of ['qlinear_conv', 'qlinear_matmul', 'max_pool', 'reshape', 'transpose']) expect(ops.has(k), k).toBe(true);
    expect(runnable.some((c) => c.graph.nodes.some((n) => n.attrs['clamp'] !== undefined))).toBe(true);
  });
  for (const cc of ['gcc', 'clang']) {
    it.each(runnable.map((c) => [c.name, c] as const))(`${cc}: %s`, (_n, c) => {
      const report = verifyModel(c.graph, { target: 'c', seeds: [1, 2], run: { cc } });
      expect(report.ok, formatVerifyReport(report)).toBe(true);
    });
  }
});
