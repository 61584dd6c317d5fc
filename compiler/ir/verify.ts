import type { Graph, Node, Value } from './graph.ts';

/**
 * Well-formedness of a graph: catches compiler bugs (a pass that left a dangling value or a stale
 * user list), not user errors, so it throws a plain internal Error.
 */
export function verifyGraph(graph: Graph): void {
  const fail = (msg: string): never => {
    throw new Error(`internal: graph '${graph.name}' is malformed: ${msg}`);
  };
  const inGraph = (v: Value): boolean => graph.values.get(v.id) === v;
  const available = new Set<Value>();
  const inputSet = new Set<Value>();
  for (const v of graph.inputs) {
    if (!inGraph(v)) fail(`graph input '${v.name}' is not in the value table`);
    if (v.producer) fail(`graph input '${v.name}' has a producer ('${v.producer.name}')`);
    if (v.const) fail(`graph input '${v.name}' is a constant`);
    if (inputSet.has(v)) fail(`graph input '${v.name}' is listed twice`);
    inputSet.add(v);
    available.add(v);
  }
  const nodeNames = new Set<string>();
  const nodeSet = new Set<Node>(graph.nodes);
  if (nodeSet.size !== graph.nodes.length) fail('a node is listed twice');
  for (const n of graph.nodes) {
    if (nodeNames.has(n.name)) fail(`two nodes are named '${n.name}'`);
    nodeNames.add(n.name);
    n.inputs.forEach((v, k) => {
      if (!v) return;
      if (!inGraph(v)) fail(`node '${n.name}' input ${k} ('${v.name}') is not in the value table`);
      if (!available.has(v) && !(v.const && !v.producer)) {
        fail(`node '${n.name}' input ${k} ('${v.name}') is neither a graph input, a constant, nor produced by an earlier node`);
      }
      if (!v.users.includes(n)) fail(`value '${v.name}' does not list its user '${n.name}'`);
    });
    for (const o of n.outputs) {
      if (!inGraph(o)) fail(`node '${n.name}' output '${o.name}' is not in the value table`);
      if (o.producer !== n) fail(`value '${o.name}' does not name '${n.name}' as its producer`);
      if (available.has(o)) fail(`value '${o.name}' is defined twice`);
      available.add(o);
    }
  }
  const readBy = new Map<Value, Set<Node>>();
  for (const n of graph.nodes) {
    for (const i of n.inputs) {
      if (!i) continue;
      let s = readBy.get(i);
      if (!s) readBy.set(i, (s = new Set()));
      s.add(n);
    }
  }
  for (const v of graph.values.values()) {
    if (v.producer && !nodeSet.has(v.producer)) fail(`value '${v.name}' has producer '${v.producer.name}', which is not in the graph`);
    for (const u of v.users) {
      if (!nodeSet.has(u)) fail(`value '${v.name}' lists user '${u.name}', which is not in the graph`);
      if (!u.inputs.includes(v)) fail(`value '${v.name}' lists user '${u.name}', which does not read it`);
    }
    const readers = readBy.get(v);
    const distinct = new Set(v.users);
    if ((readers?.size ?? 0) !== distinct.size) {
      fail(`value '${v.name}' lists ${distinct.size} user nodes but is read by ${readers?.size ?? 0}`);
    }
  }
  const outNames = new Set<string>();
  for (const o of graph.outputs) {
    if (!inGraph(o)) fail(`graph output '${o.name}' is not in the value table`);
    if (!available.has(o) && !o.const) fail(`graph output '${o.name}' is never defined`);
    if (outNames.has(o.name)) fail(`graph output name '${o.name}' is listed twice`);
    outNames.add(o.name);
  }
}
