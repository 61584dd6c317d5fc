import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DType } from '../../compiler/ir/dtype.ts';
import { LITERAL_MACROS, arrayInitializer, doubleLit, f32BitsLit, floatLit, intLit } from './literals.ts';

const dir = mkdtempSync(join(tmpdir(), 'qcc-lit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Compiles and runs a C program with gcc and clang (strict flags); returns stdout of each. */
function runC(src: string): string[] {
  writeFileSync(join(dir, 't.c'), src);
  return ['gcc', 'clang'].map((cc) => {
    const b = spawnSync(cc, ['-std=c99', '-O2', '-Wall', '-Wextra', '-Werror', '-pedantic', '-ffp-contract=off', '-o', 't', 't.c'], { cwd: dir, encoding: 'utf8' });
    expect(b.stderr, cc).toBe('');
    return spawnSync(join(dir, 't'), [], { encoding: 'utf8' }).stdout;
  });
}

// Bit patterns chosen by hand plus a deterministic spread; expected bits are the inputs themselves.
const F32_BITS: number[] = [
  0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x7f800000, 0xff800000, 0x7fc00000, 0xffc00000,
  0x7fc00001, 0x7fffffff, 0x7f800001, 0xff812345, 0x00000001, 0x80000001, 0x007fffff, 0x00400000, 0x00800000,
  0x7f7fffff, 0xff7fffff, 0x3eaaaaab, 0x33d6bf95,
];
for (let i = 0, s = 12345; i < 200; i++) {
  s = (Math.imul(s, 1103515245) + 12345) >>> 0;
  F32_BITS.push(s);
}

describe('float literals', () => {
  it('hex floats are exact for every float32 bit pattern class (incl. -0, subnormals, inf, NaN payloads)', () => {
    const lits = F32_BITS.map((b) => f32BitsLit(b >>> 0));
    const src = `#include <stdint.h>\n#include <stdio.h>\n#include <string.h>\n${LITERAL_MACROS}\nstatic const float v[] = {\n${lits.join(',\n')}\n};\nint main(void) {\n  size_t i;\n  for (i = 0; i < sizeof v / sizeof v[0]; i++) { uint32_t b; memcpy(&b, &v[i], 4); printf("%08lx\\n", (unsigned long)b); }\n  return 0;\n}\n`;
    const want = F32_BITS.map((b) => (b >>> 0).toString(16).padStart(8, '0')).join('\n') + '\n';
    for (const out of runC(src)) expect(out).toBe(want);
  });

  it('floatLit rounds to float32 and reads well', () => {
    expect(floatLit(1.5)).toBe('0x1.8p+0f');
    expect(floatLit(-0)).toBe('-0.0f');
    expect(floatLit(0.1)).toBe(f32BitsLit(0x3dcccccd));
    expect(floatLit(Infinity)).toBe('QCC_INFF');
    expect(floatLit(-Infinity)).toBe('-QCC_INFF');
    expect(floatLit(NaN)).toMatch(/^-?QCC_NANF\(/);
  });

  it('double literals are exact', () => {
    const vals = [0, -0, 1, -2.5, 0.1, 1e-310, 5e-324, Number.MAX_VALUE, Infinity, -Infinity, Math.PI];
    const src = `#include <stdint.h>\n#include <stdio.h>\n#include <string.h>\n${LITERAL_MACROS}\nstatic const double v[] = {\n${vals.map(doubleLit).join(',\n')}\n};\nint main(void) {\n  size_t i;\n  for (i = 0; i < sizeof v / sizeof v[0]; i++) { uint64_t b; memcpy(&b, &v[i], 8); printf("%016llx\\n", (unsigned long long)b); }\n  return 0;\n}\n`;
    const dv = new DataView(new ArrayBuffer(8));
    const want = vals.map((x) => {
      dv.setFloat64(0, x);
      return dv.getBigUint64(0).toString(16).padStart(16, '0');
    });
    for (const out of runC(src)) expect(out).toBe(want.join('\n') + '\n');
  });
});

describe('integer literals', () => {
  const cases: [DType, bigint[]][] = [
    ['i8', [-128n, -1n, 0n, 127n]],
    ['u8', [0n, 255n]],
    ['i16', [-32768n, 32767n]],
    ['u16', [65535n]],
    ['i32', [-2147483648n, -2147483647n, 2147483647n, -1n]],
    ['u32', [0n, 4294967295n]],
    ['i64', [-9223372036854775808n, 9223372036854775807n, -1n]],
    ['u64', [0n, 18446744073709551615n]],
  ];
  const ctype: Record<string, string> = { i8: 'int8_t', u8: 'uint8_t', i16: 'int16_t', u16: 'uint16_t', i32: 'int32_t', u32: 'uint32_t', i64: 'int64_t', u64: 'uint64_t' };

  it('every extreme compiles without warnings and keeps its value (expressions and arrays)', () => {
    const decls: string[] = [];
    const prints: string[] = [];
    const want: string[] = [];
    cases.forEach(([dt, vals], k) => {
      decls.push(`static const ${ctype[dt]} a${k}[] = {\n${arrayInitializer(dt, vals)}\n};`);
      vals.forEach((v, i) => {
        const signed = dt.startsWith('i');
        const cast = signed ? '(long long)' : '(unsigned long long)';
        const f = signed ? '%lld' : '%llu';
        prints.push(`printf("${f} ${f}\\n", ${cast}(${ctype[dt]})(0 + ${intLit(v, dt)}), ${cast}a${k}[${i}]);`);
        want.push(`${v} ${v}`);
      });
    });
    const src = `#include <stdint.h>\n#include <stdio.h>\n${decls.join('\n')}\nint main(void) {\n${prints.join('\n')}\nreturn 0;\n}\n`;
    for (const out of runC(src)) expect(out).toBe(want.join('\n') + '\n');
  });

  it('suffixes and range checks', () => {
    expect(intLit(5n, 'i64')).toBe('5LL');
    expect(intLit(5, 'u64')).toBe('5ULL');
    expect(intLit(-2147483648, 'i32')).toBe('(-2147483647 - 1)');
    expect(intLit(-3, 'i8')).toBe('(-3)');
    expect(() => intLit(128, 'i8')).toThrow();
    expect(() => intLit(-1, 'u32')).toThrow();
    expect(() => intLit(1.5, 'i32')).toThrow();
  });

  it('arrays wrap at 16 values per line', () => {
    const text = arrayInitializer('u8', new Uint8Array(40));
    expect(text.split('\n').length).toBe(3);
  });
});
