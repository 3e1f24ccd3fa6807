/* msc-trace-preload.h — private to libmemscope-trace.so, the library the
 * launcher preloads into a traced program.  Plain C, no GLib, and nothing
 * on a hook path allocates: the hooks ARE the allocator's entry points.
 *
 *   msc-trace-preload.c  malloc-family, exec, fork, dlopen hooks; start-up
 *   msc-trace-patch.c    libc's own mmap/munmap/mremap/mprotect/madvise/brk
 *   msc-trace-record.c   per-thread buffers, stacks, the channel
 *   msc-trace-unwind.c   a repeated stack checked instead of unwound
 *   msc-trace-maps.c     what ld.so maps and unmaps in dlopen/dlclose
 *   msc-trace-follow.c   --follow-children: a channel of its own for each
 *                        other process that loads the tracer
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "backends/backend.h"
#include "backends/linux/msc-trace-wire.h"

#define MSC_HIDDEN __attribute__ ((visibility ("hidden")))

/* Set once start-up decided this process is the one to trace. */
extern int msc_tr_enabled MSC_HIDDEN;

/* Per-thread re-entry guard: set while the tracer itself runs (unwinding,
 * sending), so what it calls (libunwind's mmap, a malloc from a signal
 * handler) passes straight through instead of recording into a half-written
 * buffer. */
extern __thread int msc_tr_busy MSC_HIDDEN;

/* msc-trace-clock.c: the event clock, ns on CLOCK_MONOTONIC's scale. */
MSC_HIDDEN void msc_tr_clock_init (void);
MSC_HIDDEN uint64_t msc_tr_now (void);

/* msc-trace-record.c */
MSC_HIDDEN void msc_tr_record_init (int fd);
/* caller: the hook's return address, the one frame kept should unwinding
 * find nothing past the tracer's own (then the call still names its
 * allocating function). */
#define MSC_TR_CALLER ((uint64_t) (uintptr_t) __builtin_return_address (0))
MSC_HIDDEN uint64_t msc_tr_stack (uint64_t caller);
MSC_HIDDEN void msc_tr_alloc (int op, void *address, size_t size, uint64_t caller);
MSC_HIDDEN void msc_tr_free (void *address);
MSC_HIDDEN void msc_tr_op (const MscWireOp *op, uint64_t caller);
MSC_HIDDEN void msc_tr_hello (int patched);
MSC_HIDDEN void msc_tr_modules (void);
MSC_HIDDEN void msc_tr_note (const char *text);
/* Sends every thread's buffered records (exit, _exit, exec). */
MSC_HIDDEN void msc_tr_flush_all (void);
/* Tells memscope the process is exiting and waits for its snapshot. */
MSC_HIDDEN void msc_tr_exit_handshake (void);
/* In a forked child: forget the channel, record nothing. */
MSC_HIDDEN void msc_tr_forked_child (void);
/* In a forked child that is followed: the parent's buffers dropped, fd
 * its channel from now on. */
MSC_HIDDEN void msc_tr_record_restart (int fd);
/* How the process ends: its exit code, sent alone (--follow-children). */
MSC_HIDDEN void msc_tr_status (int code);

/* msc-trace-unwind.c: the last stack's outer frames, kept per thread and
 * checked in memory instead of unwound again (docs/tracing.md, "Stacks"). */
#define MSC_TR_UNWIND_WORDS (3 * MSC_WIRE_MAX_FRAMES)

/* The frame that called into the tracer: its return address, stack pointer
 * and frame register as they were at the call. */
typedef struct {
  uint64_t ip, sp, bp;
} MscTrTop;

typedef struct {
  uint64_t address, value;
} MscTrWord;

typedef struct {
  int valid;
  int tried;          /* a fill was made (valid or not) */
  int n_frames;
  int n_words;
  uint32_t hits;      /* since it was filled */
  uint32_t repeats;   /* stacks asked in a row from last's frame */
  uint32_t need;      /* repeats before a fill; grows while fills do not pay */
  MscTrTop top, last;
  uint64_t hash;
  uint64_t frames[MSC_WIRE_MAX_FRAMES];
  MscTrWord words[MSC_TR_UNWIND_WORDS];
} MscTrUnwind;

/* The tracer's own code: frames in it are never part of a stack. */
extern uint64_t msc_tr_self_start MSC_HIDDEN, msc_tr_self_end MSC_HIDDEN;

/* 0 when the tracer's own frame chain does not lead out of it. */
MSC_HIDDEN int msc_tr_unwind_top (MscTrTop *top);
/* The kept stack when top is its frame and nothing it was unwound from
 * has changed, else NULL. */
MSC_HIDDEN const uint64_t *msc_tr_unwind_lookup (MscTrUnwind *u, const MscTrTop *top, int *n, uint64_t *hash);
/* After a full unwind from top: frames (top's first) and their hash. */
MSC_HIDDEN void msc_tr_unwind_learn (MscTrUnwind *u, const MscTrTop *top, const uint64_t *frames, int n,
                                     uint64_t hash);
MSC_HIDDEN void msc_tr_unwind_reset (MscTrUnwind *u);

/* msc-trace-follow.c: reads MEMSCOPE_TRACE_FOLLOW_FD (start-up, each image). */
MSC_HIDDEN void msc_tr_follow_init (void);
/* Non-zero when memscope follows the processes the traced one starts. */
MSC_HIDDEN int msc_tr_following (void);
/* A new channel for this process, its other end handed to memscope; -1
 * when not following or memscope would not take it.  Allocates nothing
 * (a fork child's handler). */
MSC_HIDDEN int msc_tr_follow_connect (void);

/* msc-trace-maps.c: around a dlopen or dlclose.  begin returns 1 when it
 * read the mappings (and holds its lock): then end must follow, and records
 * the difference with caller's stack. */
MSC_HIDDEN int msc_tr_maps_begin (void);
MSC_HIDDEN void msc_tr_maps_end (uint64_t caller);
/* In a fork child: the lock may have been held by a thread that is gone. */
MSC_HIDDEN void msc_tr_maps_forked (void);

/* msc-trace-patch.c: 1 when libc's entries now lead to us, else 0 with a
 * note sent saying why. */
MSC_HIDDEN int msc_tr_patch_libc (void);
/* The raw system call, never traced. */
MSC_HIDDEN long msc_tr_syscall6 (long nr, long a, long b, long c, long d, long e, long f);
/* Non-zero when a raw result is an error (-errno). */
MSC_HIDDEN int msc_tr_failed (long ret);
/* size bytes of anonymous read/write memory by the raw call (never
 * malloc, never traced); NULL when refused. */
MSC_HIDDEN void *msc_tr_raw_map (size_t size);
/* Gives back what msc_tr_raw_map() gave (NULL: nothing). */
MSC_HIDDEN void msc_tr_raw_unmap (void *p, size_t size);
