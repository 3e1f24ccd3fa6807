/* msc-heap-allocations-dialog.c — the Heap Allocations dialog. Both lists
 * come from replays of the trace up to the snapshot shown: off the main
 * loop, a newer region cancelling the older one's result. */
#include "config.h"

#include <glib/gi18n.h>

#include "model/msc-trace-replay.h"
#include "ui/msc-heap-allocations-dialog.h"
#include "ui/msc-trace-list.h"
#include "ui/msc-ui-util.h"

struct _MscHeapAllocationsDialog
{
  GtkDialog      parent_instance;

  GtkLabel      *title_label;
  GtkLabel      *origin_label;
  GtkLabel      *status_label;
  GtkTreeView   *view;
  GtkTextBuffer *stack_buffer;
  GtkListStore  *store;

  MscTrace      *trace;
  GCancellable  *cancellable;
  char          *at_text;
};

G_DEFINE_FINAL_TYPE (MscHeapAllocationsDialog, msc_heap_allocations_dialog, GTK_TYPE_DIALOG)

typedef struct {
  MscTrace *trace;
  guint64   start;
  guint64   end;
  guint64   at;
  GArray   *ops;      /* MscRegionOp */
  GArray   *origins;  /* MscLiveBlock: the mappings that made the region */
} MscRegionJob;

static void
msc_region_job_free (gpointer data)
{
  MscRegionJob *job = data;

  g_object_unref (job->trace);
  g_clear_pointer (&job->ops, g_array_unref);
  g_clear_pointer (&job->origins, g_array_unref);
  g_free (job);
}

static void
msc_heap_allocations_thread (GTask        *task,
                             gpointer      source,
                             gpointer      data,
                             GCancellable *cancellable)
{
  MscRegionJob *job = data;

  job->ops = msc_trace_heap_ops_in (job->trace, job->at, job->start, job->end);
  job->origins = msc_trace_live_in (job->trace, MSC_REPLAY_MAPPINGS, job->at, job->start, job->end);
  g_task_return_boolean (task, TRUE);
}

/* Which traced call made the region: the mappings alive at the time that
 * overlap it. */
static char *
msc_heap_allocations_origin_text (MscTrace *trace,
                                  GArray   *origins)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < origins->len; i++)
    {
      g_autofree char *line = msc_trace_list_origin_text (trace, &g_array_index (origins, MscLiveBlock, i));

      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, line);
    }
  if (origins->len == 0)
    g_string_append (text, _("No traced mapping call made this region (the loader's, or made before tracing began)."));
  return g_string_free (text, FALSE);
}

static void
msc_heap_allocations_done (GObject      *source,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  MscHeapAllocationsDialog *self = user_data;
  MscRegionJob *job = g_task_get_task_data (G_TASK (result));
  g_autofree char *origin = NULL;
  g_autofree char *status = NULL;
  guint live = 0;
  guint64 live_bytes = 0;

  if (g_task_get_cancellable (G_TASK (result)) != self->cancellable)
    {
      g_object_unref (self);
      return;
    }
  g_clear_object (&self->cancellable);
  origin = msc_heap_allocations_origin_text (self->trace, job->origins);
  gtk_label_set_text (self->origin_label, origin);
  for (guint i = 0; i < job->ops->len; i++)
    {
      const MscRegionOp *op = &g_array_index (job->ops, MscRegionOp, i);
      const MscTraceRecord *e = msc_trace_get_event (self->trace, op->event);

      if (op->live)
        {
          live++;
          live_bytes += e->size;
        }
      if (i < MSC_TRACE_LIST_MAX_ROWS)
        msc_trace_list_append (self->store, self->trace, op->event,
                               e->op == MSC_TRACE_FREE ? "" : op->live ? _("Live") : _("Freed"));
    }
  status = g_strdup_printf (_("%u operations up to %s; %u blocks live then, %" G_GUINT64_FORMAT " bytes%s"),
                            job->ops->len, self->at_text, live, live_bytes,
                            job->ops->len > MSC_TRACE_LIST_MAX_ROWS ? _(" (the first 100,000 listed)") : "");
  gtk_label_set_text (self->status_label, status);
  g_object_unref (self);
}

void
msc_heap_allocations_dialog_set_region (MscHeapAllocationsDialog *self,
                                        guint64                   start,
                                        guint64                   end,
                                        const char               *title,
                                        guint64                   at,
                                        const char               *at_text)
{
  MscRegionJob *job;
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (MSC_IS_HEAP_ALLOCATIONS_DIALOG (self));

  msc_cancellable_drop (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_free (self->at_text);
  self->at_text = g_strdup (at_text);
  gtk_label_set_text (self->title_label, title);
  gtk_label_set_text (self->origin_label, "");
  gtk_label_set_text (self->status_label, _("Replaying the trace…"));
  gtk_list_store_clear (self->store);
  job = g_new0 (MscRegionJob, 1);
  *job = (MscRegionJob) { g_object_ref (self->trace), start, end, at, NULL, NULL };
  task = g_task_new (NULL, self->cancellable, msc_heap_allocations_done, g_object_ref (self));
  g_task_set_task_data (task, job, msc_region_job_free);
  g_task_run_in_thread (task, msc_heap_allocations_thread);
}

static void
msc_heap_allocations_selection_changed (MscHeapAllocationsDialog *self)
{
  msc_trace_list_show_stack (self->view, self->trace, self->stack_buffer);
}

static void
msc_heap_allocations_dialog_dispose (GObject *object)
{
  MscHeapAllocationsDialog *self = MSC_HEAP_ALLOCATIONS_DIALOG (object);

  msc_cancellable_drop (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->trace);
  g_clear_pointer (&self->at_text, g_free);
  G_OBJECT_CLASS (msc_heap_allocations_dialog_parent_class)->dispose (object);
}

static void
msc_heap_allocations_dialog_class_init (MscHeapAllocationsDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = msc_heap_allocations_dialog_dispose;
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/memscope/Memscope/msc-heap-allocations-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MscHeapAllocationsDialog, title_label);
  gtk_widget_class_bind_template_child (widget_class, MscHeapAllocationsDialog, origin_label);
  gtk_widget_class_bind_template_child (widget_class, MscHeapAllocationsDialog, status_label);
  gtk_widget_class_bind_template_child (widget_class, MscHeapAllocationsDialog, view);
  gtk_widget_class_bind_template_child (widget_class, MscHeapAllocationsDialog, stack_buffer);
}

static void
msc_heap_allocations_dialog_init (MscHeapAllocationsDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->store = msc_trace_list_store_new ();
  gtk_tree_view_set_model (self->view, GTK_TREE_MODEL (self->store));
  msc_trace_list_add_columns (self->view, MSC_TRACE_LIST_WITH_STATUS);
  g_signal_connect_object (gtk_tree_view_get_selection (self->view), "changed",
                           G_CALLBACK (msc_heap_allocations_selection_changed), self, G_CONNECT_SWAPPED);
}

GtkWidget *
msc_heap_allocations_dialog_new (GtkWindow *parent,
                                 MscTrace  *trace)
{
  MscHeapAllocationsDialog *self;

  g_return_val_if_fail (MSC_IS_TRACE (trace), NULL);

  self = g_object_new (MSC_TYPE_HEAP_ALLOCATIONS_DIALOG, "transient-for", parent, "use-header-bar", FALSE, NULL);
  self->trace = g_object_ref (trace);
  return GTK_WIDGET (self);
}

gboolean
msc_heap_allocations_dialog_get_busy (MscHeapAllocationsDialog *self)
{
  g_return_val_if_fail (MSC_IS_HEAP_ALLOCATIONS_DIALOG (self), FALSE);
  return self->cancellable != NULL;
}

GtkTreeView *
msc_heap_allocations_dialog_get_view (MscHeapAllocationsDialog *self)
{
  g_return_val_if_fail (MSC_IS_HEAP_ALLOCATIONS_DIALOG (self), NULL);
  return self->view;
}

const char *
msc_heap_allocations_dialog_get_origin (MscHeapAllocationsDialog *self)
{
  g_return_val_if_fail (MSC_IS_HEAP_ALLOCATIONS_DIALOG (self), NULL);
  return gtk_label_get_text (self->origin_label);
}
