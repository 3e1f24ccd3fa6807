/* msc-heap-allocations-dialog.h — VMMap's Heap Allocations: the heap
 * operations a traced program made inside one region, up to the snapshot
 * shown, each live or freed by then, with its stack; and the mapping call
 * that made the region, where the trace saw it. */
#pragma once

#include <gtk/gtk.h>
#include "model/msc-trace.h"

G_BEGIN_DECLS

#define MSC_TYPE_HEAP_ALLOCATIONS_DIALOG (msc_heap_allocations_dialog_get_type ())
G_DECLARE_FINAL_TYPE (MscHeapAllocationsDialog, msc_heap_allocations_dialog, MSC, HEAP_ALLOCATIONS_DIALOG,
                      GtkDialog)

/* (transfer floating) */
GtkWidget   *msc_heap_allocations_dialog_new        (GtkWindow                *parent,
                                                     MscTrace                 *trace);
/* [start, end) at trace time at (named at_text, "snapshot 3, 10:31:02");
 * title names the region. The list is filled off the main loop. */
void         msc_heap_allocations_dialog_set_region (MscHeapAllocationsDialog *self,
                                                     guint64                   start,
                                                     guint64                   end,
                                                     const char               *title,
                                                     guint64                   at,
                                                     const char               *at_text);
gboolean     msc_heap_allocations_dialog_get_busy   (MscHeapAllocationsDialog *self);
GtkTreeView *msc_heap_allocations_dialog_get_view   (MscHeapAllocationsDialog *self);
/* "Made by mmap at 0.012 s, thread 4242" or why no call is known. */
const char  *msc_heap_allocations_dialog_get_origin (MscHeapAllocationsDialog *self);

G_END_DECLS
