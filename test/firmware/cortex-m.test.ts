/**
 * The firmware example end to end: a CNN with a residual add (QLinearConv + QLinearAdd) compiled for
 * cortex-m and cortex-m4 (fixed requantization), built with the example's Makefile (startup, linker script,
 * rdimon semihosting), run on qemu-system-arm -M mps2-an386; the printed outputs equal the interpreter's
 * (same scheme) byte for byte. Fails, never skips, without arm-none-eabi-gcc / newlib / qemu-system-arm.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileModel } from '../../backends/c/compile.ts';
import { buildFirmware, elfSize, firmwareInput, runFirmware } from '../../backends/cortex-m/firmware.ts';
import { residualCnn } from '../../backends/cortex-m/testing/residual-cnn.ts';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import { applyRequantScheme } from '../../compiler/passes/select-requant.ts';

describe('Cortex-M firmware example under qemu-system-arm', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qcc-fw-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  for (const target of ['cortex-m', 'cortex-m4']) {
    it(`${target}: residual CNN outputs equal the interpreter byte for byte`, () => {
      const g = residualCnn();
      expect(g.nodes.map((n) => n.op)).toContain('qlinear_add');
      applyRequantScheme(g, 'fixed');
      const model = compileModel(g, { target, name: 'model' });
      const elf = buildFirmware(model, join(dir, target));
      const input = firmwareInput('u8', [1, 3, 16, 16]);
      const want = interpret(g, new Map([['image', input]])).get(g.outputs[0]!.name)!;
      const got = runFirmware(elf);
      expect(Buffer.from(got.bytes).toString('hex')).toBe(Buffer.from(want.bytes()).toString('hex'));
      // The weights live in flash: text holds at least the packed/plain weight bytes; the arena is in RAM.
      const size = elfSize(elf);
      expect(size.text).toBeGreaterThan(3 * 8 * 9 + 8 * 8 * 9 + 8 * 9 + 8 * 4 + 4 * 10 * 64);
      expect(size.bss).toBeGreaterThanOrEqual(model.arenaBytes);
    });
  }
});
