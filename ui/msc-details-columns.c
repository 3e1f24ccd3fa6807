/* msc-details-columns.c — see msc-details-columns.h. */
#include "config.h"

#include <string.h>

#include "model/core/msc-export.h"
#include "ui/msc-details-columns.h"
#include "ui/msc-details-model.h"
#include "ui/msc-ui-util.h"

/* The longest text of each cell column; number cells of equal length have
 * their separators in the same places, and UI fonts draw digits at one
 * width, so the longest is the widest. */
static void
msc_details_columns_widest (const MscRegionTable *table,
                            gboolean              show_free,
                            int                   digits,
                            MscCell               widest[MSC_DETAILS_CELLS])
{
  gsize n = table != NULL ? msc_region_table_length (table) : 0;

  for (gsize i = 0; i < n; i++)
    {
      MscRegion region = msc_region_table_row (table, i);
      MscCell cells[MSC_DETAILS_CELLS];

      if ((region.type == MSC_TYPE_FREE && !show_free) || region.type == MSC_TYPE_PAGE_TABLE)
        continue;
      msc_export_details_cells (&region, digits, cells);
      for (int c = 0; c < MSC_DETAILS_CELLS; c++)
        if (cells[c].len > widest[c].len)
          widest[c] = cells[c];
    }
}

static int
msc_details_columns_text_width (GtkWidget  *widget,
                                const char *text,
                                gboolean    bold,
                                gboolean    monospace)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  PangoFontDescription *desc = pango_font_description_copy (
    pango_context_get_font_description (pango_layout_get_context (layout)));
  int width;

  if (bold)
    pango_font_description_set_weight (desc, PANGO_WEIGHT_BOLD);
  if (monospace)
    pango_font_description_set_family (desc, "Monospace");
  pango_layout_set_font_description (layout, desc);
  pango_font_description_free (desc);
  pango_layout_get_pixel_size (layout, &width, NULL);
  return width;
}

/* Room a cell needs beyond its text: the renderer's padding, and in the
 * expander column the expander and indentation of a sub-block (depth 2). */
static int
msc_details_columns_padding (GtkTreeView       *tree_view,
                             GtkTreeViewColumn *column)
{
  g_autoptr(GList) cells = gtk_cell_layout_get_cells (GTK_CELL_LAYOUT (column));
  int xpad = 0, expander = 0, separator = 0, extra = 0;

  if (cells != NULL)
    gtk_cell_renderer_get_padding (cells->data, &xpad, NULL);
  gtk_widget_style_get (GTK_WIDGET (tree_view), "expander-size", &expander, "horizontal-separator", &separator,
                        NULL);
  /* GtkTreeView draws each level's expander in a square of expander-size
   * plus 4 px (its EXPANDER_EXTRA_PADDING), plus any level indentation. */
  if (column == gtk_tree_view_get_expander_column (tree_view))
    extra = 2 * (expander + 4 + gtk_tree_view_get_level_indentation (tree_view));
  return 2 * xpad + separator + extra + 4;
}

/* A numeric column's two-word title ("Shareable WS") goes on two lines in
 * its header, so that the column is as narrow as its figures and what says
 * what a region is (Protection, Details) stays in view at 1280 px.  The
 * title itself stays one line: Copy All and accessibility read it.  Returns
 * the header's text. */
static const char *
msc_details_columns_header (GtkTreeViewColumn *column, int id)
{
  const char *title = gtk_tree_view_column_get_title (column);
  GtkWidget *label = gtk_tree_view_column_get_widget (column);

  if (label == NULL && id >= MSC_DETAILS_COLUMN_SIZE && id <= MSC_DETAILS_COLUMN_LOCKED_WS
      && strchr (title, ' ') != NULL)
    {
      g_autofree char *two = g_strdup (title);

      *strrchr (two, ' ') = '\n';
      label = gtk_label_new (two);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
      gtk_widget_show (label);
      gtk_tree_view_column_set_widget (column, label);
    }
  return GTK_IS_LABEL (label) ? gtk_label_get_text (GTK_LABEL (label)) : title;
}

/* Show Changes' column: its icon and the longest of its words, each
 * renderer with its padding ("Changed" was cut to "Changec"). */
static int
msc_details_columns_change_width (GtkTreeView *tree_view, GtkTreeViewColumn *column)
{
  g_autoptr(GList) cells = gtk_cell_layout_get_cells (GTK_CELL_LAYOUT (column));
  MscDiffStatus statuses[] = { MSC_DIFF_NEW, MSC_DIFF_REMOVED, MSC_DIFF_CHANGED };
  int text = 0, width = 0;

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    text = MAX (text, msc_details_columns_text_width (GTK_WIDGET (tree_view),
                                                      msc_diff_status_text (statuses[i]), FALSE, FALSE));
  for (GList *c = cells; c != NULL; c = c->next)
    {
      int xpad = 0, icon = 0;

      gtk_cell_renderer_get_padding (c->data, &xpad, NULL);
      if (GTK_IS_CELL_RENDERER_PIXBUF (c->data))
        gtk_icon_size_lookup (GTK_ICON_SIZE_MENU, &icon, NULL);
      width += 2 * xpad + (GTK_IS_CELL_RENDERER_TEXT (c->data) ? text : icon);
    }
  return width + msc_details_columns_padding (tree_view, column);
}

void
msc_details_columns_fit (GtkTreeView *tree_view,
                         MscSnapshot *snapshot,
                         MscDiff     *diff,
                         gboolean     show_free,
                         int          address_digits)
{
  g_autoptr(GList) columns = gtk_tree_view_get_columns (tree_view);
  MscCell widest[MSC_DETAILS_CELLS] = { { "", 0 } };
  GtkWidget *widget = GTK_WIDGET (tree_view);

  if (snapshot != NULL)
    msc_details_columns_widest (msc_snapshot_get_regions (snapshot), show_free, address_digits, widest);
  if (diff != NULL)
    msc_details_columns_widest (msc_snapshot_get_regions (msc_diff_get_a (diff)), show_free, address_digits, widest);
  for (GList *l = columns; l != NULL; l = l->next)
    {
      GtkTreeViewColumn *column = l->data;
      int id = gtk_tree_view_column_get_sort_column_id (column);
      /* The header in bold (a little wider than drawn), the button's
       * padding, and the sort arrow where it shows (the view fits again
       * when the sort column changes); measured under Adwaita: less clips. */
      int width = msc_details_columns_text_width (gtk_tree_view_column_get_button (column),
                                                  msc_details_columns_header (column, id), TRUE, FALSE)
                  + (gtk_tree_view_column_get_sort_indicator (column) ? 40 : 24);

      if (id == MSC_DETAILS_COLUMN_DETAILS)
        continue;
      if (id == MSC_DETAILS_COLUMN_CHANGE)
        width = MAX (width, msc_details_columns_change_width (tree_view, column));
      if (id >= 0 && id < MSC_DETAILS_COLUMN_DETAILS)
        {
          g_autofree char *text = g_strndup (widest[id].text, widest[id].len);
          int content = msc_details_columns_text_width (widget, text, FALSE, id == MSC_DETAILS_COLUMN_ADDRESS);

          if (id >= MSC_DETAILS_COLUMN_SIZE && id <= MSC_DETAILS_COLUMN_LOCKED_WS)
            content = MAX (content, msc_details_columns_text_width (widget, "n/a", FALSE, FALSE));
          width = MAX (width, content + msc_details_columns_padding (tree_view, column));
        }
      gtk_tree_view_column_set_fixed_width (column, width);
    }
}
