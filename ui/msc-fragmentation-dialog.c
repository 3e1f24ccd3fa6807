/* msc-fragmentation-dialog.c — see msc-fragmentation-dialog.h. */
#include "config.h"

#include "ui/msc-fragmentation-dialog.h"

struct _MscFragmentationDialog
{
  GtkDialog             parent_instance;

  MscFragmentationView *view;
};

G_DEFINE_FINAL_TYPE (MscFragmentationDialog, msc_fragmentation_dialog, GTK_TYPE_DIALOG)

static void
msc_fragmentation_dialog_class_init (MscFragmentationDialogClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (MSC_TYPE_FRAGMENTATION_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/memscope/Memscope/msc-fragmentation-dialog.ui");
  gtk_widget_class_bind_template_child (widget_class, MscFragmentationDialog, view);
}

static void
msc_fragmentation_dialog_init (MscFragmentationDialog *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
msc_fragmentation_dialog_new (GtkWindow *parent)
{
  return g_object_new (MSC_TYPE_FRAGMENTATION_DIALOG, "transient-for", parent, "use-header-bar", FALSE, NULL);
}

MscFragmentationView *
msc_fragmentation_dialog_get_view (MscFragmentationDialog *self)
{
  g_return_val_if_fail (MSC_IS_FRAGMENTATION_DIALOG (self), NULL);
  return self->view;
}
