import { DTYPES } from '../ir/dtype.ts';
import type { Graph, Node, Value } from '../ir/graph.ts';
import { shapeSize } from '../ir/tensor.ts';
import type { Schedule } from './schedule.ts';

/**
 * Static memory planning on the scheduled linear list (Glow/onnx2c style): liveness intervals in step
 * indices, then deterministic first-fit packing into one arena. The validator lives in validate-plan.ts
 * so that the proof does not share code with the packer.
 *
 * What goes into the arena: every non-constant value that is neither a graph input nor a graph output
 * (those are the run function's parameters), plus each node's scratch, live only during its node.
 */

/** One region of the arena. Intervals are inclusive step indices. */
export interface PlannedBuffer {
  /** Unique and ordered: the value's id, or the node's id for scratch (Graph ids share one counter). */
  readonly key: number;
  readonly kind: 'value' | 'scratch';
  /** The value (kind 'value') or node (kind 'scratch') id. */
  readonly ownerId: number;
  /** Model name of the value or node (for reports). */
  readonly name: string;
  readonly size: number;
  /** Required alignment of `offset` (a power of two, a multiple of the plan's alignment). */
  readonly align: number;
  readonly start: number;
  readonly end: number;
  offset: number;
  /**
   * Reserved for in-place execution (a later issue): this buffer lives inside `of`'s bytes at
   * `byteOffset` instead of owning its own. The planner never sets it yet and the validator rejects it.
   */
  view?: { readonly of: number; readonly byteOffset: number };
}

export interface MemoryPlan {
  /** Alignment of the arena base and of every value buffer. */
  readonly align: number;
  readonly arenaBytes: number;
  /** Max over steps of the sum of live sizes: no packing can use less. */
  readonly lowerBound: number;
  /** Sorted by key. */
  readonly buffers: readonly PlannedBuffer[];
  /** Which packing order won (for reports). */
  readonly strategy: string;
  /** Number of steps the intervals refer to. */
  readonly steps: number;
}

export type BufferRequest = Omit<PlannedBuffer, 'offset' | 'view'>;

export interface PlanOptions {
  /** Target alignment (power of two). */
  align: number;
  /** Scratch bytes of a node (default none). Scratch is aligned to max(16, align). */
  scratchBytes?: (node: Node) => number;
}

/** Byte size of a value's buffer. */
export function valueBytes(v: Value): number {
  return shapeSize(v.type.shape) * DTYPES[v.type.dtype].bytes;
}

/** Values the arena holds: non-constant, not a graph input or output, produced or used by a step. */
export function arenaValues(graph: Graph, sched: Schedule): Value[] {
  const external = new Set<Value>([...graph.inputs, ...graph.outputs]);
  const seen = new Set<Value>();
  const out: Value[] = [];
  for (const n of sched.steps) {
    for (const v of [...n.inputs, ...n.outputs]) {
      if (!v || v.const || external.has(v) || seen.has(v)) continue;
      seen.add(v);
      out.push(v);
    }
  }
  return out;
}

/** Liveness: one request per arena value ([producer step, last use step]) and per scratch. */
export function liveness(graph: Graph, sched: Schedule, opts: PlanOptions): BufferRequest[] {
  const reqs: BufferRequest[] = [];
  for (const v of arenaValues(graph, sched)) {
    if (!v.producer) throw new Error(`internal: arena value '${v.name}' has no producer`);
    const start = sched.stepOf(v.producer);
    let end = start; // an unused output still gets written by its producer
    for (const u of v.users) end = Math.max(end, sched.stepOf(u));
    reqs.push({ key: v.id, kind: 'value', ownerId: v.id, name: v.name, size: valueBytes(v), align: opts.align, start, end });
  }
  const scratchAlign = Math.max(16, opts.align);
  sched.steps.forEach((n, i) => {
    const bytes = opts.scratchBytes?.(n) ?? 0;
    if (!Number.isInteger(bytes) || bytes < 0) throw new Error(`internal: scratchBytes of '${n.name}' is ${bytes}`);
    if (bytes > 0) reqs.push({ key: n.id, kind: 'scratch', ownerId: n.id, name: n.name, size: bytes, align: scratchAlign, start: i, end: i });
  });
  return reqs.sort((a, b) => a.key - b.key);
}

/** Max over steps of the total size of the buffers live at that step. */
export function lowerBound(reqs: readonly BufferRequest[], steps: number): number {
  const delta = new Array<number>(steps + 1).fill(0);
  for (const r of reqs) {
    delta[r.start]! += r.size;
    delta[r.end + 1]! -= r.size;
  }
  let live = 0;
  let best = 0;
  for (let i = 0; i < steps; i++) {
    live += delta[i]!;
    best = Math.max(best, live);
  }
  return best;
}

const alignUp = (x: number, a: number): number => Math.ceil(x / a) * a;

/**
 * First fit in the given order: each buffer goes to the lowest aligned offset that does not overlap a
 * placed buffer whose interval intersects its own. Zero-size buffers sit at offset 0.
 */
export function packFirstFit(ordered: readonly BufferRequest[]): { offsets: Map<number, number>; arenaBytes: number } {
  const placed: { start: number; end: number; lo: number; hi: number }[] = [];
  const offsets = new Map<number, number>();
  let arenaBytes = 0;
  for (const r of ordered) {
    if (r.size === 0) {
      offsets.set(r.key, 0);
      continue;
    }
    const busy = placed.filter((p) => p.start <= r.end && r.start <= p.end).sort((a, b) => a.lo - b.lo || a.hi - b.hi);
    let off = 0;
    for (const p of busy) {
      if (off + r.size <= p.lo) break;
      if (p.hi > off) off = alignUp(p.hi, r.align);
    }
    offsets.set(r.key, off);
    placed.push({ start: r.start, end: r.end, lo: off, hi: off + r.size });
    arenaBytes = Math.max(arenaBytes, off + r.size);
  }
  return { offsets, arenaBytes };
}

/** Packing orders tried; the smallest arena wins, earlier orders win ties. All end with the key. */
const ORDERS: readonly { name: string; cmp: (a: BufferRequest, b: BufferRequest) => number }[] = [
  { name: 'size-desc', cmp: (a, b) => b.size - a.size || a.start - b.start || a.key - b.key },
  { name: 'start-asc', cmp: (a, b) => a.start - b.start || b.size - a.size || a.key - b.key },
  { name: 'lifetime-desc', cmp: (a, b) => b.end - b.start - (a.end - a.start) || b.size - a.size || a.key - b.key },
  { name: 'area-desc', cmp: (a, b) => b.size * (b.end - b.start + 1) - a.size * (a.end - a.start + 1) || a.key - b.key },
];

/** Plans the arena for a scheduled graph. Deterministic: same graph and options, same plan. */
export function planMemory(graph: Graph, sched: Schedule, opts: PlanOptions): MemoryPlan {
  if (!Number.isInteger(opts.align) || opts.align < 1 || (opts.align & (opts.align - 1)) !== 0) {
    throw new Error(`internal: alignment ${opts.align} is not a power of two`);
  }
  const reqs = liveness(graph, sched, opts);
  let best: { name: string; offsets: Map<number, number>; arenaBytes: number } | null = null;
  for (const o of ORDERS) {
    const r = packFirstFit([...reqs].sort(o.cmp));
    if (!best || r.arenaBytes < best.arenaBytes) best = { name: o.name, ...r };
  }
  const chosen = best!;
  return {
    align: opts.align,
    arenaBytes: alignUp(chosen.arenaBytes, opts.align),
    lowerBound: lowerBound(reqs, sched.steps.length),
    buffers: reqs.map((r) => ({ ...r, offset: chosen.offsets.get(r.key)! })),
    strategy: chosen.name,
    steps: sched.steps.length,
  };
}

/** A human-readable table of the plan (for --report and debugging). */
export function formatPlan(plan: MemoryPlan): string {
  const lines = [`arena ${plan.arenaBytes} bytes (lower bound ${plan.lowerBound}, align ${plan.align}, ${plan.strategy})`];
  for (const b of [...plan.buffers].sort((x, y) => x.offset - y.offset || x.key - y.key)) {
    lines.push(`  [${b.offset}, ${b.offset + b.size}) steps ${b.start}..${b.end} ${b.kind} '${b.name}'`);
  }
  return lines.join('\n');
}
