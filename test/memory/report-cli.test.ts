/**
 * `qcc info --target T` (text, --json, --html) on the bundled example and a generated residual CNN, and the
 * report's `note` when a plan is more than 5% over its bound (alignment vs fragmentation).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../backends/c/compile.ts';
import { memoryReport, type MemoryReport } from '../../backends/c/report.ts';
import { memoryReportHtml } from '../../backends/c/report-html.ts';
import { Graph } from '../../compiler/ir/graph.ts';
import type { MemoryPlan } from '../../compiler/lower/memory-plan.ts';
import { qcc, tempDir } from '../cli/helpers.ts';
import { qResidualCnn } from '../util/gen-cnn.ts';
import { REPO_ROOT } from '../util/models.ts';

const EXAMPLE = join(REPO_ROOT, 'examples/tiny_cnn.onnx');

describe('qcc info --target', () => {
  it('text: per layer offsets and the totals; --json: the same numbers as the compiled model', async () => {
    const text = await qcc('info', EXAMPLE, '--target', 'c');
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toMatch(/arena peak +[\d,]+ bytes \(TINY_CNN_ARENA_BYTES/);
    expect(text.stdout).toMatch(/lower bound +[\d,]+ bytes live at once/);
    expect(text.stdout).toMatch(/peak \/ bound +1\.\d{3}/);
    expect(text.stdout).toMatch(/conv1 +qlinear_conv .* @\d+/);
    const j = await qcc('info', EXAMPLE, '--target', 'c', '--json');
    expect(j.code, j.stderr).toBe(0);
    const r = JSON.parse(j.stdout) as MemoryReport;
    expect(r.layers.map((l) => l.name)).toEqual(['quantize_input', 'conv1', 'conv2', 'dequantize_output']);
    for (const l of r.layers) {
      expect(Object.keys(l).sort()).toEqual(
        ['activationBytesIn', 'activationBytesOut', 'arenaOffset', 'flashBytes', 'inputs', 'macs', 'name', 'op', 'outputs', 'scratchBytes', 'step', 'view', 'weightBytes'],
      );
    }
    expect(r.layers[1]!.macs).toBe(1 * 8 * 16 * 16 * 3 * 3 * 3);
    expect(r.layers[1]!.activationBytesIn).toBe(3 * 16 * 16);
    expect(r.layers[1]!.activationBytesOut).toBe(8 * 16 * 16);
    expect(r.layers[3]!.outputs[0]!.placement).toEqual({ where: 'output', param: 'features' });
    expect(r.totals.arenaBytes).toBe(Number(/arena peak +([\d,]+)/.exec(text.stdout)![1]!.replace(/,/g, '')));
    expect(r.note).toBeUndefined();
  });

  it('--html writes one self-contained page with the timeline and the MACs chart; the target changes the plan', async () => {
    const dir = tempDir();
    const model = join(dir, 'qres.onnx');
    writeFileSync(model, qResidualCnn('qres', 5, { size: 10, width: 4, blocks: 2, classes: 3 }).bytes);
    const html = join(dir, 'report.html');
    const r = await qcc('info', model, '--html', html, '--json');
    expect(r.code, r.stderr).toBe(0);
    const page = readFileSync(html, 'utf8');
    expect(page.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(page).toMatch(/aria-label="memory timeline"/);
    expect(page).toMatch(/aria-label="MACs per layer"/);
    expect(page).not.toMatch(/<script|src=|href=|@import|url\(/i);
    const rep = JSON.parse(r.stdout) as MemoryReport;
    // One box per arena buffer, in-place ones marked.
    expect((page.match(/<rect /g) ?? []).length).toBeGreaterThanOrEqual(rep.buffers.length);
    expect(page).toMatch(/class="shared in-place"/);
    const avx = await qcc('info', model, '--target', 'x86-avx2', '--json');
    expect(avx.code, avx.stderr).toBe(0);
    expect((JSON.parse(avx.stdout) as MemoryReport).totals.arenaAlign).toBe(32);
  });
});

describe('the note explains a plan over 5% of its bound', () => {
  /** Three 4-byte tensors live together, each on a 16-byte boundary: alignment, not fragmentation. */
  it('alignment padding', () => {
    const g = new Graph('pad');
    const x = g.addValue('x', { dtype: 'f32', shape: [1] });
    g.inputs.push(x);
    const vals = [1, 2, 3].map((i) => {
      const v = g.addValue(`v${i}`, { dtype: 'f32', shape: [1] });
      g.addNode('add', `n${i}`, [x, x], [v]);
      return v;
    });
    const y = g.addValue('y', { dtype: 'f32', shape: [1] });
    g.addNode('add', 'sum1', [vals[0]!, vals[1]!], [y]);
    const z = g.addValue('z', { dtype: 'f32', shape: [1] });
    g.addNode('add', 'sum2', [y, vals[2]!], [z]);
    g.outputs.push(z);
    const r = memoryReport(g, compileModel(g, { target: 'c', name: 'pad' }));
    expect(r.totals.arenaBytes).toBeGreaterThan(r.totals.lowerBound * 1.05);
    expect(r.note).toMatch(/^alignment: every buffer starts on a 16-byte boundary/);
    expect(memoryReportHtml(r)).toContain('class="note"');
  });

  it('fragmentation (a forged plan with a gap)', () => {
    const g = new Graph('frag');
    const x = g.addValue('x', { dtype: 'f32', shape: [16] });
    g.inputs.push(x);
    const a = g.addValue('a', { dtype: 'f32', shape: [16] });
    g.addNode('add', 'na', [x, x], [a]);
    const y = g.addValue('y', { dtype: 'f32', shape: [16] });
    g.addNode('add', 'ny', [a, a], [y]);
    g.outputs.push(y);
    const m = compileModel(g, { target: 'c', name: 'frag' });
    const plan: MemoryPlan = { ...m.plan, arenaBytes: 256, buffers: m.plan.buffers.map((b) => ({ ...b, offset: 128 })) };
    const r = memoryReport(g, { ...m, plan });
    expect(r.note).toMatch(/^fragmentation: /);
  });
});
