import { DTYPES, type DType } from '../ir/dtype.ts';
import type { Graph, Value } from '../ir/graph.ts';
import { Tensor, shapeSize } from '../ir/tensor.ts';
import { f32ToF16Bits } from '../numerics/f16.ts';

/**
 * xoshiro128** (Blackman & Vigna): small, fast, 32-bit only (exact in JS with Math.imul), and the same
 * sequence on every machine. Seeded through splitmix32 so that nearby seeds give unrelated streams.
 */
export class Prng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number) {
    let x = seed >>> 0;
    const next = (): number => {
      // splitmix32
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next 32 random bits as an unsigned number. */
  nextU32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1) with 32 bits of resolution. */
  nextFloat(): number {
    return this.nextU32() / 4294967296;
  }

  /** Uniform integer in [lo, hi] (inclusive; the range must fit in 2^53). */
  intIn(lo: number, hi: number): number {
    const span = hi - lo + 1;
    if (span <= 4294967296) return lo + Math.floor(this.nextFloat() * span);
    // Wide ranges (32-bit signed/unsigned spans are exactly 2^32; this is for anything larger).
    const r = this.nextU32() * 2097152 + (this.nextU32() >>> 11);
    return lo + Math.floor((r / 2 ** 53) * span);
  }

  /** 64 uniformly random bits as a BigInt in [0, 2^64). */
  nextU64(): bigint {
    return (BigInt(this.nextU32()) << 32n) | BigInt(this.nextU32());
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Seed for input `index` of run `seed`: each input gets its own stream so adding an input does not shift the others. */
function streamSeed(seed: number, index: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) + Math.imul(index + 1, 0x85ebca77)) >>> 0;
}

/**
 * Deterministic random feeds for every graph input. Integer inputs start with the extreme values
 * (min, max, 0, min+1, max-1) and are uniform over the full range after that. Float inputs mix values
 * in [-4, 4], exact zeros, multiples of 0.5 (and of half the scale of a QuantizeLinear they feed, so that
 * quantization meets rounding ties) and a few larger magnitudes. No NaN or infinity.
 */
export function randomInputs(graph: Graph, seed: number): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  graph.inputs.forEach((v, index) => {
    out.set(v.name, randomTensor(v.type.dtype, v.type.shape, new Prng(streamSeed(seed, index)), tieSteps(v)));
  });
  return out;
}

/** Random tensor of one dtype/shape from a generator (exported for tests and tools). */
export function randomTensor(dtype: DType, shape: readonly number[], rng: Prng, steps: readonly number[] = []): Tensor {
  const n = shapeSize(shape);
  const t = new Tensor(dtype, shape);
  const info = DTYPES[dtype];
  if (dtype === 'bool') {
    const d = t.data as Uint8Array;
    for (let i = 0; i < n; i++) d[i] = i < 2 ? i : rng.nextU32() & 1;
    return t;
  }
  if (info.isBig) {
    const d = t.data as BigInt64Array | BigUint64Array;
    const signed = info.isSigned;
    const min = signed ? -(2n ** 63n) : 0n;
    const max = signed ? 2n ** 63n - 1n : 2n ** 64n - 1n;
    const extremes = [min, max, 0n, min + 1n, max - 1n];
    for (let i = 0; i < n; i++) {
      if (i < extremes.length) d[i] = extremes[i]!;
      else d[i] = signed ? BigInt.asIntN(64, rng.nextU64()) : rng.nextU64();
    }
    return t;
  }
  if (!info.isFloat) {
    const d = t.data as Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array;
    const extremes = [info.min, info.max, 0, info.min + 1, info.max - 1];
    for (let i = 0; i < n; i++) d[i] = i < extremes.length ? extremes[i]! : rng.intIn(info.min, info.max);
    return t;
  }
  const tieScales = [1, ...steps];
  const values = new Array<number>(n);
  for (let i = 0; i < n; i++) values[i] = randomFloat(rng, tieScales);
  if (dtype === 'f16') {
    const d = t.data as Uint16Array;
    for (let i = 0; i < n; i++) d[i] = f32ToF16Bits(Math.fround(values[i]!));
  } else {
    (t.data as Float32Array | Float64Array).set(values.map((x) => Math.fround(x)));
  }
  return t;
}

function randomFloat(rng: Prng, tieScales: readonly number[]): number {
  const r = rng.nextFloat();
  if (r < 0.1) return 0;
  if (r < 0.4) {
    // (k + 0.5) * scale lies exactly between two quantization levels: round-half-to-even territory.
    const scale = tieScales[Math.floor(rng.nextFloat() * tieScales.length)]!;
    return Math.fround(Math.fround(rng.intIn(-8, 7) + 0.5) * scale);
  }
  if (r < 0.95) return Math.fround(rng.nextFloat() * 8 - 4);
  // Larger magnitudes: saturate quantizers and exercise the clamps.
  const mag = 4 + rng.nextFloat() * 996;
  return Math.fround(rng.nextFloat() < 0.5 ? -mag : mag);
}

/**
 * Scales of per-tensor quantizers fed directly by this input, so random values can hit x/scale = k + 0.5.
 * Recognised by shape: a consumer whose input 1 is a constant scalar float (QuantizeLinear's layout).
 */
function tieSteps(v: Value): number[] {
  const steps: number[] = [];
  for (const u of v.users) {
    if (!u.op.includes('quantize') || u.op.includes('dequantize') || u.inputs[0] !== v) continue;
    const s = u.inputs[1]?.const;
    if (s && s.size === 1 && DTYPES[s.dtype].isFloat && s.dtype !== 'f16') {
      const scale = s.num(0);
      if (Number.isFinite(scale) && scale > 0) steps.push(scale);
    }
  }
  return steps;
}
