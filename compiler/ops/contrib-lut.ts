/**
 * Lookup-table ops: qlinear_sigmoid, qlinear_leaky_relu (com.microsoft QLinearSigmoid / QLinearLeakyRelu).
 * Inputs x, x_scale, x_zp?, y_scale, y_zp? (per tensor, u8 or i8); leaky relu has attr alpha.
 *
 * ONNX Runtime (qlinear_lookup_table.cc QlinearBuildLookupTable) maps every one of the 256 input bytes
 * through float32 once and then indexes the table with the input byte:
 *   d[i]     = x_scale * float(int(T(i)) - x_zp)                     float32
 *   f[i]     = sigmoid: MlasComputeLogistic(d[i]) (mlasLogistic below)
 *              leaky relu: d >= 0 ? d : alpha * d
 *   table[i] = MlasQuantizeLinear(f[i], y_scale, y_zp)               (quantizeF32)
 * The table depends on the scales and zero points only, so the C backend computes it at compile time with
 * these functions and the kernel just indexes it (runtime-c/qcc_lut.h): C == interpreter by construction.
 */
import type { DType } from '../ir/dtype.ts';
import type { Node, TensorType } from '../ir/graph.ts';
import { Tensor } from '../ir/tensor.ts';
import { quantizeF32 } from '../numerics/requant.ts';
import { attrFloat } from './op-def.ts';
import { defineOp } from './registry.ts';
import { byteValue, checkScale, checkZp, q8Input, qRange8, scaleOf, zpOf } from './contrib-util.ts';

const f = Math.fround;

/**
 * MLAS's logistic (logistic.cpp MlasLogisticKernel; Eigen's rational approximation), every step in float32
 * and without FMA, as wasm runs it: clamp to [-18, 18], p(x) / q(x) + 0.5, clamp to [0, 1].
 */
const LOGISTIC = {
  lo: -18, hi: 18,
  alpha: [f(4.37031012579801e-11), f(1.15627324459942e-07), f(6.08574864600143e-05), f(8.51377133304701e-03), f(2.48287947061529e-01)],
  beta: [f(6.10247389755681e-13), f(5.76102136993427e-09), f(6.29106785017040e-06), f(1.70198817374094e-03), f(1.16817656904453e-01), f(9.93151921023180e-01)],
} as const;

export function mlasLogistic(x: number): number {
  let v = x < LOGISTIC.lo ? LOGISTIC.lo : x;
  v = v > LOGISTIC.hi ? LOGISTIC.hi : v;
  const v2 = f(v * v);
  const a = LOGISTIC.alpha;
  let p = f(f(v2 * a[0]) + a[1]);
  p = f(f(p * v2) + a[2]);
  p = f(f(p * v2) + a[3]);
  p = f(f(p * v2) + a[4]);
  p = f(p * v);
  const b = LOGISTIC.beta;
  let q = f(f(v2 * b[0]) + b[1]);
  q = f(f(q * v2) + b[2]);
  q = f(f(q * v2) + b[3]);
  q = f(f(q * v2) + b[4]);
  q = f(f(q * v2) + b[5]);
  const r = f(f(p / q) + 0.5);
  // std::clamp(r, 0, 1)
  return r < 0 ? 0 : r > 1 ? 1 : r;
}

/**
 * ORT's 256-entry table: entry i is the output for the input byte i, for an 8-bit type `dtype`, through the
 * float transform `fn`, quantized with MlasQuantizeLinear semantics.
 */
export function buildQLinearTable(
  dtype: DType, xScale: number, xZp: number, yScale: number, yZp: number, fn: (v: number) => number,
): Uint8Array {
  const { qmin, qmax } = qRange8(dtype);
  const table = new Uint8Array(256);
  for (let i = 0; i < 256; i++) {
    const d = f(xScale * ((byteValue(i, dtype) - xZp) | 0));
    table[i] = quantizeF32(fn(d), yScale, yZp, qmin, qmax) & 0xff;
  }
  return table;
}

/** The float transform of a lookup-table node. */
export function lutTransform(node: Node): (v: number) => number {
  if (node.op === 'qlinear_sigmoid') return mlasLogistic;
  const alpha = f(attrFloat(node, 'alpha', 0.01));
  return (v) => (v >= 0 ? v : f(alpha * v));
}

/** The table of a lookup-table node from its (constant or run-time) parameter tensors. */
export function lutTable(node: Node, xs: Tensor, xz: Tensor | null, ys: Tensor, yz: Tensor | null): Uint8Array {
  return buildQLinearTable(node.inputs[0]!.type.dtype, scaleOf(xs), zpOf(xz), scaleOf(ys), zpOf(yz), lutTransform(node));
}

/** Applies a byte table to an 8-bit tensor. */
export function applyTable(x: Tensor, table: Uint8Array): Tensor {
  const y = new Tensor(x.dtype, x.shape);
  const xb = new Uint8Array(x.data.buffer, x.data.byteOffset, x.size);
  const yb = new Uint8Array(y.data.buffer, y.data.byteOffset, y.size);
  for (let i = 0; i < xb.length; i++) yb[i] = table[xb[i]!]!;
  return y;
}

export function lutInfer(node: Node): TensorType[] {
  const x = q8Input(node, 0, 'X');
  checkScale(node, 1, 'X_scale');
  checkZp(node, 2, 'X_zero_point', x.dtype);
  checkScale(node, 3, 'Y_scale');
  checkZp(node, 4, 'Y_zero_point', x.dtype);
  return [{ dtype: x.dtype, shape: x.shape }];
}

for (const kind of ['qlinear_sigmoid', 'qlinear_leaky_relu']) {
  defineOp({
    kind,
    constInputs: [1, 2, 3, 4],
    infer: lutInfer,
    interpret(node, [x, xs, xz, ys, yz]) {
      return [applyTable(x!, lutTable(node, xs!, xz ?? null, ys!, yz ?? null))];
    },
  });
}
