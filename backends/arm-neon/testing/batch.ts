/**
 * Test support for the arm targets: many compiled models in one aarch64 executable, so a test pays for one
 * cross-compilation and one qemu start instead of one per case (qemu-user is slow to start and to run).
 *
 * Every model is compiled with compileModel under its own prefix; their .c files are #included into one
 * translation unit (runtime kernels are static inline behind include guards, symbols carry the prefix),
 * and a driver runs them in order on one concatenated input file and writes one concatenated output file.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileModel, type CompiledModel } from '../../c/compile.ts';
import { DTYPES } from '../../../compiler/ir/dtype.ts';
import type { Graph } from '../../../compiler/ir/graph.ts';
import { Tensor, shapeSize } from '../../../compiler/ir/tensor.ts';
import { STRICT_CFLAGS } from '../../target.ts';
import { ARM_CC, ARM_I8MM_MARCH, ARM_QEMU } from '../target.ts';
import { renderBatchMain } from '../../../test/util/batch-main.ts';

/** Throws (so the calling test fails, never skips) when the cross compiler or qemu is missing. */
export function requireArmTools(): void {
  for (const tool of [ARM_CC, ARM_QEMU]) {
    const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
    if (r.error || r.status !== 0) {
      throw new Error(`'${tool}' is required for the arm-neon tests: apt-get install gcc-aarch64-linux-gnu qemu-user`);
    }
  }
}

export interface BatchCase {
  graph: Graph;
  /** One tensor per graph input, in graph.inputs order. */
  inputs: Tensor[];
  /** Target to compile this case for, and its unique symbol prefix. */
  target: string;
  name: string;
}

export interface Batch {
  models: CompiledModel[];
  exe: string;
  inputFile: string;
}

/** Bytes of 0xA5 after every output buffer, checked after the runs (a kernel writing past its output fails). */
export const OUTPUT_GUARD_BYTES = 64;

/** Compiles every case (each for its target, under its prefix) into one executable built with `march`. */
export function buildBatch(dir: string, march: string, cases: readonly BatchCase[]): Batch {
  mkdirSync(dir, { recursive: true });
  const models = cases.map((c) => compileModel(c.graph, { target: c.target, name: c.name }));
  const includes: string[] = [];
  for (const m of models) {
    for (const [f, text] of m.files) {
      if (f.endsWith('_main.c') || f === 'Makefile') continue;
      const p = join(dir, f);
      mkdirSync(join(p, '..'), { recursive: true });
      writeFileSync(p, text);
    }
    includes.push(`#include "${m.name}.c"`);
  }
  const outBytesOf = (m: CompiledModel) => m.outputs.map((o) => shapeSize(o.type.shape) * DTYPES[o.type.dtype].bytes);
  const calls = models.map((m, i) => ({ name: m.name, inputBytes: cases[i]!.inputs.map((x) => x.bytes().length), outputBytes: outBytesOf(m) }));
  const { source: main, inBytes } = renderBatchMain(
    `#include <stdint.h>\n#include <string.h>\n${includes.join('\n')}`,
    calls,
    Math.max(...models.map((m) => m.arenaBytes)),
    OUTPUT_GUARD_BYTES,
  );
  writeFileSync(join(dir, 'batch_main.c'), main);
  const exe = join(dir, 'batch_main');
  const cc = spawnSync(ARM_CC, [...STRICT_CFLAGS, `-march=${march}`, '-static', '-I.', '-o', exe, 'batch_main.c'], { cwd: dir, encoding: 'utf8' });
  if (cc.status !== 0) throw new Error(`cross compile failed:\n${cc.stderr}`);
  const inputFile = join(dir, 'batch_in.bin');
  const buf = Buffer.alloc(inBytes);
  let o = 0;
  for (const c of cases) for (const x of c.inputs) {
    buf.set(x.bytes(), o);
    o += x.bytes().length;
  }
  writeFileSync(inputFile, buf);
  return { models, exe, inputFile };
}

export interface BatchRun {
  /** Process exit status and stderr (the driver exits 10 + rc when a model's run returns rc). */
  status: number | null;
  stderr: string;
  /** Per model, its outputs in order (only when status is 0). */
  outputs: Tensor[][];
}

/** Runs the batch under `qemu-aarch64 -cpu <cpu>` (optionally with a TCG plugin) and splits the outputs. */
export function runBatch(b: Batch, cpu: string, extraQemuArgs: readonly string[] = []): BatchRun {
  const outFile = `${b.inputFile}.${cpu}.out`;
  const r = spawnSync(ARM_QEMU, ['-cpu', cpu, ...extraQemuArgs, b.exe, b.inputFile, outFile], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error) throw r.error;
  if (r.status !== 0) return { status: r.status, stderr: r.stderr, outputs: [] };
  const bytes = readFileSync(outFile);
  let off = 0;
  const outputs = b.models.map((m) => m.outputs.map((o) => {
    const t = new Tensor(o.type.dtype, o.type.shape);
    const n = t.bytes().length;
    t.bytes().set(bytes.subarray(off, off + n));
    off += n;
    return t;
  }));
  return { status: r.status, stderr: r.stderr, outputs };
}

/** A whole model with its inputs and the interpreter's outputs (the models-on-arm tests). */
export interface ExpectedCase {
  label: string;
  graph: Graph;
  inputs: Tensor[];
  expected: Tensor[];
}

/** The four configurations every whole-model arm test runs: baseline NEON on both CPUs, dotprod and i8mm on max. */
export const ARM_MODEL_RUNS = ['arm-neon on cortex-a53', 'arm-neon on max', 'arm-neon-dotprod on max', 'arm-neon-i8mm on max'] as const;

/**
 * Builds `cases` for arm-neon, arm-neon-dotprod and arm-neon-i8mm under dir (model names n<i>, d<i>, m<i>) and
 * runs them in the ARM_MODEL_RUNS configurations.
 */
export function buildAndRunModels(dir: string, cases: readonly ExpectedCase[]): {
  base: Batch; dot: Batch; i8mm: Batch; runs: Map<(typeof ARM_MODEL_RUNS)[number], BatchRun>;
} {
  const batch = (target: string, tag: string): BatchCase[] => cases.map((c, i) => ({ graph: c.graph, inputs: c.inputs, target, name: `${tag}${i}` }));
  const base = buildBatch(join(dir, 'base'), 'armv8-a', batch('arm-neon', 'n'));
  const dot = buildBatch(join(dir, 'dot'), 'armv8.2-a+dotprod', batch('arm-neon-dotprod', 'd'));
  const i8mm = buildBatch(join(dir, 'i8mm'), ARM_I8MM_MARCH, batch('arm-neon-i8mm', 'm'));
  const runs = new Map<(typeof ARM_MODEL_RUNS)[number], BatchRun>([
    ['arm-neon on cortex-a53', runBatch(base, 'cortex-a53')],
    ['arm-neon on max', runBatch(base, 'max')],
    ['arm-neon-dotprod on max', runBatch(dot, 'max')],
    ['arm-neon-i8mm on max', runBatch(i8mm, 'max')],
  ]);
  return { base, dot, i8mm, runs };
}

/** The outputs of a run that differ from the interpreter's, as `<label> output <k>`. */
export function modelMismatches(cases: readonly ExpectedCase[], r: BatchRun): string[] {
  const bad: string[] = [];
  cases.forEach((c, i) => {
    c.expected.forEach((e, k) => {
      if (Buffer.compare(Buffer.from(e.bytes()), Buffer.from(r.outputs[i]![k]!.bytes())) !== 0) bad.push(`${c.label} output ${k}`);
    });
  });
  return bad;
}
