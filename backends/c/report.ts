/**
 * The compile-time memory and cost report behind `qcc info --target T` (and `--json`, `--html`): per
 * layer (schedule step) its op, shapes, MACs, weight bytes, activation bytes in and out and where its
 * output lives; totals for flash (the `static const` arrays the weights file really declares), the arena
 * (`<NAME>_ARENA_BYTES`), the lower bound of any arena for this schedule and the ratio between them.
 * Numbers come from the compiled model itself (its plan and emitted arrays), never recomputed.
 */
import { DTYPES } from '../../compiler/ir/dtype.ts';
import type { Graph, Value } from '../../compiler/ir/graph.ts';
import { shapeSize } from '../../compiler/ir/tensor.ts';
import { getOpDef, hasOpDef } from '../../compiler/ops/registry.ts';
import type { MemoryPlan } from '../../compiler/lower/memory-plan.ts';
import type { CompiledModel } from './compile.ts';

export interface TensorRef {
  name: string;
  dtype: string;
  shape: number[];
  bytes: number;
  /** A compile-time constant (weights, scales): not an activation. */
  const: boolean;
}

/** Where a layer's output lives. */
export type Placement =
  | { where: 'arena'; offset: number; /** set when it shares its bytes with an earlier value */ sharesWith?: string; how?: 'view' | 'in-place' }
  | { where: 'output'; param: string }
  | { where: 'view-of-parameter'; of: string };

export interface LayerReport {
  step: number;
  name: string;
  op: string;
  inputs: TensorRef[];
  outputs: (TensorRef & { placement: Placement })[];
  macs: number;
  /** Bytes of the model's constant inputs of this node (weights, biases, scales, zero points). */
  weightBytes: number;
  /** Bytes of the `static const` arrays first emitted for this node (its share of flash). */
  flashBytes: number;
  /** Bytes of the non-constant inputs read and of the outputs written. */
  activationBytesIn: number;
  activationBytesOut: number;
  /** Arena offset of the first output (null when it is a run() parameter or reads one). */
  arenaOffset: number | null;
  scratchBytes: number;
  /** Reshape-like node that runs no code (its output is its input's bytes). */
  view: boolean;
}

export interface TimelineBox {
  name: string;
  kind: 'value' | 'scratch';
  offset: number;
  size: number;
  start: number;
  end: number;
  how?: 'view' | 'in-place';
  /** Name of the storage group's first tensor (the buffer itself unless it shares bytes). */
  group: string;
}

export interface MemoryReport {
  model: string;
  target: string;
  /** C symbol prefix. */
  name: string;
  layers: LayerReport[];
  /** Every arena buffer, for the timeline. */
  buffers: TimelineBox[];
  /** Bytes live at each step (buffers of the storage groups), the curve whose maximum is the bound. */
  liveBytes: number[];
  totals: {
    macs: number;
    /** Sum of the emitted `static const` arrays (what `sizeof` gives for each), = flash for weights. */
    flashBytes: number;
    constantArrays: number;
    /** Small `static const` parameter structs and scalars (their size is the C compiler's, not counted). */
    paramDecls: number;
    arenaBytes: number;
    arenaAlign: number;
    /** Max over steps of the bytes live at once (after in-place sharing): no arena can be smaller. */
    lowerBound: number;
    /** The same bound if every tensor had its own bytes (what views and in-place saved). */
    lowerBoundNoAlias: number;
    /** The bound with every size rounded up to its alignment (what a packing at this alignment can reach). */
    alignedLowerBound: number;
    /** arenaBytes / lowerBound (1 when both are 0). */
    ratio: number;
    inputBytes: number;
    outputBytes: number;
    strategy: string;
  };
  /** Why the arena is more than 5% above the lower bound (absent when it is within). */
  note?: string;
}

const ref = (v: Value): TensorRef => ({
  name: v.name,
  dtype: v.type.dtype,
  shape: [...v.type.shape],
  bytes: shapeSize(v.type.shape) * DTYPES[v.type.dtype].bytes,
  const: v.const !== null && v.const !== undefined,
});

const alignUp = (x: number, a: number): number => Math.ceil(x / a) * a;

/** Bytes live at each step: storage groups (a root and its views) plus scratch. */
export function liveCurve(plan: MemoryPlan, alignSizes = false): number[] {
  const span = new Map<number, { start: number; end: number; size: number }>();
  for (const b of plan.buffers) {
    const k = b.view?.of ?? b.key;
    const size = alignSizes ? alignUp(b.size, b.align) : b.size;
    const s = span.get(k);
    span.set(k, s ? { start: Math.min(s.start, b.start), end: Math.max(s.end, b.end), size: Math.max(s.size, size) } : { start: b.start, end: b.end, size });
  }
  const live = new Array<number>(plan.steps).fill(0);
  for (const s of span.values()) for (let i = s.start; i <= s.end; i++) live[i]! += s.size;
  return live;
}

/** Why a plan is more than 5% above its bound, from the plan itself. */
function explain(plan: MemoryPlan): string | undefined {
  if (plan.arenaBytes <= plan.lowerBound * 1.05) return undefined;
  const alignedBound = Math.max(0, ...liveCurve(plan, true));
  const pct = (x: number) => `${((x / Math.max(1, plan.lowerBound) - 1) * 100).toFixed(1)}%`;
  if (plan.arenaBytes <= alignedBound * 1.05) {
    return `alignment: every buffer starts on a ${plan.align}-byte boundary; with sizes rounded up the bound is ` +
      `${alignedBound} bytes (${pct(alignedBound)} over the raw ${plan.lowerBound}) and the arena is within 5% of that`;
  }
  return `fragmentation: the best packing order (${plan.strategy}) leaves gaps where no later buffer fits; the arena is ` +
    `${pct(plan.arenaBytes)} over the bound (${alignedBound} bytes with sizes rounded to the ${plan.align}-byte alignment)`;
}

/** The report of a compiled model (the graph it was compiled from, after the pass pipeline). */
export function memoryReport(graph: Graph, model: CompiledModel): MemoryReport {
  const plan = model.plan;
  const valueBuf = new Map(plan.buffers.filter((b) => b.kind === 'value').map((b) => [b.ownerId, b]));
  const scratchBuf = new Map(plan.buffers.filter((b) => b.kind === 'scratch').map((b) => [b.ownerId, b]));
  const byKey = new Map(plan.buffers.map((b) => [b.key, b]));
  const extView = new Map(plan.externalViews.map((e) => [e.key, e]));
  const outIndex = new Map<Value, number>();
  graph.outputs.forEach((v, i) => outIndex.has(v) || outIndex.set(v, i));
  const flashOf = new Map<string, number>();
  for (const c of model.constants) if (c.node !== null) flashOf.set(c.node, (flashOf.get(c.node) ?? 0) + c.bytes);
  const placement = (v: Value): Placement => {
    const oi = outIndex.get(v);
    if (oi !== undefined) return { where: 'output', param: model.outputs[oi]!.cName };
    const e = extView.get(v.id);
    if (e) return { where: 'view-of-parameter', of: e.ofName };
    const b = valueBuf.get(v.id);
    if (!b) throw new Error(`internal: value '${v.name}' has no placement`);
    if (!b.view) return { where: 'arena', offset: b.offset };
    return { where: 'arena', offset: b.offset, sharesWith: byKey.get(b.view.of)?.name ?? '?', how: b.view.how ?? 'view' };
  };
  const layers = graph.nodes.map((n, step): LayerReport => {
    const ins = n.inputs.filter((v): v is Value => v !== null && v !== undefined);
    const outputs = n.outputs.map((v) => ({ ...ref(v), placement: placement(v) }));
    const first = outputs[0]?.placement;
    const o0 = n.outputs[0];
    return {
      step,
      name: n.name,
      op: n.op,
      inputs: ins.map(ref),
      outputs,
      macs: hasOpDef(n.op) ? (getOpDef(n.op).macs?.(n) ?? 0) : 0,
      weightBytes: ins.filter((v) => v.const).reduce((s, v) => s + v.const!.byteLength, 0),
      flashBytes: flashOf.get(n.name) ?? 0,
      activationBytesIn: ins.filter((v) => !v.const).reduce((s, v) => s + ref(v).bytes, 0),
      activationBytesOut: outputs.reduce((s, o) => s + o.bytes, 0),
      arenaOffset: first?.where === 'arena' ? first.offset : null,
      scratchBytes: scratchBuf.get(n.id)?.size ?? 0,
      view: n.outputs.length === 1 && o0 !== undefined && (extView.has(o0.id) || valueBuf.get(o0.id)?.view?.how === 'view'),
    };
  });
  const buffers: TimelineBox[] = plan.buffers.map((b) => ({
    name: b.name, kind: b.kind, offset: b.offset, size: b.size, start: b.start, end: b.end,
    ...(b.view ? { how: b.view.how ?? 'view' } : {}),
    group: b.view ? (byKey.get(b.view.of)?.name ?? b.name) : b.name,
  }));
  const io = (vs: readonly Value[]) => [...new Set(vs)].filter((v) => !v.const).reduce((s, v) => s + ref(v).bytes, 0);
  const note = explain(plan);
  return {
    model: graph.name,
    target: model.target,
    name: model.name,
    layers,
    buffers,
    liveBytes: liveCurve(plan),
    totals: {
      macs: layers.reduce((s, l) => s + l.macs, 0),
      flashBytes: model.constants.reduce((s, c) => s + c.bytes, 0),
      constantArrays: model.constants.length,
      paramDecls: model.paramDecls,
      arenaBytes: plan.arenaBytes,
      arenaAlign: plan.align,
      lowerBound: plan.lowerBound,
      lowerBoundNoAlias: plan.lowerBoundNoAlias,
      alignedLowerBound: Math.max(0, ...liveCurve(plan, true)),
      ratio: plan.lowerBound === 0 ? (plan.arenaBytes === 0 ? 1 : Infinity) : plan.arenaBytes / plan.lowerBound,
      inputBytes: io(graph.inputs),
      outputBytes: io(graph.outputs),
      strategy: plan.strategy,
    },
    ...(note ? { note } : {}),
  };
}

const digits = (n: number): string => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const shapeText = (t: TensorRef): string => `${t.dtype}[${t.shape.join('x')}]`;

export function placementText(p: Placement): string {
  if (p.where === 'output') return `out:${p.param}`;
  if (p.where === 'view-of-parameter') return `view of ${p.of}`;
  return p.sharesWith ? `@${p.offset} (${p.how} of ${p.sharesWith})` : `@${p.offset}`;
}

/** The plain-text form `qcc info --target T` prints. */
export function formatMemoryReport(r: MemoryReport): string {
  const header = ['#', 'layer', 'op', 'in', 'out', 'MACs', 'weights', 'flash', 'act in', 'act out', 'output at'];
  const rows = r.layers.map((l) => [
    String(l.step),
    l.name,
    l.view ? `${l.op} (view)` : l.op,
    l.inputs.filter((t) => !t.const).map(shapeText).join(' '),
    l.outputs.map(shapeText).join(' '),
    digits(l.macs),
    digits(l.weightBytes),
    digits(l.flashBytes),
    digits(l.activationBytesIn),
    digits(l.activationBytesOut),
    l.outputs.map((o) => placementText(o.placement)).join(', '),
  ]);
  const right = new Set([0, 5, 6, 7, 8, 9]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((x) => x[c]!.length)));
  const fmt = (x: string[]) => x.map((cell, c) => (right.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ').trimEnd();
  const t = r.totals;
  const lines = [
    `model ${r.model}, target ${r.target}, prefix ${r.name}`,
    '',
    fmt(header),
    fmt(widths.map((w) => '-'.repeat(w))),
    ...rows.map(fmt),
    '',
    `MACs          ${digits(t.macs)}`,
    `flash         ${digits(t.flashBytes)} bytes in ${t.constantArrays} const arrays (+ ${t.paramDecls} small parameter structs)`,
    `arena peak    ${digits(t.arenaBytes)} bytes (${r.name.toUpperCase()}_ARENA_BYTES, align ${t.arenaAlign}, packing ${t.strategy})`,
    `lower bound   ${digits(t.lowerBound)} bytes live at once (${digits(t.alignedLowerBound)} with sizes rounded to the alignment, ` +
      `${digits(t.lowerBoundNoAlias)} without in-place sharing)`,
    `peak / bound  ${Number.isFinite(t.ratio) ? t.ratio.toFixed(3) : 'inf'}`,
    `inputs ${digits(t.inputBytes)} bytes, outputs ${digits(t.outputBytes)} bytes (caller's buffers, not in the arena)`,
  ];
  if (r.note) lines.push(`note: ${r.note}`);
  return lines.join('\n');
}
