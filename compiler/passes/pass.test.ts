import { describe, expect, it } from 'vitest';
import { Graph } from '../ir/graph.ts';
import { deadCodeElimination } from './dead-code.ts';
import { runPipeline, type Pass } from './pass.ts';

const t = { dtype: 'f32' as const, shape: [2] };

function chain(): Graph {
  const g = new Graph('g');
  const x = g.addValue('x', t);
  const a = g.addValue('a', t);
  const b = g.addValue('b', t);
  const dead1 = g.addValue('dead1', t);
  const dead2 = g.addValue('dead2', t);
  g.inputs = [x];
  g.addNode('op', 'n1', [x], [a]);
  g.addNode('op', 'd1', [a], [dead1]);
  g.addNode('op', 'n2', [a], [b]);
  g.addNode('op', 'd2', [dead1, b], [dead2]);
  g.outputs = [b];
  return g;
}

describe('dead-code', () => {
  it('removes nodes that do not reach an output, keeps the rest in order', () => {
    const g = chain();
    expect(deadCodeElimination.run(g, { log: [] })).toBe(true);
    expect(g.nodes.map((n) => n.name)).toEqual(['n1', 'n2']);
    expect(g.valueByName('dead1')).toBeUndefined();
    expect(g.valueByName('a')!.users.map((n) => n.name)).toEqual(['n2']);
    expect(deadCodeElimination.run(g, { log: [] })).toBe(false);
  });
});

describe('runPipeline', () => {
  it('runs to a fixpoint, honours disable, calls after-hooks', () => {
    let budget = 3;
    const countdown: Pass = { name: 'countdown', run: () => budget-- > 0 };
    const seen: string[] = [];
    runPipeline(chain(), [countdown, deadCodeElimination], { fixpoint: true, after: (n) => seen.push(n) });
    expect(budget).toBe(-1);
    expect(seen.length).toBe(8);
    expect(() => runPipeline(chain(), [countdown], { disable: ['nope'] })).toThrow(/unknown pass 'nope'/);
    const g = chain();
    runPipeline(g, [deadCodeElimination], { disable: ['dead-code'] });
    expect(g.nodes.length).toBe(4);
  });
});
