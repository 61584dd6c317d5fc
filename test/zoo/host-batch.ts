/**
 * Many compiled models in one host executable: each model's .c is compiled to its own object file (two
 * compilers at a time), a driver runs every model in order on one concatenated input file and writes one
 * concatenated output file. One process start, object files built in parallel: whole-model suites stay
 * quick. Built with the target's own toolchain (cc, cflags) so the C is held to the same flags as `qcc run`.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import type { CompiledModel } from '../../backends/c/compile.ts';
import { envSanitizeCflags } from '../../backends/run.ts';
import { getTarget } from '../../backends/target.ts';
import { DTYPES } from '../../compiler/ir/dtype.ts';
import { Tensor, shapeSize } from '../../compiler/ir/tensor.ts';
import { renderBatchMain } from '../util/batch-main.ts';

function run(cmd: string, args: string[], cwd: string): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(cmd, args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    p.on('error', reject);
    p.on('close', (status) => resolve({ status, stderr }));
  });
}

async function pool<T>(items: readonly T[], width: number, f: (x: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await f(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, worker));
}

export interface HostBatchCase {
  model: CompiledModel;
  /** One input per model input, in order, per run (several seeds: several runs of the same model). */
  runs: Tensor[][];
}

/**
 * Builds and runs the batch (all models of one host target); returns per case, per run, the outputs.
 * Throws with the compiler's or the driver's stderr on failure.
 */
export async function runHostBatch(dir: string, target: string, cases: readonly HostBatchCase[], cc?: string): Promise<Tensor[][][]> {
  const tc = getTarget(target).toolchain;
  if (tc.run) throw new Error(`target '${target}' does not run on the host`);
  const compiler = cc ?? tc.cc;
  const flags = [...tc.cflags, ...envSanitizeCflags(true)];
  mkdirSync(dir, { recursive: true });
  for (const c of cases) {
    if (c.model.target !== target) throw new Error(`model '${c.model.name}' is compiled for '${c.model.target}', not '${target}'`);
    const d = join(dir, c.model.name);
    mkdirSync(d, { recursive: true });
    for (const [f, text] of c.model.files) {
      if (f.endsWith('_main.c') || f === 'Makefile') continue;
      mkdirSync(dirname(join(d, f)), { recursive: true });
      writeFileSync(join(d, f), text);
    }
  }
  const failures: string[] = [];
  await pool(cases, Math.max(1, cpus().length), async (c) => {
    const d = join(dir, c.model.name);
    const r = await run(compiler, [...flags, '-I.', '-c', '-o', `${c.model.name}.o`, `${c.model.name}.c`], d);
    if (r.status !== 0) failures.push(`${c.model.name}: ${r.stderr.trim().slice(0, 4000)}`);
  });
  if (failures.length) throw new Error(`compiling for ${target} failed:\n${failures.join('\n')}`);

  const protos = cases.map((c) => `int ${c.model.name}_run_v(const void *const *inputs, void *const *outputs, void *arena);`);
  const calls = cases.flatMap((c) =>
    c.runs.map((ins) => ({
      name: c.model.name,
      inputBytes: ins.map((x) => x.bytes().length),
      outputBytes: c.model.outputs.map((o) => shapeSize(o.type.shape) * DTYPES[o.type.dtype].bytes),
    })),
  );
  const { source: main, inBytes } = renderBatchMain(protos.join('\n'), calls, Math.max(...cases.map((c) => c.model.arenaBytes)));
  writeFileSync(join(dir, 'batch_main.c'), main);
  const objs = cases.map((c) => join(c.model.name, `${c.model.name}.o`));
  const link = await run(compiler, [...flags, '-o', 'batch_main', 'batch_main.c', ...objs, ...tc.ldflags], dir);
  if (link.status !== 0) throw new Error(`linking the ${target} batch failed:\n${link.stderr}`);

  const buf = Buffer.alloc(inBytes);
  let o = 0;
  for (const c of cases) for (const ins of c.runs) for (const x of ins) {
    buf.set(x.bytes(), o);
    o += x.bytes().length;
  }
  writeFileSync(join(dir, 'in.bin'), buf);
  const r = await run(join(dir, 'batch_main'), [join(dir, 'in.bin'), join(dir, 'out.bin')], dir);
  if (r.status !== 0) throw new Error(`the ${target} batch exited with ${r.status}:\n${r.stderr}`);
  const bytes = readFileSync(join(dir, 'out.bin'));
  let off = 0;
  return cases.map((c) => c.runs.map(() => c.model.outputs.map((io) => {
    const t = new Tensor(io.type.dtype, io.type.shape);
    const n = t.bytes().length;
    t.bytes().set(bytes.subarray(off, off + n));
    off += n;
    return t;
  })));
}
