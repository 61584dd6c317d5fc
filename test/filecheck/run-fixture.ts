/**
 * Runs a pass-test fixture: IR text (ir/print.ts format) with a `// RUN:` line naming the passes, then
 * the CHECK lines (filecheck.ts) the printed result must satisfy, or `// ERROR:` text the run must fail
 * with.
 *
 *   // RUN: constant-fold, dead-code
 *   // RUN: bind-inputs {w_scale = f32[] 0.5}, constant-fold
 *   // RUN: pipeline                      (the default pipeline, to a fixpoint: prepareGraph)
 *
 * A pass name may take arguments as an IR attribute dict. The output is the graph printed with full data
 * followed by the pass log as `// LOG:` lines.
 */
import { QccError } from '../../compiler/errors.ts';
import type { Attrs, Graph } from '../../compiler/ir/graph.ts';
import { parseAttrDict, parseGraph } from '../../compiler/ir/parse.ts';
import { printGraph } from '../../compiler/ir/print.ts';
import { Tensor } from '../../compiler/ir/tensor.ts';
import { verifyGraph } from '../../compiler/ir/verify.ts';
import { isRequantScheme } from '../../compiler/numerics/requant.ts';
import { bindInputs } from '../../compiler/passes/bind-inputs.ts';
import { runPipeline, type Pass } from '../../compiler/passes/pass.ts';
import { DEFAULT_PIPELINE, prepareGraph } from '../../compiler/passes/pipeline.ts';
import { selectRequant } from '../../compiler/passes/select-requant.ts';

type PassFactory = (args: Attrs, where: string) => Pass;

const noArgs = (p: Pass): PassFactory => (args, where) => {
  if (Object.keys(args).length > 0) throw new Error(`${where}: pass '${p.name}' takes no arguments`);
  return p;
};

/** Every pass a fixture can name. */
export const FIXTURE_PASSES: Readonly<Record<string, PassFactory>> = {
  ...Object.fromEntries(DEFAULT_PIPELINE.map((p) => [p.name, noArgs(p)])),
  'bind-inputs': (args, where) => {
    const values = new Map<string, Tensor>();
    for (const [k, v] of Object.entries(args)) {
      if (!(v instanceof Tensor)) throw new Error(`${where}: bind-inputs {${k} = ...} needs a tensor like f32[] 0.5`);
      values.set(k, v);
    }
    return { name: 'bind-inputs', run: (g) => (bindInputs(g, values), values.size > 0) };
  },
  'select-requant': (args, where) => {
    const s = args['scheme'];
    if (typeof s !== 'string' || !isRequantScheme(s)) throw new Error(`${where}: select-requant needs {scheme = "fp32"} or {scheme = "fixed"}`);
    return selectRequant(s);
  },
  pipeline: noArgs({
    name: 'pipeline',
    run: (g, ctx) => {
      ctx.log.push(...prepareGraph(g, { verify: verifyGraph }).log);
      return true;
    },
  }),
};

/** Splits `a, b {x = 1, y = [1, 2]}, c` at the commas outside brackets. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  let inStr = false;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (inStr) {
      if (c === '\\') cur += s[i++] ?? '';
      else if (c === '"') inStr = false;
    } else if (c === '"') inStr = true;
    else if ('{[('.includes(c)) depth++;
    else if ('}])'.includes(c)) depth--;
    else if (c === ',' && depth === 0) {
      out.push(cur.trim());
      cur = '';
      continue;
    }
    cur += c;
  }
  if (cur.trim()) out.push(cur.trim());
  return out;
}

/** The passes of a fixture's RUN lines (several RUN lines run in order). */
export function fixturePasses(text: string, file: string): Pass[] {
  const passes: Pass[] = [];
  text.split('\n').forEach((l, i) => {
    const m = /^\s*\/\/\s*RUN:(.*)$/.exec(l);
    if (!m) return;
    const where = `${file}:${i + 1}`;
    for (const item of splitTopLevel(m[1]!)) {
      const brace = item.indexOf('{');
      const name = (brace < 0 ? item : item.slice(0, brace)).trim();
      const factory = FIXTURE_PASSES[name];
      if (!factory) throw new Error(`${where}: unknown pass '${name}' (known: ${Object.keys(FIXTURE_PASSES).join(', ')})`);
      passes.push(factory(brace < 0 ? {} : parseAttrDict(item.slice(brace), where), where));
    }
  });
  if (passes.length === 0) throw new Error(`${file}: no // RUN: line`);
  return passes;
}

export interface FixtureRun {
  /** The graph after the passes, printed, then the log as `// LOG:` lines. */
  output?: string;
  /** The QccError the passes failed with. */
  error?: QccError;
}

export function runFixture(text: string, file: string): FixtureRun {
  const passes = fixturePasses(text, file);
  const graph: Graph = parseGraph(text, { file });
  let log: string[];
  try {
    log = runPipeline(graph, passes, { verify: verifyGraph }).log;
  } catch (e) {
    if (e instanceof QccError) return { error: e };
    throw e;
  }
  const printed = printGraph(graph);
  // Whatever a pass leaves must print and read back unchanged.
  const again = printGraph(parseGraph(printed, { file: `${file} (after the passes)` }));
  if (again !== printed) throw new Error(`${file}: the graph after the passes does not survive print/parse`);
  return { output: printed + log.map((l) => `// LOG: ${l}\n`).join('') };
}
