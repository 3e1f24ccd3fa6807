/* msc-trace-process.h — private to the recorder (msc-trace-recorder.c):
 * one traced process and the capture it becomes.  The launched program is
 * one; with --follow-children each process it starts is another, with a
 * trace, stack tree, symbols, snapshots and end of its own. */
#pragma once

#include "backends/backend.h"
#include "model/msc-session.h"
#include "model/msc-trace-symbols.h"

G_BEGIN_DECLS

typedef struct {
  MscTraceLaunch  *launch;
  guint32          pid;
  guint64          clock_start;  /* msc_backend_trace_clock() at trace time 0 */
  MscTrace        *trace;
  MscSession      *session;
  MscTraceSymbols *symbols;
  GHashTable      *stacks;       /* stack key → node */
  MscTraceSink     sink;         /* user: this */
  /* The last stack and thread looked up: a loop allocates from one place. */
  guint64          last_key;
  guint32          last_node;
  guint32          last_tid;
  guint16          last_thread;
  guint            images;
  gint64           next_snapshot; /* g_get_monotonic_time () */
  gboolean         running;       /* the backend has more to say */
  int              exit_status;   /* as a shell reports it; -1 not known */
} MscTraceProcess;

/* start and clock_start: trace time 0, shared by every process of one run
 * so that their events and snapshots line up. */
MscTraceProcess *msc_trace_process_new      (MscTraceLaunch *launch, guint64 start, guint64 clock_start);
void             msc_trace_process_free     (MscTraceProcess *self);
void             msc_trace_process_snapshot (MscTraceProcess *self);
/* Its end: stopped (Ctrl+C) kills it or lets it run on, untraced, as kill
 * says; then the capture is completed (symbols, packed runs). */
void             msc_trace_process_finish   (MscTraceProcess *self, gboolean stopped, gboolean kill);

G_END_DECLS
