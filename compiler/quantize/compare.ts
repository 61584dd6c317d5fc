/**
 * Layer-by-layer comparison of a float model and its quantized version (`qcc compare`): both run in the
 * interpreter on the same inputs; every float tensor of the float model is matched by name with the
 * quantized model's tensor (integer tensors dequantized with their own scale and zero point; names map
 * through the quantizer's suffixes, see names.ts), and per layer we report SQNR and max error.
 */
import type { Graph, Value } from '../ir/graph.ts';
import type { Tensor } from '../ir/tensor.ts';
import { interpret } from '../interpreter/interpret.ts';
import type { Sample } from './calibration-data.ts';
import { ErrorStats, formatDb } from './metrics.ts';
import { floatNameOf } from './names.ts';

export interface LayerRow {
  /** The float model's tensor name (a node output). */
  tensor: string;
  node: string;
  op: string;
  /** The quantized model's tensor it was matched with. */
  matched: string;
  sqnr: number;
  maxErr: number;
  /** SQNR fell by more than `dropDb` from the layer before (or is below `floorDb`): accuracy is lost here. */
  lost: boolean;
  /**
   * Only when comparing compiled C (`CompareOptions.compiled`): the C tensor equalled the interpreter's
   * byte for byte on every input set (false: it differed, or the debug build did not dump it).
   */
  cExact?: boolean;
}

/** What the compiled-C comparison checked besides the rows: every intermediate of the quantized graph. */
export interface CompiledCheck {
  /** (tensor, input set) pairs compared byte for byte. */
  checked: number;
  /** Quantized-graph tensors whose C bytes differ from the interpreter's, in graph order. */
  differing: string[];
  /** Node outputs the interpreter produced that the debug build did not dump. */
  missing: string[];
}

const OUT_PARAMS: Record<string, [number, number]> = {
  quantize_linear: [1, 2], qlinear_conv: [6, 7], qlinear_matmul: [6, 7], qgemm: [7, 8], qlinear_add: [6, 7], qlinear_mul: [6, 7],
  qlinear_sigmoid: [3, 4], qlinear_leaky_relu: [3, 4], qlinear_global_average_pool: [3, 4], qlinear_average_pool: [3, 4],
  qlinear_softmax: [3, 4], qlinear_concat: [0, 1],
};
const PASS_THROUGH = new Set(['max_pool', 'reshape', 'transpose', 'clip', 'relu']);

/** Scale and zero point of an integer tensor of the quantized graph, if they can be found. */
export function tensorParams(v: Value): { scale: number; zp: number } | null {
  const from = (s: Value | null | undefined, z: Value | null | undefined) => (s?.const && s.const.size === 1 ? { scale: s.const.num(0), zp: z?.const ? z.const.num(0) : 0 } : null);
  const dq = v.users.find((u) => u.op === 'dequantize_linear' && u.inputs[0] === v);
  if (dq) return from(dq.inputs[1], dq.inputs[2]);
  const p = v.producer;
  if (!p) return null;
  const at = OUT_PARAMS[p.op];
  if (at) return from(p.inputs[at[0]], p.inputs[at[1]]);
  if (PASS_THROUGH.has(p.op) && p.inputs[0]) return tensorParams(p.inputs[0]);
  return null;
}

function asFloat(t: Tensor, v: Value): Float32Array | null {
  if (t.dtype === 'f32') return t.data as Float32Array;
  if (t.dtype !== 'u8' && t.dtype !== 'i8') return null;
  const p = tensorParams(v);
  if (!p) return null;
  const d = t.data as Uint8Array | Int8Array;
  const out = new Float32Array(d.length);
  for (let i = 0; i < d.length; i++) out[i] = Math.fround((d[i]! - p.zp) * p.scale);
  return out;
}

export interface CompareOptions {
  dropDb?: number;
  floorDb?: number;
  /**
   * The compiled C's node outputs of the quantized graph for an input set (a debug build, see
   * backends/run-dumps.ts): the rows are computed from these instead of the interpreter's, and every
   * one is held to the interpreter's bytes (rows get `cExact`; `check` receives the totals).
   */
  compiled?: (sample: Sample) => ReadonlyMap<string, Tensor>;
  check?: CompiledCheck;
}

function sameBytes(a: Tensor, b: Tensor): boolean {
  return a.dtype === b.dtype && a.shape.length === b.shape.length && a.shape.every((d, i) => d === b.shape[i]) && Buffer.compare(Buffer.from(a.bytes()), Buffer.from(b.bytes())) === 0;
}

export function compareModels(floatGraph: Graph, quantGraph: Graph, samples: readonly Sample[], opts: CompareOptions = {}): LayerRow[] {
  const dropDb = opts.dropDb ?? 6;
  const floorDb = opts.floorDb ?? 20;
  const order: { tensor: string; node: string; op: string }[] = [];
  for (const n of floatGraph.nodes) for (const o of n.outputs) if (o.type.dtype === 'f32') order.push({ tensor: o.name, node: n.name, op: n.op });
  const wanted = new Set(order.map((o) => o.tensor));
  const stats = new Map<string, { err: ErrorStats; matched: string }>();
  const differing = new Set<string>();
  const missing = new Set<string>();
  let checked = 0;
  for (const s of samples) {
    const ref = new Map<string, Float32Array>();
    interpret(floatGraph, s, { onNode: (_n, outs) => { for (const { value, tensor } of outs) if (wanted.has(value.name)) ref.set(value.name, tensor.data as Float32Array); } });
    const seen = new Set<string>();
    const c = opts.compiled?.(s);
    interpret(quantGraph, s, {
      onNode: (_n, outs) => {
        for (const { value, tensor: interpreted } of outs) {
          let tensor = interpreted;
          if (c) {
            const ct = c.get(value.name);
            if (!ct) missing.add(value.name);
            else {
              checked++;
              if (!sameBytes(ct, interpreted)) differing.add(value.name);
              tensor = ct;
            }
          }
          const name = floatNameOf(value.name);
          const f = ref.get(name);
          if (!f || seen.has(name) || tensor.size !== f.length) continue;
          const q = asFloat(tensor, value);
          if (!q) continue;
          seen.add(name);
          let st = stats.get(name);
          if (!st) stats.set(name, (st = { err: new ErrorStats(), matched: value.name }));
          st.err.add(f, q);
        }
      },
    });
  }
  const rows: LayerRow[] = [];
  let prev = Infinity;
  for (const o of order) {
    const st = stats.get(o.tensor);
    if (!st) continue;
    const sqnr = st.err.sqnr;
    const row: LayerRow = { ...o, matched: st.matched, sqnr, maxErr: st.err.maxAbs, lost: sqnr < floorDb || (Number.isFinite(prev) && prev - sqnr > dropDb) };
    if (opts.compiled) row.cExact = !differing.has(st.matched) && !missing.has(st.matched);
    rows.push(row);
    prev = sqnr;
  }
  if (opts.check) Object.assign(opts.check, { checked, differing: [...differing], missing: [...missing] });
  return rows;
}

export function formatCompare(rows: readonly LayerRow[]): string {
  const withC = rows.some((r) => r.cExact !== undefined);
  const head = ['layer (float tensor)', 'op', 'SQNR', 'max error', ...(withC ? ['C == interpreter'] : []), ''];
  const body = rows.map((r) => [r.tensor, r.op, formatDb(r.sqnr), r.maxErr.toPrecision(4), ...(withC ? [cExactText(r)] : []), r.lost ? '<-- accuracy lost here' : '']);
  const w = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(w[i]!)).join('  ').trimEnd();
  return [line(head), line(w.map((n) => '-'.repeat(n))), ...body.map(line)].join('\n');
}

function cExactText(r: LayerRow): string {
  return r.cExact === undefined ? '' : r.cExact ? 'bytes equal' : 'DIFFERS (qcc bug)';
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A standalone HTML page: an inline SVG plot of SQNR per layer, and the table. */
export function compareHtml(rows: readonly LayerRow[], title: string, note = ''): string {
  const W = 60 + rows.length * 48;
  const H = 260;
  const finite = rows.map((r) => (Number.isFinite(r.sqnr) ? r.sqnr : 0));
  const top = Math.max(60, ...finite) * 1.1;
  const y = (v: number) => 20 + (H - 80) * (1 - Math.max(0, Math.min(v, top)) / top);
  const bars = rows.map((r, i) => {
    const v = Number.isFinite(r.sqnr) ? r.sqnr : top;
    const x = 50 + i * 48;
    return `<rect x="${x}" y="${y(v)}" width="32" height="${H - 60 - y(v)}" fill="${r.lost ? '#d9534f' : '#5b9bd5'}"><title>${esc(r.tensor)}: ${esc(formatDb(r.sqnr))}</title></rect>` +
      `<text x="${x + 16}" y="${H - 45}" font-size="9" text-anchor="end" transform="rotate(-40 ${x + 16} ${H - 45})">${esc(r.tensor.slice(-24))}</text>`;
  }).join('');
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => `<text x="40" y="${y(f * top) + 3}" font-size="10" text-anchor="end">${(f * top).toFixed(0)}</text><line x1="45" x2="${W}" y1="${y(f * top)}" y2="${y(f * top)}" stroke="#ddd"/>`).join('');
  const withC = rows.some((r) => r.cExact !== undefined);
  const cCell = (r: LayerRow) => (withC ? `<td${r.cExact === false ? ' style="background:#d9534f;color:#fff;font-weight:bold"' : ''}>${cExactText(r)}</td>` : '');
  const table = rows.map((r) => `<tr${r.lost ? ' style="background:#fbe3e2"' : ''}><td>${esc(r.tensor)}</td><td>${esc(r.op)}</td><td>${esc(formatDb(r.sqnr))}</td><td>${r.maxErr.toPrecision(4)}</td>${cCell(r)}<td>${r.lost ? 'accuracy lost here' : ''}</td></tr>`).join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>${esc(title)}</title></head><body style="font-family:sans-serif">
<h1>${esc(title)}</h1><p>SQNR (dB) of each layer's quantized output against the float model; red: accuracy is lost there.</p>${note ? `\n<p>${esc(note)}</p>` : ''}
<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" role="img" aria-label="SQNR per layer">${ticks}${bars}</svg>
<table border="1" cellspacing="0" cellpadding="4"><tr><th>layer</th><th>op</th><th>SQNR</th><th>max error</th>${withC ? '<th>C == interpreter</th>' : ''}<th></th></tr>
${table}
</table></body></html>
`;
}
