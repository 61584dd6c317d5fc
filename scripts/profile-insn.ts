/**
 * `npm run profile:insn -- <model> [--target T ...] [--cpu C] [--all]`: executed instructions per node of the
 * generated C, counted under qemu-user by the TCG plugin in tools/qemu-insncount (option `marks=1`).
 * `npm run profile:arm` is the same with the ARM targets as the default.
 *
 * <model> is a zoo name (ds_cnn, resnet8, autoencoder, mobilenetv2, mobilenetv2-224: QOperator form, u8
 * activations, as in `npm run bench:arm`) or a path to an .onnx file with static shapes. The model is compiled
 * with the debug hook (`<name>_run_debug`, the same node code as `<name>_run`); the hook executes only a marker
 * NOP (`hint #0x7f` on aarch64, `nopl 0x7f51c0de(%rax)` on x86-64), at which the plugin snapshots its running
 * count. A node's count is the difference to the previous snapshot, so it includes the hook call (a few
 * instructions). The harness then runs the plain `<name>_run` between two more markers: that is the "plain run"
 * total, what bench:arm and bench:x86-insn report.
 * Targets: arm-neon, arm-neon-dotprod, arm-neon-i8mm (qemu-aarch64, --cpu default max) or x86-avx2
 * (qemu-x86_64, --cpu default EPYC-Milan, the Zen 3 model of bench:x86-insn; qemu's TCG has no AVX-512, so
 * not x86-avx512vnni); `c` is the generic kernels built for the other targets' architecture (--arch x86 when it
 * is alone). Defaults: arm-neon and arm-neon-dotprod. Nodes under 0.5% of every target's total are folded into
 * one row unless --all.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileModel } from '../backends/c/compile.ts';
import { writeOutputFolder } from '../backends/output.ts';
import { getTarget } from '../backends/target.ts';
import { ARM_CC, ARM_QEMU } from '../backends/arm-neon/target.ts';
import { prng } from '../backends/arm-neon/testing/cases.ts';
import { Tensor, shapeSize } from '../compiler/ir/tensor.ts';
import { describeNode, loadBenchModel } from '../bench/model-spec.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const HARNESS = (prefix: string, MACRO: string, inputs: Uint8Array[], nOut: number) => `#include <stddef.h>
#include "${prefix}.h"
#if defined(__aarch64__)
#define QCC_MARK() __asm__ volatile("hint #0x7f" ::: "memory")
#else
#define QCC_MARK() __asm__ volatile(".byte 0x0f,0x1f,0x80,0xde,0xc0,0x51,0x7f" ::: "memory")
#endif
${inputs.map((b, i) => `static const unsigned char in${i}[${Math.max(1, b.length)}] __attribute__((aligned(16))) = {${Array.from(b).join(',') || '0'}};`).join('\n')}
${Array.from({ length: nOut }, (_, i) => `static unsigned char out${i}[${MACRO}_OUTPUT${i}_COUNT * sizeof(${MACRO}_OUTPUT${i}_CTYPE)] __attribute__((aligned(16)));`).join('\n')}
static unsigned char arena[${MACRO}_ARENA_BYTES + 1] __attribute__((aligned(64)));
static void hook(void *user, const char *name, int dtype, const void *data, size_t bytes) {
  (void)user; (void)name; (void)dtype; (void)data; (void)bytes;
  QCC_MARK();
}
int main(void) {
  const void *ins[] = {${inputs.map((_, i) => `in${i}`).join(', ')}};
  void *outs[] = {${Array.from({ length: nOut }, (_, i) => `out${i}`).join(', ')}};
  QCC_MARK();
  if (${prefix}_run_debug_v(ins, outs, arena, hook, NULL) != 0) return 2;
  QCC_MARK();
  if (${prefix}_run_v(ins, outs, arena) != 0) return 3;
  QCC_MARK();
  return 0;
}
`;

function sh(argv: string[], cwd: string): string {
  const r = spawnSync(argv[0]!, argv.slice(1), { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error || r.status !== 0) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.error?.message ?? ''}\n${r.stderr}`);
  return `${r.stdout}${r.stderr}`;
}

const args = process.argv.slice(2);
const valued = ['--target', '--cpu', '--arch'];
const spec = args.find((a, i) => !a.startsWith('--') && !valued.includes(args[i - 1] ?? ''));
if (!spec) {
  console.error('usage: npm run profile:insn -- <zoo name | model.onnx> [--target T ...] [--arch x86|arm] [--cpu C] [--all]');
  process.exit(2);
}
const given = args.flatMap((a, i) => (args[i - 1] === '--target' ? [a] : []));
// the architecture: of the named SIMD targets, else --arch (default arm)
const x86 = given.some((t) => t.startsWith('x86')) || args.find((_, i) => args[i - 1] === '--arch') === 'x86';
const targets = given.length ? given : x86 ? ['c', 'x86-avx2'] : ['arm-neon', 'arm-neon-dotprod'];
for (const t of targets) {
  if (t === 'x86-avx512vnni') throw new Error('qemu has no AVX-512: x86-avx512vnni cannot be counted (use npm run profile for its time)');
  if (t !== 'c' && t.startsWith('x86') !== x86) throw new Error(`targets of one architecture at a time (${targets.join(', ')})`);
}
const cpu = args.find((_, i) => args[i - 1] === '--cpu') ?? (x86 ? 'EPYC-Milan' : 'max');
const [cc, qemu] = x86 ? ['gcc', 'qemu-x86_64'] : [ARM_CC, ARM_QEMU];
const all = args.includes('--all');
const g = await loadBenchModel(spec);
const r = prng(4242);
const inputs = g.inputs.map((v) => Tensor.fromNumbers(v.type.dtype, v.type.shape as number[], Array.from({ length: shapeSize(v.type.shape as number[]) }, () => r() * 2 - 1)).bytes());
const work = mkdtempSync(join(tmpdir(), 'qcc-profile-insn-'));
try {
  const plugin = join(work, 'libinsncount.so');
  sh(['gcc', '-O2', '-shared', '-fPIC', '-o', plugin, join(ROOT, 'tools/qemu-insncount/insncount.c')], work);
  const cols: { target: string; counts: number[]; plain: number }[] = [];
  let names: string[] = [];
  for (const target of targets) {
    const model = compileModel(g, { target, name: 'prof', debugDump: true });
    const dumps = model.dumps ?? [];
    names = dumps.map((d) => d.name);
    const dir = join(work, target);
    writeOutputFolder(dir, new Map([...model.files, ['prof_profile.c', HARNESS(model.name, model.name.toUpperCase(), inputs, g.outputs.length)]]));
    // the generic kernels with the same compiler and flags as the SIMD target they are compared with
    const tc = getTarget(target === 'c' ? (x86 ? 'c' : 'arm-neon') : target).toolchain;
    sh([cc, ...tc.cflags, '-static', '-I.', '-o', 'prof_exe', 'prof.c', 'prof_profile.c'], dir);
    const out = sh([qemu, '-cpu', cpu, '-d', 'plugin', '-plugin', `${plugin},marks=1,top=0`, join(dir, 'prof_exe')], dir);
    const marks = [...out.matchAll(/insncount: mark \d+ (\d+)/g)].map((m) => Number(m[1]));
    if (marks.length !== dumps.length + 3) throw new Error(`${target}: expected ${dumps.length + 3} marks, got ${marks.length}`);
    const counts = dumps.map((_, i) => marks[i + 1]! - marks[i]!);
    const plain = marks[dumps.length + 2]! - marks[dumps.length + 1]!;
    cols.push({ target, counts, plain });
  }
  const fmt = (n: number) => (n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : String(n));
  const totals = cols.map((c) => c.counts.reduce((a, b) => a + b, 0));
  const descs = names.map((n) => describeNode(g, n));
  console.log(`${spec}: per-node instructions (${qemu} -cpu ${cpu}; instr/MAC where the node has MACs)\n`);
  console.log(`| node | layer | MACs | ${cols.map((c) => `${c.target} | /MAC | %`).join(' | ')} |`);
  console.log(`|---|---|---|${cols.map(() => '---|---|---').join('|')}|`);
  let rest = cols.map(() => 0);
  let restN = 0;
  descs.forEach((d, i) => {
    const small = cols.every((c, j) => c.counts[i]! < 0.005 * totals[j]!);
    if (small && !all) {
      rest = rest.map((x, j) => x + cols[j]!.counts[i]!);
      restN++;
      return;
    }
    const cells = cols.map((c, j) => `${fmt(c.counts[i]!)} | ${d.macs ? (c.counts[i]! / d.macs).toFixed(3) : ''} | ${((100 * c.counts[i]!) / totals[j]!).toFixed(1)}`);
    console.log(`| ${d.node} | ${d.what} | ${d.macs} | ${cells.join(' | ')} |`);
  });
  if (restN) console.log(`| (${restN} nodes < 0.5%) | | | ${rest.map((x, j) => `${fmt(x)} | | ${((100 * x) / totals[j]!).toFixed(1)}`).join(' | ')} |`);
  const macs = descs.reduce((a, d) => a + d.macs, 0);
  console.log(`| total (debug run) | | ${macs} | ${totals.map((t) => `${fmt(t)} | ${(t / macs).toFixed(3)} | 100`).join(' | ')} |`);
  console.log(`| plain run | | | ${cols.map((c) => `${fmt(c.plain)} | ${(c.plain / macs).toFixed(3)} |`).join(' | ')} |`);
  // By operator: where the instructions go, summed over the nodes of each kind.
  const ops = [...new Set(descs.map((d) => d.op))];
  const byOp = ops.map((op) => ({ op, n: descs.filter((d) => d.op === op).length, macs: descs.reduce((a, d) => a + (d.op === op ? d.macs : 0), 0), c: cols.map((c) => c.counts.reduce((a, x, i) => a + (descs[i]!.op === op ? x : 0), 0)) }));
  byOp.sort((a, b) => b.c[b.c.length - 1]! - a.c[a.c.length - 1]!);
  console.log(`\n| operator | nodes | MACs | ${cols.map((c) => `${c.target} | /MAC | %`).join(' | ')} |`);
  console.log(`|---|---|---|${cols.map(() => '---|---|---').join('|')}|`);
  for (const o of byOp) console.log(`| ${o.op} | ${o.n} | ${o.macs} | ${o.c.map((x, j) => `${fmt(x)} | ${o.macs ? (x / o.macs).toFixed(3) : ''} | ${((100 * x) / totals[j]!).toFixed(1)}`).join(' | ')} |`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
