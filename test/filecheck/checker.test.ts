/** Self-tests of the FileCheck checker: what must match does, what must fail does. */
import { describe, expect, it } from 'vitest';
import { fileCheck, parseChecks } from './filecheck.ts';

const OUT = ['graph @g {', '  input %x: f32[2]', '  %y: f32[2] = relu @r (%x)', '  %z: f32[2] = add @a (%y, %x)', '  output %z', '}'].join('\n');

const check = (directives: string) => fileCheck(OUT, parseChecks(directives), 't');
const passes = (d: string) => expect(check(d)).toEqual({ ok: true });
const fails = (d: string, ...why: string[]) => {
  const r = check(d);
  expect(r.ok).toBe(false);
  if (!r.ok) for (const w of why) expect(r.message).toContain(w);
};

describe('FileCheck', () => {
  it('CHECK finds patterns in order', () => {
    passes('// CHECK: input %x\n// CHECK: relu\n// CHECK: output %z');
    fails('// CHECK: output %z\n// CHECK: relu', 't:2: CHECK: relu', 'not found after output line 5');
    fails('// CHECK: sigmoid', 'not found');
  });

  it('CHECK-NEXT needs the very next line', () => {
    passes('// CHECK: relu\n// CHECK-NEXT: add');
    fails('// CHECK: input\n// CHECK-NEXT: add', 'CHECK-NEXT: add', 'not found on the next line (output line 3)');
    fails('// CHECK-NEXT: add', 'needs a CHECK before it');
  });

  it('CHECK-SAME continues on the matched line', () => {
    passes('// CHECK: = add\n// CHECK-SAME: (%y, %x)');
    fails('// CHECK: = add\n// CHECK-SAME: relu', 'not found on the rest of output line 4');
  });

  it('CHECK-NOT between matches and at the end', () => {
    passes('// CHECK: input\n// CHECK-NOT: sigmoid\n// CHECK: output');
    fails('// CHECK: input\n// CHECK-NOT: relu\n// CHECK: output', 'CHECK-NOT: relu', 'found at output line 3');
    passes('// CHECK: relu\n// CHECK-NOT: input');
    fails('// CHECK: input\n// CHECK-NOT: output', 'found at output line 5');
  });

  it('regexes, variables and whitespace', () => {
    passes('// CHECK: %[[V:[a-z]+]]: f32[2] = relu\n// CHECK: add @a (%[[V]], %x)');
    fails('// CHECK: %[[V:[a-z]+]]: f32[2] = relu\n// CHECK: add @a (%x, %[[V]])', 'not found');
    passes('// CHECK: relu {{@[a-z]}}');
    passes('// CHECK: %y:   f32[2]    =  relu');
    fails('// CHECK: {{relu.*\\n.*add}}', 'not found');
    passes('// CHECK-LABEL: graph @g\n// CHECK: output');
  });

  it('rejects malformed directives', () => {
    expect(() => parseChecks('// CHECK-NXT: x')).toThrow('unknown directive CHECK-NXT');
    expect(() => parseChecks('// CHECK:   ')).toThrow('empty pattern');
    expect(check('// nothing').ok).toBe(false);
  });
});
