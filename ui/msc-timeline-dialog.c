/* msc-timeline-dialog.c — the Timeline dialog around an MscTimeline. */
#include "config.h"

#include <glib/gi18n.h>

#include "ui/msc-timeline-dialog.h"

struct _MscTimelineDialog
{
  GtkDialog    parent_instance;

  MscTimeline *timeline;
  GtkLabel    *selection_label;
  GtkLabel    *cost_label;
  GtkButton   *show_button;
  MscSession  *session;
};

G_DEFINE_FINAL_TYPE (MscTimelineDialog, msc_timeline_dialog, GTK_TYPE_DIALOG)

/* The label repeats the selection in words; the button says what applying
 * it does. */
static void
msc_timeline_dialog_selection_changed (MscTimelineDialog *self)
{
  g_autofree char *text = msc_timeline_dup_selection_text (self->timeline);
  guint first = 0, last = 0;
  gboolean any = msc_timeline_get_selection (self->timeline, &first, &last);

  gtk_label_set_text (self->selection_label, text);
  gtk_button_set_label (self->show_button, first != last ? _("_Compare") : _("_Show"));
  gtk_dialog_set_response_sensitive (GTK_DIALOG (self), GTK_RESPONSE_APPLY, any);
}

/* What the session costs: its snapshots, and the memory they hold (each
 * after the first keeps only what changed). */
static void
msc_timeline_dialog_update_cost (MscTimelineDialog *self)
{
  g_autofree char *size = NULL;
  g_autofree char *text = NULL;
  guint n;

  if (self->session == NULL)
    {
      gtk_label_set_text (self->cost_label, "");
      return;
    }
  n = msc_session_get_n_snapshots (self->session);
  size = g_format_size_full (msc_session_get_memory_size (self->session), G_FORMAT_SIZE_IEC_UNITS);
  /* Translators: "12 snapshots, 1.2 MiB in memory" */
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u snapshot, %s in memory", "%u snapshots, %s in memory", n),
                          n, size);
  gtk_label_set_text (self->cost_label, text);
}

const char *
msc_timeline_dialog_get_cost_text (MscTimelineDialog *self)
{
  g_return_val_if_fail (MSC_IS_TIMELINE_DIALOG (self), NULL);
  return gtk_label_get_text (self->cost_label);
}

static void
msc_timeline_dialog_dispose (GObject *object)
{
  g_clear_object (&MSC_TIMELINE_DIALOG (object)->session);
  G_OBJECT_CLASS (msc_timeline_dialog_parent_class)->dispose (object);
}

static void
msc_timeline_dialog_activate (MscTimelineDialog *self)
{
  gtk_dialog_response (GTK_DIALOG (self), GTK_RESPONSE_APPLY);
}

static void
msc_timeline_dialog_class_init (MscTimelineDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  G_OBJECT_CLASS (klass)->dispose = msc_timeline_dialog_dispose;
  g_type_ensure (MSC_TYPE_TIMELINE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/memscope/Memscope/msc-timeline-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MscTimelineDialog, timeline);
  gtk_widget_class_bind_template_child (widget_class, MscTimelineDialog, selection_label);
  gtk_widget_class_bind_template_child (widget_class, MscTimelineDialog, cost_label);
  gtk_widget_class_bind_template_child (widget_class, MscTimelineDialog, show_button);
  gtk_widget_class_bind_template_callback (widget_class, msc_timeline_dialog_selection_changed);
  gtk_widget_class_bind_template_callback (widget_class, msc_timeline_dialog_activate);
}

static void
msc_timeline_dialog_init (MscTimelineDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  msc_timeline_dialog_selection_changed (self);
}

GtkWidget *
msc_timeline_dialog_new (GtkWindow  *parent,
                         MscSession *session)
{
  MscTimelineDialog *self;

  g_return_val_if_fail (session == NULL || MSC_IS_SESSION (session), NULL);

  self = g_object_new (MSC_TYPE_TIMELINE_DIALOG, "transient-for", parent, "use-header-bar", FALSE, NULL);
  msc_timeline_dialog_set_session (self, session);
  return GTK_WIDGET (self);
}

void
msc_timeline_dialog_set_session (MscTimelineDialog *self,
                                 MscSession        *session)
{
  g_return_if_fail (MSC_IS_TIMELINE_DIALOG (self));

  msc_timeline_set_session (self->timeline, session);
  if (self->session == session)
    return;
  if (self->session != NULL)
    g_signal_handlers_disconnect_by_func (self->session, msc_timeline_dialog_update_cost, self);
  g_set_object (&self->session, session);
  if (session != NULL)
    g_signal_connect_object (session, "snapshot-added", G_CALLBACK (msc_timeline_dialog_update_cost), self,
                             G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  msc_timeline_dialog_update_cost (self);
}

MscTimeline *
msc_timeline_dialog_get_timeline (MscTimelineDialog *self)
{
  g_return_val_if_fail (MSC_IS_TIMELINE_DIALOG (self), NULL);
  return self->timeline;
}
