import { QccError } from '../../errors.ts';

/** What the sort needs of a node: a display name and the value names it reads and writes ('' = absent). */
export interface SortItem {
  readonly name: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/** A binary min-heap of indices, so the sort is stable (ready nodes leave in their original order). */
class IndexHeap {
  private readonly a: number[] = [];
  get size(): number {
    return this.a.length;
  }
  push(x: number): void {
    const a = this.a;
    a.push(x);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (a[p]! <= x) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = x;
  }
  pop(): number {
    const a = this.a;
    const top = a[0]!;
    const last = a.pop()!;
    if (a.length > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= a.length) break;
        const r = l + 1;
        const c = r < a.length && a[r]! < a[l]! ? r : l;
        if (a[c]! >= last) break;
        a[i] = a[c]!;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

const list = (names: string[], max = 10): string =>
  names.slice(0, max).map((n) => `'${n}'`).join(', ') + (names.length > max ? `, ... (${names.length - max} more)` : '');

/**
 * Orders nodes so every value is produced before it is read (Kahn's algorithm; among ready nodes the
 * earliest in the file goes first, so sorted graphs keep their order). `defined` holds the names
 * available before any node runs (graph inputs and initializers). Returns original indices in order.
 * Errors (E_MODEL): a value produced twice, a value read but never defined, a cycle.
 */
export function topoSort(items: readonly SortItem[], defined: ReadonlySet<string>): number[] {
  const producer = new Map<string, number>();
  items.forEach((it, k) => {
    for (const o of it.outputs) {
      if (!o) continue;
      if (defined.has(o)) throw new QccError('E_MODEL', `value '${o}' is produced by node '${it.name}' but is also a graph input or initializer`);
      const prev = producer.get(o);
      if (prev !== undefined) throw new QccError('E_MODEL', `value '${o}' is produced twice, by nodes '${items[prev]!.name}' and '${it.name}'`);
      producer.set(o, k);
    }
  });

  const undefinedUses: string[] = [];
  const pending = new Array<number>(items.length).fill(0);
  const consumers: number[][] = items.map(() => []);
  items.forEach((it, k) => {
    const deps = new Set<number>();
    for (const i of it.inputs) {
      if (!i || defined.has(i)) continue;
      const p = producer.get(i);
      if (p === undefined) undefinedUses.push(`'${i}' (read by node '${it.name}')`);
      else deps.add(p);
    }
    pending[k] = deps.size;
    for (const d of deps) consumers[d]!.push(k);
  });
  if (undefinedUses.length > 0) {
    throw new QccError(
      'E_MODEL',
      `${undefinedUses.length === 1 ? 'a value is' : `${undefinedUses.length} values are`} used but never defined: ` +
        undefinedUses.slice(0, 10).join(', ') + (undefinedUses.length > 10 ? ', ...' : ''),
    );
  }

  const heap = new IndexHeap();
  pending.forEach((p, k) => {
    if (p === 0) heap.push(k);
  });
  const order: number[] = [];
  while (heap.size > 0) {
    const k = heap.pop();
    order.push(k);
    for (const c of consumers[k]!) if (--pending[c]! === 0) heap.push(c);
  }
  if (order.length < items.length) {
    // Nodes merely downstream of a cycle are stuck too: peel off (like Kahn, backwards) those that
    // feed no stuck node, so the message names the cycle.
    const inCycle = new Set<number>();
    pending.forEach((p, k) => {
      if (p > 0) inCycle.add(k);
    });
    const stuckConsumers = new Map<number, number>();
    const stuckProducers = new Map<number, number[]>();
    for (const k of inCycle) {
      stuckConsumers.set(k, 0);
      stuckProducers.set(k, []);
    }
    for (const k of inCycle) {
      for (const c of new Set(consumers[k]!)) {
        if (!inCycle.has(c)) continue;
        stuckConsumers.set(k, stuckConsumers.get(k)! + 1);
        stuckProducers.get(c)!.push(k);
      }
    }
    const peel = [...inCycle].filter((k) => stuckConsumers.get(k) === 0);
    while (peel.length > 0) {
      const k = peel.pop()!;
      inCycle.delete(k);
      for (const p of stuckProducers.get(k)!) {
        const left = stuckConsumers.get(p)! - 1;
        stuckConsumers.set(p, left);
        if (left === 0) peel.push(p);
      }
    }
    const stuck = [...inCycle].sort((a, b) => a - b).map((k) => items[k]!.name);
    throw new QccError('E_MODEL', `the graph has a cycle through nodes ${list(stuck)}`);
  }
  return order;
}
