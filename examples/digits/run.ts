/**
 * The digits example end to end: float model -> `qcc quantize` (calibrated on train.csv) -> `qcc compile`
 * -> gcc -> run on test.csv. Prints float accuracy, int8 interpreter accuracy and int8 compiled-C
 * accuracy on the whole test split (540 images), and checks that the C outputs equal the interpreter's
 * bit for bit. Usage: npm run example:digits [-- --models lenet,mlp --configs qdq-u8,qoperator-s8]
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadOnnxModel } from '../../compiler/frontend/onnx/load.ts';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import type { Graph } from '../../compiler/ir/graph.ts';
import { prepareGraph } from '../../compiler/passes/pipeline.ts';
import { argmax, imageTensor, readDigitsCsv, writeCalibrationNpy, type Digits } from './digits-data.ts';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const qcc = join(root, 'bin/qcc.js');
const MODELS: Record<string, string> = { lenet: 'digits_lenet', mlp: 'digits_tanh_mlp', tinyresnet: 'digits_tinyresnet' };

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : dflt;
}

function run(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
}

function interpretAll(g: Graph, d: Digits): Float32Array[] {
  const shape = g.inputs[0]!.type.shape;
  return d.images.map((img) => [...interpret(g, new Map([[g.inputs[0]!.name, imageTensor(img, shape)]])).values()][0]!.data as Float32Array);
}

const accuracy = (outs: readonly Float32Array[], labels: readonly number[]) => outs.filter((o, k) => argmax(o) === labels[k]).length / labels.length;

export interface ExampleRow {
  model: string;
  config: string;
  float: number;
  interp: number;
  c: number;
  cEqualsInterp: boolean;
}

export function runExample(models: string[], configs: string[], out: string, log: (s: string) => void = console.log): ExampleRow[] {
  mkdirSync(out, { recursive: true });
  const train = readDigitsCsv(join(here, 'train.csv'));
  const test = readDigitsCsv(join(here, 'test.csv'));
  const rows: ExampleRow[] = [];
  const testRaw = join(out, 'test_images.f32');
  writeFileSync(testRaw, Buffer.concat(test.images.map((i) => Buffer.from(i.buffer, i.byteOffset, i.byteLength))));
  for (const key of models) {
    const file = join(here, 'models', `${MODELS[key]}.onnx`);
    const fg = loadOnnxModel(file);
    prepareGraph(fg);
    const calib = join(out, `calib-${key}`);
    rmSync(calib, { recursive: true, force: true });
    writeCalibrationNpy(calib, train, fg.inputs[0]!.type.shape);
    const floatAcc = accuracy(interpretAll(fg, test), test.labels);
    for (const cfg of configs) {
      const [format, act] = cfg.split('-') as [string, string];
      const q = join(out, `${key}.${cfg}.onnx`);
      log(run('node', [qcc, 'quantize', file, '--calibrate', calib, '-o', q, '--format', format, '--activations', act, '--weights', 's8', '--per-channel']).trim());
      const qg = loadOnnxModel(q);
      prepareGraph(qg);
      const qOuts = interpretAll(qg, test);
      const name = `${key}_${cfg.replace('-', '_')}`;
      const cdir = join(out, `${name}_c`);
      rmSync(cdir, { recursive: true, force: true });
      run('node', [qcc, 'compile', q, '-o', cdir, '--name', name]);
      const driver = join(cdir, 'eval_main.c');
      writeFileSync(driver, readFileSync(join(here, 'eval_main.c.in'), 'utf8').replaceAll('@UNAME@', name.toUpperCase()).replaceAll('@NAME@', name));
      const exe = join(cdir, 'eval');
      run('gcc', ['-std=c99', '-O2', '-Wall', '-Wextra', '-Werror', '-ffp-contract=off', '-I', cdir, '-o', exe, driver, join(cdir, `${name}.c`)]);
      const cOutFile = join(out, `${name}.outputs.f32`);
      run(exe, [testRaw, cOutFile]);
      const raw = readFileSync(cOutFile);
      const per = qOuts[0]!.length;
      const cOuts = test.images.map((_, k) => new Float32Array(raw.buffer.slice(raw.byteOffset + k * per * 4, raw.byteOffset + (k + 1) * per * 4)));
      const same = cOuts.length === qOuts.length && cOuts.every((c, k) => Buffer.compare(Buffer.from(c.buffer), Buffer.from(qOuts[k]!.buffer, qOuts[k]!.byteOffset, qOuts[k]!.byteLength)) === 0);
      rows.push({ model: MODELS[key]!, config: `${cfg} per-channel s8 weights`, float: floatAcc, interp: accuracy(qOuts, test.labels), c: accuracy(cOuts, test.labels), cEqualsInterp: same });
    }
  }
  return rows;
}

export function formatRows(rows: readonly ExampleRow[], n: number): string {
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const lines = [`test split: ${n} images`, '| model | config | float | int8 interpreter | int8 C | C == interpreter |', '|---|---|---|---|---|---|'];
  for (const r of rows) lines.push(`| ${r.model} | ${r.config} | ${pct(r.float)} | ${pct(r.interp)} | ${pct(r.c)} | ${r.cEqualsInterp ? 'yes (bit-exact)' : 'NO'} |`);
  return lines.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const models = arg('models', 'lenet,mlp').split(',');
  const configs = arg('configs', 'qdq-u8,qdq-s8,qoperator-u8,qoperator-s8').split(',');
  const rows = runExample(models, configs, arg('out', join(root, 'out/digits')));
  console.log(formatRows(rows, 540));
  if (rows.some((r) => !r.cEqualsInterp || r.interp !== r.c)) {
    console.error('the compiled C does not agree with the interpreter');
    process.exitCode = 1;
  }
}
