/**
 * Pieces shared by the C parity tests that write a small C driver into a temp dir, build it against
 * runtime-c/ with gcc or clang under the strict flags, run it, and compare its output with the interpreter.
 */
import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import { STRICT_CFLAGS } from '../../backends/target.ts';
import { REPO_ROOT } from './models.ts';

export const RUNTIME_DIR = resolve(REPO_ROOT, 'runtime-c');
/** -std=c99 -O2 -Wall -Wextra -Werror -ffp-contract=off. */
export const CFLAGS = STRICT_CFLAGS;
export const COMPILERS = ['gcc', 'clang'] as const;

/** Lower-case hex of the bytes, as the drivers' dump() prints them. */
export const hexBytes = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
/** A C initializer list of the bytes ("0" when empty: C99 has no empty initializers). */
export const bytesInit = (b: Uint8Array): string => (b.length ? Array.from(b).join(',') : '0');

/** C lines of `dump(c, p, n)`: prints "c hex" for the n bytes at p (needs <stdio.h>). */
export const DUMP_C: readonly string[] = [
  'static void dump(int c, const void *p, size_t n) {',
  '  const uint8_t *b = (const uint8_t *)p;',
  '  size_t i;',
  '  printf("%d ", c);',
  '  for (i = 0; i < n; i++) printf("%02x", b[i]);',
  '  printf("\\n");',
  '}',
];

/** Compiles `dir/<cFile>` with `cc` to `dir/<exeName>` (strict flags, -I runtime-c); returns the executable's path. */
export function buildC(dir: string, cc: string, cFile: string, exeName: string): string {
  const exe = join(dir, exeName);
  execFileSync(cc, [...CFLAGS, '-I', RUNTIME_DIR, join(dir, cFile), '-o', exe], { stdio: 'pipe' });
  return exe;
}

/** Builds `dir/main.c` with `cc`, runs it and returns its stdout lines. */
export function buildAndRunDriver(dir: string, cc: string): string[] {
  const exe = buildC(dir, cc, 'main.c', `main-${cc}`);
  return execFileSync(exe, { encoding: 'utf8', maxBuffer: 64 << 20 }).trim().split('\n');
}
