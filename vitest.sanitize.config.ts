import { defineConfig } from 'vitest/config';

/**
 * `npm run test:sanitize`: every test that builds and runs whole models on the host, with the generated
 * C built under AddressSanitizer + UndefinedBehaviorSanitizer (QCC_SANITIZE=1, see backends/run.ts);
 * any finding aborts the program and fails the test. Plus the hardening suite's extreme-input runs.
 */
export default defineConfig({
  test: {
    // Every real model is in sanitize-models (strict exact-size buffers, extreme inputs, gcc and clang);
    // the ONNX node tests' C stage runs sanitized in `QCC_SANITIZE=1 npm run conformance` (.ci/run).
    include: ['test/hardening/sanitize-*.test.ts', 'backends/c/ops/*-e2e.test.ts', 'backends/run.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    env: {
      QCC_SANITIZE: '1',
      // Leak checking needs ptrace, which containers often forbid; the generated code never allocates.
      ASAN_OPTIONS: 'detect_leaks=0:abort_on_error=0:halt_on_error=1',
      UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
    },
  },
});
