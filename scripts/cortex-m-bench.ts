/**
 * Cortex-M numbers for BENCHMARKS.md: the firmware example with the residual CNN (backends/cortex-m/testing/
 * residual-cnn.ts), per target and scheme: code size (arm-none-eabi-size), flash and RAM, the arena, and
 * instructions per inference under qemu-system-arm with tools/qemu-insncount (built here with the host gcc;
 * per inference = count with 2 runs - count with 1 run, so startup and printing cancel out).
 *   node bin/qcc-dev.js scripts/cortex-m-bench.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compileModel } from '../backends/c/compile.ts';
import { buildFirmware, elfSize, runFirmware } from '../backends/cortex-m/firmware.ts';
import { residualCnn } from '../backends/cortex-m/testing/residual-cnn.ts';
import { getOpDef } from '../compiler/ops/registry.ts';
import { applyRequantScheme } from '../compiler/passes/select-requant.ts';

const dir = mkdtempSync(join(tmpdir(), 'qcc-cm-bench-'));
try {
  const plugin = join(dir, 'libinsncount.so');
  const b = spawnSync('gcc', ['-O2', '-shared', '-fPIC', '-o', plugin, resolve('tools/qemu-insncount/insncount.c')], { encoding: 'utf8' });
  const havePlugin = b.status === 0;
  if (!havePlugin) console.error(`insncount plugin not built (instruction counts skipped): ${b.stderr}`);
  const count = (elf: string): number => {
    const { stderr, stdout } = runFirmware(elf, 300_000, `${plugin},top=12`);
    const m = /total executed guest instructions = (\d+)/.exec(stderr + stdout);
    if (!m) throw new Error(`no insncount total in:\n${stderr}`);
    return Number(m[1]);
  };
  const g0 = residualCnn();
  const macs = g0.nodes.reduce((s, n) => s + (getOpDef(n.op).macs?.(n) ?? 0), 0);
  console.log(`model: residual CNN, ${g0.nodes.length} nodes (${g0.nodes.map((n) => n.op).join(', ')}), ${macs} MACs`);
  console.log('| target | requant | text (flash code+weights) | data | bss (RAM) | flash = text+data | RAM = data+bss | arena | instructions / inference | instr / MAC |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const [target, scheme] of [['cortex-m', 'fixed'], ['cortex-m4', 'fixed'], ['cortex-m', 'fp32'], ['cortex-m4', 'fp32']] as const) {
    const g = residualCnn();
    applyRequantScheme(g, scheme);
    const model = compileModel(g, { target, name: 'model' });
    const elf1 = buildFirmware(model, join(dir, `${target}-${scheme}-1`), 1);
    const sz = elfSize(elf1);
    let per = 'n/a';
    let perMac = 'n/a';
    if (havePlugin) {
      const elf2 = buildFirmware(model, join(dir, `${target}-${scheme}-2`), 2);
      const n = count(elf2) - count(elf1);
      per = String(n);
      perMac = (n / macs).toFixed(2);
    }
    console.log(`| ${target} | ${scheme} | ${sz.text} | ${sz.data} | ${sz.bss} | ${sz.text + sz.data} | ${sz.data + sz.bss} | ${model.arenaBytes} | ${per} | ${perMac} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
