import type { Graph, Value } from '../ir/graph.ts';
import { shapeToString } from '../ir/tensor.ts';
import { getOpDef } from '../ops/registry.ts';
import '../ops/index.ts';

export interface ValueInfo {
  name: string;
  dtype: string;
  shape: number[];
}

export interface NodeInfo {
  name: string;
  /** Internal op kind. */
  op: string;
  outputs: ValueInfo[];
  macs: number;
  /** Bytes of this node's constant inputs (weights, biases, scales, zero points). */
  weightBytes: number;
}

export interface ModelInfo {
  model: string;
  inputs: ValueInfo[];
  outputs: ValueInfo[];
  /** Op kinds with how many nodes use each, most frequent first. */
  ops: { op: string; count: number }[];
  nodes: NodeInfo[];
  totals: {
    nodes: number;
    /** Elements of the distinct constants nodes read (a shared constant counts once). */
    parameters: number;
    macs: number;
    /** Bytes of the distinct constants nodes read. */
    weightBytes: number;
  };
}

const valueInfo = (v: Value): ValueInfo => ({ name: v.name, dtype: v.type.dtype, shape: [...v.type.shape] });

/** The data behind `qcc info`. */
export function modelInfo(graph: Graph): ModelInfo {
  const counts = new Map<string, number>();
  const seen = new Set<Value>();
  let parameters = 0;
  let weightBytes = 0;
  let macs = 0;
  const nodes = graph.nodes.map((n): NodeInfo => {
    counts.set(n.op, (counts.get(n.op) ?? 0) + 1);
    let nodeBytes = 0;
    for (const i of n.inputs) {
      if (!i?.const) continue;
      nodeBytes += i.const.byteLength;
      if (!seen.has(i)) {
        seen.add(i);
        parameters += i.const.size;
        weightBytes += i.const.byteLength;
      }
    }
    const m = getOpDef(n.op).macs?.(n) ?? 0;
    macs += m;
    return { name: n.name, op: n.op, outputs: n.outputs.map(valueInfo), macs: m, weightBytes: nodeBytes };
  });
  const ops = [...counts].map(([op, count]) => ({ op, count })).sort((a, b) => b.count - a.count || a.op.localeCompare(b.op));
  return {
    model: graph.name,
    inputs: graph.inputs.map(valueInfo),
    outputs: graph.outputs.map(valueInfo),
    ops,
    nodes,
    totals: { nodes: nodes.length, parameters, macs, weightBytes },
  };
}

const typeStr = (v: ValueInfo) => `${v.dtype}[${shapeToString(v.shape)}]`;

/** Thousands separators, so MAC counts are readable. */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function table(header: string[], rows: string[][], rightAlign: ReadonlySet<number>): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  const fmt = (r: string[]) =>
    r.map((cell, c) => (rightAlign.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  return [fmt(header), fmt(widths.map((w) => '-'.repeat(w))), ...rows.map(fmt)];
}

/** The plain-text form `qcc info` prints. */
export function formatModelInfo(info: ModelInfo): string {
  const out: string[] = [`model ${info.model}`];
  for (const v of info.inputs) out.push(`  input  ${v.name}: ${typeStr(v)}`);
  for (const v of info.outputs) out.push(`  output ${v.name}: ${typeStr(v)}`);
  out.push('', 'ops:');
  for (const o of info.ops) out.push(`  ${o.op} x${o.count}`);
  out.push('', 'nodes:');
  const rows = info.nodes.map((n) => [n.name, n.op, n.outputs.map(typeStr).join(', '), groupDigits(n.macs), groupDigits(n.weightBytes)]);
  out.push(...table(['name', 'op', 'outputs', 'MACs', 'weight bytes'], rows, new Set([3, 4])).map((l) => '  ' + l));
  const t = info.totals;
  out.push(
    '',
    `totals: ${t.nodes} nodes, ${groupDigits(t.parameters)} parameters, ${groupDigits(t.macs)} MACs, ${groupDigits(t.weightBytes)} weight bytes`,
  );
  return out.join('\n');
}
