import { QccError } from '../compiler/errors.ts';
import type { CEmitter } from './c/emitter.ts';
import { armNeonTargets } from './arm-neon/target.ts';
import { cortexMTargets } from './cortex-m/target.ts';
import { GENERIC_EMITTERS } from './c/ops/index.ts';
import { makeX86Avx2Target } from './x86-avx2/target.ts';
import { makeX86Avx512VnniTarget } from './x86-avx512vnni/target.ts';

/** How to build and run generated C for a target. */
export interface Toolchain {
  /** C compiler command (a name on PATH or a path). */
  readonly cc: string;
  readonly cflags: readonly string[];
  readonly ldflags: readonly string[];
  /**
   * argv that runs a built executable, e.g. `['qemu-aarch64', exe, ...args]` for a cross target.
   * Absent: the executable runs directly on the host.
   */
  readonly run?: (exe: string, args: string[]) => string[];
  /** Hint printed with E_TOOLCHAIN when the compiler (or the run wrapper's emulator) is not installed. */
  readonly missingHint?: string;
}

/**
 * A run-time CPU feature test the generated `<prefix>_run` performs before computing anything, when the
 * model uses the runtime file `runtime` (e.g. dotprod kernels): `expr` is a C expression, nonzero when the
 * CPU has the feature; otherwise `_run` returns `<PREFIX>_ERR_CPU` instead of faulting on an illegal
 * instruction.
 */
export interface CpuCheck {
  readonly runtime: string;
  readonly expr: string;
  /** What is missing, for the header comment and the harness message (e.g. 'Armv8.2 dotprod'). */
  readonly feature: string;
}

/**
 * A code generation target. A SIMD target's emitter table starts from the generic one and overrides only
 * the kinds its ISA speeds up (see `withOverrides`); the driver (compile.ts) is the same for all targets.
 */
export interface Target {
  readonly name: string;
  readonly description: string;
  /** Internal op kind -> C emitter. */
  readonly emitters: ReadonlyMap<string, CEmitter>;
  /** Byte alignment of the arena and of every buffer in it (a power of two). */
  readonly align: number;
  /** Requantization scheme the target's kernels implement (see DESIGN.md). */
  readonly requant: 'fp32' | 'fixed';
  readonly toolchain: Toolchain;
  readonly cpuCheck?: CpuCheck;
  /**
   * false: the kernels called through kernel instances (CEmitContext.instance) are plain `static inline` in
   * this target's models, not always-inline, so the C compiler decides (default true). Measured per target:
   * x86-avx512vnni's 24-accumulator tiles spilled in some models when the drivers were forced inline.
   */
  readonly forceKernelInline?: boolean;
}

/** Flags every target's generated C is held to (warnings are errors; never contract a*b+c). */
export const STRICT_CFLAGS: readonly string[] = ['-std=c99', '-O2', '-Wall', '-Wextra', '-Werror', '-ffp-contract=off'];

/** A kernel table that starts from `base` and replaces (or adds) the kinds in `overrides`. */
export function withOverrides(base: ReadonlyMap<string, CEmitter>, overrides: readonly CEmitter[]): ReadonlyMap<string, CEmitter> {
  const m = new Map(base);
  for (const e of overrides) m.set(e.kind, e);
  return m;
}

const TARGETS = new Map<string, Target>();

/** Registers a target (once per name). Later targets (x86-avx2, arm-neon, cortex-m) register here too. */
export function registerTarget(t: Target): Target {
  if (TARGETS.has(t.name)) throw new Error(`internal: target '${t.name}' registered twice`);
  if (!Number.isInteger(t.align) || t.align < 1 || (t.align & (t.align - 1)) !== 0) {
    throw new Error(`internal: target '${t.name}' alignment ${t.align} is not a power of two`);
  }
  TARGETS.set(t.name, t);
  return t;
}

export function targetNames(): string[] {
  return [...TARGETS.keys()].sort();
}

/** The named target, or E_USAGE listing the known ones. */
export function getTarget(name: string): Target {
  const t = TARGETS.get(name);
  if (!t) {
    throw new QccError('E_USAGE', `unknown target '${name}'`, { hint: `known targets: ${targetNames().join(', ')}` });
  }
  return t;
}

registerTarget({
  name: 'c',
  description: 'portable C99, generic kernels, host gcc',
  emitters: GENERIC_EMITTERS,
  align: 16,
  requant: 'fp32',
  toolchain: { cc: 'gcc', cflags: STRICT_CFLAGS, ldflags: [] },
});

// SIMD targets define themselves in their own folders; registered here, after everything above exists.
for (const t of armNeonTargets()) registerTarget(t);

registerTarget(makeX86Avx2Target());
registerTarget(makeX86Avx512VnniTarget());
for (const t of cortexMTargets()) registerTarget(t);
