/**
 * Cortex-M toolchain constants and the qemu-system-arm run wrapper. A module of its own (no import of
 * backends/target.ts) so it is fully initialised whichever of target.ts / cortex-m/target.ts loads first.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { QccError } from '../../compiler/errors.ts';

export const CM_CC = 'arm-none-eabi-gcc';
export const CM_QEMU = 'qemu-system-arm';
export const CM_PACKAGES_HINT = 'install the toolchain and the emulator: apt-get install --no-install-recommends gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm';
/** Board support (startup, linker script) shared with the firmware example. */
export const CM_BOARD_DIR = fileURLToPath(new URL('../../examples/firmware/cortex-m/', import.meta.url));
export const CM_CPU_FLAGS: readonly string[] = ['-mcpu=cortex-m4', '-mthumb', '-mfloat-abi=soft'];
/** Link flags: our startup and linker script, newlib with rdimon semihosting, unused sections dropped. */
export const CM_LDFLAGS: readonly string[] = [
  `${CM_BOARD_DIR}startup.c`, '-T', `${CM_BOARD_DIR}mps2-an386.ld`, '--specs=rdimon.specs', '-nostartfiles', '-Wl,--gc-sections',
];

/** qemu-system-arm argv for a bare-metal MPS2 AN386 image; argv reaches main through semihosting. */
export function cortexMRunArgv(exe: string, args: readonly string[], extra: readonly string[] = []): string[] {
  const probe = spawnSync(CM_QEMU, ['--version'], { encoding: 'utf8' });
  if (probe.error) throw new QccError('E_TOOLCHAIN', `'${CM_QEMU}' is not installed; it runs the Cortex-M images`, { hint: CM_PACKAGES_HINT });
  for (const a of [exe, ...args]) {
    if (/[ ,]/.test(a)) throw new QccError('E_TOOLCHAIN', `path '${a}' contains a space or comma, which the semihosting command line cannot carry`);
  }
  const semi = ['enable=on', 'target=native', ...[exe, ...args].map((a) => `arg=${a}`)].join(',');
  return [CM_QEMU, '-M', 'mps2-an386', '-nographic', '-monitor', 'none', '-serial', 'none', '-semihosting-config', semi, ...extra, '-kernel', exe];
}

