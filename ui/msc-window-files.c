/* msc-window-files.c — the window's commands that read or write outside it:
 * File → Open / Save / Save As, Edit → Copy Address / Copy All.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "model/core/msc-export.h"
#include "ui/msc-task.h"
#include "ui/msc-ui-util.h"
#include "ui/msc-view-text.h"
#include "ui/msc-window-private.h"

/* ---- saving ---- */

/* Save As opens where the last capture was saved: a user saving a series
 * keeps them together. */
static void
msc_window_remember_folder (MscWindow  *self,
                            const char *path)
{
  g_autofree char *folder = g_path_get_dirname (path);

  if (self->settings != NULL)
    g_settings_set_string (self->settings, "last-folder", folder);
}

typedef struct {
  GApplication *application;  /* held: closing the window must not end a save */
  MscWindow *window;
  GFile     *file;      /* the name asked for */
  char      *path;      /* what was written (an extension may have been added) */
  gboolean   mmp;
} MscSaveData;

static void
msc_save_data_free (MscSaveData *data)
{
  if (data->application != NULL)
    {
      g_application_release (data->application);
      g_object_unref (data->application);
    }
  g_object_unref (data->window);
  g_object_unref (data->file);
  g_free (data->path);
  g_free (data);
}

/* Says what the file holds: a .mmp has every snapshot of the session; a
 * CSV or text export only the one on screen (VMMap's formats hold one). */
static void
msc_window_say_saved (MscWindow   *self,
                      MscSaveData *data)
{
  guint n = msc_session_get_n_snapshots (self->session);
  g_autofree char *when = msc_snapshot_time_text (msc_session_get_snapshot (self->session, self->shown), TRUE);
  g_autofree char *name = g_filename_display_name (data->path);
  g_autofree char *text = NULL;

  if (data->mmp && n == 1)
    text = g_strdup_printf (_("Saved the snapshot (%s) to %s."), when, name);
  else if (data->mmp)
    text = g_strdup_printf (ngettext ("Saved all %u snapshot of the session to %s.",
                                      "Saved all %u snapshots of the session to %s.", n), n, name);
  else if (n > 1)
    text = g_strdup_printf (_("Saved the snapshot on screen (%s) to %s. A .csv or .txt file holds one snapshot: "
                              "save as .mmp to keep all %u."), when, name, n);
  else
    text = g_strdup_printf (_("Saved the snapshot (%s) to %s."), when, name);
  msc_window_show_message (self, GTK_MESSAGE_INFO, _("Saved"), text);
}

static void
msc_window_save_done (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  MscSaveData *data = user_data;
  MscWindow *self = data->window;
  g_autoptr(GError) error = NULL;
  gboolean saved = msc_task_save_finish (result, &error);

  self->saving = FALSE;
  if (msc_window_end_task (self))
    {
      if (!saved)
        {
          g_autofree char *name = g_file_get_parse_name (data->file);
          g_autofree char *primary = g_strdup_printf (_("Could not save “%s”"), name);

          msc_window_task_failed (self, primary, error);
        }
      else
        {
          msc_window_say_saved (self, data);
          msc_window_remember_folder (self, data->path);
          if (data->mmp)
            {
              /* Save rewrites this .mmp from now on; it holds every snapshot. */
              g_clear_object (&self->file);
              self->file = g_file_new_for_path (data->path);
              self->unsaved = FALSE;
            }
        }
      /* The close prompt's Save closes only once the snapshots are safe;
       * the open prompt's opens the chosen one then. */
      if (self->close_after_save && !self->unsaved)
        gtk_widget_destroy (GTK_WIDGET (self));
      else if (self->open_after_save && !self->unsaved)
        msc_window_open_pending (self);
      else
        msc_window_forget_pending (self);
    }
  msc_save_data_free (data);
}

void
msc_window_save_to (MscWindow *self,
                    GFile     *file)
{
  g_autofree char *requested = NULL;
  g_autofree char *base = NULL;
  g_autofree char *text = NULL;
  MscSaveData *data;
  MscFileFormat format;

  g_return_if_fail (MSC_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (self->session != NULL && self->cancellable == NULL);

  data = g_new0 (MscSaveData, 1);
  if (gtk_window_get_application (GTK_WINDOW (self)) != NULL)
    {
      data->application = G_APPLICATION (g_object_ref (gtk_window_get_application (GTK_WINDOW (self))));
      g_application_hold (data->application);
    }
  data->window = g_object_ref (self);
  data->file = g_object_ref (file);
  requested = g_file_get_path (file);
  /* The CLI's rule, so both save the same file for the same name. */
  data->path = msc_capture_output_path (requested, &format);
  data->mmp = format == MSC_FILE_FORMAT_MMP;
  base = g_path_get_basename (data->path);
  text = g_strdup_printf (_("Saving %s…"), base);
  self->saving = TRUE;
  msc_window_begin_task (self, text);
  /* A .mmp keeps the whole timeline; CSV and text hold one snapshot: the one
   * on screen, as VMMap exports what it shows. */
  msc_task_save_async (self->session,
                       data->mmp ? NULL : msc_session_get_snapshot (self->session, self->shown),
                       data->path, format, self->cancellable, msc_window_save_done, data);
}

static void
msc_window_add_filter (GtkFileChooser *chooser,
                       const char     *name,
                       const char     *patterns)
{
  GtkFileFilter *filter = gtk_file_filter_new ();
  g_auto(GStrv) each = g_strsplit (patterns, ";", -1);

  gtk_file_filter_set_name (filter, name);
  for (guint i = 0; each[i] != NULL; i++)
    gtk_file_filter_add_pattern (filter, each[i]);
  gtk_file_chooser_add_filter (chooser, filter);
}

static char *
msc_window_suggested_name (MscWindow *self)
{
  MscProcess *process = msc_session_get_process (self->session);

  if (self->file != NULL)
    return g_file_get_basename (self->file);
  return g_strdup_printf ("%s.mmp", msc_process_get_name (process));
}

static void
msc_window_set_save_folder (MscWindow      *self,
                            GtkFileChooser *chooser)
{
  g_autofree char *last = self->settings != NULL ? g_settings_get_string (self->settings, "last-folder") : NULL;
  g_autoptr(GFile) parent = self->file != NULL ? g_file_get_parent (self->file) : NULL;

  /* The capture's own folder first, else the last one saved to. */
  if (parent != NULL)
    gtk_file_chooser_set_current_folder_file (chooser, parent, NULL);
  else if (last != NULL && last[0] != '\0' && g_file_test (last, G_FILE_TEST_IS_DIR))
    gtk_file_chooser_set_current_folder (chooser, last);
}

static void
msc_window_save_response (GtkNativeDialog *dialog,
                          int              response,
                          MscWindow       *self)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

  if (response == GTK_RESPONSE_ACCEPT && file != NULL)
    msc_window_save_to (self, file);
  else
    msc_window_forget_pending (self);
  g_object_unref (dialog);
}

static void
msc_window_save_as (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  MscWindow *self = user_data;
  g_autofree char *name = msc_window_suggested_name (self);
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Save Capture"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (dialog), TRUE);
  msc_window_set_save_folder (self, GTK_FILE_CHOOSER (dialog));
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  /* The extension decides the format (VMMap's rule). One type for all
   * three: Windows' dialog appends the selected type's extension to a name
   * whose own does not match it ("name.csv" under "*.mmp" became
   * "name.csv.mmp"), so no type may contradict what the user typed; a name
   * with no extension still gets the first, .mmp, as VMMap's. */
  msc_window_add_filter (GTK_FILE_CHOOSER (dialog), _("Capture (*.mmp), CSV (*.csv) or text (*.txt)"),
                         "*.mmp;*.csv;*.txt");
  g_signal_connect_object (dialog, "response", G_CALLBACK (msc_window_save_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
msc_window_save (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  MscWindow *self = user_data;

  if (self->file != NULL)
    msc_window_save_to (self, self->file);
  else
    msc_window_save_as (action, param, user_data);
}

/* ---- closing, or opening another, with unsaved snapshots ---- */

/* Neither a close nor an open waits for a save any more. */
void
msc_window_forget_pending (MscWindow *self)
{
  self->close_after_save = FALSE;
  self->open_after_save = FALSE;
  g_clear_object (&self->pending_file);
  self->pending_pid = 0;
}

/* What the open prompt waited for: the chosen capture or process, here. */
void
msc_window_open_pending (MscWindow *self)
{
  g_autoptr(GFile) file = g_steal_pointer (&self->pending_file);
  guint pid = self->pending_pid;

  msc_window_forget_pending (self);
  if (file != NULL)
    msc_window_open_file (self, file);
  else if (pid != 0)
    msc_window_open_process (self, pid);
}

static void
msc_window_unsaved_response (GtkDialog *dialog,
                             int        response,
                             MscWindow *self)
{
  gboolean opening = self->pending_file != NULL || self->pending_pid != 0;

  gtk_widget_destroy (GTK_WIDGET (dialog));
  switch (response)
    {
    case GTK_RESPONSE_REJECT:
      if (opening)
        {
          self->unsaved = FALSE;
          msc_window_open_pending (self);
          break;
        }
      self->discard = TRUE;
      gtk_widget_destroy (GTK_WIDGET (self));
      break;
    case GTK_RESPONSE_ACCEPT:
      self->close_after_save = !opening;
      self->open_after_save = opening;
      g_action_group_activate_action (G_ACTION_GROUP (self), "save", NULL);
      break;
    default:
      msc_window_forget_pending (self);
      msc_window_schedule_refresh (self);
      break;
    }
}

/* Asks what becomes of the unsaved snapshots before the window closes or
 * (opening: pending_file or pending_pid set) shows another process or
 * capture. */
static void
msc_window_ask_unsaved (MscWindow *self,
                        gboolean   opening)
{
  MscProcess *process = msc_session_get_process (self->session);
  guint n = msc_session_get_n_snapshots (self->session);
  GtkWidget *dialog;

  /* No refresh while the question is open: the answer is about these. */
  msc_window_stop_auto_refresh (self);
  if (self->cancellable != NULL && !self->saving)
    g_cancellable_cancel (self->cancellable);
  dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                   GTK_MESSAGE_QUESTION, GTK_BUTTONS_NONE,
                                   opening
                                   ? ngettext ("Save the snapshot of %s (PID %u) before opening another?",
                                               "Save the %3$u snapshots of %1$s (PID %2$u) before opening another?", n)
                                   : ngettext ("Save the snapshot of %s (PID %u) before closing?",
                                               "Save the %3$u snapshots of %1$s (PID %2$u) before closing?", n),
                                   msc_process_get_name (process), msc_process_get_pid (process), n);
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s",
                                            opening
                                            ? ngettext ("It was taken from the running process and no saved "
                                                        "capture holds it; this window shows the other one next, "
                                                        "and without saving, it is lost (File → New Window keeps "
                                                        "both).",
                                                        "They were taken from the running process and no saved "
                                                        "capture holds them; this window shows the other one next, "
                                                        "and without saving, they are lost (File → New Window keeps "
                                                        "both).", n)
                                            : ngettext ("It was taken from the running process and no saved "
                                                        "capture holds it; if you close without saving, it is lost.",
                                                        "They were taken from the running process and no saved "
                                                        "capture holds them; if you close without saving, they are lost.",
                                                        n));
  gtk_dialog_add_buttons (GTK_DIALOG (dialog), opening ? _("Open _without Saving") : _("Close _without Saving"),
                          GTK_RESPONSE_REJECT, _("_Cancel"), GTK_RESPONSE_CANCEL, _("_Save…"), GTK_RESPONSE_ACCEPT,
                          NULL);
  gtk_dialog_set_default_response (GTK_DIALOG (dialog), GTK_RESPONSE_ACCEPT);
  g_signal_connect_object (dialog, "response", G_CALLBACK (msc_window_unsaved_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
msc_window_confirm_close (MscWindow *self)
{
  if (!self->unsaved || self->discard || self->session == NULL)
    return FALSE;
  if (self->close_after_save || self->open_after_save)
    return TRUE;  /* a save for this very close (or open) is under way */
  msc_window_forget_pending (self);
  msc_window_ask_unsaved (self, FALSE);
  return TRUE;
}

/* A window of its own for the one being opened, shifted from self so that
 * it is not taken for self. */
MscWindow *
msc_window_new_beside (MscWindow *self)
{
  MscWindow *window = msc_window_new (gtk_window_get_application (GTK_WINDOW (self)));
  int x, y;

  gtk_window_get_position (GTK_WINDOW (self), &x, &y);
  gtk_window_move (GTK_WINDOW (window), x + 48, y + 48);
  gtk_window_present (GTK_WINDOW (window));
  return window;
}

void
msc_window_open_here (MscWindow *self,
                      GFile     *file,
                      guint      pid)
{
  if (self->cancellable != NULL || self->close_after_save || self->open_after_save)
    {
      MscWindow *window = msc_window_new_beside (self);

      if (file != NULL)
        msc_window_open_file (window, file);
      else
        msc_window_open_process (window, pid);
      return;
    }
  msc_window_forget_pending (self);
  self->pending_file = file != NULL ? g_object_ref (file) : NULL;
  self->pending_pid = file != NULL ? 0 : pid;
  if (self->unsaved && self->session != NULL)
    msc_window_ask_unsaved (self, TRUE);
  else
    msc_window_open_pending (self);
}

/* ---- opening ---- */

static void
msc_window_open_response (GtkNativeDialog *dialog,
                          int              response,
                          MscWindow       *self)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

  if (response == GTK_RESPONSE_ACCEPT && file != NULL)
    msc_window_open_here (self, file, 0);
  g_object_unref (dialog);
}

static void
msc_window_open (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  MscWindow *self = user_data;
  GtkFileChooserNative *dialog;

  dialog = gtk_file_chooser_native_new (_("Open Capture"), GTK_WINDOW (self),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Open"), _("_Cancel"));
  msc_window_add_filter (GTK_FILE_CHOOSER (dialog), _("Captures (*.mmp, *.csv, *.txt)"),
                         "*.[Mm][Mm][Pp];*.[Cc][Ss][Vv];*.[Tt][Xx][Tt]");
  msc_window_add_filter (GTK_FILE_CHOOSER (dialog), _("Memscope and VMMap captures (*.mmp)"), "*.[Mm][Mm][Pp]");
  msc_window_add_filter (GTK_FILE_CHOOSER (dialog), _("VMMap exports (*.csv, *.txt)"), "*.[Cc][Ss][Vv];*.[Tt][Xx][Tt]");
  msc_window_add_filter (GTK_FILE_CHOOSER (dialog), _("All files"), "*");
  g_signal_connect_object (dialog, "response", G_CALLBACK (msc_window_open_response), self, 0);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- clipboard ---- */

/* What the window shows, as the user sees it: the Summary with every row it
 * lists (Unusable at 0 too), the Details rows under the filter and Show Free
 * Regions, in their sort order, expanded sub-blocks included. A file
 * export (Save As .txt) is VMMap's format; Copy All copies the display. */
char *
msc_window_dup_text (MscWindow  *self,
                     GError    **error)
{
  MscProcess *process;
  MscSnapshot *shown;
  g_autofree char *when = NULL;
  g_auto(GStrv) notes = NULL;
  GString *text;

  g_return_val_if_fail (MSC_IS_WINDOW (self), NULL);

  if (self->session == NULL)
    {
      g_set_error (error, MSC_WINDOW_ERROR, MSC_WINDOW_ERROR_EMPTY, _("There is nothing to copy yet."));
      return NULL;
    }
  process = msc_session_get_process (self->session);
  shown = msc_session_get_snapshot (self->session, self->shown);
  when = msc_snapshot_time_text (shown, TRUE);
  text = g_string_new (NULL);
  g_string_append_printf (text, "Process: %s\nPID: %u\n", msc_process_get_name (process), msc_process_get_pid (process));
  /* The notes say why figures are n/a or estimated, as in the exports. */
  notes = msc_snapshot_get_notes (shown) != NULL ? g_strsplit (msc_snapshot_get_notes (shown), "\n", -1) : NULL;
  for (guint i = 0; notes != NULL && notes[i] != NULL; i++)
    if (notes[i][0] != '\0')
      g_string_append_printf (text, "Note: %s\n", notes[i]);
  /* Translators: Copy All's line for the snapshot on screen. */
  g_string_append_printf (text, _("Snapshot: %s"), when);
  g_string_append (text, "\n\n");
  msc_view_text_append (text, msc_summary_view_get_tree_view (self->summary_view));
  g_string_append_c (text, '\n');
  msc_view_text_append (text, msc_details_view_get_tree_view (self->details_view));
  return g_string_free (text, FALSE);
}

static void
msc_window_set_clipboard (MscWindow  *self,
                          const char *text)
{
  GtkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (self), GDK_SELECTION_CLIPBOARD);

  gtk_clipboard_set_text (clipboard, text, -1);
}

static void
msc_window_copy_all (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  MscWindow *self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = msc_window_dup_text (self, &error);

  if (text == NULL)
    msc_window_show_error (self, _("Could not copy"), error);
  else
    msc_window_set_clipboard (self, text);
}

static void
msc_window_copy_address (GSimpleAction *action,
                         GVariant      *param,
                         gpointer       user_data)
{
  MscWindow *self = user_data;
  MscCaptureProcess process = { .bits = msc_process_get_bits (msc_session_get_process (self->session)) };
  char text[MSC_FORMAT_U64_LEN];
  guint64 address;

  if (!msc_details_view_get_selected_address (self->details_view, &address))
    return;
  /* As the Details view shows it. */
  g_snprintf (text, sizeof text, "%0*" G_GINT64_MODIFIER "X", msc_export_address_digits (&process), address);
  msc_window_set_clipboard (self, text);
}

static const GActionEntry msc_window_file_actions[] = {
  { "open", msc_window_open },
  { "save", msc_window_save },
  { "save-as", msc_window_save_as },
  { "copy-address", msc_window_copy_address },
  { "copy-all", msc_window_copy_all },
};

void
msc_window_add_file_actions (MscWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), msc_window_file_actions,
                                   G_N_ELEMENTS (msc_window_file_actions), self);
}
