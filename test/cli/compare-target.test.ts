/**
 * `qcc compare --target c` through the CLI (in-process): the rows come from the debug build's C
 * intermediates, each held to the interpreter's bytes. The C really equals the interpreter, so the failure
 * path is exercised by corrupting one dumped byte in a wrapped runner (the CLI must exit 1 and say so loudly).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import type { Tensor } from '../../compiler/ir/tensor.ts';
import { encodeTensorProtoFile } from '../../compiler/io/tensor-proto.ts';
import { quantizeModel } from '../../compiler/quantize/quantize.ts';
import { imageTensor, readDigitsCsv } from '../../examples/digits/digits-data.ts';
import { qcc, tempDir } from './helpers.ts';

const corrupt = vi.hoisted(() => ({ tensor: '' }));
vi.mock('../../backends/run-dumps.ts', async (importOriginal) => {
  const m = await importOriginal<typeof import('../../backends/run-dumps.ts')>();
  return {
    ...m,
    buildDumpRunner: (...args: Parameters<typeof m.buildDumpRunner>) => {
      const r = m.buildDumpRunner(...args);
      return {
        run: (inputs: ReadonlyMap<string, Tensor>) => {
          const out = r.run(inputs);
          const t = out.get(corrupt.tensor);
          if (t) t.bytes()[0] ^= 1;
          return out;
        },
        close: () => r.close(),
      };
    },
  };
});

const LENET = new URL('../data/float/digits_lenet.onnx', import.meta.url).pathname;
const digits = readDigitsCsv(new URL('../../examples/digits/train.csv', import.meta.url).pathname, 24);

function setup(): { dir: string; quant: string; sets: string } {
  const dir = tempDir('qcc-compare-c-');
  const q = quantizeModel(new Uint8Array(readFileSync(LENET)), (g) => digits.images.slice(0, 20).map((im) => new Map([[g.inputs[0]!.name, imageTensor(im, [1, 1, 8, 8])]])), {
    format: 'qdq', activations: 'u8', weights: 'i8', perChannel: true, method: 'minmax', keepFloat: new Set(),
  });
  const quant = join(dir, 'lenet.qdq.onnx');
  writeFileSync(quant, q.bytes);
  const sets = join(dir, 'sets');
  digits.images.slice(20, 23).forEach((img, k) => {
    mkdirSync(join(sets, `test_data_set_${k}`), { recursive: true });
    writeFileSync(join(sets, `test_data_set_${k}`, 'input_0.pb'), encodeTensorProtoFile(imageTensor(img, [1, 1, 8, 8]), 'input'));
  });
  return { dir, quant, sets };
}

const LAYERS = ['/Relu_output_0', '/MaxPool_output_0', '/Relu_1_output_0', '/Relu_2_output_0', 'logits'];

describe('qcc compare --target', () => {
  const { dir, quant, sets } = setup();

  it('uses the C intermediates, every row bytes-equal to the interpreter, the same SQNR as the interpreter view; --html too', async () => {
    corrupt.tensor = '';
    const interp = await qcc('compare', LENET, quant, '--inputs', sets);
    const html = join(dir, 'c.html');
    const c = await qcc('compare', LENET, quant, '--inputs', sets, '--target', 'c', '--html', html);
    expect(c.stderr).toBe('');
    expect(c.code).toBe(0);
    const lines = c.stdout.split('\n');
    expect(lines[0]).toContain('on 3 input sets (compiled C, target c, debug build');
    expect(lines[1]).toContain('C == interpreter');
    for (const t of LAYERS) {
      const row = lines.find((l) => l.startsWith(t + ' '));
      expect(row, t).toMatch(/\d+\.\d dB .* bytes equal/);
      // The C equals the interpreter, so its SQNR/max error are the interpreter view's, digit for digit.
      const ir = interp.stdout.split('\n').find((l) => l.startsWith(t + ' '))!;
      const cols = (l: string) => l.trim().split(/\s{2,}/);
      expect(cols(row!).slice(0, 4)).toEqual(cols(ir).slice(0, 4));
      expect(cols(row!).includes('<-- accuracy lost here')).toBe(cols(ir).includes('<-- accuracy lost here'));
    }
    expect(c.stdout).toMatch(/every intermediate tensor of the compiled C equals the interpreter's byte for byte \(\d+ tensor dumps over 3 input sets\)/);
    const page = readFileSync(html, 'utf8');
    expect(page).toContain('<th>C == interpreter</th>');
    expect((page.match(/<td>bytes equal<\/td>/g) ?? []).length).toBe(6);
  });

  it('a C tensor that differs from the interpreter is flagged on its row and in the summary, and exits 1', async () => {
    // The quantized model's tensor behind the float '/Relu_1_output_0' row (QDQ: the fused conv's output).
    corrupt.tensor = '/Relu_1_output_0_quantized';
    try {
      const html = join(dir, 'bad.html');
      const c = await qcc('compare', LENET, quant, '--inputs', sets, '--target', 'c', '--html', html);
      expect(c.code).toBe(1);
      expect(c.stderr).toMatch(/error: the compiled C differs from the interpreter .*1 tensor\(s\) differ \(\/Relu_1_output_0_quantized\)/);
      expect(c.stdout.split('\n').find((l) => l.startsWith('/Relu_1_output_0 '))).toContain('DIFFERS (qcc bug)');
      expect(c.stdout.split('\n').find((l) => l.startsWith('/Relu_output_0 '))).toContain('bytes equal');
      expect(readFileSync(html, 'utf8')).toContain('ERROR: the compiled C differs from the interpreter');
    } finally {
      corrupt.tensor = '';
    }
  });

  it('an unknown target is a usage error', async () => {
    const r = await qcc('compare', LENET, quant, '--inputs', sets, '--target', 'nope');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("unknown target 'nope'");
  });
});
