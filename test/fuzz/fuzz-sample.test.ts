/**
 * A seeded sample of the frontend fuzzer (`npm run fuzz` runs 10,000 cases in a process pool): every
 * mutated model must load, interpret and compile, or fail with a QccError. A failure prints the case,
 * its mutation and the command that reproduces it.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { listCorpus } from './corpus.ts';
import { MUTATION_KINDS, makeCase } from './mutate.ts';
import { makeFuzzWorkDir, removeFuzzWorkDir, runFuzzCase, type CaseResult } from './run-case.ts';

const SEED = 20240611;
const CASES = 300;

describe('frontend fuzz sample', () => {
  const corpus = listCorpus();
  const work = makeFuzzWorkDir();
  afterAll(() => removeFuzzWorkDir(work.root));

  it(`${CASES} mutated models (seed ${SEED}) end in success or a QccError`, () => {
    expect(corpus.length).toBeGreaterThan(100);
    const results: CaseResult[] = [];
    for (let i = 0; i < CASES; i++) results.push(runFuzzCase(makeCase(SEED, i, corpus), work.modelDir, SEED));
    const bad = results.filter((r) => r.outcome === 'crash');
    const report = bad.map((r) => `case ${r.index} [${r.kind}] ${r.sourceId} at ${r.stage}: ${r.note}\n${r.message}\n  reproduce: npm run fuzz -- --seed ${SEED} --only ${r.index} --verbose`);
    expect(report.join('\n\n')).toBe('');
    // The sample exercises every mutation kind, and some cases get all the way through.
    expect(new Set(results.map((r) => r.kind))).toEqual(new Set(MUTATION_KINDS));
    expect(results.filter((r) => r.outcome === 'ok').length).toBeGreaterThan(10);
    // Errors are messages a user can act on: never empty, never an internal marker.
    for (const r of results) if (r.outcome.startsWith('E_')) expect(r.message ?? '').not.toMatch(/^$|internal:/);
  });
});
