/* msc-trace-list.c — see msc-trace-list.h. */
#include "config.h"

#include <glib/gi18n.h>

#include "ui/msc-trace-list.h"
#include "ui/msc-ui-util.h"

GtkListStore *
msc_trace_list_store_new (void)
{
  return gtk_list_store_new (MSC_TRACE_LIST_N_COLUMNS, G_TYPE_STRING, G_TYPE_UINT, G_TYPE_STRING,
                             G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                             G_TYPE_STRING, G_TYPE_STRING, G_TYPE_UINT);
}

static void
msc_trace_list_column (GtkTreeView *view,
                       const char  *title,
                       int          model_column,
                       gboolean     number)
{
  GtkCellRenderer *renderer = gtk_cell_renderer_text_new ();
  GtkTreeViewColumn *column;

  if (number)
    g_object_set (renderer, "xalign", 1.0, "family", "Monospace", NULL);
  else if (model_column == MSC_TRACE_LIST_FUNCTION || model_column == MSC_TRACE_LIST_MODULE
           || model_column == MSC_TRACE_LIST_RESULT)
    g_object_set (renderer, "ellipsize", PANGO_ELLIPSIZE_END, NULL);
  column = gtk_tree_view_column_new_with_attributes (title, renderer, "text", model_column, NULL);
  gtk_tree_view_column_set_resizable (column, TRUE);
  if (number)
    gtk_tree_view_column_set_alignment (column, 1.0);
  gtk_tree_view_column_set_expand (column, model_column == MSC_TRACE_LIST_FUNCTION);
  gtk_tree_view_append_column (view, column);
}

void
msc_trace_list_add_columns (GtkTreeView *view,
                            guint        optional)
{
  msc_trace_list_column (view, _("Time (s)"), MSC_TRACE_LIST_TIME, TRUE);
  msc_trace_list_column (view, _("Thread"), MSC_TRACE_LIST_THREAD, TRUE);
  msc_trace_list_column (view, _("Operation"), MSC_TRACE_LIST_OPERATION, FALSE);
  msc_trace_list_column (view, _("Address"), MSC_TRACE_LIST_ADDRESS, TRUE);
  msc_trace_list_column (view, _("Size"), MSC_TRACE_LIST_SIZE, TRUE);
  msc_trace_list_column (view, _("Result"), MSC_TRACE_LIST_RESULT, FALSE);
  if (optional & MSC_TRACE_LIST_WITH_HEAP)
    msc_trace_list_column (view, _("Heap"), MSC_TRACE_LIST_HEAP, FALSE);
  if (optional & MSC_TRACE_LIST_WITH_STATUS)
    msc_trace_list_column (view, _("Status"), MSC_TRACE_LIST_STATUS, FALSE);
  msc_trace_list_column (view, _("Function"), MSC_TRACE_LIST_FUNCTION, FALSE);
  msc_trace_list_column (view, _("Module"), MSC_TRACE_LIST_MODULE, FALSE);
}

char *
msc_trace_list_result_text (MscTrace *trace,
                            guint     event)
{
  const MscTraceRecord *e = msc_trace_get_event (trace, event);
  const MscTraceExtra *x = msc_trace_get_extra (trace, event);

  if (x != NULL && x->error != 0)
    return g_strdup (g_strerror (x->error));
  /* An allocation that gave nothing back failed (out of memory). */
  if (msc_trace_op_is_heap (e->op) && e->op != MSC_TRACE_FREE && e->address == 0 && e->size > 0)
    return g_strdup (_("NULL"));
  return g_strdup ("");
}

char *
msc_trace_list_module_text (MscTrace *trace,
                            guint32   stack)
{
  const MscTraceNode *node = stack != 0 ? msc_trace_get_node (trace, stack) : NULL;
  const MscTraceFrame *frame = node != NULL ? msc_trace_get_frame (trace, node->frame) : NULL;

  return frame != NULL && frame->module != NULL ? g_path_get_basename (frame->module) : g_strdup ("");
}

char *
msc_trace_list_origin_text (MscTrace           *trace,
                            const MscLiveBlock *origin)
{
  const MscTraceRecord *e = msc_trace_get_event (trace, origin->event);
  g_autofree char *function = origin->stack != 0 ? msc_trace_dup_node_label (trace, origin->stack) : g_strdup ("?");

  /* Translators: "Made by mmap in new_heap at 0.012345 s, thread 4242" */
  return g_strdup_printf (_("Made by %s in %s at %.6f s, thread %u"), msc_trace_op_name (e->op), function,
                          (double) e->time / 1e9, msc_trace_get_thread_id (trace, e->thread));
}

char *
msc_trace_list_heap_text (const MscRegionTable *regions,
                          guint64               address)
{
  size_t index = regions != NULL ? msc_region_table_find (regions, address) : MSC_NO_PARENT;
  MscRegion region;

  if (index == MSC_NO_PARENT)
    return g_strdup ("");
  region = msc_region_table_row (regions, index);
  if (region.type != MSC_TYPE_HEAP || region.heap_id == 0)
    return g_strdup ("");
  /* Translators: the heap a block lies in, "Heap 2" (VMMap's Heap ID) */
  return g_strdup_printf (_("Heap %u"), region.heap_id);
}

void
msc_trace_list_append (GtkListStore *store,
                       MscTrace     *trace,
                       guint         event,
                       const char   *status)
{
  const MscTraceRecord *e = msc_trace_get_event (trace, event);
  g_autofree char *time = g_strdup_printf ("%.6f", (double) e->time / 1e9);
  g_autofree char *address = g_strdup_printf ("%016" G_GINT64_MODIFIER "X", e->address);
  g_autofree char *size = msc_format_count (e->size);
  g_autofree char *function = e->stack != 0 ? msc_trace_dup_node_label (trace, e->stack) : g_strdup ("");
  g_autofree char *result = msc_trace_list_result_text (trace, event);
  g_autofree char *module = msc_trace_list_module_text (trace, e->stack);

  gtk_list_store_insert_with_values (store, NULL, -1,
                                     MSC_TRACE_LIST_TIME, time,
                                     MSC_TRACE_LIST_THREAD, msc_trace_get_thread_id (trace, e->thread),
                                     MSC_TRACE_LIST_OPERATION, msc_trace_op_name (e->op),
                                     MSC_TRACE_LIST_ADDRESS, address,
                                     MSC_TRACE_LIST_SIZE, size,
                                     MSC_TRACE_LIST_RESULT, result,
                                     MSC_TRACE_LIST_STATUS, status != NULL ? status : "",
                                     MSC_TRACE_LIST_FUNCTION, function,
                                     MSC_TRACE_LIST_MODULE, module,
                                     MSC_TRACE_LIST_EVENT, event,
                                     -1);
}

guint
msc_trace_list_fill (GtkListStore *store,
                     MscTrace     *trace,
                     GArray       *events)
{
  gtk_list_store_clear (store);
  for (guint i = 0; i < events->len && i < MSC_TRACE_LIST_MAX_ROWS; i++)
    msc_trace_list_append (store, trace, g_array_index (events, guint, i), NULL);
  return events->len;
}

void
msc_trace_list_show_stack (GtkTreeView   *view,
                           MscTrace      *trace,
                           GtkTextBuffer *buffer)
{
  GtkTreeModel *model;
  GtkTreeIter iter;
  g_autofree char *text = NULL;
  guint event = 0;

  if (gtk_tree_selection_get_selected (gtk_tree_view_get_selection (view), &model, &iter))
    {
      gtk_tree_model_get (model, &iter, MSC_TRACE_LIST_EVENT, &event, -1);
      text = msc_trace_dup_stack_text (trace, msc_trace_get_event (trace, event)->stack);
    }
  gtk_text_buffer_set_text (buffer, text != NULL ? text : "", -1);
}
