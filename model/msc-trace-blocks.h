/* msc-trace-blocks.h — where a trace's event blocks come from: each next
 * block is mapped and faulted in ahead, on a thread of its own. */
#pragma once

#include <glib.h>

typedef struct _MscTraceBlocks MscTraceBlocks;

MscTraceBlocks *msc_trace_blocks_new (gsize size);
/* A block of size bytes, zeroed; NULL when out of memory.  From the
 * second on, each comes ready when the one before was not used up too
 * fast. */
gpointer        msc_trace_blocks_take (MscTraceBlocks *self);
void            msc_trace_blocks_free (MscTraceBlocks *self);
