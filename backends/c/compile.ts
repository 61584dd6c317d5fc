import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { QccError } from '../../compiler/errors.ts';
import { DTYPES, allocData, type DType, type TensorData } from '../../compiler/ir/dtype.ts';
import { DEFAULT_MAX_ARENA_BYTES, formatBytes } from '../../compiler/limits.ts';
import { typeToString, type Graph, type Node, type TensorType, type Value } from '../../compiler/ir/graph.ts';
import { Tensor, shapeSize } from '../../compiler/ir/tensor.ts';
import { planMemory, type MemoryPlan, type PlannedBuffer } from '../../compiler/lower/memory-plan.ts';
import { schedule } from '../../compiler/lower/schedule.ts';
import { assertValidPlan } from '../../compiler/lower/validate-plan.ts';
import { getOpDef, hasOpDef } from '../../compiler/ops/registry.ts';
import { constInputsOf } from '../../compiler/ops/op-def.ts';
import { getTarget } from '../target.ts';
import { aliasPolicy } from './alias.ts';
import type { CEmitContext, CEmitter, InstanceArg } from './emitter.ts';
import { LITERAL_MACROS, arrayInitializer, cStringLit, floatLit, intLit } from './literals.ts';
import { NameTable, cComment, cIdent } from './names.ts';

export interface CompileOptions {
  /** Target name (see backends/target.ts). */
  target: string;
  /** Model prefix for files and symbols; sanitised with cIdent (the result is CompiledModel.name). */
  name: string;
  /** Replaces the target's kernel table (tests and experiments). */
  emitters?: ReadonlyMap<string, CEmitter>;
  /** Folders searched for runtime files, in order (default: the repository's runtime-c/). */
  runtimeDirs?: readonly string[];
  /** Largest arena accepted, in bytes (E_LIMIT above it; `--max-arena`). Default 2 GiB - 1. */
  maxArenaBytes?: number;
  /**
   * Debug build (`qcc compare --target`): the output also declares `<name>_dump_fn`, `<name>_run_debug`
   * and `<name>_run_debug_v`, which run the same node code as `<name>_run` and call the hook with every
   * node output right after the node; the harness then takes a dump folder. Off: the output is unchanged.
   */
  debugDump?: boolean;
}

/** A node output the debug build dumps, in dump order (the harness's file index). */
export interface DumpedValue {
  index: number;
  name: string;
  type: TensorType;
  bytes: number;
}

export interface ModelIO {
  /** Name in the model. */
  name: string;
  /** Parameter name in the generated C. */
  cName: string;
  type: TensorType;
}

export interface CompiledModel {
  /** Sanitised model prefix: files are <name>.c, <name>.h, ...; symbols <name>_run, <NAME>_ARENA_BYTES. */
  name: string;
  target: string;
  /** Output folder content: file name -> text. */
  files: Map<string, string>;
  arenaBytes: number;
  inputs: ModelIO[];
  outputs: ModelIO[];
  plan: MemoryPlan;
  /** The `static const` arrays of the weights file, in order (for reports: flash use). */
  constants: EmittedConstant[];
  /** Number of `static const` scalars/parameter structs (constDecl), whose size is the C compiler's. */
  paramDecls: number;
  /** With `debugDump`: the values `<name>_run_debug` passes to the hook, in call order. */
  dumps?: DumpedValue[];
}

export interface EmittedConstant {
  /** C identifier. */
  id: string;
  /** What it holds (a value name or a kernel table hint). */
  hint: string;
  dtype: DType;
  /** Declared element count (at least 1) and bytes, exactly what `sizeof id` gives. */
  count: number;
  bytes: number;
  /** Name of the node whose code first needed it (null: none). */
  node: string | null;
}

/** Longest model prefix (leaves room for suffixes within 63 significant characters). */
const MAX_PREFIX = 24;
/** Anything larger than this (bytes) does not fit the `u` literals and size_t of 32-bit targets. */
const MAX_BYTES = 0x7fffffff;

export const DEFAULT_RUNTIME_DIR = fileURLToPath(new URL('../../runtime-c/', import.meta.url));
const TEMPLATE_DIR = fileURLToPath(new URL('./templates/', import.meta.url));

type Renderer = (data: object) => string;
let templates: Record<'header' | 'source' | 'weights' | 'main' | 'makefile', Renderer> | null = null;

function loadTemplates(): NonNullable<typeof templates> {
  if (templates) return templates;
  const hb = Handlebars.create();
  const load = (f: string): Renderer => {
    const t = hb.compile(readFileSync(join(TEMPLATE_DIR, f), 'utf8'), { noEscape: true, strict: true });
    return (data) => t(data);
  };
  templates = {
    header: load('model.h.hbs'),
    source: load('model.c.hbs'),
    weights: load('weights.h.hbs'),
    main: load('main.c.hbs'),
    makefile: load('Makefile.hbs'),
  };
  return templates;
}

/** The model prefix a --name becomes. */
export function modelPrefix(name: string): string {
  return cIdent(name, MAX_PREFIX);
}

function checkSize(bytes: number, what: string): void {
  if (bytes > MAX_BYTES) throw new QccError('E_LIMIT', `${what} needs ${bytes} bytes (limit ${MAX_BYTES})`);
}

/** Typed data of a constant array, range-checked when it comes from plain numbers. */
function toTyped(dtype: DType, values: Tensor | ArrayLike<number> | ArrayLike<bigint>, hint: string): TensorData {
  if (values instanceof Tensor && values.dtype === dtype) return values.data;
  const src: ArrayLike<number | bigint> = values instanceof Tensor ? (values.data as ArrayLike<number | bigint>) : values;
  const out = allocData(dtype, src.length);
  const info = DTYPES[dtype];
  for (let i = 0; i < src.length; i++) {
    const x = src[i]!;
    if (info.isBig) {
      (out as BigInt64Array | BigUint64Array)[i] = BigInt(x);
      if ((out as BigInt64Array | BigUint64Array)[i] !== BigInt(x)) throw new Error(`internal: constant '${hint}'[${i}] = ${x} out of range for ${dtype}`);
      continue;
    }
    const n = Number(x);
    if (!info.isFloat || dtype === 'f16') {
      if (!Number.isInteger(n) || n < (dtype === 'f16' ? 0 : info.min) || n > (dtype === 'f16' ? 0xffff : info.max)) {
        throw new Error(`internal: constant '${hint}'[${i}] = ${x} is not a ${dtype}`);
      }
    }
    (out as Exclude<TensorData, BigInt64Array | BigUint64Array>)[i] = n;
  }
  return out;
}

/** Runtime files the given roots hold: requested paths plus every `#include "qcc_*.h"`, transitively. */
function collectRuntime(requested: readonly string[], roots: readonly string[]): Map<string, string> {
  const found = new Map<string, string>();
  const locate = (rel: string): string => {
    for (const r of roots) {
      const p = join(r, rel);
      if (existsSync(p)) return p;
    }
    throw new Error(`internal: runtime file '${rel}' not found in ${roots.join(', ')}`);
  };
  const visit = (rel: string, from: string): void => {
    const norm = posix.normalize(rel);
    if (norm.startsWith('../') || norm === '..' || posix.isAbsolute(norm)) {
      throw new Error(`internal: runtime path '${rel}' (from ${from}) leaves runtime-c/`);
    }
    if (found.has(norm)) return;
    const text = readFileSync(locate(norm), 'utf8');
    found.set(norm, text);
    for (const m of text.matchAll(/^[ \t]*#[ \t]*include[ \t]+"(qcc_[^"]+\.h)"/gm)) {
      // C resolves quoted includes beside the including file first; runtime files mirror that layout.
      const beside = posix.join(posix.dirname(norm), m[1]!);
      let target = m[1]!;
      try {
        locate(beside);
        target = beside;
      } catch {
        /* fall back to the runtime root */
      }
      visit(target, norm);
    }
  };
  for (const r of requested) visit(r, 'emitter');
  return new Map([...found.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Indents every non-empty line. */
function indent(code: string, pad: string): string {
  return code
    .replace(/\s+$/, '')
    .split('\n')
    .map((l) => (l.trim() === '' ? '' : pad + l.replace(/\s+$/, '')))
    .join('\n');
}

/**
 * Compiles a typed graph to a C99 output folder (in memory). Checks kernels and constant operands, plans
 * and validates memory, runs every node's emitter in schedule order and renders the templates.
 */
export function compileModel(graph: Graph, opts: CompileOptions): CompiledModel {
  const target = getTarget(opts.target);
  const emitters = opts.emitters ?? target.emitters;
  const runtimeDirs = opts.runtimeDirs ?? [DEFAULT_RUNTIME_DIR];
  const prefix = modelPrefix(opts.name);
  const MACRO = prefix.toUpperCase();

  // 1. Every node needs a kernel: report all missing ones at once.
  const missing = graph.nodes.filter((n) => !emitters.has(n.op));
  if (missing.length > 0) {
    const kinds = [...new Set(missing.map((n) => n.op))].sort();
    throw new QccError(
      'E_UNSUPPORTED',
      `no C kernel on target '${target.name}' for ${missing.length} node(s): ` + missing.map((n) => `'${n.name}' (${n.op})`).join(', '),
      { hint: `op kinds without a kernel: ${kinds.join(', ')}` },
    );
  }
  // 2. Operands the kernels bake in must be constants.
  for (const n of graph.nodes) {
    if (!hasOpDef(n.op)) continue;
    for (const i of constInputsOf(getOpDef(n.op), n)) {
      const v = n.inputs[i];
      if (v && !v.const) {
        throw new QccError('E_NOT_CONSTANT', `input ${i} ('${v.name}') must be a compile-time constant for code generation`, {
          node: { name: n.name, op: n.op },
          hint: 'the C kernel bakes this operand in; fold it to a constant before compiling',
        });
      }
    }
  }
  for (const v of [...graph.inputs, ...graph.outputs]) checkSize(shapeSize(v.type.shape) * DTYPES[v.type.dtype].bytes, `tensor '${v.name}'`);

  // 3. Schedule and memory plan, proven before use.
  const sched = schedule(graph);
  const emitterOf = (n: Node): CEmitter => emitters.get(n.op)!;
  const alias = aliasPolicy(emitters);
  const plan = planMemory(graph, sched, { align: target.align, scratchBytes: (n) => emitterOf(n).scratchBytes?.(n) ?? 0, alias });
  assertValidPlan(plan, graph, sched, alias);
  const maxArena = opts.maxArenaBytes ?? DEFAULT_MAX_ARENA_BYTES;
  if (plan.arenaBytes > maxArena) {
    throw new QccError('E_LIMIT', `the model needs an arena of ${formatBytes(plan.arenaBytes)}, over the limit of ${formatBytes(maxArena)}`, {
      hint: opts.maxArenaBytes !== undefined ? 'raise --max-arena, or use a smaller model or input shape' : 'use a smaller model or input shape',
    });
  }
  checkSize(plan.arenaBytes + plan.align, 'the arena');

  // 4. Names. Parameters never start with the model prefix, so they cannot shadow file-scope symbols.
  const params = new NameTable({ forbiddenPrefixes: [prefix + '_', MACRO + '_'] });
  const consts = new NameTable({ reserved: ['run', 'run_v', 'weights'] });
  const io = (v: Value, key: string): ModelIO => ({ name: v.name, cName: params.get(key, v.name), type: v.type });
  const inputs = graph.inputs.map((v, i) => io(v, `in:${i}`));
  const outputs = graph.outputs.map((v, i) => io(v, `out:${i}`));

  const inputParam = new Map<Value, string>();
  graph.inputs.forEach((v, i) => {
    if (!inputParam.has(v)) inputParam.set(v, inputs[i]!.cName);
  });
  // The first output slot of a computed value is its home: the producer writes it directly.
  const outputHome = new Map<Value, string>();
  graph.outputs.forEach((v, i) => {
    if (!v.const && !inputParam.has(v) && !outputHome.has(v)) outputHome.set(v, outputs[i]!.cName);
  });
  const bufferOf = new Map<number, PlannedBuffer>();
  const scratchOf = new Map<number, PlannedBuffer>();
  for (const b of plan.buffers) (b.kind === 'value' ? bufferOf : scratchOf).set(b.ownerId, b);
  const valueById = new Map<number, Value>();
  for (const n of graph.nodes) for (const v of [...n.inputs, ...n.outputs]) if (v) valueById.set(v.id, v);
  for (const v of [...graph.inputs, ...graph.outputs]) valueById.set(v.id, v);
  // Views of graph inputs/outputs read the parameter itself (consumers only read them).
  const externalView = new Map(plan.externalViews.map((e) => [e.key, valueById.get(e.of)!]));
  // Nodes whose output is a view of their input run no code.
  const isViewNode = (n: Node): boolean =>
    n.outputs.length === 1 && (externalView.has(n.outputs[0]!.id) || bufferOf.get(n.outputs[0]!.id)?.view?.how === 'view');

  // 5. Emit.
  const decls: string[] = [];
  const instances: string[] = [];
  const constants: EmittedConstant[] = [];
  let paramDecls = 0;
  const constIds = new Map<Value, string>();
  let current: Node | null = null;
  const arenaPtr = (b: PlannedBuffer): string => (b.offset === 0 ? 'qcc_arena' : `(qcc_arena + ${b.offset}u)`);
  const constArray = (hint: string, dtype: DType, values: Tensor | ArrayLike<number> | ArrayLike<bigint>): string => {
    const data = toTyped(dtype, values, hint);
    const bytes = data.length * DTYPES[dtype].bytes;
    checkSize(bytes, `constant '${hint}'`);
    const id = `${prefix}_${consts.fresh(hint)}`;
    const body = data.length === 0 ? '  0' : arrayInitializer(dtype, data as ArrayLike<number> | ArrayLike<bigint>);
    const count = Math.max(1, data.length);
    constants.push({ id, hint, dtype, count, bytes: count * DTYPES[dtype].bytes, node: current?.name ?? null });
    decls.push(
      `/* ${cComment(hint)}: ${dtype}, ${data.length} element(s) */\n` +
        `static const ${DTYPES[dtype].cType} ${id}[${Math.max(1, data.length)}] QCC_ALIGNED16 = {\n${body}\n};`,
    );
    return id;
  };
  const ctx: CEmitContext = {
    prefix,
    ref(v: Value): string {
      if (v.const) {
        let id = constIds.get(v);
        if (id === undefined) {
          id = constArray(v.name, v.type.dtype, v.const);
          constIds.set(v, id);
        }
        return id;
      }
      const p = inputParam.get(v) ?? outputHome.get(v);
      if (p !== undefined) return p;
      const ext = externalView.get(v.id);
      if (ext) return `((${DTYPES[v.type.dtype].cType} *)${ctx.ref(ext)})`;
      const b = bufferOf.get(v.id);
      if (!b) throw new Error(`internal: value '${v.name}' has no storage`);
      return `((${DTYPES[v.type.dtype].cType} *)${arenaPtr(b)})`;
    },
    scratch(): string {
      const b = current && scratchOf.get(current.id);
      if (!b) throw new Error(`internal: node '${current?.name}' asked for scratch it did not declare`);
      return arenaPtr(b);
    },
    constArray,
    constDecl(hint: string, cType: string, initializer: string): string {
      const id = `${prefix}_${consts.fresh(hint)}`;
      paramDecls++;
      decls.push(`static const ${cType} ${id} = ${initializer};`);
      return id;
    },
    floatLit,
    intLit,
    comment: (s: string) => cComment(s),
    instance(fn: string, args: readonly InstanceArg[]): string {
      const id = `${prefix}_${consts.fresh(`${fn.replace(/^qcc_/, '')}_${current ? cIdent(current.name) : 'node'}`)}`;
      const params: string[] = [];
      const inner: string[] = [];
      const outer: string[] = [];
      for (const a of args) {
        if (typeof a === 'string') {
          inner.push(a);
          continue;
        }
        const [type, expr] = 'in' in a ? ['const void *', a.in] : 'out' in a ? ['void *', a.out] : ['uint8_t *', a.scratch];
        const name = `a${params.length}`;
        params.push(`${type}${name}`);
        inner.push(name);
        outer.push(expr);
      }
      instances.push(
        `/* ${cComment(fn)} for node '${cComment(current?.name ?? '?')}' */\n` +
          `QCC_INSTANCE void ${id}(${params.join(', ') || 'void'})\n{\n  ${fn}(${inner.join(', ')});\n}`,
      );
      return `${id}(${outer.join(', ')});`;
    },
  };

  const requested: string[] = [];
  // Debug build: every node output, read through the same expression the kernels use, right after the node.
  const dumps: DumpedValue[] = [];
  const dumpCalls = (n: Node): { call: string }[] =>
    !opts.debugDump
      ? []
      : n.outputs.map((v) => {
          const bytes = shapeSize(v.type.shape) * DTYPES[v.type.dtype].bytes;
          dumps.push({ index: dumps.length, name: v.name, type: v.type, bytes });
          return { call: `qcc_dbg_fn(qcc_dbg_user, ${cStringLit(v.name)}, ${DTYPES[v.type.dtype].onnx}, (const void *)${ctx.ref(v)}, ${bytes}u);` };
        });
  const steps = sched.steps.map((n) => {
    if (isViewNode(n)) {
      const what = `view: '${cComment(n.outputs[0]!.name)}' is the bytes of '${cComment(n.inputs[0]!.name)}' (no code)`;
      return { nameComment: cComment(n.name), opComment: cComment(n.op), code: `    /* ${what} */`, dumps: dumpCalls(n) };
    }
    current = n;
    const e = emitterOf(n);
    for (const r of e.runtime(n)) if (!requested.includes(r)) requested.push(r);
    const code = e.emit(n, ctx);
    current = null;
    return { nameComment: cComment(n.name), opComment: cComment(n.op), code: indent(code, '    '), dumps: dumpCalls(n) };
  });

  // Outputs not written by a producer: copies at the end (constants, graph inputs, repeated outputs).
  const copies: { dst: string; src: string; bytes: number }[] = [];
  graph.outputs.forEach((v, i) => {
    const dst = outputs[i]!.cName;
    if (outputHome.get(v) === dst) return;
    const bytes = shapeSize(v.type.shape) * DTYPES[v.type.dtype].bytes;
    if (bytes > 0) copies.push({ dst, src: ctx.ref(v), bytes });
  });

  const runtime = collectRuntime(requested, runtimeDirs);
  // The CPU feature test (if the target has one) guards models that use the kernels needing the feature.
  const cpuCheck = target.cpuCheck && runtime.has(target.cpuCheck.runtime) ? target.cpuCheck : null;
  const runtimeIncludes = [...requested].sort();

  // 6. Render.
  const ioView = (m: ModelIO, index: number, argBase: number) => {
    const count = shapeSize(m.type.shape);
    return {
      index,
      cName: m.cName,
      renamed: m.cName !== m.name,
      nameComment: cComment(m.name),
      typeText: typeToString(m.type),
      dtype: m.type.dtype,
      cType: DTYPES[m.type.dtype].cType,
      count,
      bytes: count * DTYPES[m.type.dtype].bytes,
      storageCount: Math.max(1, count),
      argIndex: argBase + index,
    };
  };
  const ins = inputs.map((m, i) => ioView(m, i, 1));
  const outs = outputs.map((m, i) => ioView(m, i, 1 + inputs.length));
  const runParams = [
    ...ins.map((m) => `const ${m.cType} *${m.cName}`),
    ...outs.map((m) => `${m.cType} *${m.cName}`),
    'void *arena',
  ].join(', ');
  const runVArgs = [
    ...ins.map((m) => `(const ${m.cType} *)inputs[${m.index}]`),
    ...outs.map((m) => `(${m.cType} *)outputs[${m.index}]`),
    'arena',
  ].join(', ');
  // Every parameter is referenced by the NULL checks or marked unused, so -Wunused-parameter stays quiet.
  const nullChecks = [...ins, ...outs].filter((m) => m.bytes > 0).map((m) => m.cName);
  const unusedParams = [...ins, ...outs].filter((m) => m.bytes === 0).map((m) => m.cName);

  const data = {
    prefix,
    MACRO,
    target: cComment(target.name),
    modelComment: cComment(graph.name),
    arenaBytes: plan.arenaBytes,
    align: plan.align,
    inputs: ins,
    outputs: outs,
    runParams,
    runVArgs,
    debug: opts.debugDump === true,
    numDumps: dumps.length,
    nullChecks,
    unusedParams,
    steps,
    copies,
    cpuCheck: cpuCheck ? { expr: cpuCheck.expr, feature: cComment(cpuCheck.feature) } : null,
    runtime: runtimeIncludes,
    decls,
    instances,
    forceKernelInline: target.forceKernelInline ?? true,
    literalMacros: LITERAL_MACROS,
    inputSlots: Math.max(1, ins.length),
    outputSlots: Math.max(1, outs.length),
    argCount: 1 + ins.length + outs.length + (opts.debugDump ? 1 : 0),
    dumpArg: 1 + ins.length + outs.length,
    cc: target.toolchain.cc,
    cflags: target.toolchain.cflags.join(' '),
    ldflags: target.toolchain.ldflags.join(' '),
    headers: [`${prefix}.h`, `${prefix}_weights.h`, ...runtime.keys()].join(' '),
  };
  const t = loadTemplates();
  const files = new Map<string, string>();
  files.set(`${prefix}.h`, t.header(data));
  files.set(`${prefix}.c`, t.source(data));
  files.set(`${prefix}_weights.h`, t.weights(data));
  for (const [rel, text] of runtime) {
    if (files.has(rel)) throw new Error(`internal: runtime file '${rel}' clashes with a generated file`);
    files.set(rel, text);
  }
  files.set(`${prefix}_main.c`, t.main(data));
  files.set('Makefile', t.makefile(data));
  return { name: prefix, target: target.name, files, arenaBytes: plan.arenaBytes, inputs, outputs, plan, constants, paramDecls, ...(opts.debugDump ? { dumps } : {}) };
}

/** Directory of this module (for tools that want to locate templates). */
export const BACKEND_C_DIR = dirname(fileURLToPath(import.meta.url));
