/**
 * One ONNX node-test case, end to end: load model.onnx, run the reference interpreter on every
 * test_data_set_*, compare with the shipped outputs (integers and bools exactly, floats with ONNX's
 * tolerance), then bind the inputs the C backend needs as constants, compile with --target c, run the C
 * and compare it with the interpreter byte for byte.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { compileModel } from '../../backends/c/compile.ts';
import { runCompiled } from '../../backends/run.ts';
import { isQccError } from '../../compiler/errors.ts';
import { loadOnnxBytes } from '../../compiler/frontend/onnx/load.ts';
import type { Graph } from '../../compiler/ir/graph.ts';
import type { Tensor } from '../../compiler/ir/tensor.ts';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import { readTensorFile } from '../../compiler/io/test-data.ts';
import { bindInputs, inputsNeededAsConstants } from '../../compiler/passes/bind-inputs.ts';
import { ONNX_TOLERANCE, checkClose, checkIdentical, checkOutputs } from '../util/compare.ts';
import { bindInModel, decodeModel, inputsNamedIn, modelInputNames, modelOutputNames } from './proto-bind.ts';

export type Stage =
  | 'load'
  | 'data'
  | 'interpret'
  | 'expected'
  | 'bind'
  | 'compile'
  | 'run-c'
  | 'c-vs-interpreter'
  | 'timeout'
  | 'crash';

export interface CaseOutcome {
  dir: string;
  name: string;
  ok: boolean;
  /** Where it failed. */
  stage?: Stage;
  /** Why it failed: `[CODE] message` for QccErrors, the message otherwise. */
  message?: string;
  ms: number;
  /** Graph inputs bound as constants for the C build. */
  bound?: string[];
}

class StageError extends Error {
  constructor(
    readonly stage: Stage,
    message: string,
  ) {
    super(message);
  }
}

function describe(e: unknown): string {
  if (isQccError(e)) return `[${e.code}] ${e.message}`;
  if (e instanceof Error) return `${e.name === 'Error' ? '' : e.name + ': '}${e.message}`;
  return String(e);
}

function at<T>(stage: Stage, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof StageError) throw e;
    throw new StageError(stage, describe(e));
  }
}

interface DataSet {
  dir: string;
  label: string;
  inputs: Map<string, Tensor>;
  /** TensorProto file of each input (for import-time binding). */
  files: Map<string, string>;
  outputs: Map<string, Tensor>;
}

const numbered = (dir: string, prefix: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.pb'))
    .sort((a, b) => Number(a.slice(prefix.length, -3)) - Number(b.slice(prefix.length, -3)))
    .map((f) => join(dir, f));

/**
 * Reads input_<i>.pb / output_<i>.pb. A file whose TensorProto carries a name of the model goes to
 * that name; an unnamed one goes to the graph input/output at its position (the ONNX runner's rule).
 */
function readDataSet(dir: string, inputNames: readonly string[], outputNames: readonly string[]): DataSet {
  const files = new Map<string, string>();
  const read = (paths: string[], names: readonly string[], what: string, record: boolean) => {
    const m = new Map<string, Tensor>();
    paths.forEach((f, i) => {
      const { name, tensor } = readTensorFile(f);
      const key = name && names.includes(name) ? name : names[i];
      if (key === undefined) throw new Error(`${f}: the model has only ${names.length} ${what}s`);
      m.set(key, tensor);
      if (record) files.set(key, f);
    });
    return m;
  };
  const inputs = read(numbered(dir, 'input_'), inputNames, 'input', true);
  const outputs = read(numbered(dir, 'output_'), outputNames, 'output', false);
  return { dir, label: dir.split('/').pop()!, inputs, files, outputs };
}

/** The C stage's target: `c`, or the one `run.ts --target T` passes to the workers through the environment. */
export function conformanceTarget(): string {
  return process.env.QCC_CONFORMANCE_TARGET || 'c';
}

export function runCase(dir: string): CaseOutcome {
  const name = dir.replace(/\/+$/, '').split('/').pop()!;
  const t0 = performance.now();
  const outcome = (o: Partial<CaseOutcome>): CaseOutcome => ({ dir, name, ok: false, ms: Math.round(performance.now() - t0), ...o });
  try {
    const bound = runStages(dir);
    return outcome({ ok: true, bound });
  } catch (e) {
    if (e instanceof StageError) return outcome({ stage: e.stage, message: e.message });
    return outcome({ stage: 'crash', message: describe(e) });
  }
}

/** Groups data-set indices by the bytes of the named inputs (sets that agree can share a build). */
function groupBy(sets: readonly DataSet[], members: readonly number[], names: readonly string[]): number[][] {
  const groups = new Map<string, number[]>();
  for (const k of members) {
    const key = names.map((n) => Buffer.from(sets[k]!.inputs.get(n)!.bytes()).toString('base64')).join('|');
    const g = groups.get(key);
    if (g) g.push(k);
    else groups.set(key, [k]);
  }
  return [...groups.values()];
}

const MAX_IMPORT_BINDS = 8;

function runStages(dir: string): string[] {
  const modelPath = join(dir, 'model.onnx');
  if (!existsSync(modelPath)) throw new StageError('load', `no model.onnx in ${dir}`);
  const setDirs = readdirSync(dir)
    .filter((d) => d.startsWith('test_data_set_'))
    .sort()
    .map((d) => join(dir, d));
  if (setDirs.length === 0) throw new StageError('data', 'no test_data_set_* folder');

  const bytes = new Uint8Array(readFileSync(modelPath));
  const proto = at('load', () => decodeModel(bytes));
  const inNames = modelInputNames(proto);
  const outNames = modelOutputNames(proto);
  const bindFiles = (s: DataSet, names: readonly string[]) => new Map(names.map((n) => [n, s.files.get(n)!]));
  const load = (s: DataSet | null, names: readonly string[]): Graph =>
    loadOnnxBytes(s ? bindInModel(bytes, bindFiles(s, names)) : bytes, { baseDir: dir, name: 'model' });

  // Load the model as it is first, so that a model we cannot import says so (rather than its data).
  let firstError: unknown;
  try {
    load(null, []);
  } catch (e) {
    if (!(isQccError(e) && e.code === 'E_NOT_CONSTANT')) throw new StageError('load', describe(e));
    firstError = e;
  }

  const sets = at('data', () => setDirs.map((d) => readDataSet(d, inNames, outNames)));
  for (const s of sets) {
    const missing = inNames.filter((n) => !s.inputs.has(n));
    if (missing.length) throw new StageError('data', `${s.label}: no data for input(s) ${missing.join(', ')}`);
  }

  // Operands the importer needs constant (Reshape's shape, ...), named by the loader's error, are
  // bound in the ModelProto from the data set and the load retried.
  const importBound: string[] = [];
  while (firstError !== undefined) {
    const e = firstError;
    const more = isQccError(e) && e.code === 'E_NOT_CONSTANT' ? inputsNamedIn(e.message, inNames).filter((n) => !importBound.includes(n)) : [];
    if (more.length === 0 || importBound.length >= MAX_IMPORT_BINDS) throw new StageError('load', describe(e));
    importBound.push(...more);
    try {
      load(sets[0]!, importBound);
      firstError = undefined;
    } catch (e2) {
      firstError = e2;
    }
  }

  const bound = new Set<string>(importBound);
  for (const members of groupBy(sets, sets.map((_, k) => k), importBound)) {
    const first = sets[members[0]!]!;
    const graph = at('load', () => load(first, importBound));
    const runtimeFeeds = (s: DataSet, skip: readonly string[]) => new Map([...s.inputs].filter(([n]) => !importBound.includes(n) && !skip.includes(n)));

    // 1. The interpreter against the ONNX expected outputs.
    const interpreted = new Map<number, Map<string, Tensor>>();
    for (const k of members) {
      const s = sets[k]!;
      const got = at('interpret', () => interpret(graph, runtimeFeeds(s, [])));
      const bad = checkOutputs(got, s.outputs, (a, e, label) => checkClose(a, e, ONNX_TOLERANCE, label));
      if (bad) throw new StageError('expected', `${s.label}: ${bad}`);
      interpreted.set(k, got);
    }

    // 2. The C backend against the interpreter, byte for byte. Operands the backend needs at compile
    // time are bound to the data set's values, so data sets that differ there get their own builds.
    const needed = at('bind', () => inputsNeededAsConstants(graph).map((v) => v.name));
    for (const n of needed) bound.add(n);
    for (const sub of groupBy(sets, members, needed)) {
      const s0 = sets[sub[0]!]!;
      const g = at('load', () => load(s0, importBound));
      at('bind', () => bindInputs(g, new Map(needed.map((n) => [n, s0.inputs.get(n)!]))));
      const model = at('compile', () => compileModel(g, { target: conformanceTarget(), name: 'conformance' }));
      for (const k of sub) {
        const s = sets[k]!;
        const got = at('run-c', () => runCompiled(model, runtimeFeeds(s, needed)));
        const bad = checkOutputs(got, interpreted.get(k)!, checkIdentical);
        if (bad) throw new StageError('c-vs-interpreter', `${s.label}: ${bad}`);
      }
    }
  }
  return [...bound];
}
