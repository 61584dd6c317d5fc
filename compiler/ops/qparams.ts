/**
 * Helpers shared by the quantized op family (quant.ts, qlinear.ts) and their C emitters: reading scales
 * and zero points (f16 scales become float32 exactly, as ONNX Runtime does), per-axis layouts, and
 * validation with errors that name the node.
 */
import { DTYPES, type DType } from '../ir/dtype.ts';
import type { Node, TensorType } from '../ir/graph.ts';
import { shapeSize, shapeToString, type Shape, type Tensor } from '../ir/tensor.ts';
import { f16BitsToF32 } from '../numerics/f16.ts';
import { opError } from './op-def.ts';

export type Q8 = 'i8' | 'u8';
export const isQ8 = (d: DType): d is Q8 => d === 'i8' || d === 'u8';

/** Integer dtypes QuantizeLinear may produce (4-bit, 2-bit and float8 are not supported). */
export const QUANT_OUT_DTYPES: readonly DType[] = ['u8', 'i8', 'u16', 'i16'];

/** Values of a float scale tensor (f32 or f16) as float32 numbers. */
export function scaleValues(t: Tensor): number[] {
  if (t.dtype === 'f16') return Array.from(t.data as Uint16Array, (h) => Math.fround(f16BitsToF32(h)));
  return Array.from(t.data as Float32Array, (v) => Math.fround(v));
}

/** Values of an integer tensor (zero points) as numbers; absent -> zeros of length n. */
export function intValues(t: Tensor | null | undefined, n = 1): number[] {
  if (!t) return new Array<number>(n).fill(0);
  return t.toNumbers();
}

/** Expands a per-tensor (1 value) or per-channel (n values) list to n values. */
export function expand(values: readonly number[], n: number): number[] {
  return values.length === n ? [...values] : new Array<number>(n).fill(values[0]!);
}

export function normAxis(node: Node, axis: number, rank: number): number {
  if (axis < -rank || axis >= Math.max(rank, 1)) throw opError(node, `axis ${axis} is out of range for rank ${rank}`, 'E_ATTR');
  return axis < 0 ? axis + rank : axis;
}

/** outer x channels x inner decomposition of a shape around an axis. */
export interface AxisLayout {
  outer: number;
  channels: number;
  inner: number;
}

export function axisLayout(shape: Shape, axis: number, perAxis: boolean): AxisLayout {
  if (!perAxis) return { outer: 1, channels: 1, inner: shapeSize(shape) };
  return { outer: shapeSize(shape.slice(0, axis)), channels: shape[axis]!, inner: shapeSize(shape.slice(axis + 1)) };
}

const isScalarLike = (s: Shape) => s.length === 0 || (s.length === 1 && s[0] === 1);

/**
 * Validates (scale, zero point) of QuantizeLinear/DequantizeLinear against x and the axis (raw, may be
 * negative; only checked when the quantization is per-axis). Scalars and 1-element vectors are per-tensor
 * (ORT's IsScalarOr1ElementVector). Returns the normalised axis (0 for per-tensor) and whether it is per-axis.
 */
export function checkAxisParams(node: Node, x: TensorType, scale: TensorType, zp: TensorType | null, rawAxis: number): { axis: number; perAxis: boolean } {
  if (zp && (zp.shape.length !== scale.shape.length || zp.shape.some((d, i) => d !== scale.shape[i]))) {
    throw opError(node, `zero point shape ${shapeToString(zp.shape)} differs from scale shape ${shapeToString(scale.shape)}`);
  }
  if (isScalarLike(scale.shape)) return { axis: 0, perAxis: false };
  if (scale.shape.length > 1) {
    throw opError(node, `scale of shape ${shapeToString(scale.shape)} means blocked quantization, which is not supported`, 'E_UNSUPPORTED');
  }
  const axis = normAxis(node, rawAxis, x.shape.length);
  const d = x.shape[axis];
  if (d !== scale.shape[0]) {
    throw opError(node, `per-axis scale has ${scale.shape[0]} elements but axis ${axis} of the input ${shapeToString(x.shape)} has ${d ?? 'no'} elements`);
  }
  return { axis, perAxis: true };
}

export function requireDtype(node: Node, what: string, t: TensorType, allowed: readonly DType[]): void {
  if (!allowed.includes(t.dtype)) {
    throw opError(node, `${what} has type ${t.dtype}; expected ${allowed.join(' or ')}`, 'E_UNSUPPORTED');
  }
}

export function qRange(d: DType): { qmin: number; qmax: number } {
  return { qmin: DTYPES[d].min, qmax: DTYPES[d].max };
}

/** Per-tensor check: shape [] or [1]. */
export function requireScalar(node: Node, what: string, t: TensorType | undefined | null): void {
  if (t && !isScalarLike(t.shape)) {
    throw opError(node, `${what} must be a scalar (per-tensor), got shape ${shapeToString(t.shape)}`, t.shape.length ? 'E_UNSUPPORTED' : 'E_SHAPE');
  }
}
