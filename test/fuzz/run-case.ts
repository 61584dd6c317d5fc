/**
 * Runs one fuzz case in this process: load (with a tight tensor limit), bind the operands code
 * generation needs, run the default pass pipeline (as the CLI does), interpret on seeded random inputs, compile to C in memory. The outcome is 'ok', a
 * QccError code, or 'crash' (any other exception: a qcc bug).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileModel } from '../../backends/c/compile.ts';
import { isQccError } from '../../compiler/errors.ts';
import { loadOnnxBytes } from '../../compiler/frontend/onnx/load.ts';
import { onnx } from '../../compiler/frontend/onnx/proto.ts';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import { randomInputs } from '../../compiler/io/random-inputs.ts';
import { verifyGraph } from '../../compiler/ir/verify.ts';
import { prepareGraph } from '../../compiler/passes/pipeline.ts';
import { bindRandomConstInputs } from '../../compiler/verify.ts';
import type { FuzzCase } from './mutate.ts';

/** Per-tensor limit while fuzzing: mutated dims must be refused long before memory runs out. */
export const FUZZ_MAX_TENSOR_BYTES = 64 * 1024 * 1024;

export interface CaseResult {
  index: number;
  kind: string;
  sourceId: string;
  /** 'ok', 'E_*' (a QccError), or 'crash'. */
  outcome: string;
  /** Stage reached: load, bind, interpret, compile. */
  stage: string;
  message?: string;
  note: string;
  ms: number;
}

/**
 * A folder laid out for the external-data mutations: the model's folder (`model/`) holds a weights
 * file, a sub folder, a symlink inside and one pointing outside; `secret.bin` sits beside it.
 */
export function makeFuzzWorkDir(): { root: string; modelDir: string } {
  const root = mkdtempSync(join(tmpdir(), 'qcc-fuzz-'));
  const modelDir = join(root, 'model');
  mkdirSync(join(modelDir, 'sub'), { recursive: true });
  const bytes = new Uint8Array(4096);
  for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 37 + 11) & 255;
  writeFileSync(join(modelDir, 'weights.bin'), bytes);
  writeFileSync(join(root, 'secret.bin'), bytes);
  symlinkSync('../secret.bin', join(modelDir, 'link-out.bin'));
  symlinkSync('weights.bin', join(modelDir, 'link-in.bin'));
  symlinkSync('loop.bin', join(modelDir, 'loop.bin'));
  // Opening a FIFO for reading blocks until a writer comes: the loader must not try.
  spawnSync('mkfifo', [join(modelDir, 'fifo')]);
  return { root, modelDir };
}

export function removeFuzzWorkDir(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

/** Input shape pins that still name graph inputs after the mutation (others would only be E_USAGE). */
function applicableShapes(c: FuzzCase): Record<string, number[]> | undefined {
  if (!c.inputShapes) return undefined;
  let names: Set<string>;
  try {
    names = new Set((onnx.ModelProto.decode(c.bytes).graph?.input ?? []).map((v) => v.name ?? ''));
  } catch {
    return undefined;
  }
  const out = Object.fromEntries(Object.entries(c.inputShapes).filter(([k]) => names.has(k)));
  return Object.keys(out).length ? out : undefined;
}

export function runFuzzCase(c: FuzzCase, modelDir: string, seed: number): CaseResult {
  const t0 = performance.now();
  let stage = 'load';
  const base = { index: c.index, kind: c.kind, sourceId: c.sourceId, note: c.note };
  try {
    const inputShapes = applicableShapes(c);
    const graph = loadOnnxBytes(c.bytes, {
      baseDir: modelDir,
      name: 'fuzz',
      maxTensorBytes: FUZZ_MAX_TENSOR_BYTES,
      ...(inputShapes ? { inputShapes } : {}),
    });
    stage = 'bind';
    bindRandomConstInputs(graph, seed);
    // As the CLI does: the default pass pipeline (QDQ fusion, folding) before interpreting and compiling.
    stage = 'prepare';
    prepareGraph(graph, { verify: verifyGraph });
    stage = 'interpret';
    interpret(graph, randomInputs(graph, seed + 1));
    stage = 'compile';
    compileModel(graph, { target: 'c', name: 'fuzz' });
    return { ...base, outcome: 'ok', stage: 'done', ms: Math.round(performance.now() - t0) };
  } catch (e) {
    const ms = Math.round(performance.now() - t0);
    if (isQccError(e)) return { ...base, outcome: e.code, stage, message: e.message, ms };
    const msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
    return { ...base, outcome: 'crash', stage, message: msg, ms };
  }
}
