// Regenerates the bundled example model and its sample input:
//   node bin/qcc-dev.js examples/make-examples.ts
// tiny_cnn.onnx: float input -> QuantizeLinear -> QLinearConv (3x3, pad 1, per-channel int8 weights,
// ReLU-like u8 output with zero point 0) -> QLinearConv (3x3, stride 2, pad 1) -> DequantizeLinear.
// Weights and biases come from a fixed-seed generator, so the bytes are the same on every run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodeModel } from '../compiler/frontend/onnx/writer.ts';
import type { DType } from '../compiler/ir/dtype.ts';
import { Tensor } from '../compiler/ir/tensor.ts';
import { writeTensorFile } from '../compiler/io/test-data.ts';
import { Prng } from '../compiler/io/random-inputs.ts';

const here = dirname(fileURLToPath(import.meta.url));

function randomInts(rng: Prng, n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, () => rng.intIn(lo, hi));
}

function tinyCnn(): Uint8Array {
  const rng = new Prng(20240601);
  const [C0, C1, C2, H, W] = [3, 8, 4, 16, 16];
  const f32 = Math.fround;
  const init = (name: string, dtype: DType, shape: number[], values: ArrayLike<number>) => ({
    name,
    tensor: Tensor.fromNumbers(dtype, shape, values),
  });
  const conv = (name: string, x: string, xs: string, w: string, y: string, strides: number) => ({
    op: 'QLinearConv',
    name,
    inputs: [x, `${xs}_scale`, `${xs}_zero_point`, w, `${w}_scale`, `${w}_zero_point`, `${y}_scale`, `${y}_zero_point`, `b${w.slice(1)}`],
    outputs: [`${y}_q`],
    attrs: { kernel_shape: { ints: [3, 3] }, pads: { ints: [1, 1, 1, 1] }, strides: { ints: [strides, strides] } },
  });
  return encodeModel({
    irVersion: 8,
    producerName: 'qcc examples/make-examples.ts',
    opsets: [{ domain: '', version: 13 }],
    graphName: 'tiny_cnn',
    inputs: [{ name: 'image', dtype: 'f32', shape: [1, C0, H, W] }],
    outputs: [{ name: 'features', dtype: 'f32', shape: [1, C2, H / 2, W / 2] }],
    initializers: [
      init('x_scale', 'f32', [], [f32(0.02)]),
      init('x_zero_point', 'u8', [], [128]),
      // Full-range int8 weights, one scale per output channel (the per-axis path), symmetric (zero points 0).
      init('w1', 'i8', [C1, C0, 3, 3], randomInts(rng, C1 * C0 * 9, -128, 127)),
      init('w1_scale', 'f32', [C1], Array.from({ length: C1 }, (_, i) => f32(0.003 + 0.0005 * i))),
      init('w1_zero_point', 'i8', [C1], new Array<number>(C1).fill(0)),
      init('y1_scale', 'f32', [], [f32(0.05)]),
      init('y1_zero_point', 'u8', [], [0]),
      init('b1', 'i32', [C1], randomInts(rng, C1, -20000, 20000)),
      init('w2', 'i8', [C2, C1, 3, 3], randomInts(rng, C2 * C1 * 9, -128, 127)),
      init('w2_scale', 'f32', [C2], Array.from({ length: C2 }, (_, i) => f32(0.002 + 0.0004 * i))),
      init('w2_zero_point', 'i8', [C2], new Array<number>(C2).fill(0)),
      init('y2_scale', 'f32', [], [f32(0.1)]),
      init('y2_zero_point', 'u8', [], [128]),
      init('b2', 'i32', [C2], randomInts(rng, C2, -20000, 20000)),
    ],
    nodes: [
      { op: 'QuantizeLinear', name: 'quantize_input', inputs: ['image', 'x_scale', 'x_zero_point'], outputs: ['x_q'] },
      conv('conv1', 'x_q', 'x', 'w1', 'y1', 1),
      conv('conv2', 'y1_q', 'y1', 'w2', 'y2', 2),
      { op: 'DequantizeLinear', name: 'dequantize_output', inputs: ['y2_q', 'y2_scale', 'y2_zero_point'], outputs: ['features'] },
    ],
  });
}

/** A smooth test "image" in about [-2, 2], with a few exact quantization ties (multiples of scale/2). */
function sampleImage(): Tensor {
  const [C, H, W] = [3, 16, 16];
  const v: number[] = [];
  for (let c = 0; c < C; c++) {
    for (let y = 0; y < H; y++) {
      for (let x = 0; x < W; x++) {
        const base = Math.sin((x + 2 * c) / 3) * Math.cos((y - c) / 4) * 2;
        v.push(Math.fround((x + y) % 7 === 0 ? Math.round(base * 50) * 0.02 + 0.01 : base));
      }
    }
  }
  return Tensor.fromNumbers('f32', [1, C, H, W], v);
}

mkdirSync(join(here, 'tiny_cnn'), { recursive: true });
writeFileSync(join(here, 'tiny_cnn.onnx'), tinyCnn());
writeTensorFile(join(here, 'tiny_cnn', 'input_0.pb'), sampleImage(), 'image');
console.log('wrote examples/tiny_cnn.onnx and examples/tiny_cnn/input_0.pb');
