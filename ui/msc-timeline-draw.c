/* msc-timeline-draw.c — the Timeline's painting and geometry: the plot,
 * where each snapshot's mark sits, the scale, lines, marks, time labels and
 * legend (Cairo). Drawing is per pixel column, so 10,000 snapshots cost no
 * more than the widget's width (issue 20). */
#include "config.h"

#include <glib/gi18n.h>

#include "model/core/msc-format.h"
#include "ui/msc-timeline-private.h"
#include "ui/msc-timeline-labels.h"
#include "ui/msc-type-colors.h"
#include "ui/msc-ui-util.h"

typedef struct {
  double left, right, top, bottom;
} MscPlot;

static guint64
msc_timeline_max_value (MscTimeline *self)
{
  guint64 max = 0, value;

  for (guint i = 0; i < msc_timeline_n (self); i++)
    for (MscLine line = 0; line < MSC_N_LINES; line++)
      if (msc_timeline_value (self, line, i, &value))
        max = MAX (max, value);
  return max;
}

/* Blue for committed, orange for the working set; the working-set line is
 * also dashed, so the two differ without color. */
static void
msc_timeline_line_color (MscLine   line,
                         gboolean  dark,
                         GdkRGBA  *color)
{
  static const char *const colors[MSC_N_LINES][2] = {
    [MSC_LINE_COMMITTED]   = { "#1c63c9", "#78aeed" },
    [MSC_LINE_WORKING_SET] = { "#c24a00", "#ffa348" },
  };

  gdk_rgba_parse (color, colors[line][dark ? 1 : 0]);
}

static const char *
msc_timeline_line_name (MscLine line)
{
  return line == MSC_LINE_COMMITTED ? _("Committed") : _("Working Set");
}

static void
msc_timeline_line_style (cairo_t *cr,
                         MscLine  line)
{
  static const double dash[] = { 6, 3 };

  cairo_set_line_width (cr, 2);
  cairo_set_dash (cr, dash, line == MSC_LINE_WORKING_SET ? G_N_ELEMENTS (dash) : 0, 0);
}

static int
msc_timeline_text_height (MscTimeline *self)
{
  g_autoptr(PangoLayout) probe = msc_small_layout (GTK_WIDGET (self), "0");
  int height;

  pango_layout_get_pixel_size (probe, NULL, &height);
  return height;
}

/* The plot leaves room for the scale on the left, the legend above and the
 * time labels below. */
static void
msc_timeline_plot (MscTimeline *self,
                   MscPlot     *plot)
{
  g_autofree char *widest = g_format_size_full (msc_timeline_max_value (self), G_FORMAT_SIZE_IEC_UNITS);
  g_autoptr(PangoLayout) layout = msc_small_layout (GTK_WIDGET (self), widest);
  int text_height = msc_timeline_text_height (self);
  int scale_width;

  pango_layout_get_pixel_size (layout, &scale_width, NULL);
  plot->left = MSC_TIMELINE_PAD + scale_width + 6;
  plot->right = gtk_widget_get_allocated_width (GTK_WIDGET (self)) - 2 * MSC_TIMELINE_PAD;
  plot->top = MSC_TIMELINE_PAD + text_height + 8;
  plot->bottom = gtk_widget_get_allocated_height (GTK_WIDGET (self)) - MSC_TIMELINE_PAD
                 - MSC_TIMELINE_TICK - text_height - 2;
}

static double
msc_timeline_x (MscTimeline   *self,
                const MscPlot *plot,
                guint          index)
{
  guint n = msc_timeline_n (self);
  guint64 first, last;
  double fraction;

  if (n < 2)
    return (plot->left + plot->right) / 2;
  first = msc_snapshot_get_timestamp (msc_session_get_snapshot (self->session, 0));
  last = msc_snapshot_get_timestamp (msc_session_get_snapshot (self->session, n - 1));
  if (last > first)
    fraction = (double) (msc_snapshot_get_timestamp (msc_session_get_snapshot (self->session, index)) - first)
               / (double) (last - first);
  else
    fraction = (double) index / (n - 1);
  return plot->left + fraction * (plot->right - plot->left);
}

double
msc_timeline_get_mark_x (MscTimeline *self,
                         guint        index)
{
  MscPlot plot;

  g_return_val_if_fail (MSC_IS_TIMELINE (self), 0);
  g_return_val_if_fail (index < msc_timeline_n (self), 0);

  msc_timeline_plot (self, &plot);
  return msc_timeline_x (self, &plot, index);
}

guint
msc_timeline_nearest (MscTimeline *self,
                      double       x,
                      double      *distance)
{
  MscPlot plot;
  guint best = 0;
  double best_distance = G_MAXDOUBLE;

  msc_timeline_plot (self, &plot);
  for (guint i = 0; i < msc_timeline_n (self); i++)
    {
      double d = ABS (msc_timeline_x (self, &plot, i) - x);

      if (d < best_distance)
        {
          best = i;
          best_distance = d;
        }
    }
  if (distance != NULL)
    *distance = best_distance;
  return best;
}

/* ---- drawing ---- */

static void
msc_timeline_draw_scale (MscTimeline   *self,
                         cairo_t       *cr,
                         const MscPlot *plot,
                         guint64        max,
                         const GdkRGBA *fg)
{
  GdkRGBA grid = *fg;

  grid.alpha = 0.15;
  for (int i = 0; i <= 2; i++)
    {
      double y = plot->bottom - (plot->bottom - plot->top) * i / 2;
      g_autofree char *text = g_format_size_full (max / 2 * i, G_FORMAT_SIZE_IEC_UNITS);
      g_autoptr(PangoLayout) layout = msc_small_layout (GTK_WIDGET (self), i == 0 ? "0" : text);
      int tw, th;

      gdk_cairo_set_source_rgba (cr, &grid);
      cairo_rectangle (cr, plot->left, (int) y, plot->right - plot->left, 1);
      cairo_fill (cr);
      pango_layout_get_pixel_size (layout, &tw, &th);
      gdk_cairo_set_source_rgba (cr, fg);
      cairo_move_to (cr, plot->left - 6 - tw, y - th / 2.0);
      pango_cairo_show_layout (cr, layout);
    }
}

static void
msc_timeline_draw_selection (MscTimeline   *self,
                             cairo_t       *cr,
                             const MscPlot *plot)
{
  GtkStyleContext *context = gtk_widget_get_style_context (GTK_WIDGET (self));
  double xa = msc_timeline_x (self, plot, self->anchor);
  double xc = msc_timeline_x (self, plot, self->cursor);
  GdkRGBA accent;

  if (!gtk_style_context_lookup_color (context, "theme_selected_bg_color", &accent))
    gdk_rgba_parse (&accent, "#3584e4");
  accent.alpha = 0.22;
  gdk_cairo_set_source_rgba (cr, &accent);
  cairo_rectangle (cr, MIN (xa, xc) - 5, plot->top, ABS (xc - xa) + 10, plot->bottom - plot->top);
  cairo_fill (cr);
  accent.alpha = 1;
  gdk_cairo_set_source_rgba (cr, &accent);
  cairo_rectangle (cr, xa - 1, plot->top, 2, plot->bottom - plot->top + MSC_TIMELINE_TICK);
  cairo_rectangle (cr, xc - 1.5, plot->top, 3, plot->bottom - plot->top + MSC_TIMELINE_TICK);
  cairo_fill (cr);
}

/* The line through every snapshot's value, a dot on each. Where marks are
 * closer than a pixel (thousands of snapshots) a column gets its first,
 * lowest, highest and last point, and dots are left out where they would
 * overlap: the same picture at a cost that follows the width, not the
 * session. */
static void
msc_timeline_draw_line (MscTimeline   *self,
                        cairo_t       *cr,
                        const MscPlot *plot,
                        MscLine        line,
                        guint64        max)
{
  gboolean drawing = FALSE;
  GdkRGBA color;
  guint64 value;
  int column = G_MININT;
  double low = 0, high = 0, last = 0, dot_x = -G_MAXDOUBLE;

  msc_timeline_line_color (line, msc_widget_is_dark (GTK_WIDGET (self)), &color);
  gdk_cairo_set_source_rgba (cr, &color);
  msc_timeline_line_style (cr, line);
  for (guint i = 0; i < msc_timeline_n (self); i++)
    {
      double x = msc_timeline_x (self, plot, i), y;

      if (!msc_timeline_value (self, line, i, &value))
        {
          drawing = FALSE;
          column = G_MININT;
          continue;
        }
      y = plot->bottom - (plot->bottom - plot->top) * (double) value / (double) max;
      if (drawing && (int) x == column)
        {
          low = MIN (low, y), high = MAX (high, y), last = y;
          continue;
        }
      if (drawing && column != G_MININT && (low < last || high > last))
        {
          cairo_line_to (cr, column, low);
          cairo_line_to (cr, column, high);
          cairo_line_to (cr, column, last);
        }
      if (drawing)
        cairo_line_to (cr, x, y);
      else
        cairo_move_to (cr, x, y);
      drawing = TRUE;
      column = (int) x;
      low = high = last = y;
    }
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
  for (guint i = 0; i < msc_timeline_n (self); i++)
    {
      double x = msc_timeline_x (self, plot, i);

      /* Dots that would overlap one drawn say nothing more (and overlapping
       * circles in one path are slow to fill). */
      if (x - dot_x >= 2 * MSC_TIMELINE_DOT && msc_timeline_value (self, line, i, &value))
        {
          cairo_new_sub_path (cr);
          cairo_arc (cr, x, plot->bottom - (plot->bottom - plot->top) * (double) value / (double) max,
                     MSC_TIMELINE_DOT, 0, 2 * G_PI);
          dot_x = x;
        }
    }
  cairo_fill (cr);
}

/* A tick per snapshot (one per pixel column), and the time labels that fit
 * without overlapping (msc-timeline-labels.c), the cursor's always. */
static void
msc_timeline_draw_marks (MscTimeline   *self,
                         cairo_t       *cr,
                         const MscPlot *plot,
                         const GdkRGBA *fg)
{
  guint n = msc_timeline_n (self);
  g_autofree double *centre = g_new (double, n);
  GdkRGBA guide = *fg;

  guide.alpha = 0.25;
  for (guint i = 0; i < n; i++)
    centre[i] = msc_timeline_x (self, plot, i);
  for (int tick = 0; tick < 2; tick++)
    {
      gdk_cairo_set_source_rgba (cr, tick ? fg : &guide);
      for (guint i = 0; i < n; i++)
        if (i == 0 || (int) centre[i] != (int) centre[i - 1])
          cairo_rectangle (cr, (int) centre[i], tick ? plot->bottom : plot->top, 1,
                           tick ? MSC_TIMELINE_TICK : plot->bottom - plot->top);
      cairo_fill (cr);
    }
  msc_timeline_draw_time_labels (GTK_WIDGET (self), cr, self->session, centre, self->cursor < n ? self->cursor : G_MAXUINT,
                                 plot->bottom + MSC_TIMELINE_TICK + 1, self->labels);
}

GArray *
msc_timeline_get_label_extents (MscTimeline *self)
{
  g_return_val_if_fail (MSC_IS_TIMELINE (self), NULL);
  return self->labels;
}

static void
msc_timeline_draw_legend (MscTimeline   *self,
                          cairo_t       *cr,
                          const MscPlot *plot,
                          const GdkRGBA *fg)
{
  double x = plot->right;

  for (int line = MSC_N_LINES - 1; line >= 0; line--)
    {
      g_autoptr(PangoLayout) layout = msc_small_layout (GTK_WIDGET (self), msc_timeline_line_name (line));
      GdkRGBA color;
      int tw, th;

      pango_layout_get_pixel_size (layout, &tw, &th);
      x -= tw;
      gdk_cairo_set_source_rgba (cr, fg);
      cairo_move_to (cr, x, MSC_TIMELINE_PAD);
      pango_cairo_show_layout (cr, layout);
      x -= 28;
      msc_timeline_line_color (line, msc_widget_is_dark (GTK_WIDGET (self)), &color);
      gdk_cairo_set_source_rgba (cr, &color);
      msc_timeline_line_style (cr, line);
      cairo_move_to (cr, x, MSC_TIMELINE_PAD + th / 2.0);
      cairo_line_to (cr, x + 22, MSC_TIMELINE_PAD + th / 2.0);
      cairo_stroke (cr);
      cairo_set_dash (cr, NULL, 0, 0);
      x -= 16;
    }
}

static void
msc_timeline_draw_empty (MscTimeline *self,
                         cairo_t     *cr,
                         GdkRGBA     *fg)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), _("No snapshots yet"));
  int tw, th;

  pango_layout_get_pixel_size (layout, &tw, &th);
  gdk_cairo_set_source_rgba (cr, fg);
  cairo_move_to (cr, (gtk_widget_get_allocated_width (GTK_WIDGET (self)) - tw) / 2.0,
                 (gtk_widget_get_allocated_height (GTK_WIDGET (self)) - th) / 2.0);
  pango_cairo_show_layout (cr, layout);
}

gboolean
msc_timeline_draw (GtkWidget *widget,
                   cairo_t   *cr)
{
  MscTimeline *self = MSC_TIMELINE (widget);
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  guint64 max = MAX (msc_timeline_max_value (self), 1);
  GdkRGBA fg, frame, base;
  MscPlot plot;

  msc_widget_foreground (widget, &fg);
  gtk_render_background (context, cr, 0, 0, gtk_widget_get_allocated_width (widget),
                         gtk_widget_get_allocated_height (widget));
  if (msc_timeline_n (self) == 0)
    {
      msc_timeline_draw_empty (self, cr, &fg);
      return FALSE;
    }
  msc_timeline_plot (self, &plot);
  if (plot.right - plot.left < 8 || plot.bottom - plot.top < 8)
    return FALSE;
  frame = fg;
  frame.alpha = 0.35;
  /* The plot on the view background, as the Summary and Details tables. */
  if (gtk_style_context_lookup_color (context, "theme_base_color", &base))
    {
      gdk_cairo_set_source_rgba (cr, &base);
      cairo_rectangle (cr, plot.left, plot.top, plot.right - plot.left, plot.bottom - plot.top);
      cairo_fill (cr);
    }
  msc_timeline_draw_scale (self, cr, &plot, max, &frame);
  msc_timeline_draw_selection (self, cr, &plot);
  msc_timeline_draw_marks (self, cr, &plot, &frame);
  for (MscLine line = 0; line < MSC_N_LINES; line++)
    msc_timeline_draw_line (self, cr, &plot, line, max);
  msc_timeline_draw_legend (self, cr, &plot, &fg);
  if (gtk_widget_has_visible_focus (widget))
    gtk_render_focus (context, cr, 1, 1, gtk_widget_get_allocated_width (widget) - 2,
                      gtk_widget_get_allocated_height (widget) - 2);
  return FALSE;
}
