/**
 * x86-avx2 QLinearAdd / QLinearMul (runtime-c/x86-avx2/qcc_qlinear_binary_avx2.h): the generic emitter's
 * parameters and call with the function name switched to the AVX2 twin, which takes the same parameter
 * struct (one source for the baked scales, zero points and broadcast strides). The AVX2 kernel's exactness
 * argument needs finite A/B scales and a finite non-zero C scale; other nodes keep the generic kernel.
 * In place like the generic kernel (each 8-element chunk is loaded before it is stored).
 */
import type { Node } from '../../compiler/ir/graph.ts';
import { inConst } from '../../compiler/ops/op-def.ts';
import { scaleOf } from '../../compiler/ops/contrib-util.ts';
import type { CEmitter } from '../c/emitter.ts';
import { GENERIC_EMITTERS } from '../c/ops/index.ts';

export const QBIN_AVX2_RUNTIME = 'x86-avx2/qcc_qlinear_binary_avx2.h';

function vectorisable(node: Node): boolean {
  const as = scaleOf(inConst(node, 1, 'A_scale'));
  const bs = scaleOf(inConst(node, 4, 'B_scale'));
  const cs = scaleOf(inConst(node, 6, 'C_scale'));
  return Number.isFinite(as) && Number.isFinite(bs) && Number.isFinite(cs) && cs !== 0;
}

export const QLINEAR_BINARY_AVX2: CEmitter[] = (['qlinear_add', 'qlinear_mul'] as const).map((kind) => {
  const g = GENERIC_EMITTERS.get(kind);
  if (!g) throw new Error(`internal: no generic emitter for ${kind}`);
  return {
    kind,
    // qcc_qpacked_avx2.h is listed so that the target's CPU check (keyed on it) guards this kernel too
    runtime: (node) => (vectorisable(node) ? [...g.runtime(node), 'x86-avx2/qcc_qpacked_avx2.h', QBIN_AVX2_RUNTIME] : g.runtime(node)),
    alias: () => ({ kind: 'in-place', inputs: [0, 3] }),
    emit(node, ctx) {
      const src = g.emit(node, ctx);
      if (!vectorisable(node)) return src;
      const re = new RegExp(`\\bqcc_${kind}_(u8|i8)\\(`);
      if (!re.test(src)) throw new Error(`internal: unexpected generic ${kind} call`);
      return src.replace(re, `qcc_${kind}_$1_avx2(`);
    },
  };
});
