/**
 * Generated single-op ONNX models for the referee: integer and quantization ops over the corners that
 * break implementations (full-range int8 weights including -128 and 127, zero points at both ends of
 * their range, odd channel counts, groups, depthwise, strides, asymmetric pads, dilations, per-channel
 * parameters, N-D broadcasting). Weights, scales and zero points are initializers, as real models have them.
 */
import type { DType } from '../../compiler/ir/dtype.ts';
import { DTYPES } from '../../compiler/ir/dtype.ts';
import { Tensor, shapeSize } from '../../compiler/ir/tensor.ts';
import { Prng } from '../../compiler/io/random-inputs.ts';
import type { ModelDesc, NodeDesc } from '../../compiler/frontend/onnx/writer.ts';

export interface OpCase {
  name: string;
  desc: ModelDesc;
  /** Custom feeds for a seed (default: the referee's seeded inputs). */
  feeds?: (seed: number) => Map<string, Tensor>;
}

/** Integers over the full range of `dtype`, the extremes (min, max, 0, min+1, max-1) first. */
export function fullRange(dtype: DType, shape: readonly number[], rng: Prng): Tensor {
  const info = DTYPES[dtype];
  const n = shapeSize(shape);
  const ends = [info.min, info.max, 0, info.min + 1, info.max - 1];
  const v = Array.from({ length: n }, (_, i) => (i < ends.length ? ends[i]! : rng.intIn(info.min, info.max)));
  // Shuffle so the extremes do not always sit in the first output channel.
  for (let i = n - 1; i > 0; i--) {
    const j = rng.intIn(0, i);
    [v[i], v[j]] = [v[j]!, v[i]!];
  }
  return Tensor.fromNumbers(dtype, shape, v);
}

const f32 = (shape: readonly number[], values: number[]) => Tensor.fromNumbers('f32', shape, values.map((x) => Math.fround(x)));
const scalar = (dtype: DType, v: number) => Tensor.scalar(dtype, dtype === 'f32' ? Math.fround(v) : v);
const rangeOf = (d: DType) => DTYPES[d];

interface QConvSpec {
  name: string;
  x: 'u8' | 'i8';
  w: 'u8' | 'i8';
  n?: number;
  c: number;
  m: number;
  hw: [number, number];
  k: [number, number];
  group?: number;
  strides?: [number, number];
  pads?: [number, number, number, number];
  dilations?: [number, number];
  autoPad?: string;
  perChannel?: boolean;
  /** Zero point of x and y: 'min' | 'max' | 'mid' of their range. */
  xzp?: 'min' | 'max' | 'mid';
  yzp?: 'min' | 'max' | 'mid';
  bias?: boolean;
}

function zpValue(d: DType, where: 'min' | 'max' | 'mid' = 'mid'): number {
  const r = rangeOf(d);
  if (where === 'min') return r.min;
  if (where === 'max') return r.max;
  return d === 'u8' ? 128 : 0;
}

/** Per-output-channel scales that differ by channel (powers and non-powers of two). */
function channelScales(m: number, base: number, rng: Prng): number[] {
  return Array.from({ length: m }, (_, i) => base * (i % 3 === 0 ? 1 : 0.37 + rng.nextFloat() * 1.5));
}

export function qlinearConvCase(s: QConvSpec, seed: number): OpCase {
  const rng = new Prng(seed);
  const group = s.group ?? 1;
  const n = s.n ?? 1;
  const wShape = [s.m, s.c / group, ...s.k];
  const K = (s.c / group) * s.k[0] * s.k[1];
  const xScale = 0.05;
  const wBase = 0.01;
  const wScales = s.perChannel ? channelScales(s.m, wBase, rng) : [wBase];
  // ORT requires one zero point for all output channels of the filter; per-channel ones are equal.
  const wzp = s.w === 'u8' ? 131 : 0;
  // Output scale so that a typical accumulator spans the output range, with some saturation.
  const spread = 74 * 74 * Math.sqrt(K);
  const yScale = (xScale * wBase * spread) / 60;
  const inits: ModelDesc['initializers'] = [
    { name: 'x_scale', tensor: scalar('f32', xScale) },
    { name: 'x_zp', tensor: scalar(s.x, zpValue(s.x, s.xzp)) },
    { name: 'w', tensor: fullRange(s.w, wShape, rng) },
    { name: 'w_scale', tensor: s.perChannel ? f32([s.m], wScales) : scalar('f32', wBase) },
    { name: 'w_zp', tensor: s.perChannel ? Tensor.fromNumbers(s.w, [s.m], new Array(s.m).fill(wzp)) : scalar(s.w, wzp) },
    { name: 'y_scale', tensor: scalar('f32', yScale) },
    { name: 'y_zp', tensor: scalar(s.x, zpValue(s.x, s.yzp)) },
  ];
  const inputs = ['x', 'x_scale', 'x_zp', 'w', 'w_scale', 'w_zp', 'y_scale', 'y_zp'];
  if (s.bias) {
    inits.push({ name: 'b', tensor: Tensor.fromNumbers('i32', [s.m], Array.from({ length: s.m }, () => rng.intIn(-20000, 20000))) });
    inputs.push('b');
  }
  const attrs: NodeDesc['attrs'] = { kernel_shape: { ints: s.k } };
  if (group !== 1) attrs['group'] = { i: group };
  if (s.strides) attrs['strides'] = { ints: s.strides };
  if (s.pads) attrs['pads'] = { ints: s.pads };
  if (s.dilations) attrs['dilations'] = { ints: s.dilations };
  if (s.autoPad) attrs['auto_pad'] = { s: s.autoPad };
  return {
    name: `QLinearConv ${s.name}`,
    desc: {
      opsets: [{ domain: '', version: 13 }],
      inputs: [{ name: 'x', dtype: s.x, shape: [n, s.c, ...s.hw] }],
      outputs: [{ name: 'y', dtype: s.x }],
      initializers: inits,
      nodes: [{ op: 'QLinearConv', inputs, outputs: ['y'], attrs }],
    },
  };
}

interface QMatMulSpec {
  name: string;
  a: 'u8' | 'i8';
  b: 'u8' | 'i8';
  aShape: number[];
  bShape: number[];
  perColumn?: boolean;
  azp?: 'min' | 'max' | 'mid';
  yzp?: 'min' | 'max' | 'mid';
}

export function qlinearMatMulCase(s: QMatMulSpec, seed: number): OpCase {
  const rng = new Prng(seed);
  const K = s.aShape[s.aShape.length - 1]!;
  const N = s.bShape[s.bShape.length - 1]!;
  const aScale = 0.04;
  const bBase = 0.02;
  const bScales = s.perColumn ? channelScales(N, bBase, rng) : [bBase];
  const bzps = s.perColumn ? Array.from({ length: N }, (_, i) => (i === 0 ? rangeOf(s.b).min : i === 1 ? rangeOf(s.b).max : rng.intIn(rangeOf(s.b).min, rangeOf(s.b).max))) : [zpValue(s.b)];
  const yScale = (aScale * bBase * 74 * 74 * Math.sqrt(K)) / 60;
  return {
    name: `QLinearMatMul ${s.name}`,
    desc: {
      opsets: [{ domain: '', version: 13 }],
      inputs: [{ name: 'a', dtype: s.a, shape: s.aShape }],
      outputs: [{ name: 'y', dtype: s.a }],
      initializers: [
        { name: 'a_scale', tensor: scalar('f32', aScale) },
        { name: 'a_zp', tensor: scalar(s.a, zpValue(s.a, s.azp)) },
        { name: 'b', tensor: fullRange(s.b, s.bShape, rng) },
        { name: 'b_scale', tensor: s.perColumn ? f32([N], bScales) : scalar('f32', bBase) },
        { name: 'b_zp', tensor: s.perColumn ? Tensor.fromNumbers(s.b, [N], bzps) : scalar(s.b, bzps[0]!) },
        { name: 'y_scale', tensor: scalar('f32', yScale) },
        { name: 'y_zp', tensor: scalar(s.a, zpValue(s.a, s.yzp)) },
      ],
      nodes: [{ op: 'QLinearMatMul', inputs: ['a', 'a_scale', 'a_zp', 'b', 'b_scale', 'b_zp', 'y_scale', 'y_zp'], outputs: ['y'] }],
    },
  };
}

interface IntSpec {
  name: string;
  a: 'u8' | 'i8';
  b: 'u8' | 'i8';
  /** Zero points: undefined = input absent. 'perColumn' for MatMulInteger's b (per output channel for ConvInteger). */
  azp?: number;
  bzp?: number | 'perColumn';
}

export function matMulIntegerCase(s: IntSpec & { aShape: number[]; bShape: number[]; bRuntime?: boolean }, seed: number): OpCase {
  const rng = new Prng(seed);
  const N = s.bShape[s.bShape.length - 1]!;
  const inits: NonNullable<ModelDesc['initializers']> = [];
  const inputs: ModelDesc['inputs'] = [{ name: 'a', dtype: s.a, shape: s.aShape }];
  if (s.bRuntime) inputs.push({ name: 'b', dtype: s.b, shape: s.bShape });
  else inits.push({ name: 'b', tensor: fullRange(s.b, s.bShape, rng) });
  const nodeIn = ['a', 'b', '', ''];
  if (s.azp !== undefined) {
    inits.push({ name: 'a_zp', tensor: scalar(s.a, s.azp) });
    nodeIn[2] = 'a_zp';
  }
  if (s.bzp !== undefined) {
    const t = s.bzp === 'perColumn' ? fullRange(s.b, [N], rng) : scalar(s.b, s.bzp);
    inits.push({ name: 'b_zp', tensor: t });
    nodeIn[3] = 'b_zp';
  }
  while (nodeIn[nodeIn.length - 1] === '') nodeIn.pop();
  return {
    name: `MatMulInteger ${s.name}`,
    desc: {
      opsets: [{ domain: '', version: 13 }],
      inputs,
      outputs: [{ name: 'y', dtype: 'i32' }],
      initializers: inits,
      nodes: [{ op: 'MatMulInteger', inputs: nodeIn, outputs: ['y'] }],
    },
  };
}

export function convIntegerCase(
  s: IntSpec & { c: number; m: number; hw: [number, number]; k: [number, number]; group?: number; strides?: [number, number]; pads?: [number, number, number, number]; dilations?: [number, number] },
  seed: number,
): OpCase {
  const rng = new Prng(seed);
  const group = s.group ?? 1;
  const inits: NonNullable<ModelDesc['initializers']> = [{ name: 'w', tensor: fullRange(s.b, [s.m, s.c / group, ...s.k], rng) }];
  const nodeIn = ['x', 'w', '', ''];
  if (s.azp !== undefined) {
    inits.push({ name: 'x_zp', tensor: scalar(s.a, s.azp) });
    nodeIn[2] = 'x_zp';
  }
  if (s.bzp !== undefined) {
    inits.push({ name: 'w_zp', tensor: s.bzp === 'perColumn' ? fullRange(s.b, [s.m], rng) : scalar(s.b, s.bzp) });
    nodeIn[3] = 'w_zp';
  }
  while (nodeIn[nodeIn.length - 1] === '') nodeIn.pop();
  const attrs: NodeDesc['attrs'] = { kernel_shape: { ints: s.k } };
  if (group !== 1) attrs['group'] = { i: group };
  if (s.strides) attrs['strides'] = { ints: s.strides };
  if (s.pads) attrs['pads'] = { ints: s.pads };
  if (s.dilations) attrs['dilations'] = { ints: s.dilations };
  return {
    name: `ConvInteger ${s.name}`,
    desc: {
      opsets: [{ domain: '', version: 13 }],
      inputs: [{ name: 'x', dtype: s.a, shape: [1, s.c, ...s.hw] }],
      outputs: [{ name: 'y', dtype: 'i32' }],
      initializers: inits,
      nodes: [{ op: 'ConvInteger', inputs: nodeIn, outputs: ['y'], attrs }],
    },
  };
}

export function quantizeCase(
  s: { name: string; out: 'u8' | 'i8'; shape: number[]; axis?: number; perAxis?: boolean; zp?: 'min' | 'max' | 'mid' | 'absent'; opset?: number },
  seed: number,
): OpCase {
  const rng = new Prng(seed);
  const axisLen = s.perAxis ? s.shape[(s.axis ?? 1) < 0 ? s.shape.length + (s.axis ?? 1) : s.axis ?? 1]! : 1;
  const scales = s.perAxis ? channelScales(axisLen, 0.02, rng) : [0.02];
  const zps = Array.from({ length: axisLen }, (_, i) =>
    s.zp === 'min' ? rangeOf(s.out).min : s.zp === 'max' ? rangeOf(s.out).max : s.perAxis && i > 0 ? rng.intIn(rangeOf(s.out).min, rangeOf(s.out).max) : zpValue(s.out),
  );
  const inits: NonNullable<ModelDesc['initializers']> = [{ name: 'scale', tensor: s.perAxis ? f32([axisLen], scales) : scalar('f32', scales[0]!) }];
  const nodeIn = ['x', 'scale'];
  if (s.zp !== 'absent') {
    inits.push({ name: 'zp', tensor: s.perAxis ? Tensor.fromNumbers(s.out, [axisLen], zps) : scalar(s.out, zps[0]!) });
    nodeIn.push('zp');
  }
  const attrs: NodeDesc['attrs'] = s.axis !== undefined ? { axis: { i: s.axis } } : {};
  return {
    name: `QuantizeLinear ${s.name}`,
    desc: {
      opsets: [{ domain: '', version: s.opset ?? 13 }],
      inputs: [{ name: 'x', dtype: 'f32', shape: s.shape }],
      outputs: [{ name: 'y', dtype: s.zp === 'absent' ? 'u8' : s.out }],
      initializers: inits,
      nodes: [{ op: 'QuantizeLinear', inputs: nodeIn, outputs: ['y'], attrs }],
    },
  };
}

export function dequantizeCase(
  s: { name: string; in: 'u8' | 'i8' | 'i32'; shape: number[]; axis?: number; perAxis?: boolean; zp?: 'min' | 'max' | 'mid' | 'absent'; opset?: number },
  seed: number,
): OpCase {
  const rng = new Prng(seed);
  const axisLen = s.perAxis ? s.shape[(s.axis ?? 1) < 0 ? s.shape.length + (s.axis ?? 1) : s.axis ?? 1]! : 1;
  const scales = s.perAxis ? channelScales(axisLen, 0.0173, rng) : [0.0173];
  const zps = Array.from({ length: axisLen }, (_, i) =>
    s.in === 'i32' ? 0 : s.zp === 'min' ? rangeOf(s.in).min : s.zp === 'max' ? rangeOf(s.in).max : s.perAxis && i > 0 ? rng.intIn(rangeOf(s.in).min, rangeOf(s.in).max) : zpValue(s.in),
  );
  const inits: NonNullable<ModelDesc['initializers']> = [{ name: 'scale', tensor: s.perAxis ? f32([axisLen], scales) : scalar('f32', scales[0]!) }];
  const nodeIn = ['x', 'scale'];
  if (s.zp !== 'absent') {
    inits.push({ name: 'zp', tensor: s.perAxis ? Tensor.fromNumbers(s.in, [axisLen], zps) : scalar(s.in, zps[0]!) });
    nodeIn.push('zp');
  }
  const attrs: NodeDesc['attrs'] = s.axis !== undefined ? { axis: { i: s.axis } } : {};
  return {
    name: `DequantizeLinear ${s.name}`,
    desc: {
      opsets: [{ domain: '', version: s.opset ?? 13 }],
      inputs: [{ name: 'x', dtype: s.in, shape: s.shape }],
      outputs: [{ name: 'y', dtype: 'f32' }],
      initializers: inits,
      nodes: [{ op: 'DequantizeLinear', inputs: nodeIn, outputs: ['y'], attrs }],
    },
  };
}

/** x values for DynamicQuantizeLinear: the range decides scale and zero point, so vary the range. */
export type DqlRange = 'mixed' | 'positive' | 'negative' | 'zeros' | 'tiny' | 'wide';

function dqlFeed(shape: number[], range: DqlRange, seed: number): Map<string, Tensor> {
  const rng = new Prng(seed);
  const n = shapeSize(shape);
  const v = Array.from({ length: n }, (_, i) => {
    const u = rng.nextFloat();
    switch (range) {
      case 'positive': return 0.25 + u * 9;
      case 'negative': return -0.5 - u * 3;
      case 'zeros': return 0;
      case 'tiny': return (u - 0.3) * 1e-6;
      case 'wide': return i === 0 ? -1000 : i === 1 ? 3000 : (u - 0.5) * 500;
      default: return i % 7 === 0 ? Math.round((u - 0.5) * 8) / 2 : (u - 0.4) * 6;
    }
  });
  return new Map([['x', f32(shape, v)]]);
}

export function dynamicQuantizeCase(name: string, shape: number[], range: DqlRange = 'mixed'): OpCase {
  return {
    name: `DynamicQuantizeLinear ${name}`,
    feeds: (seed) => dqlFeed(shape, range, seed),
    desc: {
      opsets: [{ domain: '', version: 13 }],
      inputs: [{ name: 'x', dtype: 'f32', shape }],
      outputs: [
        { name: 'y', dtype: 'u8' },
        { name: 'y_scale', dtype: 'f32' },
        { name: 'y_zp', dtype: 'u8' },
      ],
      nodes: [{ op: 'DynamicQuantizeLinear', inputs: ['x'], outputs: ['y', 'y_scale', 'y_zp'] }],
    },
  };
}

/** Every generated case (deterministic: fixed seeds). */
export function allOpCases(): OpCase[] {
  const cases: OpCase[] = [];
  let seed = 1000;
  const qc = (s: QConvSpec) => cases.push(qlinearConvCase(s, seed++));
  for (const [x, w] of [['u8', 'i8'], ['u8', 'u8'], ['i8', 'i8']] as const) {
    const t = `${x}x${w}`;
    qc({ name: `${t} 3x3 odd channels`, x, w, c: 3, m: 5, hw: [7, 9], k: [3, 3], bias: true });
    qc({ name: `${t} per-channel, pads, strides`, x, w, c: 5, m: 7, hw: [9, 8], k: [3, 3], perChannel: true, pads: [1, 0, 2, 1], strides: [2, 2], bias: true });
    qc({ name: `${t} groups, dilations`, x, w, c: 6, m: 9, group: 3, hw: [8, 8], k: [3, 2], dilations: [2, 1], perChannel: true, pads: [1, 1, 1, 1] });
    qc({ name: `${t} depthwise, stride 2, SAME_UPPER`, x, w, c: 7, m: 7, group: 7, hw: [10, 9], k: [3, 3], strides: [2, 2], autoPad: 'SAME_UPPER', perChannel: true, bias: true });
    qc({ name: `${t} 1x1, batch 2, zero points at min`, x, w, n: 2, c: 17, m: 3, hw: [5, 5], k: [1, 1], xzp: 'min', yzp: 'min' });
    qc({ name: `${t} 5x3 kernel, zero points at max`, x, w, c: 4, m: 6, hw: [9, 7], k: [5, 3], xzp: 'max', yzp: 'max', bias: true });
    qc({ name: `${t} long reduction (K=3*7*7)`, x, w, c: 3, m: 2, hw: [9, 9], k: [7, 7], perChannel: true, pads: [3, 3, 3, 3] });
  }
  const qm = (s: QMatMulSpec) => cases.push(qlinearMatMulCase(s, seed++));
  for (const [a, b] of [['u8', 'i8'], ['u8', 'u8'], ['i8', 'i8']] as const) {
    const t = `${a}x${b}`;
    qm({ name: `${t} 2-D odd`, a, b, aShape: [5, 19], bShape: [19, 7] });
    qm({ name: `${t} per-column b, zero points at ends`, a, b, aShape: [3, 33], bShape: [33, 9], perColumn: true, azp: 'min', yzp: 'max' });
    qm({ name: `${t} 3-D batch broadcast`, a, b, aShape: [2, 3, 17], bShape: [17, 5], azp: 'max', yzp: 'min' });
  }
  const mi = (s: Parameters<typeof matMulIntegerCase>[0]) => cases.push(matMulIntegerCase(s, seed++));
  mi({ name: 'u8 x u8, zero points', a: 'u8', b: 'u8', aShape: [4, 13], bShape: [13, 3], azp: 255, bzp: 0 });
  mi({ name: 'u8 x i8, per-column b zero points', a: 'u8', b: 'i8', aShape: [5, 16], bShape: [16, 7], azp: 3, bzp: 'perColumn' });
  mi({ name: 'u8 x i8, no zero points, runtime b', a: 'u8', b: 'i8', aShape: [3, 31], bShape: [31, 9], bRuntime: true });
  mi({ name: 'i8 x i8, zero points at ends', a: 'i8', b: 'i8', aShape: [2, 3, 11], bShape: [11, 4], azp: -128, bzp: 127 });
  const ci = (s: Parameters<typeof convIntegerCase>[0]) => cases.push(convIntegerCase(s, seed++));
  ci({ name: 'u8 x u8, zero points', a: 'u8', b: 'u8', c: 3, m: 5, hw: [7, 7], k: [3, 3], azp: 255, bzp: 7 });
  ci({ name: 'u8 x u8, pads, strides, dilations', a: 'u8', b: 'u8', c: 2, m: 3, hw: [9, 8], k: [3, 3], azp: 0, bzp: 255, pads: [2, 1, 0, 1], strides: [2, 1], dilations: [1, 2] });
  ci({ name: 'u8 x u8, groups, no zero points', a: 'u8', b: 'u8', c: 4, m: 6, group: 2, hw: [6, 6], k: [2, 2] });
  ci({ name: 'u8 x i8, zero points', a: 'u8', b: 'i8', c: 3, m: 5, hw: [7, 7], k: [3, 3], azp: 128, bzp: -128 });
  const q = (s: Parameters<typeof quantizeCase>[0]) => cases.push(quantizeCase(s, seed++));
  q({ name: 'u8 per-tensor', out: 'u8', shape: [3, 5, 7] });
  q({ name: 'i8 per-tensor, zero point at max', out: 'i8', shape: [37], zp: 'max' });
  q({ name: 'u8 per-tensor, zero point at max', out: 'u8', shape: [2, 19], zp: 'max' });
  q({ name: 'u8 no zero point', out: 'u8', shape: [23], zp: 'absent' });
  q({ name: 'i8 per-axis axis 1', out: 'i8', shape: [2, 5, 3, 3], perAxis: true, axis: 1 });
  q({ name: 'u8 per-axis axis 0', out: 'u8', shape: [7, 4], perAxis: true, axis: 0, zp: 'min' });
  q({ name: 'i8 per-axis axis -1, opset 19', out: 'i8', shape: [3, 4, 9], perAxis: true, axis: -1, opset: 19 });
  const dq = (s: Parameters<typeof dequantizeCase>[0]) => cases.push(dequantizeCase(s, seed++));
  dq({ name: 'u8 per-tensor', in: 'u8', shape: [3, 5, 7] });
  dq({ name: 'i8 per-tensor, zero point at min', in: 'i8', shape: [41], zp: 'min' });
  dq({ name: 'i32 (bias)', in: 'i32', shape: [33] });
  dq({ name: 'i8 per-axis axis 0', in: 'i8', shape: [6, 3, 3, 3], perAxis: true, axis: 0 });
  dq({ name: 'u8 per-axis axis 1, zero point at max', in: 'u8', shape: [2, 7, 5], perAxis: true, axis: 1, zp: 'max' });
  dq({ name: 'i32 per-axis axis 0', in: 'i32', shape: [9], perAxis: true, axis: 0 });
  dq({ name: 'i8 per-axis axis -1, opset 19', in: 'i8', shape: [4, 11], perAxis: true, axis: -1, opset: 19 });
  cases.push(dynamicQuantizeCase('3-D, mixed signs', [3, 5, 7]));
  cases.push(dynamicQuantizeCase('all positive (min clamps to 0)', [4, 9], 'positive'));
  cases.push(dynamicQuantizeCase('all negative (max clamps to 0)', [29], 'negative'));
  cases.push(dynamicQuantizeCase('all zeros (scale 0)', [2, 3], 'zeros'));
  cases.push(dynamicQuantizeCase('tiny range', [31], 'tiny'));
  cases.push(dynamicQuantizeCase('wide range', [257], 'wide'));
  cases.push(dynamicQuantizeCase('1 element', [1]));
  return cases;
}
