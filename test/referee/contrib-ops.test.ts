/**
 * Referee for ONNX Runtime's com.microsoft quantized ops: generated single-op models (contrib-cases.ts)
 * run by onnxruntime-web (wasm) and by qcc's importer + interpreter on the same bytes and seeded inputs.
 * Outputs must be identical (float QGemm outputs included: the same float32 operations give the same bits).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadOnnxBytes } from '../../compiler/frontend/onnx/load.ts';
import { encodeModel } from '../../compiler/frontend/onnx/writer.ts';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import { checkIdentical, expectOutputs } from '../util/compare.ts';
import { contribCases, contribFeeds } from './contrib-cases.ts';
import { openReferee, type Referee } from './ort.ts';

const SEEDS = [5, 6];
const sessions: Referee[] = [];
afterAll(async () => {
  for (const s of sessions) await s.release();
});

const cases = contribCases();

describe('referee: com.microsoft quantized ops vs onnxruntime-web', () => {
  it.each(cases.filter((c) => c.refereed).map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const bytes = encodeModel(c.desc);
    const graph = loadOnnxBytes(bytes, { name: 'op' });
    const ort = await openReferee(bytes);
    sessions.push(ort);
    for (const seed of SEEDS) {
      const feeds = contribFeeds(c, seed);
      const ours = interpret(graph, feeds);
      const theirs = await ort.run(feeds);
      try {
        expectOutputs(ours, theirs, (a, e, label) => checkIdentical(a, e, label));
      } catch (e) {
        throw new Error(`seed ${seed}: ${(e as Error).message}`);
      }
    }
  });

  it('QLinearReduceMean has no kernel in onnxruntime-web (qcc follows the spec; see contrib-reduce.ts)', async () => {
    const c = cases.find((k) => k.name.startsWith('QLinearReduceMean'))!;
    await expect(openReferee(encodeModel(c.desc))).rejects.toThrow(/QLinearReduceMean/);
  });
});
