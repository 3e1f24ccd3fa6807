/* msc-summary.h — VMMap's summary table: one row per type plus Total. */
#pragma once

#include "model/core/msc-region-table.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
  uint64_t size;
  uint64_t committed;
  uint64_t private_bytes;
  uint64_t total_ws;
  uint64_t private_ws;
  uint64_t shareable_ws;
  uint64_t shared_ws;
  uint64_t locked_ws;
  uint64_t blocks;
  uint64_t largest;
  int      ws_known;   /* 0: at least one region had no WS figures: show "n/a" */
  int      locked_known; /* 0: Locked WS of at least one region unknown
                          * (MSC_REGION_LOCKED_UNKNOWN or _WS_UNKNOWN): "n/a" */
  int      private_unknown; /* 1: Private of at least one region unknown
                             * (MSC_REGION_PRIVATE_UNKNOWN): "n/a". Inverted so the
                             * rows built field by field (imports) default to known. */
} MscSummaryRow;

typedef struct {
  MscSummaryRow types[MSC_N_TYPES];  /* indexed by MscUseType */
  MscSummaryRow total;
  /* The working set of the whole process where the regions have none
   * (total.ws_known 0): the OS gives it for the process, not by region or
   * type. 0 = none. Set by the snapshot, not by msc_summary_compute(). */
  uint64_t process_ws;
} MscSummary;

/* Computes the summary the way VMMap's does (formats.md §3.2): sums over
 * top-level regions; Blocks = their Blocks (Free: how many free regions);
 * Largest = the largest top-level Size. Page Table from page_table_size
 * (Size = Committed = Private = Total WS = Private WS); regions typed Page
 * Table are not counted (we never write one). Total excludes Free from Size
 * and Blocks; Total has no Largest. table may be NULL. */
void msc_summary_compute (MscSummary *summary, const MscRegionTable *table, uint64_t page_table_size);

#ifdef __cplusplus
}
#endif
