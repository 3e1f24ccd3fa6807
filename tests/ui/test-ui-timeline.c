/* test-ui-timeline.c — Timeline and Show Changes driven as a user would:
 * three live snapshots of the test target, which maps, frees and touches
 * known ranges in between (its own report of the addresses is the
 * reference), then pairs picked in the Timeline through its API, a mouse
 * drag and the keyboard; the Details view must mark exactly those ranges.
 * Also a two-snapshot capture, for hosts without a live backend.
 * Runs under xvfb-run (tests/ui/meson.build).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <stdio.h>

#include <unistd.h>

#include "ui/msc-details-model.h"
#include "ui/msc-timeline-dialog.h"
#include "ui-test-util.h"
#ifdef MSC_TEST_LIVE
#include "tests/linux/msc-linux-test-util.h"
#endif

#define MIB (1024 * 1024)

/* ---- reading the Details view ---- */

static MscDetailsModel *
details_model (MscWindow *window)
{
  return MSC_DETAILS_MODEL (gtk_tree_view_get_model (msc_details_view_get_tree_view (
    msc_window_get_details_view (window))));
}

/* The top-level row at address, or FALSE. */
static gboolean
find_row (MscWindow   *window,
          guint64      address,
          GtkTreeIter *iter)
{
  MscDetailsModel *model = details_model (window);

  for (gboolean valid = gtk_tree_model_get_iter_first (GTK_TREE_MODEL (model), iter); valid;
       valid = gtk_tree_model_iter_next (GTK_TREE_MODEL (model), iter))
    if (ui_test_region (GTK_TREE_MODEL (model), iter).address == address)
      return TRUE;
  return FALSE;
}

#ifdef MSC_TEST_LIVE
/* What the Change column says of the top-level row at address. */
static char *
change_text (MscWindow *window,
             guint64    address)
{
  GtkTreeIter iter;

  g_assert_true (find_row (window, address, &iter));
  return ui_test_cell (GTK_TREE_MODEL (details_model (window)), &iter, MSC_DETAILS_COLUMN_CHANGE);
}

static gboolean
is_fence_of (const MscRegion *r,
             const TestAlloc *alloc)
{
  guint64 page = (guint64) sysconf (_SC_PAGESIZE);

  return r->size == page && (r->address + page == alloc->addr || r->address == alloc->addr + alloc->size);
}

/* Every top-level row the view marks `word` is alloc or one of its fences
 * (Free space around them aside), and alloc is among them; with alloc NULL,
 * none of `ours` is marked so. */
static void
assert_marked (MscWindow        *window,
               const char       *word,
               const TestAlloc  *alloc,
               const TestAlloc **ours,
               guint             n_ours)
{
  MscDetailsModel *model = details_model (window);
  gboolean found = FALSE;
  GtkTreeIter iter;

  for (gboolean valid = gtk_tree_model_get_iter_first (GTK_TREE_MODEL (model), &iter); valid;
       valid = gtk_tree_model_iter_next (GTK_TREE_MODEL (model), &iter))
    {
      g_autofree char *text = ui_test_cell (GTK_TREE_MODEL (model), &iter, MSC_DETAILS_COLUMN_CHANGE);
      MscRegion row = ui_test_region (GTK_TREE_MODEL (model), &iter);
      const MscRegion *r = &row;

      if (!g_str_equal (text, word) || r->type == MSC_TYPE_FREE)
        continue;
      g_test_message ("%s: 0x%" G_GINT64_MODIFIER "x, %" G_GUINT64_FORMAT " bytes", word, r->address, r->size);
      for (guint k = 0; k < n_ours; k++)
        if (ours[k] != alloc)
          g_assert_cmpuint (r->address, !=, ours[k]->addr);
      if (alloc == NULL)
        continue;
      if (r->address == alloc->addr)
        {
          g_assert_cmpuint (r->size, ==, alloc->size);
          found = TRUE;
        }
      else
        g_assert_true (is_fence_of (r, alloc));
    }
  g_assert_true (alloc == NULL || found);
}
#endif

/* ---- driving the Timeline ---- */

/* A pointer event at x, half-way down the widget, as the mouse sends it. */
static void
send_pointer (GtkWidget       *widget,
              GdkEventType     type,
              double           x,
              GdkModifierType  state)
{
  ui_test_send_pointer (widget, type, x, gtk_widget_get_allocated_height (widget) / 2.0, state);
}

#ifdef MSC_TEST_LIVE
/* A drag from one mark to another, as the mouse sends it. */
static void
drag (MscTimeline *timeline,
      guint        from,
      guint        to)
{
  GtkWidget *widget = GTK_WIDGET (timeline);
  double x0 = msc_timeline_get_mark_x (timeline, from);
  double x1 = msc_timeline_get_mark_x (timeline, to);

  send_pointer (widget, GDK_BUTTON_PRESS, x0, 0);
  send_pointer (widget, GDK_MOTION_NOTIFY, (x0 + x1) / 2, GDK_BUTTON1_MASK);
  send_pointer (widget, GDK_MOTION_NOTIFY, x1, GDK_BUTTON1_MASK);
  send_pointer (widget, GDK_BUTTON_RELEASE, x1, GDK_BUTTON1_MASK);
  ui_test_flush ();
}

static void
press_key (GtkWidget       *widget,
           guint            keyval,
           GdkModifierType  state)
{
  GdkEvent *event = gdk_event_new (GDK_KEY_PRESS);

  event->key.window = g_object_ref (gtk_widget_get_window (widget));
  event->key.keyval = keyval;
  event->key.state = state;
  event->key.time = GDK_CURRENT_TIME;
  gdk_event_set_device (event, gdk_seat_get_keyboard (gdk_display_get_default_seat (gtk_widget_get_display (widget))));
  gtk_widget_event (widget, event);
  gdk_event_free (event);
  ui_test_flush ();
}
#endif

static MscTimeline *
open_timeline (MscWindow *window)
{
  GtkWidget *dialog;

  ui_test_activate (window, "timeline");
  dialog = msc_window_get_timeline_dialog (window);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_widget_get_visible (dialog));
  ui_test_flush ();
  return msc_timeline_dialog_get_timeline (MSC_TIMELINE_DIALOG (dialog));
}

static gboolean
show_changes_on (MscWindow *window)
{
  g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (window), "show-changes");

  return g_variant_get_boolean (state);
}

static void
assert_compared (MscWindow *window,
                 guint      a,
                 guint      b)
{
  MscSession *session = msc_window_get_session (window);
  MscDiff *diff = msc_window_get_diff (window);

  g_assert_nonnull (diff);
  g_assert_true (msc_diff_get_a (diff) == msc_session_get_snapshot (session, a));
  g_assert_true (msc_diff_get_b (diff) == msc_session_get_snapshot (session, b));
  g_assert_cmpuint (msc_window_get_shown_index (window), ==, b);
  g_assert_true (show_changes_on (window));
  g_assert_nonnull (strstr (msc_status_bar_get_text (msc_window_get_status_bar (window)), "Changes from"));
}

/* ---- the tests ---- */

#ifdef MSC_TEST_LIVE
static void
refresh (MscWindow *window)
{
  ui_test_activate (window, "refresh");
  ui_test_wait_idle (window);
}

static void
test_live_timeline (void)
{
  const char *path = g_getenv ("MSC_TEST_TARGET");
  TestTarget *target;
  MscWindow *window;
  MscTimeline *timeline;
  TestAlloc kept, old, fresh;
  const TestAlloc *ours[] = { &kept, &old, &fresh };
  g_autofree char *kept_change = NULL;
  GtkTreeIter iter;
  guint mask;

  if (path == NULL || path[0] == '\0')
    {
      g_test_skip ("no live backend on this host");
      return;
    }
  target = test_target_start (NULL);
  g_free (test_target_command (target, "alloc kept 1048576 65536"));
  g_free (test_target_command (target, "alloc old 2097152 1048576"));
  window = msc_window_new (GTK_APPLICATION (ui_test_application ()));
  gtk_window_present (GTK_WINDOW (window));
  msc_window_open_process (window, (guint) target->pid);
  ui_test_wait_idle (window);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "show-changes"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "auto-refresh"));

  /* Snapshot 2: a new range. Snapshot 3: the old one freed, kept touched. */
  g_free (test_target_command (target, "alloc fresh 3145728 524288"));
  refresh (window);
  g_free (test_target_command (target, "free old"));
  g_free (test_target_command (target, "touch kept 524288"));
  refresh (window);
  kept = *test_target_alloc (target, "kept");
  old = *test_target_alloc (target, "old");
  fresh = *test_target_alloc (target, "fresh");
  g_assert_cmpuint (msc_session_get_n_snapshots (msc_window_get_session (window)), ==, 3);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "show-changes"));

  /* Through the widget's API: 1 → 2 has fresh only. */
  timeline = open_timeline (window);
  msc_timeline_select_pair (timeline, 0, 1);
  g_signal_emit_by_name (timeline, "activate");
  ui_test_flush ();
  assert_compared (window, 0, 1);
  assert_marked (window, "New", &fresh, ours, G_N_ELEMENTS (ours));
  assert_marked (window, "Removed", NULL, ours, G_N_ELEMENTS (ours));

  /* A drag from the first mark to the last: fresh new, old removed (shown
   * from snapshot 1, struck out), kept changed in its working set only. */
  drag (timeline, 0, 2);
  assert_compared (window, 0, 2);
  assert_marked (window, "New", &fresh, ours, G_N_ELEMENTS (ours));
  assert_marked (window, "Removed", &old, ours, G_N_ELEMENTS (ours));
  kept_change = change_text (window, kept.addr);
  g_assert_cmpstr (kept_change, ==, "Changed");
  g_assert_true (find_row (window, kept.addr, &iter));
  g_assert_cmpint (msc_details_model_get_status (details_model (window), &iter, &mask), ==, MSC_DIFF_CHANGED);
  g_assert_true (mask & MSC_DIFF_FIELD_TOTAL_WS);
  g_assert_true (mask & MSC_DIFF_FIELD_PRIVATE_WS);
  g_assert_false (mask & (MSC_DIFF_FIELD_SIZE | MSC_DIFF_FIELD_PROTECTION | MSC_DIFF_FIELD_TYPE));
  g_assert_cmpuint (ui_test_region (GTK_TREE_MODEL (details_model (window)), &iter).private_ws, ==, 524288);

  /* Keyboard: Left picks snapshot 2 alone (Show Changes stays on: compared
   * with the one before), Shift+Right extends to 3, Enter applies. */
  gtk_widget_grab_focus (GTK_WIDGET (timeline));
  press_key (GTK_WIDGET (timeline), GDK_KEY_Left, 0);
  press_key (GTK_WIDGET (timeline), GDK_KEY_Return, 0);
  assert_compared (window, 0, 1);
  press_key (GTK_WIDGET (timeline), GDK_KEY_Right, GDK_SHIFT_MASK);
  press_key (GTK_WIDGET (timeline), GDK_KEY_Return, 0);
  assert_compared (window, 1, 2);
  assert_marked (window, "New", NULL, ours, G_N_ELEMENTS (ours));
  assert_marked (window, "Removed", &old, ours, G_N_ELEMENTS (ours));

  /* Show Changes off: the snapshot alone, no marks, no Change column. */
  g_action_group_change_action_state (G_ACTION_GROUP (window), "show-changes", g_variant_new_boolean (FALSE));
  ui_test_flush ();
  g_assert_null (msc_window_get_diff (window));
  g_assert_false (find_row (window, old.addr, &iter));
  g_assert_null (strstr (msc_status_bar_get_text (msc_window_get_status_bar (window)), "Changes from"));

  gtk_widget_destroy (GTK_WIDGET (window));
  test_target_stop (target);
}
#endif

/* Snapshots one second apart, the cursor among them: the time labels drawn
 * never overlap, and the cursor's is one of them. */
static void
test_labels_do_not_overlap (void)
{
  g_autoptr(MscProcess) process = msc_process_new (4242, "labels", 64);
  g_autoptr(MscSession) session = msc_session_new (process);
  GtkWidget *window = gtk_window_new (GTK_WINDOW_TOPLEVEL);
  MscTimeline *timeline = MSC_TIMELINE (msc_timeline_new ());
  cairo_surface_t *surface;
  cairo_t *cr;
  GArray *labels;
  gboolean cursor_labelled = FALSE;

  for (guint i = 0; i < 12; i++)
    {
      MscRegionTable *table = msc_region_table_new ();
      g_autoptr(MscSnapshot) snapshot = msc_snapshot_new (134000000000000000 + (guint64) i * 10000000, 0, table);

      msc_session_add_snapshot (session, snapshot);
    }
  gtk_window_set_default_size (GTK_WINDOW (window), 420, 200);
  gtk_container_add (GTK_CONTAINER (window), GTK_WIDGET (timeline));
  gtk_widget_show_all (window);
  msc_timeline_set_session (timeline, session);
  msc_timeline_select (timeline, 5);
  ui_test_iterate_for (200);
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, gtk_widget_get_allocated_width (GTK_WIDGET (timeline)),
                                        gtk_widget_get_allocated_height (GTK_WIDGET (timeline)));
  cr = cairo_create (surface);
  gtk_widget_draw (GTK_WIDGET (timeline), cr);
  cairo_destroy (cr);
  cairo_surface_destroy (surface);

  labels = msc_timeline_get_label_extents (timeline);
  g_assert_cmpuint (labels->len, >=, 2);
  for (guint i = 0; i < labels->len; i++)
    {
      const GdkRectangle *label = &g_array_index (labels, GdkRectangle, i);
      double mark = msc_timeline_get_mark_x (timeline, 5);

      if (i > 0)
        {
          const GdkRectangle *before = &g_array_index (labels, GdkRectangle, i - 1);

          g_assert_cmpint (before->x + before->width, <=, label->x);
        }
      cursor_labelled |= label->x <= mark && mark <= label->x + label->width;
    }
  g_assert_true (cursor_labelled);
  gtk_widget_destroy (window);
}

/* The status bar's "N new, N removed, N changed" = the rows marked so in
 * the Details view (its Change column), with and without free regions. */
static void
assert_counts_match_rows (MscWindow *window)
{
  GtkTreeModel *model = GTK_TREE_MODEL (details_model (window));
  const char *text = msc_status_bar_get_text (msc_window_get_status_bar (window));
  const char *changes = strstr (text, "Changes from");
  const char *counts = changes != NULL ? strstr (changes, ": ") : NULL;
  guint shown_new = 0, shown_removed = 0, shown_changed = 0;
  guint rows_new = 0, rows_removed = 0, rows_changed = 0;
  GtkTreeIter iter;

  g_assert_nonnull (counts);
  g_assert_cmpint (sscanf (counts, ": %u new, %u removed, %u changed", &shown_new, &shown_removed, &shown_changed), ==, 3);
  for (gboolean valid = gtk_tree_model_get_iter_first (model, &iter); valid; valid = gtk_tree_model_iter_next (model, &iter))
    {
      g_autofree char *change = ui_test_cell (model, &iter, MSC_DETAILS_COLUMN_CHANGE);

      rows_new += g_str_equal (change, "New");
      rows_removed += g_str_equal (change, "Removed");
      rows_changed += g_str_equal (change, "Changed");
    }
  g_assert_cmpuint (shown_new, ==, rows_new);
  g_assert_cmpuint (shown_removed, ==, rows_removed);
  g_assert_cmpuint (shown_changed, ==, rows_changed);
  g_assert_cmpuint (rows_new + rows_removed + rows_changed, >, 0);
}

static void
append_region (MscRegionTable *table,
               guint64         address,
               guint64         size,
               MscUseType      type,
               gboolean        sub_block)
{
  MscRegion region = {
    .address = address, .size = size, .committed = type == MSC_TYPE_FREE ? 0 : size,
    .blocks = sub_block ? 0 : 1, .protection = type == MSC_TYPE_FREE ? 0 : MSC_PAGE_READWRITE,
    .storage = type == MSC_TYPE_FREE ? MSC_MEM_FREE : MSC_MEM_PRIVATE, .type = type,
    .flags = sub_block ? MSC_REGION_SUBBLOCK : 0,
  };

  g_assert_cmpint (msc_region_table_append (table, &region, NULL), ==, 0);
}

/* Two snapshots: B has one new allocation of three blocks (four records,
 * one row), where A had free space. */
static char *
write_new_allocation_capture (void)
{
  g_autoptr(MscProcess) process = msc_process_new (4242, "counts", 64);
  g_autoptr(MscSession) session = msc_session_new (process);
  MscRegionTable *a = msc_region_table_new ();
  MscRegionTable *b = msc_region_table_new ();
  g_autoptr(MscSnapshot) snapshot_a = NULL;
  g_autoptr(MscSnapshot) snapshot_b = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (g_get_tmp_dir (), "memscope-change-counts.mmp", NULL);

  append_region (a, 0x10000, 0x10000, MSC_TYPE_PRIVATE_DATA, FALSE);
  append_region (a, 0x20000, 0x30000, MSC_TYPE_FREE, FALSE);
  append_region (b, 0x10000, 0x10000, MSC_TYPE_PRIVATE_DATA, FALSE);
  append_region (b, 0x20000, 0x30000, MSC_TYPE_HEAP, FALSE);
  for (int k = 0; k < 3; k++)
    append_region (b, 0x20000 + k * 0x10000, 0x10000, MSC_TYPE_HEAP, TRUE);
  snapshot_a = msc_snapshot_new (134000000000000000, 0, a);
  snapshot_b = msc_snapshot_new (134000000010000000, 0, b);
  msc_session_add_snapshot (session, snapshot_a);
  msc_session_add_snapshot (session, snapshot_b);
  g_assert_true (msc_session_save (session, path, MSC_FILE_FORMAT_MMP, &error));
  return path;
}

static void
test_change_counts (void)
{
  g_autofree char *path = write_new_allocation_capture ();
  MscWindow *window = ui_test_open_capture (path);

  g_action_group_change_action_state (G_ACTION_GROUP (window), "show-changes", g_variant_new_boolean (TRUE));
  ui_test_flush ();
  assert_counts_match_rows (window);
  g_action_group_change_action_state (G_ACTION_GROUP (window), "show-free-regions", g_variant_new_boolean (TRUE));
  ui_test_flush ();
  assert_counts_match_rows (window);
  g_action_group_change_action_state (G_ACTION_GROUP (window), "show-free-regions", g_variant_new_boolean (FALSE));
  gtk_widget_destroy (GTK_WIDGET (window));
  g_unlink (path);
}

/* An allocation that lost sub-blocks shows B's and A's removed ones
 * together, in address order: A has blocks at 0x10000, 0x11000, 0x12000; B
 * keeps the first and third and adds one at 0x13000. */
static void
test_merged_sub_blocks (void)
{
  static const struct { guint64 address; MscDiffStatus status; } expected[] = {
    { 0x10000, MSC_DIFF_SAME }, { 0x11000, MSC_DIFF_REMOVED },
    { 0x12000, MSC_DIFF_SAME }, { 0x13000, MSC_DIFF_NEW },
  };
  MscRegionTable *a = msc_region_table_new ();
  MscRegionTable *b = msc_region_table_new ();
  g_autoptr(MscSnapshot) snapshot_a = NULL;
  g_autoptr(MscSnapshot) snapshot_b = NULL;
  g_autoptr(MscDiff) diff = NULL;
  g_autoptr(MscDetailsModel) model = NULL;
  GtkTreeModel *tree;
  GtkTreeIter top, iter;

  append_region (a, 0x10000, 0x3000, MSC_TYPE_PRIVATE_DATA, FALSE);
  append_region (b, 0x10000, 0x4000, MSC_TYPE_PRIVATE_DATA, FALSE);
  for (int k = 0; k < 4; k++)
    {
      if (k < 3)
        append_region (a, 0x10000 + k * 0x1000, 0x1000, MSC_TYPE_PRIVATE_DATA, TRUE);
      if (k != 1)
        append_region (b, 0x10000 + k * 0x1000, 0x1000, MSC_TYPE_PRIVATE_DATA, TRUE);
    }
  snapshot_a = msc_snapshot_new (1, 0, a);
  snapshot_b = msc_snapshot_new (2, 0, b);
  diff = msc_diff_new (snapshot_a, snapshot_b);
  model = msc_details_model_new (snapshot_b, diff, MSC_DETAILS_ALL_TYPES, FALSE, 16);
  tree = GTK_TREE_MODEL (model);
  g_assert_true (gtk_tree_model_get_iter_first (tree, &top));
  iter = top;
  g_assert_false (gtk_tree_model_iter_next (tree, &iter));
  g_assert_cmpint (gtk_tree_model_iter_n_children (tree, &top), ==, G_N_ELEMENTS (expected));
  for (guint k = 0; k < G_N_ELEMENTS (expected); k++)
    {
      MscRegion region;

      g_assert_true (gtk_tree_model_iter_nth_child (tree, &iter, &top, (int) k));
      g_assert_true (msc_details_model_get_region (model, &iter, &region));
      g_assert_cmphex (region.address, ==, expected[k].address);
      g_assert_cmpint (msc_details_model_get_status (model, &iter, NULL), ==, expected[k].status);
    }
}

/* A capture with two snapshots: the Timeline and Show Changes work; Auto
 * Refresh does not apply to a file. */
static void
test_capture_changes (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("MSC_TEST_DATA"), "model", "two-snapshots.mmp", NULL);
  MscWindow *window = ui_test_open_capture (path);
  MscSession *session = msc_window_get_session (window);
  MscTimeline *timeline;
  MscDiff *diff;
  guint first, last;

  g_assert_cmpuint (msc_session_get_n_snapshots (session), ==, 2);
  g_assert_cmpuint (msc_window_get_shown_index (window), ==, 1);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "auto-refresh"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "timeline"));

  g_action_group_change_action_state (G_ACTION_GROUP (window), "show-changes", g_variant_new_boolean (TRUE));
  ui_test_flush ();
  assert_compared (window, 0, 1);
  diff = msc_window_get_diff (window);
  /* Every change the model found is on a row of its own in the view. */
  for (guint i = 0; i < msc_diff_get_n_changes (diff); i++)
    {
      const MscDiffChange *c = msc_diff_get_change (diff, i);
      MscSnapshot *side = c->status == MSC_DIFF_REMOVED ? msc_diff_get_a (diff) : msc_diff_get_b (diff);
      gsize index = c->status == MSC_DIFF_REMOVED ? c->index_a : c->index_b;
      MscRegion r = msc_region_table_row (msc_snapshot_get_regions (side), index);
      GtkTreeIter iter;
      g_autofree char *text = NULL;

      if (msc_region_table_parent (msc_snapshot_get_regions (side), index) != MSC_NO_PARENT ||
          r.type == MSC_TYPE_FREE)
        continue;
      g_assert_true (find_row (window, r.address, &iter));
      text = ui_test_cell (GTK_TREE_MODEL (details_model (window)), &iter, MSC_DETAILS_COLUMN_CHANGE);
      g_assert_cmpstr (text, !=, "");
    }

  /* The Timeline opens on the pair shown; a click on the first mark shows
   * it alone (there is nothing before it to compare with). */
  timeline = open_timeline (window);
  g_assert_true (msc_timeline_get_selection (timeline, &first, &last));
  g_assert_cmpuint (first, ==, 0);
  g_assert_cmpuint (last, ==, 1);
  send_pointer (GTK_WIDGET (timeline), GDK_BUTTON_PRESS, msc_timeline_get_mark_x (timeline, 0), 0);
  send_pointer (GTK_WIDGET (timeline), GDK_BUTTON_RELEASE, msc_timeline_get_mark_x (timeline, 0), GDK_BUTTON1_MASK);
  ui_test_flush ();
  g_assert_cmpuint (msc_window_get_shown_index (window), ==, 0);
  g_assert_null (msc_window_get_diff (window));
  g_assert_cmpstr (atk_object_get_name (gtk_widget_get_accessible (GTK_WIDGET (timeline))), ==, "Timeline");
  /* What the session costs, in the model's own accounting. */
  {
    g_autofree char *size = g_format_size_full (msc_session_get_memory_size (session), G_FORMAT_SIZE_IEC_UNITS);
    g_autofree char *expected = g_strdup_printf ("2 snapshots, %s in memory", size);

    g_assert_cmpstr (msc_timeline_dialog_get_cost_text (MSC_TIMELINE_DIALOG (msc_window_get_timeline_dialog (window))),
                     ==, expected);
  }
  gtk_widget_destroy (GTK_WIDGET (window));
}

#ifdef MSC_TEST_LIVE
/* Options → Auto Refresh: the interval is a setting; on a live process it
 * takes snapshots by itself, one scan at a time. */
static void
test_auto_refresh (void)
{
  const char *path = g_getenv ("MSC_TEST_TARGET");
  TestTarget *target;
  MscWindow *window;
  MscSession *session;
  GSettings *settings;
  gint64 deadline;

  if (path == NULL || path[0] == '\0')
    {
      g_test_skip ("no live backend on this host");
      return;
    }
  target = test_target_start (NULL);
  window = msc_window_new (GTK_APPLICATION (ui_test_application ()));
  gtk_window_present (GTK_WINDOW (window));
  msc_window_open_process (window, (guint) target->pid);
  ui_test_wait_idle (window);
  session = msc_window_get_session (window);
  settings = msc_application_get_settings (ui_test_application ());

  g_action_group_change_action_state (G_ACTION_GROUP (window), "auto-refresh", g_variant_new_uint32 (1));
  g_assert_cmpuint (g_settings_get_uint (settings, "auto-refresh-seconds"), ==, 1);
  deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;
  while (msc_session_get_n_snapshots (session) < 3)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  g_action_group_activate_action (G_ACTION_GROUP (window), "auto-refresh", g_variant_new_uint32 (0));
  ui_test_wait_idle (window);
  {
    guint n = msc_session_get_n_snapshots (session);
    g_autoptr(GVariant) state = g_action_group_get_action_state (G_ACTION_GROUP (window), "auto-refresh");

    g_assert_cmpuint (g_variant_get_uint32 (state), ==, 0);
    deadline = g_get_monotonic_time () + 1500 * 1000;
    while (g_get_monotonic_time () < deadline)
      g_main_context_iteration (NULL, FALSE);
    g_assert_cmpuint (msc_session_get_n_snapshots (session), ==, n);
  }
  gtk_widget_destroy (GTK_WIDGET (window));
  test_target_stop (target);
}
#endif

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  ui_test_application ();

  g_test_add_func ("/ui/timeline/capture", test_capture_changes);
  g_test_add_func ("/ui/timeline/change-counts", test_change_counts);
  g_test_add_func ("/ui/timeline/merged-sub-blocks", test_merged_sub_blocks);
  g_test_add_func ("/ui/timeline/labels-do-not-overlap", test_labels_do_not_overlap);
#ifdef MSC_TEST_LIVE
  g_test_add_func ("/ui/timeline/live", test_live_timeline);
  g_test_add_func ("/ui/timeline/auto-refresh", test_auto_refresh);
#endif
  return g_test_run ();
}
