/* msc-help-window.c — see msc-help-window.h. The text lives in the .ui,
 * where translators find it with the rest. */
#include "config.h"

#include "ui/msc-help-window.h"

struct _MscHelpWindow
{
  GtkDialog  parent_instance;

  GtkLabel  *types_label;
  GtkLabel  *columns_label;
  GtkLabel  *units_label;
};

G_DEFINE_FINAL_TYPE (MscHelpWindow, msc_help_window, GTK_TYPE_DIALOG)

static void
msc_help_window_response (GtkDialog *dialog,
                          int        response)
{
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
msc_help_window_class_init (MscHelpWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  GTK_DIALOG_CLASS (klass)->response = msc_help_window_response;
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/memscope/Memscope/msc-help-window.ui");
  gtk_widget_class_bind_template_child (widget_class, MscHelpWindow, types_label);
  gtk_widget_class_bind_template_child (widget_class, MscHelpWindow, columns_label);
  gtk_widget_class_bind_template_child (widget_class, MscHelpWindow, units_label);
}

static void
msc_help_window_init (MscHelpWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
msc_help_window_new (GtkWindow *parent)
{
  return g_object_new (MSC_TYPE_HELP_WINDOW, "transient-for", parent, "use-header-bar", FALSE, NULL);
}

char *
msc_help_window_dup_text (MscHelpWindow *self)
{
  g_return_val_if_fail (MSC_IS_HELP_WINDOW (self), NULL);
  return g_strjoin ("\n\n", gtk_label_get_text (self->types_label), gtk_label_get_text (self->columns_label),
                    gtk_label_get_text (self->units_label), NULL);
}
