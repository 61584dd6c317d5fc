/** The ONNX text reader on hand-written models: every syntax form, and located errors for each class. */
import { describe, expect, it } from 'vitest';
import { QccError } from '../../errors.ts';
import { interpret } from '../../interpreter/interpret.ts';
import { Tensor } from '../../ir/tensor.ts';
import { TextError } from '../../text/located-error.ts';
import { openReferee } from '../../../test/referee/ort.ts';
import { AttributeType, int64ToBigInt, onnx, type Int64 } from '../onnx/proto.ts';
import { loadOnnxText, onnxTextToBytes, parseOnnxText, printOnnxText } from './index.ts';

const MODEL = `
# A comment line.
<
  ir_version: 8,
  opset_import: ["" : 17, "com.microsoft" : 1],
  producer_name: "hand \\"written\\"",
  producer_version: "1.0",
  domain: "test.qcc",
  model_version: 3,
  doc_string: "doc",
  metadata_props: ["author" : "qcc", "k" : "v"]
>
"my graph" (float[N, 3] x, uint8[2, "M.x", ?] sym, float[3] b = {0.5, -1, 2}) => (float[N, 3] y, uint8[N,3] q, "untyped")
<
  float[] scale = {0.5},
  uint8[] zp = {10},
  int64[2] big = {-9223372036854775808, 9223372036854775807},
  float[N, 3] s,
  "plain"
>
{
  s = Add (x, b)       # trailing comment
  [lbl] r = LeakyRelu <alpha: float = 0.25> (s)
  c = Constant <value = float[1, 3] {1, 2, -inf}> ()
  m = Mul (r, c)
  y = Relu (m)
  q = QuantizeLinear <axis = 1> (y, scale, zp)
  untyped = com.microsoft.QLinearAdd <ints_attr = [1, -2], floats_attr = [1, 2.5], strs = ["a", "b"], e: ints = [], n: int = 7, f: float = 3, str: string = "s"> (q, scale, zp, q, scale, zp, scale, "")
}
`;

describe('ONNX text reader', () => {
  it('reads the model header', () => {
    const m = parseOnnxText(MODEL);
    expect(m.irVersion).toBe(8);
    expect(m.opsetImport).toEqual([{ domain: '', version: 17 }, { domain: 'com.microsoft', version: 1 }]);
    expect(m.producerName).toBe('hand "written"');
    expect([m.producerVersion, m.domain, m.modelVersion, m.docString]).toEqual(['1.0', 'test.qcc', 3, 'doc']);
    expect(m.metadataProps).toEqual([{ key: 'author', value: 'qcc' }, { key: 'k', value: 'v' }]);
  });

  it('reads inputs, outputs, initializers (inline and in the input list), value_info and symbolic dims', () => {
    const g = parseOnnxText(MODEL).graph!;
    expect(g.name).toBe('my graph');
    expect(g.input!.map((v) => v.name)).toEqual(['x', 'sym', 'b']);
    const dims = g.input![1]!.type!.tensorType!.shape!.dim!;
    expect(dims).toEqual([{ dimValue: 2 }, { dimParam: 'M.x' }, {}]);
    expect(g.input![1]!.type!.tensorType!.elemType).toBe(2);
    expect(g.output!.map((v) => v.name)).toEqual(['y', 'q', 'untyped']);
    expect(g.output![2]!.type).toBeUndefined();
    expect(g.initializer!.map((t) => t.name)).toEqual(['b', 'scale', 'zp', 'big']);
    expect(g.initializer![1]!.dims).toEqual([]);
    const big = onnx.TensorProto.decode(onnx.TensorProto.encode(g.initializer![3]!).finish());
    const raw = new BigInt64Array(new Uint8Array(big.rawData).buffer);
    expect([...raw]).toEqual([-(2n ** 63n), 2n ** 63n - 1n]);
    expect(g.valueInfo!.map((v) => v.name)).toEqual(['s', 'plain']);
  });

  it('reads nodes: labels, domains, empty inputs, attributes of every kind (typed and inferred)', () => {
    const nodes = parseOnnxText(MODEL).graph!.node!;
    expect(nodes.map((n) => [n.domain, n.opType])).toEqual([
      ['', 'Add'], ['', 'LeakyRelu'], ['', 'Constant'], ['', 'Mul'], ['', 'Relu'], ['', 'QuantizeLinear'], ['com.microsoft', 'QLinearAdd'],
    ]);
    expect(nodes[1]!.name).toBe('lbl');
    expect(nodes[0]!.name).toBeUndefined();
    expect(nodes[6]!.input![7]).toBe('');
    const attrs = Object.fromEntries(nodes[6]!.attribute!.map((a) => [a.name, a]));
    expect(attrs.ints_attr).toMatchObject({ type: AttributeType.INTS, ints: [1, -2] });
    expect(attrs.floats_attr).toMatchObject({ type: AttributeType.FLOATS, floats: [1, 2.5] });
    expect(attrs.strs!.type).toBe(AttributeType.STRINGS);
    expect(attrs.e).toMatchObject({ type: AttributeType.INTS, ints: [] });
    expect(attrs.n).toMatchObject({ type: AttributeType.INT, i: 7 });
    expect(attrs.f).toMatchObject({ type: AttributeType.FLOAT, f: 3 });
    expect(attrs.str!.type).toBe(AttributeType.STRING);
    expect(nodes[1]!.attribute![0]).toMatchObject({ type: AttributeType.FLOAT, f: 0.25 });
    expect(nodes[5]!.attribute![0]).toMatchObject({ type: AttributeType.INT, i: 1 });
    const t = nodes[2]!.attribute![0]!;
    expect(t.type).toBe(AttributeType.TENSOR);
    expect(t.t!.dims).toEqual([1, 3]);
    expect([...new Float32Array(new Uint8Array(t.t!.rawData!).buffer)]).toEqual([1, 2, -Infinity]);
  });

  it('prints what it reads: print(parse(text)) is a fixed point', () => {
    const once = printOnnxText(onnx.ModelProto.decode(onnxTextToBytes(MODEL)));
    const twice = printOnnxText(onnx.ModelProto.decode(onnxTextToBytes(once)));
    expect(twice).toBe(once);
    expect(once).toContain('[lbl] r = LeakyRelu <alpha: float = 0.25> (s)');
    expect(once).toContain('untyped = com.microsoft.QLinearAdd');
    expect(once).toContain('uint8[2,"M.x",?] sym');
  });

  it('imports through the binary reader and runs (values computed by hand)', () => {
    const text = `<ir_version: 8, opset_import: ["" : 17]>
      g (float[2, 3] x) => (float[2, 3] y, uint8[2, 3] q)
      <float[3] b = {0.5, -1, 2}, float[] scale = {0.5}, uint8[] zp = {10}>
      {
        s = Add (x, b)
        y = LeakyRelu <alpha: float = 0.25> (s)
        q = QuantizeLinear (y, scale, zp)
      }`;
    const g = loadOnnxText(text);
    const out = interpret(g, new Map([['x', Tensor.fromNumbers('f32', [2, 3], [1, 2, 3, -4, 5, 0.5])]]));
    // s = [1.5, 1, 5, -3.5, 4, 2.5]; y = leaky(s); q = sat(rne(y / 0.5) + 10)
    expect(out.get('y')!.toNumbers()).toEqual([1.5, 1, 5, -0.875, 4, 2.5]);
    expect(out.get('q')!.toNumbers()).toEqual([13, 12, 20, 8, 18, 15]);
  });

  it('converts to a binary model that onnxruntime-web runs', async () => {
    const bytes = onnxTextToBytes(`<ir_version: 8, opset_import: ["" : 17]>
      g (float[2] x) => (float[2] y) { y = Mul <> (x, x) }`.replace('<> ', ''));
    const ort = await openReferee(bytes, 'disabled');
    try {
      const out = await ort.run(new Map([['x', Tensor.fromNumbers('f32', [2], [3, -0.5])]]));
      expect(out.get('y')!.toNumbers()).toEqual([9, 0.25]);
    } finally {
      await ort.release();
    }
  });

  it('keeps exact values: -0, float32 specials, 64-bit ints, float16', () => {
    const text = `<ir_version: 8, opset_import: ["" : 17]>
      g () => (float[5] a) <float[5] a = {-0.0, 0.1, 3.4028234663852886e38, 1e-45, nan}, float16[2] h = {0.1, -65504}, uint64[1] u = {18446744073709551615}> { }`;
    const m = parseOnnxText(text);
    const a = new Float32Array(new Uint8Array(m.graph!.initializer![0]!.rawData!).buffer);
    expect(Object.is(a[0], -0)).toBe(true);
    expect(a[1]).toBe(Math.fround(0.1));
    expect(a[3]).toBe(Math.fround(1e-45));
    expect(Number.isNaN(a[4])).toBe(true);
    const h = new Uint16Array(new Uint8Array(m.graph!.initializer![1]!.rawData!).buffer);
    expect([...h]).toEqual([0x2e66, 0xfbff]);
    const printed = printOnnxText(onnx.ModelProto.decode(onnxTextToBytes(text)));
    expect(printed).toContain('{-0.0, 0.1, 3.4028235e+38, 1e-45, nan}');
    // Shortest decimals that read back to the same half-precision bits.
    expect(printed).toContain('{0.1, -65500}');
    expect(printed).toContain('{18446744073709551615}');
    expect(int64ToBigInt(1 as Int64)).toBe(1n);
  });

  it('reads graph-valued attributes and non-tensor types', () => {
    const text = `<ir_version: 8, opset_import: ["" : 17]>
      g (bool c, seq(float[2]) s, map(int64, float) mp, optional(float[]) o) => (float[1] y) {
        y = If <then_branch: graph = t () => (float[1] a) { a = Constant <value: tensor = float[1] {1}> () },
                else_branch = e () => (float[1] b) { b = Constant <value = float[1] {2}> () }> (c)
      }`;
    const m = parseOnnxText(text);
    const g = m.graph!;
    expect(g.input![1]!.type!.sequenceType!.elemType!.tensorType!.elemType).toBe(1);
    expect(g.input![2]!.type!.mapType!.keyType).toBe(7);
    expect(g.input![3]!.type!.optionalType).toBeTruthy();
    const attrs = g.node![0]!.attribute!;
    expect(attrs.map((a) => [a.name, a.type])).toEqual([['then_branch', AttributeType.GRAPH], ['else_branch', AttributeType.GRAPH]]);
    expect(attrs[1]!.g!.node![0]!.opType).toBe('Constant');
    const printed = printOnnxText(onnx.ModelProto.decode(onnxTextToBytes(text)));
    expect(printOnnxText(onnx.ModelProto.decode(onnxTextToBytes(printed)))).toBe(printed);
  });
});

/** Parses, expects a located TextError; returns it. */
function located(text: string, line: number, column: number, ...fragments: string[]): TextError {
  let err: unknown;
  try {
    parseOnnxText(text, 'm.onnxtxt');
  } catch (e) {
    err = e;
  }
  expect(err, 'expected an error').toBeInstanceOf(TextError);
  const e = err as TextError;
  expect(e).toBeInstanceOf(QccError);
  for (const f of fragments) expect(e.message).toContain(f);
  expect(e.message.startsWith(`m.onnxtxt:${line}:${column}: `), e.message).toBe(true);
  expect([e.line, e.column]).toEqual([line, column]);
  return e;
}

const HEAD = '<ir_version: 8, opset_import: ["" : 17]>\n';

describe('ONNX text errors carry line, column and what was expected', () => {
  it('bad token', () => {
    const e = located(HEAD + 'g (float[2] x) => (float[2] y) {\n  y = Relu ($x)\n}', 3, 13, 'unexpected character "$"');
    expect(e.code).toBe('E_PARSE');
    // The message quotes the line with a caret under the column.
    expect(e.message).toContain('\n      y = Relu ($x)\n                ^');
    located(HEAD + 'g (float[2] x) => (float[2] y) {\n  y = Relu (x) "unterminated\n}', 3, 16, "unterminated string");
  });

  it('unexpected token says what was expected', () => {
    located(HEAD + 'g (float[2] x) => (float[2] y) {\n  y = Relu x\n}', 3, 12, "expected '(' but found 'x'");
    located(HEAD + 'g (float[2] x) (float[2] y) { }', 2, 16, "expected '=>' but found '('");
    located(HEAD + 'g (float[2] x) => (float[2] y) { } extra', 2, 36, "unexpected 'extra' after the graph");
  });

  it('unclosed and mismatched brackets', () => {
    located(HEAD + 'g (float[2] x) => (float[2] y) {\n  y = Relu (x)\n', 2, 32, "unclosed '{'", "expected '}'");
    located(HEAD + 'g (float[2 x) => (float[2] y) { }', 2, 13, "expected ']' to close '[' opened at 2:9, but found ')'");
    located(HEAD + 'g (float[2] x) => (float[2] y) {\n  y = Relu <alpha = 1 (x)\n}', 4, 1, "expected '>' to close '<' opened at 3:12, but found '}'");
  });

  it('unknown type', () => {
    const e = located(HEAD + 'g (flaot[2] x) => (float[2] y) { }', 2, 4, "unknown type 'flaot'", 'expected one of float, uint8');
    expect(e.code).toBe('E_PARSE');
    located(HEAD + 'g (float[2] x) => (float[2] y) {\n  y = Cast <to = 1, t = flt[1] {1}> (x)\n}', 3, 25, "unknown type 'flt'");
  });

  it('wrong attribute kind', () => {
    located(HEAD + 'g (float[2] x) => (float[2] y) {\n  y = LeakyRelu <alpha: int = 0.5> (x)\n}', 3, 31, "attribute 'alpha' is declared int but the value is a float");
    located(HEAD + 'g (float[2] x) => (float[2] y) {\n  y = Foo <a: ints = 3> (x)\n}', 3, 22, "attribute 'a' is declared ints but its value is a single value");
    located(HEAD + 'g (float[2] x) => (float[2] y) {\n  y = Foo <a: string = [1]> (x)\n}', 3, 25, "attribute 'a' is declared string but its value is a list");
    located(HEAD + 'g (float[2] x) => (float[2] y) {\n  y = Foo <a: floats = ["x"]> (x)\n}', 3, 25, "declared floats but the value is a string");
    located(HEAD + 'g (float[2] x) => (float[2] y) {\n  y = Foo <a: intz = 1> (x)\n}', 3, 15, "unknown attribute type 'intz'");
    located(HEAD + 'g (float[2] x) => (float[2] y) {\n  y = Foo <a = []> (x)\n}', 3, 16, 'the type of an empty list cannot be inferred');
    located(HEAD + 'g (float[2] x) => (float[2] y) {\n  y = Foo <a = [1, "s"]> (x)\n}', 3, 17, "mixes int and string");
  });

  it('bad data and header values', () => {
    located(HEAD + 'g () => (float[2] y) <float[2] y = {1, 2, 3}> { }', 2, 43, "float[2] 'y' needs 2 values, found 3");
    located(HEAD + 'g () => (uint8[2] y) <uint8[2] y = {1, 256}> { }', 2, 40, '256 is out of range for uint8 (0 to 255)');
    located(HEAD + 'g () => (int8[1] y) <int8[1] y = {1.5}> { }', 2, 35, "expected an integer in int8 data, found '1.5'");
    located(HEAD + 'g () => (float[N] y) <float[N] y = {1}> { }', 2, 29, 'a constant needs a static shape');
    located('<ir_version: "8">\ng () => () { }', 1, 14, 'ir_version must be an integer');
    located('<ir_version: 8, opsets: []>\ng () => () { }', 1, 17, "unknown model field 'opsets'");
  });
});
