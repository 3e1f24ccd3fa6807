/* msc-trace-dialog.c — the Trace dialog. A filter runs off the main loop a
 * moment after the last keystroke, and its result becomes a new
 * MscTraceModel. The view holds only the rows on screen (the model's
 * window); the scroll bar beside it, the wheel and the keys move the window
 * over the whole list, and the selection follows the operation, not the
 * row. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "model/msc-trace-history.h"
#include "ui/msc-trace-dialog.h"
#include "ui/msc-trace-list.h"
#include "ui/msc-trace-model.h"
#include "ui/msc-ui-util.h"

#define MSC_TRACE_FILTER_DELAY_MS 200

struct _MscTraceDialog
{
  GtkDialog      parent_instance;

  GtkComboBoxText *operation_combo;
  GtkEntry      *size_entry;
  GtkEntry      *min_address_entry;
  GtkEntry      *max_address_entry;
  GtkSearchEntry *stack_entry;
  GtkLabel      *count_label;
  GtkTreeView   *view;
  GtkTextBuffer *stack_buffer;
  GtkAdjustment *adjustment;     /* the first row shown, over all rows */

  MscTrace      *trace;
  MscSnapshot   *snapshot;       /* for the Heap column, or NULL */
  guint          selected;       /* the selected operation (an event), or G_MAXUINT */
  guint          visible_rows;   /* rows that fit the view */
  gboolean       syncing;        /* moving the selection with the window */
  MscTraceModel *model;
  GCancellable  *cancellable;   /* of the filter under way */
  guint          filter_id;     /* the delay before it */
};

G_DEFINE_FINAL_TYPE (MscTraceDialog, msc_trace_dialog, GTK_TYPE_DIALOG)

typedef struct {
  MscTrace      *trace;
  MscTraceFilter filter;
  char          *stack_text;
} MscFilterJob;

static void
msc_filter_job_free (gpointer data)
{
  MscFilterJob *job = data;

  g_object_unref (job->trace);
  g_free (job->stack_text);
  g_free (job);
}

/* ---- reading the controls ---- */

static guint32
msc_trace_dialog_ops (MscTraceDialog *self)
{
  const char *id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->operation_combo));
  guint32 ops = 0;

  if (id == NULL || g_str_equal (id, "all"))
    return 0;
  for (guint op = 0; op < MSC_TRACE_N_OPS; op++)
    if (g_str_equal (id, msc_trace_op_name (op)) || (g_str_equal (id, "heap") && msc_trace_op_is_heap (op))
        || (g_str_equal (id, "mappings") && !msc_trace_op_is_heap (op)))
      ops |= 1u << op;
  return ops;
}

/* A number field: empty gives fallback; a bad one is marked and FALSE. */
static gboolean
msc_trace_dialog_number (GtkEntry *entry,
                         guint     base,
                         guint64   fallback,
                         guint64  *value)
{
  g_autofree char *digits = g_strdup (gtk_entry_get_text (entry));
  char *w = digits;
  gboolean ok;

  /* "1,024" and "0x7f00 0000" read as users type them. */
  for (const char *r = digits; *r != '\0'; r++)
    if (*r != ',' && *r != ' ' && *r != '_')
      *w++ = *r;
  *w = '\0';
  if (base == 16 && g_ascii_strncasecmp (digits, "0x", 2) == 0)
    memmove (digits, digits + 2, strlen (digits + 2) + 1);
  ok = digits[0] == '\0' || g_ascii_string_to_unsigned (digits, base, 0, G_MAXUINT64, value, NULL);
  if (digits[0] == '\0')
    *value = fallback;
  if (ok)
    gtk_style_context_remove_class (gtk_widget_get_style_context (GTK_WIDGET (entry)), GTK_STYLE_CLASS_ERROR);
  else
    gtk_style_context_add_class (gtk_widget_get_style_context (GTK_WIDGET (entry)), GTK_STYLE_CLASS_ERROR);
  return ok;
}

/* ---- filtering ---- */

static void
msc_trace_dialog_filter_thread (GTask        *task,
                                gpointer      source,
                                gpointer      data,
                                GCancellable *cancellable)
{
  MscFilterJob *job = data;
  GArray *events = msc_trace_filter_events (job->trace, &job->filter, cancellable);

  if (events == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "cancelled");
  else
    g_task_return_pointer (task, events, (GDestroyNotify) g_array_unref);
}

static void
msc_trace_dialog_update_count (MscTraceDialog *self)
{
  g_autofree char *shown = msc_format_count (msc_trace_model_get_events (self->model)->len);
  g_autofree char *all = msc_format_count (msc_trace_get_n_events (self->trace));
  g_autofree char *text = g_strdup_printf (_("%s of %s operations"), shown, all);

  gtk_label_set_text (self->count_label, text);
}

/* ---- the window onto the list ---- */

/* The selected operation's row, when the window shows it (events ascend). */
static void
msc_trace_dialog_sync_selection (MscTraceDialog *self)
{
  GtkTreeSelection *selection = gtk_tree_view_get_selection (self->view);
  GArray *events = msc_trace_model_get_events (self->model);
  guint offset = msc_trace_model_get_offset (self->model), lo = 0, hi = events->len;
  GtkTreeIter iter;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;

      if (g_array_index (events, guint, mid) < self->selected)
        lo = mid + 1;
      else
        hi = mid;
    }
  self->syncing = TRUE;
  gtk_tree_selection_unselect_all (selection);
  if (self->selected != G_MAXUINT && lo < events->len && g_array_index (events, guint, lo) == self->selected
      && lo >= offset
      && gtk_tree_model_iter_nth_child (GTK_TREE_MODEL (self->model), &iter, NULL, (int) (lo - offset)))
    gtk_tree_selection_select_iter (selection, &iter);
  self->syncing = FALSE;
}

static void
msc_trace_dialog_move_window (MscTraceDialog *self)
{
  if (self->model == NULL)
    return;
  msc_trace_model_set_window (self->model, (guint) gtk_adjustment_get_value (self->adjustment),
                              MAX (self->visible_rows, 1));
  msc_trace_dialog_sync_selection (self);
  /* Rows that only changed their text are not always redrawn by the view. */
  gtk_widget_queue_draw (GTK_WIDGET (self->view));
}

static void
msc_trace_dialog_scrolled (MscTraceDialog *self)
{
  msc_trace_dialog_move_window (self);
}

static void
msc_trace_dialog_update_adjustment (MscTraceDialog *self)
{
  guint n = self->model != NULL ? msc_trace_model_get_events (self->model)->len : 0;
  guint page = MAX (self->visible_rows, 1);

  gtk_adjustment_configure (self->adjustment, MIN (gtk_adjustment_get_value (self->adjustment), n),
                            0, n, 1, page > 1 ? page - 1 : 1, MIN (page, n));
  msc_trace_dialog_move_window (self);
}

/* As many rows as fit: the row height is the view's own, once it has one. */
static void
msc_trace_dialog_list_resized (MscTraceDialog *self,
                               GtkAllocation  *allocation)
{
  GdkRectangle area = { 0 };
  g_autoptr(GtkTreePath) first = gtk_tree_path_new_first ();
  int header = 0;
  guint rows;

  gtk_tree_view_convert_bin_window_to_widget_coords (self->view, 0, 0, NULL, &header);
  gtk_tree_view_get_background_area (self->view, first, NULL, &area);
  if (area.height <= 0)
    area.height = 24;
  rows = (guint) MAX ((allocation->height - header) / area.height, 1);
  if (rows == self->visible_rows)
    return;
  self->visible_rows = rows;
  msc_trace_dialog_update_adjustment (self);
}

static void
msc_trace_dialog_set_events (MscTraceDialog *self,
                             GArray         *events)
{
  g_clear_object (&self->model);
  self->model = msc_trace_model_new (self->trace, self->snapshot, events);
  gtk_adjustment_set_value (self->adjustment, 0);
  gtk_tree_view_set_model (self->view, GTK_TREE_MODEL (self->model));
  msc_trace_dialog_update_adjustment (self);
  msc_trace_dialog_update_count (self);
}

static void
msc_trace_dialog_scroll_by (MscTraceDialog *self,
                            double          rows)
{
  gtk_adjustment_set_value (self->adjustment, gtk_adjustment_get_value (self->adjustment) + rows);
}

static gboolean
msc_trace_dialog_view_scroll (GtkWidget      *widget,
                              GdkEventScroll *event,
                              MscTraceDialog *self)
{
  double dx = 0, dy = 0;

  if (event->direction == GDK_SCROLL_UP || event->direction == GDK_SCROLL_DOWN)
    dy = event->direction == GDK_SCROLL_UP ? -1 : 1;
  else if (!gdk_event_get_scroll_deltas ((GdkEvent *) event, &dx, &dy) || dy == 0)
    return FALSE;  /* sideways: the view's own horizontal scrolling */
  msc_trace_dialog_scroll_by (self, dy * 3);
  return TRUE;
}

/* The keys that would leave the window move it instead. */
static gboolean
msc_trace_dialog_view_key (GtkWidget      *widget,
                           GdkEventKey    *event,
                           MscTraceDialog *self)
{
  g_autoptr(GtkTreePath) cursor = NULL;
  int row = -1, last = self->model != NULL ? gtk_tree_model_iter_n_children (GTK_TREE_MODEL (self->model), NULL) - 1 : -1;
  double page = MAX (self->visible_rows, 2) - 1;

  gtk_tree_view_get_cursor (self->view, &cursor, NULL);
  if (cursor != NULL)
    row = gtk_tree_path_get_indices (cursor)[0];
  switch (event->keyval)
    {
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      if (row != last)
        return FALSE;
      msc_trace_dialog_scroll_by (self, 1);
      break;
    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      if (row != 0)
        return FALSE;
      msc_trace_dialog_scroll_by (self, -1);
      break;
    case GDK_KEY_Page_Down:
      msc_trace_dialog_scroll_by (self, page);
      break;
    case GDK_KEY_Page_Up:
      msc_trace_dialog_scroll_by (self, -page);
      break;
    case GDK_KEY_Home:
    case GDK_KEY_End:
      if (!(event->state & GDK_CONTROL_MASK))
        return FALSE;
      gtk_adjustment_set_value (self->adjustment, event->keyval == GDK_KEY_Home ? 0 : gtk_adjustment_get_upper (self->adjustment));
      row = event->keyval == GDK_KEY_Home ? 0 : G_MAXINT;
      break;
    default:
      return FALSE;
    }
  /* The cursor stays on its row of the window, now another operation. */
  if (row >= 0 && self->model != NULL)
    {
      int n = gtk_tree_model_iter_n_children (GTK_TREE_MODEL (self->model), NULL);
      g_autoptr(GtkTreePath) path = gtk_tree_path_new_from_indices (MIN (row, n - 1), -1);

      if (n > 0)
        gtk_tree_view_set_cursor (self->view, path, NULL, FALSE);
    }
  return TRUE;
}

GtkAdjustment *
msc_trace_dialog_get_adjustment (MscTraceDialog *self)
{
  g_return_val_if_fail (MSC_IS_TRACE_DIALOG (self), NULL);
  return self->adjustment;
}

guint
msc_trace_dialog_get_n_rows (MscTraceDialog *self)
{
  g_return_val_if_fail (MSC_IS_TRACE_DIALOG (self), 0);
  return self->model != NULL ? msc_trace_model_get_events (self->model)->len : 0;
}

static void
msc_trace_dialog_filtered (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  MscTraceDialog *self = user_data;
  GArray *events = g_task_propagate_pointer (G_TASK (result), NULL);

  if (events == NULL || g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    {
      g_clear_pointer (&events, g_array_unref);
      g_object_unref (self);
      return;
    }
  g_clear_object (&self->cancellable);
  msc_trace_dialog_set_events (self, events);
  g_object_unref (self);
}

static void
msc_trace_dialog_start_filter (MscTraceDialog *self)
{
  MscFilterJob *job = g_new0 (MscFilterJob, 1);
  g_autoptr(GTask) task = NULL;
  gboolean valid;

  job->trace = g_object_ref (self->trace);
  job->filter.ops = msc_trace_dialog_ops (self);
  valid = msc_trace_dialog_number (self->size_entry, 10, 0, &job->filter.min_size);
  valid &= msc_trace_dialog_number (self->min_address_entry, 16, 0, &job->filter.min_address);
  valid &= msc_trace_dialog_number (self->max_address_entry, 16, G_MAXUINT64, &job->filter.max_address);
  job->stack_text = g_strdup (gtk_entry_get_text (GTK_ENTRY (self->stack_entry)));
  job->filter.stack_text = job->stack_text;
  if (!valid)
    {
      /* The list stays as it was until the field reads as a number. */
      gtk_label_set_text (self->count_label, _("Sizes are decimal, addresses hexadecimal."));
      msc_filter_job_free (job);
      return;
    }
  self->cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->cancellable, msc_trace_dialog_filtered, g_object_ref (self));
  g_task_set_task_data (task, job, msc_filter_job_free);
  g_task_run_in_thread (task, msc_trace_dialog_filter_thread);
  gtk_label_set_text (self->count_label, _("Filtering…"));
}

static gboolean
msc_trace_dialog_filter_due (gpointer user_data)
{
  MscTraceDialog *self = user_data;

  self->filter_id = 0;
  msc_trace_dialog_start_filter (self);
  return G_SOURCE_REMOVE;
}

/* Any control changed: the running filter is dropped, a new one starts
 * once typing pauses. */
static void
msc_trace_dialog_filter_changed (MscTraceDialog *self)
{
  msc_cancellable_drop (&self->cancellable);
  g_clear_handle_id (&self->filter_id, g_source_remove);
  self->filter_id = g_timeout_add (MSC_TRACE_FILTER_DELAY_MS, msc_trace_dialog_filter_due, self);
}

void
msc_trace_dialog_set_filter (MscTraceDialog *self,
                             const char     *operation,
                             const char     *min_address,
                             const char     *max_address,
                             const char     *min_size,
                             const char     *stack_text)
{
  g_return_if_fail (MSC_IS_TRACE_DIALOG (self));

  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->operation_combo), operation != NULL ? operation : "all");
  gtk_entry_set_text (self->min_address_entry, min_address != NULL ? min_address : "");
  gtk_entry_set_text (self->max_address_entry, max_address != NULL ? max_address : "");
  gtk_entry_set_text (self->size_entry, min_size != NULL ? min_size : "");
  gtk_entry_set_text (GTK_ENTRY (self->stack_entry), stack_text != NULL ? stack_text : "");
}

gboolean
msc_trace_dialog_get_busy (MscTraceDialog *self)
{
  g_return_val_if_fail (MSC_IS_TRACE_DIALOG (self), FALSE);
  return self->cancellable != NULL || self->filter_id != 0;
}

/* ---- Copy and Export ---- */

char *
msc_trace_dialog_dup_selection_text (MscTraceDialog *self)
{
  GString *text = g_string_new (NULL);

  g_return_val_if_fail (MSC_IS_TRACE_DIALOG (self), NULL);

  msc_trace_history_header (text);
  if (self->selected != G_MAXUINT)
    msc_trace_history_append (text, self->trace, self->selected);
  return g_string_free (text, FALSE);
}

static void
msc_trace_dialog_copy (MscTraceDialog *self)
{
  g_autofree char *text = msc_trace_dialog_dup_selection_text (self);

  gtk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self), GDK_SELECTION_CLIPBOARD), text, -1);
}

gboolean
msc_trace_dialog_export (MscTraceDialog *self,
                         GFile          *file,
                         GError        **error)
{
  g_return_val_if_fail (MSC_IS_TRACE_DIALOG (self), FALSE);

  return msc_trace_write_history (self->trace, self->model != NULL ? msc_trace_model_get_events (self->model) : NULL,
                                  file, NULL, error);
}

static void
msc_trace_dialog_export_clicked (MscTraceDialog *self)
{
  g_autoptr(GtkFileChooserNative) chooser =
    gtk_file_chooser_native_new (_("Export Operations"), GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                 _("_Export"), _("_Cancel"));
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  gtk_file_chooser_set_do_overwrite_confirmation (GTK_FILE_CHOOSER (chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "trace.csv");
  if (gtk_native_dialog_run (GTK_NATIVE_DIALOG (chooser)) != GTK_RESPONSE_ACCEPT)
    return;
  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (!msc_trace_dialog_export (self, file, &error))
    {
      GtkWidget *dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_MODAL | GTK_DIALOG_DESTROY_WITH_PARENT,
                                                  GTK_MESSAGE_ERROR, GTK_BUTTONS_CLOSE,
                                                  _("The operations could not be exported"));

      gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", error->message);
      gtk_dialog_run (GTK_DIALOG (dialog));
      gtk_widget_destroy (dialog);
    }
}

static gboolean
msc_trace_dialog_key_press (GtkWidget   *widget,
                            GdkEventKey *event)
{
  MscTraceDialog *self = MSC_TRACE_DIALOG (widget);

  if ((event->state & GDK_CONTROL_MASK) && (event->keyval == GDK_KEY_c || event->keyval == GDK_KEY_C)
      && gtk_widget_has_focus (GTK_WIDGET (self->view)))
    {
      msc_trace_dialog_copy (self);
      return TRUE;
    }
  return GTK_WIDGET_CLASS (msc_trace_dialog_parent_class)->key_press_event (widget, event);
}

/* ---- set-up ---- */

static void
msc_trace_dialog_selection_changed (MscTraceDialog *self)
{
  GtkTreeModel *model;
  GtkTreeIter iter;
  g_autofree char *text = NULL;

  /* Moving the window re-selects; only the user's choice changes it. */
  if (self->syncing)
    return;
  self->selected = G_MAXUINT;
  if (gtk_tree_selection_get_selected (gtk_tree_view_get_selection (self->view), &model, &iter))
    {
      self->selected = msc_trace_model_get_event (MSC_TRACE_MODEL (model), &iter);
      text = msc_trace_dup_stack_text (self->trace, msc_trace_get_event (self->trace, self->selected)->stack);
    }
  gtk_text_buffer_set_text (self->stack_buffer, text != NULL ? text : "", -1);
}

/* Fixed-height mode (the view measures one row) wants every column a
 * fixed width: each is as wide as its widest possible text
 * ("posix_memalign", a 16-digit address, ...). */
static void
msc_trace_dialog_fix_columns (MscTraceDialog *self)
{
  /* Time, Thread, Operation, Address, Size, Result, Heap, Function, Module. */
  static const char *const widest[] = {
    "00000.000000", "0000000", "posix_memalign", "0000000000000000", "00,000,000,000",
    "Invalid argument", "Heap 000", "0000000000000000000000", "libstdc++.so.6.0.30",
  };
  g_autoptr(GList) columns = gtk_tree_view_get_columns (self->view);
  guint i = 0;

  for (GList *c = columns; c != NULL; c = c->next, i++)
    {
      const char *sample = i < G_N_ELEMENTS (widest) ? widest[i] : "0000000000000000000000";
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self->view), sample);
      g_autoptr(PangoLayout) title = gtk_widget_create_pango_layout (GTK_WIDGET (self->view),
                                                                     gtk_tree_view_column_get_title (c->data));
      int w, tw;

      pango_layout_get_pixel_size (layout, &w, NULL);
      pango_layout_get_pixel_size (title, &tw, NULL);
      gtk_tree_view_column_set_sizing (c->data, GTK_TREE_VIEW_COLUMN_FIXED);
      gtk_tree_view_column_set_fixed_width (c->data, MAX (w, tw) + 24);
    }
  gtk_tree_view_set_fixed_height_mode (self->view, TRUE);
}

static void
msc_trace_dialog_fill_operations (MscTraceDialog *self)
{
  gtk_combo_box_text_append (self->operation_combo, "all", _("All operations"));
  /* Short: the combo's width is the grid column's. */
  gtk_combo_box_text_append (self->operation_combo, "heap", _("Heap calls"));
  gtk_combo_box_text_append (self->operation_combo, "mappings", _("Mapping calls"));
  for (guint op = 0; op < MSC_TRACE_N_OPS; op++)
    gtk_combo_box_text_append (self->operation_combo, msc_trace_op_name (op), msc_trace_op_name (op));
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->operation_combo), "all");
}

static void
msc_trace_dialog_dispose (GObject *object)
{
  MscTraceDialog *self = MSC_TRACE_DIALOG (object);

  msc_cancellable_drop (&self->cancellable);
  g_clear_handle_id (&self->filter_id, g_source_remove);
  g_clear_object (&self->model);
  g_clear_object (&self->trace);
  g_clear_object (&self->snapshot);
  G_OBJECT_CLASS (msc_trace_dialog_parent_class)->dispose (object);
}

static void
msc_trace_dialog_class_init (MscTraceDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = msc_trace_dialog_dispose;
  widget_class->key_press_event = msc_trace_dialog_key_press;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/memscope/Memscope/msc-trace-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MscTraceDialog, operation_combo);
  gtk_widget_class_bind_template_child (widget_class, MscTraceDialog, size_entry);
  gtk_widget_class_bind_template_child (widget_class, MscTraceDialog, min_address_entry);
  gtk_widget_class_bind_template_child (widget_class, MscTraceDialog, max_address_entry);
  gtk_widget_class_bind_template_child (widget_class, MscTraceDialog, stack_entry);
  gtk_widget_class_bind_template_child (widget_class, MscTraceDialog, count_label);
  gtk_widget_class_bind_template_child (widget_class, MscTraceDialog, view);
  gtk_widget_class_bind_template_child (widget_class, MscTraceDialog, stack_buffer);
  gtk_widget_class_bind_template_child (widget_class, MscTraceDialog, adjustment);
  gtk_widget_class_bind_template_callback (widget_class, msc_trace_dialog_scrolled);
  gtk_widget_class_bind_template_callback (widget_class, msc_trace_dialog_list_resized);
  gtk_widget_class_bind_template_callback (widget_class, msc_trace_dialog_view_scroll);
  gtk_widget_class_bind_template_callback (widget_class, msc_trace_dialog_view_key);
  gtk_widget_class_bind_template_callback (widget_class, msc_trace_dialog_filter_changed);
  gtk_widget_class_bind_template_callback (widget_class, msc_trace_dialog_copy);
  gtk_widget_class_bind_template_callback (widget_class, msc_trace_dialog_export_clicked);
}

static void
msc_trace_dialog_init (MscTraceDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  msc_trace_list_add_columns (self->view, MSC_TRACE_LIST_WITH_HEAP);
  msc_trace_dialog_fix_columns (self);
  self->selected = G_MAXUINT;
  g_signal_connect_object (gtk_tree_view_get_selection (self->view), "changed",
                           G_CALLBACK (msc_trace_dialog_selection_changed), self, G_CONNECT_SWAPPED);
}

GtkWidget *
msc_trace_dialog_new (GtkWindow   *parent,
                      MscTrace    *trace,
                      MscSnapshot *snapshot)
{
  MscTraceDialog *self;
  GArray *all;

  g_return_val_if_fail (MSC_IS_TRACE (trace), NULL);

  self = g_object_new (MSC_TYPE_TRACE_DIALOG, "transient-for", parent, "use-header-bar", FALSE, NULL);
  self->trace = g_object_ref (trace);
  self->snapshot = snapshot != NULL ? g_object_ref (snapshot) : NULL;
  /* Unfiltered, the rows are simply 0..n-1: no pass over the events. */
  all = g_array_sized_new (FALSE, FALSE, sizeof (guint), msc_trace_get_n_events (trace));
  g_array_set_size (all, msc_trace_get_n_events (trace));
  for (guint i = 0; i < all->len; i++)
    g_array_index (all, guint, i) = i;
  msc_trace_dialog_set_events (self, all);
  g_signal_handlers_block_by_func (self->operation_combo, msc_trace_dialog_filter_changed, self);
  msc_trace_dialog_fill_operations (self);
  g_signal_handlers_unblock_by_func (self->operation_combo, msc_trace_dialog_filter_changed, self);
  msc_trace_dialog_update_count (self);
  return GTK_WIDGET (self);
}

GtkTreeView *
msc_trace_dialog_get_view (MscTraceDialog *self)
{
  g_return_val_if_fail (MSC_IS_TRACE_DIALOG (self), NULL);
  return self->view;
}
