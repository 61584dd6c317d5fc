import type { Graph } from '../../ir/graph.ts';
import { SourceText } from '../../text/located-error.ts';
import { loadOnnxBytes, type LoadOptions } from '../onnx/load.ts';
import type { IModelProto } from '../onnx/proto.ts';
import { encodeModelProto } from '../onnx/writer.ts';
import { ModelBuilder } from './build.ts';
import { parseOnnxCst } from './grammar.ts';

export { printOnnxText, type OnnxPrintOptions } from './print.ts';

/** Parses ONNX textual syntax into ModelProto properties. `file` names the text in error messages. */
export function parseOnnxText(text: string, file = '<text>'): IModelProto {
  const src = new SourceText(text, file);
  return new ModelBuilder(src).model(parseOnnxCst(src));
}

/** ONNX text to binary ModelProto bytes (what `qcc convert model.onnxtxt -o model.onnx` writes). */
export function onnxTextToBytes(text: string, file = '<text>'): Uint8Array {
  return encodeModelProto(parseOnnxText(text, file));
}

/**
 * Imports a model written in ONNX text: text -> ModelProto bytes -> the binary reader, so both forms go
 * through one import path and give the same Graph.
 */
export function loadOnnxText(text: string, opts: LoadOptions & { baseDir?: string; name?: string; file?: string } = {}): Graph {
  return loadOnnxBytes(onnxTextToBytes(text, opts.file ?? opts.name ?? '<text>'), opts);
}
