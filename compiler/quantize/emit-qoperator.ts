/**
 * Writes the plan as a QOperator model: the integer ops themselves (QLinearConv, QLinearMatMul, and
 * ONNX Runtime's com.microsoft QGemm, QLinearAdd, QLinearMul, QLinearGlobalAveragePool,
 * QLinearAveragePool, QLinearSigmoid, QLinearLeakyRelu, QLinearSoftmax, QLinearConcat), data movement on
 * the integer tensors, and QuantizeLinear / DequantizeLinear only where float and integer parts meet.
 * A quantized tensor T is `T_quantized`; where a float consumer needs it, a DequantizeLinear writes `T`.
 */
import { onnx, type IAttributeProto, type ModelProto, type NodeProto } from '../frontend/onnx/proto.ts';
import type { Tensor } from '../ir/tensor.ts';
import { attrInt, defaultOpset, ensureDomain, graphOf, intAttr, makeNode, requireOpset } from './onnx-graph.ts';
import { NameSet, qName } from './names.ts';
import type { NodePlan, Plan, QuantizeConfig } from './plan.ts';
import { nodeWeights, paramTensor } from './weights.ts';
import { NewInits } from './new-inits.ts';

const MS = 'com.microsoft';

export function emitQOperator(m: ModelProto, plan: Plan, cfg: QuantizeConfig): ModelProto {
  requireOpset(m, 13, 'per-axis quantization parameters (QOperator format)');
  const opset = defaultOpset(m);
  const g = graphOf(m);
  const inits = new Set(g.initializer.map((t) => t.name ?? ''));
  const names = new NameSet([...inits, ...g.input.map((i) => i.name ?? ''), ...g.node.flatMap((n) => n.output ?? [])]);
  const nodes: NodeProto[] = [];
  const newInits = new NewInits(names, plan);
  const addInit = (base: string, t: Tensor): string => newInits.add(base, t);
  const sz = (t: string): [string, string] => newInits.paramsOf(t);
  const floatAvail = new Set<string>([...inits, ...g.input.map((i) => i.name ?? '')]);
  const quantAvail = new Set<string>();
  const fv = (t: string): string => {
    if (!t || floatAvail.has(t)) return t;
    nodes.push(makeNode('DequantizeLinear', [qName(t), ...sz(t)], [t], `${t}_DequantizeLinear`));
    floatAvail.add(t);
    return t;
  };
  const qv = (t: string): string => {
    if (quantAvail.has(t)) return qName(t);
    nodes.push(makeNode('QuantizeLinear', [fv(t), ...sz(t)], [qName(t)], `${t}_QuantizeLinear`));
    quantAvail.add(t);
    return qName(t);
  };
  const triple = (t: string) => [qv(t), ...sz(t)];
  const copyAttrs = (n: NodeProto, skip: string[] = []): IAttributeProto[] => (n.attribute ?? []).filter((a) => !skip.includes(a.name ?? ''));

  for (const p of plan.nodes) {
    if (p.role === 'removed') continue;
    const n = p.node;
    const ins = n.input ?? [];
    const out = plan.renamedOutputs.get(n.output![0]!) ?? n.output![0]!;
    const emit = (op: string, inputs: string[], attrs: IAttributeProto[], domain = '') => {
      nodes.push(makeNode(op, inputs, [qName(out)], n.name ?? '', attrs, domain));
      quantAvail.add(out);
    };
    if (p.role === 'float') {
      nodes.push(onnx.NodeProto.create({ ...n, input: ins.map((t) => fv(t)), output: [...(n.output ?? [])] }));
      for (const o of n.output ?? []) floatAvail.add(o);
      continue;
    }
    if (p.role === 'move') {
      emit(n.opType!, [qv(ins[0]!), ...ins.slice(1)], copyAttrs(n));
      continue;
    }
    const y = sz(out);
    if (p.role === 'weight') {
      weightOp(p, emit);
      continue;
    }
    switch (n.opType) {
      case 'Add':
      case 'Mul':
        emit(`QLinear${n.opType}`, [...triple(ins[0]!), ...triple(ins[1]!), ...y], [], MS);
        break;
      case 'GlobalAveragePool':
        emit('QLinearGlobalAveragePool', [...triple(ins[0]!), ...y], [intAttr('channels_last', 0)], MS);
        break;
      case 'AveragePool':
        emit('QLinearAveragePool', [...triple(ins[0]!), ...y], [...copyAttrs(n), intAttr('channels_last', 0)], MS);
        break;
      case 'Sigmoid':
        emit('QLinearSigmoid', [...triple(ins[0]!), ...y], [], MS);
        break;
      case 'LeakyRelu':
        emit('QLinearLeakyRelu', [...triple(ins[0]!), ...y], copyAttrs(n), MS);
        break;
      case 'Softmax':
        emit('QLinearSoftmax', [...triple(ins[0]!), ...y], [intAttr('axis', attrInt(n, 'axis', opset < 13 ? 1 : -1)), intAttr('opset', opset)], MS);
        break;
      case 'Concat':
        emit('QLinearConcat', [...y, ...ins.flatMap((t) => triple(t))], copyAttrs(n), MS);
        break;
      default:
        throw new Error(`internal: no QOperator form for ${n.opType}`);
    }
  }

  function weightOp(p: NodePlan, emit: (op: string, inputs: string[], attrs: IAttributeProto[], domain?: string) => void): void {
    const n = p.node;
    const x = n.input![0]!;
    const out = plan.renamedOutputs.get(n.output![0]!) ?? n.output![0]!;
    const { weight, bias } = nodeWeights(m, p, plan.params.get(x)!, cfg);
    const perCh = weight.axis !== null;
    const wName = n.input![1]!;
    const w = [
      addInit(`${wName}_quantized`, weight.q),
      addInit(`${wName}_scale`, paramTensor('f32', weight.scales, perCh)),
      addInit(`${wName}_zero_point`, paramTensor(cfg.weights, weight.zps, perCh)),
    ];
    const b = bias ? addInit(`${n.input![2]}_quantized`, bias.q) : '';
    const y = sz(out);
    if (n.opType === 'Conv') emit('QLinearConv', [...triple(x), ...w, ...y, ...(b ? [b] : [])], copyAttrs(n));
    else if (n.opType === 'MatMul') emit('QLinearMatMul', [...triple(x), ...w, ...y], []);
    else {
      const keep = ['alpha', 'transA', 'transB'];
      emit('QGemm', [...triple(x), ...w, b, ...y], (n.attribute ?? []).filter((a) => keep.includes(a.name ?? '')), MS);
    }
  }

  for (const o of g.output) fv(o.name ?? '');
  g.node = nodes;
  g.valueInfo = [];
  newInits.writeTo(g);
  const used = new Set(nodes.flatMap((nd) => nd.input ?? []));
  g.initializer = g.initializer.filter((t) => used.has(t.name ?? ''));
  ensureDomain(m, MS, 1);
  m.producerName = 'qcc quantize';
  return m;
}
