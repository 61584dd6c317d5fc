/**
 * ONNX importers of the float nn family: Conv, MatMul, Gemm, MaxPool, AveragePool, GlobalAveragePool,
 * GlobalMaxPool. They normalise opset differences and resolve auto_pad into explicit pads (shapes are
 * static), so `conv`, `max_pool` and `average_pool` only ever see strides/dilations/pads/ceil_mode.
 */
import type { Value } from '../../../ir/graph.ts';
import { resolvePads, type AutoPad } from '../../../ops/conv-geometry.ts';
import { importer, type ImportContext } from '../importer.ts';

const AUTO_PADS: readonly AutoPad[] = ['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'];
const list = (v: readonly number[]) => `[${v.join(', ')}]`;

interface WindowAttrs {
  strides: number[];
  dilations: number[];
  pads: number[];
  autoPad: AutoPad;
}

/**
 * Reads strides, dilations (when the opset has them), pads and auto_pad for an input of spatial sizes
 * `inSp`, validates them, and resolves auto_pad into explicit pads. With an auto_pad other than NOTSET any
 * `pads` attribute is ignored, as ONNX Runtime does.
 */
function windowAttrs(ctx: ImportContext, x: Value, kernel: readonly number[], hasDilations: boolean): WindowAttrs {
  const inSp = x.type.shape.slice(2);
  const n = inSp.length;
  const ones = new Array<number>(n).fill(1);
  const strides = ctx.attrInts('strides', ones);
  const dilations = hasDilations ? ctx.attrInts('dilations', ones) : ones;
  let pads = ctx.attrInts('pads', new Array<number>(2 * n).fill(0));
  const check = (name: string, v: readonly number[], len: number, min: number) => {
    if (v.length !== len) throw ctx.error(`'${name}' ${list(v)} has ${v.length} values; the input has ${n} spatial axes, so ${len} are expected`, 'E_ATTR');
    if (v.some((e) => e < min)) throw ctx.error(`'${name}' ${list(v)}: every value must be >= ${min}`, 'E_ATTR');
  };
  check('kernel_shape', kernel, n, 1);
  check('strides', strides, n, 1);
  check('dilations', dilations, n, 1);
  const ap = ctx.attrString('auto_pad', 'NOTSET');
  if (!(AUTO_PADS as readonly string[]).includes(ap)) {
    throw ctx.error(`'auto_pad' is '${ap}'; expected one of ${AUTO_PADS.join(', ')}`, 'E_ATTR');
  }
  const autoPad = ap as AutoPad;
  if (autoPad === 'NOTSET') check('pads', pads, 2 * n, 0);
  else pads = resolvePads(autoPad, undefined, inSp, { kernel, strides, dilations });
  return { strides, dilations, pads, autoPad };
}

/** The data input of a conv/pool: rank >= 3 (N, C, spatial...). */
function spatialInput(ctx: ImportContext, what: string): Value {
  const x = ctx.requireInput(0, what);
  const r = x.type.shape.length;
  if (r < 3) throw ctx.error(`${what} must have rank >= 3 (N, C, spatial...), got shape ${list(x.type.shape)}`, 'E_SHAPE');
  return x;
}

function flag(ctx: ImportContext, name: string): number {
  const v = ctx.attrInt(name, 0);
  if (v !== 0 && v !== 1) throw ctx.error(`'${name}' must be 0 or 1, got ${v}`, 'E_ATTR');
  return v;
}

/** Whether ONNX output i is present and named (optional outputs may be listed as ''). */
function outputUsed(ctx: ImportContext, i: number): boolean {
  if (i >= ctx.numOutputs) return false;
  const name = (ctx as Partial<{ outputName(i: number): string }>).outputName;
  return name ? name.call(ctx, i) !== '' : true;
}

// ---- Conv (1, 11, 22: same attributes) --------------------------------------------------------------

function importConv(ctx: ImportContext): void {
  ctx.rejectAttrsExcept(['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides']);
  const x = spatialInput(ctx, 'X');
  const w = ctx.requireInput(1, 'W');
  const b = ctx.input(2);
  if (w.type.shape.length !== x.type.shape.length) {
    throw ctx.error(`W shape ${list(w.type.shape)} must have the rank of X shape ${list(x.type.shape)}`, 'E_SHAPE');
  }
  const kernel = w.type.shape.slice(2);
  if (ctx.hasAttr('kernel_shape')) {
    const ks = ctx.attrInts('kernel_shape');
    if (ks.length !== kernel.length || ks.some((k, i) => k !== kernel[i])) {
      throw ctx.error(`'kernel_shape' ${list(ks)} does not match W shape ${list(w.type.shape)}`, 'E_SHAPE');
    }
  }
  const group = ctx.attrInt('group', 1);
  if (group < 1) throw ctx.error(`'group' must be >= 1, got ${group}`, 'E_ATTR');
  const wa = windowAttrs(ctx, x, kernel, true);
  ctx.emit('conv', b ? [x, w, b] : [x, w], { group, strides: wa.strides, dilations: wa.dilations, pads: wa.pads });
}
for (const v of [1, 11, 22]) importer('', 'Conv', v, importConv);

// ---- MatMul (1, 9, 13: types only) ------------------------------------------------------------------

function importMatMul(ctx: ImportContext): void {
  ctx.rejectAttrsExcept([]);
  ctx.emit('matmul', [ctx.requireInput(0, 'A'), ctx.requireInput(1, 'B')]);
}
for (const v of [1, 9, 13]) importer('', 'MatMul', v, importMatMul);

// ---- Gemm -------------------------------------------------------------------------------------------
// 1 and 6 have `broadcast` (0: C must already be M x N); 7 on always broadcast C unidirectionally;
// C is formally optional from 11 on, accepted absent at every opset (it then contributes nothing).

function importGemm(ctx: ImportContext): void {
  const old = ctx.opset < 7;
  ctx.rejectAttrsExcept(['alpha', 'beta', 'transA', 'transB', ...(old ? ['broadcast'] : [])]);
  const a = ctx.requireInput(0, 'A');
  const b = ctx.requireInput(1, 'B');
  const c = ctx.input(2);
  const transA = flag(ctx, 'transA');
  const transB = flag(ctx, 'transB');
  if (old && c && flag(ctx, 'broadcast') === 0 && a.type.shape.length === 2 && b.type.shape.length === 2) {
    const m = a.type.shape[transA ? 1 : 0]!;
    const n = b.type.shape[transB ? 0 : 1]!;
    const cs = c.type.shape;
    if (cs.length !== 2 || cs[0] !== m || cs[1] !== n) {
      throw ctx.error(`C shape ${list(cs)} must be [${m}, ${n}] when 'broadcast' is 0`, 'E_SHAPE');
    }
  }
  ctx.emit('gemm', c ? [a, b, c] : [a, b], { transA, transB, alpha: ctx.attrFloat('alpha', 1), beta: ctx.attrFloat('beta', 1) });
}
for (const v of [1, 6, 7, 9, 11, 13]) importer('', 'Gemm', v, importGemm);

// ---- MaxPool ----------------------------------------------------------------------------------------
// 1: auto_pad, kernel_shape, pads, strides. 8: + storage_order and the Indices output. 10: + ceil_mode,
// dilations. 11: pads semantics clarified. 12: int8/uint8. 22: bfloat16.

function importMaxPool(ctx: ImportContext): void {
  const v = ctx.opset;
  ctx.rejectAttrsExcept(['auto_pad', 'kernel_shape', 'pads', 'strides', ...(v >= 8 ? ['storage_order'] : []), ...(v >= 10 ? ['ceil_mode', 'dilations'] : [])]);
  const x = spatialInput(ctx, 'X');
  if (outputUsed(ctx, 1)) throw ctx.error(`the Indices output of MaxPool is not supported`, 'E_UNSUPPORTED', 'use only the first output (Y)');
  if (v >= 8) flag(ctx, 'storage_order'); // validated; it only affects Indices
  emitPool(ctx, 'max_pool', x, v >= 10, v >= 10, false);
}
for (const v of [1, 8, 10, 11, 12, 22]) importer('', 'MaxPool', v, importMaxPool);

// ---- AveragePool ------------------------------------------------------------------------------------
// 1: auto_pad, kernel_shape, pads, strides. 7: + count_include_pad. 10: + ceil_mode. 11: pads semantics
// clarified. 19: + dilations. 22: bfloat16.

function importAveragePool(ctx: ImportContext): void {
  const v = ctx.opset;
  ctx.rejectAttrsExcept(['auto_pad', 'kernel_shape', 'pads', 'strides', ...(v >= 7 ? ['count_include_pad'] : []), ...(v >= 10 ? ['ceil_mode'] : []), ...(v >= 19 ? ['dilations'] : [])]);
  emitPool(ctx, 'average_pool', spatialInput(ctx, 'X'), v >= 10, v >= 19, v >= 7);
}
for (const v of [1, 7, 10, 11, 19, 22]) importer('', 'AveragePool', v, importAveragePool);

function emitPool(ctx: ImportContext, kind: string, x: Value, hasCeil: boolean, hasDilations: boolean, hasCountIncludePad: boolean): void {
  const kernel = ctx.attrInts('kernel_shape');
  const wa = windowAttrs(ctx, x, kernel, hasDilations);
  // With auto_pad VALID, ONNX's output size is ceil((in - eff + 1) / s) = floor((in - eff) / s) + 1 in
  // ceil mode too: no window ever leaves the input, so ceil_mode has no effect there.
  const ceilAttr = hasCeil ? flag(ctx, 'ceil_mode') : 0;
  const ceil = wa.autoPad === 'VALID' ? 0 : ceilAttr;
  const attrs: Record<string, number | number[]> = { kernel_shape: kernel, strides: wa.strides, dilations: wa.dilations, pads: wa.pads, ceil_mode: ceil };
  if (hasCountIncludePad) attrs.count_include_pad = flag(ctx, 'count_include_pad');
  ctx.emit(kind, [x], attrs);
}

// ---- GlobalAveragePool, GlobalMaxPool (1, 22) ---------------------------------------------------------

for (const [opType, kind] of [['GlobalAveragePool', 'global_average_pool'], ['GlobalMaxPool', 'global_max_pool']] as const) {
  for (const v of [1, 22]) {
    importer('', opType, v, (ctx) => {
      ctx.rejectAttrsExcept([]);
      ctx.emit(kind, [spatialInput(ctx, 'X')]);
    });
  }
}
