/**
 * Model strings (value names, node names, --name) made safe for generated C.
 *
 * Identifiers: only [A-Za-z0-9_], no leading digit, no leading underscore or double underscore (reserved
 * to the implementation), no C keyword, no name of a macro/typedef/function the generated code can see
 * from the standard headers it includes, nothing in our own `qcc_`/`QCC_` runtime namespace, bounded
 * length. Comments: nothing that can end or nest the comment, splice a line or form a trigraph.
 */

/** Longest identifier cIdent returns (C99 guarantees 63 significant characters for internal names). */
export const MAX_IDENT = 48;

const C_KEYWORDS = [
  // C89/C99
  'auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else', 'enum', 'extern',
  'float', 'for', 'goto', 'if', 'inline', 'int', 'long', 'register', 'restrict', 'return', 'short', 'signed',
  'sizeof', 'static', 'struct', 'switch', 'typedef', 'union', 'unsigned', 'void', 'volatile', 'while',
  // C11/C23 and C++ (a header may be included from C++)
  'alignas', 'alignof', 'bool', 'constexpr', 'false', 'nullptr', 'static_assert', 'thread_local', 'true',
  'typeof', 'typeof_unqual', 'asm', 'catch', 'class', 'delete', 'explicit', 'friend', 'mutable', 'namespace',
  'new', 'operator', 'private', 'protected', 'public', 'template', 'this', 'throw', 'try', 'typename',
  'using', 'virtual', 'and', 'or', 'not', 'xor', 'bitand', 'bitor', 'compl', 'and_eq', 'or_eq', 'xor_eq',
  'not_eq', 'noexcept', 'decltype', 'char8_t', 'char16_t', 'char32_t', 'wchar_t', 'concept', 'requires',
];

/** Names visible from <stdint.h> <stddef.h> <string.h> <stdio.h> <stdlib.h> <float.h> <limits.h> <math.h>. */
const STD_NAMES = [
  'NULL', 'EOF', 'FILE', 'BUFSIZ', 'FILENAME_MAX', 'FOPEN_MAX', 'L_tmpnam', 'TMP_MAX', 'SEEK_SET', 'SEEK_CUR',
  'SEEK_END', 'stdin', 'stdout', 'stderr', 'errno', 'offsetof', 'assert', 'main', 'INFINITY', 'NAN',
  'HUGE_VAL', 'HUGE_VALF', 'HUGE_VALL', 'CHAR_BIT', 'MB_LEN_MAX', 'RAND_MAX', 'EXIT_SUCCESS', 'EXIT_FAILURE',
  'MB_CUR_MAX', 'fpos_t', 'div_t', 'ldiv_t', 'lldiv_t', 'abs', 'labs', 'div', 'exit', 'abort', 'malloc',
  'calloc', 'realloc', 'free', 'qsort', 'bsearch', 'rand', 'srand', 'atoi', 'atol', 'atof', 'getenv', 'system',
  'printf', 'fprintf', 'sprintf', 'snprintf', 'scanf', 'fscanf', 'sscanf', 'fopen', 'fclose', 'fread', 'fwrite',
  'fflush', 'fgetc', 'fputc', 'fgets', 'fputs', 'getc', 'putc', 'getchar', 'putchar', 'gets', 'puts', 'perror',
  'remove', 'rename', 'rewind', 'ftell', 'fseek', 'feof', 'ferror', 'clearerr', 'setbuf', 'setvbuf', 'ungetc',
  'fgetpos', 'fsetpos', 'freopen', 'tmpfile', 'tmpnam', 'vprintf', 'vfprintf', 'vsprintf', 'vsnprintf',
  'fabs', 'fabsf', 'floor', 'floorf', 'ceil', 'ceilf', 'sqrt', 'sqrtf', 'exp', 'expf', 'log', 'logf', 'pow',
  'powf', 'sin', 'cos', 'tan', 'round', 'roundf', 'rint', 'rintf', 'fmax', 'fmin', 'fmaxf', 'fminf', 'fma',
  'fmaf', 'signbit', 'isnan', 'isinf', 'isfinite', 'fpclassify', 'arena', 'inputs', 'outputs', 'argc', 'argv',
  'ptrdiff_t', 'size_t', 'max_align_t', 'wchar_t', 'float_t', 'double_t', 'uintptr_t', 'intptr_t', 'intmax_t',
  'uintmax_t',
];

/** Reserved patterns of the C library (C99 7.26 future directions and POSIX `_t`). */
const RESERVED_PATTERNS: readonly RegExp[] = [
  /^E[0-9A-Z]/, // errno macros
  /^(is|to|str|mem|wcs)[a-z]/, // <ctype.h>, <string.h>, <stdlib.h>
  /^(SIG|SIG_|LC_)[A-Z]/, // <signal.h>, <locale.h>
  /^(u?int(_least|_fast)?[0-9]+_t|u?intptr_t|u?intmax_t)$/,
  /^U?INT[A-Z0-9_]*_(MAX|MIN|C)$/, // <stdint.h> limits and constant macros
  /^(FLT|DBL|LDBL|INT|UINT|LONG|ULONG|LLONG|ULLONG|SHRT|USHRT|CHAR|SCHAR|UCHAR|PTRDIFF|SIZE|SIG_ATOMIC|WCHAR|WINT)_/,
  /^(PRI|SCN)[a-zX]/, // <inttypes.h>
  /^FP_/, // <math.h>
  /_t$/, // POSIX reserves *_t
  /^qcc_/i, // our runtime's namespace (QCC_ macros included)
];

const RESERVED = new Set<string>([...C_KEYWORDS, ...STD_NAMES]);

function isReserved(id: string): boolean {
  return RESERVED.has(id) || RESERVED_PATTERNS.some((re) => re.test(id));
}

/**
 * A model string as a valid, harmless C identifier. Deterministic; different strings may map to the
 * same identifier (use a NameTable to keep them apart). Never empty.
 */
export function cIdent(s: string, maxLen = MAX_IDENT): string {
  let id = s.replace(/[^A-Za-z0-9_]+/g, '_').replace(/_+/g, '_').replace(/^_+/, '');
  if (id === '' || id === '_') id = 'v';
  if (/^[0-9]/.test(id)) id = 'v_' + id;
  // Each fix can only move the name further from a reserved form; a few rounds always suffice.
  for (let round = 0; ; round++) {
    // Truncation may leave a trailing '_' that a later suffix would double: drop it.
    id = id.slice(0, maxLen).replace(/_+$/, '') || 'v';
    if (!isReserved(id) || round > 4) break;
    id = /_t$/.test(id) ? id.slice(0, maxLen - 2) + '_v' : 'v_' + id;
  }
  return id;
}

/**
 * Hands out identifiers that are unique within one C scope. The same key always gets the same
 * identifier; two keys whose strings sanitise alike get `_2`, `_3`, ... suffixes in first-come order,
 * so the result depends only on the sequence of calls (deterministic for a deterministic caller).
 */
export class NameTable {
  private readonly used = new Set<string>();
  private readonly byKey = new Map<unknown, string>();
  private readonly forbiddenPrefixes: readonly string[];

  /** `forbiddenPrefixes`: identifiers must not start with these (e.g. the model's macro prefix). */
  constructor(opts: { reserved?: Iterable<string>; forbiddenPrefixes?: readonly string[] } = {}) {
    for (const r of opts.reserved ?? []) this.used.add(r);
    this.forbiddenPrefixes = opts.forbiddenPrefixes ?? [];
  }

  /** Marks an identifier as taken (names the generated code defines itself). */
  reserve(id: string): void {
    this.used.add(id);
  }

  has(id: string): boolean {
    return this.used.has(id);
  }

  /** The identifier for `key` (created from `hint` on first request). */
  get(key: unknown, hint: string): string {
    const known = this.byKey.get(key);
    if (known !== undefined) return known;
    const id = this.fresh(hint);
    this.byKey.set(key, id);
    return id;
  }

  /** A new identifier never handed out before. */
  fresh(hint: string): string {
    let base = cIdent(hint);
    if (this.forbiddenPrefixes.some((p) => base.startsWith(p))) base = cIdent('v_' + base);
    if (!this.used.has(base)) {
      this.used.add(base);
      return base;
    }
    for (let k = 2; ; k++) {
      const suffix = `_${k}`;
      const id = base.slice(0, MAX_IDENT - suffix.length).replace(/_+$/, '') + suffix;
      if (!this.used.has(id)) {
        this.used.add(id);
        return id;
      }
    }
  }
}

/** Longest text cComment returns. */
export const MAX_COMMENT = 160;

/**
 * A model string made safe inside a C block comment (and a // comment): printable ASCII only, no
 * newline, no backslash (so no line splice), no `/*` or `*\/`, no `??` (trigraphs); other characters are
 * written as <U+XXXX>. Truncated to MAX_COMMENT characters with `...`.
 */
export function cComment(s: string, maxLen = MAX_COMMENT): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (cp >= 0x20 && cp < 0x7f && ch !== '\\') out += ch;
    else out += `<U+${cp.toString(16).toUpperCase().padStart(4, '0')}>`;
    if (out.length > maxLen * 2) break; // enough to truncate from; keeps 5000-char names cheap
  }
  out = out.replace(/\*(?=\/)/g, '* ').replace(/\/(?=\*)/g, '/ ').replace(/\?(?=\?)/g, '? ');
  if (out.length > maxLen) out = out.slice(0, maxLen - 3) + '...';
  return out;
}
