import { QccError, type QccErrorCode } from '../errors.ts';

/** A syntax (or semantic) error in a text file, at a 1-based line and column. */
export class TextError extends QccError {
  readonly line: number;
  readonly column: number;

  /** `excerpt` (the source line with a caret) is appended to the message on lines of its own. */
  constructor(code: QccErrorCode, file: string, line: number, column: number, message: string, excerpt = '') {
    super(code, `${file}:${line}:${column}: ${message}${excerpt}`);
    this.line = line;
    this.column = column;
  }
}

/** The text being parsed, for locating errors and quoting the offending line. */
export class SourceText {
  readonly lines: string[];

  constructor(
    readonly text: string,
    readonly file: string,
  ) {
    this.lines = text.split(/\r?\n/);
  }

  /** The line with a caret under the column, as the hint of an error. */
  excerpt(line: number, column: number): string {
    const l = this.lines[line - 1];
    if (l === undefined) return '';
    const shown = l.length > 160 ? l.slice(Math.max(0, column - 80), Math.max(0, column - 80) + 160) : l;
    const col = l.length > 160 ? Math.min(column, 80) : column;
    return `\n    ${shown}\n    ${' '.repeat(Math.max(0, col - 1))}^`;
  }

  /** Position just after the last character (where "end of input" errors point). */
  end(): { line: number; column: number } {
    const last = this.lines.length;
    return { line: last, column: (this.lines[last - 1]?.length ?? 0) + 1 };
  }

  error(line: number, column: number, message: string, code: QccErrorCode = 'E_PARSE'): TextError {
    return new TextError(code, this.file, line, column, message, this.excerpt(line, column));
  }
}

/** Anything with a token's position (chevrotain IToken). */
export interface Located {
  startLine?: number;
  startColumn?: number;
}

export function errorAt(src: SourceText, at: Located | undefined, message: string, code: QccErrorCode = 'E_PARSE'): TextError {
  const line = at?.startLine;
  const column = at?.startColumn;
  if (line === undefined || column === undefined || Number.isNaN(line) || Number.isNaN(column)) {
    const e = src.end();
    return src.error(e.line, e.column, message, code);
  }
  return src.error(line, column, message, code);
}
