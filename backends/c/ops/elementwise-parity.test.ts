/**
 * C parity of the elementwise family: the kernels in runtime-c/qcc_elementwise.h and qcc_math.h, called
 * the way the emitters call them (the real emitters run against a small fake context), compiled with gcc
 * and clang (-std=c99 -O2 -Wall -Wextra -Werror -ffp-contract=off), must give the interpreter's bytes.
 *
 * 1. exp / tanh / sigmoid / sqrt on ~4.2 million floats (every 1024th bit pattern, dense ranges, edges).
 * 2. Every binary op x every dtype x broadcast geometries (plain, scalar, general), integer extremes and
 *    float specials included; comparisons, where; unary ops, clip, softmax; cast for every dtype pair.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DTYPES, type DType } from '../../../compiler/ir/dtype.ts';
import { Graph, type Attrs, type Value } from '../../../compiler/ir/graph.ts';
import { Tensor, shapeSize } from '../../../compiler/ir/tensor.ts';
import { getOpDef } from '../../../compiler/ops/registry.ts';
import '../../../compiler/ops/index.ts';
import { expf, sigmoidf, tanhf } from '../../../compiler/numerics/math.ts';
import { LITERAL_MACROS, floatLit, intLit } from '../literals.ts';
import { directCall, type CEmitContext } from '../emitter.ts';
import { emitters } from './elementwise.ts';
import { COMPILERS, buildC } from '../../../test/util/c-driver.ts';

const dir = mkdtempSync(join(tmpdir(), 'qcc-ew-parity-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function build(name: string, src: string, cc: string): string {
  writeFileSync(join(dir, `${name}.c`), src);
  return buildC(dir, cc, `${name}.c`, `${name}-${cc}`);
}

function runExe(exe: string, input: Uint8Array): Uint8Array {
  const inFile = join(dir, 'in.bin');
  writeFileSync(inFile, input);
  execFileSync(exe, [inFile, join(dir, 'out.bin')], { stdio: 'pipe' });
  return new Uint8Array(readFileSync(join(dir, 'out.bin')));
}

const IO = `#include <stdio.h>
#include <stdlib.h>
static FILE *qin, *qout;
static void rd(void *p, size_t n) { if (fread(p, 1, n, qin) != n) { fputs("short read\\n", stderr); exit(2); } }
static void wr(const void *p, size_t n) { if (fwrite(p, 1, n, qout) != n) exit(3); }
`;
const MAIN_OPEN = `int main(int argc, char **argv) {
  if (argc != 3) return 1;
  qin = fopen(argv[1], "rb");
  qout = fopen(argv[2], "wb");
  if (!qin || !qout) return 1;
`;

// ---- random data with extremes ---------------------------------------------------------------------

let seed = 0x2545f491;
function rnd(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
}

const F32_SPECIALS = [NaN, -NaN, Infinity, -Infinity, 0, -0, 2 ** -149, -(2 ** -149), 2 ** -126, 3.4028234663852886e38, 1, -1, 0.5, 88.7, -104];

function randomTensor(dtype: DType, shape: readonly number[]): Tensor {
  const t = new Tensor(dtype, shape);
  const n = t.size;
  const info = DTYPES[dtype];
  if (dtype === 'f32' || dtype === 'f64') {
    const d = t.data as Float32Array | Float64Array;
    const bits = dtype === 'f32' ? new Uint32Array(d.buffer) : null;
    for (let i = 0; i < n; i++) {
      const k = rnd() % 8;
      if (i < F32_SPECIALS.length && rnd() % 2 === 0) d[i] = F32_SPECIALS[i]!;
      else if (k === 0 && bits) bits[i] = rnd(); // any bit pattern (NaN payloads, subnormals, huge)
      else if (k === 1) d[i] = ((rnd() / 2 ** 32) * 2 - 1) * 4e9;
      else if (k === 2) d[i] = Math.round(((rnd() / 2 ** 32) * 2 - 1) * 300) + (rnd() % 2 ? 0.5 : 0);
      else if (k === 3) d[i] = F32_SPECIALS[rnd() % F32_SPECIALS.length]!;
      else d[i] = ((rnd() / 2 ** 32) * 2 - 1) * 20;
    }
    // signalling and payload-carrying NaNs, which a JS number cannot hold: set through the bits
    if (n >= 8) {
      if (bits) [0x7f800001, 0xffa00000, 0x7fc12345].forEach((b, k) => (bits[n - 1 - 2 * k] = b));
      else {
        const b64 = new BigUint64Array(d.buffer);
        [0x7ff0000000000001n, 0xfff4000000000000n, 0x7ff8000000012345n].forEach((b, k) => (b64[n - 1 - 2 * k] = b));
      }
    }
    return t;
  }
  if (dtype === 'f16' || dtype === 'bool') {
    const d = t.data as Uint16Array | Uint8Array;
    for (let i = 0; i < n; i++) d[i] = dtype === 'bool' ? rnd() & 1 : rnd() & 0xffff;
    return t;
  }
  const extremes = info.isBig
    ? info.isSigned
      ? [-(2n ** 63n), 2n ** 63n - 1n, 0n, -1n, 1n, -(2n ** 63n) + 1n]
      : [0n, 2n ** 64n - 1n, 1n, 2n ** 63n]
    : info.isSigned
      ? [info.min, info.max, 0, -1, 1, info.min + 1]
      : [0, info.max, 1, info.max - 1];
  const b = t.bytes();
  for (let i = 0; i < b.length; i++) b[i] = rnd() & 255;
  const d = t.data as unknown as { [i: number]: number | bigint };
  for (let i = 0; i < n; i++) {
    const k = rnd() % 4;
    if (k === 0) d[i] = extremes[rnd() % extremes.length]!;
    else if (k === 1) d[i] = info.isBig ? BigInt((rnd() % 7) - (info.isSigned ? 3 : 0)) : (rnd() % 7) - (info.isSigned ? 3 : 0);
  }
  return t;
}

// ---- cases built from real nodes and the real emitters -------------------------------------------

interface Case {
  call: string;
  label: string;
  inputs: (Tensor | null)[];
  expected: Tensor;
  code: string;
}

const EMITTERS = new Map(emitters.map((e) => [e.kind, e]));

function makeCase(kind: string, inputs: (Tensor | null)[], attrs: Attrs, decls: string[], k: number): Case {
  const g = new Graph('p');
  const vals = inputs.map((t, i) => (t ? g.addValue(`c${k}_in${i}`, { dtype: t.dtype, shape: t.shape }) : null));
  const out = g.addValue(`c${k}_out`, { dtype: 'f32', shape: [] });
  const node = g.addNode(kind, `n${k}`, vals, [out], attrs);
  const def = getOpDef(kind);
  out.type = def.infer(node)[0]!;
  const expected = def.interpret(node, inputs)[0]!;
  const names = new Map<Value, string>();
  vals.forEach((v, i) => v && names.set(v, `c${k}_in${i}`));
  names.set(out, `c${k}_out`);
  let nConst = 0;
  const ctx: CEmitContext = {
    prefix: 'p',
    ref: (v) => names.get(v)!,
    scratch: () => {
      throw new Error('no scratch');
    },
    constArray: () => {
      throw new Error('no const arrays');
    },
    constDecl: (hint, cType, init) => {
      const id = `c${k}_${hint}_${nConst++}`;
      decls.push(`static const ${cType} ${id} = ${init};`);
      return id;
    },
    floatLit,
    intLit,
    comment: (s) => s.replace(/\*\//g, '* /'),
    instance: directCall,
  };
  const emitter = EMITTERS.get(kind);
  if (!emitter) throw new Error(`no emitter for ${kind}`);
  const body = emitter.emit(node, ctx);
  const ct = (d: DType) => DTYPES[d].cType;
  const lines: string[] = [`static void case_${k}(void) {`];
  inputs.forEach((t, i) => {
    if (t) lines.push(`  static ${ct(t.dtype)} c${k}_in${i}[${Math.max(t.size, 1)}];`, t.size ? `  rd(c${k}_in${i}, ${t.byteLength}u);` : '');
  });
  lines.push(`  static ${ct(out.type.dtype)} c${k}_out[${Math.max(expected.size, 1)}];`);
  lines.push(...body.split('\n').map((l) => `  ${l}`));
  lines.push(`  wr(c${k}_out, ${expected.byteLength}u);`, '}');
  return { call: `  case_${k}();`, label: `${kind}(${inputs.map((t) => (t ? `${t.dtype}[${t.shape}]` : '-')).join(', ')}) ${JSON.stringify(attrs)}`, inputs, expected, code: lines.join('\n') };
}

function runCases(name: string, cases: Case[], decls: string[]): void {
  const src =
    `${LITERAL_MACROS}\n${IO}#include "qcc_elementwise.h"\n${decls.join('\n')}\n${cases.map((c) => c.code).join('\n')}\n` +
    `${MAIN_OPEN}${cases.map((c) => c.call).join('\n')}\n  fclose(qout);\n  return 0;\n}\n`;
  const input = Buffer.concat(cases.flatMap((c) => c.inputs.filter((t): t is Tensor => t !== null).map((t) => Buffer.from(t.bytes()))));
  for (const cc of COMPILERS) {
    const out = runExe(build(`${name}`, src, cc), input);
    let off = 0;
    const bad: string[] = [];
    for (const c of cases) {
      const want = c.expected.bytes();
      const got = out.subarray(off, off + want.length);
      off += want.length;
      if (!Buffer.from(got).equals(Buffer.from(want))) {
        let i = 0;
        while (got[i] === want[i]) i++;
        const e = Math.floor(i / DTYPES[c.expected.dtype].bytes);
        bad.push(`${c.label}: first difference at element ${e} (inputs ${c.inputs.map((t) => (t ? String(t.data[e % t.size]) : '-')).join(', ')})`);
      }
    }
    expect(off, `${cc}: output size`).toBe(out.length);
    expect(bad, `${cc}: ${bad.length} of ${cases.length} cases differ`).toEqual([]);
  }
}

// ---- 1. transcendentals on millions of floats ------------------------------------------------------

describe('qcc_math.h equals numerics/math.ts bit for bit', () => {
  it('exp, tanh, sigmoid, sqrt on ~4.2M floats (gcc and clang)', () => {
    const xs: number[] = [];
    for (let b = 0; b < 2 ** 32; b += 1024) xs.push(b + (rnd() & 1023));
    const f = new Float32Array(1);
    const u = new Uint32Array(f.buffer);
    // dense around the interesting ranges: |x| < 2, the exp overflow / underflow edges
    for (let i = 0; i < 65536; i++) {
      f[0] = (i / 65536) * 4 - 2;
      xs.push(u[0]!);
      f[0] = 88.5 + (i / 65536) * 0.5;
      xs.push(u[0]!);
      f[0] = -103 - (i / 65536) * 2;
      xs.push(u[0]!);
    }
    for (const x of F32_SPECIALS) {
      f[0] = x;
      xs.push(u[0]!);
    }
    xs.push(0x7fc12345, 0xffc00001, 0x7f800001, 0x00000001, 0x80000001, 0x007fffff, 0x42b17217, 0x42b17218, 0x3f200000, 0x3f1fffff);
    const input = Uint32Array.from(xs);
    const n = input.length;
    const inF = new Float32Array(input.buffer);
    const want = new Float32Array(4 * n);
    for (let i = 0; i < n; i++) {
      const x = inF[i]!;
      want[i] = expf(x);
      want[n + i] = tanhf(x);
      want[2 * n + i] = sigmoidf(x);
      want[3 * n + i] = x !== x || x < 0 ? NaN : Math.fround(Math.sqrt(x));
    }
    const src = `${IO}#include "qcc_math.h"\n#include "qcc_elementwise.h"\n${MAIN_OPEN}
  size_t n, i;
  float *x, *y;
  fseek(qin, 0, SEEK_END);
  n = (size_t)ftell(qin) / 4;
  fseek(qin, 0, SEEK_SET);
  x = malloc(n * 4);
  y = malloc(n * 16);
  if (!x || !y) return 1;
  rd(x, n * 4);
  for (i = 0; i < n; i++) {
    y[i] = qcc_expf(x[i]);
    y[n + i] = qcc_tanhf(x[i]);
    y[2 * n + i] = qcc_sigmoidf(x[i]);
    y[3 * n + i] = qcc_sqrtf(x[i]);
  }
  wr(y, n * 16);
  fclose(qout);
  return 0;
}
`;
    const wantBits = new Uint32Array(want.buffer);
    for (const cc of COMPILERS) {
      const out = runExe(build('math', src, cc), new Uint8Array(input.buffer));
      const got = new Uint32Array(out.buffer, out.byteOffset, out.byteLength / 4);
      expect(got.length).toBe(wantBits.length);
      const names = ['exp', 'tanh', 'sigmoid', 'sqrt'];
      const bad: string[] = [];
      for (let i = 0; i < got.length && bad.length < 10; i++) {
        if (got[i] !== wantBits[i]) {
          bad.push(`${names[Math.floor(i / n)]}(0x${input[i % n]!.toString(16)}): C 0x${got[i]!.toString(16)} vs TS 0x${wantBits[i]!.toString(16)}`);
        }
      }
      expect(bad, cc).toEqual([]);
    }
  });
});

// ---- 2. kernels through the emitters ---------------------------------------------------------------

const NUMERIC: DType[] = ['f32', 'f64', 'i8', 'u8', 'i16', 'u16', 'i32', 'u32', 'i64', 'u64'];
const ALL: DType[] = [...NUMERIC, 'f16', 'bool'];
/** [a, b] shape pairs: plain, scalar a, scalar b, general broadcasts, one of size 1 everywhere. */
const SHAPES: [number[], number[]][] = [
  [[37], [37]],
  [[], [5, 7]],
  [[3, 1, 4], [1]],
  [[2, 1, 3], [4, 1]],
  [[3, 1, 5, 1], [1, 4, 1, 6]],
  [[1, 1], [1]],
  [[2, 3, 2, 2, 3, 2], [3, 1, 2, 1, 2]],
];

describe('qcc_elementwise.h kernels equal the interpreter (gcc and clang)', () => {
  it('binary arithmetic, every dtype and broadcast geometry', () => {
    const decls: string[] = [];
    const cases: Case[] = [];
    // Every geometry for add; the kernels of the other ops come from the same macro, so they get the
    // plain and general paths (and both scalar sides for the non-commutative ones) for every dtype.
    const shapesOf: Record<string, [number[], number[]][]> = {
      add: SHAPES,
      sub: SHAPES.slice(0, 4),
      div: SHAPES.slice(0, 4),
      mul: [SHAPES[0]!, SHAPES[3]!],
      max: [SHAPES[0]!, SHAPES[3]!],
      min: [SHAPES[0]!, SHAPES[3]!],
    };
    for (const [kind, shapes] of Object.entries(shapesOf)) {
      for (const d of NUMERIC) {
        for (const [sa, sb] of shapes) {
          cases.push(makeCase(kind, [randomTensor(d, sa), randomTensor(d, sb)], {}, decls, cases.length));
        }
      }
    }
    runCases('binary', cases, decls);
  });

  it('comparisons and where', () => {
    const decls: string[] = [];
    const cases: Case[] = [];
    for (const kind of ['less', 'less_or_equal', 'greater', 'greater_or_equal', 'equal']) {
      for (const d of [...NUMERIC, 'bool'] as DType[]) {
        for (const [sa, sb] of [SHAPES[0]!, SHAPES[1]!, SHAPES[3]!]) {
          cases.push(makeCase(kind, [randomTensor(d, sa), randomTensor(d, sb)], {}, decls, cases.length));
        }
      }
    }
    for (const d of ALL) {
      for (const [sc, sx, sy] of [
        [[6], [6], [6]],
        [[2, 1], [3], []],
        [[1], [2, 3], [1, 3]],
      ] as number[][][]) {
        cases.push(makeCase('where', [randomTensor('bool', sc!), randomTensor(d, sx!), randomTensor(d, sy!)], {}, decls, cases.length));
      }
    }
    runCases('compare', cases, decls);
  });

  it('unary ops, leaky_relu, clip, softmax', () => {
    const decls: string[] = [];
    const cases: Case[] = [];
    const unary: [string, DType[]][] = [
      ['relu', ['f32', 'f64', 'i8', 'i16', 'i32', 'i64']],
      ['neg', ['f32', 'f64', 'i8', 'i16', 'i32', 'i64']],
      ['abs', NUMERIC],
      ['sqrt', ['f32']],
      ['reciprocal', ['f32', 'f64']],
      ['exp', ['f32']],
      ['tanh', ['f32']],
      ['sigmoid', ['f32']],
    ];
    for (const [kind, types] of unary) for (const d of types) cases.push(makeCase(kind, [randomTensor(d, [3, 41])], {}, decls, cases.length));
    for (const d of ['f32', 'f64'] as DType[]) {
      for (const alpha of [0.01, -3, 0]) {
        cases.push(makeCase('leaky_relu', [randomTensor(d, [67])], { alpha: Math.fround(alpha) }, decls, cases.length));
      }
    }
    for (const d of NUMERIC) {
      const info = DTYPES[d];
      const lo = info.isFloat ? -1.5 : info.isSigned ? -3 : 2;
      const hi = info.isFloat ? 2.25 : 5;
      const x = () => randomTensor(d, [53]);
      cases.push(makeCase('clip', [x(), null, null], { min: lo, max: hi }, decls, cases.length));
      cases.push(makeCase('clip', [x(), null, null], { min: hi, max: lo }, decls, cases.length)); // min > max
      cases.push(makeCase('clip', [x(), null, null], { max: hi }, decls, cases.length));
      cases.push(makeCase('clip', [x(), null, null], {}, decls, cases.length));
      cases.push(makeCase('clip', [x(), randomTensor(d, []), randomTensor(d, [1])], {}, decls, cases.length)); // runtime bounds
      cases.push(makeCase('clip', [x(), randomTensor(d, []), null], {}, decls, cases.length));
    }
    for (const [shape, axis, coerce2d] of [
      [[7], 0, false],
      [[3, 5], 1, false],
      [[3, 5], 0, false],
      [[2, 3, 4], 1, false],
      [[2, 3, 4], 1, true],
      [[2, 3, 4], 3, true],
      [[4, 1, 3], 1, false],
    ] as [number[], number, boolean][]) {
      cases.push(makeCase('softmax', [randomTensor('f32', shape)], { axis, coerce2d }, decls, cases.length));
      // common-range data: no NaN/inf
      const t = new Tensor('f32', shape);
      for (let i = 0; i < t.size; i++) (t.data as Float32Array)[i] = ((rnd() / 2 ** 32) * 2 - 1) * 30;
      cases.push(makeCase('softmax', [t], { axis, coerce2d }, decls, cases.length));
    }
    runCases('unary', cases, decls);
  });

  it('reduce_sum and reduce_max over axis sets, every dtype', () => {
    const decls: string[] = [];
    const cases: Case[] = [];
    for (const kind of ['reduce_sum', 'reduce_max']) {
      for (const d of NUMERIC) {
        for (const [axes, keepdims] of [
          [[0], true],
          [[1], false],
          [[0, 2], true],
          [[1, 2], false],
          [[0, 1, 2], true],
        ] as [number[], boolean][]) {
          cases.push(makeCase(kind, [randomTensor(d, [3, 4, 5])], { axes, keepdims }, decls, cases.length));
        }
        // an empty reduction: 0 for sums, the lowest value for max
        cases.push(makeCase(kind, [new Tensor(d, [3, 0, 2])], { axes: [1], keepdims: true }, decls, cases.length));
      }
    }
    runCases('reduce', cases, decls);
  });

  it('cast between every pair of dtypes', () => {
    const decls: string[] = [];
    const cases: Case[] = [];
    for (const from of ALL) {
      for (const to of ALL) {
        const x = randomTensor(from, [211]);
        if (from === 'f32' || from === 'f64') {
          // add the saturation edges of every integer type
          const edges = [2147483647, 2147483648, -2147483648, -2147483649, 4294967295, 4294967296, 2 ** 63, -(2 ** 63), 2 ** 64, 65519, 65520, -0.99];
          edges.forEach((v, i) => ((x.data as Float32Array | Float64Array)[200 - i] = v));
        }
        cases.push(makeCase('cast', [x], { to }, decls, cases.length));
      }
    }
    runCases('cast', cases, decls);
  });
});

it('the parity sweep covers every emitter kind', () => {
  const covered = ['add', 'sub', 'mul', 'div', 'max', 'min', 'less', 'less_or_equal', 'greater', 'greater_or_equal', 'equal', 'where'];
  covered.push('reduce_sum', 'reduce_max', 'relu', 'neg', 'abs', 'sqrt', 'reciprocal', 'exp', 'tanh', 'sigmoid', 'leaky_relu', 'clip', 'softmax', 'cast');
  expect(emitters.map((e) => e.kind).sort()).toEqual(covered.sort());
  expect(shapeSize([2, 3])).toBe(6);
});
