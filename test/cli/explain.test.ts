/**
 * `qcc info --explain` and the compile log list every node left in float with its reason, on a QDQ model
 * with one fusable conv, one conv whose weight DequantizeLinear reads a graph input (not constant), and a
 * Tanh (no integer form).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { QdqBuilder } from '../quant/qdq-models.ts';
import { qcc, tempDir, writeModel } from './helpers.ts';

function model(): string {
  const b = new QdqBuilder(5);
  const x = b.qdq(b.input('x', [1, 2, 5, 5]), 'u8', 0.05, 128);
  const w = b.weight([2, 2, 3, 3], 0);
  const y1 = b.qdq(b.op('Conv', [x, w.out], { pads: { ints: [1, 1, 1, 1] } }), 'u8', 0.1, 120);
  b.inputs.push({ name: 'w_runtime', dtype: 'u8', shape: [2, 2, 1, 1] });
  const w2 = b.dq('w_runtime', 'u8', 0.01, 128);
  b.nodes.push({ op: 'Conv', name: 'conv_runtime_weight', inputs: [y1, w2], outputs: ['y2'] });
  const y2 = b.qdq('y2', 'u8', 0.1, 128);
  b.nodes.push({ op: 'Tanh', name: 'the_tanh', inputs: [y2], outputs: ['t'] });
  const desc = b.build([b.dq(b.q('t', 'u8', 1 / 128, 128), 'u8', 1 / 128, 128)]);
  return writeModel(tempDir(), 'explain.onnx', desc);
}

describe('qcc info --explain', () => {
  it('lists each float node with its reason, not the fused conv', async () => {
    const path = model();
    const r = await qcc('info', path, '--explain');
    expect(r.code).toBe(0);
    const section = r.stdout.slice(r.stdout.indexOf('float nodes:'));
    expect(section).toMatch(/^float nodes: 2$/m);
    expect(section).toMatch(/conv_runtime_weight \(conv\): the weight \('w_runtime'\) is not a compile-time constant/);
    expect(section).toMatch(/the_tanh \(tanh\): qcc has no integer form of tanh/);
    expect(r.stdout).toMatch(/qlinear_conv x1/);

    const j = await qcc('info', path, '--explain', '--json');
    const info = JSON.parse(j.stdout) as { floatNodes: { name: string; op: string; reason: string }[] };
    expect(info.floatNodes.map((f) => f.name)).toEqual(['conv_runtime_weight', 'the_tanh']);
  });

  it('the compile log prints the same list', async () => {
    const path = model();
    const out = join(tempDir(), 'out');
    const r = await qcc('compile', path, '-o', out);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/float nodes: 2/);
    expect(r.stdout).toMatch(/conv_runtime_weight \(conv\): the weight \('w_runtime'\) is not a compile-time constant/);
    expect(readdirSync(out).length).toBeGreaterThan(0);
  });

  it('--disable-pass qdq-fusion leaves every conv in float; an unknown pass is a usage error', async () => {
    const path = model();
    const r = await qcc('info', path, '--explain', '--disable-pass', 'qdq-fusion');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^float nodes: 3$/m);
    expect(r.stdout).not.toMatch(/qlinear_conv/);
    const bad = await qcc('info', path, '--disable-pass', 'qdq-fusoin');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/unknown pass 'qdq-fusoin'/);
  });
});
