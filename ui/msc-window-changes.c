/* msc-window-changes.c — the window over time: which snapshot the views
 * show, Options → Show Changes (VMMap: the shown snapshot against the one
 * before, or the pair picked in the Timeline), the Timeline… dialog, and
 * Options → Auto Refresh for live processes.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "ui/msc-details-model.h"
#include "ui/msc-timeline-dialog.h"
#include "ui/msc-ui-util.h"
#include "ui/msc-window-private.h"

static GAction *
msc_window_action (MscWindow  *self,
                   const char *name)
{
  return g_action_map_lookup_action (G_ACTION_MAP (self), name);
}

static gboolean
msc_window_showing_changes (MscWindow *self)
{
  GAction *action = msc_window_action (self, "show-changes");
  g_autoptr(GVariant) state = action != NULL ? g_action_get_state (action) : NULL;

  return state != NULL && g_variant_get_boolean (state);
}

static void
msc_window_set_showing_changes (MscWindow *self,
                                gboolean   on)
{
  g_simple_action_set_state (G_SIMPLE_ACTION (msc_window_action (self, "show-changes")),
                             g_variant_new_boolean (on));
}

/* Show Changes' A: the Timeline's pick, else the snapshot before B. */
static int
msc_window_compared_index (MscWindow *self)
{
  if (!msc_window_showing_changes (self))
    return -1;
  if (self->compare >= 0)
    return self->compare;
  return (int) self->shown - 1;
}

/* The open Timeline follows what the window shows, unless the Timeline
 * asked for it: then the user's pick stays as made (a single mark stays
 * single, so Shift+arrow extends from it). */
static void
msc_window_note_timeline (MscWindow   *self,
                          MscTimeline *timeline)
{
  self->timeline_synced = msc_timeline_get_selection (timeline, &self->synced_first, &self->synced_last);
}

/* The user is picking in the Timeline (a drag, or arrows before Enter):
 * its selection is no longer the one the window last gave it. */
static gboolean
msc_window_timeline_pending (MscWindow   *self,
                             MscTimeline *timeline)
{
  guint first, last;

  return self->timeline_synced && msc_timeline_get_selection (timeline, &first, &last)
         && (first != self->synced_first || last != self->synced_last);
}

static void
msc_window_sync_timeline (MscWindow *self,
                          int        compared)
{
  MscTimeline *timeline;

  if (self->timeline_dialog == NULL)
    return;
  timeline = msc_timeline_dialog_get_timeline (MSC_TIMELINE_DIALOG (self->timeline_dialog));
  /* Once the window shows the user's pick, it is the selection to keep. */
  if (self->from_timeline)
    {
      msc_window_note_timeline (self, timeline);
      return;
    }
  if (msc_timeline_get_session (timeline) != self->session)
    {
      msc_timeline_dialog_set_session (MSC_TIMELINE_DIALOG (self->timeline_dialog), self->session);
      self->timeline_synced = FALSE;
    }
  if (msc_window_timeline_pending (self, timeline))
    return;
  if (compared >= 0)
    msc_timeline_select_pair (timeline, compared, self->shown);
  else
    msc_timeline_select (timeline, self->shown);
  msc_window_note_timeline (self, timeline);
}

/* Show Changes' counts are of the rows the Details view marks (its
 * filter, Show Free Regions, top-level rows: "4 new" means four green
 * rows), so they follow each new Details model. */
static void
msc_window_count_changes (MscWindow *self)
{
  GtkTreeModel *model = gtk_tree_view_get_model (msc_details_view_get_tree_view (self->details_view));
  guint counts[MSC_DIFF_CHANGED + 1] = { 0 };
  GtkTreeIter iter;

  if (model != NULL && self->diff != NULL)
    for (gboolean valid = gtk_tree_model_get_iter_first (model, &iter); valid;
         valid = gtk_tree_model_iter_next (model, &iter))
      counts[msc_details_model_get_status (MSC_DETAILS_MODEL (model), &iter, NULL)]++;
  msc_status_bar_set_changes (self->status_bar, self->diff, counts[MSC_DIFF_NEW], counts[MSC_DIFF_REMOVED],
                              counts[MSC_DIFF_CHANGED]);
}

/* Graphs, Summary, Details and status bar show snapshot B = shown, and with
 * Show Changes its differences from A. */
static void
msc_window_show_snapshots (MscWindow *self)
{
  MscProcess *process = msc_session_get_process (self->session);
  MscSnapshot *b = msc_session_get_snapshot (self->session, self->shown);
  int compared = msc_window_compared_index (self);
  MscSnapshot *a = compared >= 0 ? msc_session_get_snapshot (self->session, compared) : NULL;
  const MscSummary *summary = msc_snapshot_get_summary (b);
  const MscSummary *previous = a != NULL ? msc_snapshot_get_summary (a) : NULL;
  g_autoptr(GDateTime) utc = msc_snapshot_dup_date_time (b);
  g_autoptr(GDateTime) local = utc != NULL ? g_date_time_to_local (utc) : NULL;
  MscGraph *graphs[] = { self->committed_graph, self->private_graph, self->ws_graph };

  g_clear_object (&self->diff);
  if (a != NULL)
    self->diff = msc_diff_new (a, b);
  for (guint i = 0; i < G_N_ELEMENTS (graphs); i++)
    msc_graph_set_summary (graphs[i], summary, previous);
  msc_summary_view_set_summary (self->summary_view, summary, self->diff);
  msc_details_view_set_snapshot (self->details_view, b, self->diff, msc_window_address_digits (process));
  msc_status_bar_set_process (self->status_bar, msc_process_get_name (process),
                              msc_process_get_pid (process), local);
  msc_window_count_changes (self);
  msc_status_bar_set_notes (self->status_bar, msc_snapshot_get_notes (b));
  msc_window_sync_timeline (self, compared);
}

void
msc_window_show_snapshot (MscWindow *self,
                          guint      index)
{
  g_return_if_fail (MSC_IS_WINDOW (self));
  g_return_if_fail (self->session != NULL && index < msc_session_get_n_snapshots (self->session));

  self->shown = index;
  self->compare = -1;
  msc_window_show_snapshots (self);
  msc_window_update_change_actions (self);
}

void
msc_window_compare_snapshots (MscWindow *self,
                              guint      a,
                              guint      b)
{
  g_return_if_fail (MSC_IS_WINDOW (self));
  g_return_if_fail (self->session != NULL);
  g_return_if_fail (a != b && MAX (a, b) < msc_session_get_n_snapshots (self->session));

  self->shown = MAX (a, b);
  self->compare = (int) MIN (a, b);
  msc_window_set_showing_changes (self, TRUE);
  msc_window_show_snapshots (self);
  msc_window_update_change_actions (self);
}

guint
msc_window_get_shown_index (MscWindow *self)
{
  g_return_val_if_fail (MSC_IS_WINDOW (self), 0);
  return self->shown;
}

MscDiff *
msc_window_get_diff (MscWindow *self)
{
  g_return_val_if_fail (MSC_IS_WINDOW (self), NULL);
  return self->diff;
}

GtkWidget *
msc_window_get_timeline_dialog (MscWindow *self)
{
  g_return_val_if_fail (MSC_IS_WINDOW (self), NULL);
  return self->timeline_dialog;
}

/* ---- Options → Show Changes ---- */

static void
msc_window_change_show_changes (GSimpleAction *action,
                                GVariant      *state,
                                gpointer       user_data)
{
  MscWindow *self = user_data;

  g_simple_action_set_state (action, state);
  /* Off, then on again: back to comparing with the snapshot before. */
  self->compare = -1;
  if (self->session != NULL && msc_session_get_n_snapshots (self->session) > 0)
    msc_window_show_snapshots (self);
}

/* ---- Timeline… ---- */

static void
msc_window_timeline_response (GtkDialog *dialog,
                              int        response,
                              MscWindow *self)
{
  MscTimeline *timeline = msc_timeline_dialog_get_timeline (MSC_TIMELINE_DIALOG (dialog));
  guint first, last, n;

  if (response != GTK_RESPONSE_APPLY)
    {
      gtk_widget_destroy (GTK_WIDGET (dialog));
      return;
    }
  if (self->session == NULL || !msc_timeline_get_selection (timeline, &first, &last))
    return;
  /* A pick of the newest snapshot (or the newest pair) keeps following new
   * ones; any other stays on screen while Auto Refresh adds snapshots. */
  n = msc_session_get_n_snapshots (self->session);
  self->follow_latest = last + 1 == n && (first == last || first + 2 == n);
  self->from_timeline = TRUE;
  if (first == last)
    msc_window_show_snapshot (self, first);
  else
    msc_window_compare_snapshots (self, first, last);
  self->from_timeline = FALSE;
}

static void
msc_window_timeline (GSimpleAction *action,
                     GVariant      *param,
                     gpointer       user_data)
{
  MscWindow *self = user_data;

  if (self->timeline_dialog == NULL)
    {
      msc_dialog_slot_set (&self->timeline_dialog, msc_timeline_dialog_new (GTK_WINDOW (self), self->session));
      g_signal_connect_object (self->timeline_dialog, "response",
                               G_CALLBACK (msc_window_timeline_response), self, 0);
      self->timeline_synced = FALSE;
      msc_window_sync_timeline (self, msc_window_compared_index (self));
    }
  gtk_window_present (GTK_WINDOW (self->timeline_dialog));
  gtk_widget_grab_focus (GTK_WIDGET (msc_timeline_dialog_get_timeline (MSC_TIMELINE_DIALOG (self->timeline_dialog))));
}

/* ---- Options → Auto Refresh ---- */

static gboolean
msc_window_auto_refresh_tick (gpointer user_data)
{
  MscWindow *self = user_data;

  /* A scan still under way (a big process, or F5 just before) skips this
   * tick: scans never stack up. */
  if (self->cancellable == NULL)
    {
      self->in_auto_tick = TRUE;
      g_action_group_activate_action (G_ACTION_GROUP (self), "refresh", NULL);
      self->in_auto_tick = FALSE;
    }
  return G_SOURCE_CONTINUE;
}

void
msc_window_stop_auto_refresh (MscWindow *self)
{
  g_clear_handle_id (&self->auto_refresh_id, g_source_remove);
}

void
msc_window_schedule_refresh (MscWindow *self)
{
  guint seconds = self->options != NULL ? msc_options_get_auto_refresh (self->options) : 0;

  if (!self->live || seconds == 0 || !msc_backend_can_scan ())
    {
      msc_window_stop_auto_refresh (self);
      return;
    }
  if (self->auto_refresh_id != 0)
    return;
  self->auto_refresh_id = g_timeout_add_seconds (seconds, msc_window_auto_refresh_tick, self);
  g_source_set_name_by_id (self->auto_refresh_id, "[memscope] auto-refresh");
}

void
msc_window_changes_destroy (MscWindow *self)
{
  msc_window_stop_auto_refresh (self);
  msc_dialog_slot_destroy (&self->timeline_dialog);
}

static void
msc_window_auto_refresh_changed (MscWindow *self)
{
  guint seconds = msc_options_get_auto_refresh (self->options);

  g_simple_action_set_state (G_SIMPLE_ACTION (msc_window_action (self, "auto-refresh")),
                             g_variant_new_uint32 (seconds));
  /* A new interval starts now. */
  msc_window_stop_auto_refresh (self);
  msc_window_schedule_refresh (self);
}

static void
msc_window_change_auto_refresh (GSimpleAction *action,
                                GVariant      *state,
                                gpointer       user_data)
{
  MscWindow *self = user_data;

  /* The option is shared by all windows; each follows it (notify). It acts
   * even where the settings store refuses to save it. */
  msc_options_set_auto_refresh (self->options, g_variant_get_uint32 (state));
}

void
msc_window_update_change_actions (MscWindow *self)
{
  guint n = self->session != NULL ? msc_session_get_n_snapshots (self->session) : 0;
  GAction *show_changes = msc_window_action (self, "show-changes");
  GAction *timeline = msc_window_action (self, "timeline");
  GAction *auto_refresh = msc_window_action (self, "auto-refresh");

  if (show_changes != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (show_changes), n >= 2);
  if (timeline != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (timeline), n >= 1);
  if (auto_refresh != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (auto_refresh), self->live && msc_backend_can_scan ());
}

static const GActionEntry msc_window_change_actions[] = {
  { "show-changes", NULL, NULL, "false", msc_window_change_show_changes },
  { "timeline", msc_window_timeline },
  { "auto-refresh", NULL, "u", "uint32 0", msc_window_change_auto_refresh },
};

void
msc_window_add_change_actions (MscWindow *self)
{
  self->compare = -1;
  g_action_map_add_action_entries (G_ACTION_MAP (self), msc_window_change_actions,
                                   G_N_ELEMENTS (msc_window_change_actions), self);
  g_signal_connect_object (msc_details_view_get_tree_view (self->details_view), "notify::model",
                           G_CALLBACK (msc_window_count_changes), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->options, "notify::auto-refresh-seconds",
                           G_CALLBACK (msc_window_auto_refresh_changed), self, G_CONNECT_SWAPPED);
  g_simple_action_set_state (G_SIMPLE_ACTION (msc_window_action (self, "auto-refresh")),
                             g_variant_new_uint32 (msc_options_get_auto_refresh (self->options)));
  msc_window_update_change_actions (self);
}
