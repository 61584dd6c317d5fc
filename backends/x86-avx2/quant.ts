/**
 * x86-avx2 QuantizeLinear float32 -> u8 / i8 (runtime-c/x86-avx2/qcc_quant_avx2.h): the generic emitter's
 * call with the function name switched to the AVX2 twin, which takes the same parameters (one source for
 * the baked scales and zero points). Other input/output types, and a scale or zero point computed at run
 * time, keep the generic kernel.
 */
import type { CEmitter } from '../c/emitter.ts';
import { GENERIC_EMITTERS } from '../c/ops/index.ts';
import { qdqParamsConst } from '../c/ops/quant.ts';

export const QUANT_AVX2_RUNTIME = 'x86-avx2/qcc_quant_avx2.h';

const generic = (): CEmitter => {
  const g = GENERIC_EMITTERS.get('quantize_linear');
  if (!g) throw new Error('internal: no generic emitter for quantize_linear');
  return g;
};

export const QUANTIZE_LINEAR_AVX2: CEmitter = {
  kind: 'quantize_linear',
  // qcc_qpacked_avx2.h is listed so that the target's CPU check (keyed on it) guards this kernel too
  runtime: (node) => (qdqParamsConst(node) ? [...generic().runtime(node), 'x86-avx2/qcc_qpacked_avx2.h', QUANT_AVX2_RUNTIME] : generic().runtime(node)),
  emit(node, ctx) {
    const src = generic().emit(node, ctx);
    if (!qdqParamsConst(node)) return src;
    return src.replace(/\bqcc_quantize_linear_f32_(u8|i8)\(/, 'qcc_quantize_linear_f32_$1_avx2(');
  },
};
