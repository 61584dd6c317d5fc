/**
 * C emitters of the mixed-precision float ops (compiler/ops/float-extra.ts; kernels in
 * runtime-c/qcc_float_extra.h). Batch-norm coefficients are computed here, at compile time, with the
 * interpreter's own function; reductions use the reduce geometry of the elementwise family.
 */
import type { Node } from '../../../compiler/ir/graph.ts';
import { shapeSize } from '../../../compiler/ir/tensor.ts';
import { attrFloat, attrInts, inConst } from '../../../compiler/ops/op-def.ts';
import { reduceGeometry } from '../../../compiler/ops/elementwise-reduce.ts';
import { BCAST_MAX_RANK, collapseBroadcast } from '../../../compiler/ops/elementwise-util.ts';
import { bnCoefficients } from '../../../compiler/ops/float-extra.ts';
import type { CEmitter } from '../emitter.ts';
import { bcastInit, header, reduceInit, u } from './emit-util.ts';

const RUNTIME = ['qcc_math.h', 'qcc_elementwise.h', 'qcc_float_extra.h'];

function rankCheck(node: Node, r: number): void {
  if (r > BCAST_MAX_RANK) throw new Error(`internal: ${node.op} '${node.name}' of rank ${r} after collapsing (max ${BCAST_MAX_RANK})`);
}

const batchNorm: CEmitter = {
  kind: 'batch_normalization',
  runtime: () => RUNTIME,
  emit(node, ctx) {
    const x = node.inputs[0]!;
    const y = node.outputs[0]!;
    const f = (i: number, w: string) => inConst(node, i, w).data as Float32Array;
    const { a, b } = bnCoefficients(f(1, 'scale'), f(2, 'B'), f(3, 'input_mean'), f(4, 'input_var'), attrFloat(node, 'epsilon'));
    const s = x.type.shape;
    const c = s[1]!;
    const inner = shapeSize(s.slice(2));
    const outer = s[0]!;
    if (shapeSize(s) === 0) return `${header(node, ctx)} /* empty output */`;
    return `${header(node, ctx)}\nqcc_batch_norm_f32(${ctx.ref(x)}, ${ctx.ref(y)}, ${u(outer)}, ${u(c)}, ${u(inner)}, ` +
      `${ctx.constArray('bn_a', 'f32', a)}, ${ctx.constArray('bn_b', 'f32', b)});`;
  },
};

function reduceEmitter(kind: string): CEmitter {
  return {
    kind,
    runtime: () => RUNTIME,
    emit(node, ctx) {
      const x = node.inputs[0]!;
      const y = node.outputs[0]!;
      if (shapeSize(y.type.shape) === 0) return `${header(node, ctx)} /* empty output */`;
      const g = reduceGeometry(x.type.shape, attrInts(node, 'axes'));
      rankCheck(node, Math.max(g.outShape.length, g.redShape.length));
      const count = shapeSize(x.type.shape) === 0 ? 0 : g.redShape.reduce((p, d) => p * d, 1);
      const p = ctx.constDecl(`${node.op}_geom`, 'qcc_reduce', reduceInit(g, count));
      return `${header(node, ctx)}\nqcc_${node.op}_${x.type.dtype}(${ctx.ref(x)}, ${ctx.ref(y)}, &${p});`;
    },
  };
}

const pow: CEmitter = {
  kind: 'pow',
  runtime: () => RUNTIME,
  emit(node, ctx) {
    const [a, b] = [node.inputs[0]!, node.inputs[1]!];
    const y = node.outputs[0]!;
    const n = shapeSize(y.type.shape);
    if (n === 0) return `${header(node, ctx)} /* empty output */`;
    const g = collapseBroadcast([a.type.shape, b.type.shape], y.type.shape);
    const args = `${ctx.ref(a)}, ${ctx.ref(b)}, ${ctx.ref(y)}`;
    if (g.shape.length === 1) {
      const sa = g.strides[0]![0]!;
      const sb = g.strides[1]![0]!;
      if (n === 1 || (sa === 1 && sb === 1)) return `${header(node, ctx)}\nqcc_pow_f32(${args}, ${u(n)});`;
      if (sa === 0 && sb === 1) return `${header(node, ctx)}\nqcc_pow_f32_sa(${args}, ${u(n)});`;
      if (sa === 1 && sb === 0) return `${header(node, ctx)}\nqcc_pow_f32_sb(${args}, ${u(n)});`;
    }
    rankCheck(node, g.shape.length);
    const p = ctx.constDecl('pow_bcast', 'qcc_bcast', bcastInit(g));
    return `${header(node, ctx)}\nqcc_pow_f32_bcast(${args}, &${p});`;
  },
};

const round: CEmitter = {
  kind: 'round',
  runtime: () => RUNTIME,
  emit(node, ctx) {
    const n = shapeSize(node.outputs[0]!.type.shape);
    return `${header(node, ctx)}\nqcc_round_f32(${ctx.ref(node.inputs[0]!)}, ${ctx.ref(node.outputs[0]!)}, ${u(n)});`;
  },
};

export const emitters: CEmitter[] = [batchNorm, reduceEmitter('reduce_mean'), reduceEmitter('reduce_min'), pow, round];
