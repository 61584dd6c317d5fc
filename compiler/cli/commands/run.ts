import { compileModel, modelPrefix } from '../../../backends/c/compile.ts';
import { runCompiled } from '../../../backends/run.ts';
import { getTarget } from '../../../backends/target.ts';
import { readInputsDir, writeOutputsDir } from '../../io/test-data.ts';
import { bindInputs, inputsNeededAsConstants } from '../../passes/bind-inputs.ts';
import { loadModel } from '../load.ts';
import { prepareForCli } from '../prepare.ts';
import { limitOptions, type LimitCliOptions } from '../limit-options.ts';
import { requireDir, resolveName, runOptions, type BuildCliOptions, type CliIo } from '../options.ts';
import { describeOutputs } from './interpret.ts';

export interface RunOptions extends BuildCliOptions, LimitCliOptions {
  inputs: string;
  out: string;
  format: 'pb' | 'npy';
}

/** `qcc run`: compile, build with the target's toolchain, execute on the inputs folder, write outputs. */
export function runCommand(modelPath: string, opts: RunOptions, io: CliIo): number {
  getTarget(opts.target);
  const name = resolveName(modelPath, opts.name, modelPrefix);
  const limits = limitOptions(opts);
  requireDir(opts.inputs, 'inputs folder');
  const graph = loadModel(modelPath, opts);
  const inputs = readInputsDir(opts.inputs, graph);
  // Inputs the kernels need at compile time (weights passed as graph inputs) are compiled in from the folder.
  const baked = inputsNeededAsConstants(graph).map((v) => v.name);
  if (baked.length > 0) {
    bindInputs(graph, new Map(baked.map((n) => [n, inputs.get(n)!])));
    io.out(`compiled in as constants (the C code needs them at compile time): ${baked.join(', ')}`);
  }
  prepareForCli(graph, opts);
  const model = compileModel(graph, { target: opts.target, name, ...limits });
  const outputs = runCompiled(model, inputs, runOptions(opts));
  writeOutputsDir(opts.out, graph, outputs, opts.format);
  io.out(`ran ${name} (target ${opts.target}); wrote ${opts.out}/`);
  io.out(describeOutputs(graph, outputs));
  return 0;
}
