/**
 * qgemm (com.microsoft QGemm). Inputs A, a_scale, a_zp, B, b_scale, b_zp?, C?, y_scale?, y_zp?; attrs alpha,
 * transA, transB. A is u8 or i8 (M x K, or K x M with transA), B u8 or i8 (K x N, or N x K with transB),
 * b_scale/b_zp per tensor or per column ([N]), C int32 broadcasting to M x N. With y_scale/y_zp the output
 * is 8-bit (y_zp's type), without it float32.
 *
 * ONNX Runtime (quant_gemm.cc + MLAS qgemm with its output processors):
 *   acc[m][n]  = C[m][n] + sum_k (A[m][k] - a_zp) * (B[k][n] - b_zp[n])          int32, wrapping
 *   scale[n]   = ((alpha * a_scale) * b_scale[n]) / y_scale                         float32 steps
 *                (without y_scale: (alpha * a_scale) * b_scale[n])
 *   8-bit out  = requantizeF32(acc, scale[n], y_zp)    (MlasRequantizeOutput, numerics/requant.ts)
 *   float out  = float(acc) * scale[n]
 * ORT has kernels for A u8 with B u8/i8 and for A i8 with B i8; qcc also runs A i8 with B u8.
 */
import type { Node, TensorType } from '../ir/graph.ts';
import { Tensor } from '../ir/tensor.ts';
import { requantizeF32 } from '../numerics/requant.ts';
import { attrFloat, attrInt, inType, opError } from './op-def.ts';
import { defineOp } from './registry.ts';
import { broadcastIndex } from './elementwise-util.ts';
import { checkScale, checkZp, q8Input, qRange8, scaleOf, zpOf } from './contrib-util.ts';
import { intValues, requireDtype, scaleValues } from './qparams.ts';

const f = Math.fround;

export interface QGemmGeom {
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
  /** Whether b_scale / b_zp have one value per column. */
  perColumn: boolean;
}

export function qgemmGeom(node: Node): QGemmGeom {
  const a = inType(node, 0).shape;
  const b = inType(node, 3).shape;
  if (a.length !== 2 || b.length !== 2) throw opError(node, `A and B must be 2-D, got [${a.join(',')}] and [${b.join(',')}]`);
  const transA = attrInt(node, 'transA', 0) === 1;
  const transB = attrInt(node, 'transB', 0) === 1;
  const [m, k] = transA ? [a[1]!, a[0]!] : [a[0]!, a[1]!];
  const [k2, n] = transB ? [b[1]!, b[0]!] : [b[0]!, b[1]!];
  if (k !== k2) throw opError(node, `inner dimensions differ: A gives K = ${k}, B gives K = ${k2}`);
  if (k === 0) throw opError(node, 'K = 0 is not supported', 'E_UNSUPPORTED');
  const perVec = (i: number, what: string): boolean => {
    const v = node.inputs[i];
    if (!v) return false;
    const s = v.type.shape;
    if (s.length === 0 || (s.length === 1 && s[0] === 1)) return false;
    if (s.length === 1 && s[0] === n) return true;
    throw opError(node, `${what} must be a scalar or have ${n} elements (one per column of B), got [${s.join(',')}]`);
  };
  const ps = perVec(4, 'b_scale');
  const pz = perVec(5, 'b_zero_point');
  return { m, k, n, transA, transB, perColumn: ps || pz };
}

/** Per-column float32 output scales (length n), in ORT's order. */
export function qgemmScales(node: Node, g: QGemmGeom, as: Tensor, bs: Tensor, ys: Tensor | null): Float32Array {
  const alpha = f(attrFloat(node, 'alpha', 1));
  const a = scaleOf(as);
  const b = scaleValues(bs);
  const y = ys ? scaleOf(ys) : null;
  return Float32Array.from({ length: g.n }, (_, j) => {
    const s = f(f(alpha * a) * b[b.length === 1 ? 0 : j]!);
    return y === null ? s : f(s / y);
  });
}

export function qgemmBZps(g: QGemmGeom, bz: Tensor | null): number[] {
  const v = intValues(bz, 1);
  return Array.from({ length: g.n }, (_, j) => v[v.length === 1 ? 0 : j]!);
}

defineOp({
  kind: 'qgemm',
  constInputs: [1, 2, 4, 5, 7, 8],
  infer(node): TensorType[] {
    const a = q8Input(node, 0, 'A');
    const b = q8Input(node, 3, 'B');
    checkScale(node, 1, 'a_scale');
    checkZp(node, 2, 'a_zero_point', a.dtype);
    requireDtype(node, 'b_scale', inType(node, 4), ['f32']);
    const bz = node.inputs[5];
    if (bz && bz.type.dtype !== b.dtype) throw opError(node, `b_zero_point has type ${bz.type.dtype}; expected ${b.dtype}`);
    const g = qgemmGeom(node);
    const c = node.inputs[6];
    if (c) {
      requireDtype(node, 'C', c.type, ['i32']);
      const cs = c.type.shape;
      const ok = cs.length <= 2 && cs.every((d, i) => d === 1 || d === [g.m, g.n][i + 2 - cs.length]);
      if (!ok) throw opError(node, `C of shape [${cs.join(',')}] does not broadcast to [${g.m},${g.n}]`);
    }
    const ys = node.inputs[7];
    const yz = node.inputs[8];
    if (!!ys !== !!yz) throw opError(node, 'y_scale and y_zero_point must be given together');
    if (!yz) return [{ dtype: 'f32', shape: [g.m, g.n] }];
    checkScale(node, 7, 'y_scale');
    checkZp(node, 8, 'y_zero_point', a.dtype);
    return [{ dtype: a.dtype, shape: [g.m, g.n] }];
  },
  interpret(node, [a, as, az, b, bs, bz, c, ys, yz]) {
    const g = qgemmGeom(node);
    const { m, k, n } = g;
    const ad = a!.data as Int8Array | Uint8Array;
    const bd = b!.data as Int8Array | Uint8Array;
    const za = zpOf(az);
    const zb = qgemmBZps(g, bz ?? null);
    const scales = qgemmScales(node, g, as!, bs!, ys ?? null);
    const ci = c ? broadcastIndex(c.shape, [m, n]) : null;
    const cd = c ? (c.data as Int32Array) : null;
    const out = yz ? new Tensor(yz.dtype, [m, n]) : new Tensor('f32', [m, n]);
    const od = out.data as Int8Array | Uint8Array | Float32Array;
    const { qmin, qmax } = yz ? qRange8(yz.dtype) : { qmin: 0, qmax: 0 };
    const yzp = zpOf(yz);
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        const o = i * n + j;
        let acc = cd ? cd[ci ? ci[o]! : o]! | 0 : 0;
        for (let q = 0; q < k; q++) {
          const av = ad[g.transA ? q * m + i : i * k + q]! - za;
          const bv = bd[g.transB ? j * k + q : q * n + j]! - zb[j]!;
          acc = (acc + av * bv) | 0;
        }
        od[o] = yz ? requantizeF32(acc, scales[j]!, yzp, qmin, qmax) : f(f(acc) * scales[j]!);
      }
    }
    return [out];
  },
  macs: (node) => {
    const g = qgemmGeom(node);
    return g.m * g.n * g.k;
  },
});
