/* msc-call-tree-dialog.c — the Call Tree dialog. The tree is built by a
 * replay of the whole trace, off the main loop (a trace of millions of
 * operations takes seconds); the store then holds one row per call path. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ui/msc-call-tree-dialog.h"
#include "ui/msc-trace-list.h"
#include "ui/msc-ui-util.h"

enum {
  COLUMN_FUNCTION,
  COLUMN_COUNT,
  COLUMN_TOTAL,
  COLUMN_LIVE,
  COLUMN_PEAK,
  COLUMN_LEAKED,
  COLUMN_NODE,   /* const MscCallNode *, owned by self->tree */
  N_COLUMNS
};

struct _MscCallTreeDialog
{
  GtkDialog       parent_instance;

  GtkSearchEntry *search_entry;
  GtkComboBox    *kind_combo;
  GtkToggleButton *inverted_check;
  GtkTreeView    *tree_view;
  GtkTreeView    *operations_view;
  GtkLabel       *operations_label;
  GtkLabel       *status_label;
  GtkTextBuffer  *stack_buffer;
  GtkTreeStore   *store;
  GtkListStore   *operations;

  MscTrace       *trace;
  MscCallTree    *tree;
  GCancellable   *cancellable;
  guint64         at;
  char           *at_text;
};

G_DEFINE_FINAL_TYPE (MscCallTreeDialog, msc_call_tree_dialog, GTK_TYPE_DIALOG)

typedef struct {
  MscTrace     *trace;
  MscReplayKind kind;
  gboolean      inverted;
  guint64       at;
} MscBuild;

static void
msc_build_free (gpointer data)
{
  MscBuild *build = data;

  g_object_unref (build->trace);
  g_free (build);
}

static void
msc_call_tree_dialog_build_thread (GTask        *task,
                                   gpointer      source,
                                   gpointer      data,
                                   GCancellable *cancellable)
{
  MscBuild *build = data;

  g_task_return_pointer (task, msc_call_tree_new (build->trace, build->kind, build->inverted, build->at),
                         g_object_unref);
}

static void
msc_call_tree_dialog_add_node (MscCallTreeDialog *self,
                               GtkTreeIter       *parent,
                               const MscCallNode *node)
{
  g_autofree char *count = msc_format_count (node->count);
  g_autofree char *total = msc_format_count (node->total);
  g_autofree char *live = msc_format_count (node->live);
  g_autofree char *peak = msc_format_count (node->peak);
  g_autofree char *leaked = msc_format_count (node->leaked);
  GtkTreeIter iter;

  gtk_tree_store_insert_with_values (self->store, &iter, parent, -1,
                                     COLUMN_FUNCTION, parent == NULL ? _("All allocations") : node->function,
                                     COLUMN_COUNT, count, COLUMN_TOTAL, total, COLUMN_LIVE, live,
                                     COLUMN_PEAK, peak, COLUMN_LEAKED, leaked, COLUMN_NODE, node, -1);
  for (guint i = 0; i < node->children->len; i++)
    msc_call_tree_dialog_add_node (self, &iter, g_ptr_array_index (node->children, i));
}

static void
msc_call_tree_dialog_update_status (MscCallTreeDialog *self)
{
  g_autofree char *text = NULL;

  if (self->cancellable != NULL)
    text = g_strdup (_("Replaying the trace…"));
  else
    /* Translators: %s names the snapshot, "snapshot 3, 10:31:02" */
    text = g_strdup_printf (_("Bytes: allocated in all. Live: still allocated at %s. Peak: the most "
                              "allocated at once. Leaked: still allocated when the program ended."),
                            self->at_text != NULL ? self->at_text : _("the end"));
  gtk_label_set_text (self->status_label, text);
}

static void
msc_call_tree_dialog_built (GObject      *source,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  MscCallTreeDialog *self = user_data;
  g_autoptr(MscCallTree) tree = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr(GtkTreePath) first = gtk_tree_path_new_first ();

  /* Cancelled (a newer build replaced it, or the dialog went): drop it. */
  if (tree == NULL || g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    {
      g_object_unref (self);
      return;
    }
  g_clear_object (&self->cancellable);
  gtk_tree_store_clear (self->store);
  gtk_list_store_clear (self->operations);
  g_set_object (&self->tree, tree);
  msc_call_tree_dialog_add_node (self, NULL, msc_call_tree_get_root (tree));
  gtk_tree_view_expand_row (self->tree_view, first, FALSE);
  msc_call_tree_dialog_update_status (self);
  g_object_unref (self);
}

static void
msc_call_tree_dialog_rebuild (MscCallTreeDialog *self)
{
  MscBuild *build = g_new0 (MscBuild, 1);
  g_autoptr(GTask) task = NULL;

  msc_cancellable_drop (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  build->trace = g_object_ref (self->trace);
  build->kind = gtk_combo_box_get_active (self->kind_combo) == 1 ? MSC_REPLAY_MAPPINGS : MSC_REPLAY_HEAP;
  build->inverted = gtk_toggle_button_get_active (self->inverted_check);
  build->at = self->at;
  task = g_task_new (NULL, self->cancellable, msc_call_tree_dialog_built, g_object_ref (self));
  g_task_set_task_data (task, build, msc_build_free);
  g_task_run_in_thread (task, msc_call_tree_dialog_build_thread);
  msc_call_tree_dialog_update_status (self);
}

/* ---- the operations of the selected path ---- */

static void
msc_call_tree_dialog_selection_changed (MscCallTreeDialog *self)
{
  GtkTreeModel *model;
  GtkTreeIter iter;
  const MscCallNode *node = NULL;
  g_autoptr(GArray) events = NULL;
  g_autofree char *function = NULL;
  g_autofree char *text = NULL;
  guint n;

  gtk_list_store_clear (self->operations);
  gtk_text_buffer_set_text (self->stack_buffer, "", -1);
  if (self->tree == NULL || !gtk_tree_selection_get_selected (gtk_tree_view_get_selection (self->tree_view),
                                                               &model, &iter))
    {
      gtk_label_set_text (self->operations_label, _("Select a function to list its operations."));
      return;
    }
  gtk_tree_model_get (model, &iter, COLUMN_NODE, &node, COLUMN_FUNCTION, &function, -1);
  events = msc_call_tree_events_of (self->tree, node);
  n = msc_trace_list_fill (self->operations, self->trace, events);
  if (n > MSC_TRACE_LIST_MAX_ROWS)
    text = g_strdup_printf (_("Operations of %s: %u (the first %u shown)"), function, n, MSC_TRACE_LIST_MAX_ROWS);
  else
    text = g_strdup_printf (_("Operations of %s: %u"), function, n);
  gtk_label_set_text (self->operations_label, text);
  /* The first operation's stack shows at once. */
  if (n > 0)
    {
      g_autoptr(GtkTreePath) first = gtk_tree_path_new_first ();

      gtk_tree_selection_select_path (gtk_tree_view_get_selection (self->operations_view), first);
    }
}

static void
msc_call_tree_dialog_operation_changed (MscCallTreeDialog *self)
{
  msc_trace_list_show_stack (self->operations_view, self->trace, self->stack_buffer);
}

/* ---- finding and expanding ---- */

static void
msc_call_tree_dialog_select (MscCallTreeDialog *self,
                             GtkTreeIter       *iter)
{
  g_autoptr(GtkTreePath) path = gtk_tree_model_get_path (GTK_TREE_MODEL (self->store), iter);

  gtk_tree_view_expand_to_path (self->tree_view, path);
  gtk_tree_view_set_cursor (self->tree_view, path, NULL, FALSE);
  gtk_tree_view_scroll_to_cell (self->tree_view, path, NULL, TRUE, 0.3f, 0);
}

void
msc_call_tree_dialog_expand_heaviest (MscCallTreeDialog *self)
{
  GtkTreeModel *model = GTK_TREE_MODEL (self->store);
  GtkTreeIter iter, child;

  g_return_if_fail (MSC_IS_CALL_TREE_DIALOG (self));

  if (!gtk_tree_selection_get_selected (gtk_tree_view_get_selection (self->tree_view), NULL, &iter)
      && !gtk_tree_model_get_iter_first (model, &iter))
    return;
  /* Children are stored most bytes first. */
  while (gtk_tree_model_iter_children (model, &child, &iter))
    iter = child;
  msc_call_tree_dialog_select (self, &iter);
}

/* Depth-first successor of iter, or FALSE at the end. */
static gboolean
msc_call_tree_dialog_next_row (GtkTreeModel *model,
                               GtkTreeIter  *iter)
{
  GtkTreeIter next;

  if (gtk_tree_model_iter_children (model, &next, iter))
    {
      *iter = next;
      return TRUE;
    }
  for (;;)
    {
      GtkTreeIter parent;

      next = *iter;
      if (gtk_tree_model_iter_next (model, &next))
        {
          *iter = next;
          return TRUE;
        }
      if (!gtk_tree_model_iter_parent (model, &parent, iter))
        return FALSE;
      *iter = parent;
    }
}

static gboolean
msc_call_tree_dialog_row_matches (GtkTreeModel *model,
                                  GtkTreeIter  *iter,
                                  const char   *needle)
{
  g_autofree char *function = NULL;
  g_autofree char *folded = NULL;

  gtk_tree_model_get (model, iter, COLUMN_FUNCTION, &function, -1);
  folded = g_utf8_casefold (function, -1);
  return strstr (folded, needle) != NULL;
}

gboolean
msc_call_tree_dialog_find (MscCallTreeDialog *self,
                           const char        *text)
{
  GtkTreeModel *model = GTK_TREE_MODEL (self->store);
  GtkTreeSelection *selection = gtk_tree_view_get_selection (self->tree_view);
  g_autofree char *needle = NULL;
  GtkTreeIter iter, first;
  gboolean past, have_first = FALSE;

  g_return_val_if_fail (MSC_IS_CALL_TREE_DIALOG (self), FALSE);

  if (text == NULL || text[0] == '\0' || !gtk_tree_model_get_iter_first (model, &iter))
    return FALSE;
  needle = g_utf8_casefold (text, -1);
  past = gtk_tree_selection_count_selected_rows (selection) == 0;
  /* The first match after the selection; past the end, the first of all. */
  do
    {
      if (msc_call_tree_dialog_row_matches (model, &iter, needle))
        {
          if (past)
            {
              msc_call_tree_dialog_select (self, &iter);
              return TRUE;
            }
          if (!have_first)
            first = iter;
          have_first = TRUE;
        }
      past = past || gtk_tree_selection_iter_is_selected (selection, &iter);
    }
  while (msc_call_tree_dialog_next_row (model, &iter));
  if (have_first)
    msc_call_tree_dialog_select (self, &first);
  return have_first;
}

static void
msc_call_tree_dialog_search_changed (MscCallTreeDialog *self)
{
  const char *text = gtk_entry_get_text (GTK_ENTRY (self->search_entry));

  gtk_tree_selection_unselect_all (gtk_tree_view_get_selection (self->tree_view));
  msc_call_tree_dialog_find (self, text);
}

static void
msc_call_tree_dialog_search_next (MscCallTreeDialog *self)
{
  msc_call_tree_dialog_find (self, gtk_entry_get_text (GTK_ENTRY (self->search_entry)));
}

static gboolean
msc_call_tree_dialog_key_press (GtkWidget   *widget,
                                GdkEventKey *event)
{
  if ((event->state & GDK_CONTROL_MASK) && (event->keyval == GDK_KEY_e || event->keyval == GDK_KEY_E))
    {
      msc_call_tree_dialog_expand_heaviest (MSC_CALL_TREE_DIALOG (widget));
      return TRUE;
    }
  if ((event->state & GDK_CONTROL_MASK) && (event->keyval == GDK_KEY_f || event->keyval == GDK_KEY_F))
    {
      gtk_widget_grab_focus (GTK_WIDGET (MSC_CALL_TREE_DIALOG (widget)->search_entry));
      return TRUE;
    }
  return FALSE;
}

/* ---- set-up ---- */

static void
msc_call_tree_dialog_add_column (GtkTreeView *view,
                                 const char  *title,
                                 int          model_column)
{
  GtkCellRenderer *renderer = gtk_cell_renderer_text_new ();
  GtkTreeViewColumn *column;
  gboolean number = model_column != COLUMN_FUNCTION;

  if (number)
    g_object_set (renderer, "xalign", 1.0, NULL);
  column = gtk_tree_view_column_new_with_attributes (title, renderer, "text", model_column, NULL);
  gtk_tree_view_column_set_resizable (column, TRUE);
  gtk_tree_view_column_set_expand (column, !number);
  if (number)
    gtk_tree_view_column_set_alignment (column, 1.0);
  gtk_tree_view_append_column (view, column);
}

static void
msc_call_tree_dialog_dispose (GObject *object)
{
  MscCallTreeDialog *self = MSC_CALL_TREE_DIALOG (object);

  msc_cancellable_drop (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->operations);
  g_clear_object (&self->tree);
  g_clear_object (&self->trace);
  g_clear_pointer (&self->at_text, g_free);
  G_OBJECT_CLASS (msc_call_tree_dialog_parent_class)->dispose (object);
}

static void
msc_call_tree_dialog_class_init (MscCallTreeDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = msc_call_tree_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/memscope/Memscope/msc-call-tree-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MscCallTreeDialog, search_entry);
  gtk_widget_class_bind_template_child (widget_class, MscCallTreeDialog, kind_combo);
  gtk_widget_class_bind_template_child (widget_class, MscCallTreeDialog, inverted_check);
  gtk_widget_class_bind_template_child (widget_class, MscCallTreeDialog, tree_view);
  gtk_widget_class_bind_template_child (widget_class, MscCallTreeDialog, operations_view);
  gtk_widget_class_bind_template_child (widget_class, MscCallTreeDialog, operations_label);
  gtk_widget_class_bind_template_child (widget_class, MscCallTreeDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, MscCallTreeDialog, stack_buffer);
  gtk_widget_class_bind_template_callback (widget_class, msc_call_tree_dialog_rebuild);
  gtk_widget_class_bind_template_callback (widget_class, msc_call_tree_dialog_expand_heaviest);
  gtk_widget_class_bind_template_callback (widget_class, msc_call_tree_dialog_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, msc_call_tree_dialog_search_next);
  gtk_widget_class_bind_template_callback (widget_class, msc_call_tree_dialog_key_press);
}

static void
msc_call_tree_dialog_init (MscCallTreeDialog *self)
{
  static const char *const titles[] = {
    N_("Function"), N_("Count"), N_("Bytes"), N_("Live"), N_("Peak"), N_("Leaked"),
  };

  gtk_widget_init_template (GTK_WIDGET (self));
  self->at = G_MAXUINT64;
  self->store = gtk_tree_store_new (N_COLUMNS, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING,
                                    G_TYPE_STRING, G_TYPE_STRING, G_TYPE_POINTER);
  gtk_tree_view_set_model (self->tree_view, GTK_TREE_MODEL (self->store));
  for (int c = COLUMN_FUNCTION; c <= COLUMN_LEAKED; c++)
    msc_call_tree_dialog_add_column (self->tree_view, _(titles[c]), c);
  self->operations = msc_trace_list_store_new ();
  gtk_tree_view_set_model (self->operations_view, GTK_TREE_MODEL (self->operations));
  msc_trace_list_add_columns (self->operations_view, 0);
  g_signal_connect_object (gtk_tree_view_get_selection (self->tree_view), "changed",
                           G_CALLBACK (msc_call_tree_dialog_selection_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_tree_view_get_selection (self->operations_view), "changed",
                           G_CALLBACK (msc_call_tree_dialog_operation_changed), self, G_CONNECT_SWAPPED);
  msc_call_tree_dialog_selection_changed (self);
}

GtkWidget *
msc_call_tree_dialog_new (GtkWindow *parent,
                          MscTrace  *trace)
{
  MscCallTreeDialog *self;

  g_return_val_if_fail (MSC_IS_TRACE (trace), NULL);

  self = g_object_new (MSC_TYPE_CALL_TREE_DIALOG, "transient-for", parent, "use-header-bar", FALSE, NULL);
  self->trace = g_object_ref (trace);
  msc_call_tree_dialog_rebuild (self);
  return GTK_WIDGET (self);
}

void
msc_call_tree_dialog_set_time (MscCallTreeDialog *self,
                               guint64            at,
                               const char        *at_text)
{
  g_return_if_fail (MSC_IS_CALL_TREE_DIALOG (self));

  if (self->at == at && g_strcmp0 (self->at_text, at_text) == 0)
    return;
  self->at = at;
  g_free (self->at_text);
  self->at_text = g_strdup (at_text);
  msc_call_tree_dialog_rebuild (self);
}

gboolean
msc_call_tree_dialog_get_busy (MscCallTreeDialog *self)
{
  g_return_val_if_fail (MSC_IS_CALL_TREE_DIALOG (self), FALSE);
  return self->cancellable != NULL;
}

GtkTreeView *
msc_call_tree_dialog_get_tree_view (MscCallTreeDialog *self)
{
  g_return_val_if_fail (MSC_IS_CALL_TREE_DIALOG (self), NULL);
  return self->tree_view;
}

GtkTreeView *
msc_call_tree_dialog_get_operations_view (MscCallTreeDialog *self)
{
  g_return_val_if_fail (MSC_IS_CALL_TREE_DIALOG (self), NULL);
  return self->operations_view;
}
