import { describe, expect, it } from 'vitest';
import { loadOnnxBytes } from '../frontend/onnx/load.ts';
import { encodeModel } from '../frontend/onnx/writer.ts';
import { Tensor, tensorsIdentical } from '../ir/tensor.ts';
import { verifyGraph } from '../ir/verify.ts';
import { interpret } from '../interpreter/interpret.ts';
import { bindInputs, inputsNeededAsConstants } from './bind-inputs.ts';

// QLinearMatMul with every operand a graph input, as the ONNX node tests feed them.
const qmatmul = () =>
  loadOnnxBytes(
    encodeModel({
      opsets: [{ domain: '', version: 13 }],
      inputs: [
        { name: 'a', dtype: 'u8', shape: [2, 3] },
        { name: 'a_scale', dtype: 'f32', shape: [] },
        { name: 'a_zp', dtype: 'u8', shape: [] },
        { name: 'b', dtype: 'i8', shape: [3, 2] },
        { name: 'b_scale', dtype: 'f32', shape: [] },
        { name: 'b_zp', dtype: 'i8', shape: [] },
        { name: 'y_scale', dtype: 'f32', shape: [] },
        { name: 'y_zp', dtype: 'u8', shape: [] },
      ],
      outputs: [{ name: 'y', dtype: 'u8', shape: [2, 2] }],
      nodes: [{ op: 'QLinearMatMul', inputs: ['a', 'a_scale', 'a_zp', 'b', 'b_scale', 'b_zp', 'y_scale', 'y_zp'], outputs: ['y'] }],
    }),
  );

const feeds = () =>
  new Map<string, Tensor>([
    ['a', Tensor.fromNumbers('u8', [2, 3], [0, 255, 7, 128, 1, 254])],
    ['a_scale', Tensor.scalar('f32', 0.05)],
    ['a_zp', Tensor.scalar('u8', 255)],
    ['b', Tensor.fromNumbers('i8', [3, 2], [-128, 127, 0, 1, -1, 64])],
    ['b_scale', Tensor.scalar('f32', 0.02)],
    ['b_zp', Tensor.scalar('i8', -128)],
    ['y_scale', Tensor.scalar('f32', 0.75)],
    ['y_zp', Tensor.scalar('u8', 3)],
  ]);

describe('bindInputs', () => {
  it('finds the inputs in constInputs slots and binds them; results are unchanged', () => {
    const g = qmatmul();
    const needed = inputsNeededAsConstants(g).map((v) => v.name);
    expect(needed).toEqual(['a_scale', 'a_zp', 'b', 'b_scale', 'b_zp', 'y_scale', 'y_zp']);
    const all = feeds();
    const before = interpret(g, all).get('y')!;
    bindInputs(g, new Map(needed.map((n) => [n, all.get(n)!])));
    verifyGraph(g);
    expect(g.inputs.map((v) => v.name)).toEqual(['a']);
    for (const n of needed) expect(g.valueByName(n)?.const).toBeDefined();
    expect(inputsNeededAsConstants(g)).toEqual([]);
    const after = interpret(g, new Map([['a', all.get('a')!]])).get('y')!;
    expect(tensorsIdentical(after, before)).toBe(true);
  });

  it('folds users whose inputs all became constant', () => {
    const g = loadOnnxBytes(
      encodeModel({
        opsets: [{ domain: '', version: 13 }],
        inputs: [
          { name: 'x', dtype: 'f32', shape: [4] },
          { name: 's2d', dtype: 'f32', shape: [1, 1] },
        ],
        outputs: [{ name: 'y', dtype: 'u8', shape: [4] }],
        initializers: [{ name: 'shape1', tensor: Tensor.fromNumbers('i64', [1], [1]) }],
        nodes: [
          { op: 'Reshape', inputs: ['s2d', 'shape1'], outputs: ['s'] },
          { op: 'QuantizeLinear', inputs: ['x', 's'], outputs: ['y'] },
        ],
      }),
    );
    expect(g.nodes.map((n) => n.op)).toEqual(['reshape', 'quantize_linear']);
    expect(inputsNeededAsConstants(g)).toEqual([]); // not fed directly
    bindInputs(g, new Map([['s2d', Tensor.fromNumbers('f32', [1, 1], [0.5])]]));
    verifyGraph(g);
    expect(g.nodes.map((n) => n.op)).toEqual(['quantize_linear']);
    expect(g.nodes[0]!.inputs[1]!.const?.toNumbers()).toEqual([0.5]);
    const y = interpret(g, new Map([['x', Tensor.fromNumbers('f32', [4], [-1, 0.25, 0.75, 200])]])).get('y')!;
    expect(y.toNumbers()).toEqual([0, 0, 2, 255]); // 0.5 and 1.5 round half to even
  });

  it('rejects names that are not graph inputs and values of the wrong type', () => {
    const g = qmatmul();
    expect(() => bindInputs(g, new Map([['nope', Tensor.scalar('f32', 1)]]))).toThrow(/not a graph input/);
    expect(() => bindInputs(qmatmul(), new Map([['a_scale', Tensor.fromNumbers('f32', [2], [1, 2])]]))).toThrow(/f32\[2\].*f32\[scalar\]/);
    expect(() => bindInputs(qmatmul(), new Map([['a_zp', Tensor.scalar('i8', 1)]]))).toThrow(/E_INPUT|i8/);
  });
});
