import type { Shape } from './tensor.ts';
import { stridesOf } from './tensor.ts';

/** Numpy-style multidirectional broadcast; undefined when the shapes are incompatible. */
export function broadcastShapes(...shapes: Shape[]): number[] | undefined {
  const rank = Math.max(0, ...shapes.map((s) => s.length));
  const out = new Array<number>(rank).fill(1);
  for (const s of shapes) {
    for (let i = 0; i < s.length; i++) {
      const o = rank - s.length + i;
      const d = s[i]!;
      if (out[o] === 1) out[o] = d;
      else if (d !== 1 && d !== out[o]) return undefined;
    }
  }
  return out;
}

/**
 * Element strides of `shape` when read as `outShape` under broadcasting (0 on broadcast axes),
 * aligned to outShape's rank. Shared by the interpreter and the C emitters so both walk identically.
 */
export function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const s = stridesOf(shape);
  const r = outShape.length;
  const res = new Array<number>(r).fill(0);
  for (let i = 0; i < shape.length; i++) {
    const o = r - shape.length + i;
    res[o] = shape[i] === 1 && outShape[o] !== 1 ? 0 : s[i]!;
  }
  return res;
}
