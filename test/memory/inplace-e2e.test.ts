/**
 * In-place execution end to end: models whose plans use views (Reshape, Flatten, Squeeze, Unsqueeze) and
 * in-place kernels, including views of graph inputs, views of graph outputs and a view that is itself a
 * graph output (copied), compile to C that gcc and clang build and that equals the interpreter byte for
 * byte. The generated residual CNNs run too.
 */
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../backends/c/compile.ts';
import { runCompiled } from '../../backends/run.ts';
import { loadOnnxBytes } from '../../compiler/frontend/onnx/load.ts';
import { encodeModel } from '../../compiler/frontend/onnx/writer.ts';
import type { Graph } from '../../compiler/ir/graph.ts';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import { Tensor, tensorsIdentical } from '../../compiler/ir/tensor.ts';
import { randomInputs } from '../../compiler/io/random-inputs.ts';
import { prepareGraph } from '../../compiler/passes/pipeline.ts';
import { plannedModels } from './models.ts';

function check(g: Graph, feeds: Map<string, Tensor>, name: string) {
  const want = interpret(g, feeds);
  const model = compileModel(g, { target: 'c', name });
  for (const cc of ['gcc', 'clang']) {
    const got = runCompiled(model, feeds, { cc });
    for (const [out, t] of want) expect(tensorsIdentical(got.get(out)!, t), `${name} ${cc} ${out}`).toBe(true);
  }
  return model;
}

describe('views and in-place kernels in C equal the interpreter', () => {
  it('views of inputs and outputs, a view output, in-place chains and a residual add', () => {
    const i64 = (v: number[]) => Tensor.fromNumbers('i64', [v.length], v);
    const bytes = encodeModel({
      opsets: [{ domain: '', version: 13 }],
      inputs: [{ name: 'x', dtype: 'f32', shape: [2, 3, 4] }],
      outputs: [{ name: 'o1' }, { name: 'o2' }, { name: 'o3' }],
      initializers: [{ name: 's24', tensor: i64([24]) }, { name: 's64', tensor: i64([6, 4]) }, { name: 'ax0', tensor: i64([0]) }],
      nodes: [
        { op: 'Flatten', name: 'fx', inputs: ['x'], outputs: ['fx'], attrs: { axis: { i: 0 } } }, // view of the input
        { op: 'Relu', name: 'a', inputs: ['fx'], outputs: ['a'] }, // reads the input: not in place
        { op: 'Reshape', name: 'b', inputs: ['a', 's64'], outputs: ['b'] }, // view of a
        { op: 'Sigmoid', name: 'c', inputs: ['b'], outputs: ['c'] }, // in place over a
        { op: 'Add', name: 'd', inputs: ['c', 'c'], outputs: ['d'] }, // in place, same storage twice
        { op: 'Unsqueeze', name: 'e', inputs: ['d', 'ax0'], outputs: ['e'] }, // view
        { op: 'Tanh', name: 'f', inputs: ['e'], outputs: ['f'] }, // in place
        { op: 'Squeeze', name: 'o1', inputs: ['f', 'ax0'], outputs: ['o1'] }, // graph output: a copy
        { op: 'Reshape', name: 'g', inputs: ['o1', 's24'], outputs: ['g'] }, // view of a graph output
        { op: 'Neg', name: 'h', inputs: ['g'], outputs: ['h'] }, // reads the output: not in place
        { op: 'Mul', name: 'k', inputs: ['h', 'fx'], outputs: ['k'] }, // in place over h
        { op: 'Sub', name: 'm', inputs: ['k', 'h2'], outputs: ['m'] },
        { op: 'Abs', name: 'h2', inputs: ['fx'], outputs: ['h2'] },
        { op: 'Reshape', name: 'o2', inputs: ['m', 's64'], outputs: ['o2'] },
        { op: 'Exp', name: 'o3', inputs: ['g'], outputs: ['o3'] },
      ].sort((p, q) => (p.name === 'h2' ? -1 : q.name === 'h2' ? 1 : 0)),
    });
    const g = loadOnnxBytes(bytes, { name: 'views' });
    prepareGraph(g, {});
    const model = check(g, randomInputs(g, 3), 'views');
    const p = model.plan;
    const how = (n: string) => p.buffers.find((b) => b.name === n)?.view?.how;
    expect(p.externalViews.map((e) => e.name).sort()).toEqual(['fx', 'g']);
    expect([how('b'), how('c'), how('d'), how('e'), how('f'), how('k')]).toEqual(['view', 'in-place', 'in-place', 'view', 'in-place', 'in-place']);
    expect(how('a')).toBeUndefined();
    expect(how('h')).toBeUndefined();
    // view nodes run no code; the view that is a graph output copies
    const c = model.files.get('views.c')!;
    expect(c).toMatch(/view: 'b' is the bytes of 'a' \(no code\)/);
    expect(c).toMatch(/qcc_reshape\(o1, /);
  });

  it('generated residual CNNs and the example (gcc and clang)', () => {
    for (const m of plannedModels().filter((x) => x.id.startsWith('gen/') || x.id.startsWith('examples/'))) {
      const want = interpret(m.graph, m.feeds);
      for (const cc of ['gcc', 'clang']) {
        const got = runCompiled(m.model, m.feeds, { cc });
        for (const [out, t] of want) expect(tensorsIdentical(got.get(out)!, t), `${m.id} ${cc} ${out}`).toBe(true);
      }
    }
  });
});
