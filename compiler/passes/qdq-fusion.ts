/**
 * QDQ fusion: float ops wrapped in DequantizeLinear / QuantizeLinear become the integer kinds, the way
 * ONNX Runtime's QDQ transformers do it (onnxruntime/core/optimizer/qdq_transformer: selectors.cc,
 * qdq_selector_action_transformer.cc, relu/clip_quantizelinear.cc, qdq_final_cleanup.cc), so that the
 * interpreter computes what onnxruntime-web computes with graph optimizations on.
 *
 * The pass is a table of `{ pattern, check, rewrite }` rules. `pattern` matches the structure around a
 * root node (or says why it does not apply), `check` the parameters, `rewrite` builds the integer node.
 * A rule that is tried and rejected records its reason in ctx.floatReasons; float-report.ts lists them.
 *
 * ORT's conditions, mirrored here:
 *  - the root's output is not a graph output and its only consumer is the QuantizeLinear (CheckQDQNodes);
 *  - a DequantizeLinear shared with other consumers is duplicated by ORT (EnsureUniqueDQForNodeUnit):
 *    here the fused node reads the DQ's inputs directly and the DQ stays for its other users;
 *  - Conv/MatMul/Gemm: activation and output types equal; int8 activations need int8 weights; bias is an
 *    int32 DequantizeLinear whose integer input is used directly (its scale is ignored, as ORT does);
 *  - Add/Mul/Concat/unary contrib kinds: every input and the output share one 8-bit type;
 *  - MaxPool and the shape ops (Reshape/Transpose; Squeeze/Unsqueeze/Flatten are reshapes here) drop the
 *    DQ/Q pair when both have the same scalar scale and zero point (DropQDQNodesSelector), MaxPool with a
 *    positive scale;
 *  - Relu -> Q with Q's zero point at the type minimum, and Clip -> Q whose range covers Q's (within
 *    FLT_EPSILON), lose the Relu/Clip (ReluQuantFusion, ClipQuantFusion);
 *  - DQ -> Q with equal parameters cancels (the round trip is exact for 8/16-bit values).
 * Beyond ORT, DQ -> Relu/Clip -> Q becomes an integer clip when the float computation, evaluated on every
 * one of the 256 inputs with the interpreter's own kernels, is exactly a clamp (so it cannot differ).
 */
import type { Attrs, Graph, Node, Value } from '../ir/graph.ts';
import { Tensor } from '../ir/tensor.ts';
import { getOpDef, hasOpDef } from '../ops/registry.ts';
import { qRange } from '../ops/qparams.ts';
import type { Pass, PassContext } from './pass.ts';
import {
  isDq, perTensor8, qParams, removeIfUnused, replaceGroup, sameParams, soleQ, tryInfer, zpOrZero, type QParams,
} from './qdq-match.ts';

/** A matched group: the root, the DQ feeding each input (null where none), the Q after it. */
export interface QdqMatch {
  node: Node;
  dqs: (Node | null)[];
  q: Node | null;
}

export interface QdqRule {
  readonly name: string;
  /** Root kinds the rule looks at. */
  readonly ops: readonly string[];
  /** The structure, or why it is not there (recorded as the float reason). */
  pattern(graph: Graph, node: Node): QdqMatch | string;
  /** Parameters and types; null when the rewrite is exact and allowed, else the reason. */
  check(graph: Graph, m: QdqMatch): string | null;
  rewrite(graph: Graph, m: QdqMatch): void;
}

// ---- common structure ----------------------------------------------------------------------------

const dqOf = (v: Value | null | undefined): Node | null => (isDq(v) ? v.producer : null);

// ---- ONNX Runtime's int8 -> uint8 QDQ conversion ---------------------------------------------------

/*
 * onnxruntime-web (like every non-ARM build) does not allow int8 activations in its QDQ Conv/MatMul fusion:
 * QDQIsInt8Allowed() is false unless MLAS_TARGET_ARM_ANY (qdq_selector_action_transformer.h), and
 * ConvNodeGroupSelector/MatMulNodeGroupSelector reject an int8 input (`if (!int8_allowed_ || ...) return
 * false`). Before the selectors, QDQS8ToU8Transformer (qdq_s8_to_u8.cc, Level 2, only when int8 is not
 * allowed) rewrites int8 QuantizeLinear -> DequantizeLinear pairs to uint8 (zero point + 128), but only a
 * Q that passes optimizer_utils::CheckOutputEdges(graph, q, 1): not a graph output and exactly one output
 * edge, to a DQ with three inputs, both zero points constant int8 scalars of one value. The edges are
 * counted after EnsureUniqueDQForNodeUnit (Level 1) gave every consumer of a shared DQ its own copy, so
 * the Q of a tensor read by two nodes (a residual branch, the stem of a ResNet) keeps int8 and the Conv
 * that writes or reads it stays in float, while the groups around converted pairs fuse in uint8 (which
 * gives the int8 result exactly for every kind but average pooling, see fuseInU8Domain).
 *
 * The conversion is decided once per Q, on the graph as imported (fusion removes the Q/DQ nodes it is
 * decided on), and remembered for the Q and its DQ: ortType() is the type ORT's selectors then see.
 */
const decided = new WeakSet<Node>();
const convertedToU8 = new WeakSet<Node>();

/** Edges of a value as ORT counts them once each consumer of a DQ has a DQ of its own. */
function ortEdges(graph: Graph, v: Value): number {
  let n = 0;
  for (const u of v.users) {
    if (u.op !== 'dequantize_linear') {
      n++;
      continue;
    }
    const e = u.outputs[0]!.users.length;
    const graphOut = graph.outputs.includes(u.outputs[0]!);
    n += e === 0 ? 1 : e + (graphOut ? 1 : 0);
  }
  return n;
}

function int8ScalarZp(v: Value | null | undefined): number | null {
  if (!v?.const || v.type.dtype !== 'i8' || v.const.size !== 1) return null;
  return v.const.toNumbers()[0]!;
}

/** Whether QDQS8ToU8Transformer converts this QuantizeLinear and its DequantizeLinear. */
function ortConvertsS8ToU8(graph: Graph, q: Node): Node | null {
  const out = q.outputs[0]!;
  if (graph.outputs.includes(out) || ortEdges(graph, out) !== 1) return null;
  const dq = out.users[0]!;
  if (dq.op !== 'dequantize_linear' || q.inputs.length < 3 || dq.inputs.length < 3) return null;
  const a = int8ScalarZp(q.inputs[2]);
  const b = int8ScalarZp(dq.inputs[2]);
  return a !== null && a === b ? dq : null;
}

/** Decides every QuantizeLinear not seen yet (all of them on the first run, before any fusion). */
export function markS8ToU8(graph: Graph): void {
  for (const n of graph.nodes) {
    if (n.op !== 'quantize_linear' || decided.has(n)) continue;
    decided.add(n);
    const dq = ortConvertsS8ToU8(graph, n);
    if (dq) {
      convertedToU8.add(n);
      convertedToU8.add(dq);
    }
  }
}

/** The integer type ONNX Runtime's QDQ selectors see on a Q's output or a DQ's input. */
function ortType(n: Node, p: QParams): string {
  return p.dtype === 'i8' && convertedToU8.has(n) ? 'u8' : p.dtype;
}

/** Why ORT leaves a Conv/MatMul group with activations x (from dq) and output y (from q) in float, if it does. */
function ortInt8Check(dq: Node, x: QParams, q: Node | null, y: QParams | null): string | null {
  const tx = ortType(dq, x);
  if (q && y) {
    const ty = ortType(q, y);
    if (tx !== ty) {
      return `ONNX Runtime sees ${tx} input and ${ty} output: it converts an int8 QuantizeLinear -> DequantizeLinear pair to uint8 only when the Q has a single consumer (QDQS8ToU8Transformer), which one side's Q has not`;
    }
  }
  if (tx === 'i8') return 'int8 activations: ONNX Runtime off ARM does not fuse an int8 Conv/MatMul (QDQIsInt8Allowed() is false) and its QuantizeLinear was not converted to uint8 (it has other consumers or is a graph input/output)';
  return null;
}

/** DQ on inputs `need` (required) and `opt` (optional), then a single Q after the root. */
function dqQPattern(need: readonly number[], opt: readonly number[] = [], qOptional = false) {
  return (graph: Graph, node: Node): QdqMatch | string => {
    const dqs = node.inputs.map((v) => dqOf(v));
    if (!dqs.some((d) => d)) return 'its inputs are float (not from a DequantizeLinear)';
    for (const i of need) if (!dqs[i]) return `input ${i} ('${node.inputs[i]?.name}') does not come from a DequantizeLinear`;
    for (const i of opt) if (node.inputs[i] && !dqs[i]) return `input ${i} ('${node.inputs[i]!.name}') is float, not a DequantizeLinear of int32`;
    const q = soleQ(graph, node);
    // ORT's CheckQDQNodes: a group without Q (QGemm / MatMulIntegerToFloat with a float output) may feed
    // anything, graph outputs included, but not a mix of Q and other consumers.
    if (!q && qOptional && !node.outputs[0]!.users.some((u) => u.op === 'quantize_linear')) return { node, dqs, q };
    if (graph.outputs.includes(node.outputs[0]!)) return 'its output is a graph output (ONNX Runtime does not fuse it either)';
    if (!q) return qOptional ? 'its output goes to other nodes than one QuantizeLinear' : 'its output does not go to a single QuantizeLinear';
    return { node, dqs, q };
  };
}

/** Per-tensor 8-bit parameters of every DQ in `idx` and the Q, all of one dtype; or the reason. */
function uniform8(m: QdqMatch, idx: readonly number[]): { ins: QParams[]; out: QParams } | string {
  const ins: QParams[] = [];
  for (const i of idx) {
    const p = perTensor8(m.dqs[i]!, `input ${i}`);
    if (typeof p === 'string') return p;
    ins.push(p);
  }
  const out = perTensor8(m.q!, 'the output');
  if (typeof out === 'string') return out;
  if (ins.some((p) => p.dtype !== out.dtype)) return `inputs (${ins.map((p) => p.dtype).join(', ')}) and output (${out.dtype}) types differ`;
  const seen = [...idx.map((i, k) => ortType(m.dqs[i]!, ins[k]!)), ortType(m.q!, out)];
  if (seen.some((t) => t !== seen[0])) {
    return `ONNX Runtime sees inputs (${seen.slice(0, -1).join(', ')}) and output (${seen[seen.length - 1]}): only int8 QuantizeLinear -> DequantizeLinear pairs whose Q has a single consumer become uint8 (QDQS8ToU8Transformer)`;
  }
  return { ins, out };
}

const qOut = (m: QdqMatch): Value => m.q!.outputs[0]!;
const dqIn = (m: QdqMatch, i: number): Value => m.dqs[i]!.inputs[0]!;

function fuse(graph: Graph, m: QdqMatch, op: string, inputs: (Value | null)[], attrs: Attrs): void {
  const remove = [...(m.q ? [m.q] : []), m.node, ...m.dqs.filter((d): d is Node => d !== null)];
  replaceGroup(graph, m.q ? qOut(m) : m.node.outputs[0]!, op, m.node.name, inputs, attrs, m.q ?? m.node, remove);
}

// ---- Conv / MatMul / Gemm ------------------------------------------------------------------------

function weightParams(m: QdqMatch, i: number, axis: number, what: string): QParams | string {
  const dq = m.dqs[i]!;
  if (!dq.inputs[0]!.const) return `the ${what} ('${dq.inputs[0]!.name}') is not a compile-time constant`;
  const p = qParams(dq);
  if (typeof p === 'string') return p;
  if (p.dtype !== 'u8' && p.dtype !== 'i8') return `the ${what} is ${p.dtype}; the integer kernels take u8 or i8`;
  if (p.perAxis && p.axis !== axis) return `the ${what} is quantized along axis ${p.axis}; the kernel supports axis ${axis} only`;
  return p;
}

function biasParams(m: QdqMatch, i: number): string | null {
  const dq = m.dqs[i];
  if (!dq) return null;
  if (dq.inputs[0]!.type.dtype !== 'i32') return `the bias is ${dq.inputs[0]!.type.dtype}, not an int32 DequantizeLinear`;
  if (!dq.inputs[0]!.const) return 'the bias is not a compile-time constant';
  return null;
}

function activationCheck(x: QParams, w: QParams, y: QParams | null): string | null {
  if (y && x.dtype !== y.dtype) return `activation (${x.dtype}) and output (${y.dtype}) types differ`;
  if (x.dtype === 'i8' && w.dtype !== 'i8') return 'int8 activations with uint8 weights (ONNX Runtime has no such kernel)';
  return null;
}

interface GemmPlan {
  x: QParams;
  w: QParams;
  y: QParams | null;
}

const conv: QdqRule = {
  name: 'conv',
  ops: ['conv'],
  pattern: dqQPattern([0, 1], [2]),
  check(graph, m) {
    const plan = convPlan(m);
    if (typeof plan === 'string') return plan;
    return tryInfer('qlinear_conv', m.node.name, convInputs(graph, m, plan, true), m.node.attrs);
  },
  rewrite(graph, m) {
    const plan = convPlan(m) as GemmPlan;
    fuse(graph, m, 'qlinear_conv', convInputs(graph, m, plan, false), { ...m.node.attrs });
  },
};

function convPlan(m: QdqMatch): GemmPlan | string {
  const x = perTensor8(m.dqs[0]!, 'the input');
  if (typeof x === 'string') return x;
  const w = weightParams(m, 1, 0, 'weight');
  if (typeof w === 'string') return w;
  const y = perTensor8(m.q!, 'the output');
  if (typeof y === 'string') return y;
  return activationCheck(x, w, y) ?? ortInt8Check(m.dqs[0]!, x, m.q, y) ?? biasParams(m, 2) ?? { x, w, y };
}

/** qlinear_conv / qlinear_matmul inputs: x, x_s, x_zp, w, w_s, w_zp, y_s, y_zp (, bias). */
function convInputs(graph: Graph, m: QdqMatch, p: GemmPlan, probe: boolean, withBias = true): (Value | null)[] {
  const zp = (q: QParams, name: string) => (q.zpValue ?? (probe ? fakeZero(q) : zpOrZero(graph, q, name)));
  const ins: (Value | null)[] = [
    dqIn(m, 0), p.x.scaleValue, zp(p.x, `${m.node.name}_x`),
    dqIn(m, 1), p.w.scaleValue, zp(p.w, `${m.node.name}_w`),
    p.y!.scaleValue, zp(p.y!, `${m.node.name}_y`),
  ];
  if (withBias && m.dqs[2]) ins.push(dqIn(m, 2));
  return ins;
}

/** A detached zero-point value for type probes (never added to the graph). */
function fakeZero(q: QParams): Value {
  return { id: -1, name: 'zero', type: { dtype: q.dtype, shape: [] }, const: Tensor.scalar(q.dtype, 0), producer: null, users: [] };
}

const matmul: QdqRule = {
  name: 'matmul',
  ops: ['matmul'],
  pattern: dqQPattern([0, 1]),
  check(graph, m) {
    const plan = matmulPlan(m);
    if (typeof plan === 'string') return plan;
    return tryInfer('qlinear_matmul', m.node.name, convInputs(graph, m, plan, true, false), {});
  },
  rewrite(graph, m) {
    fuse(graph, m, 'qlinear_matmul', convInputs(graph, m, matmulPlan(m) as GemmPlan, false, false), {});
  },
};

function matmulPlan(m: QdqMatch): GemmPlan | string {
  const x = perTensor8(m.dqs[0]!, 'input A');
  if (typeof x === 'string') return x;
  const rankB = m.node.inputs[1]!.type.shape.length;
  const w = weightParams(m, 1, rankB - 1, 'B operand');
  if (typeof w === 'string') return w;
  if (w.perAxis && rankB !== 2) return 'B is quantized per column but is not 2-D';
  const y = perTensor8(m.q!, 'the output');
  if (typeof y === 'string') return y;
  return activationCheck(x, w, y) ?? ortInt8Check(m.dqs[0]!, x, m.q, y) ?? { x, w, y };
}

/**
 * DQ -> MatMul with no QuantizeLinear after it: ORT runs MatMulIntegerToFloat, float(acc) * (a_scale *
 * b_scale[n]), which is QGemm's float output with alpha = 1 (measured identical on onnxruntime-web; the
 * float simulation differs by up to ~4e-5 relative). A of rank > 2 is flattened to 2-D around it.
 */
const matmulToFloat: QdqRule = {
  name: 'matmul-integer-to-float',
  ops: ['matmul'],
  pattern(graph, node) {
    const m = dqQPattern([0, 1], [], true)(graph, node);
    if (typeof m === 'string') return m;
    return m.q ? 'it has a QuantizeLinear after it' : m;
  },
  check(graph, m) {
    if (!hasOpDef('qgemm')) return 'no integer Gemm kind (qgemm) is available';
    if (m.node.inputs[1]!.type.shape.length !== 2) return 'B is not 2-D';
    if (m.node.inputs[0]!.type.shape.length < 2) return 'A is 1-D';
    const plan = matmulFloatPlan(m);
    if (typeof plan === 'string') return plan;
    return null;
  },
  rewrite(graph, m) {
    const plan = matmulFloatPlan(m) as GemmPlan;
    const a = dqIn(m, 0);
    const as = a.type.shape;
    const k = as[as.length - 1]!;
    const rows = as.slice(0, -1).reduce((p, d) => p * d, 1);
    const name = m.node.name;
    const n = m.node.inputs[1]!.type.shape[1]!;
    let a2 = a;
    if (as.length > 2) {
      a2 = graph.addValue(`${name}_a2d`, { dtype: a.type.dtype, shape: [rows, k] });
      graph.addNode('reshape', `${name}_flatten`, [a], [a2], { shape: [rows, k] }, m.node);
    }
    const ins = gemmInputs(graph, { ...m, dqs: [m.dqs[0]!, m.dqs[1]!, null] }, plan, false).map((v, i) => (i === 0 ? a2 : v));
    const attrs: Attrs = { alpha: 1, transA: 0, transB: 0 };
    if (as.length === 2) {
      fuse(graph, m, 'qgemm', ins, attrs);
      return;
    }
    const y2 = graph.addValue(`${name}_y2d`, { dtype: 'f32', shape: [rows, n] });
    graph.addNode('qgemm', name, ins, [y2], attrs, m.node);
    const remove = [m.node, ...m.dqs.filter((d): d is Node => d !== null)];
    replaceGroup(graph, m.node.outputs[0]!, 'reshape', `${name}_unflatten`, [y2], { shape: [...m.node.outputs[0]!.type.shape] }, m.node, remove);
  },
};

function matmulFloatPlan(m: QdqMatch): GemmPlan | string {
  const x = perTensor8(m.dqs[0]!, 'input A');
  if (typeof x === 'string') return x;
  const w = weightParams(m, 1, 1, 'B operand');
  if (typeof w === 'string') return w;
  if (m.node.outputs[0]!.type.dtype !== 'f32') return 'the output is not f32';
  return activationCheck(x, w, null) ?? ortInt8Check(m.dqs[0]!, x, null, null) ?? { x, w, y: null };
}

// Gemm -> com.microsoft QGemm (ORT's GemmReplaceWithQuant). Without a Q after it, QGemm has a float output.
const gemm: QdqRule = {
  name: 'gemm',
  ops: ['gemm'],
  pattern: dqQPattern([0, 1], [2], true),
  check(graph, m) {
    if (!hasOpDef('qgemm')) return 'no integer Gemm kind (qgemm) is available';
    const plan = gemmPlan(m);
    if (typeof plan === 'string') return plan;
    return tryInfer('qgemm', m.node.name, gemmInputs(graph, m, plan, true), gemmAttrs(m));
  },
  rewrite(graph, m) {
    fuse(graph, m, 'qgemm', gemmInputs(graph, m, gemmPlan(m) as GemmPlan, false), gemmAttrs(m));
  },
};

function gemmPlan(m: QdqMatch): GemmPlan | string {
  const x = perTensor8(m.dqs[0]!, 'input A');
  if (typeof x === 'string') return x;
  const transB = m.node.attrs['transB'] === 1;
  const w = weightParams(m, 1, transB ? 0 : 1, 'B operand');
  if (typeof w === 'string') return w;
  let y: QParams | null = null;
  if (m.q) {
    const p = perTensor8(m.q, 'the output');
    if (typeof p === 'string') return p;
    y = p;
  }
  // GemmNodeGroupSelector has no int8 restriction, but A and Y must have one type as ORT sees them.
  if (m.q && y && ortType(m.dqs[0]!, x) !== ortType(m.q, y)) {
    return `ONNX Runtime sees ${ortType(m.dqs[0]!, x)} input A and ${ortType(m.q, y)} output: an int8 QuantizeLinear -> DequantizeLinear pair becomes uint8 only when the Q has a single consumer (QDQS8ToU8Transformer)`;
  }
  if (m.dqs[2] && m.node.attrs['beta'] !== 1) return `beta is ${String(m.node.attrs['beta'])}; ONNX Runtime fuses a biased Gemm only with beta = 1`;
  return activationCheck(x, w, y) ?? biasParams(m, 2) ?? { x, w, y };
}

const gemmAttrs = (m: QdqMatch): Attrs => ({
  alpha: m.node.attrs['alpha'] ?? 1, transA: m.node.attrs['transA'] ?? 0, transB: m.node.attrs['transB'] ?? 0,
});

function gemmInputs(graph: Graph, m: QdqMatch, p: GemmPlan, probe: boolean): (Value | null)[] {
  const zp = (q: QParams, name: string) => (q.zpValue ?? (probe ? fakeZero(q) : zpOrZero(graph, q, name)));
  return [
    dqIn(m, 0), p.x.scaleValue, zp(p.x, `${m.node.name}_a`),
    dqIn(m, 1), p.w.scaleValue, zp(p.w, `${m.node.name}_b`),
    m.dqs[2] ? dqIn(m, 2) : null,
    p.y ? p.y.scaleValue : null, p.y ? zp(p.y, `${m.node.name}_y`) : null,
  ];
}

// ---- com.microsoft QLinear* kinds ------------------------------------------------------------------

/** x, x_scale, x_zp, ..., y_scale, y_zp in ORT's contrib layout. */
function triple(graph: Graph, m: QdqMatch, i: number, p: QParams, probe: boolean): Value[] {
  return [dqIn(m, i), p.scaleValue, p.zpValue ?? (probe ? fakeZero(p) : zpOrZero(graph, p, `${m.node.name}_in${i}`))];
}
function outPair(graph: Graph, m: QdqMatch, p: QParams, probe: boolean): Value[] {
  return [p.scaleValue, p.zpValue ?? (probe ? fakeZero(p) : zpOrZero(graph, p, `${m.node.name}_y`))];
}

/** A rule that maps a float kind with all-DQ inputs onto a contrib kind. */
function contribRule(name: string, ops: readonly string[], kind: string, nIn: (n: Node) => number,
  build: (graph: Graph, m: QdqMatch, ins: QParams[], out: QParams, probe: boolean) => (Value | null)[],
  attrs: (n: Node) => Attrs | string, u8Domain = false): QdqRule {
  const idx = (n: Node) => Array.from({ length: nIn(n) }, (_, i) => i);
  const plan = (m: QdqMatch) => {
    if (!hasOpDef(kind)) return `no integer kind '${kind}' is available`;
    const a = attrs(m.node);
    if (typeof a === 'string') return a;
    const u = uniform8(m, idx(m.node));
    return typeof u === 'string' ? u : { ...u, attrs: a };
  };
  return {
    name,
    ops,
    pattern: (graph, node) => dqQPattern(idx(node))(graph, node),
    check(graph, m) {
      const p = plan(m);
      if (typeof p === 'string') return p;
      return tryInfer(kind, m.node.name, build(graph, m, p.ins, p.out, true), p.attrs);
    },
    rewrite(graph, m) {
      const p = plan(m) as Exclude<ReturnType<typeof plan>, string>;
      if (u8Domain && p.out.dtype === 'i8' && ortType(m.q!, p.out) === 'u8') fuseInU8Domain(graph, m, kind, build(graph, m, p.ins, p.out, false), p.attrs);
      else fuse(graph, m, kind, build(graph, m, p.ins, p.out, false), p.attrs);
    },
  };
}

/** v + delta as `to` (i8 <-> u8 with the 128 offset), through int32: cast, add, cast. */
function shift128(graph: Graph, v: Value, to: 'u8' | 'i8', before: Node, name: string): Value {
  const wide = graph.addValue(`${name}_i32`, { dtype: 'i32', shape: v.type.shape });
  graph.addNode('cast', `${name}_widen`, [v], [wide], { to: 'i32' }, before);
  const k = graph.addConst(`${name}_offset`, Tensor.scalar('i32', to === 'u8' ? 128 : -128));
  const sum = graph.addValue(`${name}_shifted`, { dtype: 'i32', shape: v.type.shape });
  graph.addNode('add', `${name}_shift`, [wide, k], [sum], {}, before);
  const out = graph.addValue(`${name}_${to}`, { dtype: to, shape: v.type.shape });
  graph.addNode('cast', `${name}_narrow`, [sum], [out], { to }, before);
  return out;
}

/**
 * onnxruntime-web runs an int8 QDQ group of some kinds in the uint8 domain (its S8 -> U8 QDQ conversion:
 * values and zero points + 128), and its uint8 QLinearAveragePool rounds differently from the int8 kernel
 * on padded windows. Reproduce that exactly: shift the input to u8, run the u8 kind, shift back.
 */
function fuseInU8Domain(graph: Graph, m: QdqMatch, kind: string, ins: (Value | null)[], attrs: Attrs): void {
  const name = m.node.name;
  const toU8 = (v: Value | null, i: number): Value | null => {
    if (!v || v.type.dtype !== 'i8') return v;
    if (v.const) return graph.addConst(`${name}_u8_${i}`, Tensor.fromNumbers('u8', v.type.shape, v.const.toNumbers().map((x) => x + 128)));
    return shift128(graph, v, 'u8', m.q!, `${name}_in${i}`);
  };
  const uIns = ins.map(toU8);
  const [t] = getOpDef(kind).infer({ id: -1, name, op: kind, inputs: uIns, outputs: [], attrs });
  const yu = graph.addValue(`${name}_u8`, t!);
  graph.addNode(kind, name, uIns, [yu], attrs, m.q!);
  const wide = graph.addValue(`${name}_u8_i32`, { dtype: 'i32', shape: yu.type.shape });
  graph.addNode('cast', `${name}_out_widen`, [yu], [wide], { to: 'i32' }, m.q!);
  const k = graph.addConst(`${name}_out_offset`, Tensor.scalar('i32', -128));
  const sum = graph.addValue(`${name}_out_shifted`, { dtype: 'i32', shape: yu.type.shape });
  graph.addNode('add', `${name}_out_shift`, [wide, k], [sum], {}, m.q!);
  replaceGroup(graph, qOut(m), 'cast', `${name}_out_narrow`, [sum], { to: 'i8' }, m.q!, [m.q!, m.node, ...m.dqs.filter((d): d is Node => d !== null)]);
}

const unaryBuild = (graph: Graph, m: QdqMatch, ins: QParams[], out: QParams, probe: boolean) =>
  [...triple(graph, m, 0, ins[0]!, probe), ...outPair(graph, m, out, probe)];
const one = () => 1;

const binary = (op: 'add' | 'mul') => contribRule(op, [op], `qlinear_${op}`, () => 2,
  (graph, m, ins, out, probe) => [...triple(graph, m, 0, ins[0]!, probe), ...triple(graph, m, 1, ins[1]!, probe), ...outPair(graph, m, out, probe)],
  () => ({}));

const averagePool = contribRule('average_pool', ['average_pool'], 'qlinear_average_pool', one, unaryBuild, (n) => {
  const dil = (n.attrs['dilations'] as readonly number[] | undefined) ?? [];
  if (dil.some((d) => d !== 1)) return 'dilated average pooling has no integer kind';
  return {
    kernel_shape: n.attrs['kernel_shape']!, strides: n.attrs['strides']!, pads: n.attrs['pads']!,
    ceil_mode: n.attrs['ceil_mode'] ?? 0, count_include_pad: n.attrs['count_include_pad'] ?? 0, channels_last: 0,
  };
}, true);

const globalAveragePool = contribRule('global_average_pool', ['global_average_pool'], 'qlinear_global_average_pool', one, unaryBuild,
  () => ({ channels_last: 0 }));
const sigmoid = contribRule('sigmoid', ['sigmoid'], 'qlinear_sigmoid', one, unaryBuild, () => ({}));
const leakyRelu = contribRule('leaky_relu', ['leaky_relu'], 'qlinear_leaky_relu', one, unaryBuild, (n) => ({ alpha: n.attrs['alpha']! }));
// ORT's UnaryReplaceWithQLinear passes Softmax's opset; coerce2d marks the pre-13 semantics here.
const softmax = contribRule('softmax', ['softmax'], 'qlinear_softmax', one, unaryBuild,
  (n) => ({ axis: n.attrs['axis']!, opset: n.attrs['coerce2d'] === true ? 12 : 13 }));

const concat = contribRule('concat', ['concat'], 'qlinear_concat', (n) => n.inputs.length,
  (graph, m, ins, out, probe) => [...outPair(graph, m, out, probe), ...ins.flatMap((p, i) => triple(graph, m, i, p, probe))],
  (n) => ({ axis: n.attrs['axis']! }));

// ---- DQ/Q dropped around data movement -----------------------------------------------------------

const dropQdq: QdqRule = {
  name: 'drop-qdq',
  ops: ['max_pool', 'reshape', 'transpose'],
  pattern: dqQPattern([0]),
  check(_graph, m) {
    const x = qParams(m.dqs[0]!);
    if (typeof x === 'string') return x;
    const y = qParams(m.q!);
    if (typeof y === 'string') return y;
    if (x.perAxis || y.perAxis) return 'per-axis quantization around a data-movement op';
    if (!sameParams(x, y)) return 'the DequantizeLinear and QuantizeLinear around it have different parameters';
    if (m.node.op === 'max_pool' && !(x.scale[0]! > 0)) return 'the scale is not positive (max does not commute with the dequantization)';
    const ins = [dqIn(m, 0), ...m.node.inputs.slice(1)];
    return tryInfer(m.node.op, m.node.name, ins, m.node.attrs);
  },
  rewrite(graph, m) {
    fuse(graph, m, m.node.op, [dqIn(m, 0), ...m.node.inputs.slice(1)], { ...m.node.attrs });
  },
};

// ---- Relu / Clip ----------------------------------------------------------------------------------

/** Float bounds of a float clip node (attributes; input bounds only when constant). */
function clipBounds(n: Node): { lo: number; hi: number } | null {
  if (n.op === 'relu') return { lo: 0, hi: Infinity };
  const get = (attr: string, i: number, d: number): number | null => {
    const a = n.attrs[attr];
    if (typeof a === 'number') return a;
    const v = n.inputs[i];
    if (!v) return d;
    return v.const ? v.const.toNumbers()[0]! : null;
  };
  const lo = get('min', 1, -Infinity);
  const hi = get('max', 2, Infinity);
  return lo === null || hi === null ? null : { lo, hi };
}

/** DQ -> Relu/Clip -> Q whose exact float result is a clamp of the integer input: an integer clip. */
const clampRule: QdqRule = {
  name: 'relu-clip',
  ops: ['relu', 'clip'],
  pattern: dqQPattern([0]),
  check(_graph, m) {
    const r = clampOf(m);
    return typeof r === 'string' ? r : null;
  },
  rewrite(graph, m) {
    const { lo, hi } = clampOf(m) as { lo: number; hi: number };
    fuse(graph, m, 'clip', [dqIn(m, 0)], { min: lo, max: hi });
  },
};

/** Runs DQ -> op -> Q on every 8-bit value with the interpreter's kernels; the clamp it equals, if any. */
function clampOf(m: QdqMatch): { lo: number; hi: number } | string {
  const x = perTensor8(m.dqs[0]!, 'the input');
  if (typeof x === 'string') return x;
  const y = perTensor8(m.q!, 'the output');
  if (typeof y === 'string') return y;
  if (x.dtype !== y.dtype) return `input (${x.dtype}) and output (${y.dtype}) types differ`;
  if (m.node.op === 'clip' && m.node.inputs.slice(1).some((v) => v && !v.const)) return 'the clip bounds are not constant';
  const { qmin, qmax } = qRange(x.dtype);
  const all = Tensor.fromNumbers(x.dtype, [qmax - qmin + 1], Array.from({ length: qmax - qmin + 1 }, (_, i) => qmin + i));
  const run = (n: Node, ins: (Tensor | null)[]) => getOpDef(n.op).interpret({ ...n, inputs: [...n.inputs] }, ins)[0]!;
  const consts = (n: Node) => n.inputs.slice(1).map((v) => v?.const ?? null);
  const dq = run(m.dqs[0]!, [all, ...consts(m.dqs[0]!)]);
  const f = run(m.node, [dq, ...consts(m.node)]);
  const q = run(m.q!, [f, ...consts(m.q!)]).toNumbers();
  const lo = q[0]!;
  const hi = q[q.length - 1]!;
  for (let i = 0; i < q.length; i++) {
    const v = qmin + i;
    if (q[i] !== Math.min(Math.max(v, lo), hi)) {
      return 'the DequantizeLinear and QuantizeLinear parameters differ, so it is a requantization, not a clamp';
    }
  }
  return { lo, hi };
}

/**
 * Relu -> Q and Clip -> Q where Q saturates at least as tightly (ORT's ReluQuantFusion/ClipQuantFusion):
 * the Relu/Clip goes, Q reads its input. Runs as a rule on the float op so the op's own QDQ group can fuse next.
 */
const reluClipIntoQ: QdqRule = {
  name: 'relu-clip-into-q',
  ops: ['relu', 'clip'],
  pattern(graph, node) {
    const q = soleQ(graph, node);
    if (!q) return 'its output does not go to a single QuantizeLinear';
    return { node, dqs: [], q };
  },
  check(_graph, m) {
    const y = qParams(m.q!);
    if (typeof y === 'string') return y;
    if (y.perAxis) return 'per-axis QuantizeLinear';
    const { qmin, qmax } = qRange(y.dtype);
    if (m.node.op === 'relu') return y.zp[0] === qmin ? null : `the QuantizeLinear zero point ${y.zp[0]} is not ${qmin}`;
    const b = clipBounds(m.node);
    if (!b) return 'the clip bounds are not constant';
    const f = Math.fround;
    const lower = f(y.scale[0]! * (qmin - y.zp[0]!));
    const upper = f(y.scale[0]! * (qmax - y.zp[0]!));
    const eps = 1.1920928955078125e-7;
    if (eps < f(b.lo - lower) || eps < f(upper - b.hi)) return 'the clip range is narrower than the QuantizeLinear range';
    return null;
  },
  rewrite(graph, m) {
    graph.setInput(m.q!, 0, m.node.inputs[0]!);
    removeIfUnused(graph, m.node);
  },
};

// ---- DQ -> Q --------------------------------------------------------------------------------------

/** A QuantizeLinear of a DequantizeLinear with the same parameters is the DQ's integer input. */
const cancelDqQ: QdqRule = {
  name: 'dq-q',
  ops: ['quantize_linear'],
  pattern(graph, node) {
    const dq = dqOf(node.inputs[0]);
    if (!dq) return 'no DequantizeLinear before it';
    if (graph.outputs.includes(node.outputs[0]!)) return 'its output is a graph output';
    return { node, dqs: [dq], q: null };
  },
  check(_graph, m) {
    const a = qParams(m.dqs[0]!);
    const b = qParams(m.node);
    if (typeof a === 'string') return a;
    if (typeof b === 'string') return b;
    return sameParams(a, b) ? null : 'parameters differ';
  },
  rewrite(graph, m) {
    graph.replaceAllUses(m.node.outputs[0]!, dqIn(m, 0));
    removeIfUnused(graph, m.node);
    removeIfUnused(graph, m.dqs[0]!);
  },
};

/** The rules, in the order they are tried on each node. */
export const QDQ_RULES: readonly QdqRule[] = [
  reluClipIntoQ, conv, matmulToFloat, matmul, gemm, binary('add'), binary('mul'), averagePool, globalAveragePool, sigmoid, leakyRelu,
  softmax, concat, dropQdq, clampRule, cancelDqQ,
];

export function runQdqRules(graph: Graph, ctx: PassContext, rules: readonly QdqRule[]): boolean {
  let changed = false;
  for (const node of [...graph.nodes]) {
    if (!graph.nodes.includes(node)) continue;
    const reasons: string[] = [];
    for (const rule of rules) {
      if (!rule.ops.includes(node.op)) continue;
      const m = rule.pattern(graph, node);
      const why = typeof m === 'string' ? m : rule.check(graph, m);
      if (why === null) {
        rule.rewrite(graph, m as QdqMatch);
        ctx.floatReasons?.delete(node.id);
        changed = true;
        reasons.length = 0;
        break;
      }
      reasons.push(why);
    }
    // The last rule's reason is the most specific (relu/clip: the clamp rule, not the Relu -> Q one).
    if (reasons.length > 0 && graph.nodes.includes(node)) ctx.floatReasons?.set(node.id, reasons[reasons.length - 1]!);
  }
  return changed;
}

export const qdqFusion: Pass = {
  name: 'qdq-fusion',
  run: (graph, ctx) => {
    markS8ToU8(graph);
    return runQdqRules(graph, ctx, QDQ_RULES);
  },
};
