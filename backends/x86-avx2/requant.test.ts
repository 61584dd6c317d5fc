/**
 * qcc_rq_store16_avx2 (runtime-c/x86-avx2/qcc_requant_avx2.h: the conv tiles' requantize-and-store, which
 * clamps only above in float and lets the int16 / int8 packs saturate below) against the scalar
 * qcc_requantize_f32 of qcc_requant.h, element by element, built with gcc and clang: accumulators at and near
 * INT32_MIN / INT32_MAX and zero, scales that send acc * scale past +-2^31 (cvtps2dq's indefinite value),
 * below 1 and exactly 1, zero points at both ends of u8 and i8, and every store length 1..16 with guard bytes
 * after it that must stay untouched.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { STRICT_CFLAGS } from '../target.ts';
import { hostHasAvx2 } from '../../test/util/host-cpu.ts';

const RT = resolve(import.meta.dirname, '../../runtime-c');
const work = mkdtempSync(join(tmpdir(), 'qcc-rq-avx2-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const HARNESS = String.raw`#include <stdio.h>
#include <stdint.h>
#include <string.h>
#include "qcc_requant.h"
#include "x86-avx2/qcc_requant_avx2.h"
static const int32_t SPECIAL[] = {INT32_MIN, INT32_MIN + 1, -2147483520, -16777217, -65536, -32769, -32768, -385,
                                  -384, -383, -256, -129, -128, -1, 0, 1, 127, 128, 255, 256, 383, 384, 32767, 32768,
                                  65535, 16777217, 2147483520, INT32_MAX - 1, INT32_MAX};
static const float SCALES[] = {1.0f, 0.5f, 0.0078125f, 0.3333333f, 1e-6f, 2.0f, 1000.0f, 1e10f, 3.0e38f, 4.6566e-10f};
static const int32_t ZPS[2][5] = {{0, 255, 128, 1, 254}, {-128, 127, 0, -127, 126}};
static uint32_t s = 12345u;
static int32_t rnd(void) { s = s * 1103515245u + 12345u; return (int32_t)(s ^ (s >> 15) * 2654435761u); }
int main(void) {
  long cases = 0, bad = 0, low = 0, high = 0;
  int sg, zi, si, it, n;
  for (sg = 0; sg < 2; sg++)
    for (zi = 0; zi < 5; zi++)
      for (si = 0; si < (int)(sizeof SCALES / sizeof SCALES[0]); si++)
        for (it = 0; it < 400; it++) {
          const int32_t zp = ZPS[sg][zi], qmin = sg ? -128 : 0, qmax = sg ? 127 : 255;
          const qcc_rq_avx2 rq = qcc_rq_init_avx2(zp, qmin, qmax);
          int32_t acc[16];
          uint8_t out[32];
          int k;
          for (k = 0; k < 16; k++) {
            const int32_t r = rnd();
            acc[k] = (r & 3) == 0 ? SPECIAL[(uint32_t)rnd() % (sizeof SPECIAL / sizeof SPECIAL[0])]
                     : (r & 3) == 1 ? rnd() : (r & 3) == 2 ? rnd() % 70000 : rnd() % 600;
          }
          n = 1 + it % 16;
          memset(out, 0xA5, sizeof out);
          qcc_rq_store16_avx2(out, _mm256_loadu_si256((const __m256i *)(const void *)acc),
                              _mm256_loadu_si256((const __m256i *)(const void *)(acc + 8)), _mm256_set1_ps(SCALES[si]), &rq,
                              n, sg);
          for (k = 0; k < 32; k++) {
            cases++;
            if (k < n) {
              const int32_t want = qcc_requantize_f32(acc[k], SCALES[si], zp, qmin, qmax);
              const int32_t got = sg ? (int32_t)(int8_t)out[k] : (int32_t)out[k];
              if (got != want) {
                if (bad < 10) printf("mismatch: acc %d scale %g zp %d signed %d: got %d want %d\n", acc[k], (double)SCALES[si], zp, sg, got, want);
                bad++;
              }
              low += want == qmin;
              high += want == qmax;
            } else if (out[k] != 0xA5) {
              if (bad < 10) printf("wrote past n = %d at %d\n", n, k);
              bad++;
            }
          }
        }
  printf("cases %ld bad %ld low %ld high %ld\n", cases, bad, low, high);
  return bad != 0;
}
`;

describe.skipIf(!hostHasAvx2())('x86-avx2 qcc_rq_store16_avx2 == qcc_requantize_f32 (needs an AVX2 CPU)', () => {
  for (const cc of ['gcc', 'clang']) {
    it(`saturating accumulators and scales, zero points at the ends, every length (${cc})`, () => {
      const src = join(work, 'rq.c');
      const exe = join(work, `rq_${cc}`);
      writeFileSync(src, HARNESS);
      const b = spawnSync(cc, [...STRICT_CFLAGS, '-mavx2', '-mfma', '-I', RT, '-o', exe, src], { encoding: 'utf8' });
      expect(b.error ?? null).toBeNull();
      expect(b.stderr).toBe('');
      expect(b.status).toBe(0);
      const r = spawnSync(exe, [], { encoding: 'utf8' });
      expect(r.stdout).toMatch(/cases \d+ bad 0 /);
      const [, , low, high] = /cases (\d+) bad \d+ low (\d+) high (\d+)/.exec(r.stdout)!.map(Number);
      // both clamps are exercised many times (a harness that never saturates proves nothing)
      expect(low).toBeGreaterThan(1000);
      expect(high).toBeGreaterThan(1000);
      expect(r.status).toBe(0);
    });
  }
});
