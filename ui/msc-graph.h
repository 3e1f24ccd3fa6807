/* msc-graph.h — one of VMMap's three summary graphs: a horizontal bar split
 * into the type colors, with its total in the title and a scale below. */
#pragma once

#include <gtk/gtk.h>
#include "model/core/msc-summary.h"

G_BEGIN_DECLS

typedef enum {
  MSC_GRAPH_COMMITTED,
  MSC_GRAPH_PRIVATE_BYTES,
  MSC_GRAPH_WORKING_SET,
} MscGraphKind;

#define MSC_TYPE_GRAPH (msc_graph_get_type ())
G_DECLARE_FINAL_TYPE (MscGraph, msc_graph, MSC, GRAPH, GtkBox)

GtkWidget *msc_graph_new         (MscGraphKind      kind);
/* summary is copied; NULL clears the graph. previous (nullable, Show
 * Changes): the compared snapshot's summary, whose total the bar marks and
 * whose difference it hatches; the title adds the change, "(+1,024 K)". */
void       msc_graph_set_summary (MscGraph         *self,
                                  const MscSummary *summary,
                                  const MscSummary *previous);
/* The bytes the bar of type shows, and the bytes its full width stands for. */
guint64    msc_graph_get_value   (MscGraph         *self,
                                  MscUseType        type);
guint64    msc_graph_get_scale   (MscGraph         *self);

G_END_DECLS
