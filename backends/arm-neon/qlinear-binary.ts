/**
 * arm-neon QLinearAdd / QLinearMul (runtime-c/arm-neon/qcc_qlinear_binary_neon.h): the generic emitter's
 * parameters and call with the function name switched to the NEON twin, which takes the same parameter
 * struct (one source for the baked scales, zero points and broadcast strides). The kernel is exact for every
 * scale (the clamps are the scalar ternaries, NaN converts to 0 on both), so every u8/i8 node takes it.
 * In place like the generic kernel (each 16-element chunk is loaded before it is stored).
 */
import type { CEmitter } from '../c/emitter.ts';
import { GENERIC_EMITTERS } from '../c/ops/index.ts';

export const QBIN_NEON_RUNTIME = 'arm-neon/qcc_qlinear_binary_neon.h';

export const QLINEAR_BINARY_NEON: CEmitter[] = (['qlinear_add', 'qlinear_mul'] as const).map((kind) => {
  const g = GENERIC_EMITTERS.get(kind);
  if (!g) throw new Error(`internal: no generic emitter for ${kind}`);
  return {
    kind,
    runtime: (node) => [...g.runtime(node), QBIN_NEON_RUNTIME],
    alias: () => ({ kind: 'in-place', inputs: [0, 3] }),
    emit(node, ctx) {
      const src = g.emit(node, ctx);
      const re = new RegExp(`\\bqcc_${kind}_(u8|i8)\\(`);
      // an empty output emits no call
      return re.test(src) ? src.replace(re, `qcc_${kind}_$1_neon(`) : src;
    },
  };
});
