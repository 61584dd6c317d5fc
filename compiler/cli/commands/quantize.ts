import { readFileSync, writeFileSync } from 'node:fs';
import { QccError } from '../../errors.ts';
import { readCalibrationSet } from '../../quantize/calibration-data.ts';
import { parseErrorTarget } from '../../quantize/metrics.ts';
import { formatMixedPrecision, mixedPrecision } from '../../quantize/mixed-precision.ts';
import type { QType } from '../../quantize/qparams.ts';
import { calibrate, prepareFloat, quantizeCalibrated, type QuantFormat } from '../../quantize/quantize.ts';
import { needsHistograms } from '../../quantize/ranges.ts';
import { RANGE_METHODS, type RangeMethod } from '../../quantize/range-types.ts';
import { parseIntOption, requireDir, requireModelFile, usage, type CliIo } from '../options.ts';

export interface QuantizeCliOptions {
  calibrate: string;
  output: string;
  format: string;
  perChannel?: boolean;
  activations: string;
  weights: string;
  method: string;
  keepFloat?: string;
  maxError?: string;
  limit?: string;
  percentile?: string;
}

const QTYPES: Record<string, QType> = { u8: 'u8', s8: 'i8', i8: 'i8' };

/** `qcc quantize`: float model + calibration folder -> quantized ONNX model. */
export function quantizeCommand(modelPath: string, opts: QuantizeCliOptions, io: CliIo): number {
  requireModelFile(modelPath);
  requireDir(opts.calibrate, 'calibration folder');
  const activations = QTYPES[opts.activations];
  const weights = QTYPES[opts.weights];
  if (!activations) throw usage(`--activations must be u8 or s8, got '${opts.activations}'`);
  if (!weights) throw usage(`--weights must be s8 or u8, got '${opts.weights}'`);
  if (!RANGE_METHODS.includes(opts.method as RangeMethod)) throw usage(`--method must be one of ${RANGE_METHODS.join(', ')}, got '${opts.method}'`);
  if (opts.format !== 'qdq' && opts.format !== 'qoperator') throw usage(`--format must be qdq or qoperator, got '${opts.format}'`);
  const target = opts.maxError !== undefined ? parseErrorTarget(opts.maxError) : null;
  if (opts.maxError !== undefined && !target) throw usage(`bad --max-error '${opts.maxError}'`, 'write sqnr:DB (e.g. sqnr:30) or top1:FRACTION (e.g. top1:0.99)');
  const limit = opts.limit !== undefined ? parseIntOption('--limit', opts.limit, 1, 2 ** 31 - 1) : Infinity;
  const percentile = opts.percentile !== undefined ? Number(opts.percentile) : undefined;
  if (percentile !== undefined && !(percentile > 50 && percentile <= 100)) throw usage(`--percentile must be in (50, 100], got '${opts.percentile}'`);
  const method = opts.method as RangeMethod;

  const f = prepareFloat(new Uint8Array(readFileSync(modelPath)), modelPath);
  const samples = readCalibrationSet(opts.calibrate, f.graph, limit);
  if (samples.length === 0) throw new QccError('E_INPUT', `calibration folder '${opts.calibrate}' holds no samples`);
  const cal = calibrate(f, samples, needsHistograms(method));
  const qopts = {
    format: opts.format as QuantFormat, activations, weights, perChannel: opts.perChannel === true, method,
    ...(percentile !== undefined ? { rangeOptions: { percentile: percentile / 100 } } : {}),
    keepFloat: new Set((opts.keepFloat ?? '').split(',').map((s) => s.trim()).filter((s) => s)),
  };
  for (const k of qopts.keepFloat) {
    if (!f.model.graph!.node!.some((n) => n.name === k || (n.output ?? []).includes(k))) throw usage(`--keep-float names '${k}', which is no node (or node output) of the model`);
  }
  let result;
  let report = '';
  if (target) {
    const mp = mixedPrecision(cal, qopts, target, samples.slice(0, 256));
    result = mp.result;
    report = formatMixedPrecision(mp.report);
  } else {
    result = quantizeCalibrated(cal, qopts);
  }
  try {
    writeFileSync(opts.output, result.bytes);
  } catch (e) {
    throw new QccError('E_IO', `cannot write '${opts.output}' (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  const nq = result.plan.nodes.filter((p) => p.role === 'weight' || p.role === 'activation').length;
  const lines = [
    `quantized ${modelPath} -> ${opts.output} (${opts.format}, ${opts.activations} activations, ${opts.weights} weights ${qopts.perChannel ? 'per channel' : 'per tensor'}, ${method} ranges, ${samples.length} calibration samples)`,
  ];
  if (cal.foldedBatchNorms.length) lines.push(`  folded BatchNormalization: ${cal.foldedBatchNorms.join(', ')}`);
  lines.push(`  integer layers: ${nq}; Relu/Clip fused into ranges: ${result.plan.nodes.filter((p) => p.role === 'removed').length}`);
  for (const p of result.plan.nodes) {
    if (p.role === 'float' && p.reason && !/not quantized/.test(p.reason)) lines.push(`  float: ${p.label} (${p.node.opType}): ${p.reason}`);
  }
  if (report) lines.push(report);
  io.out(lines.join('\n'));
  return 0;
}
