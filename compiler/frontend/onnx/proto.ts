import onnxProto from 'onnx-proto';
import { QccError } from '../../errors.ts';

/**
 * The generated ONNX protobuf classes (onnx-proto is CommonJS: its namespace is the default export's
 * `onnx` member under Node ESM and tsx). Everything else in the frontend imports protobuf types from here.
 */
export const onnx = onnxProto.onnx;
export type ModelProto = onnxProto.onnx.ModelProto;
export type GraphProto = onnxProto.onnx.IGraphProto;
export type NodeProto = onnxProto.onnx.INodeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export type ValueInfoProto = onnxProto.onnx.IValueInfoProto;
export type AttributeProto = onnxProto.onnx.IAttributeProto;
export type TypeProto = onnxProto.onnx.ITypeProto;
export type IModelProto = onnxProto.onnx.IModelProto;
export type ITensorProto = onnxProto.onnx.ITensorProto;
export type IValueInfoProto = onnxProto.onnx.IValueInfoProto;
export type IAttributeProto = onnxProto.onnx.IAttributeProto;
export type ITensorTypeProto = onnxProto.onnx.TypeProto.ITensor;
export const AttributeType = onnxProto.onnx.AttributeProto.AttributeType;
export const DataLocation = onnxProto.onnx.TensorProto.DataLocation;

/** protobufjs decodes int64 fields as `Long` objects when the `long` package is present, else numbers. */
export interface LongLike {
  low: number;
  high: number;
  unsigned?: boolean;
}
export type Int64 = number | LongLike | null | undefined;

/** An int64 field as an exact BigInt (signed unless `unsigned`). */
export function int64ToBigInt(v: Int64, unsigned = false): bigint {
  if (v === null || v === undefined) return 0n;
  if (typeof v === 'number') return unsigned ? BigInt.asUintN(64, BigInt(Math.trunc(v))) : BigInt(Math.trunc(v));
  const b = (BigInt(v.high >>> 0) << 32n) | BigInt(v.low >>> 0);
  return unsigned ? b : BigInt.asIntN(64, b);
}

/** An int64 field as a JS number (exact up to 2^53; larger magnitudes are rounded). */
export function int64ToNumber(v: Int64, unsigned = false): number {
  if (v === null || v === undefined) return 0;
  if (typeof v === 'number') return v;
  return Number(int64ToBigInt(v, unsigned));
}

const utf8 = new TextDecoder('utf-8', { fatal: false });
export function bytesToString(b: Uint8Array | null | undefined): string {
  return b ? utf8.decode(b) : '';
}

/** First bytes of the file, for error messages about files that are not ONNX at all. */
function describeStart(bytes: Uint8Array): string {
  const head = bytes.subarray(0, 8);
  const printable = [...head].every((c) => c >= 0x20 && c < 0x7f);
  if (printable && head.length > 0) return `starts with "${String.fromCharCode(...head)}"`;
  return `starts with bytes ${[...head].map((c) => c.toString(16).padStart(2, '0')).join(' ')}`;
}

/**
 * Decodes a ModelProto. Protobuf has no magic number, so random bytes sometimes decode: beyond a
 * clean decode we also require a graph and plausible versions. Every failure is E_PARSE.
 */
export function decodeModelProto(bytes: Uint8Array, what: string): ModelProto {
  const fail = (why: string): QccError => new QccError('E_PARSE', `not an ONNX model: ${what}: ${why}`);
  if (bytes.length === 0) throw fail('the file is empty');
  let m: ModelProto;
  try {
    m = onnx.ModelProto.decode(bytes);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw fail(`protobuf decoding failed (${msg}; truncated or not a protobuf file?, ${describeStart(bytes)})`);
  }
  const ir = int64ToNumber(m.irVersion as Int64);
  if (!m.graph) throw fail(`no graph in the file (truncated, or another kind of protobuf?; ${describeStart(bytes)})`);
  if (!(ir >= 1 && ir <= 100)) throw fail(`implausible ir_version ${ir}`);
  for (const o of m.opsetImport) {
    const v = int64ToNumber(o.version as Int64);
    if (!(Number.isInteger(v) && v >= 1 && v <= 10000)) throw fail(`implausible opset version ${v} for domain '${o.domain ?? ''}'`);
  }
  for (const n of m.graph.node ?? []) {
    if (!n.opType) throw fail(`a node has no op_type (${describeStart(bytes)})`);
  }
  return m;
}

/** Decodes a standalone TensorProto (.pb test data). */
export function decodeTensorProtoBytes(bytes: Uint8Array, what: string): onnxProto.onnx.TensorProto {
  try {
    return onnx.TensorProto.decode(bytes);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    throw new QccError('E_PARSE', `not an ONNX TensorProto: ${what}: protobuf decoding failed (${msg})`);
  }
}
