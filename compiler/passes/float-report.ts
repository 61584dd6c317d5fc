/**
 * Lists every node that still computes in float after the fusion passes, with the reason: the one a
 * fusion rule recorded when it rejected the node (ctx.floatReasons), else a reason derived here. Silent
 * float fallback is the bug users hate most, so `qcc info --explain` and the compile log print this list.
 */
import { DTYPES } from '../ir/dtype.ts';
import type { Graph, Node } from '../ir/graph.ts';
import type { Pass, PassContext } from './pass.ts';
import { QDQ_RULES } from './qdq-fusion.ts';

export interface FloatNode {
  name: string;
  op: string;
  reason: string;
}

/** Conversions at the edges of quantized regions: not "compute left in float". */
const BOUNDARY = new Set(['quantize_linear', 'dequantize_linear', 'dynamic_quantize_linear', 'cast']);
const FUSABLE = new Set(QDQ_RULES.flatMap((r) => r.ops));

const INTEGER_KIND = /^(qlinear_|qgemm$|conv_integer$|matmul_integer$)/;

/** Computes on float data: a float output, or a float input that is not a compile-time constant. */
const isFloat = (n: Node) =>
  !INTEGER_KIND.test(n.op) && [...n.outputs, ...n.inputs.filter((v) => v && !v.const)].some((v) => v && DTYPES[v.type.dtype].isFloat);

export function floatNodes(graph: Graph, ctx: PassContext): FloatNode[] {
  const out: FloatNode[] = [];
  for (const n of graph.nodes) {
    if (BOUNDARY.has(n.op) || !isFloat(n)) continue;
    let reason = ctx.floatReasons?.get(n.id);
    if (!reason) {
      const fromDq = n.inputs.some((v) => v?.producer?.op === 'dequantize_linear');
      if (!FUSABLE.has(n.op)) reason = `qcc has no integer form of ${n.op}${fromDq ? ' (it runs on dequantized values)' : ''}`;
      else if (!fromDq) reason = 'its inputs are float (not from a DequantizeLinear)';
      else reason = 'not fused: no fusion rule examined it (is the qdq-fusion pass disabled?)';
    }
    out.push({ name: n.name, op: n.op, reason });
  }
  return out;
}

export function formatFloatNodes(list: readonly FloatNode[]): string {
  if (list.length === 0) return 'float nodes: none (every compute node is integer)';
  return [`float nodes: ${list.length}`, ...list.map((f) => `  ${f.name} (${f.op}): ${f.reason}`)].join('\n');
}

/** Writes the float-node list into the log (one line each); runs last in the default pipeline. */
export const floatReport: Pass = {
  name: 'float-report',
  run(graph, ctx) {
    ctx.log = ctx.log.filter((l) => !l.startsWith('float: '));
    for (const f of floatNodes(graph, ctx)) ctx.log.push(`float: ${f.name} (${f.op}): ${f.reason}`);
    return false;
  },
};
