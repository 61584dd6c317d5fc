import { describe, expect, it } from 'vitest';
import { Graph, type Value } from '../ir/graph.ts';
import { Tensor } from '../ir/tensor.ts';
import { verifyGraph } from '../ir/verify.ts';
import { interpret } from '../interpreter/interpret.ts';
import { runPipeline } from './pass.ts';
import { activationFusion } from './activation-fusion.ts';

/** x(u8 [1,2,3,3]) -> qlinear_conv (1x1, 2 channels) -> clip(min, max) -> output; optionally a second user. */
function graph(min: number, max: number, dtype: 'u8' | 'i8' = 'u8', extraUser = false): Graph {
  const g = new Graph('g');
  const x = g.addValue('x', { dtype, shape: [1, 2, 3, 3] });
  g.inputs = [x];
  const c = (n: string, t: Tensor) => g.addConst(n, t);
  const s = (v: number) => Tensor.scalar('f32', v);
  const z = (v: number) => Tensor.scalar(dtype, v);
  const w = c('w', Tensor.fromNumbers('i8', [2, 2, 1, 1], [127, -128, -7, 100]));
  const ins: Value[] = [x, c('xs', s(0.1)), c('xz', z(dtype === 'u8' ? 128 : 0)), w, c('ws', Tensor.fromNumbers('f32', [2], [0.01, 0.02])),
    c('wz', Tensor.fromNumbers('i8', [2], [0, 0])), c('ys', s(0.05)), c('yz', z(dtype === 'u8' ? 120 : -8))];
  const y = g.addValue('y', { dtype, shape: [1, 2, 3, 3] });
  g.addNode('qlinear_conv', 'conv', ins, [y], { kernel_shape: [1, 1], strides: [1, 1], dilations: [1, 1], pads: [0, 0, 0, 0], group: 1 });
  const r = g.addValue('r', { dtype, shape: [1, 2, 3, 3] });
  g.addNode('clip', 'relu', [y], [r], { min, max });
  g.outputs = [r];
  if (extraUser) g.outputs.push(y);
  return g;
}

const feed = (dtype: 'u8' | 'i8') =>
  new Map([['x', Tensor.fromNumbers(dtype, [1, 2, 3, 3], Array.from({ length: 18 }, (_, i) => (dtype === 'u8' ? (i * 15) % 256 : ((i * 15) % 256) - 128)))]]);

describe('activation-fusion', () => {
  it.each([['u8', 120, 255], ['u8', 121, 200], ['i8', -8, 127], ['i8', -128, 3]] as const)('%s clip [%d, %d] folds into the conv clamp, same outputs', (dtype, lo, hi) => {
    const g = graph(lo, hi, dtype);
    const before = interpret(g, feed(dtype)).get('r')!;
    runPipeline(g, [activationFusion], { verify: verifyGraph });
    expect(g.nodes.map((n) => n.op)).toEqual(['qlinear_conv']);
    expect(g.nodes[0]!.attrs['clamp']).toEqual([lo, hi]);
    expect(g.outputs[0]!.name).toBe('r');
    const after = interpret(g, feed(dtype)).get('r')!;
    expect(after.toNumbers()).toEqual(before.toNumbers());
    // the clamp is active on these inputs (the test would not notice a dropped clamp otherwise)
    const unclamped = interpret(graph(-1000, 1000, dtype), feed(dtype)).get('r')!.toNumbers();
    expect(unclamped).not.toEqual(after.toNumbers());
  });

  it('stays when the conv output is also used unclamped', () => {
    const g = graph(120, 255, 'u8', true);
    expect(activationFusion.run(g, { log: [] })).toBe(false);
    expect(g.nodes.map((n) => n.op)).toEqual(['qlinear_conv', 'clip']);
  });
});
