/* msc-timeline-private.h — the Timeline's state, shared by its widget
 * (msc-timeline.c: selection, input, properties) and its painting
 * (msc-timeline-draw.c). Internal to ui/. */
#pragma once

#include "ui/msc-timeline.h"

#define MSC_TIMELINE_PAD        10   /* around the plot */
#define MSC_TIMELINE_TICK       4    /* mark below the axis */
#define MSC_TIMELINE_HIT        12   /* how near a mark a tooltip appears */
#define MSC_TIMELINE_DOT        3    /* radius of a snapshot's dot */

struct _MscTimeline
{
  GtkDrawingArea  parent_instance;

  MscSession     *session;
  gulong          added_id;
  guint           anchor;
  guint           cursor;
  gboolean        dragging;
  GArray         *labels;    /* GdkRectangle of each time label last drawn */
};

typedef enum {
  MSC_LINE_COMMITTED,
  MSC_LINE_WORKING_SET,
  MSC_N_LINES
} MscLine;

guint    msc_timeline_n       (MscTimeline *self);
/* FALSE where the snapshot has no figure for the line (WS on a capture
 * without working sets). */
gboolean msc_timeline_value   (MscTimeline *self,
                               MscLine      line,
                               guint        index,
                               guint64     *value);
/* The snapshot whose mark is nearest x, and how far it is. */
guint    msc_timeline_nearest (MscTimeline *self,
                               double       x,
                               double      *distance);
gboolean msc_timeline_draw    (GtkWidget   *widget,
                               cairo_t     *cr);
