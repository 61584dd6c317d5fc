/**
 * One seeded model of QuantizeLinear f32 -> u8 / i8 and DequantizeLinear u8 / i8 -> f32 nodes for the arm
 * parity batch: NaN, +-inf, -0.0, denormals, exact ties x / s = k + 0.5, values far outside the range,
 * per-tensor and per-channel (axis 1) scales, awkward scales (1/3, 1e-30, 1e30; 3e36 so that dequantized
 * values overflow to inf), zero points at the ends, inner lengths below, at and above multiples of 16.
 */
import { loadOnnxBytes } from '../../../compiler/frontend/onnx/load.ts';
import { encodeModel, type AttrDesc, type ModelDesc, type NodeDesc } from '../../../compiler/frontend/onnx/writer.ts';
import { Tensor } from '../../../compiler/ir/tensor.ts';
import { prng, type BuiltCase } from './cases.ts';

export const QUANT_CASE_LABEL = 'quantize / dequantize linear: specials, ties, per-channel, zero points at the ends';

export function quantCase(seed: number): BuiltCase {
  const R = prng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(R() * a.length)]!;
  const inputs: ModelDesc['inputs'] = [];
  const initializers: ModelDesc['initializers'] = [];
  const nodes: NodeDesc[] = [];
  const outputs: { name: string }[] = [];
  const feeds: Tensor[] = [];
  const special = [NaN, Infinity, -Infinity, -0, 0, 1e-40, -1e-40, 3e38, -3e38];
  let id = 0;
  const shapes = [[1, 3, 7, 11], [2, 5, 16], [37], [4, 64], [1, 2, 33], [15], [1, 1, 49, 10]];
  for (const d of ['u8', 'i8'] as const) {
    const zps = d === 'u8' ? [0, 255, 128, 17] : [-128, 127, 0, -5];
    for (const shape of shapes) {
      const n = shape.reduce((a, b) => a * b, 1);
      const perChannel = shape.length > 1 && R() < 0.5;
      const ch = perChannel ? shape[1]! : 1;
      const inner = perChannel ? shape.slice(2).reduce((a, b) => a * b, 1) : n;
      const attrs: Record<string, AttrDesc> = perChannel ? { axis: { i: 1 } } : {};
      // QuantizeLinear
      const sc = Array.from({ length: ch }, () => pick([0.02, 1 / 3, 0.0078125, 1e-30, 1e30, 3.5]));
      const zp = Array.from({ length: ch }, () => pick(zps));
      const x = Array.from({ length: n }, (_, i) => {
        const s = sc[perChannel ? Math.floor(i / inner) % ch : 0]!;
        const r = R();
        if (r < 0.15) return pick(special);
        if (r < 0.5) return Math.fround((Math.floor(R() * 600) - 300 + 0.5) * s);
        return Math.fround((R() * 800 - 400) * s);
      });
      const xn = `x${id++}`;
      inputs.push({ name: xn, dtype: 'f32', shape });
      feeds.push(Tensor.fromNumbers('f32', shape, x));
      const s1 = `s${id++}`, z1 = `z${id++}`, y1 = `q${id++}`;
      initializers.push({ name: s1, tensor: Tensor.fromNumbers('f32', perChannel ? [ch] : [], sc) });
      initializers.push({ name: z1, tensor: Tensor.fromNumbers(d, perChannel ? [ch] : [], zp) });
      nodes.push({ op: 'QuantizeLinear', name: y1, inputs: [xn, s1, z1], outputs: [y1], attrs });
      outputs.push({ name: y1 });
      // DequantizeLinear of a fresh 8-bit input (values at the ends often)
      const lo = d === 'u8' ? 0 : -128, hi = d === 'u8' ? 255 : 127;
      const q = Array.from({ length: n }, () => (R() < 0.3 ? pick([lo, hi]) : lo + Math.floor(R() * 256)));
      const qn = `x${id++}`;
      inputs.push({ name: qn, dtype: d, shape });
      feeds.push(Tensor.fromNumbers(d, shape, q));
      const s2 = `s${id++}`, z2 = `z${id++}`, y2 = `f${id++}`;
      initializers.push({ name: s2, tensor: Tensor.fromNumbers('f32', perChannel ? [ch] : [], Array.from({ length: ch }, () => pick([0.02, 1 / 3, 1e-30, 3e36, 0.1, 7.5e-3]))) });
      initializers.push({ name: z2, tensor: Tensor.fromNumbers(d, perChannel ? [ch] : [], Array.from({ length: ch }, () => pick(zps))) });
      nodes.push({ op: 'DequantizeLinear', name: y2, inputs: [qn, s2, z2], outputs: [y2], attrs });
      outputs.push({ name: y2 });
    }
  }
  const desc: ModelDesc = { opsets: [{ domain: '', version: 13 }], inputs, outputs, initializers, nodes };
  return { label: QUANT_CASE_LABEL, graph: loadOnnxBytes(encodeModel(desc)), inputs: feeds };
}
