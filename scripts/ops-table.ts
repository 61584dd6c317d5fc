// Rewrites README.md's supported-ops table from the importer registry: `npm run docs:ops`.
// `--check` only reports whether the table is current (exit 1 when stale).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractOpsTable, renderOpsTable, spliceOpsTable } from '../compiler/report/ops-table.ts';

const readme = join(dirname(fileURLToPath(import.meta.url)), '..', 'README.md');
const text = readFileSync(readme, 'utf8');
const table = renderOpsTable();
if (process.argv.includes('--check')) {
  const current = extractOpsTable(text) === table;
  console.log(current ? 'README ops table is current' : 'README ops table is stale: run npm run docs:ops');
  process.exitCode = current ? 0 : 1;
} else {
  const next = spliceOpsTable(text, table);
  if (next !== text) writeFileSync(readme, next);
  console.log(next !== text ? 'README ops table updated' : 'README ops table already current');
}
