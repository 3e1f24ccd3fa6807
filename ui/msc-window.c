/* msc-window.c — the main window: graphs, Summary and Details, status bar. */
#include "config.h"

#include <glib/gi18n.h>

#include "model/core/msc-export.h"
#include "model/msc-diff-format.h"
#include "model/msc-import.h"
#include "model/msc-mmp-reader.h"
#include "model/msc-process-lookup.h"
#include "ui/msc-application.h"
#include "ui/msc-task.h"
#include "ui/msc-window-private.h"
#include "ui/msc-process-chooser.h"

G_DEFINE_FINAL_TYPE (MscWindow, msc_window, GTK_TYPE_APPLICATION_WINDOW)
G_DEFINE_QUARK (msc-window-error-quark, msc_window_error)

static void
msc_window_set_enabled (MscWindow  *self,
                        const char *name,
                        gboolean    enabled)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), name);

  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), enabled);
}

gboolean
msc_window_is_empty (MscWindow *self)
{
  return self->session == NULL && self->cancellable == NULL;
}

void
msc_window_update_actions (MscWindow *self)
{
  gboolean busy = self->cancellable != NULL;
  gboolean shown = self->session != NULL && msc_session_get_latest (self->session) != NULL;
  static const char *const needs_snapshot[] = {
    "save", "save-as", "copy-address", "copy-all", "expand-all", "collapse-all",
  };

  for (guint i = 0; i < G_N_ELEMENTS (needs_snapshot); i++)
    msc_window_set_enabled (self, needs_snapshot[i], shown && !busy);
  msc_window_set_enabled (self, "refresh", self->live && !busy && msc_backend_can_scan ());
  /* The core writers cannot stop halfway: a save runs to its end. */
  msc_window_set_enabled (self, "cancel", busy && !self->saving);
  msc_window_update_memory_actions (self);
  msc_window_update_change_actions (self);
  msc_window_update_fragmentation_action (self);
  msc_window_update_trace_actions (self);
}

void
msc_window_show_error (MscWindow  *self,
                       const char *primary,
                       GError     *error)
{
  GtkWidget *dialog;

  dialog = gtk_message_dialog_new (GTK_WINDOW (self),
                                   GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE, "%s", primary);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", error->message);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

int
msc_window_address_digits (MscProcess *process)
{
  MscCaptureProcess capture = { .bits = msc_process_get_bits (process) };

  return msc_export_address_digits (&capture);
}

static void
msc_window_update_title (MscWindow *self)
{
  MscProcess *process = msc_session_get_process (self->session);
  g_autofree char *name = msc_text_escaped (msc_process_get_name (process) != NULL
                                            ? msc_process_get_name (process) : "");
  g_autofree char *title = NULL;

  if (self->file != NULL && !self->live)
    {
      g_autofree char *base = g_file_get_basename (self->file);
      g_autofree char *shown = msc_text_escaped (base);

      title = g_strdup_printf (_("%s (PID %u) — %s — Memscope"), name, msc_process_get_pid (process), shown);
    }
  else
    title = g_strdup_printf (_("%s (PID %u) — Memscope"), name, msc_process_get_pid (process));
  gtk_window_set_title (GTK_WINDOW (self), title);
}

/* Everything on screen shows the session's latest snapshot (after a
 * refresh, VMMap-style; with Show Changes, compared with the one before). */
void
msc_window_show_latest (MscWindow *self)
{
  msc_window_show_snapshot (self, msc_session_get_n_snapshots (self->session) - 1);
  msc_window_update_title (self);
  gtk_stack_set_visible_child_name (self->stack, "content");
}

void
msc_window_begin_task (MscWindow  *self,
                       const char *text)
{
  g_assert (self->cancellable == NULL);

  self->cancellable = g_cancellable_new ();
  msc_status_bar_start_progress (self->status_bar, text);
  msc_window_update_actions (self);
}

/* FALSE when the window was closed while the task ran: its widgets are gone
 * and the result is dropped. */
gboolean
msc_window_end_task (MscWindow *self)
{
  if (self->closed)
    return FALSE;
  g_clear_object (&self->cancellable);
  msc_status_bar_stop_progress (self->status_bar);
  msc_window_update_actions (self);
  return TRUE;
}

/* A cancelled task ends quietly (FALSE); any other failure is explained and
 * the window keeps what it showed before. */
gboolean
msc_window_task_failed (MscWindow  *self,
                        const char *primary,
                        GError     *error)
{
  if (g_error_matches (error, MSC_SCAN_ERROR, MSC_SCAN_ERROR_CANCELLED) ||
      g_error_matches (error, MSC_MMP_ERROR, MSC_MMP_ERROR_CANCELLED) ||
      g_error_matches (error, MSC_IMPORT_ERROR, MSC_IMPORT_ERROR_CANCELLED) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return FALSE;
  msc_window_show_error (self, primary, error);
  return TRUE;
}

static void
msc_window_load_done (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(MscWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MscSession) session = msc_task_load_finish (result, &error);
  GFile *file = g_task_get_task_data (G_TASK (result));

  if (!msc_window_end_task (self))
    return;
  if (session == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_autofree char *primary = g_strdup_printf (_("Could not open “%s”"), name);

      msc_window_task_failed (self, primary, error);
      return;
    }
  g_set_object (&self->session, session);
  /* Save rewrites a .mmp in place; a VMMap CSV/TXT export is read-only, so
   * Save asks for a name instead of writing XML over it. */
  g_clear_object (&self->file);
  if (!msc_snapshot_get_imported (msc_session_get_latest (session)))
    self->file = g_object_ref (file);
  self->live = FALSE;
  self->unsaved = FALSE;
  msc_window_show_latest (self);
  msc_window_update_actions (self);
  msc_window_schedule_refresh (self);
}

void
msc_window_open_file (MscWindow *self,
                      GFile     *file)
{
  g_autofree char *base = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (MSC_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (self->cancellable == NULL);

  base = g_file_get_basename (file);
  text = g_strdup_printf (_("Opening %s…"), base);
  msc_window_begin_task (self, text);
  msc_task_load_async (file, self->cancellable, msc_window_load_done, g_object_ref (self));
}

static void
msc_window_scan_done (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(MscWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(MscProcess) process = NULL;
  g_autoptr(MscSnapshot) snapshot = msc_task_scan_finish (result, &process, &error);

  if (!msc_window_end_task (self))
    return;
  if (snapshot == NULL)
    {
      /* One error dialog, not one per auto-refresh tick: a failed scan
       * (the process exited) pauses auto-refresh until one succeeds. */
      if (msc_window_task_failed (self, _("Could not scan the process"), error))
        msc_window_stop_auto_refresh (self);
      return;
    }
  /* A refresh adds a snapshot to the session VMMap-style; a first scan of a
   * process (or of another one) starts a new session. */
  if (self->session == NULL || !self->live ||
      msc_process_get_pid (msc_session_get_process (self->session)) != msc_process_get_pid (process))
    {
      g_clear_object (&self->session);
      g_clear_object (&self->file);
      self->session = msc_session_new (process);
      self->follow_latest = TRUE;
    }
  else
    msc_session_set_process (self->session, process);
  msc_session_add_snapshot (self->session, snapshot);
  self->live = TRUE;
  self->unsaved = TRUE;
  /* After the user picked older snapshots in the Timeline, Auto Refresh's
   * new ones join the Timeline (and the title) but leave the views alone. */
  if (self->follow_latest)
    msc_window_show_latest (self);
  else
    msc_window_update_title (self);
  msc_window_update_actions (self);
  msc_window_schedule_refresh (self);
}

void
msc_window_open_process (MscWindow *self,
                         guint      pid)
{
  g_autofree char *text = NULL;

  g_return_if_fail (MSC_IS_WINDOW (self));
  g_return_if_fail (self->cancellable == NULL);

  text = g_strdup_printf (_("Scanning process %u…"), pid);
  msc_window_begin_task (self, text);
  msc_task_scan_async (pid, self->cancellable, msc_window_scan_done, g_object_ref (self));
}

void
msc_window_open_process_text (MscWindow  *self,
                              const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) matches = NULL;
  g_autofree char *choice = NULL;

  g_return_if_fail (MSC_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  matches = msc_process_lookup (text, &error);
  if (matches == NULL)
    {
      g_autofree char *primary = g_strdup_printf (_("Could not open process “%s”"), text);

      msc_window_show_error (self, primary, error);
      return;
    }
  /* A name that matched several processes: say which one this is. */
  choice = msc_process_lookup_describe_choice (text, matches);
  if (choice != NULL)
    msc_window_show_message (self, GTK_MESSAGE_INFO, _("Several processes match"), choice);
  msc_window_open_process (self, g_array_index (matches, MscProcessMatch, 0).pid);
}

/* ---- actions ---- */

static void
msc_window_refresh (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  MscWindow *self = user_data;

  if (self->session == NULL || !self->live || self->cancellable != NULL)
    return;
  /* F5 means "show me now"; only Auto Refresh keeps the user's pick. */
  if (!self->in_auto_tick)
    self->follow_latest = TRUE;
  msc_window_open_process (self, msc_process_get_pid (msc_session_get_process (self->session)));
}

static void
msc_window_cancel (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  MscWindow *self = user_data;

  /* A trace is not cancelled but stopped, after a question. */
#ifdef MSC_HAVE_TRACE_RECORDER
  if (self->recorder != NULL)
    {
      msc_window_ask_stop_trace (self);
      return;
    }
#endif
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
msc_window_expand_all (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  msc_details_view_expand_all (MSC_WINDOW (user_data)->details_view);
}

static void
msc_window_collapse_all (GSimpleAction *action,
                         GVariant      *param,
                         gpointer       user_data)
{
  msc_details_view_collapse_all (MSC_WINDOW (user_data)->details_view);
}

static void
msc_window_close_action (GSimpleAction *action,
                         GVariant      *param,
                         gpointer       user_data)
{
  gtk_window_close (GTK_WINDOW (user_data));
}

#ifdef MSC_HAVE_TRACE_RECORDER
/* A trace is a new document: in this window when what it shows is saved
 * (or nothing), else in a new one beside it. */
static void
msc_window_trace_here (MscWindow         *self,
                       MscProcessChooser *chooser)
{
  MscWindow *target = self;

  if (self->cancellable != NULL || self->unsaved)
    {
      target = msc_window_new_beside (self);
      gtk_window_present (GTK_WINDOW (target));
    }
  msc_window_launch_trace (target, msc_process_chooser_get_trace_argv (chooser),
                           msc_process_chooser_get_trace_directory (chooser),
                           msc_process_chooser_get_trace_environment (chooser));
}
#endif

static void
msc_window_chooser_response (GtkDialog *dialog,
                             int        response,
                             MscWindow *self)
{
  MscProcessChooser *chooser = MSC_PROCESS_CHOOSER (dialog);
  guint pid = msc_process_chooser_get_pid (chooser);

#ifdef MSC_HAVE_TRACE_RECORDER
  if (response == GTK_RESPONSE_ACCEPT && msc_process_chooser_get_trace_argv (chooser) != NULL)
    msc_window_trace_here (self, chooser);
#endif
  gtk_widget_destroy (GTK_WIDGET (dialog));
  if (response == GTK_RESPONSE_ACCEPT && pid != 0)
    msc_window_open_here (self, NULL, pid);
}

static void
msc_window_select_process (GSimpleAction *action,
                           GVariant      *param,
                           gpointer       user_data)
{
  MscWindow *self = user_data;
  GtkWidget *dialog = msc_process_chooser_new (GTK_WINDOW (self));

  g_signal_connect_object (dialog, "response", G_CALLBACK (msc_window_chooser_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* File → New Window: one more window, which asks for its process (or,
 * without a backend, waits for a capture). */
static void
msc_window_new_window (GSimpleAction *action,
                       GVariant      *param,
                       gpointer       user_data)
{
  MscWindow *window = msc_window_new_beside (user_data);

  if (g_action_group_has_action (G_ACTION_GROUP (window), "select-process"))
    g_action_group_activate_action (G_ACTION_GROUP (window), "select-process", NULL);
}

static const GActionEntry msc_window_actions[] = {
  { "new-window", msc_window_new_window },
  { "refresh", msc_window_refresh },
  { "cancel", msc_window_cancel },
  { "expand-all", msc_window_expand_all },
  { "collapse-all", msc_window_collapse_all },
  { "close", msc_window_close_action },
  { "select-process", msc_window_select_process },
};

/* ---- window state ---- */

static void
msc_window_summary_type_changed (MscWindow *self)
{
  msc_details_view_set_type_filter (self->details_view,
                                    msc_summary_view_get_selected_type (self->summary_view));
}

static void
msc_window_size_allocate (GtkWidget     *widget,
                          GtkAllocation *allocation)
{
  MscWindow *self = MSC_WINDOW (widget);

  GTK_WIDGET_CLASS (msc_window_parent_class)->size_allocate (widget, allocation);
  if (!self->maximized)
    gtk_window_get_size (GTK_WINDOW (self), &self->width, &self->height);
}

static gboolean
msc_window_delete_event (GtkWidget   *widget,
                         GdkEventAny *event)
{
  return msc_window_confirm_close (MSC_WINDOW (widget));
}

static gboolean
msc_window_window_state_event (GtkWidget           *widget,
                               GdkEventWindowState *event)
{
  MscWindow *self = MSC_WINDOW (widget);

  self->maximized = (event->new_window_state & GDK_WINDOW_STATE_MAXIMIZED) != 0;
  return GTK_WIDGET_CLASS (msc_window_parent_class)->window_state_event (widget, event);
}

static void
msc_window_restore_size (MscWindow *self)
{
  self->width = g_settings_get_int (self->settings, "window-width");
  self->height = g_settings_get_int (self->settings, "window-height");
  gtk_window_set_default_size (GTK_WINDOW (self), self->width, self->height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));
}

static void
msc_window_save_size (MscWindow *self)
{
  g_settings_set_int (self->settings, "window-width", self->width);
  g_settings_set_int (self->settings, "window-height", self->height);
  g_settings_set_boolean (self->settings, "window-maximized", self->maximized);
}

static void
msc_window_destroy (GtkWidget *widget)
{
  msc_window_changes_destroy (MSC_WINDOW (widget));
  msc_window_fragmentation_destroy (MSC_WINDOW (widget));
  msc_window_trace_destroy (MSC_WINDOW (widget));
  msc_window_memory_destroy (MSC_WINDOW (widget));
#ifdef MSC_HAVE_TRACE_RECORDER
  /* A program traced for this window is not left traced for nobody. */
  msc_window_stop_trace (MSC_WINDOW (widget), TRUE);
#endif
  GTK_WIDGET_CLASS (msc_window_parent_class)->destroy (widget);
}

/* Here, not in destroy: GtkWidget emits "destroy" from its own dispose,
 * after this one has dropped the settings and the cancellable. */
static void
msc_window_dispose (GObject *object)
{
  MscWindow *self = MSC_WINDOW (object);

  if (!self->closed)
    {
      self->closed = TRUE;
      msc_window_save_size (self);
      if (self->cancellable != NULL)
        g_cancellable_cancel (self->cancellable);
    }
  g_clear_object (&self->diff);
  g_clear_object (&self->session);
  g_clear_object (&self->file);
  g_clear_object (&self->pending_file);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->settings);
  g_clear_object (&self->options);
  g_clear_object (&self->font_css);
  g_clear_pointer (&self->message, g_free);

  G_OBJECT_CLASS (msc_window_parent_class)->dispose (object);
}

/* The settings come from the application, which GtkWindow's "application"
 * property (not a construct property) only gives after construction. */
static void
msc_window_setup (MscWindow *self)
{
  MscApplication *application = MSC_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));

  self->settings = g_object_ref (msc_application_get_settings (application));
  self->options = g_object_ref (msc_application_get_options (application));
  msc_window_add_option_actions (self);
  msc_window_add_file_actions (self);
  msc_window_add_memory_actions (self);
  msc_window_add_change_actions (self);
  msc_window_add_fragmentation_actions (self);
  msc_window_add_trace_actions (self);
  msc_window_restore_size (self);
  msc_window_update_actions (self);
}

static void
msc_window_class_init (MscWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = msc_window_dispose;
  widget_class->destroy = msc_window_destroy;
  widget_class->size_allocate = msc_window_size_allocate;
  widget_class->window_state_event = msc_window_window_state_event;
  widget_class->delete_event = msc_window_delete_event;

  g_type_ensure (MSC_TYPE_GRAPH);
  g_type_ensure (MSC_TYPE_SUMMARY_VIEW);
  g_type_ensure (MSC_TYPE_DETAILS_VIEW);
  g_type_ensure (MSC_TYPE_STATUS_BAR);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/memscope/Memscope/msc-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MscWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, MscWindow, empty_hint);
  gtk_widget_class_bind_template_child (widget_class, MscWindow, committed_graph);
  gtk_widget_class_bind_template_child (widget_class, MscWindow, private_graph);
  gtk_widget_class_bind_template_child (widget_class, MscWindow, ws_graph);
  gtk_widget_class_bind_template_child (widget_class, MscWindow, paned);
  gtk_widget_class_bind_template_child (widget_class, MscWindow, info_bar);
  gtk_widget_class_bind_template_child (widget_class, MscWindow, info_label);
  gtk_widget_class_bind_template_child (widget_class, MscWindow, summary_view);
  gtk_widget_class_bind_template_child (widget_class, MscWindow, trace_buttons);
  gtk_widget_class_bind_template_child (widget_class, MscWindow, details_view);
  gtk_widget_class_bind_template_child (widget_class, MscWindow, status_bar);
  gtk_widget_class_bind_template_callback (widget_class, msc_window_summary_type_changed);
}

static void
msc_window_init (MscWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), msc_window_actions,
                                   G_N_ELEMENTS (msc_window_actions), self);
  gtk_label_set_text (self->empty_hint,
                      _("Choose File → Select Process… to analyse a running process,\n"
                        "or File → Open… to view a saved capture."));
}

MscWindow *
msc_window_new (GtkApplication *application)
{
  MscWindow *self;

  g_return_val_if_fail (MSC_IS_APPLICATION (application), NULL);

  self = g_object_new (MSC_TYPE_WINDOW, "application", application, NULL);
  msc_window_setup (self);
  return self;
}

MscSession *
msc_window_get_session (MscWindow *self)
{
  g_return_val_if_fail (MSC_IS_WINDOW (self), NULL);
  return self->session;
}

GFile *
msc_window_get_file (MscWindow *self)
{
  g_return_val_if_fail (MSC_IS_WINDOW (self), NULL);
  return self->file;
}

gboolean
msc_window_shows_process (MscWindow *self,
                          guint      pid)
{
  g_return_val_if_fail (MSC_IS_WINDOW (self), FALSE);
  return self->live && self->session != NULL && msc_process_get_pid (msc_session_get_process (self->session)) == pid;
}

gboolean
msc_window_get_unsaved (MscWindow *self)
{
  g_return_val_if_fail (MSC_IS_WINDOW (self), FALSE);
  return self->unsaved;
}

gboolean
msc_window_get_busy (MscWindow *self)
{
  g_return_val_if_fail (MSC_IS_WINDOW (self), FALSE);
  return self->cancellable != NULL;
}

MscSummaryView *
msc_window_get_summary_view (MscWindow *self)
{
  g_return_val_if_fail (MSC_IS_WINDOW (self), NULL);
  return self->summary_view;
}

MscDetailsView *
msc_window_get_details_view (MscWindow *self)
{
  g_return_val_if_fail (MSC_IS_WINDOW (self), NULL);
  return self->details_view;
}

MscStatusBar *
msc_window_get_status_bar (MscWindow *self)
{
  g_return_val_if_fail (MSC_IS_WINDOW (self), NULL);
  return self->status_bar;
}

MscGraph *
msc_window_get_graph (MscWindow    *self,
                      MscGraphKind  kind)
{
  g_return_val_if_fail (MSC_IS_WINDOW (self), NULL);

  switch (kind)
    {
    case MSC_GRAPH_PRIVATE_BYTES:
      return self->private_graph;
    case MSC_GRAPH_WORKING_SET:
      return self->ws_graph;
    case MSC_GRAPH_COMMITTED:
    default:
      return self->committed_graph;
    }
}
