/* msc-summary-view.c — the Summary view. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "model/core/msc-export.h"
#include "model/msc-diff-format.h"
#include "ui/msc-summary-view.h"
#include "ui/msc-ui-util.h"
#include "ui/msc-type-colors.h"

#define MSC_SUMMARY_TOTAL (-1)
#define MSC_SUMMARY_TOTAL_WS 3  /* the Total WS value */
#define MSC_SUMMARY_BLOCKS 8    /* the value that is a count, not KB */

enum {
  COLUMN_TYPE,
  COLUMN_NAME,
  COLUMN_FIRST_VALUE,
  COLUMN_COLOR = COLUMN_FIRST_VALUE + MSC_SUMMARY_VALUES,
  COLUMN_HAS_COLOR,
  COLUMN_WEIGHT,
  COLUMN_CHANGED,
};

struct _MscSummaryView
{
  GtkScrolledWindow  parent_instance;

  GtkTreeView       *tree_view;
  GtkListStore      *store;
  GtkTreeSelection  *selection;

  int                selected_type;
};

enum {
  PROP_0,
  PROP_SELECTED_TYPE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MscSummaryView, msc_summary_view, GTK_TYPE_SCROLLED_WINDOW)

/* Row k of the store is row k of the text export: Total, then Image .. Free. */
static int
msc_summary_row_type (int k)
{
  return k == 0 ? MSC_SUMMARY_TOTAL : k - 1;
}

static void
msc_summary_view_fill_keys (MscSummaryView *self)
{
  gboolean dark = msc_widget_is_dark (GTK_WIDGET (self->tree_view));
  GtkTreeIter iter;
  gboolean valid = gtk_tree_model_get_iter_first (GTK_TREE_MODEL (self->store), &iter);

  for (int k = 0; valid; k++)
    {
      int type = msc_summary_row_type (k);
      GdkRGBA color = { 0 };

      if (type != MSC_SUMMARY_TOTAL)
        msc_type_color (type, dark, &color);
      gtk_list_store_set (self->store, &iter,
                          COLUMN_COLOR, &color,
                          COLUMN_HAS_COLOR, type != MSC_SUMMARY_TOTAL,
                          -1);
      valid = gtk_tree_model_iter_next (GTK_TREE_MODEL (self->store), &iter);
    }
}

static void
msc_summary_view_add_rows (MscSummaryView *self)
{
  for (int k = 0; k < MSC_SUMMARY_ROWS; k++)
    {
      int type = msc_summary_row_type (k);

      /* Type names are VMMap's terms, shown and written untranslated. */
      gtk_list_store_insert_with_values (self->store, NULL, -1,
                                         COLUMN_TYPE, type,
                                         COLUMN_NAME, type == MSC_SUMMARY_TOTAL ? "Total" : msc_use_type_name (type),
                                         COLUMN_WEIGHT, type == MSC_SUMMARY_TOTAL ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL,
                                         -1);
    }
  msc_summary_view_fill_keys (self);
}

/* A value, and with Show Changes its change below it: "12,345\n(+1,024)".
 * On one line the changes widened every column until Largest left the
 * window at 1280 px. */
static char *
msc_summary_cell_text (const MscCell *cell,
                       gint64         delta,
                       gboolean       count)
{
  char change[MSC_DELTA_LEN];

  if (delta == 0 || (cell->len == 3 && strncmp (cell->text, "n/a", 3) == 0))
    return g_strndup (cell->text, cell->len);
  /* VMMap leaves a zero blank; next to a change it would read as missing. */
  return g_strdup_printf ("%.*s\n(%s)", cell->len > 0 ? (int) cell->len : 1, cell->len > 0 ? cell->text : "0",
                          msc_format_delta (delta, count, change));
}

/* The export's cells, with the Blocks count grouped as the K figures are
 * ("17,332"; the files keep VMMap's plain digits). */
static void
msc_summary_view_cells (const MscSummaryRow *row,
                        MscCell              cells[MSC_SUMMARY_VALUES])
{
  g_autofree char *blocks = NULL;

  msc_export_summary_cells (row, cells);
  if (row->blocks == 0)
    return;
  blocks = msc_format_count (row->blocks);
  cells[MSC_SUMMARY_BLOCKS].len = MIN (strlen (blocks), sizeof cells[MSC_SUMMARY_BLOCKS].text - 1);
  memcpy (cells[MSC_SUMMARY_BLOCKS].text, blocks, cells[MSC_SUMMARY_BLOCKS].len);
}

static void
msc_summary_view_set_row (MscSummaryView        *self,
                          GtkTreeIter           *iter,
                          const MscSummaryRow   *row,
                          const MscSummaryDelta *d)
{
  MscCell cells[MSC_SUMMARY_VALUES];
  const gint64 deltas[MSC_SUMMARY_VALUES] = {
    d->size, d->committed, d->private_bytes, d->total_ws, d->private_ws,
    d->shareable_ws, d->shared_ws, d->locked_ws, d->blocks, d->largest,
  };
  int changed = 0;

  if (row != NULL)
    msc_summary_view_cells (row, cells);
  for (int c = 0; c < MSC_SUMMARY_VALUES; c++)
    {
      g_autofree char *text = row != NULL ? msc_summary_cell_text (&cells[c], deltas[c], c == MSC_SUMMARY_BLOCKS)
                                          : NULL;

      if (row != NULL && deltas[c] != 0)
        changed |= 1 << c;
      gtk_list_store_set (self->store, iter, COLUMN_FIRST_VALUE + c, text, -1);
    }
  gtk_list_store_set (self->store, iter, COLUMN_CHANGED, changed, -1);
}

/* Where the OS gave the working set of the whole process only, Total's
 * Total WS shows it, marked, instead of "n/a" (the types stay "n/a"). */
static void
msc_summary_view_set_process_ws (MscSummaryView   *self,
                                 GtkTreeIter      *iter,
                                 const MscSummary *summary)
{
  g_autofree char *kb = NULL;
  g_autofree char *text = NULL;

  if (summary->total.ws_known || summary->process_ws == 0)
    return;
  kb = msc_format_count ((summary->process_ws + 512) / 1024);
  /* Translators: a working set given for the whole process, not by type */
  text = g_strdup_printf (_("%s\n(whole process)"), kb);
  gtk_list_store_set (self->store, iter, COLUMN_FIRST_VALUE + MSC_SUMMARY_TOTAL_WS, text, -1);
}

void
msc_summary_view_set_summary (MscSummaryView   *self,
                              const MscSummary *summary,
                              MscDiff          *diff)
{
  static const MscSummaryDelta none;
  GtkTreeIter iter;
  gboolean valid;

  g_return_if_fail (MSC_IS_SUMMARY_VIEW (self));

  valid = gtk_tree_model_get_iter_first (GTK_TREE_MODEL (self->store), &iter);
  for (int k = 0; valid; k++)
    {
      const char *name;
      const MscSummaryRow *row = summary != NULL ? msc_export_summary_row (summary, k, &name) : NULL;
      int type = msc_summary_row_type (k);
      const MscSummaryDelta *delta = &none;

      if (diff != NULL)
        delta = type == MSC_SUMMARY_TOTAL ? msc_diff_get_total_delta (diff) : msc_diff_get_type_delta (diff, type);
      msc_summary_view_set_row (self, &iter, row, delta);
      if (type == MSC_SUMMARY_TOTAL && summary != NULL)
        msc_summary_view_set_process_ws (self, &iter, summary);
      valid = gtk_tree_model_iter_next (GTK_TREE_MODEL (self->store), &iter);
    }
}

/* Show Changes: a changed figure gets the Details view's "changed" shade;
 * its text carries the signed change too. */
static void
msc_summary_view_mark_cell (GtkTreeViewColumn *column,
                            GtkCellRenderer   *renderer,
                            GtkTreeModel      *model,
                            GtkTreeIter       *iter,
                            gpointer           user_data)
{
  GtkWidget *view = gtk_tree_view_column_get_tree_view (column);
  int value = GPOINTER_TO_INT (user_data);
  int changed = 0;
  gboolean colored;
  GdkRGBA color;

  gtk_tree_model_get (model, iter, COLUMN_CHANGED, &changed, -1);
  colored = (changed & (1 << value)) != 0 &&
            !gtk_tree_selection_iter_is_selected (gtk_tree_view_get_selection (GTK_TREE_VIEW (view)), iter);
  msc_change_color (MSC_DIFF_CHANGED, msc_widget_is_dark (view), &color);
  g_object_set (renderer, "cell-background-rgba", colored ? &color : NULL, "cell-background-set", colored, NULL);
}

/* Columns after Type show the values in store order. */
static void
msc_summary_view_setup_marks (MscSummaryView *self)
{
  g_autoptr(GList) columns = gtk_tree_view_get_columns (self->tree_view);
  int value = 0;

  for (GList *l = columns->next; l != NULL && value < MSC_SUMMARY_VALUES; l = l->next, value++)
    {
      g_autoptr(GList) cells = gtk_cell_layout_get_cells (GTK_CELL_LAYOUT (l->data));

      gtk_tree_view_column_set_cell_data_func (l->data, cells->data, msc_summary_view_mark_cell,
                                               GINT_TO_POINTER (value), NULL);
      /* Both lines of a changed figure flush right, as the figures are. */
      g_object_set (cells->data, "alignment", PANGO_ALIGN_RIGHT, NULL);
    }
}

int
msc_summary_view_get_selected_type (MscSummaryView *self)
{
  g_return_val_if_fail (MSC_IS_SUMMARY_VIEW (self), MSC_SUMMARY_TOTAL);
  return self->selected_type;
}

void
msc_summary_view_set_selected_type (MscSummaryView *self,
                                    int             type)
{
  g_autoptr(GtkTreePath) path = NULL;

  g_return_if_fail (MSC_IS_SUMMARY_VIEW (self));
  g_return_if_fail (type >= MSC_SUMMARY_TOTAL && type < MSC_N_TYPES);

  path = gtk_tree_path_new_from_indices (type + 1, -1);
  gtk_tree_view_set_cursor (self->tree_view, path, NULL, FALSE);
}

GtkTreeView *
msc_summary_view_get_tree_view (MscSummaryView *self)
{
  g_return_val_if_fail (MSC_IS_SUMMARY_VIEW (self), NULL);
  return self->tree_view;
}

static void
msc_summary_view_selection_changed (MscSummaryView   *self,
                                    GtkTreeSelection *selection)
{
  GtkTreeIter iter;
  int type = MSC_SUMMARY_TOTAL;

  if (gtk_tree_selection_get_selected (selection, NULL, &iter))
    gtk_tree_model_get (GTK_TREE_MODEL (self->store), &iter, COLUMN_TYPE, &type, -1);
  if (type == self->selected_type)
    return;
  self->selected_type = type;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SELECTED_TYPE]);
}

static void
msc_summary_view_style_updated (GtkWidget *widget)
{
  MscSummaryView *self = MSC_SUMMARY_VIEW (widget);

  GTK_WIDGET_CLASS (msc_summary_view_parent_class)->style_updated (widget);
  /* The key follows the graphs' shades when the theme turns dark or light. */
  if (self->store != NULL)
    msc_summary_view_fill_keys (self);
}

static void
msc_summary_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MscSummaryView *self = MSC_SUMMARY_VIEW (object);

  switch (prop_id)
    {
    case PROP_SELECTED_TYPE:
      g_value_set_int (value, self->selected_type);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_summary_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  MscSummaryView *self = MSC_SUMMARY_VIEW (object);

  switch (prop_id)
    {
    case PROP_SELECTED_TYPE:
      msc_summary_view_set_selected_type (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_summary_view_class_init (MscSummaryViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = msc_summary_view_get_property;
  object_class->set_property = msc_summary_view_set_property;
  widget_class->style_updated = msc_summary_view_style_updated;

  properties[PROP_SELECTED_TYPE] =
    g_param_spec_int ("selected-type", "Selected type",
                      "The MscUseType of the selected row, or -1 for Total",
                      MSC_SUMMARY_TOTAL, MSC_N_TYPES - 1, MSC_SUMMARY_TOTAL,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/memscope/Memscope/msc-summary-view.ui");
  gtk_widget_class_bind_template_child (widget_class, MscSummaryView, tree_view);
  gtk_widget_class_bind_template_child (widget_class, MscSummaryView, store);
  gtk_widget_class_bind_template_child (widget_class, MscSummaryView, selection);
  gtk_widget_class_bind_template_callback (widget_class, msc_summary_view_selection_changed);
}

static void
msc_summary_view_init (MscSummaryView *self)
{
  self->selected_type = MSC_SUMMARY_TOTAL;
  gtk_widget_init_template (GTK_WIDGET (self));
  msc_summary_view_add_rows (self);
  msc_summary_view_setup_marks (self);
}

GtkWidget *
msc_summary_view_new (void)
{
  return g_object_new (MSC_TYPE_SUMMARY_VIEW, NULL);
}
