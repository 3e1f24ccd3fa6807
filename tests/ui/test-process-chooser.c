/* test-process-chooser.c — the process chooser as a user drives it, under
 * Xvfb.  The reference for the list is a process this test starts itself
 * (msc-test-target: its PID from the spawn, its name from the kernel's comm),
 * and for the launch page the kernel's view of the launched child (/proc).
 */
#include "config.h"

#include "backends/backend.h"

#include <glib/gstdio.h>
#include <gtk/gtk.h>
#include <signal.h>
#include <string.h>

#include "ui/msc-application.h"
#include "ui/msc-process-chooser.h"
#include "ui-test-util.h"

/* Columns of the chooser's list store (ui/msc-process-chooser.ui). */
enum {
  COL_NAME = 0,
  COL_PID = 1,
  COL_USER = 2,
  COL_WORKING_SET = 5,
  COL_WORKING_SET_TEXT = 6,
  COL_ARCHITECTURE = 7,
  COL_SCANNABLE = 8,
};

static const char *target_path;
static GSubprocess *target;
static guint target_pid;

/* ---- helpers ---- */

typedef struct {
  MscProcessChooser *chooser;
  GtkTreeView *tree_view;
  int last_response;   /* what a caller's "response" handler saw */
} Fixture;

static void
on_response_seen (GtkDialog *dialog,
                  int        response,
                  Fixture   *fixture)
{
  fixture->last_response = response;
}

static gboolean
list_loaded (gpointer data)
{
  Fixture *fixture = data;

  return gtk_tree_model_iter_n_children (gtk_tree_view_get_model (fixture->tree_view), NULL) > 0;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->chooser = MSC_PROCESS_CHOOSER (msc_process_chooser_new (NULL));
  fixture->last_response = GTK_RESPONSE_NONE;
  /* Connected after the dialog's own handler, like gtk_dialog_run's. */
  g_signal_connect (fixture->chooser, "response", G_CALLBACK (on_response_seen), fixture);
  gtk_widget_show (GTK_WIDGET (fixture->chooser));
  fixture->tree_view = GTK_TREE_VIEW (ui_test_find_named (GTK_WIDGET (fixture->chooser), "tree_view"));
  g_assert_true (ui_test_wait_until (list_loaded, fixture));
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_widget_destroy (GTK_WIDGET (fixture->chooser));
}

static GtkWidget *
find (Fixture    *fixture,
      const char *name)
{
  return ui_test_find_named (GTK_WIDGET (fixture->chooser), name);
}

/* Path of the visible row with this PID in the view's model, or NULL. */
static GtkTreePath *
find_row (Fixture *fixture,
          guint    pid)
{
  GtkTreeModel *model = gtk_tree_view_get_model (fixture->tree_view);
  GtkTreeIter iter;

  for (gboolean ok = gtk_tree_model_get_iter_first (model, &iter); ok;
       ok = gtk_tree_model_iter_next (model, &iter))
    {
      guint row_pid;

      gtk_tree_model_get (model, &iter, COL_PID, &row_pid, -1);
      if (row_pid == pid)
        return gtk_tree_model_get_path (model, &iter);
    }
  return NULL;
}

static gboolean
has_row (Fixture *fixture,
         guint    pid)
{
  g_autoptr(GtkTreePath) path = find_row (fixture, pid);

  return path != NULL;
}

static void
test_lists_target (Fixture       *fixture,
                   gconstpointer  data)
{
  GtkTreeModel *model = gtk_tree_view_get_model (fixture->tree_view);
  g_autoptr(GtkTreePath) path = find_row (fixture, target_pid);
  g_autofree char *name = NULL, *user = NULL, *architecture = NULL, *ws_text = NULL;
  gboolean scannable;
  guint64 ws = 0;
  GtkTreeIter iter;

  g_assert_nonnull (path);
  gtk_tree_model_get_iter (model, &iter, path);
  gtk_tree_model_get (model, &iter, COL_NAME, &name, COL_USER, &user,
                      COL_ARCHITECTURE, &architecture, COL_SCANNABLE, &scannable,
                      COL_WORKING_SET, &ws, COL_WORKING_SET_TEXT, &ws_text, -1);
  g_assert_cmpstr (name, ==, "msc-test-target");
  /* In K with separators, as the main window's tables. */
  g_assert_true (g_str_has_suffix (ws_text, " K"));
  ws_text[strlen (ws_text) - 2] = '\0';
  g_assert_cmpuint (ui_test_parse_kb (ws_text), ==, ui_test_kb (ws));
  g_assert_cmpuint (ui_test_kb (ws), >, 999);
  g_assert_nonnull (strchr (ws_text, ','));
  g_assert_cmpstr (user, ==, g_get_user_name ());
  /* The target is built for this host, as this test is. */
  g_assert_cmpstr (architecture, ==, sizeof (void *) == 8 ? "64-bit" : "32-bit");
  g_assert_true (scannable);
}

static gboolean
contains_casefolded (const char *haystack,
                     const char *needle_folded)
{
  g_autofree char *folded = g_utf8_casefold (haystack, -1);

  return strstr (folded, needle_folded) != NULL;
}

/* Types text into the filter and checks that every row left matches it. */
static void
set_filter (Fixture    *fixture,
            const char *text)
{
  GtkTreeModel *model = gtk_tree_view_get_model (fixture->tree_view);
  g_autofree char *key = g_utf8_casefold (text, -1);
  GtkTreeIter iter;

  gtk_entry_set_text (GTK_ENTRY (find (fixture, "filter_entry")), text);
  /* GtkSearchEntry delays search-changed; refilter happens then. */
  ui_test_iterate_for (400);
  for (gboolean ok = gtk_tree_model_get_iter_first (model, &iter); ok;
       ok = gtk_tree_model_iter_next (model, &iter))
    {
      g_autofree char *name = NULL, *user = NULL, *pid_text = NULL;
      guint pid;

      gtk_tree_model_get (model, &iter, COL_NAME, &name, COL_USER, &user, COL_PID, &pid, -1);
      pid_text = g_strdup_printf ("%u", pid);
      g_assert_true (contains_casefolded (name, key) || contains_casefolded (pid_text, key)
                     || contains_casefolded (user, key));
    }
}

static void
test_filter (Fixture       *fixture,
             gconstpointer  data)
{
  GtkTreeModel *model = gtk_tree_view_get_model (fixture->tree_view);
  int all = gtk_tree_model_iter_n_children (model, NULL);
  g_autofree char *pid_text = g_strdup_printf ("%u", target_pid);

  set_filter (fixture, "MSC-TEST-TAR");
  g_assert_true (has_row (fixture, target_pid));
  g_assert_cmpint (gtk_tree_model_iter_n_children (model, NULL), <, all);

  set_filter (fixture, pid_text);
  g_assert_true (has_row (fixture, target_pid));

  set_filter (fixture, "no process is called this");
  g_assert_cmpint (gtk_tree_model_iter_n_children (model, NULL), ==, 0);

  set_filter (fixture, "");
  g_assert_cmpint (gtk_tree_model_iter_n_children (model, NULL), ==, all);
}

/* Typing while the list has the focus goes to the filter. */
static void
test_type_to_filter (Fixture       *fixture,
                     gconstpointer  data)
{
  GtkEntry *entry = GTK_ENTRY (find (fixture, "filter_entry"));

  gtk_widget_grab_focus (GTK_WIDGET (fixture->tree_view));
  g_assert_true (gtk_test_widget_send_key (GTK_WIDGET (fixture->tree_view), GDK_KEY_m, 0));
  ui_test_iterate_for (400);
  g_assert_cmpstr (gtk_entry_get_text (entry), ==, "m");
}

static void
select_target (Fixture *fixture)
{
  g_autoptr(GtkTreePath) path = find_row (fixture, target_pid);

  g_assert_nonnull (path);
  gtk_tree_view_set_cursor (fixture->tree_view, path, NULL, FALSE);
}

static void
test_ok_returns_pid (Fixture       *fixture,
                     gconstpointer  data)
{
  select_target (fixture);
  g_assert_true (gtk_widget_is_sensitive (find (fixture, "ok_button")));
  gtk_button_clicked (GTK_BUTTON (find (fixture, "ok_button")));
  g_assert_cmpint (fixture->last_response, ==, GTK_RESPONSE_ACCEPT);
  g_assert_cmpuint (msc_process_chooser_get_pid (fixture->chooser), ==, target_pid);
}

static void
test_double_click_returns_pid (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autoptr(GtkTreePath) path = find_row (fixture, target_pid);

  gtk_tree_view_row_activated (fixture->tree_view, path,
                               gtk_tree_view_get_column (fixture->tree_view, 0));
  g_assert_cmpint (fixture->last_response, ==, GTK_RESPONSE_ACCEPT);
  g_assert_cmpuint (msc_process_chooser_get_pid (fixture->chooser), ==, target_pid);
}

/* A filter that leaves one row plus Enter opens it: the keyboard path. */
static void
test_filter_enter_returns_pid (Fixture       *fixture,
                               gconstpointer  data)
{
  g_autofree char *pid_text = g_strdup_printf ("%u", target_pid);
  GtkTreeModel *model = gtk_tree_view_get_model (fixture->tree_view);

  set_filter (fixture, pid_text);
  /* PIDs are substrings of one another (12 in 312): pick a unique one. */
  if (gtk_tree_model_iter_n_children (model, NULL) != 1)
    select_target (fixture);
  g_signal_emit_by_name (find (fixture, "filter_entry"), "activate");
  g_assert_cmpint (fixture->last_response, ==, GTK_RESPONSE_ACCEPT);
  g_assert_cmpuint (msc_process_chooser_get_pid (fixture->chooser), ==, target_pid);
}

static void
show_launch_page (Fixture *fixture)
{
  gtk_notebook_set_current_page (GTK_NOTEBOOK (find (fixture, "notebook")), 1);
}

static void
set_entry (Fixture    *fixture,
           const char *name,
           const char *text)
{
  gtk_entry_set_text (GTK_ENTRY (find (fixture, name)), text);
}

/* Launch and Trace (this host traces): the page checks the program and
 * hands back what the window is to launch, as typed and parsed. */
static void
test_launch (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *directory = g_dir_make_tmp ("msc-chooser-XXXXXX", NULL);
  const char *const *argv, *const *environment;

  g_assert_true (msc_backend_can_trace ());
  show_launch_page (fixture);
  set_entry (fixture, "program_entry", "sleep");
  set_entry (fixture, "arguments_entry", "'30'  ");
  set_entry (fixture, "directory_entry", directory);
  set_entry (fixture, "environment_entry", "LANG=C MSC_NOTE='two words'");
  gtk_button_clicked (GTK_BUTTON (find (fixture, "ok_button")));
  g_assert_cmpint (fixture->last_response, ==, GTK_RESPONSE_ACCEPT);
  g_assert_cmpuint (msc_process_chooser_get_pid (fixture->chooser), ==, 0);
  argv = msc_process_chooser_get_trace_argv (fixture->chooser);
  g_assert_nonnull (argv);
  g_assert_cmpstr (argv[0], ==, "sleep");
  g_assert_cmpstr (argv[1], ==, "30");
  g_assert_null (argv[2]);
  g_assert_cmpstr (msc_process_chooser_get_trace_directory (fixture->chooser), ==, directory);
  environment = msc_process_chooser_get_trace_environment (fixture->chooser);
  g_assert_nonnull (environment);
  g_assert_cmpstr (environment[0], ==, "LANG=C");
  g_assert_cmpstr (environment[1], ==, "MSC_NOTE=two words");
  g_assert_null (environment[2]);
  g_rmdir (directory);
}

static void
assert_launch_refused (Fixture    *fixture,
                       const char *expected_in_message)
{
  GtkInfoBar *bar = GTK_INFO_BAR (find (fixture, "launch_error"));
  GtkLabel *label = GTK_LABEL (find (fixture, "launch_error_label"));

  gtk_button_clicked (GTK_BUTTON (find (fixture, "ok_button")));
  g_assert_cmpint (fixture->last_response, ==, GTK_RESPONSE_NONE);
  g_assert_cmpuint (msc_process_chooser_get_pid (fixture->chooser), ==, 0);
  g_assert_true (gtk_info_bar_get_revealed (bar));
  g_assert_nonnull (strstr (gtk_label_get_text (label), expected_in_message));

  /* Editing the program clears the stale error. */
  set_entry (fixture, "program_entry", "true");
  g_assert_false (gtk_info_bar_get_revealed (bar));
}

static void
test_launch_missing_program (Fixture       *fixture,
                             gconstpointer  data)
{
  show_launch_page (fixture);
  set_entry (fixture, "program_entry", "/nonexistent/msc-no-such-program");
  assert_launch_refused (fixture, "msc-no-such-program");
}

static void
test_launch_not_executable (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *path = g_build_filename (g_get_tmp_dir (), "msc-chooser-not-executable", NULL);

  g_assert_true (g_file_set_contents (path, "text\n", -1, NULL));
  g_assert_cmpint (g_chmod (path, 0644), ==, 0);
  show_launch_page (fixture);
  set_entry (fixture, "program_entry", path);
  assert_launch_refused (fixture, "not an executable program");
  g_remove (path);
}

static void
test_launch_bad_environment (Fixture       *fixture,
                             gconstpointer  data)
{
  show_launch_page (fixture);
  set_entry (fixture, "program_entry", "sleep");
  set_entry (fixture, "environment_entry", "1X=2");
  assert_launch_refused (fixture, "not an environment setting");
}

static void
test_launch_bad_directory (Fixture       *fixture,
                           gconstpointer  data)
{
  show_launch_page (fixture);
  set_entry (fixture, "program_entry", "sleep");
  set_entry (fixture, "directory_entry", "/nonexistent/msc-dir");
  assert_launch_refused (fixture, "not a directory");
}

static void
test_launch_bad_arguments (Fixture       *fixture,
                           gconstpointer  data)
{
  show_launch_page (fixture);
  set_entry (fixture, "program_entry", "sleep");
  set_entry (fixture, "arguments_entry", "\"unclosed");
  assert_launch_refused (fixture, "");
}

static void
test_launch_needs_program (Fixture       *fixture,
                           gconstpointer  data)
{
  show_launch_page (fixture);
  g_assert_false (gtk_widget_is_sensitive (find (fixture, "ok_button")));
  set_entry (fixture, "program_entry", "sleep");
  g_assert_true (gtk_widget_is_sensitive (find (fixture, "ok_button")));
}

static void
start_target (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDataInputStream) out = NULL;
  g_autofree char *line = NULL;

  target = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                             &error, target_path, NULL);
  g_assert_no_error (error);
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (target));
  /* The target lists itself only once its layout is in place. */
  while ((line = g_data_input_stream_read_line (out, NULL, NULL, &error)) != NULL
         && !g_str_equal (line, "ready"))
    g_clear_pointer (&line, g_free);
  g_assert_cmpstr (line, ==, "ready");
  target_pid = (guint) g_ascii_strtoull (g_subprocess_get_identifier (target), NULL, 10);
}

static void
stop_target (void)
{
  GOutputStream *in = g_subprocess_get_stdin_pipe (target);

  g_output_stream_write_all (in, "quit\n", 5, NULL, NULL, NULL);
  g_subprocess_wait (target, NULL, NULL);
  g_clear_object (&target);
}

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  int status;

  gtk_test_init (&argc, &argv, NULL);
  msc_ui_init ();
  target_path = g_getenv ("MSC_TEST_TARGET");
  g_assert_nonnull (target_path);

  ADD ("/process-chooser/lists-target", test_lists_target);
  ADD ("/process-chooser/filter", test_filter);
  ADD ("/process-chooser/type-to-filter", test_type_to_filter);
  ADD ("/process-chooser/ok-returns-pid", test_ok_returns_pid);
  ADD ("/process-chooser/double-click-returns-pid", test_double_click_returns_pid);
  ADD ("/process-chooser/filter-enter-returns-pid", test_filter_enter_returns_pid);
  ADD ("/process-chooser/launch", test_launch);
  ADD ("/process-chooser/launch-missing-program", test_launch_missing_program);
  ADD ("/process-chooser/launch-bad-arguments", test_launch_bad_arguments);
  ADD ("/process-chooser/launch-not-executable", test_launch_not_executable);
  ADD ("/process-chooser/launch-bad-environment", test_launch_bad_environment);
  ADD ("/process-chooser/launch-bad-directory", test_launch_bad_directory);
  ADD ("/process-chooser/launch-needs-program", test_launch_needs_program);

  start_target ();
  status = g_test_run ();
  stop_target ();
  return status;
}
