/**
 * ONNX importers of the mixed-precision float ops (compiler/ops/float-extra.ts): BatchNormalization
 * (inference form), ReduceMean, ReduceMin, Pow, Round.
 *
 * Opset differences resolved here:
 * - BatchNormalization: `spatial` (before 9) must be 1, `training_mode` (14+) must be 0, and only output Y
 *   may be used (the running-statistics outputs exist only in training); `is_test`/`momentum` are ignored.
 * - ReduceMean/ReduceMin: `axes` is an attribute before opset 18 and a constant input from 18 on
 *   (`noop_with_empty_axes`); negative axes are normalised and sorted.
 * - Pow before opset 7 broadcast only with `broadcast=1`; both operands must be float32 here.
 */
import type { Value } from '../../../ir/graph.ts';
import { importer, type ImportContext } from '../importer.ts';
import { importReduce } from './elementwise.ts';

function importBatchNorm(ctx: ImportContext): void {
  ctx.rejectAttrsExcept(['epsilon', 'momentum', 'spatial', 'is_test', 'consumed_inputs', 'training_mode']);
  if (ctx.opset < 9 && ctx.attrInt('spatial', 1) !== 1) throw ctx.error('spatial=0 (per-activation statistics) is not supported', 'E_UNSUPPORTED');
  if (ctx.attrInt('training_mode', 0) !== 0) throw ctx.error('training_mode=1 is not supported (inference only)', 'E_UNSUPPORTED');
  // Some exporters list the outputs by name ('' when absent): any listed extra output is refused.
  const name = (ctx as Partial<{ outputName(i: number): string }>).outputName;
  for (let i = 1; i < ctx.numOutputs; i++) {
    if (!name || name.call(ctx, i) !== '') throw ctx.error(`output ${i} (training statistics) is not supported`, 'E_UNSUPPORTED', 'use only output Y');
  }
  const ins: Value[] = ['X', 'scale', 'B', 'input_mean', 'input_var'].map((n, i) => ctx.requireInput(i, n));
  ctx.emit('batch_normalization', ins, { epsilon: ctx.attrFloat('epsilon', 1e-5) });
}
for (const v of [1, 6, 7, 9, 14, 15]) importer('', 'BatchNormalization', v, importBatchNorm);

for (const [op, kind] of [['ReduceMean', 'reduce_mean'], ['ReduceMin', 'reduce_min']] as const) {
  importer('', op, 1, (ctx) => importReduce(ctx, kind, false));
  importer('', op, 18, (ctx) => importReduce(ctx, kind, true));
}

importer('', 'Pow', 1, (ctx) => {
  ctx.rejectAttrsExcept(['broadcast', 'axis']);
  const a = ctx.requireInput(0, 'X');
  let b = ctx.requireInput(1, 'Y');
  if (ctx.attrInt('broadcast', 0) !== 0 && ctx.hasAttr('axis')) {
    const axis = ctx.attrInt('axis') < 0 ? ctx.attrInt('axis') + a.type.shape.length : ctx.attrInt('axis');
    const trailing = a.type.shape.length - axis - b.type.shape.length;
    if (trailing < 0) throw ctx.error(`axis ${ctx.attrInt('axis')} does not fit Y into X`, 'E_ATTR');
    if (trailing > 0) b = ctx.emitTemp('reshape', [b], { shape: [...b.type.shape, ...new Array<number>(trailing).fill(1)] })[0]!;
  }
  ctx.emit('pow', [a, b]);
});
importer('', 'Pow', 7, (ctx) => {
  ctx.rejectAttrsExcept([]);
  ctx.emit('pow', [ctx.requireInput(0, 'X'), ctx.requireInput(1, 'Y')]);
});

importer('', 'Round', 11, (ctx) => {
  ctx.rejectAttrsExcept([]);
  ctx.emit('round', [ctx.requireInput(0, 'X')]);
});
