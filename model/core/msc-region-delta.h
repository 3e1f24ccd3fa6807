/* msc-region-delta.h — one snapshot's regions as a change to the one
 * before it: the allocations (top-level regions with their sub-blocks)
 * added or changed, and the addresses of those removed.
 *
 * Plain C. Allocations are keyed by their start address, so only tables
 * whose top-level regions are ordered (msc_region_table_is_ordered) can be
 * expressed. The records are packed (varints, about a third of a table
 * row): a delta is only ever applied, never indexed. See
 * docs/snapshot-storage.md.
 */
#pragma once

#include "model/core/msc-region-table.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct MscRegionDelta MscRegionDelta;

/* Every MscRegion field but the address, numbered in the order deltas (and
 * the .mmp's SnapshotDelta, docs/file-formats.md) store them: size,
 * committed, private_bytes, total_ws, private_ws, shareable_ws, shared_ws,
 * locked_ws, pss, swap, blocks, protection, storage, heap_id, thread_id,
 * flags, type, perms. _set returns -1 (storing the value cut to the
 * field's width) when value does not fit. */
#define MSC_REGION_N_FIELDS 18
uint64_t msc_region_field_get (const MscRegion *region, size_t f);
int      msc_region_field_set (MscRegion *region, size_t f, uint64_t value);

/* 1 when the allocations at top-level rows ia of a and ib of b are equal
 * row by row (msc_region_table_same). */
int      msc_region_same_allocation (const MscRegionTable *a, size_t ia, const MscRegionTable *b, size_t ib);

/* What turns prev into next; its details intern into prev's pool (so calls
 * must not run at once with other appends to tables sharing it). NULL when
 * either table is not ordered, or out of memory. */
MscRegionDelta *msc_region_delta_new  (const MscRegionTable *prev, const MscRegionTable *next);
void            msc_region_delta_free (MscRegionDelta *delta);

/* Records held: changed regions plus removed addresses. */
size_t      msc_region_delta_n_records   (const MscRegionDelta *delta);
size_t      msc_region_delta_memory_size (const MscRegionDelta *delta); /* pool not counted */
const void *msc_region_delta_pool_id     (const MscRegionDelta *delta);
size_t      msc_region_delta_pool_size   (const MscRegionDelta *delta);

/* For msc_region_delta_touches(): zero it, then ask in address order. */
typedef struct {
  size_t pos;
} MscRegionDeltaCursor;

/* 1 when the allocation starting at address is in the delta (changed,
 * added or removed); O(1) amortized over address-ordered queries. */
int         msc_region_delta_touches (const MscRegionDelta *delta, uint64_t address, MscRegionDeltaCursor *cursor);

/* base with deltas[0], then deltas[1], ... applied: a new table sharing
 * base's pool (the deltas must share it too). NULL when out of memory. */
MscRegionTable *msc_region_delta_apply (const MscRegionTable *base, const MscRegionDelta *const *deltas, size_t n);

#ifdef __cplusplus
}
#endif
