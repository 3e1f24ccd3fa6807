/* msc-trace-model.h — a window onto a trace's operations as a GtkTreeModel
 * list: it exposes only the rows on screen (offset, count), made when the
 * view asks for them. A GtkTreeView keeps a node per row of its model, which
 * for ten million operations takes seconds and gigabytes; the dialog moves
 * the window with its own scroll bar. The columns are msc-trace-list.h's. */
#pragma once

#include <gtk/gtk.h>
#include "model/msc-snapshot.h"
#include "model/msc-trace.h"

G_BEGIN_DECLS

#define MSC_TYPE_TRACE_MODEL (msc_trace_model_get_type ())
G_DECLARE_FINAL_TYPE (MscTraceModel, msc_trace_model, MSC, TRACE_MODEL, GObject)

/* events: the rows' event indices (GArray of guint; transfer full);
 * snapshot (may be NULL): where the Heap column looks blocks up. */
MscTraceModel *msc_trace_model_new       (MscTrace      *trace,
                                          MscSnapshot   *snapshot,
                                          GArray        *events);
guint          msc_trace_model_get_event (MscTraceModel *self,
                                          GtkTreeIter   *iter);
/* Rows offset .. offset + count - 1 of the events (clamped) become the
 * model's rows 0 .. count - 1. */
void           msc_trace_model_set_window (MscTraceModel *self,
                                           guint          offset,
                                           guint          count);
guint          msc_trace_model_get_offset (MscTraceModel *self);
/* (transfer none) */
GArray        *msc_trace_model_get_events (MscTraceModel *self);

G_END_DECLS
