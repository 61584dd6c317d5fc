/**
 * The Cortex-M targets, for microcontrollers: `cortex-m` (plain C, generic kernels) and `cortex-m4` (the DSP
 * extension's SMLAD dual 16-bit MAC for QLinearConv / QLinearMatMul, backends/cortex-m/ops.ts). Both default
 * to the integer-only `fixed` requantization scheme (TFLite's multiplier and shift; `--requant fp32` also
 * works, in soft-float). Built with arm-none-eabi-gcc for a Cortex-M4 without FPU (-mfloat-abi=soft) as a
 * bare-metal image for Arm's MPS2 AN386 board (examples/firmware/cortex-m/: startup, linker script, newlib
 * rdimon semihosting for stdio and host files), and run under qemu-system-arm, so `qcc run/verify
 * --target cortex-m` work on a PC: the harness reads inputs and writes outputs through semihosting.
 *
 * Defined by a function that backends/target.ts calls after its own bindings exist (the modules import
 * each other; registration lives in target.ts).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { QccError } from '../../compiler/errors.ts';
import { GENERIC_EMITTERS } from '../c/ops/index.ts';
import { STRICT_CFLAGS, withOverrides, type Target, type Toolchain } from '../target.ts';
import { smladEmitters } from './ops.ts';

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

function cortexMToolchain(): Toolchain {
  return {
    cc: CM_CC,
    cflags: [...STRICT_CFLAGS, ...CM_CPU_FLAGS, '-ffunction-sections', '-fdata-sections'],
    ldflags: CM_LDFLAGS,
    run: (exe, args) => cortexMRunArgv(exe, args),
    missingHint: CM_PACKAGES_HINT,
  };
}

export function cortexMTargets(): Target[] {
  return [
    {
      name: 'cortex-m',
      description: 'Cortex-M (Armv7-M), plain C, fixed requantization; arm-none-eabi-gcc + qemu-system-arm (mps2-an386)',
      emitters: GENERIC_EMITTERS,
      align: 8,
      requant: 'fixed',
      toolchain: cortexMToolchain(),
    },
    {
      name: 'cortex-m4',
      description: 'Cortex-M4 DSP extension (SMLAD dual 16-bit MAC), fixed requantization; arm-none-eabi-gcc + qemu-system-arm',
      emitters: withOverrides(GENERIC_EMITTERS, smladEmitters(GENERIC_EMITTERS)),
      align: 8,
      requant: 'fixed',
      toolchain: cortexMToolchain(),
    },
  ];
}
