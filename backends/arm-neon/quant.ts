/**
 * arm-neon QuantizeLinear float32 -> u8 / i8 and DequantizeLinear u8 / i8 -> float32
 * (runtime-c/arm-neon/qcc_quant_neon.h): the generic emitter's call with the function name switched to the
 * NEON twin, which takes the same parameters (baked per-channel arrays, or the per-tensor locals loaded at
 * run time: one source for both). Other types keep the generic kernels. Plain Advanced SIMD: both targets.
 */
import type { CEmitter } from '../c/emitter.ts';
import { GENERIC_EMITTERS } from '../c/ops/index.ts';

export const QUANT_NEON_RUNTIME = 'arm-neon/qcc_quant_neon.h';

function renamed(kind: 'quantize_linear' | 'dequantize_linear', re: RegExp, to: string): CEmitter {
  const g = GENERIC_EMITTERS.get(kind);
  if (!g) throw new Error(`internal: no generic emitter for ${kind}`);
  return {
    kind,
    runtime: (node) => [...g.runtime(node), QUANT_NEON_RUNTIME],
    emit: (node, ctx) => g.emit(node, ctx).replace(re, to),
  };
}

export const QUANT_NEON: CEmitter[] = [
  renamed('quantize_linear', /\bqcc_quantize_linear_f32_(u8|i8)\(/, 'qcc_quantize_linear_f32_$1_neon('),
  renamed('dequantize_linear', /\bqcc_dequantize_linear_(u8|i8)_f32\(/, 'qcc_dequantize_linear_$1_f32_neon('),
];
