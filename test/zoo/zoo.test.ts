/**
 * The model zoo end to end: DS-CNN, ResNet-8, dense autoencoder and MobileNetV2-like graphs (test sizes),
 * each in QOperator and QDQ form with uint8 and int8 activations (per-channel int8 weights), loaded and
 * run through the default pass pipeline as the CLI does, then:
 *  - the pipeline leaves no compute node in float, and the QDQ form fuses to the QOperator form's kinds
 *    (int8 QDQ: only the groups ORT-web itself runs in float stay float);
 *  - the quantized tensors are not saturated (the calibration is doing its job);
 *  - interpreter == onnxruntime-web (graph optimizations 'all') on 2 seeded inputs: integers exact, the
 *    float output of the final DequantizeLinear within 1e-5 relative; the two forms give the same output;
 *  - the compiled C (target c, and every other registered target that runs here: x86-avx2 and x86-avx512vnni natively,
 *    arm-neon / arm-neon-dotprod under qemu for the two smallest models) == interpreter byte for byte.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileModel } from '../../backends/c/compile.ts';
import { targetNames } from '../../backends/target.ts';
import { loadOnnxBytes } from '../../compiler/frontend/onnx/load.ts';
import { encodeModel } from '../../compiler/frontend/onnx/writer.ts';
import type { Graph } from '../../compiler/ir/graph.ts';
import type { Tensor } from '../../compiler/ir/tensor.ts';
import { verifyGraph } from '../../compiler/ir/verify.ts';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import { prepareGraph, type PrepareResult } from '../../compiler/passes/pipeline.ts';
import { checkClose, checkIdentical } from '../util/compare.ts';
import { refereeInputs } from '../referee/inputs.ts';
import { openReferee } from '../referee/ort.ts';
import { runHostBatch } from './host-batch.ts';
import { ACTS, FORMS, ZOO_NAMES, zooModel, type Act, type Form, type ZooName } from './models.ts';
import { hostHasAvx2, hostHasAvx512Vnni } from '../util/host-cpu.ts';

const SEEDS = [1, 2];
const TOL = { rtol: 1e-5, atol: 1e-30 };

interface ZooCase {
  id: string;
  model: ZooName;
  form: Form;
  act: Act;
  bytes: Uint8Array;
  graph: Graph;
  prep: PrepareResult;
  /** Per seed: the feeds and the interpreter's outputs. */
  feeds: Map<string, Tensor>[];
  expected: Map<string, Tensor>[];
}

const cases: ZooCase[] = [];
for (const model of ZOO_NAMES) {
  for (const form of FORMS) {
    for (const act of ACTS) {
      const bytes = encodeModel(zooModel(model, form, act));
      const graph = loadOnnxBytes(bytes, { name: `${model}_${form}_${act}` });
      const prep = prepareGraph(graph, { verify: verifyGraph });
      const feeds = SEEDS.map((s) => refereeInputs(graph, s));
      cases.push({ id: `${model} ${form} ${act}`, model, form, act, bytes, graph, prep, feeds, expected: feeds.map((f) => interpret(graph, f)) });
    }
  }
}
const caseOf = (model: ZooName, form: Form, act: Act) => cases.find((c) => c.model === model && c.form === form && c.act === act)!;
/**
 * The integer compute kinds of a graph. Casts and integer adds around a kernel are not counted: ORT-web
 * runs int8 QDQ AveragePool in its uint8 domain, and the fusion reproduces that with a shift on each side.
 */
const kinds = (g: Graph) => g.nodes.map((n) => n.op).filter((k) => /^(qlinear_|qgemm$)/.test(k)).sort();

describe.each(cases.map((c) => [c.id, c] as const))('zoo %s', (_id, c) => {
  it('the pipeline leaves no compute node in float; QDQ fuses to the QOperator kinds', () => {
    expect(kinds(c.graph).length).toBeGreaterThan(0);
    if (c.form === 'qdq' && c.act === 'i8') {
      // ORT-web keeps int8 groups around a Q with several consumers in float (no int8 Conv/MatMul off ARM,
      // QDQS8ToU8Transformer skips such a Q; qdq-fusion.ts), so qcc does too; which nodes: qdq-int8-ort.test.ts.
      expect(c.prep.floatNodes.filter((f) => !/QDQS8ToU8Transformer|QDQIsInt8Allowed/.test(f.reason))).toEqual([]);
      return;
    }
    expect(c.prep.floatNodes).toEqual([]);
    expect(kinds(c.graph)).toEqual(kinds(caseOf(c.model, 'qop', c.act).graph));
  });

  it('quantized activations are not saturated', () => {
    const [qmin, qmax] = c.act === 'u8' ? [0, 255] : [-128, 127];
    const bad: string[] = [];
    interpret(c.graph, c.feeds[0]!, {
      onNode: (name, outs) => {
        for (const { tensor: t } of outs) {
          if (t.dtype !== c.act || t.size < 8) continue;
          const v = t.toNumbers();
          const hi = v.filter((x) => x === qmax).length / v.length;
          const lo = v.filter((x) => x === qmin).length / v.length;
          // ReLU outputs sit at qmin about half the time; the top of the range is reached but rarely.
          if (hi > 0.15 || lo > 0.8 || new Set(v).size < Math.min(8, v.length / 2)) bad.push(`${name}: ${(hi * 100).toFixed(1)}% at ${qmax}, ${(lo * 100).toFixed(1)}% at ${qmin}`);
        }
      },
    });
    expect(bad).toEqual([]);
    const out = c.expected[0]!.get('output')!;
    expect(new Set(out.toNumbers()).size).toBeGreaterThanOrEqual(Math.min(6, out.size));
  });

  it(`interpreter == onnxruntime-web (optimizations 'all') on seeds ${SEEDS.join(', ')}`, async () => {
    const ort = await openReferee(c.bytes, 'all');
    try {
      for (let k = 0; k < SEEDS.length; k++) {
        const theirs = await ort.run(c.feeds[k]!);
        for (const [name, ours] of c.expected[k]!) {
          const msg = checkClose(ours, theirs.get(name)!, TOL, `seed ${SEEDS[k]} output '${name}'`);
          expect(msg).toBeUndefined();
        }
      }
    } finally {
      await ort.release();
    }
  });

  if (c.form === 'qdq') {
    it('computes exactly what the QOperator form computes', () => {
      const q = caseOf(c.model, 'qop', c.act);
      for (let k = 0; k < SEEDS.length; k++) {
        expect(checkIdentical(c.expected[k]!.get('output')!, interpret(q.graph, c.feeds[k]!).get('output')!, `seed ${SEEDS[k]}`)).toBeUndefined();
      }
    });
  }
});

// ---- compiled C --------------------------------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), 'qcc-zoo-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/**
 * [target, C compiler override]: the generic C with the target's gcc and with clang, x86-avx2 when the CPU has
 * it, x86-avx512vnni when the CPU has AVX-512 VNNI.
 */
const HOST_TARGETS: [string, string | undefined][] = [
  ['c', undefined],
  ['c', 'clang'],
  ...(targetNames().includes('x86-avx2') && hostHasAvx2() ? [['x86-avx2', undefined] as [string, undefined]] : []),
  ...(targetNames().includes('x86-avx512vnni') && hostHasAvx512Vnni() ? [['x86-avx512vnni', undefined] as [string, undefined]] : []),
];

function compareCompiled(c: ZooCase, outs: Tensor[][]): string[] {
  const bad: string[] = [];
  outs.forEach((o, k) => {
    c.graph.outputs.forEach((v, i) => {
      const msg = checkIdentical(o[i]!, c.expected[k]!.get(v.name)!, `${c.id} seed ${SEEDS[k]} output '${v.name}'`);
      if (msg) bad.push(msg);
    });
  });
  return bad;
}

describe.each(HOST_TARGETS.map(([t, cc]) => [cc ? `${t} (${cc})` : t, t, cc] as const))('zoo compiled for %s == interpreter byte for byte', (label, target, cc) => {
  let results: Tensor[][][] = [];
  beforeAll(async () => {
    const batch = cases.map((c, i) => ({
      model: compileModel(c.graph, { target, name: `zoo${i}` }),
      runs: c.feeds.map((f) => c.graph.inputs.map((v) => f.get(v.name)!)),
    }));
    results = await runHostBatch(join(work, label.replace(/\W+/g, '_')), target, batch, cc);
  }, 300_000);

  it.each(cases.map((c, i) => [c.id, i] as const))('%s', (_id, i) => {
    expect(compareCompiled(cases[i]!, results[i]!)).toEqual([]);
  });
});

// Under qemu-aarch64 only the two smallest models (the emulator is slow); baseline NEON and dotprod on 'max'.
const ARM_MODELS: readonly ZooName[] = ['autoencoder', 'ds_cnn'];
const armTools = () => ['aarch64-linux-gnu-gcc', 'qemu-aarch64'].every((t) => spawnSync(t, ['--version']).status === 0);
const ARM_TARGETS = targetNames().includes('arm-neon') && armTools() ? (['arm-neon', 'arm-neon-dotprod'] as const) : [];

describe.each(ARM_TARGETS)('zoo compiled for %s (qemu-aarch64 -cpu max) == interpreter byte for byte', (target) => {
  const armCases = cases.filter((c) => ARM_MODELS.includes(c.model));
  /** Per seed, per case, the outputs. */
  const outs: Tensor[][][] = [];
  let status: { status: number | null; stderr: string } = { status: 0, stderr: '' };
  beforeAll(async () => {
    const { buildBatch, runBatch } = await import('../../backends/arm-neon/testing/batch.ts');
    const inputsOf = (k: number) => armCases.map((c) => c.graph.inputs.map((v) => c.feeds[k]!.get(v.name)!));
    // One executable (one cross build), run once per seed on that seed's input file.
    const first = inputsOf(0);
    const b = buildBatch(join(work, target), target === 'arm-neon' ? 'armv8-a' : 'armv8.2-a+dotprod',
      armCases.map((c, i) => ({ graph: c.graph, inputs: first[i]!, target, name: `zoo${i}` })));
    for (let k = 0; k < SEEDS.length; k++) {
      const inputFile = join(work, target, `seed${SEEDS[k]}.bin`);
      writeFileSync(inputFile, Buffer.concat(inputsOf(k).flat().map((t) => Buffer.from(t.bytes()))));
      const r = runBatch({ ...b, inputFile }, 'max');
      if (r.status !== 0) status = { status: r.status, stderr: r.stderr };
      outs.push(r.outputs);
    }
  }, 300_000);

  it.each(armCases.map((c, i) => [c.id, i] as const))('%s', (_id, i) => {
    expect(status.status, status.stderr).toBe(0);
    const c = armCases[i]!;
    expect(compareCompiled(c, SEEDS.map((_, k) => outs[k]![i]!))).toEqual([]);
  });
});
