/* test-ui-platform.c — the GUI against references from outside this build,
 * on every OS it runs on (under Xvfb on Linux; cross-built as a Windows
 * program and run under wine64 by build-aux/windows/gui-test.sh):
 *
 *   - the Summary view of the bundled capture shows, cell for cell, the
 *     summary table in $MSC_EXPECTED_SUMMARY: the text the Linux CLI prints
 *     (`memscope -o sample.mmp`), so the Windows build is held to Linux's;
 *   - File → Select Process lists the processes the OS has, including a
 *     target this test starts ($MSC_TEST_TARGET $MSC_TEST_TARGET_ARGS) and,
 *     when set, $MSC_EXPECT_LISTED (e.g. Wine's services.exe); choosing the
 *     target there scans it live;
 *   - the icons the empty window shows load from the icon theme (on Windows: the
 *     bundle's PNGs, through gdk-pixbuf's built-in PNG loader), and with
 *     $MSC_EXPECT_APP_ICON set, so does Memscope's own.
 */
#include "config.h"

#include <string.h>

#include "model/core/msc-format.h"
#include "ui/msc-process-chooser.h"
#include "ui-test-util.h"

/* ---- the summary table of the reference text ---- */

#define N_FIGURES 10   /* Size … Largest: the Summary view's columns 2 … 11 */

typedef struct {
  char  *name;                  /* "Total", "Image", … */
  char  *cells[N_FIGURES];      /* as printed, without padding; "" if blank */
} ExpectedRow;

static void
expected_row_free (ExpectedRow *row)
{
  g_free (row->name);
  for (guint c = 0; c < N_FIGURES; c++)
    g_free (row->cells[c]);
  g_free (row);
}

/* The header's column titles are right-aligned over their figures and
 * separated by at least two spaces ("Total WS" has one): a figure ends where
 * its title ends. */
static guint
header_column_ends (const char *header,
                    gsize      *ends)
{
  guint n = 0;
  gsize i = 0, length = strlen (header);

  while (i < length && n <= N_FIGURES)
    {
      while (i < length && header[i] == ' ')
        i++;
      while (i < length && !(header[i] == ' ' && (i + 1 >= length || header[i + 1] == ' ')))
        i++;
      ends[n++] = i;
    }
  return n;
}

static char *
slice_stripped (const char *line,
                gsize       from,
                gsize       to)
{
  gsize length = strlen (line);
  g_autofree char *cell = NULL;

  if (from >= length)
    return g_strdup ("");
  cell = g_strndup (line + from, MIN (to, length) - from);
  return g_strdup (g_strstrip (cell));
}

/* The rows under the "Type" header, in order. */
static GPtrArray *
read_expected_summary (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  GPtrArray *rows = g_ptr_array_new_with_free_func ((GDestroyNotify) expected_row_free);
  gsize ends[N_FIGURES + 1];
  gboolean in_table = FALSE;

  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint l = 0; lines[l] != NULL; l++)
    {
      const char *line = g_strchomp (lines[l]);
      ExpectedRow *row;
      gsize name_end;

      if (!in_table)
        {
          in_table = g_str_has_prefix (line, "Type ");
          if (in_table)
            g_assert_cmpuint (header_column_ends (line, ends), ==, N_FIGURES + 1);
          continue;
        }
      if (line[0] == '\0')
        break;
      /* Type names have single spaces ("Mapped File"); two end the name. */
      name_end = strstr (line, "  ") != NULL ? (gsize) (strstr (line, "  ") - line) : strlen (line);
      row = g_new0 (ExpectedRow, 1);
      row->name = g_strndup (line, name_end);
      for (guint c = 0; c < N_FIGURES; c++)
        row->cells[c] = slice_stripped (line, c == 0 ? name_end : ends[c], ends[c + 1]);
      g_ptr_array_add (rows, row);
    }
  g_assert_true (in_table);
  return rows;
}

static void
test_summary_matches_reference (void)
{
  const char *reference = g_getenv ("MSC_EXPECTED_SUMMARY");
  g_autoptr(GPtrArray) expected = NULL;
  MscWindow *window;
  GtkTreeModel *model;
  GtkTreeIter iter;
  gboolean valid;
  guint r = 0;

  if (reference == NULL || reference[0] == '\0')
    {
      g_test_skip ("MSC_EXPECTED_SUMMARY is not set");
      return;
    }
  expected = read_expected_summary (reference);
  g_assert_cmpuint (expected->len, ==, MSC_N_TYPES + 1);
  window = ui_test_open_capture ("sample.mmp");
  model = gtk_tree_view_get_model (msc_summary_view_get_tree_view (msc_window_get_summary_view (window)));
  for (valid = gtk_tree_model_get_iter_first (model, &iter); valid; valid = gtk_tree_model_iter_next (model, &iter))
    {
      ExpectedRow *row = g_ptr_array_index (expected, r++);
      g_autofree char *name = ui_test_cell (model, &iter, 1);

      g_assert_cmpstr (name, ==, row->name);
      for (guint c = 0; c < N_FIGURES; c++)
        {
          g_autofree char *shown = ui_test_cell (model, &iter, 2 + c);

          if (g_strcmp0 (shown, row->cells[c]) != 0)
            g_error ("Summary row %s, column %u: the window shows “%s”, the reference “%s”",
                     row->name, c + 1, shown, row->cells[c]);
        }
    }
  g_assert_cmpuint (r, ==, expected->len);
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* ---- File → Select Process, then a live scan ---- */

static MscProcessChooser *
find_chooser (void)
{
  return ui_test_find_toplevel (MSC_TYPE_PROCESS_CHOOSER, TRUE);
}

static gboolean
chooser_loaded (gpointer data)
{
  GtkTreeView *view = data;

  return gtk_tree_model_iter_n_children (gtk_tree_view_get_model (view), NULL) > 0;
}

/* The row whose column holds value (a PID, or a name when value is NULL). */
static gboolean
find_process_row (GtkTreeModel *model,
                  guint         pid,
                  const char   *name,
                  GtkTreeIter  *iter)
{
  for (gboolean ok = gtk_tree_model_get_iter_first (model, iter); ok; ok = gtk_tree_model_iter_next (model, iter))
    {
      g_autofree char *row_name = NULL;
      guint row_pid;

      gtk_tree_model_get (model, iter, 0, &row_name, 1, &row_pid, -1);
      if (name != NULL ? g_strcmp0 (row_name, name) == 0 : row_pid == pid)
        return TRUE;
    }
  return FALSE;
}

/* "msc-win-target.exe" and "msc-test-target" are both listed by their base
 * name, with the extension when the OS has one. */
static char *
target_base_name (void)
{
  g_autofree char *base = g_path_get_basename (g_getenv ("MSC_TEST_TARGET"));
  char *dot = strrchr (base, '.');

  if (dot != NULL)
    *dot = '\0';
  return g_steal_pointer (&base);
}

static void
test_chooser_scans_live (void)
{
  const char *listed = g_getenv ("MSC_EXPECT_LISTED");
  g_autoptr(GSubprocess) target = NULL;
  g_autofree char *base = NULL, *name = NULL;
  MscProcessChooser *chooser;
  GtkTreeView *view;
  GtkTreeModel *model;
  GtkTreeIter iter;
  MscWindow *window;
  guint pid;

  if (g_strcmp0 (g_getenv ("MSC_TEST_TARGET"), "") == 0 || g_getenv ("MSC_TEST_TARGET") == NULL)
    {
      g_test_skip ("no live backend on this host");
      return;
    }
  target = ui_test_start_target (&pid);
  window = msc_window_new (GTK_APPLICATION (ui_test_application ()));
  gtk_window_present (GTK_WINDOW (window));
  ui_test_activate (window, "select-process");
  chooser = find_chooser ();
  g_assert_nonnull (chooser);
  view = GTK_TREE_VIEW (ui_test_find_named (GTK_WIDGET (chooser), "tree_view"));
  g_assert_true (ui_test_wait_until (chooser_loaded, view));
  model = gtk_tree_view_get_model (view);

  if (listed != NULL && listed[0] != '\0')
    g_assert_true (find_process_row (model, 0, listed, &iter));
  g_assert_true (find_process_row (model, pid, NULL, &iter));
  gtk_tree_model_get (model, &iter, 0, &name, -1);
  base = target_base_name ();
  g_assert_true (g_str_has_prefix (name, base));

  /* Choose it as a user does: select the row, press OK. */
  {
    g_autoptr(GtkTreePath) path = gtk_tree_model_get_path (model, &iter);

    gtk_tree_view_set_cursor (view, path, NULL, FALSE);
  }
  gtk_button_clicked (GTK_BUTTON (ui_test_find_named (GTK_WIDGET (chooser), "ok_button")));
  ui_test_flush ();
  g_assert_null (find_chooser ());
  ui_test_wait_idle (window);

  ui_test_assert_live_window (window, pid);
  gtk_widget_destroy (GTK_WIDGET (window));
  ui_test_stop_target (target);
}

/* ---- icons ---- */

static void
assert_icon_loads (const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkPixbuf) icon = gtk_icon_theme_load_icon (gtk_icon_theme_get_default (), name, 16,
                                                         GTK_ICON_LOOKUP_FORCE_SIZE, &error);

  g_assert_no_error (error);
  g_assert_cmpint (gdk_pixbuf_get_width (icon), ==, 16);
}

/* Every themed image in a widget tree. */
static void
collect_icon_names (GtkWidget *widget,
                    GPtrArray *names)
{
  if (GTK_IS_IMAGE (widget) && gtk_image_get_storage_type (GTK_IMAGE (widget)) == GTK_IMAGE_ICON_NAME)
    {
      const char *name = NULL;

      gtk_image_get_icon_name (GTK_IMAGE (widget), &name, NULL);
      g_ptr_array_add (names, (gpointer) name);
    }
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        collect_icon_names (l->data, names);
    }
}

static void
test_icons (void)
{
  MscWindow *window = msc_window_new (GTK_APPLICATION (ui_test_application ()));
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  gtk_window_present (GTK_WINDOW (window));
  ui_test_flush ();
  collect_icon_names (GTK_WIDGET (window), names);
  g_assert_cmpuint (names->len, >, 0);
  for (guint i = 0; i < names->len; i++)
    assert_icon_loads (g_ptr_array_index (names, i));
  /* GTK's own: menu buttons, search entries. */
  assert_icon_loads ("pan-down-symbolic");
  assert_icon_loads ("edit-find-symbolic");
  assert_icon_loads ("edit-clear-symbolic");
  if (g_getenv ("MSC_EXPECT_APP_ICON") != NULL)
    assert_icon_loads (MSC_APPLICATION_ID);
  gtk_widget_destroy (GTK_WIDGET (window));
}

int
main (int argc, char **argv)
{
  ui_test_init (&argc, &argv);
  ui_test_application ();

  g_test_add_func ("/ui-platform/summary-matches-reference", test_summary_matches_reference);
  g_test_add_func ("/ui-platform/chooser-scans-live", test_chooser_scans_live);
  g_test_add_func ("/ui-platform/icons", test_icons);
  return g_test_run ();
}
