import { QccError } from '../errors.ts';
import { loadModelFile } from '../frontend/load-model.ts';
import type { Graph } from '../ir/graph.ts';
import type { Tensor } from '../ir/tensor.ts';
import { readTensorFile } from '../io/test-data.ts';
import { bindInputs, inputsNeededAsConstants } from '../passes/bind-inputs.ts';
import { parseInputShapes, requireModelFile, usage, type ModelOptions } from './options.ts';

/**
 * Reads and imports a model with the command's --input-shape overrides, then turns the inputs named by
 * --const NAME=FILE into compile-time constants.
 */
export function loadModel(path: string, opts: ModelOptions): Graph {
  const inputShapes = parseInputShapes(opts.inputShape);
  const binds = parseConstSpecs(opts.const ?? []);
  requireModelFile(path);
  const graph = loadModelFile(path, inputShapes ? { inputShapes } : {});
  if (binds.size > 0) {
    const values = new Map<string, Tensor>();
    for (const [name, file] of binds) values.set(name, readTensorFile(file).tensor);
    bindInputs(graph, values);
  }
  return graph;
}

function parseConstSpecs(specs: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    if (eq <= 0 || eq === spec.length - 1) throw usage(`bad --const '${spec}'`, 'write it as NAME=FILE with a .pb or .npy tensor file');
    const name = spec.slice(0, eq);
    if (out.has(name)) throw usage(`--const given twice for '${name}'`);
    out.set(name, spec.slice(eq + 1));
  }
  return out;
}

/**
 * Code generation needs some operands (scales, zero points, integer weights) at compile time. When a
 * model passes them as graph inputs, this says which ones and how to bind them.
 */
export function requireNoRuntimeConstInputs(graph: Graph): void {
  const need = inputsNeededAsConstants(graph);
  if (need.length === 0) return;
  const names = need.map((v) => `'${v.name}'`).join(', ');
  throw new QccError('E_NOT_CONSTANT', `graph input${need.length > 1 ? 's' : ''} ${names} feed${need.length > 1 ? '' : 's'} operands the C code needs at compile time (weights, scales or zero points)`, {
    hint: `bind them to fixed values: ${need.map((v) => `--const ${v.name}=${v.name}.pb`).join(' ')} (qcc run and qcc verify bind them from the inputs they use)`,
  });
}
