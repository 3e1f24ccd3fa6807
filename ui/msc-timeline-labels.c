/* msc-timeline-labels.c — see msc-timeline-labels.h. */
#include "config.h"

#include "ui/msc-timeline-labels.h"

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
