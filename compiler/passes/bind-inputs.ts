import { QccError } from '../errors.ts';
import type { Graph, Value } from '../ir/graph.ts';
import { sameType, typeToString } from '../ir/graph.ts';
import { shapeToString, type Tensor } from '../ir/tensor.ts';
import { getOpDef } from '../ops/registry.ts';
import { constInputsOf } from '../ops/op-def.ts';
import { foldNode } from './fold-node.ts';

/**
 * Turns named graph inputs into compile-time constants. Used when a model feeds scales, zero points or
 * weights as runtime inputs (as the ONNX node tests do) but code generation needs them constant.
 * The inputs leave `graph.inputs`; every node downstream of them is re-inferred (types can only get
 * more precise) and folded when all its inputs have become constant.
 */
export function bindInputs(graph: Graph, values: ReadonlyMap<string, Tensor>): void {
  const changed = new Set<Value>();
  for (const [name, t] of values) {
    const v = graph.inputs.find((x) => x.name === name);
    if (!v) {
      throw new QccError('E_INPUT', `cannot bind '${name}': it is not a graph input (inputs: ${graph.inputs.map((x) => x.name).join(', ') || 'none'})`);
    }
    const want = v.type;
    if (t.dtype !== want.dtype || t.shape.length !== want.shape.length || t.shape.some((d, i) => d !== want.shape[i])) {
      throw new QccError('E_INPUT', `cannot bind '${name}': value is ${t.dtype}[${shapeToString(t.shape)}] but the input is ${typeToString(want)}`);
    }
    v.const = t;
    changed.add(v);
  }
  graph.inputs = graph.inputs.filter((v) => !changed.has(v));

  // Nodes are in topological order, so one sweep sees every producer before its users.
  for (const node of [...graph.nodes]) {
    if (!node.inputs.some((i) => i !== null && changed.has(i))) continue;
    const types = getOpDef(node.op).infer(node);
    node.outputs.forEach((o, k) => {
      const t = types[k];
      if (t && !sameType(t, o.type)) {
        o.type = t;
        changed.add(o);
      }
    });
    if (foldNode(graph, node)) for (const o of node.outputs) changed.add(o);
  }
}

/**
 * The graph inputs that feed, directly, an operand the C backend needs at compile time
 * (`OpDef.constInputs`: scales, zero points, weights of integer ops), in graph-input order.
 */
export function inputsNeededAsConstants(graph: Graph): Value[] {
  const need = new Set<Value>();
  const isInput = new Set(graph.inputs);
  for (const node of graph.nodes) {
    for (const k of constInputsOf(getOpDef(node.op), node)) {
      const v = node.inputs[k];
      if (v && !v.const && isInput.has(v)) need.add(v);
    }
  }
  return graph.inputs.filter((v) => need.has(v));
}
