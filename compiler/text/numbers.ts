/**
 * Number formatting for the text formats: every printed number reads back to the same bits (the
 * shortest decimal that does), with explicit spellings for -0, infinities and NaN.
 */

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Bits of a float32 value. */
export function f32Bits(v: number): number {
  f32[0] = v;
  return u32[0]!;
}

export function f32FromBits(bits: number): number {
  u32[0] = bits >>> 0;
  return f32[0]!;
}

/** The quiet NaN every arithmetic NaN has (0x7fc00000); other NaNs print as raw bits. */
export const CANONICAL_NAN_F32 = 0x7fc00000;

function special(v: number): string | undefined {
  if (Number.isNaN(v)) return 'nan';
  if (v === Infinity) return 'inf';
  if (v === -Infinity) return '-inf';
  if (Object.is(v, -0)) return '-0.0';
  return undefined;
}

/** A double, shortest round-trip form (`1`, `0.5`, `1e-7`, `-0.0`, `inf`, `nan`). */
export function formatF64(v: number): string {
  return special(v) ?? String(v);
}

/** A float32 value: the shortest decimal that rounds back (through float32) to the same value. */
export function formatF32(v: number): string {
  const s = special(v);
  if (s !== undefined) return s;
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  for (let p = 1; p <= 9; p++) {
    const d = Number(v.toPrecision(p));
    if (Math.fround(d) === v) return String(d);
  }
  return String(v);
}

/** A float32 value that is a float16 value: shortest decimal that rounds back through f16. */
export function formatF16Value(v: number, roundTrip: (x: number) => number): string {
  const s = special(v);
  if (s !== undefined) return s;
  for (let p = 1; p <= 6; p++) {
    const d = Number(v.toPrecision(p));
    if (roundTrip(d) === v) return String(d);
  }
  return String(v);
}

/** A number literal of the text formats to a JS number (`inf`, `-inf`, `nan` included); undefined if not one. */
export function parseNumberText(text: string): number | undefined {
  const t = text.trim();
  const neg = t.startsWith('-');
  const body = neg || t.startsWith('+') ? t.slice(1) : t;
  let v: number;
  if (body === 'inf' || body === 'Infinity' || body === 'infinity') v = Infinity;
  else if (body === 'nan' || body === 'NaN') v = NaN;
  else if (/^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(body)) v = Number(body);
  else return undefined;
  return neg ? -v : v;
}

/** JSON-style string literal (escapes `"`, `\`, control characters). */
export function quoteString(s: string): string {
  return JSON.stringify(s);
}

/** Reads a string literal token (JSON-style escapes; a lone backslash before other characters is kept). */
export function unquoteString(tok: string): string {
  const body = tok.slice(1, -1);
  return body.replace(/\\(u[0-9a-fA-F]{4}|.)/g, (_m, e: string) => {
    switch (e[0]) {
      case 'n': return '\n';
      case 't': return '\t';
      case 'r': return '\r';
      case 'b': return '\b';
      case 'f': return '\f';
      case 'u': return String.fromCharCode(parseInt(e.slice(1), 16));
      default: return e;
    }
  });
}
