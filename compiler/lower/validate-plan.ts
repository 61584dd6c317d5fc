import type { Graph, Node, Value } from '../ir/graph.ts';
import { shapeSize } from '../ir/tensor.ts';
import { arenaValues, valueBytes, type MemoryPlan, type NodeAlias, type PlannedBuffer } from './memory-plan.ts';
import type { Schedule } from './schedule.ts';

/**
 * Independent proof that a memory plan is sound (shares no code with the packer):
 *  - every buffer lies within the arena, at an offset aligned to its alignment (itself a multiple of the
 *    plan's), with a well-formed interval inside the schedule;
 *  - a view buffer (in-place execution) points at a root buffer (not itself a view), lies inside its bytes
 *    and at its offset + byteOffset;
 *  - no two storage regions (a root with its views, spanning the union of their intervals, or a scratch
 *    buffer) whose intervals intersect share a byte;
 *  - given the graph, every arena value has exactly one buffer of its size whose interval covers its
 *    producer and every use, or is a view of a graph input/output;
 *  - given the graph and the alias policy, sharing is legal: a node that writes a buffer whose bytes hold
 *    another value still live at that step must be allowed (by the policy) to write over exactly that
 *    input, which must end there with the same dtype and element count; a view is made only by a node the
 *    policy calls a view (it writes nothing), of its own input; nothing writes a graph input's bytes.
 * Returns the list of problems (empty when sound); `assertValidPlan` throws on any.
 */
export function validatePlan(
  plan: MemoryPlan,
  graph?: Graph,
  sched?: Schedule,
  alias?: (node: Node) => NodeAlias | null,
): string[] {
  const problems: string[] = [];
  const desc = (b: PlannedBuffer): string => `${b.kind} '${b.name}' (key ${b.key})`;
  const pow2 = (x: number): boolean => Number.isInteger(x) && x >= 1 && (x & (x - 1)) === 0;
  if (!pow2(plan.align)) problems.push(`plan alignment ${plan.align} is not a power of two`);
  if (!Number.isInteger(plan.arenaBytes) || plan.arenaBytes < 0) problems.push(`arena size ${plan.arenaBytes} is invalid`);
  else if (plan.arenaBytes % plan.align !== 0) problems.push(`arena size ${plan.arenaBytes} is not a multiple of ${plan.align}`);
  const keys = new Set<number>();
  const byKey = new Map(plan.buffers.map((b) => [b.key, b]));
  for (const b of plan.buffers) {
    if (keys.has(b.key)) problems.push(`${desc(b)}: duplicate key`);
    keys.add(b.key);
    if (!Number.isInteger(b.size) || b.size < 0) problems.push(`${desc(b)}: size ${b.size} is invalid`);
    if (!Number.isInteger(b.offset) || b.offset < 0) problems.push(`${desc(b)}: offset ${b.offset} is invalid`);
    if (!pow2(b.align) || b.align % plan.align !== 0) problems.push(`${desc(b)}: alignment ${b.align} is not a power-of-two multiple of ${plan.align}`);
    else if (b.offset % b.align !== 0) problems.push(`${desc(b)}: offset ${b.offset} is not ${b.align}-byte aligned`);
    if (b.offset + b.size > plan.arenaBytes) problems.push(`${desc(b)}: [${b.offset}, ${b.offset + b.size}) exceeds the arena (${plan.arenaBytes} bytes)`);
    if (!Number.isInteger(b.start) || !Number.isInteger(b.end) || b.start < 0 || b.end < b.start || b.end >= plan.steps) {
      problems.push(`${desc(b)}: interval [${b.start}, ${b.end}] is invalid for ${plan.steps} steps`);
    }
    if (b.view) {
      const r = byKey.get(b.view.of);
      if (!r) problems.push(`${desc(b)}: view of unknown buffer ${b.view.of}`);
      else if (r.view || r.kind !== 'value' || b.kind !== 'value') problems.push(`${desc(b)}: view of ${desc(r)}, which is not a root value buffer`);
      else if (b.offset !== r.offset + b.view.byteOffset || b.view.byteOffset < 0 || b.view.byteOffset + b.size > r.size) {
        problems.push(`${desc(b)}: [${b.offset}, ${b.offset + b.size}) is not inside ${desc(r)} at byte ${b.view.byteOffset}`);
      }
    }
  }
  // Storage regions: roots spanning the union of their members' intervals, and scratch.
  const span = new Map<number, { start: number; end: number }>();
  for (const b of plan.buffers) {
    const k = b.view && byKey.has(b.view.of) ? b.view.of : b.key;
    const s = span.get(k);
    span.set(k, s ? { start: Math.min(s.start, b.start), end: Math.max(s.end, b.end) } : { start: b.start, end: b.end });
  }
  const regions = plan.buffers.filter((b) => !b.view && b.size > 0).map((b) => ({ b, ...span.get(b.key)! }));
  // Pairwise check, sweeping by offset so disjoint byte ranges are skipped quickly.
  regions.sort((x, y) => x.b.offset - y.b.offset || x.b.key - y.b.key);
  for (let i = 0; i < regions.length; i++) {
    const a = regions[i]!;
    for (let j = i + 1; j < regions.length; j++) {
      const c = regions[j]!;
      if (c.b.offset >= a.b.offset + a.b.size) break;
      if (a.start <= c.end && c.start <= a.end) {
        problems.push(
          `${desc(a.b)} [${a.b.offset}, ${a.b.offset + a.b.size}) steps ${a.start}..${a.end} overlaps ` +
            `${desc(c.b)} [${c.b.offset}, ${c.b.offset + c.b.size}) steps ${c.start}..${c.end}`,
        );
      }
    }
  }
  if (graph && sched) {
    const external = new Set<Value>([...graph.inputs, ...graph.outputs]);
    const extViews = new Map(plan.externalViews.map((e) => [e.key, e]));
    const valueById = new Map<number, Value>();
    for (const v of arenaValues(graph, sched)) {
      valueById.set(v.id, v);
      const b = byKey.get(v.id);
      if (extViews.has(v.id)) {
        if (b) problems.push(`value '${v.name}' is both a view of graph tensor '${extViews.get(v.id)!.ofName}' and has a buffer`);
        continue;
      }
      if (!b || b.kind !== 'value') {
        problems.push(`value '${v.name}' has no buffer`);
        continue;
      }
      if (b.size !== valueBytes(v)) problems.push(`value '${v.name}': buffer of ${b.size} bytes, needs ${valueBytes(v)}`);
      const steps = [v.producer, ...v.users].map((n) => (n ? sched.stepOf(n) : -1));
      for (const s of steps) {
        if (s < b.start || s > b.end) problems.push(`value '${v.name}': used at step ${s} outside its interval ${b.start}..${b.end}`);
      }
    }
    for (const e of plan.externalViews) {
      const v = valueById.get(e.key);
      const n = v?.producer;
      const x = n?.inputs[0];
      const ok = v && n && x && alias?.(n)?.kind === 'view' && n.outputs.length === 1 && valueBytes(x) === valueBytes(v) &&
        ((external.has(x) && x.id === e.of) || extViews.get(x.id)?.of === e.of);
      if (!ok) problems.push(`value '${e.name}' is not a view node's output reading graph tensor '${e.ofName}'`);
    }
    // Sharing legality: at each producing step, who else lives in the written bytes.
    const rootKey = (b: PlannedBuffer): number => b.view?.of ?? b.key;
    const members = new Map<number, PlannedBuffer[]>();
    for (const b of plan.buffers) {
      if (b.kind !== 'value') continue;
      const k = rootKey(b);
      members.set(k, [...(members.get(k) ?? []), b]);
    }
    for (const b of plan.buffers) {
      if (b.kind !== 'value') continue;
      const v = valueById.get(b.ownerId);
      const n = v?.producer;
      if (!v || !n) continue;
      const s = sched.stepOf(n);
      const a = alias?.(n) ?? null;
      const group = members.get(rootKey(b)) ?? [];
      if (b.view?.how === 'view' || (b.view && !b.view.how && a?.kind === 'view')) {
        // A view writes nothing; it must read its own input's bytes.
        const x = n.inputs[0];
        const xb = x ? byKey.get(x.id) : undefined;
        if (a?.kind !== 'view' || !xb || rootKey(xb) !== rootKey(b) || xb.offset !== b.offset || valueBytes(x!) !== b.size) {
          problems.push(`value '${v.name}': shares bytes as a view, but node '${n.name}' (${n.op}) is not a view of a value in them`);
        }
        continue;
      }
      for (const w of group) {
        if (w === b || w.start > s || w.end < s) continue;
        const wv = valueById.get(w.ownerId);
        // Only an input the kernel declares in-place-safe may be overwritten (it reads element i first).
        const allowed = a?.kind === 'in-place' && wv !== undefined && n.inputs.some((x, i) => x === wv && a.inputs.includes(i));
        const sameElems = wv && wv.type.dtype === v.type.dtype && shapeSize(wv.type.shape) === shapeSize(v.type.shape);
        if (!allowed || w.end !== s || !sameElems) {
          problems.push(
            `value '${v.name}' is written by node '${n.name}' (${n.op}) at step ${s} into bytes that hold '${w.name}' ` +
              `(live ${w.start}..${w.end}), which that node may not overwrite`,
          );
        }
      }
    }
  }
  return problems;
}

/** Throws (an internal error: a bad plan is a qcc bug) listing every problem. */
export function assertValidPlan(plan: MemoryPlan, graph?: Graph, sched?: Schedule, alias?: (node: Node) => NodeAlias | null): void {
  const problems = validatePlan(plan, graph, sched, alias);
  if (problems.length > 0) throw new Error(`internal: invalid memory plan:\n  ${problems.join('\n  ')}`);
}
