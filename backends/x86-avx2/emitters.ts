/**
 * x86-avx2 emitters: qlinear_conv and qlinear_matmul on packed weights (runtime-c/x86-avx2/qcc_qpacked_avx2.h).
 * Everything else, and the cases these kernels do not cover (3-D convs, batched constant B, non-finite
 * requant scales, a requant scheme other than fp32), uses the generic emitters. The plan (which kernel, which family) is a pure function of the
 * node, computed again by runtime(), scratchBytes() and emit().
 */
import { broadcastStrides } from '../../compiler/ir/broadcast.ts';
import type { Node } from '../../compiler/ir/graph.ts';
import { qgemmBZps, qgemmGeom, qgemmScales } from '../../compiler/ops/contrib-qgemm.ts';
import { attrString, inConst } from '../../compiler/ops/op-def.ts';
import { zpOf } from '../../compiler/ops/contrib-util.ts';
import { qvecValues } from '../../compiler/ops/qgeometry.ts';
import type { QConvGeometry } from '../../compiler/ops/qgeometry.ts';
import { qlinearConvGeometry, qlinearConvScales, qlinearMatMulPlan, qlinearMatMulScales } from '../../compiler/ops/qlinear.ts';
import { expand, intValues } from '../../compiler/ops/qparams.ts';
import { memoPerNode, type CEmitContext, type CEmitter } from '../c/emitter.ts';
import { GENERIC_EMITTERS } from '../c/ops/index.ts';
import { QLINEAR_BINARY_AVX2 } from './qlinear-binary.ts';
import { QUANTIZE_LINEAR_AVX2 } from './quant.ts';
import { POOL_AVX2 } from './pool.ts';
import { depthwiseClScratch, packDepthwiseCl } from './dw-pack.ts';
import {
  MR, NR, convGemmScratch, depthwiseScratch, effectiveCols, effectiveRows, kGroup, packConv, packDepthwise, packMatmulB, roundUp, transpose,
  correctionEntries, fitsS8, matmulScratch, pairingPermutation, permuteCols, splitU8S8, u8s8Exact, type PackedFamily,
} from './pack.ts';

export const AVX2_RUNTIME = 'x86-avx2/qcc_qpacked_avx2.h';
export const VNNI_RUNTIME = 'x86-avx512vnni/qcc_qpacked_vnni.h';
export const AVX2_DW_RUNTIME = 'x86-avx2/qcc_qdwconv_avx2.h';
export const VNNI_DW_RUNTIME = 'x86-avx512vnni/qcc_qdwconv_vnni.h';

/**
 * Instruction-set options of the packed kernels. vnni: the u8 x s8 GEMM tiles use vpdpbusd (AVX-512 VNNI on
 * 512-bit registers), which adds the four u8 x s8 products of a lane to the int32 accumulator without any
 * 16-bit intermediate, so the u8s8 family is exact whenever every w - w_zp fits s8 (no pair condition).
 */
export interface IsaOptions {
  vnni: boolean;
}
export const ISA_AVX2: IsaOptions = { vnni: false };
export const ISA_VNNI: IsaOptions = { vnni: true };

const chooseFamily = (isa: IsaOptions, wEff: Int32Array, rows: number, k: number): PackedFamily =>
  (isa.vnni ? fitsS8(wEff) : u8s8Exact(wEff, rows, k)) ? 'u8s8' : 's16';
/**
 * Estimated instructions of the x86-avx2 conv tile (4 rows x 16 pixels): 33 per k-group of 4 for u8s8, 24 per
 * k-group of 2 for s16 (the inner loops as they were measured when these constants were fitted, in C; the
 * inline-assembly loops of qcc_qpacked_avx2.h now run 31 and 23, about the same ratio, not refitted); u8s8c adds 14 per correction entry (GCC
 * 12: offset load and add, quad broadcast, two panel loads, two DOT4 steps, pointer add, compare, branch) and,
 * per tile with entries, ~24 for the four rows' list setup and the longer call. Checked on the first layer of
 * the bench (3->32 3x3 s2, k = 27, 51 entries over 32 channels): u8s8c 3.75 M instructions vs s16 3.72 M, which
 * this estimate calls right (s16).
 */
const TILE_U8S8_PER_KG = 33;
const TILE_S16_PER_KG = 24;
const CORR_PER_ENTRY = 14;
const CORR_PER_TILE = 24;

/**
 * The conv GEMM family: VNNI takes u8s8 whenever w' fits s8. x86-avx2: u8s8 when no pair can saturate, else
 * u8s8 with a sparse correction (resid: splitU8S8's residual) when every w' fits s8 and its estimated cost (k loop
 * plus the correction entries) is below the s16 kernel's, else s16.
 */
export function chooseConvGemm(isa: IsaOptions, wEff: Int32Array, m: number, group: number, kdim: number): { family: PackedFamily; resid: Int32Array | null; cost: number } {
  const tiles = group * Math.ceil(m / group / MR);
  const s16 = tiles * TILE_S16_PER_KG * Math.ceil(kdim / 2);
  if (isa.vnni || u8s8Exact(wEff, m, kdim)) {
    const family = chooseFamily(isa, wEff, m, kdim);
    return { family, resid: null, cost: family === 'u8s8' ? tiles * TILE_U8S8_PER_KG * Math.ceil(kdim / 4) : s16 };
  }
  const resid = splitU8S8(wEff, m, kdim);
  if (!resid) return { family: 's16', resid: null, cost: s16 };
  const mpg = m / group;
  let tilesWith = 0;
  for (let g = 0; g < group; g++) {
    for (let r0 = 0; r0 < mpg; r0 += MR) {
      const rows = Math.min(MR, mpg - r0);
      if (resid.subarray((g * mpg + r0) * kdim, (g * mpg + r0 + rows) * kdim).some((v) => v !== 0)) tilesWith++;
    }
  }
  const u8 = tiles * TILE_U8S8_PER_KG * Math.ceil(kdim / 4) + CORR_PER_TILE * tilesWith + CORR_PER_ENTRY * correctionEntries(resid, m, kdim);
  return u8 < s16 ? { family: 'u8s8', resid, cost: u8 } : { family: 's16', resid: null, cost: s16 };
}

/**
 * The reduction order of a u8s8 operand: the ONNX one, or pairingPermutation's, whichever `choose` estimates
 * cheaper (the permutation only ever helps the u8s8 family: fewer unsafe pairs, fewer correction entries,
 * sometimes none). rows: the operand as rows x k (conv weights per output channel, matmul B per column);
 * choose(w, kk) plans it for rows of kk columns; `exact` says a plan needs no reordering. w: the rows in the
 * chosen order (k columns, or perm.length in perm's), perm null for the ONNX order. VNNI has no pair condition
 * and keeps the ONNX order.
 */
function chooseOrder<C extends { family: PackedFamily; cost: number }>(isa: IsaOptions, rows: Int32Array, n: number, k: number,
  choose: (w: Int32Array, kk: number) => C, exact: (c: C) => boolean): C & { w: Int32Array; kk: number; perm: Int32Array | null } {
  const natural = { ...choose(rows, k), w: rows, kk: k, perm: null };
  if (isa.vnni || exact(natural)) return natural;
  const perm = pairingPermutation(rows, n, k);
  if (!perm) return natural;
  const w = permuteCols(rows, n, k, perm);
  const permuted = choose(w, perm.length);
  return permuted.family === 'u8s8' && permuted.cost < natural.cost ? { ...permuted, w, kk: perm.length, perm } : natural;
}

/** x86-avx2 conv GEMM weights (m rows of kdim) in the cheaper tap order (chooseOrder). */
export function chooseConvOrder(isa: IsaOptions, wEff: Int32Array, m: number, group: number, kdim: number) {
  return chooseOrder(isa, wEff, m, kdim, (w, kk) => chooseConvGemm(isa, w, m, group, kk), (c) => c.family === 'u8s8' && !c.resid);
}

/**
 * Estimated instructions of the x86-avx2 matmul kernels per batch and 16-column panel (qcc_qpacked_avx2.h):
 * tile4 (4 rows) 34 per k-group of 4 for u8s8, 53 per 4 k for s16 (2 k-groups of 2); tile1 (a leftover row) 11
 * and 18 (measured on the bench's 1x1024x1024: 0.19 M vs 0.31 M instructions). u8s8c adds, per batch, the transposition of A by k-groups (~4 per row and k-group) and, per panel with
 * entries, per block of 32 rows: 16 columns x ~10 + 21 per entry (one DOT4 on each 8-row chunk) + 8 8x8
 * transposes (~30); per leftover block of 8 rows: 16 x 8 + 9 per entry + 2 transposes.
 */
const MM_T4_U8S8 = 34;
const MM_T4_S16 = 53;
const MM_T1_U8S8 = 11;
const MM_T1_S16 = 18;

/**
 * The matmul / QGemm family (bEffT: the effective B's columns as rows of k, m: rows of A per batch): VNNI and
 * pair-safe weights as chooseFamily; x86-avx2 with some pair that could saturate: u8s8 with the per-column sparse
 * correction (residT) when every w' fits s8 and the estimate is below s16's, else s16.
 */
export function chooseMatmul(isa: IsaOptions, bEffT: Int32Array, n: number, k: number, m: number): { family: PackedFamily; residT: Int32Array | null; cost: number } {
  const nkg = Math.ceil(k / 4);
  const npanels = Math.ceil(n / NR);
  const m4 = Math.floor(m / 4), m1 = m % 4;
  const s16 = npanels * nkg * (m4 * MM_T4_S16 + m1 * MM_T1_S16);
  const u8Plain = npanels * nkg * (m4 * MM_T4_U8S8 + m1 * MM_T1_U8S8);
  if (isa.vnni || u8s8Exact(bEffT, n, k)) {
    const family = chooseFamily(isa, bEffT, n, k);
    return { family, residT: null, cost: family === 'u8s8' ? u8Plain : s16 };
  }
  const residT = splitU8S8(bEffT, n, k);
  if (!residT) return { family: 's16', residT: null, cost: s16 };
  const mp8 = roundUp(m, 8);
  const b32 = Math.floor(mp8 / 32), b8 = (mp8 % 32) / 8;
  let corr = 4 * m * nkg;
  for (let pn = 0; pn < npanels; pn++) {
    const e = correctionEntries(residT.subarray(pn * NR * k, Math.min(n, (pn + 1) * NR) * k), Math.min(NR, n - pn * NR), k);
    if (e) corr += b32 * (16 * 10 + 21 * e + 240) + b8 * (16 * 8 + 9 * e + 60);
  }
  const u8 = u8Plain + corr;
  return u8 < s16 ? { family: 'u8s8', residT, cost: u8 } : { family: 's16', residT: null, cost: s16 };
}

/** The matmul's B' (k x n) in the cheaper k order (chooseOrder over B's columns): bEff in that order, kk rows. */
export function chooseMatmulOrder(isa: IsaOptions, bEff: Int32Array, k: number, n: number, m: number) {
  const o = chooseOrder(isa, transpose(bEff, k, n), n, k, (w, kk) => chooseMatmul(isa, w, n, kk, m), (c) => c.family === 'u8s8' && !c.residT);
  return { ...o, bEff: o.perm ? transpose(o.w, n, o.kk) : bEff };
}

/** C suffix of a GEMM kernel: the VNNI tiles exist for the u8s8 family only. */
const gemmSuffix = (isa: IsaOptions, f: PackedFamily): string => (isa.vnni && f === 'u8s8' ? 'vnni' : 'avx2');
/** Bytes of one im2col block the conv GEMM aims for (fits L1 with the weights streaming from L2). */
const BLOCK_BYTES = 24 * 1024;
/**
 * The same for the 512-bit VNNI tiles: their GEMM is fast enough that the im2col's per-block overhead (one run
 * copy per tap and output row) dominates small blocks; blocks in L2 measured best (64->64 3x3 @56: 377 us at
 * 32 pixels per block, ~300 us at 224).
 */
const BLOCK_BYTES_VNNI = 128 * 1024;

/**
 * Plans per node and ISA, computed once (a plan may run the tap-order search, pairingPermutation: up to ~0.3 s
 * on a 1024 x 1024 matmul).
 */
const perIsa = <P>(plan: (n: Node, isa: IsaOptions) => P) => ({
  avx2: memoPerNode((n) => plan(n, ISA_AVX2)),
  vnni: memoPerNode((n) => plan(n, ISA_VNNI)),
});

const generic = (kind: string): CEmitter => {
  const e = GENERIC_EMITTERS.get(kind);
  if (!e) throw new Error(`internal: no generic emitter for ${kind}`);
  return e;
};

const finite = (a: Float32Array): boolean => a.every((v) => Number.isFinite(v));
/** The packed kernels requantize with the fp32 scheme; a node asking for another one keeps the generic kernel. */
const fp32Scheme = (node: Node): boolean => attrString(node, 'requant', 'fp32') === 'fp32';
const signedOf = (dtype: string): number => (dtype === 'i8' ? 1 : 0);

type ConvPlan =
  | { kind: 'generic' }
  | { kind: 'dw'; g: QConvGeometry; scales: Float32Array; wEff: Int32Array; K: number; S: number; scratch: ReturnType<typeof depthwiseScratch> }
  | { kind: 'dwcl'; g: QConvGeometry; scales: Float32Array; wEff: Int32Array; K: number; S: number; scratch: ReturnType<typeof depthwiseClScratch> }
  | {
    kind: 'gemm'; g: QConvGeometry; scales: Float32Array; wEff: Int32Array; family: PackedFamily; kdim: number; kpad: number; nb: number;
    /** x86-avx2 u8s8 with a sparse correction: the residual of wPacked (splitU8S8), else null. */
    resid: Int32Array | null;
    /** The rows to pack: wEff, or wEff's columns in the order perm (chooseConvOrder; kpad columns). */
    wPacked: Int32Array;
    perm: Int32Array | null;
  };

/**
 * Depthwise: the channel-vectorised kernel (qcc_qdwconv_avx2.h) or the row kernel (qcc_qpacked_avx2.h)? Whichever
 * has the lower estimated time. The estimates (arbitrary units) are least-squares fits to single-thread timings
 * of both kernels on 36 shapes (3x3 / 5x5, stride 1 / 2, 1-960 channels, planes 7x7 to 112x112 and narrow ones
 * like 25x5, 200x5, 8x100); they pick the faster kernel on all but 6 of them, and there the loss is at most 1.32x.
 *   row: per channel, oh rows of ceil(ow / 8) vectors of K * ceil(K / 2) pair products, plus a per-plane-row
 *        setup (building the padded and pair planes);
 *   channels-last: per 16 channels (a partial block costs a whole one), every output pixel's pair products, the
 *        input transposition (per input pixel) and a per-block setup.
 * So the channels-last kernel wins on narrow rows (ow < 16: DS-CNN's 25x5), on small planes with many channels
 * (MobileNetV2's 14x14 and 7x7) and widths that waste the row kernel's 8-lane vectors (28x28); the row kernel on
 * large planes (56x56, 112x112) and on few channels.
 * x86-avx512vnni (isa.vnni): the channels-last kernel's pair products are one 512-bit vpdpwssd per tap pair of
 * 16 channels (qcc_qdwconv_vnni.h), about 3x cheaper; refitted on 100 shapes (8-256 channels, planes 7x7 to
 * 112x112 and narrow ones, 3x3 / 5x5, stride 1 / 2), it picks the faster kernel on all but 3 (loss at most
 * 1.16x). The row kernel then keeps only few channels (8) on 28x28+ planes and 112x112 stride 2 up to ~96.
 */
export function channelsLastWins(c: number, h: number, w: number, oh: number, ow: number, K: number, S: number, isa: IsaOptions = ISA_AVX2): boolean {
  const pairs = K * ((K + 1) / 2);
  const row = c * (40 * oh * roundUp(ow, 8) * pairs + 4000 * ((oh - 1) * S + K));
  const cl = isa.vnni ? roundUp(c, 16) * (14.4 * oh * ow * pairs + 92 * h * w + 4330) : roundUp(c, 16) * (41 * oh * ow * pairs + 115 * h * w + 4300);
  return cl < row;
}

/** The conv kernel this node gets (exported for tests and the benchmark report). */
const convPlans = perIsa((n, isa) => planConvUncached(n, isa));
export function planConv(node: Node, isa: IsaOptions = ISA_AVX2): ConvPlan {
  return (isa.vnni ? convPlans.vnni : convPlans.avx2)(node);
}
function planConvUncached(node: Node, isa: IsaOptions): ConvPlan {
  const g = qlinearConvGeometry(node);
  if (g.rank > 2 || !fp32Scheme(node)) return { kind: 'generic' };
  const scales = qlinearConvScales(g.m, inConst(node, 1, 'x_scale'), inConst(node, 4, 'w_scale'), inConst(node, 6, 'y_scale'));
  if (!finite(scales)) return { kind: 'generic' };
  const [, KH, KW] = g.kernel;
  const kdim = g.cPerGroup * KH * KW;
  const wzp = expand(intValues(inConst(node, 5, 'w_zero_point')), g.m);
  const wEff = effectiveRows(intValues(inConst(node, 3, 'w')), wzp, g.m, kdim);
  const [, SH, SW] = g.strides;
  const [, DH, DW] = g.dilations;
  const [, OH, OW] = g.outSp;
  const [, IH, IW] = g.inSp;
  const [, PH, PW] = g.padsBegin;
  if (g.group === g.c && g.c === g.m && KH === KW && (KH === 3 || KH === 5) && SH === SW && (SH === 1 || SH === 2) && DH === 1 && DW === 1) {
    if (channelsLastWins(g.c, IH, IW, OH, OW, KH, SH, isa)) return { kind: 'dwcl', g, scales, wEff, K: KH, S: SH, scratch: depthwiseClScratch(OH, OW, KH, SH) };
    return { kind: 'dw', g, scales, wEff, K: KH, S: SH, scratch: depthwiseScratch(IH, IW, OH, OW, KH, SH, PH, PW) };
  }
  const { family, resid, w: wPacked, perm } = chooseConvOrder(isa, wEff, g.m, g.group, kdim);
  const kpad = roundUp(kdim, kGroup(family));
  const bytesPerPx = kpad * (family === 'u8s8' ? 1 : 2);
  const plane = OH * OW;
  const budget = gemmSuffix(isa, family) === 'vnni' ? BLOCK_BYTES_VNNI : BLOCK_BYTES;
  const nb = Math.max(NR, Math.min(roundUp(plane, NR), Math.floor(budget / bytesPerPx / NR) * NR));
  return { kind: 'gemm', g, scales, wEff, family, kdim, kpad, nb, resid, wPacked, perm };
}

function convParams(ctx: CEmitContext, node: Node, g: QConvGeometry, extra: { kdim: number; kpad: number; mblocks: number; nb: number; spH: number; spW: number; qW: number; kperm?: string }): string {
  const xzp = intValues(inConst(node, 2, 'x_zero_point'))[0]!;
  const yzp = intValues(inConst(node, 7, 'y_zero_point'))[0]!;
  const f = [
    g.n, g.c, g.inSp[1], g.inSp[2], g.m, g.outSp[1], g.outSp[2],
    g.kernel[1], g.kernel[2], g.strides[1], g.strides[2], g.dilations[1], g.dilations[2], g.padsBegin[1], g.padsBegin[2],
    g.group, g.cPerGroup, g.mPerGroup, extra.kdim, extra.kpad, extra.mblocks, extra.nb,
    signedOf(node.inputs[0]!.type.dtype), xzp, signedOf(node.inputs[7]!.type.dtype), yzp, extra.spH, extra.spW, extra.qW,
    extra.kperm ?? 'NULL',
  ];
  return ctx.constDecl('qpconv_params', 'qcc_qpconv_params', `{${f.join(', ')}}`);
}

const qlinearConv = (isa: IsaOptions): CEmitter => ({
  kind: 'qlinear_conv',
  runtime(node) {
    const p = planConv(node, isa);
    if (p.kind === 'generic') return generic('qlinear_conv').runtime(node);
    if (p.kind === 'dwcl') return isa.vnni ? [AVX2_RUNTIME, AVX2_DW_RUNTIME, VNNI_DW_RUNTIME] : [AVX2_RUNTIME, AVX2_DW_RUNTIME];
    return p.kind === 'gemm' && gemmSuffix(isa, p.family) === 'vnni' ? [AVX2_RUNTIME, VNNI_RUNTIME] : [AVX2_RUNTIME];
  },
  scratchBytes(node) {
    const p = planConv(node, isa);
    if (p.kind === 'generic') return generic('qlinear_conv').scratchBytes?.(node) ?? 0;
    if (p.kind === 'dw' || p.kind === 'dwcl') return p.scratch.bytes;
    const { g } = p;
    return convGemmScratch(p.family, {
      kpad: p.kpad, nb: p.nb, cpg: g.cPerGroup, oh: g.outSp[1], ow: g.outSp[2], kh: g.kernel[1], kw: g.kernel[2],
      sh: g.strides[1], sw: g.strides[2], dh: g.dilations[1], dw: g.dilations[2],
    });
  },
  emit(node, ctx) {
    const p = planConv(node, isa);
    if (p.kind === 'generic') return generic('qlinear_conv').emit(node, ctx);
    const { g } = p;
    const x = node.inputs[0]!;
    const xSigned = signedOf(x.type.dtype);
    const xzp = intValues(inConst(node, 2, 'x_zero_point'))[0]!;
    const bias = node.inputs[8] ? (inConst(node, 8, 'bias').data as Int32Array) : null;
    const head = `/* ${ctx.comment(node.op)} ${ctx.comment(node.name)}: `;
    if (p.kind === 'dwcl') {
      const pk = packDepthwiseCl(p.wEff, g.c, p.K, bias, p.scales, isa.vnni ? 'natural' : 'avx2');
      const w = ctx.constArray('qdw_w', 'i16', pk.weights);
      const b = ctx.constArray('qdw_bias', 'i32', pk.bias);
      const s = ctx.constArray('qdw_scale', 'f32', pk.scale);
      const prm = convParams(ctx, node, g, { kdim: p.K * p.K, kpad: p.K * (p.K + 1), mblocks: 0, nb: 0, spH: p.scratch.spH, spW: p.scratch.spW, qW: p.scratch.qW });
      return `${head}depthwise ${p.K}x${p.K} stride ${p.S}, channels-last blocks of 16, s16 pairs${isa.vnni ? ' (vpdpwssd, 512-bit)' : ''} */\n` +
        ctx.instance(`qcc_qdwconv_s16_${isa.vnni ? 'vnni' : 'avx2'}`, [`&${prm}`, { in: ctx.ref(x) }, w, b, s, { out: ctx.ref(node.outputs[0]!) }, { scratch: ctx.scratch() }]);
    }
    if (p.kind === 'dw') {
      const w = ctx.constArray('qpconv_dw_w', 'i16', packDepthwise(p.wEff, g.c, p.K));
      const b = ctx.constArray('qpconv_dw_bias', 'i32', bias ?? new Int32Array(g.m));
      const s = ctx.constArray('qpconv_dw_scale', 'f32', p.scales);
      const prm = convParams(ctx, node, g, { kdim: p.K * p.K, kpad: p.K * (p.K + 1), mblocks: 0, nb: 0, spH: p.scratch.spH, spW: p.scratch.spW, qW: p.scratch.qW });
      return `${head}depthwise ${p.K}x${p.K} stride ${p.S}, s16 pairs */\n` +
        ctx.instance('qcc_qpconv_dw_s16_avx2', [`&${prm}`, { in: ctx.ref(x) }, w, b, s, { out: ctx.ref(node.outputs[0]!) }, { scratch: ctx.scratch() }]);
    }
    const xzpU = p.family === 'u8s8' ? xzp + (xSigned ? 128 : 0) : 0;
    const packed = packConv(p.family, p.wPacked, g.m, g.group, p.perm ? p.perm.length : p.kdim, bias, p.scales, xzpU, p.resid ?? undefined);
    const w = ctx.constArray('qpconv_w', p.family === 'u8s8' ? 'i8' : 'i16', packed.weights);
    const b = ctx.constArray('qpconv_bias', 'i32', packed.bias);
    const s = ctx.constArray('qpconv_scale', 'f32', packed.scale);
    const kperm = p.perm ? ctx.constArray('qpconv_kperm', 'i32', p.perm) : undefined;
    const prm = convParams(ctx, node, g, { kdim: p.kdim, kpad: p.kpad, mblocks: packed.mblocks, nb: p.nb, spH: 0, spW: 0, qW: 0, kperm });
    if (packed.corr) {
      const c = ctx.constArray('qpconv_corr', 'i32', packed.corr);
      const entries = (packed.corr.length - (packed.corr[0] ?? 0)) / 2;
      return `${head}GEMM over im2col, u8 x s8 on pair-safe weights + ${entries} sparse correction k-groups (the residual of the pairs that could saturate)${p.perm ? ', taps reordered for safe pairs' : ''} */\n` +
        ctx.instance('qcc_qpconv_gemm_u8s8c_avx2', [`&${prm}`, { in: ctx.ref(x) }, w, b, s, c, { out: ctx.ref(node.outputs[0]!) }, { scratch: ctx.scratch() }]);
    }
    const why = p.family === 's16' ? `s16 pairs (${isa.vnni ? '' : 'u8 x s8 could saturate or '}w - w_zp exceeds s8)` :
      isa.vnni ? 'u8 x s8 quads (vpdpbusd: no 16-bit intermediate)' : `u8 x s8 (no weight pair can saturate${p.perm ? ' with the taps reordered' : ''})`;
    return `${head}GEMM over im2col, ${why} */\n` +
      ctx.instance(`qcc_qpconv_gemm_${p.family}_${gemmSuffix(isa, p.family)}`, [`&${prm}`, { in: ctx.ref(x) }, w, b, s, { out: ctx.ref(node.outputs[0]!) }, { scratch: ctx.scratch() }]);
  },
});

type MatmulPlan =
  | { kind: 'generic' }
  | {
    kind: 'packed'; family: PackedFamily; kpad: number; scales: Float32Array; residT: Int32Array | null;
    /** B' to pack (kk x n): in the ONNX order (kk = k, perm null) or in perm's (chooseMatmulOrder). */
    bEff: Int32Array; kk: number; perm: Int32Array | null;
  };

/** The matmul kernel this node gets: packed when B is one constant matrix shared by every batch. */
const matmulPlans = perIsa((n, isa) => planMatmulUncached(n, isa));
export function planMatmul(node: Node, isa: IsaOptions = ISA_AVX2): MatmulPlan {
  return (isa.vnni ? matmulPlans.vnni : matmulPlans.avx2)(node);
}
function planMatmulUncached(node: Node, isa: IsaOptions): MatmulPlan {
  const plan = qlinearMatMulPlan(node);
  const { g, bq } = plan;
  if (!fp32Scheme(node)) return { kind: 'generic' };
  if (g.bOff.some((o) => o !== 0) || bq.off.some((o) => o !== 0)) return { kind: 'generic' };
  const all = qlinearMatMulScales(plan, inConst(node, 1, 'a_scale'), inConst(node, 4, 'b_scale'), inConst(node, 6, 'y_scale'));
  const scales = all.length === g.n ? all : Float32Array.from({ length: g.n }, (_, j) => all[j]!);
  if (!finite(scales)) return { kind: 'generic' };
  const bzp = qvecValues(bq, intValues(inConst(node, 5, 'b_zero_point'))).slice(0, g.n);
  const bEff = effectiveCols(intValues(inConst(node, 3, 'b')), bzp, g.k, g.n);
  const o = chooseMatmulOrder(isa, bEff, g.k, g.n, g.m);
  return { kind: 'packed', family: o.family, kpad: roundUp(o.kk, kGroup(o.family)), bEff: o.bEff, kk: o.kk, perm: o.perm, scales, residT: o.residT };
}

const qlinearMatMul = (isa: IsaOptions): CEmitter => ({
  kind: 'qlinear_matmul',
  runtime(node) {
    const p = planMatmul(node, isa);
    if (p.kind === 'generic') return generic('qlinear_matmul').runtime(node);
    return gemmSuffix(isa, p.family) === 'vnni' ? [AVX2_RUNTIME, VNNI_RUNTIME] : [AVX2_RUNTIME];
  },
  scratchBytes(node) {
    const p = planMatmul(node, isa);
    if (p.kind === 'generic') return generic('qlinear_matmul').scratchBytes?.(node) ?? 0;
    return matmulScratch(p.family, qlinearMatMulPlan(node).g.m, p.kpad, p.residT !== null);
  },
  emit(node, ctx) {
    const p = planMatmul(node, isa);
    if (p.kind === 'generic') return generic('qlinear_matmul').emit(node, ctx);
    const { g } = qlinearMatMulPlan(node);
    const a = node.inputs[0]!;
    const aSigned = signedOf(a.type.dtype);
    const azp = intValues(inConst(node, 2, 'a_zero_point'))[0]!;
    const yzp = intValues(inConst(node, 7, 'y_zero_point'))[0]!;
    const azpU = p.family === 'u8s8' ? azp + (aSigned ? 128 : 0) : 0;
    const packed = packMatmulB(p.family, p.bEff, p.kk, g.n, p.scales, azpU, p.residT ?? undefined);
    const w = ctx.constArray('qpmm_b', p.family === 'u8s8' ? 'i8' : 'i16', packed.weights);
    const b = ctx.constArray('qpmm_bias', 'i32', packed.bias);
    const s = ctx.constArray('qpmm_scale', 'f32', packed.scale);
    const aOff = ctx.constArray('qpmm_a_off', 'i32', g.aOff);
    const kperm = p.perm ? ctx.constArray('qpmm_kperm', 'i32', p.perm) : 'NULL';
    const f = [g.batch, g.m, g.k, g.n, packed.kpad, packed.npanels, aSigned, azp, signedOf(node.inputs[7]!.type.dtype), yzp, kperm];
    const prm = ctx.constDecl('qpmm_params', 'qcc_qpmm_params', `{${f.join(', ')}}`);
    if (packed.corr) {
      const c = ctx.constArray('qpmm_corr', 'i32', packed.corr);
      return `/* ${ctx.comment(node.op)} ${ctx.comment(node.name)}: packed B, u8 x s8 on pair-safe weights + ${corrEntries(packed.corr)} sparse per-column correction k-groups (the residual of the pairs that could saturate) */\n` +
        `qcc_qpmatmul_u8s8c_avx2(&${prm}, ${aOff}, ${ctx.ref(a)}, ${w}, ${b}, ${s}, ${c}, ${ctx.ref(node.outputs[0]!)}, ${ctx.scratch()});`;
    }
    const why = p.family === 's16' ? `s16 pairs (${isa.vnni ? '' : 'u8 x s8 could saturate or '}b - b_zp exceeds s8)` :
      isa.vnni ? 'u8 x s8 quads (vpdpbusd: no 16-bit intermediate)' : 'u8 x s8 (no weight pair can saturate)';
    return `/* ${ctx.comment(node.op)} ${ctx.comment(node.name)}: packed B, ${why} */\n` +
      `qcc_qpmatmul_${p.family}_${gemmSuffix(isa, p.family)}(&${prm}, ${aOff}, ${ctx.ref(a)}, ${w}, ${b}, ${s}, ${ctx.ref(node.outputs[0]!)}, ${ctx.scratch()});`;
  },
});

type QGemmPlan =
  | { kind: 'generic' }
  | { kind: 'packed'; family: PackedFamily; kpad: number; bEff: Int32Array; kk: number; perm: Int32Array | null; scales: Float32Array; cBias: Int32Array; residT: Int32Array | null };

/**
 * The QGemm kernel this node gets: the packed matmul tiles when the output is 8-bit, A is not transposed,
 * B is a constant (transB is undone at pack time) and C is absent or a constant that does not vary along M
 * (folded into the per-column bias, wrapping like the int32 accumulator). Everything else: the generic kernel.
 */
const qgemmPlans = perIsa((n, isa) => planQgemmUncached(n, isa));
export function planQgemm(node: Node, isa: IsaOptions = ISA_AVX2): QGemmPlan {
  return (isa.vnni ? qgemmPlans.vnni : qgemmPlans.avx2)(node);
}
function planQgemmUncached(node: Node, isa: IsaOptions): QGemmPlan {
  const g = qgemmGeom(node);
  const [, , , b, , , c, , yz] = node.inputs;
  if (!yz || g.transA || !b?.const || g.m * g.n === 0) return { kind: 'generic' };
  // C varies along M only when it is 2-D with more than one row
  if (c && (!c.const || (c.type.shape.length === 2 && c.type.shape[0]! > 1))) return { kind: 'generic' };
  const scales = qgemmScales(node, g, inConst(node, 1, 'a_scale'), inConst(node, 4, 'b_scale'), inConst(node, 7, 'y_scale'));
  if (!finite(scales)) return { kind: 'generic' };
  const raw = intValues(b.const);
  const bKN = g.transB ? Int32Array.from({ length: g.k * g.n }, (_, i) => raw[(i % g.n) * g.k + Math.floor(i / g.n)]!) : raw;
  const bzV = node.inputs[5];
  const bEff = effectiveCols(bKN, qgemmBZps(g, bzV?.const ?? null), g.k, g.n);
  const cBias = new Int32Array(g.n);
  if (c) {
    const csn = broadcastStrides(c.type.shape, [g.m, g.n])[1]!;
    const cd = c.const!.data as Int32Array;
    for (let j = 0; j < g.n; j++) cBias[j] = cd[j * csn]!;
  }
  const o = chooseMatmulOrder(isa, bEff, g.k, g.n, g.m);
  return { kind: 'packed', family: o.family, kpad: roundUp(o.kk, kGroup(o.family)), bEff: o.bEff, kk: o.kk, perm: o.perm, scales, cBias, residT: o.residT };
}

const qgemm = (isa: IsaOptions): CEmitter => ({
  kind: 'qgemm',
  runtime(node) {
    const p = planQgemm(node, isa);
    if (p.kind === 'generic') return generic('qgemm').runtime(node);
    return gemmSuffix(isa, p.family) === 'vnni' ? [AVX2_RUNTIME, VNNI_RUNTIME] : [AVX2_RUNTIME];
  },
  scratchBytes(node) {
    const p = planQgemm(node, isa);
    if (p.kind === 'generic') return generic('qgemm').scratchBytes?.(node) ?? 0;
    return matmulScratch(p.family, qgemmGeom(node).m, p.kpad, p.residT !== null);
  },
  emit(node, ctx) {
    const p = planQgemm(node, isa);
    if (p.kind === 'generic') return generic('qgemm').emit(node, ctx);
    const g = qgemmGeom(node);
    const a = node.inputs[0]!;
    const aSigned = signedOf(a.type.dtype);
    const azp = zpOf(inConst(node, 2, 'a_zero_point'));
    const yzp = zpOf(inConst(node, 8, 'y_zero_point'));
    const azpU = p.family === 'u8s8' ? azp + (aSigned ? 128 : 0) : 0;
    const packed = packMatmulB(p.family, p.bEff, p.kk, g.n, p.scales, azpU, p.residT ?? undefined);
    const bias = Int32Array.from(packed.bias, (v, j) => (j < g.n ? (v + p.cBias[j]!) | 0 : v));
    const w = ctx.constArray('qpgemm_b', p.family === 'u8s8' ? 'i8' : 'i16', packed.weights);
    const bb = ctx.constArray('qpgemm_bias', 'i32', bias);
    const s = ctx.constArray('qpgemm_scale', 'f32', packed.scale);
    const aOff = ctx.constArray('qpgemm_a_off', 'i32', [0]);
    const kperm = p.perm ? ctx.constArray('qpgemm_kperm', 'i32', p.perm) : 'NULL';
    const f = [1, g.m, g.k, g.n, packed.kpad, packed.npanels, aSigned, azp, signedOf(node.outputs[0]!.type.dtype), yzp, kperm];
    const prm = ctx.constDecl('qpgemm_params', 'qcc_qpmm_params', `{${f.join(', ')}}`);
    const head = `/* ${ctx.comment(node.op)} ${ctx.comment(node.name)}: packed B${g.transB ? ' (transB undone at pack time)' : ''}${node.inputs[6] ? ', C in the bias' : ''}`;
    if (packed.corr) {
      const c = ctx.constArray('qpgemm_corr', 'i32', packed.corr);
      return `${head}, u8 x s8 on pair-safe weights + ${corrEntries(packed.corr)} sparse per-column correction k-groups */\n` +
        `qcc_qpmatmul_u8s8c_avx2(&${prm}, ${aOff}, ${ctx.ref(a)}, ${w}, ${bb}, ${s}, ${c}, ${ctx.ref(node.outputs[0]!)}, ${ctx.scratch()});`;
    }
    const why = p.family === 's16' ? `s16 pairs (${isa.vnni ? '' : 'u8 x s8 could saturate or '}b - b_zp exceeds s8)` :
      isa.vnni ? 'u8 x s8 quads (vpdpbusd: no 16-bit intermediate)' : 'u8 x s8 (no weight pair can saturate)';
    return `/* ${ctx.comment(node.op)} ${ctx.comment(node.name)}: packed B${g.transB ? ' (transB undone at pack time)' : ''}${node.inputs[6] ? ', C in the bias' : ''}, ${why} */\n` +
      `qcc_qpmatmul_${p.family}_${gemmSuffix(isa, p.family)}(&${prm}, ${aOff}, ${ctx.ref(a)}, ${w}, ${bb}, ${s}, ${ctx.ref(node.outputs[0]!)}, ${ctx.scratch()});`;
  },
});

/** Entries of a matmul correction constant (after its npanels * NR + 1 offsets). */
const corrEntries = (corr: Int32Array): number => (corr.length - corr[0]!) / 2;

export const X86_AVX2_EMITTERS: CEmitter[] = [qlinearConv(ISA_AVX2), qlinearMatMul(ISA_AVX2), ...QLINEAR_BINARY_AVX2, QUANTIZE_LINEAR_AVX2, ...POOL_AVX2, qgemm(ISA_AVX2)];
/** x86-avx512vnni: the same kernels, with the VNNI u8 x s8 GEMM tiles (any s8 weights take the u8s8 family). */
export const X86_VNNI_EMITTERS: CEmitter[] = [qlinearConv(ISA_VNNI), qlinearMatMul(ISA_VNNI), ...QLINEAR_BINARY_AVX2, QUANTIZE_LINEAR_AVX2, ...POOL_AVX2, qgemm(ISA_VNNI)];
export { MR };
