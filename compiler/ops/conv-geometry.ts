/**
 * Window geometry shared by every convolution and pooling op (float and quantized): one place for
 * auto_pad, explicit pads, dilations, strides and ceil_mode, so importers, interpreter and emitters agree.
 * Pads are explicit in the IR: [b_0..b_{n-1}, e_0..e_{n-1}] as in ONNX.
 */

export type AutoPad = 'NOTSET' | 'SAME_UPPER' | 'SAME_LOWER' | 'VALID';

export interface WindowSpec {
  kernel: readonly number[];
  strides: readonly number[];
  dilations: readonly number[];
}

/** Explicit pads for an auto_pad mode (what importers store), given static input spatial sizes. */
export function resolvePads(autoPad: AutoPad, pads: readonly number[] | undefined, inSpatial: readonly number[], w: WindowSpec): number[] {
  const n = inSpatial.length;
  if (autoPad === 'NOTSET') return pads ? [...pads] : new Array<number>(2 * n).fill(0);
  if (autoPad === 'VALID') return new Array<number>(2 * n).fill(0);
  const res = new Array<number>(2 * n).fill(0);
  for (let i = 0; i < n; i++) {
    const s = w.strides[i]!;
    const out = Math.ceil(inSpatial[i]! / s);
    const eff = (w.kernel[i]! - 1) * w.dilations[i]! + 1;
    const total = Math.max(0, (out - 1) * s + eff - inSpatial[i]!);
    const small = Math.floor(total / 2);
    const big = total - small;
    res[i] = autoPad === 'SAME_UPPER' ? small : big;
    res[i + n] = autoPad === 'SAME_UPPER' ? big : small;
  }
  return res;
}

/** Output spatial sizes. With ceilMode, a last window that would start in the end padding is dropped (ONNX). */
export function outputSpatial(inSpatial: readonly number[], pads: readonly number[], w: WindowSpec, ceilMode = false): number[] {
  const n = inSpatial.length;
  return inSpatial.map((len, i) => {
    const eff = (w.kernel[i]! - 1) * w.dilations[i]! + 1;
    const span = len + pads[i]! + pads[i + n]! - eff;
    const s = w.strides[i]!;
    if (span < 0) return 0;
    let out = (ceilMode ? Math.ceil(span / s) : Math.floor(span / s)) + 1;
    if (ceilMode && (out - 1) * s >= len + pads[i]!) out--;
    return out;
  });
}
