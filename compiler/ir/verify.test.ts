import { describe, expect, it } from 'vitest';
import { Graph } from './graph.ts';
import { Tensor } from './tensor.ts';
import { verifyGraph } from './verify.ts';

const T = { dtype: 'f32' as const, shape: [2] };

function small(): Graph {
  const g = new Graph('g');
  const x = g.addValue('x', T);
  const c = g.addConst('c', Tensor.fromNumbers('f32', [2], [1, 2]));
  const a = g.addValue('a', T);
  const y = g.addValue('y', T);
  g.inputs = [x];
  g.addNode('add', 'n1', [x, c], [a]);
  g.addNode('neg', 'n2', [a, null], [y]);
  g.outputs = [y];
  return g;
}

describe('verifyGraph', () => {
  it('accepts a well-formed graph, including a constant output', () => {
    const g = small();
    verifyGraph(g);
    g.outputs.push(g.addConst('k', Tensor.scalar('f32', 1)));
    verifyGraph(g);
  });

  it('rejects a node reading a value produced later', () => {
    const g = small();
    g.nodes.reverse();
    expect(() => verifyGraph(g)).toThrow(/internal: .*'n2' input 0 \('a'\)/);
  });

  it('rejects a value nobody defines', () => {
    const g = small();
    const ghost = g.addValue('ghost', T);
    g.setInput(g.nodes[1]!, 1, ghost);
    expect(() => verifyGraph(g)).toThrow(/'ghost'/);
  });

  it('rejects stale user and producer links', () => {
    const g = small();
    g.nodes[0]!.inputs[0]!.users.length = 0;
    expect(() => verifyGraph(g)).toThrow(/does not list its user 'n1'/);
    const g2 = small();
    g2.nodes[1]!.outputs[0]!.producer = g2.nodes[0]!;
    expect(() => verifyGraph(g2)).toThrow(/producer/);
    const g3 = small();
    g3.values.get(0)!.users.push(g3.nodes[1]!);
    expect(() => verifyGraph(g3)).toThrow(/does not read it/);
  });

  it('rejects duplicate node names and undefined outputs', () => {
    const g = small();
    g.nodes[1]!.name = 'n1';
    expect(() => verifyGraph(g)).toThrow(/two nodes are named 'n1'/);
    const g2 = small();
    g2.outputs.push(g2.addValue('nowhere', T));
    expect(() => verifyGraph(g2)).toThrow(/'nowhere' is never defined/);
  });

  it('rejects values missing from the value table', () => {
    const g = small();
    g.values.delete(g.nodes[0]!.outputs[0]!.id);
    expect(() => verifyGraph(g)).toThrow(/not in the value table/);
  });
});
