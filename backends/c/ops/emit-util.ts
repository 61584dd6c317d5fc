/**
 * Small pieces shared by the generic C emitters of several op families: the comment line above each
 * kernel call, the int32-addressing guard, and the initializers of the qcc_bcast / qcc_reduce geometry
 * structs (runtime-c/qcc_elementwise.h) that the elementwise and float-extra families both fill.
 */
import { QccError } from '../../../compiler/errors.ts';
import type { Node } from '../../../compiler/ir/graph.ts';
import { shapeSize } from '../../../compiler/ir/tensor.ts';
import type { ReduceGeometry } from '../../../compiler/ops/elementwise-reduce.ts';
import { BCAST_MAX_RANK, type BroadcastGeometry } from '../../../compiler/ops/elementwise-util.ts';
import type { CEmitContext } from '../emitter.ts';

/** The `/* op name *\/` comment that opens every emitted kernel call. */
export function header(node: Node, ctx: CEmitContext): string {
  return `/* ${ctx.comment(node.op)} ${ctx.comment(node.name)} */`;
}

/** The kernels index with 32-bit counts and offsets: refuse tensors they could not address. */
export function checkSize(node: Node): void {
  for (const v of [...node.inputs, ...node.outputs]) {
    if (v && shapeSize(v.type.shape) > 0x7fffffff) {
      throw new QccError('E_LIMIT', `tensor '${v.name}' has more than 2^31-1 elements`, { node: { name: node.name, op: node.op } });
    }
  }
}

/** An unsigned C literal. */
export const u = (n: number): string => `${n}u`;

/** A `{d0, d1, ...}` initializer of BCAST_MAX_RANK unsigned entries, zero-padded. */
export const padRank = (xs: readonly number[]): string => `{${[...xs, ...new Array<number>(BCAST_MAX_RANK - xs.length).fill(0)].map(u).join(', ')}}`;

/** C initializer of a qcc_bcast. */
export function bcastInit(g: BroadcastGeometry): string {
  const strides = [0, 1, 2].map((k) => padRank(g.strides[k] ?? []));
  return `{${g.shape.length}, ${padRank(g.shape)}, {${strides.join(', ')}}}`;
}

/** C initializer of a qcc_reduce: the collapsed output and reduced walks, and the reduced element count. */
export function reduceInit(g: ReduceGeometry, count: number): string {
  return `{${g.outShape.length}, ${padRank(g.outShape)}, ${padRank(g.outStrides)}, ${g.redShape.length}, ${padRank(g.redShape)}, ${padRank(g.redStrides)}, ${u(count)}}`;
}
