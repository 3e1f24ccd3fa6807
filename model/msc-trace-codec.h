/* msc-trace-codec.h — the packed form of a run of trace events, the text of
 * one <Events> element (docs/file-formats.md, "Trace").  Each run stands
 * alone (deltas restart), so a truncated file loses only the run it cut. */
#pragma once

#include "model/msc-trace.h"

G_BEGIN_DECLS

/* Events per <Events> element: a run stays well under libxml2's 10 MB text
 * limit and costs little to lose. */
#define MSC_TRACE_CODEC_RUN 65536

/* Base64 of the zlib-compressed packed events [first, first + n). */
char    *msc_trace_codec_encode (MscTrace *trace, guint first, guint n);
/* Encodes the next full run not yet encoded, if any (kept in the trace):
 * the recorder calls it between reads, so saving finds the work done.
 * Returns TRUE if it encoded one. */
gboolean msc_trace_codec_encode_next (MscTrace *trace);
/* Encodes every run not yet encoded, the last shorter one too, on a pool
 * of threads, one per processor, while the caller goes on: for a trace
 * that is complete (no event may be added after); finish waits and keeps
 * the texts in the trace. */
typedef struct {
  MscTrace    *trace;
  GArray      *jobs;
  GThreadPool *pool;
} MscCodecJobs;
MscCodecJobs *msc_trace_codec_encode_start  (MscTrace *trace);
void          msc_trace_codec_encode_finish (MscCodecJobs *jobs);
/* The text of run k (of MSC_TRACE_CODEC_RUN events; the last may be
 * shorter): cached, or encoded now (transfer full). */
char    *msc_trace_codec_run_text (MscTrace *trace, guint run);
/* Appends the n events of text to trace; FALSE with a message on damage. */
gboolean msc_trace_codec_decode (MscTrace *trace, const char *text, guint n, GError **error);

G_END_DECLS
