/**
 * `npm run profile -- <model> [--target T ...] [--budget S]`: CPU time per node of the generated C.
 *
 * <model> is a zoo name (ds_cnn, resnet8, autoencoder, mobilenetv2, mobilenetv2-224: QOperator form, u8
 * activations, as in `npm run bench`) or a path to an .onnx file with static shapes. The model is compiled
 * with the debug hook (`<name>_run_debug`, the same node code as `<name>_run`), and the hook reads the monotonic
 * clock after every node; a node's time is the clock difference to the previous hook call. The hook costs
 * two clock reads per node output (tens of ns), so the total is a little above the plain run's time; the
 * shares are what this is for. Runs are repeated for about `--budget` seconds and each node's median kept
 * (wall time: on a loaded machine the median still skips the runs another process interrupted).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileModel } from '../backends/c/compile.ts';
import { writeOutputFolder } from '../backends/output.ts';
import { getTarget } from '../backends/target.ts';
import { describeNode, loadBenchModel } from './model-spec.ts';

const HARNESS = (prefix: string, MACRO: string, dumps: number) => `#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "${prefix}.h"
#define ND ${dumps}
/* CLOCK_MONOTONIC: a vDSO read (~20 ns; the thread CPU clock is a system call, ~200 ns, too coarse per node);
 * the median over many runs filters out the runs where another process took the CPU */
static double now(void) { struct timespec t; clock_gettime(CLOCK_MONOTONIC, &t); return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec; }
typedef struct { double last; int k; double *row; } prof;
static void hook(void *user, const char *name, int dtype, const void *data, size_t bytes) {
  prof *p = (prof *)user;
  double t = now();
  (void)name; (void)dtype; (void)data; (void)bytes;
  p->row[p->k++] = t - p->last;
  p->last = now();
}
static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }
int main(int argc, char **argv) {
  static unsigned char arena[${MACRO}_ARENA_BYTES + 1] __attribute__((aligned(64)));
  static ${MACRO}_INPUT0_CTYPE in[${MACRO}_INPUT0_COUNT];
  static ${MACRO}_OUTPUT0_CTYPE out[${MACRO}_OUTPUT0_COUNT];
  double budget = argc > 1 ? atof(argv[1]) : 1.0, t0, *rows, *col;
  int runs = 0, cap = 1 << 16, i, r;
  unsigned s = 12345u;
  prof p;
  for (i = 0; i < (int)${MACRO}_INPUT0_COUNT; i++) { s = s * 1103515245u + 12345u; in[i] = (${MACRO}_INPUT0_CTYPE)(s >> 24); }
  rows = (double *)malloc(sizeof(double) * (size_t)cap * ND);
  col = (double *)malloc(sizeof(double) * (size_t)cap);
  if (!rows || !col) return 1;
  for (i = 0; i < 3; i++) ${prefix}_run(in, out, arena);
  t0 = now();
  while (runs < cap && (now() - t0 < budget || runs < 5)) {
    p.row = rows + (size_t)runs * ND; p.k = 0; p.last = now();
    if (${prefix}_run_debug(in, out, arena, hook, &p) != 0) return 2;
    runs++;
  }
  for (i = 0; i < ND; i++) {
    for (r = 0; r < runs; r++) col[r] = rows[(size_t)r * ND + i];
    qsort(col, (size_t)runs, sizeof col[0], cmp);
    printf("%.9f\\n", col[runs / 2]);
  }
  return 0;
}
`;

const args = process.argv.slice(2);
const spec = args.find((a, i) => !a.startsWith('--') && !['--target', '--budget'].includes(args[i - 1] ?? ''));
if (!spec) {
  console.error('usage: npm run profile -- <zoo name | model.onnx> [--target T ...] [--budget seconds]');
  process.exit(2);
}
const targets = args.flatMap((a, i) => (args[i - 1] === '--target' ? [a] : []));
const budget = Number(args.find((_, i) => args[i - 1] === '--budget') ?? '1');
const g = await loadBenchModel(spec);
const work = mkdtempSync(join(tmpdir(), 'qcc-profile-'));
try {
  const cols: { target: string; times: number[] }[] = [];
  let names: string[] = [];
  for (const target of targets.length ? targets : ['x86-avx2']) {
    const model = compileModel(g, { target, name: 'prof', debugDump: true });
    const dumps = model.dumps ?? [];
    names = dumps.map((d) => d.name);
    const dir = join(work, target);
    writeOutputFolder(dir, new Map([...model.files, ['prof_profile.c', HARNESS(model.name, model.name.toUpperCase(), dumps.length)]]));
    const tc = getTarget(target).toolchain;
    const exe = join(dir, 'prof_exe');
    const b = spawnSync(tc.cc, [...tc.cflags.filter((f) => f !== '-std=c99'), '-std=c99', '-I', dir, '-o', exe, join(dir, 'prof.c'), join(dir, 'prof_profile.c')], { encoding: 'utf8' });
    if (b.status !== 0) throw new Error(`build failed: ${b.stderr}`);
    const r = spawnSync(exe, [String(budget)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`run failed (${r.status}): ${r.stderr}`);
    cols.push({ target, times: r.stdout.trim().split('\n').map(Number) });
  }
  const us = (s: number) => (s * 1e6).toFixed(1);
  console.log(`| node | layer | MACs | ${cols.map((c) => `${c.target} us | %`).join(' | ')} |`);
  console.log(`|---|---|---|${cols.map(() => '---|---').join('|')}|`);
  const totals = cols.map((c) => c.times.reduce((a, b) => a + b, 0));
  names.forEach((name, i) => {
    const d = describeNode(g, name);
    const cells = cols.map((c, j) => `${us(c.times[i]!)} | ${((100 * c.times[i]!) / totals[j]!).toFixed(1)}`);
    const gops = d.macs ? ` (${((2 * d.macs) / cols[0]!.times[i]! / 1e9).toFixed(0)} GOPS)` : '';
    console.log(`| ${d.node} | ${d.what} | ${d.macs}${gops} | ${cells.join(' | ')} |`);
  });
  console.log(`| total | | | ${totals.map((t) => `${us(t)} | 100`).join(' | ')} |`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
