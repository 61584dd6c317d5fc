import { QccError, type QccErrorCode } from '../errors.ts';
import type { AttrValue, Node, TensorType } from '../ir/graph.ts';
import type { Tensor } from '../ir/tensor.ts';

/**
 * One definition object per internal op kind: type inference (the one place for shape errors) and the
 * reference semantics. Importers (frontend/onnx/importers) build nodes of these kinds; backends emit them.
 */
export interface OpDef {
  /** Internal kind, lowercase snake_case, unique. */
  readonly kind: string;
  /**
   * Validates attributes and input types and returns the output types. Inputs' `.const` is available
   * (constant operands are known by the time a node is inferred). Throw with `opError`.
   */
  infer(node: Node): TensorType[];
  /** Reference semantics: exact, deterministic, float32 steps rounded with Math.fround. */
  interpret(node: Node, inputs: (Tensor | null)[]): Tensor[];
  /** May constant folding evaluate it when all inputs are constant? Default true. */
  readonly foldable?: boolean;
  /**
   * Input indices that must be compile-time constants for code generation (scales, zero points,
   * weights of integer ops). The interpreter accepts them at run time too. A function when it depends on
   * the node (QuantizeLinear needs its scale constant only per-axis); read it with constInputsOf.
   */
  readonly constInputs?: readonly number[] | ((node: Node) => readonly number[]);
  /** Multiply-accumulates of one execution, for reports. Default 0. */
  macs?(node: Node): number;
}

/** The input indices of `node` that code generation needs constant (OpDef.constInputs resolved). */
export function constInputsOf(def: OpDef, node: Node): readonly number[] {
  const c = def.constInputs;
  return typeof c === 'function' ? c(node) : (c ?? []);
}

export function opError(node: Node, message: string, code: QccErrorCode = 'E_SHAPE', hint?: string): QccError {
  return new QccError(code, message, { node: { name: node.name, op: node.op }, hint });
}

/** Typed attribute access for internal nodes (importers have already validated kinds). */
export function attrInt(node: Node, name: string, dflt?: number): number {
  const v = node.attrs[name];
  if (v === undefined) {
    if (dflt !== undefined) return dflt;
    throw opError(node, `missing attribute '${name}'`, 'E_ATTR');
  }
  if (typeof v !== 'number') throw opError(node, `attribute '${name}' must be a number`, 'E_ATTR');
  return v;
}

export const attrFloat = attrInt;

export function attrInts(node: Node, name: string, dflt?: readonly number[]): readonly number[] {
  const v: AttrValue | undefined = node.attrs[name];
  if (v === undefined) {
    if (dflt !== undefined) return dflt;
    throw opError(node, `missing attribute '${name}'`, 'E_ATTR');
  }
  if (!Array.isArray(v) || v.some((x) => typeof x !== 'number')) {
    throw opError(node, `attribute '${name}' must be a list of numbers`, 'E_ATTR');
  }
  return v as readonly number[];
}

export function attrString(node: Node, name: string, dflt?: string): string {
  const v = node.attrs[name];
  if (v === undefined) {
    if (dflt !== undefined) return dflt;
    throw opError(node, `missing attribute '${name}'`, 'E_ATTR');
  }
  if (typeof v !== 'string') throw opError(node, `attribute '${name}' must be a string`, 'E_ATTR');
  return v;
}

/** The input's type, or an error naming the node if a required input is missing. */
export function inType(node: Node, i: number): TensorType {
  const v = node.inputs[i];
  if (!v) throw opError(node, `input ${i} is required`);
  return v.type;
}

/** The input's constant value, or an error naming the node. */
export function inConst(node: Node, i: number, what = `input ${i}`): Tensor {
  const v = node.inputs[i];
  if (!v) throw opError(node, `${what} is required`);
  if (!v.const) throw opError(node, `${what} ('${v.name}') must be a compile-time constant`, 'E_NOT_CONSTANT');
  return v.const;
}
