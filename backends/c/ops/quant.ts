/**
 * C emitters of the quant family (runtime-c/qcc_quant.h). Scales and zero points are compile-time
 * constants, read with the same helpers the interpreter uses and expanded to one entry per channel.
 */
import type { Node } from '../../../compiler/ir/graph.ts';
import { inConst, inType } from '../../../compiler/ops/op-def.ts';
import { qdqLayout } from '../../../compiler/ops/quant.ts';
import { axisLayout, expand, intValues, scaleValues } from '../../../compiler/ops/qparams.ts';
import type { CEmitContext, CEmitter } from '../emitter.ts';
import { header } from './emit-util.ts';

const RUNTIME = ['qcc_math.h', 'qcc_requant.h', 'qcc_quant.h'];

function qdqCall(fn: string, node: Node, ctx: CEmitContext, scaleWhat: string, zpWhat: string): string {
  const { axis, perAxis } = qdqLayout(node);
  const L = axisLayout(inType(node, 0).shape, axis, perAxis);
  const scales = expand(scaleValues(inConst(node, 1, scaleWhat)), L.channels);
  const zpT = node.inputs[2] ? inConst(node, 2, zpWhat) : null;
  const zps = expand(intValues(zpT, 1), L.channels);
  const s = ctx.constArray(`${node.op}_scale`, 'f32', scales);
  const z = ctx.constArray(`${node.op}_zp`, 'i32', zps);
  const [x] = node.inputs;
  return `${header(node, ctx)}\n${fn}(${ctx.ref(x!)}, ${ctx.ref(node.outputs[0]!)}, ${L.outer}, ${L.channels}, ${L.inner}, ${s}, ${z});`;
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
