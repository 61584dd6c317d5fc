/**
 * Whole models on the arm targets: every model in test/data/models that compiles for `c` also compiles for
 * arm-neon, arm-neon-dotprod and arm-neon-i8mm, runs under qemu-aarch64 (baseline on cortex-a53 and max, dotprod
 * and i8mm on max)
 * and equals the interpreter byte for byte on seeded random inputs (extremes first, see randomInputs).
 * Each model runs as loaded and, when the pass pipeline is present, after it (QDQ fusion turns QDQ convs
 * into qlinear_conv, which reaches the SIMD kernels). Fails (does not skip) without the cross tools.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOnnxModel } from '../../compiler/frontend/onnx/load.ts';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import { randomInputs } from '../../compiler/io/random-inputs.ts';
import type { Graph } from '../../compiler/ir/graph.ts';
import { bindRandomConstInputs } from '../../compiler/verify.ts';
import { REAL_MODELS } from '../../test/util/models.ts';
import { compileModel } from '../c/compile.ts';
import '../target.ts';
import { ARM_MODEL_RUNS, buildAndRunModels, modelMismatches, requireArmTools, type ExpectedCase } from './testing/batch.ts';

const dir = mkdtempSync(join(tmpdir(), 'qcc-arm-models-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Prepare = (g: Graph, o: { disable: string[] }) => unknown;
/** The pass pipeline (compiler/passes/pipeline.ts) when the tree has it. */
async function loadPipeline(): Promise<Prepare | null> {
  const path = '../../compiler/passes/pipeline.ts';
  try {
    const m = (await import(/* @vite-ignore */ path)) as { prepareGraph?: Prepare };
    return m.prepareGraph ?? null;
  } catch {
    return null;
  }
}

const SEEDS = [1, 2];
const cases: ExpectedCase[] = [];
let runs: ReturnType<typeof buildAndRunModels>['runs'];

beforeAll(async () => {
  requireArmTools();
  const prepare = await loadPipeline();
  for (const m of REAL_MODELS) {
    for (const variant of prepare ? ['as loaded', 'pipeline'] : ['as loaded']) {
      const graph = loadOnnxModel(m.path, m.inputShapes ? { inputShapes: { ...m.inputShapes } } : {});
      bindRandomConstInputs(graph, 1);
      if (variant === 'pipeline') prepare!(graph, { disable: [] });
      try {
        compileModel(graph, { target: 'c', name: 'probe' });
      } catch {
        continue; // only models the generic target compiles
      }
      for (const seed of SEEDS) {
        const feeds = randomInputs(graph, seed);
        const out = interpret(graph, feeds);
        cases.push({
          label: `${m.id} (${variant}, seed ${seed})`, graph,
          inputs: graph.inputs.map((v) => feeds.get(v.name)!), expected: graph.outputs.map((o) => out.get(o.name)!),
        });
      }
    }
  }
  runs = buildAndRunModels(dir, cases).runs;
}, 240_000);

describe('real models on arm-neon / arm-neon-dotprod / arm-neon-i8mm == interpreter (qemu-aarch64)', () => {
  it('covers every real model', () => {
    const ids = new Set(cases.map((c) => c.label.split(' ')[0]));
    expect(ids.size).toBe(REAL_MODELS.length);
  });

  it.each(ARM_MODEL_RUNS)('%s', (what) => {
    const r = runs.get(what)!;
    expect(r.status, r.stderr).toBe(0);
    expect(modelMismatches(cases, r)).toEqual([]);
  });
});
