/* msc-call-tree.h — VMMap's Call Tree: the functions allocations were made
 * from, merged by function along each path (top-down: program entry first;
 * inverted: the allocating function first, its callers below).  Each node
 * counts the allocations whose stack passes through it: how many, bytes in
 * total, bytes live at a chosen time (a snapshot), the peak of live bytes,
 * and bytes still live at the end (leaked). */
#pragma once

#include "model/msc-trace.h"
#include "model/msc-trace-replay.h"

G_BEGIN_DECLS

typedef struct _MscCallNode MscCallNode;
struct _MscCallNode {
  char        *function;  /* a function name, "module+0xoffset", or "[all]" at the root */
  guint64      count;
  guint64      total;
  guint64      live;      /* at the chosen time */
  guint64      peak;
  guint64      leaked;    /* live when the trace ended */
  MscCallNode *parent;
  GPtrArray   *children;  /* MscCallNode *, most bytes first */
  guint64      current;   /* live while replaying */
};

#define MSC_TYPE_CALL_TREE (msc_call_tree_get_type ())
G_DECLARE_FINAL_TYPE (MscCallTree, msc_call_tree, MSC, CALL_TREE, GObject)

/* kind: heap blocks or mapped ranges; at: event time for the live column
 * (G_MAXUINT64: the end). */
MscCallTree       *msc_call_tree_new      (MscTrace *trace, MscReplayKind kind, gboolean inverted,
                                           guint64 at);
const MscCallNode *msc_call_tree_get_root (MscCallTree *self);
/* The first node of that function in a depth-first walk, NULL if none. */
const MscCallNode *msc_call_tree_find     (MscCallTree *self, const char *function);
/* The operations node counts: the events (indices into the trace, ascending)
 * that made blocks of the tree's kind whose path passes through node.
 * (transfer full): GArray of guint */
GArray            *msc_call_tree_events_of (MscCallTree *self, const MscCallNode *node);

G_END_DECLS
