/* msc-trace-list.h — a list of traced operations as the trace dialogs show
 * them (time, thread, operation, address, size, result, heap, status,
 * function, module of the caller), and the symbolized stack of the selected
 * one. */
#pragma once

#include <gtk/gtk.h>
#include "model/core/msc-region-table.h"
#include "model/msc-trace-replay.h"

G_BEGIN_DECLS

enum {
  MSC_TRACE_LIST_TIME,
  MSC_TRACE_LIST_THREAD,
  MSC_TRACE_LIST_OPERATION,
  MSC_TRACE_LIST_ADDRESS,
  MSC_TRACE_LIST_SIZE,
  MSC_TRACE_LIST_RESULT,    /* "" on success, else what went wrong */
  MSC_TRACE_LIST_HEAP,      /* "Heap 2": the heap the block lies in, where known */
  MSC_TRACE_LIST_STATUS,    /* "Live", "Freed" or "" */
  MSC_TRACE_LIST_FUNCTION,
  MSC_TRACE_LIST_MODULE,    /* the file of the calling function */
  MSC_TRACE_LIST_EVENT,     /* guint: index into the trace */
  MSC_TRACE_LIST_N_COLUMNS
};

/* Lists show at most this many operations, and say so when there are more:
 * a GtkListStore of millions of rows would stall the window. */
#define MSC_TRACE_LIST_MAX_ROWS 100000

GtkListStore *msc_trace_list_store_new   (void);
typedef enum {
  MSC_TRACE_LIST_WITH_STATUS = 1 << 0,
  MSC_TRACE_LIST_WITH_HEAP   = 1 << 1,
} MscTraceListColumns;

/* The columns; Status and Heap only where asked. */
void          msc_trace_list_add_columns (GtkTreeView  *view,
                                          guint         optional);
/* A cell's text: the result, the caller's module (its file's base name). */
char         *msc_trace_list_result_text (MscTrace     *trace,
                                          guint         event);
char         *msc_trace_list_module_text (MscTrace     *trace,
                                          guint32       stack);
/* "Made by mmap in new_heap at 0.012345 s, thread 4242": the traced call
 * that made a mapping (a live block of the mappings replay). */
char         *msc_trace_list_origin_text (MscTrace     *trace,
                                          const MscLiveBlock *origin);
/* "Heap 2" when address lies in a heap of regions, else "" (regions may be NULL). */
char         *msc_trace_list_heap_text   (const MscRegionTable *regions,
                                          guint64       address);
/* status may be NULL. */
void          msc_trace_list_append      (GtkListStore *store,
                                          MscTrace     *trace,
                                          guint         event,
                                          const char   *status);
/* Fills store with the events (GArray of guint), up to the limit; returns
 * how many there were. */
guint         msc_trace_list_fill        (GtkListStore *store,
                                          MscTrace     *trace,
                                          GArray       *events);
/* The stack of the event selected in view into buffer ("" when none). */
void          msc_trace_list_show_stack  (GtkTreeView   *view,
                                          MscTrace      *trace,
                                          GtkTextBuffer *buffer);

G_END_DECLS
