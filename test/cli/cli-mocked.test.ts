// Exit codes that need a broken component: a compiled model that disagrees with the interpreter
// (verify must exit 1) and a non-QccError escaping (exit 70, reported as a qcc bug).
import { describe, expect, it, vi } from 'vitest';
import type { Tensor } from '../../compiler/ir/tensor.ts';
import { qcc } from './helpers.ts';

const sabotage = vi.hoisted(() => ({ flipOutputBit: false, crashLoader: false }));

vi.mock('../../backends/run.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../backends/run.ts')>();
  return {
    ...real,
    runCompiled: (...args: Parameters<typeof real.runCompiled>) => {
      const out = real.runCompiled(...args);
      if (sabotage.flipOutputBit) {
        const t = out.values().next().value as Tensor;
        t.bytes()[5] ^= 0x01; // one low mantissa bit of element 1
      }
      return out;
    },
  };
});

vi.mock('../../compiler/frontend/onnx/load.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../compiler/frontend/onnx/load.ts')>();
  return {
    ...real,
    loadOnnxModel: (...args: Parameters<typeof real.loadOnnxModel>) => {
      if (sabotage.crashLoader) throw new TypeError('simulated bug');
      return real.loadOnnxModel(...args);
    },
  };
});

const EXAMPLE = new URL('../../examples/tiny_cnn.onnx', import.meta.url).pathname;

describe('qcc exit codes with a sabotaged component', () => {
  it('verify exits 1 and reports the difference when one output bit differs', async () => {
    sabotage.flipOutputBit = true;
    try {
      const r = await qcc('verify', EXAMPLE, '--runs', '1');
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/features f32\[1x4x8x8\]: max abs diff [0-9.e-]+, 1 of 256 elements differ\s+MISMATCH/);
      expect(r.stdout).toContain('first difference: seed 1, element 1');
      expect(r.stdout).toContain('verify: FAILED');
    } finally {
      sabotage.flipOutputBit = false;
    }
  });

  it('an unexpected exception is an internal error: exit 70 with the stack', async () => {
    sabotage.crashLoader = true;
    try {
      const r = await qcc('info', EXAMPLE);
      expect(r.code).toBe(70);
      expect(r.stderr).toMatch(/^internal error \(a qcc bug, please report\): TypeError: simulated bug/);
      expect(r.stderr).toMatch(/\n\s+at /);
    } finally {
      sabotage.crashLoader = false;
    }
  });
});
