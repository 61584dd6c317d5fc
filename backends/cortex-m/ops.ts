/**
 * Cortex-M4 (DSP extension) emitters: qlinear_conv and qlinear_matmul on runtime-c/cortex-m/qcc_qlinear_smlad.h
 * (dual 16-bit MAC SMLAD). Weights are constant, so they are packed here, at compile time, as int16 pairs
 * with their zero points subtracted (exact: the values lie in [-255, 255]). Either requantization scheme
 * (the node's `requant`). Cases the kernels do not cover (a batched B) use the generic emitter.
 */
import type { Node } from '../../compiler/ir/graph.ts';
import { quantizeMultipliers } from '../../compiler/numerics/requant-fixed.ts';
import { inConst } from '../../compiler/ops/op-def.ts';
import { qvecValues } from '../../compiler/ops/qgeometry.ts';
import { qlinearConvGeometry, qlinearMatMulPlan, qlinearMatMulScales, requantScheme } from '../../compiler/ops/qlinear.ts';
import { intValues } from '../../compiler/ops/qparams.ts';
import type { CEmitContext, CEmitter } from '../c/emitter.ts';
import { convParams, qlinearConvOperands } from '../c/ops/qlinear.ts';

const RUNTIME = ['qcc_requant.h', 'cortex-m/qcc_qlinear_smlad.h'];

/** Packs rows of `k` zero-point-free values into ceil(k/2) words of two int16 (low first; odd k ends in 0). */
export function packPairs(rows: number, k: number, value: (row: number, q: number) => number): Uint32Array {
  const kp = Math.ceil(k / 2);
  const out = new Uint32Array(rows * kp);
  for (let r = 0; r < rows; r++) {
    for (let q = 0; q < kp; q++) {
      const lo = value(r, 2 * q);
      const hi = 2 * q + 1 < k ? value(r, 2 * q + 1) : 0;
      out[r * kp + q] = ((lo & 0xffff) | ((hi & 0xffff) << 16)) >>> 0;
    }
  }
  return out;
}

/** `mult, shift, scale` kernel arguments for the node's scheme (NULL for the unused ones). */
function requantArgs(node: Node, ctx: CEmitContext, hint: string, scales: Float32Array): string {
  if (requantScheme(node) === 'fixed') {
    const { mult, shift } = quantizeMultipliers(scales);
    return `${ctx.constArray(`${hint}_mult`, 'i32', mult)}, ${ctx.constArray(`${hint}_shift`, 'i32', shift)}, NULL`;
  }
  return `NULL, NULL, ${ctx.constArray(`${hint}_scale`, 'f32', scales)}`;
}

function convKp(node: Node): number {
  const g = qlinearConvGeometry(node);
  return Math.ceil((g.cPerGroup * g.kernel[0] * g.kernel[1] * g.kernel[2]) / 2);
}

export function smladEmitters(generic: ReadonlyMap<string, CEmitter>): CEmitter[] {
  const gMatMul = generic.get('qlinear_matmul')!;
  // A batched B (b_off not all 0) keeps the generic kernel.
  const matmulOk = (node: Node): boolean => {
    const { g, bq } = qlinearMatMulPlan(node);
    return g.bOff.every((o) => o === 0) && bq.off.every((o) => o === 0);
  };
  const conv: CEmitter = {
    kind: 'qlinear_conv',
    runtime: () => RUNTIME,
    scratchBytes: (node) => 4 * convKp(node),
    emit(node, ctx) {
      const g = qlinearConvGeometry(node);
      const [x, , , w, , , , yzpV, b] = node.inputs;
      const { scales, xzp, wzp, yzp } = qlinearConvOperands(node, g);
      const wd = inConst(node, 3, 'w').data as Uint8Array | Int8Array;
      const k = g.cPerGroup * g.kernel[0] * g.kernel[1] * g.kernel[2];
      const kp = Math.ceil(k / 2);
      const wp = ctx.constArray('qconv_wpacked', 'u32', packPairs(g.m, k, (m, q) => wd[m * k + q]! - wzp[m]!));
      const p = convParams(g, ctx);
      const rq = requantArgs(node, ctx, 'qconv', scales);
      const fn = `qcc_qlinear_conv_smlad_${x!.type.dtype}${yzpV!.type.dtype}`;
      return `/* ${ctx.comment(node.op)} ${ctx.comment(node.name)} (SMLAD) */\n` +
        `${fn}(&${p}, ${ctx.ref(x!)}, ${xzp}, ${wp}, ${kp}, ${b ? ctx.ref(b) : 'NULL'}, ${rq}, ${yzp}, ${ctx.ref(node.outputs[0]!)}, (uint32_t *)${ctx.scratch()});`;
    },
  };
  const matmul: CEmitter = {
    kind: 'qlinear_matmul',
    runtime: (node) => (matmulOk(node) ? RUNTIME : gMatMul.runtime(node)),
    scratchBytes: (node) => (matmulOk(node) ? 4 * Math.ceil(qlinearMatMulPlan(node).g.k / 2) : (gMatMul.scratchBytes?.(node) ?? 0)),
    emit(node, ctx) {
      if (!matmulOk(node)) return gMatMul.emit(node, ctx);
      const plan = qlinearMatMulPlan(node);
      const { g, bq } = plan;
      const [a, , , , , , , yzpV] = node.inputs;
      const scales = qlinearMatMulScales(plan, inConst(node, 1, 'a_scale'), inConst(node, 4, 'b_scale'), inConst(node, 6, 'y_scale'));
      const azp = intValues(inConst(node, 2, 'a_zero_point'))[0]!;
      const bzp = qvecValues(bq, intValues(inConst(node, 5, 'b_zero_point')));
      const yzp = intValues(inConst(node, 7, 'y_zero_point'))[0]!;
      const bd = inConst(node, 3, 'b').data as Uint8Array | Int8Array;
      const kp = Math.ceil(g.k / 2);
      const bt = ctx.constArray('qmatmul_bpacked', 'u32', packPairs(g.n, g.k, (j, q) => bd[q * g.n + j]! - bzp[j]!));
      const p = ctx.constDecl('qmatmul_params', 'qcc_qmatmul_params', `{${g.batch}, ${g.m}, ${g.k}, ${g.n}}`);
      const aOff = ctx.constArray('qmatmul_a_off', 'i32', g.aOff);
      const rq = requantArgs(node, ctx, 'qmatmul', Float32Array.from({ length: g.n }, (_, j) => scales[j]!));
      const fn = `qcc_qlinear_matmul_smlad_${a!.type.dtype}${yzpV!.type.dtype}`;
      return `/* ${ctx.comment(node.op)} ${ctx.comment(node.name)} (SMLAD) */\n` +
        `${fn}(&${p}, ${aOff}, ${ctx.ref(a!)}, ${azp}, ${bt}, ${kp}, ${rq}, ${yzp}, ${ctx.ref(node.outputs[0]!)}, (uint32_t *)${ctx.scratch()});`;
    },
  };
  return [conv, matmul];
}
