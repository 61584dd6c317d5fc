/**
 * C emitters of the integer conv/matmul family (runtime-c/qcc_qconv.h, qcc_qmatmul.h). Geometry, offset
 * tables and the per-channel requant scales are computed here with the functions the interpreter uses
 * (compiler/ops/qgeometry.ts, qlinear.ts, numerics/requant.ts) and baked in as static const data.
 */
import { QccError } from '../../../compiler/errors.ts';
import type { Node, Value } from '../../../compiler/ir/graph.ts';
import { shapeSize } from '../../../compiler/ir/tensor.ts';
import { inConst, inType } from '../../../compiler/ops/op-def.ts';
import type { QConvGeometry } from '../../../compiler/ops/qgeometry.ts';
import { qvecValues } from '../../../compiler/ops/qgeometry.ts';
import {
  convIntegerGeometry, matmulIntegerPlan, qlinearConvGeometry, qlinearConvScales, qlinearMatMulPlan, qlinearMatMulScales, requantScheme,
} from '../../../compiler/ops/qlinear.ts';
import { quantizeMultipliers } from '../../../compiler/numerics/requant-fixed.ts';
import { expand, intValues } from '../../../compiler/ops/qparams.ts';
import { qclampC } from '../../../compiler/ops/qclamp.ts';
import type { CEmitContext, CEmitter } from '../emitter.ts';
import { checkSize, header } from './emit-util.ts';

const CONV = ['qcc_requant.h', 'qcc_qconv.h'];
const MATMUL = ['qcc_requant.h', 'qcc_qmatmul.h'];
const FIXED = ['qcc_requant.h', 'qcc_qlinear_fixed.h'];

/**
 * The requantization arguments of a qlinear kernel call for the node's scheme: `scale` (fp32) or
 * `mult, shift` (fixed, multipliers computed here from the same float32 scales), and the name suffix.
 */
export function requantArgs(node: Node, ctx: CEmitContext, hint: string, scales: Float32Array): { args: string; fixed: boolean } {
  if (requantScheme(node) === 'fixed') {
    const { mult, shift } = quantizeMultipliers(scales);
    return { args: `${ctx.constArray(`${hint}_mult`, 'i32', mult)}, ${ctx.constArray(`${hint}_shift`, 'i32', shift)}`, fixed: true };
  }
  return { args: ctx.constArray(`${hint}_scale`, 'f32', scales), fixed: false };
}

/**
 * A per-tensor activation zero point as a C int32 expression: a literal when constant, else a read of the
 * run-time tensor (DynamicQuantizeLinear -> ConvInteger/MatMulInteger computes it at run time).
 */
function scalarZp(v: Value | null | undefined, ctx: CEmitContext): string {
  if (!v) return '0';
  if (v.const) return String(intValues(v.const)[0]!);
  return `(int32_t)${ctx.ref(v)}[0]`;
}

const t3 = (a: readonly number[]) => `{${a.join(', ')}}`;

/** The static const qcc_qconv_params of a conv geometry (also the Cortex-M SMLAD conv's); returns its name. */
export function convParams(g: QConvGeometry, ctx: CEmitContext): string {
  return ctx.constDecl('qconv_params', 'qcc_qconv_params',
    `{${g.n}, ${g.c}, ${g.m}, ${g.group}, ${g.cPerGroup}, ${g.mPerGroup}, ${[g.inSp, g.outSp, g.kernel, g.strides, g.dilations, g.padsBegin].map(t3).join(', ')}}`);
}

/**
 * The constant operands of a qlinear_conv node as the kernels take them: requant scales per output
 * channel, x and y zero points, w zero points expanded to M entries (the bias, when present, must be constant).
 */
export function qlinearConvOperands(node: Node, g: QConvGeometry): { scales: Float32Array; xzp: number; wzp: number[]; yzp: number } {
  const scales = qlinearConvScales(g.m, inConst(node, 1, 'x_scale'), inConst(node, 4, 'w_scale'), inConst(node, 6, 'y_scale'));
  const xzp = intValues(inConst(node, 2, 'x_zero_point'))[0]!;
  const wzp = expand(intValues(inConst(node, 5, 'w_zero_point')), g.m);
  const yzp = intValues(inConst(node, 7, 'y_zero_point'))[0]!;
  if (node.inputs[8]) inConst(node, 8, 'bias');
  return { scales, xzp, wzp, yzp };
}

const outPlane = (g: QConvGeometry) => g.outSp[0] * g.outSp[1] * g.outSp[2];
const sfx = (...d: string[]) => d.join('');

const qlinearConv: CEmitter = {
  kind: 'qlinear_conv',
  runtime: (node) => (requantScheme(node) === 'fixed' ? FIXED : CONV),
  scratchBytes: (node) => 4 * outPlane(qlinearConvGeometry(node)),
  emit(node, ctx) {
    checkSize(node);
    const g = qlinearConvGeometry(node);
    const [x, , , w, , , , yzpV, b] = node.inputs;
    const { scales, xzp, wzp, yzp } = qlinearConvOperands(node, g);
    const p = convParams(g, ctx);
    const rq = requantArgs(node, ctx, 'qconv', scales);
    const s = rq.args;
    const z = ctx.constArray('qconv_wzp', 'i32', wzp);
    const fn = `qcc_qlinear_conv_${rq.fixed ? 'fixed_' : ''}${sfx(x!.type.dtype, w!.type.dtype, yzpV!.type.dtype)}`;
    return `${header(node, ctx)}\n${fn}(&${p}, ${ctx.ref(x!)}, ${xzp}, ${ctx.ref(w!)}, ${z}, ${b ? ctx.ref(b) : 'NULL'}, ${s}, ${yzp}, ` +
      `${ctx.ref(node.outputs[0]!)}, (uint32_t *)${ctx.scratch()});` + qclampC(node, ctx.ref(node.outputs[0]!));
  },
};

const convInteger: CEmitter = {
  kind: 'conv_integer',
  runtime: () => CONV,
  emit(node, ctx) {
    checkSize(node);
    const g = convIntegerGeometry(node);
    const [x, w, xzpV, wzpV] = node.inputs;
    const xzp = scalarZp(xzpV, ctx);
    const wzp = expand(intValues(wzpV ? inConst(node, 3, 'w_zero_point') : null), g.m);
    const p = convParams(g, ctx);
    const z = ctx.constArray('qconv_wzp', 'i32', wzp);
    const fn = `qcc_conv_integer_${sfx(x!.type.dtype, w!.type.dtype)}`;
    return `${header(node, ctx)}\n${fn}(&${p}, ${ctx.ref(x!)}, ${xzp}, ${ctx.ref(w!)}, ${z}, ${ctx.ref(node.outputs[0]!)});`;
  },
};

const qlinearMatMul: CEmitter = {
  kind: 'qlinear_matmul',
  runtime: (node) => (requantScheme(node) === 'fixed' ? FIXED : MATMUL),
  scratchBytes: (node) => 4 * qlinearMatMulPlan(node).g.n,
  emit(node, ctx) {
    checkSize(node);
    const plan = qlinearMatMulPlan(node);
    const { g, bq } = plan;
    const [a, , , b, , , , yzpV] = node.inputs;
    const scales = qlinearMatMulScales(plan, inConst(node, 1, 'a_scale'), inConst(node, 4, 'b_scale'), inConst(node, 6, 'y_scale'));
    const azp = intValues(inConst(node, 2, 'a_zero_point'))[0]!;
    const bzp = qvecValues(bq, intValues(inConst(node, 5, 'b_zero_point')));
    const yzp = intValues(inConst(node, 7, 'y_zero_point'))[0]!;
    const p = ctx.constDecl('qmatmul_params', 'qcc_qmatmul_params', `{${g.batch}, ${g.m}, ${g.k}, ${g.n}}`);
    const aOff = ctx.constArray('qmatmul_a_off', 'i32', g.aOff);
    const bOff = ctx.constArray('qmatmul_b_off', 'i32', g.bOff);
    const qOff = ctx.constArray('qmatmul_bq_off', 'i32', bq.off);
    const rq = requantArgs(node, ctx, 'qmatmul', scales);
    const s = rq.args;
    const z = ctx.constArray('qmatmul_bzp', 'i32', bzp);
    const fn = `qcc_qlinear_matmul_${rq.fixed ? 'fixed_' : ''}${sfx(a!.type.dtype, b!.type.dtype, yzpV!.type.dtype)}`;
    return `${header(node, ctx)}\n${fn}(&${p}, ${aOff}, ${bOff}, ${qOff}, ${ctx.ref(a!)}, ${azp}, ${ctx.ref(b!)}, ${z}, ${s}, ${yzp}, ` +
      `${ctx.ref(node.outputs[0]!)}, (uint32_t *)${ctx.scratch()});` + qclampC(node, ctx.ref(node.outputs[0]!));
  },
};

const matmulInteger: CEmitter = {
  kind: 'matmul_integer',
  runtime: () => MATMUL,
  emit(node, ctx) {
    checkSize(node);
    const { g, az, bz } = matmulIntegerPlan(node);
    const [a, b, azV, bzV] = node.inputs;
    if (az.perVec && azV && !azV.const) {
      throw new QccError('E_NOT_CONSTANT', `a per-row a_zero_point ('${azV.name}') must be a compile-time constant for code generation`, {
        node: { name: node.name, op: node.op },
        hint: 'a per-tensor (scalar) zero point may be computed at run time',
      });
    }
    const za = az.perVec ? ctx.constArray('qmatmul_azp', 'i32', qvecValues(az, intValues(inConst(node, 2, 'a_zero_point')))) : 'NULL';
    const za0 = az.perVec ? '0' : scalarZp(azV, ctx);
    const bzp = qvecValues(bz, intValues(bzV ? inConst(node, 3, 'b_zero_point') : null));
    const p = ctx.constDecl('qmatmul_params', 'qcc_qmatmul_params', `{${g.batch}, ${g.m}, ${g.k}, ${g.n}}`);
    const aOff = ctx.constArray('qmatmul_a_off', 'i32', g.aOff);
    const bOff = ctx.constArray('qmatmul_b_off', 'i32', g.bOff);
    const azOff = ctx.constArray('qmatmul_az_off', 'i32', az.off);
    const bzOff = ctx.constArray('qmatmul_bz_off', 'i32', bz.off);
    const zb = ctx.constArray('qmatmul_bzp', 'i32', bzp);
    const fn = `qcc_matmul_integer_${sfx(a!.type.dtype, b!.type.dtype)}`;
    return `${header(node, ctx)}\n${fn}(&${p}, ${aOff}, ${bOff}, ${azOff}, ${bzOff}, ${ctx.ref(a!)}, ${za}, ${za0}, ${ctx.ref(b!)}, ${zb}, ` +
      `${ctx.ref(node.outputs[0]!)});`;
  },
};

export const emitters: CEmitter[] = [qlinearConv, convInteger, qlinearMatMul, matmulInteger];
