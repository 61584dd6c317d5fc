import type { Graph } from '../ir/graph.ts';
import { arenaValues, valueBytes, type MemoryPlan, type PlannedBuffer } from './memory-plan.ts';
import type { Schedule } from './schedule.ts';

/**
 * Independent proof that a memory plan is sound (shares no code with the packer):
 *  - every buffer lies within the arena, at an offset aligned to its alignment (itself a multiple of the
 *    plan's), with a well-formed interval inside the schedule;
 *  - no two buffers whose intervals intersect share a byte;
 *  - given the graph, every arena value has exactly one buffer of its size whose interval covers its
 *    producer and every use.
 * Returns the list of problems (empty when sound); `assertValidPlan` throws on any.
 */
export function validatePlan(plan: MemoryPlan, graph?: Graph, sched?: Schedule): string[] {
  const problems: string[] = [];
  const desc = (b: PlannedBuffer): string => `${b.kind} '${b.name}' (key ${b.key})`;
  const pow2 = (x: number): boolean => Number.isInteger(x) && x >= 1 && (x & (x - 1)) === 0;
  if (!pow2(plan.align)) problems.push(`plan alignment ${plan.align} is not a power of two`);
  if (!Number.isInteger(plan.arenaBytes) || plan.arenaBytes < 0) problems.push(`arena size ${plan.arenaBytes} is invalid`);
  else if (plan.arenaBytes % plan.align !== 0) problems.push(`arena size ${plan.arenaBytes} is not a multiple of ${plan.align}`);
  const keys = new Set<number>();
  for (const b of plan.buffers) {
    if (keys.has(b.key)) problems.push(`${desc(b)}: duplicate key`);
    keys.add(b.key);
    if (b.view) problems.push(`${desc(b)}: views (in-place buffers) are not supported yet`);
    if (!Number.isInteger(b.size) || b.size < 0) problems.push(`${desc(b)}: size ${b.size} is invalid`);
    if (!Number.isInteger(b.offset) || b.offset < 0) problems.push(`${desc(b)}: offset ${b.offset} is invalid`);
    if (!pow2(b.align) || b.align % plan.align !== 0) problems.push(`${desc(b)}: alignment ${b.align} is not a power-of-two multiple of ${plan.align}`);
    else if (b.offset % b.align !== 0) problems.push(`${desc(b)}: offset ${b.offset} is not ${b.align}-byte aligned`);
    if (b.offset + b.size > plan.arenaBytes) problems.push(`${desc(b)}: [${b.offset}, ${b.offset + b.size}) exceeds the arena (${plan.arenaBytes} bytes)`);
    if (!Number.isInteger(b.start) || !Number.isInteger(b.end) || b.start < 0 || b.end < b.start || b.end >= plan.steps) {
      problems.push(`${desc(b)}: interval [${b.start}, ${b.end}] is invalid for ${plan.steps} steps`);
    }
  }
  // Pairwise check, sweeping by offset so disjoint byte ranges are skipped quickly.
  const byOffset = plan.buffers.filter((b) => b.size > 0).sort((x, y) => x.offset - y.offset || x.key - y.key);
  for (let i = 0; i < byOffset.length; i++) {
    const a = byOffset[i]!;
    for (let j = i + 1; j < byOffset.length; j++) {
      const b = byOffset[j]!;
      if (b.offset >= a.offset + a.size) break;
      if (a.start <= b.end && b.start <= a.end) {
        problems.push(
          `${desc(a)} [${a.offset}, ${a.offset + a.size}) steps ${a.start}..${a.end} overlaps ` +
            `${desc(b)} [${b.offset}, ${b.offset + b.size}) steps ${b.start}..${b.end}`,
        );
      }
    }
  }
  if (graph && sched) {
    const byKey = new Map(plan.buffers.map((b) => [b.key, b]));
    for (const v of arenaValues(graph, sched)) {
      const b = byKey.get(v.id);
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
  }
  return problems;
}

/** Throws (an internal error: a bad plan is a qcc bug) listing every problem. */
export function assertValidPlan(plan: MemoryPlan, graph?: Graph, sched?: Schedule): void {
  const problems = validatePlan(plan, graph, sched);
  if (problems.length > 0) throw new Error(`internal: invalid memory plan:\n  ${problems.join('\n  ')}`);
}
