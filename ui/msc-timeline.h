/* msc-timeline.h — VMMap's Timeline graph: a time axis with one mark per
 * snapshot of a session, and the total committed and working set over time.
 *
 * The selection is a cursor and an anchor (both snapshot indexes): equal,
 * one snapshot is picked (click, Left/Right); different, the two are to be
 * compared (drag from one mark to another, Shift+Left/Right). Releasing the
 * mouse or pressing Enter emits "activate" so the owner applies it.
 */
#pragma once

#include <gtk/gtk.h>
#include "model/msc-session.h"

G_BEGIN_DECLS

#define MSC_TYPE_TIMELINE (msc_timeline_get_type ())
G_DECLARE_FINAL_TYPE (MscTimeline, msc_timeline, MSC, TIMELINE, GtkDrawingArea)

GtkWidget  *msc_timeline_new                (void);
/* session may be NULL; the selection becomes its latest snapshot. */
void        msc_timeline_set_session        (MscTimeline *self,
                                             MscSession  *session);
MscSession *msc_timeline_get_session        (MscTimeline *self);
/* Picks one snapshot (cursor = anchor = index). */
void        msc_timeline_select             (MscTimeline *self,
                                             guint        index);
/* Picks two snapshots to compare (anchor, cursor). */
void        msc_timeline_select_pair        (MscTimeline *self,
                                             guint        anchor,
                                             guint        cursor);
/* The selection as first <= last (equal for one snapshot); FALSE when the
 * session has no snapshot. */
gboolean    msc_timeline_get_selection      (MscTimeline *self,
                                             guint       *first,
                                             guint       *last);
/* Where the mark of snapshot index is drawn, in widget coordinates (for
 * tests that click it, and for tooltips). */
double      msc_timeline_get_mark_x         (MscTimeline *self,
                                             guint        index);
/* The time labels of the last draw (GdkRectangle, x and width), left to
 * right; none overlaps another. */
GArray     *msc_timeline_get_label_extents  (MscTimeline *self);
/* A mark's tooltip: time, total committed and working set ("n/a" where
 * the OS gave none). */
char       *msc_timeline_dup_snapshot_text  (MscTimeline *self,
                                             guint        index);
/* "Snapshot 2 of 3, 10:31:02" or "Snapshots 1 and 3: 10:31:02 to 10:31:15". */
char       *msc_timeline_dup_selection_text (MscTimeline *self);

G_END_DECLS
