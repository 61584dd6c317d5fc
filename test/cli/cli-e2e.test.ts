// End to end through the CLI on the bundled example: compile, run, interpret, verify, info.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Tensor } from '../../compiler/ir/tensor.ts';
import { readTensorFile, writeTensorFile } from '../../compiler/io/test-data.ts';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import { loadOnnxModel } from '../../compiler/frontend/onnx/load.ts';
import type { ModelInfo } from '../../compiler/report/info.ts';
import { STACK_LINE, qcc, tempDir } from './helpers.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const EXAMPLE = join(ROOT, 'examples/tiny_cnn.onnx');
const EXAMPLE_INPUTS = join(ROOT, 'examples/tiny_cnn');

function readFolder(dir: string): Map<string, Buffer> {
  return new Map(readdirSync(dir).sort().map((f) => [f, readFileSync(join(dir, f))]));
}

describe('qcc end to end (examples/tiny_cnn.onnx)', () => {
  it('compiles deterministically: the same bytes twice, symbols from the file name', async () => {
    const dir = tempDir();
    const a = await qcc(EXAMPLE, '--target', 'c', '-o', join(dir, 'a'));
    const b = await qcc('compile', EXAMPLE, '-o', join(dir, 'b'));
    expect(a.stderr).toBe('');
    expect(a.code).toBe(0);
    expect(b.code).toBe(0);
    const fa = readFolder(join(dir, 'a'));
    const fb = readFolder(join(dir, 'b'));
    expect([...fa.keys()]).toEqual([...fb.keys()]);
    for (const [f, bytes] of fa) expect(bytes.equals(fb.get(f)!), f).toBe(true);
    for (const f of ['tiny_cnn.c', 'tiny_cnn.h', 'tiny_cnn_weights.h', 'Makefile']) expect(fa.has(f), f).toBe(true);
    expect(fa.get('tiny_cnn.h')!.toString()).toContain('int tiny_cnn_run(');
    // --name changes the prefix.
    const c = await qcc(EXAMPLE, '--name', 'net7', '-o', join(dir, 'c'));
    expect(c.code).toBe(0);
    expect(readFileSync(join(dir, 'c', 'net7.h'), 'utf8')).toContain('int net7_run(');
  });

  it('the output folder builds with its own Makefile', async () => {
    const dir = tempDir();
    expect((await qcc(EXAMPLE, '-o', join(dir, 'out'))).code).toBe(0);
    const make = spawnSync('make', ['-s'], { cwd: join(dir, 'out'), encoding: 'utf8' });
    expect(make.stderr).toBe('');
    expect(make.status).toBe(0);
    expect(existsSync(join(dir, 'out', 'tiny_cnn_main'))).toBe(true);
  });

  it('replaces an earlier qcc output folder but refuses a folder with other content', async () => {
    const dir = tempDir();
    const out = join(dir, 'out');
    expect((await qcc(EXAMPLE, '-o', out)).code).toBe(0);
    writeFileSync(join(out, 'stale.txt'), 'x');
    expect((await qcc(EXAMPLE, '-o', out)).code).toBe(0);
    expect(existsSync(join(out, 'stale.txt'))).toBe(false);

    const mine = join(dir, 'mine');
    mkdirSync(mine);
    writeFileSync(join(mine, 'thesis.tex'), 'precious');
    const r = await qcc(EXAMPLE, '-o', mine);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error\[E_IO\]: refusing to replace/);
    expect(readdirSync(mine)).toEqual(['thesis.tex']);
  });

  it('run writes the same outputs as interpret (pb and npy) and as onnxruntime-web', async () => {
    const dir = tempDir();
    const run = await qcc('run', EXAMPLE, '--target', 'c', '--inputs', EXAMPLE_INPUTS, '--out', join(dir, 'run'));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('features');
    const interp = await qcc('interpret', EXAMPLE, '--inputs', EXAMPLE_INPUTS, '--out', join(dir, 'interp'));
    expect(interp.code).toBe(0);
    const a = readTensorFile(join(dir, 'run', 'output_0.pb')).tensor;
    const b = readTensorFile(join(dir, 'interp', 'output_0.pb')).tensor;
    expect([...a.shape]).toEqual([1, 4, 8, 8]);
    expect(Buffer.from(a.bytes()).equals(Buffer.from(b.bytes()))).toBe(true);

    const npy = await qcc('run', EXAMPLE, '--inputs', EXAMPLE_INPUTS, '--out', join(dir, 'npy'), '--format', 'npy', '--cc', 'clang');
    expect(npy.code).toBe(0);
    const c = readTensorFile(join(dir, 'npy', 'output_0.npy')).tensor;
    expect(Buffer.from(c.bytes()).equals(Buffer.from(a.bytes()))).toBe(true);

    // The referee: onnxruntime-web (wasm, exact integer kernels) on the same model and input.
    const ort = await import('onnxruntime-web');
    ort.env.wasm.numThreads = 1;
    const session = await ort.InferenceSession.create(readFileSync(EXAMPLE), { executionProviders: ['wasm'] });
    const input = readTensorFile(join(EXAMPLE_INPUTS, 'input_0.pb')).tensor;
    const res = await session.run({ image: new ort.Tensor('float32', input.data as Float32Array, [...input.shape]) });
    const ref = res['features']!.data as Float32Array;
    expect(Buffer.from(ref.buffer, ref.byteOffset, ref.byteLength).equals(Buffer.from(a.bytes()))).toBe(true);
  });

  it('verify reports exact agreement per output and exits 0', async () => {
    const r = await qcc('verify', EXAMPLE, '--target', 'c', '--seed', '7', '--runs', '2');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('seeds 7, 8');
    expect(r.stdout).toMatch(/features f32\[1x4x8x8\]: max abs diff 0, 0 of 512 elements differ/);
    expect(r.stdout).toContain('verify: OK');
  });

  it('info --json has ops, per-node MACs and weight bytes, and totals', async () => {
    const r = await qcc('info', EXAMPLE, '--json');
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout) as ModelInfo;
    expect(Object.keys(info).sort()).toEqual(['inputs', 'model', 'nodes', 'ops', 'outputs', 'totals']);
    expect(info.inputs).toEqual([{ name: 'image', dtype: 'f32', shape: [1, 3, 16, 16] }]);
    expect(info.outputs).toEqual([{ name: 'features', dtype: 'f32', shape: [1, 4, 8, 8] }]);
    expect(info.nodes.map((n) => n.name)).toEqual(['quantize_input', 'conv1', 'conv2', 'dequantize_output']);
    for (const n of info.nodes) expect(Object.keys(n).sort()).toEqual(['macs', 'name', 'op', 'outputs', 'weightBytes']);
    // conv1: 8 out channels x 16x16 outputs x 3 in channels x 3x3; conv2: 4 x 8x8 x 8 x 3x3.
    expect(info.nodes[1]!.macs).toBe(8 * 16 * 16 * 3 * 9);
    expect(info.nodes[2]!.macs).toBe(4 * 8 * 8 * 8 * 9);
    expect(info.totals.macs).toBe(8 * 16 * 16 * 3 * 9 + 4 * 8 * 8 * 8 * 9);
    // Initializers of make-examples.ts: weights 216 + 288, biases 8 + 4, scales/zero points 2*8 + 2*4 + 6.
    expect(info.totals.parameters).toBe(216 + 288 + 8 + 4 + 16 + 8 + 6);
    expect(info.totals.nodes).toBe(4);
    expect(info.ops.reduce((s, o) => s + o.count, 0)).toBe(4);
  });

  it('weights passed as graph inputs: compile asks for --const, run and verify compile them in', async () => {
    // MIGraphX's QLinearMatMul test feeds the weight matrix B as a graph input: A u8[1x8] x B u8[8x1].
    const model = join(ROOT, 'test/data/models/migraphx/qlinearmatmul_2D_test.onnx');
    const dir = tempDir();
    const refused = await qcc(model, '-o', join(dir, 'out'));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/^error\[E_NOT_CONSTANT\]: graph input 'B' feeds operands/);
    expect(refused.stderr).toContain('--const B=');
    expect(existsSync(join(dir, 'out'))).toBe(false);

    const a = Tensor.fromNumbers('u8', [1, 8], [0, 255, 1, 254, 128, 127, 3, 200]);
    const b = Tensor.fromNumbers('u8', [8, 1], [255, 0, 17, 128, 129, 64, 250, 9]);
    mkdirSync(join(dir, 'in'));
    writeTensorFile(join(dir, 'in', 'input_0.pb'), a, 'A');
    writeTensorFile(join(dir, 'in', 'input_1.pb'), b, 'B');
    writeTensorFile(join(dir, 'B.npy'), b, 'B');
    const compiled = await qcc(model, '--const', `B=${join(dir, 'B.npy')}`, '-o', join(dir, 'out'));
    expect(compiled.stderr).toBe('');
    expect(compiled.code).toBe(0);
    const header = readFileSync(join(dir, 'out', 'qlinearmatmul_2D_test.h'), 'utf8');
    expect(header).toMatch(/int qlinearmatmul_2D_test_run\(const uint8_t \*A, uint8_t \*C, void \*arena\)/);

    const run = await qcc('run', model, '--inputs', join(dir, 'in'), '--out', join(dir, 'run'));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('compiled in as constants (the C code needs them at compile time): B');
    const expected = interpret(loadOnnxModel(model), new Map([['A', a], ['B', b]])).get('C')!;
    expect(Buffer.from(readTensorFile(join(dir, 'run', 'output_0.pb')).tensor.bytes()).equals(Buffer.from(expected.bytes()))).toBe(true);

    const verify = await qcc('verify', model, '--runs', '2');
    expect(verify.code).toBe(0);
    expect(verify.stdout).toContain('compiled in as constants with seed-1 random values');
    expect(verify.stdout).toMatch(/C u8\[1x1\]: max abs diff 0, 0 of 2 elements differ/);
  });

  it('the installed entry point (node bin/qcc.js) prints errors without a stack trace and sets the exit code', () => {
    const dir = tempDir();
    const bad = join(dir, 'bad.onnx');
    writeFileSync(bad, 'not a model');
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/qcc.js'), bad, '-o', join(dir, 'out')], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^error\[E_PARSE\]/);
    expect(r.stderr).not.toMatch(STACK_LINE);
    expect(r.stdout).toBe('');
    expect(existsSync(join(dir, 'out'))).toBe(false);

    const ok = spawnSync(process.execPath, [join(ROOT, 'bin/qcc.js'), 'info', EXAMPLE, '--json'], { encoding: 'utf8' });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    expect((JSON.parse(ok.stdout) as ModelInfo).model).toBe('tiny_cnn');
  });
});
