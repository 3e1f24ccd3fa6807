/* msc-details-model.c — GtkTreeModel + GtkTreeSortable over a region table.
 *
 * An iter holds the row's position among the top-level rows (user_data) and
 * its child ordinal + 1 (user_data2; 0 on a top-level row). Sub-blocks follow
 * their region in the table, so the region index is rows[pos] + ordinal.
 * Only the visible rows' cells are ever formatted, one row at a time.
 *
 * A row is a "ref": a region-table index of B (the snapshot), or with
 * MSC_REF_A set an index of the diff's A (a removed region). The one case
 * where children are not simply the regions after their parent, a surviving
 * allocation that lost sub-blocks, gets an explicit merged list.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "model/core/msc-export.h"
#include "model/msc-diff-format.h"
#include "ui/msc-details-model.h"
#include "ui/msc-ui-util.h"

/* Region-table indexes are 32-bit (msc-region-table.c); the top bit is free. */
#define MSC_REF_A      (1u << 31)
#define MSC_REF_INDEX(ref) ((ref) & ~MSC_REF_A)

struct _MscDetailsModel
{
  GObject          parent_instance;

  MscSnapshot     *snapshot;
  const MscRegionTable *table;
  MscDiff         *diff;            /* NULL unless showing changes */
  const MscRegionTable *table_a;    /* the diff's A */
  GArray          *rows;            /* guint ref of each top-level row */
  GHashTable      *children;        /* top ref → GArray of child refs, when merged */
  int              stamp;
  int              address_digits;
  int              sort_column;
  GtkSortType      sort_order;

  /* The cells of the last row asked for: a view fetches all columns of a row
   * in a row, so one cache entry saves formatting it 13 times. */
  guint            cached_ref;
  MscCell          cached[MSC_DETAILS_CELLS];
};

static void msc_details_model_tree_model_init (GtkTreeModelIface *iface);
static void msc_details_model_sortable_init (GtkTreeSortableIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MscDetailsModel, msc_details_model, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (GTK_TYPE_TREE_MODEL, msc_details_model_tree_model_init)
  G_IMPLEMENT_INTERFACE (GTK_TYPE_TREE_SORTABLE, msc_details_model_sortable_init))

#define ROW_POS(iter)     GPOINTER_TO_UINT ((iter)->user_data)
#define ROW_ORDINAL(iter) GPOINTER_TO_UINT ((iter)->user_data2)

static void
msc_details_model_set_iter (MscDetailsModel *self,
                            GtkTreeIter     *iter,
                            guint            pos,
                            guint            ordinal)
{
  iter->stamp = self->stamp;
  iter->user_data = GUINT_TO_POINTER (pos);
  iter->user_data2 = GUINT_TO_POINTER (ordinal);
  iter->user_data3 = NULL;
}

static guint
msc_details_model_top (MscDetailsModel *self,
                       guint            pos)
{
  return g_array_index (self->rows, guint, pos);
}

static const MscRegionTable *
msc_details_model_table_of (MscDetailsModel *self,
                            guint            ref)
{
  return (ref & MSC_REF_A) ? self->table_a : self->table;
}

static MscRegion
msc_details_model_region_of (MscDetailsModel *self,
                             guint            ref)
{
  return msc_region_table_row (msc_details_model_table_of (self, ref), MSC_REF_INDEX (ref));
}

static const char *
msc_details_model_details_of (MscDetailsModel *self,
                              guint            ref)
{
  return msc_region_table_details (msc_details_model_table_of (self, ref), MSC_REF_INDEX (ref));
}

static GArray *
msc_details_model_merged (MscDetailsModel *self,
                          guint            top)
{
  return self->children != NULL ? g_hash_table_lookup (self->children, GUINT_TO_POINTER (top)) : NULL;
}

/* The ref of the ordinal-th child (1-based) of the row at pos, or the row. */
static guint
msc_details_model_child_ref (MscDetailsModel *self,
                             guint            pos,
                             guint            ordinal)
{
  guint top = msc_details_model_top (self, pos);
  GArray *merged;

  if (ordinal == 0)
    return top;
  merged = msc_details_model_merged (self, top);
  if (merged != NULL)
    return g_array_index (merged, guint, ordinal - 1);
  return top + ordinal;
}

static guint
msc_details_model_ref (MscDetailsModel *self,
                       GtkTreeIter     *iter)
{
  return msc_details_model_child_ref (self, ROW_POS (iter), ROW_ORDINAL (iter));
}

static guint
msc_details_model_n_children_at (MscDetailsModel *self,
                                 guint            pos)
{
  guint top = msc_details_model_top (self, pos);
  GArray *merged = msc_details_model_merged (self, top);

  if (merged != NULL)
    return merged->len;
  return msc_region_table_n_children (msc_details_model_table_of (self, top), MSC_REF_INDEX (top));
}

static gboolean
msc_details_model_valid (MscDetailsModel *self,
                         GtkTreeIter     *iter)
{
  return iter != NULL && iter->stamp == self->stamp && ROW_POS (iter) < self->rows->len;
}

/* ---- GtkTreeModel ---- */

static GtkTreeModelFlags
msc_details_model_get_flags (GtkTreeModel *model)
{
  return 0;
}

static int
msc_details_model_get_n_columns (GtkTreeModel *model)
{
  return MSC_DETAILS_N_COLUMNS;
}

static GType
msc_details_model_get_column_type (GtkTreeModel *model,
                                   int           column)
{
  return G_TYPE_STRING;
}

static MscDiffStatus
msc_details_model_status_of (MscDetailsModel *self,
                             guint            ref,
                             guint           *changed)
{
  if (changed != NULL)
    *changed = 0;
  if (self->diff == NULL)
    return MSC_DIFF_SAME;
  if (ref & MSC_REF_A)
    return MSC_DIFF_REMOVED;
  return msc_diff_get_status_b (self->diff, ref, changed);
}

static gboolean
msc_details_model_get_iter (GtkTreeModel *model,
                            GtkTreeIter  *iter,
                            GtkTreePath  *path)
{
  MscDetailsModel *self = MSC_DETAILS_MODEL (model);
  int depth = gtk_tree_path_get_depth (path);
  int *indices = gtk_tree_path_get_indices (path);

  if (depth < 1 || depth > 2 || indices[0] < 0 || (guint) indices[0] >= self->rows->len)
    return FALSE;
  if (depth == 2 && (indices[1] < 0 || (guint) indices[1] >= msc_details_model_n_children_at (self, indices[0])))
    return FALSE;
  msc_details_model_set_iter (self, iter, indices[0], depth == 2 ? indices[1] + 1 : 0);
  return TRUE;
}

static GtkTreePath *
msc_details_model_get_path (GtkTreeModel *model,
                            GtkTreeIter  *iter)
{
  MscDetailsModel *self = MSC_DETAILS_MODEL (model);

  g_return_val_if_fail (msc_details_model_valid (self, iter), NULL);

  if (ROW_ORDINAL (iter) == 0)
    return gtk_tree_path_new_from_indices (ROW_POS (iter), -1);
  return gtk_tree_path_new_from_indices (ROW_POS (iter), ROW_ORDINAL (iter) - 1, -1);
}

static const MscCell *
msc_details_model_cells (MscDetailsModel *self,
                         guint            ref)
{
  if (ref != self->cached_ref)
    {
      MscRegion region = msc_details_model_region_of (self, ref);

      msc_export_details_cells (&region, self->address_digits, self->cached);
      self->cached_ref = ref;
    }
  return self->cached;
}

/* Details as every text view shows them (a newline in a mapped path as
 * "\n"); plain ASCII, nearly every row, is shown without a copy. */
static void
msc_details_model_set_details (GValue     *value,
                               const char *details)
{
  for (const guchar *p = (const guchar *) details; *p != '\0'; p++)
    if (*p < 0x20 || *p >= 0x7F)
      {
        g_value_take_string (value, msc_text_escaped (details));
        return;
      }
  g_value_set_static_string (value, details);
}

static void
msc_details_model_get_value (GtkTreeModel *model,
                             GtkTreeIter  *iter,
                             int           column,
                             GValue       *value)
{
  MscDetailsModel *self = MSC_DETAILS_MODEL (model);
  guint ref;
  const MscCell *cell;
  const char *text;

  g_return_if_fail (msc_details_model_valid (self, iter));
  g_return_if_fail (column >= 0 && column < MSC_DETAILS_N_COLUMNS);

  g_value_init (value, G_TYPE_STRING);
  ref = msc_details_model_ref (self, iter);
  switch (column)
    {
    case MSC_DETAILS_COLUMN_DETAILS:
      msc_details_model_set_details (value, msc_details_model_details_of (self, ref));
      return;
    case MSC_DETAILS_COLUMN_CHANGE:
      g_value_set_static_string (value, msc_diff_status_text (msc_details_model_status_of (self, ref, NULL)));
      return;
    case MSC_DETAILS_COLUMN_CHANGE_ICON:
      g_value_set_static_string (value, msc_diff_status_icon (msc_details_model_status_of (self, ref, NULL)));
      return;
    default:
      break;
    }
  cell = &msc_details_model_cells (self, ref)[column];
  text = cell->text;
  /* The text export indents sub-block addresses; the tree already does. */
  while (column == MSC_DETAILS_COLUMN_ADDRESS && *text == ' ')
    text++;
  g_value_take_string (value, g_strndup (text, cell->len - (gsize) (text - cell->text)));
}

static gboolean
msc_details_model_iter_next (GtkTreeModel *model,
                             GtkTreeIter  *iter)
{
  MscDetailsModel *self = MSC_DETAILS_MODEL (model);
  guint pos = ROW_POS (iter);
  guint ordinal = ROW_ORDINAL (iter);

  g_return_val_if_fail (msc_details_model_valid (self, iter), FALSE);

  if (ordinal == 0 ? pos + 1 < self->rows->len : ordinal < msc_details_model_n_children_at (self, pos))
    {
      msc_details_model_set_iter (self, iter, ordinal == 0 ? pos + 1 : pos, ordinal == 0 ? 0 : ordinal + 1);
      return TRUE;
    }
  iter->stamp = 0;
  return FALSE;
}

static gboolean
msc_details_model_iter_nth_child (GtkTreeModel *model,
                                  GtkTreeIter  *iter,
                                  GtkTreeIter  *parent,
                                  int           n)
{
  MscDetailsModel *self = MSC_DETAILS_MODEL (model);

  if (n < 0)
    return FALSE;
  if (parent == NULL)
    {
      if ((guint) n >= self->rows->len)
        return FALSE;
      msc_details_model_set_iter (self, iter, n, 0);
      return TRUE;
    }
  g_return_val_if_fail (msc_details_model_valid (self, parent), FALSE);
  if (ROW_ORDINAL (parent) != 0 || (guint) n >= msc_details_model_n_children_at (self, ROW_POS (parent)))
    return FALSE;
  msc_details_model_set_iter (self, iter, ROW_POS (parent), n + 1);
  return TRUE;
}

static gboolean
msc_details_model_iter_children (GtkTreeModel *model,
                                 GtkTreeIter  *iter,
                                 GtkTreeIter  *parent)
{
  return msc_details_model_iter_nth_child (model, iter, parent, 0);
}

static int
msc_details_model_iter_n_children (GtkTreeModel *model,
                                   GtkTreeIter  *iter)
{
  MscDetailsModel *self = MSC_DETAILS_MODEL (model);

  if (iter == NULL)
    return self->rows->len;
  g_return_val_if_fail (msc_details_model_valid (self, iter), 0);
  if (ROW_ORDINAL (iter) != 0)
    return 0;
  return msc_details_model_n_children_at (self, ROW_POS (iter));
}

static gboolean
msc_details_model_iter_has_child (GtkTreeModel *model,
                                  GtkTreeIter  *iter)
{
  return msc_details_model_iter_n_children (model, iter) > 0;
}

static gboolean
msc_details_model_iter_parent (GtkTreeModel *model,
                               GtkTreeIter  *iter,
                               GtkTreeIter  *child)
{
  MscDetailsModel *self = MSC_DETAILS_MODEL (model);

  g_return_val_if_fail (msc_details_model_valid (self, child), FALSE);

  if (ROW_ORDINAL (child) == 0)
    return FALSE;
  msc_details_model_set_iter (self, iter, ROW_POS (child), 0);
  return TRUE;
}

static void
msc_details_model_tree_model_init (GtkTreeModelIface *iface)
{
  iface->get_flags = msc_details_model_get_flags;
  iface->get_n_columns = msc_details_model_get_n_columns;
  iface->get_column_type = msc_details_model_get_column_type;
  iface->get_iter = msc_details_model_get_iter;
  iface->get_path = msc_details_model_get_path;
  iface->get_value = msc_details_model_get_value;
  iface->iter_next = msc_details_model_iter_next;
  iface->iter_children = msc_details_model_iter_children;
  iface->iter_has_child = msc_details_model_iter_has_child;
  iface->iter_n_children = msc_details_model_iter_n_children;
  iface->iter_nth_child = msc_details_model_iter_nth_child;
  iface->iter_parent = msc_details_model_iter_parent;
}

/* ---- GtkTreeSortable ---- */

static guint64
msc_region_sort_number (const MscRegion *region,
                        int              column)
{
  switch (column)
    {
    case MSC_DETAILS_COLUMN_SIZE:         return region->size;
    case MSC_DETAILS_COLUMN_COMMITTED:    return region->committed;
    case MSC_DETAILS_COLUMN_PRIVATE:      return region->private_bytes;
    case MSC_DETAILS_COLUMN_TOTAL_WS:     return region->total_ws;
    case MSC_DETAILS_COLUMN_PRIVATE_WS:   return region->private_ws;
    case MSC_DETAILS_COLUMN_SHAREABLE_WS: return region->shareable_ws;
    case MSC_DETAILS_COLUMN_SHARED_WS:    return region->shared_ws;
    case MSC_DETAILS_COLUMN_LOCKED_WS:    return region->locked_ws;
    case MSC_DETAILS_COLUMN_BLOCKS:       return region->blocks;
    case MSC_DETAILS_COLUMN_ADDRESS:
    default:                              return region->address;
    }
}

/* Sorting by Change puts the changes first: New, Removed, Changed, then
 * the unchanged rows. */
static int
msc_details_change_rank (MscDiffStatus status)
{
  static const int rank[] = {
    [MSC_DIFF_NEW] = 0, [MSC_DIFF_REMOVED] = 1, [MSC_DIFF_CHANGED] = 2, [MSC_DIFF_SAME] = 3,
  };

  return rank[status];
}

static int
msc_details_model_compare_text (MscDetailsModel *self,
                                guint            a,
                                guint            b)
{
  MscRegion ra = msc_details_model_region_of (self, a);
  MscRegion rb = msc_details_model_region_of (self, b);
  char pa[MSC_PROTECTION_LEN], pb[MSC_PROTECTION_LEN];

  switch (self->sort_column)
    {
    case MSC_DETAILS_COLUMN_CHANGE:
    case MSC_DETAILS_COLUMN_CHANGE_ICON:
      return msc_details_change_rank (msc_details_model_status_of (self, a, NULL))
             - msc_details_change_rank (msc_details_model_status_of (self, b, NULL));
    case MSC_DETAILS_COLUMN_TYPE:
      return strcmp (msc_region_type_string (&ra), msc_region_type_string (&rb));
    case MSC_DETAILS_COLUMN_PROTECTION:
      return strcmp (msc_protection_string (msc_region_shown_protection (&ra), pa, sizeof pa),
                     msc_protection_string (msc_region_shown_protection (&rb), pb, sizeof pb));
    case MSC_DETAILS_COLUMN_DETAILS:
      return strcmp (msc_details_model_details_of (self, a), msc_details_model_details_of (self, b));
    default:
      {
        guint64 na = msc_region_sort_number (&ra, self->sort_column);
        guint64 nb = msc_region_sort_number (&rb, self->sort_column);

        return (na > nb) - (na < nb);
      }
    }
}

/* Address order; a removed region (A) before the new one (B) at its place. */
static int
msc_details_model_compare_address (MscDetailsModel *self,
                                   guint            a,
                                   guint            b)
{
  guint64 xa = msc_region_table_address (msc_details_model_table_of (self, a), MSC_REF_INDEX (a));
  guint64 xb = msc_region_table_address (msc_details_model_table_of (self, b), MSC_REF_INDEX (b));

  if (xa != xb)
    return (xa > xb) - (xa < xb);
  return ((b & MSC_REF_A) != 0) - ((a & MSC_REF_A) != 0);
}

/* Sorts positions (old top-level positions); equal keys keep address order,
 * whatever the direction, so a sort is repeatable. */
static int
msc_details_model_compare (gconstpointer a,
                           gconstpointer b,
                           gpointer      user_data)
{
  MscDetailsModel *self = user_data;
  guint ia = msc_details_model_top (self, *(const guint *) a);
  guint ib = msc_details_model_top (self, *(const guint *) b);
  int result = msc_details_model_compare_text (self, ia, ib);

  if (result == 0)
    return msc_details_model_compare_address (self, ia, ib);
  return self->sort_order == GTK_SORT_DESCENDING ? -result : result;
}

static void
msc_details_model_sort (MscDetailsModel *self,
                        gboolean         notify)
{
  guint n = self->rows->len;
  g_autofree guint *order = g_new (guint, MAX (n, 1));
  g_autoptr(GArray) sorted = g_array_sized_new (FALSE, FALSE, sizeof (guint), n);
  g_autoptr(GtkTreePath) root = gtk_tree_path_new ();

  for (guint i = 0; i < n; i++)
    order[i] = i;
  g_qsort_with_data (order, n, sizeof (guint), msc_details_model_compare, self);
  for (guint i = 0; i < n; i++)
    g_array_append_val (sorted, g_array_index (self->rows, guint, order[i]));
  g_array_unref (self->rows);
  self->rows = g_steal_pointer (&sorted);
  self->stamp++;
  if (notify && n > 0)
    gtk_tree_model_rows_reordered_with_length (GTK_TREE_MODEL (self), root, NULL, (int *) order, n);
}

static gboolean
msc_details_model_get_sort_column_id (GtkTreeSortable *sortable,
                                      int             *column,
                                      GtkSortType     *order)
{
  MscDetailsModel *self = MSC_DETAILS_MODEL (sortable);

  if (column != NULL)
    *column = self->sort_column;
  if (order != NULL)
    *order = self->sort_order;
  return TRUE;
}

static void
msc_details_model_set_sort_column_id (GtkTreeSortable *sortable,
                                      int              column,
                                      GtkSortType      order)
{
  MscDetailsModel *self = MSC_DETAILS_MODEL (sortable);

  /* Only our own columns: there is no default or custom sort function. */
  if (column < 0 || column >= MSC_DETAILS_N_COLUMNS)
    return;
  if (column == self->sort_column && order == self->sort_order)
    return;
  self->sort_column = column;
  self->sort_order = order;
  msc_details_model_sort (self, TRUE);
  gtk_tree_sortable_sort_column_changed (sortable);
}

static gboolean
msc_details_model_has_default_sort_func (GtkTreeSortable *sortable)
{
  return FALSE;
}

static void
msc_details_model_sortable_init (GtkTreeSortableIface *iface)
{
  iface->get_sort_column_id = msc_details_model_get_sort_column_id;
  iface->set_sort_column_id = msc_details_model_set_sort_column_id;
  iface->has_default_sort_func = msc_details_model_has_default_sort_func;
}

/* ---- construction ---- */

static gboolean
msc_details_model_accepts (guint8   type,
                           int      type_filter,
                           gboolean show_free)
{
  if (type == MSC_TYPE_PAGE_TABLE)
    return FALSE;
  if (type_filter != MSC_DETAILS_ALL_TYPES)
    return type == type_filter;
  return type != MSC_TYPE_FREE || show_free;
}

static void
msc_details_model_finalize (GObject *object)
{
  MscDetailsModel *self = MSC_DETAILS_MODEL (object);

  g_clear_pointer (&self->rows, g_array_unref);
  g_clear_pointer (&self->children, g_hash_table_unref);
  g_clear_object (&self->diff);
  g_clear_object (&self->snapshot);

  G_OBJECT_CLASS (msc_details_model_parent_class)->finalize (object);
}

static void
msc_details_model_class_init (MscDetailsModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = msc_details_model_finalize;
}

static void
msc_details_model_init (MscDetailsModel *self)
{
  self->stamp = g_random_int ();
  self->cached_ref = G_MAXUINT;
  self->sort_column = MSC_DETAILS_COLUMN_ADDRESS;
  self->sort_order = GTK_SORT_ASCENDING;
}

/* The top-level rows of table (flagged refs when it is A) that the filter
 * lets through and, for A, that B no longer has. */
static void
msc_details_model_add_rows (MscDetailsModel      *self,
                            const MscRegionTable *table,
                            guint                 flag,
                            int                   type_filter,
                            gboolean              show_free)
{
  gsize n_top = msc_region_table_n_top_level (table);

  for (gsize k = 0; k < n_top; k++)
    {
      guint index = msc_region_table_top_level (table, k);

      if (flag != 0 && msc_diff_get_status_a (self->diff, index, NULL) != MSC_DIFF_REMOVED)
        continue;
      if (msc_details_model_accepts (msc_region_table_type (table, index), type_filter, show_free))
        {
          guint ref = index | flag;

          g_array_append_val (self->rows, ref);
        }
    }
}

/* A surviving allocation that lost sub-blocks lists B's and the removed
 * ones of A together, in address order. */
static void
msc_details_model_merge_children (MscDetailsModel *self,
                                  guint            top)
{
  gsize top_a = msc_diff_get_match_a (self->diff, top);
  gsize n_a, n_b = msc_region_table_n_children (self->table, top);
  GArray *merged = NULL;
  guint b = 1;

  if (top_a == MSC_NO_PARENT)
    return;
  n_a = msc_region_table_n_children (self->table_a, top_a);
  for (guint k = 1; k <= n_a + 1; k++)
    {
      /* Past A's last (ref 0): the rest of B's, if any of A's was taken. */
      guint ref = k <= n_a ? (guint) (top_a + k) | MSC_REF_A : 0;

      if (ref != 0 && msc_diff_get_status_a (self->diff, top_a + k, NULL) != MSC_DIFF_REMOVED)
        continue;
      if (merged == NULL)
        {
          if (ref == 0)
            return;
          merged = g_array_sized_new (FALSE, FALSE, sizeof (guint), n_a + n_b);
        }
      while (b <= n_b && (ref == 0 || msc_details_model_compare_address (self, top + b, ref) < 0))
        {
          guint child = top + b++;

          g_array_append_val (merged, child);
        }
      if (ref != 0)
        g_array_append_val (merged, ref);
    }
  g_hash_table_insert (self->children, GUINT_TO_POINTER (top), merged);
}

static void
msc_details_model_add_removed (MscDetailsModel *self,
                               int              type_filter,
                               gboolean         show_free)
{
  guint n_b = self->rows->len;

  self->table_a = msc_snapshot_get_regions (msc_diff_get_a (self->diff));
  self->children = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_array_unref);
  for (guint pos = 0; pos < n_b; pos++)
    msc_details_model_merge_children (self, msc_details_model_top (self, pos));
  msc_details_model_add_rows (self, self->table_a, MSC_REF_A, type_filter, show_free);
  /* The removed rows go to their place in address order. */
  if (self->rows->len > n_b)
    msc_details_model_sort (self, FALSE);
}

MscDetailsModel *
msc_details_model_new (MscSnapshot *snapshot,
                       MscDiff     *diff,
                       int          type_filter,
                       gboolean     show_free,
                       int          address_digits)
{
  MscDetailsModel *self;

  g_return_val_if_fail (MSC_IS_SNAPSHOT (snapshot), NULL);
  g_return_val_if_fail (diff == NULL || msc_diff_get_b (diff) == snapshot, NULL);

  self = g_object_new (MSC_TYPE_DETAILS_MODEL, NULL);
  self->snapshot = g_object_ref (snapshot);
  self->table = msc_snapshot_get_regions (snapshot);
  self->address_digits = address_digits;
  self->rows = g_array_sized_new (FALSE, FALSE, sizeof (guint), msc_region_table_n_top_level (self->table));
  msc_details_model_add_rows (self, self->table, 0, type_filter, show_free);
  if (diff != NULL)
    {
      self->diff = g_object_ref (diff);
      msc_details_model_add_removed (self, type_filter, show_free);
    }
  return self;
}

MscSnapshot *
msc_details_model_get_snapshot (MscDetailsModel *self)
{
  g_return_val_if_fail (MSC_IS_DETAILS_MODEL (self), NULL);
  return self->snapshot;
}

guint
msc_details_model_get_n_rows (MscDetailsModel *self)
{
  g_return_val_if_fail (MSC_IS_DETAILS_MODEL (self), 0);
  return self->rows->len;
}

gboolean
msc_details_model_get_region (MscDetailsModel *self,
                              GtkTreeIter     *iter,
                              MscRegion       *region)
{
  g_return_val_if_fail (MSC_IS_DETAILS_MODEL (self), FALSE);
  g_return_val_if_fail (msc_details_model_valid (self, iter), FALSE);
  *region = msc_details_model_region_of (self, msc_details_model_ref (self, iter));
  return TRUE;
}

const char *
msc_details_model_get_details (MscDetailsModel *self,
                               GtkTreeIter     *iter)
{
  g_return_val_if_fail (MSC_IS_DETAILS_MODEL (self), NULL);
  g_return_val_if_fail (msc_details_model_valid (self, iter), NULL);
  return msc_details_model_details_of (self, msc_details_model_ref (self, iter));
}

/* The row of top (a ref), and in it the sub-block holding address. */
static gboolean
msc_details_model_find_in (MscDetailsModel *self,
                           guint            top,
                           guint64          address,
                           GtkTreeIter     *iter)
{
  for (guint pos = 0; pos < self->rows->len; pos++)
    {
      guint n_children;

      if (msc_details_model_top (self, pos) != top)
        continue;
      msc_details_model_set_iter (self, iter, pos, 0);
      n_children = msc_details_model_n_children_at (self, pos);
      for (guint k = 1; k <= n_children; k++)
        {
          MscRegion sub = msc_details_model_region_of (self, msc_details_model_child_ref (self, pos, k));

          if (address >= sub.address && address - sub.address < sub.size)
            msc_details_model_set_iter (self, iter, pos, k);
        }
      return TRUE;
    }
  return FALSE;
}

gboolean
msc_details_model_find_address (MscDetailsModel *self,
                                guint64          address,
                                GtkTreeIter     *iter)
{
  gsize top = msc_region_table_find (self->table, address);

  g_return_val_if_fail (MSC_IS_DETAILS_MODEL (self), FALSE);

  if (top != MSC_NO_PARENT && msc_details_model_find_in (self, top, address, iter))
    return TRUE;
  if (self->table_a == NULL)
    return FALSE;
  top = msc_region_table_find (self->table_a, address);
  return top != MSC_NO_PARENT && msc_details_model_find_in (self, (guint) top | MSC_REF_A, address, iter);
}

MscDiffStatus
msc_details_model_get_status (MscDetailsModel *self,
                              GtkTreeIter     *iter,
                              guint           *changed)
{
  g_return_val_if_fail (MSC_IS_DETAILS_MODEL (self), MSC_DIFF_SAME);
  g_return_val_if_fail (msc_details_model_valid (self, iter), MSC_DIFF_SAME);
  return msc_details_model_status_of (self, msc_details_model_ref (self, iter), changed);
}

guint
msc_details_column_field (int column)
{
  switch (column)
    {
    case MSC_DETAILS_COLUMN_TYPE:
      return MSC_DIFF_FIELD_TYPE;
    case MSC_DETAILS_COLUMN_PROTECTION:
      return MSC_DIFF_FIELD_PROTECTION;
    case MSC_DETAILS_COLUMN_DETAILS:
      return MSC_DIFF_FIELD_DETAILS;
    default:
      /* Size .. Blocks: the field bits follow the columns' order. */
      if (column >= MSC_DETAILS_COLUMN_SIZE && column <= MSC_DETAILS_COLUMN_BLOCKS)
        return 1u << (column - MSC_DETAILS_COLUMN_SIZE);
      return 0;
    }
}
