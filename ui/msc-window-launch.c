/* msc-window-launch.c — Launch and Trace in the main window. The recorder
 * runs on a worker thread (it reads the program's stream and scans it at
 * each Trace Snapshot Interval); what the window shows while it runs comes
 * over as messages to the main loop: each snapshot, copied (the recorder's
 * own session stores it as a delta it keeps changing), and the counts for
 * the status bar. At the end the window takes the recorder's session,
 * trace and all, in their place. Built where the model can record. */
#include "config.h"

#include <glib/gi18n.h>

#include "ui/msc-status-bar.h"
#include "ui/msc-ui-util.h"
#include "ui/msc-window-private.h"

typedef struct {
  GWeakRef     window;
  MscProcess  *process;
  MscSnapshot *snapshot;
  guint        n_events;
  guint        n_snapshots;
  gdouble      elapsed;
  char        *name;
} MscTraceNews;

static void
msc_trace_news_free (gpointer data)
{
  MscTraceNews *news = data;

  g_weak_ref_clear (&news->window);
  g_clear_object (&news->process);
  g_clear_object (&news->snapshot);
  g_free (news->name);
  g_free (news);
}

/* What the worker shares with the main loop: the window (weakly) and the
 * program's name. */
typedef struct {
  GWeakRef window;
  char    *name;
} MscTraceRun;

static void
msc_trace_run_free (gpointer data)
{
  MscTraceRun *run = data;

  g_weak_ref_clear (&run->window);
  g_free (run->name);
  g_free (run);
}

static MscTraceNews *
msc_trace_news_new (MscTraceRun *run)
{
  MscTraceNews *news = g_new0 (MscTraceNews, 1);
  g_autoptr(GObject) window = g_weak_ref_get (&run->window);

  g_weak_ref_init (&news->window, window);
  news->name = g_strdup (run->name);
  return news;
}

/* ---- on the main loop ---- */

static gboolean
msc_window_trace_news (gpointer data)
{
  MscTraceNews *news = data;
  g_autoptr(MscWindow) self = g_weak_ref_get (&news->window);

  if (self == NULL || self->closed || self->recorder == NULL)
    return G_SOURCE_REMOVE;
  if (news->snapshot != NULL)
    {
      if (self->session == NULL)
        {
          self->session = msc_session_new (news->process);
          self->follow_latest = TRUE;
        }
      msc_session_add_snapshot (self->session, news->snapshot);
      self->unsaved = TRUE;
      if (self->follow_latest)
        msc_window_show_latest (self);
      msc_window_update_actions (self);
    }
  else
    {
      g_autofree char *events = msc_format_count (news->n_events);
      g_autofree char *rate = msc_format_count ((guint64) (news->elapsed > 0 ? news->n_events / news->elapsed : 0));
      g_autofree char *text = NULL;

      /* Translators: "Tracing prog: 1,234 events (567/s), 3 snapshots, 3.0 s" */
      text = g_strdup_printf (_("Tracing %s: %s events (%s/s), %u snapshots, %.1f s"), news->name, events, rate,
                              news->n_snapshots, news->elapsed);
      msc_status_bar_start_progress (self->status_bar, text);
    }
  return G_SOURCE_REMOVE;
}

/* ---- on the recording thread ---- */

static void
msc_window_trace_snapshot (gpointer     user_data,
                           MscProcess  *process,
                           MscSnapshot *snapshot)
{
  MscTraceNews *news = msc_trace_news_new (user_data);

  news->process = process != NULL ? g_object_ref (process) : NULL;
  news->snapshot = msc_snapshot_copy (snapshot);
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, msc_window_trace_news, news, msc_trace_news_free);
}

static gboolean
msc_window_trace_progress (gpointer user_data,
                           guint    n_events,
                           guint    n_snapshots,
                           gdouble  elapsed)
{
  MscTraceNews *news = msc_trace_news_new (user_data);

  news->n_events = n_events;
  news->n_snapshots = n_snapshots;
  news->elapsed = elapsed;
  g_main_context_invoke_full (NULL, G_PRIORITY_DEFAULT, msc_window_trace_news, news, msc_trace_news_free);
  return TRUE;
}

static void
msc_window_trace_thread (GTask        *task,
                         gpointer      source,
                         gpointer      data,
                         GCancellable *cancellable)
{
  MscTraceRecorder *recorder = data;
  GError *error = NULL;
  MscSession *session = msc_trace_recorder_run (recorder, &error);

  if (session == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, session, g_object_unref);
}

/* ---- the end ---- */

static void
msc_window_trace_done (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(MscWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MscSession) session = g_task_propagate_pointer (G_TASK (result), &error);

  g_clear_object (&self->recorder);
  if (!msc_window_end_task (self))
    return;
  msc_status_bar_set_cancel_label (self->status_bar, NULL);
  if (session == NULL)
    {
      msc_window_task_failed (self, _("The program could not be traced"), error);
      msc_window_update_actions (self);
      return;
    }
  /* The recorder's session has every snapshot and the trace; the live one
   * only the copies. An empty one (the program ended before the first
   * snapshot) leaves the window as it was. */
  if (msc_session_get_n_snapshots (session) > 0)
    {
      g_set_object (&self->session, session);
      g_clear_object (&self->file);
      self->live = FALSE;
      self->unsaved = TRUE;
      msc_window_show_latest (self);
    }
  msc_window_update_actions (self);
}

void
msc_window_launch_trace (MscWindow         *self,
                         const char *const *argv,
                         const char        *directory,
                         const char *const *environment)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *text = NULL;
  MscTraceRun *run;

  g_return_if_fail (MSC_IS_WINDOW (self));
  g_return_if_fail (self->cancellable == NULL && self->recorder == NULL);

  self->recorder = msc_trace_recorder_new (argv, (gdouble) msc_options_get_trace_interval (self->options));
  msc_trace_recorder_set_start (self->recorder, directory, environment);
  run = g_new0 (MscTraceRun, 1);
  g_weak_ref_init (&run->window, self);
  run->name = g_path_get_basename (argv[0]);
  msc_trace_recorder_set_progress (self->recorder, msc_window_trace_progress, run);
  msc_trace_recorder_set_snapshot_func (self->recorder, msc_window_trace_snapshot, run);
  g_object_set_data_full (G_OBJECT (self->recorder), "msc-trace-run", run, msc_trace_run_free);
  /* The trace is a new document: what the window showed goes (the open
   * prompt already asked about unsaved snapshots). */
  g_clear_object (&self->session);
  g_clear_object (&self->file);
  self->live = FALSE;
  text = g_strdup_printf (_("Starting %s…"), run->name);
  msc_window_begin_task (self, text);
  msc_status_bar_set_cancel_label (self->status_bar, _("_Stop Trace"));
  task = g_task_new (NULL, NULL, msc_window_trace_done, g_object_ref (self));
  g_task_set_task_data (task, g_object_ref (self->recorder), g_object_unref);
  g_task_run_in_thread (task, msc_window_trace_thread);
}

/* ---- Stop Trace ---- */

enum {
  MSC_STOP_KILL = 1,
  MSC_STOP_LEAVE,
};

static void
msc_window_stop_response (GtkDialog *dialog,
                          int        response,
                          MscWindow *self)
{
  if (self->recorder != NULL && (response == MSC_STOP_KILL || response == MSC_STOP_LEAVE))
    msc_trace_recorder_request_stop (self->recorder, response == MSC_STOP_KILL);
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

void
msc_window_ask_stop_trace (MscWindow *self)
{
  GtkWidget *dialog;

  g_return_if_fail (MSC_IS_WINDOW (self));

  if (self->recorder == NULL)
    return;
  dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE, _("Stop tracing?"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog),
                                            _("The capture keeps everything recorded so far, marked as cut "
                                              "short. The program can be ended, or left running untraced."));
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), _("_Go On Tracing"), GTK_RESPONSE_CANCEL,
                          _("_Leave It Running"), MSC_STOP_LEAVE, _("_End the Program"), MSC_STOP_KILL, NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), MSC_STOP_KILL);
  g_signal_connect_object (dialog, "response", G_CALLBACK (msc_window_stop_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
msc_window_stop_trace (MscWindow *self,
                       gboolean   kill)
{
  g_return_val_if_fail (MSC_IS_WINDOW (self), FALSE);

  if (self->recorder == NULL)
    return FALSE;
  msc_trace_recorder_request_stop (self->recorder, kill);
  return TRUE;
}

gboolean
msc_window_get_tracing (MscWindow *self)
{
  g_return_val_if_fail (MSC_IS_WINDOW (self), FALSE);
  return self->recorder != NULL;
}
