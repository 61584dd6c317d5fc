import { describe, expect, it } from 'vitest';
import { Graph } from '../ir/graph.ts';
import { Tensor } from '../ir/tensor.ts';
import { verifyGraph } from '../ir/verify.ts';
import '../ops/index.ts';
import { constantFold } from './constant-fold.ts';
import { identityElimination } from './identity-elimination.ts';
import { runPipeline } from './pass.ts';

describe('identity-elimination', () => {
  it('removes same-shape reshapes, identity transposes and full-range integer clips; keeps the rest', () => {
    const g = new Graph('g');
    const x = g.addValue('x', { dtype: 'i8', shape: [2, 3] });
    g.inputs = [x];
    const v = (n: string, shape = [2, 3], dtype: 'i8' | 'f32' = 'i8') => g.addValue(n, { dtype, shape });
    const a = v('a');
    g.addNode('reshape', 'r', [x], [a], { shape: [2, 3] });
    const b = v('b');
    g.addNode('transpose', 't', [a], [b], { perm: [0, 1] });
    const c = v('c');
    g.addNode('clip', 'c_full', [b], [c], { min: -128, max: 127 });
    const d = v('d');
    g.addNode('clip', 'c_real', [c], [d], { min: -5, max: 127 });
    const e = v('e', [3, 2]);
    g.addNode('transpose', 't_real', [d], [e], { perm: [1, 0] });
    const out = v('out', [3, 2]);
    g.addNode('reshape', 'r_out', [e], [out], { shape: [3, 2] });
    g.outputs = [out];
    runPipeline(g, [identityElimination], { verify: verifyGraph });
    // r_out is an identity too but produces the graph output, so it stays (the output keeps its name).
    expect(g.nodes.map((n) => n.name)).toEqual(['c_real', 't_real', 'r_out']);
    expect(g.nodes[0]!.inputs[0]).toBe(x);
  });
});

describe('constant-fold', () => {
  it('folds nodes whose inputs all became constant, not DequantizeLinear', () => {
    const g = new Graph('g');
    const w = g.addConst('w', Tensor.fromNumbers('f32', [2, 2], [1, 2, 3, 4]));
    const wt = g.addValue('wt', { dtype: 'f32', shape: [2, 2] });
    g.addNode('transpose', 'tw', [w], [wt], { perm: [1, 0] });
    const q = g.addConst('q', Tensor.fromNumbers('i8', [2], [1, -1]));
    const dq = g.addValue('dq', { dtype: 'f32', shape: [2] });
    g.addNode('dequantize_linear', 'dq', [q, g.addConst('s', Tensor.scalar('f32', 0.5))], [dq], { axis: 1, dtype: 'f32' });
    const x = g.addValue('x', { dtype: 'f32', shape: [2, 2] });
    g.inputs = [x];
    const y = g.addValue('y', { dtype: 'f32', shape: [2, 2] });
    g.addNode('add', 'add', [x, wt], [y]);
    const z = g.addValue('z', { dtype: 'f32', shape: [2, 2] });
    g.addNode('mul', 'mul', [y, dq], [z]);
    g.outputs = [z];
    runPipeline(g, [constantFold], { verify: verifyGraph });
    expect(g.nodes.map((n) => n.name)).toEqual(['dq', 'add', 'mul']);
    expect(Array.from(wt.const!.data as Float32Array)).toEqual([1, 3, 2, 4]);
  });
});
