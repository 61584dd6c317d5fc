import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cornerTensor, expectQcc } from '../frontend/onnx/test-helpers.ts';
import { Graph } from '../ir/graph.ts';
import { Tensor, tensorsIdentical } from '../ir/tensor.ts';
import { decodeNpy } from './npy.ts';
import { readInputsDir, readTensorFile, writeOutputsDir, writeTensorFile } from './test-data.ts';

const tmp = mkdtempSync(join(tmpdir(), 'qcc-io-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
let k = 0;
const dir = () => {
  const d = join(tmp, `d${k++}`);
  mkdirSync(d);
  return d;
};

/** A graph with inputs a: u8[2,3], b: i64[2,3] and both as outputs. */
function graph(): Graph {
  const g = new Graph('g');
  g.inputs = [g.addValue('a', { dtype: 'u8', shape: [2, 3] }), g.addValue('b', { dtype: 'i64', shape: [2, 3] })];
  g.outputs = [...g.inputs];
  return g;
}
const A = cornerTensor('u8');
const B = cornerTensor('i64');

describe('tensor files', () => {
  it('reads and writes by extension', () => {
    const d = dir();
    writeTensorFile(join(d, 't.pb'), A, 'named');
    writeTensorFile(join(d, 't.npy'), B, 'ignored');
    const p = readTensorFile(join(d, 't.pb'));
    expect(p.name).toBe('named');
    expect(tensorsIdentical(p.tensor, A)).toBe(true);
    const n = readTensorFile(join(d, 't.npy'));
    expect(n.name).toBeUndefined();
    expect(tensorsIdentical(n.tensor, B)).toBe(true);
    expectQcc(() => readTensorFile(join(d, 't.txt')), 'E_USAGE', '.txt');
    expectQcc(() => writeTensorFile(join(d, 't.bin'), A, 'x'), 'E_USAGE');
    expectQcc(() => readTensorFile(join(d, 'missing.pb')), 'E_IO', 'missing.pb');
    expectQcc(() => writeTensorFile(join(d, 'no/such/dir/t.pb'), A, 'x'), 'E_IO');
  });
});

describe('readInputsDir', () => {
  it('maps input_K.pb by TensorProto name, else by index', () => {
    const d = dir();
    writeTensorFile(join(d, 'input_0.pb'), B, 'b'); // named: goes to b although it is file 0
    writeTensorFile(join(d, 'input_1.pb'), A, 'something_else'); // unnamed for the model: index 1... is b's slot
    // input_1 -> index 1 = 'b' would clash with the named one.
    expectQcc(() => readInputsDir(d, graph()), 'E_INPUT', "'b'", 'twice');
    rmSync(join(d, 'input_1.pb'));
    writeTensorFile(join(d, 'input_1.pb'), A, 'a');
    const m = readInputsDir(d, graph());
    expect([...m.keys()]).toEqual(['a', 'b']);
    expect(tensorsIdentical(m.get('a')!, A)).toBe(true);
    expect(tensorsIdentical(m.get('b')!, B)).toBe(true);
  });

  it('maps unnamed protos by index and ignores other files', () => {
    const d = dir();
    writeTensorFile(join(d, 'input_0.pb'), A, '');
    writeTensorFile(join(d, 'input_1.pb'), B, '');
    writeTensorFile(join(d, 'output_0.pb'), A, 'a');
    writeFileSync(join(d, 'README.txt'), 'hi');
    const m = readInputsDir(d, graph());
    expect(tensorsIdentical(m.get('a')!, A)).toBe(true);
    expect(tensorsIdentical(m.get('b')!, B)).toBe(true);
  });

  it('accepts <name>.npy and input_K.npy', () => {
    const d = dir();
    writeTensorFile(join(d, 'b.npy'), B, '');
    writeTensorFile(join(d, 'input_0.npy'), A, '');
    const m = readInputsDir(d, graph());
    expect(tensorsIdentical(m.get('a')!, A)).toBe(true);
    expect(tensorsIdentical(m.get('b')!, B)).toBe(true);
  });

  it('checks dtype and shape against the graph (E_INPUT with the expected type)', () => {
    const d = dir();
    writeTensorFile(join(d, 'a.npy'), cornerTensor('i8'), '');
    writeTensorFile(join(d, 'b.npy'), B, '');
    expectQcc(() => readInputsDir(d, graph()), 'E_INPUT', "'a'", 'i8[2x3]', 'u8[2x3]');
    writeTensorFile(join(d, 'a.npy'), A.withShape([3, 2]), '');
    expectQcc(() => readInputsDir(d, graph()), 'E_INPUT', "'a'", 'u8[3x2]', 'u8[2x3]');
  });

  it('reports missing inputs, out-of-range indices, missing folders', () => {
    const d = dir();
    writeTensorFile(join(d, 'input_0.pb'), A, '');
    const e = expectQcc(() => readInputsDir(d, graph()), 'E_INPUT', "'b'", 'i64[2x3]');
    expect(e.hint).toContain('input_1');
    writeTensorFile(join(d, 'input_1.pb'), B, '');
    writeTensorFile(join(d, 'input_5.npy'), B, '');
    expectQcc(() => readInputsDir(d, graph()), 'E_INPUT', 'input_5', '2 inputs');
    expectQcc(() => readInputsDir(join(d, 'nope'), graph()), 'E_IO', 'nope');
    expectQcc(() => readInputsDir(join(d, 'input_0.pb'), graph()), 'E_IO', 'not a folder');
  });
});

describe('writeOutputsDir', () => {
  it('writes output_K.pb named after the outputs, and output_K.npy', () => {
    const outs = new Map<string, Tensor>([['a', A], ['b', B]]);
    const d = join(dir(), 'new', 'sub');
    writeOutputsDir(d, graph(), outs, 'pb');
    const r0 = readTensorFile(join(d, 'output_0.pb'));
    const r1 = readTensorFile(join(d, 'output_1.pb'));
    expect([r0.name, r1.name]).toEqual(['a', 'b']);
    expect(tensorsIdentical(r0.tensor, A) && tensorsIdentical(r1.tensor, B)).toBe(true);
    writeOutputsDir(d, graph(), outs, 'npy');
    expect(tensorsIdentical(decodeNpy(readFileSync(join(d, 'output_1.npy')), 'f'), B)).toBe(true);
  });
});
