/**
 * Conv -> BatchNormalization folding, before calibration: the BN's affine map goes into the Conv's
 * weights and bias, W'[m] = W[m] * g[m], B'[m] = (B[m] - mean[m]) * g[m] + beta[m] with
 * g = gamma / sqrt(var + epsilon) (in double, stored as float32), so the quantized Conv quantizes the
 * weights it really applies.
 */
import { Tensor } from '../ir/tensor.ts';
import { attrFloat, consumers, graphOf, readInitializer, removeUnusedInitializers, setInitializer, type ProtoNode } from './onnx-graph.ts';
import type { ModelProto } from '../frontend/onnx/proto.ts';

/** Folds every BatchNormalization that follows a Conv with constant weights; returns the names of the folded BNs. */
export function foldBatchNorms(m: ModelProto): string[] {
  const g = graphOf(m);
  const folded: string[] = [];
  const outputs = new Set((g.output ?? []).map((o) => o.name ?? ''));
  for (const bn of [...g.node]) {
    if (bn.opType !== 'BatchNormalization' || (bn.output ?? []).filter((o) => o).length !== 1) continue;
    const x = bn.input![0]!;
    const conv = g.node.find((n) => n.opType === 'Conv' && n.output![0] === x);
    if (!conv || outputs.has(x) || (consumers(m).get(x) ?? []).length !== 1) continue;
    const w = readInitializer(m, conv.input![1]!);
    const params = [1, 2, 3, 4].map((i) => readInitializer(m, bn.input![i]!));
    if (!w || params.some((p) => !p) || w.dtype !== 'f32') continue;
    const [gamma, beta, mean, variance] = params.map((p) => p!.data as Float32Array) as [Float32Array, Float32Array, Float32Array, Float32Array];
    const eps = attrFloat(bn, 'epsilon', 1e-5);
    const M = w.shape[0]!;
    const inner = w.size / M;
    const b0 = conv.input![2] ? readInitializer(m, conv.input![2]!) : null;
    const wd = w.data as Float32Array;
    const nw = new Float32Array(wd.length);
    const nb = new Float32Array(M);
    for (let c = 0; c < M; c++) {
      const s = gamma[c]! / Math.sqrt(variance[c]! + Math.fround(eps));
      for (let k = 0; k < inner; k++) nw[c * inner + k] = wd[c * inner + k]! * s;
      const b = b0 ? (b0.data as Float32Array)[c]! : 0;
      nb[c] = (b - mean[c]!) * s + beta[c]!;
    }
    const wName = uniqueInit(m, `${conv.input![1]}_bnfolded`);
    const bName = uniqueInit(m, `${conv.name || 'conv'}_bias_bnfolded`);
    setInitializer(m, wName, new Tensor('f32', w.shape, nw));
    setInitializer(m, bName, new Tensor('f32', [M], nb));
    conv.input = [conv.input![0]!, wName, bName];
    conv.output = [bn.output!.find((o) => o)!];
    g.node = g.node.filter((n: ProtoNode) => n !== bn);
    folded.push(bn.name || bn.output![0]!);
  }
  if (folded.length > 0) removeUnusedInitializers(m);
  return folded;
}

function uniqueInit(m: ModelProto, base: string): string {
  const names = new Set(graphOf(m).initializer.map((t) => t.name));
  let n = base;
  for (let k = 1; names.has(n); k++) n = `${base}_${k}`;
  return n;
}
