/* msc-fragmentation-layout.c — see msc-fragmentation-layout.h. */
#include "config.h"

#include <math.h>

#include "ui/msc-fragmentation-layout.h"

#define MSC_PAGE 4096.0

struct _MscFragmentationLayout
{
  GArray *fragments;   /* MscFragment, in address order */
  double *starts;      /* n + 1 positions on the line */
};

static void
msc_fragmentation_layout_add (GArray  *fragments,
                              guint64  address,
                              guint64  size,
                              gsize    index,
                              guint8   type)
{
  MscFragment fragment = { .address = address, .size = size, .index = index, .type = type };

  g_array_append_val (fragments, fragment);
}

/* A Page Table row has no addresses of its own; regions a VMMap export
 * left out (Free, Unusable) are gaps, drawn as Free. */
static GArray *
msc_fragmentation_collect (MscSnapshot *snapshot)
{
  const MscRegionTable *table = msc_snapshot_get_regions (snapshot);
  GArray *fragments = g_array_new (FALSE, FALSE, sizeof (MscFragment));
  guint64 end = 0;
  gboolean any = FALSE;

  for (gsize k = 0; k < msc_region_table_n_top_level (table); k++)
    {
      gsize index = msc_region_table_top_level (table, k);
      MscRegion region = msc_region_table_row (table, index);

      if (region.type == MSC_TYPE_PAGE_TABLE || region.size == 0 || region.address < end)
        continue;
      if (any && region.address > end)
        msc_fragmentation_layout_add (fragments, end, region.address - end, G_MAXSIZE, MSC_TYPE_FREE);
      msc_fragmentation_layout_add (fragments, region.address, region.size, index, region.type);
      end = region.address + region.size;
      any = TRUE;
    }
  return fragments;
}

static double
msc_fragmentation_units (guint64               size,
                         MscFragmentationScale scale)
{
  if (scale == MSC_FRAGMENTATION_SCALE_LINEAR)
    return (double) size;
  return 1.0 + log2 (MAX ((double) size / MSC_PAGE, 1.0));
}

MscFragmentationLayout *
msc_fragmentation_layout_new (MscSnapshot           *snapshot,
                              MscFragmentationScale  scale)
{
  MscFragmentationLayout *self = g_new0 (MscFragmentationLayout, 1);
  double position = 0;

  g_return_val_if_fail (MSC_IS_SNAPSHOT (snapshot), NULL);

  self->fragments = msc_fragmentation_collect (snapshot);
  self->starts = g_new (double, self->fragments->len + 1);
  for (guint i = 0; i < self->fragments->len; i++)
    {
      self->starts[i] = position;
      position += msc_fragmentation_units (g_array_index (self->fragments, MscFragment, i).size, scale);
    }
  self->starts[self->fragments->len] = position;
  return self;
}

void
msc_fragmentation_layout_free (MscFragmentationLayout *self)
{
  if (self == NULL)
    return;
  g_array_unref (self->fragments);
  g_free (self->starts);
  g_free (self);
}

guint
msc_fragmentation_layout_n_fragments (const MscFragmentationLayout *self)
{
  return self->fragments->len;
}

const MscFragment *
msc_fragmentation_layout_fragment (const MscFragmentationLayout *self,
                                   guint                         i)
{
  g_return_val_if_fail (i < self->fragments->len, NULL);
  return &g_array_index (self->fragments, MscFragment, i);
}

const MscFragment *
msc_fragmentation_layout_fragments (const MscFragmentationLayout *self)
{
  return (const MscFragment *) self->fragments->data;
}

const double *
msc_fragmentation_layout_starts (const MscFragmentationLayout *self)
{
  return self->starts;
}

double
msc_fragmentation_layout_start (const MscFragmentationLayout *self,
                                guint                         i)
{
  g_return_val_if_fail (i <= self->fragments->len, 0);
  return self->starts[i];
}

double
msc_fragmentation_layout_length (const MscFragmentationLayout *self)
{
  return self->starts[self->fragments->len];
}

guint
msc_fragmentation_layout_find (const MscFragmentationLayout *self,
                               double                        unit)
{
  guint low = 0, high = self->fragments->len;

  if (high == 0)
    return G_MAXUINT;
  /* The last fragment whose start is <= unit. */
  while (high - low > 1)
    {
      guint middle = low + (high - low) / 2;

      if (self->starts[middle] <= unit)
        low = middle;
      else
        high = middle;
    }
  return low;
}

/* The fragment holding address: the last one starting at or below it. */
static guint
msc_fragmentation_layout_find_address (const MscFragmentationLayout *self,
                                       guint64                       address)
{
  guint low = 0, high = self->fragments->len;

  while (high - low > 1)
    {
      guint middle = low + (high - low) / 2;

      if (g_array_index (self->fragments, MscFragment, middle).address <= address)
        low = middle;
      else
        high = middle;
    }
  return low;
}

double
msc_fragmentation_layout_unit_of (const MscFragmentationLayout *self,
                                  guint64                       address)
{
  const MscFragment *fragment;
  guint i;
  double fraction;

  if (self->fragments->len == 0)
    return 0;
  i = msc_fragmentation_layout_find_address (self, address);
  /* find_address answers an index below len (len > 0 here). */
  fragment = &g_array_index (self->fragments, MscFragment, i);
  if (address <= fragment->address)
    return self->starts[i];
  fraction = MIN ((double) (address - fragment->address) / (double) fragment->size, 1.0);
  return self->starts[i] + fraction * (self->starts[i + 1] - self->starts[i]);
}

guint64
msc_fragmentation_layout_address_at (const MscFragmentationLayout *self,
                                     double                        unit)
{
  guint i = msc_fragmentation_layout_find (self, unit);
  const MscFragment *fragment;
  double fraction;

  if (i == G_MAXUINT)
    return 0;
  fragment = msc_fragmentation_layout_fragment (self, i);
  fraction = CLAMP ((unit - self->starts[i]) / (self->starts[i + 1] - self->starts[i]), 0.0, 1.0);
  return fragment->address + (guint64) (fraction * (double) fragment->size);
}
