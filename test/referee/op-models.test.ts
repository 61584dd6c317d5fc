/**
 * Referee, generated single-op models: QLinearConv, QLinearMatMul, MatMulInteger, ConvInteger,
 * QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear over their corners (see op-models.ts).
 * The reference interpreter against onnxruntime-web: integer outputs identical, float outputs within
 * 1e-5 relative.
 */
import { afterAll, describe, it } from 'vitest';
import { loadOnnxBytes } from '../../compiler/frontend/onnx/load.ts';
import { encodeModel } from '../../compiler/frontend/onnx/writer.ts';
import type { Tensor } from '../../compiler/ir/tensor.ts';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import { checkClose, expectOutputs } from '../util/compare.ts';
import { refereeInputs } from './inputs.ts';
import { allOpCases } from './op-models.ts';
import { openReferee, type Referee } from './ort.ts';

const TOL = { rtol: 1e-5, atol: 1e-30 };
const SEEDS = [11, 12];
const sessions: Referee[] = [];
afterAll(async () => {
  for (const s of sessions) await s.release();
});

describe('referee: generated single-op models vs onnxruntime-web', () => {
  it.each(allOpCases().map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const bytes = encodeModel(c.desc);
    const graph = loadOnnxBytes(bytes, { name: 'op' });
    const ort = await openReferee(bytes);
    sessions.push(ort);
    for (const seed of SEEDS) {
      const feeds: Map<string, Tensor> = c.feeds ? c.feeds(seed) : refereeInputs(graph, seed);
      const ours = interpret(graph, feeds);
      const theirs = await ort.run(feeds);
      try {
        expectOutputs(ours, theirs, (a, e, label) => checkClose(a, e, TOL, label));
      } catch (e) {
        throw new Error(`seed ${seed}: ${(e as Error).message}`);
      }
    }
  });
});
