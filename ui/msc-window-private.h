/* msc-window-private.h — shared by msc-window.c and its parts:
 * msc-window-files.c (file, clipboard and font commands) and
 * msc-window-changes.c (Timeline, Show Changes, auto-refresh) and
 * msc-window-memory.c (Strings, Empty Working Set),
 * msc-window-options.c (Show Free Regions, Font) and
 * msc-window-fragmentation.c (Fragmentation View) and
 * msc-window-trace.c (Call Tree, Heap Allocations). */
#pragma once

#include "model/msc-trace-recorder.h"
#include "ui/msc-options.h"
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
  GtkInfoBar           *info_bar;      /* msc_window_show_message() */
  GtkLabel             *info_label;
  MscSummaryView       *summary_view;
  MscDetailsView       *details_view;
  MscStatusBar         *status_bar;

  GSettings            *settings;      /* window size only */
  MscOptions           *options;       /* the Options menu, in effect */
  GtkCssProvider       *font_css;
  MscSession           *session;
  GFile                *file;          /* the .mmp Save writes to, if any */
  GCancellable         *cancellable;   /* of the scan or load under way */
  gboolean              live;          /* the session came from a scan */
  gboolean              closed;        /* disposed: a late task result is dropped */
  gboolean              saving;        /* the task under way is a save */
  gboolean              unsaved;       /* snapshots taken that no .mmp holds yet */
  gboolean              close_after_save; /* the close prompt's Save: close once saved */
  gboolean              discard;       /* the close prompt's Close without Saving */
  GFile                *pending_file;  /* chosen to open here once the prompt is answered */
  guint                 pending_pid;   /* the same for a process (0: none) */
  gboolean              open_after_save; /* the open prompt's Save: open it once saved */
  char                 *message;       /* shown in info_bar, or NULL */

  /* msc-window-changes.c: Timeline, Show Changes, auto-refresh */
  guint                 shown;         /* index of the snapshot on screen (B) */
  int                   compare;       /* Show Changes' A, or -1: the one before B */
  MscDiff              *diff;          /* what Show Changes marks; NULL when off */
  GtkWidget            *timeline_dialog;
  gboolean              from_timeline; /* applying the Timeline's own pick */
  gboolean              follow_latest; /* a new snapshot is shown: the user picked none */
  gboolean              in_auto_tick;  /* the refresh under way is Auto Refresh's */
  gboolean              timeline_synced; /* synced_* hold the Timeline's last selection */
  guint                 synced_first;
  guint                 synced_last;
  guint                 auto_refresh_id;

  GtkWidget            *fragmentation_dialog; /* msc-window-fragmentation.c */
  GtkWidget            *strings_dialog;       /* msc-window-memory.c */
  GtkWidget            *trace_buttons;        /* msc-window-trace.c */
  MscTraceRecorder     *recorder;             /* msc-window-launch.c: while tracing */
  GtkWidget            *trace_dialog;
  GtkWidget            *call_tree_dialog;
  GtkWidget            *heap_allocations_dialog;
  GArray               *origins;              /* msc-window-origins.c: live mappings, MscLiveBlock */
  GCancellable         *origins_cancellable;

  int                   width;
  int                   height;
  gboolean              maximized;
};

/* msc-window.c */
void     msc_window_update_actions (MscWindow  *self);
/* Shows the session's newest snapshot (after a load, a scan, a trace). */
void     msc_window_show_latest    (MscWindow  *self);
void     msc_window_show_error     (MscWindow  *self,
                                    const char *primary,
                                    GError     *error);
gboolean msc_window_is_empty       (MscWindow  *self);


int      msc_window_address_digits (MscProcess *process);
/* A long task: busy state, the status bar's progress and Cancel. */
void     msc_window_begin_task     (MscWindow  *self,
                                    const char *text);
gboolean msc_window_end_task       (MscWindow  *self);
/* FALSE for a cancelled task; otherwise explains error in a dialog. */
gboolean msc_window_task_failed    (MscWindow  *self,
                                    const char *primary,
                                    GError     *error);

/* msc-window-memory.c: Edit → Strings… and Refresh → Empty Working Set, and
 * the message bar above the views. */
void     msc_window_add_memory_actions    (MscWindow      *self);
void     msc_window_update_memory_actions (MscWindow      *self);
void     msc_window_memory_destroy        (MscWindow      *self);
/* Selects address in the Details view, whatever its type filter hides. */
void     msc_window_go_to_address         (MscWindow      *self,
                                           guint64         address);
void     msc_window_show_message          (MscWindow      *self,
                                           GtkMessageType  type,
                                           const char     *title,
                                           const char     *message);

/* msc-window-changes.c: Options → Show Changes and Auto Refresh, Timeline…
 * (the "win." actions), and which snapshot(s) the views show. */
void     msc_window_add_change_actions    (MscWindow *self);
void     msc_window_update_change_actions (MscWindow *self);
/* After a scan or load: arms or stops the auto-refresh timer. */
void     msc_window_schedule_refresh      (MscWindow *self);
void     msc_window_stop_auto_refresh     (MscWindow *self);
/* The window is going: no more ticks, and the Timeline closes with it. */
void     msc_window_changes_destroy       (MscWindow *self);

/* msc-window-fragmentation.c: View → Fragmentation View. */
void     msc_window_add_fragmentation_actions   (MscWindow *self);
void     msc_window_update_fragmentation_action (MscWindow *self);
void     msc_window_fragmentation_destroy       (MscWindow *self);

/* msc-window-launch.c (where the model can record; msc-window.h has the
 * launch): Stop Trace, the status bar's button or Escape, asks whether to
 * end the program or leave it running. */
void     msc_window_ask_stop_trace (MscWindow          *self);

/* msc-window-trace.c: Trace…, Call Tree… and Heap Allocations…, for a traced capture. */
void     msc_window_add_trace_actions    (MscWindow *self);
void     msc_window_update_trace_actions (MscWindow *self);
void     msc_window_trace_destroy        (MscWindow *self);

/* msc-window-origins.c: each region's origin (Details tooltip, Show Origin
 * Stack) for the snapshot shown at trace time at. */
void     msc_window_add_origin_actions   (MscWindow *self);
void     msc_window_origins_follow       (MscWindow *self,
                                          guint64    at);
void     msc_window_update_origin_action (MscWindow *self);
void     msc_window_origins_destroy      (MscWindow *self);

/* msc-window-files.c: the "win." actions that talk to files and the clipboard. */
void     msc_window_add_file_actions (MscWindow *self);

/* msc-window-options.c: Show Free Regions, Font…, and the note when an
 * option could not be saved. */
void     msc_window_add_option_actions (MscWindow *self);
void     msc_window_apply_font         (MscWindow *self);
/* The window's delete-event: TRUE (stay open) while a question about its
 * unsaved snapshots is asked. */
gboolean msc_window_confirm_close      (MscWindow *self);
void     msc_window_forget_pending     (MscWindow *self);
/* A new, empty window placed beside self (File → New Window). */
MscWindow *msc_window_new_beside       (MscWindow *self);
void     msc_window_open_pending       (MscWindow *self);

G_END_DECLS
