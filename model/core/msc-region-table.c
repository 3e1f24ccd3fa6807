/* msc-region-table.c — one compact array of packed region rows, the
 * overflow of rows that do not pack, an index of the top-level ones, and an
 * interning string pool for their details.
 *
 * Budget: a 100,000-region snapshot must stay under 200 bytes per region in
 * total (tests/core/test-region-table.c), one of a session's snapshots under
 * 100 (issue 20, bench-snapshots). A row is 84 bytes; big arrays grow by
 * 1.25x so at worst a fifth of the array is slack, and details cost almost
 * nothing because the same few strings (a library's path on each of its
 * segments, "Heap ID: 1 [...]" on every heap block) are stored once, in a
 * pool the tables of a session share (msc-string-pool.c). A finished table
 * gives its slack back (msc_region_table_trim). Rows are read by value
 * (msc_region_table_row): nothing outside this file sees the packing.
 */
#include "model/core/msc-region-table.h"
#include "model/core/msc-string-pool.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* A row as stored (docs/snapshot-storage.md): the nine byte figures in
 * 4 KiB pages, 32 bits each, everything else as it is; 84 bytes against
 * MscRegion's 112. A region whose figures do not all fit (not a page
 * multiple, or 2^44 - 4 KiB and up: only files can hold such) is escaped:
 * pages[0] is MSC_ESCAPED, pages[1] its index in the overflow array of full
 * MscRegions, the other pages 0. Packing is a function of the region, so two
 * unescaped rows are equal exactly when their bytes are (no padding: 4-byte
 * fields only). */
#define MSC_N_FIGURES  9          /* committed .. swap, contiguous in MscRegion */
#define MSC_PAGE_SHIFT 12
#define MSC_ESCAPED    UINT32_MAX

typedef struct {
  uint32_t address[2];  /* low, high: keeps the row 4-byte aligned (no tail padding) */
  uint32_t size[2];
  uint32_t pages[MSC_N_FIGURES];
  uint32_t blocks;
  uint32_t protection;
  uint32_t storage;
  uint32_t heap_id;
  uint32_t thread_id;
  uint16_t flags;
  uint8_t  type;
  uint8_t  perms;
  uint32_t details;     /* offset into the pool; 0 is "" */
  /* A sub-block: index of its top-level region. A top-level region: how many
   * sub-blocks follow it (MSC_REGION_SUBBLOCK tells the two apart). */
  uint32_t link;
} MscRow;

/* The bytes that say the region is the same (details compared apart). */
#define MSC_ROW_REGION_BYTES offsetof (MscRow, details)

struct MscRegionTable {
  MscRow         *rows;
  size_t          length;
  size_t          capacity;

  MscRegion      *overflow;    /* the escaped rows' regions */
  size_t          n_overflow;
  size_t          overflow_capacity;

  uint32_t       *tops;        /* indexes of top-level rows, ascending */
  size_t          n_tops;
  size_t          tops_capacity;
  uint64_t        last_end;    /* end of the last top-level region */
  int             unsorted;    /* a top-level region overlapped or went backwards */
  int             repeated;    /* two top-level regions started at one address */

  MscStringPool  *pool;        /* details; shared by the tables of a session */
};

_Static_assert (sizeof (MscRow) == 84, "the 100 bytes/region goal assumes 84-byte rows");
_Static_assert (sizeof (MscRegion) == 112, "MscRegion has no padding (unpacking writes every byte)");
_Static_assert (offsetof (MscRegion, swap) - offsetof (MscRegion, committed) == 8 * (MSC_N_FIGURES - 1),
                "the figures are contiguous");

/* blocks .. perms: laid out alike in both, copied as one block. */
#define MSC_TAIL_BYTES (sizeof (MscRegion) - offsetof (MscRegion, blocks))
#define MSC_SAME_TAIL(f) \
  (offsetof (MscRow, f) - offsetof (MscRow, blocks) == offsetof (MscRegion, f) - offsetof (MscRegion, blocks))
_Static_assert (MSC_SAME_TAIL (protection) && MSC_SAME_TAIL (storage) && MSC_SAME_TAIL (heap_id)
                && MSC_SAME_TAIL (thread_id) && MSC_SAME_TAIL (flags) && MSC_SAME_TAIL (type)
                && MSC_SAME_TAIL (perms) && offsetof (MscRow, details) - offsetof (MscRow, blocks) == MSC_TAIL_BYTES,
                "blocks .. perms are laid out alike");

#define MSC_INDEX_MAX UINT32_MAX  /* row indexes and pool offsets are 32-bit */

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
  free (table->rows);
  free (table->overflow);
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

static uint64_t
msc_u64 (const uint32_t half[2])
{
  return (uint64_t) half[1] << 32 | half[0];
}

static void
msc_set_u64 (uint32_t half[2], uint64_t value)
{
  half[0] = (uint32_t) value;
  half[1] = (uint32_t) (value >> 32);
}

static int
msc_row_is_escaped (const MscRow *row)
{
  return row->pages[0] == MSC_ESCAPED;
}

static int
msc_row_is_sub (const MscRow *row)
{
  return (row->flags & MSC_REGION_SUBBLOCK) != 0;
}

/* Packs region into row; 0 when a figure does not fit in 32-bit pages
 * (row->pages then holds garbage: the caller escapes it). */
static int
msc_row_pack (MscRow *row, const MscRegion *region)
{
  uint64_t figures[MSC_N_FIGURES];

  msc_set_u64 (row->address, region->address);
  msc_set_u64 (row->size, region->size);
  memcpy (&row->blocks, &region->blocks, MSC_TAIL_BYTES);
  memcpy (figures, (const char *) region + offsetof (MscRegion, committed), sizeof figures);
  for (size_t f = 0; f < MSC_N_FIGURES; f++)
    {
      /* MSC_ESCAPED itself is not a page count: it marks the escape. */
      if ((figures[f] & ((1u << MSC_PAGE_SHIFT) - 1)) != 0
          || figures[f] >> MSC_PAGE_SHIFT >= MSC_ESCAPED)
        return 0;
      row->pages[f] = (uint32_t) (figures[f] >> MSC_PAGE_SHIFT);
    }
  return 1;
}

static MscRegion
msc_row_unpack (const MscRegionTable *table, const MscRow *row)
{
  MscRegion region;
  uint64_t figures[MSC_N_FIGURES];

  if (msc_row_is_escaped (row))
    return table->overflow[row->pages[1]];
  region.address = msc_u64 (row->address);
  region.size = msc_u64 (row->size);
  for (size_t f = 0; f < MSC_N_FIGURES; f++)
    figures[f] = (uint64_t) row->pages[f] << MSC_PAGE_SHIFT;
  memcpy ((char *) &region + offsetof (MscRegion, committed), figures, sizeof figures);
  memcpy (&region.blocks, &row->blocks, MSC_TAIL_BYTES);
  return region;
}

static void
msc_note_top_level (MscRegionTable *table, const MscRow *row)
{
  uint64_t address = msc_u64 (row->address);
  uint64_t end = address + msc_u64 (row->size);

  if (table->n_tops > 0 && address < table->last_end)
    table->unsorted = 1;
  if (table->n_tops > 0 && address <= msc_u64 (table->rows[table->tops[table->n_tops - 1]].address))
    table->repeated = 1;
  /* An end past 2^64 (a bogus size) cannot be searched for reliably either;
   * one at 2^64 exactly (the top page) wraps to 0 and is fine: whether a
   * table is ordered decides how it is saved, and a save must read back
   * to the same decision. */
  if (end < address && end != 0)
    table->unsorted = 1;
  table->last_end = end;
}

/* Links the row just written at table->length (room made) and counts it. */
static int
msc_link_row (MscRegionTable *table)
{
  MscRow *row = &table->rows[table->length];

  if (msc_row_is_sub (row))
    {
      uint32_t parent = table->tops[table->n_tops - 1];

      row->link = parent;
      table->rows[parent].link++;
    }
  else
    {
      row->link = 0;
      msc_note_top_level (table, row);
      table->tops[table->n_tops++] = (uint32_t) table->length;
    }
  table->length++;
  return 0;
}

/* Appends region with its details already interned at offset (room made). */
static int
msc_append_row (MscRegionTable *table, const MscRegion *region, uint32_t offset)
{
  MscRow *row = &table->rows[table->length];

  if (!msc_row_pack (row, region))
    {
      if (table->n_overflow >= MSC_INDEX_MAX
          || msc_grow ((void **) &table->overflow, &table->overflow_capacity, table->n_overflow + 1,
                       sizeof *table->overflow, 4) != 0)
        return -1;
      table->overflow[table->n_overflow] = *region;
      memset (row->pages, 0, sizeof row->pages);
      row->pages[0] = MSC_ESCAPED;
      row->pages[1] = (uint32_t) table->n_overflow++;
    }
  row->details = offset;
  return msc_link_row (table);
}

/* Room for one more row of flags and type; -1 when it cannot be appended. */
static int
msc_make_room (MscRegionTable *table, uint16_t flags, uint8_t type)
{
  int sub = (flags & MSC_REGION_SUBBLOCK) != 0;

  /* A type outside MscUseType would make every writer guess. */
  if (type >= MSC_N_TYPES || (sub && table->n_tops == 0) || table->length >= MSC_INDEX_MAX - 1)
    return -1;
  if (msc_grow ((void **) &table->rows, &table->capacity, table->length + 1, sizeof *table->rows, 64) != 0
      || (!sub && msc_grow ((void **) &table->tops, &table->tops_capacity, table->n_tops + 1,
                            sizeof *table->tops, 64) != 0))
    return -1;
  return 0;
}

int
msc_region_table_append (MscRegionTable *table, const MscRegion *region, const char *details)
{
  int64_t offset;

  if (msc_make_room (table, region->flags, region->type) != 0)
    return -1;
  offset = msc_string_pool_intern (table->pool, details);
  if (offset < 0)
    return -1;
  return msc_append_row (table, region, (uint32_t) offset);
}

MscStringPool *
msc_region_table_pool (const MscRegionTable *table)
{
  return table->pool;
}

uint32_t
msc_region_table_details_offset (const MscRegionTable *table, size_t index)
{
  return index < table->length ? table->rows[index].details : 0;
}

int
msc_region_table_append_pooled (MscRegionTable *table, const MscRegion *region, uint32_t offset)
{
  if (msc_make_room (table, region->flags, region->type) != 0)
    return -1;
  return msc_append_row (table, region, offset);
}

int
msc_region_table_append_from (MscRegionTable *table, const MscRegionTable *from, size_t index)
{
  const MscRow *row;
  MscRegion region;

  if (index >= from->length)
    return -1;
  row = &from->rows[index];
  if (table->pool == from->pool && !msc_row_is_escaped (row))
    {
      /* The common case (an unchanged row of the snapshot before): the
       * packed bytes as they are, no unpacking or lookup. */
      if (msc_make_room (table, row->flags, row->type) != 0)
        return -1;
      table->rows[table->length] = *row;
      return msc_link_row (table);
    }
  region = msc_row_unpack (from, row);
  if (table->pool != from->pool)
    return msc_region_table_append (table, &region, msc_region_table_details (from, index));
  return msc_region_table_append_pooled (table, &region, row->details);
}

int
msc_region_table_same (const MscRegionTable *a, size_t ia, const MscRegionTable *b, size_t ib)
{
  const MscRow *ra = &a->rows[ia], *rb = &b->rows[ib];

  /* Every table packs alike (the 4 KiB unit is fixed), so unescaped rows
   * compare as bytes; an escaped row's bytes hold an overflow index. */
  if (msc_row_is_escaped (ra) || msc_row_is_escaped (rb))
    {
      MscRegion ga = msc_row_unpack (a, ra), gb = msc_row_unpack (b, rb);

      if (memcmp (&ga, &gb, sizeof ga) != 0)
        return 0;
    }
  else if (memcmp (ra, rb, MSC_ROW_REGION_BYTES) != 0)
    return 0;
  if (a->pool == b->pool)
    return ra->details == rb->details;
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
  msc_shrink ((void **) &table->rows, &table->capacity, table->length, sizeof *table->rows);
  msc_shrink ((void **) &table->overflow, &table->overflow_capacity, table->n_overflow, sizeof *table->overflow);
  msc_shrink ((void **) &table->tops, &table->tops_capacity, table->n_tops, sizeof *table->tops);
}

size_t
msc_region_table_length (const MscRegionTable *table)
{
  return table->length;
}

MscRegion
msc_region_table_row (const MscRegionTable *table, size_t index)
{
  if (index >= table->length)
    return (MscRegion) { 0 };
  return msc_row_unpack (table, &table->rows[index]);
}

uint64_t
msc_region_table_address (const MscRegionTable *table, size_t index)
{
  return index < table->length ? msc_u64 (table->rows[index].address) : 0;
}

uint8_t
msc_region_table_type (const MscRegionTable *table, size_t index)
{
  return index < table->length ? table->rows[index].type : 0;
}

size_t
msc_region_table_n_escaped (const MscRegionTable *table)
{
  return table->n_overflow;
}

const char *
msc_region_table_details (const MscRegionTable *table, size_t index)
{
  if (index >= table->length)
    return "";
  return msc_string_pool_get (table->pool, table->rows[index].details);
}

size_t
msc_region_table_parent (const MscRegionTable *table, size_t index)
{
  if (index >= table->length || !msc_row_is_sub (&table->rows[index]))
    return MSC_NO_PARENT;
  return table->rows[index].link;
}

size_t
msc_region_table_n_children (const MscRegionTable *table, size_t index)
{
  if (index >= table->length || msc_row_is_sub (&table->rows[index]))
    return 0;
  return table->rows[index].link;
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
msc_contains (const MscRow *row, uint64_t address)
{
  uint64_t start = msc_u64 (row->address);

  return address >= start && address - start < msc_u64 (row->size);
}

size_t
msc_region_table_find (const MscRegionTable *table, uint64_t address)
{
  size_t lo = 0, hi = table->n_tops;

  if (table->unsorted)
    {
      /* Only a malformed input gets here; stay correct, if slow. */
      for (size_t k = 0; k < table->n_tops; k++)
        if (msc_contains (&table->rows[table->tops[k]], address))
          return table->tops[k];
      return MSC_NO_PARENT;
    }
  /* Last top-level region starting at or below address. */
  while (lo < hi)
    {
      size_t mid = lo + (hi - lo) / 2;

      if (msc_u64 (table->rows[table->tops[mid]].address) <= address)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo == 0 || !msc_contains (&table->rows[table->tops[lo - 1]], address))
    return MSC_NO_PARENT;
  return table->tops[lo - 1];
}

size_t
msc_region_table_records_size (const MscRegionTable *table)
{
  return sizeof *table
         + table->capacity * sizeof *table->rows
         + table->overflow_capacity * sizeof *table->overflow
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
