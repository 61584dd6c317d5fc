/**
 * Emitters of the arm-neon / arm-neon-dotprod kernel tables: QLinearConv and QLinearMatMul on the
 * runtime-c/arm-neon/ kernels, falling back to the generic emitters for what those kernels do not cover
 * (16-bit types, batched constant B with different matrices per batch). Weights are prepared at compile
 * time by backends/simd/ (normal form, folded zero points, sums, panels in the layout of the ISA's tile).
 */
import type { Node } from '../../compiler/ir/graph.ts';
import { inConst, inType } from '../../compiler/ops/op-def.ts';
import { qvecValues } from '../../compiler/ops/qgeometry.ts';
import type { QConvGeometry } from '../../compiler/ops/qgeometry.ts';
import { qlinearConvGeometry, qlinearConvScales, qlinearMatMulPlan, qlinearMatMulScales } from '../../compiler/ops/qlinear.ts';
import { expand, intValues, qRange } from '../../compiler/ops/qparams.ts';
import { directCall, memoPerNode, type CEmitContext, type CEmitter, type InstanceArg } from '../c/emitter.ts';
import { correctionConstants, foldRows, normalS8, type FoldedRows, packPanels, padTo, roundUp, type PanelLayout, type Q8Dtype } from '../simd/qgemm-pack.ts';
import { selectQConvKernel } from '../simd/qconv-select.ts';

/** One ISA's GEMM tile: suffix of the C functions, its header, tile rows (L) x columns (R), k group. */
export interface ArmGemmIsa {
  readonly suffix: 'neon' | 'dotprod' | 'i8mm';
  readonly header: string;
  readonly mr: number;
  readonly nr: number;
  readonly group: number;
  /** R panels (of nr columns) of the one-row GEMV tile: constant B is padded to w1 * nr columns. */
  readonly w1: number;
  /** The GEMV tile reads B interleaved (gemvInterleave) when every row uses it (M < mr). */
  readonly gemvInterleaved: boolean;
  /** Stride-1 2-D convs with more than one tap go to the implicit-GEMM kernel (implicitEligible). */
  readonly implicitConv: boolean;
  /**
   * First layers (firstLayerEligible) go to the direct kernel qcc_qlinear_conv_first_s8_neon (plain NEON on
   * both ISAs: 0.41 instructions per MAC, below dotprod's im2col GEMM, 0.44; BENCHMARKS.md, arm section).
   */
  readonly firstDirect: boolean;
  /**
   * The ISA has SDOT (dotprod, i8mm): the implicit-GEMM conv and the SDOT depthwise kernel
   * (qcc_qlinear_conv_implicit_s8_dotprod, qcc_qlinear_dwconv3_s8_dotprod) are available; isa.header includes them.
   */
  readonly sdot: boolean;
  /**
   * The MatMul and pixel-row conv drivers are specialised per node (MMLINK QCC_KERNEL_INLINE in
   * qcc_qgemm_common_neon.h), so they are called through kernel instances; otherwise shared and called directly.
   */
  readonly mmInstances: boolean;
}

export const NEON_GEMM: ArmGemmIsa = { suffix: 'neon', header: 'arm-neon/qcc_qgemm_neon.h', mr: 4, nr: 4, group: 16, w1: 2, gemvInterleaved: false, implicitConv: false, firstDirect: true, sdot: false, mmInstances: false };
export const DOTPROD_GEMM: ArmGemmIsa = { suffix: 'dotprod', header: 'arm-neon/qcc_qgemm_dotprod.h', mr: 8, nr: 8, group: 4, w1: 4, gemvInterleaved: true, implicitConv: true, firstDirect: true, sdot: true, mmInstances: true };
/**
 * Armv8.6 I8MM on top of dotprod: SMMLA 8x8 tiles (k groups of 8, a row or column pair per vector) for the
 * im2col conv, the 1x1 conv, the pixel-row conv, MatMul and the W-stride-1 implicit-GEMM conv (implicitSmmla);
 * the strided implicit conv, the SDOT depthwise kernel and the first-layer kernel stay dotprod's / NEON's. The GEMV tile reads the 8x8 panels (4 pointers),
 * so B is never interleaved.
 */
export const I8MM_GEMM: ArmGemmIsa = { suffix: 'i8mm', header: 'arm-neon/qcc_qgemm_i8mm.h', mr: 8, nr: 8, group: 8, w1: 4, gemvInterleaved: false, implicitConv: true, firstDirect: true, sdot: true, mmInstances: true };
const DW_HEADER = 'arm-neon/qcc_qdwconv_neon.h';
const DW_CL_HEADER = 'arm-neon/qcc_qdwconv_cl_neon.h';
const DW_DOT_HEADER = 'arm-neon/qcc_qdwconv_dotprod.h';
const FIRST_HEADER = 'arm-neon/qcc_qfirstconv_neon.h';
/** Pixels per im2col tile: QCC_QG_TP in qcc_qgemm_common_neon.h. */
export const ARM_PIXEL_TILE = 64;

/**
 * Output bounds: the type's range, narrowed by a fused output clamp (attribute `clamp: [lo, hi]` of the
 * integer conv/matmul kinds, validated by their infer). clamp(saturate(v)) equals saturating to the narrower
 * bounds, so the kernels apply it inside the requantization.
 */
function outBounds(node: Node, d: Q8Dtype): { qmin: number; qmax: number } {
  const { qmin, qmax } = qRange(d);
  const c = node.attrs['clamp'];
  if (!Array.isArray(c) || c.length !== 2) return { qmin, qmax };
  return { qmin: Math.max(qmin, Number(c[0])), qmax: Math.min(qmax, Number(c[1])) };
}

/**
 * A NaN product (only from a NaN/Inf scale) requantizes to zp, which the fused clamp then moves; the kernels
 * would leave zp unclamped, so such nodes (never seen in practice) keep the generic kernel.
 */
function clampNeedsGeneric(node: Node, scales: Float32Array): boolean {
  return node.attrs['clamp'] !== undefined && scales.some((s) => !Number.isFinite(s));
}

const isQ8 = (d: string): d is Q8Dtype => d === 'u8' || d === 'i8';
const flipLit = (d: Q8Dtype): string => (d === 'u8' ? '(uint8_t)0x80u' : '(uint8_t)0u');

interface ConvGemmPlan {
  kind: 'gemm';
  g: QConvGeometry;
  kp: number;
  packed: Int8Array;
  rowc: Int32Array;
  rowz: Int32Array | null;
  scale: Float32Array;
  pair: boolean;
}
/**
 * Implicit GEMM (2-D, strides 1 or 2): weights in qcc_qlinear_conv_implicit_s8_dotprod's layout, or (smmla: i8mm,
 * W stride 1) in qcc_qlinear_conv_implicit_s8_i8mm's.
 */
interface ConvImplicitPlan {
  kind: 'implicit';
  smmla: boolean;
  g: QConvGeometry;
  packed: Int8Array;
  rowc: Int32Array;
  scale: Float32Array;
  pair: boolean;
}
/**
 * 1x1 conv on a small plane as a MatMul with the pixels as rows (qcc_qlinear_conv_pixrows_s8_*, pixrowsEligible):
 * weights packed like a MatMul B (output channels as columns), colc = the conv's rowc, colz the unfolded weight
 * zero points, scale, all padded to w1 * nr columns.
 */
interface ConvPixRowsPlan {
  kind: 'pixrows';
  g: QConvGeometry;
  packed: Int8Array;
  colc: Int32Array;
  colz: Int32Array | null;
  scale: Float32Array;
  pair: boolean;
}
/** Direct first-layer kernel (firstLayerEligible): weights [m][32] int16, [c][ky][kx] as folded, zero padded. */
interface ConvFirstPlan {
  kind: 'first';
  g: QConvGeometry;
  weights: Int16Array;
  rowc: Int32Array;
  scale: Float32Array;
  pair: boolean;
}
/**
 * Depthwise kernels: 'rows' vectorises along an output row (qcc_qlinear_dwconv_s8_neon, weights [m][tap]),
 * 'channels' along 16 channels of one output pixel (qcc_qlinear_dwconv_cl_s8_neon, weights
 * [block of 16][tap][16], rowc and scale padded to whole blocks), 'sdot' (dotprod only, 3x3, stride 1 along W)
 * the row kernel with the three taps of a window column in one SDOT (qcc_qlinear_dwconv3_s8_dotprod, weights as
 * 'rows'); depthwiseVariant picks one.
 */
export type DwVariant = 'rows' | 'channels' | 'sdot';
interface ConvDwPlan {
  kind: 'depthwise';
  variant: DwVariant;
  g: QConvGeometry;
  weights: Int8Array;
  rowc: Int32Array;
  scale: Float32Array;
  pair: boolean;
}
interface ConvCommon {
  xzt: number;
  xdtype: Q8Dtype;
  ydtype: Q8Dtype;
  yzp: number;
}
type ConvPlan = (ConvGemmPlan | ConvImplicitPlan | ConvDwPlan | ConvFirstPlan | ConvPixRowsPlan) & ConvCommon;

/** The kernel plan of a QLinearConv node, or null when the generic kernel must do it. */
export function armConvPlan(node: Node, isa: ArmGemmIsa): ConvPlan | null {
  const [xd, wd, yd] = [inType(node, 0).dtype, inType(node, 3).dtype, node.outputs[0]!.type.dtype];
  if (!isQ8(xd) || !isQ8(wd) || !isQ8(yd)) return null;
  const g = qlinearConvGeometry(node);
  const K = g.cPerGroup * g.kernel[0] * g.kernel[1] * g.kernel[2];
  const w = intValues(inConst(node, 3, 'w'));
  const wzp = expand(intValues(inConst(node, 5, 'w_zero_point')), g.m);
  const folded = foldRows(g.m, K, (r, k) => w[r * K + k]!, wzp, wd);
  const xzt = normalS8(intValues(inConst(node, 2, 'x_zero_point'))[0]!, xd);
  const bias = node.inputs[8] ? intValues(inConst(node, 8, 'bias')) : null;
  const rowc = correctionConstants(folded, xzt, bias);
  const scale = qlinearConvScales(g.m, inConst(node, 1, 'x_scale'), inConst(node, 4, 'w_scale'), inConst(node, 6, 'y_scale'));
  if (clampNeedsGeneric(node, scale)) return null;
  const common: ConvCommon = { xzt, xdtype: xd, ydtype: yd, yzp: intValues(inConst(node, 7, 'y_zero_point'))[0]! };
  const pair = !folded.hasMinus128;
  if (selectQConvKernel(g) === 'depthwise' && folded.rowz.every((z) => z === 0)) {
    const variant = depthwiseVariant(g, isa);
    if (variant !== 'channels') return { kind: 'depthwise', variant, g, weights: folded.values, rowc, scale, pair, ...common };
    const T = g.kernel[1] * g.kernel[2];
    const mp = roundUp(g.m, 16);
    const weights = new Int8Array(mp * T);
    for (let m = 0; m < g.m; m++) {
      for (let t = 0; t < T; t++) weights[(Math.floor(m / 16) * T + t) * 16 + (m % 16)] = folded.values[m * T + t]!;
    }
    return {
      kind: 'depthwise', variant, g, weights, rowc: padTo(rowc, mp, (n) => new Int32Array(n)),
      scale: padTo(scale, mp, (n) => new Float32Array(n)), pair, ...common,
    };
  }
  if (isa.firstDirect && firstLayerEligible(g) && folded.rowz.every((z) => z === 0)) {
    const K = 9 * g.c;
    const w16 = new Int16Array(g.m * 32);
    for (let m = 0; m < g.m; m++) w16.set(folded.values.subarray(m * K, (m + 1) * K), m * 32);
    return { kind: 'first', g, weights: w16, rowc, scale, pair, ...common };
  }
  if (isa.implicitConv && implicitEligible(g) && folded.rowz.every((z) => z === 0)) {
    const smmla = implicitSmmla(g, isa);
    const { packed, rowc: rowcP, scale: scaleP } = implicitConvWeights(g, folded, rowc, scale, smmla ? 8 : 4);
    return { kind: 'implicit', smmla, g, packed, rowc: rowcP, scale: scaleP, pair, ...common };
  }
  if (pixrowsEligible(g)) {
    const npad = roundUp(g.m, isa.w1 * isa.nr);
    const panels = packPanels(folded, 0, g.m, npad, { rows: isa.nr, group: isa.group });
    const P = g.outSp[0] * g.outSp[1] * g.outSp[2];
    const make32 = (n: number) => new Int32Array(n);
    return {
      kind: 'pixrows', g, pair,
      packed: isa.gemvInterleaved && P < isa.mr ? gemvInterleave(panels, roundUp(K, isa.group), isa.nr, isa.w1) : panels,
      colc: padTo(rowc, npad, make32),
      colz: folded.rowz.some((z) => z !== 0) ? padTo(folded.rowz, npad, make32) : null,
      scale: padTo(scale, npad, (n) => new Float32Array(n)),
      ...common,
    };
  }
  const layout: PanelLayout = { rows: isa.mr, group: isa.group };
  const kp = roundUp(K, isa.group);
  const mpgp = roundUp(g.mPerGroup, isa.mr);
  const packed = new Int8Array(g.group * mpgp * kp);
  const rowcP = new Int32Array(g.group * mpgp);
  const rowzP = new Int32Array(g.group * mpgp);
  const scaleP = new Float32Array(g.group * mpgp);
  for (let grp = 0; grp < g.group; grp++) {
    const m0 = grp * g.mPerGroup;
    packPanels(folded, m0, g.mPerGroup, mpgp, layout, packed, grp * mpgp * kp);
    rowcP.set(rowc.subarray(m0, m0 + g.mPerGroup), grp * mpgp);
    rowzP.set(folded.rowz.subarray(m0, m0 + g.mPerGroup), grp * mpgp);
    scaleP.set(scale.subarray(m0, m0 + g.mPerGroup), grp * mpgp);
  }
  const rowz = rowzP.some((z) => z !== 0) ? rowzP : null;
  return { kind: 'gemm', g, kp, packed, rowc: rowcP, rowz, scale: scaleP, pair, ...common };
}

/**
 * The depthwise kernel of a layer. The row kernel fills 16 lanes with 16 outputs of one row (a row's last
 * step recomputes up to 8 of them, rows under 16 waste the rest), the channel kernel 16 lanes with 16
 * channels (the last block wastes the lanes past C) and pays two 16x16 transposes per 16 pixels; on dotprod
 * the SDOT row kernel (3x3, stride 1) has the row kernel's lane waste at a third of its multiply-adds.
 * Measured (npm run bench:arm, 3x3 p1, instructions/MAC rows / channels / sdot): 56x56 0.617 / 0.661 /
 * 0.396, 28x28 0.733 / 0.662 / 0.427, 14x14 1.456 / 0.678 / 1.191, 7x7 2.395 / 0.707 / 1.916, 25x5 2.851 /
 * 0.707 / 2.159, 14x14 s2 4.792 / 0.893 / -: sdot from 24 outputs per row (between the 14 and 28 measured),
 * else rows from 48, else channels.
 */
export function depthwiseVariant(g: QConvGeometry, isa: ArmGemmIsa): DwVariant {
  const ow = g.outSp[2];
  if (isa.sdot && g.kernel[1] === 3 && g.kernel[2] === 3 && g.strides[1] === 1 && g.strides[2] === 1 && ow >= 24) return 'sdot';
  return ow >= 48 ? 'rows' : 'channels';
}

/**
 * First layers for the direct kernel qcc_qlinear_conv_first_s8_neon (both ISAs, ArmGemmIsa.firstDirect): one group of 1 to 3 input
 * channels, 2-D 3x3 window, stride 2 along W (any along H), no dilation.
 */
export function firstLayerEligible(g: QConvGeometry): boolean {
  return g.group === 1 && g.c >= 1 && g.c <= 3 && g.inSp[0] === 1 && g.kernel[0] === 1 && g.kernel[1] === 3 && g.kernel[2] === 3 &&
    g.strides[2] === 2 && g.dilations.every((d) => d === 1);
}

/**
 * 1x1 convs (stride 1, no padding, one group) on planes of fewer than 8 pixels: the im2col GEMM fills its
 * 8 (dotprod) or 4 (neon) column lanes with pixels, wastes most of them and cannot read the rows in place
 * (a tile of 8 columns passes the plane's end), so they run as a MatMul with the pixels as rows and the
 * output channels as columns. Measured (npm run profile:arm, MobileNetV2 zoo, 2x2 planes, dotprod):
 * 336 -> 56 1.875 -> 0.475 instructions per MAC (arm-neon 2.01 -> 0.75). By estimate (not profiled per
 * step) the scalar transposes in and out and the MatMul's A packing now cost more than the GEMV itself.
 */
export function pixrowsEligible(g: QConvGeometry): boolean {
  const P = g.outSp[0] * g.outSp[1] * g.outSp[2];
  return g.group === 1 && g.kernel.every((k) => k === 1) && g.strides.every((s) => s === 1) &&
    g.padsBegin.every((q) => q === 0) && g.outSp.every((o, i) => o === g.inSp[i]) && P < 8;
}

/**
 * Convolutions the dotprod implicit-GEMM kernel takes: 2-D, no dilation, strides 1 or 2 (W stride 2: the
 * input buffer is split into even / odd column phases, so every tap still reads 8 contiguous pixels), except
 * 1x1 stride 1 (the im2col kernel reads those input rows in place, which is cheaper for them). Strided convs
 * (fewer MACs per input byte, and the im2col GEMM is cheaper for them than for stride 1) only when at least
 * half of the kernel's lanes do real work (implicitLaneUse: channels padded to 4, output rows to 8): measured
 * (npm run profile:arm, dotprod) ResNet-8 3x3 s2 16 -> 32 at 32x32 0.379 -> 0.128 instructions per MAC, 1x1
 * s2 0.620 -> 0.520, but DS-CNN's 10x4 s2 1 -> 64 (lane use 0.16) 0.607 -> 1.017.
 */
export function implicitEligible(g: QConvGeometry): boolean {
  if (g.inSp[0] !== 1 || g.kernel[0] !== 1 || g.strides[0] !== 1 || g.dilations.some((d) => d !== 1)) return false;
  if (!g.strides.slice(1).every((s) => s === 1 || s === 2)) return false;
  if (g.strides[1] === 1 && g.strides[2] === 1) return g.kernel[1] * g.kernel[2] > 1;
  return implicitLaneUse(g) >= 0.5;
}

/** Fraction of the implicit kernel's SDOT lanes holding real channels and output columns. */
export function implicitLaneUse(g: QConvGeometry): number {
  return (g.cPerGroup / roundUp(g.cPerGroup, 4)) * (g.outSp[2] / roundUp(g.outSp[2], 8));
}

/**
 * Weights of the implicit-GEMM convs: [group][8-row block][channel group of cw][tap][8 rows][cw channels], zeros
 * for padded rows and channels; rowc and scale padded per group to the 8-row blocks. cw = 4 for
 * qcc_qlinear_conv_implicit_s8_dotprod (SDOT's 4 bytes), 8 for qcc_qlinear_conv_implicit_s8_i8mm (SMMLA's 8).
 */
export function implicitConvWeights(g: QConvGeometry, f: FoldedRows, rowc: Int32Array, scale: Float32Array, cw: 4 | 8): { packed: Int8Array; rowc: Int32Array; scale: Float32Array } {
  const T = g.kernel[1] * g.kernel[2];
  const cg = Math.ceil(g.cPerGroup / cw);
  const mpgp = roundUp(g.mPerGroup, 8);
  const K = g.cPerGroup * T;
  const packed = new Int8Array(g.group * mpgp * cg * T * cw);
  const rowcP = new Int32Array(g.group * mpgp);
  const scaleP = new Float32Array(g.group * mpgp);
  for (let grp = 0; grp < g.group; grp++) {
    for (let r = 0; r < g.mPerGroup; r++) {
      const m = grp * g.mPerGroup + r;
      const pr = grp * mpgp + r;
      rowcP[pr] = rowc[m]!;
      scaleP[pr] = scale[m]!;
      const blk = Math.floor(pr / 8) * cg * T * 8 * cw + (r % 8) * cw;
      for (let c = 0; c < g.cPerGroup; c++) {
        for (let t = 0; t < T; t++) packed[blk + (Math.floor(c / cw) * T + t) * 8 * cw + (c % cw)] = f.values[m * K + c * T + t]!;
      }
    }
  }
  return { packed, rowc: rowcP, scale: scaleP };
}

/**
 * i8mm takes the W-stride-1 implicit convs on its SMMLA kernel (channels in groups of 8: twice SDOT's MACs per
 * instruction, so it does at least as well even at 4 channels, where half the lanes hold padding); W stride 2
 * stays on the dotprod kernel (its column phase planes).
 */
export function implicitSmmla(g: QConvGeometry, isa: ArmGemmIsa): boolean {
  return isa.suffix === 'i8mm' && g.strides[2] === 1;
}

/** Scratch bytes of the arm conv kernels (see the C headers). */
function convScratch(plan: ConvPlan, isa: ArmGemmIsa): number {
  const g = plan.g;
  if (plan.kind === 'implicit' && plan.smmla) {
    // qcc_qconv_implicit_fill_i8mm: [cg][HP rows][WP columns][8 channels].
    const hp = (g.outSp[1] - 1) * g.strides[1] + g.kernel[1];
    return Math.ceil(g.cPerGroup / 8) * hp * (roundUp(g.outSp[2], 8) + g.kernel[2] - 1) * 8;
  }
  if (plan.kind === 'implicit') {
    // qcc_qconv_implicit_fill_dotprod: [cg][HP rows][SW phases][WPH columns][4 channels].
    const wph = roundUp(g.outSp[2], 8) + Math.floor((g.kernel[2] - 1) / g.strides[2]);
    const hp = (g.outSp[1] - 1) * g.strides[1] + g.kernel[1];
    return Math.ceil(g.cPerGroup / 4) * hp * g.strides[2] * wph * 4;
  }
  if (plan.kind === 'pixrows') {
    // qcc_qlinear_conv_pixrows: A (P x K), the P x M result, then the MatMul's scratch for M = P rows.
    const P = g.outSp[0] * g.outSp[1] * g.outSp[2];
    return roundUp(P * g.c, 16) + roundUp(P * g.m, 16) + roundUp(P * roundUp(g.c, isa.group), 16) + 4 * P;
  }
  if (plan.kind === 'first') {
    // qcc_qfirst scratch: the staging row (WP bytes, rounded to 16), then C * 3 even/odd int16 rows of R + 16.
    const r = Math.ceil(g.outSp[2] / 16) * 16;
    const wp = r * g.strides[2] + g.kernel[2] + 32;
    return roundUp(wp, 16) + g.c * 6 * (r + 16) * 2;
  }
  if (plan.kind === 'depthwise' && plan.variant === 'channels') {
    // qcc_qdwconv_cl_neon.h: output tile, input tile + 1 slot, int32 offsets of the input pixels.
    const hp = (g.outSp[1] - 1) * g.strides[1] + g.kernel[1];
    const wp = (g.outSp[2] - 1) * g.strides[2] + g.kernel[2];
    return g.outSp[1] * g.outSp[2] * 16 + (hp * wp + 1) * 16 + g.inSp[1] * g.inSp[2] * 4;
  }
  if (plan.kind === 'depthwise') {
    const wp = Math.ceil(g.outSp[2] / 16) * 16 * g.strides[2] + g.kernel[2] + 32;
    const z = plan.variant === 'sdot' ? 4 * (Math.ceil(g.outSp[2] / 16) * 16 + 16) : 0;
    return ((g.outSp[1] - 1) * g.strides[1] + g.kernel[1]) * wp + z;
  }
  return plan.kp * ARM_PIXEL_TILE + isa.group * ARM_PIXEL_TILE + 4 * ARM_PIXEL_TILE;
}

const t3 = (a: readonly number[]) => `{${a.join(', ')}}`;
function convParams(g: QConvGeometry, ctx: CEmitContext): string {
  return ctx.constDecl('qconv_params', 'qcc_qconv_params',
    `{${g.n}, ${g.c}, ${g.m}, ${g.group}, ${g.cPerGroup}, ${g.mPerGroup}, ${[g.inSp, g.outSp, g.kernel, g.strides, g.dilations, g.padsBegin].map(t3).join(', ')}}`);
}

interface MatMulPlan {
  m: number;
  k: number;
  n: number;
  batch: number;
  aOff: number[];
  adtype: Q8Dtype;
  ydtype: Q8Dtype;
  azt: number;
  yzp: number;
  packed: Int8Array;
  colc: Int32Array;
  colz: Int32Array | null;
  scale: Float32Array;
  pair: boolean;
}

/** The kernel plan of a QLinearMatMul node, or null when the generic kernel must do it. */
export function armMatMulPlan(node: Node, isa: ArmGemmIsa): MatMulPlan | null {
  const [ad, bd, yd] = [inType(node, 0).dtype, inType(node, 3).dtype, node.outputs[0]!.type.dtype];
  if (!isQ8(ad) || !isQ8(bd) || !isQ8(yd)) return null;
  const plan = qlinearMatMulPlan(node);
  const { g, bq } = plan;
  // One B matrix and one set of column parameters for every batch (the usual weight matrix).
  if (g.bOff.some((o) => o !== g.bOff[0]) || bq.off.some((o) => o !== bq.off[0])) return null;
  const b = intValues(inConst(node, 3, 'b'));
  const bo = g.bOff[0] ?? 0;
  const qo = bq.off[0] ?? 0;
  const bzpAll = qvecValues(bq, intValues(inConst(node, 5, 'b_zero_point')));
  const bzp = Array.from({ length: g.n }, (_, j) => bzpAll[qo + j]!);
  const folded = foldRows(g.n, g.k, (j, k) => b[bo + k * g.n + j]!, bzp, bd);
  const azt = normalS8(intValues(inConst(node, 2, 'a_zero_point'))[0]!, ad);
  const npad = roundUp(Math.max(g.n, 1), isa.w1 * isa.nr);
  const panels = packPanels(folded, 0, g.n, npad, { rows: isa.nr, group: isa.group });
  const packed = isa.gemvInterleaved && g.m < isa.mr ? gemvInterleave(panels, roundUp(g.k, isa.group), isa.nr, isa.w1) : panels;
  const scales = qlinearMatMulScales(plan, inConst(node, 1, 'a_scale'), inConst(node, 4, 'b_scale'), inConst(node, 6, 'y_scale'));
  if (clampNeedsGeneric(node, scales)) return null;
  const make32 = (n: number) => new Int32Array(n);
  return {
    m: g.m, k: g.k, n: g.n, batch: g.batch, aOff: g.aOff, adtype: ad, ydtype: yd, azt,
    yzp: intValues(inConst(node, 7, 'y_zero_point'))[0]!,
    packed,
    colc: padTo(correctionConstants(folded, azt, null), npad, make32),
    colz: folded.rowz.some((z) => z !== 0) ? padTo(folded.rowz, npad, make32) : null,
    scale: padTo(scales.subarray(qo, qo + g.n), npad, (n) => new Float32Array(n)),
    pair: !folded.hasMinus128,
  };
}

function matmulScratch(p: MatMulPlan, isa: ArmGemmIsa): number {
  return roundUp(p.m * roundUp(p.k, isa.group), 16) + 4 * p.m;
}

/**
 * Rearranges panels of `nr` columns x kp bytes (groups of 4 k, packPanels layout) into the layout of the
 * dotprod GEMV tile (qcc_qg_tile_1x32_dotprod with rs == 0): per block of w1 panels, per 16 k the w1 panels'
 * 4 * 4 * nr bytes in turn, then per remaining k group of 4 the w1 panels' 4 * nr bytes in turn.
 */
export function gemvInterleave(panels: Int8Array, kp: number, nr: number, w1: number): Int8Array {
  const out = new Int8Array(panels.length);
  const gb = 4 * nr;
  const kg = kp / 4;
  const full = Math.floor(kg / 4);
  const panelBytes = kp * nr;
  let o = 0;
  for (let b = 0; b * w1 * panelBytes < panels.length; b++) {
    for (let s = 0; s < full; s++) {
      for (let q = 0; q < w1; q++) {
        const src = (b * w1 + q) * panelBytes + s * 4 * gb;
        out.set(panels.subarray(src, src + 4 * gb), o);
        o += 4 * gb;
      }
    }
    for (let t = 4 * full; t < kg; t++) {
      for (let q = 0; q < w1; q++) {
        const src = (b * w1 + q) * panelBytes + t * gb;
        out.set(panels.subarray(src, src + gb), o);
        o += gb;
      }
    }
  }
  return out;
}

/**
 * A call of an arm kernel (activations `const uint8_t *` in, `uint8_t *` out, `uint8_t *` scratch): through a
 * kernel instance (CEmitContext.instance) when the kernel is specialised per node, else a plain call with the
 * pointers cast to the kernel's types (a value's C pointer type may be int8_t *).
 */
function kernelCall(ctx: CEmitContext, instance: boolean, fn: string, args: readonly InstanceArg[]): string {
  if (instance) return ctx.instance(fn, args);
  return directCall(fn, args.map((a) => (typeof a === 'string' ? a : 'in' in a ? `(const uint8_t *)${a.in}` : 'out' in a ? `(uint8_t *)${a.out}` : a.scratch)));
}

const header = (node: Node, ctx: CEmitContext, what: string) => `/* ${ctx.comment(node.op)} ${ctx.comment(node.name)}: ${what} */`;

/** The QLinearConv and QLinearMatMul emitters for one ISA, over the generic ones as fallback. */
export function armEmitters(isa: ArmGemmIsa, generic: ReadonlyMap<string, CEmitter>): CEmitter[] {
  const gConv = generic.get('qlinear_conv')!;
  const gMatMul = generic.get('qlinear_matmul')!;
  const convPlan = memoPerNode((n) => armConvPlan(n, isa));
  const mmPlan = memoPerNode((n) => armMatMulPlan(n, isa));
  const conv: CEmitter = {
    kind: 'qlinear_conv',
    runtime: (node) => {
      const p = convPlan(node);
      if (!p) return gConv.runtime(node);
      return p.kind === 'depthwise' ? (p.variant === 'channels' ? [DW_HEADER, DW_CL_HEADER] : p.variant === 'sdot' ? [DW_HEADER, isa.header, DW_DOT_HEADER] : [DW_HEADER]) : p.kind === 'first' ? [DW_HEADER, FIRST_HEADER] : [isa.header];
    },
    scratchBytes: (node) => {
      const p = convPlan(node);
      return p ? convScratch(p, isa) : gConv.scratchBytes?.(node) ?? 0;
    },
    emit(node, ctx) {
      const p = convPlan(node);
      if (!p) return gConv.emit(node, ctx);
      const { qmin, qmax } = outBounds(node, p.ydtype);
      const params = convParams(p.g, ctx);
      const x = { in: ctx.ref(node.inputs[0]!) };
      const y = { out: ctx.ref(node.outputs[0]!) };
      const scratch = { scratch: ctx.scratch() };
      const scale = ctx.constArray('qconv_scale', 'f32', p.scale);
      if (p.kind === 'pixrows') {
        const w = ctx.constArray('qconv_packed_weights', 'i8', p.packed);
        const colz = p.colz ? ctx.constArray('qconv_colz', 'i32', p.colz) : 'NULL';
        const colc = ctx.constArray('qconv_colc', 'i32', p.colc);
        return `${header(node, ctx, `1x1 on ${p.g.outSp.reduce((a, b) => a * b, 1)} pixels, pixels as MatMul rows, ${isa.mr}x${isa.nr} ${isa.suffix} tiles`)}\n` +
          kernelCall(ctx, isa.mmInstances, `qcc_qlinear_conv_pixrows_s8_${isa.suffix}`, [`&${params}`, x, flipLit(p.xdtype), w, colc, colz, `${p.pair ? 1 : 0}`, scale, `${p.yzp}`, `${qmin}`, `${qmax}`, y, scratch]);
      }
      const rowc = ctx.constArray('qconv_rowc', 'i32', p.rowc);
      const requant = [scale, `${p.yzp}`, `${qmin}`, `${qmax}`];
      const tail = [`${p.pair ? 1 : 0}`, ...requant, y];
      if (p.kind === 'depthwise' && p.variant === 'channels') {
        const w = ctx.constArray('qconv_dw_weights', 'i8', p.weights);
        return `${header(node, ctx, `depthwise ${p.g.kernel[1]}x${p.g.kernel[2]}, 16 channels per vector, neon`)}\n` +
          ctx.instance('qcc_qlinear_dwconv_cl_s8_neon', [`&${params}`, x, flipLit(p.xdtype), `${p.xzt}`, w, rowc, ...tail, scratch]);
      }
      if (p.kind === 'depthwise' && p.variant === 'sdot') {
        const w = ctx.constArray('qconv_dw_weights', 'i8', p.weights);
        return `${header(node, ctx, 'depthwise 3x3, sdot')}\n` +
          ctx.instance('qcc_qlinear_dwconv3_s8_dotprod', [`&${params}`, x, flipLit(p.xdtype), `${p.xzt}`, w, rowc, ...requant, y, scratch]);
      }
      if (p.kind === 'depthwise') {
        const w = ctx.constArray('qconv_dw_weights', 'i8', p.weights);
        return `${header(node, ctx, `depthwise ${p.g.kernel[1]}x${p.g.kernel[2]}, neon`)}\n` +
          ctx.instance('qcc_qlinear_dwconv_s8_neon', [`&${params}`, x, flipLit(p.xdtype), `${p.xzt}`, w, rowc, ...tail, scratch]);
      }
      if (p.kind === 'first') {
        const w = ctx.constArray('qconv_first_weights', 'i16', p.weights);
        // Not a kernel instance: specialised per node the kernel took 1% more instructions
        // (npm run profile:arm, MobileNetV2 zoo first layer 198.0k -> 200.0k on both ISAs).
        return `${header(node, ctx, `first layer ${p.g.c} -> ${p.g.m} 3x3, direct neon`)}\n` +
          kernelCall(ctx, false, 'qcc_qlinear_conv_first_s8_neon', [`&${params}`, x, flipLit(p.xdtype), `${p.xzt}`, w, rowc, ...requant, y, scratch]);
      }
      if (p.kind === 'implicit') {
        const w = ctx.constArray('qconv_packed_weights', 'i8', p.packed);
        const k = p.smmla ? 'i8mm' : 'dotprod';
        return `${header(node, ctx, `implicit GEMM ${p.g.kernel[1]}x${p.g.kernel[2]}, 8x8 ${k} tiles`)}\n` +
          ctx.instance(`qcc_qlinear_conv_implicit_s8_${k}`, [`&${params}`, x, flipLit(p.xdtype), `${p.xzt}`, w, rowc, ...requant, y, scratch]);
      }
      const w = ctx.constArray('qconv_packed_weights', 'i8', p.packed);
      const rowz = p.rowz ? ctx.constArray('qconv_rowz', 'i32', p.rowz) : 'NULL';
      return `${header(node, ctx, `im2col + ${isa.mr}x${isa.nr} ${isa.suffix} tiles`)}\n` +
        ctx.instance(`qcc_qlinear_conv_s8_${isa.suffix}`, [`&${params}`, x, flipLit(p.xdtype), `${p.xzt}`, w, rowc, rowz, ...tail, scratch]);
    },
  };
  const matmul: CEmitter = {
    kind: 'qlinear_matmul',
    runtime: (node) => (mmPlan(node) ? [isa.header] : gMatMul.runtime(node)),
    scratchBytes: (node) => {
      const p = mmPlan(node);
      return p ? matmulScratch(p, isa) : gMatMul.scratchBytes?.(node) ?? 0;
    },
    emit(node, ctx) {
      const p = mmPlan(node);
      if (!p) return gMatMul.emit(node, ctx);
      const { qmin, qmax } = outBounds(node, p.ydtype);
      const params = ctx.constDecl('qmatmul_params', 'qcc_qmatmul_params', `{${p.batch}, ${p.m}, ${p.k}, ${p.n}}`);
      const aOff = ctx.constArray('qmatmul_a_off', 'i32', p.aOff);
      const b = ctx.constArray('qmatmul_packed_b', 'i8', p.packed);
      const colc = ctx.constArray('qmatmul_colc', 'i32', p.colc);
      const colz = p.colz ? ctx.constArray('qmatmul_colz', 'i32', p.colz) : 'NULL';
      const scale = ctx.constArray('qmatmul_scale', 'f32', p.scale);
      return `${header(node, ctx, `${isa.mr}x${isa.nr} ${isa.suffix} tiles`)}\n` +
        kernelCall(ctx, isa.mmInstances, `qcc_qlinear_matmul_s8_${isa.suffix}`, [`&${params}`, aOff, { in: ctx.ref(node.inputs[0]!) }, flipLit(p.adtype), b, colc, colz, `${p.pair ? 1 : 0}`,
          scale, `${p.yzp}`, `${qmin}`, `${qmax}`, { out: ctx.ref(node.outputs[0]!) }, { scratch: ctx.scratch() }]);
    },
  };
  return [conv, matmul];
}
