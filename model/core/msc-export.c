/* msc-export.c — the cells of VMMap's CSV and text exports. */
#include "model/core/msc-export.h"

#include <stdlib.h>
#include <string.h>

#include "model/core/msc-output.h"

const char *const msc_summary_headers[1 + MSC_SUMMARY_VALUES] = {
  "Type", "Size", "Committed", "Private", "Total WS", "Private WS", "Shareable WS",
  "Shared WS", "Locked WS", "Blocks", "Largest",
};

const char *const msc_details_headers[MSC_DETAILS_CELLS + 1] = {
  "Address", "Type", "Size", "Committed", "Private", "Total WS", "Private WS",
  "Shareable WS", "Shared WS", "Locked WS", "Blocks", "Protection", "Details",
};

static void
msc_cell_kb (MscCell *cell, uint64_t bytes)
{
  cell->len = (size_t) (msc_put_kb (cell->text, bytes, 1) - cell->text);
}

static void
msc_cell_count (MscCell *cell, uint64_t count)
{
  cell->len = count != 0 ? (size_t) (msc_put_u64 (cell->text, count) - cell->text) : 0;
}

static void
msc_cell_str (MscCell *cell, const char *s)
{
  size_t n = strlen (s);

  if (n >= sizeof cell->text)
    n = sizeof cell->text - 1;
  memcpy (cell->text, s, n);
  cell->len = n;
}

/* "n/a" where the OS gave no figure, never a made-up zero. */
static void
msc_cell_kb_known (MscCell *cell, uint64_t bytes, int known)
{
  if (known)
    msc_cell_kb (cell, bytes);
  else
    msc_cell_str (cell, "n/a");
}

/* The five working-set cells. */
static void
msc_cells_ws (MscCell ws[5], const uint64_t values[5], int ws_known, int locked_known)
{
  for (int c = 0; c < 5; c++)
    msc_cell_kb_known (&ws[c], values[c], c == 4 ? locked_known : ws_known);
}

void
msc_export_summary (const MscCaptureSnapshot *snapshot, MscSummary *summary)
{
  if (snapshot->summary != NULL)
    *summary = *snapshot->summary;
  else
    msc_summary_compute (summary, snapshot->regions, snapshot->page_table_size);
  summary->process_ws = snapshot->process_ws;
}

const MscSummaryRow *
msc_export_summary_row (const MscSummary *summary, int k, const char **name)
{
  if (k == 0)
    {
      *name = "Total";
      return &summary->total;
    }
  *name = msc_use_type_name ((MscUseType) (k - 1));
  return &summary->types[k - 1];
}

void
msc_export_summary_cells (const MscSummaryRow *row, MscCell cells[MSC_SUMMARY_VALUES])
{
  const uint64_t ws[5] = { row->total_ws, row->private_ws, row->shareable_ws, row->shared_ws,
                           row->locked_ws };

  msc_cell_kb (&cells[0], row->size);
  msc_cell_kb (&cells[1], row->committed);
  msc_cell_kb_known (&cells[2], row->private_bytes, !row->private_unknown);
  msc_cells_ws (&cells[3], ws, row->ws_known, row->locked_known && row->ws_known);
  /* VMMap writes Blocks without thousands separators ("6963"). */
  msc_cell_count (&cells[8], row->blocks);
  msc_cell_kb (&cells[9], row->largest);
}

size_t
msc_export_next_detail (const MscRegionTable *table, size_t i)
{
  size_t n = table != NULL ? msc_region_table_length (table) : 0;

  while (i < n)
    {
      size_t parent = msc_region_table_parent (table, i);
      size_t top = parent != MSC_NO_PARENT ? parent : i;
      uint8_t type = msc_region_table_type (table, top);

      /* VMMap's details list leaves Free and Unusable out (formats.md §3.3). */
      if (type != MSC_TYPE_FREE && type != MSC_TYPE_UNUSABLE && type != MSC_TYPE_PAGE_TABLE)
        return i;
      i = top + msc_region_table_n_children (table, top) + 1;
    }
  return MSC_NO_PARENT;
}

int
msc_export_address_digits (const MscCaptureProcess *process)
{
  return process->bits == 32 ? 8 : 16;
}

int
msc_export_table_address_digits (const MscCaptureProcess *process, const MscRegionTable *table)
{
  size_t n = msc_region_table_length (table);

  if (process->bits != 32)
    return 16;
  /* A 32-bit process with a region above 4 GiB (a damaged or hand-made
   * capture): 8 digits would print it as 12, which reads back as 64-bit. */
  for (size_t i = 0; i < n; i++)
    {
      MscRegion region = msc_region_table_row (table, i);

      if (region.address > UINT32_MAX || region.size > (uint64_t) UINT32_MAX + 1 - region.address)
        return 16;
    }
  return 8;
}

void
msc_export_details_cells (const MscRegion *region, int digits, MscCell cells[MSC_DETAILS_CELLS])
{
  int sub = (region->flags & MSC_REGION_SUBBLOCK) != 0;
  const uint64_t ws[5] = { region->total_ws, region->private_ws, region->shareable_ws,
                           region->shared_ws, region->locked_ws };
  char *p = cells[0].text;
  char protection[MSC_PROTECTION_LEN];

  /* Sub-block rows: the address indented by two spaces, Blocks empty. */
  if (sub)
    p = MSC_PUT_LIT (p, "  ");
  cells[0].len = (size_t) (msc_put_hex (p, region->address, digits) - cells[0].text);
  msc_cell_str (&cells[1], msc_region_type_string (region));
  msc_cell_kb (&cells[2], region->size);
  msc_cell_kb (&cells[3], region->committed);
  msc_cell_kb_known (&cells[4], region->private_bytes, !(region->flags & MSC_REGION_PRIVATE_UNKNOWN));
  msc_cells_ws (&cells[5], ws, !(region->flags & MSC_REGION_WS_UNKNOWN),
                !(region->flags & (MSC_REGION_WS_UNKNOWN | MSC_REGION_LOCKED_UNKNOWN)));
  msc_cell_count (&cells[10], sub ? 0 : region->blocks);
  msc_cell_str (&cells[11], msc_protection_string (msc_region_shown_protection (region), protection, sizeof protection));
}

void
msc_export_notes (MscOutput *out, const char *notes, const char *prefix, const char *suffix, MscTextMode mode)
{
  const char *line = notes;

  while (line != NULL && *line != '\0')
    {
      size_t len = strcspn (line, "\n");
      char *copy = malloc (len + 1);

      if (copy != NULL && len > 0)
        {
          memcpy (copy, line, len);
          copy[len] = '\0';
          msc_output_str (out, prefix);
          msc_output_text (out, copy, mode);
          msc_output_str (out, suffix);
        }
      free (copy);
      line += len + (line[len] == '\n');
    }
}

uint32_t
msc_region_shown_protection (const MscRegion *region)
{
  /* Committed as the tables show it: at least 1 K once rounded (a CSV read
   * back must say the same). */
  if (region->protection == 0 && region->committed >= 512 && region->type != MSC_TYPE_FREE)
    return MSC_PAGE_NOACCESS;
  return region->protection;
}
