import { rmSync, mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { QccError } from '../compiler/errors.ts';
import { Graph } from '../compiler/ir/graph.ts';
import { Tensor } from '../compiler/ir/tensor.ts';
import { compileModel, type CompiledModel } from './c/compile.ts';
import { TEST_EMITTERS, input, makeTestRuntime, node, testRuntimeDirs } from './c/testing/test-ops.ts';
import { buildModel, runCompiled } from './run.ts';
import { getTarget, registerTarget, targetNames, withOverrides } from './target.ts';

const rt = makeTestRuntime();
const tmp = mkdtempSync(join(tmpdir(), 'qcc-run-test-'));
afterAll(() => {
  rmSync(rt, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

function model(emitters = TEST_EMITTERS): CompiledModel {
  const g = new Graph('r');
  const x = input(g, 'x', 'f32', [3]);
  const [y] = node(g, 'test_reverse', 'rev', [x], [{ name: 'y', dtype: 'f32', shape: [3] }]);
  g.outputs.push(y!);
  return compileModel(g, { target: 'c', name: 'r', emitters, runtimeDirs: testRuntimeDirs(rt) });
}

const code = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    return e instanceof QccError ? `${e.code}: ${e.message}` : String(e);
  }
  return 'no error';
};

describe('targets', () => {
  it("registers 'c' and rejects unknown names with E_USAGE listing the known ones", () => {
    expect(targetNames()).toContain('c');
    expect(getTarget('c').toolchain.cflags).toContain('-ffp-contract=off');
    let err: unknown;
    try {
      getTarget('x86-avx512');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QccError);
    expect((err as QccError).code).toBe('E_USAGE');
    expect((err as QccError).hint).toContain('c');
  });

  it('withOverrides starts from a base table and replaces entries', () => {
    const rev = TEST_EMITTERS.get('test_reverse')!;
    const t = withOverrides(TEST_EMITTERS, [{ ...rev, emit: () => '/* simd */' }]);
    expect(t.size).toBe(TEST_EMITTERS.size);
    expect(t.get('test_reverse')!.emit(null as never, null as never)).toBe('/* simd */');
    expect(TEST_EMITTERS.get('test_reverse')).toBe(rev);
  });
});

describe('runCompiled / buildModel', () => {
  it('runs and removes its temp folder; keepDir keeps the build', () => {
    const m = model();
    const keep = join(tmp, 'keep');
    const out = runCompiled(m, new Map([['x', Tensor.fromNumbers('f32', [3], [1, 2, 3])]]), { keepDir: keep });
    expect(out.get('y')!.toNumbers()).toEqual([3, 2, 1]);
    expect(existsSync(join(keep, 'out', 'r_main'))).toBe(true);
  });

  it("runs through the target's run wrapper (as qemu-user would) with its own toolchain", () => {
    const calls: string[][] = [];
    registerTarget({
      ...getTarget('c'),
      name: 'test-wrapped',
      align: 32,
      toolchain: { cc: 'clang', cflags: getTarget('c').toolchain.cflags, ldflags: [], run: (exe, args) => (calls.push([exe, ...args]), ['env', exe, ...args]) },
    });
    const g = new Graph('w');
    const x = input(g, 'x', 'i8', [5]);
    const [y] = node(g, 'test_reverse', 'rev', [x], [{ name: 'y', dtype: 'i8', shape: [5] }]);
    g.outputs.push(y!);
    const m = compileModel(g, { target: 'test-wrapped', name: 'w', emitters: TEST_EMITTERS, runtimeDirs: testRuntimeDirs(rt) });
    expect(m.files.get('w.h')).toContain('#define W_ARENA_ALIGN 32u');
    expect(m.plan.buffers.every((b) => b.offset % 32 === 0)).toBe(true);
    const out = runCompiled(m, new Map([['x', Tensor.fromNumbers('i8', [5], [-128, 127, 0, 1, -1])]]));
    expect(out.get('y')!.toNumbers()).toEqual([-1, 1, 0, 127, -128]);
    expect(calls.length).toBe(1);
    expect(calls[0]![0]).toMatch(/w_main$/);
  });

  it('missing compiler is E_TOOLCHAIN naming it', () => {
    const msg = code(() => buildModel(model(), join(tmp, 'nocc'), { cc: 'qcc-no-such-cc-xyz' }));
    expect(msg).toMatch(/^E_TOOLCHAIN: .*'qcc-no-such-cc-xyz' not found/);
  });

  it("compiler errors are E_TOOLCHAIN with the compiler's stderr", () => {
    const broken = withOverrides(TEST_EMITTERS, [{ ...TEST_EMITTERS.get('test_reverse')!, emit: () => 'this_is_not_c(;' }]);
    const msg = code(() => runCompiled(model(broken), new Map([['x', new Tensor('f32', [3])]])));
    expect(msg).toMatch(/^E_TOOLCHAIN: building model 'r'/);
    expect(msg).toContain('this_is_not_c');
  });

  it('wrong or missing inputs are E_INPUT', () => {
    expect(code(() => runCompiled(model(), new Map()))).toMatch(/^E_INPUT: no data for input 'x'/);
    expect(code(() => runCompiled(model(), new Map([['x', new Tensor('f32', [4])]])))).toMatch(/^E_INPUT: .*expects f32\[3\]/);
  });
});
