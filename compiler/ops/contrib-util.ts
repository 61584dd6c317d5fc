/**
 * Helpers shared by ONNX Runtime's com.microsoft quantized ops (contrib-*.ts) and their C emitters:
 * per-tensor parameter reading and validation, and the float -> integer steps of ORT's kernels as the
 * wasm build (onnxruntime-web, our referee) executes them. Each has a C twin in runtime-c/qcc_qcontrib.h.
 *
 *  - nearbyintf: round half to even in the default rounding mode (roundHalfEvenF32).
 *  - (int32_t)f / (uint32_t)f: wasm's saturating truncation (i32.trunc_sat_f32_s/u): NaN -> 0,
 *    out-of-range values clamp to the type's limits. Only reached with NaN/Inf scales or huge values.
 *  - std::min/std::max keep their operand order (NaN passes through std::max(v, lo) and std::min(v, hi)).
 */
import type { DType } from '../ir/dtype.ts';
import type { Node, TensorType } from '../ir/graph.ts';
import type { Tensor } from '../ir/tensor.ts';
import { roundHalfEvenF32 } from '../numerics/round.ts';
import { inType, opError } from './op-def.ts';
import { intValues, requireDtype, requireScalar, scaleValues } from './qparams.ts';

export const Q8: readonly DType[] = ['u8', 'i8'];

/** (int32_t)x for a float32 x, as wasm's i32.trunc_sat_f32_s does it. */
export function f32ToI32Sat(x: number): number {
  if (x !== x) return 0;
  if (x >= 2147483648) return 2147483647;
  if (x <= -2147483648) return -2147483648;
  return Math.trunc(x);
}

/** (uint32_t)x for a float32 x, as wasm's i32.trunc_sat_f32_u does it. */
export function f32ToU32Sat(x: number): number {
  if (x !== x || x <= 0) return 0;
  if (x >= 4294967296) return 4294967295;
  return Math.trunc(x);
}

/** (int32_t)std::nearbyintf(x). */
export function nearbyIntI32(x: number): number {
  return f32ToI32Sat(roundHalfEvenF32(x));
}

/** std::min(std::max(v, lo), hi) with the operand order of the C++ (NaN stays NaN). */
export function stdClamp(v: number, lo: number, hi: number): number {
  const m = v < lo ? lo : v;
  return hi < m ? hi : m;
}

/** Two's complement wrap of an integer to the 8-bit dtype. */
export function wrap8(v: number, dtype: DType): number {
  return dtype === 'i8' ? (v << 24) >> 24 : v & 0xff;
}

/** A per-tensor float scale input (scalar or one element, float32). */
export function checkScale(node: Node, i: number, what: string): void {
  const t = inType(node, i);
  requireDtype(node, what, t, ['f32']);
  requireScalar(node, what, t);
}

/** An optional per-tensor zero point of the given dtype. */
export function checkZp(node: Node, i: number, what: string, dtype: DType): void {
  const v = node.inputs[i];
  if (!v) return;
  if (v.type.dtype !== dtype) throw opError(node, `${what} has type ${v.type.dtype}; expected ${dtype}`, 'E_SHAPE');
  requireScalar(node, what, v.type);
}

/** A required 8-bit data input. */
export function q8Input(node: Node, i: number, what: string): TensorType {
  const t = inType(node, i);
  requireDtype(node, what, t, Q8);
  return t;
}

export const scaleOf = (t: Tensor | null | undefined): number => (t ? scaleValues(t)[0]! : NaN);
export const zpOf = (t: Tensor | null | undefined): number => (t ? intValues(t)[0]! : 0);

export function qRange8(d: DType): { qmin: number; qmax: number } {
  return d === 'i8' ? { qmin: -128, qmax: 127 } : { qmin: 0, qmax: 255 };
}

/** The byte at index i of an 8-bit tensor's data as the dtype's value (the index of a lookup table is the byte). */
export function byteValue(i: number, dtype: DType): number {
  return wrap8(i, dtype);
}
