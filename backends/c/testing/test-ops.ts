/**
 * Test-only op kinds and C emitters for driver tests (the real op families live in compiler/ops and
 * backends/c/ops). Kinds start with 'test_' so they never clash with real ones. Importing this module
 * registers them (once per test process).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CEmitter } from '../emitter.ts';
import { DTYPES, type DType } from '../../../compiler/ir/dtype.ts';
import { Graph, type Node, type Value } from '../../../compiler/ir/graph.ts';
import { Tensor, shapeSize, type Shape } from '../../../compiler/ir/tensor.ts';
import { attrFloat } from '../../../compiler/ops/op-def.ts';
import { defineOp } from '../../../compiler/ops/registry.ts';
import { DEFAULT_RUNTIME_DIR } from '../compile.ts';
import { xorshift32 } from '../../../test/util/prng.ts';

const f = Math.fround;
const count = (n: Node, i = 0): number => shapeSize(n.outputs[i]!.type.shape);

// y = a * k + b (float32 steps), k an attribute. Kernel in a runtime file that includes another one.
defineOp({
  kind: 'test_scale_add',
  infer: (n) => [n.inputs[0]!.type],
  interpret: (n, [a, b]) => {
    const k = attrFloat(n, 'k');
    const out = new Float32Array(a!.size);
    for (let i = 0; i < out.length; i++) out[i] = f(f(a!.num(i) * k) + b!.num(i));
    return [new Tensor('f32', a!.shape, out)];
  },
});
// y = x * c elementwise, c must be a compile-time constant of the same shape.
defineOp({
  kind: 'test_mul_const',
  constInputs: [1],
  infer: (n) => [n.inputs[0]!.type],
  interpret: (_n, [x, c]) => {
    const out = new Float32Array(x!.size);
    for (let i = 0; i < out.length; i++) out[i] = f(x!.num(i) * c!.num(i));
    return [new Tensor('f32', x!.shape, out)];
  },
});
// u8 = low byte of i32; second output i64 = -(x) widened.
defineOp({
  kind: 'test_split_i32',
  infer: (n) => [
    { dtype: 'u8', shape: n.inputs[0]!.type.shape },
    { dtype: 'i64', shape: n.inputs[0]!.type.shape },
  ],
  interpret: (_n, [x]) => {
    const lo = new Uint8Array(x!.size);
    const neg = new BigInt64Array(x!.size);
    for (let i = 0; i < lo.length; i++) {
      lo[i] = x!.num(i) & 255;
      neg[i] = -BigInt(x!.num(i));
    }
    return [new Tensor('u8', x!.shape, lo), new Tensor('i64', x!.shape, neg)];
  },
});
// Reverses the elements (any dtype) through scratch memory.
defineOp({
  kind: 'test_reverse',
  infer: (n) => [n.inputs[0]!.type],
  interpret: (_n, [x]) => {
    const t = new Tensor(x!.dtype, x!.shape);
    const src = x!.data as unknown as unknown[];
    const dst = t.data as unknown as unknown[];
    for (let i = 0; i < t.size; i++) dst[i] = src[t.size - 1 - i];
    return [t];
  },
});
// Adds a constant baked into the code through constArray (not through ref) and a float literal.
defineOp({
  kind: 'test_add_table',
  infer: (n) => [n.inputs[0]!.type],
  interpret: (n, [x]) => {
    const out = new Float32Array(x!.size);
    const table = n.attrs['table'] as Tensor;
    const bias = attrFloat(n, 'bias');
    for (let i = 0; i < out.length; i++) out[i] = f(f(x!.num(i) + table.num(i % table.size)) + bias);
    return [new Tensor('f32', x!.shape, out)];
  },
});

/** A runtime folder with the test kernels (one header including another, like the real runtime). */
export function makeTestRuntime(): string {
  const dir = mkdtempSync(join(tmpdir(), 'qcc-test-rt-'));
  writeFileSync(
    join(dir, 'qcc_test_common.h'),
    `#ifndef QCC_TEST_COMMON_H\n#define QCC_TEST_COMMON_H\n#include <stddef.h>\n#include <stdint.h>\ntypedef struct { float k; uint32_t n; } qcc_test_params;\n#endif\n`,
  );
  writeFileSync(
    join(dir, 'qcc_test_scale_add.h'),
    `#ifndef QCC_TEST_SCALE_ADD_H\n#define QCC_TEST_SCALE_ADD_H\n#include "qcc_test_common.h"\n` +
      `static inline void qcc_test_scale_add_f32(const float *a, const float *b, float *y, const qcc_test_params *p)\n{\n` +
      `  uint32_t i;\n  for (i = 0; i < p->n; i++) {\n    float t = a[i] * p->k;\n    y[i] = t + b[i];\n  }\n}\n#endif\n`,
  );
  return dir;
}

/** Runtime search path for tests: the test kernels, then the real runtime-c/. */
export function testRuntimeDirs(dir: string): string[] {
  return [dir, DEFAULT_RUNTIME_DIR];
}

/** Locals of emitted code start with qcc_: parameters (model names) never do, so none is shadowed. */
const loop = (n: number, body: string): string => `{\n  uint32_t qcc_i;\n  for (qcc_i = 0; qcc_i < ${n}u; qcc_i++) {\n    ${body}\n  }\n}`;

export const TEST_EMITTERS: ReadonlyMap<string, CEmitter> = new Map<string, CEmitter>([
  [
    'test_scale_add',
    {
      kind: 'test_scale_add',
      runtime: () => ['qcc_test_scale_add.h'],
      emit: (n, ctx) => {
        const p = ctx.constDecl(`${n.name}_params`, 'qcc_test_params', `{ ${ctx.floatLit(attrFloat(n, 'k'))}, ${count(n)}u }`);
        // odd k: through a kernel instance (CEmitContext.instance), so the tests cover both kinds of call
        if (attrFloat(n, 'k') % 2 === 1) return ctx.instance('qcc_test_scale_add_f32', [{ in: ctx.ref(n.inputs[0]!) }, { in: ctx.ref(n.inputs[1]!) }, { out: ctx.ref(n.outputs[0]!) }, `&${p}`]);
        return `qcc_test_scale_add_f32(${ctx.ref(n.inputs[0]!)}, ${ctx.ref(n.inputs[1]!)}, ${ctx.ref(n.outputs[0]!)}, &${p});`;
      },
    },
  ],
  [
    'test_mul_const',
    {
      kind: 'test_mul_const',
      runtime: () => [],
      emit: (n, ctx) => {
        const [x, c, y] = [ctx.ref(n.inputs[0]!), ctx.ref(n.inputs[1]!), ctx.ref(n.outputs[0]!)];
        return `/* ${ctx.comment(n.name)} */\n` + loop(count(n), `${y}[qcc_i] = ${x}[qcc_i] * ${c}[qcc_i];`);
      },
    },
  ],
  [
    'test_split_i32',
    {
      kind: 'test_split_i32',
      runtime: () => [],
      emit: (n, ctx) => {
        const [x, lo, neg] = [ctx.ref(n.inputs[0]!), ctx.ref(n.outputs[0]!), ctx.ref(n.outputs[1]!)];
        return loop(count(n), `${lo}[qcc_i] = (uint8_t)((uint32_t)${x}[qcc_i] & 255u); ${neg}[qcc_i] = -(int64_t)${x}[qcc_i];`);
      },
    },
  ],
  [
    'test_reverse',
    {
      kind: 'test_reverse',
      runtime: () => [],
      scratchBytes: (n) => count(n) * DTYPES[n.outputs[0]!.type.dtype].bytes,
      emit: (n, ctx) => {
        const t = DTYPES[n.outputs[0]!.type.dtype].cType;
        const N = count(n);
        if (N === 0) return '/* empty */';
        return (
          `${t} *qcc_s = (${t} *)${ctx.scratch()};\n` +
          loop(N, `qcc_s[${N - 1}u - qcc_i] = ${ctx.ref(n.inputs[0]!)}[qcc_i];`) +
          '\n' +
          loop(N, `${ctx.ref(n.outputs[0]!)}[qcc_i] = qcc_s[qcc_i];`)
        );
      },
    },
  ],
  [
    'test_add_table',
    {
      kind: 'test_add_table',
      runtime: () => [],
      emit: (n, ctx) => {
        const table = n.attrs['table'] as Tensor;
        const id = ctx.constArray(`${n.name}_table`, 'f32', table);
        return loop(
          count(n),
          `float qcc_t = ${ctx.ref(n.inputs[0]!)}[qcc_i] + ${id}[qcc_i % ${table.size}u];\n    ${ctx.ref(n.outputs[0]!)}[qcc_i] = qcc_t + ${ctx.floatLit(attrFloat(n, 'bias'))};`,
        );
      },
    },
  ],
]);

/** Small helpers to build graphs by hand. */
export function input(g: Graph, name: string, dtype: DType, shape: Shape): Value {
  const v = g.addValue(name, { dtype, shape });
  g.inputs.push(v);
  return v;
}

export function node(g: Graph, op: string, name: string, inputs: (Value | null)[], outs: { name: string; dtype: DType; shape: Shape }[], attrs: Node['attrs'] = {}): Value[] {
  const values = outs.map((o) => g.addValue(o.name, { dtype: o.dtype, shape: o.shape }));
  g.addNode(op, name, inputs, values, attrs);
  return values;
}

/** Deterministic pseudo-random tensor (xorshift), including extreme values for integer dtypes. */
export function seeded(dtype: DType, shape: Shape, seed: number): Tensor {
  const next = xorshift32(seed);
  const n = shapeSize(shape);
  const t = new Tensor(dtype, shape);
  const info = DTYPES[dtype];
  for (let i = 0; i < n; i++) {
    const r = next();
    if (dtype === 'f32' || dtype === 'f64') (t.data as Float32Array)[i] = ((r % 20001) - 10000) / 137;
    else if (info.isBig) (t.data as BigInt64Array)[i] = BigInt((r % 2001) - 1000);
    else if (i === 0) (t.data as Int32Array)[i] = info.min;
    else if (i === 1) (t.data as Int32Array)[i] = info.max;
    else (t.data as Int32Array)[i] = info.min + (r % (info.max - info.min + 1));
  }
  return t;
}
