/**
 * Compile-time weight packing for the packed quantized kernels (runtime-c/qcc_qpacked.h documents the
 * layouts; the SIMD kernels of x86-avx2, and later arm-neon, read the same ones). ISA-neutral: the tile
 * sizes and the k-group are parameters, and the exactness test of the u8 x s8 family is a pure function of
 * the weights.
 *
 * Kernel families:
 * - 'u8s8' (k-group 4): u8 activations (s8 ones flipped by +128) times s8 weights w' = w - w_zp, pairs of
 *   products summed into 16 bits with saturation (x86 vpmaddubsw). Chosen only when every w' fits s8 and no
 *   adjacent pair (k, k+1) of a k-group can leave [-32768, 32767] for any activation in [0, 255]; then every
 *   intermediate is exact and the result equals the interpreter's. The activation zero point (flipped) is
 *   folded into the bias: bias' = bias - x_zp_u * sum_k w' (int32 wrapping).
 *   x86-avx2 also runs it on weights with unsafe pairs ("u8s8c"): w' = a + b, a packed as usual, the sparse
 *   residual b (splitU8S8) as per-row correction entries (packCorrection) the kernel adds after its k loop.
 * - 's16' (k-group 2): (x - x_zp) times w' as 16-bit values, pair sums in 32 bits: exact for every weight.
 */

export const MR = 4;
export const NR = 16;

export type PackedFamily = 'u8s8' | 's16';

export const kGroup = (f: PackedFamily): number => (f === 'u8s8' ? 4 : 2);
export const roundUp = (x: number, m: number): number => Math.ceil(x / m) * m;

/**
 * Whether one pair of weights (multiplied by the same-position u8 values a0, a1 in [0, 255] and summed) stays
 * inside int16 for every input: the extreme sums are 255 * (sum of positive weights) and 255 * (sum of negative).
 */
export function pairSafeU8S8(w0: number, w1: number): boolean {
  const pos = Math.max(w0, 0) + Math.max(w1, 0);
  const neg = Math.min(w0, 0) + Math.min(w1, 0);
  return 255 * pos <= 32767 && 255 * neg >= -32768;
}

/**
 * The u8s8 family is exact for these effective weights (rows of length k, k-groups of 4 from k = 0, padding 0)
 * iff every weight fits s8 and every adjacent pair (2i, 2i + 1) within a row is safe.
 */
export function u8s8Exact(wEff: ArrayLike<number>, rows: number, k: number): boolean {
  for (let r = 0; r < rows; r++) {
    const base = r * k;
    for (let i = 0; i < k; i += 2) {
      const a = wEff[base + i]!;
      const b = i + 1 < k ? wEff[base + i + 1]! : 0;
      if (a < -128 || a > 127 || b < -128 || b > 127) return false;
      if (!pairSafeU8S8(a, b)) return false;
    }
  }
  return true;
}

/** Whether every effective weight fits s8 (the u8s8 family's operand; with vpdpbusd that is all it needs). */
export function fitsS8(wEff: ArrayLike<number>): boolean {
  for (let i = 0; i < wEff.length; i++) if (wEff[i]! < -128 || wEff[i]! > 127) return false;
  return true;
}

/**
 * Splits rows of effective weights for the u8s8 family with a sparse correction (x86-avx2's "u8s8c"): returns the
 * residual b (rows x k) such that a = wEff - b and b both keep every adjacent pair (2i, 2i + 1) safe, with b = 0 on
 * the pairs that are safe already; null when some weight does not fit s8. An unsafe pair is halved: a = floor(w / 2)
 * in [-64, 63] (positive sum <= 126), b = w - a = ceil(w / 2) in [-64, 64] (positive sum <= 128, negative >= -128).
 */
export function splitU8S8(wEff: ArrayLike<number>, rows: number, k: number): Int32Array | null {
  if (!fitsS8(wEff)) return null;
  const resid = new Int32Array(rows * k);
  for (let r = 0; r < rows; r++) {
    const base = r * k;
    for (let i = 0; i < k; i += 2) {
      const a = wEff[base + i]!;
      const b = i + 1 < k ? wEff[base + i + 1]! : 0;
      if (pairSafeU8S8(a, b)) continue;
      resid[base + i] = a - (a >> 1);
      if (i + 1 < k) resid[base + i + 1] = b - (b >> 1);
    }
  }
  return resid;
}

/**
 * An order of the k taps for the u8s8 family (qcc_qpconv_params.kperm): positions 2i, 2i + 1 form the pairs
 * vpmaddubsw sums, 4i..4i + 3 the k-groups. The ONNX order pairs neighbouring taps regardless of their weights,
 * so with full-range per-channel weights many pairs can saturate; pairing each tap with a partner whose weight
 * has the other sign or a small magnitude in most rows leaves few unsafe pairs, and grouping pairs whose unsafe
 * rows coincide leaves few correction entries (ResNet-8's convs: 1296 -> 80 entries, DS-CNN's: 690 -> 239).
 * Greedy (taps by decreasing weight magnitude, each takes the free partner unsafe in the fewest rows; then pairs
 * by decreasing unsafe rows, each takes the free pair whose union of unsafe rows is smallest); ties keep the
 * lower index, so the result is deterministic. Returns the order (length k rounded up to 4; -1 pads), or null
 * when the search's cost (k times the big weights and k) exceeds `budget` (such layers keep the ONNX order).
 */
export function pairingPermutation(wEff: ArrayLike<number>, rows: number, k: number, budget = 3e8): Int32Array | null {
  // A pair can only be unsafe in a row where one of its two weights has |w| > 64 ("big"): the search visits
  // those rows only, which keeps it fast on wide matmuls (1024 x 1024: ~0.3 s).
  const big: number[][] = Array.from({ length: k }, () => []);
  for (let r = 0; r < rows; r++) for (let i = 0; i < k; i++) if (Math.abs(wEff[r * k + i]!) > 64) big[i]!.push(r);
  const nbig = big.reduce((a, l) => a + l.length, 0);
  if (k * (nbig + k) > budget) return null;
  const unsafe = (r: number, i: number, j: number): boolean => !pairSafeU8S8(wEff[r * k + i]!, j < 0 ? 0 : wEff[r * k + j]!);
  const mag = new Float64Array(k);
  for (let r = 0; r < rows; r++) for (let i = 0; i < k; i++) mag[i]! += Math.abs(wEff[r * k + i]!);
  const byMag = Array.from({ length: k }, (_, i) => i).sort((a, b) => mag[b]! - mag[a]! || a - b);
  const used = new Uint8Array(k);
  const inBig = new Uint8Array(rows);
  const pairs: [number, number][] = [];
  for (const i of byMag) {
    if (used[i]) continue;
    used[i] = 1;
    for (const r of big[i]!) inBig[r] = 1;
    let best = -1;
    let bestCost = Infinity;
    for (let j = 0; j < k; j++) {
      if (used[j]) continue;
      let c = 0;
      for (const r of big[i]!) if (unsafe(r, i, j) && ++c >= bestCost) break;
      if (c < bestCost) for (const r of big[j]!) if (!inBig[r] && unsafe(r, i, j) && ++c >= bestCost) break;
      if (c < bestCost) {
        bestCost = c;
        best = j;
      }
    }
    for (const r of big[i]!) inBig[r] = 0;
    if (best >= 0) used[best] = 1;
    pairs.push([i, best]);
  }
  // the rows where each pair is unsafe (ascending), then pairs grouped by the smallest union of those rows
  const rowsOf = pairs.map(([i, j]) => {
    const set = new Set<number>();
    for (const r of big[i]!) if (unsafe(r, i, j)) set.add(r);
    if (j >= 0) for (const r of big[j]!) if (unsafe(r, i, j)) set.add(r);
    return [...set].sort((a, b) => a - b);
  });
  const union = (x: number[], y: number[]): number => {
    let n = 0, p = 0, q = 0;
    while (p < x.length || q < y.length) {
      if (q >= y.length || (p < x.length && x[p]! < y[q]!)) p++;
      else if (p >= x.length || y[q]! < x[p]!) q++;
      else (p++, q++);
      n++;
    }
    return n;
  };
  const byCount = pairs.map((_, i) => i).sort((a, b) => rowsOf[b]!.length - rowsOf[a]!.length || a - b);
  const taken = new Uint8Array(pairs.length);
  const order: number[] = [];
  for (const a of byCount) {
    if (taken[a]) continue;
    taken[a] = 1;
    let best = -1;
    let bestCost = Infinity;
    for (const b of byCount) {
      if (taken[b]) continue;
      const c = union(rowsOf[a]!, rowsOf[b]!);
      if (c < bestCost) {
        bestCost = c;
        best = b;
        if (c === rowsOf[a]!.length) break; // b adds no row: nothing can do better
      }
    }
    if (best >= 0) taken[best] = 1;
    order.push(...pairs[a]!, ...(best >= 0 ? pairs[best]! : [-1, -1]));
  }
  return Int32Array.from(order);
}

/** The columns of rows x k weights in the order perm (pairingPermutation; -1: a zero column). */
export function permuteCols(wEff: ArrayLike<number>, rows: number, k: number, perm: ArrayLike<number>): Int32Array {
  const kp = perm.length;
  const out = new Int32Array(rows * kp);
  for (let r = 0; r < rows; r++) for (let t = 0; t < kp; t++) out[r * kp + t] = perm[t]! < 0 ? 0 : wEff[r * k + perm[t]!]!;
  return out;
}

/** Nonzero k-groups of 4 of the residual, over all rows: the correction entries the u8s8c kernel runs. */
export function correctionEntries(resid: ArrayLike<number>, rows: number, k: number): number {
  let e = 0;
  for (let r = 0; r < rows; r++) {
    for (let k0 = 0; k0 < k; k0 += 4) {
      for (let t = k0; t < Math.min(k0 + 4, k); t++) {
        if (resid[r * k + t] !== 0) {
          e++;
          break;
        }
      }
    }
  }
  return e;
}

/** Effective weights w - wzp[row] as int32, rows x k row-major (conv: rows = M, k = cpg * kh * kw). */
export function effectiveRows(w: ArrayLike<number>, wzp: readonly number[], rows: number, k: number): Int32Array {
  const out = new Int32Array(rows * k);
  for (let r = 0; r < rows; r++) for (let i = 0; i < k; i++) out[r * k + i] = w[r * k + i]! - wzp[r]!;
  return out;
}

export interface PackedConv {
  family: PackedFamily;
  kdim: number;
  kpad: number;
  mblocks: number;
  /** s8 (u8s8) or s16 values in [group][mblock][kpad / KG][MR][KG]. */
  weights: Int8Array | Int16Array;
  /** Per packed row ((g * mblocks + mb) * MR + r): bias (with the zero-point correction for u8s8). */
  bias: Int32Array;
  /** Per packed row: requant scale (padding rows 0). */
  scale: Float32Array;
  /** u8s8c (packed with a residual): the correction constant (packCorrection). */
  corr?: Int32Array;
}

/**
 * Packs conv weights (wEff: M rows of kdim = cpg * kh * kw effective weights, ONNX order) for the GEMM kernels.
 * xzpU: the activation zero point as the kernel sees it (u8s8: flipped for s8 activations; s16: unused).
 */
export function packConv(
  family: PackedFamily, wEff: Int32Array, m: number, group: number, kdim: number, bias: ArrayLike<number> | null,
  scales: Float32Array, xzpU: number, resid?: Int32Array,
): PackedConv {
  if (resid && family !== 'u8s8') throw new Error('internal: a correction needs the u8s8 family');
  const KG = kGroup(family);
  const kpad = roundUp(kdim, KG);
  const mpg = m / group;
  const mblocks = Math.ceil(mpg / MR);
  const rowsP = group * mblocks * MR;
  const weights = family === 'u8s8' ? new Int8Array(rowsP * kpad) : new Int16Array(rowsP * kpad);
  const pb = new Int32Array(rowsP);
  const ps = new Float32Array(rowsP);
  for (let g = 0; g < group; g++) {
    for (let mb = 0; mb < mblocks; mb++) {
      const blockBase = (g * mblocks + mb) * MR * kpad;
      for (let r = 0; r < MR; r++) {
        const ml = mb * MR + r;
        const row = (g * mblocks + mb) * MR + r;
        if (ml >= mpg) continue;
        const mo = g * mpg + ml;
        let sum = 0;
        for (let k = 0; k < kdim; k++) {
          const v = wEff[mo * kdim + k]!;
          // the bias folds the sum of the whole w' = a + b; the packed weights are a
          sum = (sum + v) | 0;
          weights[blockBase + Math.floor(k / KG) * MR * KG + r * KG + (k % KG)] = resid ? v - resid[mo * kdim + k]! : v;
        }
        const b = bias ? bias[mo]! | 0 : 0;
        pb[row] = family === 'u8s8' ? (b - Math.imul(xzpU, sum)) | 0 : b;
        ps[row] = scales[mo]!;
      }
    }
  }
  return { family, kdim, kpad, mblocks, weights, bias: pb, scale: ps, corr: resid ? packCorrection(resid, m, group, kdim, mblocks) : undefined };
}

/**
 * The correction constant of the u8s8c kernels (runtime-c/qcc_qpacked.h): per packed row ((g * mblocks + mb) * MR
 * + r, padding rows included) the offset of its first entry, one more offset (the end), then the entries
 * {64 * k-group, the 4 s8 residual weights of the k-group as one little-endian int32}, rows in packed order.
 */
export function packCorrection(resid: Int32Array, m: number, group: number, kdim: number, mblocks: number): Int32Array {
  const mpg = m / group;
  const rowsP = group * mblocks * MR;
  const out: number[] = new Array<number>(rowsP + 1).fill(0);
  for (let g = 0; g < group; g++) {
    for (let mb = 0; mb < mblocks; mb++) {
      for (let r = 0; r < MR; r++) {
        const row = (g * mblocks + mb) * MR + r;
        out[row] = out.length;
        const ml = mb * MR + r;
        if (ml >= mpg) continue;
        const base = (g * mpg + ml) * kdim;
        for (let k0 = 0; k0 < kdim; k0 += 4) {
          let quad = 0;
          for (let t = 0; t < 4 && k0 + t < kdim; t++) quad |= (resid[base + k0 + t]! & 0xff) << (8 * t);
          if (quad !== 0) out.push((k0 / 4) * 64, quad | 0);
        }
      }
    }
  }
  out[rowsP] = out.length;
  return Int32Array.from(out);
}

export interface PackedMatmulB {
  family: PackedFamily;
  kpad: number;
  npanels: number;
  /** [npanel][kpad / KG][NR][KG]. */
  weights: Int8Array | Int16Array;
  /** Per column, padded to npanels * NR. */
  bias: Int32Array;
  scale: Float32Array;
  /** u8s8c (packed with a residual): the per-column correction constant (packMatmulCorrection). */
  corr?: Int32Array;
}

/** Effective B (k x n, row-major) minus its per-column zero points. */
export function effectiveCols(b: ArrayLike<number>, bzp: readonly number[], k: number, n: number): Int32Array {
  const out = new Int32Array(k * n);
  for (let q = 0; q < k; q++) for (let j = 0; j < n; j++) out[q * n + j] = b[q * n + j]! - bzp[j]!;
  return out;
}

/** Column j of a k x n matrix as a row (for the exactness test, which works on rows of k). */
export function transpose(a: Int32Array, k: number, n: number): Int32Array {
  const t = new Int32Array(k * n);
  for (let q = 0; q < k; q++) for (let j = 0; j < n; j++) t[j * k + q] = a[q * n + j]!;
  return t;
}

/**
 * Packs matmul B (bEff: k x n effective weights) and its per-column scales; azpU as xzpU of packConv. residT (x86-avx2
 * u8s8c): splitU8S8's residual of the columns (n rows of k, i.e. of transpose(bEff)); the panels then hold a = w' - b
 * and the bias folds the sum of the whole w'.
 */
export function packMatmulB(family: PackedFamily, bEff: Int32Array, k: number, n: number, scales: Float32Array, azpU: number, residT?: Int32Array): PackedMatmulB {
  if (residT && family !== 'u8s8') throw new Error('internal: a correction needs the u8s8 family');
  const KG = kGroup(family);
  const kpad = roundUp(k, KG);
  const npanels = Math.ceil(n / NR);
  const weights = family === 'u8s8' ? new Int8Array(npanels * kpad * NR) : new Int16Array(npanels * kpad * NR);
  const bias = new Int32Array(npanels * NR);
  const scale = new Float32Array(npanels * NR);
  for (let j = 0; j < n; j++) {
    const pn = Math.floor(j / NR);
    const jj = j % NR;
    let sum = 0;
    for (let q = 0; q < k; q++) {
      const v = bEff[q * n + j]!;
      sum = (sum + v) | 0;
      weights[pn * kpad * NR + Math.floor(q / KG) * NR * KG + jj * KG + (q % KG)] = residT ? v - residT[j * k + q]! : v;
    }
    bias[j] = family === 'u8s8' ? -Math.imul(azpU, sum) | 0 : 0;
    scale[j] = scales[j]!;
  }
  return { family, kpad, npanels, weights, bias, scale, corr: residT ? packMatmulCorrection(residT, k, n, npanels) : undefined };
}

/**
 * The correction constant of qcc_qpmatmul_u8s8c[_avx2] (runtime-c/qcc_qpacked.h): per column j < npanels * NR
 * (padding columns included, with no entries) the offset of its first entry, one more offset (the end), then the
 * entries {k-group, the 4 s8 residual weights of the k-group as one little-endian int32}, columns in order.
 */
export function packMatmulCorrection(residT: Int32Array, k: number, n: number, npanels: number): Int32Array {
  const cols = npanels * NR;
  const out: number[] = new Array<number>(cols + 1).fill(0);
  for (let j = 0; j < cols; j++) {
    out[j] = out.length;
    if (j >= n) continue;
    for (let k0 = 0; k0 < k; k0 += 4) {
      let quad = 0;
      for (let t = 0; t < 4 && k0 + t < k; t++) quad |= (residT[j * k + k0 + t]! & 0xff) << (8 * t);
      if (quad !== 0) out.push(k0 / 4, quad | 0);
    }
  }
  out[cols] = out.length;
  return Int32Array.from(out);
}

/**
 * Scratch bytes of the matmul kernels: A converted (m rows of kpad u8 or s16); u8s8c (x86-avx2 kernel) also A
 * transposed by k-groups (kpad x mp8 bytes, mp8 = m rounded up to 8) and one panel's corrected biases (mp8 x 16
 * int32), after the first part rounded up to 32 bytes (qcc_qpmatmul_u8s8c_avx2).
 */
export function matmulScratch(family: PackedFamily, m: number, kpad: number, corrected: boolean): number {
  const a = m * kpad * (family === 'u8s8' ? 1 : 2);
  if (!corrected) return a;
  const mp8 = roundUp(m, 8);
  return roundUp(a, 32) + kpad * mp8 + mp8 * 64;
}

/** Depthwise weights w' as s16 [c][K][K + 1] (each kernel row padded with one 0 to whole pairs). */
export function packDepthwise(wEff: Int32Array, c: number, K: number): Int16Array {
  const out = new Int16Array(c * K * (K + 1));
  for (let ch = 0; ch < c; ch++) {
    for (let ky = 0; ky < K; ky++) for (let kx = 0; kx < K; kx++) out[(ch * K + ky) * (K + 1) + kx] = wEff[(ch * K + ky) * K + kx]!;
  }
  return out;
}

/** Scratch layout of the depthwise kernel (must match qcc_qpconv_dw_s16_avx2). */
export function depthwiseScratch(h: number, w: number, oh: number, ow: number, K: number, S: number, ph: number, pw: number) {
  const ow8 = roundUp(ow, 8);
  const spH = (oh - 1) * S + K;
  void h;
  const qW = S === 1 ? roundUp(ow8 + K - 1, 16) : 0;
  const spW = roundUp(Math.max(pw + w, S === 1 ? qW + 1 : 2 * ow8 + 4), 16);
  const bytes = roundUp(spH * spW * 2, 32) + spH * qW * 4;
  return { spH, spW, qW, bytes };
}

const al32 = (b: number): number => roundUp(b, 32);

/**
 * Scratch bytes of the conv GEMM kernels (must match qcc_qp_bufs_avx2_ in qcc_qpacked_avx2.h): the im2col block,
 * and for the vectorised im2col (dilation 1, column stride 1 or 2) the tap planes of one image and group (per
 * channel, tap column and row phase, oh + (kh - 1) / sh rows of ow elements, + 64 bytes slack), a row of pad
 * values (nb elements), the tap offsets (kpad int32) and one channel's padded input rows. The generic twins use
 * only the first part.
 */
/** Largest tap-plane buffer of the vectorised im2col (QCC_QP_TAP_PLANES_MAX in qcc_qpacked_avx2.h). */
export const TAP_PLANES_MAX = 4 << 20;

export function convGemmScratch(family: PackedFamily, o: {
  kpad: number; nb: number; cpg: number; oh: number; ow: number; kh: number; kw: number; sh: number; sw: number; dh: number; dw: number;
}): number {
  const es = family === 'u8s8' ? 1 : 2;
  const blk = o.nb * o.kpad * es;
  const qr = o.oh + Math.floor((o.kh - 1) / o.sh);
  const nry = Math.min(o.sh, o.kh);
  const qBytes = o.cpg * o.kw * nry * qr * o.ow * es;
  // the C kernel's qcc_qp_fast_im2col_: the scalar im2col (one panel block of scratch) otherwise
  if (!(o.dh === 1 && o.dw === 1 && (o.sw === 1 || o.sw === 2)) || qBytes > TAP_PLANES_MAX) return blk;
  const cols = (o.ow - 1) * o.sw + o.kw;
  const pRows = (qr - 1) * o.sh + nry;
  return al32(blk) + al32(qBytes + 64) + al32(o.nb * es + 64) + al32(o.kpad * 4) + al32(pRows * cols + 64);
}
