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
msc_timeline_place_labels (guint              n,
                           const double      *centre,
                           MscLabelWidthFunc  width_of,
                           gpointer           user,
                           double             limit,
                           guint              keep,
                           double             gap,
                           double            *left,
                           gboolean          *shown)
{
  double free_from = -G_MAXDOUBLE, keep_left = 0;
  int keep_width = 0, narrowest = G_MAXINT;

  if (keep < n)
    {
      keep_width = width_of (user, keep);
      keep_left = CLAMP (centre[keep] - keep_width / 2.0, 0, MAX (limit - keep_width, 0));
    }
  for (guint i = 0; i < n; i++)
    {
      int width;

      /* Were it as narrow as the narrowest measured, it would still start
       * left of where a label may: not measured (time labels are about
       * equally wide; of 10,000 marks a few dozen labels fit). Skipping
       * one never makes two overlap. */
      if (i != keep && free_from > 0 && narrowest < G_MAXINT && centre[i] - narrowest / 2.0 < free_from)
        {
          shown[i] = FALSE;
          continue;
        }
      width = i == keep ? keep_width : width_of (user, i);
      narrowest = MIN (narrowest, width);
      left[i] = CLAMP (centre[i] - width / 2.0, 0, MAX (limit - width, 0));
      if (i == keep)
        shown[i] = TRUE;
      else
        shown[i] = left[i] >= free_from
                   && (keep >= n || !msc_overlaps (left[i], width, keep_left, keep_width, gap));
      if (shown[i])
        free_from = left[i] + width + gap;
    }
}

typedef struct {
  GtkWidget    *widget;
  MscSession   *session;
  PangoLayout **layouts;
  int          *width;
} MscLabels;

static int
msc_labels_width (gpointer user,
                  guint    i)
{
  MscLabels *labels = user;

  if (labels->layouts[i] == NULL)
    {
      g_autofree char *time = msc_snapshot_time_text (msc_session_get_snapshot (labels->session, i), FALSE);

      labels->layouts[i] = msc_small_layout (labels->widget, time);
      pango_layout_get_pixel_size (labels->layouts[i], &labels->width[i], NULL);
    }
  return labels->width[i];
}

void
msc_timeline_draw_time_labels (GtkWidget    *widget,
                               cairo_t      *cr,
                               MscSession   *session,
                               const double *centre,
                               guint         keep,
                               double        y,
                               GArray       *extents)
{
  guint n = msc_session_get_n_snapshots (session);
  g_autofree PangoLayout **layouts = g_new0 (PangoLayout *, n);
  g_autofree int *width = g_new (int, n);
  g_autofree double *left = g_new (double, n);
  g_autofree gboolean *shown = g_new (gboolean, n);
  MscLabels labels = { widget, session, layouts, width };

  msc_timeline_place_labels (n, centre, msc_labels_width, &labels, gtk_widget_get_allocated_width (widget), keep,
                             MSC_TIMELINE_LABEL_GAP, left, shown);
  g_array_set_size (extents, 0);
  for (guint i = 0; i < n; i++)
    {
      if (shown[i])
        {
          GdkRectangle extent = { (int) left[i], (int) y, width[i], 0 };

          cairo_move_to (cr, left[i], y);
          pango_cairo_show_layout (cr, layouts[i]);
          g_array_append_val (extents, extent);
        }
      g_clear_object (&layouts[i]);
    }
}
