/**
 * Float ops partially quantized models keep (mixed precision): batch_normalization (inference form),
 * reduce_mean, reduce_min, pow, round. Exact float32 semantics mirrored by runtime-c/qcc_float_extra.h.
 *
 * - batch_normalization: per channel (axis 1) a = scale / sqrt(var + eps), b = B - mean * a (float32 steps,
 *   computed at compile time by the C emitter with `bnCoefficients`), then y = x * a + b (two roundings).
 * - reduce_mean: the reduce_sum order (row-major, sequential float32 adds from 0), then sum / count.
 * - reduce_min: mirror of reduce_max (first element, any NaN gives NaN; empty: the largest value).
 * - pow: compiler/numerics/logf.ts powf, numpy-broadcast exponent.
 * - round: half to even; keeps the sign of zero (round(-0.4) = -0); NaN stays NaN (canonical).
 */
import { DTYPES } from '../ir/dtype.ts';
import { broadcastShapes } from '../ir/broadcast.ts';
import { typeToString, type Node } from '../ir/graph.ts';
import { Tensor, shapeSize, type Shape } from '../ir/tensor.ts';
import { powf } from '../numerics/logf.ts';
import { roundHalfEvenF32 } from '../numerics/round.ts';
import { attrFloat, inType, opError } from './op-def.ts';
import { defineOp } from './registry.ts';
import { NUMERIC_TYPES, broadcastIndex, numView } from './elementwise-util.ts';
import { reduceGeometry, reduceOut, walkOffsets } from './elementwise-reduce.ts';

const f = Math.fround;

function requireF32(node: Node, i: number, what: string): void {
  const t = inType(node, i);
  if (t.dtype !== 'f32') throw opError(node, `${what} has type ${t.dtype}; only f32 is supported`, 'E_UNSUPPORTED');
}

// ---- batch_normalization: inputs x [N, C, ...], scale, B, mean, var (each [C]); attr epsilon. ----------

/** Per-channel (a, b) with y = x * a + b, float32 steps in this order. */
export function bnCoefficients(scale: Float32Array, bias: Float32Array, mean: Float32Array, variance: Float32Array, eps: number): { a: Float32Array; b: Float32Array } {
  const c = scale.length;
  const a = new Float32Array(c);
  const b = new Float32Array(c);
  const e = f(eps);
  for (let i = 0; i < c; i++) {
    a[i] = f(scale[i]! / f(Math.sqrt(f(variance[i]! + e))));
    b[i] = f(bias[i]! - f(mean[i]! * a[i]!));
  }
  return { a, b };
}

defineOp({
  kind: 'batch_normalization',
  constInputs: [1, 2, 3, 4],
  infer(node) {
    const x = inType(node, 0);
    if (x.shape.length < 2) throw opError(node, `input must have rank >= 2 (N, C, ...), got ${typeToString(x)}`);
    const c = x.shape[1]!;
    for (const [i, what] of [[0, 'X'], [1, 'scale'], [2, 'B'], [3, 'input_mean'], [4, 'input_var']] as const) {
      requireF32(node, i, what);
      if (i > 0 && (inType(node, i).shape.length !== 1 || inType(node, i).shape[0] !== c)) {
        throw opError(node, `${what} must have shape [${c}] (one value per channel), got ${typeToString(inType(node, i))}`);
      }
    }
    attrFloat(node, 'epsilon');
    return [{ dtype: 'f32', shape: x.shape }];
  },
  interpret(node, [x, s, b, m, v]) {
    const { a, b: bb } = bnCoefficients(s!.data as Float32Array, b!.data as Float32Array, m!.data as Float32Array, v!.data as Float32Array, attrFloat(node, 'epsilon'));
    const xs = x!.data as Float32Array;
    const y = new Tensor('f32', x!.shape);
    const yd = y.data as Float32Array;
    const c = x!.shape[1]!;
    const inner = shapeSize(x!.shape.slice(2));
    for (let i = 0; i < xs.length; i++) {
      const ch = Math.floor(i / inner) % c;
      yd[i] = f(f(xs[i]! * a[ch]!) + bb[ch]!);
    }
    return [y];
  },
});

// ---- reduce_mean / reduce_min: attributes `axes` (sorted, non-negative, non-empty), `keepdims`. -------

for (const kind of ['reduce_mean', 'reduce_min'] as const) {
  defineOp({
    kind,
    infer(node) {
      const x = inType(node, 0);
      const ok = kind === 'reduce_mean' ? ['f32'] : NUMERIC_TYPES.filter((d) => !DTYPES[d].isBig);
      if (!ok.includes(x.dtype)) throw opError(node, `dtype ${x.dtype} is not supported (supported: ${ok.join(', ')})`, 'E_UNSUPPORTED');
      return [{ dtype: x.dtype, shape: reduceOut(node).shape }];
    },
    interpret(node, [x]) {
      const { shape, axes } = reduceOut(node);
      const g = reduceGeometry(x!.shape, axes);
      const outer = walkOffsets(g.outShape, g.outStrides);
      const inner = shapeSize(x!.shape) === 0 ? new Int32Array(0) : walkOffsets(g.redShape, g.redStrides);
      const out = new Tensor(x!.dtype, shape);
      const xv = numView(x!);
      const o = numView(out);
      const info = DTYPES[x!.dtype];
      const count = f(inner.length);
      for (let i = 0; i < shapeSize(shape); i++) {
        const base = outer[i]!;
        if (kind === 'reduce_mean') {
          let s = 0;
          for (const j of inner) s = f(s + xv[base + j]!);
          o[i] = f(s / count);
          if (o[i] !== o[i]) o[i] = NaN;
        } else {
          let acc = inner.length ? xv[base]! : info.isFloat ? Infinity : info.max;
          for (const j of inner) {
            const v = xv[base + j]!;
            acc = v !== v || acc !== acc ? NaN : v < acc ? v : acc;
          }
          o[i] = acc;
        }
      }
      return [out];
    },
  });
}

// ---- pow: x (f32) ** y (f32), numpy broadcasting ----------------------------------------------------

export function powShape(node: Node): Shape {
  const s = broadcastShapes(inType(node, 0).shape, inType(node, 1).shape);
  if (!s) throw opError(node, `operands ${typeToString(inType(node, 0))} and ${typeToString(inType(node, 1))} cannot be broadcast together`);
  return s;
}

defineOp({
  kind: 'pow',
  infer(node) {
    requireF32(node, 0, 'X');
    requireF32(node, 1, 'Y');
    return [{ dtype: 'f32', shape: powShape(node) }];
  },
  interpret(node, [x, y]) {
    const shape = powShape(node);
    const out = new Tensor('f32', shape);
    const o = out.data as Float32Array;
    const xd = x!.data as Float32Array;
    const yd = y!.data as Float32Array;
    const ix = broadcastIndex(x!.shape, shape);
    const iy = broadcastIndex(y!.shape, shape);
    for (let i = 0; i < o.length; i++) o[i] = powf(xd[ix ? ix[i]! : i]!, yd[iy ? iy[i]! : i]!);
    return [out];
  },
});

// ---- round --------------------------------------------------------------------------------------------

export function roundF32(x: number): number {
  const r = roundHalfEvenF32(x);
  if (r !== r) return NaN;
  return r === 0 && (x < 0 || Object.is(x, -0)) ? -0 : r;
}

defineOp({
  kind: 'round',
  infer(node) {
    requireF32(node, 0, 'X');
    return [{ dtype: 'f32', shape: inType(node, 0).shape }];
  },
  interpret(_node, [x]) {
    return [new Tensor('f32', x!.shape, Float32Array.from(x!.data as Float32Array, roundF32))];
  },
});
