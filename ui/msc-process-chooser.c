/* msc-process-chooser.c — VMMap's "Select or Launch Process" dialog.
 *
 * Page one lists the machine's processes (loaded off the UI thread); typing
 * anywhere in the list filters it.  Processes Memscope may not read stay in
 * the list, greyed, with the reason: hiding them would leave a user looking
 * for a process that "isn't there".  Page two is VMMap's "Launch and Trace
 * a New Program" (msc-process-chooser-launch.c) where the backend can
 * trace: it checks the program and
 * hands back what to launch (the window runs the tracer).  Where it cannot,
 * the page starts the program and returns its PID, and says it does not
 * trace.
 */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "backends/backend.h"
#include "model/msc-process-list.h"
#include "model/core/msc-format.h"
#include "ui/msc-process-chooser-private.h"

/* Columns of the template's list store, in its order. */
enum {
  COL_NAME,
  COL_PID,
  COL_USER,
  COL_PRIVATE_BYTES,
  COL_PRIVATE_BYTES_TEXT,
  COL_WORKING_SET,
  COL_WORKING_SET_TEXT,
  COL_ARCHITECTURE,
  COL_SCANNABLE,
  COL_TOOLTIP,
  COL_SEARCH_TEXT,
};

G_DEFINE_TYPE (MscProcessChooser, msc_process_chooser, GTK_TYPE_DIALOG)

/* ---- the list of running processes ---- */

static char *
msc_format_bytes (guint64  bytes,
                  gboolean zero_is_unknown)
{
  /* Private bytes: the backend's documented "0 = unknown"; say so rather
   * than "0 bytes".  A working set of 0 is real (all swapped out). */
  char kb[MSC_FORMAT_KB_LEN];

  if (bytes == 0 && zero_is_unknown)
    return g_strdup (C_("figure", "n/a"));
  /* In K as the main window's tables, not MiB next to KiB: the figures of
   * a column compare at a glance and match the Summary after a scan. */
  return g_strdup_printf ("%s K", msc_format_kb (bytes, FALSE, kb, sizeof kb));
}

static const char *
msc_architecture_text (guint bits)
{
  switch (bits)
    {
    case 32:
      return _("32-bit");
    case 64:
      return _("64-bit");
    default:
      return C_("architecture", "unknown");
    }
}

static char *
msc_search_text (const MscProcessEntry *entry)
{
  g_autofree char *joined = g_strdup_printf ("%s\n%u\n%s", entry->name, entry->pid, entry->user);

  return g_utf8_casefold (joined, -1);
}

/* Tooltips are markup: names and command lines are arbitrary text. */
static char *
msc_tooltip_markup (const MscProcessEntry *entry)
{
  const char *detail = entry->denied_reason != NULL ? entry->denied_reason
                       : entry->command_line != NULL ? entry->command_line
                       : entry->name;

  if (entry->denied_reason != NULL)
    return g_markup_printf_escaped (_("<b>Memscope cannot read this process</b>\n%s"), detail);
  return g_markup_escape_text (detail, -1);
}

static void
msc_process_chooser_add_entry (MscProcessChooser     *self,
                               const MscProcessEntry *entry)
{
  g_autofree char *private_text = msc_format_bytes (entry->private_bytes, TRUE);
  g_autofree char *ws_text = msc_format_bytes (entry->working_set, FALSE);
  g_autofree char *tooltip = msc_tooltip_markup (entry);
  g_autofree char *search = msc_search_text (entry);

  gtk_list_store_insert_with_values (self->store, NULL, -1,
                                     COL_NAME, entry->name,
                                     COL_PID, entry->pid,
                                     COL_USER, entry->user,
                                     COL_PRIVATE_BYTES, entry->private_bytes,
                                     COL_PRIVATE_BYTES_TEXT, private_text,
                                     COL_WORKING_SET, entry->working_set,
                                     COL_WORKING_SET_TEXT, ws_text,
                                     COL_ARCHITECTURE, msc_architecture_text (entry->bits),
                                     COL_SCANNABLE, entry->denied_reason == NULL,
                                     COL_TOOLTIP, tooltip,
                                     COL_SEARCH_TEXT, search,
                                     -1);
}

/* Names sort as a user reads them: "apt" before "Xorg", whatever the locale. */
static int
msc_compare_names (GtkTreeModel *model,
                   GtkTreeIter  *a,
                   GtkTreeIter  *b,
                   gpointer      user_data)
{
  g_autofree char *name_a = NULL, *name_b = NULL, *folded_a = NULL, *folded_b = NULL;
  guint pid_a, pid_b;
  int order;

  gtk_tree_model_get (model, a, COL_NAME, &name_a, COL_PID, &pid_a, -1);
  gtk_tree_model_get (model, b, COL_NAME, &name_b, COL_PID, &pid_b, -1);
  folded_a = g_utf8_casefold (name_a != NULL ? name_a : "", -1);
  folded_b = g_utf8_casefold (name_b != NULL ? name_b : "", -1);
  order = g_utf8_collate (folded_a, folded_b);
  /* Many processes share a name; PID order keeps them stable across refreshes. */
  return order != 0 ? order : (pid_a > pid_b) - (pid_a < pid_b);
}

static gboolean
msc_process_chooser_row_visible (GtkTreeModel *model,
                                 GtkTreeIter  *iter,
                                 gpointer      user_data)
{
  MscProcessChooser *self = user_data;
  g_autofree char *search = NULL;

  if (self->filter_key == NULL)
    return TRUE;
  gtk_tree_model_get (model, iter, COL_SEARCH_TEXT, &search, -1);
  return search != NULL && strstr (search, self->filter_key) != NULL;
}

/* The selected row, as an iterator of the store; FALSE if none. */
static gboolean
msc_process_chooser_get_selected (MscProcessChooser *self,
                                  GtkTreeIter       *store_iter)
{
  GtkTreeSelection *selection = gtk_tree_view_get_selection (self->tree_view);
  GtkTreeModel *sorted;
  GtkTreeIter sorted_iter, filter_iter;

  if (!gtk_tree_selection_get_selected (selection, &sorted, &sorted_iter))
    return FALSE;
  gtk_tree_model_sort_convert_iter_to_child_iter (GTK_TREE_MODEL_SORT (sorted),
                                                  &filter_iter, &sorted_iter);
  gtk_tree_model_filter_convert_iter_to_child_iter (self->filter, store_iter, &filter_iter);
  return TRUE;
}

/* Selects the first visible row whose PID is pid; with pid 0, the first one
 * Memscope may read (a greyed row would only disable OK). */
static void
msc_process_chooser_select_pid (MscProcessChooser *self,
                                guint              pid)
{
  GtkTreeModel *sorted = gtk_tree_view_get_model (self->tree_view);
  GtkTreeIter iter;
  gboolean valid;

  for (valid = gtk_tree_model_get_iter_first (sorted, &iter); valid;
       valid = gtk_tree_model_iter_next (sorted, &iter))
    {
      guint row_pid;
      gboolean scannable;

      gtk_tree_model_get (sorted, &iter, COL_PID, &row_pid, COL_SCANNABLE, &scannable, -1);
      if (pid == 0 ? scannable : row_pid == pid)
        {
          g_autoptr(GtkTreePath) path = gtk_tree_model_get_path (sorted, &iter);

          gtk_tree_view_set_cursor (self->tree_view, path, NULL, FALSE);
          return;
        }
    }
}

static void
msc_process_chooser_update_status (MscProcessChooser *self)
{
  GtkTreeIter iter;
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  gboolean scannable = FALSE;
  int shown = gtk_tree_model_iter_n_children (GTK_TREE_MODEL (self->filter), NULL);

  if (msc_process_chooser_get_selected (self, &iter))
    gtk_tree_model_get (GTK_TREE_MODEL (self->store), &iter,
                        COL_NAME, &name, COL_SCANNABLE, &scannable, -1);
  if (name != NULL && !scannable)
    {
      g_autofree char *reason = NULL;

      gtk_tree_model_get (GTK_TREE_MODEL (self->store), &iter, COL_TOOLTIP, &reason, -1);
      gtk_label_set_markup (self->status_label, reason);
      return;
    }
  if ((guint) shown == self->n_processes)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u process", "%u processes",
                                         self->n_processes),
                            self->n_processes);
  else
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d of %u process shown",
                                         "%d of %u processes shown", self->n_processes),
                            shown, self->n_processes);
  gtk_label_set_text (self->status_label, text);
}

static void
msc_process_chooser_fill (MscProcessChooser *self,
                          GArray            *entries)
{
  gtk_list_store_clear (self->store);
  for (guint i = 0; i < entries->len; i++)
    msc_process_chooser_add_entry (self, &g_array_index (entries, MscProcessEntry, i));
  self->n_processes = entries->len;
  msc_process_chooser_select_pid (self, self->selected_pid);
  msc_process_chooser_update_status (self);
}

static void
msc_process_chooser_list_loaded (GObject      *source,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) entries = msc_process_list_load_finish (result, &error);
  MscProcessChooser *self;

  /* Cancelled means the dialog is gone or a newer load replaced this one:
   * user_data may be freed, so look at nothing else. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self = MSC_PROCESS_CHOOSER (user_data);
  g_clear_object (&self->load_cancellable);
  if (entries == NULL)
    {
      gtk_list_store_clear (self->store);
      self->n_processes = 0;
      gtk_label_set_text (self->status_label, error->message);
      return;
    }
  msc_process_chooser_fill (self, entries);
}

static void
msc_process_chooser_reload (MscProcessChooser *self)
{
  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);
  self->load_cancellable = g_cancellable_new ();
  gtk_label_set_text (self->status_label, _("Reading the list of processes…"));
  msc_process_list_load_async (self->load_cancellable, msc_process_chooser_list_loaded, self);
}

static void
on_refresh_clicked (MscProcessChooser *self)
{
  msc_process_chooser_reload (self);
}

static void
on_filter_changed (MscProcessChooser *self)
{
  const char *text = gtk_entry_get_text (GTK_ENTRY (self->filter_entry));
  g_autofree char *stripped = g_strstrip (g_strdup (text));

  g_clear_pointer (&self->filter_key, g_free);
  if (stripped[0] != '\0')
    self->filter_key = g_utf8_casefold (stripped, -1);
  gtk_tree_model_filter_refilter (self->filter);
  /* Keep a row selected so that Enter right after typing opens it. */
  msc_process_chooser_select_pid (self, self->selected_pid);
  if (!gtk_tree_selection_count_selected_rows (gtk_tree_view_get_selection (self->tree_view)))
    msc_process_chooser_select_pid (self, 0);
  msc_process_chooser_update_status (self);
}

static void
on_filter_activate (MscProcessChooser *self)
{
  gtk_dialog_response (GTK_DIALOG (self), GTK_RESPONSE_ACCEPT);
}

static gboolean
on_tree_view_key_press (MscProcessChooser *self,
                        GdkEvent          *event)
{
  /* Typing in the list goes to the filter: the list is long and a user
   * looking for "firefox" should not have to find the search box first. */
  if (gtk_search_entry_handle_event (self->filter_entry, event) == GDK_EVENT_STOP)
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->filter_entry));
      gtk_editable_set_position (GTK_EDITABLE (self->filter_entry), -1);
      return GDK_EVENT_STOP;
    }
  return GDK_EVENT_PROPAGATE;
}

static void
on_row_activated (MscProcessChooser *self,
                  GtkTreePath       *path)
{
  /* The activated row is the answer, whatever the selection was. */
  gtk_tree_selection_select_path (gtk_tree_view_get_selection (self->tree_view), path);
  gtk_dialog_response (GTK_DIALOG (self), GTK_RESPONSE_ACCEPT);
}

/* ---- OK button state ---- */

static gboolean
msc_process_chooser_can_accept (MscProcessChooser *self)
{
  GtkTreeIter iter;
  gboolean scannable = FALSE;

  if (gtk_notebook_get_current_page (self->notebook) == PAGE_LAUNCH)
    return gtk_entry_get_text_length (self->program_entry) > 0;
  if (msc_process_chooser_get_selected (self, &iter))
    gtk_tree_model_get (GTK_TREE_MODEL (self->store), &iter, COL_SCANNABLE, &scannable, -1);
  return scannable;
}

static void
msc_process_chooser_update_ok (MscProcessChooser *self)
{
  gboolean launch = gtk_notebook_get_current_page (self->notebook) == PAGE_LAUNCH;

  gtk_button_set_label (self->ok_button, launch ? _("_Launch") : _("_OK"));
  gtk_widget_set_sensitive (GTK_WIDGET (self->ok_button), msc_process_chooser_can_accept (self));
}

static void
on_selection_changed (MscProcessChooser *self)
{
  GtkTreeIter iter;

  if (msc_process_chooser_get_selected (self, &iter))
    gtk_tree_model_get (GTK_TREE_MODEL (self->store), &iter, COL_PID, &self->selected_pid, -1);
  msc_process_chooser_update_status (self);
  msc_process_chooser_update_ok (self);
}

static void
on_switch_page (MscProcessChooser *self)
{
  gboolean launch = gtk_notebook_get_current_page (self->notebook) == PAGE_LAUNCH;

  gtk_widget_grab_focus (launch ? GTK_WIDGET (self->program_entry) : GTK_WIDGET (self->tree_view));
  msc_process_chooser_update_ok (self);
}

static void
on_launch_entry_changed (MscProcessChooser *self)
{
  gtk_info_bar_set_revealed (self->launch_error, FALSE);
  msc_process_chooser_check_static (self);
  msc_process_chooser_update_ok (self);
}

/* ---- the answer ---- */

static gboolean
msc_process_chooser_accept_selected (MscProcessChooser *self)
{
  GtkTreeIter iter;

  if (!msc_process_chooser_can_accept (self) || !msc_process_chooser_get_selected (self, &iter))
    return FALSE;
  gtk_tree_model_get (GTK_TREE_MODEL (self->store), &iter, COL_PID, &self->pid, -1);
  return TRUE;
}

static void
on_response (MscProcessChooser *self,
             int                response)
{
  gboolean accepted;

  if (response != GTK_RESPONSE_ACCEPT)
    return;
  if (gtk_notebook_get_current_page (self->notebook) == PAGE_LAUNCH)
    accepted = msc_process_chooser_accept_launch (self);
  else
    accepted = msc_process_chooser_accept_selected (self);
  /* Connected from the template, before any caller's handler (and before
   * gtk_dialog_run's): stopping here keeps the dialog open with the reason. */
  if (!accepted)
    g_signal_stop_emission_by_name (self, "response");
}

/* ---- file choosers ---- */

static void
on_browse_response (GtkNativeDialog *native,
                    int              response,
                    GtkEntry        *entry)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autofree char *path = gtk_file_chooser_get_filename (GTK_FILE_CHOOSER (native));

      if (path != NULL)
        gtk_entry_set_text (entry, path);
    }
  g_object_unref (native);
}

static void
msc_process_chooser_browse (MscProcessChooser    *self,
                            const char           *title,
                            GtkFileChooserAction  action,
                            GtkEntry             *entry)
{
  GtkFileChooserNative *native = gtk_file_chooser_native_new (title, GTK_WINDOW (self), action,
                                                              NULL, NULL);

  /* Unreffed in on_browse_response; the native dialog is modal to this
   * one, so entry outlives it. */
  g_signal_connect (native, "response", G_CALLBACK (on_browse_response), entry);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (native));
}

static void
on_browse_program (MscProcessChooser *self)
{
  msc_process_chooser_browse (self, _("Choose a Program"), GTK_FILE_CHOOSER_ACTION_OPEN,
                              self->program_entry);
}

static void
on_browse_directory (MscProcessChooser *self)
{
  msc_process_chooser_browse (self, _("Choose a Working Directory"),
                              GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER, self->directory_entry);
}

/* ---- GObject ---- */

static void
msc_process_chooser_dispose (GObject *object)
{
  MscProcessChooser *self = MSC_PROCESS_CHOOSER (object);

  g_cancellable_cancel (self->load_cancellable);
  g_clear_object (&self->load_cancellable);

  G_OBJECT_CLASS (msc_process_chooser_parent_class)->dispose (object);
}

static void
msc_process_chooser_finalize (GObject *object)
{
  MscProcessChooser *self = MSC_PROCESS_CHOOSER (object);

  g_clear_pointer (&self->filter_key, g_free);
  g_clear_pointer (&self->trace_argv, g_strfreev);
  g_clear_pointer (&self->trace_directory, g_free);
  g_clear_pointer (&self->trace_environment, g_strfreev);

  G_OBJECT_CLASS (msc_process_chooser_parent_class)->finalize (object);
}

static void
msc_process_chooser_class_init (MscProcessChooserClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = msc_process_chooser_dispose;
  object_class->finalize = msc_process_chooser_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/memscope/Memscope/msc-process-chooser.ui");
  gtk_widget_class_bind_template_child (widget_class, MscProcessChooser, notebook);
  gtk_widget_class_bind_template_child (widget_class, MscProcessChooser, store);
  gtk_widget_class_bind_template_child (widget_class, MscProcessChooser, filter);
  gtk_widget_class_bind_template_child (widget_class, MscProcessChooser, tree_view);
  gtk_widget_class_bind_template_child (widget_class, MscProcessChooser, filter_entry);
  gtk_widget_class_bind_template_child (widget_class, MscProcessChooser, status_label);
  gtk_widget_class_bind_template_child (widget_class, MscProcessChooser, ok_button);
  gtk_widget_class_bind_template_child (widget_class, MscProcessChooser, program_entry);
  gtk_widget_class_bind_template_child (widget_class, MscProcessChooser, arguments_entry);
  gtk_widget_class_bind_template_child (widget_class, MscProcessChooser, directory_entry);
  gtk_widget_class_bind_template_child (widget_class, MscProcessChooser, environment_entry);
  gtk_widget_class_bind_template_child (widget_class, MscProcessChooser, environment_label);
  gtk_widget_class_bind_template_child (widget_class, MscProcessChooser, launch_note);
  gtk_widget_class_bind_template_child (widget_class, MscProcessChooser, launch_tab);
  gtk_widget_class_bind_template_child (widget_class, MscProcessChooser, launch_error);
  gtk_widget_class_bind_template_child (widget_class, MscProcessChooser, launch_error_label);
  gtk_widget_class_bind_template_callback (widget_class, on_response);
  gtk_widget_class_bind_template_callback (widget_class, on_switch_page);
  gtk_widget_class_bind_template_callback (widget_class, on_refresh_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_tree_view_key_press);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_launch_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_browse_program);
  gtk_widget_class_bind_template_callback (widget_class, on_browse_directory);
}

static void
msc_process_chooser_init (MscProcessChooser *self)
{
  GtkTreeSortable *sortable;

  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_tree_model_filter_set_visible_func (self->filter, msc_process_chooser_row_visible,
                                          self, NULL);
  sortable = GTK_TREE_SORTABLE (gtk_tree_view_get_model (self->tree_view));
  gtk_tree_sortable_set_sort_func (sortable, COL_NAME, msc_compare_names, NULL, NULL);
  gtk_tree_sortable_set_sort_column_id (sortable, COL_NAME, GTK_SORT_ASCENDING);
  gtk_widget_grab_focus (GTK_WIDGET (self->tree_view));
  msc_process_chooser_setup_launch_page (self);
  msc_process_chooser_update_ok (self);
  msc_process_chooser_reload (self);
}

/**
 * msc_process_chooser_new:
 * @parent: (nullable): the window the dialog belongs to
 *
 * Returns: (transfer floating): a new process chooser; run it and read
 *   msc_process_chooser_get_pid() after GTK_RESPONSE_ACCEPT.
 */
GtkWidget *
msc_process_chooser_new (GtkWindow *parent)
{
  return g_object_new (MSC_TYPE_PROCESS_CHOOSER, "transient-for", parent, NULL);
}

guint
msc_process_chooser_get_pid (MscProcessChooser *self)
{
  g_return_val_if_fail (MSC_IS_PROCESS_CHOOSER (self), 0);

  return self->pid;
}

const char *const *
msc_process_chooser_get_trace_argv (MscProcessChooser *self)
{
  g_return_val_if_fail (MSC_IS_PROCESS_CHOOSER (self), NULL);
  return (const char *const *) self->trace_argv;
}

const char *
msc_process_chooser_get_trace_directory (MscProcessChooser *self)
{
  g_return_val_if_fail (MSC_IS_PROCESS_CHOOSER (self), NULL);
  return self->trace_directory;
}

const char *const *
msc_process_chooser_get_trace_environment (MscProcessChooser *self)
{
  g_return_val_if_fail (MSC_IS_PROCESS_CHOOSER (self), NULL);
  return (const char *const *) self->trace_environment;
}
