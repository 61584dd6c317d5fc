import { writeFileSync } from 'node:fs';
import { QccError } from '../../errors.ts';
import { readCalibrationSet } from '../../quantize/calibration-data.ts';
import { compareHtml, compareModels, formatCompare } from '../../quantize/compare.ts';
import { loadModel } from '../load.ts';
import { parseIntOption, requireDir, usage, type CliIo, type ModelOptions } from '../options.ts';
import { prepareForCli } from '../prepare.ts';

export interface CompareCliOptions extends ModelOptions {
  inputs: string;
  html?: string;
  limit?: string;
  target?: string;
}

/** `qcc compare float.onnx quant.onnx --inputs DIR`: per-layer SQNR and max error in the interpreter. */
export function compareCommand(floatPath: string, quantPath: string, opts: CompareCliOptions, io: CliIo): number {
  requireDir(opts.inputs, 'inputs folder');
  if (opts.target !== undefined) {
    throw usage('qcc compare --target is not available yet', 'the C debug build that dumps every intermediate tensor is still to do; compare in the interpreter (the C equals it bit for bit: qcc verify)');
  }
  const limit = opts.limit !== undefined ? parseIntOption('--limit', opts.limit, 1, 2 ** 31 - 1) : Infinity;
  const fg = loadModel(floatPath, opts);
  prepareForCli(fg, { ...opts, disablePass: [] });
  const qg = loadModel(quantPath, opts);
  prepareForCli(qg, opts);
  const samples = readCalibrationSet(opts.inputs, fg, limit);
  if (samples.length === 0) throw new QccError('E_INPUT', `'${opts.inputs}' holds no input sets`);
  const rows = compareModels(fg, qg, samples);
  if (rows.length === 0) throw new QccError('E_INPUT', 'no tensor of the float model could be matched by name in the quantized model');
  io.out(`compared ${floatPath} and ${quantPath} on ${samples.length} input set${samples.length === 1 ? '' : 's'} (interpreter)`);
  io.out(formatCompare(rows));
  if (opts.html) {
    try {
      writeFileSync(opts.html, compareHtml(rows, `qcc compare: ${quantPath}`));
    } catch (e) {
      throw new QccError('E_IO', `cannot write '${opts.html}' (${(e as NodeJS.ErrnoException).code ?? e})`);
    }
    io.out(`wrote ${opts.html}`);
  }
  return 0;
}
