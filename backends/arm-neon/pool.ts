/**
 * arm-neon MaxPool on u8 / i8 (runtime-c/arm-neon/qcc_pool_neon.h): the generic emitter's parameters and call
 * with the function name switched to the NEON twin, which takes the same parameter struct and calls the generic
 * kernel itself for the geometries it does not vectorise (3-D windows, dilation, W stride above 2). Float
 * max pool and average pool keep the generic kernels. No in-place execution (the generic table has none).
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

export const POOL_NEON: CEmitter[] = [maxPoolNeon()];
