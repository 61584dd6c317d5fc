import type onnxProto from 'onnx-proto';
import { QccError } from '../../errors.ts';
import { formatF32, quoteString } from '../../text/numbers.ts';
import { tensorItems } from '../../text/tensor-literal.ts';
import { attrKind } from '../onnx/attributes.ts';
import { bytesToString, int64ToBigInt, int64ToNumber, type AttributeProto, type GraphProto, type Int64, type ModelProto, type NodeProto, type TensorProto, type TypeProto, type ValueInfoProto } from '../onnx/proto.ts';
import { decodeTensor, type TensorDecodeOptions } from '../onnx/tensor-decode.ts';
import { ONNX_ID, ONNX_TYPE_CODES, onnxTypeName } from './types.ts';

export interface OnnxPrintOptions extends TensorDecodeOptions {
  /** Values per line in tensor data (default 16). */
  valuesPerLine?: number;
}

const id = (s: string): string => (ONNX_ID.test(s) ? s : quoteString(s));

/**
 * Prints a ModelProto in the ONNX textual syntax (as onnx.printer does, with every attribute typed and
 * every number written so that it reads back to the same bits). Tensor data is always inline: external
 * data is read (from `baseDir`) and printed.
 */
export function printOnnxText(model: ModelProto, opts: OnnxPrintOptions = {}): string {
  const header: string[] = [`ir_version: ${int64ToNumber(model.irVersion as Int64)}`];
  header.push(`opset_import: [${(model.opsetImport ?? []).map((o) => `${quoteString(o.domain ?? '')} : ${int64ToNumber(o.version as Int64)}`).join(', ')}]`);
  if (model.producerName) header.push(`producer_name: ${quoteString(model.producerName)}`);
  if (model.producerVersion) header.push(`producer_version: ${quoteString(model.producerVersion)}`);
  if (model.domain) header.push(`domain: ${quoteString(model.domain)}`);
  const mv = int64ToBigInt(model.modelVersion as Int64);
  if (mv !== 0n) header.push(`model_version: ${mv}`);
  if (model.docString) header.push(`doc_string: ${quoteString(model.docString)}`);
  if ((model.metadataProps ?? []).length > 0) {
    header.push(`metadata_props: [${model.metadataProps.map((p) => `${quoteString(p.key ?? '')} : ${quoteString(p.value ?? '')}`).join(', ')}]`);
  }
  const p = new Printer(opts);
  return `<\n  ${header.join(',\n  ')}\n>\n${p.graph(model.graph!, '')}\n`;
}

class Printer {
  constructor(private readonly opts: OnnxPrintOptions) {}

  graph(g: GraphProto, indent: string): string {
    const inner = indent + '  ';
    const lines: string[] = [];
    const inputs = (g.input ?? []).map((v) => this.valueInfo(v)).join(', ');
    const outputs = (g.output ?? []).map((v) => this.valueInfo(v)).join(', ');
    lines.push(`${id(g.name ?? '')} (${inputs}) => (${outputs})`);
    const extra = [
      ...(g.initializer ?? []).map((t) => this.initializer(t, inner)),
      ...(g.valueInfo ?? []).map((v) => this.valueInfo(v)),
    ];
    if ((g.sparseInitializer ?? []).length > 0) throw new QccError('E_UNSUPPORTED', 'sparse initializers cannot be printed as text');
    if (extra.length > 0) lines.push(`${indent}<\n${inner}${extra.join(`,\n${inner}`)}\n${indent}>`);
    lines.push(`${indent}{`);
    for (const n of g.node ?? []) lines.push(inner + this.node(n, inner));
    lines.push(`${indent}}`);
    return lines.join('\n');
  }

  private type(t: TypeProto | null | undefined, what: string): string {
    if (t?.sequenceType) return `seq(${this.type(t.sequenceType.elemType, what)})`;
    if (t?.optionalType) return `optional(${this.type(t.optionalType.elemType, what)})`;
    if (t?.mapType) return `map(${this.elemName(t.mapType.keyType ?? 0, what)}, ${this.type(t.mapType.valueType, what)})`;
    if (t?.sparseTensorType) return `sparse_tensor(${this.tensorType(t.sparseTensorType, what)})`;
    if (!t?.tensorType) throw new QccError('E_UNSUPPORTED', `${what} has a type the text syntax printer does not handle`);
    return this.tensorType(t.tensorType, what);
  }

  private tensorType(tt: { elemType?: number | null; shape?: onnxProto.onnx.ITensorShapeProto | null }, what: string): string {
    const name = this.elemName(tt.elemType ?? 0, what);
    if (!tt.shape) return name;
    const dims = (tt.shape.dim ?? []).map((d) => {
      if (d.dimParam) return id(d.dimParam);
      if (Object.prototype.hasOwnProperty.call(d, 'dimValue')) return String(int64ToBigInt(d.dimValue as Int64));
      return '?';
    });
    return `${name}[${dims.join(',')}]`;
  }

  private elemName(code: number, what: string): string {
    const n = onnxTypeName(code);
    if (!n) throw new QccError('E_UNSUPPORTED', `${what} has element type #${code}, which has no name in the text syntax`);
    return n;
  }

  private valueInfo(v: ValueInfoProto): string {
    const name = id(v.name ?? '');
    if (!v.type || (v.type.tensorType && !v.type.tensorType.elemType && !v.type.tensorType.shape)) return name;
    return `${this.type(v.type, `value '${v.name}'`)} ${name}`;
  }

  private dataType(t: TensorProto): string {
    const dims = (t.dims ?? []).map((d) => String(int64ToBigInt(d as Int64)));
    return `${this.elemName(t.dataType ?? 0, `tensor '${t.name}'`)}[${dims.join(',')}]`;
  }

  private initializer(t: TensorProto, indent: string): string {
    return `${this.dataType(t)} ${id(t.name ?? '')} = ${this.data(t, indent)}`;
  }

  /** `{v, v, ...}` with every value exact; wraps long data. */
  private data(t: TensorProto, indent: string): string {
    let items: string[];
    if (t.dataType === ONNX_TYPE_CODES.string) {
      items = (t.stringData ?? []).map((b) => quoteString(bytesToString(b)));
    } else {
      items = tensorItems(decodeTensor(t, `tensor '${t.name ?? ''}'`, this.opts));
    }
    const per = this.opts.valuesPerLine ?? 16;
    if (items.length <= per) return `{${items.join(', ')}}`;
    const rows: string[] = [];
    for (let i = 0; i < items.length; i += per) rows.push(items.slice(i, i + per).join(', '));
    return `{\n${indent}  ${rows.join(`,\n${indent}  `)}\n${indent}}`;
  }

  private node(n: NodeProto, indent: string): string {
    const op = n.opType ?? '';
    const domain = n.domain ?? '';
    for (const part of [op, ...(domain ? domain.split('.') : [])]) {
      if (!ONNX_ID.test(part)) throw new QccError('E_UNSUPPORTED', `node '${n.name}': op '${domain ? domain + '.' : ''}${op}' cannot be written in the text syntax`);
    }
    const label = n.name ? `[${id(n.name)}] ` : '';
    const outs = (n.output ?? []).map(id).join(', ');
    const attrs = (n.attribute ?? []).map((a) => this.attr(a, indent, n));
    const attrText = attrs.length > 0 ? ` <${attrs.join(', ')}>` : '';
    return `${label}${outs}${outs ? ' ' : ''}= ${domain ? domain + '.' : ''}${op}${attrText} (${(n.input ?? []).map(id).join(', ')})`;
  }

  private attr(a: AttributeProto, indent: string, n: NodeProto): string {
    const kind = attrKind(a);
    const name = a.name ?? '';
    const v = ((): string => {
      switch (kind) {
        case 'int': return String(int64ToBigInt(a.i as Int64));
        case 'float': return formatF32(a.f ?? 0);
        case 'string': return quoteString(bytesToString(a.s));
        case 'tensor': return this.tensorValue(a.t!, indent);
        case 'graph': return this.graph(a.g!, indent + '  ');
        case 'ints': return `[${(a.ints ?? []).map((x) => String(int64ToBigInt(x as Int64))).join(', ')}]`;
        case 'floats': return `[${(a.floats ?? []).map(formatF32).join(', ')}]`;
        case 'strings': return `[${(a.strings ?? []).map((s) => quoteString(bytesToString(s))).join(', ')}]`;
        case 'tensors': return `[${(a.tensors ?? []).map((t) => this.tensorValue(t, indent)).join(', ')}]`;
        case 'graphs': return `[${(a.graphs ?? []).map((g) => this.graph(g, indent + '  ')).join(', ')}]`;
        default:
          throw new QccError('E_UNSUPPORTED', `node '${n.name}': attribute '${name}' is of kind ${kind}, which the text syntax printer does not handle`);
      }
    })();
    return `${name}: ${kind} = ${v}`;
  }

  private tensorValue(t: TensorProto, indent: string): string {
    return `${this.dataType(t)} ${this.data(t, indent)}`;
  }
}
