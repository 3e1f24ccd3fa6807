/* msc-timeline-dialog.c — the Timeline dialog around an MscTimeline. */
#include "config.h"

#include <glib/gi18n.h>

#include "ui/msc-timeline-dialog.h"

struct _MscTimelineDialog
{
  GtkDialog    parent_instance;

  MscTimeline *timeline;
  GtkLabel    *selection_label;
  GtkButton   *show_button;
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

static void
msc_timeline_dialog_activate (MscTimelineDialog *self)
{
  gtk_dialog_response (GTK_DIALOG (self), GTK_RESPONSE_APPLY);
}

static void
msc_timeline_dialog_class_init (MscTimelineDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (MSC_TYPE_TIMELINE);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/memscope/Memscope/msc-timeline-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MscTimelineDialog, timeline);
  gtk_widget_class_bind_template_child (widget_class, MscTimelineDialog, selection_label);
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
  msc_timeline_set_session (self->timeline, session);
  return GTK_WIDGET (self);
}

MscTimeline *
msc_timeline_dialog_get_timeline (MscTimelineDialog *self)
{
  g_return_val_if_fail (MSC_IS_TIMELINE_DIALOG (self), NULL);
  return self->timeline;
}
