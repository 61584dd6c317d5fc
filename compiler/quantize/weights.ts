/** Quantized weights and int32 biases of a Conv / Gemm / MatMul, shared by both output formats. */
import type { ModelProto } from '../frontend/onnx/proto.ts';
import { Tensor } from '../ir/tensor.ts';
import { readInitializer } from './onnx-graph.ts';
import type { NodePlan, QuantizeConfig } from './plan.ts';
import { quantizeBias, quantizeWeight, type QuantParams, type QuantizedWeight } from './qparams.ts';

export interface NodeWeights {
  weight: QuantizedWeight;
  /** int32 bias and its scales (input scale x weight scale, per channel when the weight is). */
  bias: { q: Tensor; scales: number[] } | null;
}

export function nodeWeights(m: ModelProto, p: NodePlan, x: QuantParams, cfg: QuantizeConfig): NodeWeights {
  const n = p.node;
  const w = readInitializer(m, n.input![1]!)!;
  const weight = quantizeWeight(w, cfg.weights, p.weightAxis ?? null);
  const bName = n.input![2];
  const b = bName ? readInitializer(m, bName) : null;
  return { weight, bias: b ? quantizeBias(b, x.scale, weight.scales) : null };
}

/** A scale / zero point tensor: a scalar per tensor, a vector per channel. */
export function paramTensor(dtype: 'f32' | 'u8' | 'i8' | 'i32', values: readonly number[], perChannel: boolean): Tensor {
  return perChannel ? Tensor.fromNumbers(dtype, [values.length], values) : Tensor.fromNumbers(dtype, [], [values[0]!]);
}
