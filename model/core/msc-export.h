/* msc-export.h — internal to model/core: what the CSV and text exports show,
 * cell by cell, so both writers agree on every rule (formats.md §3-4): KB
 * values, zero as an empty cell, "n/a" where the OS gave no figure, which
 * regions the details table lists and how sub-block addresses are indented.
 */
#pragma once

#include "model/core/msc-capture.h"
#include "model/core/msc-format.h"
#include "model/core/msc-output.h"
#include "model/core/msc-summary.h"

/* Summary table: Type + 10 value columns; 11 rows, Total first. */
#define MSC_SUMMARY_VALUES 10
#define MSC_SUMMARY_ROWS   11
/* Details table: 12 cells (Address .. Protection) + Details. */
#define MSC_DETAILS_CELLS  12
#define MSC_DETAILS_TYPE    1  /* column of Type */
#define MSC_DETAILS_BLOCKS 10  /* column of Blocks */
#define MSC_DETAILS_PROTECTION 11

extern const char *const msc_summary_headers[1 + MSC_SUMMARY_VALUES];  /* "Type" .. "Largest" */
extern const char *const msc_details_headers[MSC_DETAILS_CELLS + 1];   /* "Address" .. "Details" */

typedef struct {
  char   text[MSC_PROTECTION_LEN];
  size_t len;
} MscCell;

/* The summary the exports show: snapshot->summary, or computed. */
void msc_export_summary (const MscCaptureSnapshot *snapshot, MscSummary *summary);

/* Row k (0 = Total, then Image .. Free) and its name. */
const MscSummaryRow *msc_export_summary_row (const MscSummary *summary, int k, const char **name);
void msc_export_summary_cells (const MscSummaryRow *row, MscCell cells[MSC_SUMMARY_VALUES]);

/* Index of the next region the details table lists at or after i, or
 * MSC_NO_PARENT: top-level regions other than Free, Unusable and Page Table,
 * each followed by its sub-blocks. */
size_t msc_export_next_detail (const MscRegionTable *table, size_t i);
/* Address digits: 8 for a 32-bit process, else 16 (formats.md §3.3). */
int  msc_export_address_digits (const MscCaptureProcess *process);
/* The same for the regions of table: 16 when a 32-bit process's table
 * reaches past 4 GiB (the exports use this, so that they read back). */
int  msc_export_table_address_digits (const MscCaptureProcess *process, const MscRegionTable *table);
void msc_export_details_cells (const MscRegion *region, int digits, MscCell cells[MSC_DETAILS_CELLS]);

/* The protection a region is shown with: committed memory recorded without
 * any (older Linux captures: a PROT_NONE memfd page) reads "No access", as
 * VMMap shows it, never "Reserved" beside a Committed figure. */
uint32_t msc_region_shown_protection (const MscRegion *region);

/* The capture's notes (why figures are n/a or estimated), one line each:
 * prefix, the note in mode, suffix. VMMap's exports have no notes; both
 * writers put them after the "PID:" line, where a reader of VMMap's files
 * skips what it does not know and ours reads them back. */
void msc_export_notes (MscOutput *out, const char *notes, const char *prefix, const char *suffix,
                       MscTextMode mode);
