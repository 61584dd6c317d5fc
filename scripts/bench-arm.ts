/**
 * `npm run bench:arm`: executed aarch64 instructions per MAC of the generated code for the benchmark
 * layers of issue 4, generic `c` vs `arm-neon` vs `arm-neon-dotprod` vs `arm-neon-i8mm`, counted under qemu-aarch64 with the
 * TCG plugin in tools/qemu-insncount (built here with the host gcc). Counts are deterministic; wall time
 * under qemu means nothing, so none is reported.
 *
 * Each layer is one QLinearConv / QLinearMatMul node (u8 activations, symmetric s8 weights in [-127, 127],
 * per-channel scales), compiled like `qcc compile --target T`, linked with a driver that runs it R times;
 * instructions per run = count(R = 2) - count(R = 1), which removes process start-up and I/O.
 * Usage: npm run bench:arm [-- --quick] [--markdown] [--only <substring>] [--targets c,arm-neon,arm-neon-dotprod,arm-neon-i8mm] [--top N]
 *   (--quick: the 224x224 first layer at 112x112; --only: the layers whose label contains the substring;
 *   --no-models: without the whole zoo models, which follow the layers with instructions per inference;
 *   --targets: a subset of the four columns, the others print '-')
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileModel } from '../backends/c/compile.ts';
import { getTarget } from '../backends/target.ts';
import { ARM_CC, ARM_QEMU } from '../backends/arm-neon/target.ts';
import { convCase, matmulCase, prng, type BuiltCase } from '../backends/arm-neon/testing/cases.ts';
import { getOpDef, hasOpDef } from '../compiler/ops/registry.ts';
import { loadOnnxBytes } from '../compiler/frontend/onnx/load.ts';
import { encodeModel } from '../compiler/frontend/onnx/writer.ts';
import { Tensor, shapeSize } from '../compiler/ir/tensor.ts';
import { loadZoo } from '../bench/model-spec.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const quick = process.argv.includes('--quick');
const markdown = process.argv.includes('--markdown');
const fl = quick ? 112 : 224;
const argAfter = (flag: string): string | undefined => {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const only = argAfter('--only');
const wanted = argAfter('--targets')?.split(',');
const top = Number(argAfter('--top') ?? 0);

const layers: BuiltCase[] = [
  convCase({ label: `conv 3->32 3x3 s2 p1 @${fl}x${fl}`, xd: 'u8', wd: 'i8', yd: 'u8', c: 3, m: 32, sp: [fl, fl], k: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], bias: 'random', symmetricWeights: true, seed: 1 }),
  convCase({ label: 'conv 64->64 3x3 p1 @56x56', xd: 'u8', wd: 'i8', yd: 'u8', c: 64, m: 64, sp: [56, 56], k: [3, 3], pads: [1, 1, 1, 1], bias: 'random', symmetricWeights: true, seed: 2 }),
  convCase({ label: 'conv 256->256 1x1 @14x14', xd: 'u8', wd: 'i8', yd: 'u8', c: 256, m: 256, sp: [14, 14], k: [1, 1], bias: 'random', symmetricWeights: true, seed: 3 }),
  convCase({ label: 'depthwise 3x3 p1 128ch @56x56', xd: 'u8', wd: 'i8', yd: 'u8', c: 128, m: 128, group: 128, sp: [56, 56], k: [3, 3], pads: [1, 1, 1, 1], bias: 'random', symmetricWeights: true, seed: 4 }),
  // Small planes where a row-vectorised depthwise kernel wastes lanes: DS-CNN (25x5) and MobileNetV2 (14x14, 7x7).
  convCase({ label: 'depthwise 3x3 p1 64ch @25x5 (DS-CNN)', xd: 'u8', wd: 'i8', yd: 'u8', c: 64, m: 64, group: 64, sp: [25, 5], k: [3, 3], pads: [1, 1, 1, 1], bias: 'random', symmetricWeights: true, seed: 8 }),
  convCase({ label: 'depthwise 3x3 p1 192ch @28x28', xd: 'u8', wd: 'i8', yd: 'u8', c: 192, m: 192, group: 192, sp: [28, 28], k: [3, 3], pads: [1, 1, 1, 1], bias: 'random', symmetricWeights: true, seed: 12 }),
  convCase({ label: 'depthwise 3x3 p1 384ch @14x14', xd: 'u8', wd: 'i8', yd: 'u8', c: 384, m: 384, group: 384, sp: [14, 14], k: [3, 3], pads: [1, 1, 1, 1], bias: 'random', symmetricWeights: true, seed: 9 }),
  convCase({ label: 'depthwise 3x3 s2 p1 576ch @14x14', xd: 'u8', wd: 'i8', yd: 'u8', c: 576, m: 576, group: 576, sp: [14, 14], k: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], bias: 'random', symmetricWeights: true, seed: 10 }),
  convCase({ label: 'depthwise 3x3 p1 960ch @7x7', xd: 'u8', wd: 'i8', yd: 'u8', c: 960, m: 960, group: 960, sp: [7, 7], k: [3, 3], pads: [1, 1, 1, 1], bias: 'random', symmetricWeights: true, seed: 11 }),
  matmulCase({ label: 'matmul 1x1024x1024', ad: 'u8', bd: 'i8', yd: 'u8', a: [1, 1024], n: 1024, perColumn: true, symmetricWeights: true, seed: 5 }),
  matmulCase({ label: 'matmul 64x1024x1024', ad: 'u8', bd: 'i8', yd: 'u8', a: [64, 1024], n: 1024, perColumn: true, symmetricWeights: true, seed: 6 }),
];
/**
 * Whole models of the zoo (test/zoo/models.ts: MLPerf-Tiny-like networks and a small MobileNetV2, QOperator
 * form, u8 activations, per-channel s8 weights, float input quantized by the model), at their test sizes.
 * Loaded lazily like bench/run.ts: without the zoo there are no model rows.
 */
async function zooCases(): Promise<BuiltCase[]> {
  const zoo = await loadZoo();
  if (!zoo) return [];
  return zoo.ZOO_NAMES.map((name, i) => {
    const graph = loadOnnxBytes(encodeModel(zoo.zooModel(name, 'qop', 'u8')), { name });
    const r = prng(7000 + i);
    const inputs = graph.inputs.map((v) => Tensor.fromNumbers(v.type.dtype, v.type.shape as number[], Array.from({ length: shapeSize(v.type.shape as number[]) }, () => r() * 2 - 1)));
    return { label: `model ${name} (zoo test size, qop u8)`, graph, inputs };
  });
}
if (!process.argv.includes('--no-models')) layers.push(...(await zooCases()));

const TARGETS: { target: string; cpu: string }[] = [
  { target: 'c', cpu: 'max' },
  { target: 'arm-neon', cpu: 'max' },
  { target: 'arm-neon-dotprod', cpu: 'max' },
  { target: 'arm-neon-i8mm', cpu: 'max' },
];

function sh(argv: string[], cwd: string): string {
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error || r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.error?.message ?? ''}\n${r.stderr}`);
  return `${r.stdout}${r.stderr}`;
}

const work = mkdtempSync(join(tmpdir(), 'qcc-bench-arm-'));
try {
  const plugin = join(work, 'libinsncount.so');
  sh(['gcc', '-O2', '-shared', '-fPIC', '-o', plugin, join(ROOT, 'tools/qemu-insncount/insncount.c')], work);
  const count = (exe: string, cpu: string, reps: number): number => {
    const out = sh([ARM_QEMU, '-cpu', cpu, '-d', 'plugin', '-plugin', `${plugin},top=0`, exe, String(reps)], work);
    const m = /total executed guest instructions = (\d+)/.exec(out);
    if (!m) throw new Error(`no instruction count in:\n${out}`);
    return Number(m[1]);
  };
  const rows: string[][] = [];
  for (const [li, layer] of layers.entries()) {
    if (only && !layer.label.includes(only)) continue;
    const macs = layer.graph.nodes.reduce((a, n) => a + (hasOpDef(n.op) ? (getOpDef(n.op).macs?.(n) ?? 0) : 0), 0);
    const row = [layer.label, (macs / 1e6).toFixed(1)];
    for (const { target, cpu } of TARGETS) {
      if (wanted && !wanted.includes(target)) {
        row.push('-');
        continue;
      }
      const model = compileModel(layer.graph, { target, name: 'bench' });
      const dir = join(work, `${li}-${target}`);
      mkdirSync(dir, { recursive: true });
      for (const [f, text] of model.files) {
        mkdirSync(dirname(join(dir, f)), { recursive: true });
        writeFileSync(join(dir, f), text);
      }
      const inBytes = layer.inputs[0]!.bytes();
      writeFileSync(join(dir, 'driver.c'), `#include <stdlib.h>
#include "bench.h"
static const unsigned char qcc_x[${inBytes.length}] = {${Array.from(inBytes).join(',')}};
static unsigned char qcc_y[BENCH_OUTPUT0_BYTES];
static unsigned char qcc_arena[BENCH_ARENA_BYTES + 64] __attribute__((aligned(64)));
int main(int argc, char **argv) {
  int r, reps = argc > 1 ? atoi(argv[1]) : 1;
  for (r = 0; r < reps; r++) if (bench_run((const void *)qcc_x, (void *)qcc_y, qcc_arena) != 0) return 1;
  return qcc_y[0] == 7 ? 0 : 0;
}
`);
      const tc = getTarget(target === 'c' ? 'arm-neon' : target).toolchain;
      sh([ARM_CC, ...tc.cflags, '-static', '-I.', '-o', 'bench', 'bench.c', 'driver.c'], dir);
      const exe = join(dir, 'bench');
      const per = count(exe, cpu, 2) - count(exe, cpu, 1);
      if (top > 0) console.log(`${layer.label} / ${target}:\n${sh([ARM_QEMU, '-cpu', cpu, '-d', 'plugin', '-plugin', `${plugin},top=${top}`, exe, '1'], work)}`);
      row.push(layer.label.startsWith('model ') ? `${(per / macs).toFixed(3)} (${(per / 1e6).toFixed(2)} M/inf)` : (per / macs).toFixed(3));
    }
    rows.push(row);
    if (!markdown) console.log(row.join('  |  '));
  }
  const head = ['layer', 'MMACs', 'c (generic)', 'arm-neon', 'arm-neon-dotprod', 'arm-neon-i8mm'];
  const table = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  console.log(`\nInstructions per MAC (qemu-aarch64 -cpu max, ${ARM_CC} -O2):\n\n${table}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
