/**
 * Window attributes of the float conv and pooling ops, normalised to exactly three spatial axes (leading
 * axes of size 1 are prepended for 1-D and 2-D), which is also the layout of the C params structs
 * (runtime-c/qcc_window.h). Prepending size-1 axes keeps the row-major kernel order of the original rank.
 */
import type { Node } from '../ir/graph.ts';
import { attrInt, attrInts, opError } from './op-def.ts';
import { outputSpatial } from './conv-geometry.ts';

export type Triple = [number, number, number];

export interface Window3 {
  /** Spatial rank of the original op (1..3). */
  rank: number;
  inSp: Triple;
  outSp: Triple;
  kernel: Triple;
  strides: Triple;
  dilations: Triple;
  padBegin: Triple;
  padEnd: Triple;
}

export const MAX_SPATIAL = 3;

function to3(v: readonly number[], fill: number): Triple {
  const r: number[] = [];
  for (let i = 0; i < MAX_SPATIAL - v.length; i++) r.push(fill);
  r.push(...v);
  return [r[0]!, r[1]!, r[2]!];
}

/**
 * Reads and validates strides/dilations/pads (and ceil_mode) of a conv or pool node whose input has
 * spatial sizes `inSp` and whose kernel is `kernel`; computes the output spatial sizes.
 */
export function readWindow(node: Node, inSp: readonly number[], kernel: readonly number[], ceilMode: boolean): Window3 {
  const n = inSp.length;
  if (n < 1 || n > MAX_SPATIAL) {
    throw opError(node, `${n} spatial axes are not supported (1 to ${MAX_SPATIAL})`, 'E_UNSUPPORTED');
  }
  const ones = new Array<number>(n).fill(1);
  const strides = attrInts(node, 'strides', ones);
  const dilations = attrInts(node, 'dilations', ones);
  const pads = attrInts(node, 'pads', new Array<number>(2 * n).fill(0));
  const check = (name: string, v: readonly number[], len: number, min: number) => {
    if (v.length !== len) throw opError(node, `'${name}' has ${v.length} values, expected ${len}`, 'E_ATTR');
    if (v.some((x) => !Number.isInteger(x) || x < min)) throw opError(node, `'${name}' values must be integers >= ${min}, got [${v.join(', ')}]`, 'E_ATTR');
  };
  check('kernel_shape', kernel, n, 1);
  check('strides', strides, n, 1);
  check('dilations', dilations, n, 1);
  check('pads', pads, 2 * n, 0);
  const w = { kernel, strides, dilations };
  const out = outputSpatial(inSp, pads, w, ceilMode);
  if (out.some((o) => o < 1)) {
    throw opError(
      node,
      `window (kernel [${kernel.join(', ')}], dilations [${dilations.join(', ')}], pads [${pads.join(', ')}]) does not fit the input spatial shape [${inSp.join(', ')}]`,
    );
  }
  return {
    rank: n,
    inSp: to3(inSp, 1),
    outSp: to3(out, 1),
    kernel: to3(kernel, 1),
    strides: to3(strides, 1),
    dilations: to3(dilations, 1),
    padBegin: to3(pads.slice(0, n), 0),
    padEnd: to3(pads.slice(n), 0),
  };
}

export function readCeilMode(node: Node): boolean {
  const c = attrInt(node, 'ceil_mode', 0);
  if (c !== 0 && c !== 1) throw opError(node, `'ceil_mode' must be 0 or 1, got ${c}`, 'E_ATTR');
  return c === 1;
}

/**
 * The taps t in [t0, t1) of a window axis whose input index o*stride - pad + t*dil lies in [0, len).
 * The same integer arithmetic as qcc_window_range in runtime-c/qcc_window.h (all operands non-negative
 * where divided, so C and JS division agree).
 */
export function tapRange(o: number, stride: number, pad: number, dil: number, k: number, len: number): [number, number] {
  const base = o * stride - pad;
  let t0 = 0;
  if (base < 0) t0 = Math.floor((-base + dil - 1) / dil);
  const lim = len - base;
  let t1 = lim <= 0 ? 0 : Math.floor((lim + dil - 1) / dil);
  if (t1 > k) t1 = k;
  if (t0 > t1) t0 = t1;
  return [t0, t1];
}

/** Taps of a window axis inside the padded extent [-padBegin, len + padEnd) (count_include_pad). */
export function paddedTapCount(o: number, stride: number, padBegin: number, padEnd: number, dil: number, k: number, len: number): number {
  // In padded coordinates the window starts at o*stride >= 0; taps must stay below padBegin + len + padEnd.
  const lim = padBegin + len + padEnd - o * stride;
  let c = lim <= 0 ? 0 : Math.floor((lim + dil - 1) / dil);
  if (c > k) c = k;
  return c;
}

/** C initializer fragment `{a, b, c}` of a triple. */
export function tripleC(t: Triple): string {
  return `{${t[0]}, ${t[1]}, ${t[2]}}`;
}
