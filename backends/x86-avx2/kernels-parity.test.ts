/**
 * Kernel parity: every AVX2 packed kernel against its generic twin (runtime-c/qcc_qpacked.h, same packed
 * operands) and both against the interpreter's arithmetic (qconvAccumulate / qmatmulAccumulate + requantizeF32),
 * on random shapes (channel counts and widths not multiples of 4/8/16, strides, padding, dilation, groups,
 * depthwise 3x3/5x5, first layers with 1-3 channels), u8 and s8 activations and outputs, per-channel weights,
 * extreme values and zero points at the ends. One C program per compiler (gcc and clang) runs every case.
 * Also: forcing the u8 x s8 kernel onto weights that can saturate vpmaddubsw does change the result (so the
 * tests can see saturation, and the packer's choice matters).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_RUNTIME_DIR } from '../c/compile.ts';
import { requantizeF32 } from '../../compiler/numerics/requant.ts';
import { qconvAccumulate, type QConvGeometry } from '../../compiler/ops/qgeometry.ts';
import { outputSpatial } from '../../compiler/ops/conv-geometry.ts';
import { globalPoolInt } from '../../compiler/ops/contrib-pool.ts';
import { maxPool, type PoolGeom } from '../../compiler/ops/nn-pool.ts';
import { rng } from '../../compiler/ops/nn-test-util.ts';
import {
  TAP_PLANES_MAX, convGemmScratch, depthwiseScratch, effectiveCols, fitsS8, effectiveRows, kGroup, packConv, packDepthwise, packMatmulB, roundUp, transpose, u8s8Exact,
  NR, correctionEntries, matmulScratch, pairingPermutation, permuteCols, splitU8S8, type PackedFamily,
} from './pack.ts';
import { depthwiseClScratch, packDepthwiseCl } from './dw-pack.ts';
import { ISA_AVX2, ISA_VNNI, chooseConvGemm, chooseConvOrder, chooseMatmul, chooseMatmulOrder, planConv } from './emitters.ts';
import { encodeModel } from '../../compiler/frontend/onnx/writer.ts';
import { loadOnnxBytes } from '../../compiler/frontend/onnx/load.ts';
import { Tensor } from '../../compiler/ir/tensor.ts';
import { hostHasAvx512Vnni } from '../../test/util/host-cpu.ts';

type Q8 = 'u8' | 'i8';
const R = rng(0xa2f2);
const ri = (lo: number, hi: number) => lo + Math.floor(R() * (hi - lo + 1));
const pick = <T>(a: readonly T[]): T => a[Math.floor(R() * a.length)]!;
const qmin = (d: Q8) => (d === 'u8' ? 0 : -128);
const qmax = (d: Q8) => (d === 'u8' ? 255 : 127);

/** Values with the extremes over-represented. */
function q8Values(d: Q8, n: number, mode: 'full' | 'safe' | 'extreme'): number[] {
  const lo = qmin(d), hi = qmax(d);
  return Array.from({ length: n }, () => {
    if (mode === 'extreme') return pick([lo, hi, lo, hi, ri(lo, hi)]);
    if (mode === 'safe') return d === 'i8' ? ri(-60, 60) : ri(70, 190);
    const r = R();
    return r < 0.15 ? lo : r < 0.3 ? hi : ri(lo, hi);
  });
}

const cArr = (ctype: string, name: string, v: ArrayLike<number>) =>
  `static const ${ctype} ${name}[${Math.max(1, v.length)}] = {${v.length ? Array.from(v).join(',') : '0'}};`;
const fArr = (name: string, v: Float32Array) =>
  `static const float ${name}[${Math.max(1, v.length)}] = {${Array.from(v, (x) => `${x.toExponential(9)}f`).join(',')}};`;

interface Case {
  label: string;
  decls: string;
  /** C statements: run the kernel pair into y_a (avx2) and y_g (generic), write both. */
  body: string;
  want: number[];
  expectAvx2Equal: boolean;
  /** Both the kernel and the twin must differ from the interpreter somewhere (a deliberately broken correction). */
  expectWrong?: boolean;
}

const cases: Case[] = [];
/** Labels of the conv cases whose taps are reordered (qcc_qpconv_params.kperm), the plan's or random. */
const permCases: string[] = [];
/** The k taps 0..kdim-1 and padding slots (-1) up to a multiple of 4, shuffled. */
function randomTapOrder(kdim: number): Int32Array {
  const t = Array.from({ length: roundUp(kdim, 4) }, (_, i) => (i < kdim ? i : -1));
  for (let i = t.length - 1; i > 0; i--) {
    const j = Math.floor(R() * (i + 1));
    [t[i], t[j]] = [t[j]!, t[i]!];
  }
  return Int32Array.from(t);
}
/** Cases of the x86-avx512vnni u8s8 kernels (own build with the VNNI flags, run only on a CPU that has them). */
const vnniCases: Case[] = [];
let caseNo = 0;

function randomScales(m: number): Float32Array {
  return Float32Array.from({ length: m }, () => Math.fround(pick([1e-4, 3e-4, 1e-3, 4e-3]) * (0.5 + R())));
}

function convCase(o: {
  n?: number; c: number; m: number; h: number; w: number; k: [number, number]; s: [number, number]; d?: [number, number];
  p: [number, number, number, number]; group?: number; xd: Q8; wd: Q8; yd: Q8; wmode: 'full' | 'safe' | 'extreme';
  family?: PackedFamily; dw?: boolean; forceFamily?: PackedFamily; label?: string; wzpZero?: boolean; vnni?: boolean; nb?: number;
  /** Depthwise through the channel-vectorised kernel (qcc_qdwconv_s16_avx2, or with vnni qcc_qdwconv_s16_vnni
   * on 'natural' packing) instead of the row kernel. */
  dwcl?: boolean; xmode?: 'full' | 'extreme';
  /** Weights and their zero points instead of q8Values (the u8s8c cases: realistic and constructed weights). */
  wgen?: (m: number, kdim: number) => { w: number[]; wzp: number[] };
  /** x86-avx2 u8s8c: force it (whatever the cost estimate says), or break its correction ('drop': no entries,
   * 'twice': every entry applied twice) to show the tests see it. */
  corr?: 'force' | 'drop' | 'twice';
  /** The taps in a random order (qcc_qpconv_params.kperm, padding slots anywhere) whatever the plan says. */
  perm?: 'random';
}): void {
  const id = caseNo++;
  const n = o.n ?? 1, group = o.group ?? 1, d = o.d ?? [1, 1];
  const cpg = o.c / group, mpg = o.m / group;
  const [oh, ow] = outputSpatial([o.h, o.w], o.p, { kernel: o.k, strides: o.s, dilations: d });
  const x = q8Values(o.xd, n * o.c * o.h * o.w, o.xmode ?? (o.wmode === 'extreme' ? 'extreme' : 'full'));
  const kdim = cpg * o.k[0] * o.k[1];
  const gen = o.wgen?.(o.m, kdim);
  const w = gen ? gen.w : q8Values(o.wd, o.m * kdim, o.wmode);
  const xzp = pick([qmin(o.xd), qmax(o.xd), ri(qmin(o.xd), qmax(o.xd))]);
  const wzp = gen ? gen.wzp : Array.from({ length: o.m }, () => o.wzpZero ? 0 : (o.wd === 'i8' ? (o.wmode === 'safe' ? ri(-3, 3) : pick([0, 0, -128, 127, ri(-128, 127)])) : pick([128, 0, 255, ri(0, 255)])));
  const yzp = pick([qmin(o.yd), qmax(o.yd), ri(qmin(o.yd), qmax(o.yd))]);
  const bias = Int32Array.from({ length: o.m }, () => pick([0, ri(-100000, 100000), -2147483648, 2147483647]));
  const scales = randomScales(o.m);
  const g: QConvGeometry = {
    n, c: o.c, m: o.m, group, cPerGroup: cpg, mPerGroup: mpg, rank: 2, inSp: [1, o.h, o.w], outSp: [1, oh, ow],
    kernel: [1, o.k[0], o.k[1]], strides: [1, o.s[0], o.s[1]], dilations: [1, d[0], d[1]], padsBegin: [0, o.p[0], o.p[1]], outShape: [n, o.m, oh, ow],
  };
  const acc = qconvAccumulate(g, x, xzp, w, wzp, bias);
  const plane = oh * ow;
  const want = Array.from(acc, (a, i) => requantizeF32(a, scales[Math.floor(i / plane) % o.m]!, yzp, qmin(o.yd), qmax(o.yd)));
  const wEff = effectiveRows(w, wzp, o.m, kdim);
  const xs = o.xd === 'i8' ? 1 : 0, ys = o.yd === 'i8' ? 1 : 0;
  const xT = o.xd === 'i8' ? 'int8_t' : 'uint8_t';
  let decls = `${cArr(xT, `x${id}`, x)}\n`;
  let body: string;
  let expectAvx2Equal = true;
  let expectWrong = false;
  const outBytes = n * o.m * plane;
  if (o.dwcl) {
    const K = o.k[0], S = o.s[0];
    const sc = depthwiseClScratch(oh, ow, K, S);
    const pk = packDepthwiseCl(wEff, o.c, K, bias, scales, o.vnni ? 'natural' : 'avx2');
    decls += `${cArr('int16_t', `w${id}`, pk.weights)}\n${cArr('int32_t', `b${id}`, pk.bias)}\n${fArr(`s${id}`, pk.scale)}\n`;
    decls += `${cArr('int16_t', `wg${id}`, packDepthwise(wEff, o.c, K))}\n${cArr('int32_t', `bg${id}`, bias)}\n${fArr(`sg${id}`, scales)}\n`;
    decls += `static const qcc_qpconv_params p${id} = {${[n, o.c, o.h, o.w, o.m, oh, ow, K, K, S, S, 1, 1, o.p[0], o.p[1], group, cpg, mpg, K * K, K * (K + 1), 0, 0, xs, xzp, ys, yzp, sc.spH, sc.spW, sc.qW, 0].join(',')}};`;
    body = `run_case2(${outBytes}, ${sc.bytes}, &p${id}, x${id}, w${id}, b${id}, s${id}, wg${id}, bg${id}, sg${id}, qcc_qdwconv_s16_${o.vnni ? 'vnni' : 'avx2'}, qcc_qpconv_dw_s16);`;
  } else if (o.dw) {
    const K = o.k[0], S = o.s[0];
    const sc = depthwiseScratch(o.h, o.w, oh, ow, K, S, o.p[0], o.p[1]);
    decls += `${cArr('int16_t', `w${id}`, packDepthwise(wEff, o.c, K))}\n${cArr('int32_t', `b${id}`, bias)}\n${fArr(`s${id}`, scales)}\n`;
    decls += `static const qcc_qpconv_params p${id} = {${[n, o.c, o.h, o.w, o.m, oh, ow, K, K, S, S, 1, 1, o.p[0], o.p[1], group, cpg, mpg, K * K, K * (K + 1), 0, 0, xs, xzp, ys, yzp, sc.spH, sc.spW, sc.qW, 0].join(',')}};`;
    body = `run_case(${outBytes}, ${sc.bytes}, &p${id}, x${id}, w${id}, b${id}, s${id}, qcc_qpconv_dw_s16_avx2, qcc_qpconv_dw_s16);`;
  } else {
    // x86-avx2: the plan's own choice (tap order; u8s8, u8s8 + correction, s16), unless a case forces one
    const plan = o.vnni || o.forceFamily || o.perm || o.corr ? null : chooseConvOrder(ISA_AVX2, wEff, o.m, group, kdim);
    const perm = o.perm ? randomTapOrder(kdim) : plan?.perm ?? null;
    // the packed operand: w' with its columns in the tap order (kk columns)
    const wK = perm ? permuteCols(wEff, o.m, kdim, perm) : wEff;
    const kk = perm ? perm.length : kdim;
    const exact = o.vnni ? fitsS8(wK) : u8s8Exact(wK, o.m, kk);
    const resid = o.corr ? splitU8S8(wK, o.m, kk) : plan?.resid ?? null;
    if (o.corr && !resid) throw new Error('a u8s8c case needs weights that fit s8');
    const family: PackedFamily = resid ? 'u8s8' : o.forceFamily ?? plan?.family ?? (exact ? 'u8s8' : 's16');
    if (family === 'u8s8' && !exact && !resid) expectAvx2Equal = false;
    const KG = kGroup(family);
    const kpad = roundUp(kk, KG);
    const xzpU = family === 'u8s8' ? xzp + (xs ? 128 : 0) : 0;
    const pk = packConv(family, wK, o.m, group, kk, bias, scales, xzpU, resid ?? undefined);
    const nb = o.nb ?? pick([16, 32, roundUp(plane, 16)]);
    const wT = family === 'u8s8' ? 'int8_t' : 'int16_t';
    decls += `${cArr(wT, `w${id}`, pk.weights)}\n${cArr('int32_t', `b${id}`, pk.bias)}\n${fArr(`s${id}`, pk.scale)}\n`;
    if (perm) decls += `${cArr('int32_t', `kp${id}`, Int32Array.from({ length: kpad }, (_, i) => (i < perm.length ? perm[i]! : -1)))}\n`;
    decls += `static const qcc_qpconv_params p${id} = {${[n, o.c, o.h, o.w, o.m, oh, ow, o.k[0], o.k[1], o.s[0], o.s[1], d[0], d[1], o.p[0], o.p[1], group, cpg, mpg, kdim, kpad, pk.mblocks, nb, xs, xzp, ys, yzp, 0, 0, 0, perm ? `kp${id}` : 0].join(',')}};`;
    if (perm) permCases.push(o.label ?? '');
    const sbytes = convGemmScratch(family, { kpad, nb, cpg, oh, ow, kh: o.k[0], kw: o.k[1], sh: o.s[0], sw: o.s[1], dh: d[0], dw: d[1] });
    body = `run_case(${outBytes}, ${sbytes}, &p${id}, x${id}, w${id}, b${id}, s${id}, qcc_qpconv_gemm_${family}_${o.vnni && family === 'u8s8' ? 'vnni' : 'avx2'}, qcc_qpconv_gemm_${family});`;
    if (pk.corr) {
      let corr = pk.corr;
      const head = o.m === 0 ? 0 : corr[0]!;
      if (o.corr === 'drop') corr = Int32Array.from(corr.subarray(0, head), () => head);
      if (o.corr === 'twice') {
        // every row's entries twice, in the same layout
        const out: number[] = Array.from(corr.subarray(0, head));
        for (let r = 0; r + 1 < head; r++) {
          out[r] = out.length;
          for (let t = 0; t < 2; t++) out.push(...corr.subarray(corr[r]!, corr[r + 1]!));
        }
        out[head - 1] = out.length;
        corr = Int32Array.from(out);
      }
      if (o.corr === 'drop' || o.corr === 'twice') expectWrong = true;
      decls += `\n${cArr('int32_t', `c${id}`, corr)}`;
      body = `run_corr(${outBytes}, ${sbytes}, &p${id}, x${id}, w${id}, b${id}, s${id}, c${id}, qcc_qpconv_gemm_u8s8c_avx2, qcc_qpconv_gemm_u8s8c);`;
    }
    o.label = `${o.label ?? 'conv'} ${pk.corr ? `u8s8c(${(pk.corr.length - pk.corr[0]!) / 2} entries${o.corr === 'drop' || o.corr === 'twice' ? `, ${o.corr}` : ''})` : family}`;
  }
  const label = `${o.label ?? 'conv'} #${id} ${o.xd}${o.wd}${o.yd} c${o.c} m${o.m} ${o.h}x${o.w} k${o.k} s${o.s} d${d} p${o.p} g${group} w:${o.wmode}`;
  (o.vnni ? vnniCases : cases).push({ label: o.vnni ? `vnni ${label}` : label, decls, body: body.replace(/run_(case2?|corr)\(/, `run_$1(${id}, `), want, expectAvx2Equal, expectWrong });
}

/** The interpreter's QLinearMatMul arithmetic (int32 sums wrapping, fp32 requantization) on row-major A and B. */
function matmulWant(o: { batch: number; m: number; k: number; n: number; yd: Q8 }, a: ArrayLike<number>, azp: number,
  b: ArrayLike<number>, bzp: readonly number[], scales: Float32Array, yzp: number): number[] {
  const want: number[] = [];
  for (let t = 0; t < o.batch; t++) {
    for (let i = 0; i < o.m; i++) {
      for (let j = 0; j < o.n; j++) {
        let acc = 0;
        for (let q = 0; q < o.k; q++) acc = (acc + (a[(t * o.m + i) * o.k + q]! - azp) * (b[q * o.n + j]! - bzp[j]!)) | 0;
        want.push(requantizeF32(acc, scales[j]!, yzp, qmin(o.yd), qmax(o.yd)));
      }
    }
  }
  return want;
}

function matmulCase(o: { batch: number; m: number; k: number; n: number; ad: Q8; bd: Q8; yd: Q8; wmode: 'full' | 'safe' | 'extreme'; forceFamily?: PackedFamily; bzpZero?: boolean; vnni?: boolean }): void {
  const id = caseNo++;
  const a = q8Values(o.ad, o.batch * o.m * o.k, o.wmode === 'extreme' ? 'extreme' : 'full');
  const b = q8Values(o.bd, o.k * o.n, o.wmode);
  const azp = pick([qmin(o.ad), qmax(o.ad), ri(qmin(o.ad), qmax(o.ad))]);
  const bzp = Array.from({ length: o.n }, () => o.bzpZero ? 0 : (o.bd === 'i8' ? (o.wmode === 'safe' ? ri(-3, 3) : pick([0, -128, 127, ri(-128, 127)])) : pick([128, 0, 255])));
  const yzp = pick([qmin(o.yd), qmax(o.yd), ri(qmin(o.yd), qmax(o.yd))]);
  const scales = randomScales(o.n);
  const want = matmulWant(o, a, azp, b, bzp, scales, yzp);
  const bEff = effectiveCols(b, bzp, o.k, o.n);
  const exact = o.vnni ? fitsS8(bEff) : u8s8Exact(transpose(bEff, o.k, o.n), o.n, o.k);
  const family: PackedFamily = o.forceFamily ?? (exact ? 'u8s8' : 's16');
  const as = o.ad === 'i8' ? 1 : 0;
  const pk = packMatmulB(family, bEff, o.k, o.n, scales, family === 'u8s8' ? azp + (as ? 128 : 0) : 0);
  const wT = family === 'u8s8' ? 'int8_t' : 'int16_t';
  const aOff = Array.from({ length: o.batch }, (_, t) => t * o.m * o.k);
  const decls = `${cArr(o.ad === 'i8' ? 'int8_t' : 'uint8_t', `x${id}`, a)}\n${cArr(wT, `w${id}`, pk.weights)}\n${cArr('int32_t', `b${id}`, pk.bias)}\n` +
    `${fArr(`s${id}`, pk.scale)}\n${cArr('int32_t', `o${id}`, aOff)}\n` +
    `static const qcc_qpmm_params p${id} = {${[o.batch, o.m, o.k, o.n, pk.kpad, pk.npanels, as, azp, o.yd === 'i8' ? 1 : 0, yzp, 0].join(',')}};`;
  const body = `run_mm(${id}, ${o.batch * o.m * o.n}, ${o.m * pk.kpad * (family === 'u8s8' ? 1 : 2)}, &p${id}, o${id}, x${id}, w${id}, b${id}, s${id}, qcc_qpmatmul_${family}_${o.vnni && family === 'u8s8' ? 'vnni' : 'avx2'}, qcc_qpmatmul_${family});`;
  (o.vnni ? vnniCases : cases).push({
    label: `${o.vnni ? 'vnni ' : ''}matmul #${id} ${family} ${o.ad}${o.bd}${o.yd} ${o.batch}x${o.m}x${o.k}x${o.n} w:${o.wmode}`, decls, body, want,
    expectAvx2Equal: !(family === 'u8s8' && !exact),
  });
}

/** QLinearGlobalAveragePool: qcc_qlinear_global_average_pool_<d>_avx2 == generic == globalPoolInt (the interpreter's). */
function gapCase(o: { n: number; c: number; image: number; cl: boolean; d: Q8; extreme: boolean; mid?: boolean }): void {
  const id = caseNo++;
  // mid: values and zero points near the middle, output unclamped (a wrong sum cannot hide in saturation)
  const x = q8Values(o.d, o.n * o.c * o.image, o.mid ? 'safe' : o.extreme ? 'extreme' : 'full');
  const mid = o.d === 'u8' ? 130 : 0;
  const xz = o.mid ? mid : pick([qmin(o.d), qmax(o.d), ri(qmin(o.d), qmax(o.d))]);
  const yz = o.mid ? mid : pick([qmin(o.d), qmax(o.d), ri(qmin(o.d), qmax(o.d))]);
  const scale = Math.fround(o.mid ? 1 / o.image : pick([1 / o.image, 0.37 / o.image, 2.5 / o.image, 3e-3, 40 / o.image]));
  const y = o.d === 'u8' ? new Uint8Array(o.n * o.c) : new Int8Array(o.n * o.c);
  if (o.cl) globalPoolInt(x, o.n * o.c, o.image, (p) => Math.floor(p / o.c) * o.image * o.c + (p % o.c), o.c, xz, scale, yz, o.d, y, (p) => p);
  else globalPoolInt(x, o.n * o.c, o.image, (p) => p * o.image, 1, xz, scale, yz, o.d, y, (p) => p);
  const decls = cArr(o.d === 'i8' ? 'int8_t' : 'uint8_t', `x${id}`, x);
  const args = `${o.n}, ${o.c}, ${o.image}, ${o.cl ? 1 : 0}, ${xz}, ${scale.toExponential(9)}f, ${yz}`;
  const body = `run_pool(${id}, ${o.n * o.c}, qcc_qlinear_global_average_pool_${o.d}_avx2(x${id}, (void *)ya, ${args}), qcc_qlinear_global_average_pool_${o.d}(x${id}, (void *)yg, ${args}));`;
  cases.push({ label: `qgap #${id} ${o.d} n${o.n} c${o.c} image${o.image} ${o.cl ? 'nhwc' : 'nchw'}`, decls, body, want: Array.from(y), expectAvx2Equal: true });
}

/** MaxPool u8/i8: qcc_max_pool_<d>_avx2 == qcc_max_pool_<d> == the interpreter's maxPool. */
function maxPoolCase(o: { n: number; c: number; h: number; w: number; k: [number, number]; s: [number, number]; p: [number, number, number, number]; d: Q8; dil?: [number, number] }): void {
  const id = caseNo++;
  const dil = o.dil ?? [1, 1];
  const [oh, ow] = outputSpatial([o.h, o.w], o.p, { kernel: o.k, strides: o.s, dilations: dil });
  const g: PoolGeom = {
    rank: 2, n: o.n, c: o.c, inSp: [1, o.h, o.w], outSp: [1, oh, ow], kernel: [1, o.k[0], o.k[1]], strides: [1, o.s[0], o.s[1]],
    dilations: [1, dil[0], dil[1]], padBegin: [0, o.p[0], o.p[1]], padEnd: [0, o.p[2], o.p[3]], countIncludePad: false,
  };
  const x = q8Values(o.d, o.n * o.c * o.h * o.w, pick(['full', 'extreme'] as const));
  const y = o.d === 'u8' ? new Uint8Array(o.n * o.c * oh * ow) : new Int8Array(o.n * o.c * oh * ow);
  maxPool(g, qmin(o.d), o.d === 'u8' ? Uint8Array.from(x) : Int8Array.from(x), y);
  const t = (v: readonly number[]) => `{${v.join(', ')}}`;
  const decls = `${cArr(o.d === 'i8' ? 'int8_t' : 'uint8_t', `x${id}`, x)}\n` +
    `static const qcc_pool_params p${id} = {${o.n}, ${o.c}, ${[g.inSp, g.outSp, g.kernel, g.strides, g.dilations, g.padBegin, g.padEnd].map(t).join(', ')}, 0};`;
  const body = `run_pool(${id}, ${y.length}, qcc_max_pool_${o.d}_avx2(&p${id}, x${id}, (void *)ya), qcc_max_pool_${o.d}(&p${id}, x${id}, (void *)yg));`;
  cases.push({ label: `maxpool #${id} ${o.d} n${o.n} c${o.c} ${o.h}x${o.w} k${o.k} s${o.s} p${o.p} d${dil}`, decls, body, want: Array.from(y), expectAvx2Equal: true });
}

// ---- the cases ------------------------------------------------------------------------------------------
const dts: [Q8, Q8, Q8][] = [['u8', 'i8', 'u8'], ['i8', 'i8', 'i8'], ['u8', 'u8', 'u8'], ['i8', 'u8', 'u8'], ['u8', 'i8', 'i8']];
for (const [xd, wd, yd] of dts) {
  for (const wmode of ['safe', 'full', 'extreme'] as const) {
    // general 3x3 with padding, odd sizes
    convCase({ c: ri(1, 9), m: ri(1, 13), h: ri(3, 11), w: ri(3, 13), k: [3, 3], s: [1, 1], p: [1, 1, 1, 1], xd, wd, yd, wmode });
    // strided, asymmetric padding, dilation, rectangular kernel
    convCase({ n: 2, c: ri(2, 6), m: ri(3, 9), h: ri(6, 12), w: ri(6, 12), k: [3, 2], s: [2, 1], d: [1, 2], p: [0, 2, 1, 0], xd, wd, yd, wmode });
    // 1x1 pointwise
    convCase({ c: ri(5, 40), m: ri(5, 37), h: ri(1, 9), w: ri(1, 9), k: [1, 1], s: [1, 1], p: [0, 0, 0, 0], xd, wd, yd, wmode });
    // first layer: 1-3 channels, 3x3 stride 2
    convCase({ c: ri(1, 3), m: ri(4, 17), h: ri(9, 21), w: ri(9, 23), k: [3, 3], s: [2, 2], p: [1, 1, 1, 1], xd, wd, yd, wmode, label: 'first' });
    // grouped
    convCase({ c: 6, m: 9, group: 3, h: ri(4, 9), w: ri(4, 9), k: [3, 3], s: [1, 1], p: [1, 0, 0, 1], xd, wd, yd, wmode });
    // depthwise 3x3 / 5x5, stride 1 / 2 (with the GEMM fallback shapes too: channel multiplier)
    const c = ri(1, 11);
    for (const K of [3, 5]) {
      for (const S of [1, 2]) {
        const pad = pick([0, (K - 1) / 2, K - 1]);
        convCase({ n: pick([1, 2]), c, m: c, group: c, h: ri(K, 19), w: ri(K, 37), k: [K, K], s: [S, S], p: [pad, pad, pick([0, pad]), pad], xd, wd, yd, wmode, dw: true, label: 'depthwise' });
      }
    }
    convCase({ c: 3, m: 6, group: 3, h: 7, w: 9, k: [3, 3], s: [1, 1], p: [1, 1, 1, 1], xd, wd, yd, wmode, label: 'dw-multiplier' });
    matmulCase({ batch: 1, m: ri(1, 9), k: ri(1, 70), n: ri(1, 40), ad: xd, bd: wd, yd, wmode });
    matmulCase({ batch: 2, m: ri(4, 9), k: ri(30, 90), n: ri(15, 33), ad: xd, bd: wd, yd, wmode });
  }
}
// Wide rows (the vectorised im2col's 16/32-element loops, deinterleaving for column stride 2), even kernel
// widths with stride 2, row stride != column stride, pointwise over several pixel blocks.
for (const [xd, wd, yd] of dts) {
  const wmode = pick(['safe', 'full', 'extreme'] as const);
  convCase({ c: ri(1, 4), m: ri(3, 9), h: ri(5, 9), w: ri(33, 80), k: [3, pick([2, 3, 4])], s: [pick([1, 2]), 2], p: [ri(0, 2), ri(0, 3), ri(0, 2), ri(0, 3)], xd, wd, yd, wmode, label: 'wide' });
  convCase({ c: ri(1, 5), m: ri(2, 7), h: ri(4, 8), w: ri(40, 70), k: [pick([1, 3]), pick([1, 3, 5])], s: [2, 1], p: [1, ri(0, 2), 0, ri(0, 2)], xd, wd, yd, wmode, label: 'wide' });
  convCase({ c: ri(9, 20), m: ri(5, 12), h: ri(6, 12), w: ri(20, 40), k: [1, 1], s: [1, 1], p: [0, 0, 0, 0], xd, wd, yd, wmode, label: 'pointwise-blocks' });
  // kernel shorter than the row stride (1x1 stride 2 shortcuts, 2x1 stride 3): plane rows no tap reads are skipped
  convCase({ c: ri(3, 20), m: ri(5, 12), h: ri(6, 33), w: ri(6, 40), k: [1, 1], s: [2, 2], p: [0, 0, 0, 0], xd, wd, yd, wmode, label: 'strided-pointwise' });
  convCase({ c: ri(1, 6), m: ri(2, 9), h: ri(7, 20), w: ri(7, 20), k: [2, 1], s: [3, pick([1, 2])], p: [ri(0, 1), 0, 1, ri(0, 1)], xd, wd, yd, wmode, label: 'strided-pointwise' });
  // padded rows of 16-31 and 33-63 bytes (the overlapping tail vectors of the row padding and widening)
  convCase({ c: ri(1, 4), m: ri(2, 7), h: ri(3, 6), w: pick([14, 15, 16, 17, 24, 29, 30]), k: [3, 3], s: [1, 1], p: [1, 1, 1, 1], xd, wd, yd, wmode, label: 'row-tails' });
  convCase({ c: ri(1, 4), m: ri(2, 7), h: ri(3, 6), w: pick([31, 33, 40, 47, 61]), k: [3, pick([1, 3])], s: [1, 1], p: [1, pick([0, 1, 2]), 1, 1], xd, wd, yd, wmode, label: 'row-tails' });
  // short k (1x1 over 1-4 channels: one k-group, the tile's odd k-group tail only) and k-group counts around 2
  convCase({ c: ri(1, 4), m: ri(1, 9), h: ri(2, 9), w: ri(5, 40), k: [1, 1], s: [1, 1], p: [0, 0, 0, 0], xd, wd, yd, wmode, label: 'short-k' });
  convCase({ c: ri(1, 3), m: ri(5, 11), h: ri(4, 9), w: ri(4, 20), k: [1, pick([2, 3])], s: [1, 1], p: [0, 1, 0, 1], xd, wd, yd, wmode, label: 'short-k' });
  const dc = ri(1, 5);
  convCase({ c: dc, m: dc, group: dc, h: ri(4, 9), w: pick([45, 56, 61]), k: [3, 3], s: [1, 1], p: [1, 1, 1, 1], xd, wd, yd, wmode, dw: true, label: 'depthwise-wide' });
  // narrow planes (W < 16: the plane's scalar row tail), DS-CNN's 25x5 with 64 channels and 1..7 wide
  convCase({ c: 64, m: 64, group: 64, h: 25, w: 5, k: [3, 3], s: [1, 1], p: [1, 1, 1, 1], xd, wd, yd, wmode, dw: true, label: 'depthwise-narrow' });
  const nc = ri(1, 5);
  convCase({ c: nc, m: nc, group: nc, h: ri(3, 9), w: ri(1, 7), k: [3, 3], s: [1, 1], p: [1, 1, 1, 1], xd, wd, yd, wmode, dw: true, label: 'depthwise-narrow' });
}
// The vectorised im2col's two ways to build the tap planes (qcc_qp_planes_avx2_): stride 1 with ow == w (each
// plane one flat shifted copy of the channel, then the padded edge columns fixed up; also left pads >= w) and the
// per-row way (stride 2 either way, pads that make ow != w); widths around 8/16/32 (copy, fill and deinterleave
// tails), short rows (several output rows per 16-pixel panel), k not a multiple of the k-group (the pad row),
// blocks of 1-3 panels (odd panel counts: the 128-bit tail of the u8 panel writer). Both ISAs.
const IM2COL_W = [1, 2, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 40];
function im2colCases(i: number, xd: Q8, wd: Q8, yd: Q8, vnni: boolean): void {
  const wmode = vnni ? pick(['full', 'extreme'] as const) : pick(['safe', 'full', 'extreme'] as const);
  const w = IM2COL_W[i % IM2COL_W.length]!;
  const wzpZero = vnni && wd === 'i8';
  const c = pick([1, 2, 3, 5, 7]);
  {
    const kw = pick([1, 2, 3, 3, 5]), kh = pick([1, 3, 3]);
    const pl = ri(0, kw - 1), pr = kw - 1 - pl;
    convCase({ c, m: ri(2, 9), h: ri(1, 8) + kh - 1, w, k: [kh, kw], s: [1, 1], p: [ri(0, kh - 1), pl, ri(0, 1), pr], xd, wd, yd, wmode, vnni, wzpZero, nb: 16 * ri(1, 3), label: 'im2col-flat' });
  }
  {
    const s: [number, number] = pick([[2, 2], [2, 2], [1, 2], [2, 1]]);
    const kw = pick([1, 2, 3, 3, 4, 5]), kh = pick([1, 2, 3, 3]);
    const p: [number, number, number, number] = [ri(0, 2), ri(0, 2), ri(0, 2), ri(0, 2)];
    const h = ri(1, 12);
    while (h + p[0] + p[2] < kh) p[2]++;
    while (w + p[1] + p[3] < kw) p[3]++;
    convCase({ c, m: ri(2, 9), h, w, k: [kh, kw], s, p, xd, wd, yd, wmode, vnni, wzpZero, nb: 16 * ri(1, 3), label: 'im2col-rows' });
  }
  // no column padding (left pad 0, right pad unused): rows read straight from the input, flipped on the way
  convCase({ c, m: ri(2, 9), h: ri(3, 12), w: Math.max(w, 3), k: [pick([1, 3]), pick([1, 2, 3])], s: pick([[2, 2], [1, 2], [2, 1]]), p: [ri(0, 1), 0, ri(0, 1), 0], xd: pick([xd, 'i8']), wd, yd, wmode, vnni, wzpZero, nb: 16 * ri(1, 3), label: 'im2col-direct' });
  // 3x3 "same" stride 1 and 3x3 pad 1 stride 2 (ResNet's layers) on small planes, several blocks
  const hw = pick([4, 8, 9, 16]);
  convCase({ n: pick([1, 2]), c: ri(4, 12), m: ri(4, 20), h: hw, w: hw, k: [3, 3], s: [1, 1], p: [1, 1, 1, 1], xd, wd, yd, wmode, vnni, wzpZero, nb: 16 * ri(1, 4), label: 'im2col-3x3s1' });
  convCase({ n: pick([1, 2]), c: ri(4, 12), m: ri(4, 20), h: hw, w: hw, k: [3, 3], s: [2, 2], p: [1, 1, 1, 1], xd, wd, yd, wmode, vnni, wzpZero, nb: 16 * ri(1, 4), label: 'im2col-3x3s2' });
}
// The channel-vectorised depthwise kernel: planes from 1x1 to 14x14 and the narrow/wide DS-CNN-like ones,
// channel counts around the 16-channel blocks, 3x3 / 5x5, stride 1 / 2, padding 0..2 and asymmetric, batch 2,
// activations and weights at the ends (w_zp 0 with w at -128/127, and zero points at the ends).
const DWCL_PLANES: [number, number][] = [[1, 1], [2, 3], [5, 25], [25, 5], [7, 7], [14, 14], [3, 8], [9, 4]];
const DWCL_CHANNELS = [1, 3, 17, 63, 65, 16, 64];
const dwclShapes: { c: number; h: number; w: number; K: number; S: number; p: [number, number, number, number] }[] = [];
for (const [xd, wd, yd] of dts) {
  for (const [h, w] of DWCL_PLANES) {
    const K = pick([3, 5]), S = pick([1, 2]);
    // pads 0..2 per side (asymmetric), enough that the padded plane holds one kernel window
    const p: [number, number, number, number] = [ri(0, 2), ri(0, 2), ri(0, 2), ri(0, 2)];
    while (h + p[0] + p[2] < K) p[2]++;
    while (w + p[1] + p[3] < K) p[3]++;
    const c = pick(DWCL_CHANNELS);
    const wmode = pick(['full', 'extreme'] as const);
    dwclShapes.push({ c, h, w, K, S, p });
    convCase({ n: pick([1, 2]), c, m: c, group: c, h, w, k: [K, K], s: [S, S], p, xd, wd, yd, wmode, xmode: pick(['full', 'extreme']), dwcl: true, wzpZero: R() < 0.4, label: 'depthwise-cl' });
  }
  // every kernel / stride on the DS-CNN and MobileNetV2 shapes, symmetric padding, batch 2
  for (const K of [3, 5]) {
    for (const S of [1, 2]) {
      const [h, w] = pick([[25, 5], [7, 7], [14, 14], [28, 28]] as const);
      const pad = (K - 1) / 2;
      const c = pick([17, 63, 65, 64]);
      dwclShapes.push({ c, h, w, K, S, p: [pad, pad, pad, pad] });
      convCase({ n: 2, c, m: c, group: c, h, w, k: [K, K], s: [S, S], p: [pad, pad, pad, pad], xd, wd, yd, wmode: 'extreme', dwcl: true, wzpZero: wd === 'i8', label: 'depthwise-cl' });
    }
  }
}
// Pooling: global average (NCHW and channels last, channel counts around 32, images around 32 / 128 pixels)
// and 2-D max pool (stride 1 / 2, widths around the 16/32-output vectors, borders, padding on every side).
for (const d of ['u8', 'i8'] as const) {
  for (const [c, image] of [[1, 1], [5, 49], [31, 33], [32, 7], [33, 200], [70, 31], [64, 300], [3, 1000], [40, 1000], [32, 520]] as const) {
    for (const cl of [false, true]) gapCase({ n: pick([1, 2]), c, image, cl, d, extreme: R() < 0.5 });
    if (image >= 200) for (const cl of [false, true]) gapCase({ n: 1, c, image, cl, d, extreme: false, mid: true });
  }
  for (const s of [1, 2]) {
    for (const w of [5, 16, 17, 31, 33, 47, 64, 67, 112, 130]) {
      const k = pick([2, 3, 3, 5]);
      const pw = ri(0, k - 1), ph = ri(0, k - 1);
      maxPoolCase({ n: pick([1, 2]), c: ri(1, 3), h: ri(k, 9), w: Math.max(w, k), k: [pick([k, 1, 3]), k], s: [pick([1, 2]), s], p: [ph, pw, ri(0, ph), ri(0, pw)], d });
    }
  }
  // the generic fallbacks: dilation, stride 3, 1-D-like windows
  maxPoolCase({ n: 1, c: 2, h: 9, w: 40, k: [3, 3], s: [1, 1], p: [1, 1, 1, 1], d, dil: [2, 2] });
  maxPoolCase({ n: 1, c: 2, h: 9, w: 70, k: [3, 3], s: [3, 3], p: [0, 1, 0, 1], d });
  maxPoolCase({ n: 1, c: 1, h: 112, w: 112, k: [3, 3], s: [2, 2], p: [1, 1, 1, 1], d });
}
// Saturation is visible: u8 x s8 forced onto weights whose pairs can saturate (w = 127 or -128 in pairs).
const SAT_CONV = caseNo;
convCase({ c: 8, m: 4, h: 6, w: 6, k: [3, 3], s: [1, 1], p: [1, 1, 1, 1], xd: 'u8', wd: 'i8', yd: 'u8', wmode: 'extreme', forceFamily: 'u8s8', label: 'forced-saturating', wzpZero: true });
const SAT_MM = caseNo;
matmulCase({ batch: 1, m: 5, k: 64, n: 20, ad: 'u8', bd: 'i8', yd: 'u8', wmode: 'extreme', forceFamily: 'u8s8', bzpZero: true });

// x86-avx512vnni: the u8s8 kernels on every weight that fits s8, saturating pairs included (full and extreme
// weights, zero weight zero points so that w' spans [-128, 127]); s16 where w - w_zp leaves s8.
for (const [xd, wd, yd] of dts) {
  for (const wmode of ['full', 'extreme'] as const) {
    convCase({ c: ri(1, 9), m: ri(1, 13), h: ri(3, 11), w: ri(3, 40), k: [3, 3], s: [1, 1], p: [1, 1, 1, 1], xd, wd, yd, wmode, vnni: true, wzpZero: wd === 'i8' });
    convCase({ c: ri(1, 3), m: ri(4, 17), h: ri(9, 21), w: ri(9, 50), k: [3, 3], s: [2, 2], p: [1, 1, 1, 1], xd, wd, yd, wmode, vnni: true, label: 'first' });
    convCase({ n: 2, c: ri(2, 6), m: ri(3, 9), h: ri(6, 12), w: ri(6, 12), k: [3, 2], s: [2, 1], d: [1, 2], p: [0, 2, 1, 0], xd, wd, yd, wmode, vnni: true, wzpZero: true });
    convCase({ c: ri(5, 40), m: ri(5, 37), h: ri(1, 9), w: ri(1, 9), k: [1, 1], s: [1, 1], p: [0, 0, 0, 0], xd, wd, yd, wmode, vnni: true, wzpZero: true });
    matmulCase({ batch: 1, m: ri(1, 9), k: ri(1, 70), n: ri(1, 40), ad: xd, bd: wd, yd, wmode, vnni: true, bzpZero: wd === 'i8' });
    matmulCase({ batch: 2, m: ri(4, 9), k: ri(30, 90), n: ri(15, 33), ad: xd, bd: wd, yd, wmode, vnni: true, bzpZero: true });
  }
}
// x86-avx512vnni channel-vectorised depthwise (512-bit vpdpwssd; T's channel units swapped, 'natural' packing):
// the same corners as the AVX2 kernel's cases, plus the 56x56 planes the vnni plan gives it.
const dwclVnniShapes: typeof dwclShapes = [];
for (const [xd, wd, yd] of dts) {
  for (const [h, w] of [...DWCL_PLANES, [56, 56]] as [number, number][]) {
    const K = pick([3, 5]), S = pick([1, 2]);
    const p: [number, number, number, number] = [ri(0, 2), ri(0, 2), ri(0, 2), ri(0, 2)];
    while (h + p[0] + p[2] < K) p[2]++;
    while (w + p[1] + p[3] < K) p[3]++;
    const c = h >= 56 ? pick([16, 32]) : pick(DWCL_CHANNELS);
    dwclVnniShapes.push({ c, h, w, K, S, p });
    convCase({ n: h >= 56 ? 1 : pick([1, 2]), c, m: c, group: c, h, w, k: [K, K], s: [S, S], p, xd, wd, yd, wmode: pick(['full', 'extreme'] as const), xmode: pick(['full', 'extreme']), dwcl: true, vnni: true, wzpZero: R() < 0.4, label: 'depthwise-cl' });
  }
  for (const K of [3, 5]) {
    for (const S of [1, 2]) {
      const [h, w] = pick([[25, 5], [7, 7], [14, 14], [28, 28]] as const);
      const pad = (K - 1) / 2;
      const c = pick([17, 63, 65, 64]);
      dwclVnniShapes.push({ c, h, w, K, S, p: [pad, pad, pad, pad] });
      convCase({ n: 2, c, m: c, group: c, h, w, k: [K, K], s: [S, S], p: [pad, pad, pad, pad], xd, wd, yd, wmode: 'extreme', dwcl: true, vnni: true, wzpZero: wd === 'i8', label: 'depthwise-cl' });
    }
  }
}

// x86-avx512vnni 512-bit tiles (conv: 8 or 4 channels x up to 3 panels of 16 pixels; matmul: up to 6 rows x up
// to 4 panels of 16 columns, 1-row GEMV with split k): output channels / columns around 16, 32, 48, 64 and
// pixel / row counts that leave every remainder, k = 1, 3, 5 (k-group padding) and 255, pixel blocks (nb) of
// 1 to 6 panels, groups, strides, padding, extreme values and zero points at the ends.
const VNNI_N = [1, 15, 17, 33, 63, 65, 100];
for (const [i, [xd, wd, yd]] of [...dts, ...dts].entries()) {
  const wmode = i % 2 === 0 ? 'extreme' : 'full';
  const m = VNNI_N[i % VNNI_N.length]!;
  // pointwise, k = channels (1, 3, 5, 255 among them), plane sizes with panel remainders, several pixel blocks
  const c = [1, 3, 5, 255, 2, 7, 64][i % 7]!;
  const hw = pick([[1, 1], [3, 5], [4, 4], [5, 7], [7, 7], [6, 11], [10, 10], [9, 13]] as const);
  convCase({ c, m, h: hw[0], w: hw[1], k: [1, 1], s: [1, 1], p: [0, 0, 0, 0], xd, wd, yd, wmode, vnni: true, wzpZero: wd === 'i8' && i % 3 === 0, nb: 16 * ri(1, 6), label: 'v512-pointwise' });
  // 3x3 with padding (k = 9 * c), stride 1 or 2, pixel counts around multiples of 16 / 48
  convCase({ c: ri(1, 9), m: VNNI_N[(i + 3) % VNNI_N.length]!, h: ri(3, 14), w: ri(3, 17), k: [3, 3], s: [1 + (i % 2), 1 + (i % 2)], p: [1, 1, i % 2, 1], xd, wd, yd, wmode, vnni: true, wzpZero: wd === 'i8', nb: 16 * ri(1, 6), label: 'v512-3x3' });
  // grouped (several channels per group: the 8- and 4-channel tiles inside a group), asymmetric padding
  const group = pick([2, 3]);
  convCase({ c: group * ri(1, 4), m: group * pick([5, 9, 12, 17]), group, h: ri(4, 10), w: ri(4, 12), k: [3, pick([1, 3])], s: [1, pick([1, 2])], p: [0, 1, 1, 0], xd, wd, yd, wmode, vnni: true, wzpZero: true, nb: 16 * ri(1, 4), label: 'v512-grouped' });
  // matmul: columns around the panel widths, rows leaving every remainder of 6, k with every remainder of 4
  matmulCase({ batch: 1, m: ri(1, 13), k: [1, 3, 5, 255, 64, 2, 130][i % 7]!, n: VNNI_N[(i + 1) % VNNI_N.length]!, ad: xd, bd: wd, yd, wmode, vnni: true, bzpZero: wd === 'i8' && i % 2 === 0 });
  matmulCase({ batch: pick([2, 3]), m: pick([1, 5, 6, 7, 12]), k: ri(1, 70), n: VNNI_N[(i + 4) % VNNI_N.length]!, ad: xd, bd: wd, yd, wmode, vnni: true, bzpZero: true });
}
// the GEMV (1 row) with k-group counts odd and even, and the widest column block
for (const k of [1, 4, 5, 8, 255, 256]) matmulCase({ batch: 1, m: 1, k, n: pick([64, 65, 100, 128]), ad: pick(['u8', 'i8'] as const), bd: 'i8', yd: pick(['u8', 'i8'] as const), wmode: 'extreme', vnni: true, bzpZero: true });

// x86-avx2 u8s8 with a sparse correction (u8s8c): weights whose w' fits s8 but some pairs could saturate
// vpmaddubsw. Realistic weights (per-channel symmetric, gaussian, row max 127: a few unsafe pairs per row) on the
// plan's choice; constructed ones (small weights plus chosen unsafe pairs: in the last, partial k-group, in every
// row of a 4-row block and in none, one or many per row) forced onto u8s8c; activations and zero points at the
// ends, signed inputs, groups, strides, padding. u8 weights: w = 128 + s8 value, w_zp = 128.
const gauss = () => Math.sqrt(-2 * Math.log(R() + 1e-12)) * Math.cos(2 * Math.PI * R());
const asWd = (wd: Q8, v: number[], m: number) => ({ w: wd === 'i8' ? v : v.map((x) => x + 128), wzp: new Array<number>(m).fill(wd === 'i8' ? 0 : 128) });
const realW = (wd: Q8) => (m: number, kdim: number) => {
  const v: number[] = [];
  for (let r = 0; r < m; r++) {
    const g = Array.from({ length: kdim }, gauss);
    const mx = Math.max(...g.map(Math.abs), 1e-9);
    for (const x of g) v.push(Math.max(-128, Math.min(127, Math.round((x / mx) * 127))));
  }
  return asWd(wd, v, m);
};
const UNSAFE: [number, number][] = [[127, 127], [-128, -128], [100, 60], [-70, -100], [127, 2], [-128, -1]];
/** Small weights (never unsafe) with unsafe pairs where `at(row)` says: 'last' = the last full pair of the row (in
 * the last k-group, partial when kdim % 4 != 0), 'one' = one random pair, 'many' = every pair with probability 1/2. */
const builtW = (wd: Q8, rowHas: (r: number) => boolean, at: 'last' | 'one' | 'many') => (m: number, kdim: number) => {
  const v = Array.from({ length: m * kdim }, () => ri(-40, 40));
  const put = (r: number, i: number) => {
    const [a, b] = pick(UNSAFE);
    v[r * kdim + i] = a;
    v[r * kdim + i + 1] = b;
  };
  for (let r = 0; r < m; r++) {
    if (!rowHas(r) || kdim < 2) continue;
    const lastPair = (kdim % 2 === 0 ? kdim - 2 : kdim - 3);
    if (at === 'last') put(r, lastPair);
    else if (at === 'one') put(r, 2 * ri(0, lastPair / 2));
    else for (let i = 0; i <= lastPair; i += 2) if (R() < 0.5) put(r, i);
  }
  return asWd(wd, v, m);
};
const corrFirst = cases.length;
for (const [xd, wd, yd] of dts) {
  const xmode = pick(['full', 'extreme'] as const);
  // realistic weights, the plan's choice (u8s8c on these shapes: asserted below)
  convCase({ c: ri(8, 24), m: ri(5, 20), h: ri(4, 11), w: ri(4, 20), k: [3, 3], s: [1, 1], p: [1, 1, 1, 1], xd, wd, yd, wmode: 'full', xmode, wgen: realW(wd), label: 'corr-real' });
  convCase({ c: ri(64, 100), m: ri(5, 17), h: ri(2, 9), w: ri(2, 9), k: [1, 1], s: [1, 1], p: [0, 0, 0, 0], xd, wd, yd, wmode: 'full', xmode, wgen: realW(wd), label: 'corr-real' });
  convCase({ n: 2, c: ri(6, 12), m: ri(4, 13), h: ri(6, 13), w: ri(6, 30), k: [3, 3], s: [2, pick([1, 2])], p: [0, 1, 1, 0], xd, wd, yd, wmode: 'full', xmode, wgen: realW(wd), label: 'corr-real' });
  convCase({ c: 3 * ri(4, 6), m: 3 * ri(3, 6), group: 3, h: ri(4, 9), w: ri(4, 12), k: [3, 3], s: [1, 1], p: [1, 0, 0, 1], xd, wd, yd, wmode: 'full', xmode, wgen: realW(wd), label: 'corr-real-grouped' });
  convCase({ c: ri(8, 12), m: ri(5, 9), h: ri(4, 9), w: ri(4, 9), k: [3, 3], s: [1, 1], d: [2, 1], p: [2, 1, 2, 1], xd, wd, yd, wmode: 'full', xmode, wgen: realW(wd), label: 'corr-real-dilated' });
  // first layer (k = 27): forced (the estimate may prefer s16 there)
  convCase({ c: 3, m: ri(4, 17), h: ri(9, 21), w: ri(9, 23), k: [3, 3], s: [2, 2], p: [1, 1, 1, 1], xd, wd, yd, wmode: 'full', xmode, wgen: realW(wd), corr: 'force', label: 'corr-first' });
  // constructed: the last (partial) k-group of every row; kdim % 4 = 1, 2, 3 and 0
  for (const c of [5, 6, 7, 4]) {
    convCase({ c, m: ri(3, 9), h: ri(3, 7), w: ri(3, 19), k: [1, 1], s: [1, 1], p: [0, 0, 0, 0], xd, wd, yd, wmode: 'full', xmode: 'extreme', wgen: builtW(wd, () => true, 'last'), corr: 'force', label: 'corr-last' });
  }
  convCase({ c: ri(2, 5), m: ri(5, 11), h: ri(3, 7), w: ri(3, 12), k: [3, 3], s: [1, 1], p: [1, 1, 1, 1], xd, wd, yd, wmode: 'full', xmode: 'extreme', wgen: builtW(wd, () => true, 'last'), corr: 'force', label: 'corr-last' });
  // every row of a 4-row block, then none (blocks alternate); rows with one unsafe pair or many
  convCase({ c: ri(4, 12), m: ri(9, 16), h: ri(3, 8), w: ri(3, 20), k: [3, 3], s: [1, pick([1, 2])], p: [1, 1, 1, 1], xd, wd, yd, wmode: 'full', xmode, wgen: builtW(wd, (r) => Math.floor(r / 4) % 2 === 0, 'one'), corr: 'force', label: 'corr-blocks' });
  convCase({ c: ri(4, 12), m: ri(9, 16), h: ri(3, 8), w: ri(3, 20), k: [3, 3], s: [1, 1], p: [0, 1, 2, 1], xd, wd, yd, wmode: 'full', xmode: 'extreme', wgen: builtW(wd, (r) => Math.floor(r / 4) % 2 === 1, 'many'), corr: 'force', label: 'corr-blocks-many' });
  convCase({ c: ri(4, 12), m: ri(1, 7), h: ri(3, 8), w: ri(3, 20), k: [3, 3], s: [1, 1], p: [1, 1, 1, 1], xd, wd, yd, wmode: 'full', xmode: 'extreme', wgen: builtW(wd, () => true, 'many'), corr: 'force', label: 'corr-many' });
  // no unsafe pair at all in some rows of every block (row 1 only has one)
  convCase({ c: ri(4, 12), m: ri(5, 12), group: 1, h: ri(3, 8), w: ri(3, 20), k: [3, 3], s: [1, 1], p: [1, 1, 1, 1], xd, wd, yd, wmode: 'full', xmode, wgen: builtW(wd, (r) => r % 4 === 1, 'one'), corr: 'force', label: 'corr-sparse' });
  // grouped with the correction in one group only
  convCase({ c: 8, m: 10, group: 2, h: ri(4, 8), w: ri(4, 12), k: [3, 3], s: [2, 2], p: [1, 1, 1, 1], xd, wd, yd, wmode: 'full', xmode: 'extreme', wgen: builtW(wd, (r) => r >= 5, 'one'), corr: 'force', label: 'corr-grouped' });
}
const corrLast = cases.length;
// A broken correction is visible: the correction dropped, or applied twice (kernel and twin both wrong).
const CORR_BROKEN = [caseNo, caseNo + 1, caseNo + 2, caseNo + 3];
for (const corr of ['drop', 'twice'] as const) {
  convCase({ c: 16, m: 8, h: 6, w: 9, k: [3, 3], s: [1, 1], p: [1, 1, 1, 1], xd: 'u8', wd: 'i8', yd: 'u8', wmode: 'full', wgen: realW('i8'), corr, label: 'corr-broken' });
  convCase({ c: 6, m: 5, h: 5, w: 7, k: [1, 1], s: [1, 1], p: [0, 0, 0, 0], xd: 'i8', wd: 'u8', yd: 'i8', wmode: 'full', xmode: 'extreme', wgen: builtW('u8', () => true, 'last'), corr, label: 'corr-broken' });
}

// the im2col cases last: their random draws leave the shapes above (and the plan assertions on them) as they were
// (the u8s8c cases above included)
for (const [i, [xd, wd, yd]] of [...dts, ...dts, ...dts].entries()) im2colCases(i, xd, wd, yd, false);
for (const [i, [xd, wd, yd]] of [...dts, ...dts].entries()) im2colCases(i + 3, xd, wd, yd, true);
// tap planes over QCC_QP_TAP_PLANES_MAX (4 MiB): the kernel must take the scalar im2col, whose scratch is one
// panel block (the driver's guard bytes after the declared scratch catch a kernel that still builds the planes)
convCase({ c: 128, m: 3, h: 112, w: 112, k: [3, 3], s: [1, 1], p: [1, 1, 1, 1], xd: 'u8', wd: 'i8', yd: 'u8', wmode: 'safe', label: 'tap-planes-cap' });
convCase({ c: 64, m: 2, h: 112, w: 111, k: [3, 3], s: [1, 1], p: [1, 1, 1, 1], xd: 'i8', wd: 'i8', yd: 'i8', wmode: 'full', label: 'tap-planes-cap' });

// x86-avx2 matmul / QGemm u8s8 with a per-column sparse correction (qcc_qpmatmul_u8s8c_avx2): B's columns split as
// the conv's rows (splitU8S8). Realistic full-range weights (per-column symmetric gaussian, max 127) on the plan's
// choice (chooseMatmul, as planMatmul / planQgemm call it), constructed unsafe pairs forced onto u8s8c (last
// partial k-group of every column, every column of a panel and none of the next, one or many per column), M 1..13,
// batches, n not a multiple of 16, k not a multiple of 4, extreme A and zero points. Added after every other case
// (their random draws stay as they were).
const MM_CORR_BROKEN: number[] = [];
function matmulCorrCase(o: {
  batch: number; m: number; k: number; n: number; ad: Q8; bd: Q8; yd: Q8; amode: 'full' | 'extreme';
  bgen: (rows: number, k: number) => { w: number[]; wzp: number[] }; corr: 'plan' | 'force' | 'drop' | 'twice'; label: string;
  /** k in a random order or in the plan's (qcc_qpmm_params.kperm); default the ONNX order. */
  perm?: 'random' | 'plan';
}): void {
  const id = caseNo++;
  const a = q8Values(o.ad, o.batch * o.m * o.k, o.amode);
  const { w: cols, wzp: bzp } = o.bgen(o.n, o.k);
  const b = Array.from({ length: o.k * o.n }, (_, i) => cols[(i % o.n) * o.k + Math.floor(i / o.n)]!);
  const azp = pick([qmin(o.ad), qmax(o.ad), ri(qmin(o.ad), qmax(o.ad))]);
  const yzp = pick([qmin(o.yd), qmax(o.yd), ri(qmin(o.yd), qmax(o.yd))]);
  const scales = randomScales(o.n);
  const want = matmulWant(o, a, azp, b, bzp, scales, yzp);
  const bEff0 = effectiveCols(b, bzp, o.k, o.n);
  // the k order: the ONNX one, the plan's (chooseMatmulOrder) or a random one; B' (kk x n) in that order
  const perm = o.perm === 'random' ? randomTapOrder(o.k) : o.perm === 'plan' ? chooseMatmulOrder(ISA_AVX2, bEff0, o.k, o.n, o.m).perm : null;
  const kk = perm ? perm.length : o.k;
  const bT = perm ? permuteCols(transpose(bEff0, o.k, o.n), o.n, o.k, perm) : transpose(bEff0, o.k, o.n);
  const bEff = perm ? transpose(bT, o.n, kk) : bEff0;
  const plan = chooseMatmul(ISA_AVX2, bT, o.n, kk, o.m);
  const residT = o.corr === 'plan' ? plan.residT : splitU8S8(bT, o.n, kk);
  if (o.corr !== 'plan' && !residT) throw new Error('internal: forced u8s8c on weights that do not fit s8');
  const family: PackedFamily = residT ? 'u8s8' : plan.family;
  const as = o.ad === 'i8' ? 1 : 0;
  const pk = packMatmulB(family, bEff, kk, o.n, scales, family === 'u8s8' ? azp + (as ? 128 : 0) : 0, residT ?? undefined);
  const wT = family === 'u8s8' ? 'int8_t' : 'int16_t';
  const aOff = Array.from({ length: o.batch }, (_, t) => t * o.m * o.k);
  let decls = `${cArr(o.ad === 'i8' ? 'int8_t' : 'uint8_t', `x${id}`, a)}\n${cArr(wT, `w${id}`, pk.weights)}\n${cArr('int32_t', `b${id}`, pk.bias)}\n` +
    `${fArr(`s${id}`, pk.scale)}\n${cArr('int32_t', `o${id}`, aOff)}\n` +
    (perm ? `${cArr('int32_t', `kp${id}`, Int32Array.from({ length: pk.kpad }, (_, i) => (i < kk ? perm[i]! : -1)))}\n` : '') +
    `static const qcc_qpmm_params p${id} = {${[o.batch, o.m, o.k, o.n, pk.kpad, pk.npanels, as, azp, o.yd === 'i8' ? 1 : 0, yzp, perm ? `kp${id}` : 0].join(',')}};`;
  if (perm) permCases.push(o.label);
  let body: string;
  let what: string = family;
  if (pk.corr) {
    let corr = pk.corr;
    const cols = pk.npanels * NR;
    if (o.corr === 'drop' || o.corr === 'twice') {
      // every column's list emptied, or each column's entries listed twice
      const out: number[] = new Array<number>(cols + 1).fill(0);
      for (let j = 0; j < cols; j++) {
        out[j] = out.length;
        if (o.corr === 'drop') continue;
        const ent = Array.from(corr.subarray(corr[j]!, corr[j + 1]!));
        out.push(...ent, ...ent);
      }
      out[cols] = out.length;
      corr = Int32Array.from(out);
      MM_CORR_BROKEN.push(id);
    }
    decls += `\n${cArr('int32_t', `c${id}`, corr)}`;
    body = `run_mmc(${id}, ${o.batch * o.m * o.n}, ${matmulScratch('u8s8', o.m, pk.kpad, true)}, &p${id}, o${id}, x${id}, w${id}, b${id}, s${id}, c${id}, qcc_qpmatmul_u8s8c_avx2, qcc_qpmatmul_u8s8c);`;
    what = `u8s8c(${(pk.corr.length - pk.corr[0]!) / 2} entries${o.corr === 'drop' || o.corr === 'twice' ? `, ${o.corr}` : ''})`;
  } else {
    body = `run_mm(${id}, ${o.batch * o.m * o.n}, ${matmulScratch(family, o.m, pk.kpad, false)}, &p${id}, o${id}, x${id}, w${id}, b${id}, s${id}, qcc_qpmatmul_${family}_avx2, qcc_qpmatmul_${family});`;
  }
  cases.push({
    label: `${o.label} #${id} ${what} ${o.ad}${o.bd}${o.yd} ${o.batch}x${o.m}x${o.k}x${o.n}`, decls, body, want,
    expectAvx2Equal: true, expectWrong: o.corr === 'drop' || o.corr === 'twice',
  });
}
const mmCorrFirst = cases.length;
for (const [i, [ad, bd, yd]] of dts.entries()) {
  const amode = pick(['full', 'extreme'] as const);
  // realistic, the plan's choice: u8s8c where m >= 5 and k >= 200 (asserted below); m <= 4: whichever the estimate
  // says (m = 4 wastes half of the correction's 8-row vectors)
  for (const m of [4, 5, 13]) matmulCorrCase({ batch: 1, m, k: ri(200, 300), n: ri(17, 40), ad, bd, yd, amode, bgen: realW(bd), corr: 'plan', label: m === 4 ? 'mmcorr-real-small' : 'mmcorr-real' });
  matmulCorrCase({ batch: 2, m: 8, k: 256 + i, n: 33, ad, bd, yd, amode, bgen: realW(bd), corr: 'plan', label: 'mmcorr-real' });
  for (const m of [1, 2, 3]) matmulCorrCase({ batch: 1, m, k: ri(100, 300), n: ri(5, 40), ad, bd, yd, amode, bgen: realW(bd), corr: 'plan', label: 'mmcorr-real-small' });
  // forced u8s8c on realistic weights, every small M and a row count past the 32-row blocks
  for (const m of [1, 2, 3, 5]) matmulCorrCase({ batch: pick([1, 2]), m, k: ri(8, 90), n: ri(1, 40), ad, bd, yd, amode, bgen: realW(bd), corr: 'force', label: 'mmcorr-force' });
  matmulCorrCase({ batch: 1, m: 37 + i, k: ri(30, 70), n: ri(15, 35), ad, bd, yd, amode, bgen: realW(bd), corr: 'force', label: 'mmcorr-force-tall' });
  // constructed: the last (partial) k-group of every column, k % 4 = 1, 2, 3, 0
  for (const k of [5, 6, 7, 8]) matmulCorrCase({ batch: 1, m: ri(1, 9), k, n: ri(3, 20), ad, bd, yd, amode: 'extreme', bgen: builtW(bd, () => true, 'last'), corr: 'force', label: 'mmcorr-last' });
  // every column of the first panel, none of the second (and the other way round); one or many per column
  matmulCorrCase({ batch: 1, m: ri(4, 13), k: ri(9, 40), n: ri(20, 40), ad, bd, yd, amode, bgen: builtW(bd, (j) => j < 16, 'one'), corr: 'force', label: 'mmcorr-panels' });
  matmulCorrCase({ batch: 2, m: ri(4, 13), k: ri(9, 40), n: ri(20, 40), ad, bd, yd, amode: 'extreme', bgen: builtW(bd, (j) => j >= 16, 'many'), corr: 'force', label: 'mmcorr-panels-many' });
  matmulCorrCase({ batch: 1, m: ri(1, 13), k: ri(9, 40), n: ri(1, 40), ad, bd, yd, amode: 'extreme', bgen: builtW(bd, () => true, 'many'), corr: 'force', label: 'mmcorr-many' });
  matmulCorrCase({ batch: 1, m: ri(1, 13), k: ri(9, 40), n: ri(1, 40), ad, bd, yd, amode, bgen: builtW(bd, (j) => j % 5 === 2, 'one'), corr: 'force', label: 'mmcorr-sparse' });
}
const mmCorrLast = cases.length;
// A broken matmul correction is visible: dropped, or applied twice (kernel and twin both wrong).
for (const corr of ['drop', 'twice'] as const) {
  matmulCorrCase({ batch: 1, m: 6, k: 200, n: 20, ad: 'u8', bd: 'i8', yd: 'u8', amode: 'full', bgen: realW('i8'), corr, label: 'mmcorr-broken' });
  matmulCorrCase({ batch: 1, m: 1, k: 7, n: 9, ad: 'i8', bd: 'u8', yd: 'i8', amode: 'extreme', bgen: builtW('u8', () => true, 'last'), corr, label: 'mmcorr-broken' });
}

// Taps in a random order (qcc_qpconv_params.kperm, padding slots anywhere): both families, the vectorised gather
// (3x3, strided, dilated, grouped, 1x1, the first layer) and the scalar im2col (dilated rows, tap planes over the
// cap). Added last, so every case above keeps its random draws.
const permFirst = cases.length;
for (const [xd, wd, yd] of dts) {
  for (const wmode of ['safe', 'full'] as const) {
    convCase({ c: ri(2, 9), m: ri(1, 13), h: ri(3, 11), w: ri(3, 20), k: [3, 3], s: [1, 1], p: [1, 1, 1, 1], xd, wd, yd, wmode, perm: 'random', label: 'perm-3x3' });
    convCase({ n: 2, c: ri(2, 6), m: ri(3, 9), h: ri(6, 12), w: ri(6, 12), k: [3, 2], s: [2, 1], d: [1, 2], p: [0, 2, 1, 0], xd, wd, yd, wmode, perm: 'random', label: 'perm-strided-dilated' });
    convCase({ c: 6, m: 9, group: 3, h: ri(4, 9), w: ri(4, 9), k: [3, 3], s: [2, 2], p: [1, 0, 0, 1], xd, wd, yd, wmode, perm: 'random', label: 'perm-grouped' });
    convCase({ c: ri(5, 40), m: ri(5, 17), h: ri(1, 9), w: ri(1, 9), k: [1, 1], s: [1, 1], p: [0, 0, 0, 0], xd, wd, yd, wmode, perm: 'random', label: 'perm-1x1' });
    convCase({ c: 3, m: ri(4, 17), h: ri(9, 21), w: ri(9, 23), k: [3, 3], s: [2, 2], p: [1, 1, 1, 1], xd, wd, yd, wmode, perm: 'random', label: 'perm-first' });
  }
  // realistic full-range weights, the plan's own order (asserted below: reordered, fewer entries)
  convCase({ c: ri(16, 24), m: ri(8, 20), h: ri(4, 9), w: ri(4, 12), k: [3, 3], s: [1, pick([1, 2])], p: [1, 1, 1, 1], xd, wd, yd, wmode: 'full', wgen: realW(wd), label: 'perm-real' });
}
convCase({ c: 64, m: 2, h: 112, w: 111, k: [3, 3], s: [1, 1], p: [1, 1, 1, 1], xd: 'u8', wd: 'i8', yd: 'u8', wmode: 'full', perm: 'random', label: 'perm-tap-planes-cap' });
// matmuls (QLinearMatMul / QGemm share the packed kernels): random orders on both families, the plan's order on
// realistic full-range weights (GEMV and row tiles, with and without the correction)
for (const [ad, bd, yd] of dts) {
  matmulCorrCase({ batch: 2, m: ri(1, 9), k: ri(5, 70), n: ri(1, 40), ad, bd, yd, amode: 'extreme', bgen: builtW(bd, () => true, 'many'), corr: 'force', perm: 'random', label: 'perm-mm-corr' });
  matmulCorrCase({ batch: 1, m: ri(1, 13), k: ri(5, 70), n: ri(1, 40), ad, bd, yd, amode: 'full', bgen: realW(bd), corr: 'plan', perm: 'random', label: 'perm-mm' });
  matmulCorrCase({ batch: 1, m: pick([1, 6]), k: ri(200, 300), n: ri(17, 40), ad, bd, yd, amode: 'full', bgen: realW(bd), corr: 'plan', perm: 'plan', label: 'perm-mm-real' });
}
const permLast = cases.length;

const DRIVER_HEAD = (vnni: boolean) => `#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "x86-avx2/qcc_qpacked_avx2.h"
#include "x86-avx2/qcc_pool_avx2.h"
#include "x86-avx2/qcc_qdwconv_avx2.h"${vnni ? '\n#include "x86-avx512vnni/qcc_qpacked_vnni.h"\n#include "x86-avx512vnni/qcc_qdwconv_vnni.h"' : ''}
static FILE *out_a, *out_g;
static void emit(size_t n, const uint8_t *ya, const uint8_t *yg) { fwrite(ya, 1, n, out_a); fwrite(yg, 1, n, out_g); }
static uint8_t *scratch_of(size_t bytes) { uint8_t *s = (uint8_t *)aligned_alloc(32, (bytes + 64 + 31) / 32 * 32); memset(s, 0xA5, bytes + 64); return s; }
#define run_case(id, nout, sbytes, p, x, w, b, s, fa, fg) do { \\
  uint8_t *ya = (uint8_t *)malloc((nout) + 1), *yg = (uint8_t *)malloc((nout) + 1), *sa = scratch_of(sbytes), *sg = scratch_of(sbytes); \\
  ya[nout] = 0x5A; yg[nout] = 0x5A; \\
  fa(p, x, w, b, s, ya, sa); fg(p, x, w, b, s, yg, sg); \\
  if (ya[nout] != 0x5A || yg[nout] != 0x5A) { fprintf(stderr, "case %d wrote past its output\\n", id); exit(3); } \\
  { size_t k_; for (k_ = 0; k_ < 64; k_++) if (sa[(sbytes) + k_] != 0xA5 || sg[(sbytes) + k_] != 0xA5) { fprintf(stderr, "case %d wrote past its scratch\\n", id); exit(3); } } \\
  emit(nout, ya, yg); free(ya); free(yg); free(sa); free(sg); } while (0)
/* the SIMD kernel and its twin on differently packed operands (the channel-vectorised depthwise) */
#define run_case2(id, nout, sbytes, p, x, w, b, s, wg, bg, sg, fa, fg) do { \\
  uint8_t *ya = (uint8_t *)malloc((nout) + 1), *yg = (uint8_t *)malloc((nout) + 1), *sa = scratch_of(sbytes); \\
  ya[nout] = 0x5A; yg[nout] = 0x5A; \\
  fa(p, x, w, b, s, ya, sa); fg(p, x, wg, bg, sg, yg, NULL); \\
  if (ya[nout] != 0x5A || yg[nout] != 0x5A) { fprintf(stderr, "case %d wrote past its output\\n", id); exit(3); } \\
  { size_t k_; for (k_ = 0; k_ < 64; k_++) if (sa[(sbytes) + k_] != 0xA5) { fprintf(stderr, "case %d wrote past its scratch\\n", id); exit(3); } } \\
  emit(nout, ya, yg); free(ya); free(yg); free(sa); } while (0)
/* the u8s8c kernels: one more constant (the correction) after the scales */
#define run_corr(id, nout, sbytes, p, x, w, b, s, c, fa, fg) do { \\
  uint8_t *ya = (uint8_t *)malloc((nout) + 1), *yg = (uint8_t *)malloc((nout) + 1), *sa = scratch_of(sbytes), *sg = scratch_of(sbytes); \\
  ya[nout] = 0x5A; yg[nout] = 0x5A; \\
  fa(p, x, w, b, s, c, ya, sa); fg(p, x, w, b, s, c, yg, sg); \\
  if (ya[nout] != 0x5A || yg[nout] != 0x5A) { fprintf(stderr, "case %d wrote past its output\\n", id); exit(3); } \\
  emit(nout, ya, yg); free(ya); free(yg); free(sa); free(sg); } while (0)
#define run_pool(id, nout, CALL_A, CALL_G) do { \\
  uint8_t *ya = (uint8_t *)malloc((nout) + 1), *yg = (uint8_t *)malloc((nout) + 1); \\
  ya[nout] = 0x5A; yg[nout] = 0x5A; \\
  CALL_A; CALL_G; \\
  if (ya[nout] != 0x5A || yg[nout] != 0x5A) { fprintf(stderr, "case %d wrote past its output\\n", id); exit(3); } \\
  emit(nout, ya, yg); free(ya); free(yg); } while (0)
/* the matmul u8s8c kernels: the correction after the scales; the declared scratch is guarded for both */
#define run_mmc(id, nout, sbytes, p, off, x, w, b, s, c, fa, fg) do { \\
  uint8_t *ya = (uint8_t *)malloc((nout) + 1), *yg = (uint8_t *)malloc((nout) + 1), *sa = scratch_of(sbytes), *sg = scratch_of(sbytes); \\
  ya[nout] = 0x5A; yg[nout] = 0x5A; \\
  fa(p, off, x, w, b, s, c, ya, sa); fg(p, off, x, w, b, s, c, yg, sg); \\
  if (ya[nout] != 0x5A || yg[nout] != 0x5A) { fprintf(stderr, "case %d wrote past its output\\n", id); exit(3); } \\
  { size_t k_; for (k_ = 0; k_ < 64; k_++) if (sa[(sbytes) + k_] != 0xA5 || sg[(sbytes) + k_] != 0xA5) { fprintf(stderr, "case %d wrote past its scratch\\n", id); exit(3); } } \\
  emit(nout, ya, yg); free(ya); free(yg); free(sa); free(sg); } while (0)
#define run_mm(id, nout, sbytes, p, off, x, w, b, s, fa, fg) do { \\
  uint8_t *ya = (uint8_t *)malloc((nout) + 1), *yg = (uint8_t *)malloc((nout) + 1), *sa = scratch_of(sbytes), *sg = scratch_of(sbytes); \\
  ya[nout] = 0x5A; yg[nout] = 0x5A; \\
  fa(p, off, x, w, b, s, ya, sa); fg(p, off, x, w, b, s, yg, sg); \\
  if (ya[nout] != 0x5A || yg[nout] != 0x5A) { fprintf(stderr, "case %d wrote past its output\\n", id); exit(3); } \\
  emit(nout, ya, yg); free(ya); free(yg); free(sa); free(sg); } while (0)
`;

function cFile(cases: Case[], vnni: boolean): string {
  const casts = (b: string) => b;
  return `${DRIVER_HEAD(vnni)}\n${cases.map((c) => c.decls).join('\n')}\n\nint main(int argc, char **argv) {\n  if (argc < 3) return 2;\n  out_a = fopen(argv[1], "wb"); out_g = fopen(argv[2], "wb");\n  if (!out_a || !out_g) return 2;\n${cases.map((c) => '  ' + casts(c.body)).join('\n')}\n  fclose(out_a); fclose(out_g);\n  return 0;\n}\n`;
}

const work = mkdtempSync(join(tmpdir(), 'qcc-avx2-parity-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function runWith(cc: string, cases: Case[], vnni: boolean): { a: Uint8Array; g: Uint8Array } {
  const tag = `${cc}${vnni ? '_vnni' : ''}`;
  const src = join(work, `parity_${tag}.c`);
  writeFileSync(src, cFile(cases, vnni));
  const exe = join(work, `parity_${tag}`);
  const isa = vnni ? ['-mavx512f', '-mavx512bw', '-mavx512vl', '-mavx512vnni'] : [];
  const b = spawnSync(cc, ['-std=c11', '-O2', '-Wall', '-Wextra', '-Werror', '-ffp-contract=off', '-mavx2', '-mfma', ...isa, '-I', DEFAULT_RUNTIME_DIR, '-o', exe, src], { encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`${cc} failed:\n${b.stderr.slice(0, 4000)}`);
  const r = spawnSync(exe, [join(work, `a_${tag}.bin`), join(work, `g_${tag}.bin`)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`run failed (${r.status}): ${r.stderr}`);
  return { a: readFileSync(join(work, `a_${tag}.bin`)), g: readFileSync(join(work, `g_${tag}.bin`)) };
}

/** Runs the cases' C program and returns the labels of wrong outputs and the indices that saturated. */
function check(cc: string, list: Case[], vnni: boolean): { bad: string[]; sawSaturation: number[] } {
  const { a, g } = runWith(cc, list, vnni);
  let off = 0;
  const bad: string[] = [];
  const sawSaturation: number[] = [];
  list.forEach((c, idx) => {
    const n = c.want.length;
    let gBad = 0, aBad = 0;
    for (let i = 0; i < n; i++) {
      const wb = c.want[i]! & 0xff;
      if (g[off + i] !== wb) gBad++;
      if (a[off + i] !== wb) aBad++;
    }
    if (c.expectWrong) {
      if (!gBad || !aBad) bad.push(`${c.label}: a broken correction went unnoticed (twin wrong in ${gBad}, simd in ${aBad} of ${n})`);
      off += n;
      return;
    }
    if (gBad) bad.push(`${c.label}: generic twin differs from the interpreter in ${gBad}/${n}`);
    if (c.expectAvx2Equal && aBad) bad.push(`${c.label}: simd differs in ${aBad}/${n}`);
    if (!c.expectAvx2Equal && aBad) sawSaturation.push(idx);
    off += n;
  });
  expect(off).toBe(a.length);
  return { bad, sawSaturation };
}

describe('x86-avx2 packed kernels == generic twins == interpreter arithmetic', () => {
  for (const cc of ['gcc', 'clang']) {
    it(`${cases.length} cases with ${cc}`, () => {
      const { bad, sawSaturation } = check(cc, cases, false);
      expect(bad).toEqual([]);
      // The forced-saturating cases must show the saturation (else these tests could not see it).
      expect(sawSaturation).toContain(SAT_CONV);
      expect(sawSaturation).toContain(SAT_MM);
      // (a broken correction that went unnoticed is reported in `bad`)
      expect(cases.filter((c) => c.expectWrong).length).toBe(CORR_BROKEN.length + MM_CORR_BROKEN.length);
      expect(MM_CORR_BROKEN.length).toBe(4);
    });
  }
});

/** The qlinear_conv node of a one-node depthwise QLinearConv model (u8 in and out, s8 per-channel weights). */
function dwNode(c: number, h: number, w: number, K: number, S: number, p: readonly number[]) {
  const f32 = (shape: number[], v: number[]) => Tensor.fromNumbers('f32', shape, v);
  const g = loadOnnxBytes(encodeModel({
    opsets: [{ domain: '', version: 13 }],
    inputs: [{ name: 'x', dtype: 'u8', shape: [1, c, h, w] }],
    outputs: [{ name: 'y' }],
    initializers: [
      { name: 'xs', tensor: f32([], [0.02]) }, { name: 'xz', tensor: Tensor.fromNumbers('u8', [], [128]) },
      { name: 'w', tensor: Tensor.fromNumbers('i8', [c, 1, K, K], Array.from({ length: c * K * K }, () => ri(-127, 127))) },
      { name: 'ws', tensor: f32([c], Array.from({ length: c }, () => 0.003)) },
      { name: 'wz', tensor: Tensor.fromNumbers('i8', [c], new Array<number>(c).fill(0)) },
      { name: 'ys', tensor: f32([], [0.1]) }, { name: 'yz', tensor: Tensor.fromNumbers('u8', [], [128]) },
    ],
    nodes: [{
      op: 'QLinearConv', inputs: ['x', 'xs', 'xz', 'w', 'ws', 'wz', 'ys', 'yz'], outputs: ['y'],
      attrs: { group: { i: c }, strides: { ints: [S, S] }, pads: { ints: [...p] }, kernel_shape: { ints: [K, K] } },
    }],
  }));
  const n = g.nodes.find((x) => x.op === 'qlinear_conv');
  if (!n) throw new Error('no qlinear_conv node');
  return n;
}

describe('the vectorised im2col\'s tap planes are capped', () => {
  it('above TAP_PLANES_MAX the declared scratch is one panel block (the scalar im2col), below it the planes fit', () => {
    const geo = { kpad: 128 * 9, nb: 16, cpg: 128, oh: 112, ow: 112, kh: 3, kw: 3, sh: 1, sw: 1, dh: 1, dw: 1 };
    expect(convGemmScratch('u8s8', geo)).toBe(16 * 128 * 9);
    expect(convGemmScratch('u8s8', { ...geo, cpg: 64, kpad: 64 * 9 })).toBeGreaterThan(64 * 3 * 114 * 112);
    expect(convGemmScratch('s16', { ...geo, cpg: 64, kpad: 64 * 9 })).toBe(16 * 64 * 9 * 2);
    expect(TAP_PLANES_MAX).toBe(4 << 20);
  });
});

describe('x86-avx2 u8s8 with a sparse correction: the plan takes it where it is tested', () => {
  it('every realistic-weight case (3x3, 1x1, strided, grouped, dilated; all dtypes) takes u8 x s8 (with a correction or, taps reordered, none), the plan\'s own choice', () => {
    const corr = cases.slice(corrFirst, corrLast);
    const real = corr.filter((c) => c.label.startsWith('corr-real'));
    expect(real.length).toBe(5 * dts.length);
    expect(real.filter((c) => !/qcc_qpconv_gemm_u8s8c?_avx2,/.test(c.body)).map((c) => c.label)).toEqual([]);
    expect(real.filter((c) => c.body.includes('qcc_qpconv_gemm_u8s8c_avx2,')).length).toBeGreaterThan(0);
    // and the constructed ones really run the corrected kernels with entries
    const built = corr.filter((c) => !c.label.startsWith('corr-real'));
    expect(built.length).toBe(11 * dts.length);
    expect(built.filter((c) => !/u8s8c\([1-9]\d* entries/.test(c.label)).map((c) => c.label)).toEqual([]);
  });
});

describe('x86-avx2 conv taps in a pair-safe order (qcc_qpconv_params.kperm)', () => {
  it('the random-order cases and the realistic ones run with a kperm (the plan reorders realistic weights)', () => {
    expect(permCases.filter((l) => l.startsWith('perm-'))).toHaveLength(permLast - permFirst);
    expect(permCases.filter((l) => l === 'perm-real')).toHaveLength(dts.length);
    expect(permCases.filter((l) => l === 'perm-mm-real')).toHaveLength(dts.length);
  });
  it('pairingPermutation: a permutation of the taps (padding -1 to a multiple of 4), fewer correction entries on realistic weights', () => {
    for (const [m, k] of [[16, 144], [64, 64], [8, 27], [5, 3], [32, 1]] as const) {
      const { w, wzp } = realW('i8')(m, k);
      const wEff = effectiveRows(w, wzp, m, k);
      const perm = pairingPermutation(wEff, m, k)!;
      expect(perm.length).toBe(roundUp(k, 4));
      expect([...perm].filter((t) => t >= 0).sort((a, b) => a - b)).toEqual(Array.from({ length: k }, (_, i) => i));
      const before = correctionEntries(splitU8S8(wEff, m, k)!, m, k);
      const after = correctionEntries(splitU8S8(permuteCols(wEff, m, k, perm), m, perm.length)!, m, perm.length);
      expect(after).toBeLessThanOrEqual(before);
      if (k >= 27) expect(after).toBeLessThan(before / 2);
    }
    expect(pairingPermutation(new Int32Array(100), 1, 100, 10)).toBeNull(); // over the search budget
  });
});

describe('x86-avx2 matmul u8s8 with a per-column sparse correction: the plan takes it where it is tested', () => {
  it('realistic full-range weights with m >= 5 and k >= 200 take qcc_qpmatmul_u8s8c_avx2; the forced / built cases have entries', () => {
    const mm = cases.slice(mmCorrFirst, mmCorrLast);
    const real = mm.filter((c) => c.label.startsWith('mmcorr-real #'));
    expect(real.length).toBe(3 * dts.length);
    expect(real.filter((c) => !c.body.includes('qcc_qpmatmul_u8s8c_avx2,')).map((c) => c.label)).toEqual([]);
    const forced = mm.filter((c) => !c.label.startsWith('mmcorr-real'));
    expect(forced.length).toBe(13 * dts.length);
    expect(forced.filter((c) => !/u8s8c\([1-9]\d* entries/.test(c.label)).map((c) => c.label)).toEqual([]);
  });
});

describe('the plan chooses the channel-vectorised depthwise kernel where it is tested', () => {
  it('DS-CNN and MobileNetV2 small-plane layers (both ISAs); 56x56 and few channels keep the row kernel (x86-avx2)', () => {
    const picks = (c: number, h: number, w: number, K: number, S: number, p = [1, 1, 1, 1]) =>
      [planConv(dwNode(c, h, w, K, S, p)).kind, planConv(dwNode(c, h, w, K, S, p), ISA_VNNI).kind];
    for (const [c, h, w, S] of [[64, 25, 5, 1], [144, 28, 28, 2], [192, 28, 28, 1], [192, 28, 28, 2], [384, 14, 14, 1], [576, 14, 14, 2], [960, 7, 7, 1]] as const) {
      expect(picks(c, h, w, 3, S)).toEqual(['dwcl', 'dwcl']);
    }
    // x86-avx512vnni: the channels-last kernel also takes the 56x56 and 112x112 stride-1 layers
    expect(picks(128, 56, 56, 3, 1)).toEqual(['dw', 'dwcl']);
    expect(picks(144, 56, 56, 3, 2)).toEqual(['dw', 'dwcl']);
    expect(picks(32, 112, 112, 3, 1)).toEqual(['dw', 'dwcl']);
    expect(picks(3, 28, 28, 3, 1)).toEqual(['dw', 'dw']);
    expect(picks(8, 112, 112, 3, 2)).toEqual(['dw', 'dw']);
  });
  it('the parity shapes that fill their 16-channel blocks (16, 63, 64 channels) get the channels-last kernel', () => {
    const wide = dwclShapes.filter((d) => d.c >= 16 && roundUp(d.c, 16) * 63 <= d.c * 64);
    expect(wide.length).toBeGreaterThanOrEqual(15);
    const other = wide.filter((d) => planConv(dwNode(d.c, d.h, d.w, d.K, d.S, d.p)).kind !== 'dwcl');
    expect(other.map((d) => JSON.stringify(d))).toEqual([]);
  });
  it('x86-avx512vnni: every parity shape of the vnni channels-last kernel with 16+ channels gets it', () => {
    const wide = dwclVnniShapes.filter((d) => d.c >= 16);
    expect(wide.length).toBeGreaterThanOrEqual(20);
    const other = wide.filter((d) => planConv(dwNode(d.c, d.h, d.w, d.K, d.S, d.p), ISA_VNNI).kind !== 'dwcl');
    expect(other.map((d) => JSON.stringify(d))).toEqual([]);
  });
});

const hostHasVnni = hostHasAvx512Vnni();

describe.skipIf(!hostHasVnni)('x86-avx512vnni u8s8 kernels == generic twins == interpreter arithmetic (needs an AVX-512 VNNI CPU)', () => {
  for (const cc of ['gcc', 'clang']) {
    it(`${vnniCases.length} cases with ${cc}, full-range weights on the u8 x s8 path`, () => {
      expect(vnniCases.filter((c) => c.body.includes('_vnni,')).length).toBeGreaterThanOrEqual(20);
      expect(vnniCases.filter((c) => c.body.includes('qcc_qdwconv_s16_vnni,')).length).toBeGreaterThanOrEqual(40);
      const { bad, sawSaturation } = check(cc, vnniCases, true);
      expect(bad).toEqual([]);
      expect(sawSaturation).toEqual([]);
    });
  }
});
