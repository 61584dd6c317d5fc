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
 * the program print the model's name and exit with 10 + rc. With `guardBytes` > 0 every output buffer is
 * followed by that many bytes of 0xA5 that no run may change: a kernel writing past its output makes the
 * program print the model and output and exit with 4 (the output file holds the outputs only, as without).
 */
export function renderBatchMain(prelude: string, calls: readonly BatchCall[], arenaBytes: number, guardBytes = 0): BatchMain {
  let inBytes = 0;
  let outBytes = 0;
  let bufBytes = 0;
  const regions: { name: string; k: number; at: number; n: number }[] = [];
  const body = calls.map((c) => {
    const ins = c.inputBytes.map((n) => {
      const s = `qcc_in + ${inBytes}u`;
      inBytes += n;
      return s;
    });
    const outs = c.outputBytes.map((n, k) => {
      const s = `qcc_out + ${bufBytes}u`;
      regions.push({ name: c.name, k, at: bufBytes, n });
      outBytes += n;
      bufBytes += n + guardBytes;
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
#include <string.h>
${prelude}

static unsigned char qcc_arena[${Math.max(16, arenaBytes)}u] __attribute__((aligned(64)));
static unsigned char qcc_in[${Math.max(1, inBytes)}u];
static unsigned char qcc_out[${Math.max(1, bufBytes)}u];

int main(int argc, char **argv) {
  FILE *f;
  if (argc != 3) return 2;
  f = fopen(argv[1], "rb");
  if (!f || fread(qcc_in, 1u, ${inBytes}u, f) != ${inBytes}u) return 3;
  fclose(f);
${guardBytes > 0 ? `  memset(qcc_out, 0xA5, sizeof qcc_out);\n` : ''}${body.join('\n')}
${guardBytes > 0 ? guardCheck(regions, guardBytes) : ''}  f = fopen(argv[2], "wb");
  if (!f) return 3;
${guardBytes > 0 ? regions.map((r) => `  if (fwrite(qcc_out + ${r.at}u, 1u, ${r.n}u, f) != ${r.n}u) return 3;`).join('\n') : `  if (fwrite(qcc_out, 1u, ${outBytes}u, f) != ${outBytes}u) return 3;`}
  fclose(f);
  return 0;
}
`;
  return { source, inBytes, outBytes };
}

/** C that checks every output's guard bytes (0xA5) after the runs. */
function guardCheck(regions: readonly { name: string; k: number; at: number; n: number }[], guardBytes: number): string {
  const starts = regions.map((r) => r.at + r.n).join(', ');
  const names = regions.map((r) => `"${r.name} output ${r.k}"`).join(', ');
  return `  {
    static const unsigned long qcc_guard_at[] = {${starts}};
    static const char *const qcc_guard_what[] = {${names}};
    size_t r, b;
    for (r = 0; r < sizeof qcc_guard_at / sizeof qcc_guard_at[0]; r++)
      for (b = 0; b < ${guardBytes}u; b++)
        if (qcc_out[qcc_guard_at[r] + b] != 0xA5) { fprintf(stderr, "%s: wrote past its end\\n", qcc_guard_what[r]); return 4; }
  }
`;
}
