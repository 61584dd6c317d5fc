import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_COMMENT, MAX_IDENT, NameTable, cComment, cIdent } from './names.ts';

const HOSTILE = [
  'plain',
  'a"b\'c',
  'back\\slash\\',
  'new\nline\r\n',
  'end */ comment',
  '/* open',
  '*/*/*//**/',
  '#include <stdio.h>',
  '??/',
  '???/ ??= ??(',
  'ünïcødé 名前 😀',
  'x'.repeat(5000),
  '',
  '_',
  '__',
  '_Reserved',
  '__builtin',
  '9start',
  'int',
  'while',
  'restrict',
  'NULL',
  'EOF',
  'INT32_MAX',
  'uint8_t',
  'my_t',
  'errno',
  'Ebad',
  'memfoo',
  'qcc_conv',
  'QCC_X',
  'a\u0000b',
  'tab\there',
  'trailing_',
  'x/',
  '*',
];

describe('cIdent', () => {
  it('gives valid, harmless identifiers for hostile strings', () => {
    for (const s of HOSTILE) {
      const id = cIdent(s);
      expect(id, JSON.stringify(s)).toMatch(/^[A-Za-z][A-Za-z0-9_]*$/);
      expect(id).not.toMatch(/__/);
      expect(id.length).toBeLessThanOrEqual(MAX_IDENT);
      expect(id).not.toMatch(/_t$/);
      expect(id).not.toMatch(/^qcc_/i);
      expect(['int', 'while', 'restrict', 'NULL', 'EOF', 'INT32_MAX', 'errno']).not.toContain(id);
    }
  });

  it('keeps ordinary names readable and is deterministic', () => {
    expect(cIdent('conv1')).toBe('conv1');
    expect(cIdent('layer.0/weight')).toBe('layer_0_weight');
    expect(cIdent('9lives')).toBe('v_9lives');
    expect(cIdent('int')).toBe('v_int');
    expect(cIdent('a-b')).toBe(cIdent('a-b'));
  });
});

describe('NameTable', () => {
  it('keeps names that sanitise alike distinct, deterministically', () => {
    const run = () => {
      const t = new NameTable();
      return ['a-b', 'a.b', 'a b', 'a_b', 'a_b_2', 'x'.repeat(5000), 'x'.repeat(4999) + 'y'].map((s, i) => t.get(i, s));
    };
    const ids = run();
    expect(new Set(ids).size).toBe(ids.length);
    expect(run()).toEqual(ids);
    for (const id of ids) expect(id.length).toBeLessThanOrEqual(MAX_IDENT);
    expect(ids.slice(0, 3)).toEqual(['a_b', 'a_b_2', 'a_b_3']);
  });

  it('same key, same identifier; reserved names and forbidden prefixes are avoided', () => {
    const t = new NameTable({ reserved: ['x'], forbiddenPrefixes: ['m_'] });
    expect(t.get('k', 'x')).toBe('x_2');
    expect(t.get('k', 'ignored')).toBe('x_2');
    expect(t.fresh('m_run')).not.toMatch(/^m_/);
  });
});

describe('cComment', () => {
  it('cannot end, nest or splice a comment, and is ASCII and bounded', () => {
    for (const s of HOSTILE) {
      const c = cComment(s);
      expect(c).not.toContain('*/');
      expect(c).not.toContain('/*');
      expect(c).not.toContain('??');
      expect(c).not.toMatch(/[\\\n\r]/);
      expect(c).toMatch(/^[\x20-\x7e]*$/);
      expect(c.length).toBeLessThanOrEqual(MAX_COMMENT);
    }
    expect(cComment('conv1')).toBe('conv1');
    expect(cComment('é')).toBe('<U+00E9>');
  });

  it('hostile identifiers and comments compile warning-free with gcc and clang', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qcc-names-'));
    try {
      const t = new NameTable();
      const lines = HOSTILE.map((s, i) => `/* ${cComment(s)} */ // ${cComment(s)}\nint ${t.get(i, s)}(void) { return ${i}; }`);
      // If a comment ended early or a line were spliced, these declarations would not compile or count.
      const sum = HOSTILE.map((_, i) => `${t.get(i, '')}()`).join(' + ');
      const src = `#include <stdint.h>\n#include <stddef.h>\n#include <string.h>\n#include <stdio.h>\n#include <stdlib.h>\n#include <math.h>\n${lines.join('\n')}\nint main(void) { printf("%d\\n", ${sum}); return 0; }\n`;
      writeFileSync(join(dir, 't.c'), src);
      const want = String((HOSTILE.length * (HOSTILE.length - 1)) / 2);
      for (const cc of ['gcc', 'clang']) {
        const b = spawnSync(cc, ['-std=c99', '-O2', '-Wall', '-Wextra', '-Werror', '-pedantic', '-trigraphs', '-o', 't', 't.c'], { cwd: dir, encoding: 'utf8' });
        expect(b.stderr, cc).toBe('');
        expect(spawnSync(join(dir, 't'), [], { encoding: 'utf8' }).stdout.trim()).toBe(want);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
