/**
 * The ONNX node-test conformance run under vitest: one test per case. The cases run up front in two
 * worker processes (beforeAll), and each test asserts its case's outcome. Cases listed in
 * test/conformance/unsupported.ts must still fail, and for the listed reason.
 */
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Tensor } from '../compiler/ir/tensor.ts';
import { readTensorFile } from '../compiler/io/test-data.ts';
import { encodeTensorProtoFile } from '../compiler/io/tensor-proto.ts';
import { NODE_TESTS_DIR, listCases } from './conformance/cases.ts';
import { runCase, type CaseOutcome } from './conformance/case-runner.ts';
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

  it('the runner fails a case whose expected output is off by one element', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'qcc-conf-'));
    try {
      const dir = join(tmp, 'test_relu');
      cpSync(join(NODE_TESTS_DIR, 'test_relu'), dir, { recursive: true });
      const file = join(dir, 'test_data_set_0', 'output_0.pb');
      const { name, tensor } = readTensorFile(file);
      const data = Float32Array.from(tensor.data as Float32Array);
      data[7] = Math.fround(data[7]! + 0.01);
      writeFileSync(file, encodeTensorProtoFile(new Tensor('f32', tensor.shape, data), name ?? 'y'));
      const o = runCase(dir);
      expect(o.ok).toBe(false);
      expect(o.stage).toBe('expected');
      expect(o.message).toMatch(/1 of 60 elements differ.*first at index 7/);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
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
