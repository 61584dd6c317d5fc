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
import type { Tensor } from '../../compiler/ir/tensor.ts';
import { bindRandomConstInputs } from '../../compiler/verify.ts';
import { REAL_MODELS } from '../../test/util/models.ts';
import { compileModel } from '../c/compile.ts';
import '../target.ts';
import { buildBatch, requireArmTools, runBatch, type BatchCase, type BatchRun } from './testing/batch.ts';
import { ARM_I8MM_MARCH } from './target.ts';

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

interface ModelCase {
  label: string;
  graph: Graph;
  inputs: Tensor[];
  expected: Tensor[];
}

const SEEDS = [1, 2];
const cases: ModelCase[] = [];
const runs = new Map<string, BatchRun>();

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
  const batch = (target: string, tag: string): BatchCase[] => cases.map((c, i) => ({ graph: c.graph, inputs: c.inputs, target, name: `${tag}${i}` }));
  const base = buildBatch(join(dir, 'base'), 'armv8-a', batch('arm-neon', 'n'));
  const dot = buildBatch(join(dir, 'dot'), 'armv8.2-a+dotprod', batch('arm-neon-dotprod', 'd'));
  const i8mm = buildBatch(join(dir, 'i8mm'), ARM_I8MM_MARCH, batch('arm-neon-i8mm', 'm'));
  runs.set('arm-neon on cortex-a53', runBatch(base, 'cortex-a53'));
  runs.set('arm-neon on max', runBatch(base, 'max'));
  runs.set('arm-neon-dotprod on max', runBatch(dot, 'max'));
  runs.set('arm-neon-i8mm on max', runBatch(i8mm, 'max'));
}, 240_000);

describe('real models on arm-neon / arm-neon-dotprod / arm-neon-i8mm == interpreter (qemu-aarch64)', () => {
  it('covers every real model', () => {
    const ids = new Set(cases.map((c) => c.label.split(' ')[0]));
    expect(ids.size).toBe(REAL_MODELS.length);
  });

  it.each(['arm-neon on cortex-a53', 'arm-neon on max', 'arm-neon-dotprod on max', 'arm-neon-i8mm on max'])('%s', (what) => {
    const r = runs.get(what)!;
    expect(r.status, r.stderr).toBe(0);
    const bad: string[] = [];
    cases.forEach((c, i) => {
      c.expected.forEach((e, k) => {
        if (Buffer.compare(Buffer.from(e.bytes()), Buffer.from(r.outputs[i]![k]!.bytes())) !== 0) bad.push(`${c.label} output ${k}`);
      });
    });
    expect(bad).toEqual([]);
  });
});
