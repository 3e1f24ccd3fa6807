/* msc-region-builder.c — a region table from regions in file order.
 *
 * Files are nearly always in address order (ours always, VMMap's per
 * PerfView), so regions go straight into the table; the first step back
 * moves everything into a pending array that is sorted once at the end.
 *
 * It also refuses what no address space can hold (issue 15, defect 4), so
 * whatever loads adds up exactly and can be written out and read back in
 * every format: allocations that overlap (they would count twice), an end
 * past 2^64, a figure larger than its region (the Total would wrap), an
 * allocation under 1 KB (the KB exports would show no Size), sub-blocks that
 * overlap each other. */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "model/msc-region-builder.h"
#include "model/core/msc-string-pool.h"

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
  guint64         last_size;
  gboolean        have_top;
  guint64         top_address;
  guint64         top_size;
  guint64         sub_end;     /* end of the top's last sub-block so far */
  guint64         tops_size;   /* the allocations' sizes, G_MAXUINT64 once 2^64 is reached */
};

/* An allocation starts and ends on this boundary, and is at least this big:
 * then a KB export (CSV, text) gives its extent exactly, so an allocation
 * read back from one cannot overhang the next. No OS allocates less than a
 * whole page (4 KB and more) anyway. */
#define MSC_BUILDER_MIN_TOP 1024

static MscRegionBuilder *
msc_region_builder_new_with (MscRegionTable *table)
{
  MscRegionBuilder *self;

  if (table == NULL)
    return NULL;
  self = g_new0 (MscRegionBuilder, 1);
  self->table = table;
  return self;
}

MscRegionBuilder *
msc_region_builder_new (void)
{
  return msc_region_builder_new_with (msc_region_table_new ());
}

MscRegionBuilder *
msc_region_builder_new_sharing (const MscRegionTable *like)
{
  return msc_region_builder_new_with (msc_region_table_new_sharing (like));
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

static char *
msc_describe (const MscRegion *region)
{
  return g_strdup_printf ("0x%" G_GINT64_MODIFIER "X (%" G_GUINT64_FORMAT " bytes)", region->address,
                          region->size);
}

/* Every byte figure of an allocation lies within its Size: the totals of
 * disjoint allocations then cannot wrap. (Sub-blocks are not summed, and a
 * GC segment under a page may show its page's working set.) */
static gboolean
msc_check_figures (const MscRegion  *region,
                   char            **problem)
{
  const struct {
    const char *name;
    guint64     value;
  } figures[] = {
    { "Commit", region->committed }, { "PrivateBytes", region->private_bytes },
    { "TotalWS", region->total_ws }, { "PrivateWS", region->private_ws },
    { "ShareableWS", region->shareable_ws }, { "SharedWS", region->shared_ws },
    { "LockedWS", region->locked_ws }, { "Swap", region->swap },
    { "Pss", (region->flags & MSC_REGION_PSS_KNOWN) ? region->pss : 0 },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (figures); i++)
    if (figures[i].value > region->size)
      {
        g_autofree char *where = msc_describe (region);

        *problem = g_strdup_printf (_("the region at %s has %s=%" G_GUINT64_FORMAT ", more than its size"),
                                    where, figures[i].name, figures[i].value);
        return FALSE;
      }
  return TRUE;
}

static gboolean
msc_check_top (MscRegionBuilder  *self,
               const MscRegion   *region,
               char             **problem)
{
  g_autofree char *where = NULL;

  /* Ending at 2^64 exactly is fine (address + size wraps to 0 then). */
  gboolean past_end = region->size > 0 && region->size - 1 > G_MAXUINT64 - region->address;
  gboolean overlaps = self->have_top && region->address - self->top_address < self->top_size;
  gboolean whole = (region->address | region->size) % MSC_BUILDER_MIN_TOP == 0;

  if (G_LIKELY (!past_end && region->size >= MSC_BUILDER_MIN_TOP && whole && !overlaps))
    return msc_check_figures (region, problem);
  /* Worded only when wrong: this runs for every allocation of a file. */
  where = msc_describe (region);
  if (past_end)
    *problem = g_strdup_printf (_("the region at %s ends past the top of any address space"), where);
  else if (region->size < MSC_BUILDER_MIN_TOP)
    *problem = g_strdup_printf (_("the allocation at %s is smaller than 1 KB; none is smaller than a page"),
                                where);
  else if (!whole)
    *problem = g_strdup_printf (_("the allocation at %s does not start and end on a 1 KB boundary; "
                                  "allocations are whole pages"), where);
  else
    *problem = g_strdup_printf (_("the region at %s overlaps the allocation at 0x%" G_GINT64_MODIFIER "X "
                                  "(%" G_GUINT64_FORMAT " bytes); it would be counted twice"),
                                where, self->top_address, self->top_size);
  return FALSE;
}

/* region, checked, becomes the allocation later regions may lie inside. */
static gboolean
msc_place_top (MscRegionBuilder  *self,
               const MscRegion   *region,
               char             **problem)
{
  if (!msc_check_top (self, region, problem))
    return FALSE;
  self->tops_size = region->size < G_MAXUINT64 - self->tops_size ? self->tops_size + region->size : G_MAXUINT64;
  self->have_top = TRUE;
  self->top_address = self->sub_end = region->address;
  self->top_size = region->size;
  return TRUE;
}

/* After PerfView: a region lying inside the previous top-level region is
 * its sub-block, whatever the file's nesting said. details is the string,
 * or (pooled >= 0) the offset of it in the table's own pool. */
static gboolean
msc_place (MscRegionBuilder  *self,
           const MscRegion   *source,
           const char        *details,
           gint64             pooled,
           char             **problem)
{
  MscRegion region = *source;

  region.flags &= (guint16) ~MSC_REGION_SUBBLOCK;
  if (self->have_top && msc_inside (self->top_address, self->top_size, &region))
    {
      if (region.address < self->sub_end)
        {
          g_autofree char *where = msc_describe (&region);

          *problem = g_strdup_printf (_("the sub-block at %s overlaps the one before it"), where);
          return FALSE;
        }
      self->sub_end = region.address + region.size;
      region.flags |= MSC_REGION_SUBBLOCK;
      region.blocks = 0;
    }
  else if (!msc_place_top (self, &region, problem))
    return FALSE;
  if (pooled >= 0)
    return msc_region_table_append_pooled (self->table, &region, (guint32) pooled) == 0;
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
        .region = msc_region_table_row (self->table, i),
        .details = g_string_chunk_insert_const (self->strings, msc_region_table_details (self->table, i)),
        .seq = (guint) i,
      };

      g_array_append_val (self->pending, p);
    }
  g_clear_pointer (&self->table, msc_region_table_free);
}

static gboolean
msc_region_builder_add_either (MscRegionBuilder  *self,
                               const MscRegion   *region,
                               const char        *details,
                               gint64             pooled,
                               char             **problem);

gboolean
msc_region_builder_add (MscRegionBuilder  *self,
                        const MscRegion   *region,
                        const char        *details,
                        char             **problem)
{
  return msc_region_builder_add_either (self, region, details, -1, problem);
}

gboolean
msc_region_builder_add_from (MscRegionBuilder      *self,
                             const MscRegion       *region,
                             const MscRegionTable  *from,
                             gsize                  index,
                             char                 **problem)
{
  /* A table sharing from's pool takes the string's offset: no lookup. */
  gint64 pooled = self->table != NULL && msc_region_table_shares_pool (self->table, from)
                    ? (gint64) msc_region_table_details_offset (from, index) : -1;

  return msc_region_builder_add_either (self, region, msc_region_table_details (from, index), pooled, problem);
}

static gboolean
msc_region_builder_add_either (MscRegionBuilder  *self,
                               const MscRegion   *region,
                               const char        *details,
                               gint64             pooled,
                               char             **problem)
{
  self->length++;
  /* Sorted means by address, the larger region first at one address. */
  if (self->table != NULL && self->length > 1
      && (region->address < self->last_address
          || (region->address == self->last_address && region->size > self->last_size)))
    msc_spill (self);
  self->last_address = region->address;
  self->last_size = region->size;
  if (self->pending == NULL)
    return msc_place (self, region, details, pooled, problem);

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

/* The allocation goes in as a new top-level one, in order, and the table
 * can take from's rows as they are stored. */
static gboolean
msc_can_copy (MscRegionBuilder     *self,
              const MscRegionTable *from,
              const MscRegion      *head)
{
  return self->pending == NULL && self->table != NULL && msc_region_table_shares_pool (self->table, from)
         && (self->length == 0 || head->address > self->last_address)
         && !(self->have_top && msc_inside (self->top_address, self->top_size, head));
}

gboolean
msc_region_builder_copy_allocation (MscRegionBuilder      *self,
                                    const MscRegionTable  *from,
                                    gsize                  top,
                                    char                 **problem)
{
  gsize end = top + 1 + msc_region_table_n_children (from, top);
  MscRegion head = msc_region_table_row (from, top), last;

  if (!msc_can_copy (self, from, &head))
    {
      for (gsize i = top; i < end; i++)
        {
          MscRegion row = msc_region_table_row (from, i);

          if (!msc_region_builder_add_from (self, &row, from, i, problem))
            return FALSE;
        }
      return TRUE;
    }
  /* Its sub-blocks were placed under it when from was built: only the
   * allocation is checked against what this table holds. */
  if (!msc_place_top (self, &head, problem))
    return FALSE;
  last = head;
  if (end - 1 > top)
    {
      last = msc_region_table_row (from, end - 1);
      self->sub_end = last.address + last.size;
    }
  self->length += end - top;
  self->last_address = last.address;
  self->last_size = last.size;
  for (gsize i = top; i < end; i++)
    if (msc_region_table_append_from (self->table, from, i) != 0)
      return FALSE;
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
msc_region_builder_finish (MscRegionBuilder  *self,
                           guint64           *tops_size,
                           char             **problem)
{
  MscRegionTable *table = NULL;

  if (self->pending != NULL)
    {
      g_array_sort (self->pending, msc_pending_compare);
      self->table = msc_region_table_new ();
      self->have_top = FALSE;
      self->tops_size = 0;
      for (guint i = 0; self->table != NULL && i < self->pending->len; i++)
        {
          MscPending *p = &g_array_index (self->pending, MscPending, i);

          if (!msc_place (self, &p->region, p->details, -1, problem))
            goto out;
        }
    }
  table = g_steal_pointer (&self->table);
  if (tops_size != NULL)
    *tops_size = self->tops_size;
out:
  msc_region_builder_free (self);
  return table;
}
