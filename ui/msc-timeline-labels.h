/* msc-timeline-labels.h — which time labels the Timeline draws under its
 * marks so that none overlaps another: snapshots taken seconds apart have
 * marks closer than their labels are wide. */
#pragma once

#include <gtk/gtk.h>
#include "model/msc-session.h"

G_BEGIN_DECLS

/* Label i's width in pixels (asked for only where it could be shown). */
typedef int (*MscLabelWidthFunc) (gpointer user, guint i);

/* n labels, label i width_of(i) pixels wide and centred under centre[i]
 * (ascending), kept inside [0, limit]. Label keep (the cursor's; G_MAXUINT
 * for none) is always drawn; the others left to right where they overlap
 * neither a label drawn before nor keep's, with gap pixels between. Fills
 * shown[i], and left[i] (the left edge) where shown. */
void msc_timeline_place_labels (guint              n,
                                const double      *centre,
                                MscLabelWidthFunc  width_of,
                                gpointer           user,
                                double             limit,
                                guint              keep,
                                double             gap,
                                double            *left,
                                gboolean          *shown);

/* Draws the time label of each of session's snapshots that fits, centred
 * under centre[i], at y; keep's always. labels gets what was drawn
 * (GdkRectangle, left to right). */
void msc_timeline_draw_time_labels (GtkWidget    *widget,
                                    cairo_t      *cr,
                                    MscSession   *session,
                                    const double *centre,
                                    guint         keep,
                                    double        y,
                                    GArray       *extents);

G_END_DECLS
