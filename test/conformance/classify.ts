/** Turns a case outcome into its report status, holding it to the unsupported table. */
import type { CaseOutcome } from './case-runner.ts';
import { UNSUPPORTED } from './unsupported.ts';

export type Status = 'PASS' | 'FAIL' | 'UNSUPPORTED';

export interface Verdict {
  name: string;
  status: Status;
  /** For FAIL: what went wrong; for UNSUPPORTED: the listed reason (and the actual error). */
  detail: string;
}

export function failureText(o: CaseOutcome): string {
  return `${o.stage ?? 'unknown'}: ${o.message ?? ''}`.replace(/\s*\n\s*/g, ' / ');
}

export function classify(o: CaseOutcome): Verdict {
  const listed = UNSUPPORTED[o.name];
  if (!listed) {
    return o.ok ? { name: o.name, status: 'PASS', detail: '' } : { name: o.name, status: 'FAIL', detail: failureText(o) };
  }
  if (o.ok) {
    return { name: o.name, status: 'FAIL', detail: 'listed as unsupported in test/conformance/unsupported.ts but passes: remove it from the table' };
  }
  const text = failureText(o);
  if (!listed.error.test(text)) {
    return { name: o.name, status: 'FAIL', detail: `listed as unsupported (${listed.reason}) but fails for another reason: ${text}` };
  }
  return { name: o.name, status: 'UNSUPPORTED', detail: `${listed.reason} (${text})` };
}
