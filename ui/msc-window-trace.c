/* msc-window-trace.c — the main window's trace commands, for a capture that
 * has a trace (VMMap's Call Tree and Heap Allocations buttons): they exist
 * only then, with Trace… (every recorded operation). Each dialog is one per window and follows the snapshot shown
 * (its time is the trace time the figures are taken at) and, for Heap
 * Allocations, the region selected in Details. */
#include "config.h"

#include <glib/gi18n.h>

#include "model/core/msc-format.h"
#include "ui/msc-call-tree-dialog.h"
#include "ui/msc-heap-allocations-dialog.h"
#include "ui/msc-trace-dialog.h"
#include "ui/msc-ui-util.h"
#include "ui/msc-window-private.h"

static MscTrace *
msc_window_trace (MscWindow *self)
{
  return self->session != NULL ? msc_session_get_trace (self->session) : NULL;
}

/* The trace time of the snapshot shown, and its name for the dialogs. */
static guint64
msc_window_trace_time (MscWindow *self,
                       char     **text)
{
  MscSnapshot *snapshot = msc_session_get_snapshot (self->session, self->shown);
  g_autofree char *time = msc_snapshot_time_text (snapshot, FALSE);

  /* Translators: where the Live figures are taken, "snapshot 3 (10:31:02)" */
  *text = g_strdup_printf (_("snapshot %u (%s)"), self->shown + 1, time);
  return msc_trace_from_filetime (msc_window_trace (self), msc_snapshot_get_timestamp (snapshot));
}

/* The selected top-level region: Heap Allocations is about a whole block. */
static gboolean
msc_window_trace_region (MscWindow   *self,
                         MscRegion   *region,
                         const char **details)
{
  return msc_details_view_get_selected_region (self->details_view, region, details)
         && region->type != MSC_TYPE_FREE;
}

static void
msc_window_heap_allocations_follow (MscWindow *self)
{
  const char *details = NULL;
  MscRegion row;
  const MscRegion *region = &row;
  g_autofree char *at_text = NULL;
  g_autofree char *title = NULL;
  guint64 at;

  if (self->heap_allocations_dialog == NULL || msc_window_trace (self) == NULL)
    return;
  if (!msc_window_trace_region (self, &row, &details))
    return;
  at = msc_window_trace_time (self, &at_text);
  /* Translators: "Heap (Private Data) 00007F3A1C000000–00007F3A20000000  Heap ID: 2" */
  title = g_strdup_printf (_("%s %016" G_GINT64_MODIFIER "X–%016" G_GINT64_MODIFIER "X  %s"),
                           msc_region_type_string (region), region->address, region->address + region->size,
                           details != NULL ? details : "");
  msc_heap_allocations_dialog_set_region (MSC_HEAP_ALLOCATIONS_DIALOG (self->heap_allocations_dialog),
                                          region->address, region->address + region->size, title, at, at_text);
}

/* A new snapshot shown (the Details view gets a new model for each). */
static void
msc_window_trace_follow (MscWindow *self)
{
  g_autofree char *at_text = NULL;
  guint64 at;

  if (msc_window_trace (self) == NULL || self->session == NULL
      || self->shown >= msc_session_get_n_snapshots (self->session))
    {
      msc_window_origins_follow (self, 0);
      return;
    }
  at = msc_window_trace_time (self, &at_text);
  msc_window_origins_follow (self, at);
  if (self->call_tree_dialog != NULL)
    msc_call_tree_dialog_set_time (MSC_CALL_TREE_DIALOG (self->call_tree_dialog), at, at_text);
  msc_window_heap_allocations_follow (self);
}

static void
msc_window_call_tree (GSimpleAction *action,
                      GVariant      *param,
                      gpointer       user_data)
{
  MscWindow *self = user_data;

  if (self->call_tree_dialog == NULL)
    {
      msc_dialog_slot_set (&self->call_tree_dialog, msc_call_tree_dialog_new (GTK_WINDOW (self),
                                                                              msc_window_trace (self)));
      g_signal_connect (self->call_tree_dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
      msc_window_trace_follow (self);
    }
  gtk_window_present (GTK_WINDOW (self->call_tree_dialog));
}

static void
msc_window_trace_history (GSimpleAction *action,
                          GVariant      *param,
                          gpointer       user_data)
{
  MscWindow *self = user_data;

  if (self->trace_dialog == NULL)
    {
      msc_dialog_slot_set (&self->trace_dialog, msc_trace_dialog_new (GTK_WINDOW (self), msc_window_trace (self),
                                                                      msc_session_get_latest (self->session)));
      g_signal_connect (self->trace_dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
    }
  gtk_window_present (GTK_WINDOW (self->trace_dialog));
}

static void
msc_window_heap_allocations (GSimpleAction *action,
                             GVariant      *param,
                             gpointer       user_data)
{
  MscWindow *self = user_data;

  if (self->heap_allocations_dialog == NULL)
    {
      msc_dialog_slot_set (&self->heap_allocations_dialog,
                           msc_heap_allocations_dialog_new (GTK_WINDOW (self), msc_window_trace (self)));
      g_signal_connect (self->heap_allocations_dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
    }
  msc_window_heap_allocations_follow (self);
  gtk_window_present (GTK_WINDOW (self->heap_allocations_dialog));
}

void
msc_window_update_trace_actions (MscWindow *self)
{
  gboolean traced = msc_window_trace (self) != NULL && msc_session_get_n_snapshots (self->session) > 0;
  GAction *history = g_action_map_lookup_action (G_ACTION_MAP (self), "trace");
  GAction *call_tree = g_action_map_lookup_action (G_ACTION_MAP (self), "call-tree");
  GAction *heap = g_action_map_lookup_action (G_ACTION_MAP (self), "heap-allocations");
  MscRegion row;

  if (history == NULL || call_tree == NULL || heap == NULL)
    return;
  /* No dead controls on a plain capture: the buttons go with the trace. */
  gtk_widget_set_visible (GTK_WIDGET (self->trace_buttons), traced);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (history), traced);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (call_tree), traced);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (heap), traced && msc_window_trace_region (self, &row, NULL));
  if (!traced)
    msc_window_trace_destroy (self);
}

void
msc_window_trace_destroy (MscWindow *self)
{
  msc_window_origins_destroy (self);
  msc_dialog_slot_destroy (&self->trace_dialog);
  msc_dialog_slot_destroy (&self->call_tree_dialog);
  msc_dialog_slot_destroy (&self->heap_allocations_dialog);
}

GtkWidget *
msc_window_get_trace_dialog (MscWindow *self)
{
  g_return_val_if_fail (MSC_IS_WINDOW (self), NULL);
  return self->trace_dialog;
}

GtkWidget *
msc_window_get_call_tree_dialog (MscWindow *self)
{
  g_return_val_if_fail (MSC_IS_WINDOW (self), NULL);
  return self->call_tree_dialog;
}

GtkWidget *
msc_window_get_heap_allocations_dialog (MscWindow *self)
{
  g_return_val_if_fail (MSC_IS_WINDOW (self), NULL);
  return self->heap_allocations_dialog;
}

static void
msc_window_trace_selection_changed (MscWindow *self)
{
  msc_window_update_trace_actions (self);
  msc_window_heap_allocations_follow (self);
}

static const GActionEntry msc_window_trace_actions[] = {
  { "trace", msc_window_trace_history },
  { "call-tree", msc_window_call_tree },
  { "heap-allocations", msc_window_heap_allocations },
};

void
msc_window_add_trace_actions (MscWindow *self)
{
  GtkTreeView *details = msc_details_view_get_tree_view (self->details_view);

  g_action_map_add_action_entries (G_ACTION_MAP (self), msc_window_trace_actions,
                                   G_N_ELEMENTS (msc_window_trace_actions), self);
  g_signal_connect_object (details, "notify::model", G_CALLBACK (msc_window_trace_follow), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_tree_view_get_selection (details), "changed",
                           G_CALLBACK (msc_window_trace_selection_changed), self, G_CONNECT_SWAPPED);
  msc_window_add_origin_actions (self);
  msc_window_update_trace_actions (self);
}
