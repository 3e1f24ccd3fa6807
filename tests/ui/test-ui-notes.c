/* test-ui-notes.c — what the window says about figures the OS did not give:
 * the capture's notes shown in full, and "n/a" (never a blank, a zero or a
 * change) wherever such a figure appears. The capture is hand-made
 * (tests/data/model/ws-unknown.mmp: another process under Wine, every region
 * without working-set figures, two notes). Runs under xvfb-run.
 */
#include "config.h"

#include <string.h>

#include "ui/msc-summary-view.h"
#include "ui/msc-timeline.h"
#include "ui-test-util.h"

#define NOTE_WS "Working-set figures are not available for this process (QueryWorkingSetEx: Invalid parameter.)"
#define NOTE_PAGE_TABLE "Page Table is estimated from the committed address ranges; Windows does not report it per process."

static MscWindow *
open_model_capture (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("MSC_TEST_DATA"), "model", name, NULL);

  return ui_test_open_capture (path);
}

static MscWindow *
open_ws_unknown (void)
{
  return open_model_capture ("ws-unknown.mmp");
}

/* The notes are on screen (the status bar's button and its popover), whole. */
static void
test_notes_in_status_bar (void)
{
  MscWindow *window = open_ws_unknown ();
  MscStatusBar *bar = msc_window_get_status_bar (window);
  GtkWidget *button = ui_test_find_named (GTK_WIDGET (bar), "notes_button");

  g_assert_cmpstr (msc_status_bar_get_notes (bar), ==, NOTE_WS "\n" NOTE_PAGE_TABLE);
  g_assert_nonnull (button);
  g_assert_true (gtk_widget_is_drawable (button));
  gtk_widget_destroy (GTK_WIDGET (window));

  /* A capture without notes shows no button. */
  window = ui_test_open_capture ("sample.mmp");
  bar = msc_window_get_status_bar (window);
  g_assert_null (msc_status_bar_get_notes (bar));
  g_assert_false (gtk_widget_get_visible (ui_test_find_named (GTK_WIDGET (bar), "notes_button")));
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* Copy All carries the notes, one "Note:" line each, after the PID (and
 * before the line naming the snapshot on screen). */
static void
test_notes_in_copy_all (void)
{
  MscWindow *window = open_ws_unknown ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = msc_window_dup_text (window, &error);

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (text, "Process: notepad.exe\nPID: 32\nNote: " NOTE_WS "\nNote: "
                                   NOTE_PAGE_TABLE "\nSnapshot: "));
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* Every working-set cell of the Summary says n/a: Page Table's too, which
 * would otherwise contradict Total's n/a; so does Private where it needed
 * the working set (Image, the shareable heap, and so Total). */
static void
test_summary_ws_is_na (void)
{
  MscWindow *window = open_ws_unknown ();
  GtkTreeModel *model = gtk_tree_view_get_model (msc_summary_view_get_tree_view (msc_window_get_summary_view (window)));
  GtkTreeIter iter;
  gboolean valid;

  for (valid = gtk_tree_model_get_iter_first (model, &iter); valid; valid = gtk_tree_model_iter_next (model, &iter))
    {
      g_autofree char *name = ui_test_cell (model, &iter, 1);
      g_autofree char *size = ui_test_cell (model, &iter, 2);

      /* Rows with memory: Total, Heap, Private Data, Page Table. */
      if (size[0] == '\0' || g_str_equal (name, "Free"))
        continue;
      for (int c = 5; c <= 9; c++)
        {
          g_autofree char *ws = ui_test_cell (model, &iter, c);

          g_test_message ("%s column %d: %s", name, c, ws);
          g_assert_cmpstr (ws, ==, "n/a");
        }
      {
        g_autofree char *private_cell = ui_test_cell (model, &iter, 4);
        gboolean unknown = g_str_equal (name, "Total") || g_str_equal (name, "Image") || g_str_equal (name, "Heap");

        g_assert_cmpstr (private_cell, ==, unknown ? "n/a" : g_str_equal (name, "Page Table") ? "8" : "64");
      }
    }
  /* The graphs of figures the OS did not give say so instead of drawing. */
  for (int kind = MSC_GRAPH_PRIVATE_BYTES; kind <= MSC_GRAPH_WORKING_SET; kind++)
    {
      GtkWidget *title = ui_test_find_named (GTK_WIDGET (msc_window_get_graph (window, kind)), "title");

      g_assert_nonnull (title);
      g_assert_true (g_str_has_suffix (gtk_label_get_text (GTK_LABEL (title)), ": n/a"));
    }
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* The Timeline's tooltip says "Working Set: n/a", not "n/a K". */
static void
test_timeline_tooltip (void)
{
  MscWindow *window = open_ws_unknown ();
  GtkWidget *timeline = msc_timeline_new ();
  g_autofree char *text = NULL;

  g_object_ref_sink (timeline);
  msc_timeline_set_session (MSC_TIMELINE (timeline), msc_window_get_session (window));
  text = msc_timeline_dup_snapshot_text (MSC_TIMELINE (timeline), 0);
  g_assert_true (g_str_has_suffix (text, "\nCommitted: 144 K\nWorking Set: n/a"));
  g_object_unref (timeline);
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* Where the OS gave the working set of the whole process only
 * (tests/data/model/ws-process.mmp: 1,256 K), Total's Total WS, the Working
 * Set graph and the Timeline show it, marked as the whole process's; every
 * figure by type stays n/a. */
static void
test_process_level_ws (void)
{
  MscWindow *window = open_model_capture ("ws-process.mmp");
  GtkTreeModel *model = gtk_tree_view_get_model (msc_summary_view_get_tree_view (msc_window_get_summary_view (window)));
  GtkWidget *title = ui_test_find_named (GTK_WIDGET (msc_window_get_graph (window, MSC_GRAPH_WORKING_SET)), "title");
  GtkWidget *timeline = msc_timeline_new ();
  g_autofree char *tooltip = NULL;
  GtkTreeIter iter;
  gboolean valid;

  for (valid = gtk_tree_model_get_iter_first (model, &iter); valid; valid = gtk_tree_model_iter_next (model, &iter))
    {
      g_autofree char *name = ui_test_cell (model, &iter, 1);
      g_autofree char *size = ui_test_cell (model, &iter, 2);

      if (size[0] == '\0' || g_str_equal (name, "Free"))
        continue;
      for (int c = 5; c <= 9; c++)
        {
          g_autofree char *ws = ui_test_cell (model, &iter, c);
          gboolean process_level = g_str_equal (name, "Total") && c == 5;

          g_assert_cmpstr (ws, ==, process_level ? "1,256\n(whole process)" : "n/a");
        }
    }
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (title)), ==, "Working Set: 1,256 K (whole process)");

  g_object_ref_sink (timeline);
  msc_timeline_set_session (MSC_TIMELINE (timeline), msc_window_get_session (window));
  tooltip = msc_timeline_dup_snapshot_text (MSC_TIMELINE (timeline), 0);
  g_assert_true (g_str_has_suffix (tooltip, "\nWorking Set: 1,256 K (whole process)"));
  g_object_unref (timeline);
  gtk_widget_destroy (GTK_WIDGET (window));
}

int
main (int argc, char **argv)
{
  ui_test_init (&argc, &argv);
  ui_test_application ();

  g_test_add_func ("/notes/status-bar", test_notes_in_status_bar);
  g_test_add_func ("/notes/copy-all", test_notes_in_copy_all);
  g_test_add_func ("/notes/summary-ws-is-na", test_summary_ws_is_na);
  g_test_add_func ("/notes/timeline-tooltip", test_timeline_tooltip);
  g_test_add_func ("/notes/process-level-ws", test_process_level_ws);

  return g_test_run ();
}
