/**
 * Builds and runs the firmware example (examples/firmware/cortex-m/) around a compiled model: used by its
 * end-to-end test and by scripts/cortex-m-bench.ts. The model must be compiled with name `model` and have
 * one input and one output (what main.c drives).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { QccError } from '../../compiler/errors.ts';
import { Tensor } from '../../compiler/ir/tensor.ts';
import type { CompiledModel } from '../c/compile.ts';
import { writeOutputFolder } from '../output.ts';
import { CM_BOARD_DIR, CM_PACKAGES_HINT, cortexMRunArgv } from './toolchain.ts';

const EXAMPLE_FILES = ['main.c', 'startup.c', 'mps2-an386.ld', 'Makefile'];

function run(argv: readonly string[], cwd: string, timeoutMs: number): { stdout: string; stderr: string } {
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    throw new QccError('E_TOOLCHAIN', `'${argv[0]}' ${code === 'ENOENT' ? 'is not installed' : `failed: ${r.error.message}`}`, { hint: CM_PACKAGES_HINT });
  }
  if (r.status !== 0) throw new QccError('E_TOOLCHAIN', `'${argv.join(' ')}' exited with ${r.status ?? r.signal}\n${r.stdout}\n${r.stderr}`);
  return { stdout: r.stdout, stderr: r.stderr };
}

/** The example's input bytes (main.c `fill`): low bytes of xorshift32 seeded with 0x2545F491 + index. */
export function firmwareInput(dtype: Tensor['dtype'], shape: readonly number[], index = 0): Tensor {
  const t = new Tensor(dtype, shape);
  const b = t.bytes();
  let s = (0x2545f491 + index) >>> 0;
  for (let i = 0; i < b.length; i++) {
    s = (s ^ (s << 13)) >>> 0;
    s = (s ^ (s >>> 17)) >>> 0;
    s = (s ^ (s << 5)) >>> 0;
    b[i] = s & 0xff;
  }
  return t;
}

/** Writes the model and the example into `dir`, runs `make`; returns the ELF path. */
export function buildFirmware(model: CompiledModel, dir: string, runs = 1): string {
  if (model.name !== 'model' || model.inputs.length !== 1 || model.outputs.length !== 1) {
    throw new Error('internal: the firmware example needs a model named `model` with one input and one output');
  }
  mkdirSync(dir, { recursive: true });
  writeOutputFolder(join(dir, 'model'), model.files);
  for (const f of EXAMPLE_FILES) copyFileSync(join(CM_BOARD_DIR, f), join(dir, f));
  run(['make', '-s', 'MODEL_DIR=model', `RUNS=${runs}`, 'app.elf'], dir, 180_000);
  return join(dir, 'app.elf');
}

/** Runs the ELF under qemu-system-arm; returns the printed output bytes. `plugin` adds a TCG plugin. */
export function runFirmware(elf: string, timeoutMs = 60_000, plugin?: string): { bytes: Uint8Array; stdout: string; stderr: string } {
  const extra = plugin ? ['-d', 'plugin', '-plugin', plugin] : [];
  const argv = cortexMRunArgv(elf, [], extra);
  const { stdout, stderr } = run(argv, join(elf, '..'), timeoutMs);
  const m = /output0 (\d+) bytes:\n([0-9a-f \n]*)\nend\n/.exec(stdout);
  if (!m) throw new QccError('E_TOOLCHAIN', `firmware printed no outputs:\n${stdout}\n${stderr}`);
  const hex = m[2]!.trim().split(/\s+/).filter((h) => h.length > 0);
  const bytes = Uint8Array.from(hex, (h) => parseInt(h, 16));
  if (bytes.length !== Number(m[1])) throw new QccError('E_TOOLCHAIN', `firmware printed ${bytes.length} of ${m[1]} bytes`);
  return { bytes, stdout, stderr };
}

export interface ElfSize {
  text: number;
  data: number;
  bss: number;
}

/** arm-none-eabi-size (Berkeley format) of an ELF: flash = text + data, RAM = data + bss. */
export function elfSize(elf: string): ElfSize {
  const { stdout } = run(['arm-none-eabi-size', elf], join(elf, '..'), 30_000);
  const line = stdout.trim().split('\n')[1]!.trim().split(/\s+/).map(Number);
  return { text: line[0]!, data: line[1]!, bss: line[2]! };
}
