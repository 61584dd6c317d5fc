import { DTYPES } from '../ir/dtype.ts';
import { sameType, type Graph, type Node } from '../ir/graph.ts';
import type { Pass } from './pass.ts';

/**
 * Removes nodes that copy their input unchanged, bit for bit: a reshape to the same shape, a transpose
 * by the identity permutation (both appear once QDQ fusion has dropped the DQ/Q pairs around squeezes and
 * layout changes), an integer clip whose bounds cover the whole type, a one-input concat. Float clips and
 * casts are kept: they canonicalise NaNs. (ONNX Identity nodes never reach the graph: the importer binds
 * their output to their input.) A node whose output is a graph output stays, so the output keeps its name.
 */
export function isIdentity(n: Node): boolean {
  const x = n.inputs[0];
  const y = n.outputs[0];
  if (!x || !y || n.outputs.length !== 1 || !sameType(x.type, y.type)) return false;
  switch (n.op) {
    case 'reshape':
      return true;
    case 'transpose':
      return (n.attrs['perm'] as readonly number[]).every((p, i) => p === i);
    case 'concat':
      return n.inputs.length === 1;
    case 'clip': {
      const d = DTYPES[x.type.dtype];
      if (d.isFloat || d.isBig || n.inputs.length > 1) return false;
      const lo = n.attrs['min'];
      const hi = n.attrs['max'];
      return (lo === undefined || (lo as number) <= d.min) && (hi === undefined || (hi as number) >= d.max);
    }
    default:
      return false;
  }
}

export const identityElimination: Pass = {
  name: 'identity-elimination',
  run(graph: Graph): boolean {
    let changed = false;
    for (const n of [...graph.nodes]) {
      if (!isIdentity(n) || graph.outputs.includes(n.outputs[0]!)) continue;
      graph.replaceAllUses(n.outputs[0]!, n.inputs[0]!);
      graph.removeNode(n);
      changed = true;
    }
    return changed;
  },
};
