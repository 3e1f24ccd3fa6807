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

/* msc-trace-target-unwind.c */
void msc_trace_target_unwind (void);
