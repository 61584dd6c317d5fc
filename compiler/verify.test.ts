import { describe, expect, it } from 'vitest';
import { loadOnnxBytes } from './frontend/onnx/load.ts';
import { encodeModel } from './frontend/onnx/writer.ts';
import { Tensor } from './ir/tensor.ts';
import { bindRandomConstInputs, compareTensors, formatVerifyReport, verifyModel } from './verify.ts';

const f32 = (v: number[]) => Tensor.fromNumbers('f32', [v.length], v);

describe('compareTensors', () => {
  it('counts identical tensors as exact', () => {
    const d = compareTensors('y', f32([1, -2, 0.5]), f32([1, -2, 0.5]));
    expect(d).toMatchObject({ mismatches: 0, maxAbsDiff: 0, elements: 3 });
    expect(d.firstMismatch).toBeUndefined();
  });

  it('is bit-exact for floats: -0 vs +0 differs (with difference 0), NaN vs number is infinitely far', () => {
    const d = compareTensors('y', f32([0, 1, 2]), f32([-0, 1, NaN]), 9);
    expect(d.mismatches).toBe(2);
    expect(d.maxAbsDiff).toBe(Infinity);
    expect(d.firstMismatch).toEqual({ seed: 9, index: 0, expected: 0, actual: -0 });
  });

  it('reports the largest absolute difference', () => {
    const a = Tensor.fromNumbers('i8', [4], [-128, 127, 0, 5]);
    const b = Tensor.fromNumbers('i8', [4], [127, 127, 1, 5]);
    expect(compareTensors('y', a, b)).toMatchObject({ mismatches: 2, maxAbsDiff: 255 });
  });

  it('treats a dtype or shape disagreement as every element differing', () => {
    const d = compareTensors('y', Tensor.fromNumbers('u8', [2, 2], [1, 2, 3, 4]), Tensor.fromNumbers('u8', [4], [1, 2, 3, 4]));
    expect(d.mismatches).toBe(4);
    expect(d.maxAbsDiff).toBe(Infinity);
    expect(formatVerifyReport({ target: 'c', seeds: [1], runs: [], outputs: [d], ok: false })).toContain('type differs');
  });

  it('compares 64-bit integers exactly', () => {
    const a = new Tensor('i64', [1], BigInt64Array.of(2n ** 62n));
    const b = new Tensor('i64', [1], BigInt64Array.of(2n ** 62n + 1n));
    expect(compareTensors('y', a, b).mismatches).toBe(1);
  });
});

describe('verifyModel', () => {
  // QuantizeLinear -> QLinearMatMul with the weight as a graph input -> DequantizeLinear.
  function model() {
    const bytes = encodeModel({
      opsets: [{ domain: '', version: 13 }],
      inputs: [
        { name: 'x', dtype: 'f32', shape: [3, 5] },
        { name: 'w', dtype: 'i8', shape: [5, 7] },
      ],
      outputs: [{ name: 'y', dtype: 'f32', shape: [3, 7] }],
      initializers: [
        { name: 'xs', tensor: Tensor.scalar('f32', 0.05) },
        { name: 'xz', tensor: Tensor.scalar('u8', 128) },
        { name: 'ws', tensor: Tensor.scalar('f32', 0.01) },
        { name: 'wz', tensor: Tensor.scalar('i8', 0) },
        { name: 'ys', tensor: Tensor.scalar('f32', 0.2) },
        { name: 'yz', tensor: Tensor.scalar('u8', 100) },
      ],
      nodes: [
        { op: 'QuantizeLinear', inputs: ['x', 'xs', 'xz'], outputs: ['xq'] },
        { op: 'QLinearMatMul', inputs: ['xq', 'xs', 'xz', 'w', 'ws', 'wz', 'ys', 'yz'], outputs: ['yq'] },
        { op: 'DequantizeLinear', inputs: ['yq', 'ys', 'yz'], outputs: ['y'] },
      ],
    });
    return loadOnnxBytes(bytes, { name: 'qmm' });
  }

  it('binds weight inputs to seeded values, then finds the compiled C exact on every seed', () => {
    const g = model();
    expect(bindRandomConstInputs(g, 3)).toEqual(['w']);
    expect(g.inputs.map((v) => v.name)).toEqual(['x']);
    const r = verifyModel(g, { target: 'c', seeds: [1, 2] });
    expect(r.ok).toBe(true);
    expect(r.runs.map((x) => x.seed)).toEqual([1, 2]);
    expect(r.outputs).toEqual([expect.objectContaining({ name: 'y', dtype: 'f32', shape: [3, 7], elements: 42, mismatches: 0, maxAbsDiff: 0 })]);
    expect(formatVerifyReport(r)).toContain('verify: OK');
  });

  it('binding is deterministic per seed', () => {
    const a = model();
    const b = model();
    bindRandomConstInputs(a, 5);
    bindRandomConstInputs(b, 5);
    const wa = [...a.values.values()].find((v) => v.name === 'w')!.const!;
    const wb = [...b.values.values()].find((v) => v.name === 'w')!.const!;
    expect(Buffer.from(wa.bytes()).equals(Buffer.from(wb.bytes()))).toBe(true);
  });
});
