/**
 * `qcc compile` (a child process) that fails or is killed in the middle of writing its output leaves
 * the previous output folder exactly as it was (or nothing, when there was none), never a half-written
 * one; a failure also removes its temporary folder. Faults are injected from outside qcc: a preloaded
 * script wraps fs.writeFileSync/renameSync to throw or SIGKILL the process at its n-th call on a temp
 * path (renameSync: the move of the new folder into place, after the old one was moved away), and a file
 * size limit (ulimit -f) makes a large weights file fail with EFBIG.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Tensor } from '../../compiler/ir/tensor.ts';
import { REPO_ROOT } from '../util/models.ts';
import { qcc as qccInProcess, tempDir, writeModel } from '../cli/helpers.ts';

const QCC = join(REPO_ROOT, 'bin/qcc.js');

const PRELOAD = `
const fs = require('fs');
const { syncBuiltinESMExports } = require('module');
const mode = process.env.FAULT_MODE, fn = process.env.FAULT_FN, at = Number(process.env.FAULT_AT);
let n = 0;
const orig = fs[fn];
fs[fn] = function (...args) {
  if (String(args[0]).includes('.tmp-') && ++n === at) {
    if (mode === 'kill') process.kill(process.pid, 'SIGKILL');
    const e = new Error('injected fault'); e.code = 'EIO'; throw e;
  }
  return orig.apply(this, args);
};
syncBuiltinESMExports();
`;

function snapshot(dir: string): Map<string, string> {
  return new Map(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

describe('atomic output folder', () => {
  const root = tempDir('qcc-atomic-');
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const preload = join(root, 'fault.cjs');
  writeFileSync(preload, PRELOAD);
  const small = writeModel(root, 'm.onnx', {
    inputs: [{ name: 'x', dtype: 'f32', shape: [4] }],
    outputs: [{ name: 'y', dtype: 'f32', shape: [4] }],
    nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'] }],
  });
  // Same output name (m), different content: 256 x 256 float weights, about 1 MB of C text.
  const w = Tensor.fromNumbers('f32', [256, 256], Array.from({ length: 65536 }, (_, i) => (i % 251) / 7 - 17.123));
  const bigDir = join(root, 'big');
  mkdirSync(bigDir);
  const big = writeModel(bigDir, 'm.onnx', {
    inputs: [{ name: 'x', dtype: 'f32', shape: [1, 256] }],
    outputs: [{ name: 'y', dtype: 'f32', shape: [1, 256] }],
    initializers: [{ name: 'w', tensor: w }],
    nodes: [{ op: 'MatMul', inputs: ['x', 'w'], outputs: ['y'] }],
  });

  const qcc = (model: string, out: string, env: Record<string, string> = {}, shell?: string) => {
    const args = ['--require', preload, QCC, 'compile', model, '-o', out];
    const r = shell
      ? spawnSync('bash', ['-c', `${shell}; exec "$0" "$@"`, process.execPath, ...args.slice(2)], { encoding: 'utf8', env: { ...process.env, ...env } })
      : spawnSync(process.execPath, args, { encoding: 'utf8', env: { ...process.env, ...env } });
    return r;
  };
  const leftovers = (out: string) => readdirSync(join(out, '..')).filter((f) => f.startsWith('.out.tmp-') || f.startsWith('.out'));

  /** A previous output at <name>/out (compiled in-process: only the faulty compiles need a child). */
  async function withPrevious(name: string) {
    const parent = join(root, name);
    mkdirSync(parent);
    const out = join(parent, 'out');
    const r = await qccInProcess('compile', small, '-o', out);
    expect(r.code, r.stderr).toBe(0);
    return { out, before: snapshot(out) };
  }

  it('a write that fails mid-way (3rd file): exit 1 with E_IO, previous folder intact, no temp folder', async () => {
    const { out, before } = await withPrevious('fail-write');
    const r = qcc(big, out, { FAULT_MODE: 'throw', FAULT_FN: 'writeFileSync', FAULT_AT: '3' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error\[E_IO\].*injected fault/);
    expect(snapshot(out)).toEqual(before);
    expect(leftovers(out)).toEqual([]);
  });

  it('killed (SIGKILL) while writing: previous folder intact; only a hidden temp folder may remain', async () => {
    const { out, before } = await withPrevious('kill-write');
    const r = qcc(big, out, { FAULT_MODE: 'kill', FAULT_FN: 'writeFileSync', FAULT_AT: '2' });
    expect(r.signal).toBe('SIGKILL');
    expect(snapshot(out)).toEqual(before);
    for (const f of leftovers(out)) expect(f).toMatch(/^\.out\.tmp-/);
  });

  it('killed between moving the old folder away and the new one in: nothing at the path, never a mix', async () => {
    const { out } = await withPrevious('kill-swap');
    const r = qcc(big, out, { FAULT_MODE: 'kill', FAULT_FN: 'renameSync', FAULT_AT: '1' });
    expect(r.signal).toBe('SIGKILL');
    expect(existsSync(out)).toBe(false);
    // The previous output is still whole, in the hidden folder the swap moved it to.
    const old = leftovers(out).find((f) => f.endsWith('.old'));
    expect(old).toBeDefined();
    expect(snapshot(join(out, '..', old!)).get('Makefile')).toMatch(/^# Generated by qcc/);
  });

  it('a file size limit (ulimit -f, EFBIG on the weights): previous folder intact, no temp folder', async () => {
    const { out, before } = await withPrevious('efbig');
    const r = qcc(big, out, {}, "ulimit -f 256; trap '' XFSZ");
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/error\[E_IO\]/);
    expect(snapshot(out)).toEqual(before);
    expect(leftovers(out)).toEqual([]);
  });

  it('no previous folder: a failed compile leaves nothing', () => {
    const parent = join(root, 'fresh');
    mkdirSync(parent);
    const out = join(parent, 'out');
    const r = qcc(big, out, { FAULT_MODE: 'throw', FAULT_FN: 'writeFileSync', FAULT_AT: '4' });
    expect(r.status).toBe(1);
    expect(readdirSync(parent)).toEqual([]);
  });

  it('without faults the big model replaces the previous output', async () => {
    const { out, before } = await withPrevious('ok');
    const r = qcc(big, out);
    expect(r.status, r.stderr).toBe(0);
    const after = snapshot(out);
    expect(after.get('m_weights.h')).not.toEqual(before.get('m_weights.h'));
    expect(leftovers(out)).toEqual([]);
  });
});
