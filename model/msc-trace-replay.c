/* msc-trace-replay.c — see msc-trace-replay.h.
 *
 * Threads send their records in batches, so arrival order is not time
 * order across threads (a free may arrive before the malloc it ends): the
 * replay walks an index sorted by time, ties in arrival order.
 */
#include "config.h"

#include <stdlib.h>

#include "model/msc-trace-replay.h"

#define MSC_PAGE 4096u

struct _MscTraceReplay {
  MscTrace     *trace;
  MscReplayKind kind;
  guint32      *order;   /* event indexes by time */
  guint         n;
  guint         next;    /* position in order */
  GHashTable   *blocks;  /* heap: address → MscLiveBlock * */
  GArray       *ranges;  /* mappings: MscLiveBlock, ascending, disjoint */
};

static MscTrace *msc_sort_trace;

static int
msc_by_time (const void *a, const void *b)
{
  guint32 ia = *(const guint32 *) a, ib = *(const guint32 *) b;
  guint64 ta = msc_trace_get_event (msc_sort_trace, ia)->time;
  guint64 tb = msc_trace_get_event (msc_sort_trace, ib)->time;

  if (ta != tb)
    return ta < tb ? -1 : 1;
  return ia < ib ? -1 : ia > ib;
}

MscTraceReplay *
msc_trace_replay_new (MscTrace *trace, MscReplayKind kind)
{
  static GMutex sort_lock;
  MscTraceReplay *r = g_new0 (MscTraceReplay, 1);

  r->trace = g_object_ref (trace);
  r->kind = kind;
  r->n = msc_trace_get_n_events (trace);
  r->order = g_new (guint32, MAX (r->n, 1));
  for (guint i = 0; i < r->n; i++)
    r->order[i] = i;
  /* qsort has no user pointer; the lock keeps two sorts apart. */
  g_mutex_lock (&sort_lock);
  msc_sort_trace = trace;
  qsort (r->order, r->n, sizeof *r->order, msc_by_time);
  msc_sort_trace = NULL;
  g_mutex_unlock (&sort_lock);
  r->blocks = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
  r->ranges = g_array_new (FALSE, FALSE, sizeof (MscLiveBlock));
  return r;
}

void
msc_trace_replay_free (MscTraceReplay *r)
{
  if (r == NULL)
    return;
  g_object_unref (r->trace);
  g_free (r->order);
  g_hash_table_unref (r->blocks);
  g_array_unref (r->ranges);
  g_free (r);
}

static void
msc_added (const MscReplayHooks *hooks, const MscLiveBlock *block)
{
  if (hooks != NULL && hooks->added != NULL)
    hooks->added (hooks->user, block);
}

static void
msc_released (const MscReplayHooks *hooks, const MscLiveBlock *block, guint64 bytes)
{
  if (hooks != NULL && hooks->released != NULL && bytes > 0)
    hooks->released (hooks->user, block, bytes);
}

/* ---- heap blocks ---- */

static void
msc_heap_release (MscTraceReplay *r, guint64 address, const MscReplayHooks *hooks)
{
  MscLiveBlock *block = g_hash_table_lookup (r->blocks, &address);

  if (block == NULL)
    return; /* freed before tracing began, or its malloc went unrecorded */
  msc_released (hooks, block, block->size);
  g_hash_table_remove (r->blocks, &address);
}

static void
msc_heap_add (MscTraceReplay *r, guint event, const MscTraceRecord *e, const MscReplayHooks *hooks)
{
  MscLiveBlock *block = g_new (MscLiveBlock, 1);

  /* Still listed: its free went unrecorded (a signal handler's). */
  msc_heap_release (r, e->address, hooks);
  *block = (MscLiveBlock) { e->address, e->size, e->stack, event };
  g_hash_table_insert (r->blocks, &block->address, block);
  msc_added (hooks, block);
}

static void
msc_heap_event (MscTraceReplay *r, guint event, const MscReplayHooks *hooks)
{
  const MscTraceRecord *e = msc_trace_get_event (r->trace, event);
  const MscTraceExtra *x;

  switch (e->op)
    {
    case MSC_TRACE_FREE:
      msc_heap_release (r, e->address, hooks);
      break;
    case MSC_TRACE_REALLOC:
    case MSC_TRACE_REALLOCARRAY:
      x = msc_trace_get_extra (r->trace, event);
      /* A failed realloc leaves the old block; realloc (p, 0) frees it. */
      if (x != NULL && x->old_address != 0 && (e->address != 0 || e->size == 0))
        msc_heap_release (r, x->old_address, hooks);
      if (e->address != 0)
        msc_heap_add (r, event, e, hooks);
      break;
    default:
      if (msc_trace_op_is_heap (e->op) && e->address != 0)
        msc_heap_add (r, event, e, hooks);
    }
}

/* ---- mapped ranges ---- */

static guint64
msc_page_up (guint64 size)
{
  return (size + MSC_PAGE - 1) & ~(guint64) (MSC_PAGE - 1);
}

/* First range whose end lies above address. */
static guint
msc_ranges_find (GArray *ranges, guint64 address)
{
  guint lo = 0, hi = ranges->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const MscLiveBlock *b = &g_array_index (ranges, MscLiveBlock, mid);

      if (b->address + b->size <= address)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static void
msc_ranges_remove (MscTraceReplay *r, guint64 start, guint64 end, const MscReplayHooks *hooks)
{
  guint i = msc_ranges_find (r->ranges, start);

  while (i < r->ranges->len)
    {
      MscLiveBlock b = g_array_index (r->ranges, MscLiveBlock, i);
      guint64 b_end = b.address + b.size;
      guint64 cut_start = MAX (b.address, start), cut_end = MIN (b_end, end);

      if (b.address >= end)
        break;
      msc_released (hooks, &b, cut_end - cut_start);
      g_array_remove_index (r->ranges, i);
      if (b_end > end)
        {
          MscLiveBlock right = { end, b_end - end, b.stack, b.event };

          g_array_insert_val (r->ranges, i, right);
        }
      if (b.address < start)
        {
          MscLiveBlock left = { b.address, start - b.address, b.stack, b.event };

          g_array_insert_val (r->ranges, i, left);
          i++;
        }
    }
}

static void
msc_ranges_add (MscTraceReplay *r, guint event, guint64 start, guint64 size, guint32 stack,
                const MscReplayHooks *hooks)
{
  MscLiveBlock block = { start, size, stack, event };

  if (size == 0)
    return;
  msc_ranges_remove (r, start, start + size, hooks);
  g_array_insert_val (r->ranges, msc_ranges_find (r->ranges, start), block);
  msc_added (hooks, &block);
}

static void
msc_mapping_event (MscTraceReplay *r, guint event, const MscReplayHooks *hooks)
{
  const MscTraceRecord *e = msc_trace_get_event (r->trace, event);
  const MscTraceExtra *x = msc_trace_get_extra (r->trace, event);

  if (x != NULL && x->error != 0)
    return;
  switch (e->op)
    {
    case MSC_TRACE_MMAP:
      msc_ranges_add (r, event, e->address, msc_page_up (e->size), e->stack, hooks);
      break;
    case MSC_TRACE_MUNMAP:
      msc_ranges_remove (r, e->address, e->address + msc_page_up (e->size), hooks);
      break;
    case MSC_TRACE_MREMAP:
      if (x != NULL)
        msc_ranges_remove (r, x->old_address, x->old_address + msc_page_up (x->old_size), hooks);
      msc_ranges_add (r, event, e->address, msc_page_up (e->size), e->stack, hooks);
      break;
    case MSC_TRACE_BRK:
      if (x != NULL && e->address > x->old_address)
        msc_ranges_add (r, event, x->old_address, e->address - x->old_address, e->stack, hooks);
      else if (x != NULL)
        msc_ranges_remove (r, e->address, x->old_address, hooks);
      break;
    default:
      break;
    }
}

void
msc_trace_replay_run (MscTraceReplay *r, guint64 time, const MscReplayHooks *hooks)
{
  for (; r->next < r->n; r->next++)
    {
      guint event = r->order[r->next];

      if (msc_trace_get_event (r->trace, event)->time > time)
        break;
      if (r->kind == MSC_REPLAY_HEAP)
        msc_heap_event (r, event, hooks);
      else
        msc_mapping_event (r, event, hooks);
    }
}

static gint
msc_by_address (gconstpointer a, gconstpointer b)
{
  guint64 x = ((const MscLiveBlock *) a)->address, y = ((const MscLiveBlock *) b)->address;

  return x < y ? -1 : x > y;
}

GArray *
msc_trace_replay_live (MscTraceReplay *r)
{
  GArray *live;
  GHashTableIter iter;
  gpointer value;

  if (r->kind == MSC_REPLAY_MAPPINGS)
    return g_array_copy (r->ranges);
  live = g_array_sized_new (FALSE, FALSE, sizeof (MscLiveBlock), g_hash_table_size (r->blocks));
  g_hash_table_iter_init (&iter, r->blocks);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_array_append_vals (live, value, 1);
  g_array_sort (live, msc_by_address);
  return live;
}

GArray *
msc_trace_live_in (MscTrace *trace, MscReplayKind kind, guint64 time, guint64 start, guint64 end)
{
  g_autoptr(MscTraceReplay) replay = msc_trace_replay_new (trace, kind);
  GArray *live;
  guint kept = 0;

  msc_trace_replay_run (replay, time, NULL);
  live = msc_trace_replay_live (replay);
  for (guint i = 0; i < live->len; i++)
    {
      const MscLiveBlock *b = &g_array_index (live, MscLiveBlock, i);

      if (b->address < end && b->address + MAX (b->size, 1) > start)
        g_array_index (live, MscLiveBlock, kept++) = *b;
    }
  g_array_set_size (live, kept);
  return live;
}

static gint
msc_region_op_cmp (gconstpointer a, gconstpointer b, gpointer trace)
{
  const MscRegionOp *x = a, *y = b;
  guint64 tx = msc_trace_get_event (trace, x->event)->time, ty = msc_trace_get_event (trace, y->event)->time;

  if (tx != ty)
    return tx < ty ? -1 : 1;
  return x->event < y->event ? -1 : x->event > y->event;
}

GArray *
msc_trace_heap_ops_in (MscTrace *trace, guint64 time, guint64 start, guint64 end)
{
  g_autoptr(GArray) live = msc_trace_live_in (trace, MSC_REPLAY_HEAP, time, start, end);
  g_autoptr(GHashTable) live_events = g_hash_table_new (NULL, NULL);
  GArray *ops = g_array_new (FALSE, FALSE, sizeof (MscRegionOp));

  for (guint i = 0; i < live->len; i++)
    g_hash_table_add (live_events, GUINT_TO_POINTER (g_array_index (live, MscLiveBlock, i).event + 1));
  for (guint i = 0; i < msc_trace_get_n_events (trace); i++)
    {
      const MscTraceRecord *e = msc_trace_get_event (trace, i);
      MscRegionOp op = { i, FALSE };

      if (!msc_trace_op_is_heap (e->op) || e->time > time || e->address < start || e->address >= end
          || (e->address == 0 && e->op != MSC_TRACE_FREE))
        continue;
      op.live = e->op != MSC_TRACE_FREE && g_hash_table_contains (live_events, GUINT_TO_POINTER (i + 1));
      g_array_append_val (ops, op);
    }
  g_array_sort_with_data (ops, msc_region_op_cmp, trace);
  return ops;
}
