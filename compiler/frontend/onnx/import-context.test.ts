import { describe, expect, it } from 'vitest';
import { Tensor, tensorsIdentical } from '../../ir/tensor.ts';
import { verifyGraph } from '../../ir/verify.ts';
import type { ImportContext } from './importer.ts';
import { loadOnnxBytes } from './load.ts';
import { expectQcc } from './test-helpers.ts';
import { TEST_DOMAIN, setProbe } from './testing-ops.ts';
import { encodeModel, type AttrDesc, type ModelDesc } from './writer.ts';

const OPSETS = [{ domain: '', version: 17 }, { domain: TEST_DOMAIN, version: 3 }];
const f32 = (shape: number[], vals: number[]) => Tensor.fromNumbers('f32', shape, vals);

/** A model with one Probe node (inputs x: runtime, w: constant) whose importer is `fn`. */
function probe(fn: (ctx: ImportContext) => void, attrs: Record<string, AttrDesc> = {}, extra: Partial<ModelDesc> = {}) {
  setProbe(fn);
  try {
    return loadOnnxBytes(
      encodeModel({
        opsets: OPSETS,
        inputs: [{ name: 'x', dtype: 'f32', shape: [2] }],
        outputs: [{ name: 'y', dtype: 'f32' }],
        initializers: [{ name: 'w', tensor: f32([2], [3, 4]) }],
        nodes: [{ op: 'Probe', domain: TEST_DOMAIN, name: 'P', inputs: ['x', '', 'w'], outputs: ['y'], attrs }],
        ...extra,
      }),
    );
  } finally {
    setProbe(undefined);
  }
}

const passThrough = (ctx: ImportContext) => ctx.emit('qcc_test_runtime', [ctx.requireInput(0)]);

describe('ImportContext', () => {
  it('describes the node and its inputs', () => {
    probe((ctx) => {
      expect([ctx.nodeName, ctx.opType, ctx.domain, ctx.opset, ctx.numInputs, ctx.numOutputs]).toEqual(['P', 'Probe', TEST_DOMAIN, 3, 3, 1]);
      expect(ctx.input(0)!.name).toBe('x');
      expect(ctx.input(1)).toBeNull();
      expect(ctx.input(7)).toBeNull();
      expect(ctx.constInput(2, 'weights').toNumbers()).toEqual([3, 4]);
      expect(ctx.optConstInput(1, 'bias')).toBeUndefined();
      passThrough(ctx);
    });
  });

  it('reports missing and non-constant inputs naming the node', () => {
    expectQcc(() => probe((ctx) => void ctx.requireInput(1, 'bias')), 'E_MODEL', "node 'P'", 'bias');
    expectQcc(() => probe((ctx) => void ctx.constInput(0, 'scale')), 'E_NOT_CONSTANT', "node 'P'", 'scale', "'x'");
  });

  it('reads attributes of every kind, with defaults', () => {
    const attrs: Record<string, AttrDesc> = {
      i: { i: -3 }, f: { f: 0.1 }, s: { s: 'héllo' }, is: { ints: [1, -2, 3] }, fs: { floats: [0.1, 2] }, ss: { strings: ['a', 'b'] },
      t: { t: f32([1], [7]) }, big: { i: 2 ** 40 },
    };
    probe((ctx) => {
      expect(ctx.attrInt('i')).toBe(-3);
      expect(ctx.attrInt('big')).toBe(2 ** 40);
      expect(ctx.attrFloat('f')).toBe(Math.fround(0.1));
      expect(ctx.attrString('s')).toBe('héllo');
      expect(ctx.attrInts('is')).toEqual([1, -2, 3]);
      expect(ctx.attrFloats('fs')).toEqual([Math.fround(0.1), 2]);
      expect(ctx.attrStrings('ss')).toEqual(['a', 'b']);
      expect(ctx.attrTensor('t').toNumbers()).toEqual([7]);
      expect(ctx.hasAttr('i')).toBe(true);
      expect(ctx.hasAttr('nope')).toBe(false);
      expect(ctx.attrInt('nope', 5)).toBe(5);
      expect(ctx.attrFloat('nope', 0.1)).toBe(Math.fround(0.1));
      expect(ctx.attrInts('nope', [1])).toEqual([1]);
      expect(ctx.attrString('nope', 'd')).toBe('d');
      ctx.rejectAttrsExcept(Object.keys(attrs));
      passThrough(ctx);
    }, attrs);
  });

  it('rejects attributes of the wrong kind, missing ones and unknown ones (naming the node)', () => {
    const attrs: Record<string, AttrDesc> = { i: { i: 1 }, f: { f: 1 } };
    expectQcc(() => probe((ctx) => void ctx.attrInt('f'), attrs), 'E_ATTR', "node 'P'", "'f'", 'an int', 'a float');
    expectQcc(() => probe((ctx) => void ctx.attrInts('i'), attrs), 'E_ATTR', "'i'", 'list of ints');
    expectQcc(() => probe((ctx) => void ctx.attrString('i'), attrs), 'E_ATTR', "'i'");
    expectQcc(() => probe((ctx) => void ctx.attrTensor('f'), attrs), 'E_ATTR', "'f'", 'tensor');
    expectQcc(() => probe((ctx) => void ctx.attrInt('missing'), attrs), 'E_ATTR', "node 'P'", "'missing'");
    expectQcc(() => probe((ctx) => ctx.rejectAttrsExcept(['i']), attrs), 'E_UNSUPPORTED', "node 'P'", "'f'");
  });

  it('error() names node, domain, op type and opset', () => {
    const e = expectQcc(() => probe((ctx) => { throw ctx.error('cannot do this', 'E_UNSUPPORTED', 'try that'); }), 'E_UNSUPPORTED', "'P'", TEST_DOMAIN, 'Probe', 'opset 3', 'cannot do this');
    expect(e.hint).toBe('try that');
    expect(e.node?.name).toBe('P');
  });

  it('emit names outputs after the ONNX outputs and types them', () => {
    const g = probe(passThrough);
    expect(g.nodes.map((n) => [n.name, n.op])).toEqual([['P', 'qcc_test_runtime']]);
    expect(g.outputs[0]!.name).toBe('y');
    expect(g.outputs[0]!.type).toEqual({ dtype: 'f32', shape: [2] });
  });

  it('emitTemp makes fresh, unique names that avoid model names', () => {
    const g = probe((ctx) => {
      const x = ctx.requireInput(0);
      const [a] = ctx.emitTemp('qcc_test_runtime', [x]);
      const [b] = ctx.emitTemp('qcc_test_runtime', [a!]);
      ctx.emit('qcc_test_add', [a!, b!]);
    });
    verifyGraph(g);
    const names = g.nodes.map((n) => n.name);
    expect(names[2]).toBe('P');
    expect(new Set(names).size).toBe(3);
    const values = [...g.values.values()].map((v) => v.name);
    expect(new Set(values).size).toBe(values.length);
    expect(values).toContain('y');
  });

  it('folds nodes whose inputs are all constant, keeping unfoldable kinds', () => {
    const g = probe((ctx) => {
      const w = ctx.requireInput(2);
      const [s] = ctx.emitTemp('qcc_test_add', [w, w]);
      expect(s!.const!.toNumbers()).toEqual([6, 8]);
      expect(s!.producer).toBeNull();
      const [r] = ctx.emitTemp('qcc_test_runtime', [s!]);
      expect(r!.const).toBeUndefined();
      ctx.emit('qcc_test_add', [r!, ctx.requireInput(0)]);
    });
    expect(g.nodes.map((n) => n.op)).toEqual(['qcc_test_runtime', 'qcc_test_add']);
    expect(g.nodes[0]!.inputs[0]!.const!.toNumbers()).toEqual([6, 8]);
    verifyGraph(g);
  });

  it('constant() and bind() map an ONNX output to an existing value', () => {
    const g = probe((ctx) => {
      ctx.bind(0, ctx.constant(f32([2], [9, 9]), 'nine'));
    });
    expect(g.nodes).toHaveLength(0);
    expect(g.outputs[0]!.name).toBe('y');
    expect(g.outputs[0]!.const!.toNumbers()).toEqual([9, 9]);
  });

  it('handles multi-output ops, empty output names and unproduced outputs', () => {
    const pair = (outputs: string[], graphOutputs: string[]) =>
      loadOnnxBytes(
        encodeModel({
          opsets: OPSETS,
          inputs: [{ name: 'x', dtype: 'f32', shape: [2] }],
          outputs: graphOutputs.map((name) => ({ name })),
          nodes: [{ op: 'Pair', domain: TEST_DOMAIN, name: 'pr', inputs: ['x'], outputs }],
        }),
      );
    const g = pair(['a', 'b'], ['a', 'b']);
    expect(g.nodes[0]!.outputs.map((v) => v.name)).toEqual(['a', 'b']);
    const g2 = pair(['', 'b'], ['b']);
    expect(g2.nodes[0]!.outputs[0]!.name).not.toBe('');
    expect(g2.outputs[0]!.name).toBe('b');
    verifyGraph(g2);
    // An ONNX output the importer does not produce is fine while unused, an error when used.
    setProbe(passThrough);
    const extra = (outs: { name: string }[]) =>
      loadOnnxBytes(
        encodeModel({
          opsets: OPSETS,
          inputs: [{ name: 'x', dtype: 'f32', shape: [2] }],
          outputs: outs,
          nodes: [{ op: 'Probe', domain: TEST_DOMAIN, name: 'P', inputs: ['x'], outputs: ['y', 'mask'] }],
        }),
      );
    try {
      expect(extra([{ name: 'y' }]).nodes).toHaveLength(1);
      expectQcc(() => extra([{ name: 'y' }, { name: 'mask' }]), 'E_UNSUPPORTED', "'P'", "'mask'");
    } finally {
      setProbe(undefined);
    }
  });

  it('folding runs the reference kernel on the real node', () => {
    const g = loadOnnxBytes(
      encodeModel({
        opsets: OPSETS,
        inputs: [],
        outputs: [{ name: 'a' }, { name: 'b' }],
        initializers: [{ name: 'w', tensor: f32([2], [1.5, -2]) }],
        nodes: [{ op: 'Pair', domain: TEST_DOMAIN, inputs: ['w'], outputs: ['a', 'b'] }],
      }),
    );
    expect(g.nodes).toHaveLength(0);
    expect(tensorsIdentical(g.outputs[1]!.const!, f32([2], [3, -4]))).toBe(true);
  });
});
