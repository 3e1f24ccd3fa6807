/* msc-process-chooser.h — "Select or Launch Process": pick a running process
 * from a filterable list, or start a program, and hand back its PID. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define MSC_TYPE_PROCESS_CHOOSER (msc_process_chooser_get_type ())
G_DECLARE_FINAL_TYPE (MscProcessChooser, msc_process_chooser, MSC, PROCESS_CHOOSER, GtkDialog)

GtkWidget *msc_process_chooser_new     (GtkWindow          *parent);
/* The chosen (or launched) process; valid once the dialog has emitted
 * GTK_RESPONSE_ACCEPT, 0 before.  The dialog only lets ACCEPT through when it
 * has a PID: a refused choice or a failed launch keeps the dialog open with
 * the reason shown. */
guint      msc_process_chooser_get_pid (MscProcessChooser  *self);
/* Accepted on the Launch page where the host traces: the program and its
 * arguments to launch under the tracer (the dialog did not start it, and
 * get_pid() is 0), its working directory (NULL: ours) and environment
 * additions ("NAME=value", NULL: none). NULL argv otherwise. */
const char *const *msc_process_chooser_get_trace_argv        (MscProcessChooser *self);
const char        *msc_process_chooser_get_trace_directory   (MscProcessChooser *self);
const char *const *msc_process_chooser_get_trace_environment (MscProcessChooser *self);

G_END_DECLS
