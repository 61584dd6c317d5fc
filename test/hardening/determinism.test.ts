/**
 * The same model compiled twice through the CLI (a child process each time), from different working
 * directories, with the model at different paths, and with different LANG/LC_ALL/TZ/HOME/TMPDIR, gives
 * byte-identical output folders.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REAL_MODELS, REPO_ROOT } from '../util/models.ts';
import { tempDir } from '../cli/helpers.ts';

const QCC = join(REPO_ROOT, 'bin/qcc.js');

function compileIn(cwd: string, model: string, env: Record<string, string>): Map<string, Buffer> {
  const r = spawnSync(process.execPath, [QCC, 'compile', model, '-o', 'out'], { cwd, encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '', ...env } });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  const out = join(cwd, 'out');
  return new Map(readdirSync(out).sort().map((f) => [f, readFileSync(join(out, f))]));
}

describe('deterministic output', () => {
  const root = tempDir('qcc-determinism-');
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const models = [join(REPO_ROOT, 'examples/tiny_cnn.onnx'), REAL_MODELS.find((m) => m.id === 'onnxruntime/qdq_convs')!.path];

  for (const src of models) {
    it(basename(src), () => {
      const a = join(root, `a-${basename(src)}`);
      const b = join(root, `b-${basename(src)}`, 'deeper', 'still');
      mkdirSync(a, { recursive: true });
      mkdirSync(join(b, 'models'), { recursive: true });
      copyFileSync(src, join(a, basename(src)));
      copyFileSync(src, join(b, 'models', basename(src)));
      const homeA = join(root, 'home-a');
      const homeB = join(root, 'home-b');
      mkdirSync(homeA, { recursive: true });
      mkdirSync(homeB, { recursive: true });
      const first = compileIn(a, basename(src), { LANG: 'C', LC_ALL: 'C', TZ: 'UTC', HOME: homeA });
      const second = compileIn(b, join(b, 'models', basename(src)), {
        LANG: 'tr_TR.UTF-8',
        LC_ALL: 'tr_TR.UTF-8',
        TZ: 'Pacific/Chatham',
        HOME: homeB,
        TMPDIR: homeB,
        QCC_UNRELATED: 'x',
      });
      expect([...second.keys()]).toEqual([...first.keys()]);
      for (const [f, bytes] of first) expect(Buffer.compare(second.get(f)!, bytes), f).toBe(0);
      // Nothing of the environment leaks into the output.
      const all = [...first.values()].map((x) => x.toString('utf8')).join('\n');
      expect(all).not.toContain(root);
      expect(all).not.toMatch(/20\d\d-\d\d-\d\d|\d\d:\d\d:\d\d/);
    });
  }
});
