/**
 * What the host CPU can run, for tests that execute x86 SIMD code: a target whose instructions the CPU lacks is
 * a hardware fact, not a missing toolchain, so those tests are skipped there (compilers missing still fail).
 */
import { existsSync, readFileSync } from 'node:fs';
import { arch } from 'node:os';

const flags: ReadonlySet<string> = (() => {
  if (arch() !== 'x64' || !existsSync('/proc/cpuinfo')) return new Set<string>();
  const line = /^flags\s*:(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
  return new Set((line?.[1] ?? '').trim().split(/\s+/));
})();

/** x86-avx2's run-time check: AVX2 and FMA. */
export const hostHasAvx2 = (): boolean => flags.has('avx2') && flags.has('fma');

/** x86-avx512vnni's run-time check: x86-avx2's plus AVX-512 F, BW, VL and VNNI. */
export const hostHasAvx512Vnni = (): boolean => hostHasAvx2() && ['avx512f', 'avx512bw', 'avx512vl', 'avx512_vnni'].every((f) => flags.has(f));
