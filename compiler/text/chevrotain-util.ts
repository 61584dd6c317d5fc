import { EOF, type ILexingError, type IRecognitionException, type IParserErrorMessageProvider, type IToken, type TokenType } from 'chevrotain';
import { errorAt, type SourceText, type TextError } from './located-error.ts';

/** How a token type is named in messages: its LABEL (e.g. "')'", "a name"), else its name. */
export function tokenLabel(t: TokenType): string {
  if (t === EOF) return 'end of input';
  return t.LABEL ?? t.name;
}

/** How a token found in the input is described in messages. */
export function describeToken(t: IToken | undefined): string {
  if (!t || t.tokenType === EOF) return 'end of input';
  const img = t.image.length > 40 ? t.image.slice(0, 37) + '...' : t.image;
  return `'${img}'`;
}

function alternatives(labels: string[]): string {
  const uniq = [...new Set(labels)];
  if (uniq.length === 1) return uniq[0]!;
  return uniq.slice(0, -1).join(', ') + ' or ' + uniq[uniq.length - 1]!;
}

/** Messages that say what was expected and what was found, in plain words. */
export const messageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual }) {
    return `expected ${tokenLabel(expected)} but found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${describeToken(firstRedundant)} after the end of the text`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, customUserDescription }) {
    const firsts = expectedPathsPerAlt.flatMap((alt) => alt.map((path) => (path[0] ? tokenLabel(path[0]) : 'end of input')));
    const what = customUserDescription ?? alternatives(firsts);
    return `expected ${what} but found ${describeToken(actual[0])}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, customUserDescription }) {
    const firsts = expectedIterationPaths.map((path) => (path[0] ? tokenLabel(path[0]) : 'end of input'));
    const what = customUserDescription ?? alternatives(firsts);
    return `expected at least one ${what} but found ${describeToken(actual[0])}`;
  },
};

/** The first lexing error, located, naming the bad character. */
export function lexError(src: SourceText, e: ILexingError): TextError {
  const ch = src.text.slice(e.offset, e.offset + e.length);
  const shown = ch.length > 20 ? ch.slice(0, 17) + '...' : ch;
  const what = ch.startsWith('"') ? 'unterminated string (no closing \'"\')' : `unexpected character ${JSON.stringify(shown)}`;
  return src.error(e.line ?? 1, e.column ?? 1, what);
}

/** The first parser error, located at the offending token (or at the end of input). */
export function parseError(src: SourceText, e: IRecognitionException): TextError {
  return errorAt(src, e.token.tokenType === EOF ? undefined : e.token, e.message);
}

/**
 * Checks that brackets pair up before parsing, so an unclosed or mismatched bracket is reported where
 * it was opened (the parser alone would only see a surprise much later). `pairs` maps openers to closers
 * by token type name.
 */
export function checkBrackets(src: SourceText, tokens: readonly IToken[], pairs: Readonly<Record<string, { close: string; open: string; closeText: string }>>): void {
  const closers = new Map<string, string>();
  for (const [open, p] of Object.entries(pairs)) closers.set(p.close, open);
  const stack: IToken[] = [];
  for (const t of tokens) {
    const name = t.tokenType.name;
    if (pairs[name]) {
      stack.push(t);
      continue;
    }
    const opener = closers.get(name);
    if (opener === undefined) continue;
    const top = stack.pop();
    if (!top) throw errorAt(src, t, `unexpected '${t.image}' with no opening bracket before it`);
    if (top.tokenType.name !== opener) {
      const want = pairs[top.tokenType.name]!.closeText;
      throw errorAt(src, t, `expected '${want}' to close '${top.image}' opened at ${top.startLine}:${top.startColumn}, but found '${t.image}'`);
    }
  }
  const open = stack.pop();
  if (open) {
    const want = pairs[open.tokenType.name]!.closeText;
    throw errorAt(src, open, `unclosed '${open.image}': expected '${want}' to close it before the end of input`);
  }
}
