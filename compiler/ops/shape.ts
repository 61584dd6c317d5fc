/**
 * The shape / data-movement family: reshape, transpose, concat, pad, gather, slice, split, expand.
 * All are exact for every dtype (they move elements, never compute on them). Importers resolve ONNX
 * conveniences (0/-1 in shapes, negative axes, axes inputs) so these kinds carry only explicit values.
 */
import { typeToString, type Node, type TensorType } from '../ir/graph.ts';
import { broadcastShapes } from '../ir/broadcast.ts';
import { Tensor, shapeSize, type Shape } from '../ir/tensor.ts';
import { QccError } from '../errors.ts';
import { attrInt, attrInts, attrString, inType, opError } from './op-def.ts';
import { defineOp } from './registry.ts';
import {
  MAX_RANK, PAD_MODES, copyView, expandView, padAxis, padCopy, sliceView, transposeView,
  type PadAxis, type PadMode,
} from './shape-layout.ts';

const shp = (s: Shape): string => `[${s.join(',')}]`;

/** Axis in [-rank, rank) made non-negative, or an error naming the node. */
export function normAxis(node: Node, axis: number, rank: number, what = 'axis'): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
    throw opError(node, `${what} ${axis} is out of range for rank ${rank}`, 'E_ATTR');
  }
  return axis < 0 ? axis + rank : axis;
}

function checkRank(node: Node, shape: Shape, what = 'input'): void {
  if (shape.length > MAX_RANK) {
    throw opError(node, `${what} has rank ${shape.length}; at most ${MAX_RANK} is supported`, 'E_UNSUPPORTED');
  }
}

function checkShapeAttr(node: Node, shape: readonly number[], what: string): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) throw opError(node, `${what} ${shp(shape)} has an invalid dimension ${d}`, 'E_ATTR');
  }
}

// ---- reshape ------------------------------------------------------------------------------------

/**
 * ONNX Reshape's target shape: 0 copies the input dimension (unless allowzero), one -1 is inferred.
 * Returns the explicit shape or a message.
 */
export function resolveReshape(inShape: Shape, target: readonly number[], allowzero: boolean): number[] | string {
  const out = [...target];
  let infer = -1;
  for (let i = 0; i < out.length; i++) {
    const d = out[i]!;
    if (d === -1) {
      if (infer >= 0) return `shape ${shp(target)} has more than one -1`;
      infer = i;
    } else if (d === 0 && !allowzero) {
      if (i >= inShape.length) return `shape ${shp(target)} copies dimension ${i} (0) but the input ${shp(inShape)} has rank ${inShape.length}`;
      out[i] = inShape[i]!;
    } else if (d < 0 || !Number.isInteger(d)) {
      return `shape ${shp(target)} has an invalid dimension ${d}`;
    }
  }
  if (allowzero && infer >= 0 && out.includes(0)) return `shape ${shp(target)} has both 0 and -1 with allowzero=1`;
  const total = shapeSize(inShape);
  if (infer >= 0) {
    let known = 1;
    for (let i = 0; i < out.length; i++) if (i !== infer) known *= out[i]!;
    if (known === 0 || total % known !== 0) {
      return `cannot infer the -1 in shape ${shp(target)} for an input of shape ${shp(inShape)} (${total} elements)`;
    }
    out[infer] = total / known;
  }
  if (shapeSize(out) !== total) {
    return `shape ${shp(target)} (${shapeSize(out)} elements) does not match the input ${shp(inShape)} (${total} elements)`;
  }
  return out;
}

defineOp({
  kind: 'reshape',
  infer(node) {
    const x = inType(node, 0);
    const shape = attrInts(node, 'shape');
    checkShapeAttr(node, shape, 'shape');
    if (shapeSize(shape) !== shapeSize(x.shape)) {
      throw opError(node, `cannot reshape ${typeToString(x)} (${shapeSize(x.shape)} elements) to ${shp(shape)} (${shapeSize(shape)} elements)`);
    }
    checkRank(node, shape, 'output');
    return [{ dtype: x.dtype, shape: [...shape] }];
  },
  interpret(node, [x]) {
    return [new Tensor(x!.dtype, attrInts(node, 'shape'), x!.data.slice())];
  },
});

// ---- transpose ----------------------------------------------------------------------------------

defineOp({
  kind: 'transpose',
  infer(node) {
    const x = inType(node, 0);
    const perm = attrInts(node, 'perm');
    const r = x.shape.length;
    const seen = new Set(perm);
    if (perm.length !== r || seen.size !== r || perm.some((p) => !Number.isInteger(p) || p < 0 || p >= r)) {
      throw opError(node, `perm ${shp(perm)} is not a permutation of the ${r} axes of ${typeToString(x)}`, 'E_ATTR');
    }
    checkRank(node, x.shape);
    return [{ dtype: x.dtype, shape: perm.map((p) => x.shape[p]!) }];
  },
  interpret(node, [x]) {
    const v = transposeView(x!.shape, attrInts(node, 'perm'));
    const out = new Tensor(x!.dtype, v.shape);
    copyView(x!.data, v, out.data);
    return [out];
  },
});

// ---- concat -------------------------------------------------------------------------------------

defineOp({
  kind: 'concat',
  infer(node) {
    if (node.inputs.length === 0) throw opError(node, 'needs at least one input');
    const first = inType(node, 0);
    const r = first.shape.length;
    if (r === 0) throw opError(node, 'cannot concatenate scalars (rank 0)');
    const axis = normAxis(node, attrInt(node, 'axis'), r);
    const shape = [...first.shape];
    shape[axis] = 0;
    for (let i = 0; i < node.inputs.length; i++) {
      const t = inType(node, i);
      const ok = t.dtype === first.dtype && t.shape.length === r && t.shape.every((d, k) => k === axis || d === first.shape[k]);
      if (!ok) {
        throw opError(node, `input ${i} ${typeToString(t)} does not match input 0 ${typeToString(first)} outside axis ${axis}`);
      }
      shape[axis]! += t.shape[axis]!;
    }
    return [{ dtype: first.dtype, shape }];
  },
  interpret(node, inputs) {
    const [t] = this.infer(node);
    const out = new Tensor(t!.dtype, t!.shape);
    const axis = attrInt(node, 'axis') < 0 ? attrInt(node, 'axis') + t!.shape.length : attrInt(node, 'axis');
    const outer = shapeSize(t!.shape.slice(0, axis));
    const inner = shapeSize(t!.shape.slice(axis + 1));
    const dstRow = t!.shape[axis]! * inner;
    let off = 0;
    for (const x of inputs) {
      const row = x!.shape[axis]! * inner;
      const src = x!.data as unknown as { subarray(a: number, b: number): ArrayLike<number | bigint> };
      const dst = out.data as unknown as { set(a: ArrayLike<number | bigint>, at: number): void };
      for (let o = 0; o < outer; o++) dst.set(src.subarray(o * row, o * row + row), o * dstRow + off);
      off += row;
    }
    return [out];
  },
});

// ---- pad ----------------------------------------------------------------------------------------

/** Per-axis geometry of a pad node (validated). */
export function padGeometry(node: Node, inShape: Shape): PadAxis[] {
  const pads = attrInts(node, 'pads');
  const r = inShape.length;
  if (pads.length !== 2 * r) throw opError(node, `pads has ${pads.length} values; rank ${r} needs ${2 * r}`, 'E_ATTR');
  const mode = attrString(node, 'mode', 'constant') as PadMode;
  return inShape.map((d, i) => {
    const g = padAxis(d, pads[i]!, pads[i + r]!);
    if (typeof g === 'string') throw opError(node, `axis ${i} of ${shp(inShape)}: ${g}`);
    if (mode !== 'constant' && g.hi === g.lo && g.outDim > 0) {
      throw opError(node, `${mode} padding of axis ${i} of ${shp(inShape)} needs at least one input element`);
    }
    return g;
  });
}

defineOp({
  kind: 'pad',
  infer(node) {
    const x = inType(node, 0);
    const mode = attrString(node, 'mode', 'constant');
    if (!PAD_MODES.includes(mode as PadMode)) throw opError(node, `unknown mode '${mode}'`, 'E_ATTR');
    const v = node.attrs['value'];
    if (!(v instanceof Tensor) || v.dtype !== x.dtype || v.size !== 1) {
      throw opError(node, `attribute 'value' must be a one-element ${x.dtype} tensor`, 'E_ATTR');
    }
    checkRank(node, x.shape);
    return [{ dtype: x.dtype, shape: padGeometry(node, x.shape).map((g) => g.outDim) }];
  },
  interpret(node, [x]) {
    const geo = padGeometry(node, x!.shape);
    const out = new Tensor(x!.dtype, geo.map((g) => g.outDim));
    padCopy(x!.data, x!.shape, geo, attrString(node, 'mode', 'constant') as PadMode, out.data, (node.attrs['value'] as Tensor).data);
    return [out];
  },
});

// ---- gather -------------------------------------------------------------------------------------

function checkIndices(node: Node, idx: Tensor, dim: number): void {
  for (let i = 0; i < idx.size; i++) {
    const k = idx.num(i);
    if (k < -dim || k >= dim) {
      throw new QccError(idx === node.inputs[1]?.const ? 'E_SHAPE' : 'E_INPUT', `index ${k} is out of range for an axis of size ${dim}`, {
        node: { name: node.name, op: node.op },
      });
    }
  }
}

defineOp({
  kind: 'gather',
  infer(node) {
    const x = inType(node, 0);
    const idx = inType(node, 1);
    if (idx.dtype !== 'i32' && idx.dtype !== 'i64') throw opError(node, `indices must be i32 or i64, not ${idx.dtype}`, 'E_UNSUPPORTED');
    if (x.shape.length === 0) throw opError(node, 'cannot gather from a scalar');
    const axis = normAxis(node, attrInt(node, 'axis', 0), x.shape.length);
    const konst = node.inputs[1]!.const;
    if (konst) checkIndices(node, konst, x.shape[axis]!);
    const shape = [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)];
    checkRank(node, shape, 'output');
    return [{ dtype: x.dtype, shape }];
  },
  interpret(node, [x, idx]) {
    const r = x!.shape.length;
    const axis = normAxis(node, attrInt(node, 'axis', 0), r);
    const dim = x!.shape[axis]!;
    checkIndices(node, idx!, dim);
    const outer = shapeSize(x!.shape.slice(0, axis));
    const inner = shapeSize(x!.shape.slice(axis + 1));
    const out = new Tensor(x!.dtype, [...x!.shape.slice(0, axis), ...idx!.shape, ...x!.shape.slice(axis + 1)]);
    const src = x!.data as unknown as { subarray(a: number, b: number): ArrayLike<number | bigint> };
    const dst = out.data as unknown as { set(a: ArrayLike<number | bigint>, at: number): void };
    const n = idx!.size;
    for (let o = 0; o < outer; o++) {
      for (let j = 0; j < n; j++) {
        let k = idx!.num(j);
        if (k < 0) k += dim;
        const from = (o * dim + k) * inner;
        dst.set(src.subarray(from, from + inner), (o * n + j) * inner);
      }
    }
    return [out];
  },
});

// ---- slice --------------------------------------------------------------------------------------

/** Output length of a slice with a clamped start/end (ONNX/numpy rules). */
export function sliceLen(start: number, end: number, step: number): number {
  return step > 0 ? Math.max(0, Math.ceil((end - start) / step)) : Math.max(0, Math.ceil((start - end) / -step));
}

/**
 * Clamps ONNX Slice start/end for one axis of size dim (negative values count from the end; for
 * negative steps start is clamped to [0, dim-1] and end to [-1, dim-1]).
 */
export function clampSlice(dim: number, start: number, end: number, step: number): [number, number] {
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    s = Math.min(Math.max(s, 0), dim);
    e = Math.min(Math.max(e, 0), dim);
  } else {
    s = Math.min(Math.max(s, 0), dim - 1);
    e = Math.min(Math.max(e, -1), dim - 1);
  }
  return [s, e];
}

function sliceShape(node: Node, x: TensorType): number[] {
  const starts = attrInts(node, 'starts');
  const ends = attrInts(node, 'ends');
  const steps = attrInts(node, 'steps');
  const r = x.shape.length;
  if (starts.length !== r || ends.length !== r || steps.length !== r) {
    throw opError(node, `starts/ends/steps must have one value per axis of ${typeToString(x)}`, 'E_ATTR');
  }
  return x.shape.map((d, i) => {
    const s = starts[i]!;
    const e = ends[i]!;
    const st = steps[i]!;
    const ok = Number.isInteger(st) && st !== 0 &&
      (st > 0 ? s >= 0 && s <= d && e >= 0 && e <= d : d === 0 || (s >= 0 && s < d && e >= -1 && e < d));
    if (!ok) throw opError(node, `axis ${i} of ${typeToString(x)}: slice ${s}:${e}:${st} is not normalised`, 'E_ATTR');
    return d === 0 ? 0 : sliceLen(s, e, st);
  });
}

defineOp({
  kind: 'slice',
  infer(node) {
    const x = inType(node, 0);
    checkRank(node, x.shape);
    return [{ dtype: x.dtype, shape: sliceShape(node, x) }];
  },
  interpret(node, [x]) {
    const shape = sliceShape(node, x!);
    const v = sliceView(x!.shape, attrInts(node, 'starts'), attrInts(node, 'steps'), shape);
    const out = new Tensor(x!.dtype, shape);
    copyView(x!.data, v, out.data);
    return [out];
  },
});

// ---- split --------------------------------------------------------------------------------------

defineOp({
  kind: 'split',
  infer(node) {
    const x = inType(node, 0);
    if (x.shape.length === 0) throw opError(node, 'cannot split a scalar');
    const axis = normAxis(node, attrInt(node, 'axis'), x.shape.length);
    const split = attrInts(node, 'split');
    if (split.length !== node.outputs.length) {
      throw opError(node, `split ${shp(split)} has ${split.length} parts but the node has ${node.outputs.length} outputs`, 'E_ATTR');
    }
    const sum = split.reduce((a, b) => a + b, 0);
    if (split.some((s) => !Number.isInteger(s) || s < 0) || sum !== x.shape[axis]) {
      throw opError(node, `split ${shp(split)} does not divide axis ${axis} of ${typeToString(x)}`, 'E_ATTR');
    }
    return split.map((s) => {
      const shape = [...x.shape];
      shape[axis] = s;
      return { dtype: x.dtype, shape };
    });
  },
  interpret(node, [x]) {
    const types = this.infer(node);
    const axis = normAxis(node, attrInt(node, 'axis'), x!.shape.length);
    const split = attrInts(node, 'split');
    const starts = new Array<number>(x!.shape.length).fill(0);
    const steps = new Array<number>(x!.shape.length).fill(1);
    return types.map((t, i) => {
      const out = new Tensor(t.dtype, t.shape);
      copyView(x!.data, sliceView(x!.shape, starts, steps, t.shape), out.data);
      starts[axis]! += split[i]!;
      return out;
    });
  },
});

// ---- expand -------------------------------------------------------------------------------------

defineOp({
  kind: 'expand',
  infer(node) {
    const x = inType(node, 0);
    const shape = attrInts(node, 'shape');
    checkShapeAttr(node, shape, 'shape');
    const out = broadcastShapes(x.shape, shape);
    if (!out) throw opError(node, `cannot expand ${typeToString(x)} to ${shp(shape)}`);
    checkRank(node, out, 'output');
    return [{ dtype: x.dtype, shape: out }];
  },
  interpret(node, [x]) {
    const [t] = this.infer(node);
    const out = new Tensor(x!.dtype, t!.shape);
    copyView(x!.data, expandView(x!.shape, t!.shape), out.data);
    return [out];
  },
});
