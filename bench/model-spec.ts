/**
 * What the per-node profilers (bench/profile.ts: time on x86; scripts/profile-insn.ts: instructions under
 * qemu-aarch64) share: loading a model named on their command line and describing a node of it.
 */
import { readFileSync } from 'node:fs';
import { loadOnnxBytes } from '../compiler/frontend/onnx/load.ts';
import { encodeModel } from '../compiler/frontend/onnx/writer.ts';
import type { Graph } from '../compiler/ir/graph.ts';
import { attrInt, attrInts } from '../compiler/ops/op-def.ts';
import { getOpDef, hasOpDef } from '../compiler/ops/registry.ts';

export type Zoo = typeof import('../test/zoo/models.ts');

/**
 * The model zoo (test/zoo/models.ts), loaded lazily: the benches' whole-model rows need it, a checkout may
 * lack it; then this says so once and returns null.
 */
export async function loadZoo(): Promise<Zoo | null> {
  try {
    return await import('../test/zoo/models.ts');
  } catch {
    console.log('(test/zoo/models.ts not available: no whole-model rows)');
    return null;
  }
}

/** A zoo name (QOperator form, u8 activations, as in the benches), `mobilenetv2-224`, or an .onnx path. */
export async function loadBenchModel(spec: string): Promise<Graph> {
  if (spec.endsWith('.onnx')) return loadOnnxBytes(readFileSync(spec));
  const zoo = await import('../test/zoo/models.ts');
  if (spec === 'mobilenetv2-224') return loadOnnxBytes(encodeModel(zoo.mobilenetV2Bench('qop', 'u8')), { name: spec });
  if (!(zoo.ZOO_NAMES as string[]).includes(spec)) throw new Error(`unknown model '${spec}' (zoo: ${zoo.ZOO_NAMES.join(', ')}, mobilenetv2-224, or an .onnx path)`);
  return loadOnnxBytes(encodeModel(zoo.zooModel(spec as (typeof zoo.ZOO_NAMES)[number], 'qop', 'u8')), { name: spec });
}

export interface NodeDescription {
  /** Node name (the value name when no node produces it). */
  node: string;
  /** Op kind, convs split by kernel size / depthwise (for per-op totals). */
  op: string;
  /** Op, geometry and shapes, e.g. `dw 3x3 s2 96->96 1x96x112x112 -> 1x96x56x56`. */
  what: string;
  macs: number;
}

/** The node that produces `valueName` (a debug-hook dump name). */
export function describeNode(g: Graph, valueName: string): NodeDescription {
  const n = g.nodes.find((x) => x.outputs.some((o) => o?.name === valueName));
  if (!n) return { node: valueName, op: '?', what: '?', macs: 0 };
  const shape = (s: readonly number[]) => s.join('x');
  const macs = hasOpDef(n.op) ? (getOpDef(n.op).macs?.(n) ?? 0) : 0;
  const x = n.inputs[0];
  let what = n.op;
  let op = n.op;
  if (n.op === 'qlinear_conv' && x) {
    const w = n.inputs[3]!.type.shape;
    const group = attrInt(n, 'group', 1);
    const st = attrInts(n, 'strides', [1]);
    const dw = group > 1 && group === w[0];
    op = dw ? 'qlinear_conv (depthwise)' : `qlinear_conv ${w.slice(2).join('x')}`;
    what = `${dw ? 'dw' : 'conv'} ${w.slice(2).join('x')}${st[0] !== 1 ? ` s${st[0]}` : ''} ${x.type.shape[1]}->${w[0]}`;
  }
  return { node: n.name, op, what: `${what} ${x ? shape(x.type.shape) : ''} -> ${shape(n.outputs[0]!.type.shape)}`, macs };
}
