/* msc-region-table.h — the snapshot's regions: one compact sorted array of
 * packed rows, read back exactly as MscRegion values (never by pointer),
 * plus a string pool for their details, which tables may share (the
 * snapshots of one session do: docs/snapshot-storage.md).
 *
 * Plain C (no GLib): linked by the Windows capture tool too.
 * Regions are appended in address order; a sub-block (MSC_REGION_SUBBLOCK)
 * belongs to the top-level region appended last before it.
 */
#pragma once

#include "backends/backend.h"

#ifdef __cplusplus
extern "C" {
#endif

#define MSC_NO_PARENT ((size_t) -1)

typedef struct MscRegionTable MscRegionTable;

MscRegionTable *msc_region_table_new (void);
/* An empty table that interns its details into other's pool (shared, kept
 * alive by both). Tables sharing a pool may be read from any thread while
 * one appends, but two appends (to any of them) must not run at once. */
MscRegionTable *msc_region_table_new_sharing (const MscRegionTable *other);
void            msc_region_table_free (MscRegionTable *table);

/* Copies region and details (NULL = ""); details strings are interned.
 * Returns 0, or -1 when out of memory. A sub-block appended before any
 * top-level region, and a type outside MscUseType, are errors (-1).
 * Appending moves the rows and the pool: a pointer from _details() is
 * valid until the next append. */
int    msc_region_table_append (MscRegionTable *table, const MscRegion *region, const char *details);

/* Appends from's row index (same rules as _append). Between tables sharing
 * a pool the details are not even looked up: such copies may run while
 * another thread appends. */
int    msc_region_table_append_from (MscRegionTable *table, const MscRegionTable *from, size_t index);
/* 1 when row ia of a and row ib of b are equal in every field and detail. */
int    msc_region_table_same (const MscRegionTable *a, size_t ia, const MscRegionTable *b, size_t ib);
/* 1 when both intern into one pool. */
int    msc_region_table_shares_pool (const MscRegionTable *a, const MscRegionTable *b);
/* 1 when the top-level regions start at strictly increasing addresses and
 * do not overlap (every scan; only malformed input is not). */
int    msc_region_table_is_ordered (const MscRegionTable *table);
/* Gives back the slack of a finished table's arrays. */
void   msc_region_table_trim (MscRegionTable *table);

size_t      msc_region_table_length  (const MscRegionTable *table);
/* Row index, by value: rows are stored packed (docs/snapshot-storage.md),
 * so there is no MscRegion to point at. All zero when index is out of range. */
MscRegion   msc_region_table_row     (const MscRegionTable *table, size_t index);
/* Its address or type alone, without unpacking the row (0 out of range). */
uint64_t    msc_region_table_address (const MscRegionTable *table, size_t index);
uint8_t     msc_region_table_type    (const MscRegionTable *table, size_t index);
const char *msc_region_table_details (const MscRegionTable *table, size_t index); /* never NULL */
size_t      msc_region_table_parent  (const MscRegionTable *table, size_t index); /* MSC_NO_PARENT for top level */
size_t      msc_region_table_n_children (const MscRegionTable *table, size_t index);
/* How many rows did not pack and are held whole (tests, the design notes). */
size_t      msc_region_table_n_escaped (const MscRegionTable *table);

/* The top-level regions in address order: k-th one's index (k < n_top_level),
 * MSC_NO_PARENT when k is out of range. */
size_t msc_region_table_n_top_level (const MscRegionTable *table);
size_t msc_region_table_top_level   (const MscRegionTable *table, size_t k);

/* Index of the top-level region containing address, or MSC_NO_PARENT. O(log n). */
size_t msc_region_table_find (const MscRegionTable *table, uint64_t address);

/* Bytes this table holds in memory (array + pool + index). */
size_t msc_region_table_memory_size (const MscRegionTable *table);
/* The same without the pool, and the pool alone (count a shared pool once:
 * _pool_id tells pools apart). */
size_t      msc_region_table_records_size (const MscRegionTable *table);
size_t      msc_region_table_pool_size    (const MscRegionTable *table);
const void *msc_region_table_pool_id      (const MscRegionTable *table);

/* MscRegionSink.region callback that appends to a table (user = table). */
int msc_region_table_sink (void *table, const MscRegion *region, const char *details);

#ifdef __cplusplus
}
#endif
