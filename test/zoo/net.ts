/**
 * A small network description for the model zoo, and the three ONNX graphs it becomes:
 *  - float (for calibration: every tensor a graph output),
 *  - QOperator, as ONNX Runtime's quantizer writes it (QuantizeLinear, QLinearConv, com.microsoft
 *    QLinearAdd / QLinearGlobalAveragePool / QGemm, QLinearMatMul, DequantizeLinear; Relu/Relu6 absorbed
 *    into the producer's output range, Flatten on the quantized tensor),
 *  - QDQ, as its QDQ quantizer writes it (float ops between DequantizeLinear and QuantizeLinear, per-axis
 *    int8 weight DQ, int32 bias through DQ, Relu/Clip left between the op and its Q).
 *
 * Weights are stored quantized from the start (per-channel symmetric int8 from Gaussian values, some
 * channels pushed to -128), so every form uses exactly the same weights; the float graph uses w_q * s_w.
 * Activation scales and zero points come from running the float graph through qcc's interpreter on
 * seeded inputs and taking each tensor's min/max (ORT's MinMax calibration: range widened to include 0,
 * scale = (rmax - rmin) / (qmax - qmin), zero point = round(qmin - rmin / scale)).
 */
import type { DType } from '../../compiler/ir/dtype.ts';
import { Tensor } from '../../compiler/ir/tensor.ts';
import { Prng } from '../../compiler/io/random-inputs.ts';
import type { AttrDesc, ModelDesc, NodeDesc } from '../../compiler/frontend/onnx/writer.ts';
import { loadOnnxBytes } from '../../compiler/frontend/onnx/load.ts';
import { encodeModel } from '../../compiler/frontend/onnx/writer.ts';
import { interpret } from '../../compiler/interpreter/interpret.ts';

export type Act = 'u8' | 'i8';
export type Form = 'qop' | 'qdq';
export type Activation = 'none' | 'relu' | 'relu6';

/** Per-channel int8 weights: q (shape as in the ONNX op), one scale per channel along `axis`. */
export interface QWeight {
  shape: number[];
  axis: number;
  q: Int8Array;
  scales: number[];
}

export type Layer =
  | { k: 'conv'; x: string; y: string; w: QWeight; bias: number[]; strides: number[]; pads: number[]; group: number; act: Activation }
  | { k: 'add'; a: string; b: string; y: string; act: Activation }
  | { k: 'gap'; x: string; y: string }
  /** AveragePool without padding (Keras AveragePooling2D over the whole map, as in the MLPerf DS-CNN). */
  | { k: 'avgpool'; x: string; y: string; kernel: number[]; strides: number[] }
  /** Softmax on the last axis; its output range is fixed to [0, 1] (as ONNX Runtime's quantizer does). */
  | { k: 'softmax'; x: string; y: string }
  | { k: 'flatten'; x: string; y: string }
  /** Gemm with transB = 1: w is [N, K], per-row (axis 0) scales. */
  | { k: 'gemm'; x: string; y: string; w: QWeight; bias: number[]; act: Activation }
  /** MatMul: w is [K, N], per-column (axis 1) scales. */
  | { k: 'matmul'; x: string; y: string; w: QWeight }
  /** Add of a constant vector (the bias of a MatMul in tf2onnx/Keras exports). */
  | { k: 'bias_add'; x: string; y: string; bias: number[]; act: Activation };

export interface NetDesc {
  name: string;
  input: { name: string; shape: number[] };
  layers: Layer[];
  /** Name of the last tensor (dequantized into the graph output 'output'). */
  out: string;
  /** Seed of the calibration inputs. */
  seed: number;
}

// ---- building ------------------------------------------------------------------------------------

/** Builds a NetDesc with seeded weights; tensor shapes are tracked so layers can size themselves. */
export class NetBuilder {
  readonly layers: Layer[] = [];
  readonly shapes = new Map<string, number[]>();
  readonly rng: Prng;
  private k = 0;
  private weightCount = 0;

  constructor(readonly name: string, readonly input: { name: string; shape: number[] }, readonly seed: number) {
    this.rng = new Prng(seed);
    this.shapes.set(input.name, input.shape);
  }

  shape(t: string): number[] {
    return this.shapes.get(t)!;
  }

  private fresh(p: string, shape: number[]): string {
    const n = `${p}${this.k++}`;
    this.shapes.set(n, shape);
    return n;
  }

  gauss(): number {
    const u = this.rng.nextFloat() + 1e-9;
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * this.rng.nextFloat());
  }

  /**
   * Per-channel symmetric int8 weights from N(0, gain^2 / fanIn): scale_c = max|w_c| / 127, so every
   * channel reaches +-127; every third channel also holds a -128 (the full int8 range).
   */
  weight(shape: number[], axis: number, fanIn: number, gain = Math.SQRT2): QWeight {
    const n = shape.reduce((p, d) => p * d, 1);
    const std = gain / Math.sqrt(fanIn);
    const f = Array.from({ length: n }, () => this.gauss() * std);
    const c = shape[axis]!;
    const inner = shape.slice(axis + 1).reduce((p, d) => p * d, 1);
    const chanOf = (i: number) => Math.floor(i / inner) % c;
    const maxAbs = new Array<number>(c).fill(0);
    f.forEach((v, i) => (maxAbs[chanOf(i)] = Math.max(maxAbs[chanOf(i)]!, Math.abs(v))));
    const scales = maxAbs.map((m) => Math.fround(m / 127));
    const q = new Int8Array(n);
    f.forEach((v, i) => (q[i] = Math.max(-128, Math.min(127, Math.round(v / scales[chanOf(i)]!)))));
    // The most negative element of every third channel becomes -128 (its value moves by one step).
    const minAt = new Array<number>(c).fill(-1);
    q.forEach((v, i) => {
      const ch = chanOf(i);
      if (minAt[ch]! < 0 || v < q[minAt[ch]!]!) minAt[ch] = i;
    });
    for (let ch = (this.weightCount++) % 3; ch < c; ch += 3) q[minAt[ch]!] = -128;
    return { shape, axis, q, scales };
  }

  bias(n: number, std = 0.05): number[] {
    return Array.from({ length: n }, () => Math.fround(this.gauss() * std));
  }

  /** Conv with ONNX pads [top, left, bottom, right] (default: 'same' for odd kernels at stride 1). */
  conv(x: string, m: number, k: [number, number], opts: { stride?: number; pads?: number[]; group?: number; act?: Activation } = {}): string {
    const [n, c, h, w] = this.shape(x) as [number, number, number, number];
    const s = opts.stride ?? 1;
    const group = opts.group ?? 1;
    const pads = opts.pads ?? [Math.floor(k[0] / 2), Math.floor(k[1] / 2), Math.floor(k[0] / 2), Math.floor(k[1] / 2)];
    const oh = Math.floor((h + pads[0]! + pads[2]! - k[0]) / s) + 1;
    const ow = Math.floor((w + pads[1]! + pads[3]! - k[1]) / s) + 1;
    const cg = c / group;
    const y = this.fresh('conv', [n, m, oh, ow]);
    this.layers.push({
      k: 'conv', x, y, w: this.weight([m, cg, k[0], k[1]], 0, cg * k[0] * k[1]), bias: this.bias(m),
      strides: [s, s], pads, group, act: opts.act ?? 'none',
    });
    return y;
  }

  add(a: string, b: string, act: Activation = 'none'): string {
    const y = this.fresh('add', this.shape(a));
    this.layers.push({ k: 'add', a, b, y, act });
    return y;
  }

  gap(x: string): string {
    const [n, c] = this.shape(x) as [number, number];
    const y = this.fresh('gap', [n, c, 1, 1]);
    this.layers.push({ k: 'gap', x, y });
    return y;
  }

  avgpool(x: string, kernel: [number, number], stride = 1): string {
    const [n, c, h, w] = this.shape(x) as [number, number, number, number];
    const y = this.fresh('pool', [n, c, Math.floor((h - kernel[0]) / stride) + 1, Math.floor((w - kernel[1]) / stride) + 1]);
    this.layers.push({ k: 'avgpool', x, y, kernel, strides: [stride, stride] });
    return y;
  }

  softmax(x: string): string {
    const y = this.fresh('softmax', this.shape(x));
    this.layers.push({ k: 'softmax', x, y });
    return y;
  }

  flatten(x: string): string {
    const s = this.shape(x);
    const y = this.fresh('flat', [s[0]!, s.slice(1).reduce((p, d) => p * d, 1)]);
    this.layers.push({ k: 'flatten', x, y });
    return y;
  }

  gemm(x: string, n: number, act: Activation = 'none'): string {
    const [b, k] = this.shape(x) as [number, number];
    const y = this.fresh('fc', [b, n]);
    this.layers.push({ k: 'gemm', x, y, w: this.weight([n, k], 0, k), bias: this.bias(n), act });
    return y;
  }

  /** MatMul + bias Add (+ activation), the Keras/tf2onnx shape of a dense layer. */
  dense(x: string, n: number, act: Activation = 'none'): string {
    const [b, k] = this.shape(x) as [number, number];
    const mm = this.fresh('mm', [b, n]);
    this.layers.push({ k: 'matmul', x, y: mm, w: this.weight([k, n], 1, k) });
    const y = this.fresh('dense', [b, n]);
    this.layers.push({ k: 'bias_add', x: mm, y, bias: this.bias(n, 0.2), act });
    return y;
  }

  build(out: string): NetDesc {
    return { name: this.name, input: this.input, layers: this.layers, out, seed: this.seed };
  }
}

// ---- ONNX emission -------------------------------------------------------------------------------

const OPSETS: ModelDesc['opsets'] = [{ domain: '', version: 13 }, { domain: 'com.microsoft', version: 1 }];
const MS = 'com.microsoft';

class Emit {
  readonly nodes: NodeDesc[] = [];
  readonly inits: { name: string; tensor: Tensor }[] = [];
  private k = 0;

  init(p: string, t: Tensor): string {
    const name = `${p}_${this.k++}`;
    this.inits.push({ name, tensor: t });
    return name;
  }

  node(op: string, inputs: string[], out: string, attrs: Record<string, AttrDesc> = {}, domain = ''): string {
    this.nodes.push({ op, inputs, outputs: [out], attrs, name: `${op}_${this.k++}`, ...(domain ? { domain } : {}) });
    return out;
  }

  fresh(p: string): string {
    return `${p}_${this.k++}`;
  }

  f32(p: string, shape: number[], v: ArrayLike<number>): string {
    return this.init(p, Tensor.fromNumbers('f32', shape, Array.from(v, (x) => Math.fround(x))));
  }
}

const dequant = (w: QWeight): number[] => {
  const inner = w.shape.slice(w.axis + 1).reduce((p, d) => p * d, 1);
  const c = w.shape[w.axis]!;
  return Array.from(w.q, (q, i) => Math.fround(q * w.scales[Math.floor(i / inner) % c]!));
};

function floatAct(e: Emit, x: string, act: Activation, y: string): string {
  if (act === 'relu') return e.node('Relu', [x], y);
  if (act === 'relu6') return e.node('Clip', [x, e.f32('lo', [], [0]), e.f32('hi', [], [6])], y);
  return e.node('Identity', [x], y);
}

/** The float network; with `allOutputs` every tensor is a graph output (for calibration). */
export function floatModel(net: NetDesc, allOutputs = false): ModelDesc {
  const e = new Emit();
  const outs: string[] = [];
  for (const l of net.layers) {
    switch (l.k) {
      case 'conv': {
        const w = e.f32('w', l.w.shape, dequant(l.w));
        const b = e.f32('b', [l.bias.length], l.bias);
        const pre = e.node('Conv', [l.x, w, b], `${l.y}_pre`, {
          strides: { ints: l.strides }, pads: { ints: l.pads }, group: { i: l.group }, kernel_shape: { ints: l.w.shape.slice(2) },
        });
        floatAct(e, pre, l.act, l.y);
        break;
      }
      case 'add':
        floatAct(e, e.node('Add', [l.a, l.b], `${l.y}_pre`), l.act, l.y);
        break;
      case 'gap':
        e.node('GlobalAveragePool', [l.x], l.y);
        break;
      case 'avgpool':
        e.node('AveragePool', [l.x], l.y, { kernel_shape: { ints: l.kernel }, strides: { ints: l.strides } });
        break;
      case 'softmax':
        e.node('Softmax', [l.x], l.y, { axis: { i: -1 } });
        break;
      case 'flatten':
        e.node('Flatten', [l.x], l.y, { axis: { i: 1 } });
        break;
      case 'gemm': {
        const pre = e.node('Gemm', [l.x, e.f32('w', l.w.shape, dequant(l.w)), e.f32('b', [l.bias.length], l.bias)], `${l.y}_pre`, { transB: { i: 1 } });
        floatAct(e, pre, l.act, l.y);
        break;
      }
      case 'matmul':
        e.node('MatMul', [l.x, e.f32('w', l.w.shape, dequant(l.w))], l.y);
        break;
      case 'bias_add':
        floatAct(e, e.node('Add', [l.x, e.f32('b', [l.bias.length], l.bias)], `${l.y}_pre`), l.act, l.y);
        break;
    }
    outs.push(l.y);
  }
  const outputs = allOutputs ? [net.input.name, ...outs] : [net.out];
  return {
    opsets: OPSETS, graphName: net.name,
    inputs: [{ name: net.input.name, dtype: 'f32', shape: net.input.shape }],
    outputs: outputs.map((name) => ({ name, dtype: 'f32' as const })),
    initializers: e.inits, nodes: e.nodes,
  };
}

/** Seeded calibration input: smooth-ish values in about [-2, 2] (sum of two uniforms, plus a slow ramp). */
export function calibrationInput(shape: number[], seed: number): Tensor {
  const r = new Prng(seed);
  const n = shape.reduce((p, d) => p * d, 1);
  const v = Array.from({ length: n }, (_, i) => Math.fround(r.nextFloat() + r.nextFloat() - 1 + Math.sin(i / 7)));
  return Tensor.fromNumbers('f32', shape, v);
}

export type Ranges = ReadonlyMap<string, { min: number; max: number }>;

/** Min/max of every tensor of the float network over `runs` seeded inputs (qcc's interpreter). */
export function calibrate(net: NetDesc, runs = 3): Ranges {
  const graph = loadOnnxBytes(encodeModel(floatModel(net, true)));
  const r = new Map<string, { min: number; max: number }>();
  for (let i = 0; i < runs; i++) {
    const x = calibrationInput(net.input.shape, net.seed * 1000 + i);
    const out = interpret(graph, new Map([[net.input.name, x]]));
    for (const [name, t] of out) {
      const d = t.data as Float32Array;
      let mn = Infinity;
      let mx = -Infinity;
      for (const v of d) {
        if (v < mn) mn = v;
        if (v > mx) mx = v;
      }
      const o = r.get(name);
      r.set(name, o ? { min: Math.min(o.min, mn), max: Math.max(o.max, mx) } : { min: mn, max: mx });
    }
  }
  return r;
}

export interface QParams {
  scale: number;
  zp: number;
}

const QR: Record<Act, [number, number]> = { u8: [0, 255], i8: [-128, 127] };

/** ORT's MinMax quantization parameters (asymmetric, range widened to include 0). */
export function qparamsOf(min: number, max: number, act: Act): QParams {
  const [qmin, qmax] = QR[act];
  const rmin = Math.min(min, 0);
  let rmax = Math.max(max, 0);
  if (rmax - rmin < 1e-6) rmax = rmin + 1e-6;
  const scale = Math.fround((rmax - rmin) / (qmax - qmin));
  const zp = Math.max(qmin, Math.min(qmax, Math.round(qmin - rmin / scale)));
  return { scale, zp };
}

/** Quantization parameters of every tensor (Flatten outputs share their input's, as ORT's quantizer does). */
export function tensorParams(net: NetDesc, ranges: Ranges, act: Act): Map<string, QParams> {
  const p = new Map<string, QParams>();
  const r = (t: string) => {
    const x = ranges.get(t);
    if (!x) throw new Error(`zoo: no calibration range for '${t}'`);
    return qparamsOf(x.min, x.max, act);
  };
  p.set(net.input.name, r(net.input.name));
  for (const l of net.layers) p.set(l.y, l.k === 'flatten' ? p.get(l.x)! : l.k === 'softmax' ? qparamsOf(0, 1, act) : r(l.y));
  return p;
}

const i32 = (x: number) => Math.max(-2147483648, Math.min(2147483647, Math.round(x)));

/** int32 bias = round(bias / (s_x * s_w[c])) and the float32 bias scales. */
function quantBias(bias: number[], sx: number, w: QWeight): { q: number[]; scales: number[] } {
  const scales = w.scales.map((sw) => Math.fround(sx * sw));
  return { q: bias.map((b, c) => i32(b / scales[c]!)), scales };
}

/** A constant vector quantized per tensor in the activation type (QLinearAdd's second input). */
function quantConst(v: number[], act: Act): { q: number[]; p: QParams } {
  const p = qparamsOf(Math.min(...v), Math.max(...v), act);
  const [qmin, qmax] = QR[act];
  return { q: v.map((x) => Math.max(qmin, Math.min(qmax, Math.round(x / p.scale) + p.zp))), p };
}

/** The quantized model in ONNX Runtime's QOperator or QDQ form. */
export function quantizedModel(net: NetDesc, ranges: Ranges, form: Form, act: Act): ModelDesc {
  const P = tensorParams(net, ranges, act);
  const e = new Emit();
  const sp = (t: string): [string, string] => {
    const p = P.get(t)!;
    return [e.f32(`${t}_scale`, [], [p.scale]), e.init(`${t}_zp`, Tensor.scalar(act, p.zp))];
  };
  const wInit = (w: QWeight): [string, string, string] => [
    e.init('w', new Tensor('i8', w.shape, w.q.slice())),
    e.f32('w_scale', [w.scales.length], w.scales),
    e.init('w_zp', Tensor.fromNumbers('i8', [w.scales.length], new Array<number>(w.scales.length).fill(0))),
  ];
  const x0 = net.input.name;
  // QOperator: tensor t is the quantized value `t`. QDQ: `t_q` quantized, `t` its dequantized float.
  if (form === 'qop') {
    e.node('QuantizeLinear', [x0, ...sp(x0)], `${x0}_q`);
    const q = (t: string) => `${t}_q`;
    for (const l of net.layers) {
      switch (l.k) {
        case 'conv': {
          const b = quantBias(l.bias, P.get(l.x)!.scale, l.w);
          e.node('QLinearConv', [q(l.x), ...sp(l.x), ...wInit(l.w), ...sp(l.y), e.init('bias', Tensor.fromNumbers('i32', [b.q.length], b.q))], q(l.y), {
            strides: { ints: l.strides }, pads: { ints: l.pads }, group: { i: l.group }, kernel_shape: { ints: l.w.shape.slice(2) },
          });
          break;
        }
        case 'add':
          e.node('QLinearAdd', [q(l.a), ...sp(l.a), q(l.b), ...sp(l.b), ...sp(l.y)], q(l.y), {}, MS);
          break;
        case 'gap':
          e.node('QLinearGlobalAveragePool', [q(l.x), ...sp(l.x), ...sp(l.y)], q(l.y), { channels_last: { i: 0 } }, MS);
          break;
        case 'avgpool':
          e.node('QLinearAveragePool', [q(l.x), ...sp(l.x), ...sp(l.y)], q(l.y), {
            kernel_shape: { ints: l.kernel }, strides: { ints: l.strides }, pads: { ints: [0, 0, 0, 0] }, channels_last: { i: 0 },
          }, MS);
          break;
        case 'softmax':
          e.node('QLinearSoftmax', [q(l.x), ...sp(l.x), ...sp(l.y)], q(l.y), { axis: { i: -1 }, opset: { i: 13 } }, MS);
          break;
        case 'flatten':
          e.node('Flatten', [q(l.x)], q(l.y), { axis: { i: 1 } });
          break;
        case 'gemm': {
          const b = quantBias(l.bias, P.get(l.x)!.scale, l.w);
          e.node('QGemm', [q(l.x), ...sp(l.x), ...wInit(l.w), e.init('bias', Tensor.fromNumbers('i32', [b.q.length], b.q)), ...sp(l.y)], q(l.y), {
            transB: { i: 1 }, alpha: { f: 1 },
          }, MS);
          break;
        }
        case 'matmul':
          e.node('QLinearMatMul', [q(l.x), ...sp(l.x), ...wInit(l.w), ...sp(l.y)], q(l.y));
          break;
        case 'bias_add': {
          const c = quantConst(l.bias, act);
          const cq = e.init('bias_q', Tensor.fromNumbers(act, [c.q.length], c.q));
          e.node('QLinearAdd', [q(l.x), ...sp(l.x), cq, e.f32('bias_scale', [], [c.p.scale]), e.init('bias_zp', Tensor.scalar(act, c.p.zp)), ...sp(l.y)], q(l.y), {}, MS);
          break;
        }
      }
    }
    e.node('DequantizeLinear', [q(net.out), ...sp(net.out)], 'output');
  } else {
    const qdq = (pre: string, t: string) => e.node('DequantizeLinear', [e.node('QuantizeLinear', [pre, ...sp(t)], `${t}_q`), ...sp(t)], t === net.out ? 'output' : t);
    const wDq = (w: QWeight) => e.node('DequantizeLinear', wInit(w), e.fresh('w_dq'), { axis: { i: w.axis } });
    const bDq = (bias: number[], x: string, w: QWeight) => {
      const b = quantBias(bias, P.get(x)!.scale, w);
      const n = b.q.length;
      return e.node('DequantizeLinear', [
        e.init('bias', Tensor.fromNumbers('i32', [n], b.q)), e.f32('bias_scale', [n], b.scales), e.init('bias_zp', Tensor.fromNumbers('i32', [n], new Array<number>(n).fill(0))),
      ], e.fresh('b_dq'), { axis: { i: 0 } });
    };
    const xq = (t: string) => (t === x0 ? `${x0}_dq` : t);
    e.node('DequantizeLinear', [e.node('QuantizeLinear', [x0, ...sp(x0)], `${x0}_q`), ...sp(x0)], `${x0}_dq`);
    for (const l of net.layers) {
      switch (l.k) {
        case 'conv': {
          const pre = e.node('Conv', [xq(l.x), wDq(l.w), bDq(l.bias, l.x, l.w)], `${l.y}_conv`, {
            strides: { ints: l.strides }, pads: { ints: l.pads }, group: { i: l.group }, kernel_shape: { ints: l.w.shape.slice(2) },
          });
          qdq(qdqAct(e, pre, l.act, l.y), l.y);
          break;
        }
        case 'add':
          qdq(qdqAct(e, e.node('Add', [xq(l.a), xq(l.b)], `${l.y}_add`), l.act, l.y), l.y);
          break;
        case 'gap':
          qdq(e.node('GlobalAveragePool', [xq(l.x)], `${l.y}_gap`), l.y);
          break;
        case 'avgpool':
          qdq(e.node('AveragePool', [xq(l.x)], `${l.y}_pool`, { kernel_shape: { ints: l.kernel }, strides: { ints: l.strides } }), l.y);
          break;
        case 'softmax':
          qdq(e.node('Softmax', [xq(l.x)], `${l.y}_softmax`, { axis: { i: -1 } }), l.y);
          break;
        case 'flatten':
          qdq(e.node('Flatten', [xq(l.x)], `${l.y}_flat`, { axis: { i: 1 } }), l.y);
          break;
        case 'gemm':
          qdq(qdqAct(e, e.node('Gemm', [xq(l.x), wDq(l.w), bDq(l.bias, l.x, l.w)], `${l.y}_gemm`, { transB: { i: 1 } }), l.act, l.y), l.y);
          break;
        case 'matmul':
          qdq(e.node('MatMul', [xq(l.x), wDq(l.w)], `${l.y}_mm`), l.y);
          break;
        case 'bias_add': {
          const c = quantConst(l.bias, act);
          const cdq = e.node('DequantizeLinear', [
            e.init('bias_q', Tensor.fromNumbers(act, [c.q.length], c.q)), e.f32('bias_scale', [], [c.p.scale]), e.init('bias_zp', Tensor.scalar(act, c.p.zp)),
          ], `${l.y}_bias_dq`);
          qdq(qdqAct(e, e.node('Add', [xq(l.x), cdq], `${l.y}_add`), l.act, l.y), l.y);
          break;
        }
      }
    }
  }
  return {
    opsets: OPSETS, graphName: `${net.name}_${form}_${act}`, producerName: 'qcc-zoo',
    inputs: [{ name: x0, dtype: 'f32', shape: net.input.shape }],
    outputs: [{ name: 'output', dtype: 'f32' }],
    initializers: e.inits, nodes: e.nodes,
  };
}

/** In QDQ form the activation stays a float node between the op and its QuantizeLinear. */
function qdqAct(e: Emit, x: string, act: Activation, y: string): string {
  if (act === 'none') return x;
  return floatAct(e, x, act, `${y}_act`);
}
