/**
 * `npm run bench [-- --filter name] [--quick]`: single-thread latency of one quantized layer compiled by qcc
 * for target `c` and target `x86-avx2`, against onnxruntime-node (1 intra-op thread, all graph optimizations).
 *
 * Each layer is a QLinearConv / QLinearMatMul model (u8 activations, s8 per-channel weights) written with
 * compiler/frontend/onnx/writer.ts. The generated C is timed inside a C harness (clock_gettime, batches of
 * iterations, median batch); ORT inside node (performance.now around session.run, median of many runs; this
 * includes node's binding overhead, which matters only for the smallest layers). Before timing, the x86-avx2
 * output is checked byte-for-byte against the generic c output on the same input.
 *
 * Weights come in two flavours: 'full' (per-channel symmetric s8 from Gaussian values, |w| up to 127: some
 * adjacent pair can saturate vpmaddubsw, so qcc picks its exact s16 kernels) and '7bit' (|w| <= 64, ORT's
 * reduce_range: no pair can saturate, qcc picks the u8 x s8 kernels).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { compileModel } from '../backends/c/compile.ts';
import { writeOutputFolder } from '../backends/output.ts';
import { getTarget } from '../backends/target.ts';
import { planConv, planMatmul } from '../backends/x86-avx2/emitters.ts';
import { loadOnnxBytes } from '../compiler/frontend/onnx/load.ts';
import { encodeModel } from '../compiler/frontend/onnx/writer.ts';
import { LAYERS, zooLayers, type Layer, type Weights } from './layers.ts';

const HARNESS = (prefix: string, MACRO: string, float: boolean) => `#define _POSIX_C_SOURCE 199309L
#define INPUT_OF(b) ${float ? '((float)(b) / 128.0f - 1.0f)' : '(b)'}
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "${prefix}.h"
/* CPU time of this thread: on a shared, loaded machine wall time mostly measures the other processes */
static double now(void) { struct timespec t; clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec; }
static int cmp(const void *a, const void *b) { double x = *(const double *)a, y = *(const double *)b; return x < y ? -1 : x > y; }
int main(int argc, char **argv) {
  static unsigned char arena[${MACRO}_ARENA_BYTES + 1] __attribute__((aligned(64)));
  static ${MACRO}_INPUT0_CTYPE in[${MACRO}_INPUT0_COUNT];
  static ${MACRO}_OUTPUT0_CTYPE out[${MACRO}_OUTPUT0_COUNT];
  double t[64], budget = argc > 2 ? atof(argv[2]) : 1.0;
  size_t i;
  int b, iters = 1, rc;
  FILE *f;
  unsigned s = 12345u;
  for (i = 0; i < ${MACRO}_INPUT0_COUNT; i++) { s = s * 1103515245u + 12345u; in[i] = (${MACRO}_INPUT0_CTYPE)(INPUT_OF(s >> 24)); }
  rc = ${prefix}_run(in, out, arena);
  if (rc != 0) { fprintf(stderr, "run failed %d\\n", rc); return 1; }
  f = fopen(argv[1], "wb"); if (!f) return 1; fwrite(out, 1, sizeof out, f); fclose(f);
  if (budget <= 0) { printf("0\\n"); return 0; } /* output only (--no-generic) */
  /* calibrate: a batch takes >= budget / 40 seconds */
  for (;;) { double t0 = now(); for (b = 0; b < iters; b++) ${prefix}_run(in, out, arena); if (now() - t0 >= budget / 40.0 || iters > (1 << 24)) break; iters *= 2; }
  for (b = 0; b < 41; b++) { double t0 = now(); int k; for (k = 0; k < iters; k++) ${prefix}_run(in, out, arena); t[b] = (now() - t0) / iters; }
  qsort(t, 41, sizeof t[0], cmp);
  printf("%.9f\\n", t[20]);
  return 0;
}
`;

function timeC(layer: Layer, w: Weights, target: string, work: string, budget: number): { sec: number; out: Uint8Array; kernel: string } {
  const g = loadOnnxBytes(encodeModel(layer.desc(w)));
  const kernel = target === 'c' ? 'generic' : w === 'model' ? `${g.nodes.length} nodes` : describePlan(g);
  const model = compileModel(g, { target, name: 'bench' });
  const dir = join(work, `${target}`);
  writeOutputFolder(dir, new Map([...model.files, ['bench_bench.c', HARNESS(model.name, model.name.toUpperCase(), layer.input.float ?? false)]]));
  const tc = getTarget(target).toolchain;
  const exe = join(dir, 'bench_exe');
  const b = spawnSync(tc.cc, [...tc.cflags.filter((f) => f !== '-std=c99'), '-std=c99', '-I', dir, '-o', exe, join(dir, 'bench.c'), join(dir, 'bench_bench.c')], { encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`build failed: ${b.stderr}`);
  const outFile = join(dir, 'out.bin');
  const r = spawnSync(exe, [outFile, String(budget)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`run failed: ${r.stderr}`);
  return { sec: Number(r.stdout.trim()), out: readFileSync(outFile), kernel };
}

function describePlan(g: ReturnType<typeof loadOnnxBytes>): string {
  const n = g.nodes[0]!;
  if (n.op === 'qlinear_conv') {
    const p = planConv(n);
    return p.kind === 'gemm' ? `gemm ${p.resid ? 'u8s8c' : p.family}` : p.kind === 'dw' ? 'depthwise s16' : p.kind === 'dwcl' ? 'depthwise s16 channels-last' : 'generic';
  }
  const p = planMatmul(n);
  return p.kind === 'packed' ? `matmul ${p.residT ? 'u8s8c' : p.family}` : 'generic';
}

async function timeOrt(layer: Layer, w: Weights, budget: number): Promise<number> {
  const bytes = encodeModel(layer.desc(w));
  const sess = await ort.InferenceSession.create(bytes, {
    intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all',
  });
  const n = layer.input.shape.reduce((a, b) => a * b, 1);
  const data = layer.input.float ? new Float32Array(n) : new Uint8Array(n);
  let s = 12345;
  for (let i = 0; i < n; i++) { s = (Math.imul(s, 1103515245) + 12345) >>> 0; data[i] = layer.input.float ? (s >>> 24) / 128 - 1 : s >>> 24; }
  const feeds = { [layer.input.name]: layer.input.float ? new ort.Tensor('float32', data, layer.input.shape) : new ort.Tensor('uint8', data, layer.input.shape) };
  for (let i = 0; i < 5; i++) await sess.run(feeds);
  // CPU time of the process (user + system) over batches of runs, median batch: like the C harness, this
  // does not count the time other processes on the shared machine take from us.
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
  let iters = 1;
  for (;;) {
    const a = cpu();
    for (let i = 0; i < iters; i++) await sess.run(feeds);
    if (cpu() - a >= budget / 40 || iters > 1 << 16) break;
    iters *= 2;
  }
  const times: number[] = [];
  for (let b = 0; b < 41; b++) {
    const a = cpu();
    for (let i = 0; i < iters; i++) await sess.run(feeds);
    times.push((cpu() - a) / iters);
  }
  await sess.release();
  times.sort((a, b) => a - b);
  return times[20]!;
}

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const filters = args.flatMap((a, i) => (args[i - 1] === '--filter' ? [a] : []));
const budget = quick ? 0.3 : 1.5;
const noGeneric = args.includes('--no-generic');
const load0 = loadavg();
const work = mkdtempSync(join(tmpdir(), 'qcc-bench-'));
mkdirSync(work, { recursive: true });
const gops = (macs: number, sec: number) => (2 * macs) / sec / 1e9;
const rows: string[] = [];
console.log(`load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} on ${cpus().length} CPUs; times are CPU time (thread / process), median of 41 batches`);
console.log(`single thread; C: ${getTarget('x86-avx2').toolchain.cflags.join(' ')}; ORT ${ort.env.versions.node ?? ''} (1 thread, all optimizations)`);
const header = '| layer | weights | qcc kernel (avx2) | c (generic) | x86-avx2 | x86-avx512vnni | onnxruntime-node | avx2 / ORT | vnni / ORT | avx2 / c |';
console.log(header);
rows.push(header, '|---|---|---|---|---|---|---|---|---|---|');
try {
  for (const layer of [...LAYERS, ...(await zooLayers())]) {
    if (filters.length && !filters.some((f) => layer.name.includes(f))) continue;
    for (const w of layer.flavours ?? (['full', '7bit'] as const)) {
      const c = timeC(layer, w, 'c', join(work, 'c'), noGeneric ? 0 : quick ? 0.3 : Math.min(budget, 1.0));
      const a = timeC(layer, w, 'x86-avx2', join(work, 'a'), budget);
      if (Buffer.compare(Buffer.from(c.out), Buffer.from(a.out)) !== 0) throw new Error(`${layer.name} (${w}): x86-avx2 output differs from c`);
      const v = timeC(layer, w, 'x86-avx512vnni', join(work, 'v'), budget);
      if (Buffer.compare(Buffer.from(c.out), Buffer.from(v.out)) !== 0) throw new Error(`${layer.name} (${w}): x86-avx512vnni output differs from c`);
      const o = await timeOrt(layer, w, budget);
      const fmt = (sec: number) => (sec > 0 ? `${(sec * 1e6).toFixed(1)} us, ${gops(layer.macs, sec).toFixed(1)} GOPS` : '-');
      const row = `| ${layer.name} | ${w} | ${a.kernel} | ${fmt(c.sec)} | ${fmt(a.sec)} | ${fmt(v.sec)} | ${fmt(o)} | ${(o / a.sec).toFixed(2)}x | ${(o / v.sec).toFixed(2)}x | ${c.sec > 0 ? `${(c.sec / a.sec).toFixed(1)}x` : '-'} |`;
      console.log(row);
      rows.push(row);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (args.includes('--write')) {
  const md = readFileSync('BENCHMARKS.md', 'utf8');
  const start = md.indexOf('<!-- bench:begin -->');
  const end = md.indexOf('<!-- bench:end -->');
  if (start >= 0 && end > start) {
    const la = (v: number[]) => v.map((x) => x.toFixed(1)).join(' ');
    const head = `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench -- ${args.join(' ')}\` (onnxruntime-node ${ort.env.versions.node ?? ''}, ` +
      `${cpus().length} CPUs, load average ${la(load0)} at the start, ${la(loadavg())} at the end; CPU times):\n\n`;
    writeFileSync('BENCHMARKS.md', md.slice(0, start) + '<!-- bench:begin -->\n' + head + rows.join('\n') + '\n' + md.slice(end));
    console.log('BENCHMARKS.md updated');
  }
}
