/**
 * ONNX node-test cases qcc does not support yet, each with the reason and a pattern the failure must
 * match (so a case listed for "int4" that starts failing for another reason is noticed). The runner
 * reports a listed case that passes as a failure: remove it from this table when it starts passing.
 */
export interface UnsupportedCase {
  /** Why we do not support it (shown in the report). */
  readonly reason: string;
  /** The failure message must match this, or the case counts as failing for an unlisted reason. */
  readonly error: RegExp;
}

const FLOAT8 = 'float8 types (FLOAT8E4M3FN/E5M2) are not a qcc dtype';
const FLOAT4 = 'float4 (FLOAT4E2M1) is not a qcc dtype';
const INT4 = '4-bit integer types (INT4/UINT4) are not a qcc dtype';
const INT2 = '2-bit integer types (INT2/UINT2) are not a qcc dtype';
const BLOCKED = 'blocked quantization (block_size attribute) is not supported';

const dtypeError = (name: string) => new RegExp(`${name}`, 'i');

export const UNSUPPORTED: Readonly<Record<string, UnsupportedCase>> = {
  test_dequantizelinear_e4m3fn: { reason: FLOAT8, error: dtypeError('FLOAT8E4M3FN') },
  test_dequantizelinear_e4m3fn_float16: { reason: FLOAT8, error: dtypeError('FLOAT8E4M3FN') },
  test_dequantizelinear_e4m3fn_zero_point: { reason: FLOAT8, error: dtypeError('FLOAT8E4M3FN') },
  test_dequantizelinear_e5m2: { reason: FLOAT8, error: dtypeError('FLOAT8E5M2') },
  test_quantizelinear_e4m3fn: { reason: FLOAT8, error: dtypeError('FLOAT8E4M3FN') },
  test_quantizelinear_e5m2: { reason: FLOAT8, error: dtypeError('FLOAT8E5M2') },
  test_dequantizelinear_float4e2m1: { reason: FLOAT4, error: dtypeError('FLOAT4E2M1') },
  test_quantizelinear_float4e2m1: { reason: FLOAT4, error: dtypeError('FLOAT4E2M1') },
  test_dequantizelinear_int4: { reason: INT4, error: dtypeError('INT4') },
  test_dequantizelinear_uint4: { reason: INT4, error: dtypeError('UINT4') },
  test_quantizelinear_int4: { reason: INT4, error: dtypeError('INT4') },
  test_quantizelinear_uint4: { reason: INT4, error: dtypeError('UINT4') },
  test_dequantizelinear_int2: { reason: INT2, error: dtypeError('INT2') },
  test_dequantizelinear_uint2: { reason: INT2, error: dtypeError('UINT2') },
  test_quantizelinear_int2: { reason: INT2, error: dtypeError('INT2') },
  test_quantizelinear_uint2: { reason: INT2, error: dtypeError('UINT2') },
  test_dequantizelinear_blocked: { reason: BLOCKED, error: /block/i },
  test_quantizelinear_blocked_asymmetric: { reason: BLOCKED, error: /block/i },
  test_quantizelinear_blocked_symmetric: { reason: BLOCKED, error: /block/i },
  test_identity_opt: { reason: 'optional types (Optional(Tensor)) are not supported', error: /optional/i },
  test_identity_sequence: { reason: 'sequence types are not supported', error: /sequence/i },
  test_maxpool_with_argmax_2d_precomputed_pads: { reason: "MaxPool's Indices output is not supported", error: /Indices output/i },
  test_maxpool_with_argmax_2d_precomputed_strides: { reason: "MaxPool's Indices output is not supported", error: /Indices output/i },
};
