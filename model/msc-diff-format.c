/* msc-diff-format.c — the text of `memscope --diff` and `memscope --text`.
 *
 * Meant for reading in a terminal and in `git diff`: fixed column widths
 * (a width that followed the widest cell would re-indent every line when one
 * value grew), one region per line, KB as VMMap shows them, "\n" line ends.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "model/core/msc-export.h"
#include "model/core/msc-format.h"
#include "model/msc-diff-format.h"

/* Widths: the summary's Type column fits "Managed Heap"; a value column
 * fits "+18,014,398,509,481,984" rarely, "-1,234,567" always. */
#define MSC_NAME_WIDTH   14
#define MSC_VALUE_WIDTH  12
#define MSC_TYPE_WIDTH   20   /* "Heap (Private Data)" */
#define MSC_PROT_WIDTH   22   /* "Execute/Copy on Write" */
#define MSC_CELL_LEN     MSC_DELTA_LEN

/* The summary's value columns (formats.md §3.2), Blocks a count. */
#define MSC_N_COLUMNS 10
#define MSC_BLOCKS_COLUMN 8

static const char *const msc_columns[MSC_N_COLUMNS] = {
  N_("Size"), N_("Committed"), N_("Private"), N_("Total WS"), N_("Private WS"),
  N_("Shareable WS"), N_("Shared WS"), N_("Locked WS"), N_("Blocks"), N_("Largest"),
};

typedef char MscCells[MSC_N_COLUMNS][MSC_CELL_LEN];

/* Ends the line, without trailing blanks (git flags them). */
static void
msc_end_line (GString *out)
{
  gsize len = out->len;

  while (len > 0 && out->str[len - 1] == ' ')
    len--;
  g_string_truncate (out, len);
  g_string_append_c (out, '\n');
}

/* ---- text from captures ---- */

static void
msc_string_write_cb (void       *user,
                     const char *data,
                     size_t      n)
{
  g_string_append_len (user, data, (gssize) n);
}

void
msc_string_append_escaped (GString    *out,
                           const char *text)
{
  msc_text_escape_each (text, FALSE, msc_string_write_cb, out);
}

char *
msc_text_escaped (const char *text)
{
  GString *out = g_string_sized_new (strlen (text));

  msc_string_append_escaped (out, text);
  return g_string_free (out, FALSE);
}

/* ---- summary tables ---- */

static void
msc_table_header (GString    *out,
                  const char *title)
{
  g_string_append_printf (out, "%-*s", MSC_NAME_WIDTH, title);
  for (guint c = 0; c < MSC_N_COLUMNS; c++)
    g_string_append_printf (out, "  %*s", MSC_VALUE_WIDTH, _(msc_columns[c]));
  g_string_append_c (out, '\n');
}

static void
msc_table_row (GString        *out,
               const char     *name,
               const MscCells  cells)
{
  g_string_append_printf (out, "%-*s", MSC_NAME_WIDTH, name);
  for (guint c = 0; c < MSC_N_COLUMNS; c++)
    g_string_append_printf (out, "  %*s", MSC_VALUE_WIDTH, cells[c]);
  msc_end_line (out);
}

char *
msc_format_delta (gint64    delta,
                  gboolean  count,
                  char     *cell)
{
  char digits[MSC_FORMAT_KB_LEN];
  guint64 magnitude = delta < 0 ? 0 - (guint64) delta : (guint64) delta;

  if (delta == 0)
    {
      cell[0] = '\0';
      return cell;
    }
  if (count)
    msc_format_u64 (magnitude, digits, sizeof digits);
  else
    msc_format_kb (magnitude, FALSE, digits, sizeof digits);
  g_snprintf (cell, MSC_CELL_LEN, "%c%s", delta < 0 ? '-' : '+', digits);
  return cell;
}

static gboolean
msc_delta_cells (const MscSummaryDelta *d,
                 MscCells               cells)
{
  const gint64 values[MSC_N_COLUMNS] = {
    d->size, d->committed, d->private_bytes, d->total_ws, d->private_ws, d->shareable_ws,
    d->shared_ws, d->locked_ws, d->blocks, d->largest,
  };
  gboolean any = FALSE;

  for (guint c = 0; c < MSC_N_COLUMNS; c++)
    {
      msc_format_delta (values[c], c == MSC_BLOCKS_COLUMN, cells[c]);
      any |= values[c] != 0;
    }
  return any;
}

static void
msc_summary_cells (const MscSummaryRow *row,
                   MscCells             cells)
{
  const guint64 values[MSC_N_COLUMNS] = {
    row->size, row->committed, row->private_bytes, row->total_ws, row->private_ws,
    row->shareable_ws, row->shared_ws, row->locked_ws, row->blocks, row->largest,
  };

  for (guint c = 0; c < MSC_N_COLUMNS; c++)
    {
      gboolean ws = c >= 3 && c <= 7;

      /* Where the OS gave no figure: "n/a", never a made-up zero. */
      if ((ws && (!row->ws_known || (c == 7 && !row->locked_known))) || (c == 2 && row->private_unknown))
        g_strlcpy (cells[c], "n/a", MSC_CELL_LEN);
      else if (c == MSC_BLOCKS_COLUMN)
        g_strlcpy (cells[c], values[c] != 0 ? msc_format_u64 (values[c], cells[c], MSC_CELL_LEN) : "",
                   MSC_CELL_LEN);
      else
        msc_format_kb (values[c], TRUE, cells[c], MSC_CELL_LEN);
    }
}

/* ---- one region ---- */

static int
msc_address_digits (guint bits)
{
  return bits == 32 ? 8 : 16;
}

/* "  00000000004000A0" (indented when a sub-block), padded to one width. */
static void
msc_append_address (GString         *out,
                    const MscRegion *region,
                    guint            bits)
{
  gboolean sub = (region->flags & MSC_REGION_SUBBLOCK) != 0;
  int digits = msc_address_digits (bits);

  g_string_append_printf (out, "%s%0*" G_GINT64_MODIFIER "X%s", sub ? "  " : "", digits,
                          region->address, sub ? "" : "  ");
}

static void
msc_append_kb (GString *out,
               guint64  bytes)
{
  char kb[MSC_FORMAT_KB_LEN];

  g_string_append (out, msc_format_kb (bytes, FALSE, kb, sizeof kb));
}

/* Address, type, size, protection, details: what identifies a region. */
static void
msc_append_region (GString              *out,
                   const MscRegionTable *table,
                   gsize                 i,
                   guint                 bits)
{
  MscRegion region = msc_region_table_row (table, i);
  char protection[MSC_PROTECTION_LEN];
  char size[MSC_FORMAT_KB_LEN];

  msc_append_address (out, &region, bits);
  g_string_append_printf (out, "  %-*s  %*s KB  %-*s  ", MSC_TYPE_WIDTH, msc_region_type_string (&region),
                          MSC_VALUE_WIDTH, msc_format_kb (region.size, FALSE, size, sizeof size),
                          MSC_PROT_WIDTH, msc_protection_string (msc_region_shown_protection (&region), protection, sizeof protection));
  msc_string_append_escaped (out, msc_region_table_details (table, i));
}

/* One field of a region as the text views show it. */
static void
msc_append_field (GString              *out,
                  guint                 field,
                  const MscRegionTable *table,
                  gsize                 i)
{
  MscRegion region = msc_region_table_row (table, i);
  char protection[MSC_PROTECTION_LEN];
  guint64 bytes;

  if (msc_diff_field_bytes (field, &region, &bytes))
    msc_append_kb (out, bytes);
  else if (field == MSC_DIFF_FIELD_BLOCKS)
    g_string_append_printf (out, "%u", region.blocks);
  else if (field == MSC_DIFF_FIELD_PROTECTION)
    g_string_append (out, msc_protection_string (msc_region_shown_protection (&region), protection, sizeof protection));
  else if (field == MSC_DIFF_FIELD_TYPE)
    g_string_append (out, msc_region_type_string (&region));
  else
    {
      g_string_append (out, "“");
      msc_string_append_escaped (out, msc_region_table_details (table, i));
      g_string_append (out, "”");
    }
}

/* "Size 1,024 -> 3,072 KB, Protection Read -> Read/Write" */
static void
msc_append_changes (GString              *out,
                    const MscDiffChange  *change,
                    const MscRegionTable *ta,
                    const MscRegionTable *tb)
{
  gboolean first = TRUE;

  for (guint f = 0; f < MSC_DIFF_N_FIELDS; f++)
    {
      guint field = 1u << f;
      guint64 bytes;
      MscRegion region_b;

      if (!(change->changed & field))
        continue;
      g_string_append_printf (out, "%s%s ", first ? "" : ", ", msc_diff_field_name (field));
      msc_append_field (out, field, ta, change->index_a);
      g_string_append (out, " -> ");
      msc_append_field (out, field, tb, change->index_b);
      region_b = msc_region_table_row (tb, change->index_b);
      if (msc_diff_field_bytes (field, &region_b, &bytes))
        g_string_append (out, " KB");
      first = FALSE;
    }
}

static void
msc_append_change (GString             *out,
                   MscDiff             *diff,
                   const MscDiffChange *change,
                   guint                bits)
{
  const MscRegionTable *ta = msc_snapshot_get_regions (msc_diff_get_a (diff));
  const MscRegionTable *tb = msc_snapshot_get_regions (msc_diff_get_b (diff));
  MscRegion region_b;

  switch (change->status)
    {
    case MSC_DIFF_NEW:
      g_string_append (out, "+ ");
      msc_append_region (out, tb, change->index_b, bits);
      break;
    case MSC_DIFF_REMOVED:
      g_string_append (out, "- ");
      msc_append_region (out, ta, change->index_a, bits);
      break;
    case MSC_DIFF_CHANGED:
    case MSC_DIFF_SAME:
    default:
      g_string_append (out, "~ ");
      region_b = msc_region_table_row (tb, change->index_b);
      msc_append_address (out, &region_b, bits);
      g_string_append_printf (out, "  %-*s  ", MSC_TYPE_WIDTH, msc_region_type_string (&region_b));
      msc_append_changes (out, change, ta, tb);
      break;
    }
  msc_end_line (out);
}

/* ---- snapshots ---- */

/* "2024-01-17 21:20:00 UTC", or the raw ticks when out of range. */
static char *
msc_snapshot_time (MscSnapshot *snapshot)
{
  g_autoptr(GDateTime) time = msc_snapshot_dup_date_time (snapshot);

  if (time == NULL)
    return g_strdup_printf ("%" G_GUINT64_FORMAT, msc_snapshot_get_timestamp (snapshot));
  return g_date_time_format (time, "%Y-%m-%d %H:%M:%S UTC");
}

void
msc_diff_format (MscDiff    *diff,
                 const char *label_a,
                 const char *label_b,
                 guint       bits,
                 GString    *out)
{
  g_autofree char *time_a = msc_snapshot_time (msc_diff_get_a (diff));
  g_autofree char *time_b = msc_snapshot_time (msc_diff_get_b (diff));
  /* Labels are paths: a file name may hold a newline too. */
  g_autofree char *shown_a = msc_text_escaped (label_a);
  g_autofree char *shown_b = msc_text_escaped (label_b);
  MscCells cells;

  g_return_if_fail (MSC_IS_DIFF (diff));

  g_string_append_printf (out, "--- %s\t%s\n+++ %s\t%s\n\n", shown_a, time_a, shown_b, time_b);
  msc_table_header (out, _("Change (KB)"));
  msc_delta_cells (msc_diff_get_total_delta (diff), cells);
  msc_table_row (out, _("Total"), cells);
  for (int type = 0; type < MSC_N_TYPES; type++)
    if (msc_delta_cells (msc_diff_get_type_delta (diff, (MscUseType) type), cells))
      msc_table_row (out, msc_use_type_name ((MscUseType) type), cells);

  g_string_append_printf (out, _("\nRegions: %u new, %u removed, %u changed\n"),
                          msc_diff_count (diff, MSC_DIFF_NEW), msc_diff_count (diff, MSC_DIFF_REMOVED),
                          msc_diff_count (diff, MSC_DIFF_CHANGED));
  /* Say what an export could not tell, rather than count it as a change. */
  if (msc_diff_get_limits (diff) & MSC_DIFF_LIMIT_UNLISTED)
    g_string_append (out, _("Not compared: Free, Unusable and Page Table regions (a VMMap export lists none)\n"));
  if (msc_diff_get_limits (diff) & MSC_DIFF_LIMIT_KB)
    g_string_append (out, _("Not compared: differences under 1 KB (a VMMap export rounds every figure to KB)\n"));
  for (guint i = 0; i < msc_diff_get_n_changes (diff); i++)
    msc_append_change (out, diff, msc_diff_get_change (diff, i), bits);
}

static void
msc_snapshot_format (MscSnapshot *snapshot,
                     guint        index,
                     guint        n,
                     guint        bits,
                     GString     *out)
{
  const MscSummary *summary = msc_snapshot_get_summary (snapshot);
  const MscRegionTable *table = msc_snapshot_get_regions (snapshot);
  g_autofree char *time = msc_snapshot_time (snapshot);
  MscCells cells;

  g_string_append_printf (out, _("\nSnapshot %u of %u: %s%s\n\n"), index + 1, n, time,
                          msc_snapshot_get_imported (snapshot) ? _(" (imported)") : "");
  msc_table_header (out, _("Type"));
  msc_summary_cells (&summary->total, cells);
  msc_table_row (out, _("Total"), cells);
  for (int type = 0; type < MSC_N_TYPES; type++)
    {
      msc_summary_cells (&summary->types[type], cells);
      msc_table_row (out, msc_use_type_name ((MscUseType) type), cells);
    }
  g_string_append_c (out, '\n');
  for (gsize i = 0; i < msc_region_table_length (table); i++)
    {
      msc_append_region (out, table, i, bits);
      msc_end_line (out);
    }
}

void
msc_session_format (MscSession *session,
                    GString    *out)
{
  MscProcess *process;
  guint n;

  g_return_if_fail (MSC_IS_SESSION (session));

  process = msc_session_get_process (session);
  n = msc_session_get_n_snapshots (session);
  if (process != NULL)
    {
      g_autofree char *name = msc_text_escaped (msc_process_get_name (process) != NULL
                                                ? msc_process_get_name (process) : "");

      g_string_append_printf (out, _("Process: %s\nPID: %u\n"), name, msc_process_get_pid (process));
    }
  for (guint i = 0; i < n; i++)
    msc_snapshot_format (msc_session_get_snapshot (session, i), i, n,
                         process != NULL ? msc_process_get_bits (process) : 0, out);
}
