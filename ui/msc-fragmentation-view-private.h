/* msc-fragmentation-view-private.h — shared by msc-fragmentation-view.c
 * (state, pointer and zoom) and msc-fragmentation-draw.c (Cairo). */
#pragma once

#include "ui/msc-fragmentation-view.h"

G_BEGIN_DECLS

#define MSC_FRAGMENTATION_ROW_HEIGHT 14
#define MSC_FRAGMENTATION_ROW_GAP    4
#define MSC_FRAGMENTATION_MARK       3    /* height of a Show Changes band */

struct _MscFragmentationView
{
  GtkBox                  parent_instance;

  GtkDrawingArea         *canvas;
  GtkDrawingArea         *legend;
  GtkAdjustment          *adjustment;   /* in rows: value = first row shown */
  GtkComboBoxText        *scale_combo;
  GtkLabel               *zoom_label;
  GtkLabel               *hover_label;

  MscSnapshot            *snapshot;
  MscDiff                *diff;
  MscFragmentationLayout *layout;
  MscFragmentationScale   scale;
  int                     address_digits;
  double                  zoom;
  guint                   hovered;      /* fragment index, or G_MAXUINT */
  guint                   selected;     /* fragment index, or G_MAXUINT */
  int                     gutter;       /* width of the address column, pixels */
  gint64                  draw_time;     /* wall clock, µs */
  gint64                  draw_cpu_time; /* processor time, µs */
  guint                   n_marks;
};

/* The geometry of the canvas at the current zoom. */
typedef struct {
  int    left;          /* x of the strip (after the address gutter) */
  int    width;         /* pixels per row */
  int    rows;          /* rows that fit */
  double units_per_px;
  double first_unit;    /* at the start of the first row shown */
} MscFragmentationGeometry;

gboolean msc_fragmentation_view_geometry (MscFragmentationView     *self,
                                          MscFragmentationGeometry *geometry);

/* msc-fragmentation-draw.c */
gboolean msc_fragmentation_view_draw        (MscFragmentationView *self,
                                             cairo_t              *cr);
gboolean msc_fragmentation_view_draw_legend (MscFragmentationView *self,
                                             cairo_t              *cr);

G_END_DECLS
