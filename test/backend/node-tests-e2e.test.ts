/**
 * Driver end to end on the ONNX node tests: load -> interpret -> compile (target 'c') -> gcc and clang ->
 * run -> outputs byte-identical to the interpreter. Cases whose ops have no importer or no C kernel yet
 * are skipped (listed in the test output); the test fails if too few cases ran.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isQccError } from '../../compiler/errors.ts';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import { tensorsIdentical } from '../../compiler/ir/tensor.ts';
import { compileModel } from '../../backends/c/compile.ts';
import { runCompiled } from '../../backends/run.ts';
import { NODE_TESTS_DIR } from '../util/models.ts';
import { freezeConstInputs, loadNodeTestCase } from '../util/node-tests.ts';

/** One or two cases per op family, with corners (int8/uint8, per-axis, padding, strides, broadcasting). */
const CASES = [
  'test_qlinearconv',
  'test_qlinearmatmul_2D_uint8_float32',
  'test_qlinearmatmul_3D_int8_float32',
  'test_quantizelinear',
  'test_quantizelinear_axis',
  'test_dequantizelinear',
  'test_dequantizelinear_axis',
  'test_dynamicquantizelinear',
  'test_convinteger_with_padding',
  'test_matmulinteger',
  'test_conv_with_strides_and_asymmetric_padding',
  'test_gemm_all_attributes',
  'test_maxpool_2d_uint8',
  'test_maxpool_2d_pads',
  'test_averagepool_2d_pads_count_include_pad',
  'test_globalaveragepool',
  'test_relu',
  'test_clip_default_int8_min',
  'test_leakyrelu',
  'test_sigmoid',
  'test_softmax_axis_1',
  'test_add_bcast',
  'test_add_uint8',
  'test_mul_int8',
  'test_div_int32_trunc',
  'test_reshape_negative_dim',
  'test_transpose_all_permutations_3',
  'test_concat_3d_axis_negative_2',
  'test_flatten_axis2',
  'test_constant_pad',
  'test_reflect_pad',
  'test_squeeze',
  'test_unsqueeze_two_axes',
  'test_identity',
];

describe('ONNX node tests through the C backend driver', () => {
  it('compile, build with gcc and clang, run: outputs equal the interpreter byte for byte', () => {
    const ran: string[] = [];
    const skipped: string[] = [];
    const failures: string[] = [];
    for (const c of CASES) {
      if (!existsSync(join(NODE_TESTS_DIR, c, 'model.onnx'))) {
        skipped.push(`${c}: missing`);
        continue;
      }
      let model;
      let feeds;
      let want;
      try {
        const loaded = loadNodeTestCase(c);
        const g = loaded.graph;
        feeds = loaded.feeds;
        want = interpret(g, feeds);
        freezeConstInputs(g, feeds);
        model = compileModel(g, { target: 'c', name: c });
      } catch (e) {
        if (isQccError(e) && ['E_UNSUPPORTED_OP', 'E_UNSUPPORTED', 'E_NOT_CONSTANT'].includes(e.code)) {
          skipped.push(`${c}: ${e.code}`);
          continue;
        }
        throw e;
      }
      for (const cc of ['gcc', 'clang']) {
        const got = runCompiled(model, feeds, { cc });
        for (const [name, t] of want) {
          if (!tensorsIdentical(got.get(name)!, t)) failures.push(`${c} (${cc}): output '${name}' differs`);
        }
      }
      ran.push(c);
    }
    console.log(`node tests through C: ran ${ran.length}, skipped ${skipped.length}${skipped.length ? ':\n  ' + skipped.join('\n  ') : ''}`);
    expect(failures).toEqual([]);
    expect(ran.length).toBeGreaterThanOrEqual(10);
  });
});
