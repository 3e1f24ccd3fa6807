/* msc-string-pool.h — interned, NUL-terminated strings named by 32-bit
 * offsets; shared (reference-counted) by the region tables of a session.
 *
 * Plain C. Strings never move once interned (the pool grows by adding
 * chunks, never by realloc), so readers on other threads may look strings
 * up while one thread interns; interning itself is not thread-safe.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "model/core/msc-region-table.h"

typedef struct MscStringPool MscStringPool;

MscStringPool *msc_string_pool_new   (void);
MscStringPool *msc_string_pool_ref   (MscStringPool *pool);
void           msc_string_pool_unref (MscStringPool *pool);

/* The offset of s (NULL or "" = 0), interning it if new; -1 when out of
 * memory or the pool is full (4 GiB). */
int64_t        msc_string_pool_intern (MscStringPool *pool, const char *s);
const char    *msc_string_pool_get    (const MscStringPool *pool, uint32_t offset);
size_t         msc_string_pool_memory_size (const MscStringPool *pool);

/* For the core's own use (msc-region-delta.c): a table's pool, the pooled
 * details of row index, and appending a row whose details are already in
 * table's pool (no lookup: safe while another thread interns). */
MscStringPool  *msc_region_table_pool           (const MscRegionTable *table);
uint32_t        msc_region_table_details_offset (const MscRegionTable *table, size_t index);
int             msc_region_table_append_pooled  (MscRegionTable *table, const MscRegion *region, uint32_t offset);
