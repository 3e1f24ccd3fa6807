/* msc-txt-writer.c — VMMap's text export (formats.md §4): the CSV's tables
 * in fixed-width columns.
 *
 * Readers of VMMap text files find the details columns by the header words'
 * start offsets (OpenJ9FootprintAnalysis slices each line at them), so there
 * every header word starts its column and numbers are right-aligned inside
 * it. The summary's header words are right-aligned over their numbers, the
 * way a reader of a right-aligned table (our CLI tests) takes them. Column
 * widths come from the widest cell, so no value ever spills into the next.
 */
#include "model/core/msc-capture.h"

#include "model/core/msc-export.h"
#include "model/core/msc-output.h"

#define MSC_TXT_GAP 2
#define MSC_TXT_TYPE_WIDTH 12  /* "Managed Heap", "Private Data" */

typedef enum { MSC_ALIGN_LEFT, MSC_ALIGN_RIGHT } MscAlign;

static char *
msc_txt_pad (char *p, size_t n)
{
  memset (p, ' ', n);
  return p + n;
}

/* text in a column of width (>= len), then the gap. */
static char *
msc_txt_cell (char *p, const char *text, size_t len, size_t width, MscAlign align)
{
  if (align == MSC_ALIGN_RIGHT)
    p = msc_txt_pad (p, width - len);
  p = msc_put_bytes (p, text, len);
  if (align == MSC_ALIGN_LEFT)
    p = msc_txt_pad (p, width - len);
  return msc_txt_pad (p, MSC_TXT_GAP);
}

/* Ends the line held in [start, p): no trailing blanks. */
static void
msc_txt_end_line (MscOutput *out, char *start, char *p, const char *eol)
{
  while (p > start && p[-1] == ' ')
    p--;
  msc_output_commit (out, msc_put_bytes (p, eol, strlen (eol)));
}

static void
msc_txt_widen (size_t *widths, const MscCell *cells, size_t n)
{
  for (size_t c = 0; c < n; c++)
    if (cells[c].len > widths[c])
      widths[c] = cells[c].len;
}

/* The notes only in files (and Copy All): the CLI's summary prints them on
 * stderr, away from the table. */
static void
msc_txt_process (MscOutput *out, const MscCaptureProcess *process, const char *notes, const char *eol)
{
  char pid[MSC_FORMAT_U64_LEN];

  msc_output_str (out, "Process: ");
  msc_output_text (out, process->name != NULL ? process->name : "", MSC_TEXT_PLAIN);
  msc_output_str (out, eol);
  msc_output_str (out, "PID: ");
  msc_output_str (out, msc_format_u64 (process->pid, pid, sizeof pid));
  msc_output_str (out, eol);
  msc_export_notes (out, notes, "Note: ", eol, MSC_TEXT_PLAIN);
  msc_output_str (out, eol);
}

static void
msc_txt_summary (MscOutput *out, const MscCaptureSnapshot *snapshot, const char *eol)
{
  MscSummary summary;
  MscCell cells[MSC_SUMMARY_ROWS][MSC_SUMMARY_VALUES];
  const char *names[MSC_SUMMARY_ROWS];
  size_t widths[MSC_SUMMARY_VALUES];
  char *start, *p;

  msc_export_summary (snapshot, &summary);
  for (int c = 0; c < MSC_SUMMARY_VALUES; c++)
    widths[c] = strlen (msc_summary_headers[c + 1]);
  for (int k = 0; k < MSC_SUMMARY_ROWS; k++)
    {
      msc_export_summary_cells (msc_export_summary_row (&summary, k, &names[k]), cells[k]);
      msc_txt_widen (widths, cells[k], MSC_SUMMARY_VALUES);
    }

  if ((start = p = msc_output_reserve (out, MSC_OUTPUT_LINE_MAX)) == NULL)
    return;
  p = msc_txt_cell (p, "Type", 4, MSC_TXT_TYPE_WIDTH, MSC_ALIGN_LEFT);
  for (int c = 0; c < MSC_SUMMARY_VALUES; c++)
    p = msc_txt_cell (p, msc_summary_headers[c + 1], strlen (msc_summary_headers[c + 1]), widths[c],
                      MSC_ALIGN_RIGHT);
  msc_txt_end_line (out, start, p, eol);

  for (int k = 0; k < MSC_SUMMARY_ROWS; k++)
    {
      if ((start = p = msc_output_reserve (out, MSC_OUTPUT_LINE_MAX)) == NULL)
        return;
      p = msc_txt_cell (p, names[k], strlen (names[k]), MSC_TXT_TYPE_WIDTH, MSC_ALIGN_LEFT);
      for (int c = 0; c < MSC_SUMMARY_VALUES; c++)
        p = msc_txt_cell (p, cells[k][c].text, cells[k][c].len, widths[c], MSC_ALIGN_RIGHT);
      msc_txt_end_line (out, start, p, eol);
    }
}

static MscAlign
msc_txt_details_align (int column)
{
  return column <= MSC_DETAILS_TYPE || column == MSC_DETAILS_PROTECTION ? MSC_ALIGN_LEFT
                                                                          : MSC_ALIGN_RIGHT;
}

static void
msc_txt_details (MscOutput *out, const MscCaptureProcess *process, const MscRegionTable *table,
                 const char *eol)
{
  int digits = msc_export_table_address_digits (process, table);
  size_t widths[MSC_DETAILS_CELLS];
  MscCell cells[MSC_DETAILS_CELLS];
  char *start, *p;

  for (int c = 0; c < MSC_DETAILS_CELLS; c++)
    widths[c] = strlen (msc_details_headers[c]);
  for (size_t i = msc_export_next_detail (table, 0); i != MSC_NO_PARENT;
       i = msc_export_next_detail (table, i + 1))
    {
      MscRegion row = msc_region_table_row (table, i);

      msc_export_details_cells (&row, digits, cells);
      msc_txt_widen (widths, cells, MSC_DETAILS_CELLS);
    }

  if ((start = p = msc_output_reserve (out, MSC_OUTPUT_LINE_MAX)) == NULL)
    return;
  for (int c = 0; c < MSC_DETAILS_CELLS; c++)
    p = msc_txt_cell (p, msc_details_headers[c], strlen (msc_details_headers[c]), widths[c],
                      MSC_ALIGN_LEFT);
  p = MSC_PUT_LIT (p, "Details");
  msc_txt_end_line (out, start, p, eol);

  for (size_t i = msc_export_next_detail (table, 0); i != MSC_NO_PARENT && !out->failed;
       i = msc_export_next_detail (table, i + 1))
    {
      const char *details = msc_region_table_details (table, i);
      MscRegion row = msc_region_table_row (table, i);

      if ((start = p = msc_output_reserve (out, MSC_OUTPUT_LINE_MAX)) == NULL)
        return;
      msc_export_details_cells (&row, digits, cells);
      for (int c = 0; c < MSC_DETAILS_CELLS; c++)
        p = msc_txt_cell (p, cells[c].text, cells[c].len, widths[c], msc_txt_details_align (c));
      if (details[0] == '\0')
        {
          msc_txt_end_line (out, start, p, eol);
          continue;
        }
      msc_output_commit (out, p);
      msc_output_text (out, details, MSC_TEXT_PLAIN);
      msc_output_str (out, eol);
    }
}

static MscStatusCode
msc_txt_write_full (FILE *file, const MscCaptureProcess *process, const MscCaptureSnapshot *snapshot,
                    int with_details, MscStatus *status)
{
  /* Files get VMMap's "\r\n"; the summary goes to a terminal or a pipe,
   * where the C runtime already translates "\n" on Windows. */
  const char *eol = with_details ? "\r\n" : "\n";
  MscOutput out;

  if (msc_output_init (&out, file, status) != MSC_OK)
    return MSC_ERR_NO_MEMORY;
  msc_txt_process (&out, process, with_details ? snapshot->notes : NULL, eol);
  msc_txt_summary (&out, snapshot, eol);
  if (with_details)
    {
      msc_output_str (&out, eol);
      msc_txt_details (&out, process, snapshot->regions, eol);
    }
  return msc_output_finish (&out, status);
}

MscStatusCode
msc_txt_write (FILE *file, const MscCaptureProcess *process, const MscCaptureSnapshot *snapshot,
               MscStatus *status)
{
  return msc_txt_write_full (file, process, snapshot, 1, status);
}

MscStatusCode
msc_txt_write_summary (FILE *file, const MscCaptureProcess *process,
                       const MscCaptureSnapshot *snapshot, MscStatus *status)
{
  return msc_txt_write_full (file, process, snapshot, 0, status);
}
