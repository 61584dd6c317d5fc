import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_DTYPES, cornerTensor, expectQcc, randomBytes } from '../frontend/onnx/test-helpers.ts';
import { encodeTensorProto } from '../frontend/onnx/writer.ts';
import { tensorsIdentical } from '../ir/tensor.ts';
import { decodeTensorProtoFile, encodeTensorProtoFile } from './tensor-proto.ts';

const REPO = join(import.meta.dirname, '../..');

describe('TensorProto files', () => {
  for (const dtype of ALL_DTYPES) {
    it(`round-trips ${dtype} (raw_data), and reads the typed form`, () => {
      const t = cornerTensor(dtype);
      const r = decodeTensorProtoFile(encodeTensorProtoFile(t, `t_${dtype}`), 'f');
      expect(r.name).toBe(`t_${dtype}`);
      expect(tensorsIdentical(r.tensor, t)).toBe(true);
      expect(tensorsIdentical(decodeTensorProtoFile(encodeTensorProto(t, 'x', 'typed'), 'f').tensor, t)).toBe(true);
    });
  }

  it('reads the ONNX test-data files (float input of test_add)', () => {
    const r = decodeTensorProtoFile(readFileSync(join(REPO, 'test/data/onnx-node-tests/test_add/test_data_set_0/input_0.pb')), 'input_0.pb');
    expect(r.tensor.dtype).toBe('f32');
    expect(r.tensor.shape).toEqual([3, 4, 5]);
  });

  it('leaves the name out when the proto has none', () => {
    expect(decodeTensorProtoFile(encodeTensorProtoFile(cornerTensor('u8'), ''), 'f').name).toBeUndefined();
  });

  it('rejects files that are not TensorProtos (E_PARSE)', () => {
    expectQcc(() => decodeTensorProtoFile(new Uint8Array(0), 'x.pb'), 'E_PARSE', 'x.pb');
    expectQcc(() => decodeTensorProtoFile(new TextEncoder().encode('hello world, plain text'), 'x.pb'), 'E_PARSE', 'x.pb');
    for (let seed = 1; seed <= 100; seed++) {
      try {
        decodeTensorProtoFile(randomBytes(50 + seed, seed), 'x.pb');
      } catch (e) {
        expect((e as { code?: string }).code).toMatch(/^E_(PARSE|MODEL|UNSUPPORTED|LIMIT)$/);
      }
    }
  });
});
