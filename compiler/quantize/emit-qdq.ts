/**
 * Writes the plan as a QDQ model: every quantized activation T is followed by QuantizeLinear ->
 * DequantizeLinear and read through the DequantizeLinear; weights and biases are integer initializers
 * behind a DequantizeLinear (per-channel along the output-channel axis). ONNX Runtime and qcc's
 * qdq-fusion pass turn each DQ -> op -> Q group into the integer kernel.
 */
import { onnx, type ModelProto, type NodeProto } from '../frontend/onnx/proto.ts';
import type { Tensor } from '../ir/tensor.ts';
import { cloneModel, graphOf, intAttr, makeNode, requireOpset } from './onnx-graph.ts';
import { NameSet, qName } from './names.ts';
import type { Plan, QuantizeConfig } from './plan.ts';
import { paramTensor, nodeWeights } from './weights.ts';
import { NewInits } from './new-inits.ts';

export function emitQdq(src: ModelProto, plan: Plan, cfg: QuantizeConfig): ModelProto {
  requireOpset(src, 13, 'per-axis DequantizeLinear (QDQ format)');
  const m = cloneModel(src);
  const g = graphOf(m);
  const outputs = new Set(g.output.map((o) => o.name ?? ''));
  const inits = new Set(g.initializer.map((t) => t.name ?? ''));
  const names = new NameSet([...inits, ...g.input.map((i) => i.name ?? ''), ...g.node.flatMap((n) => n.output ?? [])]);
  const nodes: NodeProto[] = [];
  const newInits = new NewInits(names, plan);
  const addInit = (base: string, t: Tensor): string => newInits.add(base, t);
  const raw = (t: string) => (outputs.has(t) ? `${t}_prequant` : t);
  const dq = (t: string) => (outputs.has(t) ? t : `${t}_dequantized`);
  const paramsFor = (t: string): [string, string] => newInits.paramsOf(t);
  const pair = (t: string) => {
    const [s, z] = paramsFor(t);
    nodes.push(makeNode('QuantizeLinear', [raw(t), s, z], [qName(t)], `${t}_QuantizeLinear`));
    nodes.push(makeNode('DequantizeLinear', [qName(t), s, z], [dq(t)], `${t}_DequantizeLinear`));
  };
  // Graph inputs and constants that are quantized activations: their pairs come first.
  for (const t of plan.params.keys()) if (inits.has(t) || g.input.some((i) => i.name === t)) pair(t);

  for (const p of plan.nodes) {
    if (p.role === 'removed') continue;
    const n = onnx.NodeProto.create({ ...p.node, input: [...(p.node.input ?? [])], output: [...(p.node.output ?? [])] });
    n.input = n.input.map((t, i) => {
      if (p.role === 'weight' && (i === 1 || i === 2)) return t;
      return t && plan.params.has(t) ? dq(t) : t;
    });
    if (p.role === 'weight') {
      const x = plan.params.get(p.node.input![0]!)!;
      const { weight, bias } = nodeWeights(src, p, x, cfg);
      const perCh = weight.axis !== null;
      const wName = p.node.input![1]!;
      const wq = addInit(`${wName}_quantized`, weight.q);
      const ws = addInit(`${wName}_scale`, paramTensor('f32', weight.scales, perCh));
      const wz = addInit(`${wName}_zero_point`, paramTensor(cfg.weights, weight.zps, perCh));
      const wdq = names.fresh(`${wName}_dequantized`);
      nodes.push(makeNode('DequantizeLinear', [wq, ws, wz], [wdq], `${wdq}_DequantizeLinear`, perCh ? [intAttr('axis', weight.axis!)] : []));
      n.input[1] = wdq;
      if (bias) {
        const bName = p.node.input![2]!;
        const bq = addInit(`${bName}_quantized`, bias.q);
        const bs = addInit(`${bName}_scale`, paramTensor('f32', bias.scales, perCh));
        const bz = addInit(`${bName}_zero_point`, paramTensor('i32', bias.scales.map(() => 0), perCh));
        const bdq = names.fresh(`${bName}_dequantized`);
        nodes.push(makeNode('DequantizeLinear', [bq, bs, bz], [bdq], `${bdq}_DequantizeLinear`, perCh ? [intAttr('axis', 0)] : []));
        n.input[2] = bdq;
      }
    }
    const outs = n.output.map((o) => plan.renamedOutputs.get(o) ?? o);
    n.output = outs.map((o) => (o && plan.params.has(o) ? raw(o) : o));
    nodes.push(n);
    for (const o of outs) if (o && plan.params.has(o)) pair(o);
  }
  g.node = nodes;
  g.valueInfo = [];
  newInits.writeTo(g);
  const used = new Set(nodes.flatMap((n) => n.input ?? []));
  g.initializer = g.initializer.filter((t) => used.has(t.name ?? '') || outputs.has(t.name ?? ''));
  m.producerName = 'qcc quantize';
  return m;
}
