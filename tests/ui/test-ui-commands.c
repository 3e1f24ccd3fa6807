/* test-ui-commands.c — window commands a user reaches for, driven as a
 * user would: File → Open… with a typed path and Enter, Help → Memory Types
 * and Columns, and the units the tables say they use.
 * Runs under xvfb-run (tests/ui/meson.build).
 */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "model/core/msc-format.h"
#include "ui/msc-help-window.h"
#include "ui-test-util.h"

#define SAMPLE "sample.mmp"

/* The first widget of type under widget (drawn ones only for entries:
 * the file chooser keeps hidden ones). */
static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (widget, type) && !GTK_IS_SEARCH_ENTRY (widget)
      && (!GTK_IS_ENTRY (widget) || gtk_widget_is_drawable (widget)))
    return widget;
  if (GTK_IS_CONTAINER (widget))
    {
      g_autoptr(GList) children = gtk_container_get_children (GTK_CONTAINER (widget));

      for (GList *l = children; l != NULL; l = l->next)
        {
          GtkWidget *found = find_descendant (l->data, type);

          if (found != NULL)
            return found;
        }
    }
  return NULL;
}

/* File → Open…, a path typed in the location field, Enter (a key press,
 * not a click on Open): the capture opens in the window. */
static void
test_open_typed_path (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("MSC_SAMPLES"), SAMPLE, NULL);
  MscWindow *window = msc_window_new (GTK_APPLICATION (ui_test_application ()));
  GtkWidget *dialog;
  GtkWidget *entry;

  gtk_window_present (GTK_WINDOW (window));
  ui_test_flush ();
  ui_test_activate (window, "open");
  ui_test_iterate_for (300);
  dialog = ui_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG, TRUE);
  g_assert_nonnull (dialog);
  /* Typing "/" opens the location field, as Ctrl+L does. */
  g_signal_emit_by_name (find_descendant (dialog, GTK_TYPE_FILE_CHOOSER_WIDGET), "location-popup", "/");
  ui_test_iterate_for (200);
  entry = find_descendant (dialog, GTK_TYPE_ENTRY);
  g_assert_nonnull (entry);
  gtk_entry_set_text (GTK_ENTRY (entry), path);
  ui_test_iterate_for (200);
  gtk_widget_grab_focus (entry);
  ui_test_press_key (dialog, GDK_KEY_Return);
  /* The chooser checks the typed file in the background before it answers. */
  ui_test_iterate_for (1500);
  ui_test_wait_idle (window);
  g_assert_nonnull (msc_window_get_session (window));
  g_assert_null (ui_test_find_toplevel (GTK_TYPE_FILE_CHOOSER_DIALOG, TRUE));
  gtk_widget_destroy (GTK_WIDGET (window));
}

static guint
count_toplevels (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();
  guint n = 0;

  for (GList *l = toplevels; l != NULL; l = l->next)
    n += G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data);
  return n;
}

/* A capture of n one-block regions, written for the test. */
static char *
write_many_regions (guint n)
{
  g_autoptr(MscProcess) process = msc_process_new (4242, "many", 64);
  g_autoptr(MscSession) session = msc_session_new (process);
  MscRegionTable *table = msc_region_table_new ();
  g_autoptr(MscSnapshot) snapshot = NULL;
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (g_get_tmp_dir (), "memscope-many-regions.mmp", NULL);

  for (guint i = 0; i < n; i++)
    {
      MscRegion region = { .address = 0x10000 + (guint64) i * 0x2000, .size = 0x1000, .committed = 0x1000,
                           .blocks = 1, .protection = MSC_PAGE_READWRITE, .storage = MSC_MEM_PRIVATE,
                           .type = MSC_TYPE_PRIVATE_DATA };

      g_assert_cmpint (msc_region_table_append (table, &region, NULL), ==, 0);
    }
  snapshot = msc_snapshot_new (134000000000000000, 0, table);
  msc_session_add_snapshot (session, snapshot);
  g_assert_true (msc_session_save (session, path, MSC_FILE_FORMAT_MMP, &error));
  return path;
}

/* Counts read with separators as the K figures do, and the unit is said. */
static void
test_units_and_separators (void)
{
  g_autofree char *path = write_many_regions (1500);
  MscWindow *window = ui_test_open_capture (path);
  GtkTreeModel *summary = gtk_tree_view_get_model (msc_summary_view_get_tree_view (msc_window_get_summary_view (window)));
  GtkWidget *units = ui_test_find_named (GTK_WIDGET (msc_window_get_status_bar (window)), "units_label");
  g_autofree char *blocks = NULL;
  GtkTreeIter iter;

  g_assert_true (gtk_tree_model_get_iter_first (summary, &iter));  /* Total */
  blocks = ui_test_cell (summary, &iter, 2 + 8);
  g_assert_cmpstr (blocks, ==, "1,500");
  g_assert_nonnull (units);
  g_assert_true (gtk_widget_is_drawable (units));
  g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (units)), "K (1 K = 1,024 bytes)"));
  gtk_widget_destroy (GTK_WIDGET (window));
  g_remove (path);
}

/* Help → Memory Types and Columns explains every type the Summary lists and
 * every column the Details view has, and the units; one window. */
static void
test_help_window (void)
{
  MscWindow *window = ui_test_open_capture (SAMPLE);
  GtkTreeView *details = msc_details_view_get_tree_view (msc_window_get_details_view (window));
  g_autoptr(GList) columns = gtk_tree_view_get_columns (details);
  g_autofree char *text = NULL;
  MscHelpWindow *help;

  g_action_group_activate_action (G_ACTION_GROUP (ui_test_application ()), "help", NULL);
  g_action_group_activate_action (G_ACTION_GROUP (ui_test_application ()), "help", NULL);
  ui_test_flush ();
  g_assert_cmpuint (count_toplevels (MSC_TYPE_HELP_WINDOW), ==, 1);
  help = ui_test_find_toplevel (MSC_TYPE_HELP_WINDOW, TRUE);
  text = msc_help_window_dup_text (help);
  for (int t = 0; t < MSC_N_TYPES; t++)
    g_assert_nonnull (strstr (text, msc_use_type_name (t)));
  for (GList *l = columns; l != NULL; l = l->next)
    {
      const char *title = gtk_tree_view_column_get_title (l->data);

      if (g_strcmp0 (title, "Change") != 0 && g_strcmp0 (title, "Address") != 0 && g_strcmp0 (title, "Type") != 0)
        g_assert_nonnull (strstr (text, title));
    }
  g_assert_nonnull (strstr (text, "1,024 bytes"));
  g_assert_nonnull (strstr (text, "n/a"));
  gtk_widget_destroy (GTK_WIDGET (help));
  gtk_widget_destroy (GTK_WIDGET (window));
}

int
main (int argc, char **argv)
{
  ui_test_init (&argc, &argv);
  ui_test_application ();

  g_test_add_func ("/ui/commands/open-typed-path", test_open_typed_path);
  g_test_add_func ("/ui/commands/help-window", test_help_window);
  g_test_add_func ("/ui/commands/units-and-separators", test_units_and_separators);
  return g_test_run ();
}
