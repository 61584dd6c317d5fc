import type { QccError, QccErrorCode } from '../../errors.ts';
import type { Attrs, Value } from '../../ir/graph.ts';
import type { Tensor } from '../../ir/tensor.ts';

/**
 * Maps one ONNX op (domain, op_type, opset range) to internal nodes. Importers normalise opset
 * differences (attributes that became inputs, changed defaults) so each internal kind has one meaning.
 */
export interface OnnxImporter {
  /** '' for ai.onnx, 'com.microsoft' for ONNX Runtime contrib ops. */
  readonly domain: string;
  readonly opType: string;
  /** First opset version handled; it applies until the next registered `since` of the same op. */
  readonly since: number;
  import(ctx: ImportContext): void;
}

export interface ImportContext {
  readonly nodeName: string;
  readonly opType: string;
  readonly domain: string;
  /** The model's opset version for this node's domain. */
  readonly opset: number;
  /** Inputs listed on the ONNX node, trailing empty names included. */
  readonly numInputs: number;
  readonly numOutputs: number;
  /** The loader's per-tensor byte limit: importers that build constants check sizes against it first. */
  readonly maxTensorBytes: number;

  /** Input i, or null when absent or named ''. */
  input(i: number): Value | null;
  /** Input i, or an error naming the node and `what`. */
  requireInput(i: number, what?: string): Value;
  /** Constant value of input i (after folding), or an E_NOT_CONSTANT error naming `what`. */
  constInput(i: number, what: string): Tensor;
  /** Like constInput, but undefined when the input is absent. */
  optConstInput(i: number, what: string): Tensor | undefined;

  hasAttr(name: string): boolean;
  attrInt(name: string, dflt?: number): number;
  /** float32-rounded. */
  attrFloat(name: string, dflt?: number): number;
  attrInts(name: string, dflt?: readonly number[]): number[];
  attrFloats(name: string, dflt?: readonly number[]): number[];
  attrString(name: string, dflt?: string): string;
  attrStrings(name: string, dflt?: readonly string[]): string[];
  attrTensor(name: string): Tensor;
  /** Errors on attributes this importer does not know or handle (call with the ones it read). */
  rejectAttrsExcept(names: readonly string[]): void;

  /**
   * Adds an internal node whose outputs are the ONNX node's outputs, in order. Runs type inference at
   * once and folds the node when all its inputs are constant (and its kind is foldable).
   */
  emit(kind: string, inputs: readonly (Value | null)[], attrs?: Attrs): Value[];
  /** Adds an internal node with fresh intermediate outputs (multi-node lowerings). */
  emitTemp(kind: string, inputs: readonly (Value | null)[], attrs?: Attrs): Value[];
  /** Binds ONNX output i to an existing value (Identity-like ops emit nothing). */
  bind(i: number, v: Value): void;
  /** A new constant value. */
  constant(t: Tensor, nameHint?: string): Value;
  /** An error naming this ONNX node (name, domain, op type, opset). */
  error(message: string, code?: QccErrorCode, hint?: string): QccError;
}

const IMPORTERS = new Map<string, OnnxImporter[]>();

const key = (domain: string, opType: string) => `${domain === 'ai.onnx' ? '' : domain}::${opType}`;

export function registerImporter(imp: OnnxImporter): void {
  const k = key(imp.domain, imp.opType);
  const list = IMPORTERS.get(k) ?? [];
  if (list.some((x) => x.since === imp.since)) throw new Error(`internal: importer ${k} v${imp.since} registered twice`);
  list.push(imp);
  list.sort((a, b) => a.since - b.since);
  IMPORTERS.set(k, list);
}

/** Shorthand for the common case. */
export function importer(domain: string, opType: string, since: number, fn: (ctx: ImportContext) => void): void {
  registerImporter({ domain, opType, since, import: fn });
}

/** The importer for an op at a model opset, or undefined (the loader then reports it as unsupported). */
export function findImporter(domain: string, opType: string, opset: number): OnnxImporter | undefined {
  const list = IMPORTERS.get(key(domain, opType));
  if (!list) return undefined;
  let found: OnnxImporter | undefined;
  for (const imp of list) if (imp.since <= opset) found = imp;
  return found;
}

/** Every (domain, op type) with its opset ranges, for the README's supported-ops table. */
export function listImporters(): { domain: string; opType: string; since: number[] }[] {
  return [...IMPORTERS.values()]
    .map((l) => ({ domain: l[0]!.domain, opType: l[0]!.opType, since: l.map((x) => x.since) }))
    .sort((a, b) => (a.domain + a.opType).localeCompare(b.domain + b.opType));
}
