import { DTYPES } from '../ir/dtype.ts';
import type { Graph, Node } from '../ir/graph.ts';
import { shapeSize, type Tensor } from '../ir/tensor.ts';
import { getOpDef } from '../ops/registry.ts';

export interface FoldOptions {
  /** Do not fold when an output would be larger than this many bytes (it stays a runtime node). */
  maxBytes?: number;
}

/**
 * Constant-folds one node: when its kind is foldable and every present input is constant, runs the
 * reference kernel, stores the results on the output values (`.const`) and takes the node out of the
 * graph. The output values stay, as constants. Returns whether the node was folded.
 */
export function foldNode(graph: Graph, node: Node, opts: FoldOptions = {}): boolean {
  const def = getOpDef(node.op);
  if (def.foldable === false) return false;
  if (!node.inputs.every((i) => i === null || i.const !== undefined)) return false;
  if (opts.maxBytes !== undefined) {
    for (const o of node.outputs) {
      if (shapeSize(o.type.shape) * DTYPES[o.type.dtype].bytes > opts.maxBytes) return false;
    }
  }
  const results: Tensor[] = def.interpret(node, node.inputs.map((i) => (i ? i.const! : null)));
  if (results.length !== node.outputs.length) {
    throw new Error(`internal: folding ${node.name} (${node.op}) gave ${results.length} outputs, node has ${node.outputs.length}`);
  }
  node.outputs.forEach((o, k) => {
    const t = results[k]!;
    const want = o.type;
    if (t.dtype !== want.dtype || t.shape.length !== want.shape.length || t.shape.some((d, j) => d !== want.shape[j])) {
      throw new Error(
        `internal: folding ${node.name} (${node.op}): output ${k} is ${t.dtype}[${t.shape.join('x')}] but inference said ${want.dtype}[${want.shape.join('x')}]`,
      );
    }
  });
  // Detach by hand: Graph.removeNode would also delete the output values, which we keep as constants.
  node.outputs.forEach((o, k) => {
    o.const = results[k]!;
    o.producer = null;
  });
  for (const i of node.inputs) {
    if (!i) continue;
    const k = i.users.indexOf(node);
    if (k >= 0) i.users.splice(k, 1);
  }
  graph.nodes = graph.nodes.filter((n) => n !== node);
  return true;
}
