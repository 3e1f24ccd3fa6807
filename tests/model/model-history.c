/* model-history.c — allocations on 1 MiB slots, each with up to three
 * sub-blocks, changed at random. */
#include "tests/model/model-history.h"

#define MODEL_SLOT  (G_GUINT64_CONSTANT (1) << 20)
#define MODEL_MAX_SUBS 3

static const char *const model_details[] = {
  "", "/usr/lib/x86_64-linux-gnu/libc.so.6", "/usr/bin/python3.11", "[heap]",
  "Heap ID: 1 [LOW_FRAGMENTATION]", "Thread ID: 4242", "/usr/lib/locale/C.utf8/LC_CTYPE",
  "/dev/shm/memscope-test (deleted)",
};

typedef struct {
  guint64   slot;
  guint     n_subs;
  MscRegion regions[1 + MODEL_MAX_SUBS];   /* the top-level region first */
  guint8    details[1 + MODEL_MAX_SUBS];
} ModelAllocation;

struct _ModelHistory
{
  GRand  *rand;
  GArray *allocations;   /* ModelAllocation, ascending slot */
  guint64 next_slot;
};

static void
model_sum (ModelAllocation *a)
{
  MscRegion *top = &a->regions[0];

  if (a->n_subs == 0)
    return;
  top->committed = top->private_bytes = top->total_ws = 0;
  for (guint i = 1; i <= a->n_subs; i++)
    {
      top->committed += a->regions[i].committed;
      top->private_bytes += a->regions[i].private_bytes;
      top->total_ws += a->regions[i].total_ws;
    }
}

static void
model_allocation_init (ModelHistory *h, ModelAllocation *a, guint64 slot, guint n_subs)
{
  guint64 size = MODEL_SLOT / 2, address = slot * MODEL_SLOT;

  *a = (ModelAllocation) { .slot = slot, .n_subs = n_subs };
  a->regions[0] = (MscRegion) {
    .address = address, .size = size, .blocks = n_subs + 1, .protection = 0x04, .storage = 0x20000,
    .type = (guint8) g_rand_int_range (h->rand, 1, MSC_N_TYPES - 2), .perms = MSC_PERM_KNOWN | MSC_PERM_READ,
    .flags = MSC_REGION_PSS_KNOWN,
  };
  a->regions[0].committed = a->regions[0].total_ws = a->regions[0].private_bytes = size;
  a->details[0] = (guint8) g_rand_int_range (h->rand, 0, G_N_ELEMENTS (model_details));
  for (guint i = 1; i <= n_subs; i++)
    {
      MscRegion *sub = &a->regions[i];

      *sub = a->regions[0];
      sub->flags |= MSC_REGION_SUBBLOCK;
      sub->blocks = 0;
      sub->size = size / n_subs;
      sub->address = address + (i - 1) * sub->size;
      sub->committed = sub->total_ws = sub->private_bytes = sub->size;
      a->details[i] = a->details[0];
    }
  model_sum (a);
}

ModelHistory *
model_history_new (guint32 seed,
                   gsize   n_regions)
{
  ModelHistory *h = g_new0 (ModelHistory, 1);
  gsize n = 0;

  h->rand = g_rand_new_with_seed (seed);
  h->allocations = g_array_new (FALSE, FALSE, sizeof (ModelAllocation));
  while (n < n_regions)
    {
      ModelAllocation a;

      /* One in five regions a sub-block: every tenth allocation has two. */
      model_allocation_init (h, &a, h->next_slot, h->next_slot % 10 == 0 ? 2 : 0);
      /* Gaps, so added allocations have somewhere to go. */
      h->next_slot += 1 + g_rand_int_range (h->rand, 0, 2);
      n += 1 + a.n_subs;
      g_array_append_val (h->allocations, a);
    }
  return h;
}

void
model_history_free (ModelHistory *h)
{
  g_rand_free (h->rand);
  g_array_unref (h->allocations);
  g_free (h);
}

MscRegionTable *
model_history_table (ModelHistory *h)
{
  MscRegionTable *table = msc_region_table_new ();

  for (guint k = 0; k < h->allocations->len; k++)
    {
      ModelAllocation *a = &g_array_index (h->allocations, ModelAllocation, k);

      for (guint i = 0; i <= a->n_subs; i++)
        g_assert_cmpint (msc_region_table_append (table, &a->regions[i], model_details[a->details[i]]), ==, 0);
    }
  return table;
}

/* One region's figures or attributes change; returns how many regions
 * that changed (2 for a sub-block: its allocation's sums move too). */
static guint
model_change (ModelHistory *h, ModelAllocation *a)
{
  guint i = a->n_subs > 0 ? 1 + g_rand_int_range (h->rand, 0, (gint32) a->n_subs) : 0;
  MscRegion *r = &a->regions[i];

  switch (g_rand_int_range (h->rand, 0, 4))
    {
    case 0:
      a->details[i] = (guint8) g_rand_int_range (h->rand, 0, G_N_ELEMENTS (model_details));
      break;
    case 1:
      r->protection ^= 0x02;
      break;
    default:
      r->total_ws = (guint64) g_rand_int_range (h->rand, 0, (gint32) (r->size / 4096)) * 4096;
      r->committed = r->total_ws;
      break;
    }
  model_sum (a);
  return i > 0 ? 2 : 1;
}

static void
model_add_remove (ModelHistory *h)
{
  guint k = g_rand_int_range (h->rand, 0, (gint32) h->allocations->len);
  ModelAllocation *a = &g_array_index (h->allocations, ModelAllocation, k);
  ModelAllocation fresh;

  switch (g_rand_int_range (h->rand, 0, 3))
    {
    case 0:
      if (h->allocations->len > 2)
        g_array_remove_index (h->allocations, k);
      break;
    case 1:
      /* Re-split: the sub-blocks come and go. */
      model_allocation_init (h, a, a->slot, (a->n_subs + 1) % (MODEL_MAX_SUBS + 1));
      break;
    default:
      model_allocation_init (h, &fresh, h->next_slot++, g_rand_int_range (h->rand, 0, MODEL_MAX_SUBS + 1));
      g_array_append_val (h->allocations, fresh);
      break;
    }
}

void
model_history_step (ModelHistory *h,
                    guint         n_changes,
                    gboolean      add_remove)
{
  guint changed = 0;

  if (add_remove && g_rand_boolean (h->rand))
    model_add_remove (h);
  while (changed + 2 <= n_changes || (changed < n_changes && changed + 1 == n_changes))
    {
      guint k = g_rand_int_range (h->rand, 0, (gint32) h->allocations->len);
      ModelAllocation *a = &g_array_index (h->allocations, ModelAllocation, k);

      if (changed + 1 == n_changes && a->n_subs > 0)
        continue;
      changed += model_change (h, a);
    }
}
