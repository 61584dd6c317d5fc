import { describe, expect, it } from 'vitest';
import { Tensor } from '../ir/tensor.ts';
import { QccError } from '../errors.ts';
import { resolveReshape } from './shape.ts';
import { padAxis, padSource, simplifyView, transposeView } from './shape-layout.ts';
import { runOp } from './shape-testing.ts';

const f32 = (shape: number[], v: number[]) => Tensor.fromNumbers('f32', shape, v);
const iota = (dtype: 'f32' | 'i8' | 'i64' | 'u16', shape: number[]) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return Tensor.fromNumbers(dtype, shape, Array.from({ length: n }, (_, i) => i));
};
const one = (kind: string, inputs: Tensor[], attrs: Record<string, unknown>) =>
  runOp(kind, inputs, attrs as never)[0]!;

function expectErr(fn: () => unknown, code: string, ...parts: string[]) {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(QccError);
    expect((e as QccError).code).toBe(code);
    for (const p of parts) expect((e as QccError).message).toContain(p);
    return;
  }
  throw new Error('expected an error');
}

describe('resolveReshape', () => {
  it('copies 0 dims and infers one -1', () => {
    expect(resolveReshape([2, 3, 4], [0, -1], false)).toEqual([2, 12]);
    expect(resolveReshape([2, 3, 4], [-1, 0, 2], false)).toEqual([4, 3, 2]);
    expect(resolveReshape([2, 3, 4], [4, 0, 2], false)).toEqual([4, 3, 2]);
  });
  it('allowzero keeps 0 as a real dimension', () => {
    expect(resolveReshape([0, 3], [3, 0], true)).toEqual([3, 0]);
    expect(resolveReshape([0, 3], [3, 0], false)).toBe('shape [3,0] (9 elements) does not match the input [0,3] (0 elements)');
  });
  it('rejects two -1s, 0 with -1 under allowzero, count mismatch', () => {
    expect(resolveReshape([2, 3], [-1, -1], false)).toContain('more than one -1');
    expect(resolveReshape([2, 3], [0, -1], true)).toContain('both 0 and -1');
    expect(resolveReshape([2, 3], [4, -1], false)).toContain('cannot infer');
    expect(resolveReshape([2, 3], [7], false)).toContain('does not match');
    expect(resolveReshape([2, 3], [0, 0, 0], false)).toContain('has rank 2');
  });
});

describe('reshape', () => {
  it('keeps bytes and changes the shape (i64)', () => {
    const y = one('reshape', [iota('i64', [2, 3])], { shape: [3, 2] });
    expect(y.shape).toEqual([3, 2]);
    expect(y.toNumbers()).toEqual([0, 1, 2, 3, 4, 5]);
  });
  it('names the node and shapes on a count mismatch', () => {
    expectErr(() => one('reshape', [iota('f32', [2, 3])], { shape: [4, 2] }), 'E_SHAPE', 'n_reshape', 'f32[2x3]', '[4,2]');
  });
});

describe('transpose', () => {
  it('2-D', () => {
    // [[0,1,2],[3,4,5]]^T = [[0,3],[1,4],[2,5]]
    const y = one('transpose', [iota('f32', [2, 3])], { perm: [1, 0] });
    expect(y.shape).toEqual([3, 2]);
    expect(y.toNumbers()).toEqual([0, 3, 1, 4, 2, 5]);
  });
  it('3-D perm [2,0,1] on i8', () => {
    // x[a][b][c] = 6a + 3b + c over [2,2,3]; y[c][a][b] = x[a][b][c]
    const y = one('transpose', [iota('i8', [2, 2, 3])], { perm: [2, 0, 1] });
    expect(y.shape).toEqual([3, 2, 2]);
    expect(y.toNumbers()).toEqual([0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11]);
  });
  it('rejects bad perms', () => {
    expectErr(() => one('transpose', [iota('f32', [2, 3])], { perm: [0, 0] }), 'E_ATTR', 'perm [0,0]');
    expectErr(() => one('transpose', [iota('f32', [2, 3])], { perm: [0, 2] }), 'E_ATTR');
    expectErr(() => one('transpose', [iota('f32', [2, 3])], { perm: [0] }), 'E_ATTR');
  });
  it('simplifyView merges contiguous axes and drops size-1 axes', () => {
    expect(simplifyView(transposeView([2, 1, 3, 4], [0, 2, 3, 1]))).toEqual({ shape: [24], strides: [1], offset: 0 });
    expect(simplifyView(transposeView([2, 3, 4], [0, 2, 1]))).toEqual({ shape: [2, 4, 3], strides: [12, 1, 4], offset: 0 });
  });
});

describe('concat', () => {
  it('axis 1 with three inputs', () => {
    const a = f32([2, 1], [1, 2]);
    const b = f32([2, 2], [3, 4, 5, 6]);
    const c = f32([2, 0], []);
    const y = one('concat', [a, b, c], { axis: 1 });
    expect(y.shape).toEqual([2, 3]);
    expect(y.toNumbers()).toEqual([1, 3, 4, 2, 5, 6]);
  });
  it('negative axis on u16', () => {
    const y = one('concat', [iota('u16', [1, 2]), iota('u16', [1, 2])], { axis: -2 });
    expect(y.shape).toEqual([2, 2]);
    expect(y.toNumbers()).toEqual([0, 1, 0, 1]);
  });
  it('rejects mismatched shapes and bad axes', () => {
    expectErr(() => one('concat', [iota('f32', [2, 2]), iota('f32', [3, 3])], { axis: 0 }), 'E_SHAPE', 'input 1 f32[3x3]');
    expectErr(() => one('concat', [iota('f32', [2, 2]), iota('i8', [2, 2])], { axis: 0 }), 'E_SHAPE');
    expectErr(() => one('concat', [iota('f32', [2, 2])], { axis: 2 }), 'E_ATTR', 'axis 2');
  });
});

describe('pad', () => {
  const x = f32([3, 2], [1, 2, 3, 4, 5, 6]);
  const v = (n: number) => f32([1], [n]);
  it('constant (spec example 1)', () => {
    const y = one('pad', [x], { pads: [0, 2, 0, 0], mode: 'constant', value: v(0) });
    expect(y.toNumbers()).toEqual([0, 0, 1, 2, 0, 0, 3, 4, 0, 0, 5, 6]);
  });
  it('reflect, edge (spec examples 2, 3)', () => {
    expect(one('pad', [x], { pads: [0, 2, 0, 0], mode: 'reflect', value: v(0) }).toNumbers()).toEqual([1, 2, 1, 2, 3, 4, 3, 4, 5, 6, 5, 6]);
    expect(one('pad', [x], { pads: [0, 2, 0, 0], mode: 'edge', value: v(0) }).toNumbers()).toEqual([1, 1, 1, 2, 3, 3, 3, 4, 5, 5, 5, 6]);
  });
  it('wrap (spec example 4)', () => {
    const y = one('pad', [x], { pads: [2, 1, 1, 1], mode: 'wrap', value: v(0) });
    expect(y.shape).toEqual([6, 4]);
    expect(y.toNumbers()).toEqual([4, 3, 4, 3, 6, 5, 6, 5, 2, 1, 2, 1, 4, 3, 4, 3, 6, 5, 6, 5, 2, 1, 2, 1]);
  });
  it('pads larger than the axis (numpy semantics)', () => {
    const r = f32([3], [1, 2, 3]);
    // reflect, period 4: positions -1..-4 read 2 3 2 1, positions 3..7 read 2 1 2 3 2
    expect(one('pad', [r], { pads: [4, 5], mode: 'reflect', value: v(0) }).toNumbers()).toEqual([1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2]);
    expect(one('pad', [r], { pads: [4, 5], mode: 'wrap', value: v(0) }).toNumbers()).toEqual([3, 1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2]);
    expect(one('pad', [r], { pads: [4, 2], mode: 'edge', value: v(0) }).toNumbers()).toEqual([1, 1, 1, 1, 1, 2, 3, 3, 3]);
    expect(one('pad', [f32([1], [7])], { pads: [2, 1], mode: 'reflect', value: v(0) }).toNumbers()).toEqual([7, 7, 7, 7]);
  });
  it('negative pads crop, then pad from the kept range', () => {
    const r = f32([5], [1, 2, 3, 4, 5]);
    expect(one('pad', [r], { pads: [-1, -2], mode: 'constant', value: v(9) }).toNumbers()).toEqual([2, 3]);
    expect(one('pad', [r], { pads: [-1, 2], mode: 'constant', value: v(9) }).toNumbers()).toEqual([2, 3, 4, 5, 9, 9]);
    expect(one('pad', [r], { pads: [-2, 2], mode: 'reflect', value: v(0) }).toNumbers()).toEqual([3, 4, 5, 4, 3]);
    expect(one('pad', [r], { pads: [2, -3], mode: 'wrap', value: v(0) }).toNumbers()).toEqual([1, 2, 1, 2]);
  });
  it('constant value of an i64 tensor stays exact', () => {
    const big = Tensor.fromNumbers('i64', [1], [0]);
    (big.data as BigInt64Array)[0] = -(2n ** 62n) - 3n;
    const y = one('pad', [iota('i64', [1])], { pads: [1, 0], mode: 'constant', value: big });
    expect(Array.from(y.data as BigInt64Array)).toEqual([-(2n ** 62n) - 3n, 0n]);
  });
  it('validates', () => {
    expectErr(() => one('pad', [x], { pads: [0, 0], mode: 'constant', value: v(0) }), 'E_ATTR', 'rank 2 needs 4');
    expectErr(() => one('pad', [x], { pads: [-2, 0, -2, 0], mode: 'constant', value: v(0) }), 'E_SHAPE', 'crop more');
    expectErr(() => one('pad', [x], { pads: [0, 0, 0, 0], mode: 'mirror', value: v(0) }), 'E_ATTR', 'mirror');
    expectErr(() => one('pad', [f32([0], [])], { pads: [1, 0], mode: 'edge', value: v(0) }), 'E_SHAPE', 'at least one');
  });
  it('padSource maps reflect periodically', () => {
    const ax = padAxis(3, 10, 10);
    if (typeof ax === 'string') throw new Error(ax);
    // input a b c: reflect sequence around it, period 4: b c b a | a b c ...
    const got = Array.from({ length: 23 }, (_, o) => padSource(o, ax, 'reflect'));
    const expected = [2, 1, 0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2, 1, 0, 1, 2, 1, 0];
    expect(got).toEqual(expected);
  });
});

describe('gather', () => {
  it('axis 0 with negative indices', () => {
    const y = one('gather', [iota('f32', [3, 2]), Tensor.fromNumbers('i64', [2], [-1, 0])], { axis: 0 });
    expect(y.shape).toEqual([2, 2]);
    expect(y.toNumbers()).toEqual([4, 5, 0, 1]);
  });
  it('axis 1 with 2-D i32 indices', () => {
    const y = one('gather', [iota('f32', [2, 3]), Tensor.fromNumbers('i32', [2, 2], [2, 0, 1, 1])], { axis: 1 });
    expect(y.shape).toEqual([2, 2, 2]);
    expect(y.toNumbers()).toEqual([2, 0, 1, 1, 5, 3, 4, 4]);
  });
  it('scalar index drops the axis', () => {
    const y = one('gather', [iota('i64', [4]), Tensor.fromNumbers('i64', [], [2])], { axis: 0 });
    expect(y.shape).toEqual([]);
    expect(y.toNumbers()).toEqual([2]);
  });
  it('rejects out-of-range indices at run time', () => {
    expectErr(() => one('gather', [iota('f32', [3]), Tensor.fromNumbers('i64', [1], [3])], { axis: 0 }), 'E_INPUT', 'index 3');
  });
});

describe('slice', () => {
  it('forward with step 2', () => {
    const y = one('slice', [iota('f32', [2, 5])], { starts: [0, 1], ends: [2, 5], steps: [1, 2] });
    expect(y.shape).toEqual([2, 2]);
    expect(y.toNumbers()).toEqual([1, 3, 6, 8]);
  });
  it('backwards to the start (end -1)', () => {
    const y = one('slice', [iota('f32', [5])], { starts: [4], ends: [-1], steps: [-2] });
    expect(y.toNumbers()).toEqual([4, 2, 0]);
  });
  it('rejects unnormalised bounds', () => {
    expectErr(() => one('slice', [iota('f32', [5])], { starts: [-1], ends: [5], steps: [1] }), 'E_ATTR', 'not normalised');
  });
});

describe('split and expand', () => {
  it('split uneven parts along axis 1', () => {
    const [a, b] = runOp('split', [iota('f32', [2, 3])], { axis: 1, split: [1, 2] }, 2);
    expect(a!.toNumbers()).toEqual([0, 3]);
    expect(b!.shape).toEqual([2, 2]);
    expect(b!.toNumbers()).toEqual([1, 2, 4, 5]);
  });
  it('split validates the sizes', () => {
    expectErr(() => runOp('split', [iota('f32', [2, 3])], { axis: 1, split: [1, 1] }, 2), 'E_ATTR', 'does not divide');
  });
  it('expand broadcasts both ways', () => {
    const y = one('expand', [f32([3, 1], [1, 2, 3])], { shape: [2, 1, 2] });
    expect(y.shape).toEqual([2, 3, 2]);
    expect(y.toNumbers()).toEqual([1, 1, 2, 2, 3, 3, 1, 1, 2, 2, 3, 3]);
    expectErr(() => one('expand', [f32([3], [1, 2, 3])], { shape: [2] }), 'E_SHAPE', 'cannot expand');
  });
});
