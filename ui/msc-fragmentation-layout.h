/* msc-fragmentation-layout.h — where the Fragmentation View draws each
 * stretch of the address space: the top-level regions of a snapshot, and the
 * gaps between them, laid end to end on one line of "units".
 *
 * Linear scale: a unit is a byte, so lengths are to scale. Logarithmic
 * scale: a stretch of n pages is 1 + log2(n) units long, so a 4 KiB guard
 * page and a 100 TiB free gap both stay visible at any zoom, in address
 * order. The view wraps the line into rows; this file does not know pixels.
 */
#pragma once

#include <glib.h>
#include "model/msc-snapshot.h"

G_BEGIN_DECLS

typedef enum {
  MSC_FRAGMENTATION_SCALE_LINEAR,
  MSC_FRAGMENTATION_SCALE_LOG,
} MscFragmentationScale;

/* One stretch: a top-level region, or a gap no region covers (shown Free). */
typedef struct {
  guint64 address;
  guint64 size;
  gsize   index;    /* region-table index, or G_MAXSIZE for a gap */
  guint8  type;     /* MscUseType */
} MscFragment;

typedef struct _MscFragmentationLayout MscFragmentationLayout;

MscFragmentationLayout *msc_fragmentation_layout_new      (MscSnapshot            *snapshot,
                                                           MscFragmentationScale   scale);
void                    msc_fragmentation_layout_free     (MscFragmentationLayout *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (MscFragmentationLayout, msc_fragmentation_layout_free)

guint                   msc_fragmentation_layout_n_fragments (const MscFragmentationLayout *self);
const MscFragment      *msc_fragmentation_layout_fragment    (const MscFragmentationLayout *self,
                                                              guint                         i);
/* All fragments, and the n + 1 positions where they start (the last is the
 * length): the drawing's inner loop reads them directly. */
const MscFragment      *msc_fragmentation_layout_fragments (const MscFragmentationLayout *self);
const double           *msc_fragmentation_layout_starts    (const MscFragmentationLayout *self);
/* Where fragment i starts on the line; start (n_fragments) is the length. */
double                  msc_fragmentation_layout_start    (const MscFragmentationLayout *self,
                                                           guint                         i);
double                  msc_fragmentation_layout_length   (const MscFragmentationLayout *self);
/* The fragment at a position on the line (the last one for the end),
 * by binary search; G_MAXUINT on an empty layout. */
guint                   msc_fragmentation_layout_find     (const MscFragmentationLayout *self,
                                                           double                        unit);
/* The position of an address (clamped to the covered range). */
double                  msc_fragmentation_layout_unit_of  (const MscFragmentationLayout *self,
                                                           guint64                       address);
/* The address at a position (inside its fragment, in proportion). */
guint64                 msc_fragmentation_layout_address_at (const MscFragmentationLayout *self,
                                                             double                        unit);

G_END_DECLS
