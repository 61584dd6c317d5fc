import { describe, expect, it } from 'vitest';
import { Graph, type Value } from '../ir/graph.ts';
import { Tensor } from '../ir/tensor.ts';
import { liveness, lowerBound, packFirstFit, planMemory, type MemoryPlan, type BufferRequest } from './memory-plan.ts';
import { schedule } from './schedule.ts';
import { assertValidPlan, validatePlan } from './validate-plan.ts';

/** y = op(x...) helper: f32 values of `n` elements (4n bytes). */
function op(g: Graph, name: string, ins: Value[], n: number): Value {
  const v = g.addValue(name, { dtype: 'f32', shape: [n] });
  g.addNode('any', name + '_node', ins, [v]);
  return v;
}

function chain(): Graph {
  const g = new Graph('chain');
  const x = g.addValue('x', { dtype: 'f32', shape: [10] });
  g.inputs.push(x);
  let v = x;
  for (let i = 0; i < 6; i++) v = op(g, `t${i}`, [v], 10 + i);
  g.outputs.push(v);
  return g;
}

const byName = (p: MemoryPlan, name: string) => p.buffers.find((b) => b.name === name)!;

describe('liveness', () => {
  it('chain: each intermediate lives from its producer to its single user', () => {
    const g = chain();
    const s = schedule(g);
    const p = planMemory(g, s, { align: 16 });
    expect(p.buffers.map((b) => [b.name, b.start, b.end])).toEqual([
      ['t0', 0, 1],
      ['t1', 1, 2],
      ['t2', 2, 3],
      ['t3', 3, 4],
      ['t4', 4, 5],
    ]); // t5 is the graph output, x the input: not in the arena
    // Two neighbours at most are live at once, so the arena holds two buffers.
    expect(p.lowerBound).toBe((14 + 13) * 4);
    expect(p.arenaBytes).toBeLessThanOrEqual(64 + 64);
    assertValidPlan(p, g, s);
  });

  it('diamond with a long-lived branch, graph output consumed later, constants and dead outputs', () => {
    const g = new Graph('diamond');
    const x = g.addValue('x', { dtype: 'f32', shape: [4] });
    g.inputs.push(x);
    const c = g.addConst('c', Tensor.fromNumbers('f32', [4], [1, 2, 3, 4]));
    const a = op(g, 'a', [x, c], 4); // step 0, used at 1 and 3
    const b = op(g, 'b', [a], 8); // step 1, used at 2
    const o = op(g, 'o', [b], 4); // step 2: graph output, consumed at 3
    const d = op(g, 'd', [a, o], 4); // step 3
    const dead = op(g, 'dead', [d], 2); // step 4: never used
    g.outputs.push(o, d);
    const s = schedule(g);
    const p = planMemory(g, s, { align: 8 });
    expect(byName(p, 'a')).toMatchObject({ start: 0, end: 3 });
    expect(byName(p, 'b')).toMatchObject({ start: 1, end: 2 });
    expect(byName(p, 'dead')).toMatchObject({ start: 4, end: 4, size: 8 });
    expect(p.buffers.map((bf) => bf.name).sort()).toEqual(['a', 'b', 'dead']);
    expect(p.lowerBound).toBe(16 + 32);
    assertValidPlan(p, g, s);
    void dead;
  });

  it('scratch is live only during its node and aligned to at least 16', () => {
    const g = chain();
    const s = schedule(g);
    const p = planMemory(g, s, { align: 4, scratchBytes: (n) => (n.name === 't2_node' ? 100 : 0) });
    const sc = p.buffers.find((b) => b.kind === 'scratch')!;
    expect(sc).toMatchObject({ start: 2, end: 2, size: 100, align: 16 });
    expect(sc.offset % 16).toBe(0);
    assertValidPlan(p, g, s);
  });
});

describe('packing', () => {
  const req = (key: number, size: number, start: number, end: number, align = 16): BufferRequest => ({ key, kind: 'value', ownerId: key, name: `b${key}`, size, align, start, end });

  it('first fit reuses freed space and respects alignment', () => {
    const { offsets, arenaBytes } = packFirstFit([req(1, 10, 0, 1), req(2, 10, 1, 2), req(3, 10, 2, 3)]);
    expect(offsets.get(1)).toBe(0);
    expect(offsets.get(2)).toBe(16);
    expect(offsets.get(3)).toBe(0);
    expect(arenaBytes).toBe(26);
  });

  it('fills a gap between two placed buffers when it fits', () => {
    const { offsets } = packFirstFit([req(1, 16, 0, 5), req(2, 16, 0, 0), req(3, 16, 0, 5), req(4, 16, 2, 3)]);
    expect([offsets.get(1), offsets.get(2), offsets.get(3), offsets.get(4)]).toEqual([0, 16, 32, 16]);
  });

  it('best fit takes the smallest gap that holds the buffer', () => {
    // 1, 3 and 5 stay live; 2 and 4 (step 0 only) leave gaps of 32 and 16 bytes for a buffer at steps 5..6.
    const placed = [req(1, 16, 0, 9), req(2, 32, 0, 0), req(3, 16, 0, 9), req(4, 16, 0, 0), req(5, 16, 0, 9)];
    const first = packFirstFit([...placed, req(6, 16, 5, 6)], 'first').offsets;
    const best = packFirstFit([...placed, req(6, 16, 5, 6)], 'best').offsets;
    expect([1, 2, 3, 4, 5].map((k) => first.get(k))).toEqual([0, 16, 48, 64, 80]);
    expect(first.get(6)).toBe(16); // the first gap, 32 bytes wide
    expect(best.get(6)).toBe(64); // the 16-byte gap fits exactly
  });

  it('keeps the smaller of several orders and is never below the lower bound', () => {
    for (let seed = 1; seed <= 30; seed++) {
      let s = seed;
      const rnd = (n: number) => ((s = (Math.imul(s, 48271) + 11) >>> 0) % n);
      const g = new Graph('r');
      const x = g.addValue('x', { dtype: 'f32', shape: [3] });
      g.inputs.push(x);
      const vals: Value[] = [x];
      for (let i = 0; i < 25; i++) {
        const ins = [vals[vals.length - 1]!, vals[rnd(vals.length)]!];
        vals.push(op(g, `v${i}`, ins, 1 + rnd(50)));
      }
      g.outputs.push(vals[vals.length - 1]!);
      const sch = schedule(g);
      const scratchBytes = (n: { id: number }) => (n.id % 3 === 0 ? (n.id * 7) % 40 : 0);
      const p = planMemory(g, sch, { align: 16, scratchBytes });
      expect(validatePlan(p, g, sch)).toEqual([]);
      expect(p.arenaBytes).toBeGreaterThanOrEqual(p.lowerBound);
      // No worse than plain first fit by size or by start time.
      const reqs = liveness(g, sch, { align: 16, scratchBytes });
      const bySize = packFirstFit([...reqs].sort((a, b) => b.size - a.size || a.start - b.start || a.key - b.key)).arenaBytes;
      const byStart = packFirstFit([...reqs].sort((a, b) => a.start - b.start || b.size - a.size || a.key - b.key)).arenaBytes;
      expect(p.arenaBytes).toBeLessThanOrEqual(Math.ceil(Math.min(bySize, byStart) / 16) * 16);
      expect(lowerBound(reqs, sch.steps.length)).toBe(p.lowerBound);
      expect(JSON.stringify(planMemory(g, sch, { align: 16, scratchBytes }))).toBe(JSON.stringify(p));
    }
  });

  it('is deterministic', () => {
    const g = chain();
    const a = planMemory(g, schedule(g), { align: 16 });
    const b = planMemory(g, schedule(g), { align: 16 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
  });
});

describe('validatePlan catches broken plans', () => {
  const good = () => {
    const g = chain();
    const s = schedule(g);
    return { g, s, p: planMemory(g, s, { align: 16 }) };
  };
  const broken = (mutate: (p: MemoryPlan & { buffers: { offset: number }[] }) => MemoryPlan) => {
    const { g, s, p } = good();
    expect(validatePlan(p, g, s)).toEqual([]);
    const q = mutate(structuredClone(p) as MemoryPlan & { buffers: { offset: number }[] });
    return validatePlan(q, g, s).join('\n');
  };

  it('overlap of two live buffers', () => {
    // t0 [0..1] and t1 [1..2] are live together at step 1: put them at the same offset.
    expect(broken((p) => ((p.buffers[1]!.offset = p.buffers[0]!.offset), p))).toMatch(/'t0'.*overlaps.*'t1'|'t1'.*overlaps.*'t0'/);
    expect(() => {
      const { g, s, p } = good();
      const q = structuredClone(p);
      q.buffers[1]!.offset = q.buffers[0]!.offset;
      assertValidPlan(q, g, s);
    }).toThrow(/invalid memory plan/);
  });

  it('misalignment, out of arena, bad interval, missing buffer, views', () => {
    expect(broken((p) => ((p.buffers[0]!.offset += 4), p))).toMatch(/not 16-byte aligned/);
    expect(broken((p) => ({ ...p, arenaBytes: 16 }))).toMatch(/exceeds the arena/);
    expect(broken((p) => ({ ...p, buffers: p.buffers.map((b, i) => (i === 2 ? { ...b, end: b.start } : b)) }))).toMatch(/'t2': used at step 3 outside its interval 2..2/);
    expect(broken((p) => ({ ...p, buffers: p.buffers.slice(1) }))).toMatch(/value 't0' has no buffer/);
    expect(broken((p) => ({ ...p, buffers: p.buffers.map((b, i) => (i === 0 ? { ...b, view: { of: 99, byteOffset: 0 } } : b)) }))).toMatch(/view of unknown buffer 99/);
    expect(broken((p) => ({ ...p, buffers: p.buffers.map((b, i) => (i === 0 ? { ...b, size: 8 } : b)) }))).toMatch(/needs 40/);
  });
});

describe('schedule', () => {
  it('rejects a node that reads a value produced later', () => {
    const g = new Graph('bad');
    const x = g.addValue('x', { dtype: 'f32', shape: [1] });
    g.inputs.push(x);
    const late = g.addValue('late', { dtype: 'f32', shape: [1] });
    const y = g.addValue('y', { dtype: 'f32', shape: [1] });
    g.addNode('any', 'reader', [late], [y]);
    g.addNode('any', 'writer', [x], [late]);
    g.outputs.push(y);
    expect(() => schedule(g)).toThrowError(/node 'reader'.*'late' is produced later/);
  });
});
