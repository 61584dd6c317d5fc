/*
 * qcc_cpu_avx2.h: run-time check that the CPU has what the x86-avx2 kernels use (AVX2 and FMA; FMA is part
 * of the x86-64-v3 build flags even though no kernel fuses a multiply-add). The generated <name>_run calls it
 * before computing anything and returns <NAME>_ERR_CPU instead of faulting on an illegal instruction.
 * QCC_CPU_ASSUME_NO_AVX2 (test hook) makes it report "unsupported".
 */
#ifndef QCC_CPU_AVX2_H
#define QCC_CPU_AVX2_H

static inline int qcc_cpu_has_avx2_fma(void) {
#if defined(QCC_CPU_ASSUME_NO_AVX2)
  return 0;
#elif (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return 1; /* no portable test: the build flags are the promise */
#endif
}

/* Target x86-avx512vnni: AVX2, FMA and AVX-512 (F, BW, VL, VNNI: 512-bit vpdpbusd tiles, masked byte stores). */
static inline int qcc_cpu_has_avx512vnni(void) {
#if defined(QCC_CPU_ASSUME_NO_AVX2)
  return 0;
#elif (defined(__GNUC__) || defined(__clang__)) && (defined(__x86_64__) || defined(__i386__))
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("avx512f") &&
         __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512vnni");
#else
  return 1;
#endif
}

#endif /* QCC_CPU_AVX2_H */
