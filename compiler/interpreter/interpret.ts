import { QccError } from '../errors.ts';
import type { Graph, Value } from '../ir/graph.ts';
import { typeToString } from '../ir/graph.ts';
import type { Tensor } from '../ir/tensor.ts';
import { getOpDef } from '../ops/registry.ts';
import '../ops/index.ts';

export interface InterpretOptions {
  /** Called after every node with its outputs (for layer-by-layer comparison and debugging). */
  onNode?: (nodeName: string, outputs: readonly { value: Value; tensor: Tensor }[]) => void;
}

/**
 * The reference interpreter: the oracle every backend is held to. Runs nodes in graph order; constants
 * come from the values themselves.
 */
export function interpret(graph: Graph, feeds: ReadonlyMap<string, Tensor>, opts: InterpretOptions = {}): Map<string, Tensor> {
  const env = new Map<Value, Tensor>();
  for (const v of graph.inputs) {
    const t = feeds.get(v.name);
    if (!t) throw new QccError('E_INPUT', `no data for graph input '${v.name}'`);
    if (t.dtype !== v.type.dtype || t.shape.length !== v.type.shape.length || t.shape.some((d, i) => d !== v.type.shape[i])) {
      throw new QccError('E_INPUT', `input '${v.name}' is ${t.dtype}[${t.shape.join('x')}] but the model expects ${typeToString(v.type)}`);
    }
    env.set(v, t);
  }
  const read = (v: Value): Tensor => {
    const t = v.const ?? env.get(v);
    if (!t) throw new Error(`internal: value '${v.name}' read before it was computed`);
    return t;
  };
  for (const node of graph.nodes) {
    const def = getOpDef(node.op);
    const outs = def.interpret(node, node.inputs.map((i) => (i ? read(i) : null)));
    if (outs.length !== node.outputs.length) {
      throw new Error(`internal: ${node.op} produced ${outs.length} outputs, node has ${node.outputs.length}`);
    }
    node.outputs.forEach((o, k) => env.set(o, outs[k]!));
    opts.onNode?.(node.name, node.outputs.map((value, k) => ({ value, tensor: outs[k]! })));
  }
  const result = new Map<string, Tensor>();
  for (const o of graph.outputs) result.set(o.name, read(o));
  return result;
}
