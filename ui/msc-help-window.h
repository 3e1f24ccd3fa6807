/* msc-help-window.h — Help → Memory Types and Columns: what each memory
 * type, column and unit means, in our own words. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MSC_TYPE_HELP_WINDOW (msc_help_window_get_type ())
G_DECLARE_FINAL_TYPE (MscHelpWindow, msc_help_window, MSC, HELP_WINDOW, GtkDialog)

/* (transfer floating) */
GtkWidget  *msc_help_window_new      (GtkWindow     *parent);
/* All its text (types, columns, units), for tests and screen readers. */
char       *msc_help_window_dup_text (MscHelpWindow *self);

G_END_DECLS
