/**
 * QLinearAdd / QLinearMul on x86-avx2 (qcc_qlinear_binary_avx2.h) against the generic twin (target c) and
 * the interpreter, byte for byte, with gcc and clang: one model holding many nodes (u8 and i8; lengths that are
 * not multiples of 8; B contiguous, broadcast along the inner axis (per channel), scalar, and A broadcast
 * (the scalar path); chains that the planner may run in place; zero points at the ends; scales that make
 * every output clamp, a C scale so small that v / cs overflows to infinity, ratios with many rounding ties).
 */
import { describe, expect, it } from 'vitest';
import { compileModel } from '../c/compile.ts';
import { runCompiled } from '../run.ts';
import { loadOnnxBytes } from '../../compiler/frontend/onnx/load.ts';
import { encodeModel, type ModelDesc, type NodeDesc } from '../../compiler/frontend/onnx/writer.ts';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import { Tensor, tensorsIdentical } from '../../compiler/ir/tensor.ts';
import { rng } from '../../compiler/ops/nn-test-util.ts';

type Q8 = 'u8' | 'i8';
const R = rng(0x0add);
const ri = (lo: number, hi: number) => lo + Math.floor(R() * (hi - lo + 1));
const pick = <T>(a: readonly T[]): T => a[Math.floor(R() * a.length)]!;
const lo = (d: Q8) => (d === 'u8' ? 0 : -128);
const hi = (d: Q8) => (d === 'u8' ? 255 : 127);
const nOf = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

function build(): { desc: ModelDesc; feeds: Map<string, Tensor> } {
  const inputs: ModelDesc['inputs'] = [];
  const initializers: ModelDesc['initializers'] = [];
  const nodes: NodeDesc[] = [];
  const outputs: { name: string }[] = [];
  const feeds = new Map<string, Tensor>();
  let id = 0;
  const values = (d: Q8, n: number) => Array.from({ length: n }, () => (R() < 0.3 ? pick([lo(d), hi(d)]) : ri(lo(d), hi(d))));
  const input = (d: Q8, shape: number[]) => {
    const name = `in${id++}`;
    inputs.push({ name, dtype: d, shape });
    feeds.set(name, Tensor.fromNumbers(d, shape, values(d, nOf(shape))));
    return name;
  };
  const init = (t: Tensor) => {
    const name = `c${id++}`;
    initializers.push({ name, tensor: t });
    return name;
  };
  const scale = () => init(Tensor.fromNumbers('f32', [], [pick([0.02, 0.1, 0.0039215686, 1 / 3, 7.5e-3, 1e-5, 40])]));
  const zp = (d: Q8) => init(Tensor.fromNumbers(d, [], [pick([lo(d), hi(d), ri(lo(d), hi(d))])]));
  const node = (op: 'QLinearAdd' | 'QLinearMul', d: Q8, a: string, b: string, cScale?: number): string => {
    const y = `y${id++}`;
    const cs = cScale !== undefined ? init(Tensor.fromNumbers('f32', [], [cScale])) : scale();
    nodes.push({ op, domain: 'com.microsoft', name: y, inputs: [a, scale(), zp(d), b, scale(), zp(d), cs, zp(d)], outputs: [y] });
    return y;
  };
  const shapes: [number[], number[]][] = [
    [[1, 3, 17, 19], [1, 3, 17, 19]], [[2, 5, 7, 9], [1, 5, 1, 1]], [[4, 37], [37]], [[3, 64], []], [[1, 8, 4, 4], [1, 8, 4, 4]],
    [[1, 29], [6, 29]], [[7, 1], [7, 9]], [[1, 16, 11, 11], [1, 1, 11, 11]], [[61], [61]], [[5], [5]],
  ];
  for (const d of ['u8', 'i8'] as const) {
    for (const op of ['QLinearAdd', 'QLinearMul'] as const) {
      for (const [sa, sb] of shapes) {
        const a = input(d, sa);
        const b = pick([true, false]) && nOf(sb) > 0 ? input(d, sb) : init(Tensor.fromNumbers(d, sb, values(d, nOf(sb))));
        const y = node(op, d, a, b);
        outputs.push({ name: y });
      }
      // chains (candidates for in-place execution), a C scale that overflows v / cs, one that clamps everything
      const a = input(d, [1, 12, 9, 10]);
      const b = input(d, [1, 12, 9, 10]);
      const y1 = node(op, d, a, b);
      const y2 = node(op, d, y1, b);
      const y3 = node(op, d, y2, input(d, [1, 12, 9, 10]), 1e-38);
      const y4 = node(op, d, y2, y1, 1e3);
      outputs.push({ name: y3 }, { name: y4 });
    }
  }
  return {
    desc: { opsets: [{ domain: '', version: 13 }, { domain: 'com.microsoft', version: 1 }], inputs, outputs, initializers, nodes },
    feeds,
  };
}

describe('x86-avx2 QLinearAdd / QLinearMul == generic twin == interpreter', () => {
  it('many shapes, broadcasts, zero points and scales (gcc, clang)', () => {
    const { desc, feeds } = build();
    const g = loadOnnxBytes(encodeModel(desc));
    const want = interpret(g, feeds);
    const avx = compileModel(g, { target: 'x86-avx2', name: 'qbin_avx2' });
    const src = avx.files.get('qbin_avx2.c')!;
    expect(src).toContain('qcc_qlinear_add_u8_avx2(');
    expect(src).toContain('qcc_qlinear_mul_i8_avx2(');
    const gen = compileModel(loadOnnxBytes(encodeModel(desc)), { target: 'c', name: 'qbin_c' });
    for (const [model, ccs] of [[avx, ['gcc', 'clang']], [gen, ['gcc']]] as const) {
      for (const cc of ccs) {
        const got = runCompiled(model, feeds, { cc });
        for (const [name, t] of want) {
          const a = got.get(name);
          expect(a && tensorsIdentical(a, t), `${model.name} (${cc}) '${name}': ${a?.toNumbers().slice(0, 12)} vs ${t.toNumbers().slice(0, 12)}`).toBe(true);
        }
      }
    }
  });
});
