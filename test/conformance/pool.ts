/**
 * Runs conformance cases in a few child processes (bounded parallelism: the C builds and the
 * interpreter are CPU-bound, one case per core). Each worker loads tsx, imports ./worker.ts and answers
 * one case at a time over IPC; a case that hangs past its time limit kills its worker, which is replaced.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseOutcome } from './case-runner.ts';

const WORKER = join(dirname(fileURLToPath(import.meta.url)), 'worker.ts');

export interface PoolOptions {
  workers: number;
  /** Per-case limit; the case fails with a timeout message when it is exceeded. */
  timeoutMs: number;
  onResult?: (r: CaseOutcome) => void;
}

export function runCasesInPool(caseDirs: readonly string[], opts: PoolOptions): Promise<CaseOutcome[]> {
  const results = new Array<CaseOutcome | undefined>(caseDirs.length);
  let next = 0;
  let done = 0;
  const slots = Math.max(1, Math.min(opts.workers, caseDirs.length));
  return new Promise((resolveAll) => {
    if (caseDirs.length === 0) return resolveAll([]);
    const finish = (k: number, r: CaseOutcome) => {
      if (results[k]) return;
      results[k] = r;
      done++;
      opts.onResult?.(r);
      if (done === caseDirs.length) resolveAll(results as CaseOutcome[]);
    };
    const startWorker = (): void => {
      const child: ChildProcess = fork(WORKER, [], {
        execArgv: ['--import', 'tsx'],
        stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      });
      let stderr = '';
      child.stderr?.on('data', (d: Buffer) => {
        stderr = (stderr + d.toString()).slice(-4000);
      });
      let current = -1;
      let timer: NodeJS.Timeout | undefined;
      const give = () => {
        if (next >= caseDirs.length) {
          child.disconnect();
          return;
        }
        current = next++;
        const k = current;
        timer = setTimeout(() => {
          finish(k, { dir: caseDirs[k]!, name: caseName(caseDirs[k]!), ok: false, stage: 'timeout', message: `no result after ${opts.timeoutMs} ms`, ms: opts.timeoutMs });
          current = -1;
          child.kill('SIGKILL');
        }, opts.timeoutMs);
        child.send({ dir: caseDirs[k] });
      };
      child.on('message', (r: CaseOutcome) => {
        clearTimeout(timer);
        if (current >= 0) finish(current, r);
        current = -1;
        give();
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (current >= 0) {
          const k = current;
          current = -1;
          finish(k, {
            dir: caseDirs[k]!,
            name: caseName(caseDirs[k]!),
            ok: false,
            stage: 'crash',
            message: `worker exited (${signal ?? code}) ${stderr.trim().split('\n').slice(-3).join(' | ')}`,
            ms: 0,
          });
        }
        if (next < caseDirs.length) startWorker();
      });
      give();
    };
    for (let i = 0; i < slots; i++) startWorker();
  });
}

export const caseName = (dir: string): string => dir.replace(/\/+$/, '').split('/').pop()!;
