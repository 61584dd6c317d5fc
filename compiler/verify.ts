import { compileModel } from '../backends/c/compile.ts';
import { runCompiled, type RunOptions } from '../backends/run.ts';
import { DTYPES } from './ir/dtype.ts';
import type { Graph } from './ir/graph.ts';
import type { Tensor } from './ir/tensor.ts';
import { shapeToString } from './ir/tensor.ts';
import { interpret } from './interpreter/interpret.ts';
import { randomInputs } from './io/random-inputs.ts';
import { bindInputs, inputsNeededAsConstants } from './passes/bind-inputs.ts';
import { f16BitsToF32 } from './numerics/f16.ts';

export interface VerifyOptions {
  target: string;
  /** One run per seed, each with fresh random inputs (randomInputs). */
  seeds: readonly number[];
  /** Symbol prefix of the compiled model (default: the graph name). */
  name?: string;
  /** Build options (C compiler override, extra flags, a folder to keep the build in). */
  run?: RunOptions;
}

/** How one output compared over one or more runs. */
export interface OutputDiff {
  name: string;
  dtype: string;
  shape: number[];
  /** Elements compared (summed over runs). */
  elements: number;
  /** Elements whose bytes differ (bit-exact standard: -0 vs +0 and different NaNs count). */
  mismatches: number;
  /** Largest |compiled - interpreted| over the mismatching elements; Infinity when one side is NaN. */
  maxAbsDiff: number;
  /** First differing element (flat index) of the first run that had one, for debugging. */
  firstMismatch?: { seed: number; index: number; expected: number | string; actual: number | string };
}

export interface VerifyRun {
  seed: number;
  outputs: OutputDiff[];
}

export interface VerifyReport {
  target: string;
  seeds: number[];
  runs: VerifyRun[];
  /** Per output, merged over all runs. */
  outputs: OutputDiff[];
  ok: boolean;
}

/**
 * Compiles the graph for `target`, runs the compiled code and the reference interpreter on the same
 * seeded random inputs, and compares every output byte for byte.
 */
export function verifyModel(graph: Graph, opts: VerifyOptions): VerifyReport {
  const model = compileModel(graph, { target: opts.target, name: opts.name ?? graph.name });
  const runs: VerifyRun[] = [];
  for (const seed of opts.seeds) {
    const inputs = randomInputs(graph, seed);
    const expected = interpret(graph, inputs);
    const actual = runCompiled(model, inputs, opts.run);
    runs.push({
      seed,
      outputs: graph.outputs.map((o) => {
        const e = expected.get(o.name);
        const a = actual.get(o.name);
        if (!e) throw new Error(`internal: interpreter produced no output '${o.name}'`);
        if (!a) throw new Error(`internal: compiled model produced no output '${o.name}'`);
        return compareTensors(o.name, e, a, seed);
      }),
    });
  }
  const outputs = graph.outputs.map((o, k) => mergeDiffs(runs.map((r) => r.outputs[k]!)));
  return { target: opts.target, seeds: [...opts.seeds], runs, outputs, ok: outputs.every((d) => d.mismatches === 0) };
}

/**
 * Binds the graph inputs that code generation needs as constants (weights, scales or zero points a model
 * passes as inputs) to seeded random values, in place; returns their names. `verify` uses this so such
 * models can be checked at all: the comparison then covers the remaining inputs.
 */
export function bindRandomConstInputs(graph: Graph, seed: number): string[] {
  const need = inputsNeededAsConstants(graph);
  if (need.length === 0) return [];
  const values = randomInputs(graph, seed);
  bindInputs(graph, new Map(need.map((v) => [v.name, values.get(v.name)!])));
  return need.map((v) => v.name);
}

/** Bit-exact comparison of two tensors; a shape or dtype disagreement counts every element as different. */
export function compareTensors(name: string, expected: Tensor, actual: Tensor, seed = 0): OutputDiff {
  const base = { name, dtype: expected.dtype, shape: [...expected.shape], elements: expected.size };
  if (expected.dtype !== actual.dtype || shapeToString(expected.shape) !== shapeToString(actual.shape)) {
    return {
      ...base,
      mismatches: Math.max(expected.size, actual.size),
      maxAbsDiff: Infinity,
      firstMismatch: { seed, index: -1, expected: `${expected.dtype}[${shapeToString(expected.shape)}]`, actual: `${actual.dtype}[${shapeToString(actual.shape)}]` },
    };
  }
  const width = DTYPES[expected.dtype].bytes;
  const eb = expected.bytes();
  const ab = actual.bytes();
  let mismatches = 0;
  let maxAbsDiff = 0;
  let firstMismatch: OutputDiff['firstMismatch'];
  for (let i = 0; i < expected.size; i++) {
    let same = true;
    for (let b = i * width; b < (i + 1) * width; b++) {
      if (eb[b] !== ab[b]) {
        same = false;
        break;
      }
    }
    if (same) continue;
    mismatches++;
    const x = elementValue(expected, i);
    const y = elementValue(actual, i);
    const d = Number.isNaN(x) || Number.isNaN(y) ? Infinity : Math.abs(x - y);
    if (d > maxAbsDiff) maxAbsDiff = d;
    firstMismatch ??= { seed, index: i, expected: x, actual: y };
  }
  return { ...base, mismatches, maxAbsDiff, firstMismatch };
}

function elementValue(t: Tensor, i: number): number {
  if (t.dtype === 'f16') return f16BitsToF32((t.data as Uint16Array)[i]!);
  return t.num(i);
}

function mergeDiffs(diffs: OutputDiff[]): OutputDiff {
  const first = diffs[0]!;
  return {
    name: first.name,
    dtype: first.dtype,
    shape: first.shape,
    elements: diffs.reduce((s, d) => s + d.elements, 0),
    mismatches: diffs.reduce((s, d) => s + d.mismatches, 0),
    maxAbsDiff: diffs.reduce((m, d) => Math.max(m, d.maxAbsDiff), 0),
    firstMismatch: diffs.find((d) => d.firstMismatch)?.firstMismatch,
  };
}

/** The text `qcc verify` prints: one line per output, then a verdict. */
export function formatVerifyReport(r: VerifyReport): string {
  const lines = [`verify: target ${r.target}, ${r.seeds.length} run(s), seeds ${r.seeds.join(', ')}`];
  for (const o of r.outputs) {
    const status = o.mismatches === 0 ? 'exact' : 'MISMATCH';
    lines.push(
      `  ${o.name} ${o.dtype}[${shapeToString(o.shape)}]: max abs diff ${fmtNum(o.maxAbsDiff)}, ${o.mismatches} of ${o.elements} elements differ  ${status}`,
    );
    if (o.firstMismatch && o.firstMismatch.index >= 0) {
      const m = o.firstMismatch;
      lines.push(`    first difference: seed ${m.seed}, element ${m.index}: interpreter ${m.expected}, compiled ${m.actual}`);
    } else if (o.firstMismatch) {
      lines.push(`    type differs: interpreter ${o.firstMismatch.expected}, compiled ${o.firstMismatch.actual}`);
    }
  }
  lines.push(r.ok ? 'verify: OK, compiled outputs are bit-identical to the interpreter' : 'verify: FAILED, compiled outputs differ from the interpreter');
  return lines.join('\n');
}

function fmtNum(x: number): string {
  return Number.isInteger(x) || !Number.isFinite(x) ? String(x) : x.toPrecision(6);
}
