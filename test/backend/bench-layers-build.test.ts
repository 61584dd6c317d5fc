/**
 * The benchmark's large layers (bench/layers.ts) build warning-free with the strict flags (-Wall -Wextra -Werror)
 * on every SIMD target. Their sizes are constants in the generated code (kernel instances fold them in), and GCC
 * then analyses loops the small test shapes never show it: the arm-neon MatMul's A packing once failed to build at
 * 64x1024x1024 (-Waggressive-loop-optimizations on a path GCC threaded into a loop that cannot run). Build only:
 * the kernels' results are the parity and model tests' business.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileModel } from '../../backends/c/compile.ts';
import { buildModel } from '../../backends/run.ts';
import { loadOnnxBytes } from '../../compiler/frontend/onnx/load.ts';
import { encodeModel } from '../../compiler/frontend/onnx/writer.ts';
import { LAYERS } from '../../bench/layers.ts';

const work = mkdtempSync(join(tmpdir(), 'qcc-bench-build-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const TARGETS = ['x86-avx2', 'x86-avx512vnni', 'arm-neon', 'arm-neon-dotprod', 'arm-neon-i8mm'];
const NAMES = ['matmul 64x1024x1024', 'matmul 1x1024x1024', 'conv 256->256 1x1 @14'];

describe('the benchmark layers build with -Werror on every SIMD target', () => {
  for (const name of NAMES) {
    it(name, () => {
      const layer = LAYERS.find((l) => l.name === name);
      expect(layer).toBeDefined();
      for (const target of TARGETS) {
        for (const w of ['full', '7bit'] as const) {
          const model = compileModel(loadOnnxBytes(encodeModel(layer!.desc(w))), { target, name: 'b' });
          const dir = join(work, `${target}-${w}-${name.replace(/\W+/g, '_')}`);
          expect(() => buildModel(model, dir), `${target} ${w}`).not.toThrow();
        }
      }
    }, 300_000);
  }
});
