import { mkdirSync, mkdtempSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { QccError } from '../compiler/errors.ts';

export interface WriteOutputOptions {
  /** Test hook: called before each file is written (index in iteration order); may throw. */
  beforeWrite?: (relPath: string, index: number) => void;
  /** Test hook: called after everything is written, just before the swap; may throw. */
  beforeSwap?: () => void;
}

/** Checks that a file name of the output map stays inside the folder. */
function checkRelPath(p: string): void {
  const parts = p.split('/');
  if (p === '' || p.startsWith('/') || p.includes('\\') || parts.some((s) => s === '' || s === '.' || s === '..')) {
    throw new Error(`internal: output file name '${p}' is not a plain relative path`);
  }
}

const ioError = (msg: string, cause: unknown): QccError =>
  new QccError('E_IO', `${msg}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });

/**
 * Writes `files` as the whole content of folder `dir`, atomically as far as the file system allows:
 * everything goes into a fresh temp folder beside `dir`, then the old folder is renamed away, the new one
 * renamed in, and the old one deleted. On any failure the temp folder is removed and the previous folder
 * (or nothing, if there was none) stays in place.
 */
export function writeOutputFolder(dir: string, files: ReadonlyMap<string, string | Uint8Array>, opts: WriteOutputOptions = {}): void {
  for (const p of files.keys()) checkRelPath(p);
  const dest = resolve(dir);
  const parent = dirname(dest);
  const base = basename(dest);
  try {
    const st = statSync(dest, { throwIfNoEntry: false });
    if (st && !st.isDirectory()) throw new Error(`'${dir}' exists and is not a folder`);
    mkdirSync(parent, { recursive: true });
  } catch (e) {
    throw ioError(`cannot write output folder '${dir}'`, e);
  }
  let tmp: string;
  try {
    tmp = mkdtempSync(join(parent, `.${base}.tmp-`));
  } catch (e) {
    throw ioError(`cannot create a temporary folder in '${parent}'`, e);
  }
  try {
    let i = 0;
    for (const [rel, content] of files) {
      opts.beforeWrite?.(rel, i++);
      const path = join(tmp, rel);
      if (rel.includes('/')) mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, content);
    }
    opts.beforeSwap?.();
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw e instanceof QccError ? e : ioError(`writing '${dir}' failed`, e);
  }
  const old = statSync(dest, { throwIfNoEntry: false }) ? `${tmp}.old` : null;
  try {
    if (old) renameSync(dest, old);
  } catch (e) {
    rmSync(tmp, { recursive: true, force: true });
    throw ioError(`cannot replace '${dir}'`, e);
  }
  try {
    renameSync(tmp, dest);
  } catch (e) {
    // Put the previous folder back before reporting.
    if (old) {
      try {
        renameSync(old, dest);
      } catch {
        /* the old content stays at `old`; the message names it */
      }
    }
    rmSync(tmp, { recursive: true, force: true });
    throw ioError(`cannot move the new output into '${dir}'`, e);
  }
  if (old) rmSync(old, { recursive: true, force: true });
}
