/**
 * QuantizeLinear float32 -> u8 / i8 on x86-avx2 (qcc_quant_avx2.h) against the generic twin (target c) and
 * the interpreter, byte for byte (gcc and clang): NaN, +-inf, -0.0, exact ties x / s = k + 0.5, values far
 * outside the range, denormals, per-tensor and per-channel scales (awkward ones: 1/3, 1e-30, 1e30),
 * zero points at the ends, lengths that are not multiples of 16.
 */
import { describe, expect, it } from 'vitest';
import { compileModel } from '../c/compile.ts';
import { runCompiled } from '../run.ts';
import { loadOnnxBytes } from '../../compiler/frontend/onnx/load.ts';
import { encodeModel, type ModelDesc, type NodeDesc } from '../../compiler/frontend/onnx/writer.ts';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import { Tensor, tensorsIdentical } from '../../compiler/ir/tensor.ts';
import { rng } from '../../compiler/ops/nn-test-util.ts';

const R = rng(0x9a4);
const pick = <T>(a: readonly T[]): T => a[Math.floor(R() * a.length)]!;

describe('x86-avx2 QuantizeLinear == generic twin == interpreter', () => {
  it('special values, ties, per-tensor and per-channel (gcc, clang)', () => {
    const inputs: ModelDesc['inputs'] = [];
    const initializers: ModelDesc['initializers'] = [];
    const nodes: NodeDesc[] = [];
    const outputs: { name: string }[] = [];
    const feeds = new Map<string, Tensor>();
    const scales = [0.02, 1 / 3, 0.0078125, 1e-30, 1e30, 3.5];
    const special = [NaN, Infinity, -Infinity, -0, 0, 1e-40, -1e-40, 3e38, -3e38];
    let id = 0;
    for (const d of ['u8', 'i8'] as const) {
      for (const shape of [[1, 3, 7, 11], [2, 5, 16], [37], [4, 64]]) {
        const n = shape.reduce((a, b) => a * b, 1);
        const perChannel = shape.length > 1 && R() < 0.5;
        const ch = perChannel ? shape[1]! : 1;
        const sc = Array.from({ length: ch }, () => pick(scales));
        const zp = Array.from({ length: ch }, () => pick(d === 'u8' ? [0, 255, 128, 17] : [-128, 127, 0, -5]));
        const x = Array.from({ length: n }, (_, i) => {
          const s = sc[perChannel ? Math.floor(i / (n / shape[0]! / ch)) % ch : 0]!;
          const r = R();
          if (r < 0.15) return pick(special);
          if (r < 0.5) return Math.fround((Math.floor(R() * 600) - 300 + 0.5) * s); // ties (when exact)
          return Math.fround((R() * 800 - 400) * s);
        });
        const name = `x${id++}`;
        inputs.push({ name, dtype: 'f32', shape });
        feeds.set(name, Tensor.fromNumbers('f32', shape, x));
        const sName = `s${id}`, zName = `z${id}`, y = `y${id}`;
        initializers.push({ name: sName, tensor: Tensor.fromNumbers('f32', perChannel ? [ch] : [], sc) });
        initializers.push({ name: zName, tensor: Tensor.fromNumbers(d, perChannel ? [ch] : [], zp) });
        nodes.push({ op: 'QuantizeLinear', name: y, inputs: [name, sName, zName], outputs: [y], attrs: perChannel ? { axis: { i: 1 } } : {} });
        outputs.push({ name: y });
      }
    }
    const desc: ModelDesc = { opsets: [{ domain: '', version: 13 }], inputs, outputs, initializers, nodes };
    const g = loadOnnxBytes(encodeModel(desc));
    const want = interpret(g, feeds);
    const avx = compileModel(g, { target: 'x86-avx2', name: 'q_avx2' });
    expect(avx.files.get('q_avx2.c')!).toContain('qcc_quantize_linear_f32_i8_avx2(');
    const gen = compileModel(loadOnnxBytes(encodeModel(desc)), { target: 'c', name: 'q_c' });
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
