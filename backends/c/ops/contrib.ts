/**
 * C emitters of ONNX Runtime's com.microsoft quantized ops (runtime-c/qcc_qlinear_binary.h, qcc_lut.h,
 * qcc_qpool.h, qcc_qsoftmax.h, qcc_qgemm.h). Scales, zero points, lookup tables, exp tables and geometry
 * are computed here with the functions the interpreter uses (compiler/ops/contrib-*.ts) and baked in, so
 * the C does the same operations on the same constants.
 */
import { broadcastStrides } from '../../../compiler/ir/broadcast.ts';
import type { Node, Value } from '../../../compiler/ir/graph.ts';
import { shapeSize } from '../../../compiler/ir/tensor.ts';
import { attrInt, inConst } from '../../../compiler/ops/op-def.ts';
import { collapseBroadcast } from '../../../compiler/ops/elementwise-util.ts';
import { qbinaryOutShape } from '../../../compiler/ops/contrib-binary.ts';
import { qconcatGeom, qconcatTables } from '../../../compiler/ops/contrib-concat.ts';
import { lutTable } from '../../../compiler/ops/contrib-lut.ts';
import { globalPoolScale, qavgPoolGeom } from '../../../compiler/ops/contrib-pool.ts';
import { qgemmBZps, qgemmGeom, qgemmScales } from '../../../compiler/ops/contrib-qgemm.ts';
import { qreduceGeom } from '../../../compiler/ops/contrib-reduce.ts';
import { qsoftmaxGeom, qsoftmaxTable, qsoftmaxYScale } from '../../../compiler/ops/contrib-softmax.ts';
import { qRange8, scaleOf, zpOf } from '../../../compiler/ops/contrib-util.ts';
import type { CEmitContext, CEmitter } from '../emitter.ts';
import { header } from './emit-util.ts';

const dt = (v: Value) => v.type.dtype;
const bytes = (ctx: CEmitContext, v: Value) => `(const uint8_t *)${ctx.ref(v)}`;
const optConst = (node: Node, i: number, what: string) => (node.inputs[i] ? inConst(node, i, what) : null);
const pad3 = (a: readonly number[], v: number) => [...new Array<number>(3 - a.length).fill(v), ...a];
const t3 = (a: readonly number[]) => `{${a.join(', ')}}`;

const qlinearBinary: CEmitter[] = (['qlinear_add', 'qlinear_mul'] as const).map((kind) => ({
  kind,
  runtime: () => ['qcc_requant.h', 'qcc_qcontrib.h', 'qcc_qlinear_binary.h'],
  emit(node, ctx) {
    const [a, , , b] = node.inputs as Value[];
    const y = node.outputs[0]!;
    if (shapeSize(y.type.shape) === 0) return `${header(node, ctx)} /* empty output */`;
    const as = scaleOf(inConst(node, 1, 'A_scale'));
    const bs = scaleOf(inConst(node, 4, 'B_scale'));
    const cs = scaleOf(inConst(node, 6, 'C_scale'));
    const az = zpOf(optConst(node, 2, 'A_zero_point'));
    const bz = zpOf(optConst(node, 5, 'B_zero_point'));
    const cz = zpOf(optConst(node, 7, 'C_zero_point'));
    const { qmin, qmax } = qRange8(dt(a!));
    const g = collapseBroadcast([a!.type.shape, b!.type.shape], qbinaryOutShape(node));
    if (g.shape.length > 6) throw new Error(`internal: ${node.op} '${node.name}' broadcast of rank ${g.shape.length} after collapsing (max 6)`);
    const pad6 = (xs: readonly number[]) => `{${[...xs, ...new Array<number>(6 - xs.length).fill(0)].join(', ')}}`;
    const fl = (x: number) => ctx.floatLit(x);
    const p = ctx.constDecl(`${kind}_params`, 'qcc_qbin_params',
      `{${fl(as)}, ${fl(bs)}, ${fl(cs)}, ${fl(qmin - cz)}, ${fl(qmax - cz)}, ${az}, ${bz}, ${cz}, ${g.shape.length}, ` +
      `${pad6(g.shape)}, ${pad6(g.strides[0]!)}, ${pad6(g.strides[1]!)}}`);
    return `${header(node, ctx)}\nqcc_${kind}_${dt(a!)}(&${p}, ${ctx.ref(a!)}, ${ctx.ref(b!)}, ${ctx.ref(y)});`;
  },
}));

const lut: CEmitter[] = ['qlinear_sigmoid', 'qlinear_leaky_relu'].map((kind) => ({
  kind,
  runtime: () => ['qcc_lut.h'],
  emit(node, ctx) {
    const x = node.inputs[0]!;
    const y = node.outputs[0]!;
    const n = shapeSize(y.type.shape);
    if (n === 0) return `${header(node, ctx)} /* empty output */`;
    const table = lutTable(node, inConst(node, 1, 'X_scale'), optConst(node, 2, 'X_zero_point'), inConst(node, 3, 'Y_scale'),
      optConst(node, 4, 'Y_zero_point'));
    const t = ctx.constArray(`${kind}_table`, 'u8', table);
    return `${header(node, ctx)}\nqcc_lut8(${bytes(ctx, x)}, ${t}, (uint8_t *)${ctx.ref(y)}, ${n}u);`;
  },
}));

const concat: CEmitter = {
  kind: 'qlinear_concat',
  runtime: () => ['qcc_lut.h'],
  emit(node, ctx) {
    const g = qconcatGeom(node);
    const y = node.outputs[0]!;
    if (shapeSize(g.outShape) === 0) return `${header(node, ctx)} /* empty output */`;
    const params = node.inputs.map((v, i) => (i < 2 || (i - 2) % 3 !== 0 ? inConst(node, i, `input ${i}`) : null));
    const tables = qconcatTables(node, params);
    const lines = [header(node, ctx)];
    let off = 0;
    tables.forEach((t, i) => {
      const x = node.inputs[2 + 3 * i]!;
      const inner = g.inner[i]!;
      if (inner > 0 && g.outer > 0) {
        const tab = t ? ctx.constArray('qconcat_table', 'u8', t) : 'NULL';
        lines.push(`qcc_qconcat_part(${bytes(ctx, x)}, ${tab}, (uint8_t *)${ctx.ref(y)}, ${g.outer}u, ${inner}u, ${g.outInner}u, ${off}u);`);
      }
      off += inner;
    });
    return lines.join('\n');
  },
};

const globalAvgPool: CEmitter = {
  kind: 'qlinear_global_average_pool',
  runtime: () => ['qcc_requant.h', 'qcc_qcontrib.h', 'qcc_qpool.h'],
  emit(node, ctx) {
    const x = node.inputs[0]!;
    const cl = attrInt(node, 'channels_last', 0) === 1;
    const s = x.type.shape;
    const [n, c] = cl ? [s[0]!, s[s.length - 1]!] : [s[0]!, s[1]!];
    const image = shapeSize(cl ? s.slice(1, -1) : s.slice(2));
    if (n * c === 0) return `${header(node, ctx)} /* empty output */`;
    const scale = globalPoolScale(node, scaleOf(inConst(node, 1, 'x_scale')), scaleOf(inConst(node, 3, 'y_scale')), image);
    const xz = zpOf(inConst(node, 2, 'x_zero_point'));
    const yz = zpOf(inConst(node, 4, 'y_zero_point'));
    return `${header(node, ctx)}\nqcc_qlinear_global_average_pool_${dt(x)}(${ctx.ref(x)}, ${ctx.ref(node.outputs[0]!)}, ${n}, ${c}, ${image}, ` +
      `${cl ? 1 : 0}, ${xz}, ${ctx.floatLit(scale)}, ${yz});`;
  },
};

const avgPool: CEmitter = {
  kind: 'qlinear_average_pool',
  runtime: () => ['qcc_requant.h', 'qcc_qcontrib.h', 'qcc_qpool.h'],
  emit(node, ctx) {
    const x = node.inputs[0]!;
    const y = node.outputs[0]!;
    if (shapeSize(y.type.shape) === 0) return `${header(node, ctx)} /* empty output */`;
    const g = qavgPoolGeom(node);
    const xs = scaleOf(inConst(node, 1, 'x_scale'));
    const ys = scaleOf(inConst(node, 3, 'y_scale'));
    const xz = zpOf(optConst(node, 2, 'x_zero_point'));
    const yz = zpOf(optConst(node, 4, 'y_zero_point'));
    const { l } = g;
    if (g.global) {
      const scale = globalPoolScale(node, xs, ys, shapeSize(g.kernel));
      return `${header(node, ctx)} /* the window covers the input: ONNX Runtime's global kernel */\n` +
        `qcc_qlinear_global_average_pool_${dt(x)}(${ctx.ref(x)}, ${ctx.ref(y)}, ${l.n}, ${l.c}, ${shapeSize(l.spatial)}, ` +
        `${l.channelsLast ? 1 : 0}, ${xz}, ${ctx.floatLit(scale)}, ${yz});`;
    }
    const p = ctx.constDecl('qavgpool_params', 'qcc_qavgpool_params',
      `{${l.n}, ${l.c}, ${l.channelsLast ? 1 : 0}, ${g.countIncludePad ? 1 : 0}, ${t3(pad3(l.spatial, 1))}, ${t3(pad3(g.outSpatial, 1))}, ` +
      `${t3(pad3(g.kernel, 1))}, ${t3(pad3(g.strides, 1))}, ${t3(pad3(g.padsBegin, 0))}, ${ctx.floatLit(xs)}, ${ctx.floatLit(ys)}, ${xz}, ${yz}}`);
    return `${header(node, ctx)}\nqcc_qlinear_average_pool_${dt(x)}(&${p}, ${ctx.ref(x)}, ${ctx.ref(y)});`;
  },
};

const softmax: CEmitter = {
  kind: 'qlinear_softmax',
  runtime: () => ['qcc_requant.h', 'qcc_qcontrib.h', 'qcc_qsoftmax.h'],
  emit(node, ctx) {
    const x = node.inputs[0]!;
    const y = node.outputs[0]!;
    const g = qsoftmaxGeom(node);
    if (shapeSize(y.type.shape) === 0 || g.d === 0) return `${header(node, ctx)} /* empty output */`;
    const table = qsoftmaxTable(scaleOf(inConst(node, 1, 'X_scale')), g.d, dt(x) === 'i8');
    const t = ctx.constArray('qsoftmax_exp', 'f32', table);
    const Y = qsoftmaxYScale(scaleOf(inConst(node, 3, 'y_scale')));
    const yz = zpOf(optConst(node, 4, 'y_zero_point'));
    return `${header(node, ctx)}\nqcc_qlinear_softmax_${dt(x)}(${ctx.ref(x)}, ${ctx.ref(y)}, ${g.outer}, ${g.d}, ${g.inner}, ${t}, ` +
      `${ctx.floatLit(Y)}, ${yz});`;
  },
};

const reduceMean: CEmitter = {
  kind: 'qlinear_reduce_mean',
  runtime: () => ['qcc_requant.h', 'qcc_qcontrib.h', 'qcc_qsoftmax.h'],
  emit(node, ctx) {
    const x = node.inputs[0]!;
    const y = node.outputs[0]!;
    const g = qreduceGeom(node);
    if (g.bases.length === 0) return `${header(node, ctx)} /* empty output */`;
    const b = ctx.constArray('qreduce_base', 'i32', g.bases);
    const o = ctx.constArray('qreduce_off', 'i32', g.offsets);
    const xs = scaleOf(inConst(node, 1, 'data_scale'));
    const ys = scaleOf(inConst(node, 3, 'reduced_scale'));
    const xz = zpOf(optConst(node, 2, 'data_zero_point'));
    const yz = zpOf(optConst(node, 4, 'reduced_zero_point'));
    return `${header(node, ctx)}\nqcc_qlinear_reduce_mean_${dt(x)}(${ctx.ref(x)}, ${ctx.ref(y)}, ${g.bases.length}, ${b}, ${g.offsets.length}, ${o}, ` +
      `${ctx.floatLit(xs)}, ${xz}, ${ctx.floatLit(ys)}, ${yz});`;
  },
};

const qgemm: CEmitter = {
  kind: 'qgemm',
  runtime: () => ['qcc_requant.h', 'qcc_qgemm.h'],
  emit(node, ctx) {
    const [a, , , b, , , c] = node.inputs;
    const y = node.outputs[0]!;
    const g = qgemmGeom(node);
    if (g.m * g.n === 0) return `${header(node, ctx)} /* empty output */`;
    const yzV = node.inputs[8];
    const scales = qgemmScales(node, g, inConst(node, 1, 'a_scale'), inConst(node, 4, 'b_scale'), yzV ? inConst(node, 7, 'y_scale') : null);
    const bz = qgemmBZps(g, optConst(node, 5, 'b_zero_point'));
    const az = zpOf(inConst(node, 2, 'a_zero_point'));
    const yz = yzV ? zpOf(inConst(node, 8, 'y_zero_point')) : 0;
    const [csm, csn] = c ? broadcastStrides(c.type.shape, [g.m, g.n]) : [0, 0];
    const p = ctx.constDecl('qgemm_params', 'qcc_qgemm_params', `{${g.m}, ${g.k}, ${g.n}, ${g.transA ? 1 : 0}, ${g.transB ? 1 : 0}, ${csm}, ${csn}}`);
    const s = ctx.constArray('qgemm_scale', 'f32', scales);
    const z = ctx.constArray('qgemm_bzp', 'i32', bz);
    const fn = `qcc_qgemm_${dt(a!)}${dt(b!)}_${dt(y)}`;
    return `${header(node, ctx)}\n${fn}(&${p}, ${ctx.ref(a!)}, ${az}, ${ctx.ref(b!)}, ${z}, ${c ? ctx.ref(c) : 'NULL'}, ${s}, ${yz}, ${ctx.ref(y)});`;
  },
};

export const emitters: CEmitter[] = [...qlinearBinary, ...lut, concat, globalAvgPool, avgPool, softmax, reduceMean, qgemm];
