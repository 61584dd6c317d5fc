/**
 * QDQ fusion vs onnxruntime-web with graph optimizations on (its QDQ transformers fuse into integer
 * kernels): after prepareGraph the interpreter must give exactly ORT's outputs, on generated QDQ graphs
 * (per-channel int8 weights, u8 and i8 activations) and on every QDQ model in test/data/models.
 */
import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadOnnxBytes } from '../../compiler/frontend/onnx/load.ts';
import { encodeModel } from '../../compiler/frontend/onnx/writer.ts';
import type { Graph } from '../../compiler/ir/graph.ts';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import { prepareGraph } from '../../compiler/passes/pipeline.ts';
import { verifyGraph as verify } from '../../compiler/ir/verify.ts';
import { refereeInputs } from '../referee/inputs.ts';
import { openReferee, type Referee } from '../referee/ort.ts';
import { REAL_MODELS } from '../util/models.ts';
import { qdqCases } from './qdq-models.ts';

const SEEDS = [1, 2, 3];
const sessions: Referee[] = [];
afterAll(async () => {
  for (const s of sessions) await s.release();
});

/** Bit-exact comparison of every output (float outputs of the last DequantizeLinear included). */
async function expectExact(graph: Graph, bytes: Uint8Array, skip: ReadonlySet<string> = new Set(), level: 'all' | 'disabled' = 'all'): Promise<void> {
  const ort = await openReferee(bytes, level);
  sessions.push(ort);
  for (const seed of SEEDS) {
    const feeds = refereeInputs(graph, seed, new Map());
    const ours = interpret(graph, feeds);
    const theirs = await ort.run(feeds);
    for (const [name, t] of ours) {
      if (skip.has(name)) continue;
      const o = theirs.get(name)!;
      expect(o.dtype, name).toBe(t.dtype);
      const a = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
      const b = new Uint8Array(o.data.buffer, o.data.byteOffset, o.data.byteLength);
      if (Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0) continue;
      const on = o.toNumbers();
      const diff = t.toNumbers().filter((v, i) => !Object.is(v, on[i])).length;
      expect(Math.max(diff, 1), `seed ${seed} output '${name}': elements differing`).toBe(0);
    }
  }
}

describe.each(['u8', 'i8'] as const)('generated QDQ graphs, %s activations', (act) => {
  it.each(qdqCases(act).map((c) => [c.name, c] as const))('%s: fuses as expected and equals onnxruntime-web', async (_n, c) => {
    const bytes = encodeModel(c.desc);
    const graph = loadOnnxBytes(bytes);
    prepareGraph(graph, { verify });
    expect(graph.nodes.map((n) => n.op).sort()).toEqual(c.fused);
    await expectExact(graph, bytes, new Set(), c.float ? 'disabled' : 'all');
  });
});

/** Float outputs of float Conv where ORT's blocked SGEMM sums in another order (see real-models.test.ts). */
const FLOAT_CONV_OUTPUTS: Record<string, string[]> = { 'onnxruntime/qdq_with_multi_consumer_q_dq_axis': ['ReLU114_Output_0'] };

describe('QDQ models in test/data/models', () => {
  const qdq = REAL_MODELS.filter((m) => /qdq|QuantizedMLP/i.test(m.id));
  it.each(qdq.map((m) => [m.id, m] as const))('%s: interpreter after fusion equals onnxruntime-web', async (id, m) => {
    const bytes = new Uint8Array(readFileSync(m.path));
    const graph = loadOnnxBytes(bytes, m.inputShapes ? { inputShapes: { ...m.inputShapes } } : {});
    prepareGraph(graph, { verify });
    await expectExact(graph, bytes, new Set(FLOAT_CONV_OUTPUTS[id] ?? []));
  });
});
