/**
 * Runs the debug build of a model (compileModel with `debugDump`) and reads back every node output it
 * dumped: the compiled C's intermediates, for `qcc compare --target` and for tests that hold them to the
 * interpreter's byte for byte. Built with the target's own toolchain and run its own way (host, qemu-user,
 * or the Cortex-M image under qemu-system-arm, whose harness writes the files through semihosting).
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { QccError } from '../compiler/errors.ts';
import { DTYPES } from '../compiler/ir/dtype.ts';
import { typeToString } from '../compiler/ir/graph.ts';
import { Tensor } from '../compiler/ir/tensor.ts';
import type { CompiledModel, DumpedValue } from './c/compile.ts';
import { buildModel, exec, type RunOptions } from './run.ts';
import { getTarget } from './target.ts';

interface ManifestEntry {
  index: number;
  file: string;
  dtype: number;
  bytes: number;
  name: string;
}

/** A built debug harness that runs on one input set at a time. `close()` removes its folder (unless kept). */
export interface DumpRunner {
  run(inputs: ReadonlyMap<string, Tensor>): Map<string, Tensor>;
  close(): void;
}

function checkInputs(model: CompiledModel, inputs: ReadonlyMap<string, Tensor>): void {
  for (const io of model.inputs) {
    const t = inputs.get(io.name);
    if (!t) throw new QccError('E_INPUT', `no data for input '${io.name}'`);
    if (t.dtype !== io.type.dtype || t.shape.length !== io.type.shape.length || t.shape.some((d, i) => d !== io.type.shape[i])) {
      throw new QccError('E_INPUT', `input '${io.name}' is ${t.dtype}[${t.shape.join('x')}] but the model expects ${typeToString(io.type)}`);
    }
  }
}

/** Reads `<dir>/manifest.json` and the files it lists, checked against what the compiler said it dumps. */
export function readDumps(dir: string, dumps: readonly DumpedValue[]): Map<string, Tensor> {
  const bad = (why: string): QccError => new QccError('E_TOOLCHAIN', `the debug build's dumps in '${dir}' are unusable: ${why}`);
  let manifest: { tensors?: ManifestEntry[] };
  try {
    manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as { tensors?: ManifestEntry[] };
  } catch (e) {
    throw bad(`manifest.json: ${e instanceof Error ? e.message : String(e)}`);
  }
  const entries = manifest.tensors;
  if (!Array.isArray(entries) || entries.length !== dumps.length) throw bad(`${Array.isArray(entries) ? entries.length : 'no'} tensors listed, expected ${dumps.length}`);
  const out = new Map<string, Tensor>();
  dumps.forEach((d, i) => {
    const e = entries[i]!;
    // The manifest carries the name through C and JSON: it must come back as the model's (UTF-8) name.
    const name = Buffer.from(d.name, 'utf8').toString('utf8');
    if (e.index !== i || e.name !== name || e.dtype !== DTYPES[d.type.dtype].onnx || e.bytes !== d.bytes) {
      throw bad(`entry ${i} is ${JSON.stringify(e)}, expected '${d.name}' (${typeToString(d.type)}, ${d.bytes} bytes)`);
    }
    if (!/^\d+_[A-Za-z0-9_-]*\.bin$/.test(e.file)) throw bad(`entry ${i} names file '${e.file}'`);
    const bytes = readFileSync(join(dir, e.file));
    if (bytes.length !== d.bytes) throw bad(`'${e.file}' holds ${bytes.length} bytes, expected ${d.bytes}`);
    const t = new Tensor(d.type.dtype, d.type.shape);
    t.bytes().set(bytes);
    if (!out.has(d.name)) out.set(d.name, t);
  });
  return out;
}

/** Builds the debug harness once (the model must come from compileModel with `debugDump: true`). */
export function buildDumpRunner(model: CompiledModel, opts: RunOptions = {}): DumpRunner {
  const dumps = model.dumps;
  if (!dumps) throw new Error(`internal: model '${model.name}' was compiled without debugDump`);
  const tc = getTarget(model.target).toolchain;
  const work = opts.keepDir ? resolve(opts.keepDir) : mkdtempSync(join(tmpdir(), 'qcc-dump-'));
  let exe: string;
  try {
    exe = buildModel(model, join(work, 'out'), opts);
  } catch (e) {
    if (!opts.keepDir) rmSync(work, { recursive: true, force: true });
    throw e;
  }
  let runs = 0;
  return {
    run(inputs) {
      checkInputs(model, inputs);
      const k = runs++;
      const args: string[] = [];
      model.inputs.forEach((io, i) => {
        const p = join(work, `input_${i}.bin`);
        writeFileSync(p, inputs.get(io.name)!.bytes());
        args.push(p);
      });
      args.push(...model.outputs.map((_, i) => join(work, `output_${i}.bin`)));
      const dumpDir = join(work, `dump_${k}`);
      rmSync(dumpDir, { recursive: true, force: true });
      mkdirSync(dumpDir, { recursive: true });
      args.push(dumpDir);
      const argv = tc.run ? tc.run(exe, args) : [exe, ...args];
      exec(argv, work, `running the debug build of '${model.name}'`, opts.timeoutMs ?? 120_000, tc.missingHint);
      const result = readDumps(dumpDir, dumps);
      if (!opts.keepDir) rmSync(dumpDir, { recursive: true, force: true });
      return result;
    },
    close() {
      if (!opts.keepDir) rmSync(work, { recursive: true, force: true });
    },
  };
}

/** Builds and runs the debug harness once: every node output of the compiled C, keyed by value name. */
export function runCompiledWithDumps(model: CompiledModel, inputs: ReadonlyMap<string, Tensor>, opts: RunOptions = {}): Map<string, Tensor> {
  const r = buildDumpRunner(model, opts);
  try {
    return r.run(inputs);
  } finally {
    r.close();
  }
}
