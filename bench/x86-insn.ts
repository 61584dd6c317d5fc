/**
 * `npm run bench:x86-insn [-- --filter text] [--cpu EPYC-Milan] [--per-node] [--write]` (--write: the table into
 * BENCHMARKS.md; --per-node: each zoo model's conv/matmul nodes as one-node models): instructions per inference of qcc's
 * x86-avx2 code and of onnxruntime-node, both under qemu-x86_64 with an AVX2-only CPU model (default
 * EPYC-Milan, i.e. Zen 3: AVX2 + FMA, no AVX-512).
 *
 * Why: the timed bench (bench/run.ts) runs on whatever host it gets; on an AVX-512 VNNI host ORT's MLAS
 * dispatches its 512-bit VNNI kernels, so the x86-avx2 column is compared with a wider ISA. Under qemu with a
 * Zen 3 CPU model MLAS sees AVX2 only and runs the AVX2 kernels it would run on the issue's Zen 3 machine
 * (the per-mnemonic counts show vpmaddubsw/vpmaddwd and no vpdpbusd). Instruction counts are not time, but
 * int8 GEMMs on AVX2 are bound by the same multiply ports on both sides, so counts compare the kernels'
 * work; time still comes only from bench/run.ts.
 *
 * How: counts come from the TCG plugin in tools/qemu-insncount. qcc's harness runs the model R times; ORT
 * runs inside node (a plain .mjs runner written to the work folder), R times. Each side is counted at R = 1
 * and R = 1 + D and the per-inference count is the difference / D, which cancels process start-up, node's
 * start-up and the session creation. ORT's runner does 20 warm-up runs first in both counts (node's JIT and
 * ORT's first-run allocations settle there); node still varies by a few million instructions from process
 * to process (it runs with --single-threaded, so no V8 helper threads), so D is chosen to make the difference
 * ~1e9 instructions (up to 4000 runs for the smallest models).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { compileModel } from '../backends/c/compile.ts';
import { writeOutputFolder } from '../backends/output.ts';
import { getTarget } from '../backends/target.ts';
import { loadOnnxBytes } from '../compiler/frontend/onnx/load.ts';
import { encodeModel } from '../compiler/frontend/onnx/writer.ts';
import { LAYERS, nodeLayers, zooLayers, type Layer, type Weights } from './layers.ts';

const ROOT = resolve(import.meta.dirname, '..');

const HARNESS = (prefix: string, MACRO: string, float: boolean) => `#include <stdio.h>
#include <stdlib.h>
#include "${prefix}.h"
int main(int argc, char **argv) {
  static unsigned char arena[${MACRO}_ARENA_BYTES + 1] __attribute__((aligned(64)));
  static ${MACRO}_INPUT0_CTYPE in[${MACRO}_INPUT0_COUNT];
  static ${MACRO}_OUTPUT0_CTYPE out[${MACRO}_OUTPUT0_COUNT];
  int r, reps = argc > 1 ? atoi(argv[1]) : 1;
  size_t i;
  unsigned s = 12345u;
  for (i = 0; i < ${MACRO}_INPUT0_COUNT; i++) { s = s * 1103515245u + 12345u; in[i] = (${MACRO}_INPUT0_CTYPE)(${float ? '(float)(s >> 24) / 128.0f - 1.0f' : 's >> 24'}); }
  for (r = 0; r < reps; r++) if (${prefix}_run(in, out, arena) != 0) return 1;
  return (int)out[0] & 0; /* keeps the output live */
}
`;

const ORT_RUNNER = (ortIndex: string) => `import * as ort from ${JSON.stringify(ortIndex)};
import { readFileSync } from 'node:fs';
const [file, reps, warm] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
const sess = await ort.InferenceSession.create(readFileSync(file), {
  intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
const meta = sess.inputMetadata[0];
const n = meta.shape.reduce((a, b) => a * b, 1);
const float = meta.type === 'float32';
const data = float ? new Float32Array(n) : new Uint8Array(n);
let s = 12345;
for (let i = 0; i < n; i++) { s = (Math.imul(s, 1103515245) + 12345) >>> 0; data[i] = float ? (s >>> 24) / 128 - 1 : s >>> 24; }
const feeds = { [meta.name]: new ort.Tensor(float ? 'float32' : 'uint8', data, meta.shape) };
// the same warm-up in both counts, so node's JIT and the session's first-run work are done before the runs
// whose instructions the difference keeps
for (let i = 0; i < warm + reps; i++) await sess.run(feeds);
`;

function sh(cmd: string[], what: string): string {
  const r = spawnSync(cmd[0]!, cmd.slice(1), { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (r.error || r.status !== 0) throw new Error(`${what} failed (${r.error?.message ?? r.status}): ${r.stderr.slice(-2000)}`);
  return r.stdout + r.stderr;
}

const args = process.argv.slice(2);
const filters = args.flatMap((a, i) => (args[i - 1] === '--filter' ? [a] : []));
const cpu = args.find((_, i) => args[i - 1] === '--cpu') ?? 'EPYC-Milan';
const mnemonics = ['vpmaddubsw', 'vpmaddwd', 'vpdpbusd'];
const work = mkdtempSync(join(tmpdir(), 'qcc-x86-insn-'));
const plugin = join(work, 'libinsncount.so');
sh(['gcc', '-O2', '-shared', '-fPIC', '-o', plugin, join(ROOT, 'tools/qemu-insncount/insncount.c')], 'building the qemu plugin');
const runner = join(work, 'ort-run.mjs');
writeFileSync(runner, ORT_RUNNER(join(ROOT, 'node_modules/onnxruntime-node/dist/index.js')));

/** Total and per-mnemonic counts of one run under qemu. */
function count(cmd: string[]): { total: number; per: Map<string, number> } {
  const out = sh(['qemu-x86_64', '-cpu', cpu, '-d', 'plugin', '-plugin', `${plugin},top=100000`, ...cmd], `qemu ${cmd[0]}`);
  const total = Number(/total executed guest instructions = (\d+)/.exec(out)?.[1] ?? NaN);
  const per = new Map<string, number>();
  for (const m of out.matchAll(/insncount: (\S+)\s+(\d+)$/gm)) per.set(m[1]!, Number(m[2]));
  if (!Number.isFinite(total)) throw new Error(`no count in qemu output: ${out.slice(-500)}`);
  return { total, per };
}
function perRun(cmd: (reps: number) => string[], d: number): { total: number; per: Map<string, number> } {
  const a = count(cmd(1)), b = count(cmd(1 + d));
  const per = new Map<string, number>();
  for (const m of mnemonics) per.set(m, ((b.per.get(m) ?? 0) - (a.per.get(m) ?? 0)) / d);
  return { total: (b.total - a.total) / d, per };
}

function buildC(layer: Layer, w: Weights, target: string): string {
  const model = compileModel(loadOnnxBytes(encodeModel(layer.desc(w))), { target, name: 'insn' });
  const dir = join(work, `${target}`);
  rmSync(dir, { recursive: true, force: true });
  writeOutputFolder(dir, new Map([...model.files, ['insn_main.c', HARNESS(model.name, model.name.toUpperCase(), layer.input.float ?? false)]]));
  const tc = getTarget(target).toolchain;
  const exe = join(dir, 'insn_exe');
  sh([tc.cc, ...tc.cflags.filter((f) => f !== '-std=c99'), '-std=c99', '-I', dir, '-o', exe, join(dir, 'insn.c'), join(dir, 'insn_main.c')], 'C build');
  return exe;
}

const M = (n: number) => `${(n / 1e6).toFixed(2)} M`;
const mix = (p: Map<string, number>) => mnemonics.filter((m) => (p.get(m) ?? 0) > 0).map((m) => `${m} ${M(p.get(m)!)}`).join(', ') || '-';
const rows = [
  `qemu-x86_64 -cpu ${cpu}; instructions per inference (count at 1 + D runs minus count at 1 run, / D)`,
  '| layer | weights | x86-avx2 | onnxruntime-node (AVX2) | ORT / qcc | qcc multiplies | ORT multiplies |',
  '|---|---|---|---|---|---|---|',
];
for (const r of rows) console.log(r);
try {
  const zoo = await zooLayers();
  for (const layer of [...LAYERS, ...zoo, ...(args.includes('--per-node') ? zoo.flatMap(nodeLayers) : [])]) {
    if (filters.length && !filters.some((f) => layer.name.includes(f))) continue;
    for (const w of layer.flavours ?? (['full', '7bit'] as const)) {
      const exe = buildC(layer, w, 'x86-avx2');
      const q = perRun((reps) => [exe, String(reps)], 2);
      const file = join(work, 'model.onnx');
      writeFileSync(file, encodeModel(layer.desc(w)));
      // D so that the extra runs add ~1e9 instructions: node's count varies by a few million instructions from
      // process to process (GC, JIT), which must stay well under 1% of the difference
      const d = Math.max(4, Math.min(4000, Math.ceil(1e9 / Math.max(q.total, 1))));
      const o = perRun((reps) => [process.execPath, '--single-threaded', runner, file, String(reps), '20'], d);
      if (o.per.get('vpdpbusd')) throw new Error(`ORT used VNNI under -cpu ${cpu}: not an AVX2 comparison`);
      const row = `| ${layer.name} | ${w} | ${M(q.total)} | ${M(o.total)} | ${(o.total / q.total).toFixed(2)}x | ${mix(q.per)} | ${mix(o.per)} |`;
      console.log(row);
      rows.push(row);
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (args.includes('--out')) writeFileSync(args[args.indexOf('--out') + 1]!, rows.join('\n') + '\n');
if (args.includes('--write')) {
  // BENCHMARKS.md between its x86insn markers
  const md = readFileSync('BENCHMARKS.md', 'utf8');
  const start = md.indexOf('<!-- x86insn:begin -->');
  const end = md.indexOf('<!-- x86insn:end -->');
  if (start < 0 || end < start) throw new Error('BENCHMARKS.md has no x86insn markers');
  const head = `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench:x86-insn -- ${args.join(' ')}\`; ${rows[0]}:\n\n`;
  writeFileSync('BENCHMARKS.md', md.slice(0, start) + '<!-- x86insn:begin -->\n' + head + rows.slice(1).join('\n') + '\n' + md.slice(end));
  console.log('BENCHMARKS.md updated');
}

