/**
 * ONNX importers of the elementwise family: arithmetic (Add Sub Mul Div Max Min), comparisons (Less
 * Greater Equal LessOrEqual GreaterOrEqual), Where, activations (Relu LeakyRelu Sigmoid Tanh Clip),
 * math (Exp Neg Abs Sqrt Reciprocal), Softmax, Cast and CastLike, ReduceSum and ReduceMax.
 *
 * Opset differences resolved here:
 * - Arithmetic and comparisons before opset 7 broadcast only when `broadcast=1`, aligning B with A at
 *   `axis`; that becomes numpy broadcasting by giving B trailing 1-dimensions (a reshape).
 * - Clip before opset 11 has float attributes (default +-FLT_MAX); from 11 the bounds are optional
 *   inputs. Constant bounds become the `min`/`max` attributes (runtime or f64/int64-only bounds stay inputs).
 * - Softmax before opset 13 flattens to 2-D at `axis` (default 1): attribute coerce2d; from 13 it
 *   normalises along `axis` (default -1). Axes are made non-negative.
 * - Cast's `to` is a string before opset 6.
 */
import { DTYPES, dtypeFromOnnx, onnxDtypeName, type DType } from '../../../ir/dtype.ts';
import type { Value } from '../../../ir/graph.ts';
import { importer, type ImportContext } from '../importer.ts';

// ---- arithmetic and comparisons -----------------------------------------------------------------

/** Operand B of a pre-opset-7 binary op, reshaped for numpy broadcasting when `broadcast=1`. */
function legacyB(ctx: ImportContext, a: Value, b: Value): Value {
  const bcast = ctx.attrInt('broadcast', 0) !== 0;
  const as = a.type.shape;
  const bs = b.type.shape;
  if (!bcast) {
    if (as.length !== bs.length || as.some((d, i) => d !== bs[i])) {
      throw ctx.error(`operand shapes [${as.join(',')}] and [${bs.join(',')}] differ and broadcast=0`, 'E_SHAPE');
    }
    return b;
  }
  if (!ctx.hasAttr('axis')) return b; // suffix alignment is numpy's
  let axis = ctx.attrInt('axis');
  if (axis < 0) axis += as.length;
  if (axis < 0 || axis + bs.length > as.length) {
    throw ctx.error(`axis ${ctx.attrInt('axis')} does not fit B [${bs.join(',')}] into A [${as.join(',')}]`, 'E_ATTR');
  }
  const trailing = as.length - axis - bs.length;
  if (trailing === 0) return b;
  const shape = [...bs, ...new Array<number>(trailing).fill(1)];
  if (b.const) return ctx.constant(b.const.withShape(shape), `${b.name}_bcast`);
  return ctx.emitTemp('reshape', [b], { shape })[0]!;
}

function binary(onnxOp: string, kind: string): void {
  importer('', onnxOp, 1, (ctx) => {
    ctx.rejectAttrsExcept(['broadcast', 'axis', 'consumed_inputs']);
    const a = ctx.requireInput(0, 'A');
    const b = legacyB(ctx, a, ctx.requireInput(1, 'B'));
    ctx.emit(kind, [a, b]);
  });
  importer('', onnxOp, 7, (ctx) => {
    ctx.rejectAttrsExcept([]);
    ctx.emit(kind, [ctx.requireInput(0, 'A'), ctx.requireInput(1, 'B')]);
  });
}

binary('Add', 'add');
binary('Sub', 'sub');
binary('Mul', 'mul');
binary('Div', 'div');
binary('Less', 'less');
binary('Greater', 'greater');
binary('Equal', 'equal');

importer('', 'LessOrEqual', 12, (ctx) => {
  ctx.rejectAttrsExcept([]);
  ctx.emit('less_or_equal', [ctx.requireInput(0, 'A'), ctx.requireInput(1, 'B')]);
});
importer('', 'GreaterOrEqual', 12, (ctx) => {
  ctx.rejectAttrsExcept([]);
  ctx.emit('greater_or_equal', [ctx.requireInput(0, 'A'), ctx.requireInput(1, 'B')]);
});

/** Variadic Max/Min: a left-to-right chain of binary nodes (one input is an identity). */
function variadic(onnxOp: string, kind: string): void {
  importer('', onnxOp, 1, (ctx) => {
    ctx.rejectAttrsExcept(['consumed_inputs']);
    const xs: Value[] = [];
    for (let i = 0; i < ctx.numInputs; i++) xs.push(ctx.requireInput(i, `data_${i}`));
    if (xs.length === 0) throw ctx.error('needs at least one input', 'E_MODEL');
    if (xs.length === 1) {
      ctx.bind(0, xs[0]!);
      return;
    }
    let acc = xs[0]!;
    for (let i = 1; i < xs.length - 1; i++) acc = ctx.emitTemp(kind, [acc, xs[i]!])[0]!;
    ctx.emit(kind, [acc, xs[xs.length - 1]!]);
  });
}

variadic('Max', 'max');
variadic('Min', 'min');

importer('', 'Where', 9, (ctx) => {
  ctx.rejectAttrsExcept([]);
  ctx.emit('where', [ctx.requireInput(0, 'condition'), ctx.requireInput(1, 'X'), ctx.requireInput(2, 'Y')]);
});

// ---- unary ----------------------------------------------------------------------------------------

function unary(onnxOp: string, kind: string): void {
  importer('', onnxOp, 1, (ctx) => {
    ctx.rejectAttrsExcept(['consumed_inputs']);
    ctx.emit(kind, [ctx.requireInput(0, 'X')]);
  });
}

unary('Relu', 'relu');
unary('Sigmoid', 'sigmoid');
unary('Tanh', 'tanh');
unary('Exp', 'exp');
unary('Neg', 'neg');
unary('Abs', 'abs');
unary('Sqrt', 'sqrt');
unary('Reciprocal', 'reciprocal');

importer('', 'LeakyRelu', 1, (ctx) => {
  ctx.rejectAttrsExcept(['alpha', 'consumed_inputs']);
  ctx.emit('leaky_relu', [ctx.requireInput(0, 'X')], { alpha: ctx.attrFloat('alpha', 0.01) });
});

// ---- Clip -----------------------------------------------------------------------------------------

const FLT_MAX = 3.4028234663852886e38;

importer('', 'Clip', 1, (ctx) => {
  ctx.rejectAttrsExcept(['min', 'max', 'consumed_inputs']);
  const x = ctx.requireInput(0, 'input');
  ctx.emit('clip', [x, null, null], { min: ctx.attrFloat('min', -FLT_MAX), max: ctx.attrFloat('max', FLT_MAX) });
});

/** A constant bound as an attribute value when exact as one (f32 values, integers up to 2^53). */
function boundAttr(v: Value, dtype: DType): number | undefined {
  const t = v.const;
  if (!t || t.size !== 1 || t.dtype !== dtype) return undefined;
  if (dtype === 'f64') return undefined; // attributes are float32-exact; keep the input
  const n = t.num(0);
  if (DTYPES[dtype].isBig && !Number.isSafeInteger(n)) return undefined;
  return n;
}

importer('', 'Clip', 11, (ctx) => {
  ctx.rejectAttrsExcept([]);
  const x = ctx.requireInput(0, 'input');
  const inputs: (Value | null)[] = [x, null, null];
  const attrs: Record<string, number> = {};
  for (const [i, name] of [[1, 'min'], [2, 'max']] as const) {
    const v = ctx.input(i);
    if (!v) continue;
    const a = boundAttr(v, x.type.dtype);
    if (a === undefined) inputs[i] = v;
    else attrs[name] = a;
  }
  ctx.emit('clip', inputs, attrs);
});

// ---- Softmax --------------------------------------------------------------------------------------

function softmax(ctx: ImportContext, legacy: boolean): void {
  ctx.rejectAttrsExcept(['axis']);
  const x = ctx.requireInput(0, 'input');
  const rank = x.type.shape.length;
  const given = ctx.attrInt('axis', legacy ? 1 : -1);
  // A legacy axis may equal rank (flatten to [N, 1], rows of one element).
  const hi = legacy ? rank : rank - 1;
  if (given < -rank || given > hi) throw ctx.error(`axis ${given} is out of range for rank ${rank}`, 'E_ATTR');
  const axis = given < 0 ? given + rank : given;
  let coerce2d = legacy;
  if (coerce2d && axis === rank - 1) coerce2d = false; // the 2-D view is the last axis itself
  ctx.emit('softmax', [x], { axis, coerce2d });
}

importer('', 'Softmax', 1, (ctx) => softmax(ctx, true));
importer('', 'Softmax', 13, (ctx) => softmax(ctx, false));

// ---- Cast -----------------------------------------------------------------------------------------

const LEGACY_CAST_NAMES: Readonly<Record<string, number>> = {
  FLOAT: 1, UINT8: 2, INT8: 3, UINT16: 4, INT16: 5, INT32: 6, INT64: 7, BOOL: 9, FLOAT16: 10, DOUBLE: 11, UINT32: 12, UINT64: 13,
};

function castTo(ctx: ImportContext, code: number): DType {
  const d = dtypeFromOnnx(code);
  if (!d) throw ctx.error(`cannot cast to ${onnxDtypeName(code)}`, 'E_UNSUPPORTED');
  return d;
}

/** A cast to the value's own dtype is the value itself. */
function emitCast(ctx: ImportContext, x: Value, to: DType): void {
  if (x.type.dtype === to) ctx.bind(0, x);
  else ctx.emit('cast', [x], { to });
}

importer('', 'Cast', 1, (ctx) => {
  ctx.rejectAttrsExcept(['to']);
  const name = ctx.attrString('to').toUpperCase();
  const code = LEGACY_CAST_NAMES[name];
  if (code === undefined) throw ctx.error(`cannot cast to '${name}'`, 'E_UNSUPPORTED');
  emitCast(ctx, ctx.requireInput(0, 'input'), castTo(ctx, code));
});

importer('', 'Cast', 6, (ctx) => {
  // saturate (opset 19) and round_mode (opset 25) only concern float8 targets, which we reject anyway.
  ctx.rejectAttrsExcept(['to', 'saturate', 'round_mode']);
  emitCast(ctx, ctx.requireInput(0, 'input'), castTo(ctx, ctx.attrInt('to')));
});

importer('', 'CastLike', 15, (ctx) => {
  ctx.rejectAttrsExcept(['saturate', 'round_mode']);
  const x = ctx.requireInput(0, 'input');
  const like = ctx.requireInput(1, 'target_type');
  emitCast(ctx, x, like.type.dtype);
});

// ---- ReduceSum / ReduceMax ------------------------------------------------------------------------

/**
 * Imports an ONNX Reduce* node as `kind` (also used by float-extra.ts for ReduceMean / ReduceMin).
 * Axes from the attribute (older opsets, `axesFromInput` false) or the constant `axes` input; negative axes
 * normalised, sorted. Empty axes reduce everything, or nothing when noop_with_empty_axes=1 (the input itself).
 */
export function importReduce(ctx: ImportContext, kind: string, axesFromInput: boolean): void {
  ctx.rejectAttrsExcept(axesFromInput ? ['keepdims', 'noop_with_empty_axes'] : ['axes', 'keepdims']);
  const x = ctx.requireInput(0, 'data');
  const rank = x.type.shape.length;
  let axes: number[];
  if (axesFromInput) {
    const t = ctx.optConstInput(1, 'axes');
    if (t && t.dtype !== 'i64') throw ctx.error(`axes must be int64, not ${t.dtype}`, 'E_MODEL');
    axes = t ? t.toNumbers() : [];
  } else {
    axes = ctx.attrInts('axes', []);
  }
  const keepdims = ctx.attrInt('keepdims', 1) !== 0;
  if (axes.length === 0) {
    if (axesFromInput && ctx.attrInt('noop_with_empty_axes', 0) !== 0) {
      ctx.bind(0, x);
      return;
    }
    axes = x.type.shape.map((_, i) => i);
  }
  const norm = axes.map((a) => {
    if (!Number.isInteger(a) || a < -rank || a >= rank) throw ctx.error(`axis ${a} is out of range for rank ${rank}`, 'E_ATTR');
    return a < 0 ? a + rank : a;
  });
  const sorted = [...new Set(norm)].sort((a, b) => a - b);
  if (sorted.length !== norm.length) throw ctx.error(`axes [${axes.join(',')}] repeat an axis`, 'E_ATTR');
  if (sorted.length === 0) {
    // a scalar input: reducing over no axes is the identity
    ctx.bind(0, x);
    return;
  }
  ctx.emit(kind, [x], { axes: sorted, keepdims });
}

importer('', 'ReduceSum', 1, (ctx) => importReduce(ctx, 'reduce_sum', false));
importer('', 'ReduceSum', 13, (ctx) => importReduce(ctx, 'reduce_sum', true));
importer('', 'ReduceMax', 1, (ctx) => importReduce(ctx, 'reduce_max', false));
importer('', 'ReduceMax', 18, (ctx) => importReduce(ctx, 'reduce_max', true));
