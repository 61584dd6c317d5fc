/**
 * One seeded model of many QLinearAdd / QLinearMul nodes for the arm parity batch (u8 and i8): lengths that
 * are not multiples of 16, same shape, scalar B, B per row (broadcast along the inner axis), A broadcast along
 * it, broadcasts the NEON kernel leaves to the scalar path, chains the planner may run in place, zero points
 * at the ends, scales that clamp every output, a C scale so small that v / cs overflows, A/B scales so large
 * that va + vb is inf - inf = NaN, scales with many rounding ties.
 */
import { loadOnnxBytes } from '../../../compiler/frontend/onnx/load.ts';
import { encodeModel, type ModelDesc, type NodeDesc } from '../../../compiler/frontend/onnx/writer.ts';
import { Tensor } from '../../../compiler/ir/tensor.ts';
import { prng, type BuiltCase, type Q8 } from './cases.ts';

export function qbinaryCase(seed: number): BuiltCase {
  const R = prng(seed);
  const ri = (lo: number, hi: number) => lo + Math.floor(R() * (hi - lo + 1));
  const pick = <T>(a: readonly T[]): T => a[Math.floor(R() * a.length)]!;
  const lo = (d: Q8) => (d === 'u8' ? 0 : -128);
  const hi = (d: Q8) => (d === 'u8' ? 255 : 127);
  const nOf = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
  const inputs: ModelDesc['inputs'] = [];
  const initializers: ModelDesc['initializers'] = [];
  const nodes: NodeDesc[] = [];
  const outputs: { name: string }[] = [];
  const feeds: Tensor[] = [];
  let id = 0;
  const values = (d: Q8, n: number) => Array.from({ length: n }, () => (R() < 0.3 ? pick([lo(d), hi(d)]) : ri(lo(d), hi(d))));
  const input = (d: Q8, shape: number[]) => {
    const name = `in${id++}`;
    inputs.push({ name, dtype: d, shape });
    feeds.push(Tensor.fromNumbers(d, shape, values(d, nOf(shape))));
    return name;
  };
  const init = (t: Tensor) => {
    const name = `c${id++}`;
    initializers.push({ name, tensor: t });
    return name;
  };
  const f32 = (v: number) => init(Tensor.fromNumbers('f32', [], [v]));
  const scale = () => f32(pick([0.02, 0.1, 0.0039215686, 1 / 3, 7.5e-3, 1e-5, 40, 0.5, 1]));
  const zp = (d: Q8) => init(Tensor.fromNumbers(d, [], [pick([lo(d), hi(d), ri(lo(d), hi(d))])]));
  const node = (op: 'QLinearAdd' | 'QLinearMul', d: Q8, a: string, b: string, s?: { a?: number; b?: number; c?: number }): string => {
    const y = `y${id++}`;
    const sc = (v: number | undefined) => (v !== undefined ? f32(v) : scale());
    nodes.push({ op, domain: 'com.microsoft', name: y, inputs: [a, sc(s?.a), zp(d), b, sc(s?.b), zp(d), sc(s?.c), zp(d)], outputs: [y] });
    return y;
  };
  const shapes: [number[], number[]][] = [
    [[1, 3, 17, 19], [1, 3, 17, 19]], [[2, 5, 7, 9], [1, 5, 1, 1]], [[4, 37], [37]], [[3, 64], []], [[1, 8, 4, 4], [1, 8, 4, 4]],
    [[1, 29], [6, 29]], [[7, 1], [7, 9]], [[5, 1], [5, 40]], [[1, 16, 11, 11], [1, 1, 11, 11]], [[61], [61]], [[5], [5]], [[], [47]],
  ];
  for (const d of ['u8', 'i8'] as const) {
    for (const op of ['QLinearAdd', 'QLinearMul'] as const) {
      for (const [sa, sb] of shapes) {
        const a = input(d, sa);
        const b = R() < 0.5 && nOf(sb) > 0 ? input(d, sb) : init(Tensor.fromNumbers(d, sb, values(d, nOf(sb))));
        outputs.push({ name: node(op, d, a, b) });
      }
      const a = input(d, [1, 12, 9, 10]);
      const b = input(d, [1, 12, 9, 10]);
      const y1 = node(op, d, a, b);
      const y2 = node(op, d, y1, b);
      const y3 = node(op, d, y2, input(d, [1, 12, 9, 10]), { c: 1e-38 });
      const y4 = node(op, d, y2, y1, { c: 1e3 });
      const y5 = node(op, d, input(d, [50]), input(d, [50]), { a: 3e38, b: 3e38, c: 0.5 });
      outputs.push({ name: y3 }, { name: y4 }, { name: y5 });
    }
  }
  const desc: ModelDesc = { opsets: [{ domain: '', version: 13 }, { domain: 'com.microsoft', version: 1 }], inputs, outputs, initializers, nodes };
  return { label: 'qlinear add/mul: shapes, broadcasts, in-place chains, extreme scales', graph: loadOnnxBytes(encodeModel(desc)), inputs: feeds };
}
