/* msc-status-bar.h — process, PID, snapshot time, and the progress of the
 * scan or load under way. */
#pragma once

#include <gtk/gtk.h>
#include "model/msc-diff.h"

G_BEGIN_DECLS

#define MSC_TYPE_STATUS_BAR (msc_status_bar_get_type ())
G_DECLARE_FINAL_TYPE (MscStatusBar, msc_status_bar, MSC, STATUS_BAR, GtkBox)

GtkWidget  *msc_status_bar_new            (void);
/* name NULL clears the process fields; time may be NULL. */
void        msc_status_bar_set_process    (MscStatusBar *self,
                                           const char   *name,
                                           guint         pid,
                                           GDateTime    *time);
/* Show Changes: "Changes from 10:31:02 to 10:31:15: 3 new, 1 removed, 2
 * changed regions" in place of the snapshot time (the counts: the rows the
 * Details view marks); NULL shows the time again. */
void        msc_status_bar_set_changes    (MscStatusBar *self,
                                           MscDiff      *diff,
                                           guint         n_new,
                                           guint         n_removed,
                                           guint         n_changed);
/* The snapshot's notes (why figures are n/a or estimated; one per line):
 * a button shows the first, its popover all. NULL or "" hides it. */
void        msc_status_bar_set_notes      (MscStatusBar *self,
                                           const char   *notes);
/* The notes shown, or NULL when there are none. */
const char *msc_status_bar_get_notes      (MscStatusBar *self);
/* Shows a pulsing progress bar with text and the Cancel button (win.cancel). */
void        msc_status_bar_start_progress (MscStatusBar *self,
                                           const char   *text);
void        msc_status_bar_stop_progress  (MscStatusBar *self);
/* The Cancel button's label while this task runs ("_Stop Trace"); NULL:
 * "_Cancel" again. */
void        msc_status_bar_set_cancel_label (MscStatusBar *self,
                                             const char   *label);
gboolean    msc_status_bar_get_busy       (MscStatusBar *self);
const char *msc_status_bar_get_text       (MscStatusBar *self); /* "name · PID · time or changes" */

G_END_DECLS
