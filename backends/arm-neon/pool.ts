/**
 * arm-neon MaxPool on u8 / i8 (runtime-c/arm-neon/qcc_pool_neon.h): the generic emitter's parameters and call
 * with the function name switched to the NEON twin, which takes the same parameter struct and calls the generic
 * kernel itself for the geometries it does not vectorise (3-D windows, dilation, W stride above 2). Float
 * max pool and average pool keep the generic kernels. No in-place execution (the generic table has none).
 *
 * QLinearGlobalAveragePool (and QLinearAveragePool whose window covers the input, which the generic emitter
 * computes with the same global kernel) switch qcc_qlinear_global_average_pool_<dt> to its NEON twin
 * (runtime-c/arm-neon/qcc_qpool_neon.h, same signature, NCHW and channels last).
 */
import type { CEmitter } from '../c/emitter.ts';
import { GENERIC_EMITTERS } from '../c/ops/index.ts';

export const POOL_NEON_RUNTIME = 'arm-neon/qcc_pool_neon.h';

const isQ8 = (d: string) => d === 'u8' || d === 'i8';

function maxPoolNeon(): CEmitter {
  const g = GENERIC_EMITTERS.get('max_pool');
  if (!g) throw new Error('internal: no generic emitter for max_pool');
  return {
    kind: 'max_pool',
    runtime: (node) => (isQ8(node.inputs[0]!.type.dtype) ? [...g.runtime(node), POOL_NEON_RUNTIME] : g.runtime(node)),
    scratchBytes: g.scratchBytes ? (node) => g.scratchBytes!(node) : undefined,
    emit(node, ctx) {
      const src = g.emit(node, ctx);
      if (!isQ8(node.inputs[0]!.type.dtype)) return src;
      return src.replace(/\bqcc_max_pool_(u8|i8)\(/, 'qcc_max_pool_$1_neon(');
    },
  };
}

export const QPOOL_NEON_RUNTIME = 'arm-neon/qcc_qpool_neon.h';

/** The generic emitter of `kind` with every global-average call renamed to the NEON twin. */
function globalAvgNeon(kind: 'qlinear_global_average_pool' | 'qlinear_average_pool'): CEmitter {
  const g = GENERIC_EMITTERS.get(kind);
  if (!g) throw new Error(`internal: no generic emitter for ${kind}`);
  return {
    kind,
    runtime: (node) => [...g.runtime(node), QPOOL_NEON_RUNTIME],
    scratchBytes: g.scratchBytes ? (node) => g.scratchBytes!(node) : undefined,
    emit: (node, ctx) => g.emit(node, ctx).replace(/\bqcc_qlinear_global_average_pool_(u8|i8)\(/, 'qcc_qlinear_global_average_pool_$1_neon('),
  };
}

export const POOL_NEON: CEmitter[] = [maxPoolNeon(), globalAvgNeon('qlinear_global_average_pool'), globalAvgNeon('qlinear_average_pool')];
