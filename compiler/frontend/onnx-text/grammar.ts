import { CstParser, Lexer, createToken, type CstNode, type IToken } from 'chevrotain';
import { checkBrackets, lexError, messageProvider, parseError } from '../../text/chevrotain-util.ts';
import { SourceText, errorAt } from '../../text/located-error.ts';

/**
 * Lexer and parser of the ONNX textual syntax (onnx.parser / onnx.printer; see docs in README.md).
 * The parser builds a concrete syntax tree; build.ts turns it into a ModelProto.
 */

const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /\s+/, group: Lexer.SKIPPED });
const Comment = createToken({ name: 'Comment', pattern: /#[^\n]*/, group: Lexer.SKIPPED });
export const StringLit = createToken({ name: 'StringLit', pattern: /"(?:[^"\\\n]|\\.)*"/, label: 'a string' });
export const FloatLit = createToken({
  name: 'FloatLit',
  pattern: /[+-]?(?:\d+\.\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+)/,
  label: 'a number',
});
export const IntLit = createToken({ name: 'IntLit', pattern: /[+-]?\d+/, label: 'an integer' });
export const Identifier = createToken({ name: 'Identifier', pattern: /[A-Za-z_][A-Za-z0-9_]*/, label: 'a name' });
const Arrow = createToken({ name: 'Arrow', pattern: /=>/, label: "'=>'" });
const Equals = createToken({ name: 'Equals', pattern: /=/, label: "'='" });
const Comma = createToken({ name: 'Comma', pattern: /,/, label: "','" });
const Colon = createToken({ name: 'Colon', pattern: /:/, label: "':'" });
const LParen = createToken({ name: 'LParen', pattern: /\(/, label: "'('" });
const RParen = createToken({ name: 'RParen', pattern: /\)/, label: "')'" });
const LBracket = createToken({ name: 'LBracket', pattern: /\[/, label: "'['" });
const RBracket = createToken({ name: 'RBracket', pattern: /\]/, label: "']'" });
const LBrace = createToken({ name: 'LBrace', pattern: /\{/, label: "'{'" });
const RBrace = createToken({ name: 'RBrace', pattern: /\}/, label: "'}'" });
const LAngle = createToken({ name: 'LAngle', pattern: /</, label: "'<'" });
const RAngle = createToken({ name: 'RAngle', pattern: />/, label: "'>'" });
const Question = createToken({ name: 'Question', pattern: /\?/, label: "'?'" });
const At = createToken({ name: 'At', pattern: /@/, label: "'@'" });
const Dot = createToken({ name: 'Dot', pattern: /\./, label: "'.'" });
export const Minus = createToken({ name: 'Minus', pattern: /-/, label: "'-'" });

const ALL_TOKENS = [
  WhiteSpace, Comment, StringLit, FloatLit, IntLit, Arrow, Equals, Comma, Colon, LParen, RParen, LBracket, RBracket,
  LBrace, RBrace, LAngle, RAngle, Question, At, Dot, Minus, Identifier,
];

const lexer = new Lexer(ALL_TOKENS, { positionTracking: 'full', ensureOptimizations: false });

const BRACKETS = {
  LParen: { open: '(', close: 'RParen', closeText: ')' },
  LBracket: { open: '[', close: 'RBracket', closeText: ']' },
  LBrace: { open: '{', close: 'RBrace', closeText: '}' },
  LAngle: { open: '<', close: 'RAngle', closeText: '>' },
};

class OnnxTextParser extends CstParser {
  constructor() {
    super(ALL_TOKENS, { errorMessageProvider: messageProvider, maxLookahead: 3 });
    this.performSelfAnalysis();
  }

  model = this.RULE('model', () => {
    this.OPTION(() => this.SUBRULE(this.header));
    this.SUBRULE(this.graph);
  });

  header = this.RULE('header', () => {
    this.CONSUME(LAngle);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.headerEntry) });
    this.CONSUME(RAngle);
  });

  headerEntry = this.RULE('headerEntry', () => {
    this.CONSUME(Identifier, { LABEL: 'key' });
    this.CONSUME(Colon);
    this.OR([
      { ALT: () => this.SUBRULE(this.keyValueList) },
      { ALT: () => this.SUBRULE(this.primConstant) },
    ]);
  });

  keyValueList = this.RULE('keyValueList', () => {
    this.CONSUME(LBracket);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.keyValue) });
    this.CONSUME(RBracket);
  });

  keyValue = this.RULE('keyValue', () => {
    this.CONSUME(StringLit, { LABEL: 'key' });
    this.CONSUME(Colon);
    this.OR([{ ALT: () => this.CONSUME(IntLit) }, { ALT: () => this.CONSUME2(StringLit) }]);
  });

  graph = this.RULE('graph', () => {
    this.SUBRULE(this.quotableId, { LABEL: 'name' });
    this.SUBRULE(this.valueList, { LABEL: 'inputs' });
    this.CONSUME(Arrow);
    this.SUBRULE2(this.valueList, { LABEL: 'outputs' });
    this.OPTION(() => {
      this.CONSUME(LAngle);
      this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.valueItem, { LABEL: 'extra' }) });
      this.CONSUME(RAngle);
    });
    this.CONSUME(LBrace);
    this.MANY(() => this.SUBRULE(this.node));
    this.CONSUME(RBrace);
  });

  quotableId = this.RULE('quotableId', () => {
    this.OR([{ ALT: () => this.CONSUME(Identifier) }, { ALT: () => this.CONSUME(StringLit) }]);
  });

  valueList = this.RULE('valueList', () => {
    this.CONSUME(LParen);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.valueItem) });
    this.CONSUME(RParen);
  });

  /**
   * `type name`, `type name = {data}`, or (an extension, for untyped values) a bare name. Written as
   * `type name?` so the parser needs one token of lookahead: a type with no name after it is the bare
   * name (build.ts checks that it has no dims).
   */
  valueItem = this.RULE('valueItem', () => {
    this.OR([
      { ALT: () => this.CONSUME(StringLit, { LABEL: 'bareName' }) },
      {
        ALT: () => {
          this.SUBRULE(this.type);
          this.OPTION(() => this.SUBRULE(this.quotableId, { LABEL: 'name' }));
        },
      },
    ]);
    this.OPTION2(() => {
      this.CONSUME(Equals);
      this.SUBRULE(this.constantData);
    });
  });

  type = this.RULE('type', () => {
    this.CONSUME(Identifier, { LABEL: 'elem' });
    this.OPTION(() =>
      this.OR([
        {
          ALT: () => {
            this.CONSUME(LBracket);
            this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.dim) });
            this.CONSUME(RBracket);
          },
        },
        {
          ALT: () => {
            this.CONSUME(LParen, { LABEL: 'composite' });
            this.MANY_SEP2({ SEP: Comma, DEF: () => this.SUBRULE(this.type, { LABEL: 'args' }) });
            this.CONSUME(RParen);
          },
        },
      ]),
    );
  });

  dim = this.RULE('dim', () => {
    this.OR([
      { ALT: () => this.CONSUME(Question) },
      { ALT: () => this.CONSUME(IntLit) },
      { ALT: () => this.CONSUME(Identifier) },
      { ALT: () => this.CONSUME(StringLit) },
    ]);
  });

  constantData = this.RULE('constantData', () => {
    this.OR([{ ALT: () => this.SUBRULE(this.inlineData) }, { ALT: () => this.SUBRULE(this.keyValueList, { LABEL: 'external' }) }]);
  });

  inlineData = this.RULE('inlineData', () => {
    this.CONSUME(LBrace);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.primConstant) });
    this.CONSUME(RBrace);
  });

  primConstant = this.RULE('primConstant', () => {
    this.OR([
      { ALT: () => this.CONSUME(IntLit) },
      { ALT: () => this.CONSUME(FloatLit) },
      { ALT: () => this.CONSUME(StringLit) },
      {
        ALT: () => {
          this.OPTION(() => this.CONSUME(Minus));
          this.CONSUME(Identifier);
        },
      },
    ]);
  });

  node = this.RULE('node', () => {
    this.OPTION(() => {
      this.CONSUME(LBracket);
      this.SUBRULE(this.quotableId, { LABEL: 'label' });
      this.CONSUME(RBracket);
    });
    this.OPTION2(() => this.SUBRULE(this.idList, { LABEL: 'outputs' }));
    this.CONSUME(Equals);
    this.SUBRULE(this.qualifiedId, { LABEL: 'op' });
    this.OPTION3(() => this.SUBRULE(this.attrList));
    this.CONSUME(LParen);
    this.OPTION4(() => this.SUBRULE2(this.idList, { LABEL: 'inputs' }));
    this.CONSUME(RParen);
    this.OPTION5(() => this.SUBRULE2(this.attrList));
  });

  idList = this.RULE('idList', () => {
    this.AT_LEAST_ONE_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.quotableId) });
  });

  qualifiedId = this.RULE('qualifiedId', () => {
    this.CONSUME(Identifier);
    this.MANY(() => {
      this.CONSUME(Dot);
      this.CONSUME2(Identifier);
    });
  });

  attrList = this.RULE('attrList', () => {
    this.CONSUME(LAngle);
    this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.attr) });
    this.CONSUME(RAngle);
  });

  attr = this.RULE('attr', () => {
    this.CONSUME(Identifier, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(Colon);
      this.CONSUME2(Identifier, { LABEL: 'kind' });
    });
    this.CONSUME(Equals);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(LBracket, { LABEL: 'list' });
          this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.attrValue) });
          this.CONSUME(RBracket);
        },
      },
      { ALT: () => this.SUBRULE2(this.attrValue) },
    ]);
  });

  attrValue = this.RULE('attrValue', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.tensorConstant) },
      { ALT: () => this.SUBRULE(this.graph) },
      {
        ALT: () => {
          this.CONSUME(At);
          this.CONSUME(Identifier, { LABEL: 'ref' });
        },
      },
      { ALT: () => this.SUBRULE(this.primConstant) },
    ]);
  });

  tensorConstant = this.RULE('tensorConstant', () => {
    this.CONSUME(Identifier, { LABEL: 'elem' });
    this.OPTION(() => {
      this.CONSUME(LBracket);
      this.MANY_SEP({ SEP: Comma, DEF: () => this.SUBRULE(this.dim) });
      this.CONSUME(RBracket);
    });
    this.OPTION2(() => this.SUBRULE(this.quotableId, { LABEL: 'name' }));
    this.OPTION3(() => this.CONSUME(Equals));
    this.SUBRULE(this.inlineData);
  });
}

let parser: OnnxTextParser | null = null;

/** Tokens of an ONNX text (E_PARSE with line and column on a bad character). */
export function lexOnnxText(src: SourceText): IToken[] {
  const r = lexer.tokenize(src.text);
  if (r.errors.length > 0) throw lexError(src, r.errors[0]!);
  return r.tokens;
}

/** Parses ONNX text into its syntax tree (the `model` rule). Errors are located E_PARSE QccErrors. */
export function parseOnnxCst(src: SourceText): CstNode {
  const tokens = lexOnnxText(src);
  checkBrackets(src, tokens, BRACKETS);
  parser ??= new OnnxTextParser();
  parser.input = tokens;
  const cst = parser.model();
  const err = parser.errors[0];
  if (err) {
    if (err.name === 'NotAllInputParsedException') {
      throw errorAt(src, err.token, `unexpected ${err.token.image ? `'${err.token.image}'` : 'text'} after the graph (model-local functions are not supported)`);
    }
    throw parseError(src, err);
  }
  return cst;
}
