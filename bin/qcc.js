#!/usr/bin/env node
// The CLI is TypeScript run through tsx, so a fresh clone works after `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../compiler/cli/main.ts');
process.exitCode = await main(process.argv);
