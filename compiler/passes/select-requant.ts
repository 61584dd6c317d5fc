/**
 * select-requant: stamps the requantization scheme (`--requant fp32|fixed`, default the target's) on every
 * node that requantizes an int32 accumulator, as its `requant` attribute. The interpreter and the C
 * emitters both read that attribute, so they always run the same scheme.
 *
 * Honouring nodes: qlinear_conv, qlinear_matmul. Nodes that requantize an accumulator with a float scale
 * but implement only ONNX Runtime's fp32 way (qgemm) make `fixed` fail with E_UNSUPPORTED, naming them.
 * The contrib elementwise ops (qlinear_add/mul, pools, sigmoid, softmax, concat, ...) are not accumulator
 * requantizations: they keep ONNX Runtime's float32 formulas under either scheme (exact on soft-float too).
 */
import { QccError } from '../errors.ts';
import type { Graph } from '../ir/graph.ts';
import { isRequantScheme, REQUANT_SCHEMES, type RequantScheme } from '../numerics/requant.ts';
import type { Pass } from './pass.ts';

/** Kinds whose interpreter and C kernels implement every scheme. */
export const REQUANT_KINDS: ReadonlySet<string> = new Set(['qlinear_conv', 'qlinear_matmul']);
/** Kinds that requantize an accumulator but only the fp32 way. */
const FP32_ONLY_KINDS: ReadonlySet<string> = new Set(['qgemm']);

/** Sets `requant` on every honouring node; returns whether anything changed. */
export function applyRequantScheme(graph: Graph, scheme: RequantScheme): boolean {
  if (scheme === 'fixed') {
    const bad = graph.nodes.filter((n) => FP32_ONLY_KINDS.has(n.op));
    if (bad.length > 0) {
      throw new QccError('E_UNSUPPORTED', `the fixed requantization scheme is not implemented for ${bad.map((n) => `'${n.name}' (${n.op})`).join(', ')}`, {
        hint: 'use --requant fp32 (soft-float on integer-only cores)',
      });
    }
  }
  let changed = false;
  for (const n of graph.nodes) {
    if (!REQUANT_KINDS.has(n.op) || n.attrs['requant'] === scheme) continue;
    n.attrs['requant'] = scheme;
    changed = true;
  }
  return changed;
}

/** The pass form, for pipelines. */
export function selectRequant(scheme: RequantScheme): Pass {
  return { name: 'select-requant', run: (graph) => applyRequantScheme(graph, scheme) };
}

/** Parses `--requant`; undefined means the target's default. */
export function parseRequantOption(value: string | undefined, targetDefault: RequantScheme): RequantScheme {
  if (value === undefined) return targetDefault;
  if (!isRequantScheme(value)) {
    throw new QccError('E_USAGE', `unknown requantization scheme '${value}'`, { hint: `known schemes: ${REQUANT_SCHEMES.join(', ')}` });
  }
  return value;
}
