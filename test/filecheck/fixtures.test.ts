/** Runs every pass-test fixture (test/filecheck/<pass>/*.qir) and checks its output with FileCheck. */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PIPELINE } from '../../compiler/passes/pipeline.ts';
import { fileCheck, parseChecks } from './filecheck.ts';
import { runFixture } from './run-fixture.ts';

const HERE = dirname(fileURLToPath(import.meta.url));

function fixtures(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? fixtures(join(dir, e.name)) : e.name.endsWith('.qir') ? [join(dir, e.name)] : [],
  );
}

const FILES = fixtures(HERE).sort();

describe('pass fixtures', () => {
  for (const path of FILES) {
    const name = relative(HERE, path);
    it(name, () => {
      const text = readFileSync(path, 'utf8');
      const run = runFixture(text, name);
      const expectError = /^\s*\/\/\s*ERROR:(.*)$/m.exec(text)?.[1]?.trim();
      if (expectError !== undefined) {
        expect(run.error?.message ?? `no error; output:\n${run.output}`).toContain(expectError);
        return;
      }
      if (run.error) throw run.error;
      const r = fileCheck(run.output!, parseChecks(text), name);
      if (!r.ok) expect.fail(r.message);
    });
  }

  it('every pass of the default pipeline, bind-inputs and select-requant has a fixture folder', () => {
    const folders = new Set(FILES.map((f) => relative(HERE, f).split('/')[0]));
    for (const p of [...DEFAULT_PIPELINE.map((x) => x.name), 'bind-inputs', 'select-requant']) expect(folders.has(p), p).toBe(true);
  });
});
