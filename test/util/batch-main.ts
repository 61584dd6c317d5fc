/**
 * The C `main` of a batch test binary: many compiled models in one executable, so one process start (and
 * one qemu start for cross targets) serves hundreds of cases. All inputs come from one file and all outputs
 * go to one file, each model's tensors back to back in call order.
 */

export interface BatchCall {
  /** The model's C prefix (`<name>_run_v`). */
  name: string;
  /** Byte sizes of the model's inputs, in order. */
  inputBytes: readonly number[];
  /** Byte sizes of the model's outputs, in order. */
  outputBytes: readonly number[];
}

export interface BatchMain {
  source: string;
  inBytes: number;
  outBytes: number;
}

/**
 * `prelude` brings the `<name>_run_v` declarations (includes or prototypes). A run that returns rc makes
 * the program print the model's name and exit with 10 + rc.
 */
export function renderBatchMain(prelude: string, calls: readonly BatchCall[], arenaBytes: number): BatchMain {
  let inBytes = 0;
  let outBytes = 0;
  const body = calls.map((c) => {
    const ins = c.inputBytes.map((n) => {
      const s = `qcc_in + ${inBytes}u`;
      inBytes += n;
      return s;
    });
    const outs = c.outputBytes.map((n) => {
      const s = `qcc_out + ${outBytes}u`;
      outBytes += n;
      return s;
    });
    return `  {
    const void *ins[] = {${ins.length ? ins.join(', ') : 'NULL'}};
    void *outs[] = {${outs.length ? outs.join(', ') : 'NULL'}};
    int rc = ${c.name}_run_v(ins, outs, qcc_arena);
    if (rc != 0) { fprintf(stderr, "${c.name}: run returned %d\\n", rc); return 10 + rc; }
  }`;
  });
  const source = `#include <stdio.h>
#include <stddef.h>
${prelude}

static unsigned char qcc_arena[${Math.max(16, arenaBytes)}u] __attribute__((aligned(64)));
static unsigned char qcc_in[${Math.max(1, inBytes)}u];
static unsigned char qcc_out[${Math.max(1, outBytes)}u];

int main(int argc, char **argv) {
  FILE *f;
  if (argc != 3) return 2;
  f = fopen(argv[1], "rb");
  if (!f || fread(qcc_in, 1u, ${inBytes}u, f) != ${inBytes}u) return 3;
  fclose(f);
${body.join('\n')}
  f = fopen(argv[2], "wb");
  if (!f || fwrite(qcc_out, 1u, ${outBytes}u, f) != ${outBytes}u) return 3;
  fclose(f);
  return 0;
}
`;
  return { source, inBytes, outBytes };
}
