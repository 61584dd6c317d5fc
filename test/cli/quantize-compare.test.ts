/** `qcc quantize` and `qcc compare` end to end through the CLI (in-process), on the digits LeNet. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeTensorProtoFile } from '../../compiler/io/tensor-proto.ts';
import { imageTensor, readDigitsCsv, writeCalibrationNpy } from '../../examples/digits/digits-data.ts';
import { qcc, tempDir } from './helpers.ts';

const LENET = new URL('../data/float/digits_lenet.onnx', import.meta.url).pathname;
const digits = readDigitsCsv(new URL('../../examples/digits/train.csv', import.meta.url).pathname, 60);

describe('qcc quantize / compare', () => {
  it('quantizes from .npy batches and from test-data sets, keeps a node float, compares with an HTML plot', async () => {
    const dir = tempDir('qcc-quantize-');
    const npy = join(dir, 'npy');
    writeCalibrationNpy(npy, digits, [1, 1, 8, 8]);
    const sets = join(dir, 'sets');
    digits.images.slice(0, 10).forEach((img, k) => {
      mkdirSync(join(sets, `test_data_set_${k}`), { recursive: true });
      writeFileSync(join(sets, `test_data_set_${k}`, 'input_0.pb'), encodeTensorProtoFile(imageTensor(img, [1, 1, 8, 8]), 'input'));
    });
    const out = join(dir, 'lenet.int8.onnx');
    const q = await qcc('quantize', LENET, '--calibrate', npy, '-o', out, '--per-channel', '--format', 'qoperator', '--activations', 's8', '--method', 'percentile', '--keep-float', '/f2/Gemm');
    expect(q.stderr).toBe('');
    expect(q.code).toBe(0);
    expect(q.stdout).toContain('60 calibration samples');
    expect(q.stdout).toMatch(/float: \/f2\/Gemm \(Gemm\): kept in float/);
    expect(existsSync(out)).toBe(true);
    // The written model compiles (qcc's other commands read it).
    const info = await qcc('info', out);
    expect(info.code).toBe(0);
    expect(info.stdout).toContain('qlinear_conv');

    const out2 = join(dir, 'lenet.qdq.onnx');
    const q2 = await qcc('quantize', LENET, '--calibrate', sets, '-o', out2, '--max-error', 'top1:0.5');
    expect(q2.code).toBe(0);
    expect(q2.stdout).toContain('10 calibration samples');
    expect(q2.stdout).toContain('no layer needs to stay float');

    const html = join(dir, 'cmp.html');
    const c = await qcc('compare', LENET, out2, '--inputs', sets, '--html', html);
    expect(c.code).toBe(0);
    const lines = c.stdout.split('\n');
    expect(lines[0]).toContain('on 10 input sets');
    for (const t of ['/Relu_output_0', '/MaxPool_output_0', '/Relu_1_output_0', '/Relu_2_output_0', 'logits']) {
      expect(lines.find((l) => l.startsWith(t + ' ')), t).toMatch(/\d+\.\d dB/);
    }
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<svg');
    expect((page.match(/<rect /g) ?? []).length).toBe(6);
  });

  it('rejects bad options with usage errors', async () => {
    const dir = tempDir('qcc-quantize-');
    writeCalibrationNpy(dir, digits, [1, 1, 8, 8]);
    const r = await qcc('quantize', LENET, '--calibrate', dir, '-o', join(dir, 'x.onnx'), '--max-error', 'psnr:3');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('sqnr:DB');
    const k = await qcc('quantize', LENET, '--calibrate', dir, '-o', join(dir, 'x.onnx'), '--keep-float', 'nope');
    expect(k.code).toBe(2);
    expect(k.stderr).toContain("'nope'");
  });
});
