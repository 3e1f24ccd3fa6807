/* msc-trace-list.h — a list of traced operations as the trace dialogs show
 * them (time, thread, operation, address, size, status, function), and the
 * symbolized stack of the selected one. */
#pragma once

#include <gtk/gtk.h>
#include "model/msc-trace.h"

G_BEGIN_DECLS

enum {
  MSC_TRACE_LIST_TIME,
  MSC_TRACE_LIST_THREAD,
  MSC_TRACE_LIST_OPERATION,
  MSC_TRACE_LIST_ADDRESS,
  MSC_TRACE_LIST_SIZE,
  MSC_TRACE_LIST_STATUS,    /* "Live", "Freed" or "" */
  MSC_TRACE_LIST_FUNCTION,
  MSC_TRACE_LIST_EVENT,     /* guint: index into the trace */
  MSC_TRACE_LIST_N_COLUMNS
};

/* Lists show at most this many operations, and say so when there are more:
 * a GtkListStore of millions of rows would stall the window. */
#define MSC_TRACE_LIST_MAX_ROWS 100000

GtkListStore *msc_trace_list_store_new   (void);
/* The columns; Status only when with_status. */
void          msc_trace_list_add_columns (GtkTreeView  *view,
                                          gboolean      with_status);
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
