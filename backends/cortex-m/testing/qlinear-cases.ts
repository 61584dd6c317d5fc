/**
 * Test helper: one graph holding many independent qlinear_conv / qlinear_matmul nodes (every u8/i8
 * combination, per-channel scales, groups, depthwise, strides, dilations, pads, odd sizes, k not a multiple
 * of 2, extreme biases, power-of-two scales that make exact ties, scales >= 1 and tiny ones), each fed by
 * its own graph input, with the given `requant` scheme. One compile + one run checks them all.
 */
import { DTYPES, type DType } from '../../../compiler/ir/dtype.ts';
import { Graph, type Attrs, type Node, type Value } from '../../../compiler/ir/graph.ts';
import { Tensor, shapeSize } from '../../../compiler/ir/tensor.ts';
import { outputSpatial } from '../../../compiler/ops/conv-geometry.ts';
import { getOpDef } from '../../../compiler/ops/registry.ts';
import '../../../compiler/ops/index.ts';
import { xorshift32Unit } from '../../../test/util/prng.ts';

const rng = xorshift32Unit;

const Q8: readonly DType[] = ['u8', 'i8'];

export function qlinearCasesGraph(seed: number, scheme: 'fp32' | 'fixed', count = 24): Graph {
  const r = rng(seed);
  const ri = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const randInt = (dtype: DType, shape: readonly number[]): Tensor => {
    const t = new Tensor(dtype, shape);
    const { min, max } = DTYPES[dtype];
    const d = t.data as Int32Array;
    for (let i = 0; i < d.length; i++) d[i] = r() < 0.1 ? pick([min, max, 0]) : min + Math.floor(r() * (max - min + 1));
    return t;
  };
  // Realistic magnitudes (x and w scales small, y scale near 1) so few outputs saturate; mostly powers of
  // two, which make exact rounding ties; sometimes extremes (>= 1, tiny).
  const scale = (lo: number, hi: number): number => {
    if (r() < 0.05) return pick([1, 2, 3, 1e-12, 0.5]);
    if (r() < 0.7) return 2 ** ri(lo, hi);
    return Math.fround(2 ** (lo + r() * (hi - lo)));
  };
  const scales = (n: number, lo: number, hi: number) => Tensor.fromNumbers('f32', n ? [n] : [], Array.from({ length: Math.max(n, 1) }, () => scale(lo, hi)));

  const g = new Graph('qcases');
  let k = 0;
  const add = (kind: string, inputs: (Tensor | null)[], attrs: Attrs): void => {
    const id = k++;
    const vals: (Value | null)[] = inputs.map((t, i) => {
      if (!t) return null;
      if (i === 0) {
        const v = g.addValue(`x${id}`, { dtype: t.dtype, shape: t.shape });
        g.inputs.push(v);
        return v;
      }
      return g.addConst(`c${id}_${i}`, t);
    });
    const probe: Node = { id: -1, name: `n${id}`, op: kind, inputs: vals, outputs: [], attrs };
    const outs = getOpDef(kind).infer(probe).map((t, j) => g.addValue(`y${id}_${j}`, t));
    g.addNode(kind, `n${id}`, vals, outs, attrs);
    g.outputs.push(...outs);
  };

  while (k < count) {
    const [xt, wt, yt] = [pick(Q8), pick(Q8), pick(Q8)];
    if (k % 3 !== 2) {
      const rank = pick([1, 2, 2]);
      const group = pick([1, 1, 2, 3]);
      const depthwise = r() < 0.2;
      const cpg = depthwise ? 1 : ri(1, 5);
      const mpg = depthwise ? 1 : ri(1, 4);
      const inSp = Array.from({ length: rank }, () => ri(2, 9));
      const kernel = inSp.map(() => ri(1, 3));
      const strides = inSp.map(() => ri(1, 2));
      const dilations = inSp.map(() => pick([1, 1, 2]));
      const pads = [...inSp, ...inSp].map(() => ri(0, 1));
      const out = outputSpatial(inSp, pads, { kernel, strides, dilations });
      if (out.some((o) => o < 1)) continue;
      const m = group * mpg;
      const per = r() < 0.6;
      const ws = scales(per ? m : 0, -9, -5);
      const bias = r() < 0.7 ? Tensor.fromNumbers('i32', [m], Array.from({ length: m }, () => (r() < 0.1 ? pick([-2147483648, 2147483647]) : ri(-20000, 20000)))) : null;
      add('qlinear_conv', [randInt(xt, [1, group * cpg, ...inSp]), scales(0, -8, -4), randInt(xt, []), randInt(wt, [m, cpg, ...kernel]), ws, randInt(wt, ws.shape),
        scales(0, -4, 0), randInt(yt, []), bias], { kernel_shape: kernel, strides, dilations, pads, group, requant: scheme });
    } else {
      const [m, kk, n] = [ri(1, 5), ri(1, 33), ri(1, 13)];
      const batch = pick([[], [], [2]]);
      const bq = pick(['tensor', 'vec']);
      const bqShape = bq === 'tensor' ? [] : [n];
      add('qlinear_matmul', [randInt(xt, [...batch, m, kk]), scales(0, -8, -4), randInt(xt, []), randInt(wt, [kk, n]),
        Tensor.fromNumbers('f32', bqShape, Array.from({ length: shapeSize(bqShape) }, () => scale(-9, -5))), randInt(wt, bqShape), scales(0, -4, 0), randInt(yt, [])],
      { requant: scheme });
    }
  }
  return g;
}
