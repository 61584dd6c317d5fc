import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listImporters } from '../compiler/frontend/onnx/importer.ts';
import { extractOpsTable, renderOpsTable } from '../compiler/report/ops-table.ts';

describe('README supported-ops table', () => {
  it('is the table generated from the importer registry (run `npm run docs:ops` if this fails)', () => {
    const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
    const current = extractOpsTable(readme);
    expect(current, 'README.md has no ops-table markers').toBeDefined();
    expect(current, 'README ops table is stale: run `npm run docs:ops`').toBe(renderOpsTable());
  });

  it('lists every registered importer once', () => {
    const table = renderOpsTable();
    for (const imp of listImporters()) expect(table).toContain(`| ${imp.opType} |`);
  });
});
