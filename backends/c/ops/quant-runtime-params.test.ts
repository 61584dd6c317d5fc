/**
 * QuantizeLinear / DequantizeLinear whose per-tensor scale and zero point are computed at run time (the
 * DynamicQuantizeLinear function expansion, or fed as graph inputs): the C kernel loads them from their
 * buffers, and the outputs equal the interpreter byte for byte on target c (gcc, clang) and x86-avx2
 * (gcc, clang; it must fall back to the generic kernel). Corners: zero points at the ends of u8 / i8 /
 * u16 / i16, exact ties x / s = k + 0.5 (round half to even), a zero point that is itself a rounding tie,
 * f16 scales, NaN / inf, mixed constant and runtime parameters. Per-axis runtime scales stay an error.
 */
import { describe, expect, it } from 'vitest';
import { compileModel } from '../compile.ts';
import { runCompiled } from '../../run.ts';
import { interpret } from '../../../compiler/interpreter/interpret.ts';
import type { Graph } from '../../../compiler/ir/graph.ts';
import { Tensor, tensorsIdentical } from '../../../compiler/ir/tensor.ts';
import { f32ToF16Bits } from '../../../compiler/numerics/f16.ts';
import { rng } from '../../../compiler/ops/nn-test-util.ts';
import { modelFromText } from '../../../test/util/onnx-text.ts';

type Feeds = Map<string, Tensor>;

/** Compiles `graph` for c and x86-avx2 and checks every feed set against the interpreter (gcc and clang). */
function checkAll(graph: Graph, feedSets: Feeds[], name: string): void {
  for (const target of ['c', 'x86-avx2'] as const) {
    const model = compileModel(graph, { target, name: `${name}_${target.replace('-', '_')}` });
    const src = [...model.files.values()].join('\n');
    expect(src, `${target}: the runtime-parameter QuantizeLinear uses the generic kernel`).not.toMatch(/qcc_quantize_linear_\w+_avx2\(/);
    for (const feeds of feedSets) {
      const want = interpret(graph, feeds);
      for (const cc of ['gcc', 'clang']) {
        const got = runCompiled(model, feeds, { cc });
        for (const [out, t] of want) {
          const a = got.get(out);
          expect(a && tensorsIdentical(a, t), `${target} (${cc}) '${out}': ${a?.toNumbers().slice(0, 16)} vs ${t.toNumbers().slice(0, 16)}`).toBe(true);
        }
      }
    }
  }
}

// The body of ONNX's DynamicQuantizeLinear function (onnx/defs/quantization/defs.cc), opset 13.
const EXPANDED = `
dql (float[N] x) => (uint8[N] y, float s, uint8 z) {
  qmin = Constant <value = float {0}> ()
  qmax = Constant <value = float {255}> ()
  xmin = ReduceMin <keepdims = 0> (x)
  xmin_adj = Min (xmin, qmin)
  xmax = ReduceMax <keepdims = 0> (x)
  xmax_adj = Max (xmax, qmin)
  range = Sub (xmax_adj, xmin_adj)
  s = Div (range, qmax)
  min_scaled = Div (xmin_adj, s)
  zp_initial = Sub (qmin, min_scaled)
  zp_clipped = Clip (zp_initial, qmin, qmax)
  zp_rounded = Round (zp_clipped)
  z = Cast <to = 2> (zp_rounded)
  y = QuantizeLinear (x, s, z)
}`;

describe('QuantizeLinear with runtime scale and zero point: C == interpreter', () => {
  it('DynamicQuantizeLinear expanded: ties, zero points 0 / 255 / a tie, min/max adjusted (c, x86-avx2; gcc, clang)', () => {
    const R = rng(0x51a7);
    const sets: number[][] = [
      [0, 255, 0.5, 1.5, 2.5, 3.5, 126.5, 127.5, 254.5, 100.25, 17], // scale 1, zp 0: ties to even
      [0, -255, -0.5, -1.5, -2.5, -3.5, -128.5, -254.5, -7, -0.25, -100], // scale 1, zp 255
      [-1.5, 253.5, 0, 0.5, 1.5, -0.5, 2.5, 100.5, 252.5, 9, 10], // scale 1, zp = round(1.5) = 2
      [-2.5, 252.5, 0, -0.5, 0.5, 3.5, 4.5, 200.5, 251.5, 11, 12], // zp = round(2.5) = 2
      [3, 7, 5, 6.5, 4.25, 3.5, 7, 3, 5, 6, 4], // all positive: min adjusted to 0
      [-3, -7, -5, -6.5, -4.25, -3.5, -7, -3, -5, -6, -4], // all negative: max adjusted to 0
      [NaN, 1, -1, 2, Infinity, 0.5, -0.5, 3, 4, 5, 6], // inf: range inf, NaN elements
      Array.from({ length: 11 }, () => Math.fround(R() * 20 - 7)),
      Array.from({ length: 11 }, () => 0),
    ];
    const g = modelFromText(EXPANDED.replace('[N]', '[11]').replace('[N]', '[11]'), { opset: 13, name: 'dql' });
    checkAll(g, sets.map((v) => new Map([['x', Tensor.fromNumbers('f32', [11], v)]])), 'dql');
  });

  it('scale and zero point as graph inputs: u8 / i8 / u16 / i16, ends, ties, f16 scale, mixed constants', () => {
    const g = modelFromText(
      `rt (float[3, 7] x, float[] s, uint8[] zu, int8[] zi, uint16[] zu16, int16[] zi16, float16[] sh, float[1] s1) =>
          (uint8[3, 7] yu, int8[3, 7] yi, uint16[3, 7] yu16, int16[3, 7] yi16, int8[3, 7] yh, uint8[3, 7] yc, int8[3, 7] yz, float[3, 7] d) {
        cs = Constant <value = float {0.375}> ()
        czi = Constant <value = int8[1] {-128}> ()
        yu = QuantizeLinear (x, s, zu)
        yi = QuantizeLinear (x, s, zi)
        yu16 = QuantizeLinear (x, s, zu16)
        yi16 = QuantizeLinear (x, s, zi16)
        yh = QuantizeLinear (x, sh, zi)
        yc = QuantizeLinear (x, cs, zu)
        yz = QuantizeLinear (x, s1, czi)
        d = DequantizeLinear (yi, s, zi)
      }`,
      { opset: 19, name: 'rt' },
    );
    const R = rng(0x77);
    const sets: Feeds[] = [];
    for (const [s, zu, zi, zu16, zi16] of [[0.5, 0, -128, 0, -32768], [0.5, 255, 127, 65535, 32767], [0.25, 128, 0, 3, -5], [1 / 3, 1, -1, 40000, 100]] as const) {
      const x = Array.from({ length: 21 }, (_, i) => {
        if (i < 6) return [NaN, Infinity, -Infinity, -0, 1e-40, 3e38][i]!;
        const k = Math.floor(R() * 600) - 300;
        return Math.fround(i % 2 ? (k + 0.5) * s : (R() * 800 - 400) * s); // ties when exact
      });
      sets.push(new Map<string, Tensor>([
        ['x', Tensor.fromNumbers('f32', [3, 7], x)],
        ['s', Tensor.scalar('f32', s)],
        ['zu', Tensor.scalar('u8', zu)],
        ['zi', Tensor.scalar('i8', zi)],
        ['zu16', Tensor.scalar('u16', zu16)],
        ['zi16', Tensor.scalar('i16', zi16)],
        ['sh', new Tensor('f16', [], Uint16Array.of(f32ToF16Bits(s)))],
        ['s1', Tensor.fromNumbers('f32', [1], [s])],
      ]));
    }
    checkAll(g, sets, 'rt');
  });

  it('a per-axis runtime scale is E_NOT_CONSTANT', () => {
    const g = modelFromText(`pa (float[2, 3] x, float[3] s) => (uint8[2, 3] y) { y = QuantizeLinear <axis = 1> (x, s) }`, { opset: 19, name: 'pa' });
    expect(() => compileModel(g, { target: 'c', name: 'pa' })).toThrow(expect.objectContaining({ code: 'E_NOT_CONSTANT', message: expect.stringMatching(/'s'.*compile-time constant/) }));
  });
});
