/* msc-fragmentation-view.h — VMMap's Fragmentation View: the whole address
 * space of one snapshot drawn in rows, each stretch coloured by its type
 * (the Summary's colours), free gaps included; zoomable from the whole
 * space down to single pages. With Show Changes, new ranges are marked green
 * and removed ones red. Hovering names the region; a click emits
 * "region-activated" with its address.
 */
#pragma once

#include <gtk/gtk.h>
#include "model/msc-diff.h"
#include "model/msc-snapshot.h"
#include "ui/msc-fragmentation-layout.h"

G_BEGIN_DECLS

#define MSC_TYPE_FRAGMENTATION_VIEW (msc_fragmentation_view_get_type ())
G_DECLARE_FINAL_TYPE (MscFragmentationView, msc_fragmentation_view, MSC, FRAGMENTATION_VIEW, GtkBox)

GtkWidget  *msc_fragmentation_view_new              (void);
/* snapshot may be NULL; diff (nullable) must have snapshot as its B. */
void        msc_fragmentation_view_set_snapshot     (MscFragmentationView  *self,
                                                     MscSnapshot           *snapshot,
                                                     MscDiff               *diff,
                                                     int                    address_digits);
void        msc_fragmentation_view_set_scale        (MscFragmentationView  *self,
                                                     MscFragmentationScale  scale);
/* 1 shows the whole address space; larger magnifies (clamped to one page
 * per 16 pixels). */
void        msc_fragmentation_view_set_zoom         (MscFragmentationView  *self,
                                                     double                 zoom);
double      msc_fragmentation_view_get_zoom         (MscFragmentationView  *self);
/* Brings the row holding address into view (after a zoom). */
void        msc_fragmentation_view_scroll_to        (MscFragmentationView  *self,
                                                     guint64                address);
/* Outlines the region holding address (the Details view's selection). */
void        msc_fragmentation_view_select_address   (MscFragmentationView  *self,
                                                     guint64                address);
/* Where the first pixels of the region holding address are drawn, in the
 * canvas's coordinates; FALSE when not on screen. */
gboolean    msc_fragmentation_view_get_region_area  (MscFragmentationView  *self,
                                                     guint64                address,
                                                     GdkRectangle          *area);
/* The region-table index of the region drawn at (x, y) of the canvas, or
 * G_MAXSIZE (a gap, or nothing there). */
gsize       msc_fragmentation_view_region_at        (MscFragmentationView  *self,
                                                     double                 x,
                                                     double                 y);
/* The drawing area that takes the pointer. */
GtkWidget  *msc_fragmentation_view_get_canvas       (MscFragmentationView  *self);
/* What the line under the drawing says about the region pointed at. */
const char *msc_fragmentation_view_get_hover_text   (MscFragmentationView  *self);
/* How long the last draw of the canvas took, in microseconds: on the wall
 * clock, and in processor time (what a busy machine does not inflate). */
gint64      msc_fragmentation_view_get_draw_time    (MscFragmentationView  *self);
gint64      msc_fragmentation_view_get_draw_cpu_time (MscFragmentationView *self);
/* How many new and removed ranges the last draw marked. */
guint       msc_fragmentation_view_get_n_marks      (MscFragmentationView  *self);

G_END_DECLS
