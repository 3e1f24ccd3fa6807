/* msc-region-table.c — one compact array of region records, an index of the
 * top-level ones, and an interning string pool for their details.
 *
 * Budget: a 100,000-region snapshot must stay under 200 bytes per region in
 * total (tests/core/test-region-table.c). A record is 120 bytes; big arrays
 * grow by 1.25x so at worst a fifth of the array is slack (150 bytes), and
 * details cost almost nothing because the same few strings (a library's path on each
 * of its segments, "Heap ID: 1 [...]" on every heap block) are stored once,
 * in a pool the tables of a session share (msc-string-pool.c). A finished
 * table gives its slack back (msc_region_table_trim).
 */
#include "model/core/msc-region-table.h"
#include "model/core/msc-string-pool.h"

#include <stdlib.h>
#include <string.h>

typedef struct {
  MscRegion region;
  uint32_t  details;  /* offset into the pool; 0 is "" */
  /* A sub-block: index of its top-level region. A top-level region: how many
   * sub-blocks follow it (MSC_REGION_SUBBLOCK tells the two apart). */
  uint32_t  link;
} MscRegionEntry;

struct MscRegionTable {
  MscRegionEntry *entries;
  size_t          length;
  size_t          capacity;

  uint32_t       *tops;        /* indexes of top-level entries, ascending */
  size_t          n_tops;
  size_t          tops_capacity;
  uint64_t        last_end;    /* end of the last top-level region */
  int             unsorted;    /* a top-level region overlapped or went backwards */
  int             repeated;    /* two top-level regions started at one address */

  MscStringPool  *pool;        /* details; shared by the tables of a session */
};

_Static_assert (sizeof (MscRegionEntry) == 120, "the 200 bytes/region budget assumes 120-byte records");

#define MSC_INDEX_MAX UINT32_MAX  /* entries and pool offsets are 32-bit */

static MscRegionTable *
msc_region_table_new_with_pool (MscStringPool *pool)
{
  MscRegionTable *table;

  if (pool == NULL)
    return NULL;
  table = calloc (1, sizeof *table);
  if (table == NULL)
    {
      msc_string_pool_unref (pool);
      return NULL;
    }
  table->pool = pool;
  return table;
}

MscRegionTable *
msc_region_table_new (void)
{
  return msc_region_table_new_with_pool (msc_string_pool_new ());
}

MscRegionTable *
msc_region_table_new_sharing (const MscRegionTable *other)
{
  return msc_region_table_new_with_pool (msc_string_pool_ref (other->pool));
}

void
msc_region_table_free (MscRegionTable *table)
{
  if (table == NULL)
    return;
  free (table->entries);
  free (table->tops);
  msc_string_pool_unref (table->pool);
  free (table);
}

/* Grows *array (elements of size) to hold at least needed, by 1.5x. */
static int
msc_grow (void **array, size_t *capacity, size_t needed, size_t size, size_t minimum)
{
  size_t cap = *capacity;
  void *grown;

  if (needed <= cap)
    return 0;
  if (cap < minimum)
    cap = minimum;
  while (cap < needed)
    {
      if (cap > SIZE_MAX / 3)
        return -1;
      /* 1.5x while small; 1.25x past 4 MiB, where slack would eat the
       * per-region budget (glibc moves such blocks with mremap, cheaply). */
      cap += cap * size > 4 * 1024 * 1024 ? cap / 4 : cap / 2;
    }
  if (cap > SIZE_MAX / size)
    return -1;
  grown = realloc (*array, cap * size);
  if (grown == NULL)
    return -1;
  /* The new tail is written at once, record by record: one call makes it
   * present instead of a fault per page (a third of a 60,000-mapping
   * capture's time went to those). */
  if ((cap - *capacity) * size >= 64 * 1024)
    msc_backend_prefault ((char *) grown + *capacity * size, (cap - *capacity) * size);
  *array = grown;
  *capacity = cap;
  return 0;
}

static void
msc_note_top_level (MscRegionTable *table, const MscRegion *region)
{
  uint64_t end = region->address + region->size;

  if (table->n_tops > 0 && region->address < table->last_end)
    table->unsorted = 1;
  if (table->n_tops > 0 && region->address <= table->entries[table->tops[table->n_tops - 1]].region.address)
    table->repeated = 1;
  /* An end past 2^64 (a bogus size) cannot be searched for reliably either;
   * one at 2^64 exactly (the top page) wraps to 0 and is fine: whether a
   * table is ordered decides how it is saved, and a save must read back
   * to the same decision. */
  if (end < region->address && end != 0)
    table->unsorted = 1;
  table->last_end = end;
}

/* Appends region with its details already interned at offset. */
static int
msc_append_entry (MscRegionTable *table, const MscRegion *region, uint32_t offset)
{
  int sub = (region->flags & MSC_REGION_SUBBLOCK) != 0;
  MscRegionEntry *entry;

  entry = &table->entries[table->length];
  entry->region = *region;
  entry->details = offset;
  if (sub)
    {
      uint32_t parent = table->tops[table->n_tops - 1];

      entry->link = parent;
      table->entries[parent].link++;
    }
  else
    {
      entry->link = 0;
      msc_note_top_level (table, region);
      table->tops[table->n_tops++] = (uint32_t) table->length;
    }
  table->length++;
  return 0;
}

/* Room for one more region; -1 when it cannot be appended. */
static int
msc_make_room (MscRegionTable *table, const MscRegion *region)
{
  int sub = (region->flags & MSC_REGION_SUBBLOCK) != 0;

  /* A type outside MscUseType would make every writer guess. */
  if (region->type >= MSC_N_TYPES || (sub && table->n_tops == 0) || table->length >= MSC_INDEX_MAX - 1)
    return -1;
  if (msc_grow ((void **) &table->entries, &table->capacity, table->length + 1, sizeof *table->entries, 64) != 0
      || (!sub && msc_grow ((void **) &table->tops, &table->tops_capacity, table->n_tops + 1,
                            sizeof *table->tops, 64) != 0))
    return -1;
  return 0;
}

int
msc_region_table_append (MscRegionTable *table, const MscRegion *region, const char *details)
{
  int64_t offset;

  if (msc_make_room (table, region) != 0)
    return -1;
  offset = msc_string_pool_intern (table->pool, details);
  if (offset < 0)
    return -1;
  return msc_append_entry (table, region, (uint32_t) offset);
}

MscStringPool *
msc_region_table_pool (const MscRegionTable *table)
{
  return table->pool;
}

uint32_t
msc_region_table_details_offset (const MscRegionTable *table, size_t index)
{
  return index < table->length ? table->entries[index].details : 0;
}

int
msc_region_table_append_pooled (MscRegionTable *table, const MscRegion *region, uint32_t offset)
{
  if (msc_make_room (table, region) != 0)
    return -1;
  return msc_append_entry (table, region, offset);
}

int
msc_region_table_append_from (MscRegionTable *table, const MscRegionTable *from, size_t index)
{
  const MscRegionEntry *entry;

  if (index >= from->length)
    return -1;
  entry = &from->entries[index];
  if (table->pool != from->pool)
    return msc_region_table_append (table, &entry->region, msc_region_table_details (from, index));
  return msc_region_table_append_pooled (table, &entry->region, entry->details);
}

int
msc_region_table_same (const MscRegionTable *a, size_t ia, const MscRegionTable *b, size_t ib)
{
  const MscRegionEntry *ea = &a->entries[ia], *eb = &b->entries[ib];

  /* MscRegion has no padding (8-byte fields first), so memcmp is exact. */
  if (memcmp (&ea->region, &eb->region, sizeof ea->region) != 0)
    return 0;
  if (a->pool == b->pool)
    return ea->details == eb->details;
  return strcmp (msc_region_table_details (a, ia), msc_region_table_details (b, ib)) == 0;
}

int
msc_region_table_shares_pool (const MscRegionTable *a, const MscRegionTable *b)
{
  return a->pool == b->pool;
}

int
msc_region_table_is_ordered (const MscRegionTable *table)
{
  return !table->unsorted && !table->repeated;
}

/* realloc to exactly n elements (n > 0); keeps the array if that fails. */
static void
msc_shrink (void **array, size_t *capacity, size_t n, size_t size)
{
  void *shrunk;

  if (n == 0 || n >= *capacity)
    return;
  shrunk = realloc (*array, n * size);
  if (shrunk == NULL)
    return;
  *array = shrunk;
  *capacity = n;
}

void
msc_region_table_trim (MscRegionTable *table)
{
  msc_shrink ((void **) &table->entries, &table->capacity, table->length, sizeof *table->entries);
  msc_shrink ((void **) &table->tops, &table->tops_capacity, table->n_tops, sizeof *table->tops);
}

size_t
msc_region_table_length (const MscRegionTable *table)
{
  return table->length;
}

const MscRegion *
msc_region_table_get (const MscRegionTable *table, size_t index)
{
  if (index >= table->length)
    return NULL;
  return &table->entries[index].region;
}

const char *
msc_region_table_details (const MscRegionTable *table, size_t index)
{
  if (index >= table->length)
    return "";
  return msc_string_pool_get (table->pool, table->entries[index].details);
}

static int
msc_entry_is_sub (const MscRegionEntry *entry)
{
  return (entry->region.flags & MSC_REGION_SUBBLOCK) != 0;
}

size_t
msc_region_table_parent (const MscRegionTable *table, size_t index)
{
  if (index >= table->length || !msc_entry_is_sub (&table->entries[index]))
    return MSC_NO_PARENT;
  return table->entries[index].link;
}

size_t
msc_region_table_n_children (const MscRegionTable *table, size_t index)
{
  if (index >= table->length || msc_entry_is_sub (&table->entries[index]))
    return 0;
  return table->entries[index].link;
}

size_t
msc_region_table_n_top_level (const MscRegionTable *table)
{
  return table->n_tops;
}

size_t
msc_region_table_top_level (const MscRegionTable *table, size_t k)
{
  if (k >= table->n_tops)
    return MSC_NO_PARENT;
  return table->tops[k];
}

static int
msc_contains (const MscRegion *region, uint64_t address)
{
  return address >= region->address && address - region->address < region->size;
}

size_t
msc_region_table_find (const MscRegionTable *table, uint64_t address)
{
  size_t lo = 0, hi = table->n_tops;

  if (table->unsorted)
    {
      /* Only a malformed input gets here; stay correct, if slow. */
      for (size_t k = 0; k < table->n_tops; k++)
        if (msc_contains (&table->entries[table->tops[k]].region, address))
          return table->tops[k];
      return MSC_NO_PARENT;
    }
  /* Last top-level region starting at or below address. */
  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;

      if (table->entries[table->tops[mid]].region.address <= address)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == 0 || !msc_contains (&table->entries[table->tops[lo - 1]].region, address))
    return MSC_NO_PARENT;
  return table->tops[lo - 1];
}

size_t
msc_region_table_records_size (const MscRegionTable *table)
{
  return sizeof *table
         + table->capacity * sizeof *table->entries
         + table->tops_capacity * sizeof *table->tops;
}

size_t
msc_region_table_pool_size (const MscRegionTable *table)
{
  return msc_string_pool_memory_size (table->pool);
}

const void *
msc_region_table_pool_id (const MscRegionTable *table)
{
  return table->pool;
}

size_t
msc_region_table_memory_size (const MscRegionTable *table)
{
  return msc_region_table_records_size (table) + msc_region_table_pool_size (table);
}

int
msc_region_table_sink (void *table, const MscRegion *region, const char *details)
{
  return msc_region_table_append (table, region, details) != 0;
}
