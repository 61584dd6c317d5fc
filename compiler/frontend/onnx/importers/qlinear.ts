/**
 * ONNX importers of the integer conv/matmul family: QLinearConv (10), ConvInteger (10), QLinearMatMul
 * (10, 21: f16 scales), MatMulInteger (10). auto_pad is resolved to explicit pads here (static shapes), and
 * kernel_shape/strides/dilations/group are always stored, so the internal ops see one form.
 */
import type { Value } from '../../../ir/graph.ts';
import { resolvePads, type AutoPad } from '../../../ops/conv-geometry.ts';
import { importer, type ImportContext } from '../importer.ts';

const AUTO_PADS: readonly string[] = ['NOTSET', 'SAME_UPPER', 'SAME_LOWER', 'VALID'];
const CONV_ATTRS = ['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides'];
const list = (v: readonly number[]) => `[${v.join(', ')}]`;

function convAttrs(ctx: ImportContext, x: Value, w: Value): Record<string, number | number[]> {
  const xs = x.type.shape;
  const ws = w.type.shape;
  if (xs.length < 3) throw ctx.error(`x must have rank >= 3 (N, C, spatial...), got shape ${list(xs)}`, 'E_SHAPE');
  if (ws.length !== xs.length) throw ctx.error(`w shape ${list(ws)} must have the rank of x shape ${list(xs)}`, 'E_SHAPE');
  const n = xs.length - 2;
  const kernel = ws.slice(2);
  if (ctx.hasAttr('kernel_shape')) {
    const ks = ctx.attrInts('kernel_shape');
    if (ks.length !== n || ks.some((k, i) => k !== kernel[i])) throw ctx.error(`'kernel_shape' ${list(ks)} does not match w shape ${list(ws)}`, 'E_SHAPE');
  }
  const ones = new Array<number>(n).fill(1);
  const strides = ctx.attrInts('strides', ones);
  const dilations = ctx.attrInts('dilations', ones);
  const group = ctx.attrInt('group', 1);
  const check = (name: string, v: readonly number[], len: number, min: number) => {
    if (v.length !== len) throw ctx.error(`'${name}' ${list(v)} has ${v.length} values; ${len} expected for ${n} spatial axes`, 'E_ATTR');
    if (v.some((e) => e < min)) throw ctx.error(`'${name}' ${list(v)}: every value must be >= ${min}`, 'E_ATTR');
  };
  check('strides', strides, n, 1);
  check('dilations', dilations, n, 1);
  if (group < 1) throw ctx.error(`'group' must be >= 1, got ${group}`, 'E_ATTR');
  const ap = ctx.attrString('auto_pad', 'NOTSET');
  if (!AUTO_PADS.includes(ap)) throw ctx.error(`'auto_pad' is '${ap}'; expected one of ${AUTO_PADS.join(', ')}`, 'E_ATTR');
  let pads = ctx.attrInts('pads', new Array<number>(2 * n).fill(0));
  if (ap === 'NOTSET') check('pads', pads, 2 * n, 0);
  else pads = resolvePads(ap as AutoPad, undefined, xs.slice(2), { kernel, strides, dilations });
  return { kernel_shape: kernel, strides, dilations, pads, group };
}

importer('', 'QLinearConv', 10, (ctx) => {
  ctx.rejectAttrsExcept(CONV_ATTRS);
  const ins = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => ctx.requireInput(i, ['x', 'x_scale', 'x_zero_point', 'w', 'w_scale', 'w_zero_point', 'y_scale', 'y_zero_point'][i]));
  const b = ctx.input(8);
  ctx.emit('qlinear_conv', b ? [...ins, b] : ins, { ...convAttrs(ctx, ins[0]!, ins[3]!), requant: 'fp32' });
});

importer('', 'ConvInteger', 10, (ctx) => {
  ctx.rejectAttrsExcept(CONV_ATTRS);
  const x = ctx.requireInput(0, 'x');
  const w = ctx.requireInput(1, 'w');
  ctx.emit('conv_integer', [x, w, ctx.input(2), ctx.input(3)], convAttrs(ctx, x, w));
});

function importQLinearMatMul(ctx: ImportContext): void {
  ctx.rejectAttrsExcept([]);
  const names = ['a', 'a_scale', 'a_zero_point', 'b', 'b_scale', 'b_zero_point', 'y_scale', 'y_zero_point'];
  ctx.emit('qlinear_matmul', names.map((n, i) => ctx.requireInput(i, n)), { requant: 'fp32' });
}
importer('', 'QLinearMatMul', 10, importQLinearMatMul);
importer('', 'QLinearMatMul', 21, importQLinearMatMul);

importer('', 'MatMulInteger', 10, (ctx) => {
  ctx.rejectAttrsExcept([]);
  ctx.emit('matmul_integer', [ctx.requireInput(0, 'A'), ctx.requireInput(1, 'B'), ctx.input(2), ctx.input(3)]);
});
