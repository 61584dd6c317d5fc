/**
 * Generated CNNs with residual branches (ONNX bytes from the writer, fixed seeds), for the memory-planning
 * and report tests: a QOperator network (QuantizeLinear, QLinearConv, QLinearAdd skips, MaxPool,
 * QLinearGlobalAveragePool, Flatten, QLinearMatMul, DequantizeLinear) and a float one (Conv, Relu, Add,
 * Reshape, Sigmoid, Gemm), so views and in-place kernels meet real layer shapes.
 */
import { encodeModel, type ModelDesc, type NodeDesc } from '../../compiler/frontend/onnx/writer.ts';
import { Tensor } from '../../compiler/ir/tensor.ts';

export interface GeneratedModel {
  readonly id: string;
  readonly bytes: Uint8Array;
  readonly inputs: { name: string; shape: number[] }[];
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) >>> 8) / 16777216;
}

/** QOperator residual CNN: `blocks` residual blocks of `width` channels at `size`x`size`. */
export function qResidualCnn(id: string, seed: number, opts: { size: number; width: number; blocks: number; classes: number }): GeneratedModel {
  const r = rng(seed);
  const inits: NonNullable<ModelDesc['initializers']> = [];
  const nodes: NodeDesc[] = [];
  const scalar = (name: string, t: Tensor) => (inits.push({ name, tensor: t }), name);
  const f = (name: string, v: number) => scalar(name, Tensor.fromNumbers('f32', [], [v]));
  const zp = (name: string, v: number) => scalar(name, Tensor.fromNumbers('u8', [], [v]));
  let k = 0;
  const scaleAct = f('s_act', 0.05);
  const zpAct = zp('z_act', 128);
  const conv = (x: string, cin: number, cout: number, stride: number): string => {
    const i = k++;
    const w = Tensor.fromNumbers('i8', [cout, cin, 3, 3], Array.from({ length: cout * cin * 9 }, () => Math.floor(r() * 255) - 127));
    const ws = Tensor.fromNumbers('f32', [cout], Array.from({ length: cout }, () => 0.002 + r() * 0.004));
    const b = Tensor.fromNumbers('i32', [cout], Array.from({ length: cout }, () => Math.floor(r() * 2000) - 1000));
    scalar(`w${i}`, w);
    scalar(`ws${i}`, ws);
    scalar(`wz${i}`, Tensor.fromNumbers('i8', [cout], new Array<number>(cout).fill(0)));
    scalar(`b${i}`, b);
    nodes.push({
      op: 'QLinearConv', name: `conv${i}`,
      inputs: [x, scaleAct, zpAct, `w${i}`, `ws${i}`, `wz${i}`, scaleAct, zpAct, `b${i}`], outputs: [`c${i}`],
      attrs: { pads: { ints: [1, 1, 1, 1] }, strides: { ints: [stride, stride] }, kernel_shape: { ints: [3, 3] } },
    });
    return `c${i}`;
  };
  nodes.push({ op: 'QuantizeLinear', name: 'quant', inputs: ['image', scaleAct, zpAct], outputs: ['q'] });
  let x = conv('q', 3, opts.width, 1);
  for (let b = 0; b < opts.blocks; b++) {
    const y = conv(conv(x, opts.width, opts.width, 1), opts.width, opts.width, 1);
    nodes.push({
      op: 'QLinearAdd', domain: 'com.microsoft', name: `skip${b}`,
      inputs: [x, scaleAct, zpAct, y, scaleAct, zpAct, scaleAct, zpAct], outputs: [`add${b}`],
    });
    x = `add${b}`;
    if (b === 0) {
      nodes.push({ op: 'MaxPool', name: 'pool', inputs: [x], outputs: ['pooled'], attrs: { kernel_shape: { ints: [2, 2] }, strides: { ints: [2, 2] } } });
      x = 'pooled';
    }
  }
  nodes.push({
    op: 'QLinearGlobalAveragePool', domain: 'com.microsoft', name: 'gap',
    inputs: [x, scaleAct, zpAct, scaleAct, zpAct], outputs: ['gap'], attrs: { channels_last: { i: 0 } },
  });
  nodes.push({ op: 'Flatten', name: 'flat', inputs: ['gap'], outputs: ['flat'] });
  const fc = Tensor.fromNumbers('i8', [opts.width, opts.classes], Array.from({ length: opts.width * opts.classes }, () => Math.floor(r() * 255) - 127));
  scalar('fc', fc);
  const fcs = f('fc_s', 0.004);
  const fcz = scalar('fc_z', Tensor.fromNumbers('i8', [], [0]));
  const outS = f('s_out', 0.1);
  nodes.push({ op: 'QLinearMatMul', name: 'fc', inputs: ['flat', scaleAct, zpAct, 'fc', fcs, fcz, outS, zpAct], outputs: ['logits_q'] });
  nodes.push({ op: 'DequantizeLinear', name: 'dequant', inputs: ['logits_q', outS, zpAct], outputs: ['logits'] });
  const shape = [1, 3, opts.size, opts.size];
  return {
    id,
    inputs: [{ name: 'image', shape }],
    bytes: encodeModel({
      opsets: [{ domain: '', version: 13 }, { domain: 'com.microsoft', version: 1 }],
      graphName: id,
      inputs: [{ name: 'image', dtype: 'f32', shape }],
      outputs: [{ name: 'logits' }],
      initializers: inits,
      nodes,
    }),
  };
}

/** Float residual CNN: Conv/Relu/Add blocks, a Reshape/Sigmoid gate, Flatten, Gemm (views and in-place ops). */
export function floatResidualCnn(id: string, seed: number, opts: { size: number; width: number; blocks: number }): GeneratedModel {
  const r = rng(seed);
  const inits: NonNullable<ModelDesc['initializers']> = [];
  const nodes: NodeDesc[] = [];
  const t = (name: string, shape: number[], scale: number) => {
    const n = shape.reduce((a, b) => a * b, 1);
    inits.push({ name, tensor: Tensor.fromNumbers('f32', shape, Array.from({ length: n }, () => (r() - 0.5) * scale)) });
    return name;
  };
  const c = opts.width;
  let k = 0;
  const conv = (x: string, cin: number, relu: boolean): string => {
    const i = k++;
    nodes.push({ op: 'Conv', name: `conv${i}`, inputs: [x, t(`w${i}`, [c, cin, 3, 3], 0.5), t(`b${i}`, [c], 0.1)], outputs: [`c${i}`], attrs: { pads: { ints: [1, 1, 1, 1] } } });
    if (!relu) return `c${i}`;
    nodes.push({ op: 'Relu', name: `relu${i}`, inputs: [`c${i}`], outputs: [`r${i}`] });
    return `r${i}`;
  };
  let x = conv('image', 3, true);
  for (let b = 0; b < opts.blocks; b++) {
    const y = conv(conv(x, c, true), c, false);
    nodes.push({ op: 'Add', name: `skip${b}`, inputs: [x, y], outputs: [`add${b}`] });
    nodes.push({ op: 'Relu', name: `arelu${b}`, inputs: [`add${b}`], outputs: [`ar${b}`] });
    x = `ar${b}`;
  }
  const n = c * opts.size * opts.size;
  inits.push({ name: 'flat_shape', tensor: Tensor.fromNumbers('i64', [2], [1, n]) });
  nodes.push({ op: 'Reshape', name: 'reshape', inputs: [x, 'flat_shape'], outputs: ['flat'] });
  nodes.push({ op: 'Sigmoid', name: 'gate', inputs: ['flat'], outputs: ['gated'] });
  nodes.push({ op: 'Mul', name: 'gated_mul', inputs: ['gated', 'flat'], outputs: ['mixed'] });
  nodes.push({ op: 'Gemm', name: 'fc', inputs: ['mixed', t('fc_w', [n, 10], 0.05), t('fc_b', [10], 0.1)], outputs: ['logits'] });
  const shape = [1, 3, opts.size, opts.size];
  return {
    id,
    inputs: [{ name: 'image', shape }],
    bytes: encodeModel({
      opsets: [{ domain: '', version: 13 }],
      graphName: id,
      inputs: [{ name: 'image', dtype: 'f32', shape }],
      outputs: [{ name: 'logits' }],
      initializers: inits,
      nodes,
    }),
  };
}

/** The generated models the planner and report tests use. */
export function generatedCnns(): GeneratedModel[] {
  return [
    qResidualCnn('gen/q-resnet-16x16', 11, { size: 16, width: 8, blocks: 2, classes: 10 }),
    qResidualCnn('gen/q-resnet-odd-13x13', 12, { size: 13, width: 5, blocks: 3, classes: 7 }),
    floatResidualCnn('gen/f-resnet-12x12', 13, { size: 12, width: 6, blocks: 2 }),
  ];
}
