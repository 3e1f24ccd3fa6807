/* msc-trace-model.c — see msc-trace-model.h. An iter is a row of the
 * window; moving the window changes what the rows show (row-changed), and
 * their number only at the end of the list. A new filter makes a new
 * model. */
#include "config.h"

#include "ui/msc-trace-list.h"
#include "ui/msc-trace-model.h"
#include "ui/msc-ui-util.h"

struct _MscTraceModel
{
  GObject   parent_instance;

  MscTrace *trace;
  GArray   *events;
  MscSnapshot *snapshot;   /* the heaps blocks lie in, or NULL */
  guint     offset;
  guint     count;    /* rows exposed */
  int       stamp;
};

static void msc_trace_model_tree_model_init (GtkTreeModelIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MscTraceModel, msc_trace_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GTK_TYPE_TREE_MODEL, msc_trace_model_tree_model_init))

static GtkTreeModelFlags
msc_trace_model_get_flags (GtkTreeModel *model)
{
  return GTK_TREE_MODEL_LIST_ONLY | GTK_TREE_MODEL_ITERS_PERSIST;
}

static int
msc_trace_model_get_n_columns (GtkTreeModel *model)
{
  return MSC_TRACE_LIST_N_COLUMNS;
}

static GType
msc_trace_model_get_column_type (GtkTreeModel *model,
                                 int           column)
{
  return column == MSC_TRACE_LIST_THREAD || column == MSC_TRACE_LIST_EVENT ? G_TYPE_UINT : G_TYPE_STRING;
}

static gboolean
msc_trace_model_set_row (MscTraceModel *self,
                         GtkTreeIter   *iter,
                         gint64         row)
{
  if (row < 0 || row >= (gint64) self->count)
    return FALSE;
  iter->stamp = self->stamp;
  iter->user_data = GSIZE_TO_POINTER ((gsize) row);
  return TRUE;
}

static guint
msc_trace_model_row (GtkTreeIter *iter)
{
  return (guint) GPOINTER_TO_SIZE (iter->user_data);
}

static gboolean
msc_trace_model_get_iter (GtkTreeModel *model,
                          GtkTreeIter  *iter,
                          GtkTreePath  *path)
{
  if (gtk_tree_path_get_depth (path) != 1)
    return FALSE;
  return msc_trace_model_set_row (MSC_TRACE_MODEL (model), iter, gtk_tree_path_get_indices (path)[0]);
}

static GtkTreePath *
msc_trace_model_get_path (GtkTreeModel *model,
                          GtkTreeIter  *iter)
{
  return gtk_tree_path_new_from_indices ((int) msc_trace_model_row (iter), -1);
}

static void
msc_trace_model_get_value (GtkTreeModel *model,
                           GtkTreeIter  *iter,
                           int           column,
                           GValue       *value)
{
  MscTraceModel *self = MSC_TRACE_MODEL (model);
  guint event = g_array_index (self->events, guint, self->offset + msc_trace_model_row (iter));
  const MscTraceRecord *e = msc_trace_get_event (self->trace, event);

  g_value_init (value, msc_trace_model_get_column_type (model, column));
  switch (column)
    {
    case MSC_TRACE_LIST_TIME:
      g_value_take_string (value, g_strdup_printf ("%.6f", (double) e->time / 1e9));
      break;
    case MSC_TRACE_LIST_THREAD:
      g_value_set_uint (value, msc_trace_get_thread_id (self->trace, e->thread));
      break;
    case MSC_TRACE_LIST_OPERATION:
      g_value_set_static_string (value, msc_trace_op_name (e->op));
      break;
    case MSC_TRACE_LIST_ADDRESS:
      g_value_take_string (value, g_strdup_printf ("%016" G_GINT64_MODIFIER "X", e->address));
      break;
    case MSC_TRACE_LIST_SIZE:
      g_value_take_string (value, msc_format_count (e->size));
      break;
    case MSC_TRACE_LIST_FUNCTION:
      g_value_take_string (value, e->stack != 0 ? msc_trace_dup_node_label (self->trace, e->stack) : NULL);
      break;
    case MSC_TRACE_LIST_RESULT:
      g_value_take_string (value, msc_trace_list_result_text (self->trace, event));
      break;
    case MSC_TRACE_LIST_MODULE:
      g_value_take_string (value, msc_trace_list_module_text (self->trace, e->stack));
      break;
    case MSC_TRACE_LIST_HEAP:
      g_value_take_string (value, msc_trace_list_heap_text (self->snapshot != NULL ? msc_snapshot_get_regions (self->snapshot)
                                                                                    : NULL, e->address));
      break;
    case MSC_TRACE_LIST_EVENT:
      g_value_set_uint (value, event);
      break;
    default:
      break;
    }
}

static gboolean
msc_trace_model_iter_next (GtkTreeModel *model,
                           GtkTreeIter  *iter)
{
  return msc_trace_model_set_row (MSC_TRACE_MODEL (model), iter, (gint64) msc_trace_model_row (iter) + 1);
}

static gboolean
msc_trace_model_iter_previous (GtkTreeModel *model,
                               GtkTreeIter  *iter)
{
  return msc_trace_model_set_row (MSC_TRACE_MODEL (model), iter, (gint64) msc_trace_model_row (iter) - 1);
}

static gboolean
msc_trace_model_iter_children (GtkTreeModel *model,
                               GtkTreeIter  *iter,
                               GtkTreeIter  *parent)
{
  return parent == NULL && msc_trace_model_set_row (MSC_TRACE_MODEL (model), iter, 0);
}

static gboolean
msc_trace_model_iter_has_child (GtkTreeModel *model,
                                GtkTreeIter  *iter)
{
  return FALSE;
}

static int
msc_trace_model_iter_n_children (GtkTreeModel *model,
                                 GtkTreeIter  *iter)
{
  return iter == NULL ? (int) MSC_TRACE_MODEL (model)->count : 0;
}

static gboolean
msc_trace_model_iter_nth_child (GtkTreeModel *model,
                                GtkTreeIter  *iter,
                                GtkTreeIter  *parent,
                                int           n)
{
  return parent == NULL && msc_trace_model_set_row (MSC_TRACE_MODEL (model), iter, n);
}

static gboolean
msc_trace_model_iter_parent (GtkTreeModel *model,
                             GtkTreeIter  *iter,
                             GtkTreeIter  *child)
{
  return FALSE;
}

static void
msc_trace_model_tree_model_init (GtkTreeModelIface *iface)
{
  iface->get_flags = msc_trace_model_get_flags;
  iface->get_n_columns = msc_trace_model_get_n_columns;
  iface->get_column_type = msc_trace_model_get_column_type;
  iface->get_iter = msc_trace_model_get_iter;
  iface->get_path = msc_trace_model_get_path;
  iface->get_value = msc_trace_model_get_value;
  iface->iter_next = msc_trace_model_iter_next;
  iface->iter_previous = msc_trace_model_iter_previous;
  iface->iter_children = msc_trace_model_iter_children;
  iface->iter_has_child = msc_trace_model_iter_has_child;
  iface->iter_n_children = msc_trace_model_iter_n_children;
  iface->iter_nth_child = msc_trace_model_iter_nth_child;
  iface->iter_parent = msc_trace_model_iter_parent;
}

static void
msc_trace_model_finalize (GObject *object)
{
  MscTraceModel *self = MSC_TRACE_MODEL (object);

  g_clear_object (&self->trace);
  g_clear_object (&self->snapshot);
  g_clear_pointer (&self->events, g_array_unref);
  G_OBJECT_CLASS (msc_trace_model_parent_class)->finalize (object);
}

static void
msc_trace_model_class_init (MscTraceModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = msc_trace_model_finalize;
}

static void
msc_trace_model_init (MscTraceModel *self)
{
  self->stamp = g_random_int ();
}

MscTraceModel *
msc_trace_model_new (MscTrace    *trace,
                     MscSnapshot *snapshot,
                     GArray      *events)
{
  MscTraceModel *self = g_object_new (MSC_TYPE_TRACE_MODEL, NULL);

  self->trace = g_object_ref (trace);
  self->snapshot = snapshot != NULL ? g_object_ref (snapshot) : NULL;
  self->events = events;
  self->count = MIN (events->len, 64);
  return self;
}

guint
msc_trace_model_get_event (MscTraceModel *self,
                           GtkTreeIter   *iter)
{
  g_return_val_if_fail (MSC_IS_TRACE_MODEL (self), 0);
  return g_array_index (self->events, guint, self->offset + msc_trace_model_row (iter));
}

void
msc_trace_model_set_window (MscTraceModel *self,
                            guint          offset,
                            guint          count)
{
  guint old_count, shared;
  GtkTreeIter iter;

  g_return_if_fail (MSC_IS_TRACE_MODEL (self));

  count = MIN (count, self->events->len);
  offset = MIN (offset, self->events->len - count);
  old_count = self->count;
  if (offset == self->offset && count == old_count)
    return;
  self->offset = offset;
  /* Rows that stay show other operations; the rest come or go at the end. */
  shared = MIN (old_count, count);
  for (guint row = 0; row < shared; row++)
    {
      g_autoptr(GtkTreePath) path = gtk_tree_path_new_from_indices ((int) row, -1);

      msc_trace_model_set_row (self, &iter, row);
      gtk_tree_model_row_changed (GTK_TREE_MODEL (self), path, &iter);
    }
  for (guint row = old_count; row > count; row--)
    {
      g_autoptr(GtkTreePath) path = gtk_tree_path_new_from_indices ((int) row - 1, -1);

      self->count = row - 1;
      gtk_tree_model_row_deleted (GTK_TREE_MODEL (self), path);
    }
  for (guint row = old_count; row < count; row++)
    {
      g_autoptr(GtkTreePath) path = gtk_tree_path_new_from_indices ((int) row, -1);

      self->count = row + 1;
      msc_trace_model_set_row (self, &iter, row);
      gtk_tree_model_row_inserted (GTK_TREE_MODEL (self), path, &iter);
    }
  self->count = count;
}

guint
msc_trace_model_get_offset (MscTraceModel *self)
{
  g_return_val_if_fail (MSC_IS_TRACE_MODEL (self), 0);
  return self->offset;
}

GArray *
msc_trace_model_get_events (MscTraceModel *self)
{
  g_return_val_if_fail (MSC_IS_TRACE_MODEL (self), NULL);
  return self->events;
}
