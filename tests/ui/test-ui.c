/* test-ui.c — the GTK window driven as a user would, checked against the
 * model (the region table read straight from the file) and the file system.
 * Runs under xvfb-run (tests/ui/meson.build).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "model/core/msc-format.h"
#include "model/msc-loader.h"
#include "model/msc-mmp-reader.h"
#include "ui/msc-details-model.h"
#include "ui/msc-strings-dialog.h"
#include "ui-test-util.h"

#define SAMPLE "sample.mmp"

/* The sample's model, loaded independently of the window. */
static MscSnapshot *
load_sample_snapshot (MscSession **session_out)
{
  g_autofree char *path = g_build_filename (g_getenv ("MSC_SAMPLES"), SAMPLE, NULL);
  g_autoptr(GError) error = NULL;
  MscSession *session = msc_loader_load (path, NULL, &error);

  g_assert_no_error (error);
  *session_out = session;
  return msc_session_get_latest (session);
}

static guint
count_top_level (const MscRegionTable *table,
                 int                   type)
{
  guint n = 0;

  for (gsize k = 0; k < msc_region_table_n_top_level (table); k++)
    if (msc_region_table_row (table, msc_region_table_top_level (table, k)).type == type)
      n++;
  return n;
}

static void
assert_message_has (MscWindow  *window,
                    const char *text)
{
  const char *message = msc_window_get_message (window);

  g_assert_nonnull (message);
  if (strstr (message, text) == NULL)
    g_error ("the message bar says “%s”, without “%s”", message, text);
}

static GtkTreeModel *
details_model (MscWindow *window)
{
  return gtk_tree_view_get_model (msc_details_view_get_tree_view (msc_window_get_details_view (window)));
}

static void
assert_summary_cell (const char *shown,
                     guint64     bytes,
                     gboolean    known,
                     gboolean    count)
{
  if (!known)
    g_assert_cmpstr (shown, ==, "n/a");
  else
    g_assert_cmpuint (ui_test_parse_kb (shown), ==, count ? bytes : ui_test_kb (bytes));
}

static void
assert_summary_row (GtkTreeModel        *model,
                    GtkTreeIter         *iter,
                    const MscSummaryRow *row)
{
  const guint64 values[] = { row->size, row->committed, row->private_bytes, row->total_ws, row->private_ws,
                             row->shareable_ws, row->shared_ws, row->locked_ws, row->blocks, row->largest };

  for (guint c = 0; c < G_N_ELEMENTS (values); c++)
    {
      g_autofree char *shown = ui_test_cell (model, iter, 2 + c);
      gboolean known = c < 3 || c > 7 || (row->ws_known && (c != 7 || row->locked_known));

      assert_summary_cell (shown, values[c], known, c == 8);
    }
}

/* The Summary view shows summary, row by row (Total first, as VMMap). */
static void
assert_summary_view (MscWindow        *window,
                     const MscSummary *summary)
{
  GtkTreeModel *model = gtk_tree_view_get_model (msc_summary_view_get_tree_view (msc_window_get_summary_view (window)));
  GtkTreeIter iter;

  g_assert_cmpint (gtk_tree_model_iter_n_children (model, NULL), ==, MSC_N_TYPES + 1);
  g_assert_true (gtk_tree_model_get_iter_first (model, &iter));
  assert_summary_row (model, &iter, &summary->total);
  for (int t = 0; t < MSC_N_TYPES; t++)
    {
      g_autofree char *name = NULL;

      g_assert_true (gtk_tree_model_iter_next (model, &iter));
      name = ui_test_cell (model, &iter, 1);
      g_assert_cmpstr (name, ==, msc_use_type_name (t));
      assert_summary_row (model, &iter, &summary->types[t]);
    }
}

/* Summary rows = the model's summary, row by row (Total first, as VMMap). */
static void
test_summary_matches_model (void)
{
  g_autoptr(MscSession) session = NULL;
  const MscSummary *summary = msc_snapshot_get_summary (load_sample_snapshot (&session));
  MscWindow *window = ui_test_open_capture (SAMPLE);

  assert_summary_view (window, summary);
  g_assert_cmpuint (msc_graph_get_value (msc_window_get_graph (window, MSC_GRAPH_COMMITTED), MSC_TYPE_HEAP),
                    ==, summary->types[MSC_TYPE_HEAP].committed);
  g_assert_cmpuint (msc_graph_get_scale (msc_window_get_graph (window, MSC_GRAPH_PRIVATE_BYTES)),
                    ==, summary->total.private_bytes);
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* Selecting a type in the Summary lists only that type's regions. */
static void
test_select_type_filters_details (void)
{
  g_autoptr(MscSession) session = NULL;
  const MscRegionTable *table = msc_snapshot_get_regions (load_sample_snapshot (&session));
  MscWindow *window = ui_test_open_capture (SAMPLE);
  MscSummaryView *summary = msc_window_get_summary_view (window);
  GtkTreeModel *model;
  GtkTreeIter iter;
  gboolean valid;
  guint n_heap = count_top_level (table, MSC_TYPE_HEAP);

  g_assert_cmpuint (n_heap, >, 1);
  msc_summary_view_set_selected_type (summary, MSC_TYPE_HEAP);
  ui_test_flush ();
  model = details_model (window);
  g_assert_cmpint (gtk_tree_model_iter_n_children (model, NULL), ==, n_heap);
  for (valid = gtk_tree_model_get_iter_first (model, &iter); valid; valid = gtk_tree_model_iter_next (model, &iter))
    {
      g_autofree char *type = ui_test_cell (model, &iter, MSC_DETAILS_COLUMN_TYPE);

      g_assert_true (g_str_has_prefix (type, "Heap"));
    }

  /* Total: every region but Free (and Page Table, which has no regions). */
  msc_summary_view_set_selected_type (summary, -1);
  ui_test_flush ();
  model = details_model (window);
  g_assert_cmpint (gtk_tree_model_iter_n_children (model, NULL), ==,
                   msc_region_table_n_top_level (table) - count_top_level (table, MSC_TYPE_FREE));
  gtk_widget_destroy (GTK_WIDGET (window));
}

static guint
count_expanded (GtkTreeView *view,
                guint       *n_parents)
{
  GtkTreeModel *model = gtk_tree_view_get_model (view);
  GtkTreeIter iter;
  guint expanded = 0;

  *n_parents = 0;
  for (gboolean valid = gtk_tree_model_get_iter_first (model, &iter); valid;
       valid = gtk_tree_model_iter_next (model, &iter))
    {
      g_autoptr(GtkTreePath) path = NULL;

      if (!gtk_tree_model_iter_has_child (model, &iter))
        continue;
      (*n_parents)++;
      path = gtk_tree_model_get_path (model, &iter);
      expanded += gtk_tree_view_row_expanded (view, path);
    }
  return expanded;
}

/* Options → Expand All / Collapse All; Show Free Regions adds the free ones. */
static void
test_expand_and_show_free (void)
{
  g_autoptr(MscSession) session = NULL;
  const MscRegionTable *table = msc_snapshot_get_regions (load_sample_snapshot (&session));
  MscWindow *window = ui_test_open_capture (SAMPLE);
  GtkTreeView *view = msc_details_view_get_tree_view (msc_window_get_details_view (window));
  guint n_before = gtk_tree_model_iter_n_children (details_model (window), NULL);
  guint n_parents;

  ui_test_activate (window, "expand-all");
  g_assert_cmpuint (count_expanded (view, &n_parents), ==, n_parents);
  g_assert_cmpuint (n_parents, >, 0);
  ui_test_activate (window, "collapse-all");
  g_assert_cmpuint (count_expanded (view, &n_parents), ==, 0);

  g_action_group_change_action_state (G_ACTION_GROUP (window), "show-free-regions", g_variant_new_boolean (TRUE));
  ui_test_flush ();
  g_assert_cmpint (gtk_tree_model_iter_n_children (details_model (window), NULL), ==,
                   n_before + count_top_level (table, MSC_TYPE_FREE));
  g_action_group_change_action_state (G_ACTION_GROUP (window), "show-free-regions", g_variant_new_boolean (FALSE));
  ui_test_flush ();
  g_assert_cmpint (gtk_tree_model_iter_n_children (details_model (window), NULL), ==, n_before);
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* Edit → Copy All puts VMMap's text export on the clipboard. */
/* The line Copy All gives a row: its cells as the view shows them. */
static char *
row_line (GtkTreeModel *model,
          GtkTreeIter  *iter,
          int           first,
          int           last)
{
  g_autoptr(GString) line = g_string_new (NULL);

  for (int c = first; c <= last; c++)
    {
      g_autofree char *cell = ui_test_cell (model, iter, c);

      g_string_append (line, cell);
      g_string_append_c (line, c < last ? '\t' : '\n');
    }
  return g_string_free (g_steal_pointer (&line), FALSE);
}

/* Copy All copies the display: every Summary row shown (Unusable at 0
 * too) and, with Show Free Regions, every Details row shown, free ones
 * included, cell for cell. */
static void
test_copy_all (void)
{
  g_autoptr(MscSession) session = NULL;
  MscProcess *process;
  MscWindow *window = ui_test_open_capture (SAMPLE);
  GtkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (window), GDK_SELECTION_CLIPBOARD);
  GtkTreeModel *summary = gtk_tree_view_get_model (msc_summary_view_get_tree_view (msc_window_get_summary_view (window)));
  GtkTreeModel *details;
  g_autofree char *text = NULL;
  g_autofree char *pid_line = NULL;
  GtkTreeIter iter;
  guint n_lines = 0;

  load_sample_snapshot (&session);
  process = msc_session_get_process (session);
  g_action_group_change_action_state (G_ACTION_GROUP (window), "show-free-regions", g_variant_new_boolean (TRUE));
  ui_test_flush ();
  details = details_model (window);
  g_assert_cmpuint (count_top_level (msc_snapshot_get_regions (msc_session_get_latest (session)), MSC_TYPE_FREE), >, 0);
  gtk_clipboard_set_text (clipboard, "", -1);
  ui_test_activate (window, "copy-all");
  text = gtk_clipboard_wait_for_text (clipboard);
  g_assert_nonnull (text);

  g_assert_true (g_str_has_prefix (text, "Process:"));
  g_assert_nonnull (strstr (text, msc_process_get_name (process)));
  pid_line = g_strdup_printf ("PID: %u", msc_process_get_pid (process));
  g_assert_nonnull (strstr (text, pid_line));
  for (gboolean valid = gtk_tree_model_get_iter_first (summary, &iter); valid; valid = gtk_tree_model_iter_next (summary, &iter))
    {
      g_autofree char *line = row_line (summary, &iter, 1, 11);

      g_assert_nonnull (strstr (text, line));
    }
  g_assert_nonnull (strstr (text, "\nUnusable\t"));
  for (gboolean valid = gtk_tree_model_get_iter_first (details, &iter); valid; valid = gtk_tree_model_iter_next (details, &iter))
    {
      g_autofree char *line = row_line (details, &iter, MSC_DETAILS_COLUMN_ADDRESS, MSC_DETAILS_COLUMN_DETAILS);
      g_autofree char *wanted = g_strconcat ("\n", line, NULL);

      g_assert_nonnull (strstr (text, wanted));
      n_lines++;
    }
  g_assert_cmpuint (n_lines, ==, msc_details_model_get_n_rows (MSC_DETAILS_MODEL (details)));
  g_action_group_change_action_state (G_ACTION_GROUP (window), "show-free-regions", g_variant_new_boolean (FALSE));
  gtk_widget_destroy (GTK_WIDGET (window));
}

static char *
read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  g_assert_no_error (error);
  return contents;
}

static GtkWidget *
find_message_dialog (void)
{
  return ui_test_find_toplevel (GTK_TYPE_MESSAGE_DIALOG, TRUE);
}

/* `memscope -p NAME` (app.open-process): a name no process has is said in a
 * dialog over a window of its own, not on a console the GUI may not have. */
static void
test_open_process_error_in_window (void)
{
  MscApplication *application = ui_test_application ();
  g_autoptr(GList) before = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (application)));
  GtkWidget *dialog;
  MscWindow *window = NULL;
  const char *secondary = NULL;

  g_action_group_activate_action (G_ACTION_GROUP (application), "open-process",
                                  g_variant_new_string ("no-process-has-this-name"));
  ui_test_flush ();
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (application)); l != NULL; l = l->next)
    if (MSC_IS_WINDOW (l->data) && g_list_find (before, l->data) == NULL)
      window = l->data;
  g_assert_nonnull (window);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (GTK_WINDOW (dialog)) == GTK_WINDOW (window));
  g_object_get (dialog, "secondary-text", &secondary, NULL);
  g_assert_nonnull (strstr (secondary, "no process whose name begins with “no-process-has-this-name”"));
  g_free ((char *) secondary);
  gtk_widget_destroy (dialog);
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* File → Save As: .mmp round trip is byte-identical (the sample was written
 * by the same writer); a name without extension gets .mmp as in VMMap; a
 * failed save says why and keeps the window as it was. */
static void
test_save_and_reload (void)
{
  g_autofree char *dir = g_dir_make_tmp ("msc-ui-XXXXXX", NULL);
  g_autofree char *sample = g_build_filename (g_getenv ("MSC_SAMPLES"), SAMPLE, NULL);
  g_autofree char *saved = g_build_filename (dir, "capture.mmp", NULL);
  g_autofree char *bare = g_build_filename (dir, "bare", NULL);
  g_autofree char *bare_mmp = g_build_filename (dir, "bare.mmp", NULL);
  g_autofree char *bad = g_build_filename (dir, "missing", "x.mmp", NULL);
  g_autofree char *original = read_file (sample);
  g_autofree char *copy = NULL;
  g_autoptr(GFile) file = g_file_new_for_path (saved);
  g_autoptr(GFile) bare_file = g_file_new_for_path (bare);
  g_autoptr(GFile) bad_file = g_file_new_for_path (bad);
  MscWindow *window = ui_test_open_capture (SAMPLE);
  MscWindow *reopened;
  GtkWidget *dialog;

  /* In the background: busy until written, then Save writes there. */
  msc_window_save_to (window, file);
  g_assert_true (msc_window_get_busy (window));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "save"));
  ui_test_wait_idle (window);
  g_assert_null (find_message_dialog ());
  copy = read_file (saved);
  g_assert_cmpstr (copy, ==, original);
  g_assert_true (g_file_equal (msc_window_get_file (window), file));
  msc_window_save_to (window, bare_file);
  ui_test_wait_idle (window);
  g_assert_true (g_file_test (bare_mmp, G_FILE_TEST_IS_REGULAR));

  /* A failure is explained; the window and its document stay. */
  msc_window_save_to (window, bad_file);
  ui_test_wait_idle (window);
  dialog = find_message_dialog ();
  g_assert_nonnull (dialog);
  {
    g_autofree char *secondary = NULL;

    g_object_get (dialog, "secondary-text", &secondary, NULL);
    g_assert_nonnull (strstr (secondary, "x.mmp"));
  }
  gtk_widget_destroy (dialog);
  g_assert_nonnull (msc_window_get_session (window));
  g_assert_nonnull (msc_window_get_file (window));

  reopened = ui_test_open_capture (saved);
  g_assert_cmpmem (msc_snapshot_get_summary (msc_session_get_latest (msc_window_get_session (reopened))),
                   sizeof (MscSummary),
                   msc_snapshot_get_summary (msc_session_get_latest (msc_window_get_session (window))),
                   sizeof (MscSummary));
  gtk_widget_destroy (GTK_WIDGET (reopened));
  gtk_widget_destroy (GTK_WIDGET (window));
  g_remove (saved);
  g_remove (bare_mmp);
  g_rmdir (dir);
}

/* A corrupt capture: an error dialog, and the window stays usable. */
static void
test_open_error_keeps_window (void)
{
  g_autofree char *bad = g_build_filename (g_getenv ("MSC_TEST_DATA"), "model", "bad-truncated.mmp", NULL);
  MscWindow *window = ui_test_open_capture (bad);
  GtkWidget *dialog = find_message_dialog ();

  g_assert_nonnull (dialog);
  g_assert_null (msc_window_get_session (window));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "open"));
  gtk_widget_destroy (dialog);
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* Accessible names, so AT-SPI tools (dogtail) can find the main widgets. */
static void
test_accessible_names (void)
{
  MscWindow *window = ui_test_open_capture (SAMPLE);
  GtkWidget *summary = GTK_WIDGET (msc_summary_view_get_tree_view (msc_window_get_summary_view (window)));
  GtkWidget *details = GTK_WIDGET (msc_window_get_details_view (window));

  g_assert_cmpstr (atk_object_get_name (gtk_widget_get_accessible (summary)), ==, "Summary");
  g_assert_cmpstr (atk_object_get_name (gtk_widget_get_accessible (details)), ==, "Details");
  g_assert_cmpstr (atk_object_get_name (gtk_widget_get_accessible (GTK_WIDGET (msc_window_get_status_bar (window)))),
                   ==, "Status");
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* Type-ahead: hex digits find an address, words find Details text. */
static void
test_type_ahead (void)
{
  MscWindow *window = ui_test_open_capture (SAMPLE);
  GtkTreeView *view = msc_details_view_get_tree_view (msc_window_get_details_view (window));
  GtkTreeViewSearchEqualFunc equal = gtk_tree_view_get_search_equal_func (view);
  MscDetailsModel *model = MSC_DETAILS_MODEL (gtk_tree_view_get_model (view));
  GtkTreeIter iter;
  gboolean found_heap = FALSE;

  for (gboolean valid = gtk_tree_model_get_iter_first (GTK_TREE_MODEL (model), &iter); valid;
       valid = gtk_tree_model_iter_next (GTK_TREE_MODEL (model), &iter))
    {
      MscRegion region = ui_test_region (GTK_TREE_MODEL (model), &iter);
      g_autofree char *address = g_strdup_printf ("%" G_GINT64_MODIFIER "X", region.address);
      g_autofree char *prefixed = g_strdup_printf ("0x%.6s", address);

      /* FALSE means "matches" for a GtkTreeViewSearchEqualFunc. */
      g_assert_false (equal (GTK_TREE_MODEL (model), 0, address, &iter, NULL));
      g_assert_false (equal (GTK_TREE_MODEL (model), 0, prefixed, &iter, NULL));
      if (strstr (msc_details_model_get_details (model, &iter), "Heap ID") != NULL)
        {
          found_heap = TRUE;
          g_assert_false (equal (GTK_TREE_MODEL (model), 0, "heap id", &iter, NULL));
        }
      else
        g_assert_true (equal (GTK_TREE_MODEL (model), 0, "heap id", &iter, NULL));
    }
  g_assert_true (found_heap);
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* Sorting by a column orders the top-level rows by that figure. */
static void
test_sort_by_size (void)
{
  MscWindow *window = ui_test_open_capture (SAMPLE);
  GtkTreeView *view = msc_details_view_get_tree_view (msc_window_get_details_view (window));
  MscDetailsModel *model = MSC_DETAILS_MODEL (gtk_tree_view_get_model (view));
  GtkTreeIter iter;
  guint64 previous = G_MAXUINT64;

  gtk_tree_sortable_set_sort_column_id (GTK_TREE_SORTABLE (model), MSC_DETAILS_COLUMN_SIZE, GTK_SORT_DESCENDING);
  ui_test_flush ();
  for (gboolean valid = gtk_tree_model_get_iter_first (GTK_TREE_MODEL (model), &iter); valid;
       valid = gtk_tree_model_iter_next (GTK_TREE_MODEL (model), &iter))
    {
      guint64 size = ui_test_region (GTK_TREE_MODEL (model), &iter).size;

      g_assert_cmpuint (size, <=, previous);
      previous = size;
    }
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* Strings… and Empty Working Set need the live process, as in VMMap: a
 * capture has neither, whatever is selected. */
static void
test_memory_actions_need_live_process (void)
{
  MscWindow *window = ui_test_open_capture (SAMPLE);
  MscDetailsView *details = msc_window_get_details_view (window);
  GtkTreeModel *model = details_model (window);
  GtkTreeIter iter;

  g_assert_true (gtk_tree_model_get_iter_first (model, &iter));
  gtk_tree_selection_select_iter (gtk_tree_view_get_selection (msc_details_view_get_tree_view (details)), &iter);
  ui_test_flush ();
  g_assert_true (msc_details_view_get_selected_region (details, NULL, NULL));
  /* Strings… stays in the menu to say why it cannot read a capture. */
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "strings"));
  ui_test_activate (window, "strings");
  ui_test_flush ();
  g_assert_null (ui_test_find_toplevel (MSC_TYPE_STRINGS_DIALOG, FALSE));
  g_assert_nonnull (msc_window_get_message (window));
  assert_message_has (window, "capture from a file");
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "empty-working-set"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "copy-address"));
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* A live scan of the test target, then Refresh (F5) adds a snapshot; a
 * cancelled refresh ends quietly with no error dialog. */
static void
test_live_refresh (void)
{
  const char *path = g_getenv ("MSC_TEST_TARGET");
  g_autoptr(GSubprocess) target = NULL;
  MscWindow *window;
  MscSession *session;
  guint pid;

  if (path == NULL || path[0] == '\0')
    {
      g_test_skip ("no live backend on this host");
      return;
    }
  target = ui_test_start_target (&pid);
  window = msc_window_new (GTK_APPLICATION (ui_test_application ()));
  gtk_window_present (GTK_WINDOW (window));
  msc_window_open_process (window, pid);
  ui_test_wait_idle (window);

  session = ui_test_assert_live_window (window, pid);

  /* Busy at once, before the main loop can deliver the scan's result. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "refresh", NULL);
  g_assert_true (msc_window_get_busy (window));
  ui_test_wait_idle (window);
  g_assert_cmpuint (msc_session_get_n_snapshots (session), ==, 2);

  /* Cancel before the main loop runs: a fast scan could finish first. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "refresh", NULL);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "cancel"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "cancel", NULL);
  ui_test_wait_idle (window);
  g_assert_null (find_message_dialog ());
  g_assert_cmpuint (msc_session_get_n_snapshots (session), >=, 2);
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "refresh"));
  gtk_widget_destroy (GTK_WIDGET (window));
  ui_test_stop_target (target);
}

/* VMMap's own CSV and text exports open in the window like a capture; Save
 * asks for a name rather than writing XML over the export (a .mmp it would
 * rewrite in place). */
static void
test_open_vmmap_exports (void)
{
  const char *names[] = { "vmmap.csv", "vmmap.txt" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autofree char *path = g_build_filename (g_getenv ("MSC_TEST_DATA"), "import", names[i], NULL);
      g_autoptr(GError) error = NULL;
      g_autoptr(MscSession) session = msc_loader_load (path, NULL, &error);
      MscWindow *window;

      g_assert_no_error (error);
      window = ui_test_open_capture (path);
      g_assert_null (find_message_dialog ());
      assert_summary_view (window, msc_snapshot_get_summary (msc_session_get_latest (session)));
      g_assert_null (msc_window_get_file (window));
      gtk_widget_destroy (GTK_WIDGET (window));
    }
  {
    MscWindow *window = ui_test_open_capture (SAMPLE);

    g_assert_nonnull (msc_window_get_file (window));
    gtk_widget_destroy (GTK_WIDGET (window));
  }
}

/* CSV, text and Copy All hold one snapshot: the one on screen (a Timeline
 * pick), not the latest; a .mmp keeps them all. */
static void
test_export_shown_snapshot (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("MSC_TEST_DATA"), "model", "two-snapshots.mmp", NULL);
  g_autofree char *dir = g_dir_make_tmp ("msc-ui-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "older.csv", NULL);
  g_autofree char *mmp = g_build_filename (dir, "all.mmp", NULL);
  g_autofree char *txt = g_build_filename (dir, "older.txt", NULL);
  g_autofree char *txt_text = NULL, *copied = NULL;
  g_autoptr(GFile) txt_file = g_file_new_for_path (txt);
  g_autoptr(GFile) csv_file = g_file_new_for_path (csv);
  g_autoptr(GFile) mmp_file = g_file_new_for_path (mmp);
  g_autoptr(GError) error = NULL;
  g_autoptr(MscSession) exported = NULL;
  g_autoptr(MscSession) all = NULL;
  MscWindow *window = ui_test_open_capture (path);
  MscSession *session = msc_window_get_session (window);
  const MscSummary *older, *newer, *got;

  g_assert_cmpuint (msc_session_get_n_snapshots (session), ==, 2);
  older = msc_snapshot_get_summary (msc_session_get_snapshot (session, 0));
  newer = msc_snapshot_get_summary (msc_session_get_snapshot (session, 1));
  g_assert_cmpuint (older->total.committed, !=, newer->total.committed);
  msc_window_show_snapshot (window, 0);
  /* Each save says what went into which file. */
  msc_window_save_to (window, csv_file);
  ui_test_wait_idle (window);
  assert_message_has (window, "snapshot on screen");
  assert_message_has (window, csv);
  msc_window_save_to (window, mmp_file);
  ui_test_wait_idle (window);
  assert_message_has (window, "all 2 snapshots");
  assert_message_has (window, mmp);
  msc_window_save_to (window, txt_file);
  ui_test_wait_idle (window);
  assert_message_has (window, txt);
  g_assert_null (find_message_dialog ());
  /* Copy All and the text export both hold the snapshot shown. */
  copied = msc_window_dup_text (window, &error);
  g_assert_no_error (error);
  txt_text = read_file (txt);
  {
    char size[MSC_FORMAT_KB_LEN], committed[MSC_FORMAT_KB_LEN];
    g_autofree char *total = NULL;

    msc_format_kb (older->total.size, TRUE, size, sizeof size);
    msc_format_kb (older->total.committed, TRUE, committed, sizeof committed);
    total = g_strdup_printf ("\nTotal\t%s\t%s\t", size, committed);
    g_assert_nonnull (strstr (copied, total));
    g_assert_nonnull (strstr (txt_text, committed));
  }

  exported = msc_loader_load (csv, NULL, &error);
  g_assert_no_error (error);
  got = msc_snapshot_get_summary (msc_session_get_latest (exported));
  g_assert_cmpuint (got->total.committed, ==, ui_test_kb (older->total.committed) * 1024);
  all = msc_loader_load (mmp, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (msc_session_get_n_snapshots (all), ==, 2);
  gtk_widget_destroy (GTK_WIDGET (window));
  g_remove (csv);
  g_remove (mmp);
  g_remove (txt);
  g_rmdir (dir);
}

static gboolean
weak_ref_cleared (gpointer data)
{
  g_autoptr(GObject) alive = g_weak_ref_get (data);

  return alive == NULL;
}

/* Closing a window keeps its size for the next one, and a load still under
 * way is cancelled: its late result must not touch the destroyed widgets
 * (a CRITICAL is fatal here). */
static void
test_close_saves_size_and_cancels (void)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.memscope.Memscope");
  g_autofree char *path = g_build_filename (g_getenv ("MSC_SAMPLES"), SAMPLE, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  MscWindow *window = ui_test_open_capture (SAMPLE);
  int width, height;

  gtk_window_resize (GTK_WINDOW (window), 1000, 700);
  ui_test_iterate_for (300);
  gtk_window_get_size (GTK_WINDOW (window), &width, &height);
  g_assert_cmpint (width, ==, 1000);
  gtk_widget_destroy (GTK_WIDGET (window));
  g_assert_cmpint (g_settings_get_int (settings, "window-width"), ==, width);
  g_assert_cmpint (g_settings_get_int (settings, "window-height"), ==, height);

  window = msc_window_new (GTK_APPLICATION (ui_test_application ()));
  gtk_window_present (GTK_WINDOW (window));
  {
    int new_width, new_height;

    gtk_window_get_default_size (GTK_WINDOW (window), &new_width, &new_height);
    g_assert_cmpint (new_width, ==, width);
    g_assert_cmpint (new_height, ==, height);
  }
  msc_window_open_file (window, file);
  g_assert_true (msc_window_get_busy (window));
  g_object_ref (window);
  gtk_widget_destroy (GTK_WIDGET (window));
  /* The load's callback holds the last reference: the window is finalized
   * once it has run. */
  {
    GWeakRef weak;

    g_weak_ref_init (&weak, window);
    g_object_unref (window);
    g_assert_true (ui_test_wait_until (weak_ref_cleared, &weak));
    g_weak_ref_clear (&weak);
  }
}

/* The Details column shows control characters escaped, as --text does: a
 * newline in a path cannot start a fake row (issue 15, defect 5); the raw
 * text stays available for copying and search. */
static void
test_details_escaped (void)
{
  MscRegionTable *table = msc_region_table_new ();
  const MscRegion region = {
    .address = 0x10000, .size = 0x1000, .committed = 0x1000, .blocks = 1,
    .protection = MSC_PAGE_READWRITE, .type = MSC_TYPE_MAPPED_FILE,
  };
  g_autoptr(MscSnapshot) snapshot = NULL;
  g_autoptr(MscDetailsModel) model = NULL;
  g_autofree char *shown = NULL;
  GtkTreeIter iter;

  g_assert_cmpint (msc_region_table_append (table, &region, "/tmp/a\nb\x1b[2J\xe2\x80\xae.so"), ==, 0);
  snapshot = msc_snapshot_new (1, 0, table);
  model = msc_details_model_new (snapshot, NULL, MSC_DETAILS_ALL_TYPES, FALSE, 16);
  g_assert_true (gtk_tree_model_get_iter_first (GTK_TREE_MODEL (model), &iter));
  gtk_tree_model_get (GTK_TREE_MODEL (model), &iter, MSC_DETAILS_COLUMN_DETAILS, &shown, -1);
  g_assert_cmpstr (shown, ==, "/tmp/a\\nb\\x1B[2J\\u202E.so");
  g_assert_cmpstr (msc_details_model_get_details (model, &iter), ==, "/tmp/a\nb\x1b[2J\xe2\x80\xae.so");
}

int
main (int argc, char **argv)
{
  ui_test_init (&argc, &argv);
  ui_test_application ();

  g_test_add_func ("/ui/summary-matches-model", test_summary_matches_model);
  g_test_add_func ("/ui/details-escaped", test_details_escaped);
  g_test_add_func ("/ui/select-type-filters-details", test_select_type_filters_details);
  g_test_add_func ("/ui/expand-and-show-free", test_expand_and_show_free);
  g_test_add_func ("/ui/copy-all", test_copy_all);
  g_test_add_func ("/ui/save-and-reload", test_save_and_reload);
  g_test_add_func ("/ui/open-error-keeps-window", test_open_error_keeps_window);
  g_test_add_func ("/ui/open-process-error-in-window", test_open_process_error_in_window);
  g_test_add_func ("/ui/open-vmmap-exports", test_open_vmmap_exports);
  g_test_add_func ("/ui/export-shown-snapshot", test_export_shown_snapshot);
  g_test_add_func ("/ui/close-saves-size-and-cancels", test_close_saves_size_and_cancels);
  g_test_add_func ("/ui/accessible-names", test_accessible_names);
  g_test_add_func ("/ui/type-ahead", test_type_ahead);
  g_test_add_func ("/ui/sort-by-size", test_sort_by_size);
  g_test_add_func ("/ui/memory-actions-need-live-process", test_memory_actions_need_live_process);
  g_test_add_func ("/ui/live-refresh", test_live_refresh);
  return g_test_run ();
}
