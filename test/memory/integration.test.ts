/**
 * Integration-ready C: two models compiled with different --name link into one program and both give the
 * interpreter's outputs; one model run by two pthreads with two arenas, many times, concurrently, gives
 * the interpreter's outputs every time; the generated objects have no writable globals (no data/bss
 * symbols in `nm`), so they are reentrant and ROM-friendly.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileModel, type CompiledModel } from '../../backends/c/compile.ts';
import { writeOutputFolder } from '../../backends/output.ts';
import { getTarget } from '../../backends/target.ts';
import { loadOnnxBytes } from '../../compiler/frontend/onnx/load.ts';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import type { Graph } from '../../compiler/ir/graph.ts';
import type { Tensor } from '../../compiler/ir/tensor.ts';
import { randomInputs } from '../../compiler/io/random-inputs.ts';
import { prepareGraph } from '../../compiler/passes/pipeline.ts';
import { floatResidualCnn, qResidualCnn } from '../util/gen-cnn.ts';
import { plannedModels } from './models.ts';

const work = mkdtempSync(join(tmpdir(), 'qcc-integration-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const CFLAGS = getTarget('c').toolchain.cflags;

function load(bytes: Uint8Array, name: string): Graph {
  const g = loadOnnxBytes(bytes, { name });
  prepareGraph(g, {});
  return g;
}

function cc(compiler: string, dir: string, args: string[]): void {
  const r = spawnSync(compiler, [...CFLAGS, '-I.', ...args], { cwd: dir, encoding: 'utf8' });
  expect(r.status, `${compiler} ${args.join(' ')}:\n${r.stderr}`).toBe(0);
}

/** Raw file of a tensor's bytes. */
const raw = (dir: string, file: string, t: Tensor) => writeFileSync(join(dir, file), t.bytes());

/** C statements reading a whole file into a buffer (the driver's helper, defined below). */
const DRIVER_HELPERS = `
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int read_file(const char *path, void *buf, size_t n) {
  FILE *f = fopen(path, "rb");
  size_t got;
  if (!f) return 1;
  got = fread(buf, 1, n, f);
  fclose(f);
  return got != n;
}
`;

describe('integration-ready C', () => {
  const a = load(qResidualCnn('net_a', 21, { size: 11, width: 6, blocks: 2, classes: 5 }).bytes, 'net_a');
  const b = load(floatResidualCnn('net_b', 22, { size: 9, width: 4, blocks: 1 }).bytes, 'net_b');
  const ma = compileModel(a, { target: 'c', name: 'net_a' });
  const mb = compileModel(b, { target: 'c', name: 'net_b' });

  it('two models with different --name link into one program and both equal the interpreter (gcc, clang)', () => {
    const dir = join(work, 'two');
    const files = new Map([...ma.files, ...mb.files]);
    for (const [k, v] of ma.files) if (k.startsWith('qcc_') && mb.files.has(k)) expect(mb.files.get(k), k).toBe(v);
    writeOutputFolder(dir, files);
    const fa = randomInputs(a, 5);
    const fb = randomInputs(b, 6);
    raw(dir, 'a_in.bin', fa.get(a.inputs[0]!.name)!);
    raw(dir, 'b_in.bin', fb.get(b.inputs[0]!.name)!);
    const wa = interpret(a, fa).get(a.outputs[0]!.name)!;
    const wb = interpret(b, fb).get(b.outputs[0]!.name)!;
    raw(dir, 'a_want.bin', wa);
    raw(dir, 'b_want.bin', wb);
    writeFileSync(join(dir, 'both.c'), `${DRIVER_HELPERS}
#include "net_a.h"
#include "net_b.h"
static unsigned char arena_a[NET_A_ARENA_BYTES + 1] __attribute__((aligned(NET_A_ARENA_ALIGN)));
static unsigned char arena_b[NET_B_ARENA_BYTES + 1] __attribute__((aligned(NET_B_ARENA_ALIGN)));
int main(void) {
  static NET_A_INPUT0_CTYPE ia[NET_A_INPUT0_COUNT];
  static NET_A_OUTPUT0_CTYPE oa[NET_A_OUTPUT0_COUNT], wa[NET_A_OUTPUT0_COUNT];
  static NET_B_INPUT0_CTYPE ib[NET_B_INPUT0_COUNT];
  static NET_B_OUTPUT0_CTYPE ob[NET_B_OUTPUT0_COUNT], wb[NET_B_OUTPUT0_COUNT];
  int k;
  if (read_file("a_in.bin", ia, sizeof ia) || read_file("b_in.bin", ib, sizeof ib)) return 2;
  if (read_file("a_want.bin", wa, sizeof wa) || read_file("b_want.bin", wb, sizeof wb)) return 2;
  for (k = 0; k < 3; k++) { /* interleaved, so neither model depends on state the other leaves */
    if (net_a_run(ia, oa, arena_a) != NET_A_OK || net_b_run(ib, ob, arena_b) != NET_B_OK) return 3;
    if (memcmp(oa, wa, sizeof oa) != 0) { printf("net_a differs\\n"); return 4; }
    if (memcmp(ob, wb, sizeof ob) != 0) { printf("net_b differs\\n"); return 5; }
  }
  printf("ok\\n");
  return 0;
}
`);
    for (const compiler of ['gcc', 'clang']) {
      cc(compiler, dir, ['both.c', 'net_a.c', 'net_b.c', '-o', `both_${compiler}`]);
      const r = spawnSync(join(dir, `both_${compiler}`), [], { cwd: dir, encoding: 'utf8' });
      expect(`${r.status} ${r.stdout}`, compiler).toBe('0 ok\n');
    }
  });

  it('reentrant: two pthreads with two arenas run one model concurrently, every output equals the interpreter', () => {
    const dir = join(work, 'threads');
    writeOutputFolder(dir, ma.files);
    const feeds = [randomInputs(a, 31), randomInputs(a, 32)];
    feeds.forEach((f, i) => {
      raw(dir, `in${i}.bin`, f.get(a.inputs[0]!.name)!);
      raw(dir, `want${i}.bin`, interpret(a, f).get(a.outputs[0]!.name)!);
    });
    expect(readFileSync(join(dir, 'want0.bin')).equals(readFileSync(join(dir, 'want1.bin')))).toBe(false);
    writeFileSync(join(dir, 'threads.c'), `#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
${DRIVER_HELPERS}
#include "net_a.h"
#define RUNS 300
typedef struct {
  NET_A_INPUT0_CTYPE in[NET_A_INPUT0_COUNT];
  NET_A_OUTPUT0_CTYPE out[NET_A_OUTPUT0_COUNT], want[NET_A_OUTPUT0_COUNT];
  unsigned char arena[NET_A_ARENA_BYTES + 1] __attribute__((aligned(NET_A_ARENA_ALIGN)));
  int bad;
} job;
static void *work(void *p) {
  job *j = (job *)p;
  int k;
  for (k = 0; k < RUNS; k++) {
    memset(j->out, 0xA5, sizeof j->out);
    if (net_a_run(j->in, j->out, j->arena) != NET_A_OK || memcmp(j->out, j->want, sizeof j->out) != 0) j->bad++;
  }
  return NULL;
}
static job jobs[2];
int main(void) {
  pthread_t t[2];
  int i;
  for (i = 0; i < 2; i++) {
    char a[32], b[32];
    sprintf(a, "in%d.bin", i);
    sprintf(b, "want%d.bin", i);
    if (read_file(a, jobs[i].in, sizeof jobs[i].in) || read_file(b, jobs[i].want, sizeof jobs[i].want)) return 2;
  }
  for (i = 0; i < 2; i++) if (pthread_create(&t[i], NULL, work, &jobs[i]) != 0) return 3;
  for (i = 0; i < 2; i++) pthread_join(t[i], NULL);
  printf("%d %d\\n", jobs[0].bad, jobs[1].bad);
  return 0;
}
`);
    for (const compiler of ['gcc', 'clang']) {
      cc(compiler, dir, ['-pthread', 'threads.c', 'net_a.c', '-o', `threads_${compiler}`]);
      const r = spawnSync(join(dir, `threads_${compiler}`), [], { cwd: dir, encoding: 'utf8' });
      expect(`${r.status} ${r.stdout}`, compiler).toBe('0 0 0\n');
    }
  });

  // D/d data, B/b bss, C common, G/g and S/s small data, V/v weak objects: all writable.
  const writableSymbols = (nmOut: string) => nmOut.split('\n').filter((l) => /^\S*\s+[DdBbCGgSsVv]\s/.test(l));

  it('the nm check sees writable globals when there are some', () => {
    const dir = join(work, 'nm-probe');
    writeOutputFolder(dir, new Map([['probe.c', 'static int counter;\nint table[4] = {1, 2, 3, 4};\nint bump(void) { return ++counter + table[0]; }\n']]));
    cc('gcc', dir, ['-c', 'probe.c', '-fno-common', '-o', 'probe.o']);
    const r = spawnSync('nm', ['probe.o'], { cwd: dir, encoding: 'utf8' });
    expect(writableSymbols(r.stdout).map((l) => l.trim().split(/\s+/).pop())).toEqual(expect.arrayContaining(['counter', 'table']));
  });

  it('no mutable globals: nm shows no data or bss symbols in any model object', () => {
    const models: CompiledModel[] = [ma, mb, ...plannedModels().map((m) => m.model)];
    for (const m of models) {
      const dir = join(work, 'nm', m.name);
      writeOutputFolder(dir, m.files);
      for (const [compiler, opts] of [['gcc', ['-O2']], ['clang', ['-O2']]] as const) {
        for (const opt of opts) {
          cc(compiler, dir, ['-c', `${m.name}.c`, opt, '-fno-common', '-o', `model_${compiler}${opt}.o`]);
          const r = spawnSync('nm', [`model_${compiler}${opt}.o`], { cwd: dir, encoding: 'utf8' });
          expect(r.status).toBe(0);
          const syms = r.stdout.split('\n').filter((l) => l.trim() !== '');
          expect(writableSymbols(r.stdout), `${m.name} ${compiler} ${opt}`).toEqual([]);
          expect(syms.some((l) => / T \w+_run$/.test(l))).toBe(true);
        }
      }
    }
  });
});
