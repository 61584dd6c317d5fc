/*
 * qcc firmware example: runs a compiled model (qcc compile ... --name model --target cortex-m4) on fixed,
 * deterministic inputs and prints its outputs as hex through semihosting. Build with the Makefile here;
 * run on QEMU's MPS2 AN386 (Cortex-M4):
 *   qemu-system-arm -M mps2-an386 -nographic -semihosting-config enable=on,target=native -kernel app.elf
 *
 * Input bytes: x[i] = low byte of a xorshift32 sequence seeded with 0x2545F491 + input index (the same
 * generator as the test that compares these outputs with qcc's interpreter). The model runs QCC_RUNS
 * times (default 1; instruction counting builds with 1 and 2 and subtracts).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "model.h"

#ifndef QCC_RUNS
#define QCC_RUNS 1
#endif

/* Everything static: flash holds code and weights; RAM holds the arena and the I/O buffers. */
static uint64_t arena[(MODEL_ARENA_BYTES + 7u) / 8u + 1u];
static unsigned char in0[MODEL_INPUT0_BYTES];
static unsigned char out0[MODEL_OUTPUT0_BYTES];

static void fill(unsigned char *p, size_t n, uint32_t seed) {
  uint32_t s = seed;
  size_t i;
  for (i = 0; i < n; i++) {
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    p[i] = (unsigned char)(s & 0xffu);
  }
}

int main(void) {
  const void *inputs[1];
  void *outputs[1];
  size_t i;
  int r, rc = MODEL_OK;
  fill(in0, sizeof in0, 0x2545F491u + 0u);
  inputs[0] = in0;
  outputs[0] = out0;
  for (r = 0; r < QCC_RUNS && rc == MODEL_OK; r++) rc = model_run_v(inputs, outputs, arena);
  if (rc != MODEL_OK) {
    printf("model_run failed: %d\n", rc);
    return 1;
  }
  printf("output0 %u bytes:", (unsigned)sizeof out0);
  for (i = 0; i < sizeof out0; i++) printf("%s%02x", i % 32 == 0 ? "\n" : " ", out0[i]);
  printf("\nend\n");
  return 0;
}
