/* msc-window.h — the main window: one process or one capture. */
#pragma once

#include <gtk/gtk.h>
#include "model/msc-diff.h"
#include "model/msc-session.h"
#include "ui/msc-details-view.h"
#include "ui/msc-graph.h"
#include "ui/msc-status-bar.h"
#include "ui/msc-summary-view.h"

G_BEGIN_DECLS

#define MSC_TYPE_WINDOW (msc_window_get_type ())
G_DECLARE_FINAL_TYPE (MscWindow, msc_window, MSC, WINDOW, GtkApplicationWindow)

#define MSC_WINDOW_ERROR (msc_window_error_quark ())
GQuark msc_window_error_quark (void);

typedef enum {
  MSC_WINDOW_ERROR_EMPTY = 1,     /* nothing to copy */
  MSC_WINDOW_ERROR_CLIPBOARD,     /* the text could not be produced */
} MscWindowError;

MscWindow      *msc_window_new                (GtkApplication *application);
/* Both run in the background; the window shows progress and can cancel. */
void            msc_window_open_file          (MscWindow      *self,
                                               GFile          *file);
void            msc_window_open_process       (MscWindow      *self,
                                               guint           pid);
/* VMMap's -p: a PID, or the first process whose name begins with text; a
 * name no process has is explained in a dialog over the window. */
void            msc_window_open_process_text  (MscWindow      *self,
                                               const char     *text);
/* Saves, in the background, as the file's extension says
 * (msc_capture_output_path's rule); a failure is explained in a dialog. */
/* Opens file (or, when NULL, process pid) in this window in place of what
 * it shows, as VMMap does (File → Open, Select Process), asking first
 * about unsaved snapshots; busy with a scan or a save, in a new window
 * placed beside this one. */
void            msc_window_open_here          (MscWindow      *self,
                                               GFile          *file,
                                               guint           pid);
void            msc_window_save_to            (MscWindow      *self,
                                               GFile          *file);
/* Edit → Copy All's text: the process, then the Summary and Details views
 * as shown (their columns, rows, filter and sort order; tab-separated). */
char           *msc_window_dup_text           (MscWindow      *self,
                                               GError        **error);
MscSession     *msc_window_get_session        (MscWindow      *self);
/* The .mmp that File → Save writes to, or NULL when Save asks for a name
 * (a live process, a VMMap CSV/TXT export). */
GFile          *msc_window_get_file           (MscWindow      *self);
/* The text of the message bar (Empty Working Set's result), or NULL when
 * none is shown. */
const char     *msc_window_get_message        (MscWindow      *self);
/* The snapshot on screen, by index in the session (a Timeline click); with
 * Show Changes on, it is compared with the one before. */
void            msc_window_show_snapshot      (MscWindow      *self,
                                               guint           index);
guint           msc_window_get_shown_index    (MscWindow      *self);
/* Shows snapshot b with its changes since a (a Timeline drag): turns Show
 * Changes on. The older of the two is always the "from" side. */
void            msc_window_compare_snapshots  (MscWindow      *self,
                                               guint           a,
                                               guint           b);
/* What Show Changes marks, or NULL when it is off (or nothing to compare). */
MscDiff        *msc_window_get_diff           (MscWindow      *self);
/* The open Fragmentation View, or NULL. */
GtkWidget      *msc_window_get_fragmentation_dialog (MscWindow *self);
/* Launch and Trace (where msc_backend_can_trace()): starts argv under the
 * tracer in directory (NULL: ours) with environment additions (NULL: none);
 * the window fills at each Trace Snapshot Interval and holds the trace when
 * the program ends or msc_window_stop_trace() (kill, or leave it running)
 * ends the recording. */
void            msc_window_launch_trace   (MscWindow          *self,
                                           const char *const  *argv,
                                           const char         *directory,
                                           const char *const  *environment);
gboolean        msc_window_stop_trace     (MscWindow          *self,
                                           gboolean            kill);
gboolean        msc_window_get_tracing    (MscWindow          *self);
/* Show Origin Stack's text for the Details row selected: the traced call
 * that made its region and that call's stack; NULL when the trace did not
 * see it (or has not been replayed yet). */
char           *msc_window_dup_origin_stack (MscWindow        *self);
/* The trace dialogs (a traced capture only), or NULL when not open. */
GtkWidget      *msc_window_get_trace_dialog         (MscWindow *self);
GtkWidget      *msc_window_get_call_tree_dialog     (MscWindow *self);
GtkWidget      *msc_window_get_heap_allocations_dialog (MscWindow *self);
/* The open Timeline dialog, or NULL. */
GtkWidget      *msc_window_get_timeline_dialog (MscWindow     *self);
gboolean        msc_window_get_busy           (MscWindow      *self);
/* TRUE while the window holds snapshots of a live process that no saved
 * .mmp holds: closing it asks first. */
gboolean        msc_window_get_unsaved        (MscWindow      *self);
/* TRUE when the window shows the running process pid (scanned, not a file). */
gboolean        msc_window_shows_process      (MscWindow      *self,
                                               guint           pid);
MscSummaryView *msc_window_get_summary_view   (MscWindow      *self);
MscDetailsView *msc_window_get_details_view   (MscWindow      *self);
MscStatusBar   *msc_window_get_status_bar     (MscWindow      *self);
MscGraph       *msc_window_get_graph          (MscWindow      *self,
                                               MscGraphKind    kind);

G_END_DECLS
