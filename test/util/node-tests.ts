/**
 * Helpers for tests that run the ONNX node tests copied in test/data/onnx-node-tests (NODE_TESTS_DIR):
 * pick cases of an op family, load a case with its first data set, and freeze the graph inputs that
 * code generation needs constant.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { loadOnnxModel } from '../../compiler/frontend/onnx/load.ts';
import { readInputsDir } from '../../compiler/io/test-data.ts';
import type { Graph } from '../../compiler/ir/graph.ts';
import type { Tensor } from '../../compiler/ir/tensor.ts';
import { getOpDef, hasOpDef } from '../../compiler/ops/registry.ts';
import { constInputsOf } from '../../compiler/ops/op-def.ts';
import { NODE_TESTS_DIR } from './models.ts';

/** The node-test case names matching `family` and not `unsupported`, sorted; empty when the folder is missing. */
export function nodeTestCases(family: RegExp, unsupported: RegExp): string[] {
  return existsSync(NODE_TESTS_DIR) ? readdirSync(NODE_TESTS_DIR).filter((n) => family.test(n) && !unsupported.test(n)).sort() : [];
}

/** Loads a node-test case's model.onnx and the inputs of its first test_data_set_* folder. */
export function loadNodeTestCase(name: string): { graph: Graph; feeds: Map<string, Tensor> } {
  const dir = join(NODE_TESTS_DIR, name);
  const graph = loadOnnxModel(join(dir, 'model.onnx'));
  const set = readdirSync(dir).filter((d) => d.startsWith('test_data_set_')).sort()[0]!;
  return { graph, feeds: readInputsDir(join(dir, set), graph) };
}

/**
 * Node tests feed scales, zero points and weights as graph inputs; a deployed model has them as
 * initializers. Graph inputs that a node needs constant (`OpDef.constInputs`) become constants holding
 * their feed, and leave both `g.inputs` and `feeds`. Unlike bindInputs, nothing is re-inferred or folded.
 */
export function freezeConstInputs(g: Graph, feeds: Map<string, Tensor>): void {
  for (const n of g.nodes) {
    if (!hasOpDef(n.op)) continue;
    for (const i of constInputsOf(getOpDef(n.op), n)) {
      const v = n.inputs[i];
      if (!v || v.const || !g.inputs.includes(v)) continue;
      v.const = feeds.get(v.name)!;
      g.inputs = g.inputs.filter((x) => x !== v);
      feeds.delete(v.name);
    }
  }
}
