/* msc-timeline-dialog.h — VMMap's Timeline dialog: the session's snapshots
 * over time; the window shows the snapshot picked, or the changes between
 * the two picked (GTK_RESPONSE_APPLY; read the timeline's selection). */
#pragma once

#include <gtk/gtk.h>
#include "model/msc-session.h"
#include "ui/msc-timeline.h"

G_BEGIN_DECLS

#define MSC_TYPE_TIMELINE_DIALOG (msc_timeline_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MscTimelineDialog, msc_timeline_dialog, MSC, TIMELINE_DIALOG, GtkDialog)

/* (transfer floating) */
GtkWidget   *msc_timeline_dialog_new          (GtkWindow         *parent,
                                               MscSession        *session);
MscTimeline *msc_timeline_dialog_get_timeline (MscTimelineDialog *self);
/* The session shown, as the window's changes (also the cost below). */
void         msc_timeline_dialog_set_session  (MscTimelineDialog *self,
                                               MscSession        *session);
/* "12 snapshots, 1.2 MiB in memory": what the session costs. */
const char  *msc_timeline_dialog_get_cost_text (MscTimelineDialog *self);

G_END_DECLS
