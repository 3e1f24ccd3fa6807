/* msc-region-queue.h — hands a reader's regions to a MscRegionBuilder on a
 * worker thread, in batches, so that parsing and placing overlap (issue 15:
 * placing a capture's regions took a third of its load time, most of it in
 * first touches of the table's new pages, which parsing does not wait for).
 *
 * One reader thread calls everything. A small input never fills a batch and
 * starts no thread: the regions are placed at the sync, on the caller's
 * thread. */
#pragma once

#include <glib.h>

#include "model/msc-region-builder.h"

G_BEGIN_DECLS

typedef struct _MscRegionQueue MscRegionQueue;

MscRegionQueue *msc_region_queue_new    (void);
/* Waits for the worker (the builder is the caller's, untouched after). */
void            msc_region_queue_free   (MscRegionQueue *self);

/* The builder the next regions go to, until the next sync. */
void            msc_region_queue_start  (MscRegionQueue   *self,
                                         MscRegionBuilder *builder);
/* Queues a copy of region and details; line is the file's, for the error. */
void            msc_region_queue_add    (MscRegionQueue  *self,
                                         const MscRegion *region,
                                         const char      *details,
                                         int              line);
/* TRUE once the builder refused a region: the reader may stop reading. */
gboolean        msc_region_queue_failed (MscRegionQueue *self);
/* Waits until every queued region is placed. FALSE when the builder
 * refused one: *problem as msc_region_builder_add() says it (NULL: out of
 * memory), *line that region's line; regions after it were not placed. */
gboolean        msc_region_queue_sync   (MscRegionQueue  *self,
                                         char           **problem,
                                         int             *line);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MscRegionQueue, msc_region_queue_free)

G_END_DECLS
