/* msc-view-text.c — see msc-view-text.h. */
#include "config.h"

#include "ui/msc-view-text.h"

static GList *
msc_view_text_columns (GtkTreeView *view)
{
  GList *columns = gtk_tree_view_get_columns (view);
  GList *visible = NULL;

  for (GList *l = columns; l != NULL; l = l->next)
    /* A column without a title only takes spare width. */
    if (gtk_tree_view_column_get_visible (l->data) && gtk_tree_view_column_get_title (l->data) != NULL
        && gtk_tree_view_column_get_title (l->data)[0] != '\0')
      visible = g_list_prepend (visible, l->data);
  g_list_free (columns);
  return g_list_reverse (visible);
}

/* What the column's text renderers show for the row, as drawn: cell data
 * functions (marks, "n/a") have run. */
static void
msc_view_text_cell (GString           *text,
                    GtkTreeViewColumn *column,
                    GtkTreeModel      *model,
                    GtkTreeIter       *iter,
                    gboolean           expanded)
{
  g_autoptr(GList) cells = gtk_cell_layout_get_cells (GTK_CELL_LAYOUT (column));
  gboolean first = TRUE;

  gtk_tree_view_column_cell_set_cell_data (column, model, iter, gtk_tree_model_iter_has_child (model, iter), expanded);
  for (GList *c = cells; c != NULL; c = c->next)
    {
      g_autofree char *shown = NULL;

      if (!GTK_IS_CELL_RENDERER_TEXT (c->data) || !gtk_cell_renderer_get_visible (c->data))
        continue;
      g_object_get (c->data, "text", &shown, NULL);
      if (shown == NULL || shown[0] == '\0')
        continue;
      if (!first)
        g_string_append_c (text, ' ');
      /* A figure and its change on two lines (Show Changes) copy as one. */
      g_string_append (text, g_strdelimit (shown, "\n", ' '));
      first = FALSE;
    }
}

static void
msc_view_text_rows (GString      *text,
                    GtkTreeView  *view,
                    GList        *columns,
                    GtkTreeIter  *parent,
                    int           depth)
{
  GtkTreeModel *model = gtk_tree_view_get_model (view);
  GtkTreeIter iter;

  for (gboolean valid = gtk_tree_model_iter_children (model, &iter, parent); valid;
       valid = gtk_tree_model_iter_next (model, &iter))
    {
      g_autoptr(GtkTreePath) path = gtk_tree_model_get_path (model, &iter);
      gboolean expanded = gtk_tree_view_row_expanded (view, path);

      for (int d = 0; d < depth; d++)
        g_string_append (text, "  ");
      for (GList *l = columns; l != NULL; l = l->next)
        {
          msc_view_text_cell (text, l->data, model, &iter, expanded);
          g_string_append_c (text, l->next != NULL ? '\t' : '\n');
        }
      if (expanded)
        msc_view_text_rows (text, view, columns, &iter, depth + 1);
    }
}

void
msc_view_text_append (GString     *text,
                      GtkTreeView *view)
{
  g_autoptr(GList) columns = msc_view_text_columns (view);

  g_return_if_fail (GTK_IS_TREE_VIEW (view));

  for (GList *l = columns; l != NULL; l = l->next)
    {
      g_string_append (text, gtk_tree_view_column_get_title (l->data));
      g_string_append_c (text, l->next != NULL ? '\t' : '\n');
    }
  if (gtk_tree_view_get_model (view) != NULL)
    msc_view_text_rows (text, view, columns, NULL, 0);
}
