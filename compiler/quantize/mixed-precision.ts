/**
 * Mixed precision (`--max-error`): a sensitivity analysis quantizes one layer at a time (every other
 * layer float) and measures the model outputs against the float model over the evaluation samples; then
 * layers stay float, most sensitive first, until the fully quantized rest meets the target.
 */
import type { Graph } from '../ir/graph.ts';
import type { Tensor } from '../ir/tensor.ts';
import { interpret } from '../interpreter/interpret.ts';
import { loadOnnxBytes } from '../frontend/onnx/load.ts';
import { prepareGraph } from '../passes/pipeline.ts';
import type { Sample } from './calibration-data.ts';
import { ErrorStats, argmaxOf, formatDb, type ErrorTarget } from './metrics.ts';
import { quantizeCalibrated, type Calibrated, type QuantizeOptions, type QuantizeResult } from './quantize.ts';

export interface Score {
  sqnr: number;
  top1: number;
}

export interface MixedPrecisionReport {
  target: ErrorTarget;
  /** Score of the model with every layer quantized. */
  full: Score;
  /** Per layer: the score with only that layer quantized. */
  sensitivity: { layer: string; score: Score }[];
  /** Layers kept in float, in the order they were taken out, with the score after each step. */
  keptFloat: { layer: string; after: Score }[];
  final: Score;
  met: boolean;
}

export function scoreModel(bytes: Uint8Array, samples: readonly Sample[], reference: readonly Map<string, Tensor>[]): Score {
  const g: Graph = loadOnnxBytes(bytes);
  prepareGraph(g);
  const err = new ErrorStats();
  let agree = 0;
  samples.forEach((s, k) => {
    const out = interpret(g, s);
    const ref = reference[k]!;
    let first = true;
    for (const [name, f] of ref) {
      const q = out.get(name)!;
      err.add(f.data as Float32Array, q.data as Float32Array);
      if (first && argmaxOf(f) === argmaxOf(q)) agree++;
      first = false;
    }
  });
  return { sqnr: err.sqnr, top1: samples.length ? agree / samples.length : 1 };
}

const meets = (s: Score, t: ErrorTarget): boolean => (t.kind === 'sqnr' ? s.sqnr >= t.min : s.top1 >= t.min);
/** Larger is worse. */
const badness = (s: Score, t: ErrorTarget): number => (t.kind === 'sqnr' ? -s.sqnr : 1 - s.top1);

export function mixedPrecision(c: Calibrated, opts: QuantizeOptions, target: ErrorTarget, samples: readonly Sample[]): { result: QuantizeResult; report: MixedPrecisionReport } {
  const reference = samples.map((s) => interpret(c.graph, s));
  const score = (keep: ReadonlySet<string>) => {
    const r = quantizeCalibrated(c, { ...opts, keepFloat: new Set([...opts.keepFloat, ...keep]) });
    return { r, s: scoreModel(r.bytes, samples, reference) };
  };
  const full = score(new Set());
  const layers = full.r.plan.nodes.filter((p) => p.role === 'weight' || p.role === 'activation').map((p) => p.label);
  const report: MixedPrecisionReport = { target, full: full.s, sensitivity: [], keptFloat: [], final: full.s, met: meets(full.s, target) };
  if (report.met) return { result: full.r, report };
  for (const l of layers) report.sensitivity.push({ layer: l, score: score(new Set(layers.filter((x) => x !== l))).s });
  const order = [...report.sensitivity].sort((a, b) => badness(b.score, target) - badness(a.score, target)).map((x) => x.layer);
  const keep = new Set<string>();
  let cur = full;
  for (const l of order) {
    keep.add(l);
    cur = score(keep);
    report.keptFloat.push({ layer: l, after: cur.s });
    if (meets(cur.s, target)) break;
  }
  report.final = cur.s;
  report.met = meets(cur.s, target);
  return { result: cur.r, report };
}

export function formatMixedPrecision(r: MixedPrecisionReport): string {
  const fmt = (s: Score) => `SQNR ${formatDb(s.sqnr)}, top-1 agreement ${(100 * s.top1).toFixed(2)}%`;
  const lines = [`mixed precision, target ${r.target.kind} >= ${r.target.min}`, `  all layers quantized: ${fmt(r.full)}`];
  if (r.sensitivity.length) {
    lines.push('  sensitivity (only this layer quantized):');
    for (const s of r.sensitivity) lines.push(`    ${s.layer}: ${fmt(s.score)}`);
  }
  if (r.keptFloat.length) {
    lines.push('  kept in float (most sensitive first; score after each):');
    for (const k of r.keptFloat) lines.push(`    ${k.layer}: ${fmt(k.after)}`);
  } else lines.push('  no layer needs to stay float');
  lines.push(`  result: ${fmt(r.final)} — target ${r.met ? 'met' : 'NOT met (every quantizable layer tried)'}`);
  return lines.join('\n');
}
