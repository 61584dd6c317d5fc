/**
 * The model zoo: graphs shaped like the MLPerf Tiny models (and a MobileNetV2), quantized the way ONNX
 * Runtime's quantizer writes them, in QOperator and QDQ form, with uint8 or int8 activations and
 * per-channel int8 weights. Deterministic: seeded weights, calibration on seeded inputs through qcc's own
 * interpreter. Importable from scripts (bench): `zooModel('resnet8', 'qdq', 'u8')` gives a ModelDesc,
 * `encodeModel` makes the bytes.
 */
import type { ModelDesc } from '../../compiler/frontend/onnx/writer.ts';
import { NetBuilder, calibrate, quantizedModel, type Act, type Activation, type Form, type NetDesc, type Ranges } from './net.ts';

export type { Act, Form } from './net.ts';

/**
 * DS-CNN keyword spotter (MLPerf Tiny KWS): 1x49x10 MFCC input, conv 10x4 stride 2 ('same' padding),
 * four depthwise-separable blocks (dw 3x3 + pw 1x1, ReLU after each), average pool over the whole
 * 25x5 map (Keras AveragePooling2D: QLinearAveragePool), FC 12, softmax (QLinearSoftmax).
 */
export function dsCnn(width = 64, seed = 11): NetDesc {
  const b = new NetBuilder('ds_cnn', { name: 'input', shape: [1, 1, 49, 10] }, seed);
  // 'same' for kernel 10x4 stride 2 on 49x10 -> 25x5: pad H 4 + 5, W 1 + 1 (TF puts the extra row at the end).
  let x = b.conv('input', width, [10, 4], { stride: 2, pads: [4, 1, 5, 1], act: 'relu' });
  for (let i = 0; i < 4; i++) {
    x = b.conv(x, width, [3, 3], { group: width, act: 'relu' });
    x = b.conv(x, width, [1, 1], { act: 'relu' });
  }
  return b.build(b.softmax(b.gemm(b.flatten(b.avgpool(x, [25, 5])), 12)));
}

/**
 * ResNet-8 (MLPerf Tiny image classification): 3x32x32 input, conv 3x3 16, three stacks (16, 32, 64
 * filters; the second and third start with stride 2 and a 1x1 stride-2 projection shortcut), residual
 * add + ReLU, global average pool, FC 10, softmax.
 */
export function resnet8(hw = 32, seed = 12): NetDesc {
  const b = new NetBuilder('resnet8', { name: 'input', shape: [1, 3, hw, hw] }, seed);
  let x = b.conv('input', 16, [3, 3], { act: 'relu' });
  for (const [f, s] of [[16, 1], [32, 2], [64, 2]] as const) {
    const y = b.conv(b.conv(x, f, [3, 3], { stride: s, act: 'relu' }), f, [3, 3]);
    const shortcut = s === 1 ? x : b.conv(x, f, [1, 1], { stride: s, pads: [0, 0, 0, 0] });
    x = b.add(y, shortcut, 'relu');
  }
  return b.build(b.softmax(b.gemm(b.flatten(b.gap(x)), 10)));
}

/**
 * Dense autoencoder (MLPerf Tiny anomaly detection): 640 -> 128 x4 -> 8 -> 128 x4 -> 640, ReLU after
 * every layer but the last. Written as MatMul + bias Add (the Keras/tf2onnx shape), so the QOperator form
 * uses QLinearMatMul (per-column weights) + QLinearAdd.
 */
export function autoencoder(seed = 13): NetDesc {
  const b = new NetBuilder('autoencoder', { name: 'input', shape: [1, 640] }, seed);
  let x = 'input';
  for (const n of [128, 128, 128, 128, 8, 128, 128, 128, 128]) x = b.dense(x, n, 'relu');
  return b.build(b.dense(x, 640));
}

export interface MobileNetV2Options {
  /** Width multiplier (channels rounded to multiples of 8, as in the reference implementation). */
  alpha?: number;
  resolution?: number;
  classes?: number;
  /** Channels of the last 1x1 conv (1280 in the paper; kept at 1280 for alpha < 1). */
  lastChannels?: number;
  /** At most this many blocks per stage (the paper's n), for small test variants. */
  maxRepeats?: number;
  seed?: number;
}

const makeDivisible = (v: number, d = 8) => {
  const n = Math.max(d, Math.floor((v + d / 2) / d) * d);
  return n < 0.9 * v ? n + d : n;
};

/**
 * MobileNetV2: conv 3x3 s2, inverted residual blocks (1x1 expansion + ReLU6, depthwise 3x3 stride 1/2 +
 * ReLU6, linear 1x1 bottleneck, residual add when the stride is 1 and the widths match), 1x1 conv +
 * ReLU6, global average pool, FC.
 */
export function mobilenetV2(o: MobileNetV2Options = {}): NetDesc {
  const alpha = o.alpha ?? 0.35;
  const res = o.resolution ?? 96;
  const b = new NetBuilder(`mobilenetv2_${Math.round(alpha * 100)}_${res}`, { name: 'input', shape: [1, 3, res, res] }, o.seed ?? 14);
  const relu6: Activation = 'relu6';
  let c = makeDivisible(32 * alpha);
  let x = b.conv('input', c, [3, 3], { stride: 2, pads: [0, 0, 1, 1], act: relu6 });
  const stages: [number, number, number, number][] = [[1, 16, 1, 1], [6, 24, 2, 2], [6, 32, 3, 2], [6, 64, 4, 2], [6, 96, 3, 1], [6, 160, 3, 2], [6, 320, 1, 1]];
  for (const [t, ch, n, s] of stages) {
    const out = makeDivisible(ch * alpha);
    for (let i = 0; i < Math.min(n, o.maxRepeats ?? n); i++) {
      const stride = i === 0 ? s : 1;
      let h = x;
      if (t !== 1) h = b.conv(h, c * t, [1, 1], { act: relu6 });
      // TF-style 'same' padding for stride 2 puts the extra row/column at the end.
      h = b.conv(h, c * t, [3, 3], { stride, group: c * t, act: relu6, pads: stride === 2 ? [0, 0, 1, 1] : [1, 1, 1, 1] });
      h = b.conv(h, out, [1, 1]);
      x = stride === 1 && c === out ? b.add(h, x) : h;
      c = out;
    }
  }
  const last = o.lastChannels ?? (alpha > 1 ? makeDivisible(1280 * alpha) : 1280);
  x = b.conv(x, last, [1, 1], { act: relu6 });
  return b.build(b.gemm(b.flatten(b.gap(x)), o.classes ?? 10));
}

export type ZooName = 'ds_cnn' | 'resnet8' | 'autoencoder' | 'mobilenetv2';

/** The test sizes (small resolution MobileNetV2); `mobilenetV2({ alpha: 1, resolution: 224 })` for benchmarks. */
export const ZOO: Readonly<Record<ZooName, () => NetDesc>> = {
  ds_cnn: () => dsCnn(),
  resnet8: () => resnet8(),
  autoencoder: () => autoencoder(),
  mobilenetv2: () => mobilenetV2({ alpha: 0.35, resolution: 64, maxRepeats: 2, lastChannels: 256 }),
};

export const ZOO_NAMES = Object.keys(ZOO) as ZooName[];
export const FORMS: readonly Form[] = ['qop', 'qdq'];
export const ACTS: readonly Act[] = ['u8', 'i8'];

/** Calibration ranges by network: name, seed, input shape and every layer's kind, tensors and weight shape. */
const calibrated = new Map<string, Ranges>();
const netKey = (n: NetDesc) =>
  JSON.stringify([n.name, n.seed, n.input.shape, n.layers.map((l) => [l.k, l.y, 'w' in l ? l.w.shape : []])]);

/**
 * The quantized model of a network. Calibration runs once per network (cached by its seed and
 * structure). `calibrateWith` calibrates on another network of the same layers, e.g. a lower-resolution
 * copy of a 224x224 MobileNetV2, so big benchmark variants stay quick to build.
 */
export function quantize(net: NetDesc, form: Form, act: Act, calibrateWith: NetDesc = net): ModelDesc {
  let r = calibrated.get(netKey(calibrateWith));
  if (!r) {
    r = calibrate(calibrateWith);
    calibrated.set(netKey(calibrateWith), r);
  }
  return quantizedModel(net, r, form, act);
}

const nets = new Map<ZooName, NetDesc>();

/** A zoo model (test size) in the given form and activation type. */
export function zooModel(name: ZooName, form: Form, act: Act): ModelDesc {
  let n = nets.get(name);
  if (!n) {
    n = ZOO[name]();
    nets.set(name, n);
  }
  return quantize(n, form, act);
}

/**
 * MobileNetV2 for benchmarks: 224x224, alpha 1 and 1000 classes by default (the paper's network), with
 * the same weights as the network calibrated on: a 64x64 copy (same seed, same layers; only the spatial
 * size differs), so the big variant builds in seconds.
 */
export function mobilenetV2Bench(form: Form, act: Act, o: Omit<MobileNetV2Options, 'maxRepeats'> = {}): ModelDesc {
  const opts = { alpha: 1, resolution: 224, classes: 1000, ...o };
  return quantize(mobilenetV2(opts), form, act, mobilenetV2({ ...opts, resolution: 64 }));
}
