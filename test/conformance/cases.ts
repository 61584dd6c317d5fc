/** Finding conformance case folders. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { NODE_TESTS_DIR } from '../util/models.ts';

export const SHARED_NODE_TESTS_DIR = '/work/shared/onnx-node-tests';

/** Case folders (those holding a model.onnx) under the given roots, by name; a later root wins on duplicates. */
export function listCases(roots: readonly string[], filters: readonly string[] = []): string[] {
  const byName = new Map<string, string>();
  for (const root of roots) {
    if (!existsSync(root)) continue;
    for (const name of readdirSync(root)) {
      const dir = join(root, name);
      if (!statSync(dir).isDirectory() || !existsSync(join(dir, 'model.onnx'))) continue;
      if (filters.length && !filters.some((f) => name.includes(f))) continue;
      byName.set(name, dir);
    }
  }
  return [...byName.keys()].sort().map((n) => byName.get(n)!);
}

export { NODE_TESTS_DIR };
