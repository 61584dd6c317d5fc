/**
 * Crashes the frontend fuzzer found (npm run fuzz), each kept as a small model: every one must now end
 * in a QccError with a clear message, not a Node exception, hang or out-of-memory.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { catchQccError } from '../util/errors.ts';
import { loadOnnxBytes, loadOnnxModel } from '../../compiler/frontend/onnx/load.ts';
import { bigToLong, encodeModel, encodeModelProto, modelProto, type ModelDesc } from '../../compiler/frontend/onnx/writer.ts';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import { randomInputs } from '../../compiler/io/random-inputs.ts';
import { Tensor } from '../../compiler/ir/tensor.ts';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const qccError = catchQccError;

/** x + w, with w stored externally at `location` (relative to the model's folder). */
function externalModel(location: string): Uint8Array {
  const desc: ModelDesc = {
    opsets: [{ domain: '', version: 13 }],
    inputs: [{ name: 'x', dtype: 'f32', shape: [4] }],
    outputs: [{ name: 'y', dtype: 'f32', shape: [4] }],
    initializers: [{ name: 'w', tensor: Tensor.fromNumbers('f32', [4], [1, 2, 3, 4]) }],
    nodes: [{ op: 'Add', inputs: ['x', 'w'], outputs: ['y'] }],
  };
  const m = modelProto(desc);
  const w = m.graph!.initializer![0]!;
  w.rawData = new Uint8Array();
  w.dataLocation = 1;
  w.externalData = [{ key: 'location', value: location }];
  return encodeModelProto(m);
}

describe('fuzzer regressions: external data', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qcc-fuzz-reg-'));
  dirs.push(dir);
  mkdirSync(join(dir, 'sub'));
  writeFileSync(join(dir, 'w.bin'), new Uint8Array(16));

  // Found by `npm run fuzz -- --seed 1` (cases 508, 2199, 8036): readSync threw EISDIR.
  it('a location naming a folder is E_MODEL, not EISDIR', () => {
    const e = qccError(() => loadOnnxBytes(externalModel('sub'), { baseDir: dir }));
    expect(e.code).toBe('E_MODEL');
    expect(e.message).toMatch(/'sub' is not a regular file/);
  });

  // Opening a FIFO for reading blocks until a writer appears: a model could hang the compiler.
  it('a location naming a FIFO is refused without opening it', () => {
    if (spawnSync('mkfifo', [join(dir, 'fifo')]).status !== 0) return;
    const e = qccError(() => loadOnnxBytes(externalModel('fifo'), { baseDir: dir }));
    expect(e.code).toBe('E_MODEL');
    expect(e.message).toMatch(/'fifo' is not a regular file/);
  });

  it('a location with a NUL byte is E_MODEL, not a Node argument error', () => {
    const e = qccError(() => loadOnnxBytes(externalModel('w.bin\u0000x'), { baseDir: dir }));
    expect(e.code).toBe('E_MODEL');
    expect(e.message).toMatch(/NUL/);
  });

  it('a regular file inside the folder still loads', () => {
    const g = loadOnnxBytes(externalModel('w.bin'), { baseDir: dir });
    expect(g.nodes.length).toBe(1);
  });
});

describe('fuzzer regressions: sizes', () => {
  // Found by `npm run fuzz -- --seed 2` (case 4754): MaxPool pads of 2^63-1 inferred an output of
  // 4.6e18 rows and the interpreter died with "RangeError: Invalid typed array length".
  it('MaxPool with pads of 2^63-1 is refused at import', () => {
    const m = modelProto({
      opsets: [{ domain: '', version: 13 }],
      inputs: [{ name: 'x', dtype: 'f32', shape: [1, 1, 4, 4] }],
      outputs: [{ name: 'y', dtype: 'f32' }],
      nodes: [{ op: 'MaxPool', inputs: ['x'], outputs: ['y'], attrs: { kernel_shape: { ints: [2, 2] }, pads: { ints: [0, 0, 0, 0] } } }],
    });
    m.graph!.node![0]!.attribute![1]!.ints = [0, 0, bigToLong(2n ** 63n - 1n), 0] as unknown as number[];
    const e = qccError(() => {
      const g = loadOnnxBytes(encodeModelProto(m));
      interpret(g, randomInputs(g, 1));
    });
    expect(['E_LIMIT', 'E_ATTR', 'E_SHAPE']).toContain(e.code);
    expect(e.message).toMatch(/MaxPool/);
  });

  it('an Expand to 2^20 x 2^20 floats is E_LIMIT naming the size and the limit, before any allocation', () => {
    const bytes = encodeModel({
      opsets: [{ domain: '', version: 13 }],
      inputs: [{ name: 'x', dtype: 'f32', shape: [1, 1] }],
      outputs: [{ name: 'y', dtype: 'f32' }],
      initializers: [{ name: 's', tensor: Tensor.fromNumbers('i64', [2], [2 ** 20, 2 ** 20]) }],
      nodes: [{ op: 'Expand', inputs: ['x', 's'], outputs: ['y'] }],
    });
    const e = qccError(() => loadOnnxBytes(bytes, { maxTensorBytes: 1 << 30 }));
    expect(e.code).toBe('E_LIMIT');
    expect(e.message).toContain('4398046511104 bytes');
    expect(e.message).toContain('1073741824 bytes');
    expect(e.message).toMatch(/Expand/);
  });

  // Found by `npm run fuzz -- --seed 5` (case 5431) and seed 9 (cases 2929, 7252): a mutated shape
  // operand made the ConstantOfShape importer allocate 4.6e18 elements (RangeError); seed 6 (case 2317)
  // asked for 2^31 int32 (8 GiB), which hung the worker past its time limit.
  for (const [label, dims] of [
    ['2^62', [2n ** 62n]],
    ['2^31 int32 (8 GiB)', [2n ** 31n]],
  ] as const) {
    it(`ConstantOfShape of ${label} is E_LIMIT before allocating`, () => {
      const bytes = encodeModel({
        opsets: [{ domain: '', version: 13 }],
        inputs: [{ name: 'x', dtype: 'i32', shape: [1] }],
        outputs: [{ name: 'y', dtype: 'i32' }],
        initializers: [{ name: 's', tensor: new Tensor('i64', [1], BigInt64Array.from(dims)) }],
        nodes: [
          { op: 'ConstantOfShape', inputs: ['s'], outputs: ['c'], attrs: { value: { t: Tensor.fromNumbers('i32', [1], [7]) } } },
          { op: 'Add', inputs: ['x', 'c'], outputs: ['y'] },
        ],
      });
      const e = qccError(() => loadOnnxBytes(bytes, { maxTensorBytes: 64 << 20 }));
      expect(e.code).toBe('E_LIMIT');
      expect(e.message).toMatch(/ConstantOfShape/);
    });
  }

  it('Range with a huge or NaN count is refused before allocating', () => {
    const range = (dtype: 'f32' | 'i64', s: number, l: number, d: number) =>
      encodeModel({
        opsets: [{ domain: '', version: 13 }],
        inputs: [{ name: 'x', dtype, shape: [1] }],
        outputs: [{ name: 'y', dtype }],
        initializers: ['s', 'l', 'd'].map((n, k) => ({ name: n, tensor: Tensor.fromNumbers(dtype, [], [[s, l, d][k]!]) })),
        nodes: [
          { op: 'Range', inputs: ['s', 'l', 'd'], outputs: ['r'] },
          { op: 'Add', inputs: ['x', 'r'], outputs: ['y'] },
        ],
      });
    expect(qccError(() => loadOnnxBytes(range('f32', 0, 3e38, 1e-30))).code).toBe('E_LIMIT');
    expect(qccError(() => loadOnnxBytes(range('f32', 0, NaN, 1))).code).toBe('E_MODEL');
    expect(qccError(() => loadOnnxBytes(range('i64', 0, 2 ** 53, 1))).code).toBe('E_LIMIT');
  });

  it('a graph input pinned to a huge shape is E_LIMIT', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qcc-fuzz-reg-'));
    dirs.push(dir);
    const path = join(dir, 'm.onnx');
    writeFileSync(
      path,
      encodeModel({
        opsets: [{ domain: '', version: 13 }],
        inputs: [{ name: 'x', dtype: 'f32', shape: ['N', 1024] }],
        outputs: [{ name: 'y', dtype: 'f32' }],
        nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }],
      }),
    );
    const e = qccError(() => loadOnnxModel(path, { inputShapes: { x: [2 ** 30, 1024] } }));
    expect(e.code).toBe('E_LIMIT');
    expect(e.message).toMatch(/graph input 'x'.*4398046511104 bytes.*over the tensor limit of 4294967296 bytes/);
  });

  it('the total of all tensors has its own limit', () => {
    const bytes = encodeModel({
      opsets: [{ domain: '', version: 13 }],
      inputs: [{ name: 'x', dtype: 'f32', shape: [1024] }],
      outputs: [{ name: 'y', dtype: 'f32' }],
      nodes: [
        { op: 'Relu', inputs: ['x'], outputs: ['a'] },
        { op: 'Relu', inputs: ['a'], outputs: ['y'] },
      ],
    });
    expect(() => loadOnnxBytes(bytes, { maxTotalBytes: 3 * 4096 })).not.toThrow();
    const e = qccError(() => loadOnnxBytes(bytes, { maxTotalBytes: 3 * 4096 - 1 }));
    expect(e.code).toBe('E_LIMIT');
    expect(e.message).toContain('12288 bytes');
    expect(e.message).toContain('12287 bytes');
  });
});
