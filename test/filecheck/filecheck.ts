/**
 * A small FileCheck (LLVM's pattern checker): checks that a text (the IR after some passes) contains the
 * lines a fixture expects, in order.
 *
 *   CHECK: pat        pat occurs after the previous match
 *   CHECK-NEXT: pat   ... on the line right after the previous match's line
 *   CHECK-SAME: pat   ... on the same line as the previous match, after it
 *   CHECK-NOT: pat    pat does not occur between the previous match and the next positive match (or the end)
 *   CHECK-LABEL: pat  like CHECK (a landmark that starts a new section)
 *
 * A pattern is literal text, except `{{regex}}` (a JavaScript regex, within one line), `[[NAME:regex]]`
 * (matches regex and binds NAME) and `[[NAME]]` (the text bound earlier). Runs of spaces and tabs match
 * any run of spaces and tabs; leading and trailing space is ignored. Matches never cross a line end.
 */

export type CheckKind = 'CHECK' | 'CHECK-NEXT' | 'CHECK-SAME' | 'CHECK-NOT' | 'CHECK-LABEL';

export interface Check {
  kind: CheckKind;
  pattern: string;
  /** 1-based line of the directive in the fixture. */
  line: number;
}

export type CheckResult = { ok: true } | { ok: false; message: string };

const DIRECTIVE = /(?:\/\/|#|;)\s*(CHECK(?:-NEXT|-SAME|-NOT|-LABEL)?):(.*)$/;

/** The CHECK directives of a fixture (in `//`, `#` or `;` comments). Unknown CHECK-XXX forms are errors. */
export function parseChecks(text: string): Check[] {
  const out: Check[] = [];
  text.split('\n').forEach((l, i) => {
    const bad = /(?:\/\/|#|;)\s*(CHECK-[A-Z]+):/.exec(l);
    if (bad && !['CHECK-NEXT', 'CHECK-SAME', 'CHECK-NOT', 'CHECK-LABEL'].includes(bad[1]!)) {
      throw new Error(`line ${i + 1}: unknown directive ${bad[1]}`);
    }
    const m = DIRECTIVE.exec(l);
    if (!m) return;
    const pattern = m[2]!.trim();
    if (pattern === '') throw new Error(`line ${i + 1}: ${m[1]} has an empty pattern`);
    out.push({ kind: m[1] as CheckKind, pattern, line: i + 1 });
  });
  return out;
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The regex of a pattern, with the variables it binds (in group order). */
function compile(pattern: string, vars: ReadonlyMap<string, string>): { re: RegExp; binds: string[] } {
  let src = '';
  const binds: string[] = [];
  let rest = pattern;
  while (rest.length > 0) {
    const rx = rest.indexOf('{{');
    const vx = rest.indexOf('[[');
    const next = [rx, vx].filter((k) => k >= 0).sort((a, b) => a - b)[0];
    if (next === undefined) {
      src += literal(rest);
      break;
    }
    src += literal(rest.slice(0, next));
    if (next === rx) {
      const end = rest.indexOf('}}', next + 2);
      if (end < 0) throw new Error(`unclosed {{ in pattern '${pattern}'`);
      src += `(?:${rest.slice(next + 2, end)})`;
      rest = rest.slice(end + 2);
    } else {
      const end = rest.indexOf(']]', next + 2);
      if (end < 0) throw new Error(`unclosed [[ in pattern '${pattern}'`);
      const body = rest.slice(next + 2, end);
      const colon = body.indexOf(':');
      if (colon >= 0) {
        binds.push(body.slice(0, colon));
        src += `(${body.slice(colon + 1)})`;
      } else {
        const v = vars.get(body);
        if (v === undefined) throw new Error(`variable [[${body}]] is used before it is defined`);
        src += escape(v);
      }
      rest = rest.slice(end + 2);
    }
  }
  return { re: new RegExp(src, 'g'), binds };
}

function literal(s: string): string {
  return s
    .split(/[ \t]+/)
    .map(escape)
    .join('[ \\t]+');
}

function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

function lineText(text: string, line: number): string {
  return text.split('\n')[line - 1] ?? '';
}

interface Match {
  start: number;
  end: number;
  groups: string[];
}

/** The first match in [from, to) that stays within one line. */
function find(text: string, re: RegExp, from: number, to: number): Match | undefined {
  for (let at = from; at <= to; ) {
    re.lastIndex = at;
    const m = re.exec(text);
    if (!m || m.index + m[0].length > to) return undefined;
    if (!m[0].includes('\n')) return { start: m.index, end: m.index + m[0].length, groups: m.slice(1) };
    at = m.index + 1;
  }
  return undefined;
}

/**
 * Checks `output` against the directives. `file` names the fixture in messages; a failure message
 * says which directive failed, why, and where in the output it looked.
 */
export function fileCheck(output: string, checks: readonly Check[], file = '<checks>'): CheckResult {
  if (checks.length === 0) return { ok: false, message: `${file}: no CHECK directives` };
  const vars = new Map<string, string>();
  let pos = 0;
  let lastLine = 0;
  let pendingNots: Check[] = [];
  const fail = (c: Check, why: string): CheckResult => ({
    ok: false,
    message: `${file}:${c.line}: ${c.kind}: ${c.pattern}\n  ${why}\n--- output ---\n${output}`,
  });
  const checkNots = (from: number, to: number): CheckResult | undefined => {
    for (const n of pendingNots) {
      const m = find(output, compile(n.pattern, vars).re, from, to);
      if (m) return fail(n, `found at output line ${lineOf(output, m.start)}: ${lineText(output, lineOf(output, m.start))}`);
    }
    pendingNots = [];
    return undefined;
  };
  for (const c of checks) {
    if (c.kind === 'CHECK-NOT') {
      pendingNots.push(c);
      continue;
    }
    const { re, binds } = compile(c.pattern, vars);
    let m: Match | undefined;
    if (c.kind === 'CHECK-NEXT' || c.kind === 'CHECK-SAME') {
      if (lastLine === 0) return fail(c, `${c.kind} needs a CHECK before it`);
      const want = c.kind === 'CHECK-NEXT' ? lastLine + 1 : lastLine;
      const lines = output.split('\n');
      let start = 0;
      for (let i = 0; i < want - 1; i++) start += lines[i]!.length + 1;
      const end = start + (lines[want - 1]?.length ?? 0);
      m = find(output, re, c.kind === 'CHECK-SAME' ? pos : start, end);
      if (!m) {
        const where = c.kind === 'CHECK-NEXT' ? `the next line (output line ${want})` : `the rest of output line ${want}`;
        return fail(c, `not found on ${where}: ${lineText(output, want)}`);
      }
    } else {
      m = find(output, re, pos, output.length);
      if (!m) return fail(c, `not found after output line ${lastLine}`);
    }
    const notFail = checkNots(pos, m.start);
    if (notFail) return notFail;
    binds.forEach((b, i) => vars.set(b, m!.groups[i] ?? ''));
    pos = m.end;
    lastLine = lineOf(output, m.start);
  }
  const notFail = checkNots(pos, output.length);
  if (notFail) return notFail;
  return { ok: true };
}
