/**
 * Small test models written in the ONNX textual syntax (compiler/frontend/onnx-text) instead of ModelDesc
 * objects or protobufs built by hand. The text goes through the same reader as `qcc model.onnxtxt`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOnnxText, onnxTextToBytes } from '../../compiler/frontend/onnx-text/index.ts';
import type { LoadOptions } from '../../compiler/frontend/onnx/load.ts';
import type { Graph } from '../../compiler/ir/graph.ts';
import { REPO_ROOT } from './models.ts';

/** Folder of the `.onnxtxt` fixtures. */
export const TEXT_MODELS_DIR = join(REPO_ROOT, 'test/data/text');

export interface TextModelOptions extends LoadOptions {
  /**
   * Prepends the model header `<ir_version: ..., opset_import: [...]>`: a number is the ai.onnx opset, a
   * record maps domains to opsets. Leave it out when the text has its own header.
   */
  opset?: number | Record<string, number>;
  /** Graph name for error messages (default 'm'). */
  name?: string;
}

/** The IR version that goes with the default-domain opset (the writer's choice, so models stay as before). */
function irVersionFor(opset: number): number {
  const limits: [number, number][] = [[8, 3], [9, 4], [10, 5], [11, 6], [14, 7], [18, 8], [20, 9], [22, 10]];
  return limits.find(([max]) => opset <= max)?.[1] ?? 11;
}

/** The text with a model header for `opset` in front (unchanged without it). */
export function withHeader(src: string, opset?: number | Record<string, number>): string {
  if (opset === undefined) return src;
  const opsets = typeof opset === 'number' ? { '': opset } : opset;
  const list = Object.entries(opsets).map(([d, v]) => `${JSON.stringify(d)} : ${v}`).join(', ');
  return `<ir_version: ${irVersionFor(opsets[''] ?? 13)}, opset_import: [${list}]>\n${src}`;
}

/** Imports a model written in ONNX text (through ModelProto bytes, like a .onnx file). */
export function modelFromText(src: string, opts: TextModelOptions = {}): Graph {
  const { opset, name = 'm', ...load } = opts;
  return loadOnnxText(withHeader(src, opset), { ...load, name });
}

/** ONNX text to ModelProto bytes, for onnxruntime-web or for writing a `.onnx` file. */
export function bytesFromText(src: string, opset?: number | Record<string, number>): Uint8Array {
  return onnxTextToBytes(withHeader(src, opset));
}

/** The text of a fixture in test/data/text. */
export function readTextModel(file: string): string {
  return readFileSync(join(TEXT_MODELS_DIR, file), 'utf8');
}
