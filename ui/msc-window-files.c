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
          if (data->mmp)
            {
              /* Save rewrites this .mmp from now on. */
              g_clear_object (&self->file);
              self->file = g_file_new_for_path (data->path);
            }
        }
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
msc_window_save_response (GtkNativeDialog *dialog,
                          int              response,
                          MscWindow       *self)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

  if (response == GTK_RESPONSE_ACCEPT && file != NULL)
    msc_window_save_to (self, file);
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
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  /* The extension decides the format (VMMap's rule); the filters only
   * narrow the listing. */
  msc_window_add_filter (GTK_FILE_CHOOSER (dialog), _("Memscope capture (*.mmp)"), "*.mmp");
  msc_window_add_filter (GTK_FILE_CHOOSER (dialog), _("Comma-separated values (*.csv)"), "*.csv");
  msc_window_add_filter (GTK_FILE_CHOOSER (dialog), _("Text (*.txt)"), "*.txt");
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

/* ---- opening ---- */

static void
msc_window_open_response (GtkNativeDialog *dialog,
                          int              response,
                          MscWindow       *self)
{
  g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));

  if (response == GTK_RESPONSE_ACCEPT && file != NULL)
    msc_window_open_file (msc_window_get_empty (self), file);
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
  g_autofree char *when = NULL;
  GString *text;

  g_return_val_if_fail (MSC_IS_WINDOW (self), NULL);

  if (self->session == NULL)
    {
      g_set_error (error, MSC_WINDOW_ERROR, MSC_WINDOW_ERROR_EMPTY, _("There is nothing to copy yet."));
      return NULL;
    }
  process = msc_session_get_process (self->session);
  when = msc_snapshot_time_text (msc_session_get_snapshot (self->session, self->shown), TRUE);
  text = g_string_new (NULL);
  g_string_append_printf (text, "Process: %s\nPID: %u\n", msc_process_get_name (process), msc_process_get_pid (process));
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
