/* msc-fragmentation-draw.c — the Fragmentation View's Cairo drawing.
 *
 * Each row is first reduced to one type per pixel, then every run of one
 * type becomes a rectangle, filled one colour at a time: the cost follows
 * the pixels on screen, not the 100,000 regions of a big process.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>
#include <string.h>
#include <time.h>

#include "model/core/msc-format.h"
#include "ui/msc-fragmentation-view-private.h"
#include "ui/msc-type-colors.h"
#include "ui/msc-ui-util.h"

#define MSC_NO_TYPE 0xff

static int
msc_fragmentation_row_y (int row)
{
  return row * (MSC_FRAGMENTATION_ROW_HEIGHT + MSC_FRAGMENTATION_ROW_GAP) + MSC_FRAGMENTATION_ROW_GAP / 2;
}

/* One pixel per type, a region narrower than a pixel widened to one: a
 * 4 KiB guard page among terabytes stays visible. A region wins a pixel
 * over a free gap, so free space never hides what is allocated. Where a
 * region at least 4 pixels wide starts, edges[] says so: neighbours of one
 * type stay told apart. */
static void
msc_fragmentation_paint_row (MscFragmentationView           *self,
                             const MscFragmentationGeometry *g,
                             double                          u0,
                             guint8                         *pixels,
                             gboolean                       *edges)
{
  double u1 = u0 + g->width * g->units_per_px;
  guint n = msc_fragmentation_layout_n_fragments (self->layout);
  const MscFragment *fragments = msc_fragmentation_layout_fragments (self->layout);
  const double *starts = msc_fragmentation_layout_starts (self->layout);

  memset (pixels, MSC_NO_TYPE, (gsize) g->width);
  memset (edges, 0, sizeof (gboolean) * (gsize) g->width);
  /* At a full view every region passes here once: plain array reads. */
  for (guint i = msc_fragmentation_layout_find (self->layout, u0); i < n && starts[i] < u1; i++)
    {
      guint8 type = fragments[i].type;
      double x0 = (starts[i] - u0) / g->units_per_px;
      double x1 = (starts[i + 1] - u0) / g->units_per_px;
      int p0 = (int) MAX (x0, 0);
      int p1 = (int) MIN (ceil (x1), g->width);

      p1 = MAX (p1, MIN (p0 + 1, g->width));
      if (x0 >= 1 && x1 - x0 >= 4 && type != MSC_TYPE_FREE)
        edges[p0] = TRUE;
      for (int p = p0; p < p1; p++)
        if (pixels[p] == MSC_NO_TYPE || (pixels[p] == MSC_TYPE_FREE && type != MSC_TYPE_FREE))
          pixels[p] = type;
    }
}

static void
msc_fragmentation_fill_runs (cairo_t      *cr,
                             const guint8 *pixels,
                             int           width,
                             int           left,
                             int           y,
                             guint8        type)
{
  for (int p = 0; p < width; p++)
    {
      int start = p;

      if (pixels[p] != type)
        continue;
      while (p + 1 < width && pixels[p + 1] == type)
        p++;
      cairo_rectangle (cr, left + start, y, p + 1 - start, MSC_FRAGMENTATION_ROW_HEIGHT);
    }
}

static void
msc_fragmentation_draw_edges (cairo_t        *cr,
                              const gboolean *edges,
                              int             width,
                              int             left,
                              int             y,
                              const GdkRGBA  *fg)
{
  for (int p = 0; p < width; p++)
    if (edges[p])
      cairo_rectangle (cr, left + p, y, 1, MSC_FRAGMENTATION_ROW_HEIGHT);
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.45);
  cairo_fill (cr);
}

/* A frame around each row, so free space reads as an empty stretch of the
 * row rather than as the background. */
static void
msc_fragmentation_draw_frame (cairo_t                        *cr,
                              const MscFragmentationGeometry *g,
                              int                             y,
                              const GdkRGBA                  *fg)
{
  cairo_rectangle (cr, g->left - 0.5, y - 0.5, g->width + 1, MSC_FRAGMENTATION_ROW_HEIGHT + 1);
  cairo_set_source_rgba (cr, fg->red, fg->green, fg->blue, 0.3);
  cairo_set_line_width (cr, 1);
  cairo_stroke (cr);
}

static void
msc_fragmentation_draw_rows (MscFragmentationView           *self,
                             cairo_t                        *cr,
                             const MscFragmentationGeometry *g,
                             const GdkRGBA                  *fg,
                             gboolean                        dark)
{
  double row_units = g->width * g->units_per_px;
  double length = msc_fragmentation_layout_length (self->layout);
  g_autofree guint8 *pixels = g_malloc ((gsize) g->width);
  g_autofree gboolean *edges = g_new (gboolean, g->width);

  for (int row = 0; row < g->rows; row++)
    {
      double u0 = g->first_unit + row * row_units;
      int y = msc_fragmentation_row_y (row);

      if (u0 >= length)
        break;
      msc_fragmentation_paint_row (self, g, u0, pixels, edges);
      for (guint8 type = 0; type < MSC_N_TYPES; type++)
        {
          GdkRGBA color;

          msc_fragmentation_fill_runs (cr, pixels, g->width, g->left, y, type);
          msc_type_color (type, dark, &color);
          gdk_cairo_set_source_rgba (cr, &color);
          cairo_fill (cr);
        }
      msc_fragmentation_draw_edges (cr, edges, g->width, g->left, y, fg);
      msc_fragmentation_draw_frame (cr, g, y, fg);
    }
}

typedef void (*MscFragmentationSpanFunc) (cairo_t *cr, double x, double y, double width, gpointer data);

/* Calls func for each piece, one per visible row, of the line from u0 to
 * u1 (at least a pixel wide); returns how many. */
static guint
msc_fragmentation_for_span (const MscFragmentationGeometry *g,
                            double                          u0,
                            double                          u1,
                            MscFragmentationSpanFunc        func,
                            cairo_t                        *cr,
                            gpointer                        data)
{
  double row_units = g->width * g->units_per_px;
  double first = floor ((u0 - g->first_unit) / row_units);
  double last = floor ((MAX (u1, u0) - g->first_unit) / row_units);
  guint n = 0;

  for (double row = MAX (first, 0); row <= last && row < g->rows; row++)
    {
      double start = g->first_unit + row * row_units;
      double x0 = MAX ((u0 - start) / g->units_per_px, 0);
      double x1 = MIN ((u1 - start) / g->units_per_px, g->width);

      if (x1 < x0 + 1)
        x1 = MIN (x0 + 1, (double) g->width);
      func (cr, g->left + floor (x0), msc_fragmentation_row_y ((int) row), ceil (x1) - floor (x0), data);
      n++;
    }
  return n;
}

static void
msc_fragmentation_band (cairo_t *cr,
                        double   x,
                        double   y,
                        double   width,
                        gpointer data)
{
  cairo_rectangle (cr, x, y + MSC_FRAGMENTATION_ROW_HEIGHT - MSC_FRAGMENTATION_MARK, width,
                   MSC_FRAGMENTATION_MARK + 1);
}

static void
msc_fragmentation_outline (cairo_t *cr,
                           double   x,
                           double   y,
                           double   width,
                           gpointer data)
{
  cairo_rectangle (cr, x + 0.5, y - 0.5, MAX (width - 1, 1), MSC_FRAGMENTATION_ROW_HEIGHT + 1);
}

static void
msc_fragmentation_store_area (cairo_t *cr,
                              double   x,
                              double   y,
                              double   width,
                              gpointer data)
{
  GdkRectangle *area = data;

  if (area->width == 0)
    *area = (GdkRectangle) { (int) x, (int) y, (int) width, MSC_FRAGMENTATION_ROW_HEIGHT };
}

/* A top-level region of snapshot, as a span of the line (B's layout: a
 * removed range is drawn where it was). */
static void
msc_fragmentation_region_span (MscFragmentationView *self,
                               MscSnapshot          *snapshot,
                               gsize                 index,
                               double               *u0,
                               double               *u1)
{
  MscRegion region = msc_region_table_row (msc_snapshot_get_regions (snapshot), index);

  *u0 = msc_fragmentation_layout_unit_of (self->layout, region.address);
  *u1 = msc_fragmentation_layout_unit_of (self->layout, region.address + region.size);
}

/* Green and red as the Details view's marks, deep enough to read as a
 * band on any type's colour. */
static void
msc_fragmentation_band_color (cairo_t       *cr,
                              MscDiffStatus  status)
{
  if (status == MSC_DIFF_NEW)
    cairo_set_source_rgb (cr, 0.13, 0.60, 0.18);
  else
    cairo_set_source_rgb (cr, 0.80, 0.12, 0.12);
}

/* Show Changes: a green band under each new allocation, a red one under
 * each removed one (sub-blocks are inside them and not marked again). */
static guint
msc_fragmentation_draw_marks (MscFragmentationView           *self,
                              cairo_t                        *cr,
                              const MscFragmentationGeometry *g,
                              MscDiffStatus                   status)
{
  MscSnapshot *snapshot = status == MSC_DIFF_NEW ? msc_diff_get_b (self->diff) : msc_diff_get_a (self->diff);
  const MscRegionTable *table = msc_snapshot_get_regions (snapshot);
  guint marks = 0;

  for (guint i = 0; i < msc_diff_get_n_changes (self->diff); i++)
    {
      const MscDiffChange *change = msc_diff_get_change (self->diff, i);
      gsize index = status == MSC_DIFF_NEW ? change->index_b : change->index_a;
      double u0, u1;

      if (change->status != status || msc_region_table_parent (table, index) != MSC_NO_PARENT)
        continue;
      msc_fragmentation_region_span (self, snapshot, index, &u0, &u1);
      msc_fragmentation_for_span (g, u0, u1, msc_fragmentation_band, cr, NULL);
      marks++;
    }
  msc_fragmentation_band_color (cr, status);
  cairo_fill (cr);
  return marks;
}

static void
msc_fragmentation_draw_fragment_outline (MscFragmentationView           *self,
                                         cairo_t                        *cr,
                                         const MscFragmentationGeometry *g,
                                         guint                           i,
                                         const GdkRGBA                  *color,
                                         double                          line_width)
{
  if (i >= msc_fragmentation_layout_n_fragments (self->layout))
    return;
  msc_fragmentation_for_span (g, msc_fragmentation_layout_start (self->layout, i),
                              msc_fragmentation_layout_start (self->layout, i + 1),
                              msc_fragmentation_outline, cr, NULL);
  gdk_cairo_set_source_rgba (cr, color);
  cairo_set_line_width (cr, line_width);
  cairo_stroke (cr);
}

/* The address at the start of each row, in the Details view's digits. */
static void
msc_fragmentation_draw_gutter (MscFragmentationView           *self,
                               cairo_t                        *cr,
                               const MscFragmentationGeometry *g,
                               const GdkRGBA                  *fg)
{
  GtkWidget *widget = GTK_WIDGET (self->canvas);
  double row_units = g->width * g->units_per_px;
  double length = msc_fragmentation_layout_length (self->layout);

  gdk_cairo_set_source_rgba (cr, fg);
  for (int row = 0; row < g->rows; row++)
    {
      double u0 = g->first_unit + row * row_units;
      char text[MSC_FORMAT_U64_LEN];
      g_autoptr(PangoLayout) layout = NULL;
      int height;

      if (u0 >= length)
        break;
      g_snprintf (text, sizeof text, "%0*" G_GINT64_MODIFIER "X", self->address_digits,
                  /* page-aligned: a row starts inside a region in proportion */
                  msc_fragmentation_layout_address_at (self->layout, u0) & ~(guint64) 0xfff);
      layout = msc_small_layout (widget, text);
      pango_layout_get_pixel_size (layout, NULL, &height);
      cairo_move_to (cr, 0, msc_fragmentation_row_y (row) + (MSC_FRAGMENTATION_ROW_HEIGHT - height) / 2.0);
      pango_cairo_show_layout (cr, layout);
    }
}

gboolean
msc_fragmentation_view_draw (MscFragmentationView *self,
                             cairo_t              *cr)
{
  gint64 start = g_get_monotonic_time ();
  clock_t cpu_start = clock ();
  GtkWidget *widget = GTK_WIDGET (self->canvas);
  gboolean dark = msc_widget_is_dark (widget);
  MscFragmentationGeometry g;
  GdkRGBA fg, accent = { 0.11, 0.45, 0.91, 1.0 };

  if (!msc_fragmentation_view_geometry (self, &g))
    return FALSE;
  msc_widget_foreground (widget, &fg);
  msc_fragmentation_draw_gutter (self, cr, &g, &fg);
  msc_fragmentation_draw_rows (self, cr, &g, &fg, dark);
  self->n_marks = 0;
  if (self->diff != NULL)
    self->n_marks = msc_fragmentation_draw_marks (self, cr, &g, MSC_DIFF_NEW)
                    + msc_fragmentation_draw_marks (self, cr, &g, MSC_DIFF_REMOVED);
  msc_fragmentation_draw_fragment_outline (self, cr, &g, self->selected, &accent, 2);
  msc_fragmentation_draw_fragment_outline (self, cr, &g, self->hovered, &fg, 1);
  self->draw_time = g_get_monotonic_time () - start;
  self->draw_cpu_time = (gint64) ((double) (clock () - cpu_start) * G_USEC_PER_SEC / CLOCKS_PER_SEC);
  return FALSE;
}

gboolean
msc_fragmentation_view_get_region_area (MscFragmentationView *self,
                                        guint64               address,
                                        GdkRectangle         *area)
{
  MscFragmentationGeometry g;
  guint i;

  g_return_val_if_fail (MSC_IS_FRAGMENTATION_VIEW (self), FALSE);
  g_return_val_if_fail (area != NULL, FALSE);

  *area = (GdkRectangle) { 0 };
  if (!msc_fragmentation_view_geometry (self, &g))
    return FALSE;
  i = msc_fragmentation_layout_find (self->layout, msc_fragmentation_layout_unit_of (self->layout, address));
  msc_fragmentation_for_span (&g, msc_fragmentation_layout_start (self->layout, i),
                              msc_fragmentation_layout_start (self->layout, i + 1),
                              msc_fragmentation_store_area, NULL, area);
  return area->width > 0;
}

/* With Show Changes, the bands' key after the types'. */
static void
msc_fragmentation_draw_band_key (GtkWidget     *widget,
                                 cairo_t       *cr,
                                 double         x,
                                 const GdkRGBA *fg)
{
  const char *names[] = { C_("fragmentation band", "New"), C_("fragmentation band", "Removed") };

  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    {
      g_autoptr(PangoLayout) layout = msc_small_layout (widget, names[k]);
      int tw, th;

      pango_layout_get_pixel_size (layout, &tw, &th);
      msc_fragmentation_band_color (cr, k == 0 ? MSC_DIFF_NEW : MSC_DIFF_REMOVED);
      cairo_rectangle (cr, x, 12, 14, MSC_FRAGMENTATION_MARK);
      cairo_fill (cr);
      gdk_cairo_set_source_rgba (cr, fg);
      cairo_move_to (cr, x + 18, 10 - th / 2.0);
      pango_cairo_show_layout (cr, layout);
      x += 18 + tw + 14;
    }
}

/* The key: each type's colour and name, as the Summary's graphs use them. */
gboolean
msc_fragmentation_view_draw_legend (MscFragmentationView *self,
                                    cairo_t              *cr)
{
  GtkWidget *widget = GTK_WIDGET (self->legend);
  gboolean dark = msc_widget_is_dark (widget);
  int width = gtk_widget_get_allocated_width (widget);
  double x = 0;
  GdkRGBA fg, color;

  msc_widget_foreground (widget, &fg);
  for (int type = 0; type < MSC_N_TYPES; type++)
    {
      g_autoptr(PangoLayout) layout = NULL;
      int tw, th;

      if (type == MSC_TYPE_PAGE_TABLE)
        continue;
      layout = msc_small_layout (widget, msc_use_type_name (type));
      pango_layout_get_pixel_size (layout, &tw, &th);
      if (x + 16 + tw > width)
        break;
      msc_type_color (type, dark, &color);
      gdk_cairo_set_source_rgba (cr, &color);
      cairo_rectangle (cr, x + 0.5, 4.5, 11, 11);
      cairo_fill_preserve (cr);
      gdk_cairo_set_source_rgba (cr, &fg);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
      cairo_move_to (cr, x + 16, 10 - th / 2.0);
      pango_cairo_show_layout (cr, layout);
      x += 16 + tw + 14;
    }
  if (self->diff != NULL)
    msc_fragmentation_draw_band_key (widget, cr, x, &fg);
  return FALSE;
}
