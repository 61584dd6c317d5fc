/**
 * ONNX importers of the quant family: QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear.
 * Opset differences normalised here:
 *  - 10: per-tensor only (no axis attribute); 13: axis (default 1); 19: saturate (float8 only, ignored),
 *    f16 inputs/scales; 21: block_size (blocked quantization: unsupported), output_dtype (QuantizeLinear),
 *    16-bit and 4-bit types; 23+: output_dtype on DequantizeLinear, more float types; 25: precision.
 *  - QuantizeLinear's output type: y_zero_point's type, else output_dtype, else uint8.
 * The internal nodes carry `axis` (as given; checked against the input rank only when per-axis) and `dtype`.
 */
import { dtypeFromOnnx, onnxDtypeName, type DType } from '../../../ir/dtype.ts';
import { QUANT_OUT_DTYPES } from '../../../ops/qparams.ts';
import { importer, type ImportContext } from '../importer.ts';

function qdqAttrs(ctx: ImportContext, extra: string[]): string[] {
  const v = ctx.opset;
  const names = [...extra];
  if (v >= 13) names.push('axis');
  if (v >= 19) names.push('saturate');
  if (v >= 21) names.push('block_size');
  if (v >= 25) names.push('precision');
  return names;
}

function checkBlockSize(ctx: ImportContext): void {
  const b = ctx.attrInt('block_size', 0);
  if (b !== 0) throw ctx.error(`blocked quantization (block_size ${b}) is not supported`, 'E_UNSUPPORTED', 'use per-tensor or per-axis scales');
}

/** output_dtype as an internal dtype (undefined when 0 / absent). */
function outputDtype(ctx: ImportContext, allowed: readonly DType[]): DType | undefined {
  const code = ctx.attrInt('output_dtype', 0);
  if (code === 0) return undefined;
  const d = dtypeFromOnnx(code);
  if (!d || !allowed.includes(d)) {
    throw ctx.error(`output_dtype ${onnxDtypeName(code)} is not supported (supported: ${allowed.join(', ')})`, 'E_UNSUPPORTED');
  }
  return d;
}

function importQuantizeLinear(ctx: ImportContext): void {
  ctx.rejectAttrsExcept(qdqAttrs(ctx, ctx.opset >= 21 ? ['output_dtype'] : []));
  checkBlockSize(ctx);
  const precision = ctx.attrInt('precision', 0);
  if (precision !== 0 && precision !== 1) throw ctx.error(`precision ${onnxDtypeName(precision)} is not supported (float32 only)`, 'E_UNSUPPORTED');
  const x = ctx.requireInput(0, 'x');
  const scale = ctx.requireInput(1, 'y_scale');
  const zp = ctx.input(2);
  const od = outputDtype(ctx, QUANT_OUT_DTYPES);
  if (zp && od && zp.type.dtype !== od) {
    throw ctx.error(`output_dtype ${od} differs from y_zero_point's type ${zp.type.dtype}`, 'E_ATTR');
  }
  const dtype = zp?.type.dtype ?? od ?? 'u8';
  ctx.emit('quantize_linear', [x, scale, zp], { axis: ctx.attrInt('axis', 1), dtype });
}

function importDequantizeLinear(ctx: ImportContext): void {
  ctx.rejectAttrsExcept(qdqAttrs(ctx, ctx.opset >= 23 ? ['output_dtype'] : []));
  checkBlockSize(ctx);
  const x = ctx.requireInput(0, 'x');
  const scale = ctx.requireInput(1, 'x_scale');
  const zp = ctx.input(2);
  const dtype = outputDtype(ctx, ['f32', 'f16']) ?? scale.type.dtype;
  ctx.emit('dequantize_linear', [x, scale, zp], { axis: ctx.attrInt('axis', 1), dtype });
}

for (const v of [10, 13, 19, 21, 23, 24, 25]) {
  importer('', 'QuantizeLinear', v, importQuantizeLinear);
  importer('', 'DequantizeLinear', v, importDequantizeLinear);
}

importer('', 'DynamicQuantizeLinear', 11, (ctx) => {
  ctx.rejectAttrsExcept([]);
  ctx.emit('dynamic_quantize_linear', [ctx.requireInput(0, 'x')]);
});
