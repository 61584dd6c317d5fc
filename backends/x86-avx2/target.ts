/**
 * Target x86-avx2 (x86-64-v3: AVX2 + FMA). The generic kernel table with qlinear_conv and qlinear_matmul
 * replaced by packed AVX2 kernels (emitters.ts). Built with -mavx2 -mfma and, as every target,
 * -ffp-contract=off (the kernels never use FMA: float steps must round like the interpreter's).
 * The generated code checks the CPU at run time (`<name>_cpu_supported()`; `<name>_run` returns `<NAME>_ERR_CPU`).
 *
 * A function, not a module-level constant: backends/target.ts imports this module and calls it while it
 * registers its targets, so nothing here may read target.ts bindings at module evaluation time.
 */
import type { Target } from '../target.ts';
import { STRICT_CFLAGS, withOverrides } from '../target.ts';
import { GENERIC_EMITTERS } from '../c/ops/index.ts';
import { AVX2_RUNTIME, X86_AVX2_EMITTERS } from './emitters.ts';

export function makeX86Avx2Target(): Target {
  return {
    name: 'x86-avx2',
    description: 'x86-64-v3 (AVX2 + FMA), packed int8 kernels, host gcc',
    emitters: withOverrides(GENERIC_EMITTERS, X86_AVX2_EMITTERS),
    align: 32,
    requant: 'fp32',
    // Models that use the packed kernels check the CPU first (runtime-c/x86-avx2/qcc_cpu_avx2.h).
    cpuCheck: { runtime: AVX2_RUNTIME, expr: 'qcc_cpu_has_avx2_fma()', feature: 'AVX2 and FMA' },
    toolchain: { cc: 'gcc', cflags: [...STRICT_CFLAGS, '-mavx2', '-mfma'], ldflags: [] },
  };
}
