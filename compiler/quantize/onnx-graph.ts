/**
 * Small helpers over a decoded ONNX ModelProto: the quantizer rewrites the model at the protobuf level
 * (as ONNX Runtime's Python quantizer does), so the output is a standard ONNX file with the user's node
 * and tensor names.
 */
import { QccError } from '../errors.ts';
import { decodeTensor } from '../frontend/onnx/tensor-decode.ts';
import { tensorToProto } from '../frontend/onnx/writer.ts';
import { AttributeType, int64ToNumber, onnx, type IAttributeProto, type Int64, type ModelProto, type NodeProto, type TensorProto } from '../frontend/onnx/proto.ts';
import { Tensor } from '../ir/tensor.ts';

export type ProtoNode = NodeProto;
export type GraphMessage = InstanceType<typeof onnx.GraphProto>;

/** The graph of a decoded model (decoded messages always carry their repeated fields). */
export function graphOf(m: ModelProto): GraphMessage {
  return m.graph as GraphMessage;
}

export function cloneModel(m: ModelProto): ModelProto {
  return onnx.ModelProto.decode(onnx.ModelProto.encode(m).finish());
}

export function initializerMap(m: ModelProto): Map<string, TensorProto> {
  return new Map((graphOf(m).initializer ?? []).map((t) => [t.name ?? '', t]));
}

export function readInitializer(m: ModelProto, name: string): Tensor | null {
  const t = (graphOf(m).initializer ?? []).find((x) => x.name === name);
  return t ? decodeTensor(t, `initializer '${name}'`) : null;
}

export function setInitializer(m: ModelProto, name: string, t: Tensor): void {
  const g = graphOf(m);
  const p = onnx.TensorProto.create(tensorToProto(t, name));
  const i = (g.initializer ?? []).findIndex((x) => x.name === name);
  if (i >= 0) g.initializer[i] = p;
  else g.initializer.push(p);
}

export function removeUnusedInitializers(m: ModelProto): void {
  const g = graphOf(m);
  const used = new Set<string>([...g.node.flatMap((n) => n.input ?? []), ...(g.output ?? []).map((o) => o.name ?? '')]);
  g.initializer = g.initializer.filter((t) => used.has(t.name ?? ''));
  g.input = g.input.filter((i) => !g.initializer.some((t) => t.name === i.name) || used.has(i.name ?? ''));
}

export function attr(n: ProtoNode, name: string): IAttributeProto | undefined {
  return (n.attribute ?? []).find((a) => a.name === name);
}

export function attrInt(n: ProtoNode, name: string, dflt: number): number {
  const a = attr(n, name);
  return a ? int64ToNumber(a.i as Int64) : dflt;
}

export function attrFloat(n: ProtoNode, name: string, dflt: number): number {
  const a = attr(n, name);
  return a && a.f !== null && a.f !== undefined ? a.f : dflt;
}

export function intAttr(name: string, i: number): IAttributeProto {
  return { name, type: AttributeType.INT, i };
}

export function floatAttr(name: string, f: number): IAttributeProto {
  return { name, type: AttributeType.FLOAT, f };
}

export function makeNode(op: string, inputs: string[], outputs: string[], name: string, attrs: IAttributeProto[] = [], domain = ''): ProtoNode {
  return onnx.NodeProto.create({ opType: op, domain, name, input: inputs, output: outputs, attribute: attrs });
}

export function defaultOpset(m: ModelProto): number {
  const o = m.opsetImport.find((x) => !x.domain || x.domain === 'ai.onnx');
  return o ? int64ToNumber(o.version as Int64) : 1;
}

export function requireOpset(m: ModelProto, min: number, why: string): void {
  const v = defaultOpset(m);
  if (v < min) {
    throw new QccError('E_UNSUPPORTED', `the model uses opset ${v}; ${why} needs opset ${min} or later`, {
      hint: 'convert the model to a newer opset first (onnx.version_converter.convert_version)',
    });
  }
}

export function ensureDomain(m: ModelProto, domain: string, version: number): void {
  if (!m.opsetImport.some((o) => o.domain === domain)) m.opsetImport.push(onnx.OperatorSetIdProto.create({ domain, version }));
}

/** Per-tensor lists of the nodes reading it. */
export function consumers(m: ModelProto): Map<string, ProtoNode[]> {
  const c = new Map<string, ProtoNode[]>();
  for (const n of graphOf(m).node) {
    for (const i of n.input ?? []) {
      if (!i) continue;
      const l = c.get(i) ?? [];
      if (!l.includes(n)) l.push(n);
      c.set(i, l);
    }
  }
  return c;
}

export function producers(m: ModelProto): Map<string, ProtoNode> {
  const p = new Map<string, ProtoNode>();
  for (const n of graphOf(m).node) for (const o of n.output ?? []) if (o) p.set(o, n);
  return p;
}

/** Node names, made non-empty the way the loader does (op type and first output). */
export function nodeLabel(n: ProtoNode, k: number): string {
  if (n.name) return n.name;
  const o = (n.output ?? []).find((x) => x);
  return o ? `${n.opType}:${o}` : `${n.opType}_${k}`;
}

export function scalarTensor(dtype: 'f32' | 'u8' | 'i8' | 'i32', v: number): Tensor {
  return Tensor.fromNumbers(dtype, [], [v]);
}
