/**
 * C parity for the shape family: random shapes, permutations, pads, indices and dtypes; each case is
 * emitted with the real emitters into one C driver (a stand-in emit context declares the buffers),
 * compiled with gcc and clang, run, and its output bytes compared with the interpreter's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DTYPES, allocData, type DType } from '../../../compiler/ir/dtype.ts';
import type { Attrs, Value } from '../../../compiler/ir/graph.ts';
import { Tensor, shapeSize } from '../../../compiler/ir/tensor.ts';
import { getOpDef } from '../../../compiler/ops/registry.ts';
import { clampSlice } from '../../../compiler/ops/shape.ts';
import { oneNode } from '../../../compiler/ops/shape-testing.ts';
import { directCall, type CEmitContext } from '../emitter.ts';
import { emitters } from './shape.ts';
import { buildAndRunDriver, bytesInit, hexBytes as hex } from '../../../test/util/c-driver.ts';

const EMITTERS = new Map(emitters.map((e) => [e.kind, e]));

// xorshift32, seeded: the cases are the same on every run
let seed = 0x9e3779b9;
function rnd(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 2 ** 32;
}
const ri = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const shuffle = <T>(xs: T[]): T[] => {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = ri(0, i);
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
};
const ALL: DType[] = ['f32', 'f16', 'f64', 'i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64', 'u64', 'bool'];

/** Random bits (NaN payloads included for floats: moves must keep every bit). */
function randTensor(dtype: DType, shape: number[]): Tensor {
  const t = new Tensor(dtype, shape, allocData(dtype, shapeSize(shape)));
  const b = t.bytes();
  for (let i = 0; i < b.length; i++) b[i] = dtype === 'bool' ? ri(0, 1) : ri(0, 255);
  return t;
}
const randShape = (rank: number, maxDim = 4, minDim = 1) => Array.from({ length: rank }, () => ri(minDim, maxDim));

interface Case {
  kind: string;
  inputs: Tensor[];
  attrs: Attrs;
  outs?: number;
  consts?: number[];
}

function makeCases(): Case[] {
  const cs: Case[] = [];
  for (let k = 0; k < 40; k++) {
    const rank = ri(0, 6);
    const x = randTensor(pick(ALL), randShape(rank));
    cs.push({ kind: 'transpose', inputs: [x], attrs: { perm: shuffle(Array.from({ length: rank }, (_, i) => i)) } });
  }
  cs.push({ kind: 'transpose', inputs: [randTensor('i8', [2, 1, 3, 1, 2, 1, 2, 3])], attrs: { perm: [7, 0, 6, 1, 5, 2, 4, 3] } });
  cs.push({ kind: 'transpose', inputs: [randTensor('f32', [3, 0, 2])], attrs: { perm: [2, 1, 0] } });
  for (let k = 0; k < 25; k++) {
    const rank = ri(1, 4);
    const dtype = pick(ALL);
    const axis = ri(0, rank - 1);
    const base = randShape(rank);
    const n = ri(1, 4);
    const inputs = Array.from({ length: n }, () => {
      const s = [...base];
      s[axis] = ri(0, 3);
      return randTensor(dtype, s);
    });
    cs.push({ kind: 'concat', inputs, attrs: { axis: rnd() < 0.5 ? axis : axis - rank }, consts: rnd() < 0.3 ? [0] : [] });
  }
  for (let k = 0; k < 40; k++) {
    const rank = ri(1, 4);
    const dtype = pick(ALL);
    const shape = randShape(rank, 4, k < 30 ? 1 : 0);
    const mode = pick(['constant', 'reflect', 'edge', 'wrap'] as const);
    const pads = new Array<number>(2 * rank).fill(0);
    for (let a = 0; a < rank; a++) {
      const d = shape[a]!;
      // crop at most to keep one element (non-constant modes need one); pads may exceed the axis
      pads[a] = ri(-Math.min(1, Math.max(0, d - 1)), 6);
      pads[a + rank] = ri(-Math.min(1, Math.max(0, d - 1 + Math.min(0, pads[a]!))), 6);
      if (d === 0 && mode !== 'constant') pads[a] = pads[a + rank] = 0;
    }
    cs.push({ kind: 'pad', inputs: [randTensor(dtype, shape)], attrs: { pads, mode, value: randTensor(dtype, [1]) } });
  }
  for (let k = 0; k < 25; k++) {
    const rank = ri(1, 4);
    const shape = randShape(rank);
    const axis = ri(0, rank - 1);
    const d = shape[axis]!;
    const idxShape = randShape(ri(0, 2), 3, 0);
    const idt = pick(['i32', 'i64'] as const);
    const idx = Tensor.fromNumbers(idt, idxShape, Array.from({ length: shapeSize(idxShape) }, () => ri(-d, d - 1)));
    cs.push({ kind: 'gather', inputs: [randTensor(pick(ALL), shape), idx], attrs: { axis }, consts: rnd() < 0.5 ? [1] : [] });
  }
  for (let k = 0; k < 30; k++) {
    const rank = ri(1, 4);
    const shape = randShape(rank, 6);
    const starts: number[] = [];
    const ends: number[] = [];
    const steps: number[] = [];
    shape.forEach((d) => {
      const step = pick([1, 1, 2, 3, -1, -2]);
      const [s, e] = clampSlice(d, ri(-d - 1, d + 1), ri(-d - 1, d + 1), step);
      starts.push(s);
      ends.push(e);
      steps.push(step);
    });
    cs.push({ kind: 'slice', inputs: [randTensor(pick(ALL), shape)], attrs: { starts, ends, steps } });
  }
  for (let k = 0; k < 15; k++) {
    const rank = ri(1, 4);
    const shape = randShape(rank, 5);
    const axis = ri(0, rank - 1);
    const n = ri(1, 3);
    const split = new Array<number>(n).fill(0);
    for (let i = 0; i < shape[axis]!; i++) split[ri(0, n - 1)]! += 1;
    cs.push({ kind: 'split', inputs: [randTensor(pick(ALL), shape)], attrs: { axis, split }, outs: n });
  }
  for (let k = 0; k < 15; k++) {
    const rank = ri(0, 4);
    const shape = randShape(rank, 3);
    const target = [...randShape(ri(0, 2), 3), ...shape.map((d) => (d === 1 ? ri(1, 3) : pick([1, d])))];
    const x = randTensor(pick(ALL), shape.map((d) => (rnd() < 0.4 ? 1 : d)));
    cs.push({ kind: 'expand', inputs: [x], attrs: { shape: target.slice(target.length - Math.max(rank, target.length)) } });
  }
  for (let k = 0; k < 5; k++) {
    const x = randTensor(pick(ALL), randShape(3));
    cs.push({ kind: 'reshape', inputs: [x], attrs: { shape: [shapeSize(x.shape)] } });
  }
  return cs;
}

/** Builds the driver: one function per case, each printing "case out hex" lines. */
function buildDriver(cases: Case[]): { src: string; expected: string[] } {
  const top: string[] = ['#include <stdio.h>', '#include "qcc_shape.h"', ''];
  const funcs: string[] = [];
  const expected: string[] = [];
  let uid = 0;
  cases.forEach((c, ci) => {
    const { graph, node } = oneNode(c.kind, c.inputs, c.attrs, c.outs ?? 1, c.consts ?? []);
    const outs = getOpDef(c.kind).interpret(node, [...c.inputs]);
    const names = new Map<Value, string>();
    const body: string[] = [];
    const decl = (v: Value, init?: Tensor) => {
      const id = `b${uid++}`;
      const n = Math.max(1, shapeSize(v.type.shape));
      top.push(`static ${DTYPES[v.type.dtype].cType} ${id}[${n}];`);
      if (init && init.size > 0) {
        top.push(`static const uint8_t ${id}_init[] = {${bytesInit(init.bytes())}};`);
        body.push(`memcpy(${id}, ${id}_init, sizeof ${id}_init);`);
      }
      body.push(`(void)${id};`);
      names.set(v, id);
    };
    node.inputs.forEach((v, i) => decl(v!, c.inputs[i]));
    node.outputs.forEach((v) => decl(v));
    const ctx: CEmitContext = {
      prefix: 't',
      ref: (v) => names.get(v)!,
      scratch: () => {
        throw new Error('no scratch');
      },
      constArray: (hint, _dtype, values) => {
        const id = `k${uid++}_${hint}`;
        const b = values instanceof Tensor ? values.bytes() : new Uint8Array(0);
        top.push(`static const uint8_t ${id}[] = {${bytesInit(b)}};`);
        return id;
      },
      constDecl: (hint, cType, init) => {
        const id = `k${uid++}_${hint}`;
        top.push(`static const ${cType} ${id} = ${init};`);
        return id;
      },
      floatLit: () => {
        throw new Error('unused');
      },
      intLit: (x) => String(x),
      comment: (s) => s.replace(/\*\//g, '* /'),
      instance: directCall,
    };
    body.push(EMITTERS.get(c.kind)!.emit(node, ctx));
    node.outputs.forEach((v, k) => {
      const n = shapeSize(v.type.shape) * DTYPES[v.type.dtype].bytes;
      body.push(`dump(${ci}, ${k}, ${names.get(v)}, ${n}u);`);
      expected.push(`${ci} ${k} ${hex(outs[k]!.bytes())}`);
    });
    void graph;
    funcs.push(`static void case${ci}(void) {\n${body.join('\n')}\n}`);
  });
  const main = [
    'int main(void) {',
    ...cases.map((_, i) => `  case${i}();`),
    '  return 0;',
    '}',
  ];
  const dump = [
    'static void dump(int c, int k, const void *p, size_t n) {',
    '  const uint8_t *b = (const uint8_t *)p;',
    '  size_t i;',
    '  printf("%d %d ", c, k);',
    '  for (i = 0; i < n; i++) printf("%02x", b[i]);',
    '  printf("\\n");',
    '}',
  ];
  return { src: [...top, '', ...dump, '', ...funcs, '', ...main, ''].join('\n'), expected };
}

describe('shape family C kernels match the interpreter byte for byte', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qcc-shape-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cases = makeCases();
  const { src, expected } = buildDriver(cases);
  writeFileSync(join(dir, 'main.c'), src);

  it('covers every emitter', () => {
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(EMITTERS.keys()));
  });

  for (const cc of ['gcc', 'clang']) {
    it(`${cc}: ${cases.length} random cases`, () => {
      const got = buildAndRunDriver(dir, cc);
      expect(got.length).toBe(expected.length);
      for (let i = 0; i < expected.length; i++) {
        if (got[i] !== expected[i]) {
          const c = cases[Number(expected[i]!.split(' ')[0])]!;
          const detail = `${c.kind} ${c.inputs.map((t) => `${t.dtype}[${t.shape.join('x')}]`).join(', ')} ${JSON.stringify(c.attrs, (_, v) => (v instanceof Tensor ? v.toNumbers() : v))}`;
          expect(got[i], detail).toBe(expected[i]);
        }
      }
    });
  }
});
