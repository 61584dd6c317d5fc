/**
 * The ONNX node-test conformance run under vitest: one test per case. The cases run up front in two
 * worker processes (beforeAll), and each test asserts its case's outcome. Cases listed in
 * test/conformance/unsupported.ts must still fail, and for the listed reason.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { NODE_TESTS_DIR, listCases } from './conformance/cases.ts';
import type { CaseOutcome } from './conformance/case-runner.ts';
import { classify, failureText } from './conformance/classify.ts';
import { caseName, runCasesInPool } from './conformance/pool.ts';
import { UNSUPPORTED } from './conformance/unsupported.ts';

const cases = listCases([NODE_TESTS_DIR]);
const names = cases.map(caseName);
const outcomes = new Map<string, CaseOutcome>();

beforeAll(async () => {
  for (const o of await runCasesInPool(cases, { workers: 2, timeoutMs: 60_000 })) outcomes.set(o.name, o);
}, 600_000);

describe('ONNX node tests', () => {
  it('finds the copied cases, and every unsupported entry names one of them', () => {
    expect(cases.length).toBeGreaterThan(200);
    expect(Object.keys(UNSUPPORTED).filter((n) => !names.includes(n))).toEqual([]);
  });

  it.each(names)('%s', (name) => {
    const o = outcomes.get(name);
    if (!o) throw new Error(`no outcome for ${name}`);
    const listed = UNSUPPORTED[name];
    if (listed) {
      if (o.ok) throw new Error(`${name} is listed as unsupported (${listed.reason}) but passes: remove it from test/conformance/unsupported.ts`);
      expect(failureText(o)).toMatch(listed.error);
      expect(classify(o).status).toBe('UNSUPPORTED');
    } else if (!o.ok) {
      throw new Error(failureText(o));
    }
  });
});
