/* msc-region-builder.c — a region table from regions in file order.
 *
 * Files are nearly always in address order (ours always, VMMap's per
 * PerfView), so regions go straight into the table; the first step back
 * moves everything into a pending array that is sorted once at the end. */
#include "config.h"

#include <string.h>

#include "model/msc-region-builder.h"

/* A region waiting to be sorted. */
typedef struct {
  MscRegion   region;
  const char *details;  /* in MscRegionBuilder.strings */
  guint       seq;      /* file order, to keep the sort stable */
} MscPending;

struct _MscRegionBuilder {
  MscRegionTable *table;     /* regions so far, while in address order */
  GArray         *pending;   /* MscPending, once out of order */
  GStringChunk   *strings;
  gsize           length;
  guint64         last_address;
  gboolean        have_top;
  guint64         top_address;
  guint64         top_size;
};

MscRegionBuilder *
msc_region_builder_new (void)
{
  MscRegionBuilder *self = g_new0 (MscRegionBuilder, 1);

  self->table = msc_region_table_new ();
  if (self->table == NULL)
    g_clear_pointer (&self, g_free);
  return self;
}

void
msc_region_builder_free (MscRegionBuilder *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->table, msc_region_table_free);
  g_clear_pointer (&self->pending, g_array_unref);
  g_clear_pointer (&self->strings, g_string_chunk_free);
  g_free (self);
}

gsize
msc_region_builder_length (MscRegionBuilder *self)
{
  return self->length;
}

static gboolean
msc_inside (guint64          top_address,
            guint64          top_size,
            const MscRegion *region)
{
  return region->address >= top_address
         && region->size <= top_size
         && region->address - top_address <= top_size - region->size;
}

/* After PerfView: a region lying inside the previous top-level region is
 * its sub-block, whatever the file's nesting said. */
static gboolean
msc_place (MscRegionBuilder *self,
           const MscRegion  *source,
           const char       *details)
{
  MscRegion region = *source;

  region.flags &= (guint16) ~MSC_REGION_SUBBLOCK;
  if (self->have_top && msc_inside (self->top_address, self->top_size, &region))
    {
      region.flags |= MSC_REGION_SUBBLOCK;
      region.blocks = 0;
    }
  else
    {
      self->have_top = TRUE;
      self->top_address = region.address;
      self->top_size = region.size;
    }
  return msc_region_table_append (self->table, &region, details) == 0;
}

static void
msc_spill (MscRegionBuilder *self)
{
  gsize n = msc_region_table_length (self->table);

  self->pending = g_array_sized_new (FALSE, FALSE, sizeof (MscPending), (guint) n * 2 + 16);
  self->strings = g_string_chunk_new (4096);
  for (gsize i = 0; i < n; i++)
    {
      MscPending p = {
        .region = *msc_region_table_get (self->table, i),
        .details = g_string_chunk_insert_const (self->strings, msc_region_table_details (self->table, i)),
        .seq = (guint) i,
      };

      g_array_append_val (self->pending, p);
    }
  g_clear_pointer (&self->table, msc_region_table_free);
}

gboolean
msc_region_builder_add (MscRegionBuilder *self,
                        const MscRegion  *region,
                        const char       *details)
{
  self->length++;
  if (self->table != NULL && region->address < self->last_address)
    msc_spill (self);
  self->last_address = region->address;
  if (self->pending == NULL)
    return msc_place (self, region, details);

  {
    MscPending p = {
      .region = *region,
      .details = g_string_chunk_insert_const (self->strings, details != NULL ? details : ""),
      .seq = self->pending->len,
    };

    g_array_append_val (self->pending, p);
  }
  return TRUE;
}

static gint
msc_pending_compare (gconstpointer pa,
                     gconstpointer pb)
{
  const MscPending *a = pa, *b = pb;

  /* Address order; at one address the larger region (the parent) first. */
  if (a->region.address != b->region.address)
    return a->region.address < b->region.address ? -1 : 1;
  if (a->region.size != b->region.size)
    return a->region.size > b->region.size ? -1 : 1;
  return a->seq < b->seq ? -1 : a->seq > b->seq;
}

MscRegionTable *
msc_region_builder_finish (MscRegionBuilder *self)
{
  g_autoptr(MscRegionBuilder) owned = self;

  if (self->pending != NULL)
    {
      g_array_sort (self->pending, msc_pending_compare);
      self->table = msc_region_table_new ();
      self->have_top = FALSE;
      for (guint i = 0; self->table != NULL && i < self->pending->len; i++)
        {
          MscPending *p = &g_array_index (self->pending, MscPending, i);

          if (!msc_place (self, &p->region, p->details))
            return NULL;
        }
    }
  return g_steal_pointer (&self->table);
}
