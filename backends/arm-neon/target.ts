/**
 * The AArch64 targets: `arm-neon` (baseline Advanced SIMD, any Armv8-A), `arm-neon-dotprod` (Armv8.2
 * SDOT) and `arm-neon-i8mm` (dotprod plus Armv8.6 I8MM SMMLA for the dense GEMMs). Built with the Debian cross compiler as static executables and run under qemu-user, so
 * `qcc run/verify --target arm-neon` work on an x86 host. The kernel tables start from the generic one and
 * override QLinearConv / QLinearMatMul (backends/arm-neon/ops.ts) QLinearAdd / QLinearMul
 * (backends/arm-neon/qlinear-binary.ts), u8/i8 MaxPool and QLinearGlobalAveragePool (backends/arm-neon/pool.ts), QuantizeLinear f32 -> u8/i8 and
 * DequantizeLinear u8/i8 -> f32 (backends/arm-neon/quant.ts).
 *
 * The definitions are made by a function, called by backends/target.ts after its own bindings exist:
 * this module and target.ts import each other (registration lives in target.ts).
 */
import { spawnSync } from 'node:child_process';
import { QccError } from '../../compiler/errors.ts';
import { GENERIC_EMITTERS } from '../c/ops/index.ts';
import { DOTPROD_GEMM, I8MM_GEMM, NEON_GEMM, armEmitters } from './ops.ts';
import { POOL_NEON } from './pool.ts';
import { QLINEAR_BINARY_NEON } from './qlinear-binary.ts';
import { QUANT_NEON } from './quant.ts';
import { STRICT_CFLAGS, withOverrides, type Target, type Toolchain } from '../target.ts';

export const ARM_CC = 'aarch64-linux-gnu-gcc';
export const ARM_QEMU = 'qemu-aarch64';
/** -march of arm-neon-i8mm: dotprod (its implicit conv and depthwise kernels) plus I8MM. */
export const ARM_I8MM_MARCH = 'armv8.2-a+dotprod+i8mm';
/** Debian packages that provide the two tools (CI installs them, see .ci/run). */
export const ARM_PACKAGES_HINT = 'install the cross compiler and the emulator: apt-get install gcc-aarch64-linux-gnu qemu-user';

/** The qemu CPU model used by `run` (QCC_QEMU_CPU overrides it, e.g. cortex-a53 to test without dotprod). */
export function armQemuCpu(): string {
  return process.env['QCC_QEMU_CPU'] || 'max';
}

/** argv that runs an aarch64 executable under qemu-user; E_TOOLCHAIN naming the packages if qemu is missing. */
export function armRunArgv(exe: string, args: readonly string[], cpu = armQemuCpu()): string[] {
  const probe = spawnSync(ARM_QEMU, ['--version'], { encoding: 'utf8' });
  if (probe.error) {
    throw new QccError('E_TOOLCHAIN', `'${ARM_QEMU}' is not installed; it runs the aarch64 code of the arm targets`, { hint: ARM_PACKAGES_HINT });
  }
  return [ARM_QEMU, '-cpu', cpu, exe, ...args];
}

function armToolchain(march: string): Toolchain {
  return {
    cc: ARM_CC,
    cflags: [...STRICT_CFLAGS, `-march=${march}`],
    ldflags: ['-static'],
    run: (exe, args) => armRunArgv(exe, args),
    missingHint: ARM_PACKAGES_HINT,
  };
}

export function armNeonTargets(): Target[] {
  return [
    {
      name: 'arm-neon',
      description: 'AArch64 Advanced SIMD (Armv8-A baseline), aarch64-linux-gnu-gcc + qemu-aarch64',
      emitters: withOverrides(GENERIC_EMITTERS, [...armEmitters(NEON_GEMM, GENERIC_EMITTERS), ...QLINEAR_BINARY_NEON, ...POOL_NEON, ...QUANT_NEON]),
      align: 16,
      requant: 'fp32',
      toolchain: armToolchain('armv8-a'),
    },
    {
      name: 'arm-neon-dotprod',
      description: 'AArch64 Armv8.2 dotprod (SDOT), aarch64-linux-gnu-gcc + qemu-aarch64',
      emitters: withOverrides(GENERIC_EMITTERS, [...armEmitters(DOTPROD_GEMM, GENERIC_EMITTERS), ...QLINEAR_BINARY_NEON, ...POOL_NEON, ...QUANT_NEON]),
      align: 16,
      requant: 'fp32',
      toolchain: armToolchain('armv8.2-a+dotprod'),
      cpuCheck: { runtime: DOTPROD_GEMM.header, expr: 'qcc_arm_has_dotprod()', feature: 'Armv8.2 dotprod (SDOT, HWCAP_ASIMDDP)' },
    },
    {
      name: 'arm-neon-i8mm',
      description: 'AArch64 dotprod + Armv8.6 I8MM (SMMLA), aarch64-linux-gnu-gcc + qemu-aarch64',
      emitters: withOverrides(GENERIC_EMITTERS, [...armEmitters(I8MM_GEMM, GENERIC_EMITTERS), ...QLINEAR_BINARY_NEON, ...POOL_NEON, ...QUANT_NEON]),
      align: 16,
      requant: 'fp32',
      toolchain: armToolchain(ARM_I8MM_MARCH),
      cpuCheck: { runtime: I8MM_GEMM.header, expr: 'qcc_arm_has_i8mm()', feature: 'Armv8.2 dotprod and Armv8.6 I8MM (SDOT, SMMLA; HWCAP_ASIMDDP, HWCAP2_I8MM)' },
    },
  ];
}
