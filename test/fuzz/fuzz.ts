/**
 * `npm run fuzz [-- --cases N] [--seed S] [--workers W] [--timeout-ms T] [--max-seconds M] [--only I,J] [--verbose]`
 *
 * Mutates the real models and ONNX node-test models (see mutate.ts) and feeds every case to load +
 * interpret + compile in a pool of child processes (each with a heap limit; a case that runs past its
 * time limit kills its worker and counts as a hang). Every case must end in success or a QccError.
 * Prints counts per mutation kind and outcome, then every crash/hang with the command that reproduces
 * it. Exit code 1 on any crash, hang or worker death.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { listCorpus } from './corpus.ts';
import { MUTATION_KINDS, Rng, caseSeed, pickCase } from './mutate.ts';
import type { CaseResult } from './run-case.ts';

const WORKER = join(dirname(fileURLToPath(import.meta.url)), 'worker.ts');
/** Heap limit of each worker; tensors live outside the heap and are bounded by the loader's limit. */
const WORKER_HEAP_MB = 2048;

interface Args {
  cases: number;
  seed: number;
  workers: number;
  timeoutMs: number;
  maxSeconds: number;
  only: number[] | null;
  verbose: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { cases: 10_000, seed: Date.now() % 1_000_000, workers: Math.max(1, Math.min(4, availableParallelism())), timeoutMs: 20_000, maxSeconds: 1800, only: null, verbose: false };
  const num = (flag: string, v: string | undefined): number => {
    if (v === undefined || !/^\d+$/.test(v)) {
      console.error(`${flag} needs a non-negative integer`);
      process.exit(2);
    }
    return Number(v);
  };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i]!;
    if (f === '--cases') a.cases = num(f, argv[++i]);
    else if (f === '--seed') a.seed = num(f, argv[++i]);
    else if (f === '--workers') a.workers = Math.max(1, num(f, argv[++i]));
    else if (f === '--timeout-ms') a.timeoutMs = num(f, argv[++i]);
    else if (f === '--max-seconds') a.maxSeconds = num(f, argv[++i]);
    else if (f === '--only') a.only = (argv[++i] ?? '').split(',').map((s) => num('--only', s));
    else if (f === '--verbose') a.verbose = true;
    else {
      console.error(`unknown argument '${f}'\nusage: fuzz [--cases N] [--seed S] [--workers W] [--timeout-ms T] [--max-seconds M] [--only I,J] [--verbose]`);
      process.exit(2);
    }
  }
  return a;
}

const args = parseArgs(process.argv.slice(2));
const corpus = listCorpus();
const indices = args.only ?? Array.from({ length: args.cases }, (_, i) => i);
console.log(`qcc fuzz: seed ${args.seed}, ${indices.length} cases, ${corpus.length} corpus models, ${args.workers} workers, ${args.timeoutMs} ms per case`);
console.log(`reproduce: npm run fuzz -- --seed ${args.seed} --cases ${args.cases}`);

/** The case's label before its worker has described it (the kind is drawn first; the source may change). */
const labelOf = (index: number) => {
  const p = pickCase(new Rng(caseSeed(args.seed, index)), corpus.length);
  return { kind: p.kind, sourceId: corpus[p.source]!.id, note: '' };
};

const results: CaseResult[] = [];
const t0 = Date.now();
let next = 0;
let stoppedForTime = false;

await new Promise<void>((resolveAll) => {
  let live = 0;
  const take = (): number | null => {
    if (next >= indices.length) return null;
    if ((Date.now() - t0) / 1000 > args.maxSeconds) {
      stoppedForTime = true;
      return null;
    }
    return indices[next++]!;
  };
  const record = (r: CaseResult) => {
    results.push(r);
    if (args.verbose || (r.outcome !== 'ok' && !r.outcome.startsWith('E_'))) {
      console.log(`case ${r.index} [${r.kind}] ${r.sourceId} (${r.ms} ms): ${r.outcome}${r.message ? ` ${r.message.split('\n')[0]}` : ''}`);
    }
    if (results.length % 1000 === 0) console.log(`... ${results.length} cases (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  };
  const start = (): void => {
    live++;
    const child: ChildProcess = fork(WORKER, [], {
      execArgv: ['--import', 'tsx', `--max-old-space-size=${WORKER_HEAP_MB}`],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    let current: number | null = null;
    let label: { kind: string; sourceId: string; note: string } | null = null;
    let timer: NodeJS.Timeout | undefined;
    let t1 = 0;
    const give = () => {
      current = take();
      if (current === null) {
        child.disconnect();
        return;
      }
      const k = current;
      label = null;
      t1 = Date.now();
      timer = setTimeout(() => {
        record({ index: k, ...(label ?? labelOf(k)), outcome: 'hang', stage: '?', message: `no result after ${args.timeoutMs} ms`, ms: args.timeoutMs });
        current = null;
        child.kill('SIGKILL');
      }, args.timeoutMs);
      child.send({ seed: args.seed, index: k });
    };
    child.on('message', (m: CaseResult | { ready: true } | { start: { kind: string; sourceId: string; note: string } }) => {
      if ('ready' in m) return give();
      if ('start' in m) {
        label = m.start;
        return;
      }
      clearTimeout(timer);
      if (current !== null) record(m);
      current = null;
      give();
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      live--;
      if (current !== null) {
        const k = current;
        current = null;
        const oom = /heap out of memory|Allocation failed/i.test(stderr);
        record({ index: k, ...(label ?? labelOf(k)), outcome: oom ? 'oom' : 'worker-died', stage: '?', message: `worker exited (${signal ?? code}) ${stderr.trim().split('\n').slice(-3).join(' | ')}`, ms: Date.now() - t1 });
      }
      if (next < indices.length && !stoppedForTime) start();
      else if (live === 0) resolveAll();
    });
  };
  for (let i = 0; i < Math.min(args.workers, indices.length); i++) start();
  if (indices.length === 0) resolveAll();
});

// Counts per kind and outcome.
const outcomes = [...new Set(results.map((r) => r.outcome))].sort((a, b) => (a === 'ok' ? -1 : b === 'ok' ? 1 : a < b ? -1 : 1));
const table = new Map<string, Map<string, number>>();
for (const r of results) {
  const row = table.get(r.kind) ?? new Map<string, number>();
  row.set(r.outcome, (row.get(r.outcome) ?? 0) + 1);
  table.set(r.kind, row);
}
const w = Math.max(...outcomes.map((o) => o.length), 5) + 1;
console.log(`\n${'kind'.padEnd(16)}${'total'.padStart(7)}${outcomes.map((o) => o.padStart(w)).join('')}`);
for (const kind of MUTATION_KINDS) {
  const row = table.get(kind);
  if (!row) continue;
  const total = [...row.values()].reduce((s, x) => s + x, 0);
  console.log(`${kind.padEnd(16)}${String(total).padStart(7)}${outcomes.map((o) => String(row.get(o) ?? 0).padStart(w)).join('')}`);
}
const bad = results.filter((r) => r.outcome === 'crash' || r.outcome === 'hang' || r.outcome === 'oom' || r.outcome === 'worker-died').sort((a, b) => a.index - b.index);
const secs = ((Date.now() - t0) / 1000).toFixed(1);
console.log(`\n${results.length} cases in ${secs} s: ${results.filter((r) => r.outcome === 'ok').length} ok, ${results.filter((r) => r.outcome.startsWith('E_')).length} QccError, ${bad.length} crash/hang/oom`);
const slow = [...results].sort((a, b) => b.ms - a.ms).slice(0, 3);
console.log(`slowest: ${slow.map((r) => `case ${r.index} [${r.kind}] ${r.sourceId} ${r.ms} ms`).join('; ')}`);
if (stoppedForTime) console.log(`stopped after ${args.maxSeconds} s (--max-seconds): ${indices.length - results.length} cases not run`);
for (const r of bad) {
  console.log(`\nFAIL case ${r.index} [${r.kind}] ${r.sourceId}: ${r.outcome} at ${r.stage}\n  mutation: ${r.note}\n  ${(r.message ?? '').split('\n').slice(0, 8).join('\n  ')}`);
  console.log(`  reproduce: npm run fuzz -- --seed ${args.seed} --only ${r.index} --verbose`);
}
process.exitCode = bad.length ? 1 : 0;
