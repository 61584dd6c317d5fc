import { readFileSync, statSync } from 'node:fs';
import { basename, dirname, extname } from 'node:path';
import { QccError } from '../errors.ts';
import type { Graph } from '../ir/graph.ts';
import { loadOnnxText, parseOnnxText } from './onnx-text/index.ts';
import { loadOnnxModel, type LoadOptions } from './onnx/load.ts';
import { decodeModelProto, type ModelProto } from './onnx/proto.ts';
import { encodeModelProto } from './onnx/writer.ts';

/** File extensions read as ONNX textual syntax; everything else is a binary ModelProto. */
export const ONNX_TEXT_EXTENSIONS: readonly string[] = ['.onnxtxt', '.onnxtext', '.txt'];

export function isOnnxTextPath(path: string): boolean {
  return ONNX_TEXT_EXTENSIONS.includes(extname(path).toLowerCase());
}

function readText(path: string): string {
  try {
    if (statSync(path).isDirectory()) throw new QccError('E_IO', `'${path}' is a folder, not a model file`);
    return readFileSync(path, 'utf8');
  } catch (e) {
    if (e instanceof QccError) throw e;
    throw new QccError('E_IO', `cannot read model '${path}' (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
}

/** Reads and imports a model file, ONNX binary or ONNX text (by extension), into a Graph. */
export function loadModelFile(path: string, opts: LoadOptions = {}): Graph {
  if (!isOnnxTextPath(path)) return loadOnnxModel(path, opts);
  return loadOnnxText(readText(path), { ...opts, file: path, baseDir: dirname(path), name: basename(path, extname(path)) });
}

/** A model file as ModelProto (binary decoded, or text parsed), for `qcc convert`. */
export function readModelProto(path: string): ModelProto {
  if (isOnnxTextPath(path)) return decodeModelProto(encodeModelProto(parseOnnxText(readText(path), path)), path);
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (e) {
    throw new QccError('E_IO', `cannot read model '${path}' (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  return decodeModelProto(bytes, path);
}
