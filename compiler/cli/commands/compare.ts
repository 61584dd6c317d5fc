import { writeFileSync } from 'node:fs';
import { compileModel, modelPrefix } from '../../../backends/c/compile.ts';
import { buildDumpRunner, type DumpRunner } from '../../../backends/run-dumps.ts';
import { getTarget } from '../../../backends/target.ts';
import { QccError } from '../../errors.ts';
import { readCalibrationSet } from '../../quantize/calibration-data.ts';
import { compareHtml, compareModels, formatCompare, type CompiledCheck } from '../../quantize/compare.ts';
import { loadModel } from '../load.ts';
import { parseIntOption, requireDir, resolveName, runOptions, type CliIo, type ModelOptions } from '../options.ts';
import { prepareForCli } from '../prepare.ts';

export interface CompareCliOptions extends ModelOptions {
  inputs: string;
  html?: string;
  limit?: string;
  target?: string;
  name?: string;
  cc?: string;
  keepBuild?: string;
}

/**
 * `qcc compare float.onnx quant.onnx --inputs DIR`: per-layer SQNR and max error in the interpreter. With
 * `--target T` the quantized side is the compiled C (a debug build that dumps every node output), and
 * every dumped tensor must equal the interpreter's byte for byte: any difference exits 1.
 */
export function compareCommand(floatPath: string, quantPath: string, opts: CompareCliOptions, io: CliIo): number {
  requireDir(opts.inputs, 'inputs folder');
  if (opts.target !== undefined) getTarget(opts.target);
  const name = opts.target !== undefined ? resolveName(quantPath, opts.name, modelPrefix) : undefined;
  const limit = opts.limit !== undefined ? parseIntOption('--limit', opts.limit, 1, 2 ** 31 - 1) : Infinity;
  const fg = loadModel(floatPath, opts);
  prepareForCli(fg, { ...opts, disablePass: [] });
  const qg = loadModel(quantPath, opts);
  prepareForCli(qg, opts);
  const samples = readCalibrationSet(opts.inputs, fg, limit);
  if (samples.length === 0) throw new QccError('E_INPUT', `'${opts.inputs}' holds no input sets`);
  let runner: DumpRunner | null = null;
  const check: CompiledCheck = { checked: 0, differing: [], missing: [] };
  let rows;
  try {
    if (opts.target !== undefined) {
      const model = compileModel(qg, { target: opts.target, name: name!, debugDump: true });
      runner = buildDumpRunner(model, runOptions({ ...opts, target: opts.target }));
    }
    const r = runner;
    rows = compareModels(fg, qg, samples, r ? { compiled: (s) => r.run(s), check } : {});
  } finally {
    runner?.close();
  }
  if (rows.length === 0) throw new QccError('E_INPUT', 'no tensor of the float model could be matched by name in the quantized model');
  const sets = `${samples.length} input set${samples.length === 1 ? '' : 's'}`;
  const how = opts.target !== undefined ? `compiled C, target ${opts.target}, debug build dumping every intermediate tensor` : 'interpreter';
  io.out(`compared ${floatPath} and ${quantPath} on ${sets} (${how})`);
  io.out(formatCompare(rows));
  const bad = check.differing.length > 0 || check.missing.length > 0;
  let note = '';
  if (opts.target !== undefined) {
    note = bad
      ? `ERROR: the compiled C differs from the interpreter (a qcc bug; please report it): ${check.differing.length} tensor(s) differ` +
        `${check.differing.length ? ` (${check.differing.slice(0, 10).join(', ')}${check.differing.length > 10 ? ', ...' : ''})` : ''}` +
        `${check.missing.length ? `, ${check.missing.length} not dumped (${check.missing.slice(0, 10).join(', ')})` : ''}`
      : `every intermediate tensor of the compiled C equals the interpreter's byte for byte (${check.checked} tensor dumps over ${sets})`;
    if (bad) io.err(`error: ${note.replace(/^ERROR: /, '')}`);
    else io.out(note);
  }
  if (opts.html) {
    try {
      writeFileSync(opts.html, compareHtml(rows, `qcc compare: ${quantPath}${opts.target !== undefined ? ` (C, target ${opts.target})` : ''}`, note));
    } catch (e) {
      throw new QccError('E_IO', `cannot write '${opts.html}' (${(e as NodeJS.ErrnoException).code ?? e})`);
    }
    io.out(`wrote ${opts.html}`);
  }
  return bad ? 1 : 0;
}
