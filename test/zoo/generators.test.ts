/**
 * The zoo generators themselves: deterministic, full-range per-channel int8 weights, int32 biases from
 * round(bias / (s_x * s_w[c])), ORT-style activation parameters, and the benchmark-size MobileNetV2
 * builds and fuses completely.
 */
import { describe, expect, it } from 'vitest';
import { loadOnnxBytes } from '../../compiler/frontend/onnx/load.ts';
import { encodeModel, type ModelDesc } from '../../compiler/frontend/onnx/writer.ts';
import { prepareGraph } from '../../compiler/passes/pipeline.ts';
import { ACTS, FORMS, ZOO, ZOO_NAMES, mobilenetV2Bench, zooModel } from './models.ts';
import { calibrate, qparamsOf, quantizedModel } from './net.ts';

const inits = (d: ModelDesc) => new Map((d.initializers ?? []).map((i) => [i.name, i.tensor]));

describe('zoo generators', () => {
  it('are deterministic: a fresh network and calibration give the same bytes', () => {
    const a = encodeModel(quantizedModel(ZOO.ds_cnn(), calibrate(ZOO.ds_cnn()), 'qdq', 'i8'));
    const b = encodeModel(quantizedModel(ZOO.ds_cnn(), calibrate(ZOO.ds_cnn()), 'qdq', 'i8'));
    expect(Buffer.compare(Buffer.from(a), Buffer.from(b))).toBe(0);
    expect(Buffer.compare(Buffer.from(a), Buffer.from(encodeModel(zooModel('ds_cnn', 'qdq', 'i8'))))).toBe(0);
  });

  it.each(ZOO_NAMES)('%s: every weight tensor holds -128 and 127, per-channel scales, zero zero points', (name) => {
    const d = zooModel(name, 'qop', 'u8');
    const t = inits(d);
    const weights = [...t].filter(([n]) => /^w_\d+$/.test(n));
    expect(weights.length).toBeGreaterThan(0);
    for (const [n, w] of weights) {
      const v = w.toNumbers();
      expect(w.dtype, n).toBe('i8');
      expect(Math.min(...v), n).toBe(-128);
      expect(Math.max(...v), n).toBe(127);
    }
    for (const node of d.nodes.filter((x) => ['QLinearConv', 'QGemm', 'QLinearMatMul'].includes(x.op))) {
      const ws = t.get(node.inputs[4]!)!;
      const wz = t.get(node.inputs[5]!)!;
      const channels = node.op === 'QLinearMatMul' ? t.get(node.inputs[3]!)!.shape[1]! : t.get(node.inputs[3]!)!.shape[0]!;
      expect(ws.shape).toEqual([channels]);
      expect(new Set(ws.toNumbers()).size, `${node.name}: scales differ per channel`).toBeGreaterThan(1);
      expect(wz.toNumbers().every((z) => z === 0)).toBe(true);
    }
  });

  it('int32 biases are round(bias / (s_x * s_w[c])) and match between the forms', () => {
    for (const act of ACTS) {
      const qop = zooModel('resnet8', 'qop', act);
      const qdq = zooModel('resnet8', 'qdq', act);
      const tq = inits(qop);
      const td = inits(qdq);
      const convs = qop.nodes.filter((n) => n.op === 'QLinearConv');
      const dqBiases = qdq.nodes.filter((n) => n.op === 'DequantizeLinear' && td.get(n.inputs[0]!)?.dtype === 'i32');
      expect(dqBiases.length).toBe(convs.length + 1);
      convs.forEach((n, k) => {
        const sx = tq.get(n.inputs[1]!)!.toNumbers()[0]!;
        const sw = tq.get(n.inputs[4]!)!.toNumbers();
        const bias = tq.get(n.inputs[8]!)!.toNumbers();
        const dq = dqBiases[k]!;
        // The QDQ bias scale is s_x * s_w[c] in float32, and both forms hold the same integers.
        expect(td.get(dq.inputs[1]!)!.toNumbers()).toEqual(sw.map((s) => Math.fround(sx * s)));
        expect(td.get(dq.inputs[0]!)!.toNumbers()).toEqual(bias);
        expect(bias.some((b) => b !== 0)).toBe(true);
      });
    }
  });

  it('activation parameters follow ONNX Runtime MinMax (range widened to 0, zero point at the type minimum after ReLU)', () => {
    expect(qparamsOf(0, 2.55, 'u8')).toEqual({ scale: Math.fround(0.01), zp: 0 });
    expect(qparamsOf(0, 2.55, 'i8')).toEqual({ scale: Math.fround(0.01), zp: -128 });
    expect(qparamsOf(-1.275, 1.275, 'u8').zp).toBe(128);
    expect(qparamsOf(0.5, 1, 'u8')).toEqual({ scale: Math.fround(1 / 255), zp: 0 });
    expect(qparamsOf(-2, -1, 'i8')).toEqual({ scale: Math.fround(2 / 255), zp: 127 });
  });

  it('the benchmark MobileNetV2 (224x224) builds in every form and fuses completely', () => {
    for (const form of FORMS) {
      const g = loadOnnxBytes(encodeModel(mobilenetV2Bench(form, 'u8', { alpha: 0.35 })));
      expect(g.inputs[0]!.type.shape).toEqual([1, 3, 224, 224]);
      const r = prepareGraph(g);
      expect(r.floatNodes).toEqual([]);
      expect(g.outputs[0]!.type.shape).toEqual([1, 1000]);
      expect(g.nodes.filter((n) => n.op === 'qlinear_conv').length).toBe(52);
    }
  });
});
