/** IR text: print/parse round trips on every test model, exact data, attributes, located errors. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QccError } from '../errors.ts';
import { loadOnnxModel } from '../frontend/onnx/load.ts';
import { NODE_TESTS_DIR, REAL_MODELS } from '../../test/util/models.ts';
import { cornerTensor, ALL_DTYPES } from '../frontend/onnx/test-helpers.ts';
import { interpret } from '../interpreter/interpret.ts';
import { randomInputs } from '../io/random-inputs.ts';
import { TextError } from '../text/located-error.ts';
import { Graph } from './graph.ts';
import { parseAttrDict, parseGraph } from './parse.ts';
import { printGraph } from './print.ts';
import { Tensor, tensorsIdentical } from './tensor.ts';
import { verifyGraph } from './verify.ts';

function roundTrip(g: Graph): Graph {
  const text = printGraph(g);
  const back = parseGraph(text);
  verifyGraph(back);
  expect(printGraph(back)).toBe(text);
  return back;
}

function sameOutputs(a: Graph, b: Graph): void {
  const feeds = randomInputs(a, 7);
  const ra = interpret(a, feeds);
  const rb = interpret(b, feeds);
  for (const [k, t] of ra) expect(tensorsIdentical(rb.get(k)!, t), k).toBe(true);
}

describe('IR text round trip: print(parse(print(g))) === print(g)', () => {
  for (const m of REAL_MODELS) {
    it(m.id, () => {
      const g = loadOnnxModel(m.path, m.inputShapes ? { inputShapes: { ...m.inputShapes } } : {});
      sameOutputs(g, roundTrip(g));
    });
  }

  it('every ONNX node-test model that loads', () => {
    let n = 0;
    for (const c of readdirSync(NODE_TESTS_DIR, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      let g: Graph;
      try {
        g = loadOnnxModel(join(NODE_TESTS_DIR, c.name, 'model.onnx'));
      } catch (e) {
        if (e instanceof QccError) continue;
        throw e;
      }
      const back = roundTrip(g);
      if (g.inputs.length > 0 && n % 4 === 0) sameOutputs(g, back);
      n++;
    }
    expect(n).toBeGreaterThan(80);
  });
});

describe('IR text data is exact', () => {
  it('corner values of every dtype, as constants and as tensor attributes', () => {
    const g = new Graph('corners');
    const x = g.addValue('x', { dtype: 'f32', shape: [2] });
    g.inputs.push(x);
    const attrs: Record<string, Tensor> = {};
    for (const dt of ALL_DTYPES) attrs[`t_${dt}`] = cornerTensor(dt);
    // identity carries the tensors as attributes; constants go through output-less paths too.
    const y = g.addValue('y', { dtype: 'f32', shape: [2] });
    g.addNode('relu', 'r', [x], [y], attrs);
    g.outputs.push(y);
    for (const dt of ALL_DTYPES) g.outputs.push(g.addConst(`c_${dt}`, cornerTensor(dt)));
    const back = roundTrip(g);
    const node = back.nodes[0]!;
    for (const dt of ALL_DTYPES) {
      expect(tensorsIdentical(node.attrs[`t_${dt}`] as Tensor, cornerTensor(dt)), dt).toBe(true);
      expect(tensorsIdentical(back.valueByName(`c_${dt}`)!.const!, cornerTensor(dt)), dt).toBe(true);
    }
  });

  it('NaN payloads, -0 and splats', () => {
    const g = new Graph('nan');
    // Bits written directly: a JS number round trip could quiet a signalling NaN.
    const weird = new Tensor('f32', [4]);
    new Uint32Array(weird.data.buffer).set([0x7fc00001, 0x7fc00000, 0x80000000, 0xff800001]);
    g.outputs.push(g.addConst('w', weird));
    g.outputs.push(g.addConst('s', Tensor.fromNumbers('i32', [3, 2], [-7, -7, -7, -7, -7, -7])));
    const text = printGraph(g);
    expect(text).toContain('[nan:0x7fc00001, nan, -0.0, nan:0xff800001]');
    expect(text).toContain('const %s: i32[3x2] = splat(-7)');
    const back = roundTrip(g).valueByName('w')!.const!;
    expect([...new Uint32Array(back.data.buffer, back.data.byteOffset, 4)]).toEqual([0x7fc00001, 0x7fc00000, 0x80000000, 0xff800001]);
  });

  it('summary mode elides long data; the parser refuses it unless asked', () => {
    const g = new Graph('big');
    g.outputs.push(g.addConst('w', Tensor.fromNumbers('i8', [20], Array.from({ length: 20 }, (_, i) => i - 10))));
    const text = printGraph(g, { data: 'summary' });
    expect(text).toMatch(/const %w: i8\[20\] = elided \{min = -10, max = 9, hash = "[0-9a-f]{8}"\}/);
    expect(() => parseGraph(text)).toThrow(/elided/);
    expect(parseGraph(text, { allowElided: true }).valueByName('w')!.const!.toNumbers()).toEqual(new Array(20).fill(0));
  });

  it('attributes of every kind', () => {
    const attrs = parseAttrDict('{i = -3, f = 0.25, big = 1e+21, neg = -inf, b = true, s = "a \\"q\\"", l = [1, 2.5], e = [], ss = ["x", "y"], t = u8[2x2] [0, 255, 1, 2], "odd key" = 1}');
    expect(attrs).toEqual({ i: -3, f: 0.25, big: 1e21, neg: -Infinity, b: true, s: 'a "q"', l: [1, 2.5], e: [], ss: ['x', 'y'], t: expect.any(Tensor), 'odd key': 1 });
    expect((attrs.t as Tensor).toNumbers()).toEqual([0, 255, 1, 2]);
    expect((attrs.t as Tensor).shape).toEqual([2, 2]);
  });

  it('names that need quoting', () => {
    const g = new Graph('a graph');
    const x = g.addValue('in:0 "x"', { dtype: 'f32', shape: [3] });
    g.inputs.push(x);
    const y = g.addValue('out/1.y-z', { dtype: 'f32', shape: [3] });
    g.addNode('relu', 'node name', [x], [y]);
    g.outputs.push(y);
    const text = printGraph(g);
    expect(text).toContain('graph @"a graph" {');
    expect(text).toContain('%out/1.y-z: f32[3] = relu @"node name" (%"in:0 \\"x\\"")');
    roundTrip(g);
  });
});

function located(text: string, line: number, column: number, fragment: string, code = 'E_PARSE'): void {
  let err: unknown;
  try {
    parseGraph(text, { file: 'f.qir' });
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(TextError);
  const e = err as TextError;
  expect(e.message).toContain(fragment);
  expect(e.code).toBe(code);
  expect([e.line, e.column], e.message).toEqual([line, column]);
  expect(e.message.startsWith(`f.qir:${line}:${column}: `)).toBe(true);
}

describe('IR text errors are located', () => {
  const ok = 'graph @g {\n  input %x: f32[2]\n  %y: f32[2] = relu @r (%x)\n  output %y\n}\n';

  it('parses the reference text', () => {
    expect(printGraph(parseGraph(ok))).toBe(ok);
  });

  it('bad token', () => located(ok.replace('relu @r', 'relu $r'), 3, 21, 'unexpected character "$"'));
  it('unclosed bracket', () => located(ok.replace('(%x)', '(%x'), 5, 1, "expected ')' to close '(' opened at 3:24, but found '}'"));
  it('unknown type', () => located(ok.replace('f32[2]\n', 'flt[2]\n'), 2, 13, "unknown type 'flt' (expected one of f32"));
  it('unknown op', () => located(ok.replace('relu', 'rleu'), 3, 16, "unknown op kind 'rleu'"));
  it('undefined value', () => located(ok.replace('(%x)', '(%z)'), 3, 25, 'value %z is used before it is defined'));
  it('duplicate value', () => located(ok.replace('%y: f32[2] = relu', '%x: f32[2] = relu'), 3, 3, 'value %x is defined twice'));
  it('declared type disagrees with inference', () => located(ok.replace('%y: f32[2] =', '%y: f32[3] ='), 3, 3, 'relu computes f32[2] for output 0, but it is declared f32[3]', 'E_SHAPE'));
  it('wrong data count', () => located('graph @g {\n  const %c: i8[3] = [1, 2]\n}', 2, 26, 'i8[3] needs 3 values, found 2'));
  it('wrong data kind', () => located('graph @g {\n  const %c: i8[2] = [1, 2.5]\n}', 2, 25, "expected an integer in i8 data, found '2.5'"));
  it('attribute list mixing numbers and strings', () => located('graph @g {\n  input %x: f32[2]\n  %y: f32[2] = relu @r (%x) {a = [1, "s"]}\n}', 3, 38, 'lists hold numbers or strings'));
  it('missing token says what was expected', () => located(ok.replace('%y: f32[2] =', '%y f32[2] ='), 3, 6, "expected ':' but found 'f32'"));
});
