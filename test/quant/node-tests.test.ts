/**
 * The ONNX node tests of the quantized op family through the loader and the interpreter: outputs must
 * equal the expected .pb files exactly. Cases with types qcc does not have (int4/int2/uint4/uint2,
 * float8, float4) and blocked quantization must fail with a clear QccError instead.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isQccError } from '../../compiler/errors.ts';
import { loadOnnxModel } from '../../compiler/frontend/onnx/load.ts';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import { readInputsDir, readTensorFile } from '../../compiler/io/test-data.ts';
import { tensorsIdentical } from '../../compiler/ir/tensor.ts';
import { NODE_TESTS_DIR } from '../util/models.ts';

const FAMILY = /^test_(quantizelinear|dequantizelinear|dynamicquantizelinear|qlinearconv|qlinearmatmul|convinteger|matmulinteger)/;
/** Expected to be rejected: exotic types and blocked quantization. */
const UNSUPPORTED = /_(int4|uint4|int2|uint2|e4m3fn|e5m2|float4e2m1|blocked)/;

// The *_expanded variants are function bodies made of other ops (ReduceMin, Div, ...), not this family.
const cases = existsSync(NODE_TESTS_DIR) ? readdirSync(NODE_TESTS_DIR).filter((n) => FAMILY.test(n) && !n.endsWith('_expanded')).sort() : [];

describe('ONNX node tests (quantized family)', () => {
  it('found the cases', () => {
    expect(cases.length).toBeGreaterThan(30);
  });
  for (const name of cases) {
    const dir = join(NODE_TESTS_DIR, name);
    if (UNSUPPORTED.test(name)) {
      it(`${name} is rejected with a QccError`, () => {
        let err: unknown;
        try {
          const g = loadOnnxModel(join(dir, 'model.onnx'));
          interpret(g, readInputsDir(join(dir, 'test_data_set_0'), g));
        } catch (e) {
          err = e;
        }
        expect(isQccError(err), String(err)).toBe(true);
      });
      continue;
    }
    it(name, () => {
      const g = loadOnnxModel(join(dir, 'model.onnx'));
      const data = join(dir, 'test_data_set_0');
      const out = interpret(g, readInputsDir(data, g));
      g.outputs.forEach((v, k) => {
        const want = readTensorFile(join(data, `output_${k}.pb`)).tensor;
        const got = out.get(v.name)!;
        expect(tensorsIdentical(got, want), `${v.name}: got ${got.toNumbers().slice(0, 16)} want ${want.toNumbers().slice(0, 16)}`).toBe(true);
      });
    });
  }
});
