/* msc-trace-unwind.c — not unwinding the same stack again (see
 * docs/tracing.md, "Stacks": why this is exact, and what it assumes).
 *
 * A full unwind is a function of the calling frame's return address, stack
 * pointer and frame register, and of the memory words the unwinder reads:
 * where each frame's return address and saved frame register are, and the
 * word a realigned frame's CFA is loaded from.  When a thread asks for
 * stacks from one frame again and again (a loop that allocates), the frame
 * is unwound once more, step by step, noting the address of each word the
 * unwinder read; from then on, while the frame is the same and every noted
 * word still holds its value, the unwind would give the same frames, and
 * they are taken from here after one pass over the words.
 *
 * The step-by-step unwind costs microseconds a frame (libunwind masks
 * signals with a system call around its cache): some 370 fast unwinds of
 * the same stack.  So a thread fills only after `need` full unwinds in a
 * row from one frame; a fill that then served fewer than MSC_TR_PAYOFF
 * stacks makes the next wait four times longer, one that served more
 * makes it four times shorter.  Stacks that alternate between two paths
 * through one frame (the worst case: every other stack misses) settle
 * where each fill serves about `need` stacks, well past paying.
 */
#define _GNU_SOURCE
#include "backends/linux/msc-trace-preload.h"

#include <string.h>

#define UNW_LOCAL_ONLY
#include <libunwind.h>

#define MSC_TR_NEED_MIN 2
#define MSC_TR_NEED_MAX (1u << 20)
/* Hits that pay for a fill, with room to spare (see above). */
#define MSC_TR_PAYOFF 1024
/* The tracer's own frames between its entry and the unwinding. */
#define MSC_TR_OWN_MAX 16

/* Walks the tracer's frame-pointer chain (it is built with frame
 * pointers) to the frame that called it. */
__attribute__ ((noinline)) int
msc_tr_unwind_top (MscTrTop *top)
{
  const uint64_t *fp = __builtin_frame_address (0);

  for (int i = 0; i < MSC_TR_OWN_MAX; i++)
    {
      const uint64_t *up = (const uint64_t *) fp[0];

      if (fp[1] < msc_tr_self_start || fp[1] >= msc_tr_self_end)
        {
          top->ip = fp[1];
          top->sp = (uint64_t) (uintptr_t) (fp + 2);
          top->bp = fp[0];
          return 1;
        }
      if (up <= fp)
        return 0;
      fp = up;
    }
  return 0;
}

static int
msc_tr_same_top (const MscTrTop *a, const MscTrTop *b)
{
  return a->ip == b->ip && a->sp == b->sp && a->bp == b->bp;
}

const uint64_t *
msc_tr_unwind_lookup (MscTrUnwind *u, const MscTrTop *top, int *n, uint64_t *hash)
{
  if (!u->valid || !msc_tr_same_top (top, &u->top))
    return NULL;
  for (int i = 0; i < u->n_words; i++)
    if (*(const volatile uint64_t *) (uintptr_t) u->words[i].address != u->words[i].value)
      return NULL;
  u->hits++;
  *n = u->n_frames;
  *hash = u->hash;
  return u->frames;
}

static int
msc_tr_note_word (MscTrUnwind *u, uint64_t address)
{
  if (u->n_words == MSC_TR_UNWIND_WORDS)
    return 0;
  u->words[u->n_words].address = address;
  u->words[u->n_words].value = *(const uint64_t *) (uintptr_t) address;
  u->n_words++;
  return 1;
}

/* Where the unwinder found register reg of the cursor's frame.  Below the
 * calling frame's stack pointer is the tracer's own stack: a value saved
 * there is the calling frame's register itself, which top holds.  The
 * return address must come from memory. */
static int
msc_tr_note_loc (MscTrUnwind *u, unw_cursor_t *c, int reg, uint64_t floor)
{
  unw_save_loc_t loc;

  if (unw_get_save_loc (c, reg, &loc) < 0)
    return 0;
  if (loc.type == UNW_SLT_MEMORY && loc.u.addr >= floor)
    return msc_tr_note_word (u, loc.u.addr);
  return reg != UNW_REG_IP;
}

/* Steps the cursor from inside the tracer to the calling frame. */
static int
msc_tr_step_to_top (unw_cursor_t *c, const MscTrTop *top)
{
  unw_word_t ip, sp, bp;

  for (int i = 0; i < MSC_TR_OWN_MAX; i++)
    {
      if (unw_step (c) <= 0 || unw_get_reg (c, UNW_REG_IP, &ip) < 0 || unw_get_reg (c, UNW_REG_SP, &sp) < 0)
        return 0;
      if (ip == top->ip && sp == top->sp)
        return unw_get_reg (c, UNW_X86_64_RBP, &bp) == 0 && bp == top->bp;
    }
  return 0;
}

/* One step out of a frame whose registers were sp and bp, noting what
 * the step read.  A frame realigned through a saved stack pointer (GCC's
 * DRAP) loads its CFA from just below its frame register: that word too,
 * when it holds the CFA found. */
static int
msc_tr_fill_step (MscTrUnwind *u, unw_cursor_t *c, uint64_t sp, uint64_t bp, uint64_t floor)
{
  unw_word_t next_sp;

  if (unw_is_signal_frame (c) != 0 || unw_step (c) <= 0 || unw_get_reg (c, UNW_REG_SP, &next_sp) < 0)
    return 0;
  if (!msc_tr_note_loc (u, c, UNW_REG_IP, floor) || !msc_tr_note_loc (u, c, UNW_X86_64_RBP, floor))
    return 0;
  if (bp >= sp + 8 && bp - 8 < next_sp && *(const uint64_t *) (uintptr_t) (bp - 8) == next_sp)
    return msc_tr_note_word (u, bp - 8);
  return 1;
}

/* The slow unwind from top that notes its words; it must find exactly the
 * frames the fast one did. */
static __attribute__ ((noinline)) int
msc_tr_fill (MscTrUnwind *u, const MscTrTop *top, const uint64_t *frames, int n)
{
  unw_context_t context;
  unw_cursor_t c;

  if (unw_getcontext (&context) < 0 || unw_init_local (&c, &context) < 0 || !msc_tr_step_to_top (&c, top))
    return 0;
  for (int k = 0; k < n; k++)
    {
      unw_word_t ip, sp, bp;

      if (unw_get_reg (&c, UNW_REG_IP, &ip) < 0 || ip != frames[k])
        return 0;
      if (k + 1 == n)
        break;
      if (unw_get_reg (&c, UNW_REG_SP, &sp) < 0 || unw_get_reg (&c, UNW_X86_64_RBP, &bp) < 0
          || !msc_tr_fill_step (u, &c, sp, bp, top->sp))
        return 0;
    }
  return 1;
}

void
msc_tr_unwind_learn (MscTrUnwind *u, const MscTrTop *top, const uint64_t *frames, int n, uint64_t hash)
{
  if (top->ip == u->last.ip && top->sp == u->last.sp)
    u->repeats++;
  else
    {
      u->last = *top;
      u->repeats = 0;
    }
  if (u->need == 0)
    u->need = MSC_TR_NEED_MIN;
  if (u->repeats < u->need || n <= 0 || n > MSC_WIRE_MAX_FRAMES)
    return;
  /* The last fill, if any, had its chance: did it pay? */
  if (u->tried && (!u->valid || u->hits < MSC_TR_PAYOFF))
    u->need = u->need < MSC_TR_NEED_MAX / 4 ? u->need * 4 : MSC_TR_NEED_MAX;
  else if (u->tried)
    u->need = u->need / 4 > MSC_TR_NEED_MIN ? u->need / 4 : MSC_TR_NEED_MIN;
  u->tried = 1;
  u->repeats = 0;
  u->valid = 0;
  u->hits = 0;
  u->n_words = 0;
  if (!msc_tr_fill (u, top, frames, n))
    return;
  u->top = *top;
  u->n_frames = n;
  u->hash = hash;
  memcpy (u->frames, frames, (size_t) n * sizeof frames[0]);
  u->valid = 1;
}

void
msc_tr_unwind_reset (MscTrUnwind *u)
{
  memset (u, 0, sizeof *u);
}
