/**
 * Cortex-M targets: random qlinear conv/matmul nodes (both schemes) built with arm-none-eabi-gcc, run under
 * qemu-system-arm (mps2-an386, semihosting file I/O), byte-identical to the interpreter; the cortex-m4 SMLAD
 * kernels' generic twin (host gcc and clang, -DQCC_NO_DSP path) too; SMLAD emulation vs the instruction.
 * The toolchain is required: these tests fail (E_TOOLCHAIN) rather than skip when it is missing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import { randomInputs } from '../../compiler/io/random-inputs.ts';
import { compareTensors } from '../../compiler/verify.ts';
import { DEFAULT_RUNTIME_DIR as RUNTIME_DIR } from '../c/compile.ts';
import { runCompiled } from '../run.ts';
import { STRICT_CFLAGS } from '../target.ts';
import { CM_CC, CM_CPU_FLAGS, CM_LDFLAGS, CM_PACKAGES_HINT, cortexMRunArgv } from './toolchain.ts';
import { formatVerifyReport, verifyModel } from '../../compiler/verify.ts';
import { compileModel } from '../c/compile.ts';
import { getTarget } from '../target.ts';
import { packPairs } from './ops.ts';
import { qlinearCasesGraph } from './testing/qlinear-cases.ts';

// Compares the ACLE __smlad instruction with the generic twin on edge operands and xorshift-random ones.
const SMLAD_PROBE = `#include <stdio.h>
#include "cortex-m/qcc_qlinear_smlad.h"
#ifndef __ARM_FEATURE_DSP
#error "needs the DSP extension"
#endif
int main(void) {
  static const uint32_t edge[] = {0u, 1u, 0xffffu, 0x8000u, 0x7fffu, 0x80008000u, 0x7fff7fffu, 0xffffffffu, 0x00ff0101u, 0xff01ff01u};
  uint32_t s = 2463534242u;
  int i, bad = 0;
  for (i = 0; i < 20000; i++) {
    uint32_t a, b, c, hw, sw;
    if (i < 1000) { a = edge[i % 10]; b = edge[(i / 10) % 10]; c = edge[(i / 100) % 10] ^ 0x80000000u; }
    else { s ^= s << 13; s ^= s >> 17; s ^= s << 5; a = s; s ^= s << 13; s ^= s >> 17; s ^= s << 5; b = s;
           s ^= s << 13; s ^= s >> 17; s ^= s << 5; c = s; }
    hw = (uint32_t)__smlad((int32_t)a, (int32_t)b, (int32_t)c);
    sw = qcc_smlad_generic(a, b, c);
    if (hw != sw) { if (bad++ < 5) printf("mismatch %08lx %08lx %08lx: %08lx vs %08lx\\n", (unsigned long)a, (unsigned long)b, (unsigned long)c, (unsigned long)hw, (unsigned long)sw); }
  }
  if (bad == 0) printf("smlad ok %d\\n", i);
  return bad != 0;
}
`;

describe('cortex-m targets', () => {
  it('are registered with the fixed scheme', () => {
    expect(getTarget('cortex-m').requant).toBe('fixed');
    expect(getTarget('cortex-m4').requant).toBe('fixed');
  });

  it('cortex-m4 uses the SMLAD kernels and packs int16 pairs low first, odd k padded with 0', () => {
    const m = compileModel(qlinearCasesGraph(5, 'fixed', 6), { target: 'cortex-m4', name: 'q' });
    expect(m.files.has('cortex-m/qcc_qlinear_smlad.h')).toBe(true);
    expect(m.files.get('q.c')).toMatch(/qcc_qlinear_conv_smlad_/);
    expect(Array.from(packPairs(1, 3, (_r, q) => [-1, 255, -255][q]!))).toEqual([0x00ffffff, 0x0000ff01]);
  });

  for (const target of ['cortex-m', 'cortex-m4']) {
    for (const scheme of ['fixed', 'fp32'] as const) {
      it(`${target} (${scheme}) under qemu-system-arm equals the interpreter`, () => {
        const g = qlinearCasesGraph(scheme === 'fixed' ? 21 : 22, scheme, 24);
        const report = verifyModel(g, { target, seeds: [1], name: 'qcm' });
        expect(report.ok, formatVerifyReport(report)).toBe(true);
      });
    }
  }

  it.each(['gcc', 'clang'])('cortex-m4 kernels, generic twin on the host (%s), equal the interpreter', (cc) => {
    const g = qlinearCasesGraph(23, 'fixed', 30);
    // The cortex-m4 kernel table, built for the host: the code path without __ARM_FEATURE_DSP.
    const model = compileModel(g, { target: 'c', name: 'qtwin', emitters: getTarget('cortex-m4').emitters });
    expect(model.files.get('qtwin.c')).toMatch(/qcc_qlinear_conv_smlad_/);
    expect(model.files.get('qtwin.c')).toMatch(/qcc_qlinear_matmul_smlad_/);
    for (const seed of [1, 2]) {
      const inputs = randomInputs(g, seed);
      const want = interpret(g, inputs);
      const got = runCompiled(model, inputs, { cc });
      for (const o of g.outputs) expect(compareTensors(o.name, want.get(o.name)!, got.get(o.name)!, seed).mismatches, o.name).toBe(0);
    }
  });

  it('qcc_smlad_generic equals SMLAD on the Cortex-M4 (qemu) for edge and random operands', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qcc-smlad-'));
    try {
      const src = join(dir, 'smlad.c');
      writeFileSync(src, SMLAD_PROBE);
      const exe = join(dir, 'smlad.elf');
      const b = spawnSync(CM_CC, [...STRICT_CFLAGS, ...CM_CPU_FLAGS, '-I', RUNTIME_DIR, '-o', exe, src, ...CM_LDFLAGS], { encoding: 'utf8' });
      expect(b.error, `${CM_CC}: ${CM_PACKAGES_HINT}`).toBeUndefined();
      expect(b.status, b.stderr).toBe(0);
      const r = spawnSync(cortexMRunArgv(exe, [])[0]!, cortexMRunArgv(exe, []).slice(1), { encoding: 'utf8', timeout: 60_000 });
      expect(r.status, r.stdout + r.stderr).toBe(0);
      expect(r.stdout).toMatch(/smlad ok 20000/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
