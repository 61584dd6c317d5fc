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
import { GENERIC_EMITTERS } from '../c/ops/index.ts';
import { STRICT_CFLAGS, withOverrides, type Target, type Toolchain } from '../target.ts';
import { smladEmitters } from './ops.ts';
import { CM_CC, CM_CPU_FLAGS, CM_LDFLAGS, CM_PACKAGES_HINT, cortexMRunArgv } from './toolchain.ts';

export { CM_BOARD_DIR, CM_CC, CM_CPU_FLAGS, CM_LDFLAGS, CM_PACKAGES_HINT, cortexMRunArgv } from './toolchain.ts';

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
