import { QccError, type QccErrorCode } from '../../errors.ts';
import { DEFAULT_MAX_TENSOR_BYTES, checkTensorLimit } from '../../limits.ts';
import type { Attrs, Graph, Node, TensorType, Value } from '../../ir/graph.ts';
import type { Tensor } from '../../ir/tensor.ts';
import { getOpDef } from '../../ops/registry.ts';
import { foldNode } from '../../passes/fold-node.ts';
import { attrKind, type AttrKind } from './attributes.ts';
import type { ImportContext } from './importer.ts';
import { bytesToString, int64ToNumber, type AttributeProto, type Int64, type NodeProto } from './proto.ts';
import { decodeTensor, type TensorDecodeOptions } from './tensor-decode.ts';

/** Shared state of one model import: the graph being built and the ONNX-name-to-value map. */
export class ImportState {
  readonly graph: Graph;
  /** ONNX value name -> the value it denotes (after Identity-like binds, possibly another value's). */
  readonly env = new Map<string, Value>();
  readonly tensorOpts: TensorDecodeOptions;
  /** Every name that appears in the ONNX graph: fresh names must avoid them. */
  private readonly reservedValueNames: Set<string>;
  private readonly usedNodeNames = new Set<string>();
  private readonly reservedNodeNames: Set<string>;

  constructor(graph: Graph, reservedValueNames: Set<string>, reservedNodeNames: Set<string>, tensorOpts: TensorDecodeOptions) {
    this.graph = graph;
    this.reservedValueNames = reservedValueNames;
    this.reservedNodeNames = reservedNodeNames;
    this.tensorOpts = tensorOpts;
  }

  /** A value name not used in the graph and not an ONNX name. */
  freshValueName(hint: string): string {
    const free = (n: string) => !this.reservedValueNames.has(n) && !this.graph.valueByName(n);
    if (free(hint)) return hint;
    for (let k = 1; ; k++) if (free(`${hint}__${k}`)) return `${hint}__${k}`;
  }

  /**
   * Claims a node name. `onnx` names were made unique by the loader and are claimed as they are; derived
   * names (temps of multi-node lowerings) avoid every ONNX node name.
   */
  claimNodeName(name: string, onnx: boolean): string {
    const free = (n: string) => !this.usedNodeNames.has(n) && (onnx || !this.reservedNodeNames.has(n));
    let out = name;
    for (let k = 1; !free(out); k++) out = `${name}__${k}`;
    this.usedNodeNames.add(out);
    return out;
  }
}

const KIND_NAMES: Record<AttrKind, string> = {
  float: 'a float', int: 'an int', string: 'a string', tensor: 'a tensor', graph: 'a graph', sparse_tensor: 'a sparse tensor',
  type_proto: 'a type', floats: 'a list of floats', ints: 'a list of ints', strings: 'a list of strings',
  tensors: 'a list of tensors', graphs: 'a list of graphs', sparse_tensors: 'a list of sparse tensors',
  type_protos: 'a list of types', undefined: 'of no known kind',
};

/** The ImportContext handed to one importer for one ONNX node. */
export class OnnxImportContext implements ImportContext {
  readonly nodeName: string;
  readonly opType: string;
  readonly domain: string;
  readonly opset: number;
  readonly numInputs: number;
  readonly numOutputs: number;
  /** Nodes added for this ONNX node (folded ones excluded). */
  readonly emitted: Node[] = [];
  private readonly state: ImportState;
  private readonly proto: NodeProto;
  private readonly attrs = new Map<string, AttributeProto>();
  private emittedMain = false;
  private readonly madeConsts = new Set<Value>();

  constructor(state: ImportState, proto: NodeProto, nodeName: string, domain: string, opset: number) {
    this.state = state;
    this.proto = proto;
    this.nodeName = nodeName;
    this.opType = proto.opType ?? '';
    this.domain = domain;
    this.opset = opset;
    this.numInputs = proto.input?.length ?? 0;
    this.numOutputs = proto.output?.length ?? 0;
    for (const a of proto.attribute ?? []) {
      const n = a.name ?? '';
      if (this.attrs.has(n)) throw this.error(`attribute '${n}' is given twice`, 'E_ATTR');
      this.attrs.set(n, a);
    }
  }

  get maxTensorBytes(): number {
    return this.state.tensorOpts.maxTensorBytes ?? DEFAULT_MAX_TENSOR_BYTES;
  }

  /** ONNX name of output i ('' when absent). */
  outputName(i: number): string {
    return this.proto.output?.[i] ?? '';
  }

  inputName(i: number): string {
    return this.proto.input?.[i] ?? '';
  }

  input(i: number): Value | null {
    const name = this.inputName(i);
    if (!name) return null;
    const v = this.state.env.get(name);
    if (!v) throw this.error(`input ${i} ('${name}') is not defined`, 'E_MODEL');
    return v;
  }

  requireInput(i: number, what?: string): Value {
    const v = this.input(i);
    if (!v) throw this.error(`${what ?? `input ${i}`} is required but missing`, 'E_MODEL');
    return v;
  }

  constInput(i: number, what: string): Tensor {
    const v = this.requireInput(i, what);
    if (!v.const) {
      throw this.error(`${what} ('${v.name}') must be a compile-time constant, but it is computed at run time`, 'E_NOT_CONSTANT');
    }
    return v.const;
  }

  optConstInput(i: number, what: string): Tensor | undefined {
    return this.input(i) ? this.constInput(i, what) : undefined;
  }

  hasAttr(name: string): boolean {
    return this.attrs.has(name);
  }

  /** The attribute of the wanted kind, undefined when absent, E_ATTR when of another kind. */
  private attr(name: string, want: AttrKind): AttributeProto | undefined {
    const a = this.attrs.get(name);
    if (!a) return undefined;
    const k = attrKind(a);
    if (k !== want && !(k === 'undefined' && (want === 'ints' || want === 'floats' || want === 'strings'))) {
      throw this.error(`attribute '${name}' must be ${KIND_NAMES[want]}, but it is ${KIND_NAMES[k]}`, 'E_ATTR');
    }
    return a;
  }

  private missing(name: string): QccError {
    return this.error(`required attribute '${name}' is missing`, 'E_ATTR');
  }

  attrInt(name: string, dflt?: number): number {
    const a = this.attr(name, 'int');
    if (!a) {
      if (dflt === undefined) throw this.missing(name);
      return dflt;
    }
    return int64ToNumber(a.i as Int64);
  }

  attrFloat(name: string, dflt?: number): number {
    const a = this.attr(name, 'float');
    if (!a) {
      if (dflt === undefined) throw this.missing(name);
      return Math.fround(dflt);
    }
    return Math.fround(a.f ?? 0);
  }

  attrInts(name: string, dflt?: readonly number[]): number[] {
    const a = this.attr(name, 'ints');
    if (!a) {
      if (dflt === undefined) throw this.missing(name);
      return [...dflt];
    }
    return (a.ints ?? []).map((x) => int64ToNumber(x as Int64));
  }

  attrFloats(name: string, dflt?: readonly number[]): number[] {
    const a = this.attr(name, 'floats');
    if (!a) {
      if (dflt === undefined) throw this.missing(name);
      return dflt.map(Math.fround);
    }
    return (a.floats ?? []).map(Math.fround);
  }

  attrString(name: string, dflt?: string): string {
    const a = this.attr(name, 'string');
    if (!a) {
      if (dflt === undefined) throw this.missing(name);
      return dflt;
    }
    return bytesToString(a.s);
  }

  attrStrings(name: string, dflt?: readonly string[]): string[] {
    const a = this.attr(name, 'strings');
    if (!a) {
      if (dflt === undefined) throw this.missing(name);
      return [...dflt];
    }
    return (a.strings ?? []).map(bytesToString);
  }

  attrTensor(name: string): Tensor {
    const a = this.attr(name, 'tensor');
    if (!a || !a.t) throw this.missing(name);
    return decodeTensor(a.t, `tensor attribute '${name}' of node '${this.nodeName}'`, this.state.tensorOpts);
  }

  /** Kind of an attribute (for importers that accept several kinds, such as Constant). */
  attrKindOf(name: string): AttrKind | undefined {
    const a = this.attrs.get(name);
    return a ? attrKind(a) : undefined;
  }

  rejectAttrsExcept(names: readonly string[]): void {
    const extra = [...this.attrs.keys()].filter((n) => !names.includes(n));
    if (extra.length > 0) {
      throw this.error(
        `attribute${extra.length > 1 ? 's' : ''} ${extra.map((n) => `'${n}'`).join(', ')} ${extra.length > 1 ? 'are' : 'is'} not supported` +
          (names.length > 0 ? ` (supported: ${names.join(', ')})` : ''),
        'E_UNSUPPORTED',
      );
    }
  }

  emit(kind: string, inputs: readonly (Value | null)[], attrs: Attrs = {}): Value[] {
    if (this.emittedMain) throw new Error(`internal: importer of ${this.opType} called emit twice for node '${this.nodeName}'`);
    this.emittedMain = true;
    return this.addNode(kind, inputs, attrs, true);
  }

  emitTemp(kind: string, inputs: readonly (Value | null)[], attrs: Attrs = {}): Value[] {
    return this.addNode(kind, inputs, attrs, false);
  }

  bind(i: number, v: Value): void {
    if (i < 0 || i >= this.numOutputs) throw new Error(`internal: importer of ${this.opType} bound output ${i} of node '${this.nodeName}', which has ${this.numOutputs}`);
    const name = this.outputName(i);
    if (!name) return;
    // A constant made by this node for this output (Constant and the like) takes the output's name.
    if (this.madeConsts.has(v) && v.users.length === 0) {
      this.madeConsts.delete(v);
      this.state.graph.renameValue(v, name);
    }
    this.state.env.set(name, v);
  }

  constant(t: Tensor, nameHint?: string): Value {
    const v = this.state.graph.addConst(this.state.freshValueName(nameHint ?? `${this.nodeName}_const`), t);
    this.madeConsts.add(v);
    return v;
  }

  error(message: string, code: QccErrorCode = 'E_UNSUPPORTED', hint?: string): QccError {
    const domain = this.domain === '' ? 'ai.onnx' : this.domain;
    return new QccError(code, message, { node: { name: this.nodeName, op: `${domain}::${this.opType} opset ${this.opset}` }, hint });
  }

  private addNode(kind: string, inputs: readonly (Value | null)[], attrs: Attrs, main: boolean): Value[] {
    const { graph } = this.state;
    const def = getOpDef(kind);
    const name = this.state.claimNodeName(main ? this.nodeName : `${this.nodeName}/${kind}`, main);
    // Inference runs on a detached node first: its output types decide the values the real node gets.
    // Some ops read the number of outputs (split), so the probe carries placeholders: as many as the ONNX
    // node has (main) or one (temps), and again with the inferred count if that differs.
    const probe = (count: number): TensorType[] => {
      const outs: Value[] = Array.from({ length: count }, (_, k) => ({
        id: -1, name: main ? this.outputName(k) : '', type: { dtype: 'f32', shape: [] }, producer: null, users: [],
      }));
      return def.infer({ id: -1, name, op: kind, inputs: [...inputs], outputs: outs, attrs });
    };
    const guess = main ? Math.max(this.numOutputs, 1) : 1;
    let types = probe(guess);
    if (types.length !== guess) types = probe(types.length);
    // Refuse oversized results here, before folding or the interpreter allocate them.
    const maxBytes = this.maxTensorBytes;
    types.forEach((t, k) => {
      const what = `output ${k}${main && this.outputName(k) ? ` ('${this.outputName(k)}')` : ''}${main ? '' : ` of its ${kind} step`}`;
      try {
        checkTensorLimit(t, what, maxBytes);
      } catch (e) {
        throw e instanceof QccError ? this.error(e.message, e.code) : e;
      }
    });
    const outputs = types.map((t, k) => {
      const onnxName = main ? this.outputName(k) : '';
      const vname = onnxName !== '' ? onnxName : this.state.freshValueName(main ? `${this.nodeName}_out${k}` : `${name}_out${k}`);
      return graph.addValue(vname, t);
    });
    const node = graph.addNode(kind, name, [...inputs], outputs, attrs);
    if (main) outputs.forEach((v, k) => {
      if (k < this.numOutputs && this.outputName(k)) this.state.env.set(this.outputName(k), v);
    });
    if (!foldNode(graph, node, { maxBytes: this.state.tensorOpts.maxTensorBytes })) this.emitted.push(node);
    return outputs;
  }
}
