/**
 * Kernel parity for arm-neon-i8mm (dotprod + I8MM SMMLA): the i8mm corner cases (testing/cases.ts i8mmCases)
 * (GEMM tiles, 1x1 and im2col convs, the SMMLA implicit conv) plus the arm parity cases (fixed corners, some random ones, the NEON binary / pool / quant cases), compiled
 * for arm-neon-i8mm and arm-neon-dotprod into two aarch64 executables and run under qemu-aarch64 -cpu max:
 * both must equal the interpreter byte for byte. The i8mm executable must refuse with the CPU-check error on
 * cortex-a53 (no dotprod) and on cortex-a76 (dotprod, no i8mm) instead of dying on SIGILL. Fails (does not
 * skip) without aarch64-linux-gnu-gcc / qemu.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import { qlinearConvGeometry } from '../../compiler/ops/qlinear.ts';
import type { Tensor } from '../../compiler/ir/tensor.ts';
import '../target.ts';
import { buildBatch, requireArmTools, runBatch, type Batch, type BatchRun } from './testing/batch.ts';
import { i8mmCases, parityCases, type BuiltCase } from './testing/cases.ts';
import { qbinaryCase } from './testing/qbin-case.ts';
import { poolCases } from './testing/pool-cases.ts';
import { quantCase } from './testing/quant-case.ts';
import { ARM_I8MM_MARCH } from './target.ts';
import { I8MM_GEMM, armMatMulPlan } from './ops.ts';

const dir = mkdtempSync(join(tmpdir(), 'qcc-arm-i8mm-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cases: BuiltCase[] = [...i8mmCases(), ...parityCases(24), qbinaryCase(0x0add), ...poolCases(), quantCase(0x9a4)];
const expected: Tensor[][] = cases.map((c) => {
  const feeds = new Map(c.graph.inputs.map((v, i) => [v.name, c.inputs[i]!] as const));
  const out = interpret(c.graph, feeds);
  return c.graph.outputs.map((o) => out.get(o.name)!);
});

let mm: Batch;
let dot: Batch;
const runs = new Map<string, BatchRun>();

beforeAll(() => {
  requireArmTools();
  mm = buildBatch(join(dir, 'i8mm'), ARM_I8MM_MARCH, cases.map((c, i) => ({ graph: c.graph, inputs: c.inputs, target: 'arm-neon-i8mm', name: `m${i}` })));
  dot = buildBatch(join(dir, 'dot'), 'armv8.2-a+dotprod', cases.map((c, i) => ({ graph: c.graph, inputs: c.inputs, target: 'arm-neon-dotprod', name: `d${i}` })));
  runs.set('i8mm:max', runBatch(mm, 'max'));
  runs.set('dot:max', runBatch(dot, 'max'));
  runs.set('i8mm:cortex-a53', runBatch(mm, 'cortex-a53'));
  runs.set('i8mm:cortex-a76', runBatch(mm, 'cortex-a76'));
}, 240_000);

const hex = (t: Tensor) => Buffer.from(t.bytes()).toString('hex');
const src = (b: Batch, tag: string, i: number) => b.models[i]!.files.get(`${tag}${i}.c`)!;

function expectSame(run: BatchRun, i: number, what: string): void {
  expect(run.status, run.stderr).toBe(0);
  expected[i]!.forEach((e, k) => {
    const a = run.outputs[i]![k]!;
    if (hex(a) !== hex(e)) {
      const ev = e.toNumbers();
      const av = a.toNumbers();
      const j = ev.findIndex((v, n) => v !== av[n]);
      expect.fail(`${what}: ${cases[i]!.label}: element ${j} is ${av[j]}, interpreter ${ev[j]}`);
    }
  });
}

/** The kernel calls of a generated model, i8mm's SMMLA drivers (and implicit conv) renamed to dotprod's. */
function kernelCalls(c: string): string[] {
  return [...c.matchAll(/\b(qcc_[a-z0-9_]+)\(/g)].map((m) => m[1]!.replace(/_s8_i8mm$/, '_s8_dotprod')).filter((f) => !f.startsWith('qcc_arm_has'));
}

describe('arm-neon-i8mm kernels == interpreter (qemu-aarch64 -cpu max)', () => {
  it('plans the SMMLA kernels wherever dotprod plans its GEMM tiles, and the dotprod / NEON kernels elsewhere', () => {
    cases.forEach((c, i) => {
      const m = src(mm, 'm', i);
      expect(kernelCalls(m), c.label).toEqual(kernelCalls(src(dot, 'd', i)));
      expect(m, c.label).not.toMatch(/qcc_qlinear_(conv|matmul|conv_pixrows)_s8_dotprod\(/);
      if (c.label.startsWith('i8mm matmul')) expect(m, c.label).toContain('qcc_qlinear_matmul_s8_i8mm(');
      if (c.label.startsWith('i8mm conv')) expect(m, c.label).toContain('qcc_qlinear_conv_s8_i8mm(');
      if (c.label.startsWith('i8mm pixrows')) expect(m, c.label).toContain('qcc_qlinear_conv_pixrows_s8_i8mm(');
      if (c.label.startsWith('i8mm implicit')) expect(m, c.label).toContain('qcc_qlinear_conv_implicit_s8_i8mm(');
      // The implicit GEMM: SMMLA at W stride 1, dotprod's kernel (column phase planes) at W stride 2.
      if (/qcc_qlinear_conv_implicit_s8_dotprod\(/.test(src(dot, 'd', i))) {
        const sw = qlinearConvGeometry(c.graph.nodes[0]!).strides[2];
        expect(m, c.label).toContain(sw === 1 ? 'qcc_qlinear_conv_implicit_s8_i8mm(' : 'qcc_qlinear_conv_implicit_s8_dotprod(');
      }
    });
    const implicit8 = cases.filter((_, i) => src(mm, 'm', i).includes('qcc_qlinear_conv_implicit_s8_i8mm('));
    const implicitDot = cases.filter((_, i) => src(mm, 'm', i).includes('qcc_qlinear_conv_implicit_s8_dotprod('));
    expect(implicit8.length).toBeGreaterThanOrEqual(15);
    expect(implicitDot.length).toBeGreaterThanOrEqual(10);
    const smmla = cases.filter((_, i) => /_s8_i8mm\(/.test(src(mm, 'm', i)));
    expect(smmla.length).toBeGreaterThanOrEqual(40);
    // B in SMMLA panels [k group of 8][8 columns][8 bytes], never interleaved for the GEMV.
    const gemv = cases.find((k) => k.label.startsWith('i8mm matmul 7x17'))!;
    const p = armMatMulPlan(gemv.graph.nodes[0]!, I8MM_GEMM)!;
    expect(p.packed.length).toBe(24 * 64); // 17 k -> 24 (3 groups of 8), 33 columns -> 64 (w1 * nr = 32)
  });

  it.each(cases.map((c, i) => [i, c.label] as const))('case %i: %s', (i) => {
    expectSame(runs.get('i8mm:max')!, i, 'arm-neon-i8mm on -cpu max');
    expectSame(runs.get('dot:max')!, i, 'arm-neon-dotprod on -cpu max');
  });

  it.each(['cortex-a53', 'cortex-a76'])('i8mm code on %s (no i8mm) returns the CPU error (no SIGILL)', (cpu) => {
    const r = runs.get(`i8mm:${cpu}`)!;
    // The driver exits with 10 + the run's return code; <PREFIX>_ERR_CPU is 4.
    expect(r.status, r.stderr).toBe(14);
    expect(r.stderr).toContain('run returned 4');
    const withCheck = mm.models.filter((m) => m.files.has(I8MM_GEMM.header));
    expect(withCheck.length).toBeGreaterThan(0);
    for (const m of withCheck) {
      expect(m.files.get(`${m.name}.c`)).toMatch(new RegExp(`if \\(!\\(qcc_arm_has_i8mm\\(\\)\\)\\) return ${m.name.toUpperCase()}_ERR_CPU;`));
      expect(m.files.get(`${m.name}.h`)).toContain(`#define ${m.name.toUpperCase()}_ERR_CPU 4`);
    }
  });
});
