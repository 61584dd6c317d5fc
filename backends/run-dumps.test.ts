/**
 * The C backend's debug build (compileModel `debugDump`): every node output the generated code hands to the
 * dump hook equals the interpreter's tensor byte for byte (tiny_cnn on every target whose toolchain is
 * installed; a QDQ digits LeNet written by the quantizer; a float model of reshape views and in-place
 * kernels whose value names need escaping), the library stays free of writable globals, and the normal
 * output is untouched when the option is off.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadOnnxBytes } from '../compiler/frontend/onnx/load.ts';
import { encodeModel } from '../compiler/frontend/onnx/writer.ts';
import type { Graph } from '../compiler/ir/graph.ts';
import { Tensor } from '../compiler/ir/tensor.ts';
import { interpret } from '../compiler/interpreter/interpret.ts';
import { readInputsDir } from '../compiler/io/test-data.ts';
import { prepareGraph } from '../compiler/passes/pipeline.ts';
import { applyRequantScheme } from '../compiler/passes/select-requant.ts';
import { quantizeModel } from '../compiler/quantize/quantize.ts';
import { imageTensor, readDigitsCsv } from '../examples/digits/digits-data.ts';
import { compileModel } from './c/compile.ts';
import { buildDumpRunner, runCompiledWithDumps } from './run-dumps.ts';
import { getTarget } from './target.ts';

const EXAMPLES = new URL('../examples/', import.meta.url).pathname;
const has = (cmd: string): boolean => !spawnSync(cmd, ['--version']).error;

/** Every node output of the interpreter run, by value name. */
function interpreted(g: Graph, inputs: ReadonlyMap<string, Tensor>): Map<string, Tensor> {
  const m = new Map<string, Tensor>();
  interpret(g, inputs, { onNode: (_n, outs) => { for (const { value, tensor } of outs) m.set(value.name, tensor); } });
  return m;
}

/** Holds the C dumps to the interpreter: one dump per node output, the same bytes. */
function expectSameIntermediates(g: Graph, dumps: ReadonlyMap<string, Tensor>, inputs: ReadonlyMap<string, Tensor>): void {
  const ref = interpreted(g, inputs);
  expect([...dumps.keys()].sort()).toEqual(g.nodes.flatMap((n) => n.outputs.map((o) => o.name)).sort());
  for (const [name, t] of dumps) {
    const r = ref.get(name)!;
    expect(`${t.dtype}[${t.shape.join('x')}]`, name).toBe(`${r.dtype}[${r.shape.join('x')}]`);
    expect(Buffer.compare(Buffer.from(t.bytes()), Buffer.from(r.bytes())), `bytes of '${name}'`).toBe(0);
  }
}

function tinyCnn(target: string): { g: Graph; inputs: Map<string, Tensor> } {
  const g = loadOnnxBytes(new Uint8Array(readFileSync(`${EXAMPLES}tiny_cnn.onnx`)));
  prepareGraph(g);
  applyRequantScheme(g, getTarget(target).requant);
  return { g, inputs: readInputsDir(`${EXAMPLES}tiny_cnn`, g) };
}

describe('debug build: C intermediates == interpreter', () => {
  it.each([
    ['c', 'gcc', true],
    ['c', 'clang', has('clang')],
    ['x86-avx2', undefined, true],
    ['arm-neon', undefined, has('aarch64-linux-gnu-gcc') && has('qemu-aarch64')],
    ['cortex-m', undefined, has('arm-none-eabi-gcc') && has('qemu-system-arm')],
  ] as const)('tiny_cnn, target %s (cc %s)', (target, cc, available) => {
    if (!available) return;
    const { g, inputs } = tinyCnn(target);
    const model = compileModel(g, { target, name: 'tiny_cnn', debugDump: true });
    expect(model.dumps!.map((d) => d.index)).toEqual(model.dumps!.map((_, i) => i));
    expectSameIntermediates(g, runCompiledWithDumps(model, inputs, cc ? { cc } : {}), inputs);
  });

  it('a QDQ digits LeNet from the quantizer (several input sets through one build)', () => {
    const digits = readDigitsCsv(`${EXAMPLES}digits/train.csv`, 24);
    const bytes = new Uint8Array(readFileSync(new URL('../test/data/float/digits_lenet.onnx', import.meta.url).pathname));
    const sample = (g: Graph, img: Float32Array) => new Map([[g.inputs[0]!.name, imageTensor(img, g.inputs[0]!.type.shape)]]);
    const q = quantizeModel(bytes, (g) => digits.images.slice(0, 20).map((im) => sample(g, im)), {
      format: 'qdq', activations: 'u8', weights: 'i8', perChannel: true, method: 'minmax', keepFloat: new Set(),
    });
    const g = loadOnnxBytes(q.bytes);
    prepareGraph(g);
    expect(g.nodes.some((n) => n.op === 'qlinear_conv')).toBe(true);
    const model = compileModel(g, { target: 'c', name: 'lenet', debugDump: true });
    const runner = buildDumpRunner(model);
    try {
      for (const img of digits.images.slice(20, 23)) {
        const inputs = sample(g, img);
        expectSameIntermediates(g, runner.run(inputs), inputs);
      }
    } finally {
      runner.close();
    }
  });

  it('reshape views and in-place kernels, dumped right after their node; value names escaped in C and the manifest', () => {
    // r is a view of t (= -x, mixed signs) that the in-place relu then overwrites: r's dump must still hold
    // the negative values.
    const odd = ['t "quoted" \\ back??=slash */', 'r\nnew line é ☃', 'x'.repeat(70), 's/../../etc'];
    const vec = Tensor.fromNumbers('f32', [24], Array.from({ length: 24 }, (_, i) => (i - 11) * 0.25));
    const g = loadOnnxBytes(encodeModel({
      opsets: [{ domain: '', version: 13 }],
      inputs: [{ name: 'x', dtype: 'f32', shape: [1, 2, 3, 4] }],
      outputs: [{ name: 'y', dtype: 'f32', shape: [1, 24] }],
      initializers: [
        { name: 'shape6', tensor: Tensor.fromNumbers('i64', [2], [6, 4]) },
        { name: 'shape24', tensor: Tensor.fromNumbers('i64', [1], [24]) },
        { name: 'v', tensor: vec },
      ],
      nodes: [
        { op: 'Reshape', inputs: ['x', 'shape6'], outputs: ['xv'] },
        { op: 'Neg', inputs: ['xv'], outputs: [odd[0]!] },
        { op: 'Reshape', inputs: [odd[0]!, 'shape24'], outputs: [odd[1]!] },
        { op: 'Relu', inputs: [odd[1]!], outputs: [odd[2]!] },
        { op: 'Add', inputs: [odd[2]!, 'v'], outputs: [odd[3]!] },
        { op: 'Flatten', inputs: [odd[3]!], outputs: ['y'], attrs: { axis: { i: 0 } } },
      ],
    }));
    prepareGraph(g);
    const model = compileModel(g, { target: 'c', name: 'views', debugDump: true });
    const how = model.plan.buffers.map((b) => b.view?.how).filter((h) => h !== undefined);
    expect(how, 'the plan has an arena view and an in-place buffer').toEqual(expect.arrayContaining(['view', 'in-place']));
    expect(model.plan.externalViews.length).toBeGreaterThan(0);
    const x = Tensor.fromNumbers('f32', [1, 2, 3, 4], Array.from({ length: 24 }, (_, i) => Math.sin(i * 1.7) * 6));
    const inputs = new Map([['x', x]]);
    const dumps = runCompiledWithDumps(model, inputs);
    expect([...dumps.keys()]).toEqual(expect.arrayContaining(odd));
    expectSameIntermediates(g, dumps, inputs);
  });
});

describe('debug build: the generated C', () => {
  it('is reentrant: no writable file-scope objects in the debug library either', () => {
    if (!has('nm')) return;
    const { g } = tinyCnn('c');
    const model = compileModel(g, { target: 'c', name: 'tiny_cnn', debugDump: true });
    const dir = mkdtempSync(join(tmpdir(), 'qcc-dbg-nm-'));
    try {
      for (const [f, text] of model.files) if (!f.includes('/')) writeFileSync(join(dir, f), text);
      const cc = spawnSync('gcc', ['-std=c99', '-O2', '-Wall', '-Wextra', '-Werror', '-ffp-contract=off', '-I.', '-c', 'tiny_cnn.c', '-o', 'tiny_cnn.o'], { cwd: dir, encoding: 'utf8' });
      expect(cc.stderr).toBe('');
      const nm = spawnSync('nm', ['tiny_cnn.o'], { cwd: dir, encoding: 'utf8' }).stdout;
      expect(nm).toMatch(/ T tiny_cnn_run_debug\n/);
      expect(nm.split('\n').filter((l) => / [bBdDcCgGsS] /.test(l))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is unchanged when the option is off: the normal output is a prefix of the debug one, and nothing else differs outside .c/.h/main', () => {
    const { g } = tinyCnn('c');
    const plain = compileModel(g, { target: 'c', name: 'tiny_cnn' });
    const off = compileModel(g, { target: 'c', name: 'tiny_cnn', debugDump: false });
    const on = compileModel(g, { target: 'c', name: 'tiny_cnn', debugDump: true });
    expect(off.files).toEqual(plain.files);
    expect(plain.dumps).toBeUndefined();
    for (const [f, text] of plain.files) {
      expect(text, f).not.toMatch(/dump|_run_debug|qcc_dbg/);
      if (!['tiny_cnn.c', 'tiny_cnn.h', 'tiny_cnn_main.c'].includes(f)) expect(on.files.get(f), f).toBe(text);
    }
    // The debug entry is appended after the untouched normal code, which it repeats node for node.
    const c = on.files.get('tiny_cnn.c')!;
    expect(c.startsWith(plain.files.get('tiny_cnn.c')!)).toBe(true);
    const body = (s: string, fn: string) => s.slice(s.indexOf(`int ${fn}(`)).split('\n}\n')[0]!.split('\n').slice(1).filter((l) => !l.includes('qcc_dbg')).join('\n');
    expect(body(c, 'tiny_cnn_run_debug')).toBe(body(c, 'tiny_cnn_run'));
    expect(on.files.get('tiny_cnn.h')).toContain('typedef void (*tiny_cnn_dump_fn)(void *user, const char *value_name, int dtype, const void *data, size_t bytes);');
    expect(on.files.get('tiny_cnn.h')).toContain(`#define TINY_CNN_NUM_DUMPS ${on.dumps!.length}`);
  });
});
