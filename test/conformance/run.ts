/**
 * `npm run conformance [-- --shared] [--filter substr ...] [--workers N] [--timings] [--verbose] [--target T]`
 * (--target: the C stage compiles for target T instead of `c`, e.g. x86-avx2)
 * (--verbose also names the inputs bound as constants for the C build)
 * Runs every ONNX node-test case (test/data/onnx-node-tests, plus /work/shared/onnx-node-tests with
 * --shared): interpreter vs the expected outputs, compiled C vs the interpreter. One line per case,
 * then totals; exit code 1 on any failure (including a case listed as unsupported that now passes).
 */
import { availableParallelism } from 'node:os';
import { NODE_TESTS_DIR, SHARED_NODE_TESTS_DIR, listCases } from './cases.ts';
import { classify, type Verdict } from './classify.ts';
import { runCasesInPool } from './pool.ts';

function parseArgs(argv: string[]) {
  const o = { shared: false, filters: [] as string[], workers: Math.min(2, availableParallelism()), timings: false, verbose: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--shared') o.shared = true;
    else if (a === '--timings') o.timings = true;
    else if (a === '--verbose') o.verbose = true;
    else if (a === '--filter' && argv[i + 1] !== undefined) o.filters.push(argv[++i]!);
    else if (a.startsWith('--filter=')) o.filters.push(a.slice('--filter='.length));
    else if (a === '--target' && argv[i + 1] !== undefined) process.env.QCC_CONFORMANCE_TARGET = argv[++i]!;
    else if (a.startsWith('--target=')) process.env.QCC_CONFORMANCE_TARGET = a.slice('--target='.length);
    else if (a === '--workers' && argv[i + 1] !== undefined) o.workers = Math.max(1, Number(argv[++i]) || 1);
    else {
      console.error(`unknown argument '${a}'\nusage: conformance [--shared] [--filter substr]... [--workers N] [--timings] [--verbose] [--target T]`);
      process.exit(2);
    }
  }
  return o;
}

const opts = parseArgs(process.argv.slice(2));
const roots = opts.shared ? [NODE_TESTS_DIR, SHARED_NODE_TESTS_DIR] : [NODE_TESTS_DIR];
const cases = listCases(roots, opts.filters);
if (cases.length === 0) {
  console.error(`no cases found under ${roots.join(', ')}${opts.filters.length ? ` matching ${opts.filters.join(', ')}` : ''}`);
  process.exit(1);
}
const t0 = performance.now();
const verdicts: Verdict[] = [];
const outcomes = await runCasesInPool(cases, {
  workers: opts.workers,
  timeoutMs: 60_000,
  onResult: (o) => {
    const v = classify(o);
    verdicts.push(v);
    const time = opts.timings ? ` [${o.ms} ms]` : '';
    const bound = opts.verbose && o.bound?.length ? ` (bound: ${o.bound.join(', ')})` : '';
    console.log(`${v.status.padEnd(11)} ${v.name}${v.detail ? `: ${v.detail}` : ''}${bound}${time}`);
  },
});
const count = (s: Verdict['status']) => verdicts.filter((v) => v.status === s);
const failed = count('FAIL');
console.log(
  `\n${outcomes.length} cases: ${count('PASS').length} passed, ${failed.length} failed, ${count('UNSUPPORTED').length} unsupported ` +
    `(${((performance.now() - t0) / 1000).toFixed(1)} s, ${opts.workers} workers)`,
);
if (failed.length) console.log(`failed: ${failed.map((v) => v.name).sort().join(' ')}`);
process.exitCode = failed.length ? 1 : 0;
