/**
 * ONNX importers of the shape / data-movement family. Everything that decides a shape (Reshape's
 * target, Squeeze axes, pads, slice bounds, split sizes) must be a compile-time constant after folding;
 * the importers resolve it into explicit attributes so the internal kinds never see 0/-1/negative axes.
 * Shape, Size, ConstantOfShape and Range produce constants directly (shapes are static in qcc).
 */
import { QccError } from '../../../errors.ts';
import { DTYPES, type DType } from '../../../ir/dtype.ts';
import { checkTensorLimit } from '../../../limits.ts';
import type { Value } from '../../../ir/graph.ts';
import { Tensor, shapeSize, type Shape } from '../../../ir/tensor.ts';
import { f32ToF16Bits } from '../../../numerics/f16.ts';
import { resolveReshape, clampSlice } from '../../../ops/shape.ts';
import { PAD_MODES, type PadMode } from '../../../ops/shape-layout.ts';
import { importer, type ImportContext } from '../importer.ts';

const shp = (s: readonly number[]): string => `[${s.join(',')}]`;

/** Integer values of a constant index/shape tensor (int32/int64 only). */
function ints(ctx: ImportContext, t: Tensor, what: string): number[] {
  if (t.dtype !== 'i64' && t.dtype !== 'i32') throw ctx.error(`${what} must be int64 or int32, not ${t.dtype}`, 'E_MODEL');
  if (t.shape.length > 1) throw ctx.error(`${what} must be 1-D, got shape ${shp(t.shape)}`, 'E_MODEL');
  return t.toNumbers();
}

/** Normalises axes against a rank, rejecting out-of-range and repeated ones. */
function normAxes(ctx: ImportContext, axes: readonly number[], rank: number, what = 'axes'): number[] {
  const out = axes.map((a) => {
    if (!Number.isInteger(a) || a < -rank || a >= rank) throw ctx.error(`${what} ${shp(axes)}: ${a} is out of range for rank ${rank}`, 'E_ATTR');
    return a < 0 ? a + rank : a;
  });
  if (new Set(out).size !== out.length) throw ctx.error(`${what} ${shp(axes)} repeats an axis`, 'E_ATTR');
  return out;
}

function normAxis(ctx: ImportContext, a: number, rank: number, what = 'axis'): number {
  return normAxes(ctx, [a], rank, what)[0]!;
}

const shapeOf = (ctx: ImportContext, i: number, what = 'data'): Shape => ctx.requireInput(i, what).type.shape;

/**
 * Output 0 is input x unchanged: bind it (no node). A graph input is the exception: it gets a copy
 * (a same-shape reshape) so that a graph output passing it straight through is still its own buffer.
 */
function passThrough(ctx: ImportContext, x: Value): void {
  if (x.producer === null && !x.const) ctx.emit('reshape', [x], { shape: [...x.type.shape] });
  else ctx.bind(0, x);
}

/** Emits a reshape of input 0 to an explicit shape (or passes the input through when nothing changes). */
function reshapeTo(ctx: ImportContext, x: Value, shape: readonly number[]): void {
  const same = shape.length === x.type.shape.length && shape.every((d, i) => d === x.type.shape[i]);
  if (same) passThrough(ctx, x);
  else ctx.emit('reshape', [x], { shape: [...shape] });
}

// ---- Reshape / Flatten / Squeeze / Unsqueeze / Identity ----------------------------------------

function importReshape(ctx: ImportContext, target: readonly number[], allowzero: boolean): void {
  const x = ctx.requireInput(0, 'data');
  const r = resolveReshape(x.type.shape, target, allowzero);
  if (typeof r === 'string') throw ctx.error(r, 'E_SHAPE');
  reshapeTo(ctx, x, r);
}

importer('', 'Reshape', 1, (ctx) => {
  ctx.rejectAttrsExcept(['shape', 'consumed_inputs']);
  importReshape(ctx, ctx.attrInts('shape'), false);
});
importer('', 'Reshape', 5, (ctx) => {
  ctx.rejectAttrsExcept(['allowzero']);
  const allowzero = ctx.attrInt('allowzero', 0) !== 0;
  importReshape(ctx, ints(ctx, ctx.constInput(1, 'shape'), 'shape'), allowzero);
});

importer('', 'Flatten', 1, (ctx) => {
  ctx.rejectAttrsExcept(['axis']);
  const x = ctx.requireInput(0, 'input');
  const r = x.type.shape.length;
  let axis = ctx.attrInt('axis', 1);
  if (axis < -r || axis > r) throw ctx.error(`axis ${axis} is out of range for rank ${r} (allowed ${-r}..${r})`, 'E_ATTR');
  if (axis < 0) axis += r;
  reshapeTo(ctx, x, [shapeSize(x.type.shape.slice(0, axis)), shapeSize(x.type.shape.slice(axis))]);
});

function importSqueeze(ctx: ImportContext, axes: readonly number[] | undefined): void {
  const x = ctx.requireInput(0, 'data');
  const s = x.type.shape;
  let drop: number[];
  if (axes === undefined) {
    drop = s.flatMap((d, i) => (d === 1 ? [i] : []));
  } else {
    drop = normAxes(ctx, axes, s.length);
    for (const a of drop) {
      if (s[a] !== 1) throw ctx.error(`cannot squeeze axis ${a} of shape ${shp(s)}: its size is ${s[a]}, not 1`, 'E_SHAPE');
    }
  }
  reshapeTo(ctx, x, s.filter((_, i) => !drop.includes(i)));
}

importer('', 'Squeeze', 1, (ctx) => {
  ctx.rejectAttrsExcept(['axes']);
  importSqueeze(ctx, ctx.hasAttr('axes') ? ctx.attrInts('axes') : undefined);
});
importer('', 'Squeeze', 13, (ctx) => {
  ctx.rejectAttrsExcept([]);
  const t = ctx.optConstInput(1, 'axes');
  importSqueeze(ctx, t ? ints(ctx, t, 'axes') : undefined);
});

function importUnsqueeze(ctx: ImportContext, axes: readonly number[]): void {
  const x = ctx.requireInput(0, 'data');
  const s = x.type.shape;
  const outRank = s.length + axes.length;
  const ins = normAxes(ctx, axes, outRank);
  const out: number[] = [];
  let k = 0;
  for (let i = 0; i < outRank; i++) out.push(ins.includes(i) ? 1 : s[k++]!);
  reshapeTo(ctx, x, out);
}

importer('', 'Unsqueeze', 1, (ctx) => {
  ctx.rejectAttrsExcept(['axes']);
  importUnsqueeze(ctx, ctx.attrInts('axes'));
});
importer('', 'Unsqueeze', 13, (ctx) => {
  ctx.rejectAttrsExcept([]);
  importUnsqueeze(ctx, ints(ctx, ctx.constInput(1, 'axes'), 'axes'));
});

importer('', 'Identity', 1, (ctx) => {
  ctx.rejectAttrsExcept([]);
  passThrough(ctx, ctx.requireInput(0, 'input'));
});

// ---- Transpose / Concat -------------------------------------------------------------------------

importer('', 'Transpose', 1, (ctx) => {
  ctx.rejectAttrsExcept(['perm']);
  const x = ctx.requireInput(0, 'data');
  const r = x.type.shape.length;
  const perm = ctx.hasAttr('perm') ? ctx.attrInts('perm') : Array.from({ length: r }, (_, i) => r - 1 - i);
  if (perm.every((p, i) => p === i) && perm.length === r) passThrough(ctx, x);
  else ctx.emit('transpose', [x], { perm });
});

function importConcat(ctx: ImportContext, axis: number): void {
  const xs: Value[] = [];
  for (let i = 0; i < ctx.numInputs; i++) xs.push(ctx.requireInput(i, `input ${i}`));
  if (xs.length === 0) throw ctx.error('needs at least one input', 'E_MODEL');
  const r = xs[0]!.type.shape.length;
  if (xs.length === 1) passThrough(ctx, xs[0]!);
  else ctx.emit('concat', xs, { axis: normAxis(ctx, axis, r) });
}

importer('', 'Concat', 1, (ctx) => {
  ctx.rejectAttrsExcept(['axis']);
  importConcat(ctx, ctx.attrInt('axis', 1));
});
importer('', 'Concat', 4, (ctx) => {
  ctx.rejectAttrsExcept(['axis']);
  importConcat(ctx, ctx.attrInt('axis'));
});

// ---- Pad ----------------------------------------------------------------------------------------

/** A one-element tensor of `dtype` holding the number v (float attribute of old Pad versions). */
function scalarOf(dtype: DType, v: number): Tensor {
  if (dtype === 'f16') return Tensor.fromNumbers('f16', [1], [f32ToF16Bits(v)]);
  if (dtype === 'bool') return Tensor.fromNumbers('bool', [1], [v !== 0 ? 1 : 0]);
  return Tensor.fromNumbers(dtype, [1], [DTYPES[dtype].isFloat ? v : Math.trunc(v)]);
}

function importPad(ctx: ImportContext, rawPads: readonly number[], value: Tensor | undefined, axes: readonly number[] | undefined): void {
  const x = ctx.requireInput(0, 'data');
  const r = x.type.shape.length;
  const mode = ctx.attrString('mode', 'constant');
  if (!PAD_MODES.includes(mode as PadMode)) throw ctx.error(`unknown mode '${mode}'`, 'E_ATTR');
  if (mode === 'wrap' && ctx.opset < 19) throw ctx.error(`mode 'wrap' needs opset 19 or later`, 'E_ATTR');
  const ax = axes === undefined ? Array.from({ length: r }, (_, i) => i) : normAxes(ctx, axes, r);
  if (rawPads.length !== 2 * ax.length) {
    throw ctx.error(`pads ${shp(rawPads)} must have ${2 * ax.length} values (2 x ${ax.length} axes)`, 'E_ATTR');
  }
  const pads = new Array<number>(2 * r).fill(0);
  ax.forEach((a, i) => {
    pads[a] = rawPads[i]!;
    pads[a + r] = rawPads[i + ax.length]!;
  });
  let v = value ?? scalarOf(x.type.dtype, 0);
  if (v.dtype !== x.type.dtype || v.size !== 1) {
    throw ctx.error(`constant_value must be one ${x.type.dtype} element, got ${v.dtype}[${v.shape.join('x')}]`, 'E_MODEL');
  }
  v = v.withShape([1]);
  if (pads.every((p) => p === 0)) passThrough(ctx, x);
  else ctx.emit('pad', [x], { pads, mode, value: v });
}

importer('', 'Pad', 1, (ctx) => {
  ctx.rejectAttrsExcept(['mode', 'paddings', 'value']);
  const x = ctx.requireInput(0, 'data');
  importPad(ctx, ctx.attrInts('paddings'), scalarOf(x.type.dtype, ctx.attrFloat('value', 0)), undefined);
});
importer('', 'Pad', 2, (ctx) => {
  ctx.rejectAttrsExcept(['mode', 'pads', 'value']);
  const x = ctx.requireInput(0, 'data');
  importPad(ctx, ctx.attrInts('pads'), scalarOf(x.type.dtype, ctx.attrFloat('value', 0)), undefined);
});
importer('', 'Pad', 11, (ctx) => {
  ctx.rejectAttrsExcept(['mode']);
  const pads = ints(ctx, ctx.constInput(1, 'pads'), 'pads');
  const value = ctx.optConstInput(2, 'constant_value');
  const axes = ctx.opset >= 18 ? ctx.optConstInput(3, 'axes') : undefined;
  importPad(ctx, pads, value, axes ? ints(ctx, axes, 'axes') : undefined);
});

// ---- Shape / Size / ConstantOfShape / Range (constants) ----------------------------------------

function i64(values: readonly number[], shape: Shape = [values.length]): Tensor {
  return Tensor.fromNumbers('i64', shape, values);
}

importer('', 'Shape', 1, (ctx) => {
  ctx.rejectAttrsExcept(['start', 'end']);
  const s = shapeOf(ctx, 0);
  const r = s.length;
  const clampAxis = (a: number): number => Math.min(Math.max(a < 0 ? a + r : a, 0), r);
  const start = ctx.opset >= 15 ? clampAxis(ctx.attrInt('start', 0)) : 0;
  const end = ctx.opset >= 15 && ctx.hasAttr('end') ? clampAxis(ctx.attrInt('end')) : r;
  ctx.bind(0, ctx.constant(i64(s.slice(start, Math.max(start, end)))));
});

importer('', 'Size', 1, (ctx) => {
  ctx.rejectAttrsExcept([]);
  ctx.bind(0, ctx.constant(i64([shapeSize(shapeOf(ctx, 0))], [])));
});

/** A constant the importer is about to build must fit the loader's tensor limit (E_LIMIT before allocating). */
function checkConstSize(ctx: ImportContext, dtype: DType, shape: number[]): void {
  try {
    checkTensorLimit({ dtype, shape }, 'output 0', ctx.maxTensorBytes);
  } catch (e) {
    throw e instanceof QccError ? ctx.error(e.message, e.code) : e;
  }
}

importer('', 'ConstantOfShape', 9, (ctx) => {
  ctx.rejectAttrsExcept(['value']);
  const shape = ints(ctx, ctx.constInput(0, 'input'), 'input');
  if (shape.some((d) => d < 0)) throw ctx.error(`shape ${shp(shape)} has a negative dimension`, 'E_SHAPE');
  const v = ctx.hasAttr('value') ? ctx.attrTensor('value') : Tensor.fromNumbers('f32', [1], [0]);
  if (v.size !== 1) throw ctx.error(`value must have one element, got ${v.size}`, 'E_ATTR');
  checkConstSize(ctx, v.dtype, shape);
  const out = new Tensor(v.dtype, shape);
  const src = v.data as unknown as { [i: number]: number | bigint };
  const dst = out.data as unknown as { fill(x: number | bigint): void };
  dst.fill(src[0]!);
  ctx.bind(0, ctx.constant(out));
});

importer('', 'Range', 11, (ctx) => {
  ctx.rejectAttrsExcept([]);
  const start = ctx.constInput(0, 'start');
  const limit = ctx.constInput(1, 'limit');
  const delta = ctx.constInput(2, 'delta');
  const dt = start.dtype;
  if (limit.dtype !== dt || delta.dtype !== dt || start.size !== 1 || limit.size !== 1 || delta.size !== 1) {
    throw ctx.error('start, limit and delta must be scalars of one dtype', 'E_MODEL');
  }
  if (!['f32', 'f64', 'i16', 'i32', 'i64'].includes(dt)) throw ctx.error(`Range of ${dt} is not supported`, 'E_UNSUPPORTED');
  if (DTYPES[dt].isBig) {
    const [s, l, d] = [start, limit, delta].map((t) => (t.data as BigInt64Array)[0]!);
    if (d === 0n) throw ctx.error('delta is zero', 'E_MODEL');
    const diff = l! - s!;
    // ceil(diff / d) for any signs, in exact integer arithmetic
    let n = diff / d!;
    if (n * d! !== diff && (diff > 0n) === (d! > 0n)) n += 1n;
    if (n < 0n) n = 0n;
    checkConstSize(ctx, 'i64', [Number(n)]);
    const out = new Tensor('i64', [Number(n)]);
    for (let i = 0; i < out.size; i++) (out.data as BigInt64Array)[i] = s! + BigInt(i) * d!;
    ctx.bind(0, ctx.constant(out));
    return;
  }
  const [s, l, d] = [start.num(0), limit.num(0), delta.num(0)];
  if (d === 0) throw ctx.error('delta is zero', 'E_MODEL');
  const n = Math.max(Math.ceil((l - s) / d), 0);
  if (Number.isNaN(n)) throw ctx.error('start, limit and delta must be finite', 'E_MODEL');
  checkConstSize(ctx, dt, [n]);
  // output[i] = start + i * delta, each step in the element type (float32 rounding for f32)
  const vals = Array.from({ length: n }, (_, i) =>
    dt === 'f32' ? Math.fround(s + Math.fround(i * d)) : dt === 'f64' ? s + i * d : s + i * d,
  );
  ctx.bind(0, ctx.constant(Tensor.fromNumbers(dt, [n], vals)));
});

// ---- Gather / Slice / Split / Expand ------------------------------------------------------------

importer('', 'Gather', 1, (ctx) => {
  ctx.rejectAttrsExcept(['axis']);
  const x = ctx.requireInput(0, 'data');
  const idx = ctx.requireInput(1, 'indices');
  const axis = normAxis(ctx, ctx.attrInt('axis', 0), x.type.shape.length);
  ctx.emit('gather', [x, idx], { axis });
});

function importSlice(ctx: ImportContext, starts: number[], ends: number[], axes: number[] | undefined, steps: number[] | undefined): void {
  const x = ctx.requireInput(0, 'data');
  const s = x.type.shape;
  const r = s.length;
  const ax = axes === undefined ? starts.map((_, i) => i) : normAxes(ctx, axes, r);
  const st = steps ?? starts.map(() => 1);
  if (ends.length !== starts.length || ax.length !== starts.length || st.length !== starts.length) {
    throw ctx.error(`starts ${shp(starts)}, ends ${shp(ends)}, axes and steps must have the same length`, 'E_MODEL');
  }
  if (ax.length > r) throw ctx.error(`${ax.length} slice axes for rank ${r}`, 'E_MODEL');
  const S = new Array<number>(r).fill(0);
  const E = [...s];
  const P = new Array<number>(r).fill(1);
  ax.forEach((a, i) => {
    if (st[i] === 0) throw ctx.error('steps must not be 0', 'E_ATTR');
    // int64 extremes (INT64_MAX as "to the end") arrive as large doubles; clamping handles them
    const [b, e] = clampSlice(s[a]!, starts[i]!, ends[i]!, st[i]!);
    S[a] = s[a] === 0 ? 0 : b;
    E[a] = s[a] === 0 ? 0 : e;
    P[a] = st[i]!;
  });
  if (S.every((v) => v === 0) && E.every((v, i) => v === s[i]) && P.every((v) => v === 1)) passThrough(ctx, x);
  else ctx.emit('slice', [x], { starts: S, ends: E, steps: P });
}

importer('', 'Slice', 1, (ctx) => {
  ctx.rejectAttrsExcept(['starts', 'ends', 'axes']);
  importSlice(ctx, ctx.attrInts('starts'), ctx.attrInts('ends'), ctx.hasAttr('axes') ? ctx.attrInts('axes') : undefined, undefined);
});
importer('', 'Slice', 10, (ctx) => {
  ctx.rejectAttrsExcept([]);
  const opt = (i: number, what: string): number[] | undefined => {
    const t = ctx.optConstInput(i, what);
    return t ? ints(ctx, t, what) : undefined;
  };
  importSlice(ctx, ints(ctx, ctx.constInput(1, 'starts'), 'starts'), ints(ctx, ctx.constInput(2, 'ends'), 'ends'), opt(3, 'axes'), opt(4, 'steps'));
});

function importSplit(ctx: ImportContext, axisAttr: number, split: number[] | undefined): void {
  const x = ctx.requireInput(0, 'input');
  const s = x.type.shape;
  const axis = normAxis(ctx, axisAttr, s.length);
  const dim = s[axis]!;
  let parts = split;
  if (parts === undefined) {
    const n = ctx.opset >= 18 && ctx.hasAttr('num_outputs') ? ctx.attrInt('num_outputs') : ctx.numOutputs;
    if (n !== ctx.numOutputs) throw ctx.error(`num_outputs ${n} but the node has ${ctx.numOutputs} outputs`, 'E_ATTR');
    if (n < 1) throw ctx.error('needs at least one output', 'E_MODEL');
    if (ctx.opset >= 18) {
      // opset 18: ceil(dim / n) per part, the last one smaller
      const each = Math.ceil(dim / n);
      parts = Array.from({ length: n }, (_, i) => Math.max(0, Math.min(each, dim - i * each)));
    } else {
      if (dim % n !== 0) throw ctx.error(`axis ${axis} of size ${dim} cannot be split evenly into ${n} outputs`, 'E_SHAPE');
      parts = new Array<number>(n).fill(dim / n);
    }
  }
  ctx.emit('split', [x], { axis, split: parts });
}

importer('', 'Split', 1, (ctx) => {
  ctx.rejectAttrsExcept(['axis', 'split']);
  const t = ctx.optConstInput(1, 'split');
  importSplit(ctx, ctx.attrInt('axis', 0), t ? ints(ctx, t, 'split') : ctx.hasAttr('split') ? ctx.attrInts('split') : undefined);
});
importer('', 'Split', 2, (ctx) => {
  ctx.rejectAttrsExcept(['axis', 'split']);
  importSplit(ctx, ctx.attrInt('axis', 0), ctx.hasAttr('split') ? ctx.attrInts('split') : undefined);
});
importer('', 'Split', 13, (ctx) => {
  ctx.rejectAttrsExcept(ctx.opset >= 18 ? ['axis', 'num_outputs'] : ['axis']);
  const t = ctx.optConstInput(1, 'split');
  importSplit(ctx, ctx.attrInt('axis', 0), t ? ints(ctx, t, 'split') : undefined);
});

importer('', 'Expand', 8, (ctx) => {
  ctx.rejectAttrsExcept([]);
  const x = ctx.requireInput(0, 'input');
  const shape = ints(ctx, ctx.constInput(1, 'shape'), 'shape');
  ctx.emit('expand', [x], { shape });
});
