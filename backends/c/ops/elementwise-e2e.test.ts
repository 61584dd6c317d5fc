/**
 * End to end for the elementwise family: ONNX text models (test/data/text/elementwise-19.onnxtxt and
 * inline) -> loader -> importers -> C backend -> gcc and clang -> run; outputs equal the reference
 * interpreter byte for byte. Also checks
 * what the importers make of opset differences (Clip bounds, Softmax axis semantics, legacy broadcast,
 * Cast's string `to`, variadic Max).
 */
import { describe, expect, it } from 'vitest';
import { compileModel } from '../compile.ts';
import { runCompiled } from '../../run.ts';
import { allocData, type DType } from '../../../compiler/ir/dtype.ts';
import type { Graph } from '../../../compiler/ir/graph.ts';
import { Tensor, shapeSize, tensorsIdentical } from '../../../compiler/ir/tensor.ts';
import { interpret } from '../../../compiler/interpreter/interpret.ts';
import { modelFromText, readTextModel } from '../../../test/util/onnx-text.ts';

let seed = 987654321;
function byte(): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed >>> 24;
}
/** Random bytes for integers; floats in [-8, 8) with a few specials. */
function rand(dtype: DType, shape: number[]): Tensor {
  const t = new Tensor(dtype, shape, allocData(dtype, shapeSize(shape)));
  if (dtype === 'f32') {
    const d = t.data as Float32Array;
    for (let i = 0; i < d.length; i++) d[i] = ((byte() << 8) | byte()) / 4096 - 8;
    const specials = [NaN, Infinity, -Infinity, -0, 100, -100];
    specials.forEach((v, i) => i < d.length && (d[(i * 7) % d.length] = v));
    return t;
  }
  const b = t.bytes();
  for (let i = 0; i < b.length; i++) b[i] = dtype === 'bool' ? byte() & 1 : byte();
  return t;
}

function checkModel(graph: Graph, feeds: Map<string, Tensor>, name: string): Graph {
  const expected = interpret(graph, feeds);
  const model = compileModel(graph, { target: 'c', name });
  for (const cc of ['gcc', 'clang']) {
    const got = runCompiled(model, feeds, { cc });
    for (const [out, want] of expected) {
      const t = got.get(out);
      expect(t, `${cc} ${out}`).toBeDefined();
      expect(tensorsIdentical(t!, want), `${cc} ${out}: ${t!.dtype}[${t!.shape}] vs ${want.dtype}[${want.shape}]`).toBe(true);
    }
  }
  return graph;
}

const scalar = (dtype: DType, v: number) => Tensor.scalar(dtype, v);

describe('elementwise end to end (ONNX -> C -> run) equals the interpreter', () => {
  it('opset 19: arithmetic with broadcasting, activations, clip, softmax, cast, where, max', () => {
    const graph = modelFromText(readTextModel('elementwise-19.onnxtxt'), { name: 'ew19' });
    const feeds = new Map(graph.inputs.map((v) => [v.name, rand(v.type.dtype, [...v.type.shape])]));
    feeds.set('d32', Tensor.fromNumbers('i32', [9], [0, -1, 2, -2, 3, 0, 7, -1, 1]));
    feeds.set('q32', Tensor.fromNumbers('i32', [9], [5, -2147483648, 7, 7, -8, 0, -100, 5, 2147483647]));
    feeds.set('hi', scalar('f32', 2.5));
    const g = checkModel(graph, feeds, 'ew19');
    const clips = g.nodes.filter((n) => n.op === 'clip');
    expect(clips[0]!.attrs).toEqual({ min: -1.5 });
    expect(clips[0]!.inputs.map((v) => v?.name ?? null)).toEqual(['x', null, null]);
    // a runtime bound stays an input
    expect(clips[1]!.attrs).toEqual({ min: -1.5 });
    expect(clips[1]!.inputs.map((v) => v?.name ?? null)).toEqual(['x', null, 'hi']);
    expect(g.nodes.find((n) => n.op === 'softmax')!.attrs).toEqual({ axis: 1, coerce2d: false });
    expect(g.nodes.filter((n) => n.op === 'max').length).toBe(2);
  });

  it('opset 11: Softmax coerces to 2-D, Clip bounds as inputs; opset 6: Clip attributes', () => {
    const g11 = modelFromText(`
      ew11 (float[2, 3, 4] x) => (sm1, sm_last, sm_rank, cl)
      <float[] mx = {0.75}>
      {
        sm1 = Softmax (x)                      # default axis 1: rows of 12
        sm_last = Softmax <axis = -1> (x)
        sm_rank = Softmax <axis = 3> (x)
        cl = Clip (x, "", mx)
      }`, { opset: 11, name: 'ew11' });
    const feeds = new Map([['x', rand('f32', [2, 3, 4])]]);
    const g = checkModel(g11, feeds, 'ew11');
    expect(g.nodes.filter((n) => n.op === 'softmax').map((n) => n.attrs)).toEqual([
      { axis: 1, coerce2d: true },
      { axis: 2, coerce2d: false },
      { axis: 3, coerce2d: true },
    ]);
    expect(g.nodes.find((n) => n.op === 'clip')!.attrs).toEqual({ max: 0.75 });

    const ew6 = modelFromText(`
      ew6 (float[2, 3, 4] x, float[3] b) => (cl, add)
      {
        cl = Clip <min = -0.5> (x)
        add = Add <broadcast = 1, axis = 1> (x, b)  # legacy broadcast: B [3] aligned with axis 1 of A [2,3,4]
      }`, { opset: 6, name: 'ew6' });
    const feeds6 = new Map([
      ['x', rand('f32', [2, 3, 4])],
      ['b', Tensor.fromNumbers('f32', [3], [100, 200, 300])],
    ]);
    const g6 = checkModel(ew6, feeds6, 'ew6');
    expect(g6.nodes.find((n) => n.op === 'clip')!.attrs).toEqual({ min: -0.5, max: 3.4028234663852886e38 });
    const add = interpret(g6, feeds6).get('add')!;
    // element [1][2][3] = x[1][2][3] + b[2]
    expect(add.num(12 + 8 + 3)).toBe(Math.fround(feeds6.get('x')!.num(23) + 300));
  });
});
