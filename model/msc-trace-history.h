/* msc-trace-history.h — a trace's operations as a list (VMMap's Trace
 * dialog, memscope --history): filtered by operation, address, size and
 * the text of the stack, and written as CSV. */
#pragma once

#include <gio/gio.h>
#include "model/msc-trace.h"

G_BEGIN_DECLS

typedef struct {
  guint32     ops;          /* 1 << MscTraceOp for each operation shown; 0 = all */
  guint64     min_address;  /* address (or old address) in [min, max] */
  guint64     max_address;  /* G_MAXUINT64: no upper bound */
  guint64     min_size;
  const char *stack_text;   /* a frame's function, module or file contains it
                             * (case-insensitive); NULL or "" = any */
} MscTraceFilter;

/* The events that pass, ascending (transfer full): GArray of guint. NULL
 * when cancelled. */
GArray  *msc_trace_filter_events     (MscTrace             *trace,
                                      const MscTraceFilter *filter,
                                      GCancellable         *cancellable);

/* The CSV header line and one event's line, "\r\n" ended. */
void     msc_trace_history_header    (GString              *out);
void     msc_trace_history_append    (GString              *out,
                                      MscTrace             *trace,
                                      guint                 event);
/* Writes the events (NULL = all) as CSV to file, atomically: on failure
 * the file is as it was. */
gboolean msc_trace_write_history     (MscTrace             *trace,
                                      GArray               *events,
                                      GFile                *file,
                                      GCancellable         *cancellable,
                                      GError              **error);

G_END_DECLS
