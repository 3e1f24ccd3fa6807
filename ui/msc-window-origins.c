/* msc-window-origins.c — "where did this region come from", for a capture
 * with a trace: the Details row's tooltip names the traced call that made
 * the region (mmap in new_heap, at 0.012 s), and its context menu (right
 * click, Menu key) has Show Origin Stack. The origins of the snapshot shown
 * come from one replay of the trace, off the main loop. */
#include "config.h"

#include <glib/gi18n.h>

#include "model/msc-trace-replay.h"
#include "ui/msc-details-model.h"
#include "ui/msc-trace-list.h"
#include "ui/msc-ui-util.h"
#include "ui/msc-window-private.h"

#define MSC_DETAILS_TOOLTIP_COLUMN MSC_DETAILS_COLUMN_DETAILS

typedef struct {
  MscTrace *trace;
  guint64   at;
} MscOriginsJob;

static void
msc_origins_job_free (gpointer data)
{
  MscOriginsJob *job = data;

  g_object_unref (job->trace);
  g_free (job);
}

static void
msc_window_origins_thread (GTask        *task,
                           gpointer      source,
                           gpointer      data,
                           GCancellable *cancellable)
{
  MscOriginsJob *job = data;

  /* Every range a traced call mapped that is alive then, ascending. */
  g_task_return_pointer (task, msc_trace_live_in (job->trace, MSC_REPLAY_MAPPINGS, job->at, 0, G_MAXUINT64),
                         (GDestroyNotify) g_array_unref);
}

static void
msc_window_origins_done (GObject      *source,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(MscWindow) self = user_data;
  GArray *origins = g_task_propagate_pointer (G_TASK (result), NULL);

  if (origins == NULL || g_task_get_cancellable (G_TASK (result)) != self->origins_cancellable)
    {
      g_clear_pointer (&origins, g_array_unref);
      return;
    }
  g_clear_object (&self->origins_cancellable);
  g_clear_pointer (&self->origins, g_array_unref);
  self->origins = origins;
  msc_window_update_origin_action (self);
}

/* The snapshot shown changed (or the session): its origins, when it has a
 * trace; the Details tooltips go back to the plain Details text without. */
void
msc_window_origins_follow (MscWindow *self,
                           guint64    at)
{
  MscTrace *trace = self->session != NULL ? msc_session_get_trace (self->session) : NULL;
  GtkTreeView *view = msc_details_view_get_tree_view (self->details_view);
  g_autoptr(GTask) task = NULL;
  MscOriginsJob *job;

  msc_cancellable_drop (&self->origins_cancellable);
  g_clear_pointer (&self->origins, g_array_unref);
  gtk_tree_view_set_tooltip_column (view, trace != NULL ? -1 : MSC_DETAILS_TOOLTIP_COLUMN);
  if (trace == NULL || self->shown >= msc_session_get_n_snapshots (self->session))
    return;
  job = g_new0 (MscOriginsJob, 1);
  job->trace = g_object_ref (trace);
  job->at = at;
  self->origins_cancellable = g_cancellable_new ();
  task = g_task_new (NULL, self->origins_cancellable, msc_window_origins_done, g_object_ref (self));
  g_task_set_task_data (task, job, msc_origins_job_free);
  g_task_run_in_thread (task, msc_window_origins_thread);
}

/* The origin of a Details row: the first traced mapping alive at the
 * snapshot that overlaps the row's range (its own range for a sub-block). */
static const MscLiveBlock *
msc_window_origin_of (MscWindow   *self,
                      GtkTreeModel *model,
                      GtkTreeIter  *iter)
{
  MscRegion row;
  const MscRegion *region = &row;
  guint lo = 0, hi;

  if (self->origins == NULL || !MSC_IS_DETAILS_MODEL (model)
      || !msc_details_model_get_region (MSC_DETAILS_MODEL (model), iter, &row)
      || region->type == MSC_TYPE_FREE)
    return NULL;
  /* The first range that ends after the region starts. */
  hi = self->origins->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      const MscLiveBlock *b = &g_array_index (self->origins, MscLiveBlock, mid);

      if (b->address + MAX (b->size, 1) <= region->address)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo < self->origins->len && g_array_index (self->origins, MscLiveBlock, lo).address < region->address + region->size)
    return &g_array_index (self->origins, MscLiveBlock, lo);
  return NULL;
}

/* With a trace the row's tooltip is its Details text and its origin. */
static gboolean
msc_window_origin_tooltip (GtkWidget  *widget,
                           int         x,
                           int         y,
                           gboolean    keyboard,
                           GtkTooltip *tooltip,
                           MscWindow  *self)
{
  GtkTreeView *view = GTK_TREE_VIEW (widget);
  GtkTreeModel *model;
  GtkTreePath *path = NULL;
  GtkTreeIter iter;
  const MscLiveBlock *origin;
  g_autofree char *details = NULL;
  g_autofree char *text = NULL;
  g_autofree char *made = NULL;

  if (self->session == NULL || msc_session_get_trace (self->session) == NULL
      || !gtk_tree_view_get_tooltip_context (view, &x, &y, keyboard, &model, &path, &iter))
    return FALSE;
  gtk_tree_model_get (model, &iter, MSC_DETAILS_TOOLTIP_COLUMN, &details, -1);
  origin = msc_window_origin_of (self, model, &iter);
  if (origin != NULL)
    made = msc_trace_list_origin_text (msc_session_get_trace (self->session), origin);
  text = g_strjoin ("\n", details != NULL && details[0] != '\0' ? details : made,
                    details != NULL && details[0] != '\0' ? made : NULL, NULL);
  if (text == NULL || text[0] == '\0')
    {
      gtk_tree_path_free (path);
      return FALSE;
    }
  gtk_tooltip_set_text (tooltip, text);
  gtk_tree_view_set_tooltip_row (view, tooltip, path);
  gtk_tree_path_free (path);
  return TRUE;
}

/* The origin of the row selected in Details, or NULL. */
static const MscLiveBlock *
msc_window_selected_origin (MscWindow *self)
{
  GtkTreeView *view = msc_details_view_get_tree_view (self->details_view);
  GtkTreeModel *model;
  GtkTreeIter iter;

  if (!gtk_tree_selection_get_selected (gtk_tree_view_get_selection (view), &model, &iter))
    return NULL;
  return msc_window_origin_of (self, model, &iter);
}

char *
msc_window_dup_origin_stack (MscWindow *self)
{
  const MscLiveBlock *origin;
  g_autofree char *made = NULL;
  g_autofree char *stack = NULL;

  g_return_val_if_fail (MSC_IS_WINDOW (self), NULL);

  if ((origin = msc_window_selected_origin (self)) == NULL)
    return NULL;
  made = msc_trace_list_origin_text (msc_session_get_trace (self->session), origin);
  stack = msc_trace_dup_stack_text (msc_session_get_trace (self->session), origin->stack);
  return g_strdup_printf ("%s\n%s", made, stack);
}

static void
msc_window_origin_stack (GSimpleAction *action,
                         GVariant      *param,
                         gpointer       user_data)
{
  MscWindow *self = user_data;
  g_autofree char *text = msc_window_dup_origin_stack (self);
  GtkWidget *dialog;

  if (text == NULL)
    return;
  dialog = gtk_message_dialog_new (GTK_WINDOW (self), GTK_DIALOG_DESTROY_WITH_PARENT, GTK_MESSAGE_INFO,
                                   GTK_BUTTONS_CLOSE, _("Origin of the region"));
  gtk_message_dialog_format_secondary_text (GTK_MESSAGE_DIALOG (dialog), "%s", text);
  g_signal_connect (dialog, "response", G_CALLBACK (gtk_widget_destroy), NULL);
  gtk_window_present (GTK_WINDOW (dialog));
}

/* The context menu exists only where it has something to offer: a row
 * whose origin the trace saw. */
static gboolean
msc_window_origin_menu (MscWindow      *self,
                        const GdkEvent *event)
{
  g_autoptr(GMenu) menu = NULL;
  GtkWidget *popup;

  if (!g_action_group_get_action_enabled (G_ACTION_GROUP (self), "origin-stack"))
    return FALSE;
  menu = g_menu_new ();
  g_menu_append (menu, _("Show _Origin Stack"), "win.origin-stack");
  popup = gtk_menu_new_from_model (G_MENU_MODEL (menu));
  gtk_menu_attach_to_widget (GTK_MENU (popup), GTK_WIDGET (msc_details_view_get_tree_view (self->details_view)),
                             NULL);
  g_signal_connect (popup, "deactivate", G_CALLBACK (gtk_widget_destroy), NULL);
  gtk_menu_popup_at_pointer (GTK_MENU (popup), event);
  return TRUE;
}

static gboolean
msc_window_origin_button (GtkWidget      *widget,
                          GdkEventButton *event,
                          MscWindow      *self)
{
  GtkTreePath *path = NULL;

  if (!gdk_event_triggers_context_menu ((GdkEvent *) event)
      || !gtk_tree_view_get_path_at_pos (GTK_TREE_VIEW (widget), (int) event->x, (int) event->y, &path, NULL,
                                         NULL, NULL))
    return FALSE;
  gtk_tree_view_set_cursor (GTK_TREE_VIEW (widget), path, NULL, FALSE);
  gtk_tree_path_free (path);
  return msc_window_origin_menu (self, (GdkEvent *) event);
}

static gboolean
msc_window_origin_popup_key (GtkWidget *widget,
                             MscWindow *self)
{
  return msc_window_origin_menu (self, NULL);
}

void
msc_window_update_origin_action (MscWindow *self)
{
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self), "origin-stack");

  /* Only whether there is one: the stack is written when it is shown. */
  if (action != NULL)
    g_simple_action_set_enabled (G_SIMPLE_ACTION (action), msc_window_selected_origin (self) != NULL);
}

static const GActionEntry msc_window_origin_actions[] = {
  { "origin-stack", msc_window_origin_stack },
};

void
msc_window_add_origin_actions (MscWindow *self)
{
  GtkTreeView *details = msc_details_view_get_tree_view (self->details_view);

  g_action_map_add_action_entries (G_ACTION_MAP (self), msc_window_origin_actions,
                                   G_N_ELEMENTS (msc_window_origin_actions), self);
  g_signal_connect_object (details, "query-tooltip", G_CALLBACK (msc_window_origin_tooltip), self, 0);
  g_signal_connect_object (details, "button-press-event", G_CALLBACK (msc_window_origin_button), self, 0);
  g_signal_connect_object (details, "popup-menu", G_CALLBACK (msc_window_origin_popup_key), self, 0);
  g_signal_connect_object (gtk_tree_view_get_selection (details), "changed",
                           G_CALLBACK (msc_window_update_origin_action), self, G_CONNECT_SWAPPED);
  msc_window_update_origin_action (self);
}

void
msc_window_origins_destroy (MscWindow *self)
{
  msc_cancellable_drop (&self->origins_cancellable);
  g_clear_pointer (&self->origins, g_array_unref);
}
