/* msc-snapshot-private.h — how the model shares a session's snapshots
 * (docs/snapshot-storage.md); not for views. */
#pragma once

#include "model/core/msc-region-delta.h"
#include "model/msc-snapshot.h"

G_BEGIN_DECLS

/* Stores self as what changed since prev, its predecessor in a session
 * (or as a key sharing prev's details). Once per snapshot, before anyone
 * else holds self's regions. TRUE when self is now a delta. */
gboolean              msc_snapshot_share          (MscSnapshot *self,
                                                   MscSnapshot *prev);
/* self's delta when it is stored against prev, else NULL. */
const MscRegionDelta *msc_snapshot_get_delta_from (MscSnapshot *self,
                                                   MscSnapshot *prev);
/* self's regions while walking a session in order (prev_regions are
 * prev's; both may be NULL), without filling the cache: a new table is
 * also returned in *owned, for the caller to free. */
const MscRegionTable *msc_snapshot_peek_regions   (MscSnapshot           *self,
                                                   MscSnapshot           *prev,
                                                   const MscRegionTable  *prev_regions,
                                                   MscRegionTable       **owned);
/* Bytes self holds (its cached table included), but not its details pool,
 * which *pool_id names and *pool_size measures (both optional). */
gsize                 msc_snapshot_get_memory_size (MscSnapshot   *self,
                                                    gconstpointer *pool_id,
                                                    gsize         *pool_size);

G_END_DECLS
