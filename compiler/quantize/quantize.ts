/**
 * `qcc quantize`: float ONNX model + calibration set -> quantized ONNX model (QDQ or QOperator).
 * Steps: fold Conv+BatchNormalization, run the float model in the interpreter over the calibration set
 * collecting statistics, pick each tensor's range with the chosen method, plan (which nodes are integer,
 * which Relu/Clip fold into a range), write the format.
 */
import { encodeModelProto } from '../frontend/onnx/writer.ts';
import { loadOnnxBytes } from '../frontend/onnx/load.ts';
import { decodeModelProto, type ModelProto } from '../frontend/onnx/proto.ts';
import type { Graph } from '../ir/graph.ts';
import type { Sample } from './calibration-data.ts';
import { collectStats } from './collect.ts';
import { emitQdq } from './emit-qdq.ts';
import { emitQOperator } from './emit-qoperator.ts';
import { foldBatchNorms } from './fold-batchnorm.ts';
import { cloneModel } from './onnx-graph.ts';
import { buildPlan, type Plan, type QuantizeConfig } from './plan.ts';
import type { Progress } from './progress.ts';
import { needsHistograms } from './ranges.ts';
import type { TensorStats } from './range-types.ts';

export type QuantFormat = 'qdq' | 'qoperator';

export interface QuantizeOptions extends QuantizeConfig {
  format: QuantFormat;
}

/** The float model after BN folding, with its IR graph and calibration statistics. */
export interface Calibrated {
  model: ModelProto;
  graph: Graph;
  stats: Map<string, TensorStats>;
  foldedBatchNorms: string[];
}

export function prepareFloat(bytes: Uint8Array, name = 'model'): { model: ModelProto; graph: Graph; folded: string[] } {
  const model = decodeModelProto(bytes, name);
  const folded = foldBatchNorms(model);
  const graph = loadOnnxBytes(encodeModelProto(model), { name });
  return { model, graph, folded };
}

export function calibrate(f: { model: ModelProto; graph: Graph; folded: string[] }, samples: readonly Sample[], histograms: boolean,
  progress?: (label: string, total: number) => Progress): Calibrated {
  const stats = collectStats(f.graph, samples, { histograms, ...(progress ? { progress } : {}) });
  return { model: f.model, graph: f.graph, stats, foldedBatchNorms: f.folded };
}

export interface QuantizeResult {
  model: ModelProto;
  bytes: Uint8Array;
  plan: Plan;
}

/** Quantizes a calibrated float model (the calibration is reusable across configurations). */
export function quantizeCalibrated(c: Calibrated, opts: QuantizeOptions): QuantizeResult {
  if (needsHistograms(opts.method) && ![...c.stats.values()].some((s) => s.abs)) {
    throw new Error(`internal: method ${opts.method} needs histograms; calibrate with histograms`);
  }
  const plan = buildPlan(c.model, c.stats, opts);
  const model = opts.format === 'qdq' ? emitQdq(c.model, plan, opts) : emitQOperator(cloneModel(c.model), plan, opts);
  return { model, bytes: encodeModelProto(model), plan };
}

/** One-shot: float model bytes and calibration samples (read with readCalibrationSet on prepareFloat's graph). */
export function quantizeModel(bytes: Uint8Array, samples: (graph: Graph) => readonly Sample[], opts: QuantizeOptions): QuantizeResult & { calibrated: Calibrated } {
  const f = prepareFloat(bytes);
  const calibrated = calibrate(f, samples(f.graph), needsHistograms(opts.method));
  return { ...quantizeCalibrated(calibrated, opts), calibrated };
}
