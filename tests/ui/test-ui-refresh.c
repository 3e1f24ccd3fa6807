/* test-ui-refresh.c — a refresh of a live process keeps what the user
 * opened (expanded rows, selected row, scroll position, matched by address),
 * and Auto Refresh keeps the snapshots the user picked in the Timeline.
 * The test target's regions barely move between scans, so the same
 * addresses are there before and after. Runs under xvfb-run, Linux backend.
 */
#include "config.h"

#include "ui/msc-details-model.h"
#include "ui/msc-timeline-dialog.h"
#include "ui-test-util.h"

static guint64
address_at (GtkTreeView *view,
            GtkTreePath *path)
{
  GtkTreeModel *model = gtk_tree_view_get_model (view);
  GtkTreeIter iter;

  g_assert_true (gtk_tree_model_get_iter (model, &iter, path));
  return ui_test_region (model, &iter).address;
}

/* The top-level path of address in view's model. */
static GtkTreePath *
path_of (GtkTreeView *view,
         guint64      address)
{
  GtkTreeModel *model = gtk_tree_view_get_model (view);
  GtkTreeIter iter;

  for (gboolean valid = gtk_tree_model_get_iter_first (model, &iter); valid; valid = gtk_tree_model_iter_next (model, &iter))
    if (ui_test_region (model, &iter).address == address)
      return gtk_tree_model_get_path (model, &iter);
  return NULL;
}

static void
count_expanded (GtkTreeView *view,
                GtkTreePath *path,
                gpointer     user_data)
{
  (*(guint *) user_data)++;
}

/* The row at the top edge of the list (bin window y = 2 px). */
static guint64
first_visible (GtkTreeView *view)
{
  g_autoptr(GtkTreePath) start = NULL;

  ui_test_flush ();
  ui_test_iterate_for (100);
  g_assert_true (gtk_tree_view_get_path_at_pos (view, 0, 2, &start, NULL, NULL, NULL));
  return address_at (view, start);
}

/* F5: the rows the user expanded stay expanded, the selected row selected,
 * the first row in view in view. */
static void
test_refresh_keeps_view (void)
{
  g_autoptr(GSubprocess) target = NULL;
  MscWindow *window;
  GtkTreeView *view;
  GtkTreeModel *model;
  guint64 expanded[2], selected = 0, top;
  guint n_expanded = 0, found = 0;
  g_autoptr(GtkTreePath) select_path = gtk_tree_path_new_from_indices (12, -1);
  g_autoptr(GtkTreePath) top_path = gtk_tree_path_new_from_indices (10, -1);
  guint pid;

  target = ui_test_start_target (&pid);
  window = ui_test_open_live (pid);
  view = msc_details_view_get_tree_view (msc_window_get_details_view (window));
  model = gtk_tree_view_get_model (view);
  g_assert_cmpint (gtk_tree_model_iter_n_children (model, NULL), >, 30);

  /* Expand two rows with sub-blocks below the fold-to-be. */
  for (int k = 11; k < gtk_tree_model_iter_n_children (model, NULL) && found < 2; k++)
    {
      g_autoptr(GtkTreePath) path = gtk_tree_path_new_from_indices (k, -1);
      GtkTreeIter iter;

      g_assert_true (gtk_tree_model_get_iter (model, &iter, path));
      if (!gtk_tree_model_iter_has_child (model, &iter) || k == 12)
        continue;
      gtk_tree_view_expand_row (view, path, FALSE);
      expanded[found++] = address_at (view, path);
    }
  g_assert_cmpuint (found, ==, 2);
  gtk_tree_view_set_cursor (view, select_path, NULL, FALSE);
  selected = address_at (view, select_path);
  gtk_tree_view_scroll_to_cell (view, top_path, NULL, TRUE, 0.0, 0.0);
  top = first_visible (view);
  g_assert_cmpuint (top, ==, address_at (view, top_path));

  g_action_group_activate_action (G_ACTION_GROUP (window), "refresh", NULL);
  ui_test_wait_idle (window);
  g_assert_cmpuint (msc_session_get_n_snapshots (msc_window_get_session (window)), ==, 2);

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(GtkTreePath) path = path_of (view, expanded[i]);

      g_assert_nonnull (path);
      g_assert_true (gtk_tree_view_row_expanded (view, path));
    }
  gtk_tree_view_map_expanded_rows (view, count_expanded, &n_expanded);
  g_assert_cmpuint (n_expanded, ==, 2);
  {
    MscRegion region;

    g_assert_true (msc_details_view_get_selected_region (msc_window_get_details_view (window), &region, NULL));
    g_assert_cmpuint (region.address, ==, selected);
  }
  g_assert_cmpuint (first_visible (view), ==, top);

  gtk_widget_destroy (GTK_WIDGET (window));
  ui_test_stop_target (target);
}

static void
wait_for_snapshots (MscSession *session,
                    guint       n)
{
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  while (msc_session_get_n_snapshots (session) < n)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
assert_selection (MscTimeline *timeline,
                  guint        want_first,
                  guint        want_last)
{
  guint first, last;

  g_assert_true (msc_timeline_get_selection (timeline, &first, &last));
  g_assert_cmpuint (first, ==, want_first);
  g_assert_cmpuint (last, ==, want_last);
}

/* Auto Refresh: a pair the user picked in the Timeline stays on screen and
 * selected while snapshots arrive; a pick under way is not overwritten;
 * picking the newest snapshot follows new ones again. */
static void
test_auto_refresh_keeps_pick (void)
{
  g_autoptr(GSubprocess) target = NULL;
  MscWindow *window;
  MscSession *session;
  GtkWidget *dialog;
  MscTimeline *timeline;
  MscDiff *diff;
  guint pid, n;

  target = ui_test_start_target (&pid);
  window = ui_test_open_live (pid);
  session = msc_window_get_session (window);
  for (int i = 0; i < 2; i++)
    {
      g_action_group_activate_action (G_ACTION_GROUP (window), "refresh", NULL);
      ui_test_wait_idle (window);
    }
  g_assert_cmpuint (msc_session_get_n_snapshots (session), ==, 3);
  ui_test_activate (window, "timeline");
  dialog = msc_window_get_timeline_dialog (window);
  timeline = msc_timeline_dialog_get_timeline (MSC_TIMELINE_DIALOG (dialog));

  /* The two oldest, applied. */
  msc_timeline_select_pair (timeline, 0, 1);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_APPLY);
  g_assert_cmpuint (msc_window_get_shown_index (window), ==, 1);

  g_action_group_change_action_state (G_ACTION_GROUP (window), "auto-refresh", g_variant_new_uint32 (1));
  wait_for_snapshots (session, 5);
  g_assert_cmpuint (msc_window_get_shown_index (window), ==, 1);
  diff = msc_window_get_diff (window);
  g_assert_nonnull (diff);
  g_assert_true (msc_diff_get_a (diff) == msc_session_get_snapshot (session, 0));
  g_assert_true (msc_diff_get_b (diff) == msc_session_get_snapshot (session, 1));
  assert_selection (timeline, 0, 1);

  /* A pick under way (not applied yet) is left as the user made it. */
  msc_timeline_select_pair (timeline, 0, 3);
  n = msc_session_get_n_snapshots (session);
  wait_for_snapshots (session, n + 2);
  assert_selection (timeline, 0, 3);
  g_assert_cmpuint (msc_window_get_shown_index (window), ==, 1);

  /* The newest, applied: new snapshots are shown as they come. */
  n = msc_session_get_n_snapshots (session);
  msc_timeline_select (timeline, n - 1);
  gtk_dialog_response (GTK_DIALOG (dialog), GTK_RESPONSE_APPLY);
  wait_for_snapshots (session, n + 1);
  ui_test_flush ();
  g_assert_cmpuint (msc_window_get_shown_index (window), ==, msc_session_get_n_snapshots (session) - 1);

  g_action_group_change_action_state (G_ACTION_GROUP (window), "auto-refresh", g_variant_new_uint32 (0));
  ui_test_wait_idle (window);
  gtk_widget_destroy (GTK_WIDGET (window));
  ui_test_stop_target (target);
}

int
main (int argc, char **argv)
{
  ui_test_init (&argc, &argv);
  ui_test_application ();

  g_test_add_func ("/refresh/keeps-view", test_refresh_keeps_view);
  g_test_add_func ("/refresh/auto-refresh-keeps-pick", test_auto_refresh_keeps_pick);

  return g_test_run ();
}
