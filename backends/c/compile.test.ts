import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Graph } from '../../compiler/ir/graph.ts';
import { Tensor, tensorsIdentical } from '../../compiler/ir/tensor.ts';
import { getOpDef } from '../../compiler/ops/registry.ts';
import { isQccError } from '../../compiler/errors.ts';
import { writeOutputFolder } from '../output.ts';
import { buildModel, runCompiled } from '../run.ts';
import { compileModel, type CompiledModel } from './compile.ts';
import { TEST_EMITTERS, input, makeTestRuntime, node, seeded, testRuntimeDirs } from './testing/test-ops.ts';

const rt = makeTestRuntime();
const tmp = mkdtempSync(join(tmpdir(), 'qcc-compile-test-'));
afterAll(() => {
  rmSync(rt, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

const compile = (g: Graph, name = 'm'): CompiledModel =>
  compileModel(g, { target: 'c', name, emitters: TEST_EMITTERS, runtimeDirs: testRuntimeDirs(rt) });

/** Interprets the graph with the test ops' reference semantics (no dependency on the real op families). */
function reference(g: Graph, feeds: Map<string, Tensor>): Map<string, Tensor> {
  const env = new Map<number, Tensor>();
  for (const v of g.inputs) env.set(v.id, feeds.get(v.name)!);
  const read = (id: number): Tensor => g.values.get(id)!.const ?? env.get(id)!;
  for (const n of g.nodes) {
    const outs = getOpDef(n.op).interpret(n, n.inputs.map((i) => (i ? read(i.id) : null)));
    n.outputs.forEach((o, k) => env.set(o.id, outs[k]!));
  }
  return new Map(g.outputs.map((o) => [o.name, read(o.id)]));
}

function checkRun(g: Graph, name = 'm', ccs: string[] = ['gcc', 'clang']): void {
  const model = compile(g, name);
  const feeds = new Map(g.inputs.map((v, i) => [v.name, seeded(v.type.dtype, v.type.shape, 17 + i)]));
  const want = reference(g, feeds);
  for (const cc of ccs) {
    const got = runCompiled(model, feeds, { cc });
    expect([...got.keys()]).toEqual([...new Set(g.outputs.map((o) => o.name))]);
    for (const [k, t] of want) {
      expect(tensorsIdentical(got.get(k)!, t), `${cc}: output '${k}'`).toBe(true);
    }
  }
}

const F = (shape: number[]) => ({ dtype: 'f32' as const, shape });

describe('compileModel: graphs run and match the reference', () => {
  it('chain with a runtime kernel, params struct and scratch', () => {
    const g = new Graph('chain');
    const a = input(g, 'a', 'f32', [3, 5]);
    const b = input(g, 'b', 'f32', [3, 5]);
    const [t1] = node(g, 'test_scale_add', 's1', [a, b], [{ name: 't1', ...F([3, 5]) }], { k: 0.75 });
    const [t2] = node(g, 'test_reverse', 'rev', [t1!], [{ name: 't2', ...F([3, 5]) }]);
    const [t3] = node(g, 'test_scale_add', 's2', [t2!, a], [{ name: 't3', ...F([3, 5]) }], { k: -3.5 });
    const [y] = node(g, 'test_reverse', 'rev2', [t3!], [{ name: 'y', ...F([3, 5]) }]);
    g.outputs.push(y!);
    const m = compile(g);
    expect(m.files.has('qcc_test_scale_add.h')).toBe(true);
    expect(m.files.has('qcc_test_common.h')).toBe(true); // transitive include
    expect(m.arenaBytes).toBeGreaterThan(0);
    expect(m.files.get('m.c')).toContain("/* node 'rev' (test_reverse) */");
    checkRun(g);
  });

  it('diamond, graph output consumed later, repeated output, constant output, input as output', () => {
    const g = new Graph('diamond');
    const x = input(g, 'x', 'f32', [7]);
    const c = g.addConst('c', Tensor.fromNumbers('f32', [7], [1, -2, 0.5, 3, -0, 1e-30, 65504]));
    const [l] = node(g, 'test_mul_const', 'left', [x, c], [{ name: 'l', ...F([7]) }]);
    const [r] = node(g, 'test_reverse', 'right', [x], [{ name: 'r', ...F([7]) }]);
    const [j] = node(g, 'test_scale_add', 'join', [l!, r!], [{ name: 'j', ...F([7]) }], { k: 2 });
    const [z] = node(g, 'test_scale_add', 'after', [j!, l!], [{ name: 'z', ...F([7]) }], { k: 0.5 });
    const k = g.addConst('k', Tensor.fromNumbers('i32', [2, 2], [-2147483648, 2147483647, 0, -1]));
    g.outputs.push(j!, z!, k, x, j!);
    const m = compile(g);
    // j is written once by its producer; its repeat, the constant and the input are copied.
    expect(m.files.get('m.c')!.match(/memcpy\(/g)!.length).toBe(3);
    expect(m.plan.buffers.map((b) => b.name).sort()).toEqual(['l', 'r', 'right']);
    checkRun(g);
  });

  it('several inputs and outputs of different dtypes, constArray and float literals', () => {
    const g = new Graph('multi');
    const q = input(g, 'q', 'i32', [2, 3]);
    const x = input(g, 'x', 'f32', [4]);
    const [lo, neg] = node(g, 'test_split_i32', 'split', [q], [
      { name: 'lo', dtype: 'u8', shape: [2, 3] },
      { name: 'neg', dtype: 'i64', shape: [2, 3] },
    ]);
    const table = Tensor.fromNumbers('f32', [3], [Infinity, -0, 1.5]);
    const [y] = node(g, 'test_add_table', 'tab', [x], [{ name: 'y', ...F([4]) }], { table, bias: Math.fround(0.1) });
    const [lo2] = node(g, 'test_reverse', 'rlo', [lo!], [{ name: 'lo2', dtype: 'u8', shape: [2, 3] }]);
    g.outputs.push(neg!, y!, lo2!);
    const m = compile(g);
    expect(m.inputs.map((i) => i.type.dtype)).toEqual(['i32', 'f32']);
    expect(m.files.get('m.h')).toContain('int m_run(const int32_t *q, const float *x, int64_t *neg, float *y, uint8_t *lo2, void *arena);');
    checkRun(g);
  });

  it('hostile value, node and model names build warning-free with gcc and clang', () => {
    const g = new Graph('evil */ #include <stdio.h>\n??/');
    const names = ['i', 's', 't', 'a"b', 'a\\', 'a/*b*/', '*/', '#include "x.h"', '??/', 'ü∂ß', 'x'.repeat(5000), 'int', '_Bool', '__x', '9lives', 'a b', 'a-b', 'a_b', 'NULL', 'arena', 'm_run', 'M_ARENA_BYTES', 'qcc_arena', 'inputs'];
    const ins = names.slice(0, 9).map((n) => input(g, n, 'f32', [2]));
    let prev = ins[0]!;
    names.forEach((n, i) => {
      const [v] = node(g, 'test_scale_add', `${n}\n*/ node ${i}`, [prev, ins[i % ins.length]!], [{ name: n + '_out' + (i % 3 === 0 ? '' : '\\'), ...F([2]) }], { k: 1 + i });
      prev = v!;
      if (i % 4 === 0) g.outputs.push(v!);
    });
    g.outputs.push(prev);
    const m = compile(g, 'm');
    const params = [...m.inputs, ...m.outputs].map((p) => p.cName);
    expect(new Set(params).size).toBe(params.length);
    for (const p of params) expect(p).toMatch(/^[A-Za-z][A-Za-z0-9_]{0,47}$/);
    expect(params).not.toContain('arena');
    expect(params).not.toContain('NULL');
    for (const text of m.files.values()) expect(text).not.toMatch(/[^\x09\x0a\x20-\x7e]/); // ASCII only
    // the nodes with odd k run through kernel instances named after the (hostile) node names
    const inst = [...m.files.get('m.c')!.matchAll(/^QCC_INSTANCE void (\w+)\((.*)\)$/gm)];
    expect(inst.length).toBe(names.filter((_, i) => (1 + i) % 2 === 1).length);
    for (const [, id, params] of inst) {
      expect(id).toMatch(/^m_test_scale_add_f32_[A-Za-z0-9_]{1,40}$/);
      expect(params).toBe('const void *a0, const void *a1, void *a2');
      expect(m.files.get('m.c')).toContain(`    ${id}(`);
    }
    checkRun(g);
  });

  it('model with no nodes: outputs are constants and inputs (no arena)', () => {
    const g = new Graph('copy');
    const x = input(g, 'x', 'u8', [5]);
    const c = g.addConst('c', Tensor.fromNumbers('f32', [2], [NaN, -Infinity]));
    const e = g.addConst('e', new Tensor('i8', [0]));
    g.outputs.push(c, x, e);
    const m = compile(g);
    expect(m.arenaBytes).toBe(0);
    expect(m.files.get('m.c')).not.toContain('ERR_ARENA_NULL');
    checkRun(g);
  });
});

describe('compileModel: errors', () => {
  it('lists every node without a kernel in one E_UNSUPPORTED', () => {
    const g = new Graph('u');
    const x = input(g, 'x', 'f32', [2]);
    const [a] = node(g, 'no_such_op', 'first', [x], [{ name: 'a', ...F([2]) }]);
    const [b] = node(g, 'test_reverse', 'fine', [a!], [{ name: 'b', ...F([2]) }]);
    const [c] = node(g, 'other_missing', 'second', [b!], [{ name: 'c', ...F([2]) }]);
    g.outputs.push(c!);
    let err: unknown;
    try {
      compile(g);
    } catch (e) {
      err = e;
    }
    expect(isQccError(err) && err.code).toBe('E_UNSUPPORTED');
    const msg = (err as Error).message;
    expect(msg).toContain("'first' (no_such_op)");
    expect(msg).toContain("'second' (other_missing)");
    expect(msg).not.toContain("'fine'");
  });

  it('E_NOT_CONSTANT names the node and the input', () => {
    const g = new Graph('nc');
    const x = input(g, 'x', 'f32', [2]);
    const k = input(g, 'scale_in', 'f32', [2]);
    const [y] = node(g, 'test_mul_const', 'mul1', [x, k], [{ name: 'y', ...F([2]) }]);
    g.outputs.push(y!);
    expect(() => compile(g)).toThrowError(/node 'mul1' \(test_mul_const\): input 1 \('scale_in'\) must be a compile-time constant/);
  });

  it('unknown target is E_USAGE', () => {
    expect(() => compileModel(new Graph('x'), { target: 'nope', name: 'm' })).toThrowError(/unknown target 'nope'/);
  });
});

describe('compileModel: output properties', () => {
  const build = () => {
    const g = new Graph('det');
    const a = input(g, 'a', 'f32', [33]);
    const c = g.addConst('w', seeded('f32', [33], 5));
    const [t] = node(g, 'test_mul_const', 'mul', [a, c], [{ name: 't', ...F([33]) }]);
    const [u] = node(g, 'test_reverse', 'rev', [t!], [{ name: 'u', ...F([33]) }]);
    const [y] = node(g, 'test_scale_add', 'sa', [u!, t!], [{ name: 'y', ...F([33]) }], { k: 3 });
    g.outputs.push(y!);
    return g;
  };

  it('is deterministic: same graph, same bytes; no absolute paths or timestamps', () => {
    const m1 = compile(build());
    const m2 = compile(build());
    expect([...m1.files.keys()]).toEqual([...m2.files.keys()]);
    for (const [k, v] of m1.files) expect(m2.files.get(k), k).toBe(v);
    for (const v of m1.files.values()) {
      expect(v).not.toContain(tmpdir());
      expect(v).not.toContain(process.cwd());
    }
  });

  it('the Makefile builds the library and the harness (CC overridable)', () => {
    if (spawnSync('make', ['--version']).status !== 0) return;
    const dir = join(tmp, 'mk');
    const m = compile(build(), 'mk');
    writeOutputFolder(dir, m.files);
    const r = spawnSync('make', ['CC=clang'], { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(existsSync(join(dir, 'libmk.a'))).toBe(true);
    expect(existsSync(join(dir, 'mk_main'))).toBe(true);
    const usage = spawnSync(join(dir, 'mk_main'), [], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('usage:');
    const io = spawnSync(join(dir, 'mk_main'), [join(dir, 'missing.bin'), join(dir, 'o.bin')], { encoding: 'utf8' });
    expect(io.status).toBe(3);
  });

  it('run() rejects a NULL or misaligned arena and NULL buffers', () => {
    const m = compile(build(), 'al');
    const dir = join(tmp, 'al');
    buildModel(m, dir);
    const driver = `#include <stdio.h>
#include "al.h"
static unsigned char buf[AL_ARENA_BYTES + 2u * AL_ARENA_ALIGN];
static float a[AL_INPUT0_COUNT], y[AL_OUTPUT0_COUNT];
int main(void) {
  unsigned char *p = buf + (AL_ARENA_ALIGN - (uintptr_t)buf % AL_ARENA_ALIGN);
  const void *in[1]; void *out[1];
  in[0] = a; out[0] = y;
  printf("%d %d %d %d %d %d\\n", al_run(a, y, NULL), al_run(a, y, p + 1), al_run(NULL, y, p), al_run(a, NULL, p),
         al_run(a, y, p), al_run_v(in, out, p));
  return 0;
}
`;
    writeFileSync(join(dir, 'drv.c'), driver);
    for (const cc of ['gcc', 'clang']) {
      const b = spawnSync(cc, ['-std=c99', '-O2', '-Wall', '-Wextra', '-Werror', '-ffp-contract=off', '-I.', '-o', 'drv', 'drv.c', 'al.c'], { cwd: dir, encoding: 'utf8' });
      expect(b.stderr).toBe('');
      const r = spawnSync(join(dir, 'drv'), [], { encoding: 'utf8' });
      expect(r.stdout.trim()).toBe('2 3 1 1 0 0');
    }
  });

  it('a 10 MB weight set renders', () => {
    const g = new Graph('big');
    const x = input(g, 'x', 'f32', [2_621_440]);
    const w = g.addConst('w', seeded('f32', [2_621_440], 3));
    const [y] = node(g, 'test_mul_const', 'mul', [x, w], [{ name: 'y', ...F([2_621_440]) }]);
    g.outputs.push(y!);
    const m = compile(g, 'big');
    const text = m.files.get('big_weights.h')!;
    expect(text.split('\n').length).toBeGreaterThan(2_621_440 / 16);
  });
});
