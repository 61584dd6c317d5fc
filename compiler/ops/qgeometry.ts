/**
 * Geometry of the integer convolution and matmul ops, computed once and shared by the interpreter and the
 * C emitters (which bake it into the kernels' params structs), so both walk the same way.
 */
import { broadcastShapes, broadcastStrides } from '../ir/broadcast.ts';
import type { Node } from '../ir/graph.ts';
import { shapeSize, shapeToString, stridesOf, type Shape } from '../ir/tensor.ts';
import { outputSpatial } from './conv-geometry.ts';
import { attrInt, attrInts, inType, opError } from './op-def.ts';

/** Convolution geometry, spatial dims padded at the front to 3 (1-D and 2-D are 3-D with size-1 dims). */
export interface QConvGeometry {
  n: number;
  c: number;
  m: number;
  group: number;
  cPerGroup: number;
  mPerGroup: number;
  /** Spatial rank of the model (1, 2 or 3). */
  rank: number;
  inSp: [number, number, number];
  outSp: [number, number, number];
  kernel: [number, number, number];
  strides: [number, number, number];
  dilations: [number, number, number];
  padsBegin: [number, number, number];
  outShape: number[];
}

const pad3 = (a: readonly number[], fill: number): [number, number, number] => {
  const r = [...new Array<number>(3 - a.length).fill(fill), ...a];
  return [r[0]!, r[1]!, r[2]!];
};

/** x and w input indices differ between qlinear_conv (0, 3) and conv_integer (0, 1). */
export function qconvGeometry(node: Node, xIdx: number, wIdx: number): QConvGeometry {
  const x = inType(node, xIdx).shape;
  const w = inType(node, wIdx).shape;
  if (x.length < 3 || x.length > 5) throw opError(node, `input must be N x C x D1..Dk with k in 1..3, got ${shapeToString(x)}`, x.length > 5 ? 'E_UNSUPPORTED' : 'E_SHAPE');
  if (w.length !== x.length) throw opError(node, `weight rank ${w.length} differs from input rank ${x.length}`);
  const rank = x.length - 2;
  const group = attrInt(node, 'group', 1);
  const kernel = attrInts(node, 'kernel_shape', w.slice(2));
  const strides = attrInts(node, 'strides', new Array<number>(rank).fill(1));
  const dilations = attrInts(node, 'dilations', new Array<number>(rank).fill(1));
  const pads = attrInts(node, 'pads', new Array<number>(2 * rank).fill(0));
  if (kernel.length !== rank || strides.length !== rank || dilations.length !== rank || pads.length !== 2 * rank) {
    throw opError(node, `kernel_shape/strides/dilations/pads do not match ${rank} spatial dims`, 'E_ATTR');
  }
  if (kernel.some((k, i) => k !== w[i + 2])) throw opError(node, `kernel_shape [${kernel}] differs from the weight shape ${shapeToString(w)}`, 'E_ATTR');
  if (strides.some((s) => s < 1) || dilations.some((d) => d < 1) || pads.some((p) => p < 0)) {
    throw opError(node, 'strides and dilations must be >= 1 and pads >= 0', 'E_ATTR');
  }
  const [n, c] = [x[0]!, x[1]!];
  const m = w[0]!;
  if (group < 1 || c % group !== 0) throw opError(node, `group ${group} does not divide the ${c} input channels`, 'E_ATTR');
  if (m % group !== 0) throw opError(node, `group ${group} does not divide the ${m} output channels`, 'E_ATTR');
  if (w[1]! * group !== c) {
    throw opError(node, `weight has ${w[1]} input channels per group, but input has ${c} channels in ${group} group(s)`);
  }
  const inSpatial = x.slice(2);
  const out = outputSpatial(inSpatial, pads, { kernel, strides, dilations });
  if (out.some((o) => o <= 0)) throw opError(node, `output would be empty (input ${shapeToString(x)}, kernel [${kernel}])`);
  return {
    n, c, m, group, cPerGroup: c / group, mPerGroup: m / group, rank,
    inSp: pad3(inSpatial, 1), outSp: pad3(out, 1), kernel: pad3(kernel, 1), strides: pad3(strides, 1),
    dilations: pad3(dilations, 1), padsBegin: pad3(pads.slice(0, rank), 0),
    outShape: [n, m, ...out],
  };
}

/**
 * Integer convolution accumulators: acc[n][m][o] = bias[m] + sum (x - xzp) * (w - wzp[m]) with int32
 * wrapping. Padding contributes nothing (ONNX Runtime pads with the input zero point).
 */
export function qconvAccumulate(
  g: QConvGeometry, x: ArrayLike<number>, xzp: number, w: ArrayLike<number>, wzp: readonly number[], bias: ArrayLike<number> | null,
): Int32Array {
  const [ID, IH, IW] = g.inSp;
  const [OD, OH, OW] = g.outSp;
  const [KD, KH, KW] = g.kernel;
  const [SD, SH, SW] = g.strides;
  const [DD, DH, DW] = g.dilations;
  const [PD, PH, PW] = g.padsBegin;
  const inPlane = ID * IH * IW;
  const outPlane = OD * OH * OW;
  const kSize = KD * KH * KW;
  const acc = new Int32Array(g.n * g.m * outPlane);
  for (let n = 0; n < g.n; n++) {
    for (let m = 0; m < g.m; m++) {
      const grp = Math.floor(m / g.mPerGroup);
      const zw = wzp[m]!;
      const b0 = bias ? bias[m]! | 0 : 0;
      for (let od = 0; od < OD; od++) for (let oh = 0; oh < OH; oh++) for (let ow = 0; ow < OW; ow++) {
        let s = b0;
        for (let ci = 0; ci < g.cPerGroup; ci++) {
          const c = grp * g.cPerGroup + ci;
          const xBase = (n * g.c + c) * inPlane;
          const wBase = (m * g.cPerGroup + ci) * kSize;
          for (let kd = 0; kd < KD; kd++) {
            const id = od * SD - PD + kd * DD;
            if (id < 0 || id >= ID) continue;
            for (let kh = 0; kh < KH; kh++) {
              const ih = oh * SH - PH + kh * DH;
              if (ih < 0 || ih >= IH) continue;
              for (let kw = 0; kw < KW; kw++) {
                const iw = ow * SW - PW + kw * DW;
                if (iw < 0 || iw >= IW) continue;
                const xv = x[xBase + (id * IH + ih) * IW + iw]! - xzp;
                const wv = w[wBase + (kd * KH + kh) * KW + kw]! - zw;
                s = (s + xv * wv) | 0;
              }
            }
          }
        }
        acc[(n * g.m + m) * outPlane + (od * OH + oh) * OW + ow] = s;
      }
    }
  }
  return acc;
}

export function qconvMacs(g: QConvGeometry): number {
  return g.n * g.m * g.outSp[0] * g.outSp[1] * g.outSp[2] * g.cPerGroup * g.kernel[0] * g.kernel[1] * g.kernel[2];
}

/** numpy-matmul geometry with batch broadcasting; 1-D operands are promoted and the extra dim dropped. */
export interface QMatMulGeometry {
  m: number;
  k: number;
  n: number;
  /** Broadcast batch shape of the output. */
  batchShape: number[];
  batch: number;
  outShape: number[];
  /** Element offsets of each output batch's A and B matrices. */
  aOff: number[];
  bOff: number[];
}

export function qmatmulGeometry(node: Node, aIdx: number, bIdx: number): QMatMulGeometry {
  const a0 = inType(node, aIdx).shape;
  const b0 = inType(node, bIdx).shape;
  if (a0.length === 0 || b0.length === 0) throw opError(node, 'matmul operands must have rank >= 1');
  const a = a0.length === 1 ? [1, a0[0]!] : [...a0];
  const b = b0.length === 1 ? [b0[0]!, 1] : [...b0];
  const [m, k] = [a[a.length - 2]!, a[a.length - 1]!];
  const [k2, n] = [b[b.length - 2]!, b[b.length - 1]!];
  if (k !== k2) throw opError(node, `inner dimensions differ: A is ${shapeToString(a0)}, B is ${shapeToString(b0)}`);
  const aB = a.slice(0, -2);
  const bB = b.slice(0, -2);
  const batchShape = broadcastShapes(aB, bB);
  if (!batchShape) throw opError(node, `batch dimensions of ${shapeToString(a0)} and ${shapeToString(b0)} do not broadcast`);
  const outShape = [...batchShape];
  if (a0.length > 1) outShape.push(m);
  if (b0.length > 1) outShape.push(n);
  const batch = shapeSize(batchShape);
  return { m, k, n, batchShape, batch, outShape, aOff: batchOffsets(aB, batchShape, m * k), bOff: batchOffsets(bB, batchShape, k * n) };
}

/** For every output batch index, the offset (in units of `unit`) of the matching operand batch. */
export function batchOffsets(shape: Shape, batchShape: Shape, unit: number): number[] {
  const st = broadcastStrides(shape, batchShape);
  const os = stridesOf(batchShape);
  const total = shapeSize(batchShape);
  const res = new Array<number>(total);
  for (let i = 0; i < total; i++) {
    let off = 0;
    let r = i;
    for (let d = 0; d < batchShape.length; d++) {
      const q = Math.floor(r / os[d]!);
      r -= q * os[d]!;
      off += q * st[d]!;
    }
    res[i] = off * unit;
  }
  return res;
}

/**
 * A matmul quantization parameter (zero point or scale) as a vector layout: `perVec` false for per-tensor
 * (scalar or 1 element); otherwise per row of A (`row`, vector length M) or per column of B (`col`, length
 * N), with `off[b]` the element offset of output batch b's vector. Accepted shapes: [], [1], [L] (1-D, one
 * vector for every batch), [..., M, 1] (row) or [..., 1, N] (col) with batch dims broadcasting to the output.
 */
export interface QVecLayout {
  perVec: boolean;
  len: number;
  off: number[];
}

export function qvecLayout(node: Node, what: string, p: Shape, mode: 'row' | 'col', g: QMatMulGeometry): QVecLayout {
  const len = mode === 'row' ? g.m : g.n;
  if (shapeSize(p) === 1) {
    return { perVec: false, len, off: new Array<number>(g.batch).fill(0) };
  }
  if (p.length === 1) {
    if (p[0] !== len) throw opError(node, `${what} has ${p[0]} elements; expected 1 or ${len} (per ${mode === 'row' ? 'row of A' : 'column of B'})`);
    return { perVec: true, len, off: new Array<number>(g.batch).fill(0) };
  }
  const [r, c] = [p[p.length - 2]!, p[p.length - 1]!];
  const ok = mode === 'row' ? r === len && c === 1 : r === 1 && c === len;
  const pB = p.slice(0, -2);
  if (!ok || pB.length > g.batchShape.length || pB.some((d, i) => d !== 1 && d !== g.batchShape[g.batchShape.length - pB.length + i])) {
    const want = mode === 'row' ? `[..., ${len}, 1]` : `[..., 1, ${len}]`;
    throw opError(node, `${what} has shape ${shapeToString(p)}; expected a scalar, [${len}] or ${want}`);
  }
  return { perVec: true, len, off: batchOffsets(pB, g.batchShape, len) };
}

/** Expands a parameter's values to the layout's storage: per-tensor -> one vector of `len` copies. */
export function qvecValues(l: QVecLayout, values: readonly number[]): number[] {
  return l.perVec ? [...values] : new Array<number>(l.len).fill(values[0] ?? 0);
}

/**
 * Integer matmul accumulators: acc[b][i][j] = sum_k (a - azp[row]) * (b - bzp[col]) with int32 wrapping.
 * azp/bzp are stored per layout (see qvecLayout).
 */
export function qmatmulAccumulate(
  g: QMatMulGeometry, a: ArrayLike<number>, azp: readonly number[], azOff: readonly number[],
  b: ArrayLike<number>, bzp: readonly number[], bzOff: readonly number[],
): Int32Array {
  const { m, k, n } = g;
  const acc = new Int32Array(g.batch * m * n);
  for (let t = 0; t < g.batch; t++) {
    const ao = g.aOff[t]!;
    const bo = g.bOff[t]!;
    for (let i = 0; i < m; i++) {
      const za = azp[azOff[t]! + i]!;
      for (let j = 0; j < n; j++) {
        const zb = bzp[bzOff[t]! + j]!;
        let s = 0;
        for (let q = 0; q < k; q++) s = (s + (a[ao + i * k + q]! - za) * (b[bo + q * n + j]! - zb)) | 0;
        acc[(t * m + i) * n + j] = s;
      }
    }
  }
  return acc;
}
