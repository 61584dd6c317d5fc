/**
 * Test-only ops and importers for the frontend tests (domain 'test.qcc', kinds 'qcc_test_*'), so the
 * loader can be tested without the real op families. Import it from test files only.
 */
import type { TensorType } from '../../ir/graph.ts';
import { Tensor } from '../../ir/tensor.ts';
import { inType, opError } from '../../ops/op-def.ts';
import { defineOp } from '../../ops/registry.ts';
import { importer, type ImportContext } from './importer.ts';

const same = (a: TensorType, b: TensorType) => a.dtype === b.dtype && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);

function addTensors(a: Tensor, b: Tensor): Tensor {
  const out = new Tensor(a.dtype, a.shape);
  const o = out.data as unknown as (number | bigint)[];
  const x = a.data as unknown as (number | bigint)[];
  const y = b.data as unknown as (number | bigint)[];
  for (let i = 0; i < out.size; i++) o[i] = (x[i] as number) + (y[i] as number);
  return out;
}

/** Elementwise add of two same-typed tensors (foldable). */
defineOp({
  kind: 'qcc_test_add',
  infer(node) {
    const a = inType(node, 0);
    const b = inType(node, 1);
    if (!same(a, b)) throw opError(node, 'operands differ');
    return [a];
  },
  interpret(_node, [a, b]) {
    return [addTensors(a!, b!)];
  },
});

/** Identity that constant folding must leave alone. */
defineOp({
  kind: 'qcc_test_runtime',
  foldable: false,
  infer: (node) => [inType(node, 0)],
  interpret: (_node, [x]) => [new Tensor(x!.dtype, x!.shape, x!.data.slice())],
});

/** Two outputs: the input and the input doubled. */
defineOp({
  kind: 'qcc_test_pair',
  infer: (node) => [inType(node, 0), inType(node, 0)],
  interpret: (_node, [x]) => [new Tensor(x!.dtype, x!.shape, x!.data.slice()), addTensors(x!, x!)],
});

export let probeHook: ((ctx: ImportContext) => void) | undefined;
/** Sets what the 'Probe' importer does (tests of ImportContext). */
export function setProbe(fn: ((ctx: ImportContext) => void) | undefined): void {
  probeHook = fn;
}

export const TEST_DOMAIN = 'test.qcc';

importer(TEST_DOMAIN, 'Add', 1, (ctx) => {
  ctx.rejectAttrsExcept([]);
  ctx.emit('qcc_test_add', [ctx.requireInput(0), ctx.requireInput(1)]);
});
importer(TEST_DOMAIN, 'Rt', 1, (ctx) => {
  ctx.emit('qcc_test_runtime', [ctx.requireInput(0)]);
});
importer(TEST_DOMAIN, 'Pair', 1, (ctx) => {
  ctx.emit('qcc_test_pair', [ctx.requireInput(0)]);
});
importer(TEST_DOMAIN, 'Ident', 1, (ctx) => {
  ctx.bind(0, ctx.requireInput(0));
});
/** A two-node lowering: a runtime temp, then an add of the temp and the input. */
importer(TEST_DOMAIN, 'Two', 1, (ctx) => {
  const x = ctx.requireInput(0);
  const [t] = ctx.emitTemp('qcc_test_runtime', [x]);
  ctx.emit('qcc_test_add', [t!, x]);
});
importer(TEST_DOMAIN, 'Probe', 1, (ctx) => {
  if (!probeHook) throw new Error('test: no probe hook set');
  probeHook(ctx);
});
// Same op in another opset range, to check that the model's opset picks the importer.
importer(TEST_DOMAIN, 'Versioned', 1, (ctx) => {
  ctx.emit('qcc_test_runtime', [ctx.requireInput(0)]);
});
importer(TEST_DOMAIN, 'Versioned', 5, (ctx) => {
  ctx.emit('qcc_test_add', [ctx.requireInput(0), ctx.requireInput(0)]);
});
importer('com.microsoft', 'QccTestMsOp', 1, (ctx) => {
  ctx.emit('qcc_test_runtime', [ctx.requireInput(0)]);
});
importer('', 'QccTestAdd', 1, (ctx) => {
  ctx.emit('qcc_test_add', [ctx.requireInput(0), ctx.requireInput(1)]);
});
