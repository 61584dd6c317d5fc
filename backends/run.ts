import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { QccError } from '../compiler/errors.ts';
import { DTYPES } from '../compiler/ir/dtype.ts';
import { typeToString } from '../compiler/ir/graph.ts';
import { Tensor, shapeSize } from '../compiler/ir/tensor.ts';
import type { CompiledModel } from './c/compile.ts';
import { writeOutputFolder } from './output.ts';
import { getTarget } from './target.ts';

export interface BuildOptions {
  /** Overrides the target's C compiler. */
  cc?: string;
  extraCflags?: string[];
  /** Milliseconds (default 120 s). */
  timeoutMs?: number;
}

export interface RunOptions {
  cc?: string;
  extraCflags?: string[];
  /** Build and run in this folder and keep it (for debugging); default: a temp folder, removed after. */
  keepDir?: string;
  timeoutMs?: number;
}

const MAX_STDERR = 8000;

function clip(s: string): string {
  const t = s.trim();
  return t.length > MAX_STDERR ? t.slice(0, MAX_STDERR) + '\n[... truncated]' : t;
}

/** Runs a command; E_TOOLCHAIN when it cannot start, times out or fails. Returns stdout. */
export function exec(argv: readonly string[], cwd: string, what: string, timeoutMs: number, missingHint?: string): string {
  const [cmd, ...args] = argv;
  const r = spawnSync(cmd!, args, { cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
  if (r.error) {
    const code = (r.error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      throw new QccError('E_TOOLCHAIN', `${what}: '${cmd}' not found`, { hint: missingHint ?? `install it or choose another compiler (e.g. --cc clang)` });
    }
    if (code === 'ETIMEDOUT') throw new QccError('E_TOOLCHAIN', `${what}: '${cmd}' timed out after ${timeoutMs} ms`);
    throw new QccError('E_TOOLCHAIN', `${what}: cannot run '${cmd}': ${r.error.message}`, { cause: r.error });
  }
  if (r.status !== 0) {
    const how = r.signal ? `was killed by ${r.signal}` : `exited with code ${r.status}`;
    throw new QccError('E_TOOLCHAIN', `${what}: '${argv.join(' ')}' ${how}\n${clip(r.stderr ?? '')}`);
  }
  return r.stdout ?? '';
}

/** Flags of a sanitized build: AddressSanitizer + UndefinedBehaviorSanitizer, the first finding aborts. */
export const SANITIZE_CFLAGS: readonly string[] = ['-g', '-fno-omit-frame-pointer', '-fsanitize=address,undefined', '-fno-sanitize-recover=all'];

/**
 * QCC_SANITIZE=1 in the environment (the sanitizer CI job, `npm run test:sanitize`) builds every
 * host-run model with SANITIZE_CFLAGS; emulated (cross) targets are built as usual.
 */
export function envSanitizeCflags(runsOnHost: boolean): readonly string[] {
  return runsOnHost && process.env['QCC_SANITIZE'] === '1' ? SANITIZE_CFLAGS : [];
}

/**
 * Writes the model's files into `dir` (replacing it) and compiles the harness with the target
 * toolchain. Returns the executable's path.
 */
export function buildModel(model: CompiledModel, dir: string, opts: BuildOptions = {}): string {
  const tc = getTarget(model.target).toolchain;
  const out = resolve(dir);
  writeOutputFolder(out, model.files);
  const exe = join(out, `${model.name}_main`);
  const argv = [
    opts.cc ?? tc.cc,
    ...tc.cflags,
    ...(opts.extraCflags ?? []),
    ...envSanitizeCflags(!tc.run),
    '-I.',
    '-o',
    exe,
    `${model.name}.c`,
    `${model.name}_main.c`,
    ...tc.ldflags,
  ];
  exec(argv, out, `building model '${model.name}'`, opts.timeoutMs ?? 120_000, opts.cc ? undefined : tc.missingHint);
  return exe;
}

/**
 * Builds the model, runs its harness on `inputs` (keyed by model input name) and returns the outputs
 * keyed by model output name. The temp folder is removed unless `keepDir` is given.
 */
export function runCompiled(model: CompiledModel, inputs: ReadonlyMap<string, Tensor>, opts: RunOptions = {}): Map<string, Tensor> {
  for (const io of model.inputs) {
    const t = inputs.get(io.name);
    if (!t) throw new QccError('E_INPUT', `no data for input '${io.name}'`);
    if (t.dtype !== io.type.dtype || t.shape.length !== io.type.shape.length || t.shape.some((d, i) => d !== io.type.shape[i])) {
      throw new QccError('E_INPUT', `input '${io.name}' is ${t.dtype}[${t.shape.join('x')}] but the model expects ${typeToString(io.type)}`);
    }
  }
  const work = opts.keepDir ? resolve(opts.keepDir) : mkdtempSync(join(tmpdir(), 'qcc-run-'));
  try {
    const build = join(work, 'out');
    const exe = buildModel(model, build, opts);
    const args: string[] = [];
    model.inputs.forEach((io, i) => {
      const p = join(work, `input_${i}.bin`);
      writeFileSync(p, inputs.get(io.name)!.bytes());
      args.push(p);
    });
    const outPaths = model.outputs.map((_, i) => join(work, `output_${i}.bin`));
    args.push(...outPaths);
    for (const p of outPaths) rmSync(p, { force: true });
    const tc = getTarget(model.target).toolchain;
    const argv = tc.run ? tc.run(exe, args) : [exe, ...args];
    exec(argv, work, `running model '${model.name}'`, opts.timeoutMs ?? 120_000, tc.missingHint);
    const result = new Map<string, Tensor>();
    model.outputs.forEach((io, i) => {
      const bytes = readFileSync(outPaths[i]!);
      const t = new Tensor(io.type.dtype, io.type.shape);
      const want = shapeSize(io.type.shape) * DTYPES[io.type.dtype].bytes;
      if (bytes.length !== want) {
        throw new QccError('E_TOOLCHAIN', `output '${io.name}' has ${bytes.length} bytes, expected ${want}`);
      }
      t.bytes().set(bytes);
      // A repeated output name keeps its first value (names are unique in a well-formed model).
      if (!result.has(io.name)) result.set(io.name, t);
    });
    return result;
  } finally {
    if (!opts.keepDir) rmSync(work, { recursive: true, force: true });
  }
}
