/* msc-snapshot-store.c — keys, deltas and the materialization cache.
 *
 * A delta store references its predecessor's store, not its snapshot, so a
 * snapshot's reference count says who else holds it: the cache drops only
 * tables of snapshots no one but their session references (a view, a diff
 * or a writer holding a snapshot keeps its table).
 */
#include "config.h"

#include "model/msc-snapshot-store.h"

/* A new key once the deltas since the last one hold this many full tables'
 * worth of records: bounds what one materialization composes. */
#define MSC_KEY_FACTOR 8

struct _MscSnapshotStore
{
  gatomicrefcount   refs;
  MscSnapshotStore *base;          /* NULL for a key */
  MscRegionTable   *key;           /* the full table of a key, else NULL */
  MscRegionDelta   *delta;         /* against base */
  gsize             chain_records; /* delta records since the key, this one's included */
  GObject          *owner;         /* the snapshot; cleared when it goes */
  gboolean          shared;        /* _share() was done: in a session's pool */
  MscRegionTable   *cache;         /* a delta's materialization, under msc_store_lock */
};

/* Guards every cache and the LRU; also serializes interning into shared
 * pools (msc_snapshot_store_share). */
static GMutex msc_store_lock;
static GQueue msc_store_lru = G_QUEUE_INIT;   /* stores with a cache, most recent first */

static MscRegionTable *
msc_store_or_abort (MscRegionTable *table)
{
  /* GLib's own allocations abort when memory runs out; so do we. */
  if (table == NULL)
    g_error ("%s: out of memory", G_STRLOC);
  return table;
}

/* A loop, not recursion: a chain may be thousands of stores long. */
static void
msc_store_unref (MscSnapshotStore *store)
{
  while (store != NULL && g_atomic_ref_count_dec (&store->refs))
    {
      MscSnapshotStore *base = store->base;

      msc_region_table_free (store->key);
      msc_region_delta_free (store->delta);
      g_free (store);
      store = base;
    }
}

MscSnapshotStore *
msc_snapshot_store_new (MscRegionTable *table,
                        GObject        *owner)
{
  MscSnapshotStore *store = g_new0 (MscSnapshotStore, 1);

  g_atomic_ref_count_init (&store->refs);
  store->key = table;
  store->owner = owner;
  return store;
}

/* Under the lock. */
static void
msc_store_drop_cache (MscSnapshotStore *store)
{
  if (store->cache == NULL)
    return;
  g_queue_remove (&msc_store_lru, store);
  g_clear_pointer (&store->cache, msc_region_table_free);
}

void
msc_snapshot_store_release (MscSnapshotStore *store)
{
  g_mutex_lock (&msc_store_lock);
  store->owner = NULL;
  msc_store_drop_cache (store);
  g_mutex_unlock (&msc_store_lock);
  msc_store_unref (store);
}

static gboolean
msc_store_pinned (MscSnapshotStore *store)
{
  return store->owner != NULL && g_atomic_int_get ((gint *) &store->owner->ref_count) > 1;
}

/* Under the lock: store's cache becomes the most recent; the oldest
 * unpinned ones past capacity go. */
static void
msc_store_touch (MscSnapshotStore *store,
                 guint             capacity)
{
  guint unpinned = 0;
  GList *link, *prev;

  g_queue_remove (&msc_store_lru, store);
  g_queue_push_head (&msc_store_lru, store);
  /* store counts even when pinned: capacity 1 keeps it alone. */
  for (link = msc_store_lru.head; link != NULL; link = link->next)
    unpinned += link->data == store || !msc_store_pinned (link->data);
  for (link = msc_store_lru.tail; link != NULL && unpinned > capacity; link = prev)
    {
      MscSnapshotStore *old = link->data;

      prev = link->prev;
      if (old == store || msc_store_pinned (old))
        continue;
      msc_store_drop_cache (old);
      unpinned--;
    }
}

/* Under the lock: a new table of store's regions, from the nearest key or
 * cache before it (stop, when given, counts as one: its regions are
 * stop_regions). */
static MscRegionTable *
msc_store_materialize (MscSnapshotStore     *store,
                       MscSnapshotStore     *stop,
                       const MscRegionTable *stop_regions)
{
  g_autoptr(GPtrArray) deltas = g_ptr_array_new ();
  const MscRegionTable *base = NULL;
  MscSnapshotStore *s;

  for (s = store; base == NULL; s = s->base)
    {
      if (s == stop && stop_regions != NULL)
        base = stop_regions;
      else if (s->key != NULL || (s != store && s->cache != NULL))
        base = s->key != NULL ? s->key : s->cache;
      else
        g_ptr_array_add (deltas, s->delta);
    }
  /* Oldest first. */
  for (guint i = 0; i < deltas->len / 2; i++)
    {
      gpointer t = deltas->pdata[i];

      deltas->pdata[i] = deltas->pdata[deltas->len - 1 - i];
      deltas->pdata[deltas->len - 1 - i] = t;
    }
  return msc_store_or_abort (msc_region_delta_apply (base, (const MscRegionDelta *const *) deltas->pdata,
                                                     deltas->len));
}

/* Under the lock. */
static const MscRegionTable *
msc_store_regions_locked (MscSnapshotStore *store)
{
  if (store->key != NULL)
    return store->key;
  if (store->cache == NULL)
    store->cache = msc_store_materialize (store, NULL, NULL);
  msc_store_touch (store, MSC_SNAPSHOT_STORE_CACHE);
  return store->cache;
}

const MscRegionTable *
msc_snapshot_store_get_regions (MscSnapshotStore *store)
{
  const MscRegionTable *table;

  /* A key never changes: no lock. */
  if (store->key != NULL)
    return store->key;
  g_mutex_lock (&msc_store_lock);
  table = msc_store_regions_locked (store);
  g_mutex_unlock (&msc_store_lock);
  return table;
}

const MscRegionTable *
msc_snapshot_store_peek_regions (MscSnapshotStore     *store,
                                 MscSnapshotStore     *prev,
                                 const MscRegionTable *prev_regions,
                                 MscRegionTable      **owned)
{
  const MscRegionTable *table;

  *owned = NULL;
  if (store->key != NULL)
    return store->key;
  g_mutex_lock (&msc_store_lock);
  if (store->cache != NULL)
    table = store->cache;
  else
    table = *owned = msc_store_materialize (store, prev, prev_regions);
  g_mutex_unlock (&msc_store_lock);
  return table;
}

/* Under the lock: table copied into a table sharing like's pool. */
static MscRegionTable *
msc_store_rehome (const MscRegionTable *table,
                  const MscRegionTable *like)
{
  MscRegionTable *copy = msc_store_or_abort (msc_region_table_new_sharing (like));

  for (gsize i = 0; i < msc_region_table_length (table); i++)
    if (msc_region_table_append_from (copy, table, i) != 0)
      g_error ("%s: out of memory", G_STRLOC);
  msc_region_table_trim (copy);
  return copy;
}

gboolean
msc_snapshot_store_share (MscSnapshotStore *store,
                          MscSnapshotStore *prev)
{
  const MscRegionTable *prev_table;
  MscRegionTable *full;
  MscRegionDelta *delta;
  gsize records;

  /* Once only: a snapshot moved within its session stays as it is. */
  if (store->shared)
    return FALSE;
  store->shared = TRUE;
  full = store->key;
  g_mutex_lock (&msc_store_lock);
  prev_table = msc_store_regions_locked (prev);
  delta = msc_region_delta_new (prev_table, full);
  records = delta != NULL ? prev->chain_records + msc_region_delta_n_records (delta) : 0;
  if (delta == NULL || records > MSC_KEY_FACTOR * MAX (msc_region_table_length (full), 1))
    {
      /* A key, but its details still go to the shared pool. */
      store->key = msc_store_rehome (full, prev_table);
      msc_region_delta_free (delta);
    }
  else
    {
      g_atomic_ref_count_inc (&prev->refs);
      store->base = prev;
      store->delta = delta;
      store->chain_records = records;
      store->key = NULL;
      /* The newest snapshot is the one shown and diffed next: keep it
       * whole, in prev's pool: the table itself where it is in it already
       * (a capture's snapshot read as a change of the one before), else
       * built from the delta (no string lookups). */
      if (msc_region_table_shares_pool (full, prev_table))
        store->cache = g_steal_pointer (&full);
      else
        store->cache = msc_store_or_abort (msc_region_delta_apply (prev_table, (const MscRegionDelta *const *) &delta, 1));
      /* A growing session keeps only its newest table whole (and what
       * views and diffs hold): what was browsed meanwhile goes. */
      msc_store_touch (store, 1);
    }
  g_mutex_unlock (&msc_store_lock);
  msc_region_table_free (full);
  return store->delta != NULL;
}

const MscRegionDelta *
msc_snapshot_store_delta_from (MscSnapshotStore *store,
                               MscSnapshotStore *prev)
{
  return store->base == prev ? store->delta : NULL;
}

gsize
msc_snapshot_store_memory_size (MscSnapshotStore *store,
                                gconstpointer    *pool_id,
                                gsize            *pool_size)
{
  if (pool_id != NULL)
    *pool_id = store->key != NULL ? msc_region_table_pool_id (store->key) : msc_region_delta_pool_id (store->delta);
  if (pool_size != NULL)
    *pool_size = store->key != NULL ? msc_region_table_pool_size (store->key)
                                    : msc_region_delta_pool_size (store->delta);
  return sizeof *store
         + (store->key != NULL ? msc_region_table_records_size (store->key)
                               : msc_region_delta_memory_size (store->delta));
}

gsize
msc_snapshot_store_cache_size (MscSnapshotStore *store)
{
  gsize bytes;

  g_mutex_lock (&msc_store_lock);
  bytes = store->cache != NULL ? msc_region_table_records_size (store->cache) : 0;
  g_mutex_unlock (&msc_store_lock);
  return bytes;
}
