/* msc-window-private.h — shared by msc-window.c and msc-window-files.c, the
 * window's file, clipboard and font commands. */
#pragma once

#include "ui/msc-window.h"

G_BEGIN_DECLS

struct _MscWindow
{
  GtkApplicationWindow  parent_instance;

  GtkStack             *stack;
  GtkLabel             *empty_hint;
  MscGraph             *committed_graph;
  MscGraph             *private_graph;
  MscGraph             *ws_graph;
  GtkPaned             *paned;
  MscSummaryView       *summary_view;
  MscDetailsView       *details_view;
  MscStatusBar         *status_bar;

  GSettings            *settings;
  GtkCssProvider       *font_css;
  MscSession           *session;
  GFile                *file;          /* the .mmp Save writes to, if any */
  GCancellable         *cancellable;   /* of the scan or load under way */
  gboolean              live;          /* the session came from a scan */

  int                   width;
  int                   height;
  gboolean              maximized;
};

/* msc-window.c */
void     msc_window_update_actions (MscWindow  *self);
void     msc_window_show_error     (MscWindow  *self,
                                    const char *primary,
                                    GError     *error);
gboolean msc_window_is_empty       (MscWindow  *self);
MscWindow *msc_window_get_empty    (MscWindow  *self); /* self if empty, else a new window */

/* msc-window-files.c: the "win." actions that talk to files and the clipboard. */
void     msc_window_add_file_actions (MscWindow *self);
void     msc_window_apply_font       (MscWindow *self);

G_END_DECLS
