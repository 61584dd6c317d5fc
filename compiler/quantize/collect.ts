/**
 * Calibration collectors: run the float model in the reference interpreter on every sample and gather,
 * per float tensor (graph inputs and every node output), the min/max (pass 1) and, for the histogram
 * methods, histograms over the ranges pass 1 found (pass 2).
 */
import type { Graph } from '../ir/graph.ts';
import type { Tensor } from '../ir/tensor.ts';
import { interpret } from '../interpreter/interpret.ts';
import type { Sample } from './calibration-data.ts';
import { addToHistogram, newHistogram } from './histogram.ts';
import { progressBar, type Progress } from './progress.ts';
import type { TensorStats } from './range-types.ts';

export interface CollectOptions {
  histograms?: boolean;
  bins?: number;
  progress?: (label: string, total: number) => Progress;
}

function floatTensors(graph: Graph, sample: Sample, visit: (name: string, t: Tensor) => void): void {
  for (const v of graph.inputs) {
    const t = sample.get(v.name);
    if (t && t.dtype === 'f32') visit(v.name, t);
  }
  interpret(graph, sample, {
    onNode: (_n, outs) => {
      for (const { value, tensor } of outs) if (tensor.dtype === 'f32') visit(value.name, tensor);
    },
  });
}

export function collectStats(graph: Graph, samples: readonly Sample[], opts: CollectOptions = {}): Map<string, TensorStats> {
  const stats = new Map<string, TensorStats>();
  const bar = (opts.progress ?? progressBar)('calibrating', samples.length * (opts.histograms ? 2 : 1));
  let done = 0;
  for (const s of samples) {
    floatTensors(graph, s, (name, t) => {
      const d = t.data as Float32Array;
      let st = stats.get(name);
      if (!st) stats.set(name, (st = { min: Infinity, max: -Infinity }));
      for (let i = 0; i < d.length; i++) {
        const x = d[i]!;
        if (x < st.min) st.min = x;
        if (x > st.max) st.max = x;
      }
    });
    bar.tick(++done);
  }
  if (opts.histograms) {
    for (const st of stats.values()) {
      if (!Number.isFinite(st.min) || !Number.isFinite(st.max)) continue;
      st.signed = newHistogram(st.min, st.max, opts.bins);
      st.abs = newHistogram(0, Math.max(Math.abs(st.min), Math.abs(st.max)), opts.bins);
    }
    for (const s of samples) {
      floatTensors(graph, s, (name, t) => {
        const st = stats.get(name)!;
        if (!st.signed || !st.abs) return;
        addToHistogram(st.signed, t.data as Float32Array);
        addToHistogram(st.abs, t.data as Float32Array, true);
      });
      bar.tick(++done);
    }
  }
  bar.end();
  return stats;
}
