import { readFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { isQccError } from '../errors.ts';
import type { CompileOptions } from './commands/compile.ts';
import type { InfoOptions } from './commands/info.ts';
import type { InterpretOptions } from './commands/interpret.ts';
import type { OpsOptions } from './commands/ops.ts';
import type { RunOptions } from './commands/run.ts';
import type { VerifyCliOptions } from './commands/verify.ts';
import { collect, exitQuietlyOnBrokenPipe, processIo, type CliIo } from './options.ts';
import type { ConvertOptions } from './commands/convert.ts';
import { emitOption, irDataOption } from './ir-output.ts';
import { withLimitOptions } from './limit-options.ts';

/** Exit codes: 0 ok, 1 user error or verify mismatch, 2 bad usage, 70 internal error (EX_SOFTWARE). */
export const EXIT_OK = 0;
export const EXIT_ERROR = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 70;

/** The package version (one source: package.json). */
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

function withModelOptions(cmd: Command): Command {
  return cmd
    .option('--input-shape <name=dims>', 'pin an input shape, e.g. input=1x3x224x224 (repeatable)', collect, [])
    .option('--const <name=file>', 'make graph input <name> a compile-time constant read from a .pb/.npy file (repeatable)', collect, [])
    .option('--disable-pass <name>', 'skip a pass of the default pipeline, e.g. qdq-fusion (repeatable)', collect, [])
    .option('--requant <scheme>', "requantization scheme of quantized conv/matmul: fp32 or fixed (default: the target's; fp32 without a target)");
}

function withTargetOptions(cmd: Command): Command {
  return withModelOptions(cmd)
    .option('-t, --target <target>', 'code generation target', 'c')
    .option('--name <name>', 'C symbol prefix (default: the model file name, sanitised)');
}

function withBuildOptions(cmd: Command): Command {
  return withTargetOptions(cmd)
    .option('--cc <compiler>', "C compiler to build with (default: the target's, gcc for c)")
    .option('--keep-build <dir>', 'build in this folder and keep it (sources, executable, raw tensors)');
}

const formatOption = () => new Option('--format <format>', 'output tensor file format').choices(['pb', 'npy']).default('pb');

// Commands are imported when they run, so `--help` and `info` start fast and load no backend.
function buildProgram(io: CliIo, setExit: (code: number) => void): Command {
  const program = new Command('qcc');
  program
    .description('quantizing model compiler: quantized ONNX in, exact dependency-free C99 out')
    .version(VERSION)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError('(run qcc --help for usage)');

  withLimitOptions(withTargetOptions(program.command('compile', { isDefault: true })))
    .description('compile a model to C sources (the default command: `qcc <model>` is `qcc compile <model>`)')
    .argument('<model>', 'ONNX model file')
    .option('-o, --output <dir>', 'output folder (default: out/<name>)')
    .addOption(emitOption())
    .option('--print-after <pass>', 'print the IR after this pass of the pipeline (repeatable; all for every pass)', collect, [])
    .addOption(irDataOption())
    .action(async (model: string, opts: CompileOptions) => setExit((await import('./commands/compile.ts')).compileCommand(model, opts, io)));

  withLimitOptions(withBuildOptions(program.command('run')))
    .description("compile, build with the target's toolchain, run on an inputs folder and write the outputs")
    .argument('<model>', 'ONNX model file')
    .requiredOption('--inputs <dir>', 'folder of input_0.pb, input_1.pb, ... (TensorProto) or input_0.npy, ...')
    .requiredOption('--out <dir>', 'folder to write output_0.pb, ... into')
    .addOption(formatOption())
    .action(async (model: string, opts: RunOptions) => setExit((await import('./commands/run.ts')).runCommand(model, opts, io)));

  withModelOptions(program.command('interpret'))
    .description('run the reference interpreter on an inputs folder and write the outputs')
    .argument('<model>', 'ONNX model file')
    .requiredOption('--inputs <dir>', 'folder of input_0.pb, ... or input_0.npy, ...')
    .requiredOption('--out <dir>', 'folder to write output_0.pb, ... into')
    .addOption(formatOption())
    .action(async (model: string, opts: InterpretOptions) => setExit((await import('./commands/interpret.ts')).interpretCommand(model, opts, io)));

  withBuildOptions(program.command('verify'))
    .description('compare the compiled model with the reference interpreter on seeded random inputs (exit 1 on any difference)')
    .argument('<model>', 'ONNX model file')
    .option('--seed <n>', 'first random seed', '1')
    .option('--runs <k>', 'number of runs (seeds seed, seed+1, ...)', '3')
    .action(async (model: string, opts: VerifyCliOptions) => setExit((await import('./commands/verify.ts')).verifyCommand(model, opts, io)));

  withModelOptions(program.command('info'))
    .description('ops, shapes, parameters, MACs and weight bytes of a model; with --target, the memory plan and flash of its C')
    .argument('<model>', 'ONNX model file')
    .option('-t, --target <target>', 'compile for this target and report per layer arena offsets, flash, arena peak and lower bound')
    .option('--name <name>', 'C symbol prefix (with --target)')
    .option('--html <file>', 'also write a self-contained HTML page: memory timeline and MACs per layer (implies --target c)')
    .option('--json', 'machine-readable output')
    .option('--explain', 'list every node left in float, with the reason')
    .action(async (model: string, opts: InfoOptions) => setExit(await (await import('./commands/info.ts')).infoCommand(model, opts, io)));

  program
    .command('convert')
    .description('convert between ONNX binary and ONNX text (.onnxtxt), or to qcc IR text (.qir), by file extension')
    .argument('<input>', 'model file (.onnx, or ONNX text: .onnxtxt, .onnxtext, .txt)')
    .option('-o, --output <file>', 'output file (.onnx binary, .onnxtxt text, .qir IR); default: print the ONNX text')
    .option('--input-shape <name=dims>', 'pin an input shape (for .qir output)', collect, [])
    .action(async (input: string, opts: ConvertOptions) => setExit((await import('./commands/convert.ts')).convertCommand(input, opts, io)));

  program.command('quantize').description('quantize a float model with a calibration set (writes QDQ or QOperator ONNX)').argument('<model>', 'float ONNX model').requiredOption('--calibrate <dir>', 'folder of test_data_set_*/input_*.pb or .npy batches (first axis = batch)').requiredOption('-o, --output <file>', 'quantized model to write').addOption(new Option('--format <f>', 'output format').choices(['qdq', 'qoperator']).default('qdq')).option('--per-channel', 'per-channel weight scales').addOption(new Option('--activations <t>', 'activation type').choices(['u8', 's8']).default('u8')).addOption(new Option('--weights <t>', 'weight type').choices(['s8', 'u8']).default('s8')).addOption(new Option('--method <m>', 'range method').choices(['minmax', 'percentile', 'entropy', 'mse']).default('minmax')).option('--percentile <p>', 'percentile method: percent kept per side (default 99.999)').option('--keep-float <nodes>', 'comma-separated node names to keep in float').option('--max-error <target>', 'mixed precision: sqnr:DB or top1:FRACTION vs the float model over the calibration set').option('--limit <n>', 'use the first N calibration samples').action(async (model: string, opts: import('./commands/quantize.ts').QuantizeCliOptions) => setExit((await import('./commands/quantize.ts')).quantizeCommand(model, opts, io)));

  withModelOptions(program.command('compare')).description('per-layer SQNR and max error of a quantized model against its float model').argument('<float>', 'float ONNX model').argument('<quantized>', 'quantized ONNX model').requiredOption('--inputs <dir>', 'folder of test_data_set_*/input_*.pb or .npy batches').option('--html <file>', 'also write an HTML page with an SVG plot').option('--limit <n>', 'use the first N input sets').option('-t, --target <target>', "use the compiled C's intermediates (a debug build dumping every tensor), each checked against the interpreter").option('--name <name>', 'C symbol prefix of the debug build').option('--cc <compiler>', "C compiler to build with (default: the target's)").option('--keep-build <dir>', 'build the debug harness in this folder and keep it').action(async (f: string, q: string, opts: import('./commands/compare.ts').CompareCliOptions) => setExit((await import('./commands/compare.ts')).compareCommand(f, q, opts, io)));
  program
    .command('ops')
    .description('list the supported ONNX ops and opset versions')
    .option('--json', 'machine-readable output')
    .action(async (opts: OpsOptions) => setExit((await import('./commands/ops.ts')).opsCommand(opts, io)));

  return program;
}

/**
 * The qcc command line. `argv` is process.argv-shaped (node, script, args...). Returns the exit code;
 * never throws: QccErrors are printed without a stack trace, anything else is reported as a qcc bug.
 */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let code = EXIT_OK;
  if (io === processIo) exitQuietlyOnBrokenPipe();
  const program = buildProgram(io, (c) => {
    code = c;
  });
  try {
    if (argv.length <= 2) {
      io.err(program.helpInformation());
      return EXIT_USAGE;
    }
    await program.parseAsync(argv, { from: 'node' });
    return code;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT_OK : EXIT_USAGE;
    if (isQccError(e)) {
      io.err(e.format());
      return e.code === 'E_USAGE' ? EXIT_USAGE : EXIT_ERROR;
    }
    io.err('internal error (a qcc bug, please report): ' + (e instanceof Error ? (e.stack ?? e.message) : String(e)));
    return EXIT_INTERNAL;
  }
}
