/* test-ui-columns.c — after any font change, filter, sort or Show Free
 * Regions, every address and number in the Details view fits its cell:
 * each cell's text is measured here with Pango in the view's font and
 * compared with the cell area GtkTreeView renders it in. Runs under xvfb-run.
 */
#include "config.h"

#include "ui/msc-details-model.h"
#include "ui/msc-view-text.h"
#include "ui-test-util.h"

typedef struct {
  GtkTreeView       *view;
  GtkTreeViewColumn *column;
  int                id;
  int                xpad;
  guint              checked;
} FitCheck;

static int
text_width (GtkWidget  *widget,
            const char *text,
            gboolean    monospace)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  PangoFontDescription *desc = pango_font_description_copy (pango_context_get_font_description (pango_layout_get_context (layout)));
  int width;

  if (monospace)
    pango_font_description_set_family (desc, "Monospace");
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

static gboolean
check_row (GtkTreeModel *model,
           GtkTreePath  *path,
           GtkTreeIter  *iter,
           gpointer      user_data)
{
  FitCheck *check = user_data;
  g_autofree char *text = ui_test_cell (model, iter, check->id);
  GdkRectangle area;
  int width;

  if (text[0] == '\0')
    return FALSE;
  gtk_tree_view_get_cell_area (check->view, path, check->column, &area);
  width = text_width (GTK_WIDGET (check->view), text, check->id == MSC_DETAILS_COLUMN_ADDRESS);
  if (width > area.width - 2 * check->xpad)
    g_error ("column %d, row %s: “%s” is %d px wide, its cell %d px", check->id, gtk_tree_path_to_string (path),
             text, width, area.width - 2 * check->xpad);
  check->checked++;
  return FALSE;
}

/* Every cell of the address and number columns (all rows, expanded). */
static void
assert_cells_fit (MscWindow *window)
{
  GtkTreeView *view = msc_details_view_get_tree_view (msc_window_get_details_view (window));
  g_autoptr(GList) columns = gtk_tree_view_get_columns (view);
  guint checked = 0;

  msc_details_view_expand_all (msc_window_get_details_view (window));
  ui_test_flush ();
  ui_test_iterate_for (100);
  for (GList *l = columns; l != NULL; l = l->next)
    {
      FitCheck check = { view, l->data, gtk_tree_view_column_get_sort_column_id (l->data) };
      g_autoptr(GList) cells = gtk_cell_layout_get_cells (GTK_CELL_LAYOUT (l->data));

      if (check.id != MSC_DETAILS_COLUMN_ADDRESS && (check.id < MSC_DETAILS_COLUMN_SIZE || check.id > MSC_DETAILS_COLUMN_BLOCKS))
        continue;
      gtk_cell_renderer_get_padding (cells->data, &check.xpad, NULL);
      gtk_tree_model_foreach (gtk_tree_view_get_model (view), check_row, &check);
      checked += check.checked;
    }
  g_assert_cmpuint (checked, >, 100);
}

static int
address_width (MscWindow *window)
{
  GtkTreeView *view = msc_details_view_get_tree_view (msc_window_get_details_view (window));

  return gtk_tree_view_column_get_width (gtk_tree_view_get_column (view, 1));
}

static int
row_height (MscWindow *window)
{
  GtkTreeView *view = msc_details_view_get_tree_view (msc_window_get_details_view (window));
  g_autoptr(GtkTreePath) first = gtk_tree_path_new_first ();
  GdkRectangle area;

  gtk_tree_view_get_background_area (view, first, NULL, &area);
  return area.height;
}

/* As Options → Font… does: the options in effect (saving them is a step of
 * its own). */
static void
set_font (MscOptions *options,
          const char *font)
{
  msc_options_set_font (options, font);
  ui_test_flush ();
  ui_test_iterate_for (200);
}

static void
test_columns_fit (void)
{
  MscOptions *options = msc_application_get_options (ui_test_application ());
  MscWindow *window = ui_test_open_capture ("sample.mmp");
  GtkTreeView *view = msc_details_view_get_tree_view (msc_window_get_details_view (window));
  int big_width, big_height;

  gtk_window_resize (GTK_WINDOW (window), 1240, 900);
  assert_cells_fit (window);

  set_font (options, "Sans 16");
  assert_cells_fit (window);
  big_width = address_width (window);
  big_height = row_height (window);

  /* Free regions' sizes are the longest numbers of all. */
  g_object_set (options, "show-free-regions", TRUE, NULL);
  ui_test_flush ();
  assert_cells_fit (window);
  /* Sorted by Size, biggest first. */
  gtk_tree_sortable_set_sort_column_id (GTK_TREE_SORTABLE (gtk_tree_view_get_model (view)), MSC_DETAILS_COLUMN_SIZE,
                                        GTK_SORT_DESCENDING);
  assert_cells_fit (window);

  /* Back to a small font: columns and rows shrink with it. */
  set_font (options, "Sans 8");
  assert_cells_fit (window);
  g_assert_cmpint (address_width (window), <, big_width);
  g_assert_cmpint (row_height (window), <, big_height);

  set_font (options, "");
  g_object_set (options, "show-free-regions", FALSE, NULL);
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* Each header's text fits its button: a header's label is at least as
 * wide as it asks to be. */
static void
assert_headers_fit (GtkTreeView *view)
{
  g_autoptr(GList) columns = gtk_tree_view_get_columns (view);

  for (GList *l = columns; l != NULL; l = l->next)
    {
      GtkWidget *label = gtk_tree_view_column_get_widget (l->data);
      int natural;

      if (label == NULL || gtk_tree_view_column_get_sort_column_id (l->data) == MSC_DETAILS_COLUMN_DETAILS)
        continue;
      gtk_widget_get_preferred_width (label, NULL, &natural);
      g_assert_cmpint (gtk_widget_get_allocated_width (label), >=, natural);
    }
}

/* At 1280 px (a 1240 px window) what says what a region is stays in view:
 * Protection whole, and Details with room for its text. */
static void
test_what_in_view (void)
{
  MscWindow *window = ui_test_open_capture ("sample.mmp");
  GtkTreeView *view = msc_details_view_get_tree_view (msc_window_get_details_view (window));
  GtkTreeViewColumn *protection = NULL, *details = NULL;
  g_autoptr(GList) columns = gtk_tree_view_get_columns (view);
  GdkRectangle visible;

  gtk_window_resize (GTK_WINDOW (window), 1240, 800);
  ui_test_flush ();
  ui_test_iterate_for (300);
  for (GList *l = columns; l != NULL; l = l->next)
    {
      int id = gtk_tree_view_column_get_sort_column_id (l->data);

      if (id == MSC_DETAILS_COLUMN_PROTECTION)
        protection = l->data;
      else if (id == MSC_DETAILS_COLUMN_DETAILS)
        details = l->data;
    }
  g_assert_nonnull (protection);
  g_assert_nonnull (details);
  gtk_tree_view_get_visible_rect (view, &visible);
  g_assert_cmpint (gtk_tree_view_column_get_x_offset (protection) + gtk_tree_view_column_get_width (protection),
                   <=, visible.width);
  g_assert_cmpint (gtk_tree_view_column_get_x_offset (details), <, visible.width);
  assert_headers_fit (view);
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* The right edge of the view's last column (Largest), and the width the
 * view shows. */
static void
last_column_edge (GtkTreeView *view, int *edge, int *visible_width)
{
  g_autoptr(GList) columns = gtk_tree_view_get_columns (view);
  GtkTreeViewColumn *last = NULL;
  GdkRectangle visible;

  for (GList *l = columns; l != NULL; l = l->next)
    if (gtk_tree_view_column_get_visible (l->data) && gtk_tree_view_column_get_title (l->data)[0] != '\0')
      last = l->data;
  g_assert_nonnull (last);
  gtk_tree_view_get_visible_rect (view, &visible);
  *edge = gtk_tree_view_column_get_x_offset (last) + gtk_tree_view_column_get_width (last);
  *visible_width = visible.width;
}

/* Show Changes with large changes at 1280 px: the Summary's figures and
 * their changes leave Largest in view, and Copy All still reads each
 * figure with its change on one line. */
static void
test_changes_in_view (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("MSC_TEST_DATA"), "model", "sample-changed.mmp", NULL);
  MscWindow *window = ui_test_open_capture (path);
  GtkTreeView *summary = msc_summary_view_get_tree_view (msc_window_get_summary_view (window));
  g_autoptr(GString) text = g_string_new (NULL);
  int edge, width;

  gtk_window_resize (GTK_WINDOW (window), 1240, 800);
  msc_window_compare_snapshots (window, 0, 1);
  ui_test_flush ();
  ui_test_iterate_for (300);
  /* Total's Committed grew by 48 MiB, copied on one line. */
  msc_view_text_append (text, summary);
  g_assert_nonnull (strstr (text->str, "84,464 (+49,152)"));
  last_column_edge (summary, &edge, &width);
  g_assert_cmpint (edge, <=, width);
  gtk_widget_destroy (GTK_WIDGET (window));
}

/* Every cell of row path fits the row height fixed-height mode gave all
 * rows: a taller cell (the Change column's icon in a small font) overlaps
 * its neighbours and pushes the expander below its row. */
static void
assert_row_fits (GtkTreeView *view,
                 GtkTreePath *path)
{
  GtkTreeModel *model = gtk_tree_view_get_model (view);
  g_autoptr(GList) columns = gtk_tree_view_get_columns (view);
  GdkRectangle area;
  GtkTreeIter iter;

  g_assert_true (gtk_tree_model_get_iter (model, &iter, path));
  gtk_tree_view_get_background_area (view, path, NULL, &area);
  for (GList *l = columns; l != NULL; l = l->next)
    {
      g_autoptr(GList) cells = gtk_cell_layout_get_cells (GTK_CELL_LAYOUT (l->data));

      if (!gtk_tree_view_column_get_visible (l->data))
        continue;
      gtk_tree_view_column_cell_set_cell_data (l->data, model, &iter, FALSE, FALSE);
      for (GList *c = cells; c != NULL; c = c->next)
        {
          int natural;

          gtk_cell_renderer_get_preferred_height (c->data, GTK_WIDGET (view), NULL, &natural);
          g_assert_cmpint (natural, <=, area.height);
        }
    }
}

/* Show Changes in a small font: the marked rows (icon, strike-through)
 * keep the one row height. */
static void
test_changed_rows_fit (void)
{
  MscOptions *options = msc_application_get_options (ui_test_application ());
  g_autofree char *path = g_build_filename (g_getenv ("MSC_TEST_DATA"), "model", "two-snapshots.mmp", NULL);
  MscWindow *window;
  GtkTreeView *view;
  GtkTreeModel *model;
  GtkTreeIter iter;
  guint n = 0;

  set_font (options, "Sans 6");
  window = ui_test_open_capture (path);
  msc_window_compare_snapshots (window, 0, 1);
  ui_test_flush ();
  ui_test_iterate_for (200);
  view = msc_details_view_get_tree_view (msc_window_get_details_view (window));
  model = gtk_tree_view_get_model (view);
  for (gboolean valid = gtk_tree_model_get_iter_first (model, &iter); valid; valid = gtk_tree_model_iter_next (model, &iter))
    {
      g_autoptr(GtkTreePath) row = gtk_tree_model_get_path (model, &iter);

      assert_row_fits (view, row);
      n++;
    }
  g_assert_cmpuint (n, ==, 2);
  set_font (options, "");
  gtk_widget_destroy (GTK_WIDGET (window));
}

int
main (int argc, char **argv)
{
  ui_test_init (&argc, &argv);
  ui_test_application ();

  g_test_add_func ("/columns/fit", test_columns_fit);
  g_test_add_func ("/columns/changed-rows-fit", test_changed_rows_fit);
  g_test_add_func ("/columns/what-in-view", test_what_in_view);
  g_test_add_func ("/columns/changes-in-view", test_changes_in_view);

  return g_test_run ();
}
