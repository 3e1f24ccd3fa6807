/* msc-trace-target.h — the parts of the tracer's test target kept in files
 * of their own. */
#pragma once

/* Sizes the unwind mode allocates, one per way of reaching its loop. */
#define MSC_TARGET_UNWIND_P       6101
#define MSC_TARGET_UNWIND_Q       6102
#define MSC_TARGET_UNWIND_JUMPED  6103
#define MSC_TARGET_UNWIND_AFTER   6104
#define MSC_TARGET_UNWIND_HANDLER 6105
/* Blocks each pass of the loop allocates (and frees). */
#define MSC_TARGET_UNWIND_REPS    300
#define MSC_TARGET_UNWIND_PASSES  3

/* The exit-busy mode: thread w's i-th block.  Each thread's sizes are its
 * own, above every other size the target allocates and below glibc's mmap
 * threshold (128 KiB). */
#define MSC_TARGET_BUSY_THREADS   3
#define MSC_TARGET_BUSY_CYCLE     40000
#define MSC_TARGET_BUSY_BASE      10000
#define MSC_TARGET_BUSY_SIZE(w, i) \
  (MSC_TARGET_BUSY_BASE + (w) * MSC_TARGET_BUSY_CYCLE + (i) % MSC_TARGET_BUSY_CYCLE)
#define MSC_TARGET_BUSY_MIN       2000

/* msc-trace-target-unwind.c */
void msc_trace_target_unwind (void);
