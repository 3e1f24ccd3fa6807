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
} MscSummaryRow;

typedef struct {
  MscSummaryRow types[MSC_N_TYPES];  /* indexed by MscUseType */
  MscSummaryRow total;
} MscSummary;

/* Computes the summary the way VMMap's does (formats.md §3.2): sums over
 * top-level regions; Page Table from page_table_size; Total excludes Free
 * from Size and Blocks; Total has no Largest. */
void msc_summary_compute (MscSummary *summary, const MscRegionTable *table, uint64_t page_table_size);

#ifdef __cplusplus
}
#endif
