/* msc-region-builder.h — rebuilds a region table from regions in file order.
 *
 * Readers of captures (ours, VMMap's .mmp, CSV, TXT) hand regions over as
 * they come; the builder decides the hierarchy by address containment, not
 * by the file's nesting (docs/file-formats.md, "Reading"), and sorts only
 * when the file was not in address order. */
#pragma once

#include <glib.h>

#include "model/core/msc-region-table.h"

G_BEGIN_DECLS

typedef struct _MscRegionBuilder MscRegionBuilder;

MscRegionBuilder *msc_region_builder_new    (void);  /* NULL when out of memory */
/* Its table's details go to like's string pool (a snapshot read as a
 * change of the one before shares its pool). */
MscRegionBuilder *msc_region_builder_new_sharing (const MscRegionTable *like);
/* Copies region and details. FALSE when out of memory (*problem NULL) or
 * when the region cannot be where it says (*problem: a sentence naming it,
 * g_free). */
gboolean          msc_region_builder_add    (MscRegionBuilder  *self,
                                             const MscRegion   *region,
                                             const char        *details,
                                             char             **problem);
/* As _add(), with the details of from's region index: taken by their offset
 * in the pool when the builder shares from's pool. */
gboolean          msc_region_builder_add_from (MscRegionBuilder      *self,
                                               const MscRegion       *region,
                                               const MscRegionTable  *from,
                                               gsize                  index,
                                               char                 **problem);
/* from's whole allocation at top-level row top, unchanged: its rows were
 * placed and checked when from was built, so where they can be they are
 * taken as stored (no unpacking, no lookups). FALSE as _add() fails. */
gboolean          msc_region_builder_copy_allocation (MscRegionBuilder      *self,
                                                      const MscRegionTable  *from,
                                                      gsize                  top,
                                                      char                 **problem);
gsize             msc_region_builder_length (MscRegionBuilder *self);
/* The table in address order, parents before their sub-blocks (transfer
 * full); NULL as msc_region_builder_add() fails. *tops_size (nullable): the
 * allocations' sizes added up, G_MAXUINT64 once that reaches 2^64. Frees
 * the builder either way. */
MscRegionTable   *msc_region_builder_finish (MscRegionBuilder  *self,
                                             guint64           *tops_size,
                                             char             **problem);
void              msc_region_builder_free   (MscRegionBuilder *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MscRegionBuilder, msc_region_builder_free)

G_END_DECLS
