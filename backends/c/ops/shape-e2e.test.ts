/**
 * End to end for the shape family: an ONNX text model (test/data/text/shape-ops.onnxtxt) -> loader -> C
 * backend -> gcc and clang -> run, outputs compared with the reference interpreter byte for byte.
 */
import { describe, expect, it } from 'vitest';
import { compileModel } from '../compile.ts';
import { runCompiled } from '../../run.ts';
import { allocData, type DType } from '../../../compiler/ir/dtype.ts';
import { Tensor, shapeSize, tensorsIdentical } from '../../../compiler/ir/tensor.ts';
import { interpret } from '../../../compiler/interpreter/interpret.ts';
import type { Graph } from '../../../compiler/ir/graph.ts';
import { modelFromText, readTextModel } from '../../../test/util/onnx-text.ts';

let seed = 12345;
function byte(): number {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  return seed >>> 24;
}
function rand(dtype: DType, shape: number[]): Tensor {
  const t = new Tensor(dtype, shape, allocData(dtype, shapeSize(shape)));
  const b = t.bytes();
  for (let i = 0; i < b.length; i++) b[i] = dtype === 'bool' ? byte() & 1 : byte();
  return t;
}
const i64 = (v: number[], shape = [v.length]) => Tensor.fromNumbers('i64', shape, v);

/** The model (test/data/text/shape-ops.onnxtxt) and seeded random feeds for its inputs. */
function shapeModel(): { graph: Graph; feeds: Map<string, Tensor> } {
  const graph = modelFromText(readTextModel('shape-ops.onnxtxt'), { name: 'shapes' });
  const feeds = new Map(graph.inputs.map((v) => [v.name, rand(v.type.dtype, [...v.type.shape])]));
  // gather indices in range, negative ones included
  feeds.set('gi', i64([-1, 0, 3, -3], [2, 2]));
  return { graph, feeds };
}

describe('shape family end to end (ONNX -> C -> run) equals the interpreter', () => {
  const { graph, feeds } = shapeModel();
  const expected = interpret(graph, feeds);

  it('imports to the expected kinds', () => {
    expect(graph.nodes.map((n) => n.op).sort()).toEqual(
      ['concat', 'expand', 'gather', 'pad', 'pad', 'pad', 'reshape', 'reshape', 'slice', 'split', 'transpose', 'transpose', 'reshape'].sort(),
    );
  });

  for (const cc of ['gcc', 'clang']) {
    it(cc, () => {
      const model = compileModel(graph, { target: 'c', name: 'shapes' });
      const got = runCompiled(model, feeds, { cc });
      for (const [name, want] of expected) {
        const t = got.get(name);
        expect(t, name).toBeDefined();
        expect(tensorsIdentical(t!, want), `${name}: ${t!.dtype}[${t!.shape}] vs ${want.dtype}[${want.shape}]`).toBe(true);
      }
    });
  }
});
