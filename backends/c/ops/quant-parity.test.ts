/**
 * C parity for the quantized family: seeded random quantize / dequantize / dynamic-quantize, qlinear_conv,
 * conv_integer, qlinear_matmul and matmul_integer cases (every u8/i8 combination, per-channel parameters,
 * odd channel counts, groups, depthwise, strides, dilations, asymmetric pads, 1-D/2-D/3-D, batch
 * broadcasting, extreme values and scales). Each case goes through the real emitter into one C driver,
 * compiled with gcc and clang (-std=c99 -O2 -Wall -Wextra -Werror -ffp-contract=off) and run; every
 * output's bytes must equal the interpreter's.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DTYPES, type DType } from '../../../compiler/ir/dtype.ts';
import type { Attrs, Value } from '../../../compiler/ir/graph.ts';
import { Tensor, shapeSize } from '../../../compiler/ir/tensor.ts';
import { outputSpatial } from '../../../compiler/ops/conv-geometry.ts';
import { buildOne } from '../../../compiler/ops/q-test-util.ts';
import { getOpDef } from '../../../compiler/ops/registry.ts';
import { rng } from '../../../compiler/ops/nn-test-util.ts';
import { f32ToF16Bits } from '../../../compiler/numerics/f16.ts';
import { directCall, type CEmitContext, type CEmitter } from '../emitter.ts';
import { LITERAL_MACROS, floatLit } from '../literals.ts';
import { emitters as quantEmitters } from './quant.ts';
import { emitters as qlinearEmitters } from './qlinear.ts';
import { DUMP_C, buildAndRunDriver, bytesInit, hexBytes as hex } from '../../../test/util/c-driver.ts';

const EMITTERS = new Map<string, CEmitter>([...quantEmitters, ...qlinearEmitters].map((e) => [e.kind, e]));

const r = rng(0x9a11);
const ri = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** Integer data over the full range, with the ends over-represented. */
function randInt(dtype: DType, shape: readonly number[]): Tensor {
  const t = new Tensor(dtype, shape);
  const { min, max } = DTYPES[dtype];
  const d = t.data as Int32Array;
  for (let i = 0; i < d.length; i++) d[i] = r() < 0.1 ? pick([min, max, 0]) : min + Math.floor(r() * (max - min + 1));
  return t;
}

/** A float32 scale: log-uniform over [1e-4, 10], sometimes extreme, often a power of two (exact ties). */
function randScale(): number {
  if (r() < 0.05) return Math.fround(pick([1e-30, 1e30, 1, 0.5, 2 ** -20]));
  if (r() < 0.3) return 2 ** ri(-8, 2);
  return Math.fround(10 ** (r() * 5 - 4));
}
const scales = (n: number, dtype: DType = 'f32') => Tensor.fromNumbers(dtype, n ? [n] : [], Array.from({ length: Math.max(n, 1) }, () => {
  const s = randScale();
  return dtype === 'f16' ? f32ToF16Bits(Math.min(Math.max(s, 1e-4), 60000)) : s;
}));

function randFloat(dtype: DType, shape: readonly number[], mag: number): Tensor {
  const n = shapeSize(shape);
  const vals = Array.from({ length: n }, () => {
    if (r() < 0.05) return pick([NaN, Infinity, -Infinity, -0, 3.4e38, -1e-45]);
    if (r() < 0.3) return ri(-600, 600) / 2; // halves: ties with power-of-two scales
    return (r() - 0.5) * 2 * mag;
  });
  if (dtype === 'f16') return Tensor.fromNumbers('f16', shape, vals.map(f32ToF16Bits));
  return Tensor.fromNumbers('f32', shape, vals);
}

interface Case {
  kind: string;
  inputs: (Tensor | null)[];
  attrs: Attrs;
  /** Inputs fed at run time (default: only input 0). */
  runtime?: number[];
}

const Q8: DType[] = ['u8', 'i8'];

function randShape(rank: number, max = 5): number[] {
  return Array.from({ length: rank }, () => ri(1, max));
}

function qdqCases(): Case[] {
  const cs: Case[] = [];
  for (let i = 0; i < 40; i++) {
    const shape = randShape(ri(1, 4));
    const perAxis = r() < 0.5;
    const axis = ri(0, shape.length - 1);
    const nch = perAxis ? shape[axis]! : 0;
    const rawAxis = r() < 0.5 ? axis : axis - shape.length;
    const out = pick(['u8', 'i8', 'u16', 'i16'] as DType[]);
    const xd = pick(['f32', 'f32', 'f16'] as DType[]);
    const s = scales(nch, pick(['f32', 'f16'] as DType[]));
    const zp = r() < 0.2 ? null : randInt(out, nch ? [nch] : []);
    cs.push({ kind: 'quantize_linear', inputs: [randFloat(xd, shape, pick([1, 100, 1e5])), s, zp], attrs: { axis: rawAxis, dtype: out } });
    const xin = pick(['u8', 'i8', 'u16', 'i16', 'i32'] as DType[]);
    const dzp = xin === 'i32' ? (r() < 0.5 ? null : Tensor.fromNumbers('i32', nch ? [nch] : [], new Array(Math.max(nch, 1)).fill(0))) : randInt(xin, nch ? [nch] : []);
    const ds = scales(nch, pick(['f32', 'f16'] as DType[]));
    cs.push({ kind: 'dequantize_linear', inputs: [randInt(xin, shape), ds, dzp], attrs: { axis: rawAxis, dtype: r() < 0.3 ? 'f16' : ds.dtype } });
  }
  for (let i = 0; i < 12; i++) {
    const shape = randShape(ri(1, 3), 7);
    const mag = pick([1, 1000, 1e-3]);
    const t = randFloat('f32', shape, mag);
    if (i < 4) {
      const d = t.data as Float32Array; // only finite values, with a bias to one sign
      for (let k = 0; k < d.length; k++) d[k] = i % 2 ? Math.abs(Math.fround(r() * mag)) : -Math.abs(Math.fround(r() * mag));
    }
    cs.push({ kind: 'dynamic_quantize_linear', inputs: [t], attrs: {} });
  }
  return cs;
}

/** Random conv geometry; undefined when the output would be empty. */
function convGeometry(): { x: number[]; w: number[]; attrs: Attrs } | undefined {
  const rank = pick([1, 2, 2, 2, 3]);
  const n = ri(1, 2);
  const mode = pick(['plain', 'group', 'depthwise']);
  const group = mode === 'plain' ? 1 : mode === 'depthwise' ? ri(2, 5) : ri(2, 3);
  const cpg = mode === 'depthwise' ? 1 : ri(1, 3);
  const mpg = mode === 'depthwise' ? ri(1, 2) : ri(1, 3);
  const inSp = randShape(rank, rank === 3 ? 5 : 9);
  const kernel = inSp.map(() => ri(1, 3));
  const strides = inSp.map(() => ri(1, 3));
  const dilations = inSp.map(() => pick([1, 1, 2]));
  const pads = [...inSp, ...inSp].map(() => ri(0, 2));
  const out = outputSpatial(inSp, pads, { kernel, strides, dilations });
  if (out.some((o) => o < 1)) return undefined;
  return {
    x: [n, group * cpg, ...inSp],
    w: [group * mpg, cpg, ...kernel],
    attrs: { kernel_shape: kernel, strides, dilations, pads, group },
  };
}

function convCases(): Case[] {
  const cs: Case[] = [];
  while (cs.length < 60) {
    const g = convGeometry();
    if (!g) continue;
    const [xt, wt, yt] = [pick(Q8), pick(Q8), pick(Q8)];
    const m = g.w[0]!;
    const per = r() < 0.6;
    const ws = scales(per ? m : pick([0, 1]));
    const wz = randInt(wt, ws.shape);
    const bias = r() < 0.6 ? Tensor.fromNumbers('i32', [m], Array.from({ length: m }, () => (r() < 0.1 ? pick([-2147483648, 2147483647]) : ri(-20000, 20000)))) : null;
    const x = randInt(xt, g.x);
    const w = randInt(wt, g.w);
    if (cs.length % 2 === 0) {
      cs.push({ kind: 'qlinear_conv', inputs: [x, scales(0), randInt(xt, []), w, ws, wz, scales(0), randInt(yt, []), bias], attrs: { ...g.attrs, requant: 'fp32' } });
    } else {
      cs.push({ kind: 'conv_integer', inputs: [x, w, r() < 0.8 ? randInt(xt, []) : null, r() < 0.8 ? wz : null], attrs: g.attrs, runtime: r() < 0.5 ? [0, 2] : [0] });
    }
  }
  return cs;
}

function matmulCases(): Case[] {
  const cs: Case[] = [];
  for (let i = 0; i < 40; i++) {
    const [m, k, n] = [ri(1, 7), ri(1, 40), ri(1, 19)];
    const batch = pick([[], [], [2], [3, 1], [1, 2]]);
    const aB = batch.map((d) => (r() < 0.3 ? 1 : d));
    const bB = r() < 0.4 ? [] : batch.map((d, j) => (aB[j] === 1 ? d : r() < 0.3 ? 1 : d));
    let aShape = [...aB, m, k];
    let bShape = [...bB, k, n];
    if (r() < 0.1) aShape = [k];
    else if (r() < 0.1) bShape = [k];
    const [at, bt, yt] = [pick(Q8), pick(Q8), pick(Q8)];
    const nOut = bShape.length === 1 ? 1 : n;
    const qShape = pick(['tensor', 'vec', 'batched']);
    const bqShape = bShape.length === 1 || qShape === 'tensor' ? [] : qShape === 'vec' || bB.length === 0 ? [nOut] : [...bB, 1, nOut];
    const a = randInt(at, aShape);
    const b = randInt(bt, bShape);
    if (i % 2 === 0) {
      cs.push({
        kind: 'qlinear_matmul',
        inputs: [a, scales(0), randInt(at, []), b, Tensor.fromNumbers('f32', bqShape, Array.from({ length: shapeSize(bqShape) }, randScale)), randInt(bt, bqShape), scales(0), randInt(yt, [])],
        attrs: { requant: 'fp32' },
      });
    } else {
      const mRows = aShape.length === 1 ? 1 : m;
      const azShape = aShape.length === 1 || r() < 0.5 ? [] : r() < 0.5 || aB.length === 0 ? [mRows] : [...aB, mRows, 1];
      cs.push({ kind: 'matmul_integer', inputs: [a, b, r() < 0.8 ? randInt(at, azShape) : null, r() < 0.8 ? randInt(bt, bqShape) : null], attrs: {},
        runtime: azShape.length === 0 && r() < 0.5 ? [0, 2] : [0] });
    }
  }
  return cs;
}

/** Cases built so that many values land exactly on .5 (power-of-two scales): rounding ties both ways. */
function tieCases(): Case[] {
  const cs: Case[] = [];
  const one = () => Tensor.fromNumbers('f32', [], [1]);
  for (let i = 0; i < 6; i++) {
    const s = pick([1, 2, 0.5]);
    const x = Tensor.fromNumbers('f32', [40], Array.from({ length: 40 }, () => (ri(-300, 300) + 0.5) * s));
    const out = pick(Q8);
    cs.push({ kind: 'quantize_linear', inputs: [x, Tensor.fromNumbers('f32', [], [s]), randInt(out, [])], attrs: { dtype: out } });
    const [xt, wt, yt] = [pick(Q8), pick(Q8), pick(Q8)];
    const g = { kernel_shape: [1, 3], strides: [1, 1], dilations: [1, 1], pads: [0, 1, 0, 1], group: 1 };
    const ws = Tensor.fromNumbers('f32', [3], [0.5, 0.25, 0.125]);
    cs.push({
      kind: 'qlinear_conv',
      inputs: [randInt(xt, [1, 2, 3, 9]), one(), randInt(xt, []), randInt(wt, [3, 2, 1, 3]), ws, randInt(wt, [3]), one(), randInt(yt, []), null],
      attrs: { ...g, requant: 'fp32' },
    });
    cs.push({
      kind: 'qlinear_matmul',
      inputs: [randInt(xt, [5, 4]), one(), randInt(xt, []), randInt(wt, [4, 3]), ws, randInt(wt, [3]), one(), randInt(yt, [])],
      attrs: { requant: 'fp32' },
    });
  }
  cs.push({ kind: 'dynamic_quantize_linear', inputs: [Tensor.fromNumbers('f32', [8], [-51, 204, 0.5, 1.5, 2.5, -0.5, -1.5, -2.5])], attrs: {} });
  return cs;
}

function buildDriver(cases: Case[]): { src: string; expected: string[] } {
  const top: string[] = ['#include <stdio.h>', '#include <string.h>', '#include "qcc_quant.h"', '#include "qcc_qconv.h"', '#include "qcc_qmatmul.h"', LITERAL_MACROS, ''];
  const funcs: string[] = [];
  const expected: string[] = [];
  let uid = 0;
  let line = 0;
  cases.forEach((c, ci) => {
    const { node } = buildOne(c.kind, c.inputs, c.attrs, c.runtime);
    const outs = getOpDef(c.kind).interpret(node, c.inputs);
    const names = new Map<Value, string>();
    const body: string[] = [];
    const decl = (v: Value, init?: Tensor) => {
      const id = `b${uid++}`;
      top.push(`static ${DTYPES[v.type.dtype].cType} ${id}[${Math.max(1, shapeSize(v.type.shape))}];`);
      if (init) {
        top.push(`static const uint8_t ${id}_init[] = {${bytesInit(init.bytes())}};`);
        body.push(`memcpy(${id}, ${id}_init, sizeof ${id}_init);`);
      }
      names.set(v, id);
    };
    node.inputs.forEach((v, i) => v && decl(v, c.inputs[i]!));
    node.outputs.forEach((v) => decl(v));
    const em = EMITTERS.get(c.kind)!;
    const scratchBytes = em.scratchBytes?.(node) ?? 0;
    const scratchId = `s${uid++}`;
    if (scratchBytes) top.push(`static uint32_t ${scratchId}[${Math.ceil(scratchBytes / 4)}];`);
    const ctx: CEmitContext = {
      prefix: 't',
      ref: (v) => names.get(v)!,
      scratch: () => {
        if (!scratchBytes) throw new Error('no scratch declared');
        return `((uint8_t *)${scratchId})`;
      },
      constArray: (hint, dtype, values) => {
        const id = `k${uid++}_${hint}`;
        const xs = Array.from(values instanceof Tensor ? values.toNumbers() : (values as ArrayLike<number>), Number);
        const lit = (x: number) => (dtype === 'f32' ? floatLit(x) : String(x));
        top.push(`static const ${DTYPES[dtype].cType} ${id}[] = {${xs.length ? xs.map(lit).join(', ') : '0'}};`);
        return id;
      },
      constDecl: (hint, cType, init) => {
        const id = `k${uid++}_${hint}`;
        top.push(`static const ${cType} ${id} = ${init};`);
        return id;
      },
      floatLit,
      intLit: (x) => String(x),
      comment: (s) => s.replace(/\*\//g, '* /'),
      instance: directCall,
    };
    body.push(em.emit(node, ctx));
    node.outputs.forEach((y, k) => {
      body.push(`dump(${line++}, ${names.get(y)}, ${shapeSize(y.type.shape) * DTYPES[y.type.dtype].bytes}u);`);
      expected.push(`${expected.length} ${hex(outs[k]!.bytes())}`);
    });
    funcs.push(`static void case${ci}(void) {\n${body.join('\n')}\n}`);
  });
  const main = ['int main(void) {', ...cases.map((_, i) => `  case${i}();`), '  return 0;', '}'];
  return { src: [...top, '', ...DUMP_C, '', ...funcs, '', ...main, ''].join('\n'), expected };
}

describe('quantized family C kernels match the interpreter byte for byte', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qcc-quant-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cases = [...qdqCases(), ...convCases(), ...matmulCases(), ...tieCases()];
  const { src, expected } = buildDriver(cases);
  writeFileSync(join(dir, 'main.c'), src);
  const caseOfLine: Case[] = [];
  for (const c of cases) for (let k = 0; k < getOpDef(c.kind).infer(buildOne(c.kind, c.inputs, c.attrs).node).length; k++) caseOfLine.push(c);

  it('covers every emitter and the interesting corners', () => {
    expect(cases.some((c) => c.kind === 'conv_integer' && c.runtime?.includes(2) && c.inputs[2])).toBe(true);
    expect(cases.some((c) => c.kind === 'matmul_integer' && c.runtime?.includes(2) && c.inputs[2])).toBe(true);
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(EMITTERS.keys()));
    const convs = cases.filter((c) => c.kind === 'qlinear_conv' || c.kind === 'conv_integer');
    const w = (c: Case) => c.inputs[c.kind === 'qlinear_conv' ? 3 : 1]!;
    expect(convs.some((c) => (c.attrs.group as number) > 1 && w(c).shape[1] === 1)).toBe(true);
    expect(convs.some((c) => (c.attrs.group as number) > 1 && w(c).shape[1]! > 1)).toBe(true);
    expect(convs.some((c) => w(c).shape.length === 5)).toBe(true);
    expect(convs.some((c) => w(c).shape.length === 3)).toBe(true);
    expect(cases.some((c) => c.kind === 'qlinear_conv' && c.inputs[4]!.shape[0]! > 1)).toBe(true);
  });
  for (const cc of ['gcc', 'clang']) {
    it(`${cc}: ${cases.length} random cases`, () => {
      const got = buildAndRunDriver(dir, cc);
      expect(got.length).toBe(expected.length);
      for (let i = 0; i < expected.length; i++) {
        if (got[i] !== expected[i]) {
          const c = caseOfLine[i]!;
          const detail = `${c.kind} ${c.inputs.map((t) => (t ? `${t.dtype}[${t.shape.join('x')}]` : '-')).join(', ')} ${JSON.stringify(c.attrs)}`;
          expect(got[i], detail).toBe(expected[i]);
        }
      }
    });
  }
});
