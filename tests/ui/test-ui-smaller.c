/* test-ui-smaller.c — the small things a user meets around dialogs: the
 * graphs keep their colors while a dialog is open. Runs under xvfb-run.
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

int
main (int argc, char **argv)
{
  ui_test_init (&argc, &argv);
  ui_test_application ();

  g_test_add_func ("/smaller/backdrop-is-not-dark", test_backdrop_is_not_dark);

  return g_test_run ();
}
