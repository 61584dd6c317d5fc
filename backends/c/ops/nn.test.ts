/**
 * C parity for the nn family: seeded random conv / matmul / gemm / pool cases (odd channels, groups,
 * depthwise, strides, dilations, asymmetric pads, ceil_mode, count_include_pad, broadcast batches and
 * C). Each case goes through the real emitter into one C driver (a stand-in emit context declares the
 * buffers), which is compiled with gcc and clang and run; every output's bytes must equal the
 * interpreter's.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DTYPES, type DType } from '../../../compiler/ir/dtype.ts';
import type { Attrs, Value } from '../../../compiler/ir/graph.ts';
import { Tensor, shapeSize } from '../../../compiler/ir/tensor.ts';
import { outputSpatial } from '../../../compiler/ops/conv-geometry.ts';
import { getOpDef } from '../../../compiler/ops/registry.ts';
import { oneNode, rng } from '../../../compiler/ops/nn-test-util.ts';
import { directCall, type CEmitContext } from '../emitter.ts';
import { LITERAL_MACROS, floatLit } from '../literals.ts';
import { emitters } from './nn.ts';
import { CFLAGS, DUMP_C, RUNTIME_DIR, buildAndRunDriver, bytesInit, hexBytes as hex } from '../../../test/util/c-driver.ts';

const EMITTERS = new Map(emitters.map((e) => [e.kind, e]));

const r = rng(0x5eed);
const ri = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

/** Random data: floats with full mantissas in [-2, 2); optional specials (pool max ignores NaN). */
function rand(dtype: DType, shape: number[], specials = false): Tensor {
  const t = new Tensor(dtype, shape);
  const d = t.data as Float32Array | Uint8Array | Int8Array;
  for (let i = 0; i < d.length; i++) {
    if (dtype === 'f32') {
      d[i] = specials && r() < 0.1 ? pick([NaN, -Infinity, Infinity, -0, 0]) : (r() - 0.5) * 4;
    } else {
      d[i] = DTYPES[dtype].min + ri(0, 255);
    }
  }
  return t;
}

interface Case {
  kind: string;
  inputs: (Tensor | null)[];
  attrs: Attrs;
}

/** Random window attrs for a spatial input; undefined when the window does not fit. */
function randWindow(inSp: number[], kernel: number[], pool: boolean): Attrs | undefined {
  const n = inSp.length;
  const strides = inSp.map(() => ri(1, 3));
  const dilations = inSp.map(() => pick([1, 1, 2, 3]));
  const pads = [...inSp, ...inSp].map((_, i) => Math.min(ri(0, 2), pool ? kernel[i % n]! - 1 : 9));
  const ceil = pool && r() < 0.5;
  const out = outputSpatial(inSp, pads, { kernel, strides, dilations }, ceil);
  if (out.some((o) => o < 1)) return undefined;
  return { strides, dilations, pads, ...(pool ? { kernel_shape: kernel, ceil_mode: ceil ? 1 : 0 } : {}) };
}

function makeCases(): Case[] {
  const cs: Case[] = [];
  while (cs.length < 60) {
    const rank = ri(1, 3);
    const style = pick(['plain', 'group', 'depthwise']);
    const g = style === 'plain' ? 1 : style === 'group' ? ri(2, 3) : ri(1, 5);
    const cig = style === 'depthwise' ? 1 : ri(1, 3);
    const cog = style === 'depthwise' ? ri(1, 2) : ri(1, 3);
    const inSp = Array.from({ length: rank }, () => ri(1, rank === 3 ? 5 : 8));
    const kernel = Array.from({ length: rank }, () => ri(1, 3));
    const w = randWindow(inSp, kernel, false);
    if (!w) continue;
    const n = ri(1, 2);
    const b = r() < 0.6 ? rand('f32', [g * cog]) : null;
    cs.push({ kind: 'conv', inputs: [rand('f32', [n, g * cig, ...inSp]), rand('f32', [g * cog, cig, ...kernel]), b], attrs: { ...w, group: g } });
  }
  for (let k = 0; k < 30; k++) {
    const [m, kk, n] = [ri(1, 7), ri(1, 9), ri(1, 7)];
    const ra = ri(1, 4);
    const rb = ri(1, 4);
    const batch = Array.from({ length: Math.max(ra, rb) - 2 }, () => ri(1, 3));
    const bshape = (rk: number, last: number[]) => {
      if (rk === 1) return [last[0] === m ? kk : kk];
      const bt = batch.slice(batch.length - (rk - 2)).map((d) => (r() < 0.3 ? 1 : d));
      return [...bt, ...last];
    };
    const a = ra === 1 ? [kk] : bshape(ra, [m, kk]);
    const bb = rb === 1 ? [kk] : bshape(rb, [kk, n]);
    cs.push({ kind: 'matmul', inputs: [rand('f32', a), rand('f32', bb)], attrs: {} });
  }
  for (let k = 0; k < 30; k++) {
    const [m, kk, n] = [ri(1, 6), ri(1, 9), ri(1, 6)];
    const transA = ri(0, 1);
    const transB = ri(0, 1);
    const cShape = pick([null, [], [1], [n], [1, n], [m, 1], [m, n], [1, 1]]);
    const alpha = pick([1, Math.fround((r() - 0.5) * 3)]);
    const beta = pick([1, 0, Math.fround((r() - 0.5) * 3)]);
    cs.push({
      kind: 'gemm',
      inputs: [rand('f32', transA ? [kk, m] : [m, kk]), rand('f32', transB ? [n, kk] : [kk, n]), cShape ? rand('f32', cShape) : null],
      attrs: { transA, transB, alpha, beta },
    });
  }
  while (cs.length < 200) {
    const kind = pick(['max_pool', 'average_pool']);
    const dtype: DType = kind === 'max_pool' ? pick(['f32', 'f32', 'u8', 'i8']) : 'f32';
    const rank = ri(1, 3);
    const inSp = Array.from({ length: rank }, () => ri(1, rank === 3 ? 5 : 8));
    const kernel = Array.from({ length: rank }, () => ri(1, 3));
    const w = randWindow(inSp, kernel, true);
    if (!w) continue;
    if (kind === 'average_pool') w.count_include_pad = ri(0, 1);
    cs.push({ kind, inputs: [rand(dtype, [ri(1, 2), ri(1, 3), ...inSp], kind === 'max_pool')], attrs: w });
  }
  for (let k = 0; k < 10; k++) {
    const kind = pick(['global_average_pool', 'global_max_pool']);
    const shape = [ri(1, 2), ri(1, 3), ...Array.from({ length: ri(1, 3) }, () => ri(1, 5))];
    cs.push({ kind, inputs: [rand('f32', shape, kind === 'global_max_pool')], attrs: {} });
  }
  return cs;
}

/** Builds the driver: one function per case, each printing a "case hex" line. */
function buildDriver(cases: Case[]): { src: string; expected: string[] } {
  const top: string[] = [
    '#include <stdio.h>',
    '#include <string.h>',
    '#include "qcc_conv_f32.h"',
    '#include "qcc_gemm_f32.h"',
    '#include "qcc_pool.h"',
    LITERAL_MACROS,
    '',
  ];
  const funcs: string[] = [];
  const expected: string[] = [];
  let uid = 0;
  cases.forEach((c, ci) => {
    const { node } = oneNode(c.kind, c.inputs, c.attrs);
    const [out] = getOpDef(c.kind).interpret(node, c.inputs);
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
    const ctx: CEmitContext = {
      prefix: 't',
      ref: (v) => names.get(v)!,
      scratch: () => {
        throw new Error('no scratch');
      },
      constArray: (hint, dtype, values) => {
        const id = `k${uid++}_${hint}`;
        const xs = Array.from(values instanceof Tensor ? values.toNumbers() : (values as ArrayLike<number>), Number);
        top.push(`static const ${DTYPES[dtype].cType} ${id}[] = {${xs.length ? xs.join(', ') : '0'}};`);
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
    body.push(EMITTERS.get(c.kind)!.emit(node, ctx));
    const y = node.outputs[0]!;
    body.push(`dump(${ci}, ${names.get(y)}, ${shapeSize(y.type.shape) * DTYPES[y.type.dtype].bytes}u);`);
    expected.push(`${ci} ${hex(out!.bytes())}`);
    funcs.push(`static void case${ci}(void) {\n${body.join('\n')}\n}`);
  });
  const main = ['int main(void) {', ...cases.map((_, i) => `  case${i}();`), '  return 0;', '}'];
  return { src: [...top, '', ...DUMP_C, '', ...funcs, '', ...main, ''].join('\n'), expected };
}

describe('nn family C kernels match the interpreter byte for byte', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qcc-nn-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const cases = makeCases();
  const { src, expected } = buildDriver(cases);
  writeFileSync(join(dir, 'main.c'), src);

  it('covers every emitter and the interesting corners', () => {
    expect(new Set(cases.map((c) => c.kind))).toEqual(new Set(EMITTERS.keys()));
    const conv = cases.filter((c) => c.kind === 'conv');
    expect(conv.some((c) => (c.attrs.group as number) > 1 && c.inputs[1]!.shape[1] === 1)).toBe(true);
    expect(conv.some((c) => (c.attrs.pads as number[]).some((p, i, ps) => p !== ps[(i + ps.length / 2) % ps.length]))).toBe(true);
    const pools = cases.filter((c) => c.kind.endsWith('_pool') && c.attrs.ceil_mode === 1);
    expect(pools.length).toBeGreaterThan(10);
  });

  it('the nn headers compile together with every other runtime header (no name clashes)', () => {
    const all = readdirSync(RUNTIME_DIR).filter((f) => /^qcc_.*\.h$/.test(f)).sort();
    expect(all).toContain('qcc_pool.h');
    const src = join(dir, 'all.c');
    writeFileSync(src, [...all.map((h) => `#include "${h}"`), 'int main(void) { return 0; }', ''].join('\n'));
    for (const cc of ['gcc', 'clang']) execFileSync(cc, [...CFLAGS, '-I', RUNTIME_DIR, '-c', src, '-o', join(dir, `all-${cc}.o`)], { stdio: 'pipe' });
  });

  for (const cc of ['gcc', 'clang']) {
    it(`${cc}: ${cases.length} random cases`, () => {
      const got = buildAndRunDriver(dir, cc);
      expect(got.length).toBe(expected.length);
      for (let i = 0; i < expected.length; i++) {
        if (got[i] !== expected[i]) {
          const c = cases[i]!;
          const detail = `${c.kind} ${c.inputs.map((t) => (t ? `${t.dtype}[${t.shape.join('x')}]` : '-')).join(', ')} ${JSON.stringify(c.attrs)}`;
          expect(got[i], detail).toBe(expected[i]);
        }
      }
    });
  }
});
