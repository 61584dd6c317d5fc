/**
 * C emitters of the shape / data-movement family. The kernels (runtime-c/qcc_shape.h) are generic over
 * the element size; the emitters compute the index geometry at compile time with the same helpers the
 * interpreter uses (compiler/ops/shape-layout.ts) and pass it as a static const params struct.
 */
import { DTYPES } from '../../../compiler/ir/dtype.ts';
import type { Node, Value } from '../../../compiler/ir/graph.ts';
import { shapeSize, stridesOf, Tensor } from '../../../compiler/ir/tensor.ts';
import { attrInt, attrInts, attrString } from '../../../compiler/ops/op-def.ts';
import { padGeometry } from '../../../compiler/ops/shape.ts';
import {
  MAX_RANK, expandView, simplifyView, sliceView, transposeView, PAD_MODES,
  type PadMode, type StridedView,
} from '../../../compiler/ops/shape-layout.ts';
import type { CEmitContext, CEmitter } from '../emitter.ts';

const RUNTIME = ['qcc_shape.h'];

const esize = (v: Value): number => DTYPES[v.type.dtype].bytes;
const bytesOf = (v: Value): number => shapeSize(v.type.shape) * esize(v);
const u = (n: number): string => `${n}u`;
/** C initializer of a fixed-length array field (padded with zeros to MAX_RANK). */
const arr = (xs: readonly number[], unsigned: boolean): string => {
  const all = [...xs, ...new Array<number>(MAX_RANK - xs.length).fill(0)];
  return `{${all.map((x) => (unsigned ? u(x) : String(x))).join(', ')}}`;
};

/** The backend already labels each node; only an empty output gets a note (nothing to copy). */
const EMPTY = '/* empty output: nothing to copy */';

function viewCopy(node: Node, ctx: CEmitContext, view: StridedView): string {
  const out = node.outputs[0]!;
  const x = node.inputs[0]!;
  if (shapeSize(out.type.shape) === 0) return EMPTY;
  let v = simplifyView(view);
  if (v.shape.length === 0) v = { shape: [1], strides: [1], offset: v.offset };
  if (v.shape.length > MAX_RANK) throw new Error(`internal: ${node.op} view of rank ${v.shape.length}`);
  // A contiguous view is a plain block copy (e.g. a transpose that only moves size-1 axes).
  if (v.shape.length === 1 && v.strides[0] === 1) {
    const at = v.offset === 0 ? ctx.ref(x) : `(const uint8_t *)${ctx.ref(x)} + ${u(v.offset * esize(x))}`;
    return `qcc_reshape(${ctx.ref(out)}, ${at}, ${u(bytesOf(out))});`;
  }
  const p = ctx.constDecl(
    `${node.op}_view`,
    'qcc_view',
    `{${v.shape.length}, ${arr(v.shape, true)}, ${arr(v.strides, false)}, ${v.offset}}`,
  );
  return `qcc_view_copy(${ctx.ref(out)}, ${ctx.ref(x)}, ${u(esize(x))}, &${p});`;
}

const reshape: CEmitter = {
  kind: 'reshape',
  runtime: () => RUNTIME,
  // Kept trivial on purpose: memory planning will turn it into an in-place view.
  emit: (node, ctx) =>
    `qcc_reshape(${ctx.ref(node.outputs[0]!)}, ${ctx.ref(node.inputs[0]!)}, ${u(bytesOf(node.outputs[0]!))});`,
};

const transpose: CEmitter = {
  kind: 'transpose',
  runtime: () => RUNTIME,
  emit: (node, ctx) => viewCopy(node, ctx, transposeView(node.inputs[0]!.type.shape, attrInts(node, 'perm'))),
};

const slice: CEmitter = {
  kind: 'slice',
  runtime: () => RUNTIME,
  emit: (node, ctx) =>
    viewCopy(node, ctx, sliceView(node.inputs[0]!.type.shape, attrInts(node, 'starts'), attrInts(node, 'steps'), node.outputs[0]!.type.shape)),
};

const expand: CEmitter = {
  kind: 'expand',
  runtime: () => RUNTIME,
  emit: (node, ctx) => viewCopy(node, ctx, expandView(node.inputs[0]!.type.shape, node.outputs[0]!.type.shape)),
};

/** [outer, inner] of a shape around an axis (inner excludes the axis). */
function around(shape: readonly number[], axis: number): [number, number] {
  return [shapeSize(shape.slice(0, axis)), shapeSize(shape.slice(axis + 1))];
}

const concat: CEmitter = {
  kind: 'concat',
  runtime: () => RUNTIME,
  emit(node, ctx) {
    const out = node.outputs[0]!;
    const s = out.type.shape;
    const axis = attrInt(node, 'axis') < 0 ? attrInt(node, 'axis') + s.length : attrInt(node, 'axis');
    const [outer, inner] = around(s, axis);
    const e = esize(out);
    const pitch = s[axis]! * inner * e;
    const lines: string[] = [];
    let off = 0;
    for (const x of node.inputs) {
      const row = x!.type.shape[axis]! * inner * e;
      if (row > 0 && outer > 0) {
        lines.push(`qcc_copy_rows((uint8_t *)${ctx.ref(out)} + ${u(off)}, ${u(pitch)}, ${ctx.ref(x!)}, ${u(row)}, ${u(outer)}, ${u(row)});`);
      }
      off += row;
    }
    return lines.length ? lines.join('\n') : EMPTY;
  },
};

const split: CEmitter = {
  kind: 'split',
  runtime: () => RUNTIME,
  emit(node, ctx) {
    const x = node.inputs[0]!;
    const s = x.type.shape;
    const axis = attrInt(node, 'axis') < 0 ? attrInt(node, 'axis') + s.length : attrInt(node, 'axis');
    const [outer, inner] = around(s, axis);
    const e = esize(x);
    const pitch = s[axis]! * inner * e;
    const lines: string[] = [];
    let off = 0;
    node.outputs.forEach((o) => {
      const row = o.type.shape[axis]! * inner * e;
      if (row > 0 && outer > 0) {
        lines.push(`qcc_copy_rows(${ctx.ref(o)}, ${u(row)}, (const uint8_t *)${ctx.ref(x)} + ${u(off)}, ${u(pitch)}, ${u(outer)}, ${u(row)});`);
      }
      off += row;
    });
    return lines.length ? lines.join('\n') : EMPTY;
  },
};

const pad: CEmitter = {
  kind: 'pad',
  runtime: () => RUNTIME,
  emit(node, ctx) {
    const x = node.inputs[0]!;
    const out = node.outputs[0]!;
    if (shapeSize(out.type.shape) === 0) return EMPTY;
    let geo = padGeometry(node, x.type.shape);
    let strides = stridesOf(x.type.shape);
    if (geo.length === 0) {
      geo = [{ outDim: 1, lo: 0, hi: 1, shift: 0 }];
      strides = [1];
    }
    const mode = PAD_MODES.indexOf(attrString(node, 'mode', 'constant') as PadMode);
    const p = ctx.constDecl(
      'pad_params',
      'qcc_pad_params',
      `{${geo.length}, ${mode}, ${arr(geo.map((g) => g.outDim), true)}, ${arr(strides, true)}, ` +
        `${arr(geo.map((g) => g.lo), false)}, ${arr(geo.map((g) => g.hi), false)}, ${arr(geo.map((g) => g.shift), false)}}`,
    );
    const value = ctx.constArray('pad_value', x.type.dtype, node.attrs['value'] as Tensor);
    return `qcc_pad(${ctx.ref(out)}, ${ctx.ref(x)}, ${u(esize(x))}, &${p}, ${value});`;
  },
};

const gather: CEmitter = {
  kind: 'gather',
  runtime: () => RUNTIME,
  emit(node, ctx) {
    const x = node.inputs[0]!;
    const idx = node.inputs[1]!;
    const out = node.outputs[0]!;
    if (shapeSize(out.type.shape) === 0) return EMPTY;
    const s = x.type.shape;
    const axis = attrInt(node, 'axis', 0) < 0 ? attrInt(node, 'axis', 0) + s.length : attrInt(node, 'axis', 0);
    const [outer, inner] = around(s, axis);
    const fn = idx.type.dtype === 'i64' ? 'qcc_gather_i64' : 'qcc_gather_i32';
    return `${fn}(${ctx.ref(out)}, ${ctx.ref(x)}, ${u(esize(x))}, ${u(outer)}, ${u(s[axis]!)}, ${u(inner)}, ${ctx.ref(idx)}, ${u(shapeSize(idx.type.shape))});`;
  },
};

export const emitters: CEmitter[] = [reshape, transpose, slice, expand, concat, split, pad, gather];
