/** The test helper for ONNX text models: its header matches the writer's, fixtures load. */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseOnnxText } from '../../compiler/frontend/onnx-text/index.ts';
import { modelProto } from '../../compiler/frontend/onnx/writer.ts';
import { decodeModelProto } from '../../compiler/frontend/onnx/proto.ts';
import { TEXT_MODELS_DIR, bytesFromText, modelFromText, readTextModel, withHeader } from './onnx-text.ts';

describe('test/util/onnx-text', () => {
  it('gives the IR version and opsets the writer gives', () => {
    for (const opset of [1, 6, 8, 9, 10, 11, 13, 14, 15, 18, 19, 20, 21, 22, 23]) {
      const m = parseOnnxText(withHeader('m (float[1] x) => (y) { y = Relu (x) }', { '': opset, 'com.microsoft': 1 }));
      const want = modelProto({ opsets: [{ domain: '', version: opset }], inputs: [], outputs: [], nodes: [] });
      expect(m.irVersion, `opset ${opset}`).toBe(want.irVersion);
      expect(m.opsetImport).toEqual([{ domain: '', version: opset }, { domain: 'com.microsoft', version: 1 }]);
    }
  });

  it('leaves text with its own header alone; bytes decode', () => {
    const src = '<ir_version: 8, opset_import: ["" : 17]> m (float[2] x) => (y) { y = Relu (x) }';
    expect(withHeader(src)).toBe(src);
    const m = decodeModelProto(bytesFromText(src), 'm');
    expect(m.graph!.node![0]!.opType).toBe('Relu');
    expect(modelFromText(src).nodes.map((n) => n.op)).toEqual(['relu']);
  });

  it('every fixture in test/data/text loads', () => {
    const files = readdirSync(TEXT_MODELS_DIR).filter((f) => f.endsWith('.onnxtxt'));
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(modelFromText(readTextModel(f)).nodes.length, f).toBeGreaterThan(0);
  });
});
