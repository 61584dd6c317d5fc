#!/usr/bin/env node
// Runs a repository TypeScript script through tsx: `node bin/qcc-dev.js <script.ts> [args...]`.
// The script sees its own path as process.argv[1], as if it had been started directly.
import { register } from 'tsx/esm/api';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const script = process.argv[2];
if (!script) {
  console.error('usage: node bin/qcc-dev.js <script.ts> [args...]');
  process.exit(2);
}
register();
process.argv.splice(1, 2, resolve(script));
await import(pathToFileURL(resolve(script)).href);
