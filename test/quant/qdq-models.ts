/**
 * Generated QDQ models (as ONNX Runtime's quantizer writes them: float ops between DequantizeLinear and
 * QuantizeLinear, per-channel int8 weights in initializers, int32 biases through DequantizeLinear) for
 * the QDQ fusion tests: each case says which internal kinds the fused graph must hold, and is run
 * against onnxruntime-web with graph optimizations on. Activations u8 or i8.
 */
import type { DType } from '../../compiler/ir/dtype.ts';
import { Tensor } from '../../compiler/ir/tensor.ts';
import { Prng } from '../../compiler/io/random-inputs.ts';
import type { AttrDesc, ModelDesc, NodeDesc } from '../../compiler/frontend/onnx/writer.ts';
import { fullRange } from '../referee/op-models.ts';

export type Act = 'u8' | 'i8';

export interface QdqCase {
  name: string;
  desc: ModelDesc;
  /** Op kinds the graph holds after prepareGraph (sorted, with repeats). */
  fused: string[];
  /**
   * Left in float: compared with onnxruntime-web without optimizations, because with them ORT changes its
   * float Conv algorithm (NCHWc blocking, other summation order), 1 LSB away after requantization.
   */
  float?: boolean;
}

/** Builds a QDQ graph: every tensor name unique, initializers for all parameters. */
export class QdqBuilder {
  readonly nodes: NodeDesc[] = [];
  readonly inits: { name: string; tensor: Tensor }[] = [];
  readonly inputs: ModelDesc['inputs'] = [];
  private k = 0;
  readonly rng: Prng;

  constructor(seed = 7) {
    this.rng = new Prng(seed);
  }

  fresh(p: string): string {
    return `${p}_${this.k++}`;
  }

  init(p: string, t: Tensor): string {
    const name = this.fresh(p);
    this.inits.push({ name, tensor: t });
    return name;
  }

  input(name: string, shape: number[]): string {
    this.inputs.push({ name, dtype: 'f32', shape });
    return name;
  }

  op(op: string, inputs: string[], attrs: Record<string, AttrDesc> = {}, domain = ''): string {
    const out = this.fresh(op.toLowerCase());
    this.nodes.push({ op, inputs, outputs: [out], attrs, name: this.fresh(`n_${op}`), ...(domain ? { domain } : {}) });
    return out;
  }

  params(dtype: DType, scale: number, zp: number): [string, string] {
    return [this.init('scale', Tensor.scalar('f32', Math.fround(scale))), this.init('zp', Tensor.scalar(dtype, zp))];
  }

  q(x: string, dtype: DType, scale: number, zp: number): string {
    return this.op('QuantizeLinear', [x, ...this.params(dtype, scale, zp)]);
  }

  dq(x: string, dtype: DType, scale: number, zp: number): string {
    return this.op('DequantizeLinear', [x, ...this.params(dtype, scale, zp)]);
  }

  /** Q then DQ with the same parameters: the activation edge of a QDQ model. */
  qdq(x: string, dtype: DType, scale: number, zp: number): string {
    return this.dq(this.q(x, dtype, scale, zp), dtype, scale, zp);
  }

  /** Per-channel int8 weights (full range, extremes included) through DequantizeLinear on `axis`. */
  weight(shape: number[], axis: number, dtype: DType = 'i8', perChannel = true): { out: string; scales: number[] } {
    const w = this.init('w', fullRange(dtype, shape, this.rng));
    const c = perChannel ? shape[axis]! : 1;
    const scales = Array.from({ length: c }, () => Math.fround(0.002 + this.rng.nextFloat() * 0.01));
    const zps = Array.from({ length: c }, () => (dtype === 'u8' ? 128 + this.rng.intIn(-3, 3) : 0));
    const st = perChannel ? Tensor.fromNumbers('f32', [c], scales) : Tensor.scalar('f32', scales[0]!);
    const zt = perChannel ? Tensor.fromNumbers(dtype, [c], zps) : Tensor.scalar(dtype, zps[0]!);
    const out = this.op('DequantizeLinear', [w, this.init('w_scale', st), this.init('w_zp', zt)], perChannel ? { axis: { i: axis } } : {});
    return { out, scales };
  }

  /** int32 bias through DequantizeLinear (scale x_scale * w_scale[c], as quantizers write it). */
  bias(n: number, xScale: number, wScales: number[]): string {
    const b = this.init('b', Tensor.fromNumbers('i32', [n], Array.from({ length: n }, () => this.rng.intIn(-3000, 3000))));
    const s = this.init('b_scale', Tensor.fromNumbers('f32', [wScales.length], wScales.map((w) => Math.fround(xScale * w))));
    const z = this.init('b_zp', Tensor.fromNumbers('i32', [wScales.length], new Array<number>(wScales.length).fill(0)));
    return this.op('DequantizeLinear', [b, s, z], wScales.length > 1 ? { axis: { i: 0 } } : {});
  }

  build(outputs: string[], opset = 13): ModelDesc {
    return {
      opsets: [{ domain: '', version: opset }],
      inputs: this.inputs,
      outputs: outputs.map((name) => ({ name })),
      initializers: this.inits,
      nodes: this.nodes,
    };
  }
}

const mid = (d: Act) => (d === 'u8' ? 128 : 0);
const low = (d: Act) => (d === 'u8' ? 0 : -128);

/** The generated cases for one activation type. */
export function qdqCases(act: Act): QdqCase[] {
  const cases: QdqCase[] = [];
  const add = (name: string, fused: string[], f: (b: QdqBuilder) => string[], opset = 13) => {
    const b = new QdqBuilder(name.length * 31 + (act === 'u8' ? 1 : 2));
    cases.push({ name: `${name} ${act}`, desc: b.build(f(b), opset), fused: [...fused].sort(), ...(name.startsWith('unfusable') ? { float: true } : {}) });
  };
  const S = 0.05;

  // Conv: per-channel int8 weights, int32 bias, stride 2, asymmetric pads, odd sizes.
  add('conv', ['quantize_linear', 'qlinear_conv', 'dequantize_linear'], (b) => {
    const x = b.qdq(b.input('x', [1, 3, 9, 7]), act, S, mid(act));
    const w = b.weight([5, 3, 3, 3], 0);
    const y = b.op('Conv', [x, w.out, b.bias(5, S, w.scales)], { strides: { ints: [2, 2] }, pads: { ints: [1, 0, 1, 2] } });
    return [b.dq(b.q(y, act, 0.1, mid(act) + 3), act, 0.1, mid(act) + 3)];
  });
  // Depthwise conv without bias, then Relu before Q with the zero point at the type minimum (ORT drops it).
  add('depthwise conv, relu into Q', ['quantize_linear', 'qlinear_conv', 'dequantize_linear'], (b) => {
    const x = b.qdq(b.input('x', [1, 4, 6, 5]), act, S, mid(act));
    const w = b.weight([4, 1, 3, 3], 0);
    const y = b.op('Relu', [b.op('Conv', [x, w.out], { group: { i: 4 }, pads: { ints: [1, 1, 1, 1] } })]);
    return [b.dq(b.q(y, act, 0.05, low(act)), act, 0.05, low(act))];
  });
  // QDQ-wrapped Relu and ReLU6 after a conv: integer clips folded into the conv's output clamp.
  add('conv, QDQ relu', ['quantize_linear', 'qlinear_conv', 'dequantize_linear'], (b) => {
    const x = b.qdq(b.input('x', [1, 3, 5, 5]), act, S, mid(act));
    const w = b.weight([3, 3, 3, 3], 0);
    const y = b.qdq(b.op('Conv', [x, w.out, b.bias(3, S, w.scales)], { pads: { ints: [1, 1, 1, 1] } }), act, 0.08, mid(act) - 5);
    return [b.dq(b.q(b.op('Relu', [y]), act, 0.08, mid(act) - 5), act, 0.08, mid(act) - 5)];
  });
  add('matmul, QDQ relu6', ['quantize_linear', 'qlinear_matmul', 'dequantize_linear'], (b) => {
    const x = b.qdq(b.input('x', [2, 3, 7]), act, S, mid(act));
    const w = b.weight([7, 5], 1);
    const y = b.qdq(b.op('MatMul', [x, w.out]), act, 0.04, mid(act) - 20);
    const six = b.init('six', Tensor.scalar('f32', 6));
    const zero = b.init('zero', Tensor.scalar('f32', 0));
    return [b.dq(b.q(b.op('Clip', [y, zero, six]), act, 0.04, mid(act) - 20), act, 0.04, mid(act) - 20)];
  });
  add('gemm, bias, transB', ['quantize_linear', 'qgemm', 'dequantize_linear'], (b) => {
    const x = b.qdq(b.input('x', [3, 10]), act, S, mid(act));
    const w = b.weight([6, 10], 0);
    const y = b.op('Gemm', [x, w.out, b.bias(6, S, w.scales)], { transB: { i: 1 } });
    return [b.dq(b.q(y, act, 0.1, mid(act)), act, 0.1, mid(act))];
  });
  add('gemm, float output', ['quantize_linear', 'qgemm'], (b) => {
    const x = b.qdq(b.input('x', [3, 10]), act, S, mid(act));
    const w = b.weight([10, 4], 1);
    return [b.op('Gemm', [x, w.out, b.bias(4, S, w.scales)])];
  });
  // DQ -> MatMul with a float output: ORT's MatMulIntegerToFloat, which is QGemm's float output.
  add('matmul, float output', ['quantize_linear', 'qgemm'], (b) => {
    const x = b.qdq(b.input('x', [5, 16]), act, S, mid(act) - 1);
    return [b.op('MatMul', [x, b.weight([16, 6], 1).out])];
  });
  add('batched matmul, float output, then Relu', ['quantize_linear', 'reshape', 'qgemm', 'reshape', 'relu'], (b) => {
    const x = b.qdq(b.input('x', [2, 3, 9]), act, S, mid(act) + 2);
    return [b.op('Relu', [b.op('MatMul', [x, b.weight([9, 4], 1, 'i8', false).out])])];
  });
  for (const [op, kind] of [['Add', 'qlinear_add'], ['Mul', 'qlinear_mul']] as const) {
    add(`residual ${op}`, ['quantize_linear', 'quantize_linear', kind, 'dequantize_linear'], (b) => {
      const x = b.qdq(b.input('x', [1, 3, 4, 5]), act, S, mid(act) - 7);
      const y = b.qdq(b.input('y', [1, 1, 4, 5]), act, 0.03, mid(act) + 9);
      return [b.dq(b.q(b.op(op, [x, y]), act, 0.07, mid(act) + 1), act, 0.07, mid(act) + 1)];
    });
  }
  const unary = (name: string, op: string, kind: string, attrs: Record<string, AttrDesc>, shape = [1, 3, 5, 7], outS = 0.02, outZ = mid(act)) =>
    add(name, ['quantize_linear', kind, 'dequantize_linear'], (b) => {
      const x = b.qdq(b.input('x', shape), act, S, mid(act) + 5);
      return [b.dq(b.q(b.op(op, [x], attrs), act, outS, outZ), act, outS, outZ)];
    });
  // int8: onnxruntime-web runs it in the uint8 domain (see fuseInU8Domain): shifted through int32 casts.
  add('average pool', act === 'u8' ? ['quantize_linear', 'qlinear_average_pool', 'dequantize_linear']
    : ['quantize_linear', 'cast', 'add', 'cast', 'qlinear_average_pool', 'cast', 'add', 'cast', 'dequantize_linear'], (b) => {
    const x = b.qdq(b.input('x', [1, 3, 5, 7]), act, S, mid(act) + 5);
    const y = b.op('AveragePool', [x], { kernel_shape: { ints: [3, 2] }, strides: { ints: [2, 1] }, pads: { ints: [1, 0, 1, 1] } });
    return [b.dq(b.q(y, act, 0.02, mid(act)), act, 0.02, mid(act))];
  });
  unary('global average pool', 'GlobalAveragePool', 'qlinear_global_average_pool', {});
  unary('sigmoid', 'Sigmoid', 'qlinear_sigmoid', {}, [1, 3, 5, 7], 1 / 256, low(act));
  unary('leaky relu', 'LeakyRelu', 'qlinear_leaky_relu', { alpha: { f: 0.13 } });
  unary('softmax', 'Softmax', 'qlinear_softmax', { axis: { i: -1 } }, [2, 3, 9], 1 / 256, low(act));
  add('concat', ['quantize_linear', 'quantize_linear', 'qlinear_concat', 'dequantize_linear'], (b) => {
    const x = b.qdq(b.input('x', [1, 2, 3, 3]), act, S, mid(act));
    const y = b.qdq(b.input('y', [1, 3, 3, 3]), act, 0.02, mid(act) - 4);
    return [b.dq(b.q(b.op('Concat', [x, y], { axis: { i: 1 } }), act, 0.04, mid(act) + 2), act, 0.04, mid(act) + 2)];
  });
  // Data movement between equal DQ/Q parameters: the quantized values pass through.
  add('maxpool, reshape, transpose, squeeze, unsqueeze, flatten',
    ['quantize_linear', 'max_pool', 'reshape', 'reshape', 'reshape', 'transpose', 'reshape', 'dequantize_linear'], (b) => {
      const s = 0.03;
      const z = mid(act) + 11;
      const chain = (x: string, op: string, extra: string[] = [], attrs: Record<string, AttrDesc> = {}) =>
        b.dq(b.q(b.op(op, [x, ...extra], attrs), act, s, z), act, s, z);
      let x = b.qdq(b.input('x', [1, 2, 6, 5]), act, s, z);
      x = chain(x, 'MaxPool', [], { kernel_shape: { ints: [2, 2] }, strides: { ints: [2, 2] } });
      x = chain(x, 'Reshape', [b.init('shape', Tensor.fromNumbers('i64', [4], [1, 2, 1, 6]))]);
      x = chain(x, 'Squeeze', [b.init('axes', Tensor.fromNumbers('i64', [1], [2]))]);
      x = chain(x, 'Unsqueeze', [b.init('axes', Tensor.fromNumbers('i64', [1], [0]))]);
      x = chain(x, 'Transpose', [], { perm: { ints: [0, 2, 3, 1] } });
      x = chain(x, 'Flatten', [], { axis: { i: 2 } });
      return [x];
    });
  // A Reshape whose target shape comes from Shape -> Gather -> Concat (folded once shapes are static):
  // the DQ/Q pair around it drops as for a constant shape.
  add('reshape with a Shape -> Gather -> Concat shape', ['quantize_linear', 'reshape', 'dequantize_linear'], (b) => {
    const x = b.qdq(b.input('x', [2, 3, 4]), act, 0.03, mid(act) + 1);
    const shape = b.op('Shape', [x]);
    const n = b.op('Gather', [shape, b.init('i0', Tensor.fromNumbers('i64', [1], [0]))], { axis: { i: 0 } });
    const target = b.op('Concat', [n, b.init('rest', Tensor.fromNumbers('i64', [1], [-1]))], { axis: { i: 0 } });
    return [b.dq(b.q(b.op('Reshape', [x, target]), act, 0.03, mid(act) + 1), act, 0.03, mid(act) + 1)];
  });
  // One DequantizeLinear feeding two convs and a graph output.
  // int8: the input's Q feeds a DQ read three times, so ORT-web keeps it int8 and both Convs float (it fuses
  // no int8 Conv off ARM; QDQS8ToU8Transformer converts only a Q with one output edge, see qdq-fusion.ts).
  add('multi-consumer DQ', act === 'u8'
    ? ['dequantize_linear', 'dequantize_linear', 'dequantize_linear', 'quantize_linear', 'qlinear_conv', 'qlinear_conv']
    : ['conv', 'conv', 'dequantize_linear', 'dequantize_linear', 'dequantize_linear', 'dequantize_linear', 'quantize_linear', 'quantize_linear', 'quantize_linear'], (b) => {
    const xq = b.q(b.input('x', [1, 2, 5, 5]), act, S, mid(act));
    const x = b.dq(xq, act, S, mid(act));
    const w = b.weight([3, 2, 3, 3], 0);
    const y1 = b.dq(b.q(b.op('Conv', [x, w.out]), act, 0.1, mid(act)), act, 0.1, mid(act));
    const y2 = b.dq(b.q(b.op('Conv', [x, w.out], { pads: { ints: [1, 1, 1, 1] } }), act, 0.2, mid(act) + 1), act, 0.2, mid(act) + 1);
    return [y1, y2, x];
  });
  // Not fused (ORT keeps them in float too): Tanh has no integer form; a conv with a float bias.
  add('unfusable: tanh, float bias', ['quantize_linear', 'dequantize_linear', 'dequantize_linear', 'conv', 'quantize_linear',
    'dequantize_linear', 'tanh', 'quantize_linear', 'dequantize_linear'], (b) => {
    const x = b.qdq(b.input('x', [1, 2, 4, 4]), act, S, mid(act));
    const w = b.weight([2, 2, 1, 1], 0);
    const bias = b.init('fb', Tensor.fromNumbers('f32', [2], [0.25, -0.5]));
    const y = b.qdq(b.op('Conv', [x, w.out, bias]), act, 0.05, mid(act));
    return [b.dq(b.q(b.op('Tanh', [y]), act, 1 / 128, mid(act)), act, 1 / 128, mid(act))];
  });
  return cases;
}
