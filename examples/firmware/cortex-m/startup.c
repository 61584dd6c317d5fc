/*
 * Minimal Cortex-M startup for qcc firmware on MPS2 AN386 (QEMU -M mps2-an386): vector table, reset handler
 * (copies .data from flash, zeroes .bss), the command line and exit through Arm semihosting, and a fault
 * handler that reports and exits instead of hanging. stdio goes through newlib's rdimon (semihosting
 * open/read/write, so printf prints on QEMU's stdout and fopen reads host files).
 */
#include <stdint.h>
#include <string.h>

extern uint32_t __data_start__, __data_end__, __data_load__, __bss_start__, __bss_end__, __stack_top;
extern int main(int argc, char **argv);
extern void initialise_monitor_handles(void);
extern void exit(int status);

void qcc_reset_handler(void);
void qcc_fault_handler(void);

/* Arm semihosting call (BKPT 0xAB on M-profile): r0 = operation, r1 = parameter block. */
static int32_t qcc_semihost(int32_t op, void *arg) {
  register int32_t r0 __asm__("r0") = op;
  register void *r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

#define QCC_SYS_GET_CMDLINE 0x15
#define QCC_SYS_EXIT 0x18
#define QCC_ADP_STOPPED_RUNTIME_ERROR 0x20023

__attribute__((section(".vectors"), used)) static void (*const qcc_vectors[16])(void) = {
    (void (*)(void))(&__stack_top), qcc_reset_handler, qcc_fault_handler, qcc_fault_handler,
    qcc_fault_handler, qcc_fault_handler, qcc_fault_handler, 0, 0, 0, 0,
    qcc_fault_handler, qcc_fault_handler, 0, qcc_fault_handler, qcc_fault_handler,
};

void qcc_fault_handler(void) {
  static const char msg[] = "qcc startup: fault\n";
  qcc_semihost(0x04 /* SYS_WRITE0 */, (void *)msg);
  for (;;) qcc_semihost(QCC_SYS_EXIT, (void *)QCC_ADP_STOPPED_RUNTIME_ERROR);
}

/* crti/crtn are not linked (-nostartfiles); newlib's exit still calls _fini. No C++ constructors here. */
void _init(void);
void _fini(void);
void _init(void) {}
void _fini(void) {}

static char qcc_cmdline[8192];
static char *qcc_argv[256];

/* argv from the semihosting command line (QEMU: -semihosting-config ...,arg=prog,arg=...); split on spaces. */
static int qcc_args(void) {
  struct { char *buf; int32_t len; } blk = { qcc_cmdline, (int32_t)sizeof qcc_cmdline - 1 };
  int argc = 0;
  char *p = qcc_cmdline;
  if (qcc_semihost(QCC_SYS_GET_CMDLINE, &blk) != 0) return 0;
  qcc_cmdline[sizeof qcc_cmdline - 1] = '\0';
  while (*p != '\0' && argc < 255) {
    while (*p == ' ') *p++ = '\0';
    if (*p == '\0') break;
    qcc_argv[argc++] = p;
    while (*p != '\0' && *p != ' ') p++;
  }
  qcc_argv[argc] = 0;
  return argc;
}

void qcc_reset_handler(void) {
  int argc;
  memcpy(&__data_start__, &__data_load__, (size_t)((char *)&__data_end__ - (char *)&__data_start__));
  memset(&__bss_start__, 0, (size_t)((char *)&__bss_end__ - (char *)&__bss_start__));
  initialise_monitor_handles();
  argc = qcc_args();
  exit(main(argc, qcc_argv));
}
