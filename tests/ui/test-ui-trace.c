/* test-ui-trace.c — the trace dialogs on a real trace: the test target with
 * known call sites (tests/targets/msc-trace-target.c) traced by the CLI
 * (memscope --trace), its capture opened in the window. The Call Tree names
 * each site with exactly its count and bytes; Heap Allocations of the block
 * holding a leaked allocation lists it, live, with its stack; the Trace
 * dialog filters to the 64 MiB mmap; a plain capture has no trace buttons. Runs under xvfb-run, where the build can
 * trace (Linux). */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "ui/msc-call-tree-dialog.h"
#include "ui/msc-process-chooser.h"
#include "ui/msc-status-bar.h"
#include "ui/msc-details-view.h"
#include "ui/msc-heap-allocations-dialog.h"
#include "ui/msc-trace-dialog.h"
#include "ui/msc-trace-list.h"
#include "ui-test-util.h"

static char *capture_path;

/* The test target traced to a capture once for all tests. */
static char *
trace_capture (void)
{
  g_autofree char *dir = g_dir_make_tmp ("msc-ui-trace-XXXXXX", NULL);
  char *out = g_build_filename (dir, "trace.mmp", NULL);
  const char *argv[] = {
    g_getenv ("MEMSCOPE"), "--trace", "--interval", "0.3", "-o", out, "--",
    g_getenv ("MSC_TRACE_TARGET_NOFP"), g_getenv ("MSC_TRACE_LIB"), "exit", NULL,
  };
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err,
                               &status, NULL));
  /* The exit status is the traced program's own: the capture tells. */
  if (!g_file_test (out, G_FILE_TEST_EXISTS))
    g_error ("memscope --trace wrote no capture (status %d): %s", status, err);
  return out;
}

static gboolean
call_tree_ready (gpointer dialog)
{
  return !msc_call_tree_dialog_get_busy (dialog);
}

static gboolean
heap_allocations_ready (gpointer dialog)
{
  return !msc_heap_allocations_dialog_get_busy (dialog);
}

/* The row of function under parent (NULL: anywhere), depth first. */
static gboolean
find_row (GtkTreeModel *model,
          GtkTreeIter  *parent,
          const char   *function,
          GtkTreeIter  *out)
{
  GtkTreeIter iter;

  if (!gtk_tree_model_iter_children (model, &iter, parent))
    return FALSE;
  do
    {
      g_autofree char *name = ui_test_cell (model, &iter, 0);

      if (g_str_equal (name, function))
        {
          *out = iter;
          return TRUE;
        }
      if (find_row (model, &iter, function, out))
        return TRUE;
    }
  while (gtk_tree_model_iter_next (model, &iter));
  return FALSE;
}

static void
assert_site (GtkTreeModel *model,
             const char   *function,
             const char   *count,
             const char   *bytes,
             const char   *leaked)
{
  GtkTreeIter iter;
  g_autofree char *c = NULL, *b = NULL, *l = NULL;

  g_assert_true (find_row (model, NULL, function, &iter));
  c = ui_test_cell (model, &iter, 1);
  b = ui_test_cell (model, &iter, 2);
  l = ui_test_cell (model, &iter, 5);
  g_test_message ("%s: %s, %s, leaked %s", function, c, b, l);
  g_assert_cmpstr (c, ==, count);
  g_assert_cmpstr (b, ==, bytes);
  g_assert_cmpstr (l, ==, leaked);
}

static MscCallTreeDialog *
open_call_tree (MscWindow *window)
{
  MscCallTreeDialog *dialog;

  ui_test_activate (window, "call-tree");
  dialog = MSC_CALL_TREE_DIALOG (msc_window_get_call_tree_dialog (window));
  g_assert_nonnull (dialog);
  g_assert_true (ui_test_wait_until (call_tree_ready, dialog));
  return dialog;
}

/* Each call site with its known count and bytes (msc-trace-target.c). */
static void
test_call_tree (void)
{
  MscWindow *window = ui_test_open_capture (capture_path);
  MscCallTreeDialog *dialog = open_call_tree (window);
  GtkTreeView *view = msc_call_tree_dialog_get_tree_view (dialog);
  GtkTreeModel *model = gtk_tree_view_get_model (view);
  GtkTreeModel *operations = gtk_tree_view_get_model (msc_call_tree_dialog_get_operations_view (dialog));
  GtkTreeSelection *selection = gtk_tree_view_get_selection (view);
  GtkTreeIter iter;
  g_autofree char *selected = NULL;

  assert_site (model, "alloc_small", "100", "100,000", "0");
  assert_site (model, "alloc_calloc", "10", "10,000", "0");
  assert_site (model, "alloc_leak", "7", "21,000", "21,000");
  assert_site (model, "alloc_big", "1", "5,242,880", "0");

  /* Finding selects; the operations of alloc_leak are its 7 mallocs. */
  g_assert_true (msc_call_tree_dialog_find (dialog, "ALLOC_LEAK"));
  g_assert_true (gtk_tree_selection_get_selected (selection, NULL, &iter));
  selected = ui_test_cell (model, &iter, 0);
  g_assert_cmpstr (selected, ==, "alloc_leak");
  g_assert_cmpint (gtk_tree_model_iter_n_children (operations, NULL), ==, 7);
  g_assert_true (gtk_tree_model_get_iter_first (operations, &iter));
  {
    g_autofree char *op = ui_test_cell (operations, &iter, MSC_TRACE_LIST_OPERATION);
    g_autofree char *size = ui_test_cell (operations, &iter, MSC_TRACE_LIST_SIZE);

    g_assert_cmpstr (op, ==, "malloc");
    g_assert_cmpstr (size, ==, "3,000");
  }

  /* The heaviest path from the root ends at the 5 MiB malloc. */
  gtk_tree_selection_unselect_all (selection);
  msc_call_tree_dialog_expand_heaviest (dialog);
  g_assert_true (gtk_tree_selection_get_selected (selection, NULL, &iter));
  g_free (selected);
  selected = ui_test_cell (model, &iter, 0);
  g_assert_cmpstr (selected, ==, "alloc_big");
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* Heap Allocations of the block holding a leaked malloc lists it, live,
 * with the stack naming alloc_leak. */
static void
test_heap_allocations (void)
{
  MscWindow *window = ui_test_open_capture (capture_path);
  MscTrace *trace = msc_session_get_trace (msc_window_get_session (window));
  MscDetailsView *details = msc_window_get_details_view (window);
  MscHeapAllocationsDialog *dialog;
  GtkTreeModel *model;
  GtkTreeIter iter;
  guint64 leak = 0;
  gboolean found = FALSE;

  for (guint i = 0; i < msc_trace_get_n_events (trace) && leak == 0; i++)
    {
      const MscTraceRecord *e = msc_trace_get_event (trace, i);

      if (e->op == MSC_TRACE_MALLOC && g_strcmp0 (msc_trace_get_function (trace, e->stack), "alloc_leak") == 0)
        leak = e->address;
    }
  g_assert_cmpuint (leak, !=, 0);
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "heap-allocations"));
  g_assert_true (msc_details_view_select_address (details, leak));
  ui_test_activate (window, "heap-allocations");
  dialog = MSC_HEAP_ALLOCATIONS_DIALOG (msc_window_get_heap_allocations_dialog (window));
  g_assert_nonnull (dialog);
  g_assert_true (ui_test_wait_until (heap_allocations_ready, dialog));
  model = gtk_tree_view_get_model (msc_heap_allocations_dialog_get_view (dialog));
  for (gboolean valid = gtk_tree_model_get_iter_first (model, &iter); valid && !found;
       valid = gtk_tree_model_iter_next (model, &iter))
    {
      g_autofree char *address = ui_test_cell (model, &iter, MSC_TRACE_LIST_ADDRESS);
      g_autofree char *status = ui_test_cell (model, &iter, MSC_TRACE_LIST_STATUS);
      g_autofree char *function = ui_test_cell (model, &iter, MSC_TRACE_LIST_FUNCTION);

      /* Earlier blocks at the same address (freed ones of alloc_small) are
       * listed too, as "Freed". */
      if (g_ascii_strtoull (address, NULL, 16) != leak || !g_str_equal (function, "alloc_leak"))
        continue;
      found = TRUE;
      g_assert_cmpstr (status, ==, "Live");
    }
  g_assert_true (found);
  gtk_widget_destroy (GTK_WIDGET (window));
}

static gboolean
trace_dialog_ready (gpointer dialog)
{
  return !msc_trace_dialog_get_busy (dialog);
}

static guint
filtered_rows (MscTraceDialog *dialog,
               const char     *operation,
               const char     *min_size,
               const char     *stack_text)
{
  msc_trace_dialog_set_filter (dialog, operation, NULL, NULL, min_size, stack_text);
  g_assert_true (ui_test_wait_until (trace_dialog_ready, dialog));
  return msc_trace_dialog_get_n_rows (dialog);
}

/* The Trace dialog lists every operation, and its filters find the one
 * 64 MiB mmap and the 7 mallocs of alloc_leak; Copy and Export write
 * what is listed. */
static void
test_history (void)
{
  MscWindow *window = ui_test_open_capture (capture_path);
  MscTrace *trace = msc_session_get_trace (msc_window_get_session (window));
  MscTraceDialog *dialog;
  GtkTreeView *view;
  GtkTreeModel *model;
  GtkTreeIter iter;
  g_autofree char *op = NULL, *size = NULL, *function = NULL, *copied = NULL, *csv = NULL, *path = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  ui_test_activate (window, "trace");
  dialog = MSC_TRACE_DIALOG (msc_window_get_trace_dialog (window));
  g_assert_nonnull (dialog);
  view = msc_trace_dialog_get_view (dialog);
  g_assert_cmpuint (msc_trace_dialog_get_n_rows (dialog), ==, msc_trace_get_n_events (trace));

  /* glibc reserves 64 MiB for each new arena too: as many as the trace has. */
  {
    guint big = 0;

    for (guint i = 0; i < msc_trace_get_n_events (trace); i++)
      big += msc_trace_get_event (trace, i)->op == MSC_TRACE_MMAP && msc_trace_get_event (trace, i)->size >= 64 << 20;
    g_assert_cmpuint (big, >=, 2);
    g_assert_cmpuint (filtered_rows (dialog, "mmap", "67,108,864", NULL), ==, big);
  }
  g_assert_cmpuint (filtered_rows (dialog, "mmap", "67,108,864", "map_region"), ==, 1);
  model = gtk_tree_view_get_model (view);
  g_assert_true (gtk_tree_model_get_iter_first (model, &iter));
  op = ui_test_cell (model, &iter, MSC_TRACE_LIST_OPERATION);
  size = ui_test_cell (model, &iter, MSC_TRACE_LIST_SIZE);
  function = ui_test_cell (model, &iter, MSC_TRACE_LIST_FUNCTION);
  g_assert_cmpstr (op, ==, "mmap");
  g_assert_cmpstr (size, ==, "67,108,864");
  g_assert_cmpstr (function, ==, "map_region");
  {
    g_autofree char *module = ui_test_cell (model, &iter, MSC_TRACE_LIST_MODULE);
    g_autofree char *result = ui_test_cell (model, &iter, MSC_TRACE_LIST_RESULT);
    g_autofree char *target = g_path_get_basename (g_getenv ("MSC_TRACE_TARGET_NOFP"));

    g_assert_cmpstr (module, ==, target);
    g_assert_cmpstr (result, ==, "");
  }

  g_assert_cmpuint (filtered_rows (dialog, "malloc", NULL, "ALLOC_LEAK"), ==, 7);
  g_assert_true (gtk_tree_model_get_iter_first (gtk_tree_view_get_model (view), &iter));
  {
    /* The main thread's blocks lie in glibc's main arena, heap 1. */
    g_autofree char *heap = ui_test_cell (gtk_tree_view_get_model (view), &iter, MSC_TRACE_LIST_HEAP);

    g_assert_cmpstr (heap, ==, "Heap 1");
  }
  gtk_tree_selection_select_iter (gtk_tree_view_get_selection (view), &iter);
  copied = msc_trace_dialog_dup_selection_text (dialog);
  lines = g_strsplit (copied, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 1 + 1);  /* header, the row, "" after it */
  g_assert_true (g_str_has_suffix (lines[1], ",3000,0x0,0,0,0,\"alloc_leak\""));

  /* Export writes every row listed: the header and the 7. */
  path = g_build_filename (g_get_tmp_dir (), "msc-ui-trace-export.csv", NULL);
  file = g_file_new_for_path (path);
  g_assert_true (msc_trace_dialog_export (dialog, file, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &csv, NULL, NULL));
  g_clear_pointer (&lines, g_strfreev);
  lines = g_strsplit (csv, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 7 + 1);
  for (guint i = 1; i <= 7; i++)
    g_assert_true (g_str_has_suffix (lines[i], ",3000,0x0,0,0,0,\"alloc_leak\""));
  g_assert_true (g_str_has_prefix (csv, copied));
  g_remove (path);

  /* The view holds a window of the list: the scroll bar moves it, and the
   * selection stays with its operation, not its row. */
  g_assert_cmpuint (filtered_rows (dialog, "all", NULL, NULL), ==, msc_trace_get_n_events (trace));
  {
    GtkAdjustment *adjustment = gtk_range_get_adjustment (GTK_RANGE (ui_test_find_named (GTK_WIDGET (dialog),
                                                                                        "scrollbar")));
    GtkTreeSelection *selection = gtk_tree_view_get_selection (view);
    guint event = 0;

    model = gtk_tree_view_get_model (view);
    g_assert_cmpint (gtk_tree_model_iter_n_children (model, NULL), <, 200);
    gtk_adjustment_set_value (adjustment, 300);
    g_assert_true (gtk_tree_model_get_iter_first (model, &iter));
    gtk_tree_model_get (model, &iter, MSC_TRACE_LIST_EVENT, &event, -1);
    g_assert_cmpuint (event, ==, 300);
    gtk_tree_selection_select_iter (selection, &iter);
    gtk_adjustment_set_value (adjustment, 0);
    g_assert_cmpint (gtk_tree_selection_count_selected_rows (selection), ==, 0);
    g_clear_pointer (&copied, g_free);
    copied = msc_trace_dialog_dup_selection_text (dialog);
    g_assert_nonnull (strstr (copied, "\r\n"));
    gtk_adjustment_set_value (adjustment, 299);
    g_assert_true (gtk_tree_model_iter_nth_child (model, &iter, NULL, 1));
    g_assert_true (gtk_tree_selection_iter_is_selected (selection, &iter));
  }
  gtk_widget_destroy (GTK_WIDGET (window));
}

static gboolean
has_snapshots (gpointer window)
{
  MscSession *session = msc_window_get_session (window);

  return session != NULL && msc_session_get_n_snapshots (session) >= 3;
}

static gboolean
not_tracing (gpointer window)
{
  return !msc_window_get_tracing (window);
}

static void
set_entry (GtkWidget  *chooser,
           const char *name,
           const char *text)
{
  GtkWidget *entry = ui_test_find_named (chooser, name);

  g_assert_nonnull (entry);
  gtk_entry_set_text (GTK_ENTRY (entry), text);
}

/* Launch and Trace from the process chooser's Launch page: the window fills
 * while the program runs (its sleep set through the page's environment
 * field), and holds the trace once it ends. A program that does not exist
 * is refused in the page. */
static void
test_launch (void)
{
  MscWindow *window = msc_window_new (GTK_APPLICATION (ui_test_application ()));
  GtkWidget *chooser;
  MscTrace *trace;
  GtkWidget *error_bar;
  g_autofree char *library = g_shell_quote (g_getenv ("MSC_TRACE_LIB"));
  g_autofree char *arguments = g_strconcat (library, " exit", NULL);

  gtk_window_present (GTK_WINDOW (window));
  ui_test_activate (window, "select-process");
  chooser = ui_test_find_toplevel (MSC_TYPE_PROCESS_CHOOSER, TRUE);
  g_assert_nonnull (chooser);
  gtk_notebook_set_current_page (GTK_NOTEBOOK (ui_test_find_named (chooser, "notebook")), 1);

  set_entry (chooser, "program_entry", "/nonexistent/program");
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  error_bar = ui_test_find_named (chooser, "launch_error");
  g_assert_true (gtk_info_bar_get_revealed (GTK_INFO_BAR (error_bar)));
  g_assert_false (msc_window_get_tracing (window));

  set_entry (chooser, "program_entry", g_getenv ("MSC_TRACE_TARGET_NOFP"));
  set_entry (chooser, "arguments_entry", arguments);
  set_entry (chooser, "environment_entry", "MSC_TRACE_TARGET_SLEEP_MS=3500");
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_ACCEPT);
  g_assert_true (msc_window_get_tracing (window));
  /* Live: three snapshots while the program still runs. */
  if (!ui_test_wait_until (has_snapshots, window))
    {
      GtkWidget *message = ui_test_find_toplevel (GTK_TYPE_MESSAGE_DIALOG, TRUE);

      g_test_message ("tracing %d, status %s, dialog %s", msc_window_get_tracing (window),
                      msc_status_bar_get_text (msc_window_get_status_bar (window)),
                      message != NULL ? gtk_window_get_title (GTK_WINDOW (message)) : "none");
      if (message != NULL)
        {
          g_autofree char *secondary = NULL;

          g_object_get (message, "secondary-text", &secondary, "text", &arguments, NULL);
          g_test_message ("%s: %s", arguments, secondary);
        }
      g_assert_not_reached ();
    }
  g_assert_true (msc_window_get_tracing (window));
  g_assert_true (ui_test_wait_until (not_tracing, window));
  trace = msc_session_get_trace (msc_window_get_session (window));
  g_assert_nonnull (trace);
  g_assert_false (msc_trace_get_cut_short (trace));
  g_assert_true (gtk_widget_get_visible (ui_test_find_named (GTK_WIDGET (window), "trace_buttons")));
  {
    MscCallTreeDialog *dialog = open_call_tree (window);

    assert_site (gtk_tree_view_get_model (msc_call_tree_dialog_get_tree_view (dialog)), "alloc_leak", "7",
                 "21,000", "21,000");
  }
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* Stop Trace: the program is ended and the capture keeps what came,
 * marked cut short. */
static void
test_stop (void)
{
  MscWindow *window = msc_window_new (GTK_APPLICATION (ui_test_application ()));
  const char *argv[] = { g_getenv ("MSC_TRACE_TARGET_NOFP"), g_getenv ("MSC_TRACE_LIB"), "exit", NULL };
  const char *environment[] = { "MSC_TRACE_TARGET_SLEEP_MS=60000", NULL };
  MscTrace *trace;

  gtk_window_present (GTK_WINDOW (window));
  msc_window_launch_trace (window, argv, g_get_tmp_dir (), environment);
  g_assert_true (ui_test_wait_until (has_snapshots, window));
  g_assert_true (msc_window_stop_trace (window, TRUE));
  g_assert_true (ui_test_wait_until (not_tracing, window));
  trace = msc_session_get_trace (msc_window_get_session (window));
  g_assert_nonnull (trace);
  g_assert_true (msc_trace_get_cut_short (trace));
  gtk_widget_destroy (GTK_WIDGET (window));
}

static gboolean
has_origin (gpointer window)
{
  g_autofree char *text = msc_window_dup_origin_stack (window);

  return text != NULL;
}

/* Where a region came from: the 64 MiB mapping names map_region's mmap,
 * and a thread's arena the thread's function (glibc maps it there). */
static void
test_origin (void)
{
  MscWindow *window = ui_test_open_capture (capture_path);
  MscTrace *trace = msc_session_get_trace (msc_window_get_session (window));
  MscDetailsView *details = msc_window_get_details_view (window);
  const MscRegionTable *regions = msc_snapshot_get_regions (msc_session_get_latest (msc_window_get_session (window)));
  guint64 mapping = 0, arena = 0;
  g_autofree char *text = NULL;

  for (guint i = 0; i < msc_trace_get_n_events (trace) && mapping == 0; i++)
    {
      const MscTraceRecord *e = msc_trace_get_event (trace, i);

      if (e->op == MSC_TRACE_MMAP && g_strcmp0 (msc_trace_get_function (trace, e->stack), "map_region") == 0)
        mapping = e->address;
    }
  /* A thread's arena (heap 2 and up): glibc maps it for the thread's first
   * malloc. */
  for (size_t i = 0; i < msc_region_table_length (regions) && arena == 0; i++)
    if (msc_region_table_row (regions, i).type == MSC_TYPE_HEAP && msc_region_table_row (regions, i).heap_id >= 2
        && msc_region_table_parent (regions, i) == MSC_NO_PARENT)
      arena = msc_region_table_address (regions, i);
  g_assert_cmpuint (mapping, !=, 0);
  g_assert_cmpuint (arena, !=, 0);

  g_assert_true (msc_details_view_select_address (details, mapping));
  g_assert_true (ui_test_wait_until (has_origin, window));
  text = msc_window_dup_origin_stack (window);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "Made by mmap in map_region at "));
  g_assert_nonnull (strstr (text, "    main"));
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "origin-stack"));

  g_clear_pointer (&text, g_free);
  g_assert_true (msc_details_view_select_address (details, arena));
  text = msc_window_dup_origin_stack (window);
  g_assert_nonnull (text);
  g_test_message ("%s", text);
  g_assert_true (g_str_has_prefix (text, "Made by mmap in "));
  g_assert_nonnull (strstr (text, "thread_work"));
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* A capture without a trace shows no trace buttons and enables no trace
 * command. */
static void
test_plain_capture (void)
{
  MscWindow *window = ui_test_open_capture ("sample.mmp");
  GtkWidget *buttons = ui_test_find_named (GTK_WIDGET (window), "trace_buttons");

  g_assert_nonnull (buttons);
  g_assert_false (gtk_widget_get_visible (buttons));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "trace"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "call-tree"));
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (window), "heap-allocations"));
  gtk_widget_destroy (GTK_WIDGET (window));

  window = ui_test_open_capture (capture_path);
  g_assert_true (gtk_widget_get_visible (ui_test_find_named (GTK_WIDGET (window), "trace_buttons")));
  gtk_widget_destroy (GTK_WIDGET (window));
}

int
main (int argc, char **argv)
{
  int status;

  ui_test_init (&argc, &argv);
  ui_test_application ();
  capture_path = trace_capture ();

  g_test_add_func ("/trace/call-tree", test_call_tree);
  g_test_add_func ("/trace/heap-allocations", test_heap_allocations);
  g_test_add_func ("/trace/history", test_history);
  g_test_add_func ("/trace/origin", test_origin);
  g_test_add_func ("/trace/launch", test_launch);
  g_test_add_func ("/trace/stop", test_stop);
  g_test_add_func ("/trace/plain-capture", test_plain_capture);

  status = g_test_run ();
  g_remove (capture_path);
  g_free (capture_path);
  return status;
}
