/**
 * Integer convolution and matmul: qlinear_conv, conv_integer, qlinear_matmul, matmul_integer.
 * int32 accumulation of (x - x_zp) * (w - w_zp) with wrapping, plus the int32 bias; the qlinear ops then
 * requantize with compiler/numerics/requant.ts: the node's `requant` attribute picks the scheme, `fp32`
 * (default; ONNX Runtime's order: qlinearconv.cc ComputeOutputScale, quantize_linear_matmul.cc, MLAS
 * MlasRequantizeOutput) or `fixed` (TFLite int32 multiplier and shift from the same float32 scales).
 */
import type { Node, TensorType } from '../ir/graph.ts';
import { Tensor } from '../ir/tensor.ts';
import { isRequantScheme, requantScaleF32, requantizer, type RequantScheme } from '../numerics/requant.ts';
import { attrString, inType, opError } from './op-def.ts';
import { defineOp } from './registry.ts';
import {
  qconvAccumulate, qconvGeometry, qconvMacs, qmatmulAccumulate, qmatmulGeometry, qvecLayout, qvecValues,
  type QConvGeometry, type QMatMulGeometry, type QVecLayout,
} from './qgeometry.ts';
import { expand, intValues, qRange, requireDtype, requireScalar, scaleValues } from './qparams.ts';
import { applyQclamp, qclampOf } from './qclamp.ts';

const Q8 = ['u8', 'i8'] as const;
const SCALES = ['f32', 'f16'] as const;

/** The node's requantization scheme (attribute `requant`, set by passes/select-requant.ts; default fp32). */
export function requantScheme(node: Node): RequantScheme {
  const s = attrString(node, 'requant', 'fp32');
  if (!isRequantScheme(s)) throw opError(node, `requantization scheme '${s}' is not implemented (fp32 or fixed)`, 'E_UNSUPPORTED');
  return s;
}

function checkScheme(node: Node): void {
  requantScheme(node);
}

/** Per-output-channel parameter: scalar, [1] or [M]. */
function checkPerChannel(node: Node, what: string, t: TensorType | undefined, m: number): void {
  if (!t) return;
  const s = t.shape;
  const ok = s.length === 0 || (s.length === 1 && (s[0] === 1 || s[0] === m));
  if (!ok) throw opError(node, `${what} must be a scalar or have ${m} elements (one per output channel), got shape [${s.join(',')}]`);
}

function zpType(node: Node, i: number, what: string, dtype: string): void {
  const v = node.inputs[i];
  if (v && v.type.dtype !== dtype) throw opError(node, `${what} has type ${v.type.dtype} but its tensor is ${dtype}`);
}

// ---------------------------------------------------------------------------------------------------
// qlinear_conv: inputs x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, bias?;
// attrs kernel_shape, strides, dilations, pads (explicit), group, requant ('fp32').

export function qlinearConvGeometry(node: Node): QConvGeometry {
  return qconvGeometry(node, 0, 3);
}

/** Per-channel requant scales (length M), exactly as the interpreter and the C kernel use them. */
export function qlinearConvScales(m: number, xScale: Tensor, wScale: Tensor, yScale: Tensor): Float32Array {
  const xs = scaleValues(xScale)[0]!;
  const ys = scaleValues(yScale)[0]!;
  const ws = expand(scaleValues(wScale), m);
  return Float32Array.from(ws, (w) => requantScaleF32(xs, w, ys));
}

defineOp({
  kind: 'qlinear_conv',
  constInputs: [1, 2, 3, 4, 5, 6, 7, 8],
  infer(node): TensorType[] {
    checkScheme(node);
    const x = inType(node, 0);
    const w = inType(node, 3);
    const y = inType(node, 7);
    requireDtype(node, 'input x', x, Q8);
    requireDtype(node, 'weight w', w, Q8);
    requireDtype(node, 'y_zero_point', y, Q8);
    for (const [i, what] of [[1, 'x_scale'], [4, 'w_scale'], [6, 'y_scale']] as const) requireDtype(node, what, inType(node, i), SCALES);
    zpType(node, 2, 'x_zero_point', x.dtype);
    zpType(node, 5, 'w_zero_point', w.dtype);
    requireScalar(node, 'x_scale', inType(node, 1));
    requireScalar(node, 'x_zero_point', inType(node, 2));
    requireScalar(node, 'y_scale', inType(node, 6));
    requireScalar(node, 'y_zero_point', y);
    const g = qlinearConvGeometry(node);
    checkPerChannel(node, 'w_scale', inType(node, 4), g.m);
    checkPerChannel(node, 'w_zero_point', inType(node, 5), g.m);
    const b = node.inputs[8];
    if (b) {
      requireDtype(node, 'bias', b.type, ['i32']);
      if (b.type.shape.length !== 1 || b.type.shape[0] !== g.m) throw opError(node, `bias must have shape [${g.m}], got [${b.type.shape.join(',')}]`);
    }
    qclampOf(node);
    return [{ dtype: y.dtype, shape: g.outShape }];
  },
  interpret(node, [x, xs, xzp, w, ws, wzp, ys, yzp, bias]) {
    const g = qlinearConvGeometry(node);
    const acc = qconvAccumulate(g, x!.data as Uint8Array, intValues(xzp)[0]!, w!.data as Uint8Array,
      expand(intValues(wzp), g.m), bias ? (bias.data as Int32Array) : null);
    const scales = qlinearConvScales(g.m, xs!, ws!, ys!);
    const dt = yzp!.dtype;
    const { qmin, qmax } = qRange(dt);
    const z = intValues(yzp)[0]!;
    const y = new Tensor(dt, g.outShape);
    const yd = y.data as Uint8Array | Int8Array;
    const plane = g.outSp[0] * g.outSp[1] * g.outSp[2];
    const rq = requantizer(requantScheme(node), scales, z, qmin, qmax);
    for (let i = 0; i < acc.length; i++) yd[i] = rq(acc[i]!, Math.floor(i / plane) % g.m);
    applyQclamp(node, yd);
    return [y];
  },
  macs: (node) => qconvMacs(qlinearConvGeometry(node)),
});

// ---------------------------------------------------------------------------------------------------
// conv_integer: inputs x, w, x_zp?, w_zp?; attrs as qlinear_conv. Output int32.

export function convIntegerGeometry(node: Node): QConvGeometry {
  return qconvGeometry(node, 0, 1);
}

// The x zero point may be a run-time value (DynamicQuantizeLinear -> ConvInteger); weights and their zero
// points must be constant for code generation.
defineOp({
  kind: 'conv_integer',
  constInputs: [1, 3],
  infer(node): TensorType[] {
    const x = inType(node, 0);
    const w = inType(node, 1);
    requireDtype(node, 'input x', x, Q8);
    requireDtype(node, 'weight w', w, Q8);
    zpType(node, 2, 'x_zero_point', x.dtype);
    zpType(node, 3, 'w_zero_point', w.dtype);
    requireScalar(node, 'x_zero_point', node.inputs[2]?.type);
    const g = convIntegerGeometry(node);
    checkPerChannel(node, 'w_zero_point', node.inputs[3]?.type, g.m);
    return [{ dtype: 'i32', shape: g.outShape }];
  },
  interpret(node, [x, w, xzp, wzp]) {
    const g = convIntegerGeometry(node);
    const acc = qconvAccumulate(g, x!.data as Uint8Array, intValues(xzp)[0]!, w!.data as Uint8Array, expand(intValues(wzp), g.m), null);
    return [new Tensor('i32', g.outShape, acc)];
  },
  macs: (node) => qconvMacs(convIntegerGeometry(node)),
});

// ---------------------------------------------------------------------------------------------------
// qlinear_matmul: inputs a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp; attr requant ('fp32').
// a's scale/zp per tensor; b's per tensor or per column ([N] or [..., 1, N]); y per tensor.

export interface QMatMulPlan {
  g: QMatMulGeometry;
  /** b zero point and scale share one layout (ONNX requires equal shapes). */
  bq: QVecLayout;
}

export function qlinearMatMulPlan(node: Node): QMatMulPlan {
  const g = qmatmulGeometry(node, 0, 3);
  return { g, bq: qvecLayout(node, 'b_scale', inType(node, 4).shape, 'col', g) };
}

/** Requant scales stored per b's layout: (a_scale * b_scale[j]) / y_scale in float32. */
export function qlinearMatMulScales(plan: QMatMulPlan, aScale: Tensor, bScale: Tensor, yScale: Tensor): Float32Array {
  const as = scaleValues(aScale)[0]!;
  const ysv = scaleValues(yScale)[0]!;
  return Float32Array.from(qvecValues(plan.bq, scaleValues(bScale)), (b) => requantScaleF32(as, b, ysv));
}

defineOp({
  kind: 'qlinear_matmul',
  constInputs: [1, 2, 3, 4, 5, 6, 7],
  infer(node): TensorType[] {
    checkScheme(node);
    const a = inType(node, 0);
    const b = inType(node, 3);
    const y = inType(node, 7);
    requireDtype(node, 'input a', a, Q8);
    requireDtype(node, 'input b', b, Q8);
    requireDtype(node, 'y_zero_point', y, Q8);
    for (const [i, what] of [[1, 'a_scale'], [4, 'b_scale'], [6, 'y_scale']] as const) requireDtype(node, what, inType(node, i), SCALES);
    zpType(node, 2, 'a_zero_point', a.dtype);
    zpType(node, 5, 'b_zero_point', b.dtype);
    const as = inType(node, 1).shape;
    if (as.length > 0 && as.reduce((p, d) => p * d, 1) !== 1) {
      throw opError(node, 'per-row a_scale is not supported (ONNX Runtime supports per-tensor only)', 'E_UNSUPPORTED');
    }
    requireScalar(node, 'a_zero_point', inType(node, 2));
    requireScalar(node, 'y_scale', inType(node, 6));
    requireScalar(node, 'y_zero_point', y);
    const bs = inType(node, 4).shape;
    const bz = inType(node, 5).shape;
    if (bs.length !== bz.length || bs.some((d, i) => d !== bz[i])) throw opError(node, `b_scale shape [${bs}] differs from b_zero_point shape [${bz}]`);
    qclampOf(node);
    const { g } = qlinearMatMulPlan(node);
    return [{ dtype: y.dtype, shape: g.outShape }];
  },
  interpret(node, [a, as, azp, b, bs, bzp, ys, yzp]) {
    const plan = qlinearMatMulPlan(node);
    const { g, bq } = plan;
    const za = intValues(azp)[0]!;
    const acc = qmatmulAccumulate(g, a!.data as Uint8Array, new Array<number>(g.m).fill(za), new Array<number>(g.batch).fill(0),
      b!.data as Uint8Array, qvecValues(bq, intValues(bzp)), bq.off);
    const scales = qlinearMatMulScales(plan, as!, bs!, ys!);
    const dt = yzp!.dtype;
    const { qmin, qmax } = qRange(dt);
    const z = intValues(yzp)[0]!;
    const y = new Tensor(dt, g.outShape);
    const yd = y.data as Uint8Array | Int8Array;
    const rq = requantizer(requantScheme(node), scales, z, qmin, qmax);
    for (let t = 0, i = 0; t < g.batch; t++) {
      for (let r = 0; r < g.m; r++) for (let j = 0; j < g.n; j++, i++) yd[i] = rq(acc[i]!, bq.off[t]! + j);
    }
    applyQclamp(node, yd);
    return [y];
  },
  macs(node) {
    const { g } = qlinearMatMulPlan(node);
    return g.batch * g.m * g.n * g.k;
  },
});

// ---------------------------------------------------------------------------------------------------
// matmul_integer: inputs a, b, a_zp?, b_zp?. a_zp per tensor or per row; b_zp per tensor or per column.

export interface MatMulIntegerPlan {
  g: QMatMulGeometry;
  az: QVecLayout;
  bz: QVecLayout;
}

export function matmulIntegerPlan(node: Node): MatMulIntegerPlan {
  const g = qmatmulGeometry(node, 0, 1);
  const az = qvecLayout(node, 'a_zero_point', node.inputs[2]?.type.shape ?? [], 'row', g);
  const bz = qvecLayout(node, 'b_zero_point', node.inputs[3]?.type.shape ?? [], 'col', g);
  return { g, az, bz };
}

// A per-tensor a zero point may be a run-time value (DynamicQuantizeLinear -> MatMulInteger); a per-row one,
// B and b's zero point must be constant for code generation.
defineOp({
  kind: 'matmul_integer',
  constInputs: [1, 3],
  infer(node): TensorType[] {
    const a = inType(node, 0);
    const b = inType(node, 1);
    requireDtype(node, 'input A', a, Q8);
    requireDtype(node, 'input B', b, Q8);
    zpType(node, 2, 'a_zero_point', a.dtype);
    zpType(node, 3, 'b_zero_point', b.dtype);
    return [{ dtype: 'i32', shape: matmulIntegerPlan(node).g.outShape }];
  },
  interpret(node, [a, b, azp, bzp]) {
    const { g, az, bz } = matmulIntegerPlan(node);
    const acc = qmatmulAccumulate(g, a!.data as Uint8Array, qvecValues(az, intValues(azp)), az.off,
      b!.data as Uint8Array, qvecValues(bz, intValues(bzp)), bz.off);
    return [new Tensor('i32', g.outShape, acc)];
  },
  macs(node) {
    const { g } = matmulIntegerPlan(node);
    return g.batch * g.m * g.n * g.k;
  },
});
