/* msc-trace-target-unwind.c — the unwind mode of msc-trace-target: one
 * allocating loop, deep in a recursion, reached through outer frames that
 * differ while its own frame (return address, stack pointer, frame
 * register) is the same every time — the case a cache of unwound frames
 * keyed on the frame alone gets wrong:
 *
 *   via_p / via_q   twins with one frame layout: the loop's frame is the
 *                   same through either; P and Q sizes alternate,
 *                   MSC_TARGET_UNWIND_PASSES passes each
 *   via_jump        the loop's last pass longjmps back past all its
 *                   frames; via_after then reaches it again (AFTER)
 *   on_usr2         a signal raised inside the loop allocates HANDLER
 *                   from its handler, then the loop goes on
 *
 * Every block of a size must carry its own path's function and not the
 * other's (tests/linux/test-linux-trace-cases.c, /trace/unwind-cache).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>

#include "tests/targets/msc-trace-target.h"

#define NOINLINE __attribute__ ((noinline))
#define DEPTH 50

static volatile int after_p, after_q, after_jump, after_after, after_deep;
static jmp_buf back;
static volatile int jump_out, signal_at;
/* Read from memory, not passed down: the loop's registers must not tell
 * one path from another. */
static volatile size_t size;

static void
on_usr2 (int signo)
{
  void *volatile block = malloc (MSC_TARGET_UNWIND_HANDLER);

  (void) signo;
  free (block);
}

NOINLINE static void
unwind_loop (void)
{
  for (int i = 0; i < MSC_TARGET_UNWIND_REPS; i++)
    {
      void *volatile block = malloc (size);

      free (block);
      if (i == signal_at)
        raise (SIGUSR2);
    }
  if (jump_out)
    longjmp (back, 1);
}

/* The store after the call keeps it a call, not a jump. */
NOINLINE static void
deep (int depth)
{
  if (depth <= 1)
    unwind_loop ();
  else
    deep (depth - 1);
  after_deep++;
}

/* The ways in: one frame layout each, told apart only by the return
 * address into them (and the counter they bump, so that no two are
 * merged into one function). */
#define MSC_VIA(name, counter)   \
  NOINLINE static void           \
  name (size_t bytes)            \
  {                              \
    size = bytes;                \
    deep (DEPTH);                \
    counter++;                   \
  }

MSC_VIA (via_p, after_p)
MSC_VIA (via_q, after_q)
MSC_VIA (via_jump, after_jump)
MSC_VIA (via_after, after_after)

void
msc_trace_target_unwind (void)
{
  signal_at = -1;
  for (int pass = 0; pass < MSC_TARGET_UNWIND_PASSES; pass++)
    {
      via_p (MSC_TARGET_UNWIND_P);
      via_q (MSC_TARGET_UNWIND_Q);
    }
  jump_out = 1;
  if (setjmp (back) == 0)
    via_jump (MSC_TARGET_UNWIND_JUMPED);
  jump_out = 0;
  via_after (MSC_TARGET_UNWIND_AFTER);
  signal (SIGUSR2, on_usr2);
  signal_at = MSC_TARGET_UNWIND_REPS / 2;
  via_p (MSC_TARGET_UNWIND_P);
}
