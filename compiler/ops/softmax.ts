/**
 * softmax (float32). Attributes: `axis` (non-negative, normalised by the importer) and `coerce2d`
 * (ONNX opset < 13: the input is read as a 2-D matrix [prod(shape[:axis]), prod(shape[axis:])] and
 * each row is normalised; opset >= 13: only the one axis is normalised).
 *
 * Both reduce to rows of `n` elements `inner` apart, `outer * inner` rows (softmaxGeometry). For each
 * row, in this order (the C kernel qcc_softmax_f32 does the same): m = max of the row (sequential,
 * `v > m`), e_j = exp(x_j - m) with our expf, sum = e_0 + e_1 + ... sequentially in float32,
 * y_j = e_j / sum.
 */
import { typeToString } from '../ir/graph.ts';
import { Tensor, type Shape } from '../ir/tensor.ts';
import { expf } from '../numerics/math.ts';
import { attrInt, inType, opError } from './op-def.ts';
import { defineOp } from './registry.ts';

const fr = Math.fround;

export interface SoftmaxGeometry {
  outer: number;
  n: number;
  inner: number;
}

export function softmaxGeometry(shape: Shape, axis: number, coerce2d: boolean): SoftmaxGeometry {
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i]!;
  let n = 1;
  let inner = 1;
  if (coerce2d) {
    for (let i = axis; i < shape.length; i++) n *= shape[i]!;
  } else {
    n = shape[axis]!;
    for (let i = axis + 1; i < shape.length; i++) inner *= shape[i]!;
  }
  return { outer, n, inner };
}

/** The reference kernel on raw float32 arrays (exported for the C parity tests). */
export function softmaxF32(x: Float32Array, y: Float32Array, g: SoftmaxGeometry): void {
  const { outer, n, inner } = g;
  if (n === 0) return;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      let m = x[base]!;
      for (let j = 1; j < n; j++) {
        const v = x[base + j * inner]!;
        if (v > m) m = v;
      }
      let sum = 0;
      for (let j = 0; j < n; j++) {
        const e = expf(fr(x[base + j * inner]! - m));
        y[base + j * inner] = e;
        sum = fr(sum + e);
      }
      for (let j = 0; j < n; j++) y[base + j * inner] = fr(y[base + j * inner]! / sum);
    }
  }
}

defineOp({
  kind: 'softmax',
  infer(node) {
    const x = inType(node, 0);
    if (x.dtype !== 'f32') throw opError(node, `dtype ${x.dtype} is not supported (supported: f32)`, 'E_UNSUPPORTED');
    const axis = attrInt(node, 'axis');
    const rank = x.shape.length;
    // With coerce2d, axis may equal the rank: rows of one element (the 2-D view [size, 1]).
    const coerce2d = node.attrs['coerce2d'] === true;
    if (!Number.isInteger(axis) || axis < 0 || axis > rank || (axis === rank && !coerce2d)) {
      throw opError(node, `axis ${axis} is out of range for ${typeToString(x)}`, 'E_ATTR');
    }
    return [{ dtype: 'f32', shape: x.shape }];
  },
  interpret(node, [x]) {
    const out = new Tensor('f32', x!.shape);
    const g = softmaxGeometry(x!.shape, attrInt(node, 'axis'), node.attrs['coerce2d'] === true);
    softmaxF32(x!.data as Float32Array, out.data as Float32Array, g);
    return [out];
  },
});
