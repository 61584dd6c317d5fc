import type { CstNode, IToken } from 'chevrotain';
import { DTYPES, dtypeFromOnnx, type DType } from '../../ir/dtype.ts';
import { Tensor, shapeSize } from '../../ir/tensor.ts';
import { f32ToF16Bits } from '../../numerics/f16.ts';
import { firstToken, isToken, node1, nodes, tok1, tokens } from '../../text/cst.ts';
import { errorAt, type SourceText } from '../../text/located-error.ts';
import { parseNumberText, unquoteString } from '../../text/numbers.ts';
import { AttributeType, DataLocation, type IAttributeProto, type IModelProto, type ITensorProto, type IValueInfoProto } from '../onnx/proto.ts';
import type onnxProto from 'onnx-proto';
import { bigToLong, tensorToProto } from '../onnx/writer.ts';
import { ONNX_TYPE_CODES } from './types.ts';

type IGraphProto = onnxProto.onnx.IGraphProto;
type ITypeProto = onnxProto.onnx.ITypeProto;
type INodeProto = onnxProto.onnx.INodeProto;
/** A 64-bit integer for protobufjs: a plain number when exact, else a Long-like pair. */
function int64(v: bigint): number {
  if (v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(v);
  return bigToLong(v) as unknown as number;
}

const SINGLE_KINDS = ['int', 'float', 'string', 'tensor', 'graph'] as const;
const LIST_KINDS = ['ints', 'floats', 'strings', 'tensors', 'graphs'] as const;
type SingleKind = (typeof SINGLE_KINDS)[number];
type ListKind = (typeof LIST_KINDS)[number];

/** Turns the syntax tree of an ONNX text into ModelProto properties (what the binary reader decodes). */
export class ModelBuilder {
  constructor(private readonly src: SourceText) {}

  private err(at: IToken | CstNode | undefined, message: string, code: 'E_PARSE' | 'E_UNSUPPORTED' = 'E_PARSE') {
    const t = at === undefined ? undefined : isToken(at) ? at : firstToken(at);
    return errorAt(this.src, t, message, code);
  }

  model(cst: CstNode): IModelProto {
    const m: IModelProto = { opsetImport: [] };
    const header = node1(cst, 'header');
    if (header) this.header(header, m);
    m.irVersion ??= 0;
    m.graph = this.graph(node1(cst, 'graph')!);
    return m;
  }

  private header(h: CstNode, m: IModelProto): void {
    const seen = new Set<string>();
    for (const e of nodes(h, 'headerEntry')) {
      const key = tok1(e, 'key')!;
      if (seen.has(key.image)) throw this.err(key, `'${key.image}' is given twice`);
      seen.add(key.image);
      const list = node1(e, 'keyValueList');
      const prim = node1(e, 'primConstant');
      const intValue = (): number => {
        const t = prim && tok1(prim, 'IntLit');
        if (!t) throw this.err(list ?? prim, `${key.image} must be an integer`);
        return Number(t.image);
      };
      const strValue = (): string => {
        const t = prim && tok1(prim, 'StringLit');
        if (!t) throw this.err(list ?? prim, `${key.image} must be a string`);
        return unquoteString(t.image);
      };
      const pairs = (what: 'int' | 'string'): [string, IToken][] => {
        if (!list) throw this.err(prim, `${key.image} must be a list like [${what === 'int' ? '"" : 13' : '"key" : "value"'}]`);
        return nodes(list, 'keyValue').map((kv) => {
          const v = tok1(kv, what === 'int' ? 'IntLit' : 'StringLit');
          if (!v) throw this.err(kv, `${key.image} entries must be "name" : ${what === 'int' ? 'version (an integer)' : '"value"'}`);
          return [unquoteString(tok1(kv, 'key')!.image), v];
        });
      };
      switch (key.image) {
        case 'ir_version': m.irVersion = intValue(); break;
        case 'model_version': m.modelVersion = intValue(); break;
        case 'producer_name': m.producerName = strValue(); break;
        case 'producer_version': m.producerVersion = strValue(); break;
        case 'domain': m.domain = strValue(); break;
        case 'doc_string': m.docString = strValue(); break;
        case 'opset_import': m.opsetImport = pairs('int').map(([domain, v]) => ({ domain, version: Number(v.image) })); break;
        case 'metadata_props': m.metadataProps = pairs('string').map(([k, v]) => ({ key: k, value: unquoteString(v.image) })); break;
        default:
          throw this.err(key, `unknown model field '${key.image}' (expected ir_version, opset_import, producer_name, producer_version, domain, model_version, doc_string or metadata_props)`);
      }
    }
  }

  private quotable(n: CstNode): string {
    const t = tok1(n, 'Identifier') ?? tok1(n, 'StringLit')!;
    return t.tokenType.name === 'StringLit' ? unquoteString(t.image) : t.image;
  }

  graph(g: CstNode): IGraphProto {
    const out: IGraphProto = { name: this.quotable(node1(g, 'name')!), input: [], output: [], initializer: [], valueInfo: [], node: [] };
    for (const item of nodes(node1(g, 'inputs')!, 'valueItem')) {
      const { info, init } = this.valueItem(item);
      out.input!.push(info);
      if (init) out.initializer!.push(init);
    }
    for (const item of nodes(node1(g, 'outputs')!, 'valueItem')) {
      const { info, init } = this.valueItem(item);
      if (init) throw this.err(node1(item, 'constantData'), `graph output '${info.name}' cannot have data`);
      out.output!.push(info);
    }
    for (const item of nodes(g, 'extra')) {
      const { info, init } = this.valueItem(item);
      if (init) out.initializer!.push(init);
      else out.valueInfo!.push(info);
    }
    out.node = nodes(g, 'node').map((n) => this.node(n));
    return out;
  }

  private valueItem(item: CstNode): { info: IValueInfoProto; init?: ITensorProto } {
    const bare = tok1(item, 'bareName');
    const nameNode = node1(item, 'name');
    let typeNode = node1(item, 'type');
    let name: string;
    if (bare) {
      name = unquoteString(bare.image);
    } else if (nameNode) {
      name = this.quotable(nameNode);
    } else {
      // A lone identifier is an untyped value's name.
      const t = typeNode!;
      if (tok1(t, 'LBracket') || tok1(t, 'composite')) throw this.err(firstToken(node1(item, 'constantData') ?? t), `expected a value name after the type '${tok1(t, 'elem')!.image}[...]'`);
      name = tok1(t, 'elem')!.image;
      typeNode = undefined;
    }
    const info: IValueInfoProto = { name };
    if (typeNode) info.type = this.type(typeNode);
    const data = node1(item, 'constantData');
    if (!data) return { info };
    if (!typeNode) throw this.err(data, `'${name}' has data but no type (write e.g. float[2] ${name} = {1, 2})`);
    return { info, init: this.tensor(typeNode, name, data) };
  }

  private elemCode(t: IToken): number {
    const code = ONNX_TYPE_CODES[t.image];
    if (code === undefined) {
      throw this.err(t, `unknown type '${t.image}' (expected one of ${Object.keys(ONNX_TYPE_CODES).join(', ')})`);
    }
    return code;
  }

  private type(t: CstNode): ITypeProto {
    const elem = tok1(t, 'elem')!;
    if (tok1(t, 'composite')) {
      const args = nodes(t, 'args');
      const arity = (n: number): void => {
        if (args.length !== n) throw this.err(elem, `${elem.image}(...) takes ${n} type${n > 1 ? 's' : ''}, found ${args.length}`);
      };
      switch (elem.image) {
        case 'seq': arity(1); return { sequenceType: { elemType: this.type(args[0]!) } };
        case 'optional': arity(1); return { optionalType: { elemType: this.type(args[0]!) } };
        case 'sparse_tensor': {
          arity(1);
          const inner = this.type(args[0]!);
          if (!inner.tensorType) throw this.err(args[0], 'sparse_tensor(...) takes a tensor type');
          return { sparseTensorType: inner.tensorType };
        }
        case 'map': {
          arity(2);
          if (tok1(args[0]!, 'LBracket') || tok1(args[0]!, 'composite')) throw this.err(args[0], 'the key type of a map is an element type like int64');
          return { mapType: { keyType: this.elemCode(tok1(args[0]!, 'elem')!), valueType: this.type(args[1]!) } };
        }
        case 'opaque':
          throw this.err(elem, 'opaque types are not supported: qcc handles dense tensors only', 'E_UNSUPPORTED');
        default:
          throw this.err(elem, `unknown type '${elem.image}' (expected a tensor type like float[N, 3], or seq, map, optional, sparse_tensor)`);
      }
    }
    const tensorType: NonNullable<ITypeProto['tensorType']> = { elemType: this.elemCode(elem) };
    if (tok1(t, 'LBracket')) {
      tensorType.shape = {
        dim: nodes(t, 'dim').map((d) => {
          const i = tok1(d, 'IntLit');
          if (i) {
            const v = BigInt(i.image);
            if (v < 0n) throw this.err(i, `dimension ${i.image} is negative`);
            return { dimValue: int64(v) };
          }
          if (tok1(d, 'Question')) return {};
          const p = tok1(d, 'Identifier') ?? tok1(d, 'StringLit')!;
          return { dimParam: p.tokenType.name === 'StringLit' ? unquoteString(p.image) : p.image };
        }),
      };
    }
    return { tensorType };
  }

  /** A tensor from a type (static shape), a name and its data (inline values or an external reference). */
  private tensor(typeNode: CstNode, name: string, data: CstNode): ITensorProto {
    const elem = tok1(typeNode, 'elem')!;
    if (tok1(typeNode, 'composite')) throw this.err(elem, `a constant must have a tensor type, not ${elem.image}(...)`);
    const code = this.elemCode(elem);
    const dims = nodes(typeNode, 'dim').map((d) => {
      const i = tok1(d, 'IntLit');
      if (!i) throw this.err(d, `a constant needs a static shape (numbers only), found '${firstToken(d)?.image}'`);
      return Number(i.image);
    });
    const external = node1(data, 'external');
    if (external) {
      const entries = nodes(external, 'keyValue').map((kv) => {
        const v = tok1(kv, 'StringLit') ?? tok1(kv, 'IntLit')!;
        return { key: unquoteString(tok1(kv, 'key')!.image), value: v.tokenType.name === 'StringLit' ? unquoteString(v.image) : v.image };
      });
      if (!entries.some((e) => e.key === 'location')) throw this.err(external, `external data of '${name}' needs a "location" entry`);
      return { name, dataType: code, dims, dataLocation: DataLocation.EXTERNAL, externalData: entries };
    }
    return this.inlineTensor(code, elem, dims, name, node1(data, 'inlineData')!);
  }

  private inlineTensor(code: number, elem: IToken, dims: number[], name: string, inline: CstNode): ITensorProto {
    const values = nodes(inline, 'primConstant');
    const n = shapeSize(dims);
    if (values.length !== n) {
      throw this.err(values[n] ?? tok1(inline, 'RBrace') ?? inline, `${elem.image}[${dims.join(',')}] '${name}' needs ${n} value${n === 1 ? '' : 's'}, found ${values.length}`);
    }
    if (code === ONNX_TYPE_CODES.string) {
      return {
        name, dataType: code, dims,
        stringData: values.map((v) => {
          const s = tok1(v, 'StringLit');
          if (!s) throw this.err(v, 'expected a string in string tensor data');
          return new TextEncoder().encode(unquoteString(s.image));
        }),
      };
    }
    const dtype = dtypeFromOnnx(code);
    if (!dtype) throw this.err(elem, `qcc cannot hold ${elem.image} tensor data`, 'E_UNSUPPORTED');
    const t = new Tensor(dtype, dims);
    values.forEach((v, i) => this.setElement(t, i, v, dtype, elem.image));
    return tensorToProto(t, name);
  }

  private setElement(t: Tensor, i: number, v: CstNode, dtype: DType, label: string): void {
    const info = DTYPES[dtype];
    const tk = firstToken(v)!;
    const intTok = tok1(v, 'IntLit');
    if (tok1(v, 'StringLit')) throw this.err(tk, `expected a number in ${label} data, found a string`);
    const ident = tok1(v, 'Identifier');
    if (dtype === 'bool' && ident && (ident.image === 'true' || ident.image === 'false') && !tok1(v, 'Minus')) {
      (t.data as Uint8Array)[i] = ident.image === 'true' ? 1 : 0;
      return;
    }
    if (!info.isFloat) {
      if (!intTok) throw this.err(tk, `expected an integer in ${label} data, found '${ident ? (tok1(v, 'Minus') ? '-' : '') + ident.image : tk.image}'`);
      const b = BigInt(intTok.image);
      const [lo, hi] = info.isBig ? (info.isSigned ? [-(2n ** 63n), 2n ** 63n - 1n] : [0n, 2n ** 64n - 1n]) : [BigInt(info.min), BigInt(info.max)];
      if (b < lo || b > hi) throw this.err(intTok, `${intTok.image} is out of range for ${label} (${lo} to ${hi})`);
      if (info.isBig) (t.data as BigInt64Array | BigUint64Array)[i] = b;
      else (t.data as Int32Array)[i] = Number(b);
      return;
    }
    const text = ident ? (tok1(v, 'Minus') ? '-' : '') + ident.image : tk.image;
    const x = parseNumberText(text);
    if (x === undefined) throw this.err(tk, `expected a number in ${label} data, found '${text}'`);
    if (dtype === 'f16') (t.data as Uint16Array)[i] = f32ToF16Bits(x);
    else (t.data as Float32Array | Float64Array)[i] = x;
  }

  private node(n: CstNode): INodeProto {
    const label = node1(n, 'label');
    const ids = (key: string): string[] => {
      const l = node1(n, key);
      return l ? nodes(l, 'quotableId').map((q) => this.quotable(q)) : [];
    };
    const parts = tokens(node1(n, 'op')!, 'Identifier').map((t) => t.image);
    const node: INodeProto = {
      opType: parts[parts.length - 1]!,
      domain: parts.slice(0, -1).join('.'),
      input: ids('inputs'),
      output: ids('outputs'),
      attribute: nodes(n, 'attrList').flatMap((l) => nodes(l, 'attr').map((a) => this.attr(a))),
    };
    if (label) node.name = this.quotable(label);
    const seen = new Set<string>();
    for (const a of node.attribute!) {
      if (seen.has(a.name!)) throw this.err(n, `attribute '${a.name}' is given twice`);
      seen.add(a.name!);
    }
    return node;
  }

  /** What an attribute value is, before any declared kind is applied. */
  private valueKind(v: CstNode): 'int' | 'float' | 'string' | 'tensor' | 'graph' | 'ref' {
    if (node1(v, 'tensorConstant')) return 'tensor';
    if (node1(v, 'graph')) return 'graph';
    if (tok1(v, 'ref')) return 'ref';
    const p = node1(v, 'primConstant')!;
    if (tok1(p, 'IntLit')) return 'int';
    if (tok1(p, 'StringLit')) return 'string';
    return 'float';
  }

  private attr(a: CstNode): IAttributeProto {
    const name = tok1(a, 'name')!.image;
    const kindTok = tok1(a, 'kind');
    const isList = tok1(a, 'list') !== undefined;
    const values = nodes(a, 'attrValue');
    for (const v of values) {
      if (this.valueKind(v) === 'ref') throw this.err(v, `attribute references (@${tok1(v, 'ref')!.image}) only work inside functions, which qcc does not support`, 'E_UNSUPPORTED');
    }
    let kind: SingleKind | ListKind;
    if (kindTok) {
      const k = kindTok.image;
      if (!(SINGLE_KINDS as readonly string[]).includes(k) && !(LIST_KINDS as readonly string[]).includes(k)) {
        const other = ['sparse_tensor', 'sparse_tensors', 'type_proto', 'type_protos'].includes(k);
        throw this.err(kindTok, other ? `${k} attributes are not supported` : `unknown attribute type '${k}' (expected one of ${[...SINGLE_KINDS, ...LIST_KINDS].join(', ')})`, other ? 'E_UNSUPPORTED' : 'E_PARSE');
      }
      kind = k as SingleKind | ListKind;
      const wantList = (LIST_KINDS as readonly string[]).includes(k);
      if (wantList !== isList) {
        throw this.err(values[0] ?? a, `attribute '${name}' is declared ${k} but its value is ${isList ? 'a list' : 'a single value'}`);
      }
    } else if (!isList) {
      kind = this.valueKind(values[0]!) as SingleKind;
    } else {
      if (values.length === 0) throw this.err(tok1(a, 'list'), `the type of an empty list cannot be inferred: write ${name}: ints = [] (or floats, strings, ...)`);
      const kinds = new Set(values.map((v) => this.valueKind(v)));
      if (kinds.size === 1) kind = `${[...kinds][0]}s` as ListKind;
      else if ([...kinds].every((k) => k === 'int' || k === 'float')) kind = 'floats';
      else throw this.err(values[0], `attribute '${name}' mixes ${[...kinds].join(' and ')} values in one list`);
    }
    const single = kind.endsWith('s') ? (kind.slice(0, -1) as SingleKind) : (kind as SingleKind);
    const items = values.map((v) => this.attrItem(name, kind, single, v));
    switch (kind) {
      case 'int': return { name, type: AttributeType.INT, i: items[0] as number };
      case 'float': return { name, type: AttributeType.FLOAT, f: items[0] as number };
      case 'string': return { name, type: AttributeType.STRING, s: items[0] as Uint8Array };
      case 'tensor': return { name, type: AttributeType.TENSOR, t: items[0] as ITensorProto };
      case 'graph': return { name, type: AttributeType.GRAPH, g: items[0] as IGraphProto };
      case 'ints': return { name, type: AttributeType.INTS, ints: items as number[] };
      case 'floats': return { name, type: AttributeType.FLOATS, floats: items as number[] };
      case 'strings': return { name, type: AttributeType.STRINGS, strings: items as Uint8Array[] };
      case 'tensors': return { name, type: AttributeType.TENSORS, tensors: items as ITensorProto[] };
      case 'graphs': return { name, type: AttributeType.GRAPHS, graphs: items as IGraphProto[] };
    }
  }

  private attrItem(name: string, kind: string, single: SingleKind, v: CstNode): number | Uint8Array | ITensorProto | IGraphProto {
    const have = this.valueKind(v);
    const ok = have === single || (single === 'float' && have === 'int');
    if (!ok) {
      const article = (k: string) => (/^[aeiou]/.test(k) ? `an ${k}` : `a ${k}`);
      throw this.err(v, `attribute '${name}' is declared ${kind} but the value is ${article(have === 'float' ? 'float' : have)}`);
    }
    switch (single) {
      case 'int': {
        const b = BigInt(tok1(node1(v, 'primConstant')!, 'IntLit')!.image);
        if (b < -(2n ** 63n) || b >= 2n ** 63n) throw this.err(v, `${b} does not fit an int64 attribute`);
        return int64(b);
      }
      case 'float': {
        const p = node1(v, 'primConstant')!;
        const ident = tok1(p, 'Identifier');
        const text = ident ? (tok1(p, 'Minus') ? '-' : '') + ident.image : firstToken(p)!.image;
        const x = parseNumberText(text);
        if (x === undefined) throw this.err(p, `expected a number for attribute '${name}', found '${text}'`);
        return Math.fround(x);
      }
      case 'string':
        return new TextEncoder().encode(unquoteString(tok1(node1(v, 'primConstant')!, 'StringLit')!.image));
      case 'tensor': {
        const tc = node1(v, 'tensorConstant')!;
        const elem = tok1(tc, 'elem')!;
        const code = this.elemCode(elem);
        const dims = nodes(tc, 'dim').map((d) => {
          const i = tok1(d, 'IntLit');
          if (!i) throw this.err(d, 'a tensor attribute needs a static shape (numbers only)');
          return Number(i.image);
        });
        const nameNode = node1(tc, 'name');
        return this.inlineTensor(code, elem, dims, nameNode ? this.quotable(nameNode) : '', node1(tc, 'inlineData')!);
      }
      case 'graph':
        return this.graph(node1(v, 'graph')!);
    }
  }
}
