import { join } from 'node:path';
import { compileModel, modelPrefix } from '../../../backends/c/compile.ts';
import { writeOutputFolder } from '../../../backends/output.ts';
import { getTarget } from '../../../backends/target.ts';
import { loadModel, requireNoRuntimeConstInputs } from '../load.ts';
import { prepareForCli } from '../prepare.ts';
import { formatFloatNodes } from '../../passes/float-report.ts';
import { checkReplaceableOutputDir, resolveName, type CliIo, type TargetOptions } from '../options.ts';

export interface CompileOptions extends TargetOptions {
  output?: string;
}

/** `qcc compile <model> --target T -o DIR`: writes the generated sources (atomically). */
export function compileCommand(modelPath: string, opts: CompileOptions, io: CliIo): number {
  getTarget(opts.target);
  const name = resolveName(modelPath, opts.name, modelPrefix);
  const dir = opts.output ?? join('out', name);
  checkReplaceableOutputDir(dir);
  const graph = loadModel(modelPath, opts);
  requireNoRuntimeConstInputs(graph);
  const prepared = prepareForCli(graph, opts);
  const model = compileModel(graph, { target: opts.target, name });
  writeOutputFolder(dir, model.files);
  const files = [...model.files.keys()].sort();
  io.out(formatFloatNodes(prepared.floatNodes));
  io.out(`wrote ${dir}/ (${files.length} files: ${files.join(', ')}); arena ${model.arenaBytes} bytes`);
  return 0;
}
