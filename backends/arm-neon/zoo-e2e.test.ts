/**
 * Zoo models whose hot layers run on the strided implicit-GEMM conv (ResNet-8: 3x3 and 1x1 stride 2) and on
 * the pixel-row 1x1 conv (MobileNetV2: 1x1 convs on 2x2 planes), compiled for arm-neon (run on cortex-a53 and
 * max), arm-neon-dotprod and arm-neon-i8mm (max), equal to the interpreter byte for byte on seeded random inputs (extremes
 * first). test/zoo/zoo.test.ts runs only the two smallest zoo models on arm. Fails (does not skip) without the
 * cross tools.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadOnnxBytes } from '../../compiler/frontend/onnx/load.ts';
import { encodeModel } from '../../compiler/frontend/onnx/writer.ts';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import { randomInputs } from '../../compiler/io/random-inputs.ts';
import { zooModel } from '../../test/zoo/models.ts';
import '../target.ts';
import { ARM_MODEL_RUNS, buildAndRunModels, modelMismatches, requireArmTools, type Batch, type ExpectedCase } from './testing/batch.ts';

const dir = mkdtempSync(join(tmpdir(), 'qcc-arm-zoo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const MODELS = ['resnet8', 'mobilenetv2'] as const;
const cases: ExpectedCase[] = [];
let built: ReturnType<typeof buildAndRunModels>;

beforeAll(() => {
  requireArmTools();
  for (const name of MODELS) {
    const graph = loadOnnxBytes(encodeModel(zooModel(name, 'qop', 'u8')), { name });
    const feeds = randomInputs(graph, 3);
    const out = interpret(graph, feeds);
    cases.push({ label: name, graph, inputs: graph.inputs.map((v) => feeds.get(v.name)!), expected: graph.outputs.map((o) => out.get(o.name)!) });
  }
  built = buildAndRunModels(dir, cases);
}, 240_000);

describe('ResNet-8 and MobileNetV2 (zoo) on arm-neon / arm-neon-dotprod / arm-neon-i8mm == interpreter (qemu-aarch64)', () => {
  it('plans the strided implicit GEMM (ResNet-8, dotprod) and the pixel-row 1x1 conv (MobileNetV2, both ISAs)', () => {
    const { base, dot, i8mm } = built;
    const src = (b: Batch, tag: string, name: string) => {
      const i = cases.findIndex((c) => c.label === name);
      return b.models[i]!.files.get(`${tag}${i}.c`)!;
    };
    // All nine convs: the seven 3x3 (stride 1 and 2) and the two 1x1 stride 2.
    const resnetDot = src(dot, 'd', 'resnet8');
    expect(resnetDot.match(/qcc_qlinear_conv_implicit_s8_dotprod\(/g)?.length).toBe(9);
    expect(resnetDot).not.toContain('qcc_qlinear_conv_s8_dotprod(');
    // Six 1x1 convs on 2x2 planes.
    expect(src(dot, 'd', 'mobilenetv2').match(/qcc_qlinear_conv_pixrows_s8_dotprod\(/g)?.length).toBe(6);
    expect(src(base, 'n', 'mobilenetv2').match(/qcc_qlinear_conv_pixrows_s8_neon\(/g)?.length).toBe(6);
    expect(src(i8mm, 'm', 'mobilenetv2').match(/qcc_qlinear_conv_pixrows_s8_i8mm\(/g)?.length).toBe(6);
    // i8mm: the W-stride-1 implicit convs on SMMLA, the strided ones on dotprod's kernel.
    const resnetI8mm = src(i8mm, 'm', 'resnet8');
    const s1 = resnetI8mm.match(/qcc_qlinear_conv_implicit_s8_i8mm\(/g)?.length ?? 0;
    const s2 = resnetI8mm.match(/qcc_qlinear_conv_implicit_s8_dotprod\(/g)?.length ?? 0;
    expect(s1).toBeGreaterThan(0);
    expect(s2).toBeGreaterThan(0);
    expect(s1 + s2).toBe(9);
  });

  it.each(ARM_MODEL_RUNS)('%s', (what) => {
    const r = built.runs.get(what)!;
    expect(r.status, r.stderr).toBe(0);
    expect(modelMismatches(cases, r)).toEqual([]);
  });
});
