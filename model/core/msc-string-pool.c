/* msc-string-pool.c — an interning string pool in chunks that never move.
 *
 * Chunk k holds 256 << k bytes and starts at offset 256 * (2^k - 1), so an
 * offset names its chunk by arithmetic and 24 chunks reach 4 GiB. A string
 * that does not fit in the rest of a chunk starts the next one (at worst
 * half of the pool is slack, in practice a few bytes: details are short).
 */
#include "model/core/msc-string-pool.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#define MSC_POOL_CHUNKS 24
#define MSC_POOL_FIRST  256u

struct MscStringPool {
  atomic_int refs;
  char      *chunks[MSC_POOL_CHUNKS];
  uint64_t   length;     /* next free offset */
  uint32_t  *slots;      /* open addressing, linear probing; 0 = empty */
  size_t     n_slots;    /* power of two */
  size_t     n_strings;
};

static uint64_t
msc_chunk_start (unsigned k)
{
  return (uint64_t) MSC_POOL_FIRST * ((UINT64_C (1) << k) - 1);
}

static unsigned
msc_chunk_of (uint64_t offset)
{
  uint64_t q = offset / MSC_POOL_FIRST + 1;
  unsigned k = 0;

  while (q > 1)
    {
      q >>= 1;
      k++;
    }
  return k;
}

MscStringPool *
msc_string_pool_new (void)
{
  MscStringPool *pool = calloc (1, sizeof *pool);

  if (pool == NULL)
    return NULL;
  atomic_init (&pool->refs, 1);
  pool->chunks[0] = malloc (MSC_POOL_FIRST);
  pool->n_slots = 64;
  pool->slots = calloc (pool->n_slots, sizeof *pool->slots);
  if (pool->chunks[0] == NULL || pool->slots == NULL)
    {
      msc_string_pool_unref (pool);
      return NULL;
    }
  pool->chunks[0][0] = '\0';
  pool->length = 1;
  return pool;
}

MscStringPool *
msc_string_pool_ref (MscStringPool *pool)
{
  atomic_fetch_add (&pool->refs, 1);
  return pool;
}

void
msc_string_pool_unref (MscStringPool *pool)
{
  if (pool == NULL || atomic_fetch_sub (&pool->refs, 1) != 1)
    return;
  for (unsigned k = 0; k < MSC_POOL_CHUNKS; k++)
    free (pool->chunks[k]);
  free (pool->slots);
  free (pool);
}

const char *
msc_string_pool_get (const MscStringPool *pool,
                     uint32_t             offset)
{
  unsigned k = msc_chunk_of (offset);

  return pool->chunks[k] + (offset - msc_chunk_start (k));
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
msc_rehash (MscStringPool *pool)
{
  size_t n_slots = pool->n_slots * 2;
  uint32_t *slots = calloc (n_slots, sizeof *slots);

  if (slots == NULL)
    return -1;
  for (size_t i = 0; i < pool->n_slots; i++)
    {
      uint32_t offset = pool->slots[i];
      const char *s;
      size_t j;

      if (offset == 0)
        continue;
      s = msc_string_pool_get (pool, offset);
      j = msc_hash (s, strlen (s)) & (n_slots - 1);
      while (slots[j] != 0)
        j = (j + 1) & (n_slots - 1);
      slots[j] = offset;
    }
  free (pool->slots);
  pool->slots = slots;
  pool->n_slots = n_slots;
  return 0;
}

/* Slot where s (length n) is, or the empty slot where it would go. */
static size_t
msc_probe (const MscStringPool *pool, const char *s, size_t n)
{
  size_t j = msc_hash (s, n) & (pool->n_slots - 1);
  uint32_t offset;

  while ((offset = pool->slots[j]) != 0 && strcmp (msc_string_pool_get (pool, offset), s) != 0)
    j = (j + 1) & (pool->n_slots - 1);
  return j;
}

/* Where n bytes go: the free offset, or the start of the first chunk after
 * it with room; allocates that chunk. -1 when the pool is full. */
static int64_t
msc_reserve (MscStringPool *pool, size_t n)
{
  uint64_t at = pool->length;
  unsigned k = msc_chunk_of (at);

  while (k < MSC_POOL_CHUNKS && at + n > msc_chunk_start (k + 1))
    at = msc_chunk_start (++k);
  if (k >= MSC_POOL_CHUNKS || at + n > UINT32_MAX)
    return -1;
  if (pool->chunks[k] == NULL && (pool->chunks[k] = malloc ((size_t) MSC_POOL_FIRST << k)) == NULL)
    return -1;
  return (int64_t) at;
}

int64_t
msc_string_pool_intern (MscStringPool *pool,
                        const char    *s)
{
  size_t n, j;
  int64_t at;

  if (s == NULL || s[0] == '\0')
    return 0;
  n = strlen (s);
  j = msc_probe (pool, s, n);
  if (pool->slots[j] != 0)
    return pool->slots[j];
  /* Keep the load under 0.7 so probes stay short. */
  if ((pool->n_strings + 1) * 10 > pool->n_slots * 7)
    {
      if (msc_rehash (pool) != 0)
        return -1;
      j = msc_probe (pool, s, n);
    }
  at = msc_reserve (pool, n + 1);
  if (at < 0)
    return -1;
  memcpy ((char *) msc_string_pool_get (pool, (uint32_t) at), s, n + 1);
  pool->length = (uint64_t) at + n + 1;
  pool->slots[j] = (uint32_t) at;
  pool->n_strings++;
  return at;
}

size_t
msc_string_pool_memory_size (const MscStringPool *pool)
{
  size_t bytes = sizeof *pool + pool->n_slots * sizeof *pool->slots;

  for (unsigned k = 0; k < MSC_POOL_CHUNKS; k++)
    if (pool->chunks[k] != NULL)
      bytes += (size_t) MSC_POOL_FIRST << k;
  return bytes;
}
