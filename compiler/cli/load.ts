import { loadOnnxModel } from '../frontend/onnx/load.ts';
import type { Graph } from '../ir/graph.ts';
import { parseInputShapes, requireModelFile, type ModelOptions } from './options.ts';

/** Reads and imports a model with the command's --input-shape overrides. */
export function loadModel(path: string, opts: ModelOptions): Graph {
  const inputShapes = parseInputShapes(opts.inputShape);
  requireModelFile(path);
  return loadOnnxModel(path, inputShapes ? { inputShapes } : {});
}
