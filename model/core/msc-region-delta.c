/* msc-region-delta.c — building a delta by one merge of two ordered
 * tables, and applying a chain of deltas by one merge with the base.
 */
#include "model/core/msc-region-delta.h"

#include <stdlib.h>
#include <string.h>

struct MscRegionDelta {
  MscRegionTable *changed;
  uint64_t       *removed;    /* ascending */
  size_t          n_removed;
};

void
msc_region_delta_free (MscRegionDelta *delta)
{
  if (delta == NULL)
    return;
  msc_region_table_free (delta->changed);
  free (delta->removed);
  free (delta);
}

static uint64_t
msc_top_address (const MscRegionTable *table, size_t k)
{
  return msc_region_table_get (table, msc_region_table_top_level (table, k))->address;
}

/* Appends from's allocation at top (and its sub-blocks) to table. */
static int
msc_copy_allocation (MscRegionTable *table, const MscRegionTable *from, size_t top)
{
  size_t end = top + 1 + msc_region_table_n_children (from, top);

  for (size_t i = top; i < end; i++)
    if (msc_region_table_append_from (table, from, i) != 0)
      return -1;
  return 0;
}

static int
msc_same_allocation (const MscRegionTable *a, size_t ia, const MscRegionTable *b, size_t ib)
{
  size_t n = msc_region_table_n_children (a, ia);

  if (n != msc_region_table_n_children (b, ib))
    return 0;
  for (size_t i = 0; i <= n; i++)
    if (!msc_region_table_same (a, ia + i, b, ib + i))
      return 0;
  return 1;
}

static int
msc_push_removed (MscRegionDelta *delta, size_t *capacity, uint64_t address)
{
  if (delta->n_removed == *capacity)
    {
      size_t cap = *capacity ? *capacity * 2 : 8;
      uint64_t *grown = realloc (delta->removed, cap * sizeof *grown);

      if (grown == NULL)
        return -1;
      delta->removed = grown;
      *capacity = cap;
    }
  delta->removed[delta->n_removed++] = address;
  return 0;
}

static int
msc_delta_merge (MscRegionDelta *delta, const MscRegionTable *prev, const MscRegionTable *next)
{
  size_t np = msc_region_table_n_top_level (prev), nn = msc_region_table_n_top_level (next);
  size_t kp = 0, kn = 0, removed_capacity = 0;

  while (kp < np || kn < nn)
    {
      uint64_t ap = kp < np ? msc_top_address (prev, kp) : UINT64_MAX;
      uint64_t an = kn < nn ? msc_top_address (next, kn) : UINT64_MAX;
      int only_prev = kn >= nn || (kp < np && ap < an);
      int only_next = kp >= np || (kn < nn && an < ap);

      if (only_prev)
        {
          if (msc_push_removed (delta, &removed_capacity, ap) != 0)
            return -1;
          kp++;
          continue;
        }
      if (only_next || !msc_same_allocation (prev, msc_region_table_top_level (prev, kp),
                                             next, msc_region_table_top_level (next, kn)))
        {
          if (msc_copy_allocation (delta->changed, next, msc_region_table_top_level (next, kn)) != 0)
            return -1;
        }
      kp += !only_next;
      kn++;
    }
  return 0;
}

MscRegionDelta *
msc_region_delta_new (const MscRegionTable *prev, const MscRegionTable *next)
{
  MscRegionDelta *delta;

  if (!msc_region_table_is_ordered (prev) || !msc_region_table_is_ordered (next))
    return NULL;
  delta = calloc (1, sizeof *delta);
  if (delta == NULL)
    return NULL;
  delta->changed = msc_region_table_new_sharing (prev);
  if (delta->changed == NULL || msc_delta_merge (delta, prev, next) != 0)
    {
      msc_region_delta_free (delta);
      return NULL;
    }
  msc_region_table_trim (delta->changed);
  if (delta->n_removed > 0)
    {
      uint64_t *shrunk = realloc (delta->removed, delta->n_removed * sizeof *shrunk);

      if (shrunk != NULL)
        delta->removed = shrunk;
    }
  return delta;
}

const MscRegionTable *
msc_region_delta_changed (const MscRegionDelta *delta)
{
  return delta->changed;
}

size_t
msc_region_delta_n_removed (const MscRegionDelta *delta)
{
  return delta->n_removed;
}

uint64_t
msc_region_delta_removed (const MscRegionDelta *delta, size_t i)
{
  return i < delta->n_removed ? delta->removed[i] : 0;
}

size_t
msc_region_delta_n_records (const MscRegionDelta *delta)
{
  return msc_region_table_length (delta->changed) + delta->n_removed;
}

size_t
msc_region_delta_memory_size (const MscRegionDelta *delta)
{
  return sizeof *delta + msc_region_table_records_size (delta->changed)
         + delta->n_removed * sizeof *delta->removed;
}

int
msc_region_delta_touches (const MscRegionDelta *delta, uint64_t address, MscRegionDeltaCursor *cursor)
{
  size_t n_changed = msc_region_table_n_top_level (delta->changed);

  while (cursor->changed < n_changed && msc_top_address (delta->changed, cursor->changed) < address)
    cursor->changed++;
  while (cursor->removed < delta->n_removed && delta->removed[cursor->removed] < address)
    cursor->removed++;
  return (cursor->changed < n_changed && msc_top_address (delta->changed, cursor->changed) == address)
         || (cursor->removed < delta->n_removed && delta->removed[cursor->removed] == address);
}

/* ---- applying ---- */

#define MSC_OP_REMOVE UINT32_MAX

/* One allocation a delta sets (top: its row in that delta's changed table)
 * or removes (MSC_OP_REMOVE). */
typedef struct {
  uint64_t address;
  uint32_t seq;      /* which delta: the later wins */
  uint32_t top;
} MscDeltaOp;

static int
msc_op_compare (const void *pa, const void *pb)
{
  const MscDeltaOp *a = pa, *b = pb;

  if (a->address != b->address)
    return a->address < b->address ? -1 : 1;
  return a->seq > b->seq ? -1 : a->seq < b->seq;
}

/* Every delta's operations, by address, the latest first for each; the
 * later ones for an address are then dropped. Returns how many are left. */
static size_t
msc_collect_ops (const MscRegionDelta *const *deltas, size_t n, MscDeltaOp *ops)
{
  size_t n_ops = 0, kept = 0;

  for (size_t d = 0; d < n; d++)
    {
      const MscRegionTable *changed = deltas[d]->changed;

      for (size_t k = 0; k < msc_region_table_n_top_level (changed); k++)
        ops[n_ops++] = (MscDeltaOp) { msc_top_address (changed, k), (uint32_t) d,
                                      (uint32_t) msc_region_table_top_level (changed, k) };
      for (size_t i = 0; i < deltas[d]->n_removed; i++)
        ops[n_ops++] = (MscDeltaOp) { deltas[d]->removed[i], (uint32_t) d, MSC_OP_REMOVE };
    }
  /* O(d log d) in the deltas' size, whatever the base's. */
  qsort (ops, n_ops, sizeof *ops, msc_op_compare);
  for (size_t i = 0; i < n_ops; i++)
    if (kept == 0 || ops[kept - 1].address != ops[i].address)
      ops[kept++] = ops[i];
  return kept;
}

static int
msc_apply_op (MscRegionTable *table, const MscRegionDelta *const *deltas, const MscDeltaOp *op)
{
  if (op->top == MSC_OP_REMOVE)
    return 0;
  return msc_copy_allocation (table, deltas[op->seq]->changed, op->top);
}

MscRegionTable *
msc_region_delta_apply (const MscRegionTable *base, const MscRegionDelta *const *deltas, size_t n)
{
  size_t n_ops = 0, kb = 0, ko = 0, nb = msc_region_table_n_top_level (base);
  MscRegionTable *table = msc_region_table_new_sharing (base);
  MscDeltaOp *ops;
  int failed = 0;

  for (size_t d = 0; d < n; d++)
    n_ops += msc_region_table_n_top_level (deltas[d]->changed) + deltas[d]->n_removed;
  ops = malloc ((n_ops ? n_ops : 1) * sizeof *ops);
  if (table == NULL || ops == NULL)
    {
      msc_region_table_free (table);
      free (ops);
      return NULL;
    }
  n_ops = msc_collect_ops (deltas, n, ops);
  while (!failed && (kb < nb || ko < n_ops))
    {
      uint64_t ab = kb < nb ? msc_top_address (base, kb) : UINT64_MAX;

      if (ko < n_ops && (kb >= nb || ops[ko].address <= ab))
        {
          /* The op replaces (or removes) the base's allocation there. */
          kb += kb < nb && ops[ko].address == ab;
          failed = msc_apply_op (table, deltas, &ops[ko++]) != 0;
        }
      else
        failed = msc_copy_allocation (table, base, msc_region_table_top_level (base, kb++)) != 0;
    }
  free (ops);
  if (failed)
    {
      msc_region_table_free (table);
      return NULL;
    }
  msc_region_table_trim (table);
  return table;
}
