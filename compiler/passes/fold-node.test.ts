import { describe, expect, it } from 'vitest';
import '../frontend/onnx/testing-ops.ts';
import { Graph } from '../ir/graph.ts';
import { Tensor } from '../ir/tensor.ts';
import { verifyGraph } from '../ir/verify.ts';
import { foldNode } from './fold-node.ts';

const T = { dtype: 'f32' as const, shape: [2] };
const c = (g: Graph, name: string, v: number[]) => g.addConst(name, Tensor.fromNumbers('f32', [2], v));

describe('foldNode', () => {
  it('folds a foldable node with constant inputs and keeps its outputs as constants', () => {
    const g = new Graph('g');
    const a = c(g, 'a', [1, 2]);
    const y = g.addValue('y', T);
    const n = g.addNode('qcc_test_add', 'n', [a, a], [y]);
    g.outputs = [y];
    expect(foldNode(g, n)).toBe(true);
    expect(g.nodes).toHaveLength(0);
    expect(y.const!.toNumbers()).toEqual([2, 4]);
    expect(y.producer).toBeNull();
    expect(a.users).toHaveLength(0);
    expect(g.valueByName('y')).toBe(y);
    verifyGraph(g);
  });

  it('leaves runtime inputs, unfoldable kinds and oversize results alone', () => {
    const g = new Graph('g');
    const x = g.addValue('x', T);
    g.inputs = [x];
    const a = c(g, 'a', [1, 2]);
    const y1 = g.addValue('y1', T);
    const n1 = g.addNode('qcc_test_add', 'n1', [x, a], [y1]);
    expect(foldNode(g, n1)).toBe(false);
    const y2 = g.addValue('y2', T);
    const n2 = g.addNode('qcc_test_runtime', 'n2', [a], [y2]);
    expect(foldNode(g, n2)).toBe(false);
    const y3 = g.addValue('y3', T);
    const n3 = g.addNode('qcc_test_add', 'n3', [a, a], [y3]);
    expect(foldNode(g, n3, { maxBytes: 7 })).toBe(false);
    expect(foldNode(g, n3, { maxBytes: 8 })).toBe(true);
    expect(g.nodes.map((n) => n.name)).toEqual(['n1', 'n2']);
  });
});
