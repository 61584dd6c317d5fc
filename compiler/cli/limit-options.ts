import type { Command } from 'commander';
import { parseByteSize } from '../limits.ts';
import { usage } from './options.ts';

/** `--max-arena BYTES`, for firmware RAM budgets (the commands that compile). */
export interface LimitCliOptions {
  maxArena?: string;
}

export function withLimitOptions(cmd: Command): Command {
  return cmd.option('--max-arena <bytes>', 'refuse models whose arena needs more than this (e.g. 262144, 256K, 1M)');
}

/** compileModel's limit options from the command line (E_USAGE for a malformed size). */
export function limitOptions(opts: LimitCliOptions): { maxArenaBytes?: number } {
  if (opts.maxArena === undefined) return {};
  const n = parseByteSize(opts.maxArena);
  if (n === null) throw usage(`bad --max-arena '${opts.maxArena}'`, 'give a byte count, optionally with K, M or G (powers of 1024), e.g. --max-arena 256K');
  return { maxArenaBytes: n };
}
