// Regenerates the bundled example model and its sample input:
//   node bin/qcc-dev.js examples/make-examples.ts
// tiny_cnn.onnx: float input -> QuantizeLinear -> QLinearConv (3x3, pad 1, per-channel int8 weights,
// ReLU-like u8 output with zero point 0) -> QLinearConv (3x3, stride 2, pad 1) -> DequantizeLinear.
// Weights and biases come from a fixed-seed generator, so the bytes are the same on every run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Prng } from '../compiler/io/random-inputs.ts';
import type Proto from 'onnx-proto';
import { onnx } from '../compiler/frontend/onnx/proto.ts';

const here = dirname(fileURLToPath(import.meta.url));
const { DataType } = onnx.TensorProto;

type Num = ArrayLike<number>;

function tensor(name: string, dataType: number, dims: number[], values: Num): Proto.onnx.ITensorProto {
  const t: Proto.onnx.ITensorProto = { name, dataType, dims };
  if (dataType === DataType.FLOAT) t.floatData = Array.from(values);
  else if (dataType === DataType.INT32) t.int32Data = Array.from(values);
  else t.int32Data = Array.from(values); // INT8/UINT8 are stored in int32_data per the ONNX spec
  return t;
}

function valueInfo(name: string, elemType: number, dims: number[]): Proto.onnx.IValueInfoProto {
  return { name, type: { tensorType: { elemType, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } };
}

const ints = (name: string, v: number[]): Proto.onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.INTS, ints: v });

function randomInts(rng: Prng, n: number, lo: number, hi: number): number[] {
  return Array.from({ length: n }, () => rng.intIn(lo, hi));
}

function tinyCnn(): Uint8Array {
  const rng = new Prng(20240601);
  const [C0, C1, C2, H, W] = [3, 8, 4, 16, 16];
  const f32 = Math.fround;
  const inits: Proto.onnx.ITensorProto[] = [
    tensor('x_scale', DataType.FLOAT, [], [f32(0.02)]),
    tensor('x_zero_point', DataType.UINT8, [], [128]),
    // Full-range int8 weights, one scale per output channel (the per-axis path), symmetric (zero points 0).
    tensor('w1', DataType.INT8, [C1, C0, 3, 3], randomInts(rng, C1 * C0 * 9, -128, 127)),
    tensor('w1_scale', DataType.FLOAT, [C1], Array.from({ length: C1 }, (_, i) => f32(0.003 + 0.0005 * i))),
    tensor('w1_zero_point', DataType.INT8, [C1], new Array<number>(C1).fill(0)),
    tensor('y1_scale', DataType.FLOAT, [], [f32(0.05)]),
    tensor('y1_zero_point', DataType.UINT8, [], [0]),
    tensor('b1', DataType.INT32, [C1], randomInts(rng, C1, -20000, 20000)),
    tensor('w2', DataType.INT8, [C2, C1, 3, 3], randomInts(rng, C2 * C1 * 9, -128, 127)),
    tensor('w2_scale', DataType.FLOAT, [C2], Array.from({ length: C2 }, (_, i) => f32(0.002 + 0.0004 * i))),
    tensor('w2_zero_point', DataType.INT8, [C2], new Array<number>(C2).fill(0)),
    tensor('y2_scale', DataType.FLOAT, [], [f32(0.1)]),
    tensor('y2_zero_point', DataType.UINT8, [], [128]),
    tensor('b2', DataType.INT32, [C2], randomInts(rng, C2, -20000, 20000)),
  ];
  const nodes: Proto.onnx.INodeProto[] = [
    { name: 'quantize_input', opType: 'QuantizeLinear', input: ['image', 'x_scale', 'x_zero_point'], output: ['x_q'] },
    {
      name: 'conv1',
      opType: 'QLinearConv',
      input: ['x_q', 'x_scale', 'x_zero_point', 'w1', 'w1_scale', 'w1_zero_point', 'y1_scale', 'y1_zero_point', 'b1'],
      output: ['y1_q'],
      attribute: [ints('kernel_shape', [3, 3]), ints('pads', [1, 1, 1, 1]), ints('strides', [1, 1])],
    },
    {
      name: 'conv2',
      opType: 'QLinearConv',
      input: ['y1_q', 'y1_scale', 'y1_zero_point', 'w2', 'w2_scale', 'w2_zero_point', 'y2_scale', 'y2_zero_point', 'b2'],
      output: ['y2_q'],
      attribute: [ints('kernel_shape', [3, 3]), ints('pads', [1, 1, 1, 1]), ints('strides', [2, 2])],
    },
    { name: 'dequantize_output', opType: 'DequantizeLinear', input: ['y2_q', 'y2_scale', 'y2_zero_point'], output: ['features'] },
  ];
  const model: Proto.onnx.IModelProto = {
    irVersion: 8,
    producerName: 'qcc examples/make-examples.ts',
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'tiny_cnn',
      node: nodes,
      initializer: inits,
      input: [valueInfo('image', DataType.FLOAT, [1, C0, H, W])],
      output: [valueInfo('features', DataType.FLOAT, [1, C2, H / 2, W / 2])],
    },
  };
  return onnx.ModelProto.encode(onnx.ModelProto.create(model)).finish();
}

/** A smooth test "image" in about [-2, 2], with a few exact quantization ties (multiples of scale/2). */
function sampleImage(): Uint8Array {
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
  const t = onnx.TensorProto.create({ name: 'image', dataType: DataType.FLOAT, dims: [1, C, H, W], rawData: new Uint8Array(new Float32Array(v).buffer) });
  return onnx.TensorProto.encode(t).finish();
}

mkdirSync(join(here, 'tiny_cnn'), { recursive: true });
writeFileSync(join(here, 'tiny_cnn.onnx'), tinyCnn());
writeFileSync(join(here, 'tiny_cnn', 'input_0.pb'), sampleImage());
console.log('wrote examples/tiny_cnn.onnx and examples/tiny_cnn/input_0.pb');
