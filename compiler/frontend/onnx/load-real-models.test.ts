/**
 * Loads every real model (test/data/models) and every ONNX node-test model. A model whose ops all have
 * importers must load (node tests may stop at E_NOT_CONSTANT / E_UNSUPPORTED: they feed shapes and
 * axes at run time, or use dtypes qcc leaves out); the others must fail with one E_UNSUPPORTED_OP.
 * Nothing may fail with anything but a QccError.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QccError } from '../../errors.ts';
import { verifyGraph } from '../../ir/verify.ts';
import { NODE_TESTS_DIR, REAL_MODELS } from '../../../test/util/models.ts';
import { findImporter } from './importer.ts';
import { loadOnnxModel } from './load.ts';
import { decodeModelProto, int64ToNumber, type Int64 } from './proto.ts';

/** Ops of the model without an importer (domain::op). */
function unsupportedOps(path: string): string[] {
  const m = decodeModelProto(readFileSync(path), path);
  const opsets = new Map((m.opsetImport ?? []).map((o) => [o.domain === 'ai.onnx' || !o.domain ? '' : o.domain, int64ToNumber(o.version as Int64)]));
  const missing = new Set<string>();
  for (const n of m.graph!.node ?? []) {
    const d = n.domain === 'ai.onnx' || !n.domain ? '' : n.domain;
    if (!findImporter(d, n.opType ?? '', opsets.get(d) ?? 0)) missing.add(`${d || 'ai.onnx'}::${n.opType}`);
  }
  return [...missing].sort();
}

function outcome(fn: () => void): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    if (e instanceof QccError) return `${e.code}: ${e.message.split('\n')[0]}`;
    throw e;
  }
}

describe('real models load', () => {
  for (const m of REAL_MODELS) {
    it(m.id, () => {
      // Importer registrations happen when load.ts is imported, so this runs after them.
      const missing = unsupportedOps(m.path);
      const load = () => loadOnnxModel(m.path, m.inputShapes ? { inputShapes: { ...m.inputShapes } } : {});
      if (missing.length > 0) {
        let err: unknown;
        try {
          load();
        } catch (e) {
          err = e;
        }
        expect((err as QccError).code).toBe('E_UNSUPPORTED_OP');
        for (const op of missing) expect((err as QccError).message).toContain(op);
        return;
      }
      const g = load();
      verifyGraph(g);
      const proto = decodeModelProto(readFileSync(m.path), m.path);
      const inits = new Set((proto.graph!.initializer ?? []).map((t) => t.name));
      expect(g.inputs.map((v) => v.name)).toEqual((proto.graph!.input ?? []).map((v) => v.name).filter((n) => !inits.has(n)));
      expect(g.outputs.map((v) => v.name)).toEqual((proto.graph!.output ?? []).map((v) => v.name));
      expect(g.nodes.length).toBeGreaterThan(0);
    });
  }

  it('qdq_with_multi_consumer_q_dq_axis really has value_info entries (graph outputs) without a type', () => {
    const p = REAL_MODELS.find((m) => m.id === 'onnxruntime/qdq_with_multi_consumer_q_dq_axis')!.path;
    const proto = decodeModelProto(readFileSync(p), p);
    expect([...(proto.graph!.valueInfo ?? []), ...(proto.graph!.output ?? [])].some((vi) => !vi.type)).toBe(true);
  });
});

describe('ONNX node-test models load', () => {
  const cases = readdirSync(NODE_TESTS_DIR).filter((d) => d.startsWith('test_')).sort();
  it('has cases', () => expect(cases.length).toBeGreaterThan(100));
  const ALLOWED = /^(ok|E_NOT_CONSTANT|E_UNSUPPORTED):/;
  for (const c of cases) {
    it(c, () => {
      const path = join(NODE_TESTS_DIR, c, 'model.onnx');
      const missing = unsupportedOps(path);
      const r = outcome(() => verifyGraph(loadOnnxModel(path)));
      if (missing.length > 0) expect(r).toMatch(/^E_UNSUPPORTED_OP:/);
      else expect(r === 'ok' ? 'ok:' : r).toMatch(ALLOWED);
    });
  }
});
