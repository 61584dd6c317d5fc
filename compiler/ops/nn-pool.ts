/**
 * Pooling: `max_pool` (f32, u8, i8), `average_pool` (f32), `global_average_pool` and `global_max_pool`
 * (f32). Attrs of the windowed ones: kernel_shape, strides, dilations, pads ([begins..., ends...]),
 * ceil_mode, and count_include_pad for average_pool. auto_pad is resolved by the importer.
 *
 * Semantics (runtime-c/qcc_pool.h follows them exactly), per output element, taps visited in row-major
 * window order, taps in the padding skipped:
 *   max:     m = -inf (dtype minimum for integers); for each tap v: if (v > m) m = v. NaN inputs are thus
 *            ignored (as ONNX's reference and ONNX Runtime do); a window with no input tap gives -inf.
 *   average: s = +0; for each tap: s = fround(s + v); y = fround(s / count) with count, as float32, the
 *            number of input taps, or with count_include_pad the taps inside [-pad_begin, len + pad_end)
 *            (with ceil_mode, taps of the last window past the end padding are not counted). count = 0
 *            gives NaN (0x7fc00000).
 *   global:  the same over all spatial positions in row-major order; count = product of spatial sizes.
 */
import type { DType } from '../ir/dtype.ts';
import { DTYPES } from '../ir/dtype.ts';
import type { Node, TensorType } from '../ir/graph.ts';
import { typeToString } from '../ir/graph.ts';
import { Tensor, shapeSize } from '../ir/tensor.ts';
import { attrInt, attrInts, inType, opError } from './op-def.ts';
import { defineOp } from './registry.ts';
import { paddedTapCount, readCeilMode, readWindow, tapRange, type Window3 } from './nn-window.ts';

export interface PoolGeom extends Window3 {
  n: number;
  c: number;
  countIncludePad: boolean;
}

const MAX_POOL_DTYPES: readonly DType[] = ['f32', 'u8', 'i8'];

function inputOf(node: Node, dtypes: readonly DType[]): TensorType {
  const x = inType(node, 0);
  if (!dtypes.includes(x.dtype)) {
    throw opError(node, `X is ${typeToString(x)}; ${node.op} supports ${dtypes.join(', ')}`, 'E_UNSUPPORTED');
  }
  return x;
}

export function poolGeom(node: Node): PoolGeom {
  const x = inputOf(node, node.op === 'max_pool' ? MAX_POOL_DTYPES : ['f32']);
  if (x.shape.length < 3) throw opError(node, `X must have rank >= 3 (N, C, spatial...), got ${typeToString(x)}`);
  const kernel = attrInts(node, 'kernel_shape');
  if (kernel.length !== x.shape.length - 2) {
    throw opError(node, `'kernel_shape' [${kernel.join(', ')}] has ${kernel.length} axes but X ${typeToString(x)} has ${x.shape.length - 2} spatial axes`, 'E_ATTR');
  }
  const cip = attrInt(node, 'count_include_pad', 0);
  if (cip !== 0 && cip !== 1) throw opError(node, `'count_include_pad' must be 0 or 1, got ${cip}`, 'E_ATTR');
  const win = readWindow(node, x.shape.slice(2), kernel, readCeilMode(node));
  return { ...win, n: x.shape[0]!, c: x.shape[1]!, countIncludePad: cip === 1 };
}

function poolOutShape(g: PoolGeom): number[] {
  return [g.n, g.c, ...g.outSp.slice(3 - g.rank)];
}

type Num = Float32Array | Uint8Array | Int8Array;

/** The initial maximum: -inf for float32, the dtype's minimum for integers. */
export function maxPoolInit(dtype: DType): number {
  return DTYPES[dtype].isFloat ? -Infinity : DTYPES[dtype].min;
}

/** Reference max pool kernel. */
export function maxPool(g: PoolGeom, init: number, x: Num, y: Num): void {
  windows(g, (xo, ranges, yi) => {
    const [[z0, z1], [y0, y1], [x0, x1]] = ranges;
    let m = init;
    for (let tz = z0; tz < z1; tz++) {
      for (let ty = y0; ty < y1; ty++) {
        const row = xo + tz * g.dilations[0] * g.inSp[1] * g.inSp[2] + ty * g.dilations[1] * g.inSp[2];
        for (let tx = x0; tx < x1; tx++) {
          const v = x[row + tx * g.dilations[2]]!;
          if (v > m) m = v;
        }
      }
    }
    y[yi] = m;
  });
}

/** Reference average pool kernel. */
export function averagePoolF32(g: PoolGeom, x: Float32Array, y: Float32Array): void {
  const f = Math.fround;
  windows(g, (xo, ranges, yi, o) => {
    const [[z0, z1], [y0, y1], [x0, x1]] = ranges;
    let s = 0;
    for (let tz = z0; tz < z1; tz++) {
      for (let ty = y0; ty < y1; ty++) {
        const row = xo + tz * g.dilations[0] * g.inSp[1] * g.inSp[2] + ty * g.dilations[1] * g.inSp[2];
        for (let tx = x0; tx < x1; tx++) s = f(s + x[row + tx * g.dilations[2]]!);
      }
    }
    let count = 1;
    for (let a = 0; a < 3; a++) {
      count *= g.countIncludePad
        ? paddedTapCount(o[a]!, g.strides[a]!, g.padBegin[a]!, g.padEnd[a]!, g.dilations[a]!, g.kernel[a]!, g.inSp[a]!)
        : ranges[a]![1] - ranges[a]![0];
    }
    // An explicit NaN: 0/0 computed by the CPU would be its default NaN (0xffc00000 on x86), not 0x7fc00000.
    y[yi] = count === 0 ? NaN : f(s / f(count));
  });
}

/**
 * Visits every output element in NC(D)(H)W order with the flat offset of its first valid input tap, the
 * valid tap ranges per axis, its output index and its output coordinates.
 */
function windows(g: PoolGeom, fn: (xo: number, ranges: [number, number][], yi: number, o: number[]) => void): void {
  const [ID, IH, IW] = g.inSp;
  const [OD, OH, OW] = g.outSp;
  let yi = 0;
  for (let nc = 0; nc < g.n * g.c; nc++) {
    const xp = nc * ID * IH * IW;
    for (let od = 0; od < OD; od++) {
      const rz = tapRange(od, g.strides[0], g.padBegin[0], g.dilations[0], g.kernel[0], ID);
      const iz = od * g.strides[0] - g.padBegin[0];
      for (let oh = 0; oh < OH; oh++) {
        const ry = tapRange(oh, g.strides[1], g.padBegin[1], g.dilations[1], g.kernel[1], IH);
        const iy = oh * g.strides[1] - g.padBegin[1];
        for (let ow = 0; ow < OW; ow++) {
          const rx = tapRange(ow, g.strides[2], g.padBegin[2], g.dilations[2], g.kernel[2], IW);
          const ix = ow * g.strides[2] - g.padBegin[2];
          // Offset of tap (0, 0, 0) (possibly outside the input; only valid taps are read).
          const xo = xp + iz * IH * IW + iy * IW + ix;
          fn(xo, [rz, ry, rx], yi++, [od, oh, ow]);
        }
      }
    }
  }
}

function globalShape(node: Node, x: TensorType): number[] {
  if (x.shape.length < 3) throw opError(node, `X must have rank >= 3 (N, C, spatial...), got ${typeToString(x)}`);
  return [x.shape[0]!, x.shape[1]!, ...x.shape.slice(2).map(() => 1)];
}

/** Reference global pools: planes of `plane` elements, NaN-ignoring max or sequential mean. */
export function globalPoolF32(kind: 'max' | 'avg', planes: number, plane: number, x: Float32Array, y: Float32Array): void {
  const f = Math.fround;
  for (let p = 0; p < planes; p++) {
    const o = p * plane;
    if (kind === 'max') {
      let m = -Infinity;
      for (let i = 0; i < plane; i++) if (x[o + i]! > m) m = x[o + i]!;
      y[p] = m;
    } else {
      let s = 0;
      for (let i = 0; i < plane; i++) s = f(s + x[o + i]!);
      y[p] = plane === 0 ? NaN : f(s / f(plane));
    }
  }
}

defineOp({
  kind: 'max_pool',
  infer(node) {
    const g = poolGeom(node);
    return [{ dtype: inType(node, 0).dtype, shape: poolOutShape(g) }];
  },
  interpret(node, inputs) {
    const g = poolGeom(node);
    const x = inputs[0]!;
    const y = new Tensor(x.dtype, poolOutShape(g));
    maxPool(g, maxPoolInit(x.dtype), x.data as Num, y.data as Num);
    return [y];
  },
});

defineOp({
  kind: 'average_pool',
  infer(node) {
    return [{ dtype: 'f32', shape: poolOutShape(poolGeom(node)) }];
  },
  interpret(node, inputs) {
    const g = poolGeom(node);
    const y = new Tensor('f32', poolOutShape(g));
    averagePoolF32(g, inputs[0]!.data as Float32Array, y.data as Float32Array);
    return [y];
  },
});

for (const [kind, red] of [['global_average_pool', 'avg'], ['global_max_pool', 'max']] as const) {
  defineOp({
    kind,
    infer(node) {
      const x = inputOf(node, ['f32']);
      return [{ dtype: 'f32', shape: globalShape(node, x) }];
    },
    interpret(node, inputs) {
      const x = inputs[0]!;
      const y = new Tensor('f32', globalShape(node, x));
      globalPoolF32(red, x.shape[0]! * x.shape[1]!, shapeSize(x.shape.slice(2)), x.data as Float32Array, y.data as Float32Array);
      return [y];
    },
  });
}
