import type { Graph, Node } from '../ir/graph.ts';
import type { Pass } from './pass.ts';

/** Removes nodes none of whose outputs reach a graph output, then unreferenced values. */
export const deadCodeElimination: Pass = {
  name: 'dead-code',
  run(graph: Graph): boolean {
    const live = new Set<Node>();
    const stack = graph.outputs.map((o) => o.producer).filter((n): n is Node => n !== null);
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (live.has(n)) continue;
      live.add(n);
      for (const i of n.inputs) if (i?.producer) stack.push(i.producer);
    }
    let changed = false;
    // Reverse order: a dead node's users are later in the order and dead too, so they go first.
    for (let k = graph.nodes.length - 1; k >= 0; k--) {
      const n = graph.nodes[k]!;
      if (live.has(n)) continue;
      graph.removeNode(n);
      changed = true;
    }
    const before = graph.values.size;
    graph.pruneValues();
    return changed || graph.values.size !== before;
  },
};
