import { describe, expect, it } from 'vitest';
import { loadOnnxBytes } from '../frontend/onnx/load.ts';
import { encodeModel } from '../frontend/onnx/writer.ts';
import { Tensor } from '../ir/tensor.ts';
import { formatModelInfo, groupDigits, modelInfo } from './info.ts';

/** x[1,3,8,8] -> Conv(w, b, pad 1) -> Conv(same w, no bias, stride 2) -> Flatten: one weight shared by two nodes. */
function sharedWeightGraph() {
  const w = Tensor.fromNumbers('f32', [3, 3, 3, 3], Array.from({ length: 81 }, (_, i) => (i % 7) - 3));
  const b = Tensor.fromNumbers('f32', [3], [1, 2, 3]);
  const bytes = encodeModel({
    opsets: [{ domain: '', version: 13 }],
    graphName: 'shared',
    inputs: [{ name: 'x', dtype: 'f32', shape: [1, 3, 8, 8] }],
    outputs: [{ name: 'z', dtype: 'f32', shape: [1, 48] }],
    initializers: [
      { name: 'w', tensor: w },
      { name: 'b', tensor: b },
    ],
    nodes: [
      { op: 'Conv', name: 'c1', inputs: ['x', 'w', 'b'], outputs: ['y1'], attrs: { pads: { ints: [1, 1, 1, 1] } } },
      { op: 'Conv', name: 'c2', inputs: ['y1', 'w'], outputs: ['y2'], attrs: { pads: { ints: [1, 1, 1, 1] }, strides: { ints: [2, 2] } } },
      { op: 'Flatten', name: 'flat', inputs: ['y2'], outputs: ['z'] },
    ],
  });
  return loadOnnxBytes(bytes, { name: 'shared' });
}

describe('modelInfo', () => {
  it('reports per-node shapes, MACs and weight bytes, and totals that count a shared weight once', () => {
    const info = modelInfo(sharedWeightGraph());
    expect(info.inputs).toEqual([{ name: 'x', dtype: 'f32', shape: [1, 3, 8, 8] }]);
    expect(info.outputs).toEqual([{ name: 'z', dtype: 'f32', shape: [1, 48] }]);
    const byName = new Map(info.nodes.map((n) => [n.name, n]));
    const c1 = byName.get('c1')!;
    const c2 = byName.get('c2')!;
    expect(c1.outputs[0]!.shape).toEqual([1, 3, 8, 8]);
    expect(c2.outputs[0]!.shape).toEqual([1, 3, 4, 4]);
    // MACs = N * Cout * OH * OW * Cin * KH * KW.
    expect(c1.macs).toBe(1 * 3 * 8 * 8 * 3 * 3 * 3);
    expect(c2.macs).toBe(1 * 3 * 4 * 4 * 3 * 3 * 3);
    expect(c1.weightBytes).toBe(81 * 4 + 3 * 4);
    expect(c2.weightBytes).toBe(81 * 4);
    expect(info.totals.macs).toBe(c1.macs + c2.macs + info.nodes.filter((n) => n !== c1 && n !== c2).reduce((s, n) => s + n.macs, 0));
    expect(info.totals.parameters).toBe(81 + 3);
    expect(info.totals.weightBytes).toBe((81 + 3) * 4);
    expect(info.totals.nodes).toBe(info.nodes.length);
    const convCount = info.ops.find((o) => o.op === 'conv');
    expect(convCount?.count).toBe(2);
    expect(info.ops.reduce((s, o) => s + o.count, 0)).toBe(info.nodes.length);
  });

  it('formats a table with every node and the totals', () => {
    const text = formatModelInfo(modelInfo(sharedWeightGraph()));
    for (const s of ['model shared', 'input  x: f32[1x3x8x8]', 'c1', 'c2', 'conv x2', 'totals:', '84 parameters', '336 weight bytes']) {
      expect(text).toContain(s);
    }
    expect(text).toContain(groupDigits(5184 + 1296) + ' MACs');
  });

  it('groups digits', () => {
    expect(groupDigits(0)).toBe('0');
    expect(groupDigits(999)).toBe('999');
    expect(groupDigits(1000)).toBe('1,000');
    expect(groupDigits(1234567)).toBe('1,234,567');
  });
});
