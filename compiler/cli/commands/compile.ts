import { join } from 'node:path';
import { compileModel, modelPrefix } from '../../../backends/c/compile.ts';
import { writeOutputFolder } from '../../../backends/output.ts';
import { getTarget } from '../../../backends/target.ts';
import { loadModel, requireNoRuntimeConstInputs } from '../load.ts';
import { prepareForCli } from '../prepare.ts';
import { emitIrCommand, printAfterHook, type IrCliOptions } from '../ir-output.ts';
import { limitOptions, type LimitCliOptions } from '../limit-options.ts';
import { formatFloatNodes } from '../../passes/float-report.ts';
import { checkReplaceableOutputDir, resolveName, type CliIo, type TargetOptions } from '../options.ts';

export interface CompileOptions extends TargetOptions, LimitCliOptions {
  output?: string;
  /** --emit, --print-after, --ir-data (ir-output.ts). */
  emit?: IrCliOptions['emit'];
  printAfter?: IrCliOptions['printAfter'];
  irData?: IrCliOptions['irData'];
}

/** `qcc compile <model> --target T -o DIR`: writes the generated sources (atomically). */
export function compileCommand(modelPath: string, opts: CompileOptions, io: CliIo): number {
  if (opts.emit === 'ir') return emitIrCommand(modelPath, opts, io);
  getTarget(opts.target);
  const name = resolveName(modelPath, opts.name, modelPrefix);
  const limits = limitOptions(opts);
  const dir = opts.output ?? join('out', name);
  checkReplaceableOutputDir(dir);
  const graph = loadModel(modelPath, opts);
  requireNoRuntimeConstInputs(graph);
  const prepared = prepareForCli(graph, opts, printAfterHook(opts, io));
  const model = compileModel(graph, { target: opts.target, name, ...limits });
  writeOutputFolder(dir, model.files);
  const files = [...model.files.keys()].sort();
  io.out(formatFloatNodes(prepared.floatNodes));
  io.out(`wrote ${dir}/ (${files.length} files: ${files.join(', ')}); arena ${model.arenaBytes} bytes`);
  return 0;
}
