/**
 * Kernel parity for the arm targets: every case is compiled for the generic `c` target (the twin), for
 * arm-neon and for arm-neon-dotprod, cross-compiled into two aarch64 executables (baseline and +dotprod)
 * and run under qemu-user: baseline on -cpu cortex-a53 (no dotprod) and -cpu max, dotprod on -cpu max.
 * All must equal the interpreter byte for byte. The dotprod executable on cortex-a53 must refuse with the
 * CPU-check error instead of dying on SIGILL. Fails (does not skip) without aarch64-linux-gnu-gcc / qemu.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import type { Tensor } from '../../compiler/ir/tensor.ts';
import '../target.ts';
import { buildBatch, requireArmTools, runBatch, type Batch, type BatchRun } from './testing/batch.ts';
import { parityCases, type BuiltCase } from './testing/cases.ts';
import { qbinaryCase } from './testing/qbin-case.ts';
import { poolCases } from './testing/pool-cases.ts';
import { QUANT_CASE_LABEL, quantCase } from './testing/quant-case.ts';
import { DOTPROD_GEMM, armMatMulPlan } from './ops.ts';

const dir = mkdtempSync(join(tmpdir(), 'qcc-arm-parity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cases: BuiltCase[] = [...parityCases(90), qbinaryCase(0x0add), ...poolCases(), quantCase(0x9a4)];
const expected: Tensor[][] = cases.map((c) => {
  const feeds = new Map(c.graph.inputs.map((v, i) => [v.name, c.inputs[i]!] as const));
  const out = interpret(c.graph, feeds);
  return c.graph.outputs.map((o) => out.get(o.name)!);
});

let base: Batch;
let dot: Batch;
const runs = new Map<string, BatchRun>();

beforeAll(() => {
  requireArmTools();
  base = buildBatch(join(dir, 'base'), 'armv8-a', cases.flatMap((c, i) => [
    { graph: c.graph, inputs: c.inputs, target: 'c', name: `g${i}` },
    { graph: c.graph, inputs: c.inputs, target: 'arm-neon', name: `n${i}` },
  ]));
  dot = buildBatch(join(dir, 'dot'), 'armv8.2-a+dotprod', cases.map((c, i) => ({ graph: c.graph, inputs: c.inputs, target: 'arm-neon-dotprod', name: `d${i}` })));
  runs.set('base:cortex-a53', runBatch(base, 'cortex-a53'));
  runs.set('base:max', runBatch(base, 'max'));
  runs.set('dot:max', runBatch(dot, 'max'));
  runs.set('dot:cortex-a53', runBatch(dot, 'cortex-a53'));
}, 240_000);

const hex = (t: Tensor) => Buffer.from(t.bytes()).toString('hex');

function expectSame(run: BatchRun, modelIndex: number, caseIndex: number, what: string): void {
  expect(run.status, run.stderr).toBe(0);
  const got = run.outputs[modelIndex]!;
  expected[caseIndex]!.forEach((e, k) => {
    const a = got[k]!;
    if (hex(a) !== hex(e)) {
      const ev = e.toNumbers();
      const av = a.toNumbers();
      const i = ev.findIndex((v, j) => v !== av[j]);
      expect.fail(`${what}: ${cases[caseIndex]!.label}: element ${i} is ${av[i]}, interpreter ${ev[i]}`);
    }
  });
}

describe('arm kernels == generic twin == interpreter (qemu-aarch64)', () => {
  it('uses the SIMD kernels (not the generic fallback) for every case', () => {
    cases.forEach((c, i) => {
      const n = base.models[2 * i + 1]!.files.get(`n${i}.c`)!;
      const d = dot.models[i]!.files.get(`d${i}.c`)!;
      const op = c.graph.nodes[0]!.op;
      const want = op === 'qlinear_matmul' ? /qcc_qlinear_matmul_s8_/
        : op === 'qlinear_add' || op === 'qlinear_mul' ? /qcc_qlinear_(add|mul)_(u8|i8)_neon\(/
        : op === 'max_pool' ? /qcc_max_pool_(u8|i8)_neon\(/
        : op === 'quantize_linear' ? /qcc_quantize_linear_f32_(u8|i8)_neon\(/
        : op === 'qlinear_global_average_pool' || op === 'qlinear_average_pool' ? /qcc_qlinear_global_average_pool_(u8|i8)_neon\(/ : /qcc_qlinear_(dw)?conv3?_(implicit_|first_|cl_|pixrows_)?s8_/;
      expect(n, c.label).toMatch(want);
      expect(d, c.label).toMatch(want);
    });
  });

  it('runs every QLinearAdd / QLinearMul variant on the NEON kernel, some in place', () => {
    const i = cases.findIndex((c) => c.label.startsWith('qlinear add/mul'));
    const src = base.models[2 * i + 1]!.files.get(`n${i}.c`)!;
    for (const f of ['add_u8', 'add_i8', 'mul_u8', 'mul_i8']) expect(src).toContain(`qcc_qlinear_${f}_neon(`);
    expect(src).not.toMatch(/qcc_qlinear_(add|mul)_(u8|i8)\(/);
  });

  it('runs every QuantizeLinear / DequantizeLinear of the quant case on the NEON kernels', () => {
    const i = cases.findIndex((c) => c.label === QUANT_CASE_LABEL);
    for (const src of [base.models[2 * i + 1]!.files.get(`n${i}.c`)!, dot.models[i]!.files.get(`d${i}.c`)!]) {
      for (const f of ['quantize_linear_f32_u8', 'quantize_linear_f32_i8', 'dequantize_linear_u8_f32', 'dequantize_linear_i8_f32']) expect(src).toContain(`qcc_${f}_neon(`);
      expect(src).not.toMatch(/qcc_(de)?quantize_linear_[a-z0-9]+_[a-z0-9]+\(/);
    }
  });

  it('runs the W-stride-2 im2col cases on the GEMM conv driver on arm-neon, the implicit GEMM on dotprod', () => {
    const s2 = cases.map((c, i) => [c, i] as const).filter(([c]) => c.label.startsWith('im2col '));
    expect(s2.length).toBe(6);
    // Under half of the implicit kernel's lanes busy: im2col on dotprod too (implicitLaneUse).
    const lowUse = ['im2col s2 2x2 7 -> 6, 6x19 (runs 9)', 'im2col s2 10x4 p(5,1,4,2) 1 -> 12, 49x10 (DS-CNN first layer: implicit lane use 0.16)'];
    for (const [c, i] of s2) {
      expect(base.models[2 * i + 1]!.files.get(`n${i}.c`)!, c.label).toContain('qcc_qlinear_conv_s8_neon(');
      expect(dot.models[i]!.files.get(`d${i}.c`)!, c.label).toContain(lowUse.includes(c.label) ? 'qcc_qlinear_conv_s8_dotprod(' : 'qcc_qlinear_conv_implicit_s8_dotprod(');
    }
    // Dilation and W stride 3 stay on the im2col driver on dotprod too.
    for (const label of ['dilation 2, stride 2, asymmetric pads', 'stride 3 width (scalar im2col path)', ...lowUse]) {
      const i = cases.findIndex((c) => c.label === label);
      expect(dot.models[i]!.files.get(`d${i}.c`)!, label).toContain('qcc_qlinear_conv_s8_dotprod(');
    }
  });

  it('exercises the dotprod implicit-GEMM conv and the interleaved GEMV on labelled cases', () => {
    const dotC = (label: string) => dot.models[cases.findIndex((c) => c.label === label)]!.files.get(`d${cases.findIndex((c) => c.label === label)}.c`)!;
    const implicit = cases.filter((k) => k.label.startsWith('implicit '));
    expect(implicit.filter((k) => k.label.startsWith('implicit s') && !k.label.startsWith('implicit s1')).length).toBe(12);
    for (const c of implicit) expect(dotC(c.label), c.label).toMatch(/qcc_qlinear_conv_implicit_s8_dotprod/);
    expect(dotC('pointwise 1x1 19 -> 13, 9x7')).toMatch(/qcc_qlinear_conv_s8_dotprod/);
    // B interleaved for the GEMV tile (M < 8) vs panels (M >= 8): the packed arrays differ in layout only.
    const gemv = cases.find((k) => k.label.startsWith('gemv 3x77'))!;
    const node = gemv.graph.nodes[0]!;
    const il = armMatMulPlan(node, DOTPROD_GEMM)!.packed;
    const panels = armMatMulPlan(node, { ...DOTPROD_GEMM, gemvInterleaved: false })!.packed;
    expect(il).not.toEqual(panels);
    expect([...il].sort()).toEqual([...panels].sort());
  });

  it('runs each depthwise case on the kernel its label names, on both ISAs', () => {
    const dws = cases.map((c, i) => [c, i] as const).filter(([c]) => c.label.startsWith('dw '));
    expect(dws.length).toBe(26);
    for (const [c, i] of dws) {
      const n = base.models[2 * i + 1]!.files.get(`n${i}.c`)!;
      const d = dot.models[i]!.files.get(`d${i}.c`)!;
      if (c.label.startsWith('dw sdot ')) {
        expect(d, c.label).toContain('qcc_qlinear_dwconv3_s8_dotprod(');
        expect(n, c.label).toMatch(/qcc_qlinear_dwconv_(cl_)?s8_neon\(/);
        continue;
      }
      const want = c.label.startsWith('dw channels ') ? 'qcc_qlinear_dwconv_cl_s8_neon(' : 'qcc_qlinear_dwconv_s8_neon(';
      expect(n, c.label).toContain(want);
      expect(d, c.label).toContain(want);
    }
  });

  it('runs 1x1 convs on planes under 8 pixels with the pixels as MatMul rows on both ISAs', () => {
    const pix = cases.map((c, i) => [c, i] as const).filter(([c]) => c.label.startsWith('pixrows '));
    expect(pix.length).toBe(9);
    for (const [c, i] of pix) {
      expect(base.models[2 * i + 1]!.files.get(`n${i}.c`)!, c.label).toContain('qcc_qlinear_conv_pixrows_s8_neon(');
      expect(dot.models[i]!.files.get(`d${i}.c`)!, c.label).toContain('qcc_qlinear_conv_pixrows_s8_dotprod(');
    }
    // 8 pixels and more keep the im2col GEMM.
    const i = cases.findIndex((c) => c.label === 'pointwise 1x1 19 -> 13, 9x7');
    expect(base.models[2 * i + 1]!.files.get(`n${i}.c`)!).toContain('qcc_qlinear_conv_s8_neon(');
  });

  it('runs first layers (1-3 channels, 3x3, W stride 2) on the direct kernel on both ISAs', () => {
    const first = cases.map((c, i) => [c, i] as const).filter(([c]) => c.label.startsWith('first layer direct') || c.label === 'first layer 3 -> 16, 3x3 s2 p1, 23x23');
    expect(first.length).toBe(8);
    for (const [c, i] of first) {
      expect(base.models[2 * i + 1]!.files.get(`n${i}.c`)!, c.label).toContain('qcc_qlinear_conv_first_s8_neon(');
      expect(dot.models[i]!.files.get(`d${i}.c`)!, c.label).toContain('qcc_qlinear_conv_first_s8_neon(');
    }
  });

  it.each(cases.map((c, i) => [i, c.label] as const))('case %i: %s', (i) => {
    expectSame(runs.get('base:cortex-a53')!, 2 * i, i, 'generic c on cortex-a53');
    expectSame(runs.get('base:cortex-a53')!, 2 * i + 1, i, 'arm-neon on cortex-a53');
    expectSame(runs.get('base:max')!, 2 * i + 1, i, 'arm-neon on -cpu max');
    expectSame(runs.get('dot:max')!, i, i, 'arm-neon-dotprod on -cpu max');
  });

  it('dotprod code on a CPU without dotprod returns the CPU error (no SIGILL)', () => {
    const r = runs.get('dot:cortex-a53')!;
    // The driver exits with 10 + the run's return code; <PREFIX>_ERR_CPU is 4.
    expect(r.status).toBe(14);
    expect(r.stderr).toContain('run returned 4');
    const withCheck = dot.models.filter((m) => m.files.has('arm-neon/qcc_qgemm_dotprod.h'));
    expect(withCheck.length).toBeGreaterThan(0);
    for (const m of withCheck) expect(m.files.get(`${m.name}.h`)).toContain(`#define ${m.name.toUpperCase()}_ERR_CPU 4`);
    // Depthwise-only models use no dotprod instruction and need no check.
    const without = dot.models.find((m) => !m.files.has('arm-neon/qcc_qgemm_dotprod.h'));
    if (without) expect(without.files.get(`${without.name}.h`)).not.toContain('_ERR_CPU');
  });
});
