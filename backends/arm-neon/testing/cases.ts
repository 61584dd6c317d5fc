/**
 * Seeded QLinearConv / QLinearMatMul cases for the arm kernel parity tests: odd channel counts and widths,
 * strides, pads, dilations, groups, depthwise, first layers, batches, and cases built to saturate
 * (full-range weights -128/127 or 0/255, activations at their extremes, zero points at the ends).
 */
import type { Graph } from '../../../compiler/ir/graph.ts';
import { Tensor } from '../../../compiler/ir/tensor.ts';
import { buildOne } from '../../../compiler/ops/q-test-util.ts';
import { mulberry32 } from '../../../test/util/prng.ts';

export type Q8 = 'u8' | 'i8';
const RANGE: Record<Q8, [number, number]> = { u8: [0, 255], i8: [-128, 127] };

/** The tests' shared mulberry32 (same sequence as before it moved to test/util/prng.ts). */
export const prng = mulberry32;

const int = (r: () => number, lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));

/** 'random' full range; 'extreme' only the two ends; 'mixed' random with a third of the values at an end. */
export type Fill = 'random' | 'extreme' | 'mixed';

export function fillValues(r: () => number, d: Q8, n: number, fill: Fill): number[] {
  const [lo, hi] = RANGE[d];
  return Array.from({ length: n }, () => {
    if (fill === 'extreme') return r() < 0.5 ? lo : hi;
    if (fill === 'mixed' && r() < 0.35) return r() < 0.5 ? lo : hi;
    return int(r, lo, hi);
  });
}

export interface ConvSpec {
  label: string;
  xd: Q8;
  wd: Q8;
  yd: Q8;
  n?: number;
  c: number;
  m: number;
  group?: number;
  /** Spatial input size (1, 2 or 3 dims). */
  sp: number[];
  k: number[];
  strides?: number[];
  dilations?: number[];
  /** begin..., end... as ONNX. */
  pads?: number[];
  wFill?: Fill;
  xFill?: Fill;
  /** Zero points; default random in range. */
  xzp?: number;
  wzp?: number | 'perChannel';
  yzp?: number;
  bias?: 'none' | 'random' | 'huge';
  /** Multiplies the y scale (small: heavy saturation). */
  ySpread?: number;
  /** Exact requant scale 0.5 (x_scale 1, w_scale 0.5, y_scale 1): many exact rounding ties. */
  ties?: boolean;
  /** Weights in [-127, 127] (symmetric int8 quantization, as ONNX Runtime's quantizer makes them). */
  symmetricWeights?: boolean;
  /**
   * Weights moved to within [-128, 127] of their channel's zero point (w' = zp + (w - lo) % 256 - 128, clipped
   * to the type), so the zero points fold into int8 weights (per-channel zero points of SIMD kernels).
   */
  foldableWeights?: boolean;
  /** Fused output clamp [lo, hi] (the attribute activation fusion sets for a Relu/Clip). */
  clamp?: [number, number];
  seed: number;
}

export interface BuiltCase {
  label: string;
  graph: Graph;
  inputs: Tensor[];
}

export function convCase(s: ConvSpec): BuiltCase {
  const r = prng(s.seed);
  const n = s.n ?? 1;
  const group = s.group ?? 1;
  const rank = s.sp.length;
  const cpg = s.c / group;
  const K = cpg * s.k.reduce((a, b) => a * b, 1);
  const wv = fillValues(r, s.wd, s.m * K, s.wFill ?? 'random');
  const x = Tensor.fromNumbers(s.xd, [n, s.c, ...s.sp], fillValues(r, s.xd, n * s.c * s.sp.reduce((a, b) => a * b, 1), s.xFill ?? 'mixed'));
  const [xlo, xhi] = RANGE[s.xd];
  const [wlo, whi] = RANGE[s.wd];
  const [ylo, yhi] = RANGE[s.yd];
  const xzp = s.xzp ?? int(r, xlo, xhi);
  const wzps = s.wzp === 'perChannel' ? Array.from({ length: s.m }, () => int(r, wlo, whi)) : [s.wzp ?? (s.wd === 'i8' ? 0 : int(r, wlo, whi))];
  const yzp = s.yzp ?? int(r, ylo, yhi);
  const fold = (v: number, i: number): number => {
    const z = wzps.length === 1 ? wzps[0]! : wzps[Math.floor(i / K)]!;
    return Math.min(Math.max(z + ((v - wlo) % 256) - 128, wlo, z - 128), whi, z + 127);
  };
  const w = Tensor.fromNumbers(s.wd, [s.m, cpg, ...s.k], s.foldableWeights ? wv.map(fold) : s.symmetricWeights ? wv.map((v) => Math.max(v, -127)) : wv);
  const xs = s.ties ? 1 : 0.02;
  const ws = Array.from({ length: s.m }, () => (s.ties ? 0.5 : 0.005 + r() * 0.045));
  const meanW = ws.reduce((a, b) => a + b, 0) / ws.length;
  const ys = s.ties ? 1 : xs * meanW * Math.sqrt(K) * 90 * (s.ySpread ?? 1);
  const bias = s.bias === undefined || s.bias === 'none' ? null
    : Tensor.fromNumbers('i32', [s.m], Array.from({ length: s.m }, () => (s.bias === 'huge' ? (r() < 0.5 ? 2147483647 - int(r, 0, 1000) : -2147483648 + int(r, 0, 1000)) : int(r, -20000, 20000))));
  const attrs = {
    kernel_shape: s.k, strides: s.strides ?? new Array<number>(rank).fill(1), dilations: s.dilations ?? new Array<number>(rank).fill(1),
    pads: s.pads ?? new Array<number>(2 * rank).fill(0), group, requant: 'fp32', ...(s.clamp ? { clamp: s.clamp } : {}),
  };
  const { graph } = buildOne('qlinear_conv', [
    x, Tensor.fromNumbers('f32', [], [xs]), Tensor.fromNumbers(s.xd, [], [xzp]),
    w, Tensor.fromNumbers('f32', [s.m], ws), Tensor.fromNumbers(s.wd, [wzps.length], wzps),
    Tensor.fromNumbers('f32', [], [ys]), Tensor.fromNumbers(s.yd, [], [yzp]), bias,
  ], attrs);
  return { label: s.label, graph, inputs: [x] };
}

export interface MatMulSpec {
  label: string;
  ad: Q8;
  bd: Q8;
  yd: Q8;
  /** A shape (2-D or batched) and N. */
  a: number[];
  n: number;
  perColumn?: boolean;
  bFill?: Fill;
  aFill?: Fill;
  azp?: number;
  bzp?: number;
  yzp?: number;
  ySpread?: number;
  symmetricWeights?: boolean;
  seed: number;
}

export function matmulCase(s: MatMulSpec): BuiltCase {
  const r = prng(s.seed);
  const k = s.a[s.a.length - 1]!;
  const [alo, ahi] = RANGE[s.ad];
  const [blo, bhi] = RANGE[s.bd];
  const [ylo, yhi] = RANGE[s.yd];
  const a = Tensor.fromNumbers(s.ad, s.a, fillValues(r, s.ad, s.a.reduce((p, q) => p * q, 1), s.aFill ?? 'mixed'));
  const bv = fillValues(r, s.bd, k * s.n, s.bFill ?? 'random');
  const b = Tensor.fromNumbers(s.bd, [k, s.n], s.symmetricWeights ? bv.map((v) => Math.max(v, -127)) : bv);
  const cols = s.perColumn ? s.n : 1;
  const bs = Array.from({ length: cols }, () => 0.005 + r() * 0.045);
  const bz = Array.from({ length: cols }, () => s.bzp ?? (s.bd === 'i8' ? 0 : int(r, blo, bhi)));
  const as = 0.03;
  const ys = as * (bs.reduce((p, q) => p + q, 0) / cols) * Math.sqrt(k) * 90 * (s.ySpread ?? 1);
  const shape = s.perColumn ? [s.n] : [];
  const { graph } = buildOne('qlinear_matmul', [
    a, Tensor.fromNumbers('f32', [], [as]), Tensor.fromNumbers(s.ad, [], [s.azp ?? int(r, alo, ahi)]),
    b, Tensor.fromNumbers('f32', shape, bs), Tensor.fromNumbers(s.bd, shape, bz),
    Tensor.fromNumbers('f32', [], [ys]), Tensor.fromNumbers(s.yd, [], [s.yzp ?? int(r, ylo, yhi)]),
  ], { requant: 'fp32' });
  return { label: s.label, graph, inputs: [a] };
}

const Q: Q8[] = ['u8', 'i8'];

/**
 * Depthwise cases for the NEON depthwise kernels (backends/arm-neon/ops.ts depthwiseVariant): 'dw channels' ones
 * must plan the channel-vectorised kernel on both ISAs, 'dw rows' ones the row kernel on both (3x3 stride 1
 * rows are 'dw sdot' cases), 'dw sdot' ones the SDOT kernel on dotprod (and rows or channels on arm-neon).
 */
export function depthwiseSpecs(): ConvSpec[] {
  const dw = (label: string, c: number, sp: number[], k: number, rest: Partial<ConvSpec> & { seed: number }): ConvSpec =>
    ({ label, xd: 'u8', wd: 'i8', yd: 'u8', c, m: c, group: c, sp, k: [k, k], pads: [1, 1, 1, 1], bias: 'random', ...rest });
  return [
    dw('dw channels 3x3 s1 p1, 64 ch, 25x5 (DS-CNN)', 64, [25, 5], 3, { seed: 301 }),
    dw('dw sdot 3x3 s1 p1, 17 ch, 5x25, i8 (OW 25: channels on arm-neon)', 17, [5, 25], 3, { xd: 'i8', yd: 'i8', seed: 302 }),
    dw('dw channels 3x3 s1 p1, 63 ch, 7x7, per-channel u8 weight zero points (folded)', 63, [7, 7], 3, { wd: 'u8', wzp: 'perChannel', foldableWeights: true, seed: 303 }),
    dw('dw channels 3x3 s1 p1, 3 ch, 14x14, batch 2', 3, [14, 14], 3, { n: 2, seed: 304 }),
    dw('dw channels 3x3 s2 p1, 33 ch, 14x14 (OW 7)', 33, [14, 14], 3, { strides: [2, 2], seed: 305 }),
    dw('dw channels 3x3 s2 asymmetric pads 0,1 / 2,0, 1 ch, 14x13', 1, [14, 13], 3, { strides: [2, 2], pads: [0, 1, 2, 0], seed: 306 }),
    dw('dw channels 3x3 strides (2, 1), pads 2, 16 ch, 7x7', 16, [7, 7], 3, { strides: [2, 1], pads: [2, 2, 2, 2], seed: 307 }),
    dw('dw channels 3x3 s1 p0, 18 ch, 3x3 plane (one output)', 18, [3, 3], 3, { pads: [0, 0, 0, 0], seed: 308 }),
    dw('dw channels 3x3 s1 p1, 17 ch, 1x1 plane', 17, [1, 1], 3, { seed: 309 }),
    dw('dw channels 3x3 s1 p1, 3 ch, 2x3 plane, batch 2', 3, [2, 3], 3, { n: 2, xd: 'i8', seed: 310 }),
    dw('dw channels 5x5 s1 p2, 20 ch, 9x9, fused clamp [30, 200]', 20, [9, 9], 5, { pads: [2, 2, 2, 2], ySpread: 0.3, yzp: 100, clamp: [30, 200], seed: 311 }),
    dw('dw channels 5x5 s2 p2, 5 ch, 14x14, batch 2, u8 weights', 5, [14, 14], 5, { strides: [2, 2], pads: [2, 2, 2, 2], n: 2, wd: 'u8', wzp: 128, seed: 312 }),
    dw('dw channels 5x5 s1 asymmetric pads 1,2 / 0,1, 7 ch, 6x11', 7, [6, 11], 5, { pads: [1, 2, 0, 1], yd: 'i8', seed: 313 }),
    dw('dw channels saturating: weights -128/127, inputs 0/255, xzp 255, yzp 0, 19 ch, 14x14', 19, [14, 14], 3, { wFill: 'extreme', xFill: 'extreme', xzp: 255, yzp: 0, seed: 314 }),
    dw('dw channels saturating: weights -127/127, inputs -128/127, xzp -128, yzp 127, 5x5, 33 ch, 7x7', 33, [7, 7], 5, { xd: 'i8', yd: 'i8', pads: [2, 2, 2, 2], wFill: 'extreme', symmetricWeights: true, xFill: 'extreme', xzp: -128, yzp: 127, ySpread: 4, seed: 315 }),
    dw('dw channels saturating: u8 weights 0/255 zp 128 (folded -128/127), i8 inputs, xzp 127, 3 ch, 7x9', 3, [7, 9], 3, { xd: 'i8', wd: 'u8', wzp: 128, wFill: 'extreme', xFill: 'extreme', xzp: 127, bias: 'huge', seed: 316 }),
    dw('dw channels 3x3 s2 p1, 24 ch, 56x56 (OW 28)', 24, [56, 56], 3, { strides: [2, 2], seed: 317 }),
    dw('dw sdot 3x3 s1 p1, 5 ch, 7x56 (odd OH, last step 8)', 5, [7, 56], 3, { seed: 331 }),
    dw('dw sdot 3x3 s1 asymmetric pads 0,2 / 1,0, 3 ch, 6x30, batch 2', 3, [6, 30], 3, { pads: [0, 2, 1, 0], n: 2, seed: 332 }),
    dw('dw sdot saturating: weights -128/127, inputs 0/255, xzp 255, yzp 0, 4 ch, 5x40', 4, [5, 40], 3, { wFill: 'extreme', xFill: 'extreme', xzp: 255, yzp: 0, seed: 333 }),
    dw('dw sdot saturating i8: inputs -128/127, xzp -128, yzp 127, fused clamp [-100, 90], pads 2, 3 ch, 4x33', 3, [4, 33], 3, { xd: 'i8', yd: 'i8', pads: [2, 2, 2, 2], wFill: 'extreme', xFill: 'extreme', xzp: -128, yzp: 127, clamp: [-100, 90], seed: 334 }),
    dw('dw sdot 3x3 s1 p1, 17 ch, 3x64, i8 per-channel zero points (folded)', 17, [3, 64], 3, { xd: 'i8', yd: 'i8', wzp: 'perChannel', foldableWeights: true, seed: 335 }),
    dw('dw sdot 3x3 s1 p1, 5 ch, 6x50 (rows on arm-neon)', 5, [6, 50], 3, { seed: 321 }),
    dw('dw sdot 3x3 s1 p1, 2 ch, 9x56, i8 per-channel zero points (folded; rows on arm-neon)', 2, [9, 56], 3, { xd: 'i8', yd: 'i8', wzp: 'perChannel', foldableWeights: true, seed: 322 }),
    dw('dw rows 3x3 s2 asymmetric pads 0,1 / 1,0, 3 ch, 5x101 (OW 51), batch 2', 3, [5, 101], 3, { strides: [2, 2], pads: [0, 1, 1, 0], n: 2, seed: 323 }),
    dw('dw rows 5x5 s1 p2 saturating: weights -128/127, inputs 0/255, 3 ch, 6x60', 3, [6, 60], 5, { pads: [2, 2, 2, 2], wFill: 'extreme', xFill: 'extreme', xzp: 0, yzp: 255, seed: 324 }),
  ];
}

/** The fixed corner cases plus `randomCount` random ones. */
export function parityCases(randomCount: number): BuiltCase[] {
  const conv: ConvSpec[] = [
    { label: 'depthwise 3x3 s1 p1, 13 ch, 11x19', xd: 'u8', wd: 'i8', yd: 'u8', c: 13, m: 13, group: 13, sp: [11, 19], k: [3, 3], pads: [1, 1, 1, 1], bias: 'random', seed: 1 },
    { label: 'depthwise 3x3 s2 p1, 24 ch, 15x33, i8', xd: 'i8', wd: 'i8', yd: 'i8', c: 24, m: 24, group: 24, sp: [15, 33], k: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], bias: 'random', seed: 2 },
    { label: 'depthwise 5x5 s1 p2, 5 ch, u8 weights', xd: 'u8', wd: 'u8', yd: 'i8', c: 5, m: 5, group: 5, sp: [9, 10], k: [5, 5], pads: [2, 2, 2, 2], seed: 3 },
    { label: 'depthwise 3x3 s2 asymmetric pads, extreme weights and inputs', xd: 'i8', wd: 'i8', yd: 'u8', c: 7, m: 7, group: 7, sp: [17, 18], k: [3, 3], strides: [2, 2], pads: [0, 1, 1, 0], wFill: 'extreme', xFill: 'extreme', xzp: 127, yzp: 0, seed: 4 },
    { label: 'depthwise 3x3 s1 p1 fused clamp [40, 200], 9 ch, 7x37', xd: 'u8', wd: 'i8', yd: 'u8', c: 9, m: 9, group: 9, sp: [7, 37], k: [3, 3], pads: [1, 1, 1, 1], bias: 'random', ySpread: 0.3, yzp: 90, clamp: [40, 200], seed: 41 },
    { label: 'depthwise 3x3 s2 p1 fused clamp [-20, 90] i8, 6 ch, 9x45', xd: 'i8', wd: 'i8', yd: 'i8', c: 6, m: 6, group: 6, sp: [9, 45], k: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], ySpread: 0.3, yzp: 5, clamp: [-20, 90], seed: 42 },
    { label: 'depthwise 5x5 s1 p2 fused clamp [0, 100] i8 (qmin >= 0 on i8), 4 ch, 11x21', xd: 'u8', wd: 'i8', yd: 'i8', c: 4, m: 4, group: 4, sp: [11, 21], k: [5, 5], pads: [2, 2, 2, 2], ySpread: 0.3, yzp: -3, clamp: [0, 100], seed: 43 },
    { label: 'depthwise 3x3, u8 weights 0/255 with zp 0 (unfoldable: GEMM path)', xd: 'u8', wd: 'u8', yd: 'u8', c: 6, m: 6, group: 6, sp: [8, 9], k: [3, 3], pads: [1, 1, 1, 1], wFill: 'extreme', wzp: 0, xzp: 255, seed: 5 },
    { label: 'pointwise 1x1 19 -> 13, 9x7', xd: 'u8', wd: 'i8', yd: 'u8', c: 19, m: 13, sp: [9, 7], k: [1, 1], bias: 'random', seed: 6 },
    { label: 'pointwise 1x1 64 -> 40, 14x14 (several pixel tiles)', xd: 'i8', wd: 'i8', yd: 'i8', c: 64, m: 40, sp: [14, 14], k: [1, 1], bias: 'random', seed: 7 },
    { label: 'pointwise 1x1 u8 33 -> 21, 16x16 (input rows read in place)', xd: 'u8', wd: 'i8', yd: 'u8', c: 33, m: 21, sp: [16, 16], k: [1, 1], bias: 'random', xFill: 'extreme', seed: 25 },
    { label: 'pointwise 1x1 u8 weights with unfoldable zp, 12x12', xd: 'u8', wd: 'u8', yd: 'u8', c: 10, m: 7, sp: [12, 12], k: [1, 1], wFill: 'extreme', wzp: 0, seed: 26 },
    { label: 'first layer 3 -> 16, 3x3 s2 p1, 23x23', xd: 'u8', wd: 'i8', yd: 'u8', c: 3, m: 16, sp: [23, 23], k: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], bias: 'random', seed: 8 },
    { label: 'first layer 1 -> 7, 3x3 s1', xd: 'u8', wd: 'u8', yd: 'u8', c: 1, m: 7, sp: [12, 13], k: [3, 3], seed: 9 },
    { label: 'first layer 2 -> 9, 3x3 s2, odd width 37', xd: 'i8', wd: 'i8', yd: 'u8', c: 2, m: 9, sp: [9, 37], k: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], seed: 10 },
    { label: 'first layer direct 3 -> 32, 3x3 s2 p1, 9x67 (OW 34), i8', xd: 'i8', wd: 'i8', yd: 'i8', c: 3, m: 32, sp: [9, 67], k: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], bias: 'random', seed: 51 },
    { label: 'first layer direct 1 -> 5, 3x3 s2, 20x31 (OW 15)', xd: 'u8', wd: 'i8', yd: 'u8', c: 1, m: 5, sp: [20, 31], k: [3, 3], strides: [2, 2], seed: 52 },
    { label: 'first layer direct 3 -> 8 s2 p1, extreme weights -128/127 and inputs 0/255, zp ends', xd: 'u8', wd: 'i8', yd: 'u8', c: 3, m: 8, sp: [11, 41], k: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], wFill: 'extreme', xFill: 'extreme', xzp: 255, yzp: 0, seed: 53 },
    { label: 'first layer direct 3 -> 6 s2, extreme inputs -128/127, xzp -128, i8 out', xd: 'i8', wd: 'i8', yd: 'i8', c: 3, m: 6, sp: [10, 50], k: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], xFill: 'extreme', xzp: -128, yzp: 127, ySpread: 4, seed: 54 },
    { label: 'first layer direct 2 -> 6, strides (1, 2), asymmetric pads, batch 2, OW 16', xd: 'u8', wd: 'u8', yd: 'u8', n: 2, c: 2, m: 6, sp: [7, 32], k: [3, 3], strides: [1, 2], pads: [0, 1, 1, 0], wzp: 128, seed: 55 },
    { label: 'first layer direct 3 -> 5 s2 p1 fused clamp [30, 220], 13x36', xd: 'u8', wd: 'i8', yd: 'u8', c: 3, m: 5, sp: [13, 36], k: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], bias: 'random', ySpread: 0.3, yzp: 120, clamp: [30, 220], seed: 56 },
    { label: 'first layer direct 3 -> 4 s2 p1, 3x3 input (OW 2)', xd: 'u8', wd: 'i8', yd: 'i8', c: 3, m: 4, sp: [3, 3], k: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], seed: 57 },
    { label: 'general 3x3 10 -> 9, p1, 13x11', xd: 'u8', wd: 'i8', yd: 'i8', c: 10, m: 9, sp: [13, 11], k: [3, 3], pads: [1, 1, 1, 1], bias: 'random', wzp: 'perChannel', seed: 11 },
    { label: 'dilation 2, stride 2, asymmetric pads', xd: 'i8', wd: 'u8', yd: 'u8', c: 5, m: 6, sp: [15, 16], k: [3, 3], strides: [2, 2], dilations: [2, 2], pads: [2, 1, 0, 2], seed: 12 },
    // im2col W stride 2 (qcc_qg_even_bytes_neon): runs of 7 (scalar), 8, 9-15 (8-wide, overlapped last), 16
    // exactly (the last byte read ends the input), 17-34 (16-wide, overlapped last), 1x1 shortcut-like.
    { label: 'im2col s2 3x3 p1 16 -> 12, 16x16 (runs 7, 8)', xd: 'u8', wd: 'i8', yd: 'u8', c: 16, m: 12, sp: [16, 16], k: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], bias: 'random', xFill: 'extreme', xzp: 255, seed: 61 },
    { label: 'im2col s2 3x3 p1 5 -> 9, 9x67 (runs 33, 34), i8', xd: 'i8', wd: 'i8', yd: 'i8', c: 5, m: 9, sp: [9, 67], k: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], xzp: -128, yzp: 127, seed: 62 },
    { label: 'im2col s2 1x1 6 -> 7, 7x32 (runs of 16 ending the input), i8 in, u8 out', xd: 'i8', wd: 'i8', yd: 'u8', c: 6, m: 7, sp: [7, 32], k: [1, 1], strides: [2, 2], xFill: 'extreme', seed: 63 },
    { label: 'im2col strides (1, 2) 3x3 p0 4 -> 5, 5x29 (runs 14), batch 2', xd: 'u8', wd: 'u8', yd: 'i8', n: 2, c: 4, m: 5, sp: [5, 29], k: [3, 3], strides: [1, 2], wzp: 128, seed: 64 },
    { label: 'im2col s2 2x2 7 -> 6, 6x19 (runs 9)', xd: 'u8', wd: 'i8', yd: 'u8', c: 7, m: 6, sp: [6, 19], k: [2, 2], strides: [2, 2], seed: 65 },
    { label: 'im2col s2 10x4 p(5,1,4,2) 1 -> 12, 49x10 (DS-CNN first layer: implicit lane use 0.16)', xd: 'u8', wd: 'i8', yd: 'u8', c: 1, m: 12, sp: [49, 10], k: [10, 4], strides: [2, 2], pads: [5, 1, 4, 2], bias: 'random', seed: 66 },
    { label: 'stride 3 width (scalar im2col path)', xd: 'u8', wd: 'i8', yd: 'u8', c: 4, m: 5, sp: [20, 41], k: [3, 3], strides: [3, 3], pads: [1, 1, 1, 1], seed: 13 },
    { label: 'grouped 8 -> 6, group 2, 3x3', xd: 'u8', wd: 'i8', yd: 'u8', c: 8, m: 6, group: 2, sp: [7, 9], k: [3, 3], pads: [1, 1, 1, 1], bias: 'random', seed: 14 },
    { label: 'grouped 12 -> 12, group 4, 1x1', xd: 'i8', wd: 'i8', yd: 'i8', c: 12, m: 12, group: 4, sp: [5, 5], k: [1, 1], seed: 15 },
    { label: '1-D conv 5 -> 6, k3 p1, batch 2', xd: 'u8', wd: 'i8', yd: 'u8', n: 2, c: 5, m: 6, sp: [17], k: [3], pads: [1, 1], seed: 16 },
    { label: '3-D conv 2 -> 3, 2x2x2', xd: 'u8', wd: 'i8', yd: 'u8', c: 2, m: 3, sp: [3, 4, 5], k: [2, 2, 2], pads: [0, 1, 0, 1, 0, 1], seed: 17 },
    { label: 'saturating: weights -128/127, activations 0/255, zp ends', xd: 'u8', wd: 'i8', yd: 'u8', c: 16, m: 9, sp: [6, 7], k: [3, 3], pads: [1, 1, 1, 1], wFill: 'extreme', xFill: 'extreme', xzp: 0, yzp: 255, seed: 18 },
    { label: 'saturating: weights -128/127, activations -128/127, xzp 127', xd: 'i8', wd: 'i8', yd: 'i8', c: 20, m: 11, sp: [5, 9], k: [3, 3], wFill: 'extreme', xFill: 'extreme', xzp: 127, yzp: -128, ySpread: 4, seed: 19 },
    { label: 'saturating: u8 weights 0/255 zp 255, u8 activations zp 0', xd: 'u8', wd: 'u8', yd: 'i8', c: 9, m: 10, sp: [6, 6], k: [3, 3], wFill: 'extreme', xFill: 'extreme', wzp: 255, xzp: 0, seed: 20 },
    { label: 'heavy output saturation and int32 bias wrap', xd: 'u8', wd: 'i8', yd: 'u8', c: 7, m: 9, sp: [6, 6], k: [3, 3], bias: 'huge', ySpread: 0.05, seed: 21 },
    { label: 'exact requant ties (scale 0.5)', xd: 'i8', wd: 'i8', yd: 'i8', c: 2, m: 5, sp: [6, 7], k: [1, 1], xzp: 0, wzp: 0, yzp: 3, seed: 22 },
    { label: 'large K 40 -> 17, 3x3, 10x10', xd: 'u8', wd: 'i8', yd: 'u8', c: 40, m: 17, sp: [10, 10], k: [3, 3], pads: [1, 1, 1, 1], seed: 23 },
    // dotprod implicit GEMM (stride 1, more than one tap): widths not multiples of 8, channels not of 4,
    // asymmetric pads, other windows, groups, batches, saturating weights and activations.
    { label: 'implicit 3x3 s1 p1 13 -> 19, 7x29', xd: 'u8', wd: 'i8', yd: 'u8', c: 13, m: 19, sp: [7, 29], k: [3, 3], pads: [1, 1, 1, 1], bias: 'random', xFill: 'extreme', seed: 31 },
    { label: 'implicit 3x3 s1 asymmetric pads, batch 2, i8', xd: 'i8', wd: 'i8', yd: 'i8', n: 2, c: 6, m: 8, sp: [9, 12], k: [3, 3], pads: [0, 2, 1, 0], bias: 'random', seed: 32 },
    { label: 'implicit 5x5 s1 p2 saturating: weights -128/127, activations 0/255, zp ends', xd: 'u8', wd: 'i8', yd: 'u8', c: 9, m: 17, sp: [8, 11], k: [5, 5], pads: [2, 2, 2, 2], wFill: 'extreme', xFill: 'extreme', xzp: 255, yzp: 0, seed: 33 },
    { label: 'implicit 3x3 grouped 12 -> 10, group 2, u8 weights', xd: 'u8', wd: 'u8', yd: 'i8', c: 12, m: 10, group: 2, sp: [6, 17], k: [3, 3], pads: [1, 1, 1, 1], wzp: 128, seed: 34 },
    { label: 'implicit 2x3 window, pads 1,0 / 0,2, 64 ch', xd: 'i8', wd: 'i8', yd: 'u8', c: 64, m: 9, sp: [5, 8], k: [2, 3], pads: [1, 0, 0, 2], bias: 'huge', ySpread: 0.05, seed: 35 },
    // dotprod implicit GEMM, W stride 2 (even / odd column phase planes): 32- and 16-column LD2 steps and the
    // scalar rest, odd begin pads (phases swap), inputs wider than the windows reach (columns dropped), H
    // stride 1 or 2, 1x1 and 2x2 windows, groups, batches, extremes, clamps.
    { label: 'implicit s2 3x3 p1 16 -> 12, 16x16 (ResNet-like, 16-column steps)', xd: 'u8', wd: 'i8', yd: 'u8', c: 16, m: 12, sp: [16, 16], k: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], bias: 'random', seed: 71 },
    { label: 'implicit s2 3x3 p1 5 -> 9, 9x67 (32 + 16 + scalar columns), i8, zp ends', xd: 'i8', wd: 'i8', yd: 'i8', c: 5, m: 9, sp: [9, 67], k: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], xzp: -128, yzp: 127, seed: 72 },
    { label: 'implicit s2 1x1 6 -> 17, 7x32, i8 in, u8 out, batch 2', xd: 'i8', wd: 'i8', yd: 'u8', n: 2, c: 6, m: 17, sp: [7, 32], k: [1, 1], strides: [2, 2], xFill: 'extreme', seed: 73 },
    { label: 'implicit s2 1x1 33 -> 8, 9x33 (last column past the windows)', xd: 'u8', wd: 'i8', yd: 'u8', c: 33, m: 8, sp: [9, 33], k: [1, 1], strides: [2, 2], bias: 'random', seed: 74 },
    { label: 'implicit s2 2x2 7 -> 6, 6x33 (OW 16, column 32 dropped), u8 weights', xd: 'u8', wd: 'u8', yd: 'i8', c: 7, m: 6, sp: [6, 33], k: [2, 2], strides: [2, 2], wzp: 128, seed: 75 },
    { label: 'implicit s2 2x2 3 -> 5, 5x17 (OW 8, column 16 dropped)', xd: 'i8', wd: 'i8', yd: 'i8', c: 3, m: 5, sp: [5, 17], k: [2, 2], strides: [2, 2], seed: 76 },
    { label: 'implicit strides (1, 2) 3x3 p0 4 -> 5, 5x29, batch 2', xd: 'u8', wd: 'u8', yd: 'i8', n: 2, c: 4, m: 5, sp: [5, 29], k: [3, 3], strides: [1, 2], wzp: 128, seed: 77 },
    { label: 'implicit strides (2, 1) 3x3 p1 9 -> 11, 10x13', xd: 'u8', wd: 'i8', yd: 'u8', c: 9, m: 11, sp: [10, 13], k: [3, 3], strides: [2, 1], pads: [1, 1, 1, 1], bias: 'random', seed: 78 },
    { label: 'implicit s2 5x5 pads 1,1 / 2,2 (odd W begin pad), 10 -> 9, 12x40', xd: 'u8', wd: 'i8', yd: 'u8', c: 10, m: 9, sp: [12, 40], k: [5, 5], strides: [2, 2], pads: [1, 1, 2, 2], seed: 79 },
    { label: 'implicit s2 3x3 pads 0,2 / 1,0, 8 -> 8, 11x70 (W begin pad 2)', xd: 'i8', wd: 'i8', yd: 'u8', c: 8, m: 8, sp: [11, 70], k: [3, 3], strides: [2, 2], pads: [0, 2, 1, 0], seed: 80 },
    { label: 'implicit s2 3x3 p1 saturating: weights -128/127, activations 0/255, xzp 255, yzp 0, 20 -> 10, 9x18', xd: 'u8', wd: 'i8', yd: 'u8', c: 20, m: 10, sp: [9, 18], k: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], wFill: 'extreme', xFill: 'extreme', xzp: 255, yzp: 0, seed: 81 },
    { label: 'implicit s2 3x3 p1 grouped 12 -> 10, group 2, fused clamp [20, 210], 8x32', xd: 'u8', wd: 'i8', yd: 'u8', c: 12, m: 10, group: 2, sp: [8, 32], k: [3, 3], strides: [2, 2], pads: [1, 1, 1, 1], bias: 'huge', ySpread: 0.3, yzp: 100, clamp: [20, 210], seed: 82 },
    // 1x1 convs on planes of fewer than 8 pixels: pixels as MatMul rows (qcc_qlinear_conv_pixrows_s8_*): P = 1,
    // 3, 4 (MR on arm-neon), 5, 7 (4 blocked + 3 plain rows on arm-neon), K with and without tails, M below
    // 8, not a multiple of 32, unfoldable weight zero points, extremes, clamps, batches.
    { label: 'pixrows 1x1 336 -> 56, 2x2 (MobileNetV2)', xd: 'u8', wd: 'i8', yd: 'u8', c: 336, m: 56, sp: [2, 2], k: [1, 1], bias: 'random', seed: 91 },
    { label: 'pixrows 1x1 57 -> 70, 2x2, i8, batch 2', xd: 'i8', wd: 'i8', yd: 'i8', n: 2, c: 57, m: 70, sp: [2, 2], k: [1, 1], bias: 'random', seed: 92 },
    { label: 'pixrows 1x1 40 -> 5, 1x1 plane', xd: 'u8', wd: 'i8', yd: 'i8', c: 40, m: 5, sp: [1, 1], k: [1, 1], seed: 93 },
    { label: 'pixrows 1x1 23 -> 33, 1x3, per-channel u8 weight zero points (folded)', xd: 'u8', wd: 'u8', yd: 'u8', c: 23, m: 33, sp: [1, 3], k: [1, 1], wzp: 'perChannel', foldableWeights: true, seed: 94 },
    { label: 'pixrows 1x1 18 -> 9, 1x7, u8 weights, per-channel zero points (unfolded)', xd: 'u8', wd: 'u8', yd: 'u8', c: 18, m: 9, sp: [1, 7], k: [1, 1], wzp: 'perChannel', xzp: 255, seed: 95 },
    { label: 'pixrows 1x1 20 -> 6, 2x2, u8 weights 0/255 zp 0 (unfolded zero points)', xd: 'u8', wd: 'u8', yd: 'u8', c: 20, m: 6, sp: [2, 2], k: [1, 1], wFill: 'extreme', wzp: 0, xzp: 255, seed: 99 },
    { label: 'pixrows 1-D 1x1 31 -> 17, length 5, batch 3', xd: 'i8', wd: 'i8', yd: 'u8', n: 3, c: 31, m: 17, sp: [5], k: [1], bias: 'random', seed: 96 },
    { label: 'pixrows saturating: weights -128/127, inputs 0/255, xzp 255, yzp 0, 64 -> 40, 2x3', xd: 'u8', wd: 'i8', yd: 'u8', c: 64, m: 40, sp: [2, 3], k: [1, 1], wFill: 'extreme', xFill: 'extreme', xzp: 255, yzp: 0, seed: 97 },
    { label: 'pixrows saturating i8: inputs -128/127, xzp -128, yzp 127, fused clamp [-90, 100], 48 -> 24, 2x2', xd: 'i8', wd: 'i8', yd: 'i8', c: 48, m: 24, sp: [2, 2], k: [1, 1], wFill: 'extreme', xFill: 'extreme', xzp: -128, yzp: 127, clamp: [-90, 100], bias: 'huge', seed: 98 },
    { label: 'kernel 5x5 general 4 -> 5', xd: 'u8', wd: 'u8', yd: 'u8', c: 4, m: 5, sp: [9, 11], k: [5, 5], pads: [2, 2, 2, 2], wzp: 'perChannel', seed: 24 },
  ];
  conv.push(...depthwiseSpecs());
  const mm: MatMulSpec[] = [
    { label: 'matmul 1x37 x 37x21', ad: 'u8', bd: 'i8', yd: 'u8', a: [1, 37], n: 21, seed: 101 },
    { label: 'matmul 9x16 x 16x17 per column', ad: 'i8', bd: 'i8', yd: 'i8', a: [9, 16], n: 17, perColumn: true, seed: 102 },
    { label: 'matmul 17x100 x 100x40 u8 x u8 per column', ad: 'u8', bd: 'u8', yd: 'u8', a: [17, 100], n: 40, perColumn: true, seed: 103 },
    { label: 'matmul batched 2x3x5 x 5x7', ad: 'u8', bd: 'i8', yd: 'i8', a: [2, 3, 5], n: 7, seed: 104 },
    { label: 'matmul 1x1030 x 1030x9 (long k, k groups not a multiple of 4)', ad: 'u8', bd: 'i8', yd: 'u8', a: [1, 1030], n: 9, seed: 108 },
    { label: 'gemv 3x77 x 77x70 (interleaved B, N not a multiple of 32, k tail)', ad: 'u8', bd: 'i8', yd: 'u8', a: [3, 77], n: 70, perColumn: true, seed: 109 },
    { label: 'gemv 1x64 x 64x33 saturating -128/127 weights, -128/127 activations', ad: 'i8', bd: 'i8', yd: 'i8', a: [1, 64], n: 33, bFill: 'extreme', aFill: 'extreme', azp: 127, seed: 110 },
    { label: 'matmul 8x1 x 1x1', ad: 'i8', bd: 'u8', yd: 'u8', a: [8, 1], n: 1, seed: 105 },
    { label: 'matmul saturating -128/127 weights, 0/255 activations', ad: 'u8', bd: 'i8', yd: 'u8', a: [12, 33], n: 19, bFill: 'extreme', aFill: 'extreme', azp: 255, yzp: 0, seed: 106 },
    { label: 'matmul saturating u8 weights 0/255 zp 0, i8 activations -128/127', ad: 'i8', bd: 'u8', yd: 'i8', a: [5, 24], n: 9, bFill: 'extreme', aFill: 'extreme', bzp: 0, azp: -128, seed: 107 },
  ];
  const r = prng(999);
  for (let i = 0; i < randomCount; i++) {
    const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
    if (i % 3 === 2) {
      mm.push({ label: `random matmul ${i}`, ad: pick(Q), bd: pick(Q), yd: pick(Q), a: [int(r, 1, 19), int(r, 1, 70)], n: int(r, 1, 45), perColumn: r() < 0.5, seed: 1000 + i });
      continue;
    }
    const dw = r() < 0.3;
    const c = int(r, 1, 21);
    const k = pick([1, 3, 3, 5]);
    const s = pick([1, 1, 2]);
    const group = dw ? c : pick([1, 1, 1, c]);
    const m = dw ? c : group * int(r, 1, 5);
    const p = Math.floor(k / 2);
    conv.push({
      label: `random conv ${i}`, xd: pick(Q), wd: pick(Q), yd: pick(Q), c, m, group, sp: [int(r, k, 17), int(r, k, 40)], k: [k, k],
      strides: [s, s], pads: r() < 0.7 ? [p, p, p, p] : [0, 0, 0, 0], bias: r() < 0.5 ? 'random' : 'none',
      wzp: r() < 0.3 ? 'perChannel' : undefined, seed: 2000 + i,
    });
  }
  return [...conv.map(convCase), ...mm.map(matmulCase)];
}

/**
 * Cases aimed at the i8mm SMMLA tiles (k groups of 8, row and column pairs): M, N, K among 1, 3, 7, 9, 17,
 * 33, 65 (K rarely a multiple of 8), batches, groups, extremes (u8 0/255, s8 -128/127, zero points at the
 * ends, weights -128/127, unfoldable weight zero points), the 1x1 conv's in-place and packed im2col tiles,
 * im2col convs the implicit kernel does not take (dilation, W stride 3) and pixel-row 1x1 convs. Labels
 * starting 'i8mm matmul' plan qcc_qlinear_matmul_s8_i8mm, 'i8mm conv' qcc_qlinear_conv_s8_i8mm, 'i8mm implicit'
 * qcc_qlinear_conv_implicit_s8_i8mm and 'i8mm pixrows' qcc_qlinear_conv_pixrows_s8_i8mm on arm-neon-i8mm.
 */
export function i8mmCases(): BuiltCase[] {
  const mm: MatMulSpec[] = [
    { label: 'i8mm matmul 65x33 x 33x17', ad: 'u8', bd: 'i8', yd: 'u8', a: [65, 33], n: 17, seed: 4001 },
    { label: 'i8mm matmul 9x7 x 7x65, i8', ad: 'i8', bd: 'i8', yd: 'i8', a: [9, 7], n: 65, seed: 4002 },
    { label: 'i8mm matmul 17x9 x 9x3 u8 x u8 per column', ad: 'u8', bd: 'u8', yd: 'u8', a: [17, 9], n: 3, perColumn: true, seed: 4003 },
    { label: 'i8mm matmul 33x65 x 65x9 per column', ad: 'i8', bd: 'u8', yd: 'u8', a: [33, 65], n: 9, perColumn: true, seed: 4004 },
    { label: 'i8mm matmul 7x17 x 17x33 (M < 8: GEMV tile only)', ad: 'u8', bd: 'i8', yd: 'i8', a: [7, 17], n: 33, seed: 4005 },
    { label: 'i8mm matmul 3x1 x 1x7', ad: 'u8', bd: 'i8', yd: 'u8', a: [3, 1], n: 7, seed: 4006 },
    { label: 'i8mm matmul 65x1 x 1x1', ad: 'i8', bd: 'i8', yd: 'u8', a: [65, 1], n: 1, seed: 4007 },
    { label: 'i8mm matmul batched 3x9x17 x 17x7', ad: 'u8', bd: 'i8', yd: 'u8', a: [3, 9, 17], n: 7, seed: 4008 },
    { label: 'i8mm matmul 8x1030 x 1030x20 (long k, odd k group count)', ad: 'u8', bd: 'i8', yd: 'u8', a: [8, 1030], n: 20, seed: 4009 },
    { label: 'i8mm matmul 16x1024 x 1024x40 (even k group count)', ad: 'i8', bd: 'i8', yd: 'i8', a: [16, 1024], n: 40, perColumn: true, seed: 4010 },
    { label: 'i8mm matmul saturating: weights -128/127, activations 0/255, azp 255, yzp 0, 17x33 x 33x9', ad: 'u8', bd: 'i8', yd: 'u8', a: [17, 33], n: 9, bFill: 'extreme', aFill: 'extreme', azp: 255, yzp: 0, seed: 4011 },
    { label: 'i8mm matmul saturating i8: -128/127 both, azp -128, yzp 127, 9x65 x 65x17', ad: 'i8', bd: 'i8', yd: 'i8', a: [9, 65], n: 17, bFill: 'extreme', aFill: 'extreme', azp: -128, yzp: 127, ySpread: 4, seed: 4012 },
    { label: 'i8mm matmul saturating: u8 weights 0/255 zp 0 (unfolded), i8 activations -128/127, 33x17 x 17x9', ad: 'i8', bd: 'u8', yd: 'i8', a: [33, 17], n: 9, bFill: 'extreme', aFill: 'extreme', bzp: 0, azp: 127, seed: 4013 },
    { label: 'i8mm matmul 1x1024 x 1024x65 (GEMV)', ad: 'u8', bd: 'i8', yd: 'u8', a: [1, 1024], n: 65, seed: 4014 },
  ];
  const conv: ConvSpec[] = [
    { label: 'i8mm conv 1x1 33 -> 17, 9x9 (in-place tile, then a packed 17-pixel tile)', xd: 'u8', wd: 'i8', yd: 'u8', c: 33, m: 17, sp: [9, 9], k: [1, 1], bias: 'random', seed: 4101 },
    { label: 'i8mm conv 1x1 65 -> 9, 7x9, i8', xd: 'i8', wd: 'i8', yd: 'i8', c: 65, m: 9, sp: [7, 9], k: [1, 1], bias: 'random', seed: 4102 },
    { label: 'i8mm conv 1x1 3 -> 65, 5x5, batch 2', xd: 'u8', wd: 'u8', yd: 'u8', n: 2, c: 3, m: 65, sp: [5, 5], k: [1, 1], wzp: 128, seed: 4103 },
    { label: 'i8mm conv 1x1 saturating: weights -128/127, inputs 0/255, xzp 255, yzp 0, 7 -> 33, 8x16', xd: 'u8', wd: 'i8', yd: 'u8', c: 7, m: 33, sp: [8, 16], k: [1, 1], wFill: 'extreme', xFill: 'extreme', xzp: 255, yzp: 0, seed: 4104 },
    { label: 'i8mm conv 1x1 saturating i8: inputs -128/127, xzp -128, yzp 127, fused clamp [-100, 90], 17 -> 9, 8x9', xd: 'i8', wd: 'i8', yd: 'i8', c: 17, m: 9, sp: [8, 9], k: [1, 1], wFill: 'extreme', xFill: 'extreme', xzp: -128, yzp: 127, clamp: [-100, 90], bias: 'huge', seed: 4105 },
    { label: 'i8mm conv 1x1 grouped 18 -> 12, group 3, 6x11', xd: 'u8', wd: 'i8', yd: 'u8', c: 18, m: 12, group: 3, sp: [6, 11], k: [1, 1], seed: 4106 },
    { label: 'i8mm conv 1x1 u8 weights 0/255 zp 0 (unfolded), 9 -> 7, 12x12', xd: 'u8', wd: 'u8', yd: 'u8', c: 9, m: 7, sp: [12, 12], k: [1, 1], wFill: 'extreme', wzp: 0, xzp: 255, seed: 4107 },
    { label: 'i8mm conv 1x1 per-channel zero points, 64 -> 64, 9x8', xd: 'u8', wd: 'u8', yd: 'u8', c: 64, m: 64, sp: [9, 8], k: [1, 1], wzp: 'perChannel', seed: 4108 },
    { label: 'i8mm conv 3x3 dilation 2, 9 -> 17, 13x15', xd: 'i8', wd: 'i8', yd: 'u8', c: 9, m: 17, sp: [13, 15], k: [3, 3], dilations: [2, 2], pads: [2, 2, 2, 2], bias: 'random', seed: 4109 },
    { label: 'i8mm conv 3x3 W stride 3, 7 -> 9, grouped 2 (14 -> 18), 11x31', xd: 'u8', wd: 'i8', yd: 'i8', c: 14, m: 18, group: 2, sp: [11, 31], k: [3, 3], strides: [3, 3], pads: [1, 1, 1, 1], seed: 4110 },
    { label: 'i8mm conv 3-D 3 -> 5, 2x2x2, batch 2', xd: 'u8', wd: 'i8', yd: 'u8', n: 2, c: 3, m: 5, sp: [3, 4, 9], k: [2, 2, 2], pads: [0, 1, 0, 1, 0, 1], seed: 4111 },
    // SMMLA implicit GEMM (W stride 1): channels 1, 3, 7, 9, 17, 33 (groups of 8 with padding), widths not
    // multiples of 8 (odd, under 8, 65), windows 3x3 / 5x5 / 1x3 / 3x1, asymmetric pads, H stride 2, groups,
    // batches, extremes.
    { label: 'i8mm implicit 3x3 p1 9 -> 17, 7x65', xd: 'u8', wd: 'i8', yd: 'u8', c: 9, m: 17, sp: [7, 65], k: [3, 3], pads: [1, 1, 1, 1], bias: 'random', seed: 4301 },
    { label: 'i8mm implicit 3x3 p1 1 -> 7, 9x3 (OW 3), i8', xd: 'i8', wd: 'i8', yd: 'i8', c: 1, m: 7, sp: [9, 3], k: [3, 3], pads: [1, 1, 1, 1], seed: 4302 },
    { label: 'i8mm implicit 3x3 p0 33 -> 9, 5x17, batch 2', xd: 'u8', wd: 'u8', yd: 'i8', n: 2, c: 33, m: 9, sp: [5, 17], k: [3, 3], wzp: 128, seed: 4303 },
    { label: 'i8mm implicit 5x5 pads 2,1 / 0,2, 7 -> 3, 9x14', xd: 'u8', wd: 'i8', yd: 'u8', c: 7, m: 3, sp: [9, 14], k: [5, 5], pads: [2, 1, 0, 2], bias: 'random', seed: 4304 },
    { label: 'i8mm implicit 1x3 p(0,1) 17 -> 33, 3x31, i8 in, u8 out', xd: 'i8', wd: 'i8', yd: 'u8', c: 17, m: 33, sp: [3, 31], k: [1, 3], pads: [0, 1, 0, 1], seed: 4305 },
    { label: 'i8mm implicit 3x1 strides (2, 1) 12 -> 65, 11x16', xd: 'u8', wd: 'i8', yd: 'u8', c: 12, m: 65, sp: [11, 16], k: [3, 1], strides: [2, 1], pads: [1, 0, 1, 0], seed: 4306 },
    { label: 'i8mm implicit 3x3 grouped 18 -> 14, group 2 (9 -> 7 each), 6x23', xd: 'u8', wd: 'i8', yd: 'i8', c: 18, m: 14, group: 2, sp: [6, 23], k: [3, 3], pads: [1, 1, 1, 1], bias: 'random', seed: 4307 },
    { label: 'i8mm implicit 3x3 p1 saturating: weights -128/127, inputs 0/255, xzp 255, yzp 0, 17 -> 9, 8x17', xd: 'u8', wd: 'i8', yd: 'u8', c: 17, m: 9, sp: [8, 17], k: [3, 3], pads: [1, 1, 1, 1], wFill: 'extreme', xFill: 'extreme', xzp: 255, yzp: 0, seed: 4308 },
    { label: 'i8mm implicit 3x3 p1 saturating i8: inputs -128/127, xzp -128, yzp 127, fused clamp [-100, 90], 8 -> 8, 7x16', xd: 'i8', wd: 'i8', yd: 'i8', c: 8, m: 8, sp: [7, 16], k: [3, 3], pads: [1, 1, 1, 1], wFill: 'extreme', xFill: 'extreme', xzp: -128, yzp: 127, clamp: [-100, 90], bias: 'huge', seed: 4309 },
    { label: 'i8mm implicit 3x3 p1 per-channel u8 weight zero points (folded), 64 -> 64, 10x12', xd: 'u8', wd: 'u8', yd: 'u8', c: 64, m: 64, sp: [10, 12], k: [3, 3], pads: [1, 1, 1, 1], wzp: 'perChannel', foldableWeights: true, seed: 4310 },
    { label: 'i8mm pixrows 1x1 65 -> 33, 1x7', xd: 'u8', wd: 'i8', yd: 'u8', c: 65, m: 33, sp: [1, 7], k: [1, 1], bias: 'random', seed: 4201 },
    { label: 'i8mm pixrows 1x1 9 -> 17, 1x1 plane, batch 3, i8', xd: 'i8', wd: 'i8', yd: 'i8', n: 3, c: 9, m: 17, sp: [1, 1], k: [1, 1], seed: 4202 },
    { label: 'i8mm pixrows saturating: weights -128/127, inputs 0/255, xzp 0, yzp 255, 17 -> 65, 1x3', xd: 'u8', wd: 'i8', yd: 'u8', c: 17, m: 65, sp: [1, 3], k: [1, 1], wFill: 'extreme', xFill: 'extreme', xzp: 0, yzp: 255, seed: 4203 },
  ];
  return [...mm.map(matmulCase), ...conv.map(convCase)];
}
