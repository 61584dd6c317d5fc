/**
 * The quantization plan: which ONNX nodes compute in integers, which Relu/Clip disappear into the range
 * of the op before them, and the quantization parameters of every quantized activation tensor. Both
 * output formats (QDQ, QOperator) are written from one plan, so they quantize identically.
 */
import { QccError } from '../errors.ts';
import type { ModelProto } from '../frontend/onnx/proto.ts';
import { attr, attrFloat, attrInt, consumers, graphOf, nodeLabel, readInitializer, type ProtoNode } from './onnx-graph.ts';
import { scaleZp, type QType, type QuantParams } from './qparams.ts';
import { rangeFor } from './ranges.ts';
import type { Range, RangeMethod, RangeOptions, TensorStats } from './range-types.ts';

/** Ops with a constant weight (input 1) and an optional bias (input 2). */
export const WEIGHT_OPS = new Set(['Conv', 'Gemm', 'MatMul']);
/** Integer ops whose activation inputs and output are quantized. */
export const ACTIVATION_OPS = new Set(['Add', 'Mul', 'GlobalAveragePool', 'AveragePool', 'Sigmoid', 'LeakyRelu', 'Softmax', 'Concat']);
/** Data movement: the output keeps the input's parameters (the DQ/Q pair around them drops out). */
export const DATA_MOVEMENT_OPS = new Set(['MaxPool', 'Reshape', 'Flatten', 'Transpose', 'Squeeze', 'Unsqueeze']);
export const REMOVABLE_OPS = new Set(['Relu', 'Clip']);

export type NodeRole = 'weight' | 'activation' | 'move' | 'removed' | 'float';

export interface QuantizeConfig {
  activations: QType;
  weights: QType;
  perChannel: boolean;
  method: RangeMethod;
  rangeOptions?: RangeOptions;
  /** Node names (or output tensor names) kept in float. */
  keepFloat: ReadonlySet<string>;
}

export interface NodePlan {
  node: ProtoNode;
  label: string;
  role: NodeRole;
  /** For 'weight' ops: the weight's channel axis (null: per tensor). */
  weightAxis?: number | null;
  /** Why a node that could be quantized stays float. */
  reason?: string;
}

export interface Plan {
  nodes: NodePlan[];
  /** Parameters of every quantized activation tensor, by its name in the output model. */
  params: Map<string, QuantParams>;
  /** Removed Relu/Clip: the producer now writes this name instead of its own output. */
  renamedOutputs: Map<string, string>;
}

function weightAxis(n: ProtoNode, m: ModelProto, perChannel: boolean): number | null | string {
  const w = readInitializer(m, n.input![1]!);
  if (!w) return `its weight '${n.input![1]}' is not an initializer`;
  if (w.dtype !== 'f32') return `its weight is ${w.dtype}, not float32`;
  if (n.opType === 'Gemm') {
    if (attrInt(n, 'transA', 0) !== 0) return 'Gemm with transA = 1';
    const c = n.input![2];
    if (c) {
      const b = readInitializer(m, c);
      const N = attrInt(n, 'transB', 0) ? w.shape[0]! : w.shape[1]!;
      if (!b || b.shape.length !== 1 || b.shape[0] !== N) return 'its bias C is not a constant vector of N values';
      if (attrFloat(n, 'beta', 1) !== 1) return 'Gemm with beta != 1 and a bias';
    }
    if (!perChannel) return null;
    return attrInt(n, 'transB', 0) ? 0 : 1;
  }
  if (n.opType === 'MatMul') {
    if (w.shape.length !== 2) return 'MatMul with a weight that is not 2-D';
    return perChannel ? 1 : null;
  }
  if (n.input![2] && !readInitializer(m, n.input![2]!)) return 'its bias is not an initializer';
  return perChannel ? 0 : null;
}

function clipBounds(n: ProtoNode, m: ModelProto): { lo: number; hi: number } | null {
  if (n.opType === 'Relu') return { lo: 0, hi: Infinity };
  const get = (a: string, i: number, d: number): number | null => {
    const at = attr(n, a);
    if (at) return at.f ?? d;
    const name = n.input?.[i];
    if (!name) return d;
    const t = readInitializer(m, name);
    return t ? t.num(0) : null;
  };
  const lo = get('min', 1, -Infinity);
  const hi = get('max', 2, Infinity);
  return lo === null || hi === null ? null : { lo, hi };
}

/** Builds the plan. `stats` holds calibration statistics of the float model's tensors, by name. */
export function buildPlan(m: ModelProto, stats: ReadonlyMap<string, TensorStats>, cfg: QuantizeConfig): Plan {
  const g = graphOf(m);
  const cons = consumers(m);
  const graphOutputs = new Set(g.output.map((o) => o.name ?? ''));
  const quantized = new Set<string>(); // activation tensors (by original name) that get Q/DQ
  const nodes: NodePlan[] = [];
  const byOutput = new Map<string, NodePlan>();
  const renamed = new Map<string, string>(); // producer output -> removed relu's output
  const inherits = new Map<string, string>(); // data-movement output -> input
  const fixed = new Map<string, Range>();

  g.node.forEach((n, k) => {
    const label = nodeLabel(n, k);
    const keep = cfg.keepFloat.has(label) || (n.output ?? []).some((o) => cfg.keepFloat.has(o));
    const p: NodePlan = { node: n, label, role: 'float' };
    const op = n.opType ?? '';
    if (keep) {
      p.reason = 'kept in float (--keep-float or mixed precision)';
    } else if (WEIGHT_OPS.has(op)) {
      const ax = weightAxis(n, m, cfg.perChannel);
      if (typeof ax === 'string') p.reason = ax;
      else if (cfg.activations === 'i8' && cfg.weights === 'u8') p.reason = 'int8 activations with uint8 weights have no integer kernel';
      else {
        p.role = 'weight';
        p.weightAxis = ax;
        quantized.add(n.input![0]!);
      }
    } else if (ACTIVATION_OPS.has(op)) {
      p.role = 'activation';
      for (const i of n.input ?? []) if (i) quantized.add(i);
      // Softmax: ONNX Runtime's fixed output range, scale 1/256 (zero point 0 for u8, -128 for s8).
      if (op === 'Softmax') fixed.set(n.output![0]!, { rmin: 0, rmax: 255 / 256 });
    } else if (DATA_MOVEMENT_OPS.has(op)) {
      const x = n.input![0]!;
      const srcPlan = byOutput.get(x);
      const xQuant = quantized.has(x) || (srcPlan !== undefined && srcPlan.role !== 'float');
      if (xQuant && (n.output ?? []).length === 1) {
        p.role = 'move';
        quantized.add(x);
        inherits.set(n.output![0]!, x);
      } else p.reason = 'its input is not quantized';
    } else if (REMOVABLE_OPS.has(op)) {
      const x = n.input![0]!;
      const src = byOutput.get(x);
      const b = clipBounds(n, m);
      const single = (cons.get(x) ?? []).length === 1 && !graphOutputs.has(x);
      if (src && (src.role === 'weight' || (src.role === 'activation' && src.node.opType !== 'Softmax')) && single && b && b.lo <= 0 && b.hi >= 0) {
        p.role = 'removed';
        renamed.set(x, n.output![0]!);
        // The op before now produces this tensor; its range is the Relu/Clip output's, within the bounds.
        const st = stats.get(n.output![0]!);
        if (st) fixed.set(n.output![0]!, clampRange(rangeFor(cfg.method, st, cfg.rangeOptions), b));
      } else p.reason = src ? 'not directly after a single-use quantized op' : 'its input is not quantized';
    }
    if (p.role === 'weight' || p.role === 'activation' || p.role === 'removed') for (const o of n.output ?? []) if (o) quantized.add(o);
    if (p.role === 'move') quantized.add(n.output![0]!);
    for (const o of n.output ?? []) if (o) byOutput.set(o, p);
    nodes.push(p);
  });
  // A removed Relu's input no longer exists.
  for (const x of renamed.keys()) quantized.delete(x);

  // Parameters, in node order so data-movement outputs find their input's parameters.
  const params = new Map<string, QuantParams>();
  const paramsOf = (t: string): QuantParams => {
    const have = params.get(t);
    if (have) return have;
    let p: QuantParams;
    const from = inherits.get(t);
    if (from !== undefined) p = paramsOf(renamed.get(from) ?? from);
    else {
      const r = fixed.get(t) ?? rangeOf(t);
      p = scaleZp(r.rmin, r.rmax, cfg.activations, false);
    }
    params.set(t, p);
    return p;
  };
  const rangeOf = (t: string): Range => {
    const st = stats.get(t);
    if (!st) {
      const c = readInitializer(m, t);
      if (c && c.dtype === 'f32') {
        const xs = c.toNumbers();
        return { rmin: Math.min(0, ...xs), rmax: Math.max(0, ...xs) };
      }
      throw new QccError('E_INPUT', `no calibration data reached tensor '${t}'`, { hint: 'is the calibration set empty?' });
    }
    if (!Number.isFinite(st.min) || !Number.isFinite(st.max)) throw new QccError('E_INPUT', `tensor '${t}' has no finite values in the calibration set`);
    return rangeFor(cfg.method, st, cfg.rangeOptions);
  };
  for (const n of g.node) for (const t of [...(n.input ?? []), ...(n.output ?? [])]) if (t && quantized.has(t)) paramsOf(t);
  for (const v of g.input) if (quantized.has(v.name ?? '')) paramsOf(v.name!);
  return { nodes, params, renamedOutputs: renamed };
}

function clampRange(r: Range, b: { lo: number; hi: number }): Range {
  return { rmin: Math.max(r.rmin, b.lo), rmax: Math.min(r.rmax, b.hi) };
}
