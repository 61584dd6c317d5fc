import type { DType } from './dtype.ts';
import { Tensor, shapeToString, type Shape } from './tensor.ts';

export interface TensorType {
  readonly dtype: DType;
  readonly shape: Shape;
}

export function typeToString(t: TensorType): string {
  return `${t.dtype}[${shapeToString(t.shape)}]`;
}

export function sameType(a: TensorType, b: TensorType): boolean {
  return a.dtype === b.dtype && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]);
}

/**
 * Attribute values of internal ops. Importers normalise ONNX attributes (and constant operands that
 * are really attributes, such as Reshape's shape or Pad's pads) into these. Floats are float32 values.
 */
export type AttrValue = number | string | boolean | readonly number[] | readonly string[] | Tensor;
export type Attrs = Record<string, AttrValue>;

export interface Value {
  readonly id: number;
  /** Name from the model (unique in the graph); not a C identifier. */
  name: string;
  type: TensorType;
  /** Known at compile time (initializer, Constant, or folded). */
  const?: Tensor;
  producer: Node | null;
  readonly users: Node[];
}

export interface Node {
  readonly id: number;
  /** Name from the model (or derived from its first output when the model left it empty). */
  name: string;
  /** Internal op kind, lowercase snake_case, e.g. 'qlinear_conv'. */
  op: string;
  /** Missing optional inputs are null. */
  inputs: (Value | null)[];
  outputs: Value[];
  attrs: Attrs;
}

/**
 * The typed graph. `nodes` is kept in a valid execution (topological) order. Mutate it only through
 * the methods here so that producer/user links never go stale.
 */
export class Graph {
  name: string;
  readonly values = new Map<number, Value>();
  nodes: Node[] = [];
  inputs: Value[] = [];
  outputs: Value[] = [];
  /** Free-form provenance kept for reports (producer name, opsets). */
  meta: Record<string, string> = {};
  private nextId = 0;
  private readonly byName = new Map<string, Value>();

  constructor(name: string) {
    this.name = name;
  }

  addValue(name: string, type: TensorType, konst?: Tensor): Value {
    const v: Value = { id: this.nextId++, name: this.uniqueName(name), type, const: konst, producer: null, users: [] };
    this.values.set(v.id, v);
    this.byName.set(v.name, v);
    return v;
  }

  addConst(name: string, t: Tensor): Value {
    return this.addValue(name, { dtype: t.dtype, shape: t.shape }, t);
  }

  valueByName(name: string): Value | undefined {
    return this.byName.get(name);
  }

  /**
   * Renames a value (e.g. so a graph output carries its model name). The new name must be free; returns
   * false (and changes nothing) when another value already has it.
   */
  renameValue(v: Value, name: string): boolean {
    if (v.name === name) return true;
    if (this.byName.has(name)) return false;
    if (this.byName.get(v.name) === v) this.byName.delete(v.name);
    v.name = name;
    this.byName.set(name, v);
    return true;
  }

  /** Appends a node at the end of the order (or before `before`). Outputs must not have a producer yet. */
  addNode(op: string, name: string, inputs: (Value | null)[], outputs: Value[], attrs: Attrs = {}, before?: Node): Node {
    const node: Node = { id: this.nextId++, name, op, inputs: [...inputs], outputs: [...outputs], attrs };
    for (const i of inputs) if (i) i.users.push(node);
    for (const o of outputs) {
      if (o.producer) throw new Error(`internal: value ${o.name} already has a producer`);
      o.producer = node;
    }
    if (before) {
      const at = this.nodes.indexOf(before);
      this.nodes.splice(at < 0 ? this.nodes.length : at, 0, node);
    } else {
      this.nodes.push(node);
    }
    return node;
  }

  /** Points every use of `from` (node inputs and graph outputs) at `to`. */
  replaceAllUses(from: Value, to: Value): void {
    if (from === to) return;
    for (const n of [...from.users]) {
      n.inputs = n.inputs.map((i) => (i === from ? to : i));
      to.users.push(n);
    }
    from.users.length = 0;
    this.outputs = this.outputs.map((o) => (o === from ? to : o));
  }

  setInput(node: Node, index: number, v: Value | null): void {
    const old = node.inputs[index];
    if (old) {
      const k = old.users.indexOf(node);
      if (k >= 0) old.users.splice(k, 1);
    }
    node.inputs[index] = v;
    if (v) v.users.push(node);
  }

  /** Removes a node; its outputs must be unused (or be replaced first). */
  removeNode(node: Node): void {
    for (const o of node.outputs) {
      if (o.users.length > 0 || this.outputs.includes(o)) {
        throw new Error(`internal: removing ${node.name} whose output ${o.name} is still used`);
      }
      o.producer = null;
      this.deleteValue(o);
    }
    for (const i of node.inputs) {
      if (!i) continue;
      const k = i.users.indexOf(node);
      if (k >= 0) i.users.splice(k, 1);
    }
    this.nodes = this.nodes.filter((n) => n !== node);
  }

  /** Drops values nobody references (dead constants after folding). */
  pruneValues(): void {
    const keep = new Set<Value>([...this.inputs, ...this.outputs]);
    for (const n of this.nodes) {
      for (const i of n.inputs) if (i) keep.add(i);
      for (const o of n.outputs) keep.add(o);
    }
    for (const v of [...this.values.values()]) if (!keep.has(v)) this.deleteValue(v);
  }

  private deleteValue(v: Value): void {
    this.values.delete(v.id);
    if (this.byName.get(v.name) === v) this.byName.delete(v.name);
  }

  private uniqueName(name: string): string {
    if (!this.byName.has(name)) return name;
    for (let k = 1; ; k++) {
      const n = `${name}__${k}`;
      if (!this.byName.has(n)) return n;
    }
  }
}
