/**
 * Every model the memory-planning tests cover, compiled for target c: the real models (test/util/models.ts,
 * graph inputs that kernels need constant frozen to seeded values), the bundled example and the generated
 * residual CNNs (test/util/gen-cnn.ts). Each comes with the graph after the pass pipeline and feeds.
 */
import { join } from 'node:path';
import { compileModel, type CompiledModel } from '../../backends/c/compile.ts';
import { loadOnnxBytes, loadOnnxModel } from '../../compiler/frontend/onnx/load.ts';
import type { Graph } from '../../compiler/ir/graph.ts';
import type { Tensor } from '../../compiler/ir/tensor.ts';
import { randomInputs } from '../../compiler/io/random-inputs.ts';
import { prepareGraph } from '../../compiler/passes/pipeline.ts';
import { generatedCnns } from '../util/gen-cnn.ts';
import { REAL_MODELS, REPO_ROOT } from '../util/models.ts';
import { freezeConstInputs } from '../util/node-tests.ts';

export interface PlannedModel {
  id: string;
  graph: Graph;
  feeds: Map<string, Tensor>;
  model: CompiledModel;
}


const cName = (id: string) => id.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 24);

function planned(id: string, g: Graph, target = 'c'): PlannedModel {
  prepareGraph(g, {});
  const feeds = randomInputs(g, 7);
  freezeConstInputs(g, feeds);
  return { id, graph: g, feeds, model: compileModel(g, { target, name: cName(id) }) };
}

export function plannedModels(target = 'c'): PlannedModel[] {
  const out: PlannedModel[] = [];
  for (const m of REAL_MODELS) out.push(planned(m.id, loadOnnxModel(m.path, m.inputShapes ? { inputShapes: { ...m.inputShapes } } : {}), target));
  out.push(planned('examples/tiny_cnn', loadOnnxModel(join(REPO_ROOT, 'examples/tiny_cnn.onnx')), target));
  for (const m of generatedCnns()) out.push(planned(m.id, loadOnnxBytes(m.bytes, { name: cName(m.id) }), target));
  return out;
}
