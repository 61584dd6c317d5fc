/**
 * Helpers shared by the QDQ pattern passes (qdq-fusion.ts, activation-fusion.ts): reading the constant
 * quantization parameters of QuantizeLinear / DequantizeLinear nodes, and replacing a matched group of
 * nodes by one node that takes over the group's output value name.
 */
import type { DType } from '../ir/dtype.ts';
import type { Attrs, Graph, Node, Value } from '../ir/graph.ts';
import { Tensor } from '../ir/tensor.ts';
import { getOpDef } from '../ops/registry.ts';
import { qdqLayout } from '../ops/quant.ts';
import { intValues, scaleValues } from '../ops/qparams.ts';

/** Constant parameters of a (de)quantize node. */
export interface QParams {
  /** The integer side's dtype (Q's output, DQ's input). */
  dtype: DType;
  scale: number[];
  zp: number[];
  perAxis: boolean;
  axis: number;
  /** The scale and zero point values (zp may be null: absent). */
  scaleValue: Value;
  zpValue: Value | null;
}

/** Reads a DQ's or Q's parameters, or says why they are unusable for fusion. */
export function qParams(node: Node): QParams | string {
  const s = node.inputs[1];
  const z = node.inputs[2] ?? null;
  if (!s?.const) return `the scale of ${node.name} is not a compile-time constant`;
  if (z && !z.const) return `the zero point of ${node.name} is not a compile-time constant`;
  if (s.type.dtype !== 'f32') return `the scale of ${node.name} is ${s.type.dtype}, not f32`;
  const dtype = node.op === 'quantize_linear' ? node.outputs[0]!.type.dtype : node.inputs[0]!.type.dtype;
  const { axis, perAxis } = qdqLayout(node);
  const scale = scaleValues(s.const);
  return { dtype, scale, zp: intValues(z?.const, scale.length), perAxis, axis, scaleValue: s, zpValue: z };
}

/** Per-tensor parameters with an 8-bit integer type, or the reason they are not. */
export function perTensor8(node: Node, what: string): QParams | string {
  const p = qParams(node);
  if (typeof p === 'string') return p;
  if (p.perAxis) return `${what} is quantized per axis; the integer kernel needs one scale`;
  if (p.dtype !== 'u8' && p.dtype !== 'i8') return `${what} is ${p.dtype}; the integer kernels take u8 or i8`;
  return p;
}

export function sameParams(a: QParams, b: QParams): boolean {
  return a.dtype === b.dtype && a.perAxis === b.perAxis && (!a.perAxis || a.axis === b.axis) &&
    a.scale.length === b.scale.length && a.scale.every((v, i) => v === b.scale[i]) && a.zp.every((v, i) => v === b.zp[i]);
}

export function isDq(v: Value | null | undefined): v is Value & { producer: Node } {
  return !!v?.producer && v.producer.op === 'dequantize_linear';
}

/** The single QuantizeLinear consuming a node's only output (ORT: every output edge goes to a Q). */
export function soleQ(graph: Graph, node: Node): Node | null {
  if (node.outputs.length !== 1) return null;
  const out = node.outputs[0]!;
  if (graph.outputs.includes(out) || out.users.length !== 1) return null;
  const q = out.users[0]!;
  return q.op === 'quantize_linear' && q.inputs[0] === out ? q : null;
}

/** A zero point value: the given one, or a new scalar 0 of the dtype (the integer kinds want it present). */
export function zpOrZero(graph: Graph, p: QParams, name: string): Value {
  return p.zpValue ?? graph.addConst(`${name}_zero_point`, Tensor.scalar(p.dtype, 0));
}

/**
 * Type-checks a node that is not in the graph yet with its kind's inference; returns the error message
 * when the kind rejects it (the caller then leaves the pattern in float with that reason).
 */
export function tryInfer(op: string, name: string, inputs: (Value | null)[], attrs: Attrs): string | null {
  const probe: Node = { id: -1, name, op, inputs, outputs: [], attrs };
  try {
    getOpDef(op).infer(probe);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * Replaces `oldOut` (the output of the last node of a matched group) by the output of a new node of kind
 * `op` inserted before `before`; the new output takes over oldOut's name (graph outputs keep their names).
 * The group's nodes that end up unused are removed, in the order given.
 */
export function replaceGroup(graph: Graph, oldOut: Value, op: string, name: string, inputs: (Value | null)[], attrs: Attrs,
  before: Node, remove: readonly Node[]): Node {
  const probe: Node = { id: -1, name, op, inputs, outputs: [], attrs };
  const [type] = getOpDef(op).infer(probe);
  const out = graph.addValue(`${oldOut.name}__fused`, type!);
  const node = graph.addNode(op, name, inputs, [out], attrs, before);
  const oldName = oldOut.name;
  graph.replaceAllUses(oldOut, out);
  for (const n of remove) removeIfUnused(graph, n);
  graph.renameValue(out, oldName);
  return node;
}

/** Removes a node if none of its outputs is used or a graph output. */
export function removeIfUnused(graph: Graph, n: Node): boolean {
  if (!graph.nodes.includes(n)) return false;
  if (n.outputs.some((o) => o.users.length > 0 || graph.outputs.includes(o))) return false;
  graph.removeNode(n);
  return true;
}
