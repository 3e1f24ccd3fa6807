/* msc-timeline-labels.c — see msc-timeline-labels.h. */
#include "config.h"

#include "ui/msc-timeline-labels.h"
#include "ui/msc-ui-util.h"

#define MSC_TIMELINE_LABEL_GAP 12   /* pixels between two time labels */

static gboolean
msc_overlaps (double a_left,
              double a_width,
              double b_left,
              double b_width,
              double gap)
{
  return a_left < b_left + b_width + gap && b_left < a_left + a_width + gap;
}

void
msc_timeline_place_labels (guint         n,
                           const double *centre,
                           const int    *width,
                           double        limit,
                           guint         keep,
                           double        gap,
                           double       *left,
                           gboolean     *shown)
{
  double free_from = -G_MAXDOUBLE;

  for (guint i = 0; i < n; i++)
    left[i] = CLAMP (centre[i] - width[i] / 2.0, 0, MAX (limit - width[i], 0));
  for (guint i = 0; i < n; i++)
    {
      if (i == keep)
        shown[i] = TRUE;
      else
        shown[i] = left[i] >= free_from
                   && (keep >= n || !msc_overlaps (left[i], width[i], left[keep], width[keep], gap));
      if (shown[i])
        free_from = left[i] + width[i] + gap;
    }
}

void
msc_timeline_draw_time_labels (GtkWidget    *widget,
                               cairo_t      *cr,
                               MscSession   *session,
                               const double *centre,
                               guint         keep,
                               double        y,
                               GArray       *labels)
{
  guint n = msc_session_get_n_snapshots (session);
  g_autofree PangoLayout **layouts = g_new0 (PangoLayout *, n);
  g_autofree double *left = g_new (double, n);
  g_autofree int *width = g_new (int, n);
  g_autofree gboolean *shown = g_new (gboolean, n);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *time = msc_snapshot_time_text (msc_session_get_snapshot (session, i), FALSE);

      layouts[i] = msc_small_layout (widget, time);
      pango_layout_get_pixel_size (layouts[i], &width[i], NULL);
    }
  msc_timeline_place_labels (n, centre, width, gtk_widget_get_allocated_width (widget), keep,
                             MSC_TIMELINE_LABEL_GAP, left, shown);
  g_array_set_size (labels, 0);
  for (guint i = 0; i < n; i++)
    {
      if (shown[i])
        {
          GdkRectangle extent = { (int) left[i], (int) y, width[i], 0 };

          cairo_move_to (cr, left[i], y);
          pango_cairo_show_layout (cr, layouts[i]);
          g_array_append_val (labels, extent);
        }
      g_object_unref (layouts[i]);
    }
}
