/** Resource limits: --max-arena and compileModel's maxArenaBytes, the byte-size syntax. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../backends/c/compile.ts';
import { QccError } from '../../compiler/errors.ts';
import { loadOnnxModel } from '../../compiler/frontend/onnx/load.ts';
import { parseByteSize } from '../../compiler/limits.ts';
import { qcc, tempDir, writeModel } from '../cli/helpers.ts';

describe('parseByteSize', () => {
  it('reads plain counts and K/M/G suffixes (powers of 1024)', () => {
    expect(parseByteSize('0')).toBe(0);
    expect(parseByteSize('262144')).toBe(262144);
    expect(parseByteSize('256K')).toBe(256 * 1024);
    expect(parseByteSize('256k')).toBe(256 * 1024);
    expect(parseByteSize('1M')).toBe(1024 * 1024);
    expect(parseByteSize('1MiB')).toBe(1024 * 1024);
    expect(parseByteSize('2G')).toBe(2 * 1024 ** 3);
    expect(parseByteSize('1.5K')).toBe(1536);
    expect(parseByteSize('64KB')).toBe(65536);
  });
  it('rejects anything else', () => {
    for (const s of ['', 'K', '-1', '1T', '1.3', '0x10', '1e3', '12Q', '1 M B', 'iB']) expect(parseByteSize(s), s).toBeNull();
  });
});

/** A Relu chain on f32[n]: the arena holds the one intermediate, 4n bytes (aligned). */
function chainModel(dir: string, n: number): string {
  return writeModel(dir, 'chain.onnx', {
    inputs: [{ name: 'x', dtype: 'f32', shape: [n] }],
    outputs: [{ name: 'y', dtype: 'f32', shape: [n] }],
    nodes: [
      { op: 'Relu', inputs: ['x'], outputs: ['a'] },
      { op: 'Neg', inputs: ['a'], outputs: ['y'] },
    ],
  });
}

describe('arena limit', () => {
  it('compileModel refuses an arena over maxArenaBytes, naming both sizes', () => {
    const dir = tempDir();
    const g = loadOnnxModel(chainModel(dir, 1000));
    const ok = compileModel(g, { target: 'c', name: 'm' });
    expect(ok.arenaBytes).toBeGreaterThanOrEqual(4000);
    expect(() => compileModel(loadOnnxModel(chainModel(dir, 1000)), { target: 'c', name: 'm', maxArenaBytes: ok.arenaBytes })).not.toThrow();
    let err: unknown;
    try {
      compileModel(loadOnnxModel(chainModel(dir, 1000)), { target: 'c', name: 'm', maxArenaBytes: ok.arenaBytes - 1 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QccError);
    expect((err as QccError).code).toBe('E_LIMIT');
    expect((err as QccError).message).toContain(`${ok.arenaBytes} bytes`);
    expect((err as QccError).message).toContain(`${ok.arenaBytes - 1} bytes`);
  });

  it('qcc compile --max-arena: E_LIMIT (exit 1) and no output folder; bad sizes are usage errors', async () => {
    const dir = tempDir();
    const model = chainModel(dir, 100_000);
    const out = join(dir, 'out');
    const r = await qcc('compile', model, '-o', out, '--max-arena', '256K');
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/error\[E_LIMIT\]: the model needs an arena of 400000 bytes .* over the limit of 262144 bytes/);
    expect(existsSync(out)).toBe(false);
    const fits = await qcc('compile', model, '-o', out, '--max-arena', '1M');
    expect(fits.code).toBe(0);
    expect(existsSync(join(out, 'chain.c'))).toBe(true);
    const bad = await qcc('compile', model, '-o', out, '--max-arena', 'lots');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/E_USAGE.*--max-arena 'lots'/);
  });
});
