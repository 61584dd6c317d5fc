/**
 * Generated single-op models of ONNX Runtime's com.microsoft quantized ops (QLinearAdd/Mul,
 * QLinearSigmoid/LeakyRelu, QLinear(Global)AveragePool, QLinearConcat, QLinearSoftmax, QLinearReduceMean,
 * QGemm) over their corners: u8 and i8, zero points at both ends of the range, odd sizes, broadcasting,
 * channels_last, count_include_pad, ceil_mode, auto_pad, per-column QGemm parameters, transposes, float
 * output. Data are graph inputs (fed with fullInputs: every 8-bit value, extremes first); scales and zero
 * points are initializers, as ORT's quantizer writes them.
 */
import type { DType } from '../../compiler/ir/dtype.ts';
import { Tensor, shapeSize } from '../../compiler/ir/tensor.ts';
import { Prng } from '../../compiler/io/random-inputs.ts';
import type { AttrDesc, ModelDesc } from '../../compiler/frontend/onnx/writer.ts';

export interface ContribCase {
  name: string;
  desc: ModelDesc;
  /** false: onnxruntime-web cannot run the model (QLinearReduceMean has no kernel; see the case). */
  refereed: boolean;
}

type Q8 = 'u8' | 'i8';
const lo = (d: Q8) => (d === 'u8' ? 0 : -128);
/** A zero point given on the u8 scale (0..255) in the dtype's range. */
const zp = (d: Q8, u: number) => Tensor.scalar(d, u + lo(d));
const sc = (v: number) => Tensor.scalar('f32', Math.fround(v));

/**
 * 8-bit data: exactly 256 elements are every value of the type in order (so [256, 1] x [1, 256] operands
 * meet in all 65536 pairs, and a [256] input visits a whole lookup table); otherwise the extremes first,
 * then seeded uniform values.
 */
export function fullInputs(dtype: Q8, shape: readonly number[], rng: Prng): Tensor {
  const n = shapeSize(shape);
  if (n === 256) return Tensor.fromNumbers(dtype, shape, Array.from({ length: 256 }, (_, i) => lo(dtype) + i));
  const first = [lo(dtype), lo(dtype) + 255, 0, lo(dtype) + 1, lo(dtype) + 254];
  const v = Array.from({ length: n }, (_, i) => (i < first.length ? first[i]! : lo(dtype) + rng.intIn(0, 255)));
  return Tensor.fromNumbers(dtype, shape, v);
}

function one(name: string, op: string, inputs: { name: string; dtype: DType; shape: number[] }[], inits: [string, Tensor][], nodeInputs: string[],
  attrs: Record<string, AttrDesc> = {}, refereed = true): ContribCase {
  return {
    name,
    refereed,
    desc: {
      opsets: [{ domain: '', version: 13 }, { domain: 'com.microsoft', version: 1 }],
      inputs,
      outputs: [{ name: 'y' }],
      initializers: inits.map(([n, t]) => ({ name: n, tensor: t })),
      nodes: [{ op, domain: 'com.microsoft', name: 'node', inputs: nodeInputs, outputs: ['y'], attrs }],
    },
  };
}

const binaryShapes: [number[], number[]][] = [
  [[256, 1], [1, 256]], [[2, 3, 5], [2, 3, 5]], [[3, 1, 7], [1, 4, 7]], [[1], [4, 5]], [[6, 5], []], [[2, 1, 3, 1], [5, 1, 4]], [[17], [17]],
];
// (a_scale, a_zp, b_scale, b_zp, c_scale, c_zp); zero points on the u8 scale.
const binaryParams: number[][] = [[0.05, 128, 0.031, 120, 0.07, 128], [0.0123, 0, 0.0456, 255, 0.033, 255], [0.00392, 7, 0.00392, 250, 0.00784, 0]];

function binaryCases(): ContribCase[] {
  const out: ContribCase[] = [];
  for (const d of ['u8', 'i8'] as const) {
    for (const op of ['QLinearAdd', 'QLinearMul']) {
      binaryShapes.forEach(([as, bs], k) => {
        const [s1, z1, s2, z2, s3, z3] = binaryParams[k % binaryParams.length]!;
        const cs = op === 'QLinearMul' ? s3! * 5 : s3!;
        const noZp = k === 6; // optional zero points left out
        out.push(one(`${op} ${d} [${as}]x[${bs}]${noZp ? ' no A/B zero points' : ''}`, op,
          [{ name: 'a', dtype: d, shape: as }, { name: 'b', dtype: d, shape: bs }],
          [['as', sc(s1!)], ['az', zp(d, z1!)], ['bs', sc(s2!)], ['bz', zp(d, z2!)], ['cs', sc(cs)], ['cz', zp(d, z3!)]],
          noZp ? ['a', 'as', '', 'b', 'bs', '', 'cs', ''] : ['a', 'as', 'az', 'b', 'bs', 'bz', 'cs', 'cz'], {},
          // onnxruntime-web rejects a model without the optional zero points ("[TypeInferenceError] Input data
          // type does not match the expected data type"); the C test runs it, a unit test pins zp = 0.
          !noZp));
      });
    }
  }
  return out;
}

function lutCases(): ContribCase[] {
  const out: ContribCase[] = [];
  const params: number[][] = [[0.1, 128, 1 / 256, 0], [0.2, 255, 0.002, 10], [0.03, 0, 1 / 256, 128], [0.5, 7, 0.0001, 255]];
  for (const d of ['u8', 'i8'] as const) {
    for (const [k, [xs, xz, ys, yz]] of params.entries()) {
      const inits: [string, Tensor][] = [['xs', sc(xs!)], ['xz', zp(d, xz!)], ['ys', sc(ys!)], ['yz', zp(d, yz!)]];
      // Every byte once (a [256] input covers the whole table), odd shape otherwise.
      const shape = k % 2 === 0 ? [256] : [3, 7, 13];
      out.push(one(`QLinearSigmoid ${d} #${k}`, 'QLinearSigmoid', [{ name: 'x', dtype: d, shape }], inits, ['x', 'xs', 'xz', 'ys', 'yz']));
      out.push(one(`QLinearLeakyRelu ${d} #${k}`, 'QLinearLeakyRelu', [{ name: 'x', dtype: d, shape }], inits, ['x', 'xs', 'xz', 'ys', 'yz'],
        k === 3 ? {} : { alpha: { f: [0.13, 0.01, 1.7][k]! } }));
    }
  }
  return out;
}

interface PoolSpec { shape: number[]; k: number[]; s?: number[]; p?: number[]; ceil?: number; cip?: number; cl?: number; auto?: string }

function poolCases(): ContribCase[] {
  const out: ContribCase[] = [];
  const specs: PoolSpec[] = [
    { shape: [1, 3, 7, 9], k: [3, 3], s: [2, 2], p: [1, 1, 1, 1] },
    { shape: [2, 2, 7, 9], k: [3, 2], s: [2, 3], p: [1, 0, 2, 1], ceil: 1, cip: 1 },
    { shape: [1, 3, 5, 5], k: [5, 5] },
    { shape: [1, 4, 13], k: [4], s: [3], p: [2, 1], ceil: 1, cip: 1 },
    { shape: [1, 4, 13], k: [4], s: [3], p: [2, 1], ceil: 1 },
    { shape: [1, 2, 5, 4, 6], k: [2, 3, 2], s: [2, 1, 2], p: [1, 1, 0, 0, 1, 1], ceil: 1, cip: 1 },
    { shape: [1, 6, 7, 3], k: [3, 2], s: [2, 1], p: [1, 1, 0, 1], cip: 1, cl: 1 },
    { shape: [2, 9, 3], k: [3], s: [2], p: [1, 1], ceil: 1, cl: 1 },
    { shape: [1, 5, 5, 3], k: [5, 5], cl: 1 },
    { shape: [1, 2, 7, 8], k: [3, 2], s: [2, 2], auto: 'SAME_UPPER' },
    { shape: [1, 2, 7, 8], k: [3, 3], s: [2, 3], auto: 'SAME_LOWER', cip: 1 },
  ];
  const params: number[][] = [[0.07, 120, 0.05, 131], [0.01, 255, 0.02, 0], [0.013, 0, 0.0011, 255]];
  for (const d of ['u8', 'i8'] as const) {
    specs.forEach((s, k) => {
      const [xs, xz, ys, yz] = params[k % params.length]!;
      const attrs: Record<string, AttrDesc> = { kernel_shape: { ints: s.k } };
      if (s.s) attrs['strides'] = { ints: s.s };
      if (s.p) attrs['pads'] = { ints: s.p };
      if (s.ceil) attrs['ceil_mode'] = { i: s.ceil };
      if (s.cip) attrs['count_include_pad'] = { i: s.cip };
      if (s.cl) attrs['channels_last'] = { i: s.cl };
      if (s.auto) attrs['auto_pad'] = { s: s.auto };
      const inits: [string, Tensor][] = [['xs', sc(xs!)], ['xz', zp(d, xz!)], ['ys', sc(ys!)], ['yz', zp(d, yz!)]];
      out.push(one(`QLinearAveragePool ${d} ${JSON.stringify(s)}`, 'QLinearAveragePool', [{ name: 'x', dtype: d, shape: s.shape }], inits,
        ['x', 'xs', 'xz', 'ys', 'yz'], attrs));
    });
    const gap: [number[], number][] = [[[2, 5, 7, 3], 0], [[1, 3, 11], 0], [[2, 4, 3, 5], 1], [[1, 9, 2, 2, 3], 0], [[1, 1, 6, 6], 1]];
    gap.forEach(([shape, cl], k) => {
      const [xs, xz, ys, yz] = params[k % params.length]!;
      out.push(one(`QLinearGlobalAveragePool ${d} [${shape}] channels_last=${cl}`, 'QLinearGlobalAveragePool', [{ name: 'x', dtype: d, shape }],
        [['xs', sc(xs!)], ['xz', zp(d, xz!)], ['ys', sc(ys! * 0.9)], ['yz', zp(d, yz!)]], ['x', 'xs', 'xz', 'ys', 'yz'], { channels_last: { i: cl } }));
    });
  }
  return out;
}

function concatCases(): ContribCase[] {
  const out: ContribCase[] = [];
  for (const d of ['u8', 'i8'] as const) {
    out.push(one(`QLinearConcat ${d} axis 1, one input copied`, 'QLinearConcat',
      [{ name: 'a', dtype: d, shape: [2, 3, 5] }, { name: 'b', dtype: d, shape: [2, 1, 5] }, { name: 'c', dtype: d, shape: [2, 4, 5] }],
      [['ys', sc(0.05)], ['yz', zp(d, 128)], ['s1', sc(0.05)], ['z1', zp(d, 128)], ['s2', sc(0.013)], ['z2', zp(d, 0)], ['s3', sc(0.11)], ['z3', zp(d, 255)]],
      ['ys', 'yz', 'a', 's1', 'z1', 'b', 's2', 'z2', 'c', 's3', 'z3'], { axis: { i: 1 } }));
    out.push(one(`QLinearConcat ${d} axis -1`, 'QLinearConcat',
      [{ name: 'a', dtype: d, shape: [3, 2, 4] }, { name: 'b', dtype: d, shape: [3, 2, 1] }],
      [['ys', sc(0.05)], ['yz', zp(d, 7)], ['s1', sc(0.05)], ['z1', zp(d, 128)], ['s2', sc(0.3)], ['z2', zp(d, 100)]],
      ['ys', 'yz', 'a', 's1', 'z1', 'b', 's2', 'z2'], { axis: { i: -1 } }));
    out.push(one(`QLinearConcat ${d} axis 0`, 'QLinearConcat',
      [{ name: 'a', dtype: d, shape: [1, 7] }, { name: 'b', dtype: d, shape: [3, 7] }],
      [['ys', sc(0.02)], ['yz', zp(d, 255)], ['s1', sc(0.1)], ['z1', zp(d, 0)], ['s2', sc(0.02)], ['z2', zp(d, 255)]],
      ['ys', 'yz', 'a', 's1', 'z1', 'b', 's2', 'z2'], { axis: { i: 0 } }));
  }
  return out;
}

function softmaxCases(): ContribCase[] {
  const out: ContribCase[] = [];
  const shapes: [number[], number, number][] = [[[4, 10], -1, 13], [[3, 7, 5], 1, 13], [[2, 3, 17], 1, 12], [[5, 1], -1, 13], [[3, 2, 255], 2, 13], [[6, 3], 0, 13]];
  const params: number[][] = [[0.1, 1 / 256, 0], [0.02, 1 / 255, 0], [0.3, 1 / 256, 128], [0.05, 0.003, 10], [0.7, 1 / 256, 255], [0.011, 1 / 200, 0]];
  for (const d of ['u8', 'i8'] as const) {
    shapes.forEach(([shape, axis, opset], k) => {
      for (const j of [k, k + 1]) {
        const [xs, ys, yz] = params[j % params.length]!;
        out.push(one(`QLinearSoftmax ${d} [${shape}] axis ${axis} opset ${opset} (${xs}, ${ys}, ${yz})`, 'QLinearSoftmax', [{ name: 'x', dtype: d, shape }],
          [['xs', sc(xs!)], ['xz', zp(d, 128)], ['ys', sc(ys!)], ['yz', zp(d, yz!)]], ['x', 'xs', 'xz', 'ys', 'yz'], { axis: { i: axis }, opset: { i: opset } }));
      }
    });
  }
  return out;
}

function reduceMeanCases(): ContribCase[] {
  const out: ContribCase[] = [];
  for (const d of ['u8', 'i8'] as const) {
    for (const [shape, axes, keep] of [[[2, 5, 3, 4], [2, 3], 1], [[3, 7], [0], 0], [[2, 3, 4], [-1, 0], 1]] as [number[], number[], number][]) {
      out.push(one(`QLinearReduceMean ${d} [${shape}] axes [${axes}] keepdims ${keep}`, 'QLinearReduceMean', [{ name: 'x', dtype: d, shape }],
        [['xs', sc(0.05)], ['xz', zp(d, 120)], ['ys', sc(0.03)], ['yz', zp(d, 3)]], ['x', 'xs', 'xz', 'ys', 'yz'],
        { axes: { ints: axes }, keepdims: { i: keep } }, false));
    }
  }
  return out;
}

function qgemmCases(seed: number): ContribCase[] {
  const rng = new Prng(seed);
  const out: ContribCase[] = [];
  // M, K, N, transA, transB, per-column b params, C shape ('M' and 'N' stand for the sizes), quantized output
  const specs: [number, number, number, number, number, boolean, (string | number)[] | null, boolean][] = [
    [3, 5, 4, 0, 0, false, ['N'], true], [4, 17, 7, 1, 0, true, ['M', 'N'], true], [2, 9, 5, 0, 1, true, ['M', 1], true],
    [5, 8, 3, 1, 1, false, null, false], [3, 6, 4, 0, 0, true, [1, 'N'], false], [1, 33, 9, 0, 1, false, [], true],
  ];
  for (const [at, bt] of [['u8', 'u8'], ['u8', 'i8'], ['i8', 'i8']] as const) {
    specs.forEach(([M, K, N, ta, tb, perCol, cShape, outQ], k) => {
      const bShape = tb ? [N, K] : [K, N];
      const bVals = fullInputs(bt, bShape, rng);
      const bs = perCol ? Tensor.fromNumbers('f32', [N], Array.from({ length: N }, () => Math.fround(0.005 + rng.nextFloat() * 0.02))) : sc(0.013);
      const bzv = (j: number) => (bt === 'u8' ? (j === 0 ? 0 : j === 1 ? 255 : 125) : 0);
      const bz = perCol ? Tensor.fromNumbers(bt, [N], Array.from({ length: N }, (_, j) => bzv(j))) : Tensor.scalar(bt, bt === 'u8' ? 131 : 0);
      const inits: [string, Tensor][] = [['as', sc(0.04)], ['az', Tensor.scalar(at, at === 'u8' ? [130, 0, 255][k % 3]! : [-3, -128, 127][k % 3]!)],
        ['b', bVals], ['bs', bs], ['bz', bz]];
      const ins = ['a', 'as', 'az', 'b', 'bs', 'bz'];
      if (cShape) {
        const cs = cShape.map((v) => (v === 'M' ? M : v === 'N' ? N : (v as number)));
        inits.push(['c', Tensor.fromNumbers('i32', cs, Array.from({ length: shapeSize(cs) }, () => rng.intIn(-30000, 30000)))]);
        ins.push('c');
      } else ins.push('');
      if (outQ) {
        inits.push(['ys', sc((0.04 * 0.013 * 74 * 74 * Math.sqrt(K)) / 60)], ['yz', Tensor.scalar(at, at === 'u8' ? 128 : 0)]);
        ins.push('ys', 'yz');
      }
      out.push(one(`QGemm ${at}x${bt} M${M} K${K} N${N} transA=${ta} transB=${tb}${perCol ? ' per-column' : ''} C=${cShape ? `[${cShape}]` : 'none'} ${outQ ? at : 'f32'} out`,
        'QGemm', [{ name: 'a', dtype: at, shape: ta ? [K, M] : [M, K] }], inits, ins,
        { transA: { i: ta }, transB: { i: tb }, alpha: { f: outQ ? 1 : 0.75 } }));
    });
  }
  return out;
}

export function contribCases(): ContribCase[] {
  return [...binaryCases(), ...lutCases(), ...poolCases(), ...concatCases(), ...softmaxCases(), ...reduceMeanCases(), ...qgemmCases(77)];
}

/** Seeded feeds for a case: every graph input gets fullInputs data. */
export function contribFeeds(c: ContribCase, seed: number): Map<string, Tensor> {
  const rng = new Prng(seed);
  return new Map(c.desc.inputs.map((i) => [i.name, fullInputs(i.dtype as Q8, i.shape as number[], rng)]));
}
