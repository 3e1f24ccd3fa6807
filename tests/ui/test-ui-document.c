/* test-ui-document.c — the window as a document: closing or quitting asks
 * before a live session's snapshots are lost (and only then), and Save As
 * lets the typed extension pick the format, opening where the last save
 * went. Checked against the file system and the windows that are left.
 * Runs under xvfb-run (tests/ui/meson.build).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "model/msc-loader.h"
#include "ui/msc-process-chooser.h"
#include "ui-test-util.h"

static GtkWidget *
find_question (void)
{
  return ui_test_find_toplevel (GTK_TYPE_MESSAGE_DIALOG, TRUE);
}

/* Closes window as its close button does; TRUE if it is gone. */
static gboolean
close_window (MscWindow *window)
{
  GtkWidget *weak = GTK_WIDGET (window);

  g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
  gtk_window_close (GTK_WINDOW (window));
  ui_test_iterate_for (200);
  if (weak != NULL)
    g_object_remove_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
  return weak == NULL;
}

static void
answer (int response)
{
  GtkWidget *question = find_question ();

  g_assert_nonnull (question);
  gtk_dialog_response (GTK_DIALOG (question), response);
  ui_test_flush ();
}

/* A capture opened from a file closes without a question. */
static void
test_capture_closes_quietly (void)
{
  MscWindow *window = ui_test_open_capture ("sample.mmp");

  g_assert_false (msc_window_get_unsaved (window));
  g_assert_true (close_window (window));
  g_assert_null (find_question ());
}

static guint
snapshots_in (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(MscSession) session = msc_loader_load (path, NULL, &error);

  g_assert_no_error (error);
  return msc_session_get_n_snapshots (session);
}

/* A live session's snapshots: Close and Quit ask; Cancel keeps the window,
 * Close without Saving drops it, Save writes every snapshot and then closes;
 * once saved, closing asks nothing. */
static void
test_live_session_asks (void)
{
  const char *path = g_getenv ("MSC_TEST_TARGET");
  g_autofree char *dir = g_dir_make_tmp ("msc-ui-doc-XXXXXX", NULL);
  g_autofree char *saved = g_build_filename (dir, "live.mmp", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (saved);
  g_autoptr(GSubprocess) target = NULL;
  MscWindow *window;
  guint pid;

  if (path == NULL || path[0] == '\0')
    {
      g_test_skip ("no live backend on this host");
      return;
    }
  target = ui_test_start_target (&pid);
  window = ui_test_open_live (pid);
  g_assert_true (msc_window_get_unsaved (window));

  g_assert_false (close_window (window));
  answer (GTK_RESPONSE_CANCEL);
  g_assert_null (find_question ());
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));

  /* Quit asks the same question and leaves the window while it is open. */
  g_action_group_activate_action (G_ACTION_GROUP (ui_test_application ()), "quit", NULL);
  ui_test_iterate_for (200);
  g_assert_nonnull (find_question ());
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  answer (GTK_RESPONSE_CANCEL);

  /* Saved as .mmp: nothing to ask. */
  msc_window_save_to (window, file);
  ui_test_wait_idle (window);
  g_assert_false (msc_window_get_unsaved (window));
  g_assert_cmpuint (snapshots_in (saved), ==, 1);

  /* A refresh adds one the file lacks; Save in the question writes both,
   * then the window closes. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "refresh", NULL);
  ui_test_wait_idle (window);
  g_assert_true (msc_window_get_unsaved (window));
  {
    GtkWidget *weak = GTK_WIDGET (window);

    g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
    gtk_window_close (GTK_WINDOW (window));
    ui_test_iterate_for (200);
    answer (GTK_RESPONSE_ACCEPT);
    for (int i = 0; i < 200 && weak != NULL; i++)
      ui_test_iterate_for (50);
    g_assert_null (weak);
  }
  g_assert_cmpuint (snapshots_in (saved), ==, 2);

  /* Close without Saving drops the window and writes nothing. */
  window = ui_test_open_live (pid);
  g_assert_false (close_window (window));
  {
    GtkWidget *weak = GTK_WIDGET (window);

    g_object_add_weak_pointer (G_OBJECT (weak), (gpointer *) &weak);
    answer (GTK_RESPONSE_REJECT);
    g_assert_null (weak);
  }
  g_assert_cmpuint (snapshots_in (saved), ==, 2);

  ui_test_stop_target (target);
  g_remove (saved);
  g_rmdir (dir);
}

static guint
n_windows (void)
{
  guint n = 0;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (ui_test_application ())); l != NULL; l = l->next)
    n += MSC_IS_WINDOW (l->data);
  return n;
}

static const char *
shown_name (MscWindow *window)
{
  return msc_process_get_name (msc_session_get_process (msc_window_get_session (window)));
}

/* Opening another capture or process replaces what the window shows, as
 * in VMMap (four stacked windows after a short session before); unsaved
 * snapshots are asked about first, and Cancel keeps them; File → New
 * Window is the way to a second window, placed beside the first. */
static void
test_open_here (void)
{
  g_autofree char *two = g_build_filename (g_getenv ("MSC_TEST_DATA"), "model", "two-snapshots.mmp", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (two);
  const char *path = g_getenv ("MSC_TEST_TARGET");
  g_autoptr(GSubprocess) target = NULL;
  MscWindow *window = ui_test_open_capture ("sample.mmp");
  guint before = n_windows (), pid;
  int x, y, x2, y2;

  g_assert_cmpstr (shown_name (window), ==, "msc-test-target");
  msc_window_open_here (window, file, 0);
  ui_test_wait_idle (window);
  g_assert_null (find_question ());
  g_assert_cmpuint (n_windows (), ==, before);
  g_assert_cmpstr (shown_name (window), ==, "timeline.exe");

  if (path != NULL && path[0] != '\0')
    {
      /* A live process's snapshots: Cancel keeps them, Open without
       * Saving shows the capture in their place. */
      target = ui_test_start_target (&pid);
      msc_window_open_here (window, NULL, pid);
      ui_test_wait_idle (window);
      g_assert_true (msc_window_get_unsaved (window));
      /* `memscope -p PID` again: the window showing it, refreshed. */
      {
        g_autofree char *text = g_strdup_printf ("%u", pid);

        g_action_group_activate_action (G_ACTION_GROUP (ui_test_application ()), "open-process",
                                        g_variant_new_string (text));
        ui_test_wait_idle (window);
        g_assert_cmpuint (n_windows (), ==, before);
        g_assert_cmpuint (msc_session_get_n_snapshots (msc_window_get_session (window)), ==, 2);
      }
      msc_window_open_here (window, file, 0);
      ui_test_iterate_for (200);
      answer (GTK_RESPONSE_CANCEL);
      g_assert_cmpuint (msc_process_get_pid (msc_session_get_process (msc_window_get_session (window))), ==, pid);
      msc_window_open_here (window, file, 0);
      ui_test_iterate_for (200);
      {
        g_autofree char *question = NULL;

        g_assert_nonnull (find_question ());
        g_object_get (find_question (), "text", &question, NULL);
        g_assert_nonnull (strstr (question, "before opening another"));
      }
      answer (GTK_RESPONSE_REJECT);
      ui_test_wait_idle (window);
      g_assert_cmpstr (shown_name (window), ==, "timeline.exe");
      g_assert_false (msc_window_get_unsaved (window));
      g_assert_cmpuint (n_windows (), ==, before);
      ui_test_stop_target (target);
    }

  g_action_group_activate_action (G_ACTION_GROUP (window), "new-window", NULL);
  ui_test_iterate_for (300);
  g_assert_cmpuint (n_windows (), ==, before + 1);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (ui_test_application ())); l != NULL; l = l->next)
    if (MSC_IS_WINDOW (l->data) && l->data != (gpointer) window)
      {
        gtk_window_get_position (GTK_WINDOW (window), &x, &y);
        gtk_window_get_position (GTK_WINDOW (l->data), &x2, &y2);
        g_assert_true (x2 != x || y2 != y);
        gtk_widget_destroy (GTK_WIDGET (l->data));
        break;
      }
  /* The new window asked for its process, as a first window does. */
  {
    GtkWidget *chooser = ui_test_find_toplevel (MSC_TYPE_PROCESS_CHOOSER, TRUE);

    if (chooser != NULL)
      gtk_widget_destroy (chooser);
  }
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* Save As: one file type that admits all three extensions (a type list
 * that says .mmp made Windows' dialog turn "name.csv" into "name.csv.mmp"),
 * and the folder of the last save. */
static void
test_save_as_dialog (void)
{
  g_autofree char *dir = g_dir_make_tmp ("msc-ui-doc-XXXXXX", NULL);
  g_autofree char *csv = g_build_filename (dir, "export.csv", NULL);
  g_autofree char *vmmap = g_build_filename (g_getenv ("MSC_TEST_DATA"), "import", "vmmap.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (csv);
  MscWindow *window = ui_test_open_capture (vmmap);
  GtkWidget *chooser;
  g_autoptr(GSList) filters = NULL;
  g_autofree char *folder = NULL;
  const char *names[] = { "name.mmp", "name.csv", "name.txt" };

  msc_window_save_to (window, file);
  ui_test_wait_idle (window);
  g_assert_true (g_file_test (csv, G_FILE_TEST_IS_REGULAR));

  ui_test_activate (window, "save-as");
  /* Let the chooser finish listing the folder (GIO works in threads; ended
   * halfway, their buffers can outlive the test, which LeakSanitizer flags). */
  ui_test_iterate_for (500);
  chooser = ui_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG, TRUE);
  g_assert_nonnull (chooser);
  filters = gtk_file_chooser_list_filters (GTK_FILE_CHOOSER (chooser));
  g_assert_cmpuint (g_slist_length (filters), ==, 1);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      GtkFileFilterInfo info = { .contains = GTK_FILE_FILTER_DISPLAY_NAME, .display_name = names[i] };

      g_assert_true (gtk_file_filter_filter (filters->data, &info));
    }
  folder = gtk_file_chooser_get_current_folder (GTK_FILE_CHOOSER (chooser));
  g_assert_cmpstr (folder, ==, dir);
  gtk_dialog_response (GTK_DIALOG (chooser), GTK_RESPONSE_CANCEL);
  ui_test_iterate_for (300);
  gtk_widget_destroy (GTK_WIDGET (window));
  g_remove (csv);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  ui_test_init (&argc, &argv);
  ui_test_application ();

  g_test_add_func ("/document/capture-closes-quietly", test_capture_closes_quietly);
  g_test_add_func ("/document/live-session-asks", test_live_session_asks);
  g_test_add_func ("/document/save-as-dialog", test_save_as_dialog);
  g_test_add_func ("/document/open-here", test_open_here);

  return g_test_run ();
}
