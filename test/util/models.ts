/**
 * The real quantized models copied into test/data/models (see its SOURCE.md), for tests that want to
 * run "every real model". Paths are absolute so tests can run from any working directory.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const MODELS_DIR = join(REPO_ROOT, 'test/data/models');
export const NODE_TESTS_DIR = join(REPO_ROOT, 'test/data/onnx-node-tests');

export interface RealModel {
  /** Short unique id, `<source>/<name>`. */
  readonly id: string;
  /** Which project it comes from (the folder under test/data/models). */
  readonly source: 'migraphx' | 'onnxruntime' | 'onnx2c' | 'shark-testsuite';
  /** Absolute path of the .onnx file. */
  readonly path: string;
  /** Folders with input_*.pb / output_*.pb shipped with the model (onnx2c only). */
  readonly dataSets: readonly string[];
  /** What the model exercises (for test names and reports). */
  readonly what: string;
  /** Pins for symbolic input dimensions (loadOnnxModel's inputShapes), chosen odd where free. */
  readonly inputShapes?: Readonly<Record<string, number[]>>;
}

const m = (source: RealModel['source'], file: string, what: string, inputShapes?: Record<string, number[]>): RealModel => {
  const path = join(MODELS_DIR, source, file);
  const dir = dirname(path);
  const dataSets = file.endsWith('/model.onnx')
    ? readdirSync(dir).filter((d) => d.startsWith('test_data_set_')).sort().map((d) => join(dir, d))
    : [];
  const name = file.endsWith('/model.onnx') ? file.slice(0, -'/model.onnx'.length) : file.replace(/\.onnx$/, '');
  return { id: `${source}/${name}`, source, path, dataSets, what, ...(inputShapes ? { inputShapes } : {}) };
};

export const REAL_MODELS: readonly RealModel[] = [
  m('migraphx', 'convinteger_bias_test.onnx', 'ConvInteger with bias'),
  m('migraphx', 'matmulinteger_uns_zp_test.onnx', 'MatMulInteger with unsigned zero points'),
  m('migraphx', 'qlinearconv_pad_1_test.onnx', 'QLinearConv with padding 1'),
  m('migraphx', 'qlinearconv_test.onnx', 'QLinearConv'),
  m('migraphx', 'qlinearmatmul_2D_test.onnx', 'QLinearMatMul 2-D'),
  m('onnxruntime', 'conv_qdq_s8s8.onnx', 'QDQ Conv, int8 activations and weights', { input: [1, 3, 24, 24] }),
  m('onnxruntime', 'conv_qdq_s8s8_perchannel.onnx', 'QDQ Conv, per-channel int8 weights', { input: [1, 3, 24, 24] }),
  m('onnxruntime', 'conv_qdq_u8u8.onnx', 'QDQ Conv, uint8 activations and weights', { input: [1, 3, 24, 24] }),
  // M x K times K x N with per-column b scales and zero points (C = N).
  m('onnxruntime', 'dynamic_quantize_matmul_int8.onnx', 'DynamicQuantizeLinear -> MatMulInteger', {
    A: [3, 7], B: [7, 5], b_scale: [5], b_zero_point: [5],
  }),
  m('onnxruntime', 'matmul_integer_to_float_int8.onnx', 'MatMulInteger -> Cast -> Mul', {
    A: [3, 7], B: [7, 5], b_scale: [5], b_zero_point: [5],
  }),
  m('onnxruntime', 'qdq_convs.onnx', 'chain of three QDQ convs'),
  m('onnxruntime', 'qdq_with_multi_consumer_q_dq_axis.onnx', 'QDQ Conv/MaxPool net, per-axis weights, untyped value_info'),
  m('onnx2c', 'test_qlinearadd_int8/model.onnx', 'com.microsoft QLinearAdd int8'),
  m('onnx2c', 'test_qlinearmul_uint8/model.onnx', 'com.microsoft QLinearMul uint8'),
  m('shark-testsuite', 'QuantizedMLP.onnx', 'QDQ MLP: Gemm + Tanh, Constant weights, Cast, int32 bias'),
];

/** Every .onnx under test/data/models, to catch a model added to the folder but not to the list. */
export function modelFilesOnDisk(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.onnx')) out.push(p);
    }
  };
  if (existsSync(MODELS_DIR)) walk(MODELS_DIR);
  return out.sort();
}
