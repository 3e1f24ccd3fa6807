/* msc-window.h — the main window: one process or one capture. */
#pragma once

#include <gtk/gtk.h>
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
  MSC_WINDOW_ERROR_EMPTY = 1,     /* nothing to save or copy */
  MSC_WINDOW_ERROR_CLIPBOARD,     /* the text could not be produced */
} MscWindowError;

MscWindow      *msc_window_new                (GtkApplication *application);
/* Both run in the background; the window shows progress and can cancel. */
void            msc_window_open_file          (MscWindow      *self,
                                               GFile          *file);
void            msc_window_open_process       (MscWindow      *self,
                                               guint           pid);
/* Saves as the file's extension says (msc_capture_output_path's rule). */
gboolean        msc_window_save_to            (MscWindow      *self,
                                               GFile          *file,
                                               GError        **error);
/* Edit → Copy All's text: process, summary and details as VMMap's text. */
char           *msc_window_dup_text           (MscWindow      *self,
                                               GError        **error);
MscSession     *msc_window_get_session        (MscWindow      *self);
gboolean        msc_window_get_busy           (MscWindow      *self);
MscSummaryView *msc_window_get_summary_view   (MscWindow      *self);
MscDetailsView *msc_window_get_details_view   (MscWindow      *self);
MscStatusBar   *msc_window_get_status_bar     (MscWindow      *self);
MscGraph       *msc_window_get_graph          (MscWindow      *self,
                                               MscGraphKind    kind);

G_END_DECLS
