// CLI failure paths: clear one-line errors, the right exit code, no stack trace, no output folder.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { STACK_LINE, qcc, tempDir, writeTextModel } from './helpers.ts';

const EXAMPLE = new URL('../../examples/tiny_cnn.onnx', import.meta.url).pathname;

describe('qcc errors', () => {
  it('rejects a file that is not ONNX: exit 1, E_PARSE, no stack trace, no output folder', async () => {
    const dir = tempDir();
    const bad = join(dir, 'notes.onnx');
    writeFileSync(bad, 'this is a text file, not a protobuf\n'.repeat(10));
    const out = join(dir, 'out');
    const r = await qcc('compile', bad, '--target', 'c', '-o', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error\[E_PARSE\]/);
    expect(r.stderr).toContain('notes');
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir)).toEqual(['notes.onnx']);
  });

  it('rejects a truncated model the same way', async () => {
    const dir = tempDir();
    const full = await import('node:fs').then((fs) => fs.readFileSync(EXAMPLE));
    const cut = join(dir, 'cut.onnx');
    writeFileSync(cut, full.subarray(0, Math.floor(full.length / 2)));
    const r = await qcc(cut, '-o', join(dir, 'out'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error\[E_PARSE\]/);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('reports a missing model file (E_IO, exit 1) for every command', async () => {
    const dir = tempDir();
    const missing = join(dir, 'nope.onnx');
    for (const args of [
      [missing, '-o', join(dir, 'o')],
      ['compile', missing, '-o', join(dir, 'o')],
      ['info', missing],
      ['verify', missing],
      ['interpret', missing, '--inputs', dir, '--out', join(dir, 'o')],
      ['run', missing, '--inputs', dir, '--out', join(dir, 'o')],
    ]) {
      const r = await qcc(...args);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr).toMatch(/^error\[E_IO\]/);
      expect(r.stderr).toContain('nope.onnx');
      expect(r.stderr).not.toMatch(STACK_LINE);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('lists every unsupported op (name, domain, op type, opset) before giving up', async () => {
    const dir = tempDir();
    const model = writeTextModel(dir, 'exotic.onnx', `
      exotic (float[1, 4] x) => (float[1, 4] z)
      {
        [first_bad] y = FrobnicateA (x)
        [second_bad] z = com.example.Wibble (y)
      }`, { '': 13, 'com.example': 3 });
    const out = join(dir, 'out');
    const r = await qcc('compile', model, '-o', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error\[E_UNSUPPORTED_OP\]/);
    for (const s of ['first_bad', 'FrobnicateA', 'second_bad', 'Wibble', 'com.example']) expect(r.stderr).toContain(s);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(existsSync(out)).toBe(false);
  });

  it('asks for --input-shape when an input has a symbolic dimension', async () => {
    const dir = tempDir();
    const model = writeTextModel(dir, 'dyn.onnx', 'dyn (float[batch, 4] x) => (float[4, batch] y) { y = Transpose (x) }', 13);
    const r = await qcc('info', model);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error\[E_DYNAMIC_SHAPE\]/);
    expect(r.stderr).toContain('batch');
    expect(r.stderr).toContain('--input-shape');
    expect(r.stderr).not.toMatch(STACK_LINE);

    const ok = await qcc('info', model, '--input-shape', 'x=3x4', '--json');
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const info = JSON.parse(ok.stdout) as { inputs: { name: string; shape: number[] }[]; outputs: { shape: number[] }[] };
    expect(info.inputs).toEqual([expect.objectContaining({ name: 'x', shape: [3, 4] })]);
    expect(info.outputs[0]!.shape).toEqual([4, 3]);
  });

  it('treats bad usage as exit 2: malformed --input-shape, unknown target, bad --name, unknown option, missing argument', async () => {
    const dir = tempDir();
    const cases: string[][] = [
      ['info', EXAMPLE, '--input-shape', 'image=1xthree'],
      ['info', EXAMPLE, '--input-shape', 'noequals'],
      ['compile', EXAMPLE, '--target', 'z80', '-o', join(dir, 'o')],
      ['compile', EXAMPLE, '--name', '9lives; system("rm")', '-o', join(dir, 'o')],
      ['verify', EXAMPLE, '--runs', '0'],
      ['verify', EXAMPLE, '--seed', 'abc'],
      ['compile', EXAMPLE, '--bogus-flag'],
      ['run', EXAMPLE, '--inputs', dir],
      ['interpret', EXAMPLE, '--inputs', dir, '--out', join(dir, 'o'), '--format', 'csv'],
    ];
    for (const args of cases) {
      const r = await qcc(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().length, args.join(' ')).toBeGreaterThan(0);
      expect(r.stderr).not.toMatch(STACK_LINE);
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('names the known targets when the target is unknown', async () => {
    const r = await qcc('verify', EXAMPLE, '--target', 'z80');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown target 'z80'");
    expect(r.stderr).toMatch(/known targets: .*\bc\b/);
  });

  it('prints help with exit 0, and usage with exit 2 when called with nothing', async () => {
    const help = await qcc('--help');
    expect(help.code).toBe(0);
    for (const c of ['compile', 'run', 'interpret', 'verify', 'info']) expect(help.stdout).toContain(c);
    const none = await qcc();
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('Usage: qcc');
  });

  it('reports a missing inputs folder as E_IO', async () => {
    const dir = tempDir();
    const r = await qcc('interpret', EXAMPLE, '--inputs', join(dir, 'absent'), '--out', join(dir, 'o'));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error\[E_IO\].*inputs folder/);
    expect(existsSync(join(dir, 'o'))).toBe(false);
  });
});
