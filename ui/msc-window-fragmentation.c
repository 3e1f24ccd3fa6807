/* msc-window-fragmentation.c — View → Fragmentation View for the main
 * window: one dialog per window, showing what the Details view shows (the
 * snapshot on screen and, with Show Changes, its diff); a click on a region
 * selects it in the Details view.
 */
#include "config.h"

#include "ui/msc-details-model.h"
#include "ui/msc-fragmentation-dialog.h"
#include "ui/msc-ui-util.h"
#include "ui/msc-window-private.h"

static MscFragmentationView *
msc_window_fragmentation_view (MscWindow *self)
{
  return msc_fragmentation_dialog_get_view (MSC_FRAGMENTATION_DIALOG (self->fragmentation_dialog));
}

/* The Details view gets a new model for every snapshot, diff and filter
 * shown: the one moment the dialog needs to follow. */
static void
msc_window_fragmentation_follow (MscWindow *self)
{
  GtkTreeModel *model = gtk_tree_view_get_model (msc_details_view_get_tree_view (self->details_view));
  MscSnapshot *snapshot = model != NULL ? msc_details_model_get_snapshot (MSC_DETAILS_MODEL (model)) : NULL;

  if (self->fragmentation_dialog == NULL || self->session == NULL || snapshot == NULL)
    return;
  msc_fragmentation_view_set_snapshot (msc_window_fragmentation_view (self), snapshot,
                                       msc_details_view_get_diff (self->details_view),
                                       msc_window_address_digits (msc_session_get_process (self->session)));
}

static void
msc_window_fragmentation_selection_changed (MscWindow *self)
{
  guint64 address;

  if (self->fragmentation_dialog != NULL && msc_details_view_get_selected_address (self->details_view, &address))
    msc_fragmentation_view_select_address (msc_window_fragmentation_view (self), address);
}

static void
msc_window_fragmentation_activated (MscWindow *self,
                                    guint64    address)
{
  msc_window_go_to_address (self, address);
}

static void
msc_window_fragmentation (GSimpleAction *action,
                          GVariant      *param,
                          gpointer       user_data)
{
  MscWindow *self = user_data;

  if (self->fragmentation_dialog == NULL)
    {
      msc_dialog_slot_set (&self->fragmentation_dialog, msc_fragmentation_dialog_new (GTK_WINDOW (self)));
      g_signal_connect (self->fragmentation_dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
      g_signal_connect_object (msc_window_fragmentation_view (self), "region-activated",
                               G_CALLBACK (msc_window_fragmentation_activated), self, G_CONNECT_SWAPPED);
      msc_window_fragmentation_follow (self);
      msc_window_fragmentation_selection_changed (self);
    }
  gtk_window_present (GTK_WINDOW (self->fragmentation_dialog));
  /* + and − zoom at once, without a click in the drawing first. */
  gtk_widget_grab_focus (msc_fragmentation_view_get_canvas (msc_window_fragmentation_view (self)));
}

GtkWidget *
msc_window_get_fragmentation_dialog (MscWindow *self)
{
  g_return_val_if_fail (MSC_IS_WINDOW (self), NULL);
  return self->fragmentation_dialog;
}

void
msc_window_update_fragmentation_action (MscWindow *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "fragmentation");

  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action),
                                 self->session != NULL && msc_session_get_n_snapshots (self->session) > 0);
}

void
msc_window_fragmentation_destroy (MscWindow *self)
{
  msc_dialog_slot_destroy (&self->fragmentation_dialog);
}

static const GActionEntry msc_window_fragmentation_actions[] = {
  { "fragmentation", msc_window_fragmentation },
};

void
msc_window_add_fragmentation_actions (MscWindow *self)
{
  GtkTreeView *details = msc_details_view_get_tree_view (self->details_view);

  g_action_map_add_action_entries (G_ACTION_MAP (self), msc_window_fragmentation_actions,
                                   G_N_ELEMENTS (msc_window_fragmentation_actions), self);
  g_signal_connect_object (details, "notify::model", G_CALLBACK (msc_window_fragmentation_follow), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_tree_view_get_selection (details), "changed",
                           G_CALLBACK (msc_window_fragmentation_selection_changed), self, G_CONNECT_SWAPPED);
  msc_window_update_fragmentation_action (self);
}
