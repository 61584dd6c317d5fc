/**
 * The memory plan and the compile-time report on every model test (real models, the example, generated
 * residual CNNs): the validator accepts each plan under the target's alias policy, the arena is within 5%
 * of the lower bound or the report says why, and the report's numbers equal the generated C's own: the
 * `<NAME>_ARENA_BYTES` macro and `sizeof` of every emitted const array, printed by a C program built
 * from the generated sources.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { aliasPolicy } from '../../backends/c/alias.ts';
import { memoryReport } from '../../backends/c/report.ts';
import { writeOutputFolder } from '../../backends/output.ts';
import { getTarget } from '../../backends/target.ts';
import { schedule } from '../../compiler/lower/schedule.ts';
import { validatePlan } from '../../compiler/lower/validate-plan.ts';
import { plannedModels } from './models.ts';

const models = plannedModels();
const work = mkdtempSync(join(tmpdir(), 'qcc-plan-report-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('memory plan on every model test', () => {
  it.each(models.map((m) => [m.id, m] as const))('%s: valid, within 5% of the lower bound or explained', (_id, m) => {
    const problems = validatePlan(m.model.plan, m.graph, schedule(m.graph), aliasPolicy(getTarget('c').emitters));
    expect(problems).toEqual([]);
    const r = memoryReport(m.graph, m.model);
    expect(r.totals.arenaBytes).toBe(m.model.arenaBytes);
    expect(r.totals.lowerBound).toBeLessThanOrEqual(r.totals.arenaBytes);
    expect(r.totals.lowerBound).toBe(Math.max(0, ...r.liveBytes));
    expect(r.totals.lowerBound).toBeLessThanOrEqual(r.totals.lowerBoundNoAlias);
    expect(r.totals.lowerBound).toBeLessThanOrEqual(r.totals.alignedLowerBound);
    expect(r.totals.alignedLowerBound).toBeLessThanOrEqual(r.totals.arenaBytes);
    if (r.totals.arenaBytes > r.totals.lowerBound * 1.05) expect(r.note, `${m.id}: ${r.totals.arenaBytes} vs ${r.totals.lowerBound}`).toMatch(/\w/);
    else expect(r.note).toBeUndefined();
    // Per-layer numbers add up to the totals, and each layer's output offset is its planned buffer's.
    expect(r.layers.reduce((s, l) => s + l.flashBytes, 0)).toBeLessThanOrEqual(r.totals.flashBytes);
    for (const l of r.layers) {
      const b = m.model.plan.buffers.find((x) => x.kind === 'value' && x.name === l.outputs[0]!.name);
      expect(l.arenaOffset).toBe(l.outputs[0]!.placement.where === 'arena' ? b!.offset : null);
    }
  });

  it('in-place sharing pays off on the residual CNNs', () => {
    const f = models.find((m) => m.id === 'gen/f-resnet-12x12')!;
    const r = memoryReport(f.graph, f.model);
    // Sharing never raises the bound, and lowers the bytes live over the run.
    expect(r.totals.lowerBound).toBeLessThanOrEqual(r.totals.lowerBoundNoAlias);
    const q = models.find((m) => m.id === 'gen/q-resnet-odd-13x13')!;
    expect(q.model.plan.buffers.filter((b) => b.view?.how === 'in-place').length).toBeGreaterThanOrEqual(3);
    expect(r.layers.some((l) => l.view)).toBe(true);
    expect(r.layers.filter((l) => l.outputs[0]!.placement.where === 'arena' && (l.outputs[0]!.placement as { how?: string }).how === 'in-place').length).toBeGreaterThan(3);
  });
});

describe('report numbers equal the generated C', () => {
  it('arena macro and sizeof of every const array (gcc)', () => {
    const body: string[] = [];
    // One program per model (each is its own translation unit with its static arrays).
    for (const m of models) {
      const dir = join(work, m.model.name);
      writeOutputFolder(dir, m.model.files);
      const r = memoryReport(m.graph, m.model);
      const src = [
        '#include <stdio.h>',
        `#include "${m.model.name}.c"`,
        'int main(void) {',
        '  unsigned long total = 0;',
        ...m.model.constants.map((c) => `  printf("%s %lu\\n", "${c.id}", (unsigned long)sizeof ${c.id}); total += (unsigned long)sizeof ${c.id};`),
        `  printf("total %lu\\narena %lu\\n", total, (unsigned long)${m.model.name.toUpperCase()}_ARENA_BYTES);`,
        '  return 0;',
        '}',
      ].join('\n');
      writeFileSync(join(dir, 'sizes.c'), src);
      const exe = join(dir, 'sizes');
      const cc = spawnSync('gcc', [...getTarget('c').toolchain.cflags, '-Wno-unused-function', '-I.', 'sizes.c', '-o', exe], { cwd: dir, encoding: 'utf8' });
      expect(cc.status, `${m.id}: ${cc.stderr}`).toBe(0);
      const run = spawnSync(exe, [], { encoding: 'utf8' });
      const got = new Map(run.stdout.trim().split('\n').map((l) => l.split(' ') as [string, string]).map(([k, v]) => [k, Number(v)]));
      for (const c of m.model.constants) expect(got.get(c.id), `${m.id} ${c.id}`).toBe(c.bytes);
      expect(got.get('total'), m.id).toBe(r.totals.flashBytes);
      expect(got.get('arena'), m.id).toBe(r.totals.arenaBytes);
      body.push(m.id);
    }
    expect(body.length).toBe(models.length);
  });
});
