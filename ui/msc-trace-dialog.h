/* msc-trace-dialog.h — VMMap's Trace history: every recorded operation
 * (time, thread, operation, address, size, function), filtered by
 * operation, address range, size and the text of the stack; the selected
 * operation's stack below; Copy and Export CSV. Ten million operations
 * open at once: the view holds only the rows on screen. */
#pragma once

#include <gtk/gtk.h>
#include "model/msc-snapshot.h"
#include "model/msc-trace.h"

G_BEGIN_DECLS

#define MSC_TYPE_TRACE_DIALOG (msc_trace_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MscTraceDialog, msc_trace_dialog, MSC, TRACE_DIALOG, GtkDialog)

/* snapshot (may be NULL): where the Heap column finds the heap of each
 * block (the newest). (transfer floating) */
GtkWidget   *msc_trace_dialog_new          (GtkWindow      *parent,
                                            MscTrace       *trace,
                                            MscSnapshot    *snapshot);
/* TRUE while a filter runs off the main loop (or waits to). */
gboolean     msc_trace_dialog_get_busy     (MscTraceDialog *self);
/* The view shows a window of the list (the rows on screen): */
GtkTreeView *msc_trace_dialog_get_view     (MscTraceDialog *self);
/* how many operations the list has, all of them. */
guint        msc_trace_dialog_get_n_rows   (MscTraceDialog *self);
/* The list's scroll position: the first row shown, 0 .. n_rows. */
GtkAdjustment *msc_trace_dialog_get_adjustment (MscTraceDialog *self);
/* The filter controls, as a user sets them: operation (the combo's id:
 * "all", "heap", "mappings" or an operation's name), address bounds and
 * minimum size (text as typed), stack text. */
void         msc_trace_dialog_set_filter   (MscTraceDialog *self,
                                            const char     *operation,
                                            const char     *min_address,
                                            const char     *max_address,
                                            const char     *min_size,
                                            const char     *stack_text);
/* Writes the operations listed as CSV (what Export CSV… writes). */
gboolean     msc_trace_dialog_export       (MscTraceDialog *self,
                                            GFile          *file,
                                            GError        **error);
/* The selected operation as Copy puts it on the clipboard (a CSV header
 * line, and the operation's line). */
char        *msc_trace_dialog_dup_selection_text (MscTraceDialog *self);

G_END_DECLS
