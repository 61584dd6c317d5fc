import { QccError } from '../errors.ts';
import type { Tensor } from '../ir/tensor.ts';
import { decodeTensorProtoBytes } from '../frontend/onnx/proto.ts';
import { decodeTensor, type TensorDecodeOptions } from '../frontend/onnx/tensor-decode.ts';
import { encodeTensorProto } from '../frontend/onnx/writer.ts';

/**
 * Decodes a serialized TensorProto (the .pb files of ONNX test data) with the initializer decoder, so
 * every storage form works. `what` names the source in errors (usually the file path).
 */
export function decodeTensorProtoFile(bytes: Uint8Array, what: string, opts: TensorDecodeOptions = {}): { name?: string; tensor: Tensor } {
  if (bytes.length === 0) throw new QccError('E_PARSE', `not an ONNX TensorProto: ${what}: the file is empty`);
  const p = decodeTensorProtoBytes(bytes, what);
  // Protobuf has no magic number: a file that decodes but names no data type is not a tensor.
  if (!p.dataType) throw new QccError('E_PARSE', `not an ONNX TensorProto: ${what}: it has no data type`);
  const name = p.name ? p.name : undefined;
  const tensor = decodeTensor(p, `tensor${name ? ` '${name}'` : ''} in ${what}`, opts);
  return name !== undefined ? { name, tensor } : { tensor };
}

/** A tensor as TensorProto bytes (raw_data, little-endian). */
export function encodeTensorProtoFile(t: Tensor, name: string): Uint8Array {
  return encodeTensorProto(t, name, 'raw');
}
