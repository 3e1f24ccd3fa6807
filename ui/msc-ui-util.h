/* msc-ui-util.h — small helpers the widgets share: the theme's text color,
 * small-print layouts for the Cairo graphs, and how a snapshot's time reads. */
#pragma once

#include <gtk/gtk.h>
#include "model/msc-diff.h"
#include "model/msc-snapshot.h"

G_BEGIN_DECLS

/* The widget's text color in its current state. */
void         msc_widget_foreground  (GtkWidget   *widget,
                                     GdkRGBA     *fg);
/* A layout of text in the widget's font at Pango's "small" scale (scale
 * labels, tick labels, legends). (transfer full) */
PangoLayout *msc_small_layout       (GtkWidget   *widget,
                                     const char  *text);
/* The snapshot's local time, "10:31:02" or with its date "05/06/24
 * 10:31:02" (the locale's formats); "unknown time" when it has none. */
char        *msc_snapshot_time_text (MscSnapshot *snapshot,
                                     gboolean     with_date);
/* Whether two snapshots were taken on the same local day. */
gboolean     msc_snapshots_same_day (MscSnapshot *a,
                                     MscSnapshot *b);
/* Reveals bar with label (its content) saying title in bold over message. */
void         msc_info_bar_show      (GtkInfoBar  *bar,
                                     GtkLabel    *label,
                                     const char  *title,
                                     const char  *message);
/* "New", "Removed", "Changed" (empty when unchanged) and the icon beside
 * it, so a change is never told by color alone. */
const char  *msc_diff_status_text   (MscDiffStatus status);
const char  *msc_diff_status_icon   (MscDiffStatus status);

/* A count as the tables show it: "17,332" (the K figures' separator, not
 * the locale's, so both read alike). (transfer full) */
char        *msc_format_count        (guint64      count);

/* Whether a modal window of ours (a dialog transient for widget's window)
 * stands over widget: its tooltips stay away, which Wine's window manager does not
 * see to when a dialog opens under the pointer. */
gboolean     msc_widget_under_dialog (GtkWidget  *widget);

/* Cancels the task *slot belongs to, if any, and empties the slot: a
 * newer task (or none) replaces it. */
void         msc_cancellable_drop    (GCancellable **slot);

/* A window's own dialog, kept in *slot while it lives (a weak pointer):
 * msc_dialog_slot_set fills the slot; msc_dialog_slot_destroy empties it
 * and destroys the dialog (the window is going). */
void         msc_dialog_slot_set     (GtkWidget  **slot,
                                      GtkWidget   *dialog);
void         msc_dialog_slot_destroy (GtkWidget  **slot);

G_END_DECLS
