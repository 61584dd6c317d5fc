import { describe, expect, it } from 'vitest';
import { expectQcc } from './test-helpers.ts';
import { topoSort, type SortItem } from './topo-sort.ts';

const n = (name: string, inputs: string[], outputs: string[]): SortItem => ({ name, inputs, outputs });

describe('topoSort', () => {
  it('keeps a sorted list as it is', () => {
    const items = [n('a', ['x'], ['a']), n('b', ['a'], ['b']), n('c', ['x'], ['c']), n('d', ['b', 'c'], ['d'])];
    expect(topoSort(items, new Set(['x']))).toEqual([0, 1, 2, 3]);
  });

  it('orders producers first, otherwise by file position', () => {
    const items = [n('d', ['b', 'c'], ['d']), n('c', ['x'], ['c']), n('b', ['a'], ['b']), n('a', ['x'], ['a'])];
    // c (index 1) and a (index 3) are ready at once: c first; b becomes ready after a.
    expect(topoSort(items, new Set(['x']))).toEqual([1, 3, 2, 0]);
  });

  it('treats empty names as absent and handles nodes without inputs', () => {
    const items = [n('u', ['k', ''], ['u']), n('k', [], ['k'])];
    expect(topoSort(items, new Set())).toEqual([1, 0]);
  });

  it('sorts a long reversed chain quickly', () => {
    const N = 20000;
    const items = Array.from({ length: N }, (_, i) => n(`n${N - 1 - i}`, [`v${N - 1 - i}`], [`v${N - i}`]));
    const order = topoSort(items, new Set(['v0']));
    expect(order[0]).toBe(N - 1);
    expect(order[N - 1]).toBe(0);
  });

  it('names the nodes on a cycle, not those downstream', () => {
    const items = [n('a', ['x', 'c'], ['a']), n('b', ['a'], ['b']), n('c', ['b'], ['c']), n('d', ['c'], ['d'])];
    const e = expectQcc(() => topoSort(items, new Set(['x'])), 'E_MODEL', 'cycle', "'a'", "'b'", "'c'");
    expect(e.message).not.toContain("'d'");
    expectQcc(() => topoSort([n('self', ['s'], ['s'])], new Set()), 'E_MODEL', 'cycle', "'self'");
  });

  it('reports undefined and doubly defined values', () => {
    expectQcc(() => topoSort([n('a', ['ghost'], ['a'])], new Set()), 'E_MODEL', "'ghost'", "'a'");
    expectQcc(() => topoSort([n('a', [], ['v']), n('b', [], ['v'])], new Set()), 'E_MODEL', "'v'", 'twice');
    expectQcc(() => topoSort([n('a', [], ['x'])], new Set(['x'])), 'E_MODEL', "'x'", 'graph input');
  });
});
