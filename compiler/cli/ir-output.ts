import { Option } from 'commander';
import type { Graph } from '../ir/graph.ts';
import { printGraph, type IrPrintOptions } from '../ir/print.ts';
import { PASS_NAMES } from '../passes/pipeline.ts';
import type { PrepareOptions } from '../passes/pipeline.ts';
import { loadModel } from './load.ts';
import { usage, type CliIo, type ModelOptions } from './options.ts';
import { prepareForCli } from './prepare.ts';

/** `qcc compile` options for looking at the IR (README: --emit ir, --print-after). */
export interface IrCliOptions {
  /** 'c' (default): write the C folder; 'ir': print the IR after the pipeline instead. */
  emit?: string;
  /** Pass names (or 'all') after which the IR is printed. */
  printAfter?: string[];
  /** 'summary' (default) or 'full' constant data in printed IR. */
  irData?: string;
}

export const emitOption = (): Option => new Option('--emit <what>', 'what to produce: c (the C folder) or ir (print the IR after the pass pipeline)').choices(['c', 'ir']).default('c');
export const irDataOption = (): Option =>
  new Option('--ir-data <mode>', 'constant data in printed IR: summary (long tensors elided) or full (exact, reads back)').choices(['summary', 'full']).default('summary');

function printOptions(opts: IrCliOptions): IrPrintOptions {
  return { data: opts.irData === 'full' ? 'full' : 'summary' };
}

/** The pipeline hook for --print-after: prints the IR (as a `// IR after <pass>` block) after each named pass. */
export function printAfterHook(opts: IrCliOptions, io: CliIo): Pick<PrepareOptions, 'after'> {
  const names = opts.printAfter ?? [];
  if (names.length === 0) return {};
  for (const n of names) {
    if (n !== 'all' && !PASS_NAMES.includes(n)) throw usage(`unknown pass '${n}' in --print-after`, `passes: ${PASS_NAMES.join(', ')} (or all)`);
  }
  const runs = new Map<string, number>();
  return {
    after: (pass: string, graph: Graph) => {
      const k = (runs.get(pass) ?? 0) + 1;
      runs.set(pass, k);
      if (!names.includes('all') && !names.includes(pass)) return;
      io.out(`// IR after ${pass}${k > 1 ? ` (round ${k})` : ''}\n${printGraph(graph, printOptions(opts))}`);
    },
  };
}

/** `qcc compile --emit ir`: loads, runs the pipeline (with --print-after) and prints the final IR. */
export function emitIrCommand(modelPath: string, opts: ModelOptions & IrCliOptions, io: CliIo): number {
  const graph = loadModel(modelPath, opts);
  prepareForCli(graph, opts, printAfterHook(opts, io));
  io.out(printGraph(graph, printOptions(opts)));
  return 0;
}
