/* msc-trace.h — the recorded operations of one traced program: events in
 * arrival order (32 bytes each; the rare extra fields of mapping calls and
 * reallocs aside), the threads, the stack tree every event points into, and
 * the symbols of its frames.  Immutable once recording (or loading) has
 * finished; the call tree and the live-block index are computed over it
 * (msc-call-tree.h). */
#pragma once

#include <gio/gio.h>
#include "backends/backend.h"

G_BEGIN_DECLS

#define MSC_TRACE_ERROR (msc_trace_error_quark ())
GQuark msc_trace_error_quark (void);

typedef enum {
  MSC_TRACE_ERROR_LAUNCH = 1,  /* the program could not be started */
  MSC_TRACE_ERROR_INVALID,     /* a Trace element of a capture is damaged */
} MscTraceError;

/* One event.  time: ns since the trace began. */
typedef struct {
  guint64 time;
  guint64 address;
  guint64 size;
  guint32 stack;    /* stack tree node, 0 = no stack */
  guint16 thread;   /* index into the thread table */
  guint8  op;       /* MscTraceOp */
  guint8  has_extra;
} MscTraceRecord;

/* The fields only realloc and the mapping calls have. */
typedef struct {
  guint32 event;
  guint32 flags;
  gint32  error;
  guint32 padding;
  guint64 old_address;
  guint64 old_size;
} MscTraceExtra;

/* A symbolized return address. */
typedef struct {
  guint64 ip;
  char   *function;  /* NULL when unknown */
  char   *file;      /* NULL without debug info */
  guint32 line;
  char   *module;    /* file name of the module, NULL when outside any */
  guint64 offset;    /* ip - module bias */
} MscTraceFrame;

/* Node 0 is the root; a node is one frame under its parent (the caller). */
typedef struct {
  guint32 parent;
  guint32 frame;     /* index into the frame table */
} MscTraceNode;

#define MSC_TYPE_TRACE (msc_trace_get_type ())
G_DECLARE_FINAL_TYPE (MscTrace, msc_trace, MSC, TRACE, GObject)

/* start: FILETIME ticks of trace time 0, to place events among snapshots. */
MscTrace   *msc_trace_new             (guint64 start);
guint64     msc_trace_get_start       (MscTrace *self);
/* FILETIME of an event time. */
guint64     msc_trace_to_filetime     (MscTrace *self, guint64 time);
/* Event time of a FILETIME (0 before the start). */
guint64     msc_trace_from_filetime   (MscTrace *self, guint64 filetime);

/* ---- building (the recorder, the reader) ---- */
guint       msc_trace_thread_index    (MscTrace *self, guint32 tid);
/* Adds a frame for ip (once; returns the existing index otherwise). */
guint32     msc_trace_frame_index     (MscTrace *self, guint64 ip);
void        msc_trace_set_frame_symbol (MscTrace *self, guint32 frame, const char *function,
                                        const char *file, guint32 line, const char *module,
                                        guint64 offset);
/* The node for frame under parent, made if new. */
guint32     msc_trace_node            (MscTrace *self, guint32 parent, guint32 frame);
/* The node of a stack given innermost first as return addresses. */
guint32     msc_trace_node_for_stack  (MscTrace *self, const guint64 *frames, gsize n_frames);
/* Appends; extra may be NULL. */
void        msc_trace_append          (MscTrace *self, const MscTraceRecord *record,
                                       const MscTraceExtra *extra);
void        msc_trace_add_note        (MscTrace *self, const char *note);
/* The packed text of full run k (msc-trace-codec.h), when known: encoded
 * while recording, or as read from the file.  NULL otherwise. */
const char *msc_trace_get_run_text    (MscTrace *self, guint run);
/* Takes text. */
void        msc_trace_set_run_text    (MscTrace *self, guint run, char *text);
/* How the program ended: exit code, or the signal that killed it. */
void        msc_trace_set_end         (MscTrace *self, gboolean exited, int code_or_signal);
/* Set when the trace is known to be incomplete (killed, file truncated). */
void        msc_trace_set_cut_short   (MscTrace *self, gboolean cut_short);
void        msc_trace_set_images      (MscTrace *self, guint images);
void        msc_trace_set_mappings_traced (MscTrace *self, gboolean traced);

/* ---- reading ---- */
guint                 msc_trace_get_n_events  (MscTrace *self);
const MscTraceRecord *msc_trace_get_event     (MscTrace *self, guint index);
/* NULL when the event has no extra fields. */
const MscTraceExtra  *msc_trace_get_extra     (MscTrace *self, guint index);
guint                 msc_trace_get_n_threads (MscTrace *self);
guint32               msc_trace_get_thread_id (MscTrace *self, guint index);
guint                 msc_trace_get_n_frames  (MscTrace *self);
const MscTraceFrame  *msc_trace_get_frame     (MscTrace *self, guint index);
guint                 msc_trace_get_n_nodes   (MscTrace *self);
const MscTraceNode   *msc_trace_get_node      (MscTrace *self, guint index);
/* The function of a node's frame: its name, else "module+0xoffset", else "0xip". */
char                 *msc_trace_dup_node_label (MscTrace *self, guint node);
const char           *msc_trace_get_function   (MscTrace *self, guint node); /* NULL if unknown */
/* The stack from node outwards, one frame a line ("    label (file:line)\n"),
 * innermost first; "" for node 0. (transfer full) */
char                 *msc_trace_dup_stack_text (MscTrace *self, guint node);
GPtrArray            *msc_trace_get_notes      (MscTrace *self); /* char * */
gboolean              msc_trace_get_exited     (MscTrace *self);
int                   msc_trace_get_exit_code_or_signal (MscTrace *self);
gboolean              msc_trace_get_cut_short  (MscTrace *self);
guint                 msc_trace_get_images     (MscTrace *self);
gboolean              msc_trace_get_mappings_traced (MscTrace *self);

/* "malloc", "mmap", ... as written in captures and the history CSV. */
const char *msc_trace_op_name (guint op);
/* Heap: the malloc family; a block is gone when freed or reallocated. */
gboolean    msc_trace_op_is_heap (guint op);

G_END_DECLS
