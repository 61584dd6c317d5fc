/**
 * Hostile strings through a full load + compile: node, value, initializer, graph and model names and doc
 * strings with quotes, backslashes, newlines, comment terminators, preprocessor lines, trigraphs,
 * non-ASCII, NULs and thousands of characters. The generated C must build with gcc and clang
 * (-Werror -pedantic -trigraphs), run to the interpreter's bytes, carry the strings only as sanitized
 * identifiers and comments, and keep names that sanitize alike apart.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileModel } from '../../backends/c/compile.ts';
import { runCompiled } from '../../backends/run.ts';
import { STRICT_CFLAGS } from '../../backends/target.ts';
import { loadOnnxModel } from '../../compiler/frontend/onnx/load.ts';
import { encodeModelProto, modelProto } from '../../compiler/frontend/onnx/writer.ts';
import { Tensor } from '../../compiler/ir/tensor.ts';
import { interpret } from '../../compiler/interpreter/interpret.ts';
import { randomInputs } from '../../compiler/io/random-inputs.ts';
import { checkIdentical } from '../util/compare.ts';
import { qcc, tempDir } from '../cli/helpers.ts';

const LONG = 'L'.repeat(3000) + '*/' + 'x'.repeat(2000);
/** Strings that must never appear verbatim in the output (each would break or subvert the C). */
const HOSTILE = [
  'back\\slash\\',
  'new\nline\r\n#include "evil.h"\n',
  'end */ int evil; /* comment',
  '// line comment \\\nspliced',
  'tri??=graph??/??\'??(',
  'ünïcödé 名前 🙂',
  'bidi\u202eevil\u202c',
  'nul\u0000byte',
  'tab\there',
  LONG,
];
/** Printable, so kept inside comments, but never outside one. */
const QUOTED = 'q"uote\'s';
/** Harmless-looking names C or the runtime already uses. */
const CLASHING = ['main', 'int', 'qcc_arena', 'arena', '_reserved', '__LINE__', 'size_t', '1digit', ''];

/**
 * y_k = Relu(x_k) for hostile x names, plus a chain through hostile intermediate, initializer and node
 * names, plus two inputs and two outputs whose names sanitize alike.
 */
function hostileModel(): Uint8Array {
  const names = [...HOSTILE, QUOTED, ...CLASHING.filter((n) => n !== '')];
  const m = modelProto({
    opsets: [{ domain: '', version: 13 }],
    graphName: 'graph */ #define X ??= \n ' + LONG,
    producerName: 'prod "*/\n#error x',
    inputs: [
      ...names.map((n, k) => ({ name: `in:${n}`, dtype: 'f32' as const, shape: [3 + (k % 3)] })),
      { name: 'a-b', dtype: 'f32', shape: [4] },
      { name: 'a.b', dtype: 'f32', shape: [4] },
    ],
    outputs: [
      ...names.map((n, k) => ({ name: `out:${n}`, dtype: 'f32' as const, shape: [3 + (k % 3)] })),
      { name: 'y-1', dtype: 'f32', shape: [4] },
      { name: 'y.1', dtype: 'f32', shape: [4] },
    ],
    initializers: [{ name: 'w*/#include "w.h"\n', tensor: Tensor.fromNumbers('f32', [4], [1.5, -2, 0.25, 3]) }],
    nodes: [
      ...names.map((n, k) => ({ op: k % 2 ? 'Relu' : 'Neg', name: n, inputs: [`in:${n}`], outputs: [`out:${n}`] })),
      { op: 'Add', name: 'add\n#pragma once', inputs: ['a-b', 'w*/#include "w.h"\n'], outputs: ['mid ??/\n'] },
      { op: 'Relu', name: '', inputs: ['mid ??/\n'], outputs: ['y-1'] },
      { op: 'Neg', name: CLASHING[0], inputs: ['a.b'], outputs: ['y.1'] },
    ],
  });
  m.docString = 'doc */\n#include <evil.h>\n' + LONG;
  m.graph!.docString = 'graph doc ??/\n*/';
  for (const n of m.graph!.node!) n.docString = `node doc ${n.name} */`;
  for (const v of m.graph!.input!) v.docString = 'input doc \\\n*/';
  return encodeModelProto(m);
}

function outputFiles(dir: string): Map<string, string> {
  return new Map(readdirSync(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]));
}

describe('hostile names and doc strings', () => {
  const dir = tempDir('qcc-hostile-');
  // The model file name is hostile too: it becomes the default symbol prefix.
  const modelPath = join(dir, 'ev"il name #include ??= é.onnx');
  writeFileSync(modelPath, hostileModel());
  const out = join(dir, 'out');
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('compile through the CLI: the strings appear only as sanitized identifiers and comments', async () => {
    const r = await qcc('compile', modelPath, '-o', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const files = outputFiles(out);
    const all = [...files.values()].join('\n');
    for (const s of [...HOSTILE, 'graph */ #define X', 'prod "*/\n#error', 'doc */\n#include <evil.h>', 'mid ??/\n', 'w*/#include "w.h"\n', 'add\n#pragma once']) {
      expect(all.includes(s), JSON.stringify(s.slice(0, 40))).toBe(false);
    }
    expect(all).not.toMatch(/[^\x09\x0a\x20-\x7e]/); // printable ASCII, tabs and newlines only
    expect(all).not.toMatch(/\?\?/);
    expect(all).not.toMatch(/^\s*#\s*(include\s+["<](evil|w)|error|pragma once|define X)/m);
    // A block comment never contains the start of another or an early end: every line's comments balance.
    for (const [f, text] of files) {
      if (!/\.(c|h)$/.test(f)) continue;
      const stripped = text.replace(/\/\*[\s\S]*?\*\//g, '');
      expect(stripped.includes('/*') || stripped.includes('*/'), f).toBe(false);
      expect(stripped.includes('q"uote'), f).toBe(false);
      if (!f.startsWith('qcc_')) expect(text, f).not.toMatch(/\\\n/); // no line splices in generated files
    }
    expect([...files.keys()].every((f) => /^[A-Za-z0-9_.]+$/.test(f))).toBe(true);
  });

  it('the output builds with gcc and clang (-Werror -pedantic -trigraphs)', () => {
    const files = outputFiles(out);
    const prefix = [...files.keys()].find((f) => f.endsWith('_main.c'))!.slice(0, -'_main.c'.length);
    for (const cc of ['gcc', 'clang']) {
      const b = spawnSync(cc, [...STRICT_CFLAGS, '-pedantic', '-trigraphs', '-Wtrigraphs', '-I.', '-o', `m-${cc}`, `${prefix}.c`, `${prefix}_main.c`], { cwd: out, encoding: 'utf8' });
      expect(b.stderr, cc).toBe('');
      expect(b.status, cc).toBe(0);
    }
  });

  it('names that sanitize alike stay distinct, and the compiled model computes what the interpreter does', () => {
    const graph = loadOnnxModel(modelPath);
    const model = compileModel(graph, { target: 'c', name: 'hostile' });
    const cNames = [...model.inputs, ...model.outputs].map((io) => io.cName);
    expect(new Set(cNames).size).toBe(cNames.length);
    for (const c of cNames) expect(c).toMatch(/^[A-Za-z][A-Za-z0-9_]{0,47}$/);
    const ab = model.inputs.filter((io) => io.name === 'a-b' || io.name === 'a.b').map((io) => io.cName);
    expect(ab).toHaveLength(2);
    expect(ab[0]).not.toBe(ab[1]);
    const inputs = randomInputs(graph, 5);
    const want = interpret(graph, inputs);
    const got = runCompiled(model, inputs);
    for (const io of model.outputs) expect(checkIdentical(got.get(io.name)!, want.get(io.name)!, io.name)).toBeUndefined();
  });
});
