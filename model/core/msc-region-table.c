/* msc-region-table.c — one compact array of region records, an index of the
 * top-level ones, and an interning string pool for their details.
 *
 * Budget: a 100,000-region snapshot must stay under 200 bytes per region in
 * total (tests/core/test-region-table.c). A record is 120 bytes; big arrays
 * grow by 1.25x so at worst a fifth of the array is slack (150 bytes), and
 * details cost almost nothing because the same few strings (a library's path on each
 * of its segments, "Heap ID: 1 [...]" on every heap block) are stored once.
 */
#include "model/core/msc-region-table.h"

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

  char           *pool;        /* NUL-terminated strings; pool[0] = "" */
  size_t          pool_length;
  size_t          pool_capacity;

  uint32_t       *slots;       /* open addressing, linear probing; 0 = empty */
  size_t          n_slots;     /* power of two */
  size_t          n_strings;
};

_Static_assert (sizeof (MscRegionEntry) == 120, "the 200 bytes/region budget assumes 120-byte records");

#define MSC_INDEX_MAX UINT32_MAX  /* entries and pool offsets are 32-bit */

MscRegionTable *
msc_region_table_new (void)
{
  MscRegionTable *table = calloc (1, sizeof *table);

  if (table == NULL)
    return NULL;
  table->pool_capacity = 256;
  table->pool = malloc (table->pool_capacity);
  table->n_slots = 64;
  table->slots = calloc (table->n_slots, sizeof *table->slots);
  if (table->pool == NULL || table->slots == NULL)
    {
      msc_region_table_free (table);
      return NULL;
    }
  table->pool[0] = '\0';
  table->pool_length = 1;
  return table;
}

void
msc_region_table_free (MscRegionTable *table)
{
  if (table == NULL)
    return;
  free (table->entries);
  free (table->tops);
  free (table->pool);
  free (table->slots);
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
  *array = grown;
  *capacity = cap;
  return 0;
}

/* FNV-1a: details strings are short, so a byte loop is fast enough. */
static uint32_t
msc_hash (const char *s, size_t n)
{
  uint32_t h = 2166136261u;

  for (size_t i = 0; i < n; i++)
    {
      h ^= (unsigned char) s[i];
      h *= 16777619u;
    }
  return h;
}

static int
msc_rehash (MscRegionTable *table)
{
  size_t n_slots = table->n_slots * 2;
  uint32_t *slots = calloc (n_slots, sizeof *slots);

  if (slots == NULL)
    return -1;
  for (size_t i = 0; i < table->n_slots; i++)
    {
      uint32_t offset = table->slots[i];
      const char *s;
      size_t j;

      if (offset == 0)
        continue;
      s = table->pool + offset;
      j = msc_hash (s, strlen (s)) & (n_slots - 1);
      while (slots[j] != 0)
        j = (j + 1) & (n_slots - 1);
      slots[j] = offset;
    }
  free (table->slots);
  table->slots = slots;
  table->n_slots = n_slots;
  return 0;
}

/* Slot where s (length n) is, or the empty slot where it would go. */
static size_t
msc_probe (const MscRegionTable *table, const char *s, size_t n)
{
  size_t j = msc_hash (s, n) & (table->n_slots - 1);
  uint32_t offset;

  /* strcmp, not memcmp of n + 1 bytes: a shorter pooled string may end at
   * the very end of the pool. */
  while ((offset = table->slots[j]) != 0 && strcmp (table->pool + offset, s) != 0)
    j = (j + 1) & (table->n_slots - 1);
  return j;
}

/* Returns the pool offset of s, adding it if new; 0 for "". -1 = no memory. */
static int64_t
msc_intern (MscRegionTable *table, const char *s)
{
  size_t n, j;
  uint32_t offset;

  if (s == NULL || s[0] == '\0')
    return 0;
  n = strlen (s);
  j = msc_probe (table, s, n);
  if (table->slots[j] != 0)
    return table->slots[j];
  /* Keep the load under 0.7 so probes stay short. */
  if ((table->n_strings + 1) * 10 > table->n_slots * 7)
    {
      if (msc_rehash (table) != 0)
        return -1;
      j = msc_probe (table, s, n);
    }
  if (table->pool_length + n + 1 > MSC_INDEX_MAX
      || msc_grow ((void **) &table->pool, &table->pool_capacity, table->pool_length + n + 1, 1, 256) != 0)
    return -1;
  offset = (uint32_t) table->pool_length;
  memcpy (table->pool + offset, s, n + 1);
  table->pool_length += n + 1;
  table->slots[j] = offset;
  table->n_strings++;
  return offset;
}

static void
msc_note_top_level (MscRegionTable *table, const MscRegion *region)
{
  uint64_t end = region->address + region->size;

  if (table->n_tops > 0 && region->address < table->last_end)
    table->unsorted = 1;
  /* An end past 2^64 (a bogus size) cannot be searched for reliably either. */
  if (end < region->address)
    table->unsorted = 1;
  table->last_end = end;
}

int
msc_region_table_append (MscRegionTable *table, const MscRegion *region, const char *details)
{
  int sub = (region->flags & MSC_REGION_SUBBLOCK) != 0;
  MscRegionEntry *entry;
  int64_t offset;

  /* A type outside MscUseType would make every writer guess. */
  if (region->type >= MSC_N_TYPES || (sub && table->n_tops == 0) || table->length >= MSC_INDEX_MAX - 1)
    return -1;
  if (msc_grow ((void **) &table->entries, &table->capacity, table->length + 1, sizeof *table->entries, 64) != 0
      || (!sub && msc_grow ((void **) &table->tops, &table->tops_capacity, table->n_tops + 1,
                            sizeof *table->tops, 64) != 0))
    return -1;
  offset = msc_intern (table, details);
  if (offset < 0)
    return -1;

  entry = &table->entries[table->length];
  entry->region = *region;
  entry->details = (uint32_t) offset;
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
  return table->pool + table->entries[index].details;
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
msc_region_table_memory_size (const MscRegionTable *table)
{
  return sizeof *table
         + table->capacity * sizeof *table->entries
         + table->tops_capacity * sizeof *table->tops
         + table->pool_capacity
         + table->n_slots * sizeof *table->slots;
}

int
msc_region_table_sink (void *table, const MscRegion *region, const char *details)
{
  return msc_region_table_append (table, region, details) != 0;
}
