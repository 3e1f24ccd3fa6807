/* msc-window-memory.c — the window's commands that touch a live process's
 * memory: Edit → Strings… and Refresh → Empty Working Set.  Both need the
 * process itself, so a capture disables them (as VMMap does).
 */
#include "config.h"

#include <glib/gi18n.h>

#include "model/core/msc-format.h"
#include "model/msc-working-set.h"
#include "ui/msc-details-model.h"
#include "ui/msc-strings-dialog.h"
#include "ui/msc-ui-util.h"
#include "ui/msc-window-private.h"

static guint
msc_window_pid (MscWindow *self)
{
  return msc_process_get_pid (msc_session_get_process (self->session));
}

static gboolean
msc_window_has_live_process (MscWindow *self)
{
  return self->live && self->session != NULL && msc_backend_can_scan ();
}

/* The selected region, if it is memory a Strings scan can read. */
static gboolean
msc_window_strings_region (MscWindow   *self,
                           MscRegion   *region,
                           const char **details)
{
  return msc_window_has_live_process (self)
         && msc_details_view_get_selected_region (self->details_view, region, details)
         && region->size != 0 && region->type != MSC_TYPE_FREE && region->type != MSC_TYPE_UNUSABLE
         && region->type != MSC_TYPE_PAGE_TABLE;
}

/* Why Strings… cannot read the selection, or NULL when it can. A capture
 * keeps Strings… available so that the menu can say why, not just grey. */
static const char *
msc_window_strings_unavailable (MscWindow *self)
{
  MscRegion region;

  if (!self->live)
    return _("Strings reads the memory of a running process. This window shows a capture from a file, "
             "which holds no memory contents: open the process with File → Select Process… to read its strings.");
  if (!msc_backend_can_scan ())
    return _("This build of Memscope cannot read the memory of processes on this system.");
  if (!msc_window_strings_region (self, &region, NULL))
    return _("Select a region in the Details view first. Free, Unusable and Page Table rows hold no memory to read.");
  return NULL;
}

void
msc_window_update_memory_actions (MscWindow *self)
{
  GActionMap *map = G_ACTION_MAP (self);
  GAction *strings = g_action_map_lookup_action (map, "strings");
  GAction *empty = g_action_map_lookup_action (map, "empty-working-set");

  if (strings != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (strings), self->session != NULL);
  if (empty != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (empty),
                                 msc_window_has_live_process (self) && self->cancellable == NULL);
}

/* ---- the message bar ---- */

void
msc_window_show_message (MscWindow      *self,
                         GtkMessageType  type,
                         const char     *title,
                         const char     *message)
{
  g_free (self->message);
  self->message = g_strdup (message);
  gtk_info_bar_set_message_type (self->info_bar, type);
  msc_info_bar_show (self->info_bar, self->info_label, title, message);
}

static void
msc_window_hide_message (MscWindow *self)
{
  g_clear_pointer (&self->message, g_free);
  gtk_info_bar_set_revealed (self->info_bar, FALSE);
}

const char *
msc_window_get_message (MscWindow *self)
{
  g_return_val_if_fail (MSC_IS_WINDOW (self), NULL);
  return self->message;
}

/* ---- Edit → Strings… ---- */

/* The Strings window's "Go to Region" (after which it stands on its own, and
 * the main window comes in front of it: a transient dialog stays above its
 * parent for good, the window manager's rule, Windows' owner windows). */
static void
msc_window_strings_go_to (MscWindow *self,
                          guint64    address,
                          GtkWindow *dialog)
{
  gtk_window_set_transient_for (dialog, NULL);
  msc_window_go_to_address (self, address);
}

/* The row of address in the Details view, shown
 * whatever the Summary's type filter hides, and the window in front. */
void
msc_window_go_to_address (MscWindow *self,
                          guint64    address)
{
  if (!msc_details_view_select_address (self->details_view, address))
    {
      msc_summary_view_set_selected_type (self->summary_view, MSC_DETAILS_ALL_TYPES);
      msc_details_view_select_address (self->details_view, address);
    }
  gtk_widget_grab_focus (GTK_WIDGET (msc_details_view_get_tree_view (self->details_view)));
  gtk_window_present (GTK_WINDOW (self));
}

static char *
msc_window_describe_region (const MscRegion *region,
                            const char      *details)
{
  if (details != NULL && details[0] != '\0')
    return g_strdup_printf ("%s · %s", msc_region_type_string (region), details);
  return g_strdup (msc_region_type_string (region));
}

/* The one Strings window follows the Details view's selection (a refresh
 * that selects the same region again does not read it again). */
static void
msc_window_strings_follow (MscWindow *self)
{
  const char *details = NULL;
  MscRegion row;
  const MscRegion *region = &row;
  MscProcess *process;
  g_autofree char *description = NULL;
  MscStringsDialog *dialog = self->strings_dialog != NULL ? MSC_STRINGS_DIALOG (self->strings_dialog) : NULL;

  if (dialog == NULL || !msc_window_strings_region (self, &row, &details))
    return;
  process = msc_session_get_process (self->session);
  if (msc_strings_dialog_shows (dialog, msc_process_get_pid (process), region))
    return;
  description = msc_window_describe_region (region, details);
  msc_strings_dialog_set_region (dialog, msc_process_get_pid (process), region, description,
                                 msc_window_address_digits (process));
}

static void
msc_window_strings (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  MscWindow *self = user_data;
  MscProcess *process;
  const char *details = NULL;
  const char *why = msc_window_strings_unavailable (self);
  MscRegion row;
  const MscRegion *region = &row;
  g_autofree char *description = NULL;

  if (why != NULL)
    {
      msc_window_show_message (self, GTK_MESSAGE_INFO, _("Strings"), why);
      return;
    }
  if (self->strings_dialog != NULL)
    {
      msc_window_strings_follow (self);
      gtk_window_present (GTK_WINDOW (self->strings_dialog));
      return;
    }
  msc_window_strings_region (self, &row, &details);  /* checked by _unavailable */
  process = msc_session_get_process (self->session);
  description = msc_window_describe_region (region, details);
  msc_dialog_slot_set (&self->strings_dialog,
                       msc_strings_dialog_new (GTK_WINDOW (self), self->options, msc_process_get_pid (process),
                                               region, description, msc_window_address_digits (process)));
  g_signal_connect_object (self->strings_dialog, "go-to-address", G_CALLBACK (msc_window_strings_go_to), self,
                           G_CONNECT_SWAPPED);
  /* Not transient after a jump: it still closes with the window. */
  g_signal_connect_object (self, "destroy", G_CALLBACK (gtk_widget_destroy), self->strings_dialog,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (self->strings_dialog));
}

/* ---- Refresh → Empty Working Set ---- */

static void
msc_window_empty_done (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(MscWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *message = msc_working_set_empty_finish (result, &error);
  /* Cancel cannot stop the kernel call; it skips the refresh after it. */
  gboolean refresh = !g_cancellable_is_cancelled (self->cancellable);

  if (!msc_window_end_task (self))
    return;
  if (message == NULL)
    {
      /* Nothing left RAM: no point in a refresh; the message says why. */
      msc_window_show_message (self, GTK_MESSAGE_WARNING, _("Empty Working Set"), error->message);
      return;
    }
  /* The backend's message says how much actually left RAM (maybe little:
   * anonymous memory without swap stays): the title claims nothing. */
  msc_window_show_message (self, GTK_MESSAGE_INFO, _("Empty Working Set"), message);
  if (refresh)
    msc_window_open_process (self, msc_window_pid (self));
}

static void
msc_window_empty_working_set (GSimpleAction *action,
                              GVariant      *param,
                              gpointer       user_data)
{
  MscWindow *self = user_data;
  g_autofree char *text = NULL;

  if (!msc_window_has_live_process (self) || self->cancellable != NULL)
    return;
  msc_window_hide_message (self);
  text = g_strdup_printf (_("Emptying the working set of process %u…"), msc_window_pid (self));
  msc_window_begin_task (self, text);
  /* No cancellable: the result of a call already made is always shown. */
  msc_working_set_empty_async (msc_window_pid (self), NULL, msc_window_empty_done, g_object_ref (self));
}

void
msc_window_memory_destroy (MscWindow *self)
{
  msc_dialog_slot_destroy (&self->strings_dialog);
}

static const GActionEntry msc_window_memory_actions[] = {
  { "strings", msc_window_strings },
  { "empty-working-set", msc_window_empty_working_set },
};

void
msc_window_add_memory_actions (MscWindow *self)
{
  GtkTreeView *view = msc_details_view_get_tree_view (self->details_view);

  g_action_map_add_action_entries (G_ACTION_MAP (self), msc_window_memory_actions,
                                   G_N_ELEMENTS (msc_window_memory_actions), self);
  g_signal_connect_object (gtk_tree_view_get_selection (view), "changed",
                           G_CALLBACK (msc_window_update_memory_actions), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_tree_view_get_selection (view), "changed",
                           G_CALLBACK (msc_window_strings_follow), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->info_bar, "response", G_CALLBACK (msc_window_hide_message), self,
                           G_CONNECT_SWAPPED);
}
