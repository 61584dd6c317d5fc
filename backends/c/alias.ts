/**
 * Which generic C kernels may run in place: THE one table (memory planning reads it through
 * `aliasPolicy`). Each entry was checked against its runtime-c kernel:
 *  - `view`: reshape (Flatten, Squeeze and Unsqueeze import to it too) keeps the bytes in order, so its
 *    output can simply be its input's bytes; the node then runs no code.
 *  - `in-place` (input indices): the kernel computes y[i] from x[i] only (and reads x[i] before storing
 *    y[i]) with plain `const T *x, T *y` parameters (no `restrict`), so y may be x exactly. For binary
 *    kernels the full-size operand walks with the output even on the `_sa/_sb/_bcast` paths (the planner
 *    only lets an operand of the output's element count be overwritten, and broadcasting cannot reorder
 *    such an operand); the other operand is read through its own pointer.
 *      qcc_elementwise.h: QCC_EW_BINARY (add sub mul div max min), QCC_EW_UNARY / QCC_EW_SIGNBIT
 *      (relu neg abs sqrt exp tanh sigmoid reciprocal), qcc_leaky_relu_*, QCC_EW_CLIP;
 *      qcc_qlinear_binary.h: qcc_qlinear_add/mul (`*y++ = f(a[ja], b[jb])`);
 *      qcc_lut.h: qcc_lut8 (qlinear_sigmoid, qlinear_leaky_relu).
 * The table applies only to the generic emitters themselves: a target that overrides a kind with its own
 * kernel (SIMD) gets no aliasing for it unless its emitter declares `CEmitter.alias`.
 */
import type { Node } from '../../compiler/ir/graph.ts';
import type { NodeAlias } from '../../compiler/lower/memory-plan.ts';
import type { CEmitter } from './emitter.ts';
import { GENERIC_EMITTERS } from './ops/index.ts';

const VIEW: NodeAlias = { kind: 'view' };
const FIRST: NodeAlias = { kind: 'in-place', inputs: [0] };
const BOTH: NodeAlias = { kind: 'in-place', inputs: [0, 1] };
/** qlinear_add/mul: inputs are (A, A_scale, A_zp, B, B_scale, B_zp, C_scale, C_zp). */
const QBIN: NodeAlias = { kind: 'in-place', inputs: [0, 3] };

export const GENERIC_ALIAS: ReadonlyMap<string, NodeAlias> = new Map<string, NodeAlias>([
  ['reshape', VIEW],
  ...['add', 'sub', 'mul', 'div', 'max', 'min'].map((k): [string, NodeAlias] => [k, BOTH]),
  ...['relu', 'neg', 'abs', 'sqrt', 'exp', 'tanh', 'sigmoid', 'reciprocal', 'leaky_relu', 'clip'].map((k): [string, NodeAlias] => [k, FIRST]),
  ['qlinear_add', QBIN],
  ['qlinear_mul', QBIN],
  ['qlinear_sigmoid', FIRST],
  ['qlinear_leaky_relu', FIRST],
]);

/** The alias policy of a kernel table: an emitter's own `alias`, else the table above for generic emitters. */
export function aliasPolicy(emitters: ReadonlyMap<string, CEmitter>): (node: Node) => NodeAlias | null {
  return (node) => {
    const e = emitters.get(node.op);
    if (!e) return null;
    if (e.alias) return e.alias(node);
    return e === GENERIC_EMITTERS.get(node.op) ? (GENERIC_ALIAS.get(node.op) ?? null) : null;
  };
}
