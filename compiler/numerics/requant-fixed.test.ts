import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  frexp, multiplyByQuantizedMultiplier, quantizeMultiplier, requantizeFixed, roundingDivideByPOT, srdhm,
} from './requant-fixed.ts';
import { requantizeF32, requantizer } from './requant.ts';
import { xorshift32 } from '../../test/util/prng.ts';

const MIN = -2147483648;
const MAX = 2147483647;
const f = Math.fround;

describe('quantizeMultiplier (TFLite QuantizeMultiplier on float32 scales)', () => {
  // [scale, mult, shift], worked out by hand: scale = q * 2^shift, mult = q * 2^31.
  it.each([
    [0.5, 2 ** 30, 0],
    [1, 2 ** 30, 1], // scale >= 1: positive shift
    [0.75, 1610612736, 0],
    [3, 1610612736, 2],
    [f(0.1), 13421773 * 128, -3], // 0x3DCCCCCD: mantissa 0xCCCCCD, 0.1 = 0.8 * 2^-3
    [f(0.99999994), (2 ** 24 - 1) * 128, 0], // largest float32 below 1
    [2 ** -31, 2 ** 30, -30],
    [2 ** -32, 2 ** 30, -31], // smallest kept shift
    [2 ** -33, 0, 0], // shift -32: flushed to zero
    [f(1e-40), 0, 0], // float32 subnormal
    [0, 0, 0],
    [2 ** 30, 2 ** 30, 31],
    [2 ** 40, 2 ** 30, 31], // shift 41 capped (equivalent under the saturating left shift)
    [NaN, 0, 0], // gives the zero point, as fp32 does
    [Infinity, MAX, 31],
  ])('%f -> mult %i, shift %i', (scale, mult, shift) => {
    expect(quantizeMultiplier(scale)).toEqual({ mult, shift });
  });

  it('frexp is exact on doubles, subnormals included', () => {
    expect(frexp(1)).toEqual([0.5, 1]);
    expect(frexp(-3)).toEqual([-0.75, 2]);
    expect(frexp(5e-324)).toEqual([0.5, -1073]);
    expect(frexp(Number.MAX_VALUE)[1]).toBe(1024);
  });

  it('rounds a double mantissa half away from zero and carries 2^31 into the shift', () => {
    // 1 - 2^-40 rounds up to q*2^31 = 2^31 -> 2^30 with shift + 1.
    expect(quantizeMultiplier(1 - 2 ** -40)).toEqual({ mult: 2 ** 30, shift: 1 });
    expect(quantizeMultiplier(0.5 + 2 ** -32)).toEqual({ mult: 2 ** 30 + 1, shift: 0 }); // 2^30 + 0.5 -> away
    expect(quantizeMultiplier(-(0.5 + 2 ** -32))).toEqual({ mult: -(2 ** 30) - 1, shift: 0 });
    expect(quantizeMultiplier(0.5 + 2 ** -33)).toEqual({ mult: 2 ** 30, shift: 0 }); // 2^30 + 0.25 -> down
  });
});

describe('srdhm (gemmlowp SaturatingRoundingDoublingHighMul)', () => {
  it.each([
    [MIN, MIN, MAX], // the one overflow: saturates
    [MAX, MAX, 2147483646], // (2^62 - 2^32 + 1 + 2^30) / 2^31 truncated
    [MIN, MAX, -2147483647],
    [1, 2 ** 30, 1], // 0.5 rounds up
    [3, 2 ** 30, 2], // 1.5 -> 2
    [-1, 2 ** 30, 0], // -0.5 -> 0: the negative nudge is 1 - 2^30, then truncation
    [-3, 2 ** 30, -1], // -1.5 -> -1
    [-6, 2 ** 30, -3],
    [0, MIN, 0],
    [MIN, 2 ** 30, -(2 ** 30)],
  ])('srdhm(%i, %i) = %i', (a, b, want) => {
    expect(srdhm(a, b)).toBe(want);
  });
});

describe('roundingDivideByPOT (ties away from zero)', () => {
  it.each([
    [5, 1, 3], [-5, 1, -3], [3, 1, 2], [-3, 1, -2], [-1, 1, -1], [1, 1, 1], [7, 0, 7],
    [MIN, 31, -1], [MAX, 31, 1], [2 ** 30, 31, 1], [-(2 ** 30), 31, -1], [2 ** 30 - 1, 31, 0], [-(2 ** 30) + 1, 31, 0],
  ])('rdbpot(%i, %i) = %i', (x, e, want) => {
    expect(roundingDivideByPOT(x, e)).toBe(want);
  });
});

describe('requantizeFixed', () => {
  // [acc, scale, zp, qmin, qmax, expected], worked out by hand from the formulas in requant-fixed.ts.
  it.each([
    [5, 0.5, 0, 0, 255, 3], // 2.5 -> 3 (fp32 gives 2: ties to even)
    [-5, 0.5, 0, -128, 127, -2], // -2.5 -> -2 (srdhm's nudge; shift 0 has no second rounding)
    [-6, 0.25, 0, -128, 127, -2], // -1.5: srdhm -> -3, rdbpot(-3, 1) -> -2 (away from zero)
    [-5, 0.25, 0, -128, 127, -1], // -1.25
    [3, 3, 0, -128, 127, 9], // scale >= 1: left shift 2
    [100, 3, 0, -128, 127, 127], // saturates
    [-100, 3, 0, -128, 127, -128],
    [1, 1e30, 0, -128, 127, 127], // huge scale: the left shift saturates
    [-1, 1e30, 0, -128, 127, -128],
    [0, 1e30, 3, 0, 255, 3],
    [MAX, 2 ** -33, 5, 0, 255, 5], // tiny scale flushed to zero
    [MAX, 2 ** -32, 0, 0, 255, 1], // 0.49999999977: double rounding gives 1 (srdhm -> 2^30, rdbpot -> 1)
    [MIN, 2 ** -32, 0, -128, 127, -1], // exactly -0.5 -> -1
    [MAX, f(1e-40), 7, 0, 255, 7], // subnormal float32 scale
    [MIN, 1, 0, -128, 127, -128], // left shift saturates to INT32_MIN
    [MAX, 1, 0, 0, 255, 255],
    [-3, 1, 255, 0, 255, 252], // zp at the top end
    [5, 1, 255, 0, 255, 255],
    [3, 1, -128, -128, 127, -125], // zp at the bottom end
    [-1, 1, -128, -128, 127, -128],
    [7, NaN, 9, 0, 255, 9], // NaN scale -> zp
    [MAX, 2 ** 30, 127, -128, 127, 127], // MBQM near INT32_MAX + zp does not overflow
  ])('acc %i scale %f zp %i [%i, %i] -> %i', (acc, scale, zp, qmin, qmax, want) => {
    const { mult, shift } = quantizeMultiplier(scale);
    expect(requantizeFixed(acc, mult, shift, zp, qmin, qmax)).toBe(want);
  });

  it('requantizer dispatches on the scheme', () => {
    const scales = new Float32Array([0.5, 0.25]);
    expect(requantizer('fixed', scales, 0, -128, 127)(5, 0)).toBe(3);
    expect(requantizer('fp32', scales, 0, -128, 127)(5, 0)).toBe(2);
    expect(requantizer('fixed', scales, 0, -128, 127)(-6, 1)).toBe(-2);
  });
});

// An independent BigInt model of the same formulas (TFLite's code transcribed), to check the exact
// number-only srdhm and the whole pipeline on many random cases.
function refMbqm(acc: number, mult: number, shift: number): number {
  const left = shift > 0 ? shift : 0;
  const right = shift > 0 ? 0 : -shift;
  let x = BigInt(acc) << BigInt(left);
  if (x > BigInt(MAX)) x = BigInt(MAX);
  if (x < BigInt(MIN)) x = BigInt(MIN);
  let h: bigint;
  if (x === BigInt(MIN) && mult === MIN) h = BigInt(MAX);
  else {
    const ab = x * BigInt(mult);
    const nudge = ab >= 0n ? 1n << 30n : 1n - (1n << 30n);
    h = (ab + nudge) / (1n << 31n); // BigInt division truncates toward zero, like C
  }
  const mask = (1n << BigInt(right)) - 1n;
  const rem = BigInt.asUintN(32, h) & mask;
  const thr = (mask >> 1n) + (h < 0n ? 1n : 0n);
  return Number((h >> BigInt(right)) + (rem > thr ? 1n : 0n));
}

/** Deterministic generator (xorshift32) for the random cases. */
const rng = xorshift32;

interface Cases {
  acc: Int32Array;
  scale: Float32Array;
  zp: Int32Array;
  signed: Uint8Array;
}

/** Random (acc, scale, zp) cases that cover the whole int32 range, ties, and scales from 2^-40 to 2^12. */
function makeCases(n: number, seed: number): Cases {
  const r = rng(seed);
  const c: Cases = { acc: new Int32Array(n), scale: new Float32Array(n), zp: new Int32Array(n), signed: new Uint8Array(n) };
  const u32 = new Uint32Array(c.scale.buffer);
  for (let i = 0; i < n; i++) {
    const kind = r() % 8;
    const e = (r() % 52) - 40; // scale exponent
    // float32 scale with a random mantissa (or an exact power of two) and exponent e
    const mant = r() % 4 === 0 ? 0 : r() & 0x7fffff;
    u32[i] = ((e + 127) << 23) | mant;
    if (r() % 64 === 0) u32[i] = [0, 1, 0x7fc00000, 0x7f800000, 0x3f800000, 0x3f7fffff, 0x2f800000, 0x7f7fffff][r() % 8]!;
    let acc: number;
    if (kind === 0) acc = r() | 0;
    else if (kind === 1) acc = (r() % 2001) - 1000;
    else if (kind === 2) acc = [MIN, MAX, 0, -1, 1, MIN + 1, MAX - 1][r() % 7]!;
    else if (kind === 3) {
      // ties: odd * 2^(k-1) against a power-of-two scale 2^-k
      const k = 1 + (r() % 30);
      u32[i] = (127 - k) << 23;
      acc = ((((r() % 20001) - 10000) * 2 + 1) * 2 ** (k - 1)) | 0;
    } else acc = ((r() | 0) >> (r() % 31)) | 0;
    c.acc[i] = acc;
    c.signed[i] = r() & 1;
    c.zp[i] = c.signed[i] ? (r() % 256) - 128 : r() % 256;
    if (r() % 16 === 0) c.zp[i] = c.signed[i] ? (r() % 2 ? -128 : 127) : r() % 2 ? 0 : 255;
  }
  return c;
}

function tsRequant(c: Cases, i: number): [number, number, number] {
  const { mult, shift } = quantizeMultiplier(c.scale[i]!);
  const [lo, hi] = c.signed[i] ? [-128, 127] : [0, 255];
  return [mult, shift, requantizeFixed(c.acc[i]!, mult, shift, c.zp[i]!, lo, hi)];
}

describe('fixed scheme vs independent BigInt model', () => {
  it('agrees on 200k random cases, and stays within 1 of fp32 where the scale is not flushed', () => {
    const c = makeCases(200_000, 12345);
    const bad: string[] = [];
    for (let i = 0; i < c.acc.length && bad.length < 5; i++) {
      const [mult, shift, y] = tsRequant(c, i);
      const want = refMbqm(c.acc[i]!, mult, shift);
      const [lo, hi] = c.signed[i] ? [-128, 127] : [0, 255];
      const got = multiplyByQuantizedMultiplier(c.acc[i]!, mult, shift);
      if (got !== want || y !== Math.min(hi, Math.max(lo, want + c.zp[i]!))) bad.push(`case ${i}: mbqm ${got} vs ${want}`);
      const s = c.scale[i]!;
      if (s >= 2 ** -31 && s < 2 ** 20 && Math.abs(y - requantizeF32(c.acc[i]!, s, c.zp[i]!, lo, hi)) > 1) bad.push(`case ${i}: fp32 differs by > 1`);
    }
    expect(bad).toEqual([]);
  });
});

const REQUANT_H = fileURLToPath(new URL('../../runtime-c/qcc_requant.h', import.meta.url));
const STRICT = ['-std=c99', '-O2', '-Wall', '-Wextra', '-Werror', '-ffp-contract=off'];

const HARNESS = `#include <stdio.h>
#include <stdlib.h>
#include "qcc_requant.h"
/* usage: harness N cases.bin out.bin; cases: acc[N] i32, scale[N] f32, zp[N] i32, signed[N] u8;
 * out: mult[N], shift[N], y[N] (int32). */
int main(int argc, char **argv) {
  long n, i;
  FILE *f;
  int32_t *acc, *zp, *out;
  float *scale;
  unsigned char *sg;
  if (argc != 4) return 2;
  n = atol(argv[1]);
  acc = malloc(n * 4); scale = malloc(n * 4); zp = malloc(n * 4); sg = malloc(n); out = malloc(n * 12);
  f = fopen(argv[2], "rb");
  if (!f || fread(acc, 4, n, f) != (size_t)n || fread(scale, 4, n, f) != (size_t)n || fread(zp, 4, n, f) != (size_t)n ||
      fread(sg, 1, n, f) != (size_t)n) return 3;
  fclose(f);
  for (i = 0; i < n; i++) {
    int32_t m, s;
    qcc_quantize_multiplier_f32(scale[i], &m, &s);
    out[i] = m;
    out[n + i] = s;
    out[2 * n + i] = sg[i] ? qcc_requantize_fixed(acc[i], m, s, zp[i], -128, 127) : qcc_requantize_fixed(acc[i], m, s, zp[i], 0, 255);
  }
  f = fopen(argv[3], "wb");
  if (!f || fwrite(out, 4, 3 * n, f) != (size_t)(3 * n)) return 3;
  fclose(f);
  return 0;
}
`;

describe('fixed scheme: TypeScript and runtime-c/qcc_requant.h agree', () => {
  const dir = mkdtempSync(join(tmpdir(), 'qcc-fixed-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const N = 2_000_000;
  const cases = makeCases(N, 777);
  const bin = join(dir, 'cases.bin');
  writeFileSync(bin, Buffer.concat([cases.acc, cases.scale, cases.zp, cases.signed].map((a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength))));
  writeFileSync(join(dir, 'harness.c'), HARNESS);
  const expected = new Int32Array(3 * N);
  for (let i = 0; i < N; i++) {
    const [m, s, y] = tsRequant(cases, i);
    expected[i] = m;
    expected[N + i] = s;
    expected[2 * N + i] = y;
  }

  it.each(['gcc', 'clang'])('on %s, 2M random cases (multiplier, shift and output)', (cc) => {
    const exe = join(dir, `harness-${cc}`);
    const b = spawnSync(cc, [...STRICT, '-I', join(REQUANT_H, '..'), '-o', exe, join(dir, 'harness.c')], { encoding: 'utf8' });
    expect(b.status, b.stderr).toBe(0);
    const out = join(dir, `out-${cc}.bin`);
    const r = spawnSync(exe, [String(N), bin, out], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    const got = new Int32Array(readFileSync(out).buffer.slice(0));
    let bad = -1;
    for (let i = 0; i < 3 * N && bad < 0; i++) if (got[i] !== expected[i]) bad = i;
    const k = bad % N;
    expect(bad, bad < 0 ? '' : `case ${k}: acc ${cases.acc[k]} scale ${cases.scale[k]} zp ${cases.zp[k]}: C ${got[bad]} vs TS ${expected[bad]}`).toBe(-1);
  });
});
