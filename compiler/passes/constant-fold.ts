import type { Graph } from '../ir/graph.ts';
import { DEFAULT_MAX_TENSOR_BYTES } from '../frontend/onnx/tensor-decode.ts';
import { foldNode } from './fold-node.ts';
import type { Pass } from './pass.ts';

/**
 * Evaluates, at compile time, every foldable node whose inputs are all constant (the importer does the
 * same while loading; this catches what passes expose, e.g. Shape -> Gather -> Concat -> Reshape chains
 * whose input became static, or a transpose of a weight freed by fusion). DequantizeLinear is not
 * foldable: the QDQ fusion must still see it on weights.
 */
export const constantFold: Pass = {
  name: 'constant-fold',
  run(graph: Graph): boolean {
    let changed = false;
    for (const node of [...graph.nodes]) {
      if (foldNode(graph, node, { maxBytes: DEFAULT_MAX_TENSOR_BYTES })) changed = true;
    }
    return changed;
  },
};
