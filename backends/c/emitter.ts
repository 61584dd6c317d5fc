import type { DType } from '../../compiler/ir/dtype.ts';
import type { Node, Value } from '../../compiler/ir/graph.ts';
import type { NodeAlias } from '../../compiler/lower/memory-plan.ts';
import type { Tensor } from '../../compiler/ir/tensor.ts';

/**
 * How one internal op kind becomes C. Kernel bodies live in runtime-c/ (header-only, `static inline`,
 * named qcc_<op>_<dtype>[_<isa>]) so two models can link into one program; an emitter only writes the
 * call and the compile-time constants the kernel needs.
 */
export interface CEmitter {
  readonly kind: string;
  /** runtime-c files (paths relative to runtime-c/) the emitted code needs; copied into the output. */
  runtime(node: Node): string[];
  /** Scratch bytes in the arena this node needs while it runs (default 0). */
  scratchBytes?(node: Node): number;
  /**
   * In-place execution this kernel allows (see compiler/lower/memory-plan.ts). Absent: the generic
   * emitters use the table in backends/c/alias.ts, any other emitter allows none.
   */
  alias?(node: Node): NodeAlias | null;
  /**
   * C statements that execute the node (may span lines; no trailing newline needed). The driver wraps
   * them in their own block. Locals they declare must start with `qcc_`: run-function parameters are
   * named after the model's values and never do, so no local can shadow one.
   */
  emit(node: Node, ctx: CEmitContext): string;
}

export interface CEmitContext {
  /** Model prefix (sanitised), e.g. 'lenet'. */
  readonly prefix: string;
  /**
   * C expression for the value's buffer, of type `<ctype> *` (`const <ctype> *` for constants and
   * graph inputs). Constants are emitted as static const arrays on first use.
   */
  ref(v: Value): string;
  /** `uint8_t *` expression for this node's scratch area (only when scratchBytes > 0), 16-byte aligned. */
  scratch(): string;
  /** Adds a `static const` array to the weights file; returns its identifier (unique, sanitised). */
  constArray(hint: string, dtype: DType, values: Tensor | ArrayLike<number> | ArrayLike<bigint>): string;
  /** Adds `static const <cType> <id> = <initializer>;` (e.g. a params struct); returns the identifier. */
  constDecl(hint: string, cType: string, initializer: string): string;
  /** Exact, deterministic C literal of a float32 value (hex float with f suffix; INFINITY/NAN as needed). */
  floatLit(x: number): string;
  /** C literal of an integer of the given dtype (suffixes for 32/64-bit). */
  intLit(x: number | bigint, dtype: DType): string;
  /** A model string made safe to place inside a C block comment. */
  comment(s: string): string;
  /**
   * A call of the runtime kernel `fn` through an instance of its own for this node: a `static` function in the
   * model file (not inlined into the run function, QCC_INSTANCE) whose body calls `fn` with the node's constant
   * arguments written in. Kernels that are `QCC_KERNEL_INLINE` (always inlined) then compile once per node with
   * its parameter struct, weights and sizes known, so the C compiler folds loop bounds, strides and flags
   * (3-30% fewer instructions measured on small-plane convs; a per-layer specialisation, as in code-generating
   * compilers). `args` in the kernel's order: constant expressions (identifiers of static const data,
   * `&params`, literals) as strings, run-time pointers as `{ in }` (const void *), `{ out }` (void *) or
   * `{ scratch }` (uint8_t *). Returns the call statement.
   */
  instance(fn: string, args: readonly InstanceArg[]): string;
}

/** An argument of CEmitContext.instance: a constant C expression, or a run-time pointer of the node. */
export type InstanceArg = string | { in: string } | { out: string } | { scratch: string };

/** The plain call `fn(args);` of CEmitContext.instance's arguments (test contexts that need no instances). */
export function directCall(fn: string, args: readonly InstanceArg[]): string {
  return `${fn}(${args.map((a) => (typeof a === 'string' ? a : 'in' in a ? a.in : 'out' in a ? a.out : a.scratch)).join(', ')});`;
}

/**
 * f computed once per node (a WeakMap; graph nodes do not change once a backend sees them): a node's plan is
 * asked for by runtime(), scratchBytes() and emit(), and planning may be costly (weight packing decisions).
 */
export function memoPerNode<T>(f: (node: Node) => T): (node: Node) => T {
  const cache = new WeakMap<Node, { v: T }>();
  return (node) => {
    let e = cache.get(node);
    if (!e) {
      e = { v: f(node) };
      cache.set(node, e);
    }
    return e.v;
  };
}
