/* bench-util.h — what the benchmarks share: best-of timing, the references
 * (a plain smaps read, a whole command run) and the test target. */
#pragma once

#include <glib.h>

/* Runs per figure; each figure is the best of them. */
#define BENCH_RUNS 5

typedef double (*BenchFn) (gpointer data);

/* Seconds: the best of BENCH_RUNS calls of fn. */
double bench_best_of        (BenchFn fn, gpointer data);
/* One plain read of /proc/PID/smaps (PID as GUINT_TO_POINTER). */
double bench_time_read_smaps (gpointer data);
/* One run of the command argv (char **, NULL-terminated), output dropped. */
double bench_time_command   (gpointer data);
/* msc-test-target with N VMAs and TOUCH_MIB touched, once it is ready. */
GPid   bench_start_target   (const char *target, long n_vmas, long touch_mib);
