/**
 * Calibration sets: a folder of ONNX test-data sets (test_data_set_N/input_K.pb, one sample per set),
 * or of .npy batches whose first axis is the batch (one file per input: `input_K*.npy` or
 * `<input name>*.npy`; with a single input any .npy file). A batch of shape [N, ...] feeds an input of
 * shape [1, ...] N times, and an input of the batch's own shape once.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { QccError } from '../errors.ts';
import type { Graph, Value } from '../ir/graph.ts';
import { Tensor, shapeSize } from '../ir/tensor.ts';
import { readInputsDir, readTensorFile } from '../io/test-data.ts';

export type Sample = Map<string, Tensor>;

function listDir(dir: string): string[] {
  try {
    if (!statSync(dir).isDirectory()) throw new QccError('E_IO', `calibration set '${dir}' is not a folder`);
    return readdirSync(dir).sort(naturalCompare);
  } catch (e) {
    if (e instanceof QccError) throw e;
    throw new QccError('E_IO', `cannot read calibration folder '${dir}' (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
}

function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Splits a batch into samples of the input's shape. */
export function splitBatch(t: Tensor, v: Value, file: string): Tensor[] {
  const want = v.type.shape;
  const same = (s: readonly number[]) => s.length === want.length && s.every((d, i) => d === want[i]);
  if (t.dtype !== v.type.dtype) throw new QccError('E_INPUT', `'${file}' holds ${t.dtype} but input '${v.name}' is ${v.type.dtype}`);
  let inner: readonly number[];
  if (t.shape.length === want.length + 1 && same(t.shape.slice(1))) inner = want;
  else if (t.shape.length === want.length && want[0] === 1 && same([1, ...t.shape.slice(1)])) inner = want;
  else if (same(t.shape)) return [t];
  else {
    throw new QccError('E_INPUT', `'${file}' has shape ${t.shape.join('x')}, which is not a batch of input '${v.name}' (${want.join('x')})`, {
      hint: 'the first axis of a calibration .npy file is the batch',
    });
  }
  const n = t.shape[0]!;
  const size = shapeSize(inner);
  const out: Tensor[] = [];
  for (let k = 0; k < n; k++) out.push(new Tensor(t.dtype, inner, t.data.slice(k * size, (k + 1) * size) as Tensor['data']));
  return out;
}

/** Reads every calibration sample for the graph's inputs. `limit` keeps the first N samples. */
export function readCalibrationSet(dir: string, graph: Graph, limit = Infinity): Sample[] {
  const entries = listDir(dir);
  const sets = entries.filter((e) => /^test_data_set_\d+$/.test(e) && statSync(join(dir, e)).isDirectory());
  if (sets.length > 0) return sets.slice(0, Number.isFinite(limit) ? limit : undefined).map((s) => readInputsDir(join(dir, s), graph));
  const npys = entries.filter((e) => e.toLowerCase().endsWith('.npy'));
  if (npys.length === 0) {
    throw new QccError('E_INPUT', `calibration folder '${dir}' has no test_data_set_* folders and no .npy files`, {
      hint: 'give a folder of ONNX test-data sets (test_data_set_0/input_0.pb, ...) or .npy batches (first axis = batch)',
    });
  }
  const perInput = graph.inputs.map((v, k) => {
    const mine = graph.inputs.length === 1 ? npys : npys.filter((f) => f.startsWith(`input_${k}`) || f.startsWith(v.name));
    if (mine.length === 0) throw new QccError('E_INPUT', `no .npy batch for input '${v.name}' in '${dir}'`, { hint: `name it input_${k}.npy or ${v.name}.npy` });
    return mine.flatMap((f) => splitBatch(readTensorFile(join(dir, f)).tensor, v, join(dir, f)));
  });
  const n = Math.min(...perInput.map((l) => l.length));
  if (perInput.some((l) => l.length !== n)) throw new QccError('E_INPUT', `the .npy batches in '${dir}' hold different sample counts per input`);
  const out: Sample[] = [];
  for (let k = 0; k < Math.min(n, limit); k++) out.push(new Map(graph.inputs.map((v, i) => [v.name, perInput[i]![k]!])));
  return out;
}
