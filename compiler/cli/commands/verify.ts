import { modelPrefix } from '../../../backends/c/compile.ts';
import { getTarget } from '../../../backends/target.ts';
import { bindRandomConstInputs, formatVerifyReport, verifyModel } from '../../verify.ts';
import { loadModel } from '../load.ts';
import { prepareForCli } from '../prepare.ts';
import { parseIntOption, resolveName, runOptions, type BuildCliOptions, type CliIo } from '../options.ts';

export interface VerifyCliOptions extends BuildCliOptions {
  seed: string;
  runs: string;
}

/** `qcc verify`: compiled code vs the interpreter on seeded random inputs; exit 1 on any difference. */
export function verifyCommand(modelPath: string, opts: VerifyCliOptions, io: CliIo): number {
  getTarget(opts.target);
  const name = resolveName(modelPath, opts.name, modelPrefix);
  const seed = parseIntOption('--seed', opts.seed, 0, 2 ** 32 - 1);
  const runs = parseIntOption('--runs', opts.runs, 1, 1000);
  const graph = loadModel(modelPath, opts);
  const seeds = Array.from({ length: runs }, (_, k) => (seed + k) % 2 ** 32);
  const baked = bindRandomConstInputs(graph, seed);
  if (baked.length > 0) io.out(`compiled in as constants with seed-${seed} random values (the C code needs them at compile time): ${baked.join(', ')}`);
  prepareForCli(graph, opts);
  const report = verifyModel(graph, { target: opts.target, seeds, name, run: runOptions(opts) });
  io.out(formatVerifyReport(report));
  return report.ok ? 0 : 1;
}
