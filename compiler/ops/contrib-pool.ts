/**
 * qlinear_average_pool, qlinear_global_average_pool (com.microsoft QLinearAveragePool /
 * QLinearGlobalAveragePool). Inputs x, x_scale, x_zp, y_scale, y_zp (per tensor, u8 or i8).
 * channels_last: x is N x D1..Dk x C instead of N x C x D1..Dk (the output keeps x's layout).
 *
 * Global (ORT qlinear_global_average_pool.cc -> MLAS qlgavgpool.cpp, portable path), integer sums:
 *   scale = x_scale / (y_scale * float(image))                       float32; ORT rejects image >= 2^24
 *                                                                      and scale outside [2^-32, 256)
 *   acc   = -x_zp * image + sum(x)                                    int32
 *   y     = clamp((int32_t)nearbyintf(float(acc) * scale) + y_zp, qmin, qmax)
 *
 * Windowed (ORT qlinear_pool.cc), in float32:
 *   d     = x_scale * float(x - x_zp) for every input element
 *   s     = 0; s += d over the window's taps inside the input, row-major (padding skipped)
 *   s     = s / float(count), count = prod(kernel_shape) with count_include_pad (even where the window
 *           runs past the padding), else the number of taps inside the input
 *   y     = clamp((int32_t)nearbyintf(s / y_scale + float(y_zp)), qmin, qmax)
 * except that ORT computes a window covering the whole input without padding (kernel_shape == spatial
 * shape, all pads 0) with the global kernel above: qcc does the same.
 */
import type { DType } from '../ir/dtype.ts';
import type { Node, TensorType } from '../ir/graph.ts';
import { Tensor, shapeSize } from '../ir/tensor.ts';
import { roundHalfEvenF32 } from '../numerics/round.ts';
import { outputSpatial } from './conv-geometry.ts';
import { attrInt, attrInts, inType, opError } from './op-def.ts';
import { defineOp } from './registry.ts';
import { checkScale, checkZp, f32ToI32Sat, q8Input, qRange8, scaleOf, zpOf } from './contrib-util.ts';

const f = Math.fround;

/** The layout of a pooled tensor: batch n, channels c, spatial sizes; channels last or not. */
export interface QPoolLayout {
  n: number;
  c: number;
  spatial: number[];
  channelsLast: boolean;
}

function layoutOf(shape: readonly number[], channelsLast: boolean): QPoolLayout {
  return channelsLast
    ? { n: shape[0]!, c: shape[shape.length - 1]!, spatial: shape.slice(1, -1), channelsLast }
    : { n: shape[0]!, c: shape[1]!, spatial: shape.slice(2), channelsLast };
}

function shapeOf(l: QPoolLayout, spatial: readonly number[]): number[] {
  return l.channelsLast ? [l.n, ...spatial, l.c] : [l.n, l.c, ...spatial];
}

function channelsLastAttr(node: Node): boolean {
  const v = attrInt(node, 'channels_last', 0);
  if (v !== 0 && v !== 1) throw opError(node, `'channels_last' must be 0 or 1, got ${v}`, 'E_ATTR');
  return v === 1;
}

function poolInfer(node: Node, zpRequired: boolean): { x: TensorType; l: QPoolLayout } {
  const x = q8Input(node, 0, 'X');
  if (x.shape.length < 3) throw opError(node, `X must have rank >= 3, got [${x.shape.join(',')}]`);
  checkScale(node, 1, 'x_scale');
  checkScale(node, 3, 'y_scale');
  if (zpRequired) {
    inType(node, 2);
    inType(node, 4);
  }
  checkZp(node, 2, 'x_zero_point', x.dtype);
  checkZp(node, 4, 'y_zero_point', x.dtype);
  return { x, l: layoutOf(x.shape, channelsLastAttr(node)) };
}

/** The float32 scale of the global kernel; throws like ORT (CheckQLinearGlobalAveragePoolScaleAndSize). */
export function globalPoolScale(node: Node, xScale: number, yScale: number, image: number): number {
  const scale = f(xScale / f(yScale * f(image)));
  if (image >= 0x1000000 || !(scale >= 2 ** -32 && scale < 256)) {
    throw opError(node, `x_scale / (y_scale * ${image}) = ${scale} is outside [2^-32, 256) (or the image has 2^24 or more elements); ` +
      'ONNX Runtime rejects these parameters', 'E_UNSUPPORTED');
  }
  return scale;
}

/** Global average of `planes` rows of `image` elements, reading element (p, i) at p*pStride + i*iStride. */
export function globalPoolInt(
  x: ArrayLike<number>, planes: number, image: number, planeAt: (p: number) => number, iStride: number,
  xZp: number, scale: number, yZp: number, dtype: DType, y: Int8Array | Uint8Array, yAt: (p: number) => number,
): void {
  const { qmin, qmax } = qRange8(dtype);
  const bias = Math.imul(-xZp, image);
  for (let p = 0; p < planes; p++) {
    let acc = bias;
    const base = planeAt(p);
    for (let i = 0; i < image; i++) acc = (acc + x[base + i * iStride]!) | 0;
    let v = (f32ToI32Sat(roundHalfEvenF32(f(f(acc) * scale))) + yZp) | 0;
    v = v > qmax ? qmax : v;
    v = v < qmin ? qmin : v;
    y[yAt(p)] = v;
  }
}

/** Runs the global kernel over a [n, c, image] or [n, image, c] tensor. */
function globalPool(node: Node, x: Tensor, l: QPoolLayout, xs: number, xz: number, ys: number, yz: number, y: Tensor): void {
  const image = shapeSize(l.spatial);
  const scale = globalPoolScale(node, xs, ys, image);
  const yd = y.data as Int8Array | Uint8Array;
  const xd = x.data as Int8Array | Uint8Array;
  if (l.channelsLast) {
    globalPoolInt(xd, l.n * l.c, image, (p) => Math.floor(p / l.c) * image * l.c + (p % l.c), l.c, xz, scale, yz, x.dtype, yd, (p) => p);
  } else {
    globalPoolInt(xd, l.n * l.c, image, (p) => p * image, 1, xz, scale, yz, x.dtype, yd, (p) => p);
  }
}

defineOp({
  kind: 'qlinear_global_average_pool',
  constInputs: [1, 2, 3, 4],
  infer(node) {
    const { x, l } = poolInfer(node, true);
    const s1 = node.inputs[1]?.const;
    const s3 = node.inputs[3]?.const;
    if (s1 && s3) globalPoolScale(node, scaleOf(s1), scaleOf(s3), shapeSize(l.spatial));
    return [{ dtype: x.dtype, shape: shapeOf(l, l.spatial.map(() => 1)) }];
  },
  interpret(node, [x, xs, xz, ys, yz]) {
    const l = layoutOf(x!.shape, channelsLastAttr(node));
    const y = new Tensor(x!.dtype, shapeOf(l, l.spatial.map(() => 1)));
    globalPool(node, x!, l, scaleOf(xs), zpOf(xz), scaleOf(ys), zpOf(yz), y);
    return [y];
  },
});

/** Window geometry of qlinear_average_pool (no dilations; 1 to 3 spatial axes). */
export interface QAvgPoolGeom {
  l: QPoolLayout;
  kernel: number[];
  strides: number[];
  padsBegin: number[];
  outSpatial: number[];
  countIncludePad: boolean;
  /** ORT runs this window with the global (integer) kernel. */
  global: boolean;
}

export function qavgPoolGeom(node: Node): QAvgPoolGeom {
  const x = inType(node, 0);
  const l = layoutOf(x.shape, channelsLastAttr(node));
  const r = l.spatial.length;
  if (r < 1 || r > 3) throw opError(node, `${r} spatial axes are not supported (1 to 3, as ONNX Runtime)`, 'E_UNSUPPORTED');
  const kernel = [...attrInts(node, 'kernel_shape')];
  const strides = [...attrInts(node, 'strides', new Array<number>(r).fill(1))];
  const pads = [...attrInts(node, 'pads', new Array<number>(2 * r).fill(0))];
  if (kernel.length !== r || strides.length !== r || pads.length !== 2 * r) {
    throw opError(node, `kernel_shape/strides/pads do not match the ${r} spatial axes of X`, 'E_ATTR');
  }
  if (kernel.some((k) => k < 1) || strides.some((s) => s < 1) || pads.some((p) => p < 0)) {
    throw opError(node, 'kernel_shape and strides must be >= 1 and pads >= 0', 'E_ATTR');
  }
  // ORT's PoolAttributes: "Pad should be smaller than kernel".
  if (pads.some((p, i) => p >= kernel[i % r]!)) throw opError(node, `pads [${pads.join(', ')}] must be smaller than kernel_shape [${kernel.join(', ')}]`, 'E_ATTR');
  const ceil = attrInt(node, 'ceil_mode', 0) === 1;
  const outSpatial = outputSpatial(l.spatial, pads, { kernel, strides, dilations: new Array<number>(r).fill(1) }, ceil);
  if (outSpatial.some((o) => o < 1)) throw opError(node, `window [${kernel.join(', ')}] does not fit the input spatial shape [${l.spatial.join(', ')}]`);
  const global = kernel.every((k, i) => k === l.spatial[i]) && pads.every((p) => p === 0);
  return { l, kernel, strides, padsBegin: pads.slice(0, r), outSpatial, countIncludePad: attrInt(node, 'count_include_pad', 0) === 1, global };
}

/** quantize_value of qlinear_pool.cc: clamp((int32_t)nearbyintf(v / y_scale + y_zp), qmin, qmax). */
export function poolQuantize(v: number, ys: number, yz: number, qmin: number, qmax: number): number {
  let r = f32ToI32Sat(roundHalfEvenF32(f(f(v / ys) + yz)));
  r = r < qmax ? r : qmax;
  return r > qmin ? r : qmin;
}

/** Windowed average pool in float (NCHW order of planes; channels-last input is read with strides). */
function avgPoolFloat(g: QAvgPoolGeom, x: Tensor, xs: number, xz: number, ys: number, yz: number, y: Tensor): void {
  const { l } = g;
  const r = l.spatial.length;
  const pad3 = (a: readonly number[], v: number) => [...new Array<number>(3 - r).fill(v), ...a];
  const [ID, IH, IW] = pad3(l.spatial, 1) as [number, number, number];
  const [OD, OH, OW] = pad3(g.outSpatial, 1) as [number, number, number];
  const [KD, KH, KW] = pad3(g.kernel, 1) as [number, number, number];
  const [SD, SH, SW] = pad3(g.strides, 1) as [number, number, number];
  const [PD, PH, PW] = pad3(g.padsBegin, 0) as [number, number, number];
  const image = ID * IH * IW;
  const oimage = OD * OH * OW;
  const kernelSize = KD * KH * KW;
  const { qmin, qmax } = qRange8(x.dtype);
  const xd = x.data as Int8Array | Uint8Array;
  const yd = y.data as Int8Array | Uint8Array;
  // Element (n, c, spatial offset s) of input / output.
  const xAt = (n: number, c: number, s: number) => (l.channelsLast ? (n * image + s) * l.c + c : (n * l.c + c) * image + s);
  const yAt = (n: number, c: number, s: number) => (l.channelsLast ? (n * oimage + s) * l.c + c : (n * l.c + c) * oimage + s);
  const deq = (v: number) => f(xs * ((v - xz) | 0));
  for (let n = 0; n < l.n; n++) {
    for (let c = 0; c < l.c; c++) {
      for (let od = 0; od < OD; od++) {
        const d0 = od * SD - PD;
        const d1 = Math.min(d0 + KD, ID);
        const ds = Math.max(d0, 0);
        for (let oh = 0; oh < OH; oh++) {
          const h0 = oh * SH - PH;
          const h1 = Math.min(h0 + KH, IH);
          const hs = Math.max(h0, 0);
          for (let ow = 0; ow < OW; ow++) {
            const w0 = ow * SW - PW;
            const w1 = Math.min(w0 + KW, IW);
            const ws = Math.max(w0, 0);
            let s = 0;
            for (let d = ds; d < d1; d++) {
              for (let h = hs; h < h1; h++) {
                for (let w = ws; w < w1; w++) s = f(s + deq(xd[xAt(n, c, (d * IH + h) * IW + w)]!));
              }
            }
            const count = g.countIncludePad ? kernelSize : (d1 - ds) * (h1 - hs) * (w1 - ws);
            s = f(s / f(count));
            yd[yAt(n, c, (od * OH + oh) * OW + ow)] = poolQuantize(s, ys, yz, qmin, qmax);
          }
        }
      }
    }
  }
}

defineOp({
  kind: 'qlinear_average_pool',
  constInputs: [1, 2, 3, 4],
  infer(node) {
    const { x } = poolInfer(node, false);
    const g = qavgPoolGeom(node);
    const s1 = node.inputs[1]?.const;
    const s3 = node.inputs[3]?.const;
    if (g.global && s1 && s3) globalPoolScale(node, scaleOf(s1), scaleOf(s3), shapeSize(g.kernel));
    return [{ dtype: x.dtype, shape: shapeOf(g.l, g.outSpatial) }];
  },
  interpret(node, [x, xs, xz, ys, yz]) {
    const g = qavgPoolGeom(node);
    const y = new Tensor(x!.dtype, shapeOf(g.l, g.outSpatial));
    if (g.global) globalPool(node, x!, g.l, scaleOf(xs), zpOf(xz), scaleOf(ys), zpOf(yz), y);
    else avgPoolFloat(g, x!, scaleOf(xs), zpOf(xz), scaleOf(ys), zpOf(yz), y);
    return [y];
  },
});
