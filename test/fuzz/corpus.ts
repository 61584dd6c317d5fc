/**
 * The fuzz corpus: every real model (test/data/models) and every ONNX node-test model
 * (test/data/onnx-node-tests), in a fixed order so a (seed, case) pair always means the same input.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { NODE_TESTS_DIR, REAL_MODELS, REPO_ROOT } from '../util/models.ts';

export interface CorpusEntry {
  /** Repository-relative path (for reports and reproduction). */
  readonly id: string;
  readonly path: string;
  /** Pins for symbolic input dims (the real models that need them). */
  readonly inputShapes?: Readonly<Record<string, number[]>>;
}

export function listCorpus(): CorpusEntry[] {
  const out: CorpusEntry[] = REAL_MODELS.map((m) => ({ id: relative(REPO_ROOT, m.path), path: m.path, ...(m.inputShapes ? { inputShapes: m.inputShapes } : {}) }));
  if (existsSync(NODE_TESTS_DIR)) {
    for (const d of readdirSync(NODE_TESTS_DIR).sort()) {
      const p = join(NODE_TESTS_DIR, d, 'model.onnx');
      if (existsSync(p)) out.push({ id: relative(REPO_ROOT, p), path: p });
    }
  }
  return out;
}

/** Model bytes, read once per process. */
const cache = new Map<string, Uint8Array>();
export function corpusBytes(e: CorpusEntry): Uint8Array {
  let b = cache.get(e.path);
  if (!b) {
    b = new Uint8Array(readFileSync(e.path));
    cache.set(e.path, b);
  }
  return b;
}
