import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { QccError } from '../../errors.ts';
import { Tensor, tensorsIdentical } from '../../ir/tensor.ts';
import { verifyGraph } from '../../ir/verify.ts';
import { loadOnnxBytes, loadOnnxModel } from './load.ts';
import { AttributeType, DataLocation } from './proto.ts';
import { ALL_DTYPES, cornerTensor, expectQcc, randomBytes } from './test-helpers.ts';
import { TEST_DOMAIN } from './testing-ops.ts';
import { encodeModel, encodeModelProto, modelProto, type ModelDesc } from './writer.ts';

const REPO = join(import.meta.dirname, '../../..');
const OPSETS = [
  { domain: '', version: 17 },
  { domain: TEST_DOMAIN, version: 1 },
];
const f32 = (shape: number[], vals: number[]) => Tensor.fromNumbers('f32', shape, vals);

const tmp = mkdtempSync(join(tmpdir(), 'qcc-load-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** x:f32[2,3] + w (initializer) -> y */
function addModel(extra: Partial<ModelDesc> = {}): ModelDesc {
  return {
    opsets: OPSETS,
    graphName: 'add',
    inputs: [{ name: 'x', dtype: 'f32', shape: [2, 3] }],
    outputs: [{ name: 'y', dtype: 'f32', shape: [2, 3] }],
    initializers: [{ name: 'w', tensor: f32([2, 3], [1, 2, 3, 4, 5, 6]) }],
    nodes: [{ op: 'Add', domain: TEST_DOMAIN, name: 'add0', inputs: ['x', 'w'], outputs: ['y'] }],
    ...extra,
  };
}

describe('loadOnnxBytes: basic import', () => {
  it('builds a typed graph with inputs, constants, nodes and outputs', () => {
    const g = loadOnnxBytes(encodeModel({ ...addModel(), producerName: 'unit-test' }));
    verifyGraph(g);
    expect(g.name).toBe('add');
    expect(g.inputs.map((v) => [v.name, v.type.dtype, [...v.type.shape]])).toEqual([['x', 'f32', [2, 3]]]);
    expect(g.nodes.map((n) => [n.name, n.op])).toEqual([['add0', 'qcc_test_add']]);
    const w = g.nodes[0]!.inputs[1]!;
    expect(w.name).toBe('w');
    expect(tensorsIdentical(w.const!, f32([2, 3], [1, 2, 3, 4, 5, 6]))).toBe(true);
    expect(g.outputs.map((v) => v.name)).toEqual(['y']);
    expect(g.outputs[0]!.producer).toBe(g.nodes[0]);
    expect(g.meta.producer).toBe('unit-test');
    expect(g.meta.opsets).toBe(`ai.onnx=17,${TEST_DOMAIN}=1`);
  });

  it('names the graph after the file when the model gives no name', () => {
    const p = join(tmp, 'my-model.onnx');
    writeFileSync(p, encodeModel({ ...addModel(), graphName: '' }));
    expect(loadOnnxModel(p).name).toBe('my-model');
    expect(loadOnnxBytes(encodeModel({ ...addModel(), graphName: '' }), { name: 'n' }).name).toBe('n');
  });

  it('reports a missing file or a folder as E_IO', () => {
    expectQcc(() => loadOnnxModel(join(tmp, 'nope.onnx')), 'E_IO', 'nope.onnx');
    expectQcc(() => loadOnnxModel(tmp), 'E_IO', 'folder');
    const p = join(tmp, 'notes.txt');
    writeFileSync(p, 'just some notes');
    expectQcc(() => loadOnnxModel(p), 'E_PARSE', 'not an ONNX model', 'notes.txt');
  });

  it('treats graph inputs that are also initializers as constants (IR < 4 convention)', () => {
    const d = addModel();
    d.inputs.push({ name: 'w', dtype: 'f32', shape: [2, 3] });
    const g = loadOnnxBytes(encodeModel({ ...d, irVersion: 3 }));
    expect(g.inputs.map((v) => v.name)).toEqual(['x']);
    expect(g.nodes[0]!.inputs[1]!.const).toBeDefined();
  });

  it("treats domain 'ai.onnx' like ''", () => {
    const d = addModel({
      opsets: [{ domain: 'ai.onnx', version: 13 }],
      nodes: [{ op: 'QccTestAdd', domain: 'ai.onnx', inputs: ['x', 'w'], outputs: ['y'] }],
    });
    expect(loadOnnxBytes(encodeModel(d)).nodes).toHaveLength(1);
    const d2 = addModel({
      opsets: [{ domain: 'ai.onnx', version: 13 }],
      nodes: [{ op: 'QccTestAdd', domain: '', inputs: ['x', 'w'], outputs: ['y'] }],
    });
    expect(loadOnnxBytes(encodeModel(d2)).nodes).toHaveLength(1);
  });

  it('accepts models importing only com.microsoft, and unused opset imports', () => {
    const d = addModel({
      opsets: [{ domain: 'com.microsoft', version: 1 }, { domain: 'ai.onnx.ml', version: 3 }],
      initializers: [],
      nodes: [{ op: 'QccTestMsOp', domain: 'com.microsoft', inputs: ['x'], outputs: ['y'] }],
    });
    expect(loadOnnxBytes(encodeModel(d)).nodes.map((n) => n.op)).toEqual(['qcc_test_runtime']);
  });

  it('rejects a node in a domain the model does not import (E_MODEL)', () => {
    const d = addModel({ opsets: [{ domain: '', version: 13 }] });
    expectQcc(() => loadOnnxBytes(encodeModel(d)), 'E_MODEL', 'add0', TEST_DOMAIN, 'does not import');
    const d2 = addModel({
      opsets: [{ domain: 'com.microsoft', version: 1 }],
      nodes: [{ op: 'QccTestAdd', inputs: ['x', 'w'], outputs: ['y'] }],
    });
    expectQcc(() => loadOnnxBytes(encodeModel(d2)), 'E_MODEL', "'ai.onnx'", 'does not import');
  });

  it('picks the importer by the model opset', () => {
    const d = (v: number) =>
      addModel({ opsets: [{ domain: TEST_DOMAIN, version: v }], initializers: [], nodes: [{ op: 'Versioned', domain: TEST_DOMAIN, inputs: ['x'], outputs: ['y'] }] });
    expect(loadOnnxBytes(encodeModel(d(4))).nodes[0]!.op).toBe('qcc_test_runtime');
    expect(loadOnnxBytes(encodeModel(d(5))).nodes[0]!.op).toBe('qcc_test_add');
    expect(loadOnnxBytes(encodeModel(d(9))).nodes[0]!.op).toBe('qcc_test_add');
  });

  it('rejects a model importing one domain twice at different versions, and IR >= 3 without opsets', () => {
    expectQcc(() => loadOnnxBytes(encodeModel(addModel({ opsets: [...OPSETS, { domain: 'ai.onnx', version: 13 }] }))), 'E_MODEL', 'twice');
    expectQcc(() => loadOnnxBytes(encodeModel({ ...addModel({ opsets: [] }), irVersion: 7 })), 'E_MODEL', 'opset_import');
  });
});

describe('tensor storage forms', () => {
  for (const dtype of ALL_DTYPES) {
    for (const storage of ['raw', 'typed'] as const) {
      it(`${dtype} initializer stored as ${storage}`, () => {
        const t = cornerTensor(dtype);
        const g = loadOnnxBytes(
          encodeModel({
            opsets: OPSETS,
            inputs: [],
            outputs: [{ name: 'c', dtype, shape: [2, 3] }],
            initializers: [{ name: 'c', tensor: t, storage }],
            nodes: [],
          }),
        );
        const c = g.outputs[0]!;
        expect(c.const).toBeDefined();
        expect(tensorsIdentical(c.const!, t)).toBe(true);
      });
    }
  }

  it('reads scalars and zero-size tensors', () => {
    const s = Tensor.scalar('i32', -7);
    const z = new Tensor('u8', [0, 3]);
    const g = loadOnnxBytes(
      encodeModel({
        opsets: OPSETS,
        inputs: [],
        outputs: [{ name: 's', dtype: 'i32', shape: [] }, { name: 'z', dtype: 'u8', shape: [0, 3] }],
        initializers: [{ name: 's', tensor: s, storage: 'typed' }, { name: 'z', tensor: z }],
        nodes: [],
      }),
    );
    expect(tensorsIdentical(g.outputs[0]!.const!, s)).toBe(true);
    expect(tensorsIdentical(g.outputs[1]!.const!, z)).toBe(true);
  });

  const oneInit = (edit: (t: Record<string, unknown>) => void, maxTensorBytes?: number) => {
    const m = modelProto({
      opsets: OPSETS,
      inputs: [],
      outputs: [{ name: 'c', dtype: 'f32' }],
      initializers: [{ name: 'c', tensor: f32([2, 2], [1, 2, 3, 4]) }],
      nodes: [],
    });
    edit(m.graph!.initializer![0] as Record<string, unknown>);
    return () => loadOnnxBytes(encodeModelProto(m), maxTensorBytes !== undefined ? { maxTensorBytes } : {});
  };

  it('rejects data whose length does not match the shape, naming the tensor (E_MODEL)', () => {
    expectQcc(oneInit((t) => (t.rawData = new Uint8Array(12))), 'E_MODEL', "'c'", '12 bytes');
    expectQcc(oneInit((t) => ((t.rawData = undefined), (t.floatData = [1, 2, 3]))), 'E_MODEL', "'c'", 'float_data');
    expectQcc(oneInit((t) => ((t.rawData = undefined), (t.dataType = 7), (t.int64Data = [1]))), 'E_MODEL', "'c'", 'int64_data');
  });

  it('rejects unsupported data types, naming the tensor and the type (E_UNSUPPORTED)', () => {
    expectQcc(oneInit((t) => (t.dataType = 16)), 'E_UNSUPPORTED', "'c'", 'BFLOAT16');
    expectQcc(oneInit((t) => ((t.dataType = 8), (t.rawData = undefined), (t.stringData = [new Uint8Array([65])]))), 'E_UNSUPPORTED', "'c'", 'STRING');
    expectQcc(oneInit((t) => (t.dataType = 22)), 'E_UNSUPPORTED', 'INT4');
    expectQcc(oneInit((t) => (t.dataType = 17)), 'E_UNSUPPORTED', 'FLOAT8E4M3FN');
    expectQcc(oneInit((t) => (t.dataType = 99)), 'E_UNSUPPORTED', '#99');
  });

  it('rejects negative and absurd dims and oversize tensors before allocating (E_LIMIT)', () => {
    expectQcc(oneInit((t) => (t.dims = [2, -2])), 'E_LIMIT', "'c'", '-2');
    expectQcc(oneInit((t) => (t.dims = [1 << 30, 1 << 30, 1 << 30])), 'E_LIMIT', "'c'", 'over the limit');
    expectQcc(oneInit((t) => (t.dims = [{ low: -1, high: 0x7fffffff }])), 'E_LIMIT', "'c'");
    expectQcc(oneInit(() => {}, 15), 'E_LIMIT', "'c'", '16 bytes', 'limit of 15');
    // Exactly at the limit is fine.
    expect(() => oneInit(() => {}, 16)()).not.toThrow();
  });

  it('limits the sum of the initializers', () => {
    const d: ModelDesc = {
      opsets: OPSETS,
      inputs: [],
      outputs: [{ name: 'a', dtype: 'f32' }],
      initializers: [
        { name: 'a', tensor: f32([4], [1, 2, 3, 4]) },
        { name: 'b', tensor: f32([4], [1, 2, 3, 4]) },
      ],
      nodes: [],
    };
    expect(() => loadOnnxBytes(encodeModel(d), { maxTensorBytes: 32 })).not.toThrow();
    expectQcc(() => loadOnnxBytes(encodeModel(d), { maxTensorBytes: 31 }), 'E_LIMIT', 'initializers', "'b'");
  });
});

describe('external data', () => {
  const values = f32([2, 3], [1, -2, 3.5, 4, 5, 6e-3]);
  let k = 0;
  /** A model folder whose initializer 'w' is stored in `location` at `offset`. */
  function externalModel(location: string, opts: { offset?: number; length?: number; writeFile?: string | null; pad?: number } = {}) {
    const dir = join(tmp, `ext${k++}`);
    mkdirSync(dir);
    const m = modelProto(addModel());
    const w = m.graph!.initializer![0]!;
    w.rawData = undefined;
    w.dataLocation = DataLocation.EXTERNAL;
    w.externalData = [{ key: 'location', value: location }];
    if (opts.offset !== undefined) w.externalData.push({ key: 'offset', value: String(opts.offset) });
    if (opts.length !== undefined) w.externalData.push({ key: 'length', value: String(opts.length) });
    const file = opts.writeFile === undefined ? location : opts.writeFile;
    if (file !== null) {
      const bytes = new Uint8Array((opts.offset ?? 0) + values.byteLength + (opts.pad ?? 0));
      bytes.set(values.bytes(), opts.offset ?? 0);
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), bytes);
    }
    const path = join(dir, 'model.onnx');
    writeFileSync(path, encodeModelProto(m));
    return { dir, path };
  }

  it('reads data at an offset, in a subfolder', () => {
    const { path } = externalModel('weights/w.bin', { offset: 24, length: 24, pad: 5 });
    const g = loadOnnxModel(path);
    expect(tensorsIdentical(g.nodes[0]!.inputs[1]!.const!, values)).toBe(true);
  });

  it('reads data without offset and length', () => {
    const { path } = externalModel('w.bin');
    expect(tensorsIdentical(loadOnnxModel(path).nodes[0]!.inputs[1]!.const!, values)).toBe(true);
  });

  it('reports a missing file as E_IO', () => {
    const { path } = externalModel('missing.bin', { writeFile: null });
    expectQcc(() => loadOnnxModel(path), 'E_IO', 'missing.bin', "'w'");
  });

  it('refuses paths that leave the model folder (E_MODEL)', () => {
    const { dir } = externalModel('../outside.bin', { writeFile: null });
    writeFileSync(join(dir, '..', 'outside.bin'), values.bytes());
    expectQcc(() => loadOnnxModel(join(dir, 'model.onnx')), 'E_MODEL', '../outside.bin', 'outside');
    const { path: p2 } = externalModel('sub/../../outside.bin', { writeFile: null });
    expectQcc(() => loadOnnxModel(p2), 'E_MODEL', 'outside');
    const { path: p3 } = externalModel(join(tmp, 'outside.bin'), { writeFile: null });
    expectQcc(() => loadOnnxModel(p3), 'E_MODEL', 'absolute');
  });

  it('refuses a symlink that points outside the model folder', () => {
    writeFileSync(join(tmp, 'secret.bin'), values.bytes());
    const { dir, path } = externalModel('link.bin', { writeFile: null });
    symlinkSync(join(tmp, 'secret.bin'), join(dir, 'link.bin'));
    expectQcc(() => loadOnnxModel(path), 'E_MODEL', 'outside');
  });

  it('rejects a short file, a wrong length and a bad offset (E_MODEL)', () => {
    expectQcc(() => loadOnnxModel(externalModel('w.bin', { offset: 8, writeFile: null }).path), 'E_IO');
    const short = externalModel('w.bin');
    writeFileSync(join(short.dir, 'w.bin'), new Uint8Array(10));
    expectQcc(() => loadOnnxModel(short.path), 'E_MODEL', 'too short');
    expectQcc(() => loadOnnxModel(externalModel('w.bin', { length: 20 }).path), 'E_MODEL', 'length 20');
    const m = externalModel('w.bin');
    const proto = modelProto(addModel());
    const w = proto.graph!.initializer![0]!;
    w.rawData = undefined;
    w.dataLocation = DataLocation.EXTERNAL;
    w.externalData = [{ key: 'location', value: 'w.bin' }, { key: 'offset', value: '-4' }];
    writeFileSync(m.path, encodeModelProto(proto));
    expectQcc(() => loadOnnxModel(m.path), 'E_MODEL', 'offset');
  });

  it('needs a folder when loading from bytes', () => {
    const { path } = externalModel('w.bin');
    expectQcc(() => loadOnnxBytes(readFileSync(path)), 'E_IO', 'external');
  });
});

describe('files that are not ONNX models', () => {
  it('rejects empty, text and random bytes with E_PARSE', () => {
    expectQcc(() => loadOnnxBytes(new Uint8Array(0)), 'E_PARSE', 'not an ONNX model', 'empty');
    expectQcc(() => loadOnnxBytes(new TextEncoder().encode('hello, this is a text file\n')), 'E_PARSE', 'not an ONNX model');
    expectQcc(() => loadOnnxBytes(new TextEncoder().encode('{"irVersion": 8}')), 'E_PARSE', 'not an ONNX model');
    for (let seed = 1; seed <= 300; seed++) {
      expectQcc(() => loadOnnxBytes(randomBytes(1 + (seed * 37) % 700, seed)), 'E_PARSE', 'not an ONNX model');
    }
  });

  it('rejects a valid protobuf without a graph (E_PARSE)', () => {
    expectQcc(() => loadOnnxBytes(encodeModelProto({ irVersion: 8, producerName: 'x' })), 'E_PARSE', 'no graph');
  });

  it('never throws anything but a QccError on a truncated real model', () => {
    const bytes = readFileSync(join(REPO, 'test/data/models/migraphx/qlinearconv_test.onnx'));
    const codes = new Set<string>();
    for (let n = 0; n < bytes.length; n++) {
      try {
        loadOnnxBytes(bytes.subarray(0, n));
        codes.add('ok');
      } catch (e) {
        if (!(e instanceof QccError)) throw new Error(`truncated at ${n}: ${e instanceof Error ? e.stack : e}`);
        codes.add(e.code);
      }
    }
    expect(codes.has('E_PARSE')).toBe(true);
    expect(codes.has('ok')).toBe(false);
  });
});

describe('unsupported ops', () => {
  it('lists every unsupported node at once, with domain, op type, opset and counts', () => {
    const d = addModel({
      opsets: [...OPSETS, { domain: 'com.microsoft', version: 1 }],
      nodes: [
        { op: 'FancyOp', name: 'f1', inputs: ['x'], outputs: ['a'] },
        { op: 'Add', domain: TEST_DOMAIN, name: 'ok', inputs: ['a', 'w'], outputs: ['b'] },
        { op: 'FancyOp', name: 'f2', inputs: ['b'], outputs: ['c'] },
        { op: 'WeirdOp', domain: 'com.microsoft', name: 'ms1', inputs: ['c'], outputs: ['y'] },
      ],
    });
    const e = expectQcc(() => loadOnnxBytes(encodeModel(d)), 'E_UNSUPPORTED_OP', "'f1'", "'f2'", "'ms1'", 'ai.onnx::FancyOp (opset 17): 2 nodes', 'com.microsoft::WeirdOp (opset 1): 1 node');
    expect(e.message).not.toContain("'ok'");
    expect(e.message).toContain('2 unsupported ops (3 nodes)');
  });
});

describe('graph inputs and dynamic shapes', () => {
  const dyn = (shape: (number | string)[] | undefined) =>
    modelProto(addModel({ inputs: [{ name: 'x', dtype: 'f32', shape: shape ?? [] }], outputs: [{ name: 'y', dtype: 'f32' }] }));

  it('needs an override for symbolic dims (E_DYNAMIC_SHAPE with a hint)', () => {
    const e = expectQcc(() => loadOnnxBytes(encodeModelProto(dyn(['N', 3]))), 'E_DYNAMIC_SHAPE', "'x'", '[N, 3]');
    expect(e.hint).toContain('--input-shape x=1x3');
    expect(e.hint).toContain('N');
    const g = loadOnnxBytes(encodeModelProto(dyn(['N', 3])), { inputShapes: { x: [2, 3] } });
    expect([...g.inputs[0]!.type.shape]).toEqual([2, 3]);
    expect([...g.outputs[0]!.type.shape]).toEqual([2, 3]);
  });

  it('needs an override for dims that are missing or a missing shape', () => {
    const m = dyn([2, 3]);
    delete (m.graph!.input![0]!.type!.tensorType!.shape!.dim![1] as Record<string, unknown>).dimValue;
    expectQcc(() => loadOnnxBytes(encodeModelProto(m)), 'E_DYNAMIC_SHAPE', '[2, ?]');
    const m2 = dyn([]);
    delete m2.graph!.input![0]!.type!.tensorType!.shape;
    expectQcc(() => loadOnnxBytes(encodeModelProto(m2)), 'E_DYNAMIC_SHAPE', "'x'", 'no declared shape');
    expect(loadOnnxBytes(encodeModelProto(m2), { inputShapes: { x: [2, 3] } }).inputs[0]!.type.shape).toEqual([2, 3]);
  });

  it('checks overrides: rank, fixed dims, names', () => {
    const b = encodeModelProto(dyn(['N', 3]));
    expectQcc(() => loadOnnxBytes(b, { inputShapes: { x: [2, 3, 1] } }), 'E_USAGE', 'rank');
    expectQcc(() => loadOnnxBytes(b, { inputShapes: { x: [2, 4] } }), 'E_USAGE', 'fixed dimension 1');
    expectQcc(() => loadOnnxBytes(b, { inputShapes: { x: [2, 3], z: [1] } }), 'E_USAGE', "'z'");
    expectQcc(() => loadOnnxBytes(b, { inputShapes: { x: [2, 3], w: [1] } }), 'E_USAGE', "'w'", 'initializer');
    expectQcc(() => loadOnnxBytes(b, { inputShapes: { x: [2.5, 3] } }), 'E_USAGE');
    // A static input may be given its own shape.
    expect(loadOnnxBytes(encodeModel(addModel()), { inputShapes: { x: [2, 3] } }).inputs).toHaveLength(1);
  });

  it('rejects inputs without a type or of an unsupported type', () => {
    const m = dyn([2, 3]);
    delete m.graph!.input![0]!.type;
    expectQcc(() => loadOnnxBytes(encodeModelProto(m)), 'E_MODEL', "'x'", 'no type');
    const m2 = dyn([2, 3]);
    m2.graph!.input![0]!.type!.tensorType!.elemType = 16;
    expectQcc(() => loadOnnxBytes(encodeModelProto(m2)), 'E_UNSUPPORTED', "'x'", 'BFLOAT16');
    const m3 = dyn([2, 3]);
    m3.graph!.input![0]!.type = { sequenceType: { elemType: { tensorType: { elemType: 1 } } } };
    expectQcc(() => loadOnnxBytes(encodeModelProto(m3)), 'E_UNSUPPORTED', 'sequence');
  });
});

describe('graph structure', () => {
  const chain = (order: number[]): ModelDesc => {
    const nodes = [
      { op: 'Rt', domain: TEST_DOMAIN, name: 'n0', inputs: ['x'], outputs: ['a'] },
      { op: 'Rt', domain: TEST_DOMAIN, name: 'n1', inputs: ['a'], outputs: ['b'] },
      { op: 'Add', domain: TEST_DOMAIN, name: 'n2', inputs: ['a', 'b'], outputs: ['y'] },
    ];
    return addModel({ initializers: [], nodes: order.map((i) => nodes[i]!) });
  };

  it('sorts unsorted graphs', () => {
    for (const order of [[2, 1, 0], [1, 2, 0], [0, 2, 1]]) {
      const g = loadOnnxBytes(encodeModel(chain(order)));
      expect(g.nodes.map((n) => n.name)).toEqual(['n0', 'n1', 'n2']);
      verifyGraph(g);
    }
  });

  it('keeps the file order of independent nodes (stable)', () => {
    const d = addModel({
      initializers: [],
      outputs: [{ name: 'p', dtype: 'f32' }, { name: 'q', dtype: 'f32' }, { name: 'r', dtype: 'f32' }],
      nodes: [
        { op: 'Rt', domain: TEST_DOMAIN, name: 'c', inputs: ['x'], outputs: ['p'] },
        { op: 'Rt', domain: TEST_DOMAIN, name: 'a', inputs: ['x'], outputs: ['q'] },
        { op: 'Rt', domain: TEST_DOMAIN, name: 'b', inputs: ['x'], outputs: ['r'] },
      ],
    });
    expect(loadOnnxBytes(encodeModel(d)).nodes.map((n) => n.name)).toEqual(['c', 'a', 'b']);
  });

  it('rejects cycles, naming the nodes (E_MODEL)', () => {
    const d = addModel({
      initializers: [],
      nodes: [
        { op: 'Rt', domain: TEST_DOMAIN, name: 'start', inputs: ['x'], outputs: ['s'] },
        { op: 'Add', domain: TEST_DOMAIN, name: 'loopA', inputs: ['s', 'b'], outputs: ['a'] },
        { op: 'Rt', domain: TEST_DOMAIN, name: 'loopB', inputs: ['a'], outputs: ['b'] },
        { op: 'Rt', domain: TEST_DOMAIN, name: 'after', inputs: ['b'], outputs: ['y'] },
      ],
    });
    const e = expectQcc(() => loadOnnxBytes(encodeModel(d)), 'E_MODEL', 'cycle', "'loopA'", "'loopB'");
    expect(e.message).not.toContain("'after'");
    expect(e.message).not.toContain("'start'");
  });

  it('rejects values used but never defined, and values defined twice (E_MODEL)', () => {
    const d = addModel({ nodes: [{ op: 'Add', domain: TEST_DOMAIN, name: 'n', inputs: ['x', 'ghost'], outputs: ['y'] }] });
    expectQcc(() => loadOnnxBytes(encodeModel(d)), 'E_MODEL', "'ghost'", "'n'", 'never defined');
    const d2 = addModel({
      initializers: [],
      nodes: [
        { op: 'Rt', domain: TEST_DOMAIN, name: 'p', inputs: ['x'], outputs: ['y'] },
        { op: 'Rt', domain: TEST_DOMAIN, name: 'q', inputs: ['x'], outputs: ['y'] },
      ],
    });
    expectQcc(() => loadOnnxBytes(encodeModel(d2)), 'E_MODEL', "'y'", 'twice', "'p'", "'q'");
    const d3 = addModel({ nodes: [{ op: 'Rt', domain: TEST_DOMAIN, name: 'p', inputs: ['x'], outputs: ['w'] }], outputs: [{ name: 'w' }] });
    expectQcc(() => loadOnnxBytes(encodeModel(d3)), 'E_MODEL', "'w'", 'initializer');
    const d4 = addModel({ initializers: [{ name: 'w', tensor: f32([1], [1]) }, { name: 'w', tensor: f32([1], [2]) }] });
    expectQcc(() => loadOnnxBytes(encodeModel(d4)), 'E_MODEL', "'w'", 'twice');
  });

  it('rejects outputs that are never defined or listed twice, and graphs without outputs', () => {
    expectQcc(() => loadOnnxBytes(encodeModel(addModel({ outputs: [{ name: 'zz', dtype: 'f32' }] }))), 'E_MODEL', "'zz'", 'never defined');
    expectQcc(() => loadOnnxBytes(encodeModel(addModel({ outputs: [{ name: 'y' }, { name: 'y' }] }))), 'E_MODEL', "'y'", 'twice');
    expectQcc(() => loadOnnxBytes(encodeModel(addModel({ outputs: [] }))), 'E_MODEL', 'no outputs');
  });

  it('ignores value_info entries without a type; checks the dtype of typed ones', () => {
    const ok = addModel({ valueInfo: [{ name: 'y' }, { name: 'nothing' }, { name: 'x', dtype: 'f32', shape: ['S', 3] }] });
    expect(loadOnnxBytes(encodeModel(ok)).nodes).toHaveLength(1);
    const bad = addModel({ valueInfo: [{ name: 'y', dtype: 'i8' }] });
    expectQcc(() => loadOnnxBytes(encodeModel(bad)), 'E_SHAPE', "'y'", 'i8');
  });

  it('derives unique names for unnamed nodes and makes duplicate names unique', () => {
    const m = modelProto(chain([0, 1, 2]));
    m.graph!.node![0]!.name = '';
    m.graph!.node![1]!.name = 'n2';
    m.graph!.node![2]!.name = 'n2';
    const g = loadOnnxBytes(encodeModelProto(m));
    const names = g.nodes.map((n) => n.name);
    expect(names[0]).toContain('a');
    expect(new Set(names).size).toBe(3);
    expect(names).toContain('n2');
    verifyGraph(g);
  });

  it('keeps unused graph inputs and drops unused initializers', () => {
    const d = addModel({
      inputs: [{ name: 'x', dtype: 'f32', shape: [2, 3] }, { name: 'unused', dtype: 'u8', shape: [1] }],
      initializers: [{ name: 'w', tensor: f32([2, 3], [1, 2, 3, 4, 5, 6]) }, { name: 'dead', tensor: f32([1], [0]) }],
    });
    const g = loadOnnxBytes(encodeModel(d));
    expect(g.inputs.map((v) => v.name)).toEqual(['x', 'unused']);
    expect(g.valueByName('dead')).toBeUndefined();
  });
});

describe('graph outputs', () => {
  it('checks the declared dtype and static dims; ignores symbolic dims', () => {
    expectQcc(() => loadOnnxBytes(encodeModel(addModel({ outputs: [{ name: 'y', dtype: 'i32', shape: [2, 3] }] }))), 'E_SHAPE', "'y'", 'i32');
    expectQcc(() => loadOnnxBytes(encodeModel(addModel({ outputs: [{ name: 'y', dtype: 'f32', shape: [3, 2] }] }))), 'E_SHAPE', "'y'", '[3, 2]');
    expectQcc(() => loadOnnxBytes(encodeModel(addModel({ outputs: [{ name: 'y', dtype: 'f32', shape: [2] }] }))), 'E_SHAPE', "'y'");
    expect(loadOnnxBytes(encodeModel(addModel({ outputs: [{ name: 'y', dtype: 'f32', shape: ['batch', 3] }] }))).outputs).toHaveLength(1);
    expect(loadOnnxBytes(encodeModel(addModel({ outputs: [{ name: 'y' }] }))).outputs).toHaveLength(1);
  });

  it('gives outputs bound by Identity-like importers the declared name', () => {
    const d = addModel({
      nodes: [
        { op: 'Add', domain: TEST_DOMAIN, name: 'add', inputs: ['x', 'w'], outputs: ['s'] },
        { op: 'Ident', domain: TEST_DOMAIN, name: 'id', inputs: ['s'], outputs: ['y'] },
      ],
    });
    const g = loadOnnxBytes(encodeModel(d));
    expect(g.outputs.map((v) => v.name)).toEqual(['y']);
    expect(g.valueByName('y')).toBe(g.outputs[0]);
    expect(g.nodes).toHaveLength(1);
    verifyGraph(g);
  });

  it('rejects an output that merely passes a graph input through', () => {
    const d = addModel({ initializers: [], nodes: [{ op: 'Ident', domain: TEST_DOMAIN, name: 'id', inputs: ['x'], outputs: ['y'] }] });
    expectQcc(() => loadOnnxBytes(encodeModel(d)), 'E_UNSUPPORTED', "'y'");
  });

  it('gives two outputs bound to one constant a value each', () => {
    const d = addModel({
      inputs: [],
      outputs: [{ name: 'y1', dtype: 'f32' }, { name: 'y2', dtype: 'f32' }],
      nodes: [
        { op: 'Ident', domain: TEST_DOMAIN, name: 'i1', inputs: ['w'], outputs: ['y1'] },
        { op: 'Ident', domain: TEST_DOMAIN, name: 'i2', inputs: ['w'], outputs: ['y2'] },
      ],
    });
    const g = loadOnnxBytes(encodeModel(d));
    expect(g.outputs.map((v) => v.name)).toEqual(['y1', 'y2']);
    expect(g.outputs.every((v) => v.const !== undefined)).toBe(true);
    verifyGraph(g);
  });
});

describe('Constant nodes', () => {
  const constModel = (attrs: ModelDesc['nodes'][number]['attrs'], out = 'c') =>
    encodeModel({ opsets: OPSETS, inputs: [], outputs: [{ name: out }], nodes: [{ op: 'Constant', name: 'k', inputs: [], outputs: [out], attrs }] });

  it('imports every value form as a constant', () => {
    const t = cornerTensor('i16');
    const cases: [ModelDesc['nodes'][number]['attrs'], Tensor][] = [
      [{ value: { t } }, t],
      [{ value_float: { f: 0.1 } }, Tensor.scalar('f32', 0.1)],
      [{ value_floats: { floats: [1.5, -2, 0.1] } }, f32([3], [1.5, -2, 0.1])],
      [{ value_int: { i: -5 } }, Tensor.scalar('i64', -5)],
      [{ value_ints: { ints: [3, 0, -1] } }, Tensor.fromNumbers('i64', [3], [3, 0, -1])],
    ];
    for (const [attrs, want] of cases) {
      const g = loadOnnxBytes(constModel(attrs));
      expect(g.nodes).toHaveLength(0);
      expect(g.outputs[0]!.name).toBe('c');
      expect(tensorsIdentical(g.outputs[0]!.const!, want)).toBe(true);
    }
  });

  it('feeds constants into nodes and folds them', () => {
    const g = loadOnnxBytes(
      encodeModel({
        opsets: OPSETS,
        inputs: [],
        outputs: [{ name: 'y', dtype: 'f32', shape: [2] }],
        nodes: [
          { op: 'Constant', inputs: [], outputs: ['a'], attrs: { value: { t: f32([2], [1, 2]) } } },
          { op: 'Constant', inputs: [], outputs: ['b'], attrs: { value_floats: { floats: [10, 20] } } },
          { op: 'Add', domain: TEST_DOMAIN, inputs: ['a', 'b'], outputs: ['y'] },
        ],
      }),
    );
    expect(g.nodes).toHaveLength(0);
    expect(g.outputs[0]!.const!.toNumbers()).toEqual([11, 22]);
    const g2 = loadOnnxBytes(
      encodeModel({
        opsets: OPSETS,
        inputs: [{ name: 'x', dtype: 'f32', shape: [2] }],
        outputs: [{ name: 'y', dtype: 'f32', shape: [2] }],
        nodes: [
          { op: 'Constant', inputs: [], outputs: ['a'], attrs: { value: { t: f32([2], [1, 2]) } } },
          { op: 'Add', domain: TEST_DOMAIN, inputs: ['x', 'a'], outputs: ['y'] },
        ],
      }),
    );
    // The constant is named after the Constant node's output.
    expect(g2.nodes[0]!.inputs[1]!.name).toBe('a');
    expect(g2.nodes[0]!.inputs[1]!.const!.toNumbers()).toEqual([1, 2]);
  });

  it('rejects string and sparse values (E_UNSUPPORTED) and ambiguous forms (E_ATTR)', () => {
    expectQcc(() => loadOnnxBytes(constModel({ value_string: { s: 'hi' } })), 'E_UNSUPPORTED', "'k'", 'value_string');
    expectQcc(() => loadOnnxBytes(constModel({ value_strings: { strings: ['a'] } })), 'E_UNSUPPORTED', 'value_strings');
    expectQcc(() => loadOnnxBytes(constModel({ value_int: { i: 1 }, value_float: { f: 1 } })), 'E_ATTR', 'several');
    expectQcc(() => loadOnnxBytes(constModel({})), 'E_ATTR', 'no value');
    expectQcc(() => loadOnnxBytes(constModel({ value: { f: 1 } })), 'E_ATTR', "'value'", 'tensor');
    const m = modelProto({ opsets: OPSETS, inputs: [], outputs: [{ name: 'c' }], nodes: [{ op: 'Constant', name: 'k', inputs: [], outputs: ['c'] }] });
    m.graph!.node![0]!.attribute = [
      { name: 'sparse_value', type: AttributeType.SPARSE_TENSOR, sparseTensor: { dims: [4], values: { dataType: 1, dims: [1], floatData: [1] }, indices: { dataType: 7, dims: [1], int64Data: [2] } } },
    ];
    expectQcc(() => loadOnnxBytes(encodeModelProto(m)), 'E_UNSUPPORTED', 'sparse');
  });

  it('decodes typed storage inside tensor attributes', () => {
    const t = cornerTensor('u64');
    const m = modelProto({ opsets: OPSETS, inputs: [], outputs: [{ name: 'c' }], nodes: [{ op: 'Constant', name: 'k', inputs: [], outputs: ['c'], attrs: { value: { t } } }] });
    const attr = m.graph!.node![0]!.attribute![0]!;
    attr.t = { ...attr.t!, rawData: undefined, uint64Data: [...(t.data as BigUint64Array)].map((b) => ({ low: Number(b & 0xffffffffn) | 0, high: Number(b >> 32n) | 0, unsigned: true })) as unknown as number[] };
    expect(tensorsIdentical(loadOnnxBytes(encodeModelProto(m)).outputs[0]!.const!, t)).toBe(true);
  });
});
