/**
 * Target x86-avx512vnni: x86-avx2 plus AVX-512 VNNI on 512-bit registers (vpdpbusd; AVX512F/BW/VL for the loads,
 * requantization and masked stores): the u8 x s8 GEMM tiles accumulate four products per int32 lane with no 16-bit intermediate, so every weight that
 * fits s8 takes the u8 x s8 kernels exactly (runtime-c/x86-avx512vnni/qcc_qpacked_vnni.h). Everything else is
 * x86-avx2's. The CPU check (AVX2, FMA, AVX512F/BW/VL, AVX512-VNNI) runs for every model using a SIMD kernel.
 * A function, not a module-level constant (see x86-avx2/target.ts).
 */
import type { Target } from '../target.ts';
import { STRICT_CFLAGS, withOverrides } from '../target.ts';
import { GENERIC_EMITTERS } from '../c/ops/index.ts';
import { AVX2_RUNTIME, X86_VNNI_EMITTERS } from '../x86-avx2/emitters.ts';

export function makeX86Avx512VnniTarget(): Target {
  return {
    name: 'x86-avx512vnni',
    description: 'x86-64-v3 + AVX-512 VNNI (vpdpbusd on 512-bit registers), packed int8 kernels, host gcc',
    emitters: withOverrides(GENERIC_EMITTERS, X86_VNNI_EMITTERS),
    align: 32,
    requant: 'fp32',
    cpuCheck: { runtime: AVX2_RUNTIME, expr: 'qcc_cpu_has_avx512vnni()', feature: 'AVX2, FMA, AVX512F/BW/VL and AVX512-VNNI' },
    toolchain: { cc: 'gcc', cflags: [...STRICT_CFLAGS, '-mavx2', '-mfma', '-mavx512f', '-mavx512bw', '-mavx512vl', '-mavx512vnni'], ldflags: [] },
    // forced inline, GCC spilled half of the 512-bit conv tile's accumulators in some models (CPU time: ResNet-8
    // 54.7 -> 64.4 us, DS-CNN 18.2 -> 20.9 us, the bench's 1x1 256 31.5 -> 52.9 us)
    forceKernelInline: false,
  };
}
