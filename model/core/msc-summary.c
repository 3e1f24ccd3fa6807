/* msc-summary.c — VMMap's summary table (formats.md §3.2). */
#include "model/core/msc-summary.h"

#include <string.h>

static void
msc_summary_row_add (MscSummaryRow *row, const MscRegion *region)
{
  row->size += region->size;
  row->committed += region->committed;
  row->private_bytes += region->private_bytes;
  row->total_ws += region->total_ws;
  row->private_ws += region->private_ws;
  row->shareable_ws += region->shareable_ws;
  row->shared_ws += region->shared_ws;
  row->locked_ws += region->locked_ws;
  if (region->size > row->largest)
    row->largest = region->size;
  if (region->flags & MSC_REGION_WS_UNKNOWN)
    row->ws_known = row->locked_known = 0;
  if (region->flags & MSC_REGION_LOCKED_UNKNOWN)
    row->locked_known = 0;
  if (region->flags & MSC_REGION_PRIVATE_UNKNOWN)
    row->private_unknown = 1;
}

/* Total: every row's memory figures; Size and Blocks without Free (VMMap's
 * 6963 Total blocks in formats.md §3.2 leave Free's 188 out). */
static void
msc_summary_total (MscSummary *summary)
{
  MscSummaryRow *total = &summary->total;

  for (int type = 0; type < MSC_N_TYPES; type++)
    {
      const MscSummaryRow *row = &summary->types[type];

      if (type != MSC_TYPE_FREE)
        {
          total->size += row->size;
          total->blocks += row->blocks;
        }
      total->committed += row->committed;
      total->private_bytes += row->private_bytes;
      total->total_ws += row->total_ws;
      total->private_ws += row->private_ws;
      total->shareable_ws += row->shareable_ws;
      total->shared_ws += row->shared_ws;
      total->locked_ws += row->locked_ws;
      total->ws_known &= row->ws_known;
      total->locked_known &= row->locked_known;
      total->private_unknown |= row->private_unknown;
    }
}

void
msc_summary_compute (MscSummary *summary, const MscRegionTable *table, uint64_t page_table_size)
{
  size_t n = table != NULL ? msc_region_table_n_top_level (table) : 0;
  MscSummaryRow *page_table = &summary->types[MSC_TYPE_PAGE_TABLE];
  int measured = 0, unmeasured = 0;

  memset (summary, 0, sizeof *summary);
  for (int type = 0; type < MSC_N_TYPES; type++)
    summary->types[type].ws_known = summary->types[type].locked_known = 1;
  summary->total.ws_known = summary->total.locked_known = 1;

  for (size_t k = 0; k < n; k++)
    {
      MscRegion region = msc_region_table_row (table, msc_region_table_top_level (table, k));
      MscSummaryRow *row = &summary->types[region.type];

      if (region.type == MSC_TYPE_PAGE_TABLE)
        continue;
      msc_summary_row_add (row, &region);
      if (region.type != MSC_TYPE_FREE && region.type != MSC_TYPE_UNUSABLE)
        {
          measured |= !(region.flags & MSC_REGION_WS_UNKNOWN);
          unmeasured |= (region.flags & MSC_REGION_WS_UNKNOWN) != 0;
        }
      /* VMMap counts each free gap, and leaves Unusable's Blocks empty
       * (formats.md §3.2: "Unusable: only Size, plus Largest"). */
      if (region.type == MSC_TYPE_FREE)
        row->blocks++;
      else if (region.type != MSC_TYPE_UNUSABLE)
        row->blocks += region.blocks;
    }

  /* Page tables are private, committed and resident by nature. */
  page_table->size = page_table->committed = page_table->private_bytes = page_table_size;
  page_table->total_ws = page_table->private_ws = page_table_size;
  /* ... but where the OS gave no working set for any region (another
   * process under Wine), the page tables' share of it is no more known than
   * the rest: a Page Table WS beside a Total WS of n/a reads as a contradiction. */
  if (unmeasured && !measured)
    page_table->ws_known = page_table->locked_known = 0;

  msc_summary_total (summary);
}
