import { DTYPES, type DType } from '../../ir/dtype.ts';
import type { Tensor } from '../../ir/tensor.ts';
import { AttributeType, onnx, type IAttributeProto, type IModelProto, type ITensorProto, type ITensorTypeProto, type IValueInfoProto, type LongLike } from './proto.ts';

/** An attribute value in a model description. */
export type AttrDesc =
  | { i: number }
  | { f: number }
  | { s: string }
  | { ints: number[] }
  | { floats: number[] }
  | { t: Tensor }
  | { strings: string[] };

export interface NodeDesc {
  op: string;
  /** '' (default) for ai.onnx. */
  domain?: string;
  name?: string;
  /** '' for an absent optional input. */
  inputs: string[];
  outputs: string[];
  attrs?: Record<string, AttrDesc>;
}

/** A compact description of an ONNX model, for tests and `qcc convert`. Shapes may hold symbolic dims (strings). */
export interface ModelDesc {
  irVersion?: number;
  opsets: { domain: string; version: number }[];
  graphName?: string;
  producerName?: string;
  inputs: { name: string; dtype: DType; shape: (number | string)[] }[];
  /** Without dtype the output has no type; without shape it has unknown rank. */
  outputs: { name: string; dtype?: DType; shape?: (number | string)[] }[];
  initializers?: { name: string; tensor: Tensor; storage?: 'raw' | 'typed' }[];
  nodes: NodeDesc[];
  /** Extra value_info entries (types of intermediate values); without dtype the entry has no type. */
  valueInfo?: { name: string; dtype?: DType; shape?: (number | string)[] }[];
}

/** An exact int64/uint64 as the {low, high} pair protobufjs writes. */
export function bigToLong(b: bigint, unsigned = false): LongLike {
  const u = BigInt.asUintN(64, b);
  return { low: Number(u & 0xffffffffn) | 0, high: Number(u >> 32n) | 0, unsigned };
}

/** The ONNX TensorProto (as protobufjs properties) of a tensor; raw_data unless `typed` is asked for. */
export function tensorToProto(t: Tensor, name: string, storage: 'raw' | 'typed' = 'raw'): ITensorProto {
  const info = DTYPES[t.dtype];
  const p: ITensorProto = { name, dataType: info.onnx, dims: [...t.shape] };
  if (storage === 'raw') {
    p.rawData = t.bytes().slice();
    return p;
  }
  switch (t.dtype) {
    case 'f32':
      p.floatData = Array.from(t.data as Float32Array);
      break;
    case 'f64':
      p.doubleData = Array.from(t.data as Float64Array);
      break;
    case 'i64':
      p.int64Data = Array.from(t.data as BigInt64Array, (b) => bigToLong(b)) as unknown as number[];
      break;
    case 'u64':
      p.uint64Data = Array.from(t.data as BigUint64Array, (b) => bigToLong(b, true)) as unknown as number[];
      break;
    case 'u32':
      p.uint64Data = Array.from(t.data as Uint32Array);
      break;
    default:
      // i8 u8 i16 u16 i32 bool, and f16 bits: int32_data.
      p.int32Data = Array.from(t.data as ArrayLike<number>);
      break;
  }
  return p;
}

export function encodeTensorProto(t: Tensor, name: string, storage: 'raw' | 'typed' = 'raw'): Uint8Array {
  return onnx.TensorProto.encode(onnx.TensorProto.create(tensorToProto(t, name, storage))).finish();
}

function valueInfo(name: string, dtype?: DType, shape?: (number | string)[]): IValueInfoProto {
  if (!dtype) return { name };
  const tensorType: ITensorTypeProto = { elemType: DTYPES[dtype].onnx };
  if (shape) tensorType.shape = { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) };
  return { name, type: { tensorType } };
}

const enc = new TextEncoder();

function attribute(name: string, a: AttrDesc): IAttributeProto {
  if ('i' in a) return { name, type: AttributeType.INT, i: a.i };
  if ('f' in a) return { name, type: AttributeType.FLOAT, f: a.f };
  if ('s' in a) return { name, type: AttributeType.STRING, s: enc.encode(a.s) };
  if ('ints' in a) return { name, type: AttributeType.INTS, ints: a.ints };
  if ('floats' in a) return { name, type: AttributeType.FLOATS, floats: a.floats };
  if ('t' in a) return { name, type: AttributeType.TENSOR, t: tensorToProto(a.t, name) };
  return { name, type: AttributeType.STRINGS, strings: a.strings.map((s) => enc.encode(s)) };
}

/** The IR version that goes with the default-domain opset (what the onnx package would pick). */
function defaultIrVersion(opsets: ModelDesc['opsets']): number {
  const v = opsets.find((o) => o.domain === '' || o.domain === 'ai.onnx')?.version ?? 13;
  if (v <= 8) return 3;
  if (v <= 9) return 4;
  if (v <= 10) return 5;
  if (v <= 11) return 6;
  if (v <= 14) return 7;
  if (v <= 18) return 8;
  if (v <= 20) return 9;
  if (v <= 22) return 10;
  return 11;
}

/** Builds the ModelProto properties for a description (exposed for tests that need to tamper with them). */
export function modelProto(desc: ModelDesc): IModelProto {
  return {
    irVersion: desc.irVersion ?? defaultIrVersion(desc.opsets),
    producerName: desc.producerName ?? 'qcc',
    opsetImport: desc.opsets.map((o) => ({ domain: o.domain, version: o.version })),
    graph: {
      name: desc.graphName ?? 'graph',
      input: desc.inputs.map((i) => valueInfo(i.name, i.dtype, i.shape)),
      output: desc.outputs.map((o) => valueInfo(o.name, o.dtype, o.shape)),
      initializer: (desc.initializers ?? []).map((x) => tensorToProto(x.tensor, x.name, x.storage)),
      valueInfo: (desc.valueInfo ?? []).map((v) => valueInfo(v.name, v.dtype, v.shape)),
      node: desc.nodes.map((n, k) => ({
        opType: n.op,
        domain: n.domain ?? '',
        name: n.name ?? `${n.op}_${k}`,
        input: n.inputs,
        output: n.outputs,
        attribute: Object.entries(n.attrs ?? {}).map(([name, a]) => attribute(name, a)),
      })),
    },
  };
}

export function encodeModelProto(m: IModelProto): Uint8Array {
  return onnx.ModelProto.encode(onnx.ModelProto.create(m)).finish();
}

/** Encodes a description as ONNX ModelProto bytes (loadable by qcc and by ONNX Runtime). */
export function encodeModel(desc: ModelDesc): Uint8Array {
  return encodeModelProto(modelProto(desc));
}
