/* test-ui-smaller.c — the small things a user meets around dialogs: the
 * graphs keep their colors while a dialog is open, and show no tooltip over
 * it. Runs under xvfb-run.
 */
#include "config.h"

#include "ui/msc-type-colors.h"
#include "ui-test-util.h"

/* A dialog puts the main window in backdrop, where the theme fades its
 * text; that must not read as a dark theme (the graphs turned olive). */
static void
test_backdrop_is_not_dark (void)
{
  MscWindow *window = ui_test_open_capture ("sample.mmp");
  GtkWidget *graph = GTK_WIDGET (msc_window_get_graph (window, MSC_GRAPH_COMMITTED));
  gboolean dark = msc_widget_is_dark (graph);

  g_assert_false (dark);  /* Xvfb runs GTK's default, light Adwaita */
  /* As GTK marks a window that lost the focus to a dialog. */
  gtk_widget_set_state_flags (GTK_WIDGET (window), GTK_STATE_FLAG_BACKDROP, FALSE);
  g_assert_true ((gtk_widget_get_state_flags (graph) & GTK_STATE_FLAG_BACKDROP) != 0);
  g_assert_cmpint (msc_widget_is_dark (graph), ==, dark);
  gtk_widget_unset_state_flags (GTK_WIDGET (window), GTK_STATE_FLAG_BACKDROP);
  gtk_widget_destroy (GTK_WIDGET (window));
}

static gboolean
area_drawn (gpointer area)
{
  return gtk_widget_get_allocated_width (area) > 100 && gtk_widget_get_mapped (area);
}

static gboolean
graph_tooltip_at_start (GtkWidget *area)
{
  GtkTooltip *tooltip = g_object_new (GTK_TYPE_TOOLTIP, NULL);
  int height = gtk_widget_get_allocated_height (area);
  gboolean shown = FALSE;

  /* The Committed bar starts with Image, at the left edge. */
  g_signal_emit_by_name (area, "query-tooltip", 2, height / 4, FALSE, tooltip, &shown);
  g_object_unref (tooltip);
  return shown;
}

/* A dialog standing over the window takes the graphs' tooltips away (under
 * Wine they stayed on screen over it); they come back when it goes. */
static void
test_no_tooltip_under_dialog (void)
{
  MscWindow *window = ui_test_open_capture ("sample.mmp");
  GtkWidget *area = ui_test_find_named (GTK_WIDGET (msc_window_get_graph (window, MSC_GRAPH_COMMITTED)), "area");
  GtkWidget *dialog;

  g_assert_nonnull (area);
  g_assert_true (ui_test_wait_until (area_drawn, area));
  g_assert_true (graph_tooltip_at_start (area));
  dialog = gtk_message_dialog_new (GTK_WINDOW (window), GTK_DIALOG_MODAL, GTK_MESSAGE_INFO, GTK_BUTTONS_OK, "over");
  gtk_widget_show (dialog);
  ui_test_iterate_for (50);
  g_assert_false (graph_tooltip_at_start (area));
  gtk_widget_destroy (dialog);
  ui_test_iterate_for (50);
  g_assert_true (graph_tooltip_at_start (area));
  /* A modeless one (Timeline, Strings) leaves the window in use. */
  dialog = gtk_message_dialog_new (GTK_WINDOW (window), 0, GTK_MESSAGE_INFO, GTK_BUTTONS_OK, "beside");
  gtk_widget_show (dialog);
  ui_test_iterate_for (50);
  g_assert_true (graph_tooltip_at_start (area));
  gtk_widget_destroy (dialog);
  gtk_widget_destroy (GTK_WIDGET (window));
}

int
main (int argc, char **argv)
{
  ui_test_init (&argc, &argv);
  ui_test_application ();

  g_test_add_func ("/smaller/backdrop-is-not-dark", test_backdrop_is_not_dark);
  g_test_add_func ("/smaller/no-tooltip-under-dialog", test_no_tooltip_under_dialog);

  return g_test_run ();
}
