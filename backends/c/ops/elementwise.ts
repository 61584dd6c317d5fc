/**
 * C emitters of the elementwise family (kernels in runtime-c/qcc_elementwise.h, math in qcc_math.h).
 * Binary ops pick the cheapest kernel the broadcast allows: a plain loop when both operands walk with
 * the output, a scalar variant when one operand is a single element, else the general kernel with the
 * collapsed geometry (compiler/ops/elementwise-util.ts) in a static const qcc_bcast.
 */
import { DTYPES, type DType } from '../../../compiler/ir/dtype.ts';
import type { Node, Value } from '../../../compiler/ir/graph.ts';
import { shapeSize } from '../../../compiler/ir/tensor.ts';
import { attrFloat, attrInt, attrInts, attrString } from '../../../compiler/ops/op-def.ts';
import { reduceGeometry } from '../../../compiler/ops/elementwise-reduce.ts';
import { BCAST_MAX_RANK, collapseBroadcast, type BroadcastGeometry } from '../../../compiler/ops/elementwise-util.ts';
import { BINARY_FNS, COMPARE_FNS } from '../../../compiler/ops/elementwise-binary.ts';
import { UNARY_FNS } from '../../../compiler/ops/activations.ts';
import { softmaxGeometry } from '../../../compiler/ops/softmax.ts';
import type { CEmitContext, CEmitter } from '../emitter.ts';
import { bcastInit, header, reduceInit, u } from './emit-util.ts';

const RUNTIME = ['qcc_elementwise.h'];

const size = (v: Value): number => shapeSize(v.type.shape);


function bcastParams(node: Node, ctx: CEmitContext, g: BroadcastGeometry): string {
  if (g.shape.length > BCAST_MAX_RANK) {
    throw new Error(`internal: ${node.op} '${node.name}' broadcast of rank ${g.shape.length} after collapsing (max ${BCAST_MAX_RANK})`);
  }
  return ctx.constDecl(`${node.op}_bcast`, 'qcc_bcast', bcastInit(g));
}

/** A binary op with numpy broadcasting: kernel family `fn` (qcc_<op>_<dtype>). */
function emitBinary(node: Node, ctx: CEmitContext, fn: string): string {
  const [a, b] = node.inputs as [Value, Value];
  const y = node.outputs[0]!;
  const n = size(y);
  if (n === 0) return `${header(node, ctx)} /* empty output */`;
  const g = collapseBroadcast([a.type.shape, b.type.shape], y.type.shape);
  const args = `${ctx.ref(a)}, ${ctx.ref(b)}, ${ctx.ref(y)}`;
  if (g.shape.length === 1) {
    const sa = g.strides[0]![0]!;
    const sb = g.strides[1]![0]!;
    if (n === 1 || (sa === 1 && sb === 1)) return `${header(node, ctx)}\n${fn}(${args}, ${u(n)});`;
    if (sa === 0 && sb === 1) return `${header(node, ctx)}\n${fn}_sa(${args}, ${u(n)});`;
    if (sa === 1 && sb === 0) return `${header(node, ctx)}\n${fn}_sb(${args}, ${u(n)});`;
  }
  return `${header(node, ctx)}\n${fn}_bcast(${args}, &${bcastParams(node, ctx, g)});`;
}

const binaryEmitters: CEmitter[] = [...Object.keys(BINARY_FNS), ...Object.keys(COMPARE_FNS)].map((kind) => ({
  kind,
  runtime: () => RUNTIME,
  emit: (node, ctx) => emitBinary(node, ctx, `qcc_${kind}_${node.inputs[0]!.type.dtype}`),
}));

const where: CEmitter = {
  kind: 'where',
  runtime: () => RUNTIME,
  emit(node, ctx) {
    const [c, a, b] = node.inputs as [Value, Value, Value];
    const y = node.outputs[0]!;
    const n = size(y);
    if (n === 0) return `${header(node, ctx)} /* empty output */`;
    const sfx = y.type.dtype;
    const args = `${ctx.ref(c)}, ${ctx.ref(a)}, ${ctx.ref(b)}, ${ctx.ref(y)}`;
    const g = collapseBroadcast([c.type.shape, a.type.shape, b.type.shape], y.type.shape);
    if (g.shape.length === 1 && (n === 1 || g.strides.every((s) => s[0] === 1))) {
      return `${header(node, ctx)}\nqcc_where_${sfx}(${args}, ${u(n)});`;
    }
    return `${header(node, ctx)}\nqcc_where_${sfx}_bcast(${args}, &${bcastParams(node, ctx, g)});`;
  },
};

/** Unary kernels qcc_<op>_<dtype>(x, y, n[, extra]). */
function emitUnary(node: Node, ctx: CEmitContext, extra = ''): string {
  const x = node.inputs[0]!;
  const y = node.outputs[0]!;
  const n = size(y);
  if (n === 0) return `${header(node, ctx)} /* empty output */`;
  return `${header(node, ctx)}\nqcc_${node.op}_${x.type.dtype}(${ctx.ref(x)}, ${ctx.ref(y)}, ${u(n)}${extra});`;
}

const unaryEmitters: CEmitter[] = Object.keys(UNARY_FNS)
  .filter((k) => k !== 'leaky_relu')
  .map((kind) => ({ kind, runtime: () => RUNTIME, emit: (node, ctx) => emitUnary(node, ctx) }));

const leakyRelu: CEmitter = {
  kind: 'leaky_relu',
  runtime: () => RUNTIME,
  // alpha is float32-exact; as a double argument (f64 kernel) it converts exactly.
  emit: (node, ctx) => emitUnary(node, ctx, `, ${ctx.floatLit(attrFloat(node, 'alpha'))}`),
};

/** The C expression of one clip bound: attribute literal, runtime scalar input, or the no-op extreme. */
function clipBound(node: Node, ctx: CEmitContext, name: 'min' | 'max', input: number): string {
  const dtype = node.outputs[0]!.type.dtype;
  const info = DTYPES[dtype];
  const a = node.attrs[name];
  if (typeof a === 'number') return info.isFloat ? ctx.floatLit(a) : ctx.intLit(a, dtype);
  const v = node.inputs[input];
  if (v) return `${ctx.ref(v)}[0]`;
  if (info.isFloat) return ctx.floatLit(name === 'min' ? -Infinity : Infinity);
  const bits = BigInt(info.bytes * 8);
  const lo = info.isSigned ? -(1n << (bits - 1n)) : 0n;
  const hi = info.isSigned ? (1n << (bits - 1n)) - 1n : (1n << bits) - 1n;
  return ctx.intLit(name === 'min' ? lo : hi, dtype as DType);
}

const clip: CEmitter = {
  kind: 'clip',
  runtime: () => RUNTIME,
  emit: (node, ctx) => emitUnary(node, ctx, `, ${clipBound(node, ctx, 'min', 1)}, ${clipBound(node, ctx, 'max', 2)}`),
};

const softmax: CEmitter = {
  kind: 'softmax',
  runtime: () => RUNTIME,
  emit(node, ctx) {
    const x = node.inputs[0]!;
    const y = node.outputs[0]!;
    if (size(y) === 0) return `${header(node, ctx)} /* empty output */`;
    const g = softmaxGeometry(x.type.shape, attrInt(node, 'axis'), node.attrs['coerce2d'] === true);
    return `${header(node, ctx)}\nqcc_softmax_f32(${ctx.ref(x)}, ${ctx.ref(y)}, ${u(g.outer)}, ${u(g.n)}, ${u(g.inner)});`;
  },
};

const cast: CEmitter = {
  kind: 'cast',
  runtime: () => RUNTIME,
  emit(node, ctx) {
    const x = node.inputs[0]!;
    const y = node.outputs[0]!;
    const n = size(y);
    if (n === 0) return `${header(node, ctx)} /* empty output */`;
    const from = x.type.dtype;
    const to = attrString(node, 'to');
    if (from === to) return `${header(node, ctx)}\nmemcpy(${ctx.ref(y)}, ${ctx.ref(x)}, ${u(n * DTYPES[from].bytes)});`;
    return `${header(node, ctx)}\nqcc_cast_${from}_${to}(${ctx.ref(x)}, ${ctx.ref(y)}, ${u(n)});`;
  },
};

function reduceEmitter(kind: string): CEmitter {
  return {
    kind,
    runtime: () => RUNTIME,
    emit(node, ctx) {
      const x = node.inputs[0]!;
      const y = node.outputs[0]!;
      if (size(y) === 0) return `${header(node, ctx)} /* empty output */`;
      const g = reduceGeometry(x.type.shape, attrInts(node, 'axes'));
      if (g.outShape.length > BCAST_MAX_RANK || g.redShape.length > BCAST_MAX_RANK) {
        throw new Error(`internal: ${node.op} '${node.name}' of rank > ${BCAST_MAX_RANK} after collapsing`);
      }
      const count = g.redShape.reduce((a, b) => a * b, 1);
      const p = ctx.constDecl(`${node.op}_geom`, 'qcc_reduce', reduceInit(g, count));
      return `${header(node, ctx)}\nqcc_${node.op}_${x.type.dtype}(${ctx.ref(x)}, ${ctx.ref(y)}, &${p});`;
    },
  };
}

export const emitters: CEmitter[] = [reduceEmitter('reduce_sum'), reduceEmitter('reduce_max'), ...binaryEmitters, where, ...unaryEmitters, leakyRelu, clip, softmax, cast];
