// ONNX Constant: becomes a constant value (no node). Attribute forms by opset: value (1), sparse_value (11),
// value_float(s)/value_int(s)/value_string(s) (12). Exactly one must be present.
import { Tensor } from '../../../ir/tensor.ts';
import { importer } from '../importer.ts';

const FORMS = ['value', 'value_float', 'value_floats', 'value_int', 'value_ints', 'value_string', 'value_strings', 'sparse_value'];

importer('', 'Constant', 1, (ctx) => {
  ctx.rejectAttrsExcept(FORMS);
  const present = FORMS.filter((f) => ctx.hasAttr(f));
  if (present.length !== 1) {
    throw ctx.error(
      present.length === 0 ? 'has no value attribute' : `has several value attributes (${present.join(', ')}); exactly one is allowed`,
      'E_ATTR',
    );
  }
  const form = present[0]!;
  let t: Tensor;
  switch (form) {
    case 'value':
      t = ctx.attrTensor('value');
      break;
    case 'value_float':
      t = Tensor.fromNumbers('f32', [], [ctx.attrFloat('value_float')]);
      break;
    case 'value_floats': {
      const v = ctx.attrFloats('value_floats');
      t = Tensor.fromNumbers('f32', [v.length], v);
      break;
    }
    case 'value_int':
      t = Tensor.fromNumbers('i64', [], [ctx.attrInt('value_int')]);
      break;
    case 'value_ints': {
      const v = ctx.attrInts('value_ints');
      t = Tensor.fromNumbers('i64', [v.length], v);
      break;
    }
    default:
      throw ctx.error(`attribute '${form}' is not supported (qcc has no ${form === 'sparse_value' ? 'sparse' : 'string'} tensors)`, 'E_UNSUPPORTED');
  }
  if (ctx.numOutputs < 1) throw ctx.error('has no output', 'E_MODEL');
  ctx.bind(0, ctx.constant(t, ctx.nodeName));
});
