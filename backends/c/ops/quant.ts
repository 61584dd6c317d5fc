/**
 * C emitters of the quant family (runtime-c/qcc_quant.h). Constant scales and zero points are read with
 * the same helpers the interpreter uses and baked, expanded to one entry per channel. A per-tensor scale
 * and/or zero point computed at run time (DynamicQuantizeLinear expanded into ReduceMin/Max, Div, Round,
 * Cast) is loaded from its buffer into a local and passed to the same kernel, so both paths compute the
 * same float32 steps; per-axis ones must be constant (OpDef.constInputs says so to the compile check).
 */
import { QccError } from '../../../compiler/errors.ts';
import type { Node } from '../../../compiler/ir/graph.ts';
import { inConst, inType } from '../../../compiler/ops/op-def.ts';
import { qdqLayout } from '../../../compiler/ops/quant.ts';
import { axisLayout, expand, intValues, scaleValues } from '../../../compiler/ops/qparams.ts';
import type { CEmitContext, CEmitter } from '../emitter.ts';
import { header } from './emit-util.ts';

const RUNTIME = ['qcc_math.h', 'qcc_requant.h', 'qcc_quant.h'];

/** Are the scale and the zero point (when present) of a (de)quantize node compile-time constants? */
export function qdqParamsConst(node: Node): boolean {
  return node.inputs.slice(1, 3).every((v) => !v || v.const !== undefined);
}

function qdqCall(fn: string, node: Node, ctx: CEmitContext, scaleWhat: string, zpWhat: string): string {
  const { axis, perAxis } = qdqLayout(node);
  const L = axisLayout(inType(node, 0).shape, axis, perAxis);
  const [x, scaleV, zpV] = node.inputs;
  const call = (s: string, z: string) =>
    `${fn}(${ctx.ref(x!)}, ${ctx.ref(node.outputs[0]!)}, ${L.outer}, ${L.channels}, ${L.inner}, ${s}, ${z});`;
  if (!qdqParamsConst(node)) {
    if (perAxis) {
      const what = scaleV!.const ? zpWhat : scaleWhat;
      const v = scaleV!.const ? zpV! : scaleV!;
      throw new QccError('E_NOT_CONSTANT', `per-axis ${what} ('${v.name}') must be a compile-time constant for code generation`, {
        node: { name: node.name, op: node.op },
        hint: 'only a per-tensor (one-element) scale and zero point may be computed at run time',
      });
    }
    // One value each, loaded at run time where not constant (f16 scales widen exactly, as scaleValues does).
    const sExpr = scaleV!.const
      ? ctx.floatLit(scaleValues(scaleV!.const)[0]!)
      : scaleV!.type.dtype === 'f16' ? `qcc_f16_to_f32(${ctx.ref(scaleV!)}[0])` : `${ctx.ref(scaleV!)}[0]`;
    const zExpr = !zpV ? '0' : zpV.const ? ctx.intLit(intValues(zpV.const, 1)[0]!, 'i32') : `(int32_t)${ctx.ref(zpV)}[0]`;
    return `${header(node, ctx)}\n{\n  const float qs = ${sExpr};\n  const int32_t qz = ${zExpr};\n  ${call('&qs', '&qz')}\n}`;
  }
  const scales = expand(scaleValues(inConst(node, 1, scaleWhat)), L.channels);
  const zpT = node.inputs[2] ? inConst(node, 2, zpWhat) : null;
  const zps = expand(intValues(zpT, 1), L.channels);
  const s = ctx.constArray(`${node.op}_scale`, 'f32', scales);
  const z = ctx.constArray(`${node.op}_zp`, 'i32', zps);
  return `${header(node, ctx)}\n${call(s, z)}`;
}

const quantizeLinear: CEmitter = {
  kind: 'quantize_linear',
  runtime: () => RUNTIME,
  emit(node, ctx) {
    const fn = `qcc_quantize_linear_${inType(node, 0).dtype}_${node.outputs[0]!.type.dtype}`;
    return qdqCall(fn, node, ctx, 'y_scale', 'y_zero_point');
  },
};

const dequantizeLinear: CEmitter = {
  kind: 'dequantize_linear',
  runtime: () => RUNTIME,
  emit(node, ctx) {
    const fn = `qcc_dequantize_linear_${inType(node, 0).dtype}_${node.outputs[0]!.type.dtype}`;
    return qdqCall(fn, node, ctx, 'x_scale', 'x_zero_point');
  },
};

const dynamicQuantizeLinear: CEmitter = {
  kind: 'dynamic_quantize_linear',
  runtime: () => RUNTIME,
  emit(node, ctx) {
    const x = node.inputs[0]!;
    const [y, s, z] = node.outputs.map((o) => ctx.ref(o));
    const n = x.type.shape.reduce((a, d) => a * d, 1);
    return `${header(node, ctx)}\nqcc_dynamic_quantize_linear_f32(${ctx.ref(x)}, ${n}u, ${y}, ${s}, ${z});`;
  },
};

export const emitters: CEmitter[] = [quantizeLinear, dequantizeLinear, dynamicQuantizeLinear];
