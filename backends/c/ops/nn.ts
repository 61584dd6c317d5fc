/**
 * C emitters of the float nn family. The kernels live in runtime-c (qcc_conv_f32.h, qcc_gemm_f32.h,
 * qcc_pool.h, all on qcc_window.h); the emitters compute the geometry with the same functions the
 * interpreter uses (compiler/ops/nn-*.ts) and pass it as a static const params struct.
 */
import { shapeSize } from '../../../compiler/ir/tensor.ts';
import { convGeom } from '../../../compiler/ops/nn-conv.ts';
import { gemmGeom, matmulGeom } from '../../../compiler/ops/nn-matmul.ts';
import { poolGeom } from '../../../compiler/ops/nn-pool.ts';
import { tripleC } from '../../../compiler/ops/nn-window.ts';
import type { CEmitter } from '../emitter.ts';
import { checkSize, header } from './emit-util.ts';

const CONV = ['qcc_window.h', 'qcc_conv_f32.h'];
const GEMM = ['qcc_gemm_f32.h'];
const POOL = ['qcc_window.h', 'qcc_pool.h'];

const conv: CEmitter = {
  kind: 'conv',
  runtime: () => CONV,
  emit(node, ctx) {
    checkSize(node);
    const g = convGeom(node);
    const p = ctx.constDecl(
      'conv_params',
      'qcc_conv_f32_params',
      `{${g.n}, ${g.cIn}, ${g.cOut}, ${g.group}, ${[g.inSp, g.outSp, g.kernel, g.strides, g.dilations, g.padBegin].map(tripleC).join(', ')}}`,
    );
    const [x, w, b] = node.inputs;
    return `${header(node, ctx)}\nqcc_conv_f32(&${p}, ${ctx.ref(x!)}, ${ctx.ref(w!)}, ${b ? ctx.ref(b) : 'NULL'}, ${ctx.ref(node.outputs[0]!)});`;
  },
};

const matmul: CEmitter = {
  kind: 'matmul',
  runtime: () => GEMM,
  emit(node, ctx) {
    checkSize(node);
    const g = matmulGeom(node);
    const p = ctx.constDecl('matmul_params', 'qcc_matmul_f32_params', `{${g.aOff.length}, ${g.m}, ${g.k}, ${g.n}}`);
    const aOff = ctx.constArray('matmul_a_off', 'i32', g.aOff);
    const bOff = ctx.constArray('matmul_b_off', 'i32', g.bOff);
    const [a, b] = node.inputs;
    return `${header(node, ctx)}\nqcc_matmul_f32(&${p}, ${aOff}, ${bOff}, ${ctx.ref(a!)}, ${ctx.ref(b!)}, ${ctx.ref(node.outputs[0]!)});`;
  },
};

const gemm: CEmitter = {
  kind: 'gemm',
  runtime: () => GEMM,
  emit(node, ctx) {
    checkSize(node);
    const g = gemmGeom(node);
    const p = ctx.constDecl(
      'gemm_params',
      'qcc_gemm_f32_params',
      `{${g.m}, ${g.k}, ${g.n}, ${g.transA ? 1 : 0}, ${g.transB ? 1 : 0}, ${ctx.floatLit(g.alpha)}, ${ctx.floatLit(g.beta)}, ${g.cStrideM}, ${g.cStrideN}}`,
    );
    const [a, b, c] = node.inputs;
    return `${header(node, ctx)}\nqcc_gemm_f32(&${p}, ${ctx.ref(a!)}, ${ctx.ref(b!)}, ${c ? ctx.ref(c) : 'NULL'}, ${ctx.ref(node.outputs[0]!)});`;
  },
};

function poolEmitter(kind: 'max_pool' | 'average_pool'): CEmitter {
  return {
    kind,
    runtime: () => POOL,
    emit(node, ctx) {
      checkSize(node);
      const g = poolGeom(node);
      const p = ctx.constDecl(
        `${kind}_params`,
        'qcc_pool_params',
        `{${g.n}, ${g.c}, ${[g.inSp, g.outSp, g.kernel, g.strides, g.dilations, g.padBegin, g.padEnd].map(tripleC).join(', ')}, ${g.countIncludePad ? 1 : 0}}`,
      );
      const x = node.inputs[0]!;
      const fn = kind === 'average_pool' ? 'qcc_average_pool_f32' : `qcc_max_pool_${x.type.dtype}`;
      return `${header(node, ctx)}\n${fn}(&${p}, ${ctx.ref(x)}, ${ctx.ref(node.outputs[0]!)});`;
    },
  };
}

function globalPoolEmitter(kind: 'global_average_pool' | 'global_max_pool'): CEmitter {
  return {
    kind,
    runtime: () => POOL,
    emit(node, ctx) {
      checkSize(node);
      const x = node.inputs[0]!;
      const s = x.type.shape;
      const fn = kind === 'global_average_pool' ? 'qcc_global_average_pool_f32' : 'qcc_global_max_pool_f32';
      return `${header(node, ctx)}\n${fn}(${s[0]! * s[1]!}, ${shapeSize(s.slice(2))}, ${ctx.ref(x)}, ${ctx.ref(node.outputs[0]!)});`;
    },
  };
}

export const emitters: CEmitter[] = [
  conv,
  matmul,
  gemm,
  poolEmitter('max_pool'),
  poolEmitter('average_pool'),
  globalPoolEmitter('global_average_pool'),
  globalPoolEmitter('global_max_pool'),
];
