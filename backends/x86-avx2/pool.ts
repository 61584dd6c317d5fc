/**
 * x86-avx2 pooling (runtime-c/x86-avx2/qcc_pool_avx2.h): the generic emitters' calls with the function name
 * switched to the AVX2 twin, which takes the same parameters (one source for the geometry and the baked
 * scales). qlinear_global_average_pool (and qlinear_average_pool when its window is the whole input, which
 * the generic emitter sends to the global kernel) get vectorised integer sums; max_pool on u8 / i8 gets the
 * vector max when the window is 2-D (or 1-D), dilation 1, column stride 1 or 2. Other cases keep the generic
 * kernel.
 */
import type { Node } from '../../compiler/ir/graph.ts';
import { poolGeom } from '../../compiler/ops/nn-pool.ts';
import type { CEmitter } from '../c/emitter.ts';
import { GENERIC_EMITTERS } from '../c/ops/index.ts';

export const POOL_AVX2_RUNTIME = 'x86-avx2/qcc_pool_avx2.h';
// qcc_qpacked_avx2.h is listed so that the target's CPU check (keyed on it) guards these kernels too
const CPU_KEY = 'x86-avx2/qcc_qpacked_avx2.h';

const generic = (kind: string): CEmitter => {
  const g = GENERIC_EMITTERS.get(kind);
  if (!g) throw new Error(`internal: no generic emitter for ${kind}`);
  return g;
};

const GAP_CALL = /\bqcc_qlinear_global_average_pool_(u8|i8)\(/;

/** qlinear_global_average_pool / qlinear_average_pool: the AVX2 kernel wherever the generic code calls the global one. */
const qgap = (kind: 'qlinear_global_average_pool' | 'qlinear_average_pool'): CEmitter => ({
  kind,
  runtime: (node) => [...generic(kind).runtime(node), CPU_KEY, POOL_AVX2_RUNTIME],
  emit(node, ctx) {
    return generic(kind).emit(node, ctx).replace(GAP_CALL, 'qcc_qlinear_global_average_pool_$1_avx2(');
  },
});

/** Whether qcc_max_pool_<d>_avx2 vectorises this max_pool (else the generic kernel). */
export function maxPoolAvx2(node: Node): boolean {
  const d = node.inputs[0]!.type.dtype;
  if (d !== 'u8' && d !== 'i8') return false;
  const g = poolGeom(node);
  return g.inSp[0] === 1 && g.outSp[0] === 1 && g.kernel[0] === 1 && g.dilations[1] === 1 && g.dilations[2] === 1 &&
    (g.strides[2] === 1 || g.strides[2] === 2);
}

const maxPool: CEmitter = {
  kind: 'max_pool',
  runtime: (node) => (maxPoolAvx2(node) ? [...generic('max_pool').runtime(node), CPU_KEY, POOL_AVX2_RUNTIME] : generic('max_pool').runtime(node)),
  emit(node, ctx) {
    const src = generic('max_pool').emit(node, ctx);
    return maxPoolAvx2(node) ? src.replace(/\bqcc_max_pool_(u8|i8)\(/, 'qcc_max_pool_$1_avx2(') : src;
  },
};

export const POOL_AVX2: CEmitter[] = [qgap('qlinear_global_average_pool'), qgap('qlinear_average_pool'), maxPool];
