/**
 * A small quantized CNN with a residual add, shaped like the ResNet blocks ONNX Runtime's quantizer emits
 * (QOperator form): u8 activations, per-channel i8 weights, int32 biases.
 *   x u8[1,3,16,16] -> QLinearConv 3->8 3x3 pad 1 -> a
 *   a -> QLinearConv 8->8 3x3 pad 1 -> b;  QLinearAdd(a, b) -> r            (the residual)
 *   r -> QLinearConv 8->8 depthwise 3x3 stride 2 pad 1 -> d
 *   d -> QLinearConv 8->4 1x1 -> e -> QLinearConv 4->10 8x8 (the dense head) -> y u8[1,10,1,1]
 */
import { Graph, type Attrs, type Value } from '../../../compiler/ir/graph.ts';
import { Tensor } from '../../../compiler/ir/tensor.ts';
import { getOpDef } from '../../../compiler/ops/registry.ts';
import '../../../compiler/ops/index.ts';
import { xorshift32Unit } from '../../../test/util/prng.ts';

const rng = xorshift32Unit;

export function residualCnn(seed = 7): Graph {
  const r = rng(seed);
  const g = new Graph('resnet_block');
  let k = 0;
  const c = (t: Tensor): Value => g.addConst(`k${k++}`, t);
  const f32 = (v: number) => c(Tensor.fromNumbers('f32', [], [v]));
  const u8 = (v: number) => c(Tensor.fromNumbers('u8', [], [v]));
  const node = (op: string, inputs: (Value | null)[], attrs: Attrs = {}): Value => {
    const name = `${op}_${k++}`;
    const outs = getOpDef(op).infer({ id: -1, name, op, inputs, outputs: [], attrs }).map((t, j) => g.addValue(`${name}_y${j}`, t));
    g.addNode(op, name, inputs, outs, attrs);
    return outs[0]!;
  };
  const conv = (x: Value, xs: number, xz: number, cin: number, m: number, kh: number, o: { stride?: number; pad?: number; group?: number; ys: number; yz: number }): Value => {
    const group = o.group ?? 1;
    const cpg = cin / group;
    const n = m * cpg * kh * kh;
    const w = Tensor.fromNumbers('i8', [m, cpg, kh, kh], Array.from({ length: n }, () => Math.floor(r() * 255) - 127));
    const ws = Tensor.fromNumbers('f32', [m], Array.from({ length: m }, () => Math.fround(0.004 + r() * 0.01)));
    const wz = Tensor.fromNumbers('i8', [m], new Array<number>(m).fill(0));
    const bias = Tensor.fromNumbers('i32', [m], Array.from({ length: m }, () => Math.floor(r() * 4001) - 2000));
    const p = o.pad ?? 0;
    const s = o.stride ?? 1;
    return node('qlinear_conv', [x, f32(xs), u8(xz), c(w), c(ws), c(wz), f32(o.ys), u8(o.yz), c(bias)],
      { kernel_shape: [kh, kh], strides: [s, s], dilations: [1, 1], pads: [p, p, p, p], group });
  };
  const x = g.addValue('image', { dtype: 'u8', shape: [1, 3, 16, 16] });
  g.inputs.push(x);
  const a = conv(x, 0.02, 128, 3, 8, 3, { pad: 1, ys: 0.05, yz: 100 });
  const b = conv(a, 0.05, 100, 8, 8, 3, { pad: 1, ys: 0.08, yz: 120 });
  const res = node('qlinear_add', [a, f32(0.05), u8(100), b, f32(0.08), u8(120), f32(0.1), u8(110)]);
  const d = conv(res, 0.1, 110, 8, 8, 3, { stride: 2, pad: 1, group: 8, ys: 0.06, yz: 90 });
  const e = conv(d, 0.06, 90, 8, 4, 1, { ys: 0.05, yz: 128 });
  const y = conv(e, 0.05, 128, 4, 10, 8, { ys: 0.8, yz: 128 });
  g.outputs.push(y);
  return g;
}
