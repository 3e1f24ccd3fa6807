/* model-history.h — a made-up process whose regions change a little from
 * one snapshot to the next: the long sessions of the storage tests and of
 * tests/bench/bench-snapshots.c. Deterministic for a seed. */
#pragma once

#include <glib.h>

#include "model/core/msc-region-table.h"

typedef struct _ModelHistory ModelHistory;

/* About n_regions regions, one in five a sub-block. */
ModelHistory   *model_history_new   (guint32       seed,
                                     gsize         n_regions);
void            model_history_free  (ModelHistory *history);
/* The regions now, as a new table. */
MscRegionTable *model_history_table (ModelHistory *history);
/* Changes at most n_changes regions (a sub-block's change changes its
 * allocation's sums too: both count); with add_remove, also removes an
 * allocation, adds one, or splits one into sub-blocks now and then. */
void            model_history_step  (ModelHistory *history,
                                     guint         n_changes,
                                     gboolean      add_remove);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ModelHistory, model_history_free)
