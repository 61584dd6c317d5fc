/** Helpers for CLI tests: run main() in-process with captured output, and write tiny ONNX models. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../compiler/cli/main.ts';
import { encodeModel, type ModelDesc } from '../../compiler/frontend/onnx/writer.ts';
import { bytesFromText } from '../util/onnx-text.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `qcc <args>` in-process. */
export async function qcc(...args: string[]): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'qcc', ...args], {
    out: (t) => {
      stdout += t.endsWith('\n') ? t : t + '\n';
    },
    err: (t) => {
      stderr += t.endsWith('\n') ? t : t + '\n';
    },
  });
  return { code, stdout, stderr };
}

export function tempDir(prefix = 'qcc-cli-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A stack trace line as Node prints it ("    at fn (file:line:col)"). */
export const STACK_LINE = /^\s+at .+[:(]/m;

/** Encodes a model description (default opset: ai.onnx 13) with the frontend's writer and writes it to `dir/file`; returns the path. */
export function writeModel(dir: string, file: string, desc: Omit<ModelDesc, 'opsets'> & Partial<Pick<ModelDesc, 'opsets'>>): string {
  const path = join(dir, file);
  writeFileSync(path, encodeModel({ graphName: file.replace(/\.onnx$/, ''), opsets: [{ domain: '', version: 13 }], ...desc }));
  return path;
}

/**
 * Writes a model given in ONNX text as a binary `.onnx` file `dir/file` (so the binary path is what the
 * CLI reads); `opset` adds the model header (see test/util/onnx-text.ts). Returns the path.
 */
export function writeTextModel(dir: string, file: string, src: string, opset?: number | Record<string, number>): string {
  const path = join(dir, file);
  writeFileSync(path, bytesFromText(src, opset));
  return path;
}
