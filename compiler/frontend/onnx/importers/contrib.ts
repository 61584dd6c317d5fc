/**
 * ONNX importers of ONNX Runtime's com.microsoft quantized contrib ops (opset 1 of that domain):
 * QLinearAdd, QLinearMul, QLinearSigmoid, QLinearLeakyRelu, QLinearAveragePool, QLinearGlobalAveragePool,
 * QLinearConcat, QLinearSoftmax, QLinearReduceMean, QGemm. Spec: ONNX Runtime's ContribOperators.md;
 * semantics: onnxruntime-web's CPU kernels (see compiler/ops/contrib-*.ts).
 * auto_pad is resolved into explicit pads here (static shapes), as for the float pools.
 */
import { resolvePads, type AutoPad } from '../../../ops/conv-geometry.ts';
import { importer, type ImportContext } from '../importer.ts';

const MS = 'com.microsoft';
const AUTO_PADS: readonly string[] = ['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'];
const list = (v: readonly number[]) => `[${v.join(', ')}]`;

function flag(ctx: ImportContext, name: string, dflt = 0): number {
  const v = ctx.attrInt(name, dflt);
  if (v !== 0 && v !== 1) throw ctx.error(`'${name}' must be 0 or 1, got ${v}`, 'E_ATTR');
  return v;
}

for (const [op, kind] of [['QLinearAdd', 'qlinear_add'], ['QLinearMul', 'qlinear_mul']] as const) {
  importer(MS, op, 1, (ctx) => {
    ctx.rejectAttrsExcept([]);
    const names = ['A', 'A_scale', 'A_zero_point', 'B', 'B_scale', 'B_zero_point', 'C_scale', 'C_zero_point'];
    const optional = [2, 5, 7];
    ctx.emit(kind, names.map((n, i) => (optional.includes(i) ? ctx.input(i) : ctx.requireInput(i, n))));
  });
}

function lutInputs(ctx: ImportContext) {
  return [ctx.requireInput(0, 'X'), ctx.requireInput(1, 'X_scale'), ctx.input(2), ctx.requireInput(3, 'Y_scale'), ctx.input(4)];
}

importer(MS, 'QLinearSigmoid', 1, (ctx) => {
  ctx.rejectAttrsExcept([]);
  ctx.emit('qlinear_sigmoid', lutInputs(ctx));
});

importer(MS, 'QLinearLeakyRelu', 1, (ctx) => {
  ctx.rejectAttrsExcept(['alpha']);
  ctx.emit('qlinear_leaky_relu', lutInputs(ctx), { alpha: ctx.attrFloat('alpha', 0.01) });
});

importer(MS, 'QLinearGlobalAveragePool', 1, (ctx) => {
  ctx.rejectAttrsExcept(['channels_last']);
  const x = ctx.requireInput(0, 'X');
  if (x.type.shape.length < 3) throw ctx.error(`X must have rank >= 3, got shape ${list(x.type.shape)}`, 'E_SHAPE');
  const ins = [x, ctx.requireInput(1, 'x_scale'), ctx.requireInput(2, 'x_zero_point'), ctx.requireInput(3, 'y_scale'), ctx.requireInput(4, 'y_zero_point')];
  ctx.emit('qlinear_global_average_pool', ins, { channels_last: flag(ctx, 'channels_last') });
});

importer(MS, 'QLinearAveragePool', 1, (ctx) => {
  ctx.rejectAttrsExcept(['auto_pad', 'ceil_mode', 'channels_last', 'count_include_pad', 'kernel_shape', 'pads', 'strides']);
  const x = ctx.requireInput(0, 'X');
  const xs = x.type.shape;
  if (xs.length < 3) throw ctx.error(`X must have rank >= 3, got shape ${list(xs)}`, 'E_SHAPE');
  const channelsLast = flag(ctx, 'channels_last');
  const inSp = channelsLast ? xs.slice(1, -1) : xs.slice(2);
  const n = inSp.length;
  const kernel = ctx.attrInts('kernel_shape');
  const strides = ctx.attrInts('strides', new Array<number>(n).fill(1));
  if (kernel.length !== n || strides.length !== n) {
    throw ctx.error(`'kernel_shape' ${list(kernel)} and 'strides' ${list(strides)} must have ${n} values (spatial axes of X)`, 'E_ATTR');
  }
  const ap = ctx.attrString('auto_pad', 'NOTSET');
  if (!AUTO_PADS.includes(ap)) throw ctx.error(`'auto_pad' is '${ap}'; expected one of ${AUTO_PADS.join(', ')}`, 'E_ATTR');
  let pads = ctx.attrInts('pads', new Array<number>(2 * n).fill(0));
  if (ap === 'NOTSET') {
    if (pads.length !== 2 * n) throw ctx.error(`'pads' ${list(pads)} must have ${2 * n} values`, 'E_ATTR');
  } else {
    pads = resolvePads(ap as AutoPad, undefined, inSp, { kernel, strides, dilations: new Array<number>(n).fill(1) });
  }
  const ins = [x, ctx.requireInput(1, 'x_scale'), ctx.input(2), ctx.requireInput(3, 'y_scale'), ctx.input(4)];
  ctx.emit('qlinear_average_pool', ins, {
    kernel_shape: kernel, strides, pads,
    ceil_mode: ap === 'VALID' ? 0 : flag(ctx, 'ceil_mode'),
    count_include_pad: flag(ctx, 'count_include_pad'),
    channels_last: channelsLast,
  });
});

importer(MS, 'QLinearConcat', 1, (ctx) => {
  ctx.rejectAttrsExcept(['axis']);
  const k = ctx.numInputs - 2;
  if (k < 3 || k % 3 !== 0) throw ctx.error(`expects Y_scale, Y_zero_point and (tensor, scale, zero point) triples; got ${ctx.numInputs} inputs`, 'E_MODEL');
  const ins = Array.from({ length: ctx.numInputs }, (_, i) => ctx.requireInput(i, i === 0 ? 'Y_scale' : i === 1 ? 'Y_zero_point' : `input ${i}`));
  ctx.emit('qlinear_concat', ins, { axis: ctx.attrInt('axis') });
});

importer(MS, 'QLinearSoftmax', 1, (ctx) => {
  ctx.rejectAttrsExcept(['axis', 'opset']);
  const opset = ctx.attrInt('opset');
  const x = ctx.requireInput(0, 'X');
  // ORT: the axis defaults to 1 before opset 13 and to -1 from 13 on.
  const axis = ctx.attrInt('axis', opset < 13 ? 1 : -1);
  const ins = [x, ctx.requireInput(1, 'X_scale'), ctx.input(2), ctx.requireInput(3, 'y_scale'), ctx.input(4)];
  ctx.emit('qlinear_softmax', ins, { axis, opset });
});

importer(MS, 'QLinearReduceMean', 1, (ctx) => {
  ctx.rejectAttrsExcept(['axes', 'keepdims']);
  const ins = [ctx.requireInput(0, 'data'), ctx.requireInput(1, 'data_scale'), ctx.input(2), ctx.requireInput(3, 'reduced_scale'), ctx.input(4)];
  ctx.emit('qlinear_reduce_mean', ins, { axes: ctx.attrInts('axes'), keepdims: flag(ctx, 'keepdims', 1) });
});

importer(MS, 'QGemm', 1, (ctx) => {
  ctx.rejectAttrsExcept(['alpha', 'transA', 'transB']);
  const names = ['A', 'a_scale', 'a_zero_point', 'B', 'b_scale', 'b_zero_point'];
  const ins = names.map((n, i) => (i === 5 ? ctx.input(i) : ctx.requireInput(i, n)));
  const ys = ctx.input(7);
  const yz = ctx.input(8);
  if (!!ys !== !!yz) throw ctx.error('y_scale and y_zero_point must be given together (quantized output) or both left out (float output)', 'E_MODEL');
  ctx.emit('qgemm', [...ins, ctx.input(6), ys, yz], {
    alpha: ctx.attrFloat('alpha', 1), transA: flag(ctx, 'transA'), transB: flag(ctx, 'transB'),
  });
});
