/**
 * qlinear_add, qlinear_mul (com.microsoft QLinearAdd / QLinearMul): 8-bit elementwise with numpy
 * broadcasting. Inputs a, a_scale, a_zp?, b, b_scale, b_zp?, c_scale, c_zp? (per tensor; u8 or i8).
 *
 * Exact semantics of onnxruntime-web: its MLAS build has neither SSE2 nor NEON, so MlasQLinearAdd/Mul run
 * the portable kernels (qladd.cpp MlasQLinearAddKernelRawHelper, qlmul.cpp's pure C++ MlasQLinearMulKernel),
 * every step in float32 without FMA:
 *   va = a_scale * float(a - a_zp)          vb = b_scale * float(b - b_zp)
 *   v  = (va + vb) / c_scale   (add)        v  = (va * vb) / c_scale   (mul)
 *   v  = std::min(std::max(v, qmin - c_zp), qmax - c_zp)
 *   y  = (T)(int32_t)nearbyintf(v + float(c_zp))
 * ORT swaps the operands when A is the broadcast scalar; + and * commute in IEEE arithmetic, so that does
 * not change a bit. runtime-c/qcc_qlinear_binary.h does the same float operations in the same order.
 */
import type { Node, TensorType } from '../ir/graph.ts';
import { broadcastShapes } from '../ir/broadcast.ts';
import { Tensor, shapeSize } from '../ir/tensor.ts';
import { roundHalfEvenF32 } from '../numerics/round.ts';
import { inType, opError } from './op-def.ts';
import { defineOp } from './registry.ts';
import { broadcastIndex } from './elementwise-util.ts';
import { checkScale, checkZp, f32ToI32Sat, q8Input, qRange8, scaleOf, stdClamp, wrap8, zpOf } from './contrib-util.ts';

export type QBinaryKind = 'qlinear_add' | 'qlinear_mul';

/** The scalar parameters of a qlinear_add/mul node, as the kernels take them. */
export interface QBinaryParams {
  as: number;
  az: number;
  bs: number;
  bz: number;
  cs: number;
  cz: number;
}

export function qbinaryParams(inputs: readonly (Tensor | null)[]): QBinaryParams {
  const [, as, az, , bs, bz, cs, cz] = inputs;
  return { as: scaleOf(as), az: zpOf(az), bs: scaleOf(bs), bz: zpOf(bz), cs: scaleOf(cs), cz: zpOf(cz) };
}

/** One output element (the interpreter's and the C kernel's formula). */
export function qbinaryElement(kind: QBinaryKind, a: number, b: number, p: QBinaryParams, lo: number, hi: number): number {
  const f = Math.fround;
  const va = f(p.as * ((a - p.az) | 0));
  const vb = f(p.bs * ((b - p.bz) | 0));
  let v = f((kind === 'qlinear_add' ? f(va + vb) : f(va * vb)) / p.cs);
  v = stdClamp(v, lo, hi);
  return f32ToI32Sat(roundHalfEvenF32(f(v + p.cz)));
}

export function qbinaryOutShape(node: Node): number[] {
  const a = inType(node, 0);
  const b = inType(node, 3);
  const s = broadcastShapes(a.shape, b.shape);
  if (!s) throw opError(node, `operands of shapes [${a.shape.join(',')}] and [${b.shape.join(',')}] cannot be broadcast together`);
  return s;
}

for (const kind of ['qlinear_add', 'qlinear_mul'] as const) {
  defineOp({
    kind,
    constInputs: [1, 2, 4, 5, 6, 7],
    infer(node): TensorType[] {
      const a = q8Input(node, 0, 'A');
      const b = q8Input(node, 3, 'B');
      if (b.dtype !== a.dtype) throw opError(node, `A is ${a.dtype} but B is ${b.dtype}; both must have one type`);
      checkScale(node, 1, 'A_scale');
      checkScale(node, 4, 'B_scale');
      checkScale(node, 6, 'C_scale');
      checkZp(node, 2, 'A_zero_point', a.dtype);
      checkZp(node, 5, 'B_zero_point', a.dtype);
      checkZp(node, 7, 'C_zero_point', a.dtype);
      return [{ dtype: a.dtype, shape: qbinaryOutShape(node) }];
    },
    interpret(node, inputs) {
      const [a, , , b] = inputs;
      const shape = qbinaryOutShape(node);
      const dt = a!.dtype;
      const p = qbinaryParams(inputs);
      const { qmin, qmax } = qRange8(dt);
      const lo = qmin - p.cz;
      const hi = qmax - p.cz;
      const y = new Tensor(dt, shape);
      const ia = broadcastIndex(a!.shape, shape);
      const ib = broadcastIndex(b!.shape, shape);
      const ad = a!.data as Uint8Array | Int8Array;
      const bd = b!.data as Uint8Array | Int8Array;
      const yd = y.data as Uint8Array | Int8Array;
      const n = shapeSize(shape);
      for (let i = 0; i < n; i++) {
        const r = qbinaryElement(kind, ad[ia ? ia[i]! : i]!, bd[ib ? ib[i]! : i]!, p, lo, hi);
        yd[i] = wrap8(r, dt);
      }
      return [y];
    },
    macs: (node) => shapeSize(qbinaryOutShape(node)),
  });
}
