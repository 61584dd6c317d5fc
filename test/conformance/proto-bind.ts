/**
 * Import-time binding for conformance cases: some operands must be constant already when the ONNX
 * importer runs (Reshape's shape, Pad's pads, ...), while the node tests feed them as inputs. These are
 * turned into initializers in the ModelProto itself, from the data set's own TensorProto files, before
 * loading. (Operands needed constant only by the C backend are bound later on the Graph, by bindInputs.)
 */
import { readFileSync } from 'node:fs';
import { onnx, type ModelProto } from '../../compiler/frontend/onnx/proto.ts';

export function decodeModel(bytes: Uint8Array): ModelProto {
  return onnx.ModelProto.decode(bytes);
}

/** Graph input names that are not initializers, in order (what input_<i>.pb files are matched against). */
export function modelInputNames(m: ModelProto): string[] {
  const inits = new Set((m.graph?.initializer ?? []).map((t) => t.name ?? ''));
  return (m.graph?.input ?? []).map((vi) => vi.name ?? '').filter((n) => !inits.has(n));
}

export function modelOutputNames(m: ModelProto): string[] {
  return (m.graph?.output ?? []).map((vi) => vi.name ?? '');
}

/** The model with the named inputs turned into initializers holding the given TensorProto files' data. */
export function bindInModel(bytes: Uint8Array, files: ReadonlyMap<string, string>): Uint8Array {
  if (files.size === 0) return bytes;
  const m = onnx.ModelProto.decode(bytes);
  const g = m.graph!;
  for (const [name, file] of files) {
    const t = onnx.TensorProto.decode(readFileSync(file));
    t.name = name;
    g.initializer = [...(g.initializer ?? []), t];
    g.input = (g.input ?? []).filter((vi) => vi.name !== name);
  }
  return onnx.ModelProto.encode(m).finish();
}

/** Graph inputs named (in quotes) in an error message: the operands an importer wanted constant. */
export function inputsNamedIn(message: string, inputNames: readonly string[]): string[] {
  const quoted = new Set([...message.matchAll(/'([^']*)'/g)].map((x) => x[1]!));
  return inputNames.filter((n) => quoted.has(n));
}
