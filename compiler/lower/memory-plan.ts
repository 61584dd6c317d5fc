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
 *
 * Aliasing (in-place execution). `PlanOptions.alias` says, per node, what its kernel allows (the C backend
 * declares it in one table, backends/c/alias.ts):
 *  - `view`: the output is the input's bytes reinterpreted (reshape, flatten, squeeze, unsqueeze). The
 *    output joins the input's storage group and the node runs no code. A view of a graph input or output
 *    is an "external view" (no arena bytes; the code reads the parameter), and such a group is never
 *    written. An output that is itself a graph output is never a view: the kernel copies into it.
 *  - `in-place` with input indices: the kernel reads element i of those inputs before writing element i
 *    of output 0 and never reads another element of them afterwards, so the output may take over an
 *    input's storage when that input (and every view sharing its bytes) is last used by this node, its
 *    dtype and element count equal the output's, and it is an arena value (graph inputs are read-only,
 *    graph outputs are the caller's).
 * Packing then works on storage groups: one request per group (its members' union interval), so the
 * lower bound and the packer both see the bytes that really need distinct places.
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
   * In-place execution: this buffer lives inside the bytes of buffer `of` (the root of its storage group,
   * never itself a view) at `byteOffset`, instead of owning its own. `how` says why: `view` (a reshape-like
   * node that runs no code) or `in-place` (an elementwise kernel wrote over its input).
   */
  view?: { readonly of: number; readonly byteOffset: number; readonly how?: 'view' | 'in-place' };
}

/** A value that is a view of a graph input or output: no arena bytes, the code uses the parameter. */
export interface ExternalView {
  /** The value's id. */
  readonly key: number;
  readonly name: string;
  /** Id and name of the graph input or output whose bytes it reads. */
  readonly of: number;
  readonly ofName: string;
}

/** What a node's kernel allows (see the header comment). */
export type NodeAlias = { readonly kind: 'view' } | { readonly kind: 'in-place'; readonly inputs: readonly number[] };

export interface MemoryPlan {
  /** Alignment of the arena base and of every value buffer. */
  readonly align: number;
  readonly arenaBytes: number;
  /** Max over steps of the sum of live sizes of storage groups (after aliasing): no packing can use less. */
  readonly lowerBound: number;
  /** The same bound without aliasing (every value its own bytes): what in-place execution saved. */
  readonly lowerBoundNoAlias: number;
  /** Values that read a graph input's or output's bytes (views; not in `buffers`). */
  readonly externalViews: readonly ExternalView[];
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
  /** What the node's kernel allows (default nothing: every value gets its own bytes). */
  alias?: (node: Node) => NodeAlias | null;
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
 * placed buffer whose interval intersects its own. Zero-size buffers sit at offset 0. `best` fit instead
 * takes the smallest gap between busy buffers that holds it (lowest offset on ties), else the top.
 */
export function packFirstFit(ordered: readonly BufferRequest[], fit: 'first' | 'best' = 'first'): { offsets: Map<number, number>; arenaBytes: number } {
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
    let best: { off: number; gap: number } | null = null;
    for (const p of busy) {
      if (off + r.size <= p.lo) {
        if (fit === 'first') break;
        if (!best || p.lo - off < best.gap) best = { off, gap: p.lo - off };
      }
      if (p.hi > off) off = alignUp(p.hi, r.align);
    }
    if (fit === 'best' && best) off = best.off;
    offsets.set(r.key, off);
    placed.push({ start: r.start, end: r.end, lo: off, hi: off + r.size });
    arenaBytes = Math.max(arenaBytes, off + r.size);
  }
  return { offsets, arenaBytes };
}

/** Packing orders tried (each with first fit, then best fit); the smallest arena wins, earlier ones win ties. All end with the key. */
const ORDERS: readonly { name: string; cmp: (a: BufferRequest, b: BufferRequest) => number }[] = [
  { name: 'size-desc', cmp: (a, b) => b.size - a.size || a.start - b.start || a.key - b.key },
  { name: 'start-asc', cmp: (a, b) => a.start - b.start || b.size - a.size || a.key - b.key },
  { name: 'lifetime-desc', cmp: (a, b) => b.end - b.start - (a.end - a.start) || b.size - a.size || a.key - b.key },
  { name: 'area-desc', cmp: (a, b) => b.size * (b.end - b.start + 1) - a.size * (a.end - a.start + 1) || a.key - b.key },
];

/** Result of the aliasing decisions: value id -> its group root's value id, and the external views. */
export interface AliasDecision {
  /** Non-root members only: member value id -> root value id and how it joined. */
  readonly rootOf: ReadonlyMap<number, { root: number; how: 'view' | 'in-place' }>;
  readonly externalViews: readonly ExternalView[];
}

/**
 * Decides which values share storage, walking the schedule once (deterministic). `reqs` are the value
 * requests from `liveness` (their intervals give last uses).
 */
export function decideAliases(graph: Graph, sched: Schedule, reqs: readonly BufferRequest[], policy: PlanOptions['alias']): AliasDecision {
  const rootOf = new Map<number, { root: number; how: 'view' | 'in-place' }>();
  const externalViews: ExternalView[] = [];
  if (!policy) return { rootOf, externalViews };
  const req = new Map(reqs.filter((r) => r.kind === 'value').map((r) => [r.ownerId, r]));
  const external = new Set<Value>([...graph.inputs, ...graph.outputs]);
  const extRoot = new Map<number, Value>(); // external view value id -> graph input/output it reads
  const root = (id: number): number => rootOf.get(id)?.root ?? id;
  const groupEnd = new Map<number, number>(); // root id -> last step any member is used
  for (const r of req.values()) groupEnd.set(r.ownerId, r.end);
  sched.steps.forEach((n, s) => {
    const a = n.outputs.length === 1 ? policy(n) : null;
    const y = n.outputs[0];
    if (!a || !y || !req.has(y.id)) return;
    const yBytes = valueBytes(y);
    if (a.kind === 'view') {
      const x = n.inputs[0];
      if (!x || x.const || valueBytes(x) !== yBytes) return;
      if (external.has(x) || extRoot.has(x.id)) {
        const of = extRoot.get(x.id) ?? x;
        extRoot.set(y.id, of);
        externalViews.push({ key: y.id, name: y.name, of: of.id, ofName: of.name });
        return;
      }
      if (!req.has(x.id)) return;
      const r = root(x.id);
      rootOf.set(y.id, { root: r, how: 'view' });
      groupEnd.set(r, Math.max(groupEnd.get(r)!, req.get(y.id)!.end));
      return;
    }
    for (const i of a.inputs) {
      const x = n.inputs[i];
      if (!x || x.const || !req.has(x.id) || extRoot.has(x.id)) continue;
      if (x.type.dtype !== y.type.dtype || shapeSize(x.type.shape) !== shapeSize(y.type.shape)) continue;
      const r = root(x.id);
      if (groupEnd.get(r) !== s) continue; // some member of x's group is still needed after this node
      // Other operands in the same storage must be read index-aligned too (same element count).
      // Every operand in the same storage must be a declared in-place input (read index-aligned).
      const clash = n.inputs.some((o, j) => o && !o.const && req.has(o.id) && root(o.id) === r &&
        (!a.inputs.includes(j) || shapeSize(o.type.shape) !== shapeSize(y.type.shape) || o.type.dtype !== y.type.dtype));
      if (clash) continue;
      rootOf.set(y.id, { root: r, how: 'in-place' });
      groupEnd.set(r, req.get(y.id)!.end);
      return;
    }
  });
  return { rootOf, externalViews };
}

/** One request per storage group (roots carry the union interval and largest size) plus the scratch. */
export function groupRequests(reqs: readonly BufferRequest[], d: AliasDecision): BufferRequest[] {
  const ext = new Set(d.externalViews.map((e) => e.key));
  const groups = new Map<number, { start: number; end: number; size: number }>();
  for (const r of reqs) {
    if (r.kind !== 'value' || ext.has(r.ownerId)) continue;
    const root = d.rootOf.get(r.ownerId)?.root ?? r.ownerId;
    const g = groups.get(root);
    if (!g) groups.set(root, { start: r.start, end: r.end, size: r.size });
    else groups.set(root, { start: Math.min(g.start, r.start), end: Math.max(g.end, r.end), size: Math.max(g.size, r.size) });
  }
  const out: BufferRequest[] = [];
  for (const r of reqs) {
    if (r.kind === 'scratch') out.push(r);
    else if (groups.has(r.ownerId)) out.push({ ...r, ...groups.get(r.ownerId)! });
  }
  return out;
}

/** Plans the arena for a scheduled graph. Deterministic: same graph and options, same plan. */
export function planMemory(graph: Graph, sched: Schedule, opts: PlanOptions): MemoryPlan {
  if (!Number.isInteger(opts.align) || opts.align < 1 || (opts.align & (opts.align - 1)) !== 0) {
    throw new Error(`internal: alignment ${opts.align} is not a power of two`);
  }
  const reqs = liveness(graph, sched, opts);
  const aliases = decideAliases(graph, sched, reqs, opts.alias);
  const packed = groupRequests(reqs, aliases);
  let best: { name: string; offsets: Map<number, number>; arenaBytes: number } | null = null;
  for (const fit of ['first', 'best'] as const) {
    for (const o of ORDERS) {
      const r = packFirstFit([...packed].sort(o.cmp), fit);
      if (!best || r.arenaBytes < best.arenaBytes) best = { name: fit === 'first' ? o.name : `${o.name}/best-fit`, ...r };
    }
  }
  const chosen = best!;
  const ext = new Set(aliases.externalViews.map((e) => e.key));
  const buffers: PlannedBuffer[] = [];
  for (const r of reqs) {
    if (r.kind === 'value' && ext.has(r.ownerId)) continue;
    const m = r.kind === 'value' ? aliases.rootOf.get(r.ownerId) : undefined;
    if (m) buffers.push({ ...r, offset: chosen.offsets.get(m.root)!, view: { of: m.root, byteOffset: 0, how: m.how } });
    else buffers.push({ ...r, offset: chosen.offsets.get(r.key)! });
  }
  return {
    align: opts.align,
    arenaBytes: alignUp(chosen.arenaBytes, opts.align),
    lowerBound: lowerBound(packed, sched.steps.length),
    lowerBoundNoAlias: lowerBound(reqs, sched.steps.length),
    externalViews: aliases.externalViews,
    buffers,
    strategy: chosen.name,
    steps: sched.steps.length,
  };
}

/** A human-readable table of the plan (for --report and debugging). */
export function formatPlan(plan: MemoryPlan): string {
  const lines = [`arena ${plan.arenaBytes} bytes (lower bound ${plan.lowerBound}, align ${plan.align}, ${plan.strategy})`];
  for (const b of [...plan.buffers].sort((x, y) => x.offset - y.offset || x.key - y.key)) {
    const v = b.view ? ` (${b.view.how ?? 'view'} of key ${b.view.of})` : '';
    lines.push(`  [${b.offset}, ${b.offset + b.size}) steps ${b.start}..${b.end} ${b.kind} '${b.name}'${v}`);
  }
  for (const e of plan.externalViews) lines.push(`  view '${e.name}' of graph tensor '${e.ofName}'`);
  return lines.join('\n');
}
