/**
 * The seeded pseudo-random generators of the tests, so that a test's cases depend on its seed alone.
 * Changing either changes every seeded case that uses it: don't.
 */

/** mulberry32: floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** xorshift32 (13, 17, 5): uint32 values, never 0; seed 0 is taken as 1. */
export function xorshift32(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** xorshift32 scaled to floats in (0, 1). */
export function xorshift32Unit(seed: number): () => number {
  const next = xorshift32(seed);
  return () => next() / 4294967296;
}
