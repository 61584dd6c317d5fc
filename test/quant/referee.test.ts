/**
 * Referee for the quantized family: generated single-op ONNX models (full-range int8 weights, u8 and s8
 * activations, per-channel weight scales, groups, depthwise, strides, dilations, pads, ties, saturation,
 * NaN/Inf) run by onnxruntime-web (wasm, one thread) and by qcc's importer + interpreter on the same bytes.
 * Outputs must be identical. Combinations ONNX Runtime has no kernel for (s8 activations with u8
 * weights, per-channel weight zero points that differ, ...) are covered by the C parity and unit tests.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { loadOnnxBytes } from '../../compiler/frontend/onnx/load.ts';
import { encodeModel, type AttrDesc, type ModelDesc } from '../../compiler/frontend/onnx/writer.ts';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import { DTYPES, type DType } from '../../compiler/ir/dtype.ts';
import { Tensor, shapeSize, tensorsIdentical } from '../../compiler/ir/tensor.ts';
import { f32ToF16Bits } from '../../compiler/numerics/f16.ts';
import { outputSpatial } from '../../compiler/ops/conv-geometry.ts';
import { rng } from '../../compiler/ops/nn-test-util.ts';
import { openReferee, type Referee } from '../referee/ort.ts';

const r = rng(0xc0ffee);
const ri = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

function randInt(dtype: DType, shape: readonly number[]): Tensor {
  const t = new Tensor(dtype, shape);
  const { min, max } = DTYPES[dtype];
  const d = t.data as Int32Array;
  for (let i = 0; i < d.length; i++) d[i] = r() < 0.1 ? pick([min, max]) : min + Math.floor(r() * (max - min + 1));
  return t;
}
const f32 = (shape: number[], vals: number[]) => Tensor.fromNumbers('f32', shape, vals);
const scale = () => Math.fround(r() < 0.3 ? 2 ** ri(-8, 1) : 10 ** (r() * 4 - 4));

interface OneOp {
  label: string;
  op: string;
  opset: number;
  /** The first `runtime` inputs are graph inputs (fed at run time); the rest are initializers. */
  inputs: (Tensor | null)[];
  runtime: number;
  attrs?: Record<string, AttrDesc>;
  outputs: number;
}

function model(c: OneOp): Uint8Array {
  const names = c.inputs.map((t, i) => (t ? `in${i}` : ''));
  const desc: ModelDesc = {
    opsets: [{ domain: '', version: c.opset }],
    inputs: c.inputs.slice(0, c.runtime).map((t, i) => ({ name: names[i]!, dtype: t!.dtype, shape: [...t!.shape] })),
    outputs: Array.from({ length: c.outputs }, (_, k) => ({ name: `out${k}` })),
    initializers: c.inputs.flatMap((t, i) => (t && i >= c.runtime ? [{ name: names[i]!, tensor: t }] : [])),
    nodes: [{ op: c.op, name: 'node', inputs: names, outputs: Array.from({ length: c.outputs }, (_, k) => `out${k}`), attrs: c.attrs }],
  };
  return encodeModel(desc);
}

function convCase(i: number, xt: DType, wt: DType, depthwise: boolean): OneOp {
  for (;;) {
    const rank = pick([1, 2, 2]);
    const group = depthwise ? ri(2, 6) : pick([1, 1, 2, 3]);
    const cpg = depthwise ? 1 : ri(1, 4);
    const mpg = depthwise ? 1 : ri(1, 5);
    const inSp = Array.from({ length: rank }, () => ri(3, 9));
    const kernel = inSp.map(() => ri(1, 3));
    const strides = inSp.map(() => ri(1, 2));
    const dilations = inSp.map(() => pick([1, 1, 2]));
    const pads = [...inSp, ...inSp].map(() => ri(0, 2));
    if (outputSpatial(inSp, pads, { kernel, strides, dilations }).some((o) => o < 1)) continue;
    const m = group * mpg;
    const perChannel = r() < 0.7;
    const ws = f32(perChannel ? [m] : [], Array.from({ length: perChannel ? m : 1 }, scale));
    // ORT requires the per-channel weight zero points to be equal; s8 weights are usually symmetric.
    const wz0 = wt === 'i8' ? pick([0, 0, 3, -128]) : ri(0, 255);
    const wz = Tensor.fromNumbers(wt, ws.shape, new Array(shapeSize(ws.shape)).fill(wz0));
    const bias = r() < 0.7 ? Tensor.fromNumbers('i32', [m], Array.from({ length: m }, () => ri(-30000, 30000))) : null;
    const inputs = [randInt(xt, [ri(1, 2), group * cpg, ...inSp]), f32([], [scale()]), randInt(xt, []), randInt(wt, [m, cpg, ...kernel]), ws, wz,
      f32([], [scale()]), randInt(xt, []), bias];
    return {
      label: `qlinearconv#${i} ${xt}x${wt} ${inputs[0]!.shape.join('x')} w ${inputs[3]!.shape.join('x')} g${group}`,
      op: 'QLinearConv', opset: 10, inputs, runtime: 1, outputs: 1,
      attrs: { group: { i: group }, strides: { ints: strides }, dilations: { ints: dilations }, pads: { ints: pads }, kernel_shape: { ints: kernel } },
    };
  }
}

function cases(): OneOp[] {
  const cs: OneOp[] = [];
  const combos: [DType, DType][] = [['u8', 'i8'], ['u8', 'u8'], ['i8', 'i8']];
  for (let i = 0; i < 24; i++) {
    const [xt, wt] = combos[i % 3]!;
    cs.push(convCase(i, xt, wt, i % 4 === 3));
  }
  // auto_pad SAME_UPPER through the importer
  {
    const c = convCase(99, 'u8', 'i8', false);
    const attrs = { ...c.attrs };
    delete attrs['pads'];
    attrs['auto_pad'] = { s: 'SAME_UPPER' };
    attrs['dilations'] = { ints: (c.attrs!['kernel_shape'] as { ints: number[] }).ints.map(() => 1) };
    cs.push({ ...c, label: `${c.label} SAME_UPPER`, attrs });
  }
  for (let i = 0; i < 12; i++) {
    const [at, bt] = combos[i % 3]!;
    const [m, k, n] = [ri(1, 9), ri(1, 70), ri(1, 20)];
    const batch = pick([[], [2], [2, 3]]);
    const perCol = r() < 0.6;
    const bs = f32(perCol ? [n] : [], Array.from({ length: perCol ? n : 1 }, scale));
    const bz0 = bt === 'i8' ? pick([0, 5]) : ri(0, 255);
    const bz = Tensor.fromNumbers(bt, bs.shape, new Array(shapeSize(bs.shape)).fill(bz0));
    cs.push({
      label: `qlinearmatmul#${i} ${at}x${bt} [${batch},${m},${k}]x[${k},${n}] percol=${perCol}`,
      op: 'QLinearMatMul', opset: 10,
      inputs: [randInt(at, [...batch, m, k]), f32([], [scale()]), randInt(at, []), randInt(bt, [k, n]), bs, bz, f32([], [scale()]), randInt(at, [])],
      runtime: 1, outputs: 1,
    });
  }
  for (let i = 0; i < 6; i++) {
    const [at, bt] = combos[i % 3]!;
    const [m, k, n] = [ri(1, 6), ri(1, 50), ri(1, 9)];
    cs.push({
      label: `matmulinteger#${i} ${at}x${bt}`, op: 'MatMulInteger', opset: 10,
      inputs: [randInt(at, [2, m, k]), randInt(bt, [k, n]), randInt(at, []), randInt(bt, r() < 0.5 ? [] : [n])], runtime: 1, outputs: 1,
    });
  }
  for (let i = 0; i < 4; i++) {
    cs.push({
      label: `convinteger#${i}`, op: 'ConvInteger', opset: 10,
      inputs: [randInt('u8', [1, 3, 7, 6]), randInt('u8', [4, 3, 3, 2]), randInt('u8', []), randInt('u8', [])], runtime: 1, outputs: 1,
      attrs: { pads: { ints: [1, 0, 2, 1] }, strides: { ints: [1, 2] } },
    });
  }
  const specials = [NaN, Infinity, -Infinity, -0, 0, 3.4e38, -3.4e38, 1e-45];
  for (let i = 0; i < 8; i++) {
    const out = pick(['u8', 'i8'] as DType[]);
    const perAxis = i % 2 === 1;
    const shape = [2, 3, 5];
    const s = perAxis ? f32([3], [scale(), 0.5, 2]) : f32([], [pick([1, 0.5, 2, scale()])]);
    const xs = Array.from({ length: 30 }, () => (r() < 0.1 ? pick(specials) : r() < 0.5 ? ri(-600, 600) / 2 : (r() - 0.5) * 600));
    cs.push({
      label: `quantizelinear#${i} ${out} axis=${perAxis}`, op: 'QuantizeLinear', opset: 13,
      inputs: [f32(shape, xs), s, randInt(out, s.shape)], runtime: 1, outputs: 1,
    });
    const xin = pick(['u8', 'i8', 'i32'] as DType[]);
    cs.push({
      label: `dequantizelinear#${i} ${xin} axis=${perAxis}`, op: 'DequantizeLinear', opset: 13,
      inputs: [randInt(xin, shape), s, xin === 'i32' ? null : randInt(xin, s.shape)], runtime: 1, outputs: 1,
    });
  }
  cs.push({
    label: 'quantizelinear f16 -> u8 (opset 19)', op: 'QuantizeLinear', opset: 19,
    inputs: [Tensor.fromNumbers('f16', [12], [0.5, 1.5, 2.5, -3.5, 100, -100, 7.25, 300, 1e4, -0.5, 65504, 3].map(f32ToF16Bits)),
      Tensor.fromNumbers('f16', [], [f32ToF16Bits(0.5)]), randInt('u8', [])], runtime: 1, outputs: 1,
  });
  cs.push({
    label: 'dequantizelinear u8 -> f16 (opset 19)', op: 'DequantizeLinear', opset: 19,
    inputs: [randInt('u8', [3, 7]), Tensor.fromNumbers('f16', [], [f32ToF16Bits(0.0123)]), randInt('u8', [])], runtime: 1, outputs: 1,
  });
  for (let i = 0; i < 6; i++) {
    const n = ri(1, 40);
    const mag = pick([1, 1e-3, 1000]);
    const sign = pick([1, -1, 0]);
    cs.push({
      label: `dynamicquantizelinear#${i}`, op: 'DynamicQuantizeLinear', opset: 11,
      inputs: [f32([n], Array.from({ length: n }, () => (sign ? sign * r() * mag : (r() - 0.5) * mag)))], runtime: 1, outputs: 3,
    });
  }
  for (const xs of [[NaN, 1, -1], [Infinity, 1, -1], [-Infinity, 1], [Infinity, -Infinity], [1, 2, NaN], [0, 0], [-51, 204, 0.5, 1.5, 2.5, -0.5]]) {
    cs.push({ label: `dynamicquantizelinear [${xs}]`, op: 'DynamicQuantizeLinear', opset: 11, inputs: [f32([xs.length], xs)], runtime: 1, outputs: 3 });
  }
  // NaN / Inf scales: requantization of NaN gives the zero point in onnxruntime-web
  for (const [ys, ws] of [[0, 1], [1, NaN], [1, Infinity]]) {
    cs.push({
      label: `qlinearconv y_scale=${ys} w_scale=${ws}`, op: 'QLinearConv', opset: 10, runtime: 1, outputs: 1,
      inputs: [Tensor.fromNumbers('u8', [1, 1, 1, 4], [0, 1, 2, 255]), f32([], [1]), Tensor.fromNumbers('u8', [], [0]), Tensor.fromNumbers('i8', [1, 1, 1, 1], [1]),
        f32([], [ws!]), Tensor.fromNumbers('i8', [], [0]), f32([], [ys!]), Tensor.fromNumbers('u8', [], [37])],
    });
  }
  return cs;
}

describe('quantized family: interpreter == onnxruntime-web', () => {
  const refs: Referee[] = [];
  afterAll(async () => {
    for (const ref of refs) await ref.release();
  });
  for (const c of cases()) {
    it(c.label, async () => {
      const bytes = model(c);
      const ref = await openReferee(bytes, 'disabled');
      refs.push(ref);
      const feeds = new Map(c.inputs.slice(0, c.runtime).map((t, i) => [`in${i}`, t!]));
      const want = await ref.run(feeds);
      const g = loadOnnxBytes(bytes);
      const got = interpret(g, feeds);
      for (let k = 0; k < c.outputs; k++) {
        const a = got.get(`out${k}`)!;
        const e = want.get(`out${k}`)!;
        expect(tensorsIdentical(a, e), `out${k}: qcc ${a.toNumbers().slice(0, 24)} ort ${e.toNumbers().slice(0, 24)}`).toBe(true);
      }
    });
  }
});
