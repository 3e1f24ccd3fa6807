/* msc-csv-writer.c — VMMap's CSV export (formats.md §3): every field quoted,
 * KB values with ',' separators, zero as "", header rows ending with a
 * comma, data rows without; lines end "\r\n" (docs/file-formats.md).
 */
#include "model/core/msc-capture.h"

#include "model/core/msc-export.h"
#include "model/core/msc-output.h"

#define MSC_CSV_EOL "\r\n"

/* "h1","h2",...,"hn",  — VMMap's header rows end with a comma. */
static void
msc_csv_header (MscOutput *out, const char *const *headers, size_t n)
{
  for (size_t c = 0; c < n; c++)
    {
      msc_output_write (out, "\"", 1);
      msc_output_str (out, headers[c]);
      msc_output_write (out, "\",", 2);
    }
  msc_output_str (out, MSC_CSV_EOL);
}

/* Cells need no escaping: numbers, "n/a", type and protection words. */
static char *
msc_csv_cells (char *p, const MscCell *cells, size_t n)
{
  for (size_t c = 0; c < n; c++)
    {
      if (c > 0)
        *p++ = ',';
      *p++ = '"';
      p = msc_put_bytes (p, cells[c].text, cells[c].len);
      *p++ = '"';
    }
  return p;
}

static void
msc_csv_summary (MscOutput *out, const MscCaptureSnapshot *snapshot)
{
  MscSummary summary;

  msc_export_summary (snapshot, &summary);
  msc_csv_header (out, msc_summary_headers, 1 + MSC_SUMMARY_VALUES);
  for (int k = 0; k < MSC_SUMMARY_ROWS; k++)
    {
      MscCell cells[1 + MSC_SUMMARY_VALUES];
      const char *name;
      const MscSummaryRow *row = msc_export_summary_row (&summary, k, &name);
      char *p = msc_output_reserve (out, MSC_OUTPUT_LINE_MAX);

      if (p == NULL)
        return;
      cells[0].len = strlen (name);
      memcpy (cells[0].text, name, cells[0].len);
      msc_export_summary_cells (row, cells + 1);
      p = msc_csv_cells (p, cells, 1 + MSC_SUMMARY_VALUES);
      msc_output_commit (out, MSC_PUT_LIT (p, MSC_CSV_EOL));
    }
}

static void
msc_csv_details (MscOutput *out, const MscCaptureProcess *process, const MscRegionTable *table)
{
  int digits = msc_export_table_address_digits (process, table);

  msc_csv_header (out, msc_details_headers, MSC_DETAILS_CELLS + 1);
  for (size_t i = msc_export_next_detail (table, 0); i != MSC_NO_PARENT && !out->failed;
       i = msc_export_next_detail (table, i + 1))
    {
      MscCell cells[MSC_DETAILS_CELLS];
      MscRegion row = msc_region_table_row (table, i);
      char *p = msc_output_reserve (out, MSC_OUTPUT_LINE_MAX);

      if (p == NULL)
        return;
      msc_export_details_cells (&row, digits, cells);
      p = MSC_PUT_LIT (msc_csv_cells (p, cells, MSC_DETAILS_CELLS), ",\"");
      msc_output_commit (out, p);
      msc_output_text (out, msc_region_table_details (table, i), MSC_TEXT_CSV);
      msc_output_str (out, "\"" MSC_CSV_EOL);
    }
}

MscStatusCode
msc_csv_write (FILE *file, const MscCaptureProcess *process, const MscCaptureSnapshot *snapshot,
               MscStatus *status)
{
  MscOutput out;
  char pid[MSC_FORMAT_U64_LEN];

  if (msc_output_init (&out, file, status) != MSC_OK)
    return MSC_ERR_NO_MEMORY;
  msc_output_str (&out, "\"Process:\",\"");
  msc_output_text (&out, process->name != NULL ? process->name : "", MSC_TEXT_CSV);
  msc_output_str (&out, "\"" MSC_CSV_EOL "\"PID:\",\"");
  msc_output_str (&out, msc_format_u64 (process->pid, pid, sizeof pid));
  msc_output_str (&out, "\"" MSC_CSV_EOL);
  msc_export_notes (&out, snapshot->notes, "\"Note:\",\"", "\"" MSC_CSV_EOL, MSC_TEXT_CSV);
  msc_output_str (&out, MSC_CSV_EOL);
  msc_csv_summary (&out, snapshot);
  msc_output_str (&out, MSC_CSV_EOL);
  msc_csv_details (&out, process, snapshot->regions);
  /* VMMap's file ends with an empty line. */
  msc_output_str (&out, MSC_CSV_EOL);
  return msc_output_finish (&out, status);
}
