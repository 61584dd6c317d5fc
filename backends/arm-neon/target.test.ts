import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { QccError } from '../../compiler/errors.ts';
import { compileModel } from '../c/compile.ts';
import { buildModel } from '../run.ts';
import { STRICT_CFLAGS, getTarget } from '../target.ts';
import { armRunArgv } from './target.ts';
import { convCase } from './testing/cases.ts';

const tmp = mkdtempSync(join(tmpdir(), 'qcc-arm-target-'));
const savedPath = process.env['PATH'];
const savedCpu = process.env['QCC_QEMU_CPU'];
afterEach(() => {
  process.env['PATH'] = savedPath;
  if (savedCpu === undefined) delete process.env['QCC_QEMU_CPU'];
  else process.env['QCC_QEMU_CPU'] = savedCpu;
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function toolError(f: () => unknown): QccError {
  try {
    f();
  } catch (e) {
    if (e instanceof QccError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('arm targets', () => {
  it('cross-compile statically with the strict flags and the right -march', () => {
    const n = getTarget('arm-neon').toolchain;
    const d = getTarget('arm-neon-dotprod').toolchain;
    expect(n.cc).toBe('aarch64-linux-gnu-gcc');
    expect(n.cflags).toEqual(expect.arrayContaining(['-std=c99', '-O2', '-Wall', '-Wextra', '-Werror', '-ffp-contract=off', '-march=armv8-a']));
    expect(d.cflags).toContain('-march=armv8.2-a+dotprod');
    expect(getTarget('arm-neon-i8mm').toolchain.cflags).toContain('-march=armv8.2-a+dotprod+i8mm');
    expect(getTarget('arm-neon-i8mm').toolchain.cflags).toEqual(expect.arrayContaining([...STRICT_CFLAGS]));
    expect(n.ldflags).toContain('-static');
    expect(getTarget('arm-neon').cpuCheck).toBeUndefined();
    expect(getTarget('arm-neon-dotprod').cpuCheck?.expr).toBe('qcc_arm_has_dotprod()');
    expect(getTarget('arm-neon-i8mm').cpuCheck?.expr).toBe('qcc_arm_has_i8mm()');
  });

  it('run under qemu-aarch64 -cpu max, QCC_QEMU_CPU picks another CPU', () => {
    expect(getTarget('arm-neon').toolchain.run!('/x/m', ['a', 'b'])).toEqual(['qemu-aarch64', '-cpu', 'max', '/x/m', 'a', 'b']);
    process.env['QCC_QEMU_CPU'] = 'cortex-a53';
    expect(armRunArgv('/x/m', [])).toEqual(['qemu-aarch64', '-cpu', 'cortex-a53', '/x/m']);
  });

  it('missing qemu or cross compiler: E_TOOLCHAIN naming the Debian packages', () => {
    process.env['PATH'] = join(tmp, 'empty');
    const e1 = toolError(() => armRunArgv('/x/m', []));
    expect(e1.code).toBe('E_TOOLCHAIN');
    expect(e1.hint).toContain('gcc-aarch64-linux-gnu qemu-user');
    const c = convCase({ label: 't', xd: 'u8', wd: 'i8', yd: 'u8', c: 3, m: 4, sp: [5, 5], k: [3, 3], seed: 1 });
    const model = compileModel(c.graph, { target: 'arm-neon', name: 'm' });
    const e2 = toolError(() => buildModel(model, join(tmp, 'b')));
    expect(e2.code).toBe('E_TOOLCHAIN');
    expect(e2.message).toContain('aarch64-linux-gnu-gcc');
    expect(e2.hint).toContain('gcc-aarch64-linux-gnu qemu-user');
  });

  it('dotprod and i8mm models check the CPU before computing; baseline models do not', () => {
    const c = convCase({ label: 't', xd: 'u8', wd: 'i8', yd: 'u8', c: 3, m: 4, sp: [5, 5], k: [3, 3], seed: 1 });
    const d = compileModel(c.graph, { target: 'arm-neon-dotprod', name: 'm' }).files;
    expect(d.get('m.c')).toMatch(/if \(!\(qcc_arm_has_dotprod\(\)\)\) return M_ERR_CPU;/);
    expect(d.get('m.h')).toContain('#define M_ERR_CPU 4');
    const m = compileModel(c.graph, { target: 'arm-neon-i8mm', name: 'm' }).files;
    expect(m.get('m.c')).toMatch(/if \(!\(qcc_arm_has_i8mm\(\)\)\) return M_ERR_CPU;/);
    expect(m.get('m.h')).toContain('#define M_ERR_CPU 4');
    const n = compileModel(c.graph, { target: 'arm-neon', name: 'm' }).files;
    expect(n.get('m.c')).not.toContain('qcc_arm_has_dotprod');
  });
});
