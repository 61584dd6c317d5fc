import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeOutputFolder } from './output.ts';

const root = mkdtempSync(join(tmpdir(), 'qcc-out-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const listing = (dir: string): string[] => readdirSync(dir, { recursive: true }).map(String).sort();

describe('writeOutputFolder', () => {
  it('creates the folder (and parents) with exactly the given files, text and binary', () => {
    const dir = join(root, 'a', 'b', 'out');
    writeOutputFolder(dir, new Map<string, string | Uint8Array>([['m.c', 'int x;\n'], ['sub/w.bin', new Uint8Array([0, 255, 7])]]));
    expect(listing(dir)).toEqual(['m.c', 'sub', 'sub/w.bin']);
    expect(readFileSync(join(dir, 'm.c'), 'utf8')).toBe('int x;\n');
    expect([...readFileSync(join(dir, 'sub/w.bin'))]).toEqual([0, 255, 7]);
    expect(listing(join(root, 'a', 'b'))).toEqual(['out', 'out/m.c', 'out/sub', 'out/sub/w.bin']); // no temp leftovers
  });

  it('replaces the old content whole (stale files disappear)', () => {
    const dir = join(root, 'replace');
    mkdirSync(dir);
    writeFileSync(join(dir, 'stale.h'), 'old');
    writeOutputFolder(dir, new Map([['new.h', 'new']]));
    expect(listing(dir)).toEqual(['new.h']);
  });

  it('a failure mid-write leaves the previous folder untouched and no temp folder', () => {
    const dir = join(root, 'keep');
    writeOutputFolder(dir, new Map([['a.c', 'A1'], ['b.c', 'B1']]));
    const files = new Map([['a.c', 'A2'], ['b.c', 'B2'], ['c.c', 'C2']]);
    expect(() =>
      writeOutputFolder(dir, files, {
        beforeWrite: (_p, i) => {
          if (i === 2) throw new Error('disk full (injected)');
        },
      }),
    ).toThrowError(/disk full/);
    expect(listing(dir)).toEqual(['a.c', 'b.c']);
    expect(readFileSync(join(dir, 'a.c'), 'utf8')).toBe('A1');
    expect(listing(root).filter((n) => n.startsWith('.keep'))).toEqual([]);
    expect(() => writeOutputFolder(dir, files, { beforeSwap: () => { throw new Error('late failure'); } })).toThrowError(/late failure/);
    expect(readFileSync(join(dir, 'b.c'), 'utf8')).toBe('B1');
  });

  it('a failure on a fresh destination leaves nothing behind', () => {
    const dir = join(root, 'fresh');
    expect(() => writeOutputFolder(dir, new Map([['x', '1'], ['y', '2']]), { beforeWrite: (_p, i) => { if (i === 1) throw new Error('boom'); } })).toThrow();
    expect(existsSync(dir)).toBe(false);
    expect(listing(root).filter((n) => n.startsWith('.fresh'))).toEqual([]);
  });

  it('rejects file names that escape the folder, and a destination that is a file', () => {
    for (const bad of ['../x', '/abs', 'a/../../b', '', 'a//b']) {
      expect(() => writeOutputFolder(join(root, 'esc'), new Map([[bad, 'x']]))).toThrow();
    }
    writeFileSync(join(root, 'afile'), 'x');
    expect(() => writeOutputFolder(join(root, 'afile'), new Map([['a', 'b']]))).toThrowError(/E_IO|not a folder/);
  });
});
