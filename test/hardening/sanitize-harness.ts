/**
 * Builds a compiled model with its own strict driver instead of the generated harness: every input,
 * output and the arena is its own heap block of exactly the declared size (the generated harness uses
 * static arrays with alignment slack), so AddressSanitizer sees any read or write past any of them.
 * Under QCC_SANITIZE=1 (npm run test:sanitize) the build adds ASan + UBSan; otherwise it is a plain
 * strict build (the normal suite still checks the results).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CompiledModel } from '../../backends/c/compile.ts';
import { SANITIZE_CFLAGS } from '../../backends/run.ts';
import { STRICT_CFLAGS } from '../../backends/target.ts';
import { Tensor } from '../../compiler/ir/tensor.ts';

export const SANITIZING = process.env['QCC_SANITIZE'] === '1';

function driver(m: CompiledModel): string {
  const P = m.name;
  const M = P.toUpperCase();
  const nIn = m.inputs.length;
  const nOut = m.outputs.length;
  return `#define _POSIX_C_SOURCE 200112L
#include <stdio.h>
#include <stdlib.h>
#include "${P}.h"
/* Exactly n bytes (1 for empty tensors, so the pointer is not NULL). */
static void *block(size_t n) { void *p = malloc(n ? n : 1); if (!p) exit(3); return p; }
static void *load(const char *path, size_t n) {
  void *p = block(n);
  FILE *f = fopen(path, "rb");
  if (!f || fread(p, 1, n, f) != n) exit(3);
  fclose(f);
  return p;
}
int main(int argc, char **argv) {
  const void *ins[${Math.max(1, nIn)}];
  void *outs[${Math.max(1, nOut)}];
  void *arena = NULL;
  int rc;
  if (argc != ${1 + nIn + nOut}) return 2;
${m.inputs.map((_, i) => `  ins[${i}] = load(argv[${1 + i}], ${M}_INPUT${i}_BYTES);`).join('\n')}
${m.outputs.map((_, i) => `  outs[${i}] = block(${M}_OUTPUT${i}_BYTES);`).join('\n')}
  if (posix_memalign(&arena, ${M}_ARENA_ALIGN, ${M}_ARENA_BYTES ? ${M}_ARENA_BYTES : 1) != 0) return 3;
  rc = ${P}_run_v(ins, outs, arena);
  if (rc != 0) return 4;
${m.outputs
  .map(
    (_, i) => `  { FILE *f = fopen(argv[${1 + nIn + i}], "wb"); if (!f || fwrite(outs[${i}], 1, ${M}_OUTPUT${i}_BYTES, f) != ${M}_OUTPUT${i}_BYTES) return 3; fclose(f); }`,
  )
  .join('\n')}
${m.inputs.map((_, i) => `  free((void *)ins[${i}]);`).join('\n')}
${m.outputs.map((_, i) => `  free(outs[${i}]);`).join('\n')}
  free(arena);
  return 0;
}
`;
}

export interface StrictBuild {
  dir: string;
  /** Runs on inputs in model order; outputs in model order, or the failure (exit status and stderr). */
  run(inputs: readonly Tensor[]): { ok: true; outputs: Tensor[] } | { ok: false; status: number | null; stderr: string };
  dispose(): void;
}

export function buildStrict(m: CompiledModel, cc: string): StrictBuild {
  const dir = mkdtempSync(join(tmpdir(), 'qcc-strict-'));
  for (const [rel, text] of m.files) writeFileSync(join(dir, rel), text);
  writeFileSync(join(dir, 'strict_driver.c'), driver(m));
  const flags = [...STRICT_CFLAGS, ...(SANITIZING ? SANITIZE_CFLAGS : [])];
  const b = spawnSync(cc, [...flags, '-I.', '-o', 'strict', `${m.name}.c`, 'strict_driver.c'], { cwd: dir, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`${cc} failed:\n${b.stderr}`);
  let runs = 0;
  return {
    dir,
    run(inputs) {
      const k = runs++;
      const args: string[] = [];
      inputs.forEach((t, i) => {
        const p = join(dir, `in${k}_${i}.bin`);
        writeFileSync(p, t.bytes());
        args.push(p);
      });
      const outPaths = m.outputs.map((_, i) => join(dir, `out${k}_${i}.bin`));
      const r = spawnSync(join(dir, 'strict'), [...args, ...outPaths], {
        encoding: 'utf8',
        env: { ...process.env, ASAN_OPTIONS: 'detect_leaks=0:halt_on_error=1', UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1' },
      });
      if (r.status !== 0) return { ok: false, status: r.status, stderr: r.stderr };
      const outputs = m.outputs.map((io, i) => {
        const t = new Tensor(io.type.dtype, io.type.shape);
        t.bytes().set(readFileSync(outPaths[i]!));
        return t;
      });
      return { ok: true, outputs };
    },
    dispose() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
