// The CLI with text formats: convert between ONNX binary and text (and to IR), text models compile and
// run like binary ones, --emit ir and --print-after print parseable IR, parse errors are located.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOnnxModel } from '../../compiler/frontend/onnx/load.ts';
import { loadModelFile } from '../../compiler/frontend/load-model.ts';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import { randomInputs } from '../../compiler/io/random-inputs.ts';
import { parseGraph } from '../../compiler/ir/parse.ts';
import { printGraph } from '../../compiler/ir/print.ts';
import { tensorsIdentical } from '../../compiler/ir/tensor.ts';
import { STACK_LINE, qcc, tempDir } from './helpers.ts';

const EXAMPLE = new URL('../../examples/tiny_cnn.onnx', import.meta.url).pathname;

describe('qcc convert', () => {
  it('onnx -> onnxtxt -> onnx -> onnxtxt gives the same text, and the same model', async () => {
    const dir = tempDir();
    const [t1, b, t2] = [join(dir, 'm.onnxtxt'), join(dir, 'm.onnx'), join(dir, 'm2.onnxtxt')];
    expect((await qcc('convert', EXAMPLE, '-o', t1)).code).toBe(0);
    expect((await qcc('convert', t1, '-o', b)).code).toBe(0);
    expect((await qcc('convert', b, '-o', t2)).code).toBe(0);
    expect(readFileSync(t2, 'utf8')).toBe(readFileSync(t1, 'utf8'));
    const a = loadOnnxModel(EXAMPLE);
    const c = loadOnnxModel(b);
    const feeds = randomInputs(a, 3);
    const ra = interpret(a, feeds);
    const rc = interpret(c, feeds);
    for (const [k, t] of ra) expect(tensorsIdentical(rc.get(k)!, t)).toBe(true);
  });

  it('prints the text without -o, and writes exact IR for .qir', async () => {
    const r = await qcc('convert', EXAMPLE);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('tiny_cnn (float[1,3,16,16] image) => (float[1,4,8,8] features)');
    const dir = tempDir();
    expect((await qcc('convert', EXAMPLE, '-o', join(dir, 'm.qir'))).code).toBe(0);
    const ir = readFileSync(join(dir, 'm.qir'), 'utf8');
    expect(printGraph(parseGraph(ir))).toBe(ir);
    expect(ir).not.toContain('elided');
  });
});

describe('text models through the CLI', () => {
  it('compile and interpret read .onnxtxt like .onnx', async () => {
    const dir = tempDir();
    const txt = join(dir, 'tiny.onnxtxt');
    await qcc('convert', EXAMPLE, '-o', txt);
    const r = await qcc('compile', txt, '-o', join(dir, 'out'));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(readFileSync(join(dir, 'out', 'tiny.h'), 'utf8')).toContain('int tiny_run(');
    const g = loadModelFile(txt);
    expect(printGraph(g)).toBe(printGraph(loadOnnxModel(EXAMPLE)));
  });

  it('a syntax error is a located E_PARSE without a stack trace', async () => {
    const dir = tempDir();
    const txt = join(dir, 'bad.onnxtxt');
    writeFileSync(txt, '<ir_version: 8, opset_import: ["" : 13]>\ng (float[2] x) => (float[2] y) {\n  y = Relu (x\n}\n');
    const r = await qcc('compile', txt, '-o', join(dir, 'out'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`error[E_PARSE]: ${txt}:4:1: expected ')' to close '(' opened at 3:12, but found '}'`);
    expect(r.stderr).not.toMatch(STACK_LINE);
  });
});

describe('qcc compile --emit ir / --print-after', () => {
  it('--emit ir prints the IR after the pipeline and writes no C', async () => {
    const dir = tempDir();
    const r = await qcc('compile', EXAMPLE, '--emit', 'ir', '--ir-data', 'full', '-o', join(dir, 'out'));
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^graph @tiny_cnn \{/);
    expect(r.stdout).toContain('= qlinear_conv @conv1');
    expect(r.stdout).toContain('requant = "fp32"');
    expect(printGraph(parseGraph(r.stdout))).toBe(r.stdout.replace(/\n+$/, '\n'));
    const summary = await qcc('compile', EXAMPLE, '--emit', 'ir');
    expect(summary.stdout).toMatch(/const %w1: i8\[8x3x3x3\] = elided \{/);
  });

  it('--print-after prints after the named pass, each round', async () => {
    const r = await qcc('compile', EXAMPLE, '--emit', 'ir', '--print-after', 'dead-code');
    expect(r.code).toBe(0);
    const blocks = r.stdout.split('// IR after ').slice(1);
    expect(blocks.length).toBeGreaterThanOrEqual(1);
    expect(blocks[0]).toMatch(/^dead-code\ngraph @tiny_cnn \{/);
    const all = await qcc('compile', EXAMPLE, '--emit', 'ir', '--print-after', 'all');
    expect(all.stdout).toContain('// IR after constant-fold\n');
    expect(all.stdout).toContain('// IR after qdq-fusion\n');
  });

  it('an unknown pass is a usage error listing the passes', async () => {
    const r = await qcc('compile', EXAMPLE, '--emit', 'ir', '--print-after', 'nope');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown pass 'nope' in --print-after");
    expect(r.stderr).toContain('dead-code');
  });
});
