/* msc-snapshot-store.h — where a snapshot's regions live: a full table (a
 * "key") or a delta against the snapshot before it, materialized on demand
 * into a small cache. Private to the model; see docs/snapshot-storage.md.
 */
#pragma once

#include <glib-object.h>

#include "model/core/msc-region-delta.h"

G_BEGIN_DECLS

typedef struct _MscSnapshotStore MscSnapshotStore;

/* Takes ownership of table. owner: the snapshot (not referenced), whose
 * reference count pins its materialized table (see _get_regions). */
MscSnapshotStore     *msc_snapshot_store_new      (MscRegionTable   *table,
                                                   GObject          *owner);
/* The owner is finalized: drops its cache. */
void                  msc_snapshot_store_release  (MscSnapshotStore *store);

/* Re-expresses store (a key not yet shared) as what changed since prev,
 * or as a key sharing prev's details pool when the chain since the last key
 * already holds as many records as MSC_KEY_FACTOR full tables. Once per
 * store; the new table stays whole in the cache. TRUE when store is now a
 * delta. */
gboolean              msc_snapshot_store_share    (MscSnapshotStore *store,
                                                   MscSnapshotStore *prev);

/* The full table: the key, or the cached materialization (built now if
 * needed). Valid while the owner lives if the caller holds a reference to
 * the owner; else until MSC_SNAPSHOT_STORE_CACHE other such calls, or a
 * snapshot is shared into a session: a cached table is dropped only when
 * its owner is referenced by nothing but its session. */
const MscRegionTable *msc_snapshot_store_get_regions (MscSnapshotStore *store);

/* store's delta when its predecessor is prev, else NULL. */
const MscRegionDelta *msc_snapshot_store_delta_from (MscSnapshotStore *store,
                                                     MscSnapshotStore *prev);

/* For walking snapshots in order without touching the cache: store's
 * regions given its predecessor's (prev_regions of prev, both may be NULL).
 * Returns a key or cached table, or a new one also stored in *owned (the
 * caller frees it). */
const MscRegionTable *msc_snapshot_store_peek_regions (MscSnapshotStore     *store,
                                                       MscSnapshotStore     *prev,
                                                       const MscRegionTable *prev_regions,
                                                       MscRegionTable      **owned);

/* Bytes held for store alone (key or delta; not the cache, not the pool);
 * *pool_id and *pool_size (optional) say which details pool it uses. */
gsize                 msc_snapshot_store_memory_size (MscSnapshotStore *store,
                                                      gconstpointer    *pool_id,
                                                      gsize            *pool_size);
/* Bytes of its cached materialization, 0 without one. */
gsize                 msc_snapshot_store_cache_size  (MscSnapshotStore *store);

#define MSC_SNAPSHOT_STORE_CACHE 4

G_END_DECLS
