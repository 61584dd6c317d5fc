import { DTYPES } from './dtype.ts';
import type { AttrValue, Attrs, Graph, Node, TensorType, Value } from './graph.ts';
import { Tensor } from './tensor.ts';
import { formatF64, quoteString } from '../text/numbers.ts';
import { dataHash, isSplat, tensorItems } from '../text/tensor-literal.ts';

/**
 * The qcc IR text: a readable, exact, parseable (ir/parse.ts) form of a Graph.
 *
 *     graph @tiny {
 *       meta {opsets = "ai.onnx=13", producer = "onnx2c"}
 *       input %x: u8[1x3x8x8]
 *       const %w: i8[4x3x3x3] = [1, -2, ...]
 *       const %x_scale: f32[] = 0.0235
 *       const %bias: i32[4] = splat(0)
 *       %y: u8[1x4x6x6] = qlinear_conv @conv1 (%x, %x_scale, %x_zp, %w, ..., none) {group = 1, pads = [0, 0, 0, 0]}
 *       output %y
 *     }
 *
 * Values are `%name`, nodes `@name` (quoted when the name has other characters than [A-Za-z0-9_.-/]),
 * types `dtype[d0xd1x...]` (`[]` for a scalar). Node attributes are a generic `{key = value}` dict
 * (numbers, strings, booleans, lists, tensors), so whatever a pass stores on a node (requantization
 * multipliers, packed layouts, arena offsets) prints and reads back with no change here. Constants are
 * printed in order of first use; attribute keys sorted; `//` starts a comment.
 */
export interface IrPrintOptions {
  /**
   * 'full' (default): all constant data, so parse(print(g)) is exact. 'summary': tensors longer than
   * `inlineLimit` elements (and not a splat) print as `elided {min, max, hash}`.
   */
  data?: 'full' | 'summary';
  /** Elements printed inline in summary mode (default 16). */
  inlineLimit?: number;
  /** Extra text shown as a `// comment` after a value's definition (e.g. an arena offset). */
  annotate?: (v: Value) => string | undefined;
}

const BARE_NAME = /^[A-Za-z0-9_.\-/]+$/;
const BARE_KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;

export const valueRef = (name: string): string => '%' + (BARE_NAME.test(name) ? name : quoteString(name));
export const nodeRef = (name: string): string => '@' + (BARE_NAME.test(name) ? name : quoteString(name));

export function irType(t: TensorType): string {
  return `${t.dtype}[${t.shape.join('x')}]`;
}

const ITEMS_PER_LINE = 16;

/** Tensor data: a scalar, `[...]`, `splat(v)`, or (summary mode) `elided {...}`. */
export function irTensorData(t: Tensor, opts: IrPrintOptions = {}, indent = '  '): string {
  const n = t.size;
  if (n === 0) return '[]';
  if (n >= 2 && isSplat(t)) return `splat(${tensorItems(new Tensor(t.dtype, [1], t.data.slice(0, 1)), true)[0]})`;
  if (opts.data === 'summary' && n > (opts.inlineLimit ?? 16)) {
    const nums = DTYPES[t.dtype].isBig ? null : t.toNumbers().filter((x) => !Number.isNaN(x));
    const range = nums && nums.length > 0 ? `min = ${formatF64(Math.min(...nums))}, max = ${formatF64(Math.max(...nums))}, ` : '';
    return `elided {${range}hash = "${dataHash(t)}"}`;
  }
  const items = tensorItems(t, true);
  if (n === 1) return items[0]!;
  if (items.length <= ITEMS_PER_LINE) return `[${items.join(', ')}]`;
  const rows: string[] = [];
  for (let i = 0; i < items.length; i += ITEMS_PER_LINE) rows.push(items.slice(i, i + ITEMS_PER_LINE).join(', '));
  return `[\n${indent}  ${rows.join(`,\n${indent}  `)}\n${indent}]`;
}

function scalarText(v: unknown): string {
  if (typeof v === 'number') return formatF64(v);
  if (typeof v === 'string') return quoteString(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'bigint') return v.toString();
  throw new Error(`internal: attribute element of type ${typeof v} cannot be printed`);
}

export function irAttrValue(v: AttrValue, opts: IrPrintOptions = {}, indent = '  '): string {
  if (v instanceof Tensor) return `${irType(v)} ${irTensorData(v, opts, indent)}`;
  if (Array.isArray(v) || ArrayBuffer.isView(v)) return `[${Array.from(v as ArrayLike<unknown>, scalarText).join(', ')}]`;
  return scalarText(v);
}

export function irAttrs(attrs: Attrs, opts: IrPrintOptions = {}, indent = '  '): string {
  const keys = Object.keys(attrs).sort();
  return `{${keys.map((k) => `${BARE_KEY.test(k) ? k : quoteString(k)} = ${irAttrValue(attrs[k]!, opts, indent)}`).join(', ')}}`;
}

function nodeLine(n: Node, opts: IrPrintOptions): string {
  const outs = n.outputs.map((o) => `${valueRef(o.name)}: ${irType(o.type)}`).join(', ');
  const ins = n.inputs.map((i) => (i ? valueRef(i.name) : 'none')).join(', ');
  const attrs = Object.keys(n.attrs).length > 0 ? ' ' + irAttrs(n.attrs, opts) : '';
  const notes = opts.annotate ? n.outputs.map((o) => opts.annotate!(o)).filter((s): s is string => !!s) : [];
  return `${outs} = ${n.op} ${nodeRef(n.name)} (${ins})${attrs}${notes.length > 0 ? `  // ${notes.join('; ')}` : ''}`;
}

/** Prints a graph as IR text (see the format above). */
export function printGraph(g: Graph, opts: IrPrintOptions = {}): string {
  const lines: string[] = [`graph ${nodeRef(g.name)} {`];
  const metaKeys = Object.keys(g.meta).sort();
  if (metaKeys.length > 0) lines.push(`  meta {${metaKeys.map((k) => `${BARE_KEY.test(k) ? k : quoteString(k)} = ${quoteString(g.meta[k]!)}`).join(', ')}}`);
  const note = (v: Value): string => {
    const s = opts.annotate?.(v);
    return s ? `  // ${s}` : '';
  };
  for (const v of g.inputs) lines.push(`  input ${valueRef(v.name)}: ${irType(v.type)}${note(v)}`);

  // Constants in order of first use (nodes, then graph outputs): stable under print/parse.
  const consts: Value[] = [];
  const seen = new Set<Value>();
  const take = (v: Value | null): void => {
    if (v && v.const && !v.producer && !seen.has(v) && !g.inputs.includes(v)) {
      seen.add(v);
      consts.push(v);
    }
  };
  for (const n of g.nodes) n.inputs.forEach(take);
  g.outputs.forEach(take);
  for (const v of consts) lines.push(`  const ${valueRef(v.name)}: ${irType(v.type)} = ${irTensorData(v.const!, opts, '  ')}${note(v)}`);

  for (const n of g.nodes) lines.push('  ' + nodeLine(n, opts));
  if (g.outputs.length > 0) lines.push(`  output ${g.outputs.map((o) => valueRef(o.name)).join(', ')}`);
  lines.push('}');
  return lines.join('\n') + '\n';
}
