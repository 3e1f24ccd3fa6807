/* msc-trace-model.h — a trace's operations as a GtkTreeModel list whose
 * rows are made when the view asks for them: ten million operations open
 * at once (a GtkListStore would build every row first). The columns are
 * msc-trace-list.h's. */
#pragma once

#include <gtk/gtk.h>
#include "model/msc-trace.h"

G_BEGIN_DECLS

#define MSC_TYPE_TRACE_MODEL (msc_trace_model_get_type ())
G_DECLARE_FINAL_TYPE (MscTraceModel, msc_trace_model, MSC, TRACE_MODEL, GObject)

/* events: the rows' event indices (GArray of guint; transfer full). */
MscTraceModel *msc_trace_model_new       (MscTrace      *trace,
                                          GArray        *events);
guint          msc_trace_model_get_event (MscTraceModel *self,
                                          GtkTreeIter   *iter);
/* (transfer none) */
GArray        *msc_trace_model_get_events (MscTraceModel *self);

G_END_DECLS
