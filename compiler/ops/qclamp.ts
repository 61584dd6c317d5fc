/**
 * The optional output clamp of the integer conv/matmul kinds (attribute `clamp: [lo, hi]`, set by
 * compiler/passes/activation-fusion.ts when a Relu/Clip after the op is exactly a clamp of its integer
 * output). Applied after requantization: clamp(saturate(v)) with [lo, hi] inside the type's range, so it
 * equals requantizing with the narrower saturation bounds. Interpreter and C emitters share these helpers.
 */
import type { Node } from '../ir/graph.ts';
import { shapeSize } from '../ir/tensor.ts';
import { opError } from './op-def.ts';

export function qclampOf(node: Node): readonly [number, number] | null {
  const c = node.attrs['clamp'];
  if (c === undefined) return null;
  if (!Array.isArray(c) || c.length !== 2 || c.some((v) => !Number.isInteger(v)) || (c[0] as number) > (c[1] as number)) {
    throw opError(node, `attribute 'clamp' must be [lo, hi] integers with lo <= hi`, 'E_ATTR');
  }
  return [c[0] as number, c[1] as number];
}

export function applyQclamp(node: Node, y: Int8Array | Uint8Array): void {
  const c = qclampOf(node);
  if (!c) return;
  const [lo, hi] = c;
  for (let i = 0; i < y.length; i++) {
    const v = y[i]!;
    y[i] = v < lo ? lo : v > hi ? hi : v;
  }
}

/** C statement clamping the node's output in place (empty when there is no clamp). `y` is its C expression. */
export function qclampC(node: Node, y: string): string {
  const c = qclampOf(node);
  if (!c) return '';
  const n = shapeSize(node.outputs[0]!.type.shape);
  return `\n{ uint32_t qcc_ci; for (qcc_ci = 0; qcc_ci < ${n}u; qcc_ci++) { int32_t qcc_cv = ${y}[qcc_ci]; ` +
    `${y}[qcc_ci] = qcc_cv < ${c[0]} ? ${c[0]} : (qcc_cv > ${c[1]} ? ${c[1]} : qcc_cv); } }`;
}
