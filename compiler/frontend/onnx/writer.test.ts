import { describe, expect, it } from 'vitest';
import { openReferee } from '../../../test/referee/ort.ts';
import { Tensor } from '../../ir/tensor.ts';
import { onnx } from './proto.ts';
import { encodeModel, type ModelDesc } from './writer.ts';

const desc: ModelDesc = {
  opsets: [{ domain: '', version: 17 }],
  graphName: 'writer_check',
  inputs: [
    { name: 'x', dtype: 'f32', shape: ['N', 3] },
    { name: 'k', dtype: 'i64', shape: [2] },
  ],
  outputs: [
    { name: 'q', dtype: 'u8', shape: ['N', 3] },
    { name: 'qt', dtype: 'u8', shape: [3, 'N'] },
    { name: 'lr', dtype: 'f32' },
    { name: 'ci', dtype: 'i32', shape: ['N', 3] },
    { name: 'kk', dtype: 'i64', shape: [2] },
  ],
  initializers: [
    { name: 'b', tensor: Tensor.fromNumbers('f32', [3], [0.5, -1, 2]), storage: 'typed' },
    { name: 'scale', tensor: Tensor.scalar('f32', 0.5) },
    { name: 'zp', tensor: Tensor.scalar('u8', 10), storage: 'typed' },
    { name: 'big', tensor: (() => { const t = new Tensor('i64', [2]); (t.data as BigInt64Array).set([2n ** 40n, -(2n ** 40n) - 1n]); return t; })(), storage: 'typed' },
  ],
  nodes: [
    { op: 'Add', inputs: ['x', 'b'], outputs: ['s'] },
    { op: 'Constant', inputs: [], outputs: ['c'], attrs: { value_floats: { floats: [1, 2, -1] } } },
    { op: 'Mul', inputs: ['s', 'c'], outputs: ['m'] },
    { op: 'QuantizeLinear', inputs: ['m', 'scale', 'zp'], outputs: ['q'] },
    { op: 'Transpose', inputs: ['q'], outputs: ['qt'], attrs: { perm: { ints: [1, 0] } } },
    { op: 'LeakyRelu', inputs: ['m'], outputs: ['lr'], attrs: { alpha: { f: 0.25 } } },
    { op: 'Cast', inputs: ['m'], outputs: ['ci'], attrs: { to: { i: 6 } } },
    { op: 'Add', inputs: ['k', 'big'], outputs: ['kk'] },
  ],
};

describe('encodeModel', () => {
  it('produces a ModelProto with the described structure', () => {
    const m = onnx.ModelProto.decode(encodeModel(desc));
    expect(Number(m.irVersion)).toBe(8);
    expect(m.graph!.name).toBe('writer_check');
    expect(m.graph!.input![0]!.type!.tensorType!.shape!.dim![0]!.dimParam).toBe('N');
    expect(m.graph!.node!.map((n) => n.opType)).toEqual(['Add', 'Constant', 'Mul', 'QuantizeLinear', 'Transpose', 'LeakyRelu', 'Cast', 'Add']);
    expect(m.graph!.initializer![0]!.floatData).toEqual([0.5, -1, 2]);
  });

  it('is accepted and run by ONNX Runtime (onnxruntime-web)', async () => {
    const ort = await openReferee(encodeModel(desc), 'disabled');
    try {
      const x = Tensor.fromNumbers('f32', [2, 3], [1, 2, 3, -4, 5, 0.5]);
      const k = new Tensor('i64', [2]);
      (k.data as BigInt64Array).set([5n, -7n]);
      const out = await ort.run(new Map([['x', x], ['k', k]]));
      // m = (x + b) * c, computed by hand: [[1.5, 2, -5], [-3.5, 8, -2.5]]
      const m = [1.5, 2, -5, -3.5, 8, -2.5];
      expect(out.get('lr')!.toNumbers()).toEqual(m.map((v) => (v < 0 ? v * 0.25 : v)));
      // q = saturate(round_half_even(m / 0.5) + 10)
      expect(out.get('q')!.toNumbers()).toEqual([13, 14, 0, 3, 26, 5]);
      expect(out.get('qt')!.shape).toEqual([3, 2]);
      expect(out.get('qt')!.toNumbers()).toEqual([13, 3, 14, 26, 0, 5]);
      expect(out.get('ci')!.toNumbers()).toEqual([1, 2, -5, -3, 8, -2]);
      expect([...(out.get('kk')!.data as BigInt64Array)]).toEqual([2n ** 40n + 5n, -(2n ** 40n) - 8n]);
    } finally {
      await ort.release();
    }
  });
});
