import { DTYPES } from '../ir/dtype.ts';
import type { Graph, Node } from '../ir/graph.ts';
import { qclampOf } from '../ops/qclamp.ts';
import type { Pass, PassContext } from './pass.ts';

/**
 * Folds an integer clip that follows qlinear_conv / qlinear_matmul into the op's output clamp
 * (attribute `clamp: [lo, hi]`, see compiler/ops/qclamp.ts). The integer clip is what qdq-fusion makes of
 * DQ -> Relu/Clip -> Q when that is exactly a clamp (e.g. Relu whose zero maps to the zero point: the
 * clamp is [zp, qmax]; ReLU6: [zp, Q(6)]); clipping the op's output is then the same computation.
 * A clip stays separate when the op's output has other users or is a graph output (it is needed unclamped).
 */
const HOSTS = new Set(['qlinear_conv', 'qlinear_matmul']);

export interface ActivationRule {
  readonly name: string;
  pattern(graph: Graph, clip: Node): Node | string;
  rewrite(graph: Graph, host: Node, clip: Node): void;
}

/** The host's clamp (or the type range) intersected with the clip's bounds. */
function merged(host: Node, clip: Node, min: number, max: number): [number, number] {
  const old = qclampOf(host) ?? [min, max];
  return [Math.max(old[0], (clip.attrs['min'] as number | undefined) ?? min), Math.min(old[1], (clip.attrs['max'] as number | undefined) ?? max)];
}

export const clampIntoHost: ActivationRule = {
  name: 'clip-into-qlinear',
  pattern(graph, clip) {
    const x = clip.inputs[0];
    const host = x?.producer;
    if (!x || !host || !HOSTS.has(host.op)) return 'not after qlinear_conv/qlinear_matmul';
    if (DTYPES[x.type.dtype].isFloat || clip.inputs.length > 1) return 'not an integer clip with constant bounds';
    if (x.users.length !== 1 || graph.outputs.includes(x)) return `the output of ${host.name} is also used unclamped`;
    const d = DTYPES[x.type.dtype];
    const [lo, hi] = merged(host, clip, d.min, d.max);
    if (lo > hi) return 'the clip bounds do not intersect the op output range';
    return host;
  },
  rewrite(graph, host, clip) {
    const d = DTYPES[clip.outputs[0]!.type.dtype];
    host.attrs = { ...host.attrs, clamp: merged(host, clip, d.min, d.max) };
    const y = clip.outputs[0]!;
    const keep = y.name;
    const hostOut = host.outputs[0]!;
    graph.replaceAllUses(y, hostOut);
    graph.removeNode(clip);
    graph.renameValue(hostOut, keep);
  },
};

export function runActivationFusion(graph: Graph, _ctx: PassContext): boolean {
  let changed = false;
  for (const n of [...graph.nodes]) {
    if (n.op !== 'clip' || !graph.nodes.includes(n)) continue;
    const host = clampIntoHost.pattern(graph, n);
    if (typeof host === 'string') continue;
    clampIntoHost.rewrite(graph, host, n);
    changed = true;
  }
  return changed;
}

export const activationFusion: Pass = { name: 'activation-fusion', run: runActivationFusion };
