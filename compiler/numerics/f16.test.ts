import { describe, expect, it } from 'vitest';
import { f16BitsToF32, f32ToF16Bits } from './f16.ts';

describe('f16', () => {
  it('round-trips every finite half value', () => {
    for (let h = 0; h < 0x10000; h++) {
      const e = (h >> 10) & 0x1f;
      if (e === 31 && (h & 0x3ff)) continue; // NaN payloads are canonicalised
      expect(f32ToF16Bits(f16BitsToF32(h))).toBe(h === 0x8000 ? 0x8000 : h);
    }
  });
  it('rounds half to even and overflows to infinity', () => {
    expect(f32ToF16Bits(1 + 2 ** -11)).toBe(0x3c00); // tie -> even (1.0)
    expect(f32ToF16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02); // tie -> even (1+2^-9)
    expect(f32ToF16Bits(65520)).toBe(0x7c00);
    expect(f16BitsToF32(0x0001)).toBe(2 ** -24);
  });
});
