import { CstParser, Lexer, createToken, type CstNode, type IToken } from 'chevrotain';
import { QccError } from '../errors.ts';
import { getOpDef, hasOpDef } from '../ops/registry.ts';
import '../ops/index.ts';
import { checkBrackets, lexError, messageProvider, parseError } from '../text/chevrotain-util.ts';
import { firstToken, isToken, node1, nodes, tok1, tokens } from '../text/cst.ts';
import { SourceText, errorAt, type TextError } from '../text/located-error.ts';
import { parseNumberText, unquoteString } from '../text/numbers.ts';
import { DTYPE_NAMES, setTensorItem } from '../text/tensor-literal.ts';
import { DTYPES, type DType } from './dtype.ts';
import { Graph, sameType, typeToString, type AttrValue, type Attrs, type TensorType, type Value } from './graph.ts';
import { irType } from './print.ts';
import { Tensor, shapeSize } from './tensor.ts';
import { verifyGraph } from './verify.ts';

/** Reader of the qcc IR text (the format is described in ir/print.ts). */

const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });
const Comment = createToken({ name: 'Comment', pattern: /\/\/[^\n]*/, group: Lexer.SKIPPED });
const NAME = /(?:[A-Za-z0-9_.\-/]+|"(?:[^"\\\n]|\\.)*")/.source;
const ValueRef = createToken({ name: 'ValueRef', pattern: new RegExp('%' + NAME), label: 'a value (%name)' });
const NodeRef = createToken({ name: 'NodeRef', pattern: new RegExp('@' + NAME), label: 'a node name (@name)' });
const StringLit = createToken({ name: 'StringLit', pattern: /"(?:[^"\\\n]|\\.)*"/, label: 'a string' });
const NanBits = createToken({ name: 'NanBits', pattern: /nan:0x[0-9a-fA-F]+/, label: 'NaN bits' });
const ShapeLit = createToken({ name: 'ShapeLit', pattern: /\d+(?:x\d+)+/, label: 'a shape (2x3x4)' });
const FloatLit = createToken({ name: 'FloatLit', pattern: /-?(?:\d+\.\d*(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+)/, label: 'a number' });
const IntLit = createToken({ name: 'IntLit', pattern: /-?\d+/, label: 'an integer' });
const Minus = createToken({ name: 'Minus', pattern: /-/, label: "'-'" });
const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: 'a name' });
const kw = (word: string) => createToken({ name: `Kw_${word}`, pattern: new RegExp(word), longer_alt: Identifier, categories: [Identifier], label: `'${word}'` });
const GraphKw = kw('graph');
const MetaKw = kw('meta');
const InputKw = kw('input');
const ConstKw = kw('const');
const OutputKw = kw('output');
const Equals = createToken({ name: 'Equals', pattern: /=/, label: "'='" });
const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
const Colon = createToken({ name: 'Colon', pattern: /:/, label: "':'" });
const LParen = createToken({ name: 'LParen', pattern: /\(/, label: "'('" });
const RParen = createToken({ name: 'RParen', pattern: /\)/, label: "')'" });
const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: "'['" });
const RBracket = createToken({ name: 'RBracket', pattern: /\]/, label: "']'" });
const LBrace = createToken({ name: 'LBrace', pattern: /\{/, label: "'{'" });
const RBrace = createToken({ name: 'RBrace', pattern: /\}/, label: "'}'" });

const ALL_TOKENS = [
  WhiteSpace, Comment, ValueRef, NodeRef, StringLit, NanBits, ShapeLit, FloatLit, IntLit, Minus,
  GraphKw, MetaKw, InputKw, ConstKw, OutputKw, Identifier, Equals, Comma, Colon, LParen, RParen, LBracket, RBracket, LBrace, RBrace,
];
const lexer = new Lexer(ALL_TOKENS, { positionTracking: 'full', ensureOptimizations: false });
const BRACKETS = {
  LParen: { open: '(', close: 'RParen', closeText: ')' },
  LBracket: { open: '[', close: 'RBracket', closeText: ']' },
  LBrace: { open: '{', close: 'RBrace', closeText: '}' },
};

class IrParser extends CstParser {
  constructor() {
    super(ALL_TOKENS, { errorMessageProvider: messageProvider, maxLookahead: 3 });
    this.performSelfAnalysis();
  }

  module = this.RULE('module', () => {
    this.CONSUME(GraphKw);
    this.CONSUME(NodeRef, { LABEL: 'name' });
    this.CONSUME(LBrace);
    this.MANY(() =>
      this.OR([
        { ALT: () => this.SUBRULE(this.metaStmt) },
        { ALT: () => this.SUBRULE(this.inputStmt) },
        { ALT: () => this.SUBRULE(this.constStmt) },
        { ALT: () => this.SUBRULE(this.outputStmt) },
        { ALT: () => this.SUBRULE(this.nodeStmt) },
      ]),
    );
    this.CONSUME(RBrace);
  });

  metaStmt = this.RULE('metaStmt', () => {
    this.CONSUME(MetaKw);
    this.SUBRULE(this.attrDict);
  });

  inputStmt = this.RULE('inputStmt', () => {
    this.CONSUME(InputKw);
    this.SUBRULE(this.valueDecl);
  });

  constStmt = this.RULE('constStmt', () => {
    this.CONSUME(ConstKw);
    this.SUBRULE(this.valueDecl);
    this.CONSUME(Equals);
    this.SUBRULE(this.data);
  });

  outputStmt = this.RULE('outputStmt', () => {
    this.CONSUME(OutputKw);
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.CONSUME(ValueRef) });
  });

  nodeStmt = this.RULE('nodeStmt', () => {
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.valueDecl) });
    this.CONSUME(Equals);
    this.CONSUME(Identifier, { LABEL: 'op' });
    this.CONSUME(NodeRef, { LABEL: 'name' });
    this.CONSUME(LParen);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.operand) });
    this.CONSUME(RParen);
    this.OPTION(() => this.SUBRULE(this.attrDict));
  });

  valueDecl = this.RULE('valueDecl', () => {
    this.CONSUME(ValueRef);
    this.CONSUME(Colon);
    this.SUBRULE(this.type);
  });

  type = this.RULE('type', () => {
    this.CONSUME(Identifier, { LABEL: 'dtype' });
    this.CONSUME(LBracket);
    this.OPTION(() => this.OR([{ ALT: () => this.CONSUME(IntLit) }, { ALT: () => this.CONSUME(ShapeLit) }]));
    this.CONSUME(RBracket);
  });

  operand = this.RULE('operand', () => {
    this.OR([{ ALT: () => this.CONSUME(ValueRef) }, { ALT: () => this.CONSUME(Identifier, { LABEL: 'none' }) }]);
  });

  attrDict = this.RULE('attrDict', () => {
    this.CONSUME(LBrace);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.attrEntry) });
    this.CONSUME(RBrace);
  });

  attrEntry = this.RULE('attrEntry', () => {
    this.OR([{ ALT: () => this.CONSUME(Identifier, { LABEL: 'key' }) }, { ALT: () => this.CONSUME(StringLit, { LABEL: 'key' }) }]);
    this.CONSUME(Equals);
    this.OR2([
      { ALT: () => this.SUBRULE(this.tensorLit) },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.scalar) },
    ]);
  });

  tensorLit = this.RULE('tensorLit', () => {
    this.SUBRULE(this.type);
    this.SUBRULE(this.data);
  });

  /** `[...]`, `splat(v)`, `elided {...}` or one scalar. */
  data = this.RULE('data', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.list) },
      {
        ALT: () => {
          this.CONSUME(Identifier, { LABEL: 'form' });
          this.OR2([
            {
              ALT: () => {
                this.CONSUME(LParen);
                this.SUBRULE(this.scalar);
                this.CONSUME(RParen);
              },
            },
            { ALT: () => this.SUBRULE(this.attrDict) },
          ]);
        },
      },
      { ALT: () => this.SUBRULE2(this.scalar) },
    ]);
  });

  list = this.RULE('list', () => {
    this.CONSUME(LBracket);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.scalar) });
    this.CONSUME(RBracket);
  });

  scalar = this.RULE('scalar', () => {
    this.OR([
      { ALT: () => this.CONSUME(IntLit) },
      { ALT: () => this.CONSUME(FloatLit) },
      { ALT: () => this.CONSUME(StringLit) },
      { ALT: () => this.CONSUME(NanBits) },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(Minus));
          this.CONSUME(Identifier);
        },
      },
    ]);
  });
}

let parser: IrParser | null = null;

function cst(src: SourceText, rule: 'module' | 'attrDict'): CstNode {
  const r = lexer.tokenize(src.text);
  if (r.errors.length > 0) throw lexError(src, r.errors[0]!);
  checkBrackets(src, r.tokens, BRACKETS);
  parser ??= new IrParser();
  parser.input = r.tokens;
  const tree = rule === 'module' ? parser.module() : parser.attrDict();
  if (parser.errors[0]) throw parseError(src, parser.errors[0]);
  return tree;
}

const refName = (t: IToken): string => {
  const body = t.image.slice(1);
  return body.startsWith('"') ? unquoteString(body) : body;
};

export interface IrParseOptions {
  /** Names the text in error messages (default '<ir>'). */
  file?: string;
  /** Accept `elided {...}` constants, filling them with zeros (default false: an error). */
  allowElided?: boolean;
  /** Re-infer every node and require the declared output types (default true). */
  checkTypes?: boolean;
}

class IrBuilder {
  constructor(
    private readonly src: SourceText,
    private readonly opts: IrParseOptions,
  ) {}

  err(at: IToken | CstNode | undefined, message: string, code: 'E_PARSE' | 'E_SHAPE' = 'E_PARSE'): TextError {
    return errorAt(this.src, at === undefined ? undefined : isToken(at) ? at : firstToken(at), message, code);
  }

  type(n: CstNode): TensorType {
    const d = tok1(n, 'dtype')!;
    if (!(DTYPE_NAMES as string[]).includes(d.image)) throw this.err(d, `unknown type '${d.image}' (expected one of ${DTYPE_NAMES.join(', ')})`);
    const dims = tok1(n, 'IntLit') ?? tok1(n, 'ShapeLit');
    const shape = dims ? dims.image.split('x').map(Number) : [];
    if (dims && dims.image.startsWith('-')) throw this.err(dims, `dimension ${dims.image} is negative`);
    return { dtype: d.image as DType, shape };
  }

  scalarText(s: CstNode): { text: string; kind: 'int' | 'float' | 'string' | 'word' } {
    const t = firstToken(s)!;
    switch (t.tokenType.name) {
      case 'IntLit': return { text: t.image, kind: 'int' };
      case 'FloatLit': case 'NanBits': return { text: t.image, kind: 'float' };
      case 'StringLit': return { text: unquoteString(t.image), kind: 'string' };
      default: {
        const word = tok1(s, 'Identifier')!.image;
        return { text: (tok1(s, 'Minus') ? '-' : '') + word, kind: 'word' };
      }
    }
  }

  /** Tensor data of a declared type. */
  tensor(type: TensorType, data: CstNode, typeNode: CstNode): Tensor {
    const t = new Tensor(type.dtype, type.shape);
    const n = t.size;
    const name = irType(type);
    const set = (i: number, s: CstNode): void => {
      const { text, kind } = this.scalarText(s);
      if (kind === 'string') throw this.err(s, `expected a number in ${type.dtype} data, found a string`);
      const why = setTensorItem(t, i, text);
      if (why) throw this.err(s, why);
    };
    const list = node1(data, 'list');
    const form = tok1(data, 'form');
    if (list) {
      const items = nodes(list, 'scalar');
      if (items.length !== n) throw this.err(items[n] ?? tok1(list, 'RBracket'), `${name} needs ${n} value${n === 1 ? '' : 's'}, found ${items.length}`);
      items.forEach((s, i) => set(i, s));
    } else if (form) {
      if (form.image === 'splat') {
        if (!tok1(data, 'LParen')) throw this.err(form, "expected '(' after splat");
        const s = node1(data, 'scalar')!;
        if (n > 0) set(0, s);
        const b = t.bytes();
        const w = DTYPES[t.dtype].bytes;
        for (let i = w; i < b.length; i++) b[i] = b[i % w]!;
      } else if (form.image === 'elided') {
        if (!node1(data, 'attrDict')) throw this.err(form, "expected '{' after elided");
        if (!this.opts.allowElided) {
          throw this.err(form, 'the data of this constant was elided when printed; print the IR with full data to read it back');
        }
      } else {
        throw this.err(form, `expected tensor data ([...], splat(v), elided {...} or a number) but found '${form.image}'`);
      }
    } else {
      if (n !== 1) throw this.err(data, `a single value is only data for one element, but ${name} has ${n}`);
      set(0, node1(data, 'scalar')!);
    }
    void typeNode;
    return t;
  }

  attrValue(e: CstNode): AttrValue {
    const tl = node1(e, 'tensorLit');
    if (tl) {
      const typeNode = node1(tl, 'type')!;
      return this.tensor(this.type(typeNode), node1(tl, 'data')!, typeNode);
    }
    const list = node1(e, 'list');
    if (list) {
      const items = nodes(list, 'scalar').map((s) => ({ s, ...this.scalarText(s) }));
      if (items.length === 0) return [];
      if (items.every((i) => i.kind === 'string')) return items.map((i) => i.text);
      return items.map((i) => this.number(i.s, i.text, i.kind));
    }
    const s = node1(e, 'scalar')!;
    const { text, kind } = this.scalarText(s);
    if (kind === 'string') return text;
    if (text === 'true' || text === 'false') return text === 'true';
    return this.number(s, text, kind);
  }

  number(s: CstNode, text: string, kind: string): number {
    const x = kind === 'string' || text.startsWith('nan:') ? undefined : parseNumberText(text);
    if (x === undefined) throw this.err(s, `expected a number but found ${kind === 'string' ? 'a string' : `'${text}'`} (lists hold numbers or strings, not both)`);
    return x;
  }

  attrs(d: CstNode): Attrs {
    const out: Attrs = {};
    for (const e of nodes(d, 'attrEntry')) {
      const k = tok1(e, 'key')!;
      const key = k.tokenType.name === 'StringLit' ? unquoteString(k.image) : k.image;
      if (Object.hasOwn(out, key)) throw this.err(k, `attribute '${key}' is given twice`);
      out[key] = this.attrValue(e);
    }
    return out;
  }

  graph(m: CstNode): Graph {
    const g = new Graph(refName(tok1(m, 'name')!));
    const defined = new Map<string, Value>();
    const nodeNames = new Set<string>();
    const declare = (decl: CstNode, konst?: (t: TensorType) => Tensor): Value => {
      const ref = tok1(decl, 'ValueRef')!;
      const name = refName(ref);
      if (defined.has(name)) throw this.err(ref, `value %${name} is defined twice`);
      const type = this.type(node1(decl, 'type')!);
      const v = konst ? g.addConst(name, konst(type)) : g.addValue(name, type);
      defined.set(name, v);
      return v;
    };
    const use = (ref: IToken): Value => {
      const v = defined.get(refName(ref));
      if (!v) throw this.err(ref, `value ${ref.image} is used before it is defined`);
      return v;
    };
    const stmts = Object.values(m.children).flat().filter((c): c is CstNode => !isToken(c)).sort((a, b) => firstToken(a)!.startOffset - firstToken(b)!.startOffset);
    let sawOutput = false;
    for (const s of stmts) {
      if (sawOutput && s.name !== 'outputStmt') throw this.err(s, "nothing may follow the 'output' line");
      switch (s.name) {
        case 'metaStmt':
          for (const [k, v] of Object.entries(this.attrs(node1(s, 'attrDict')!))) {
            if (typeof v !== 'string') throw this.err(s, `meta values are strings; '${k}' is not`);
            g.meta[k] = v;
          }
          break;
        case 'inputStmt':
          g.inputs.push(declare(node1(s, 'valueDecl')!));
          break;
        case 'constStmt': {
          const decl = node1(s, 'valueDecl')!;
          declare(decl, (t) => this.tensor(t, node1(s, 'data')!, node1(decl, 'type')!));
          break;
        }
        case 'outputStmt':
          sawOutput = true;
          for (const r of tokens(s, 'ValueRef')) {
            const v = use(r);
            if (g.outputs.includes(v)) throw this.err(r, `${r.image} is listed as an output twice`);
            g.outputs.push(v);
          }
          break;
        case 'nodeStmt':
          this.node(g, s, use, declare, nodeNames);
          break;
      }
    }
    verifyGraph(g);
    return g;
  }

  node(g: Graph, s: CstNode, use: (r: IToken) => Value, declare: (d: CstNode) => Value, names: Set<string>): void {
    const opTok = tok1(s, 'op')!;
    if (!hasOpDef(opTok.image)) throw this.err(opTok, `unknown op kind '${opTok.image}'`);
    const nameTok = tok1(s, 'name')!;
    const name = refName(nameTok);
    if (names.has(name)) throw this.err(nameTok, `two nodes are named ${nameTok.image}`);
    names.add(name);
    const inputs = nodes(s, 'operand').map((o) => {
      const r = tok1(o, 'ValueRef');
      if (r) return use(r);
      const w = tok1(o, 'none')!;
      if (w.image !== 'none') throw this.err(w, `expected a value (%name) or 'none' but found '${w.image}'`);
      return null;
    });
    const attrDict = node1(s, 'attrDict');
    const outputs = nodes(s, 'valueDecl').map((d) => declare(d));
    const node = g.addNode(opTok.image, name, inputs, outputs, attrDict ? this.attrs(attrDict) : {});
    if (this.opts.checkTypes === false) return;
    let types: TensorType[];
    try {
      types = getOpDef(node.op).infer(node);
    } catch (e) {
      if (e instanceof QccError) throw this.err(opTok, e.message, 'E_SHAPE');
      throw e;
    }
    outputs.forEach((o, k) => {
      const t = types[k];
      if (t && !sameType(t, o.type)) {
        throw this.err(nodes(s, 'valueDecl')[k], `${opTok.image} computes ${typeToString(t)} for output ${k}, but it is declared ${typeToString(o.type)}`, 'E_SHAPE');
      }
    });
  }
}

/** Reads IR text back into a Graph. Errors are located QccErrors (E_PARSE, or E_SHAPE for type mismatches). */
export function parseGraph(text: string, opts: IrParseOptions = {}): Graph {
  const src = new SourceText(text, opts.file ?? '<ir>');
  return new IrBuilder(src, opts).graph(cst(src, 'module'));
}

/** Reads a `{key = value, ...}` attribute dict (used for pass arguments in FileCheck RUN lines). */
export function parseAttrDict(text: string, file = '<attrs>'): Attrs {
  const src = new SourceText(text, file);
  return new IrBuilder(src, {}).attrs(cst(src, 'attrDict'));
}
