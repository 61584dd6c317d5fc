import { interpret } from '../../interpreter/interpret.ts';
import type { Graph } from '../../ir/graph.ts';
import { shapeToString, type Tensor } from '../../ir/tensor.ts';
import { readInputsDir, writeOutputsDir } from '../../io/test-data.ts';
import { loadModel } from '../load.ts';
import { prepareForCli } from '../prepare.ts';
import { requireDir, type CliIo, type ModelOptions } from '../options.ts';

export interface InterpretOptions extends ModelOptions {
  inputs: string;
  out: string;
  format: 'pb' | 'npy';
}

/** `qcc interpret`: the reference interpreter on an inputs folder. */
export function interpretCommand(modelPath: string, opts: InterpretOptions, io: CliIo): number {
  requireDir(opts.inputs, 'inputs folder');
  const graph = loadModel(modelPath, opts);
  prepareForCli(graph, opts);
  const inputs = readInputsDir(opts.inputs, graph);
  const outputs = interpret(graph, inputs);
  writeOutputsDir(opts.out, graph, outputs, opts.format);
  io.out(`interpreted ${graph.name}; wrote ${opts.out}/`);
  io.out(describeOutputs(graph, outputs));
  return 0;
}

/** One line per output: name, type and the first few values (floats to 7 significant digits). */
export function describeOutputs(graph: Graph, outputs: ReadonlyMap<string, Tensor>): string {
  return graph.outputs
    .map((o, k) => {
      const t = outputs.get(o.name);
      if (!t) return `  output_${k} ${o.name}: (missing)`;
      const float = t.dtype === 'f32' || t.dtype === 'f64';
      const head = t.toNumbers().slice(0, 8).map((x) => (float ? String(Number(x.toPrecision(7))) : String(x))).join(' ');
      return `  output_${k} ${o.name}: ${t.dtype}[${shapeToString(t.shape)}] ${head}${t.size > 8 ? ' ...' : ''}`;
    })
    .join('\n');
}
