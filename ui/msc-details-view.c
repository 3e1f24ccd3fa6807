/* msc-details-view.c — the Details view over an MscDetailsModel. */
#include "config.h"

#include <glib/gi18n.h>

#include "model/core/msc-format.h"
#include "ui/msc-details-columns.h"
#include "ui/msc-details-model.h"
#include "ui/msc-details-view.h"
#include "ui/msc-search.h"
#include "ui/msc-type-colors.h"

struct _MscDetailsView
{
  GtkScrolledWindow  parent_instance;

  GtkTreeView       *tree_view;
  GtkTreeViewColumn *column_change;
  GtkTreeViewColumn *column_address;

  MscSnapshot       *snapshot;
  MscDiff           *diff;
  MscDetailsModel   *model;
  int                address_digits;
  int                type_filter;
  gboolean           show_free;
  gboolean           expanded;
  gboolean           showed_changes; /* the last model had a diff */
  guint              scroll_id;      /* restores the first row in view */
  guint64            scroll_to;
};

enum {
  PROP_0,
  PROP_TYPE_FILTER,
  PROP_SHOW_FREE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MscDetailsView, msc_details_view, GTK_TYPE_SCROLLED_WINDOW)

static GtkTreePath *
msc_details_view_path_of (MscDetailsView *self,
                          guint64         address)
{
  GtkTreeIter iter;

  if (self->model == NULL || !msc_details_model_find_address (self->model, address, &iter))
    return NULL;
  return gtk_tree_model_get_path (GTK_TREE_MODEL (self->model), &iter);
}

/* top_level: the row, not its first sub-block at the same address. */
static gboolean
msc_details_view_select_full (MscDetailsView *self,
                              guint64         address,
                              gboolean        top_level,
                              gboolean        scroll)
{
  g_autoptr(GtkTreePath) path = msc_details_view_path_of (self, address);

  if (path == NULL)
    return FALSE;
  while (top_level && gtk_tree_path_get_depth (path) > 1)
    gtk_tree_path_up (path);
  if (gtk_tree_path_get_depth (path) > 1)
    gtk_tree_view_expand_to_path (self->tree_view, path);
  gtk_tree_view_set_cursor (self->tree_view, path, NULL, FALSE);
  if (scroll)
    gtk_tree_view_scroll_to_cell (self->tree_view, path, NULL, TRUE, 0.3, 0);
  return TRUE;
}

gboolean
msc_details_view_select_address (MscDetailsView *self,
                                 guint64         address)
{
  g_return_val_if_fail (MSC_IS_DETAILS_VIEW (self), FALSE);

  return msc_details_view_select_full (self, address, FALSE, TRUE);
}

/* ---- what the user opened, kept across a refresh ---- */

/* Rows are matched by address: a refresh is a new snapshot, new rows. */
typedef struct {
  GArray  *expanded;     /* guint64: top-level rows the user opened */
  gboolean has_top;
  guint64  top;          /* the first row in view */
  gboolean has_selection;
  gboolean selection_top;  /* a top-level row, not a sub-block */
  guint64  selection;
} MscDetailsViewState;

static void
msc_details_view_note_expanded (GtkTreeView *tree_view,
                                GtkTreePath *path,
                                gpointer     user_data)
{
  MscDetailsModel *model = MSC_DETAILS_MODEL (gtk_tree_view_get_model (tree_view));
  GArray *expanded = user_data;
  GtkTreeIter iter;

  if (gtk_tree_path_get_depth (path) == 1 && gtk_tree_model_get_iter (GTK_TREE_MODEL (model), &iter, path))
    {
      MscRegion region;

      if (msc_details_model_get_region (model, &iter, &region))
        g_array_append_val (expanded, region.address);
    }
}

static void
msc_details_view_save_state (MscDetailsView      *self,
                             MscDetailsViewState *state)
{
  g_autoptr(GtkTreePath) start = NULL;
  GtkTreeIter iter;

  GtkTreeModel *model;

  state->expanded = g_array_new (FALSE, FALSE, sizeof (guint64));
  state->has_selection = msc_details_view_get_selected_address (self, &state->selection);
  if (self->model == NULL)
    return;
  if (gtk_tree_selection_get_selected (gtk_tree_view_get_selection (self->tree_view), &model, &iter))
    state->selection_top = !gtk_tree_model_iter_parent (model, &(GtkTreeIter) { 0 }, &iter);
  if (!self->expanded)
    gtk_tree_view_map_expanded_rows (self->tree_view, msc_details_view_note_expanded, state->expanded);
  /* The row at the top edge (get_visible_range also counts the sliver of
   * the row above). */
  if (gtk_widget_get_realized (GTK_WIDGET (self->tree_view))
      && gtk_tree_view_get_path_at_pos (self->tree_view, 0, 2, &start, NULL, NULL, NULL)
      && gtk_tree_model_get_iter (GTK_TREE_MODEL (self->model), &iter, start))
    {
      MscRegion region;

      state->has_top = msc_details_model_get_region (self->model, &iter, &region);
      state->top = region.address;
    }
}

static gboolean
msc_details_view_scroll_idle (gpointer user_data)
{
  MscDetailsView *self = user_data;
  g_autoptr(GtkTreePath) path = msc_details_view_path_of (self, self->scroll_to);

  self->scroll_id = 0;
  while (path != NULL && gtk_tree_path_get_depth (path) > 1)
    gtk_tree_path_up (path);
  if (path != NULL)
    gtk_tree_view_scroll_to_cell (self->tree_view, path, NULL, TRUE, 0.0, 0);
  return G_SOURCE_REMOVE;
}

/* TRUE if the view was scrolled back to where it was. */
static gboolean
msc_details_view_restore_state (MscDetailsView      *self,
                                MscDetailsViewState *state)
{
  g_autoptr(GtkTreePath) top = state->has_top ? msc_details_view_path_of (self, state->top) : NULL;

  for (guint i = 0; i < state->expanded->len; i++)
    {
      g_autoptr(GtkTreePath) path = msc_details_view_path_of (self, g_array_index (state->expanded, guint64, i));

      /* A top-level row shares its address with its first sub-block. */
      while (path != NULL && gtk_tree_path_get_depth (path) > 1)
        gtk_tree_path_up (path);
      if (path != NULL)
        gtk_tree_view_expand_row (self->tree_view, path, FALSE);
    }
  g_array_unref (state->expanded);
  if (state->has_selection)
    msc_details_view_select_full (self, state->selection, state->selection_top, top == NULL);
  if (top == NULL)
    return state->has_selection;
  /* A scroll requested now is lost: the new model's rows are measured
   * (and the adjustment reset) after this; ask once they are. */
  self->scroll_to = state->top;
  if (self->scroll_id == 0)
    self->scroll_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 20, msc_details_view_scroll_idle, self, NULL);
  return TRUE;
}

/* Show Changes with nothing selected: the first marked row comes into view
 * (changes are often far down, among the mappings at high addresses). */
static void
msc_details_view_scroll_to_change (MscDetailsView *self)
{
  GtkTreeModel *model = GTK_TREE_MODEL (self->model);
  GtkTreeIter iter;

  for (gboolean valid = gtk_tree_model_get_iter_first (model, &iter); valid;
       valid = gtk_tree_model_iter_next (model, &iter))
    if (msc_details_model_get_status (self->model, &iter, NULL) != MSC_DIFF_SAME)
      {
        g_autoptr(GtkTreePath) path = gtk_tree_model_get_path (model, &iter);

        gtk_tree_view_scroll_to_cell (self->tree_view, path, NULL, TRUE, 0.2, 0);
        return;
      }
}

/* Widths follow the rows listed (refresh, filter, Show Free Regions) and
 * the font (msc_details_view_style_updated). */
static void
msc_details_view_fit_columns (MscDetailsView *self)
{
  msc_details_columns_fit (self->tree_view, self->snapshot, self->diff, self->show_free, self->address_digits);
}

/* A new filter or snapshot is a new model; the sort order, Expand All or
 * the rows the user expanded, the selected row and the first row in view
 * carry over, by address. */
static void
msc_details_view_rebuild (MscDetailsView *self)
{
  g_autoptr(MscDetailsModel) model = NULL;
  int sort_column = MSC_DETAILS_COLUMN_ADDRESS;
  GtkSortType sort_order = GTK_SORT_ASCENDING;
  MscDetailsViewState state = { 0 };
  gboolean changes_appeared = self->diff != NULL && !self->showed_changes;

  msc_details_view_save_state (self, &state);
  self->showed_changes = self->diff != NULL;
  /* Show Changes just turned on with nothing selected: the first change
   * comes into view, not the old scroll position. */
  if (changes_appeared && !state.has_selection)
    state.has_top = FALSE;

  if (self->model != NULL)
    gtk_tree_sortable_get_sort_column_id (GTK_TREE_SORTABLE (self->model), &sort_column, &sort_order);
  gtk_tree_view_set_model (self->tree_view, NULL);
  g_clear_object (&self->model);
  if (self->snapshot == NULL)
    {
      g_array_unref (state.expanded);
      return;
    }

  model = msc_details_model_new (self->snapshot, self->diff, self->type_filter, self->show_free,
                                 self->address_digits);
  gtk_tree_sortable_set_sort_column_id (GTK_TREE_SORTABLE (model), sort_column, sort_order);
  /* The sort arrow moves to another column: widths follow. */
  g_signal_connect_object (model, "sort-column-changed", G_CALLBACK (msc_details_view_fit_columns), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  self->model = g_steal_pointer (&model);
  gtk_tree_view_set_model (self->tree_view, GTK_TREE_MODEL (self->model));
  msc_details_view_fit_columns (self);
  if (self->expanded)
    gtk_tree_view_expand_all (self->tree_view);
  if (!msc_details_view_restore_state (self, &state) && self->diff != NULL)
    msc_details_view_scroll_to_change (self);
}

void
msc_details_view_set_snapshot (MscDetailsView *self,
                               MscSnapshot    *snapshot,
                               MscDiff        *diff,
                               int             address_digits)
{
  g_return_if_fail (MSC_IS_DETAILS_VIEW (self));
  g_return_if_fail (snapshot == NULL || MSC_IS_SNAPSHOT (snapshot));
  g_return_if_fail (diff == NULL || (snapshot != NULL && msc_diff_get_b (diff) == snapshot));

  g_set_object (&self->snapshot, snapshot);
  g_set_object (&self->diff, diff);
  self->address_digits = address_digits;
  gtk_tree_view_column_set_visible (self->column_change, diff != NULL);
  msc_details_view_rebuild (self);
}

MscDiff *
msc_details_view_get_diff (MscDetailsView *self)
{
  g_return_val_if_fail (MSC_IS_DETAILS_VIEW (self), NULL);
  return self->diff;
}

/* Show Changes: new rows green, removed rows red and struck through, the
 * changed cells of a changed row amber and bold. The Change column says the
 * same in words, so color is not the only sign. A selected row keeps the
 * theme's selection color, or the selection would vanish on a colored row. */
static void
msc_details_view_mark_cell (GtkTreeViewColumn *column,
                            GtkCellRenderer   *renderer,
                            GtkTreeModel      *model,
                            GtkTreeIter       *iter,
                            gpointer           user_data)
{
  MscDetailsView *self = g_object_get_data (G_OBJECT (column), "msc-details-view");
  int column_id = GPOINTER_TO_INT (user_data);
  guint changed = 0;
  MscDiffStatus status = MSC_DIFF_SAME;
  gboolean colored;
  GdkRGBA color;

  if (self->diff != NULL)
    status = msc_details_model_get_status (MSC_DETAILS_MODEL (model), iter, &changed);
  if (status == MSC_DIFF_CHANGED && !(changed & msc_details_column_field (column_id)))
    status = MSC_DIFF_SAME;
  colored = status != MSC_DIFF_SAME &&
            !gtk_tree_selection_iter_is_selected (gtk_tree_view_get_selection (self->tree_view), iter);
  msc_change_color (status, colored && msc_widget_is_dark (GTK_WIDGET (self->tree_view)), &color);
  g_object_set (renderer, "cell-background-rgba", colored ? &color : NULL, "cell-background-set", colored, NULL);
  if (GTK_IS_CELL_RENDERER_TEXT (renderer))
    g_object_set (renderer,
                  "strikethrough", status == MSC_DIFF_REMOVED,
                  "weight", status == MSC_DIFF_CHANGED ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL,
                  NULL);
}

static void
msc_details_view_setup_marks (MscDetailsView *self)
{
  g_autoptr(GList) columns = gtk_tree_view_get_columns (self->tree_view);

  for (GList *l = columns; l != NULL; l = l->next)
    {
      GtkTreeViewColumn *column = l->data;
      g_autoptr(GList) cells = gtk_cell_layout_get_cells (GTK_CELL_LAYOUT (column));
      int column_id = gtk_tree_view_column_get_sort_column_id (column);

      g_object_set_data (G_OBJECT (column), "msc-details-view", self);
      for (GList *c = cells; c != NULL; c = c->next)
        gtk_tree_view_column_set_cell_data_func (column, c->data, msc_details_view_mark_cell,
                                                 GINT_TO_POINTER (column_id), NULL);
    }
}

/* Options → Font…, the theme: widths follow, and row height too (fixed-
 * height mode measures one row once, so it is asked to measure again). */
static void
msc_details_view_style_updated (MscDetailsView *self)
{
  gtk_tree_view_set_fixed_height_mode (self->tree_view, FALSE);
  gtk_tree_view_set_fixed_height_mode (self->tree_view, TRUE);
  msc_details_view_fit_columns (self);
}

int
msc_details_view_get_type_filter (MscDetailsView *self)
{
  g_return_val_if_fail (MSC_IS_DETAILS_VIEW (self), MSC_DETAILS_ALL_TYPES);
  return self->type_filter;
}

void
msc_details_view_set_type_filter (MscDetailsView *self,
                                  int             type_filter)
{
  g_return_if_fail (MSC_IS_DETAILS_VIEW (self));

  if (self->type_filter == type_filter)
    return;
  self->type_filter = type_filter;
  msc_details_view_rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TYPE_FILTER]);
}

gboolean
msc_details_view_get_show_free (MscDetailsView *self)
{
  g_return_val_if_fail (MSC_IS_DETAILS_VIEW (self), FALSE);
  return self->show_free;
}

void
msc_details_view_set_show_free (MscDetailsView *self,
                                gboolean        show_free)
{
  g_return_if_fail (MSC_IS_DETAILS_VIEW (self));

  show_free = !!show_free;
  if (self->show_free == show_free)
    return;
  self->show_free = show_free;
  msc_details_view_rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_FREE]);
}

void
msc_details_view_expand_all (MscDetailsView *self)
{
  g_return_if_fail (MSC_IS_DETAILS_VIEW (self));

  self->expanded = TRUE;
  gtk_tree_view_expand_all (self->tree_view);
}

void
msc_details_view_collapse_all (MscDetailsView *self)
{
  g_return_if_fail (MSC_IS_DETAILS_VIEW (self));

  self->expanded = FALSE;
  gtk_tree_view_collapse_all (self->tree_view);
}

gboolean
msc_details_view_get_selected_region (MscDetailsView  *self,
                                      MscRegion       *region,
                                      const char     **details)
{
  GtkTreeSelection *selection;
  GtkTreeIter iter;
  MscRegion ignored;

  g_return_val_if_fail (MSC_IS_DETAILS_VIEW (self), FALSE);

  if (self->model == NULL)
    return FALSE;
  selection = gtk_tree_view_get_selection (self->tree_view);
  if (!gtk_tree_selection_get_selected (selection, NULL, &iter))
    return FALSE;
  if (details != NULL)
    *details = msc_details_model_get_details (self->model, &iter);
  return msc_details_model_get_region (self->model, &iter, region != NULL ? region : &ignored);
}

gboolean
msc_details_view_get_selected_address (MscDetailsView *self,
                                       guint64        *address)
{
  MscRegion region;

  if (!msc_details_view_get_selected_region (self, &region, NULL))
    return FALSE;
  *address = region.address;
  return TRUE;
}

GtkTreeView *
msc_details_view_get_tree_view (MscDetailsView *self)
{
  g_return_val_if_fail (MSC_IS_DETAILS_VIEW (self), NULL);
  return self->tree_view;
}

/* Type-ahead: hex digits match the start of the address (leading zeros and
 * "0x" optional); any text matches inside Details. Returns FALSE on a match,
 * as GtkTreeViewSearchEqualFunc wants. */
static gboolean
msc_details_view_search_equal (GtkTreeModel *model,
                               int           column,
                               const char   *key,
                               GtkTreeIter  *iter,
                               gpointer      user_data)
{
  MscDetailsModel *details = MSC_DETAILS_MODEL (model);
  MscRegion region;
  char hex[MSC_FORMAT_U64_LEN];
  const char *digits = key;

  if (g_ascii_strncasecmp (digits, "0x", 2) == 0)
    digits += 2;
  while (*digits == '0' && digits[1] != '\0')
    digits++;
  if (!msc_details_model_get_region (details, iter, &region))
    return TRUE;
  g_snprintf (hex, sizeof hex, "%" G_GINT64_MODIFIER "x", region.address);
  if (g_ascii_strncasecmp (hex, digits, strlen (digits)) == 0)
    return FALSE;
  return !msc_search_contains (msc_details_model_get_details (details, iter), key);
}

static void
msc_details_view_dispose (GObject *object)
{
  MscDetailsView *self = MSC_DETAILS_VIEW (object);

  g_clear_handle_id (&self->scroll_id, g_source_remove);
  g_clear_object (&self->model);
  g_clear_object (&self->diff);
  g_clear_object (&self->snapshot);

  G_OBJECT_CLASS (msc_details_view_parent_class)->dispose (object);
}

static void
msc_details_view_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  MscDetailsView *self = MSC_DETAILS_VIEW (object);

  switch (prop_id)
    {
    case PROP_TYPE_FILTER:
      g_value_set_int (value, self->type_filter);
      break;
    case PROP_SHOW_FREE:
      g_value_set_boolean (value, self->show_free);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_details_view_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  MscDetailsView *self = MSC_DETAILS_VIEW (object);

  switch (prop_id)
    {
    case PROP_TYPE_FILTER:
      msc_details_view_set_type_filter (self, g_value_get_int (value));
      break;
    case PROP_SHOW_FREE:
      msc_details_view_set_show_free (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_details_view_class_init (MscDetailsViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = msc_details_view_dispose;
  object_class->get_property = msc_details_view_get_property;
  object_class->set_property = msc_details_view_set_property;

  properties[PROP_TYPE_FILTER] =
    g_param_spec_int ("type-filter", "Type filter",
                      "The MscUseType whose regions are listed, or -1 for all",
                      MSC_DETAILS_ALL_TYPES, MSC_N_TYPES - 1, MSC_DETAILS_ALL_TYPES,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_FREE] =
    g_param_spec_boolean ("show-free", "Show free", "Whether free regions are listed",
                          FALSE, G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/memscope/Memscope/msc-details-view.ui");
  gtk_widget_class_bind_template_child (widget_class, MscDetailsView, tree_view);
  gtk_widget_class_bind_template_child (widget_class, MscDetailsView, column_change);
  gtk_widget_class_bind_template_child (widget_class, MscDetailsView, column_address);
}

static void
msc_details_view_init (MscDetailsView *self)
{
  self->type_filter = MSC_DETAILS_ALL_TYPES;
  self->address_digits = 16;
  gtk_widget_init_template (GTK_WIDGET (self));
  /* Named on this container, not on the tree view: asking for the tree
   * view's own accessible makes GTK announce each of 100,000 rows to it when
   * the model is set (0.4 s). An assistive technology creates it anyway and
   * finds the table inside "Details". (A GtkScrolledWindow template cannot
   * name its accessible in the .ui: its scrollbars do not exist yet.) */
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self)), _("Details"));
  atk_object_set_description (gtk_widget_get_accessible (GTK_WIDGET (self)),
                              _("The regions of the address space"));
  gtk_tree_view_set_search_equal_func (self->tree_view, msc_details_view_search_equal, NULL, NULL);
  /* The Change column comes first when shown; the tree stays on Address. */
  gtk_tree_view_set_expander_column (self->tree_view, self->column_address);
  msc_details_view_setup_marks (self);
  g_signal_connect_object (self->tree_view, "style-updated", G_CALLBACK (msc_details_view_style_updated), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
msc_details_view_new (void)
{
  return g_object_new (MSC_TYPE_DETAILS_VIEW, NULL);
}
