/**
 * The `fixed` requantization scheme through the generic C kernels (qcc_qlinear_fixed.h): many random
 * qlinear_conv / qlinear_matmul nodes, compiled for target c with gcc and clang, byte-identical to the
 * interpreter running the same scheme; and the two schemes really differ on these cases (ties round
 * half to even in fp32, away from zero in fixed), so a kernel that ignored the scheme would be caught.
 */
import { describe, expect, it } from 'vitest';
import { interpret } from '../../../compiler/interpreter/interpret.ts';
import { randomInputs } from '../../../compiler/io/random-inputs.ts';
import { formatVerifyReport, verifyModel } from '../../../compiler/verify.ts';
import { qlinearCasesGraph } from '../../cortex-m/testing/qlinear-cases.ts';
import { compileModel } from '../compile.ts';

describe('fixed requantization, generic C kernels', () => {
  it.each(['gcc', 'clang'])('random qlinear conv/matmul nodes equal the interpreter (%s)', (cc) => {
    const g = qlinearCasesGraph(11, 'fixed', 30);
    const report = verifyModel(g, { target: 'c', seeds: [1, 2], name: 'qfixed', run: { cc } });
    expect(report.ok, formatVerifyReport(report)).toBe(true);
    expect(compileModel(g, { target: 'c', name: 'qfixed' }).files.has('qcc_qlinear_fixed.h')).toBe(true);
  });

  it('differs from fp32 on some outputs of the same graph', () => {
    const fixed = qlinearCasesGraph(11, 'fixed', 30);
    const fp32 = qlinearCasesGraph(11, 'fp32', 30);
    const inputs = randomInputs(fixed, 1);
    const a = interpret(fixed, inputs);
    const b = interpret(fp32, inputs);
    let diff = 0;
    for (const o of fixed.outputs) {
      const x = a.get(o.name)!.toNumbers();
      const y = b.get(o.name)!.toNumbers();
      x.forEach((v, i) => (diff += v !== y[i] ? 1 : 0));
    }
    expect(diff).toBeGreaterThan(0);
  });
});
