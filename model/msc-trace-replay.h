/* msc-trace-replay.h — steps through a trace in time order keeping what is
 * alive: heap blocks (the malloc family) or mapped ranges (mmap, mremap,
 * munmap, brk; partial unmaps split a range).  The call tree, the leak
 * report, "the heap blocks inside this region at snapshot N" and "where did
 * this region come from" are all a replay to some time. */
#pragma once

#include "model/msc-trace.h"

G_BEGIN_DECLS

typedef enum {
  MSC_REPLAY_HEAP,
  MSC_REPLAY_MAPPINGS,
} MscReplayKind;

/* A live block or range: made by event, at stack. */
typedef struct {
  guint64 address;
  guint64 size;
  guint32 stack;
  guint32 event;
} MscLiveBlock;

typedef struct {
  /* A block became live (an allocation, for the call tree's counts). */
  void (*added) (gpointer user, const MscLiveBlock *block);
  /* bytes of block stopped being live (freed, unmapped, reallocated). */
  void (*released) (gpointer user, const MscLiveBlock *block, guint64 bytes);
  gpointer user;
} MscReplayHooks;

typedef struct _MscTraceReplay MscTraceReplay;

MscTraceReplay *msc_trace_replay_new  (MscTrace *trace, MscReplayKind kind);
void            msc_trace_replay_free (MscTraceReplay *replay);
/* Applies the events up to and including time (G_MAXUINT64: all); hooks
 * may be NULL.  Later calls continue where the last stopped. */
void            msc_trace_replay_run  (MscTraceReplay *replay, guint64 time,
                                       const MscReplayHooks *hooks);
/* What is alive now, ascending address (transfer full). */
GArray         *msc_trace_replay_live (MscTraceReplay *replay);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (MscTraceReplay, msc_trace_replay_free)

/* VMMap's Heap Allocations and "where did this region come from", as one
 * call each (a replay from the start: a GUI runs them in a worker).
 * The blocks (kind) alive at time that overlap [start, end), ascending
 * (transfer full). */
GArray *msc_trace_live_in (MscTrace *trace, MscReplayKind kind, guint64 time, guint64 start,
                           guint64 end);

/* VMMap's Heap Allocations of a region: the heap operations (the malloc
 * family and free) up to time whose block lies in [start, end), in time
 * order; live: an allocation whose block is still allocated at time
 * (transfer full). */
typedef struct {
  guint    event;
  gboolean live;
} MscRegionOp;

GArray *msc_trace_heap_ops_in (MscTrace *trace, guint64 time, guint64 start, guint64 end);

G_END_DECLS
