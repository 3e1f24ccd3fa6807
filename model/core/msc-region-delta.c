/* msc-region-delta.c — building a delta by one merge of two ordered
 * tables, and applying a chain of deltas by one merge with the base.
 *
 * The delta is one byte stream of entries in address order: the
 * allocation's address, its number of rows (0: removed), then each row as
 * varints (address relative to the entry's, every other field, the details'
 * pool offset). Figures are mostly small or page multiples with zero low
 * bits in the high ones; a row packs to 30-40 bytes where a table row is 120.
 */
#include "model/core/msc-region-delta.h"
#include "model/core/msc-string-pool.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

struct MscRegionDelta {
  MscStringPool *pool;      /* prev's: the details' offsets are in it */
  uint8_t       *bytes;
  size_t         n_bytes;
  size_t         n_records;
};

/* Every MscRegion field but the address, in stream order. */
static const struct {
  size_t  offset;
  uint8_t size;
} msc_delta_fields[] = {
#define MSC_FIELD(name) { offsetof (MscRegion, name), sizeof (((MscRegion *) 0)->name) }
  MSC_FIELD (size), MSC_FIELD (committed), MSC_FIELD (private_bytes), MSC_FIELD (total_ws),
  MSC_FIELD (private_ws), MSC_FIELD (shareable_ws), MSC_FIELD (shared_ws), MSC_FIELD (locked_ws),
  MSC_FIELD (pss), MSC_FIELD (swap), MSC_FIELD (blocks), MSC_FIELD (protection), MSC_FIELD (storage),
  MSC_FIELD (heap_id), MSC_FIELD (thread_id), MSC_FIELD (flags), MSC_FIELD (type), MSC_FIELD (perms),
#undef MSC_FIELD
};

#define MSC_N_FIELDS (sizeof msc_delta_fields / sizeof msc_delta_fields[0])

_Static_assert (MSC_N_FIELDS == MSC_REGION_N_FIELDS, "msc-region-delta.h counts the fields");

uint64_t
msc_region_field_get (const MscRegion *region, size_t f)
{
  const char *p = (const char *) region + msc_delta_fields[f].offset;

  switch (msc_delta_fields[f].size)
    {
    case 8: return *(const uint64_t *) (const void *) p;
    case 4: return *(const uint32_t *) (const void *) p;
    case 2: return *(const uint16_t *) (const void *) p;
    default: return *(const uint8_t *) p;
    }
}

int
msc_region_field_set (MscRegion *region, size_t f, uint64_t value)
{
  char *p = (char *) region + msc_delta_fields[f].offset;

  switch (msc_delta_fields[f].size)
    {
    case 8: *(uint64_t *) (void *) p = value; return 0;
    case 4: *(uint32_t *) (void *) p = (uint32_t) value; return value > UINT32_MAX ? -1 : 0;
    case 2: *(uint16_t *) (void *) p = (uint16_t) value; return value > UINT16_MAX ? -1 : 0;
    default: *(uint8_t *) p = (uint8_t) value; return value > UINT8_MAX ? -1 : 0;
    }
}

/* ---- the byte stream ---- */

typedef struct {
  uint8_t *bytes;
  size_t   length;
  size_t   capacity;
  int      failed;
} MscBuffer;

static void
msc_put_varint (MscBuffer *b, uint64_t v)
{
  if (b->length + 10 > b->capacity && !b->failed)
    {
      size_t cap = b->capacity ? b->capacity * 2 : 256;
      uint8_t *grown = realloc (b->bytes, cap);

      if (grown == NULL)
        b->failed = 1;
      else
        {
          b->bytes = grown;
          b->capacity = cap;
        }
    }
  if (b->failed)
    return;
  do
    {
      uint8_t byte = v & 0x7F;

      v >>= 7;
      b->bytes[b->length++] = byte | (v ? 0x80 : 0);
    }
  while (v);
}

static uint64_t
msc_get_varint (const uint8_t *bytes, size_t *pos)
{
  uint64_t v = 0;
  unsigned shift = 0;
  uint8_t byte;

  do
    {
      byte = bytes[(*pos)++];
      v |= (uint64_t) (byte & 0x7F) << shift;
      shift += 7;
    }
  while (byte & 0x80);
  return v;
}

/* The row at *pos of an entry at address; *offset its details. */
static void
msc_get_row (const uint8_t *bytes, size_t *pos, uint64_t address, MscRegion *region, uint32_t *offset)
{
  memset (region, 0, sizeof *region);
  region->address = address + msc_get_varint (bytes, pos);
  for (size_t f = 0; f < MSC_N_FIELDS; f++)
    (void) msc_region_field_set (region, f, msc_get_varint (bytes, pos));
  *offset = (uint32_t) msc_get_varint (bytes, pos);
}

/* Reads the head of the entry at *pos; *rows is where its rows start. */
static uint64_t
msc_get_entry (const uint8_t *bytes, size_t *pos, size_t *n, size_t *rows)
{
  uint64_t address = msc_get_varint (bytes, pos);

  *n = (size_t) msc_get_varint (bytes, pos);
  *rows = *pos;
  return address;
}

static void
msc_skip_rows (const uint8_t *bytes, size_t *pos, size_t n)
{
  for (size_t i = 0; i < n * (MSC_N_FIELDS + 2); i++)
    while (bytes[(*pos)++] & 0x80)
      ;
}

/* ---- building ---- */

static uint64_t
msc_top_address (const MscRegionTable *table, size_t k)
{
  return msc_region_table_address (table, msc_region_table_top_level (table, k));
}

int
msc_region_same_allocation (const MscRegionTable *a, size_t ia, const MscRegionTable *b, size_t ib)
{
  size_t n = msc_region_table_n_children (a, ia);

  if (n != msc_region_table_n_children (b, ib))
    return 0;
  for (size_t i = 0; i <= n; i++)
    if (!msc_region_table_same (a, ia + i, b, ib + i))
      return 0;
  return 1;
}

/* next's allocation at top, its details interned into the delta's pool. */
static void
msc_put_allocation (MscRegionDelta *delta, MscBuffer *b, const MscRegionTable *next, size_t top)
{
  size_t n = 1 + msc_region_table_n_children (next, top);
  uint64_t address = msc_region_table_address (next, top);

  msc_put_varint (b, address);
  msc_put_varint (b, n);
  for (size_t i = top; i < top + n; i++)
    {
      MscRegion region = msc_region_table_row (next, i);
      int64_t offset = msc_string_pool_intern (delta->pool, msc_region_table_details (next, i));

      if (offset < 0)
        b->failed = 1;
      msc_put_varint (b, region.address - address);
      for (size_t f = 0; f < MSC_N_FIELDS; f++)
        msc_put_varint (b, msc_region_field_get (&region, f));
      msc_put_varint (b, (uint64_t) offset);
    }
  delta->n_records += n;
}

static void
msc_delta_merge (MscRegionDelta *delta, MscBuffer *b, const MscRegionTable *prev, const MscRegionTable *next)
{
  size_t np = msc_region_table_n_top_level (prev), nn = msc_region_table_n_top_level (next);
  size_t kp = 0, kn = 0;

  while ((kp < np || kn < nn) && !b->failed)
    {
      uint64_t ap = kp < np ? msc_top_address (prev, kp) : UINT64_MAX;
      uint64_t an = kn < nn ? msc_top_address (next, kn) : UINT64_MAX;
      int only_prev = kn >= nn || (kp < np && ap < an);
      int only_next = kp >= np || (kn < nn && an < ap);

      if (only_prev)
        {
          msc_put_varint (b, ap);
          msc_put_varint (b, 0);
          delta->n_records++;
          kp++;
          continue;
        }
      if (only_next || !msc_region_same_allocation (prev, msc_region_table_top_level (prev, kp),
                                             next, msc_region_table_top_level (next, kn)))
        msc_put_allocation (delta, b, next, msc_region_table_top_level (next, kn));
      kp += !only_next;
      kn++;
    }
}

MscRegionDelta *
msc_region_delta_new (const MscRegionTable *prev, const MscRegionTable *next)
{
  MscRegionDelta *delta;
  MscBuffer b = { 0 };

  if (!msc_region_table_is_ordered (prev) || !msc_region_table_is_ordered (next))
    return NULL;
  delta = calloc (1, sizeof *delta);
  if (delta == NULL)
    return NULL;
  delta->pool = msc_string_pool_ref (msc_region_table_pool (prev));
  msc_delta_merge (delta, &b, prev, next);
  if (b.failed)
    {
      free (b.bytes);
      msc_region_delta_free (delta);
      return NULL;
    }
  /* Exactly the bytes: thousands of these live as long as the session. */
  delta->bytes = b.length > 0 ? realloc (b.bytes, b.length) : (free (b.bytes), NULL);
  if (b.length > 0 && delta->bytes == NULL)
    delta->bytes = b.bytes;
  delta->n_bytes = b.length;
  return delta;
}

void
msc_region_delta_free (MscRegionDelta *delta)
{
  if (delta == NULL)
    return;
  msc_string_pool_unref (delta->pool);
  free (delta->bytes);
  free (delta);
}

size_t
msc_region_delta_n_records (const MscRegionDelta *delta)
{
  return delta->n_records;
}

size_t
msc_region_delta_memory_size (const MscRegionDelta *delta)
{
  return sizeof *delta + delta->n_bytes;
}

const void *
msc_region_delta_pool_id (const MscRegionDelta *delta)
{
  return delta->pool;
}

size_t
msc_region_delta_pool_size (const MscRegionDelta *delta)
{
  return msc_string_pool_memory_size (delta->pool);
}

int
msc_region_delta_touches (const MscRegionDelta *delta, uint64_t address, MscRegionDeltaCursor *cursor)
{
  while (cursor->pos < delta->n_bytes)
    {
      size_t pos = cursor->pos, n, rows;
      uint64_t at = msc_get_entry (delta->bytes, &pos, &n, &rows);

      if (at >= address)
        return at == address;
      msc_skip_rows (delta->bytes, &pos, n);
      cursor->pos = pos;
    }
  return 0;
}

/* ---- applying ---- */

/* One entry of one delta: the later delta wins an address. */
typedef struct {
  uint64_t address;
  uint32_t seq;      /* which delta */
  uint32_t n;        /* rows; 0 = removed */
  size_t   rows;     /* where they start in that delta's bytes */
} MscDeltaOp;

static int
msc_op_compare (const void *pa, const void *pb)
{
  const MscDeltaOp *a = pa, *b = pb;

  if (a->address != b->address)
    return a->address < b->address ? -1 : 1;
  return a->seq > b->seq ? -1 : a->seq < b->seq;
}

static size_t
msc_count_entries (const MscRegionDelta *delta)
{
  size_t pos = 0, count = 0, n, rows;

  while (pos < delta->n_bytes)
    {
      msc_get_entry (delta->bytes, &pos, &n, &rows);
      msc_skip_rows (delta->bytes, &pos, n);
      count++;
    }
  return count;
}

/* Every delta's entries by address, each address's latest only. Returns
 * how many. O(d log d) in the deltas' size, whatever the base's. */
static size_t
msc_collect_ops (const MscRegionDelta *const *deltas, size_t n_deltas, MscDeltaOp *ops)
{
  size_t n_ops = 0, kept = 0;

  for (size_t d = 0; d < n_deltas; d++)
    {
      size_t pos = 0, n, rows;

      while (pos < deltas[d]->n_bytes)
        {
          uint64_t address = msc_get_entry (deltas[d]->bytes, &pos, &n, &rows);

          ops[n_ops++] = (MscDeltaOp) { address, (uint32_t) d, (uint32_t) n, rows };
          msc_skip_rows (deltas[d]->bytes, &pos, n);
        }
    }
  qsort (ops, n_ops, sizeof *ops, msc_op_compare);
  for (size_t i = 0; i < n_ops; i++)
    if (kept == 0 || ops[kept - 1].address != ops[i].address)
      ops[kept++] = ops[i];
  return kept;
}

static int
msc_apply_op (MscRegionTable *table, const MscRegionDelta *const *deltas, const MscDeltaOp *op)
{
  size_t pos = op->rows;

  for (uint32_t i = 0; i < op->n; i++)
    {
      MscRegion region;
      uint32_t offset;

      msc_get_row (deltas[op->seq]->bytes, &pos, op->address, &region, &offset);
      if (msc_region_table_append_pooled (table, &region, offset) != 0)
        return -1;
    }
  return 0;
}

static int
msc_copy_allocation (MscRegionTable *table, const MscRegionTable *from, size_t top)
{
  size_t end = top + 1 + msc_region_table_n_children (from, top);

  for (size_t i = top; i < end; i++)
    if (msc_region_table_append_from (table, from, i) != 0)
      return -1;
  return 0;
}

MscRegionTable *
msc_region_delta_apply (const MscRegionTable *base, const MscRegionDelta *const *deltas, size_t n)
{
  size_t n_ops = 0, kb = 0, ko = 0, nb = msc_region_table_n_top_level (base);
  MscRegionTable *table = msc_region_table_new_sharing (base);
  MscDeltaOp *ops;
  int failed = 0;

  for (size_t d = 0; d < n; d++)
    n_ops += msc_count_entries (deltas[d]);
  ops = malloc ((n_ops ? n_ops : 1) * sizeof *ops);
  if (table == NULL || ops == NULL)
    {
      msc_region_table_free (table);
      free (ops);
      return NULL;
    }
  n_ops = msc_collect_ops (deltas, n, ops);
  while (!failed && (kb < nb || ko < n_ops))
    {
      uint64_t ab = kb < nb ? msc_top_address (base, kb) : UINT64_MAX;

      if (ko < n_ops && (kb >= nb || ops[ko].address <= ab))
        {
          /* The entry replaces (or removes) the base's allocation there. */
          kb += kb < nb && ops[ko].address == ab;
          failed = msc_apply_op (table, deltas, &ops[ko++]) != 0;
        }
      else
        failed = msc_copy_allocation (table, base, msc_region_table_top_level (base, kb++)) != 0;
    }
  free (ops);
  if (failed)
    {
      msc_region_table_free (table);
      return NULL;
    }
  msc_region_table_trim (table);
  return table;
}
