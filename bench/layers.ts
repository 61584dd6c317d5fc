/**
 * The benchmark's layers and models, shared by `npm run bench` (bench/run.ts: CPU time on this host, against
 * onnxruntime-node) and `npm run bench:x86-insn` (bench/x86-insn.ts: instruction counts under qemu-x86_64 with
 * an AVX2-only CPU model, against ORT's AVX2 kernels).
 *
 * Each layer is a QLinearConv / QLinearMatMul model (u8 activations, zero point 128; s8 per-channel symmetric
 * weights; int32 bias) written with compiler/frontend/onnx/writer.ts. Weights come in two flavours: 'full'
 * (|w| up to 127: some adjacent pair can saturate vpmaddubsw, so x86-avx2 picks its exact s16 kernels) and
 * '7bit' (|w| <= 64, ORT's reduce_range: no pair can saturate, x86-avx2 picks u8 x s8).
 */
import { loadOnnxBytes } from '../compiler/frontend/onnx/load.ts';
import type { ModelDesc } from '../compiler/frontend/onnx/writer.ts';
import { encodeModel } from '../compiler/frontend/onnx/writer.ts';
import { Tensor } from '../compiler/ir/tensor.ts';
import { rng } from '../compiler/ops/nn-test-util.ts';
import { getOpDef, hasOpDef } from '../compiler/ops/registry.ts';
import { loadZoo } from './model-spec.ts';

/** Weight flavour of a generated layer; whole models ('model') come with their own quantized weights. */
export type Weights = 'full' | '7bit' | 'model';
export interface Layer {
  name: string;
  macs: number;
  desc: (w: Weights) => ModelDesc;
  input: { name: string; shape: number[]; float?: boolean };
  /** Weight flavours to run (default full and 7bit). */
  flavours?: readonly Weights[];
}

const R = rng(2024);
const gauss = () => Math.sqrt(-2 * Math.log(R() + 1e-12)) * Math.cos(2 * Math.PI * R());
/** Per-channel symmetric s8 weights of `rows` rows: row max -> 127 ('full') or 64 ('7bit'). */
function weights(rows: number, per: number, w: Weights): number[] {
  const lim = w === 'full' ? 127 : 64;
  const out: number[] = [];
  for (let r = 0; r < rows; r++) {
    const g = Array.from({ length: per }, gauss);
    const mx = Math.max(...g.map(Math.abs));
    for (const v of g) out.push(Math.round((v / mx) * lim));
  }
  return out;
}
const f32 = (shape: number[], v: number[]) => Tensor.fromNumbers('f32', shape, v);
const ints = (d: 'u8' | 'i8' | 'i32', shape: number[], v: number[]) => Tensor.fromNumbers(d, shape, v);

export function convLayer(name: string, c: number, m: number, hw: number, k: number, s: number, group = 1): Layer {
  const out = Math.floor((hw + 2 * Math.floor(k / 2) - k) / s) + 1;
  const per = (c / group) * k * k;
  return {
    name,
    macs: m * out * out * per,
    input: { name: 'x', shape: [1, c, hw, hw] },
    desc: (w) => ({
      opsets: [{ domain: '', version: 13 }],
      inputs: [{ name: 'x', dtype: 'u8', shape: [1, c, hw, hw] }],
      outputs: [{ name: 'y' }],
      initializers: [
        { name: 'xs', tensor: f32([], [0.02]) }, { name: 'xz', tensor: ints('u8', [], [128]) },
        // column-major weights per output channel: the transposition below keeps rows per channel
        { name: 'w', tensor: ints('i8', [m, c / group, k, k], weights(m, per, w)) },
        { name: 'ws', tensor: f32([m], Array.from({ length: m }, () => 0.002 + 0.002 * R())) },
        { name: 'wz', tensor: ints('i8', [m], new Array<number>(m).fill(0)) },
        { name: 'ys', tensor: f32([], [0.05 * Math.sqrt(per)]) }, { name: 'yz', tensor: ints('u8', [], [128]) },
        { name: 'b', tensor: ints('i32', [m], Array.from({ length: m }, () => Math.round(gauss() * 1000))) },
      ],
      nodes: [{
        op: 'QLinearConv', inputs: ['x', 'xs', 'xz', 'w', 'ws', 'wz', 'ys', 'yz', 'b'], outputs: ['y'],
        attrs: { group: { i: group }, strides: { ints: [s, s] }, pads: { ints: new Array<number>(4).fill(Math.floor(k / 2)) }, kernel_shape: { ints: [k, k] } },
      }],
    }),
  };
}

function matmulLayer(name: string, m: number, k: number, n: number): Layer {
  return {
    name,
    macs: m * k * n,
    input: { name: 'a', shape: [m, k] },
    desc: (w) => {
      // weights per output column: generate per column, store k x n
      const cols = weights(n, k, w);
      const b = new Array<number>(k * n);
      for (let j = 0; j < n; j++) for (let q = 0; q < k; q++) b[q * n + j] = cols[j * k + q]!;
      return {
        opsets: [{ domain: '', version: 13 }],
        inputs: [{ name: 'a', dtype: 'u8', shape: [m, k] }],
        outputs: [{ name: 'y' }],
        initializers: [
          { name: 'as', tensor: f32([], [0.02]) }, { name: 'az', tensor: ints('u8', [], [128]) },
          { name: 'b', tensor: ints('i8', [k, n], b) },
          { name: 'bs', tensor: f32([n], Array.from({ length: n }, () => 0.002 + 0.002 * R())) },
          { name: 'bz', tensor: ints('i8', [n], new Array<number>(n).fill(0)) },
          { name: 'ys', tensor: f32([], [0.05 * Math.sqrt(k)]) }, { name: 'yz', tensor: ints('u8', [], [128]) },
        ],
        nodes: [{ op: 'QLinearMatMul', inputs: ['a', 'as', 'az', 'b', 'bs', 'bz', 'ys', 'yz'], outputs: ['y'] }],
      };
    },
  };
}

/** One model per (layer, weights): desc() draws random weights, so every consumer must see the same bytes. */
function cached(l: Layer): Layer {
  const memo = new Map<Weights, ModelDesc>();
  return { ...l, desc: (w) => memo.get(w) ?? (memo.set(w, l.desc(w)), memo.get(w)!) };
}

export const LAYERS: Layer[] = [
  convLayer('conv 3->32 3x3 s2 @224 (first layer)', 3, 32, 224, 3, 2),
  convLayer('conv 64->64 3x3 @56', 64, 64, 56, 3, 1),
  convLayer('conv 256->256 1x1 @14', 256, 256, 14, 1, 1),
  convLayer('depthwise 3x3 128ch @56', 128, 128, 56, 3, 1, 128),
  matmulLayer('matmul 1x1024x1024', 1, 1024, 1024),
  matmulLayer('matmul 64x1024x1024', 64, 1024, 1024),
].map(cached);

/**
 * Whole models from the model zoo (test/zoo/models.ts: MLPerf-Tiny-like graphs and MobileNetV2, QOperator
 * form, u8 activations, per-channel s8 weights; float input quantized by the model). Loaded lazily: the zoo
 * may be absent from a checkout, then these rows are skipped.
 */
export async function zooLayers(): Promise<Layer[]> {
  const zoo = await loadZoo();
  if (!zoo) return [];
  const model = (name: string, mk: () => ModelDesc): Layer => {
    let memo: ModelDesc | null = null;
    const desc = () => (memo ??= mk());
    const g = () => loadOnnxBytes(encodeModel(desc()));
    let macs = -1;
    return {
      name,
      get macs() {
        if (macs < 0) macs = g().nodes.reduce((a, n) => a + (hasOpDef(n.op) ? (getOpDef(n.op).macs?.(n) ?? 0) : 0), 0);
        return macs;
      },
      desc,
      get input() {
        const d = desc().inputs[0]!;
        return { name: d.name, shape: d.shape.map(Number), float: d.dtype === 'f32' };
      },
      flavours: ['model'],
    };
  };
  return [
    ...zoo.ZOO_NAMES.map((n) => model(`model ${n} (zoo test size, qop u8)`, () => zoo.zooModel(n, 'qop', 'u8'))),
    model('model mobilenetv2 224 alpha 1 (qop u8)', () => zoo.mobilenetV2Bench('qop', 'u8')),
  ];
}

/**
 * A whole model's MAC-carrying QOperator nodes (QLinearConv, QLinearMatMul, QGemm) as one-node models of
 * their own, with the model's weights and u8 inputs of the node's shape: `bench:x86-insn --per-node` counts
 * each against ORT, which locates a whole-model gap (ORT cannot be profiled per node under qemu).
 */
export function nodeLayers(model: Layer): Layer[] {
  const desc = model.desc('model');
  const g = loadOnnxBytes(encodeModel(desc));
  const inits = new Map((desc.initializers ?? []).map((i) => [i.name, i]));
  const out: Layer[] = [];
  for (const n of desc.nodes) {
    if (!['QLinearConv', 'QLinearMatMul', 'QGemm'].includes(n.op)) continue;
    const ir = g.nodes.find((x) => x.name === n.name);
    const x = n.inputs[0]!;
    const xv = ir?.inputs[0];
    if (!ir || !xv || inits.has(x) || n.inputs.slice(1).some((i) => i && !inits.has(i)) || xv.type.dtype !== 'u8') continue;
    const shape = xv.type.shape.map(Number);
    const macs = hasOpDef(ir.op) ? (getOpDef(ir.op).macs?.(ir) ?? 0) : 0;
    const one: ModelDesc = {
      opsets: desc.opsets,
      inputs: [{ name: x, dtype: 'u8', shape }],
      outputs: [{ name: n.outputs[0]! }],
      initializers: n.inputs.filter((i) => inits.has(i)).map((i) => inits.get(i)!),
      nodes: [n],
    };
    out.push({ name: `${model.name.replace(/ \(.*/, '')} ${n.name} ${ir.op} ${shape.join('x')}`, macs, desc: () => one, input: { name: x, shape }, flavours: ['model'] });
  }
  return out;
}
