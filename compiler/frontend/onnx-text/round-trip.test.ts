/**
 * ONNX text round trips: every real model and every ONNX node-test model, binary -> text -> binary,
 * must import to a graph that gives the same interpreter outputs (bit for bit) on seeded inputs, and
 * printing the re-read model must give the same text again.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QccError } from '../../errors.ts';
import { interpret } from '../../interpreter/interpret.ts';
import { randomInputs } from '../../io/random-inputs.ts';
import { tensorsIdentical } from '../../ir/tensor.ts';
import { NODE_TESTS_DIR, REAL_MODELS } from '../../../test/util/models.ts';
import { loadOnnxBytes } from '../onnx/load.ts';
import { decodeModelProto } from '../onnx/proto.ts';
import { onnxTextToBytes, printOnnxText } from './index.ts';

function outcome(fn: () => unknown): { ok: true; value: unknown } | { ok: false; code: string } {
  try {
    return { ok: true, value: fn() };
  } catch (e) {
    if (e instanceof QccError) return { ok: false, code: e.code };
    throw e;
  }
}

/** Checks one model file; returns whether it loaded (so the caller can count real coverage). */
function roundTrip(path: string, inputShapes?: Readonly<Record<string, number[]>>): boolean {
  const bytes = readFileSync(path);
  const text = printOnnxText(decodeModelProto(bytes, path));
  const back = onnxTextToBytes(text, path + '.onnxtxt');
  expect(printOnnxText(decodeModelProto(back, 'back')), 'print(parse(print(m))) === print(m)').toBe(text);

  const opts = inputShapes ? { inputShapes: { ...inputShapes } } : {};
  const a = outcome(() => loadOnnxBytes(bytes, opts));
  const b = outcome(() => loadOnnxBytes(back, opts));
  if (!a.ok || !b.ok) {
    // Models qcc cannot import must fail the same way from text.
    expect(b.ok ? 'ok' : b.code).toBe(a.ok ? 'ok' : a.code);
    return false;
  }
  const ga = a.value as ReturnType<typeof loadOnnxBytes>;
  const gb = b.value as ReturnType<typeof loadOnnxBytes>;
  expect(gb.inputs.map((v) => v.name)).toEqual(ga.inputs.map((v) => v.name));
  expect(gb.outputs.map((v) => v.name)).toEqual(ga.outputs.map((v) => v.name));
  for (const seed of [1, 2]) {
    const feeds = randomInputs(ga, seed);
    const ra = outcome(() => interpret(ga, feeds));
    const rb = outcome(() => interpret(gb, feeds));
    expect(rb.ok ? 'ok' : rb.code).toBe(ra.ok ? 'ok' : ra.code);
    if (!ra.ok || !rb.ok) continue;
    const oa = ra.value as Map<string, import('../../ir/tensor.ts').Tensor>;
    const ob = rb.value as Map<string, import('../../ir/tensor.ts').Tensor>;
    for (const [name, t] of oa) expect(tensorsIdentical(ob.get(name)!, t), `${path}: output ${name}, seed ${seed}`).toBe(true);
  }
  return true;
}

describe('ONNX text round trip: real models', () => {
  for (const m of REAL_MODELS) {
    it(m.id, () => {
      expect(roundTrip(m.path, m.inputShapes)).toBe(true);
    });
  }
});

describe('ONNX text round trip: ONNX node-test models', () => {
  it('every case prints, parses back to the same text, and loads and runs as the binary does', () => {
    const cases = readdirSync(NODE_TESTS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    let loaded = 0;
    for (const c of cases) if (roundTrip(join(NODE_TESTS_DIR, c, 'model.onnx'))) loaded++;
    // Most cases are supported ops; make sure the comparison really ran on them.
    expect(cases.length).toBeGreaterThan(100);
    expect(loaded).toBeGreaterThan(cases.length / 3);
  });
});
