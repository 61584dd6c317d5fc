import { writeFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import { QccError } from '../../errors.ts';
import { isOnnxTextPath, loadModelFile, readModelProto } from '../../frontend/load-model.ts';
import { printOnnxText } from '../../frontend/onnx-text/index.ts';
import { encodeModelProto } from '../../frontend/onnx/writer.ts';
import { printGraph } from '../../ir/print.ts';
import { parseInputShapes, requireModelFile, type CliIo } from '../options.ts';

export interface ConvertOptions {
  output?: string;
  inputShape: string[];
}

/**
 * `qcc convert IN -o OUT`: between ONNX binary and ONNX text (by extension: .onnxtxt, .onnxtext, .txt
 * are text), or to qcc IR text (.qir: the imported graph, full data). Without -o, prints the text form.
 */
export function convertCommand(input: string, opts: ConvertOptions, io: CliIo): number {
  requireModelFile(input);
  const out = opts.output;
  let content: string | Uint8Array;
  if (out !== undefined && extname(out).toLowerCase() === '.qir') {
    const shapes = parseInputShapes(opts.inputShape);
    content = printGraph(loadModelFile(input, shapes ? { inputShapes: shapes } : {}));
  } else {
    const model = readModelProto(input);
    if (out === undefined || isOnnxTextPath(out)) content = printOnnxText(model, { baseDir: dirname(input) });
    else content = encodeModelProto(model);
  }
  if (out === undefined) {
    io.out(content as string);
    return 0;
  }
  try {
    writeFileSync(out, content);
  } catch (e) {
    throw new QccError('E_IO', `cannot write '${out}' (${(e as NodeJS.ErrnoException).code ?? e})`);
  }
  io.out(`wrote ${out} (${typeof content === 'string' ? 'text' : `${content.length} bytes, binary ONNX`})`);
  return 0;
}
