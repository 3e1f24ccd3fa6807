/* test-ui-memory.c — Edit → Strings… and Refresh → Empty Working Set, driven
 * in the window on a live test target.  The references are the target's own
 * report of where it put its strings, and the kernel's figures (smaps);
 * Linux only (tests/ui/meson.build).  Runs under xvfb-run.
 */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "ui/msc-details-model.h"
#include "ui/msc-strings-dialog.h"
#include "ui-test-util.h"
#include "tests/linux/msc-linux-test-util.h"


static MscWindow *
open_live (TestTarget *target)
{
  MscWindow *window = msc_window_new (GTK_APPLICATION (ui_test_application ()));

  gtk_window_present (GTK_WINDOW (window));
  msc_window_open_process (window, (guint) target->pid);
  ui_test_wait_idle (window);
  g_assert_nonnull (msc_window_get_session (window));
  return window;
}

static gboolean
action_enabled (MscWindow  *window,
                const char *action)
{
  return g_action_group_get_action_enabled (G_ACTION_GROUP (window), action);
}

static void
select_address (MscWindow *window,
                guint64    address)
{
  g_assert_true (msc_details_view_select_address (msc_window_get_details_view (window), address));
  ui_test_flush ();
}

static MscStringsDialog *
find_strings_dialog (void)
{
  return ui_test_find_toplevel (MSC_TYPE_STRINGS_DIALOG, FALSE);
}

static void
wait_until (gboolean (*done) (gpointer data),
            gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + 60 * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
  ui_test_flush ();
}

static gboolean
scan_finished (gpointer dialog)
{
  return !msc_strings_dialog_get_busy (dialog);
}

/* Edit → Strings… on the selected region; waits for the scan's end. */
static MscStringsDialog *
open_strings (MscWindow *window)
{
  MscStringsDialog *dialog;

  g_assert_null (find_strings_dialog ());
  ui_test_activate (window, "strings");
  dialog = find_strings_dialog ();
  g_assert_nonnull (dialog);
  wait_until (scan_finished, dialog);
  return dialog;
}

static void
close_all (MscStringsDialog *dialog,
           MscWindow        *window,
           TestTarget       *target)
{
  gtk_widget_destroy (GTK_WIDGET (dialog));
  gtk_widget_destroy (GTK_WIDGET (window));
  test_target_stop (target);
}

static char *
address_text (guint64 address)
{
  return g_strdup_printf ("%016" G_GINT64_MODIFIER "X", address);
}

/* The row at address, with its encoding and text cells. */
static gboolean
find_row (MscStringsDialog *dialog,
          guint64           address,
          GtkTreeIter      *iter)
{
  GtkTreeModel *model = GTK_TREE_MODEL (msc_strings_dialog_get_model (dialog));
  g_autofree char *wanted = address_text (address);

  for (gboolean valid = gtk_tree_model_get_iter_first (model, iter); valid; valid = gtk_tree_model_iter_next (model, iter))
    {
      g_autofree char *shown = ui_test_cell (model, iter, MSC_STRINGS_COLUMN_ADDRESS);

      if (g_str_equal (shown, wanted))
        return TRUE;
    }
  return FALSE;
}

static void
assert_row (MscStringsDialog *dialog,
            const TestAlloc  *where,
            const char       *encoding,
            const char       *text)
{
  GtkTreeModel *model = GTK_TREE_MODEL (msc_strings_dialog_get_model (dialog));
  GtkTreeIter iter;
  g_autofree char *shown_encoding = NULL;
  g_autofree char *shown_text = NULL;

  if (!find_row (dialog, where->addr, &iter))
    g_error ("no string listed at 0x%" G_GINT64_MODIFIER "x (expected “%s”)", where->addr, text);
  shown_encoding = ui_test_cell (model, &iter, MSC_STRINGS_COLUMN_ENCODING);
  shown_text = ui_test_cell (model, &iter, MSC_STRINGS_COLUMN_TEXT);
  g_assert_cmpstr (shown_encoding, ==, encoding);
  g_assert_cmpstr (shown_text, ==, text);
  g_assert_cmpuint (msc_strings_model_get_address (MSC_STRINGS_MODEL (model), &iter), ==, where->addr);
}

static gboolean
filter_applied (gpointer data)
{
  MscStringsDialog *dialog = data;
  const char *wanted = g_object_get_data (G_OBJECT (dialog), "test-filter");

  return g_str_equal (msc_strings_model_get_filter (msc_strings_dialog_get_model (dialog)), wanted);
}

/* Types into the search entry and waits for its (delayed) search-changed. */
static void
type_filter (MscStringsDialog *dialog,
             GtkEntry         *entry,
             const char       *text)
{
  g_object_set_data_full (G_OBJECT (dialog), "test-filter", g_strdup (text), g_free);
  gtk_entry_set_text (entry, text);
  wait_until (filter_applied, dialog);
}

static GtkEntry *
find_search_entry (GtkWidget *widget)
{
  GtkEntry *found = NULL;

  if (GTK_IS_SEARCH_ENTRY (widget))
    return GTK_ENTRY (widget);
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL && found == NULL; l = l->next)
        found = find_search_entry (l->data);
    }
  return found;
}

/* Ctrl+C on the list copies the selected rows as text. */
static void
assert_copy (MscStringsDialog *dialog,
             const TestAlloc  *ascii,
             const TestAlloc  *utf16)
{
  GtkTreeView *view = msc_strings_dialog_get_tree_view (dialog);
  GtkClipboard *clipboard = gtk_widget_get_clipboard (GTK_WIDGET (dialog), GDK_SELECTION_CLIPBOARD);
  g_autofree char *a = address_text (ascii->addr);
  g_autofree char *u = address_text (utf16->addr);
  g_autofree char *expected = g_strdup_printf ("%s\tASCII\tMSC-ASCII-HEAP-STRING\n%s\tUTF-16LE\tMSC-UTF16-HEAP-STRING\n",
                                               a, u);
  g_autofree char *text = NULL;

  gtk_clipboard_set_text (clipboard, "", -1);
  gtk_tree_selection_select_all (gtk_tree_view_get_selection (view));
  gtk_widget_grab_focus (GTK_WIDGET (view));
  ui_test_flush ();
  g_assert_true (gtk_test_widget_send_key (GTK_WIDGET (view), GDK_KEY_c, GDK_CONTROL_MASK));
  ui_test_flush ();
  text = gtk_clipboard_wait_for_text (clipboard);
  g_assert_cmpstr (text, ==, expected);
}

/* "Go to Region" selects the string's region in the Details view, even when
 * the Summary's type filter hid it, with its allocation expanded. */
static void
assert_go_to_region (MscWindow        *window,
                     MscStringsDialog *dialog,
                     const TestAlloc  *where)
{
  MscDetailsView *details = msc_window_get_details_view (window);
  GtkTreeView *view = msc_details_view_get_tree_view (details);
  GtkTreeSelection *selection = gtk_tree_view_get_selection (msc_strings_dialog_get_tree_view (dialog));
  MscRegion row;
  const MscRegion *region = &row;
  GtkTreeModel *model;
  GtkTreeIter iter;
  g_autoptr(GtkTreePath) path = NULL;

  msc_summary_view_set_selected_type (msc_window_get_summary_view (window), MSC_TYPE_IMAGE);
  ui_test_flush ();
  g_assert_false (msc_details_view_get_selected_region (details, NULL, NULL));
  g_assert_true (find_row (dialog, where->addr, &iter));
  gtk_tree_selection_unselect_all (selection);
  gtk_tree_selection_select_iter (selection, &iter);
  gtk_button_clicked (GTK_BUTTON (gtk_dialog_get_widget_for_response (GTK_DIALOG (dialog), 2)));
  ui_test_flush ();

  g_assert_cmpint (msc_summary_view_get_selected_type (msc_window_get_summary_view (window)), ==,
                   MSC_DETAILS_ALL_TYPES);
  /* The window may now come in front of the Strings window: a transient
   * dialog would stay above it. */
  g_assert_null (gtk_window_get_transient_for (GTK_WINDOW (dialog)));
  g_assert_true (msc_details_view_get_selected_region (details, &row, NULL));
  g_assert_cmpuint (region->address, <=, where->addr);
  g_assert_cmpuint (where->addr - region->address, <, region->size);
  g_assert_true (gtk_tree_selection_get_selected (gtk_tree_view_get_selection (view), &model, &iter));
  path = gtk_tree_model_get_path (model, &iter);
  if (gtk_tree_path_get_depth (path) > 1)
    {
      gtk_tree_path_up (path);
      g_assert_true (gtk_tree_view_row_expanded (view, path));
    }
}

static void
test_strings (void)
{
  TestTarget *target = test_target_start (NULL);
  g_autofree char *command = g_strdup_printf ("strings %s", target->dir);
  g_autofree char *answer = test_target_command (target, command);
  const TestAlloc *ascii = test_target_alloc (target, "str-heap-ascii");
  const TestAlloc *utf16 = test_target_alloc (target, "str-heap-utf16");
  MscWindow *window = open_live (target);
  GSettings *settings = msc_application_get_settings (ui_test_application ());
  MscStringsDialog *dialog;
  GtkTreeIter iter;
  GtkEntry *entry;
  g_autofree char *count = NULL;
  guint n_all;

  /* Nothing selected: nothing to read. */
  gtk_tree_selection_unselect_all (gtk_tree_view_get_selection (
    msc_details_view_get_tree_view (msc_window_get_details_view (window))));
  ui_test_flush ();
  /* Nothing selected: Strings… says what to do instead of opening. */
  ui_test_activate (window, "strings");
  ui_test_flush ();
  g_assert_null (find_strings_dialog ());
  g_assert_nonnull (strstr (msc_window_get_message (window), "Select a region"));

  select_address (window, ascii->addr);
  g_assert_true (action_enabled (window, "strings"));
  dialog = open_strings (window);
  g_assert_null (msc_strings_dialog_get_error_text (dialog));
  assert_row (dialog, ascii, "ASCII", "MSC-ASCII-HEAP-STRING");
  assert_row (dialog, utf16, "UTF-16LE", "MSC-UTF16-HEAP-STRING");
  n_all = msc_strings_model_get_n_rows (msc_strings_dialog_get_model (dialog));
  g_assert_nonnull (strstr (msc_strings_dialog_get_status_text (dialog), "pages skipped as not resident"));
  count = g_strdup_printf ("%u string", n_all);
  g_assert_true (g_str_has_prefix (msc_strings_dialog_get_status_text (dialog), count));
  /* At the dialog's default size the status line is read whole. */
  {
    GtkWidget *status = ui_test_find_named (GTK_WIDGET (dialog), "status_label");

    g_assert_nonnull (status);
    ui_test_flush ();
    g_assert_false (pango_layout_is_ellipsized (gtk_label_get_layout (GTK_LABEL (status))));
  }

  /* The filter: case-insensitive, as typed. */
  entry = find_search_entry (GTK_WIDGET (dialog));
  g_assert_nonnull (entry);
  type_filter (dialog, entry, "heap-string");
  g_assert_cmpuint (msc_strings_model_get_n_rows (msc_strings_dialog_get_model (dialog)), ==, 2);
  type_filter (dialog, entry, "MSC-ASCII-HEAP");
  g_assert_cmpuint (msc_strings_model_get_n_rows (msc_strings_dialog_get_model (dialog)), ==, 1);
  type_filter (dialog, entry, "HEAP-STRING");
  assert_copy (dialog, ascii, utf16);
  assert_go_to_region (window, dialog, utf16);
  type_filter (dialog, entry, "");
  g_assert_cmpuint (msc_strings_model_get_n_rows (msc_strings_dialog_get_model (dialog)), ==, n_all);

  /* A longer minimum reads the region again; the setting keeps it. */
  msc_strings_dialog_set_min_length (dialog, 22);
  g_assert_true (msc_strings_dialog_get_busy (dialog));
  wait_until (scan_finished, dialog);
  g_assert_cmpuint (g_settings_get_uint (settings, "strings-min-length"), ==, 22);
  g_assert_false (find_row (dialog, ascii->addr, &iter));  /* 21 characters */
  g_assert_cmpuint (msc_strings_model_get_n_rows (msc_strings_dialog_get_model (dialog)), <, n_all);
  msc_strings_dialog_set_min_length (dialog, 3);
  wait_until (scan_finished, dialog);
  assert_row (dialog, ascii, "ASCII", "MSC-ASCII-HEAP-STRING");

  close_all (dialog, window, target);
}

static guint
count_strings_dialogs (void)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();
  guint n = 0;

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (MSC_IS_STRINGS_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      n++;
  return n;
}

/* One Strings window per main window: it follows the Details view's
 * selection, Strings… again raises it, and Escape closes it. */
static void
test_strings_one_window (void)
{
  TestTarget *target = test_target_start (NULL);
  g_autofree char *command = g_strdup_printf ("strings %s", target->dir);
  g_autofree char *answer = test_target_command (target, command);
  const TestAlloc *heap = test_target_alloc (target, "str-heap-ascii");
  const TestAlloc *across = test_target_alloc (target, "str-across-ascii");
  MscWindow *window = open_live (target);
  MscStringsDialog *dialog;

  select_address (window, heap->addr);
  dialog = open_strings (window);
  assert_row (dialog, heap, "ASCII", "MSC-ASCII-HEAP-STRING");

  select_address (window, across->addr);
  g_assert_cmpuint (count_strings_dialogs (), ==, 1);
  g_assert_true (find_strings_dialog () == dialog);
  wait_until (scan_finished, dialog);
  assert_row (dialog, across, "ASCII", "MSC-ASCII-ACROSS-PAGES");
  ui_test_activate (window, "strings");
  ui_test_flush ();
  g_assert_cmpuint (count_strings_dialogs (), ==, 1);

  /* Escape, with the focus where the dialog puts it (the filter). */
  ui_test_press_key (GTK_WIDGET (dialog), GDK_KEY_Escape);
  ui_test_flush ();
  g_assert_cmpuint (count_strings_dialogs (), ==, 0);
  gtk_widget_destroy (GTK_WIDGET (window));
  test_target_stop (target);
}

/* A region freed after the snapshot: the dialog says so; the window is
 * untouched. */
static void
test_strings_region_gone (void)
{
  TestTarget *target = test_target_start (NULL);
  g_autofree char *allocated = test_target_command (target, "alloc gone 65536 65536");
  const TestAlloc *gone = test_target_alloc (target, "gone");
  guint64 address = gone->addr;
  MscWindow *window = open_live (target);
  MscStringsDialog *dialog;
  g_autofree char *freed = NULL;

  select_address (window, address);
  freed = test_target_command (target, "free gone");
  dialog = open_strings (window);
  g_assert_nonnull (msc_strings_dialog_get_error_text (dialog));
  g_test_message ("%s", msc_strings_dialog_get_error_text (dialog));
  g_assert_nonnull (strstr (msc_strings_dialog_get_error_text (dialog), "nothing is mapped"));
  g_assert_cmpuint (msc_strings_model_get_n_rows (msc_strings_dialog_get_model (dialog)), ==, 0);
  g_assert_nonnull (msc_window_get_session (window));
  g_assert_false (msc_window_get_busy (window));
  g_assert_true (action_enabled (window, "refresh"));
  close_all (dialog, window, target);
}

/* Cancel stops the scan at once; what was found stays, and no error. */
static void
test_strings_cancel (void)
{
  TestTarget *target = test_target_start (NULL);
  g_autofree char *allocated = test_target_command (target, "alloc big 134217728 134217728");
  MscWindow *window = open_live (target);
  MscStringsDialog *dialog;

  select_address (window, test_target_alloc (target, "big")->addr);
  /* Not ui_test_activate: its flush could let the scan finish first. */
  g_action_group_activate_action (G_ACTION_GROUP (window), "strings", NULL);
  dialog = find_strings_dialog ();
  g_assert_nonnull (dialog);
  g_assert_true (msc_strings_dialog_get_busy (dialog));
  msc_strings_dialog_cancel (dialog);
  wait_until (scan_finished, dialog);
  g_assert_null (msc_strings_dialog_get_error_text (dialog));
  g_assert_true (g_str_has_prefix (msc_strings_dialog_get_status_text (dialog), "Stopped"));
  close_all (dialog, window, target);
}

/* ---- Empty Working Set ---- */

static guint64
total_ws (MscSnapshot *snapshot)
{
  return msc_snapshot_get_summary (snapshot)->total.total_ws;
}

static void
expect_refusal (void)
{
  TestTarget *target = test_target_start (NULL);
  MscWindow *window = open_live (target);
  MscSession *session = msc_window_get_session (window);

  ui_test_activate (window, "empty-working-set");
  ui_test_wait_idle (window);
  g_assert_nonnull (msc_window_get_message (window));
  g_test_message ("%s", msc_window_get_message (window));
  g_assert_nonnull (strstr (msc_window_get_message (window),
                            "Nothing was paged out: process_madvise (MADV_PAGEOUT) on another process needs "
                            "CAP_SYS_NICE"));
  /* Nothing dropped: no refresh claims otherwise. */
  g_assert_cmpuint (msc_session_get_n_snapshots (session), ==, 1);
  gtk_widget_destroy (GTK_WIDGET (window));
  test_target_stop (target);
}

static void
test_empty_working_set (void)
{
  TestTarget *target;
  g_autoptr(GArray) smaps = NULL;
  g_autoptr(GHashTable) meminfo = test_read_kv ((guint) getpid (), "../meminfo");
  gboolean have_swap = test_kv (meminfo, "SwapTotal") > 0;
  g_autofree char *answer = NULL;
  const TestAlloc *file, *block;
  guint64 expected_drop, before, after;
  MscWindow *window;
  MscSession *session;

  if (geteuid () != 0)
    {
      /* Without CAP_SYS_NICE: the documented message. */
      expect_refusal ();
      return;
    }
  target = test_target_start (NULL);
  answer = test_target_command (target, "alloc trim 16777216 16777216");
  file = test_target_alloc (target, "file");
  block = test_target_alloc (target, "trim");
  /* The file's read pages are clean page cache (only once written back),
   * private to the target: they leave RAM without swap.  Its one written
   * page, and the anonymous block, need swap. */
  sync ();
  smaps = test_read_smaps ((guint) target->pid);
  g_assert_nonnull (test_smaps_find (smaps, file->addr));
  expected_drop = test_smaps_find (smaps, file->addr)->rss - 4096 + (have_swap ? block->touched : 0);
  window = open_live (target);
  session = msc_window_get_session (window);
  before = total_ws (msc_session_get_latest (session));

  g_assert_true (action_enabled (window, "empty-working-set"));
  g_action_group_activate_action (G_ACTION_GROUP (window), "empty-working-set", NULL);
  g_assert_true (msc_window_get_busy (window));
  g_assert_false (action_enabled (window, "empty-working-set"));
  ui_test_wait_idle (window);

  g_assert_nonnull (msc_window_get_message (window));
  g_test_message ("%s", msc_window_get_message (window));
  g_assert_nonnull (strstr (msc_window_get_message (window), "Asked the kernel to page out"));
  /* The automatic refresh: a new snapshot, with the drop in it. */
  g_assert_cmpuint (msc_session_get_n_snapshots (session), ==, 2);
  after = total_ws (msc_session_get_latest (session));
  g_assert_cmpuint (after, <, before);
  g_assert_cmpuint (before - after, >=, expected_drop * 8 / 10);
  g_assert_true (action_enabled (window, "empty-working-set"));
  gtk_widget_destroy (GTK_WIDGET (window));
  test_target_stop (target);
}

/* As root (CI), the refusal is checked as nobody too (setuid drops
 * CAP_SYS_NICE); anyone else checked it in /ui/memory/empty-working-set. */
static void
test_empty_working_set_unprivileged (void)
{
  if (geteuid () != 0)
    {
      g_test_skip ("needs root to drop privileges (checked by /ui/memory/empty-working-set without root)");
      return;
    }
  if (g_test_subprocess ())
    {
      /* The X connection, opened as root, stays usable. */
      test_drop_root ();
      expect_refusal ();
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int argc, char **argv)
{
  gtk_test_init (&argc, &argv, NULL);
  ui_test_application ();

  g_test_add_func ("/ui/memory/strings", test_strings);
  g_test_add_func ("/ui/memory/strings-one-window", test_strings_one_window);
  g_test_add_func ("/ui/memory/strings-region-gone", test_strings_region_gone);
  g_test_add_func ("/ui/memory/strings-cancel", test_strings_cancel);
  g_test_add_func ("/ui/memory/empty-working-set", test_empty_working_set);
  g_test_add_func ("/ui/memory/empty-working-set/unprivileged", test_empty_working_set_unprivileged);
  return g_test_run ();
}
