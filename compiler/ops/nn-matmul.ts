/**
 * `matmul` (numpy matmul: N-D with batch broadcasting, 1-D operands promoted and their axis dropped) and
 * `gemm` (2-D, transA/transB, alpha, beta, C unidirectionally broadcast to [M, N] or absent), float32.
 *
 * Summation order (runtime-c/qcc_gemm_f32.h follows it exactly), per output element:
 *   matmul: acc = +0; for k = 0..K-1: acc = fround(acc + fround(a[m,k] * b[k,n])).
 *   gemm:   the same acc, then y = fround(alpha * acc); with C: y = fround(y + fround(beta * c[m,n])).
 *   (alpha and beta are always applied, also when 1 or 0, as ONNX's formula does: beta = 0 with an
 *   infinite C gives NaN there too.)
 */
import type { Node, TensorType } from '../ir/graph.ts';
import { typeToString } from '../ir/graph.ts';
import { broadcastShapes, broadcastStrides } from '../ir/broadcast.ts';
import { Tensor, shapeSize, shapeToString } from '../ir/tensor.ts';
import { attrFloat, attrInt, inType, opError } from './op-def.ts';
import { defineOp } from './registry.ts';

function requireF32(node: Node, t: TensorType, what: string): void {
  if (t.dtype !== 'f32') throw opError(node, `${what} is ${typeToString(t)}; ${node.op} supports float32 only`, 'E_UNSUPPORTED');
}

export interface MatMulGeom {
  m: number;
  k: number;
  n: number;
  /** Per output batch (row-major over the broadcast batch shape): element offsets of the A and B matrices. */
  aOff: number[];
  bOff: number[];
  outShape: number[];
}

export function matmulGeom(node: Node): MatMulGeom {
  const a = inType(node, 0);
  const b = inType(node, 1);
  requireF32(node, a, 'A');
  requireF32(node, b, 'B');
  if (a.shape.length === 0 || b.shape.length === 0) {
    throw opError(node, `operands must have rank >= 1, got A ${typeToString(a)} and B ${typeToString(b)}`);
  }
  const a2 = a.shape.length === 1 ? [1, a.shape[0]!] : [...a.shape];
  const b2 = b.shape.length === 1 ? [b.shape[0]!, 1] : [...b.shape];
  const m = a2[a2.length - 2]!;
  const k = a2[a2.length - 1]!;
  const kb = b2[b2.length - 2]!;
  const n = b2[b2.length - 1]!;
  if (k !== kb) {
    throw opError(node, `inner dimensions differ: A ${shapeToString(a.shape)} has K=${k}, B ${shapeToString(b.shape)} has K=${kb}`);
  }
  const batchA = a2.slice(0, -2);
  const batchB = b2.slice(0, -2);
  const batch = broadcastShapes(batchA, batchB);
  if (!batch) {
    throw opError(node, `batch dimensions of A ${shapeToString(a.shape)} and B ${shapeToString(b.shape)} do not broadcast`);
  }
  const sa = broadcastStrides(batchA, batch);
  const sb = broadcastStrides(batchB, batch);
  const count = shapeSize(batch);
  const aOff: number[] = [];
  const bOff: number[] = [];
  const idx = new Array<number>(batch.length).fill(0);
  for (let i = 0; i < count; i++) {
    let oa = 0;
    let ob = 0;
    for (let d = 0; d < batch.length; d++) {
      oa += idx[d]! * sa[d]!;
      ob += idx[d]! * sb[d]!;
    }
    aOff.push(oa * m * k);
    bOff.push(ob * k * n);
    for (let d = batch.length - 1; d >= 0; d--) {
      if (++idx[d]! < batch[d]!) break;
      idx[d] = 0;
    }
  }
  const outShape = [...batch];
  if (a.shape.length > 1) outShape.push(m);
  if (b.shape.length > 1) outShape.push(n);
  return { m, k, n, aOff, bOff, outShape };
}

/** Reference kernel. */
export function matmulF32(g: MatMulGeom, a: Float32Array, b: Float32Array, y: Float32Array): void {
  const f = Math.fround;
  const { m: M, k: K, n: N } = g;
  for (let bi = 0; bi < g.aOff.length; bi++) {
    const ao = g.aOff[bi]!;
    const bo = g.bOff[bi]!;
    const yo = bi * M * N;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let acc = 0;
        for (let p = 0; p < K; p++) acc = f(acc + f(a[ao + i * K + p]! * b[bo + p * N + j]!));
        y[yo + i * N + j] = acc;
      }
    }
  }
}

export interface GemmGeom {
  m: number;
  k: number;
  n: number;
  transA: boolean;
  transB: boolean;
  alpha: number;
  beta: number;
  hasC: boolean;
  /** Element strides of C along M and N (0 where broadcast). */
  cStrideM: number;
  cStrideN: number;
}

export function gemmGeom(node: Node): GemmGeom {
  const a = inType(node, 0);
  const b = inType(node, 1);
  const c = node.inputs[2] ? node.inputs[2].type : null;
  requireF32(node, a, 'A');
  requireF32(node, b, 'B');
  if (c) requireF32(node, c, 'C');
  const flag = (name: string) => {
    const v = attrInt(node, name, 0);
    if (v !== 0 && v !== 1) throw opError(node, `'${name}' must be 0 or 1, got ${v}`, 'E_ATTR');
    return v === 1;
  };
  const transA = flag('transA');
  const transB = flag('transB');
  if (a.shape.length !== 2 || b.shape.length !== 2) {
    throw opError(node, `A and B must be matrices, got A ${typeToString(a)} and B ${typeToString(b)}`);
  }
  const [m, k] = transA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const [kb, n] = transB ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
  if (k !== kb) {
    throw opError(
      node,
      `inner dimensions differ: A ${shapeToString(a.shape)}${transA ? ' (transposed)' : ''} has K=${k}, B ${shapeToString(b.shape)}${transB ? ' (transposed)' : ''} has K=${kb}`,
    );
  }
  let cStrideM = 0;
  let cStrideN = 0;
  if (c) {
    const bs = broadcastShapes(c.shape, [m, n]);
    if (c.shape.length > 2 || !bs || bs[0] !== m || bs[1] !== n) {
      throw opError(node, `C ${shapeToString(c.shape)} does not broadcast to the output ${m}x${n}`);
    }
    [cStrideM, cStrideN] = broadcastStrides(c.shape, [m, n]) as [number, number];
  }
  return { m, k, n, transA, transB, alpha: attrFloat(node, 'alpha', 1), beta: attrFloat(node, 'beta', 1), hasC: !!c, cStrideM, cStrideN };
}

/** Reference kernel. */
export function gemmF32(g: GemmGeom, a: Float32Array, b: Float32Array, c: Float32Array | null, y: Float32Array): void {
  const f = Math.fround;
  const { m: M, k: K, n: N } = g;
  // Element (i, p) of op(A) and (p, j) of op(B).
  const [asi, asp] = g.transA ? [1, M] : [K, 1];
  const [bsp, bsj] = g.transB ? [1, K] : [N, 1];
  for (let i = 0; i < M; i++) {
    for (let j = 0; j < N; j++) {
      let acc = 0;
      for (let p = 0; p < K; p++) acc = f(acc + f(a[i * asi + p * asp]! * b[p * bsp + j * bsj]!));
      let v = f(g.alpha * acc);
      if (c) v = f(v + f(g.beta * c[i * g.cStrideM + j * g.cStrideN]!));
      y[i * N + j] = v;
    }
  }
}

defineOp({
  kind: 'matmul',
  infer(node) {
    return [{ dtype: 'f32', shape: matmulGeom(node).outShape }];
  },
  interpret(node, inputs) {
    const g = matmulGeom(node);
    const y = new Tensor('f32', g.outShape);
    matmulF32(g, inputs[0]!.data as Float32Array, inputs[1]!.data as Float32Array, y.data as Float32Array);
    return [y];
  },
  macs(node) {
    const g = matmulGeom(node);
    return g.aOff.length * g.m * g.k * g.n;
  },
});

defineOp({
  kind: 'gemm',
  infer(node) {
    const g = gemmGeom(node);
    return [{ dtype: 'f32', shape: [g.m, g.n] }];
  },
  interpret(node, inputs) {
    const g = gemmGeom(node);
    const y = new Tensor('f32', [g.m, g.n]);
    const c = inputs[2] ? (inputs[2].data as Float32Array) : null;
    gemmF32(g, inputs[0]!.data as Float32Array, inputs[1]!.data as Float32Array, c, y.data as Float32Array);
    return [y];
  },
  macs(node) {
    const g = gemmGeom(node);
    return g.m * g.k * g.n;
  },
});
