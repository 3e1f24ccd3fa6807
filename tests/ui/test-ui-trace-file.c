/* test-ui-trace-file.c — a trace capture saved earlier opens with its trace
 * dialogs on any OS, without a live backend (also run under wine64):
 * tests/data/model/trace.mmp, hand-made (see test-trace-file.c): malloc
 * (64) at 0x1000 from grow ← main, mmap (8192) at 0x100000 from main, free
 * (0x1000). Runs under xvfb-run. */
#include "config.h"

#include "ui/msc-call-tree-dialog.h"
#include "ui/msc-trace-dialog.h"
#include "ui/msc-trace-list.h"
#include "ui-test-util.h"

static gboolean
call_tree_ready (gpointer dialog)
{
  return !msc_call_tree_dialog_get_busy (dialog);
}

static void
test_dialogs (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("MSC_TEST_DATA"), "model", "trace.mmp", NULL);
  MscWindow *window = ui_test_open_capture (path);
  MscCallTreeDialog *tree;
  MscTraceDialog *history;
  GtkTreeModel *model;
  GtkTreeIter iter;
  g_autofree char *function = NULL, *count = NULL, *bytes = NULL, *op = NULL;

  g_assert_true (gtk_widget_get_visible (ui_test_find_named (GTK_WIDGET (window), "trace_buttons")));

  ui_test_activate (window, "call-tree");
  tree = MSC_CALL_TREE_DIALOG (msc_window_get_call_tree_dialog (window));
  g_assert_true (ui_test_wait_until (call_tree_ready, tree));
  g_assert_true (msc_call_tree_dialog_find (tree, "grow"));
  g_assert_true (gtk_tree_selection_get_selected (gtk_tree_view_get_selection (msc_call_tree_dialog_get_tree_view (tree)),
                                                  &model, &iter));
  function = ui_test_cell (model, &iter, 0);
  count = ui_test_cell (model, &iter, 1);
  bytes = ui_test_cell (model, &iter, 2);
  g_assert_cmpstr (function, ==, "grow");
  g_assert_cmpstr (count, ==, "1");
  g_assert_cmpstr (bytes, ==, "64");

  ui_test_activate (window, "trace");
  history = MSC_TRACE_DIALOG (msc_window_get_trace_dialog (window));
  model = gtk_tree_view_get_model (msc_trace_dialog_get_view (history));
  g_assert_cmpuint (msc_trace_dialog_get_n_rows (history), ==, 3);
  g_assert_true (gtk_tree_model_iter_nth_child (model, &iter, NULL, 1));
  op = ui_test_cell (model, &iter, MSC_TRACE_LIST_OPERATION);
  g_assert_cmpstr (op, ==, "mmap");
  gtk_widget_destroy (GTK_WIDGET (window));
}

int
main (int argc, char **argv)
{
  ui_test_init (&argc, &argv);
  ui_test_application ();

  g_test_add_func ("/trace-file/dialogs", test_dialogs);

  return g_test_run ();
}
