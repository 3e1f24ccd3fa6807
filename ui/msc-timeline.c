/* msc-timeline.c — the Timeline graph (Cairo on a GtkDrawingArea).
 *
 * Marks sit at their snapshot's time on the axis: refreshes minutes apart
 * look minutes apart, as in VMMap. Clicks and drags pick the nearest mark,
 * so marks close together stay reachable; the keyboard steps one by one.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "model/core/msc-format.h"
#include "ui/msc-timeline.h"
#include "ui/msc-timeline-labels.h"
#include "ui/msc-type-colors.h"
#include "ui/msc-ui-util.h"

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

enum {
  PROP_0,
  PROP_SESSION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SELECTION_CHANGED,
  ACTIVATE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MscTimeline, msc_timeline, GTK_TYPE_DRAWING_AREA)

typedef struct {
  double left, right, top, bottom;
} MscPlot;

typedef enum {
  MSC_LINE_COMMITTED,
  MSC_LINE_WORKING_SET,
  MSC_N_LINES
} MscLine;

static guint
msc_timeline_n (MscTimeline *self)
{
  return self->session != NULL ? msc_session_get_n_snapshots (self->session) : 0;
}

/* The Total row alone: a whole summary per snapshot would be a kilobyte
 * each of a long session's memory (issue 20). */
static const MscSummaryRow *
msc_timeline_total (MscTimeline *self,
                    guint        index)
{
  return msc_snapshot_get_total (msc_session_get_snapshot (self->session, index));
}

/* FALSE where the snapshot has no figure for the line (WS on a capture
 * without working sets). */
static gboolean
msc_timeline_value (MscTimeline *self,
                    MscLine      line,
                    guint        index,
                    guint64     *value)
{
  MscSnapshot *snapshot = msc_session_get_snapshot (self->session, index);
  const MscSummaryRow *total = msc_snapshot_get_total (snapshot);

  if (line == MSC_LINE_COMMITTED)
    *value = total->committed;
  else if (total->ws_known)
    *value = total->total_ws;
  else if (msc_snapshot_get_process_ws (snapshot) != 0)
    *value = msc_snapshot_get_process_ws (snapshot);  /* the whole process's: the tooltip says so */
  else
    return FALSE;
  return TRUE;
}

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

static guint
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

static gboolean
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

/* ---- selection ---- */

char *
msc_timeline_dup_selection_text (MscTimeline *self)
{
  guint first, last;
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  MscSnapshot *a, *b;
  gboolean with_date;

  g_return_val_if_fail (MSC_IS_TIMELINE (self), NULL);

  if (!msc_timeline_get_selection (self, &first, &last))
    return g_strdup (_("No snapshots yet"));
  a = msc_session_get_snapshot (self->session, first);
  b = msc_session_get_snapshot (self->session, last);
  with_date = !msc_snapshots_same_day (msc_session_get_snapshot (self->session, 0),
                                       msc_session_get_latest (self->session));
  from = msc_snapshot_time_text (a, with_date);
  if (first == last)
    return g_strdup_printf (_("Snapshot %u of %u, %s"), first + 1, msc_timeline_n (self), from);
  to = msc_snapshot_time_text (b, with_date);
  return g_strdup_printf (_("Snapshots %u and %u: changes from %s to %s"), first + 1, last + 1, from, to);
}

static void
msc_timeline_selection_changed (MscTimeline *self)
{
  g_autofree char *text = msc_timeline_dup_selection_text (self);

  atk_object_set_description (gtk_widget_get_accessible (GTK_WIDGET (self)), text);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_signal_emit (self, signals[SELECTION_CHANGED], 0);
}

static void
msc_timeline_set (MscTimeline *self,
                  guint        anchor,
                  guint        cursor)
{
  if (self->anchor == anchor && self->cursor == cursor)
    return;
  self->anchor = anchor;
  self->cursor = cursor;
  msc_timeline_selection_changed (self);
}

void
msc_timeline_select (MscTimeline *self,
                     guint        index)
{
  msc_timeline_select_pair (self, index, index);
}

void
msc_timeline_select_pair (MscTimeline *self,
                          guint        anchor,
                          guint        cursor)
{
  g_return_if_fail (MSC_IS_TIMELINE (self));
  g_return_if_fail (anchor < msc_timeline_n (self) && cursor < msc_timeline_n (self));

  msc_timeline_set (self, anchor, cursor);
}

gboolean
msc_timeline_get_selection (MscTimeline *self,
                            guint       *first,
                            guint       *last)
{
  g_return_val_if_fail (MSC_IS_TIMELINE (self), FALSE);

  if (msc_timeline_n (self) == 0)
    return FALSE;
  *first = MIN (self->anchor, self->cursor);
  *last = MAX (self->anchor, self->cursor);
  return TRUE;
}

/* ---- input ---- */

static gboolean
msc_timeline_button_press (GtkWidget      *widget,
                           GdkEventButton *event)
{
  MscTimeline *self = MSC_TIMELINE (widget);
  guint index;

  gtk_widget_grab_focus (widget);
  if (event->button != GDK_BUTTON_PRIMARY || event->type != GDK_BUTTON_PRESS || msc_timeline_n (self) == 0)
    return FALSE;
  index = msc_timeline_nearest (self, event->x, NULL);
  /* Shift+click extends, as in a list. */
  msc_timeline_set (self, (event->state & GDK_SHIFT_MASK) ? self->anchor : index, index);
  self->dragging = TRUE;
  return TRUE;
}

static gboolean
msc_timeline_motion_notify (GtkWidget      *widget,
                            GdkEventMotion *event)
{
  MscTimeline *self = MSC_TIMELINE (widget);

  if (!self->dragging)
    return FALSE;
  msc_timeline_set (self, self->anchor, msc_timeline_nearest (self, event->x, NULL));
  return TRUE;
}

static gboolean
msc_timeline_button_release (GtkWidget      *widget,
                             GdkEventButton *event)
{
  MscTimeline *self = MSC_TIMELINE (widget);

  if (event->button != GDK_BUTTON_PRIMARY || !self->dragging)
    return FALSE;
  self->dragging = FALSE;
  g_signal_emit (self, signals[ACTIVATE], 0);
  return TRUE;
}

static gboolean
msc_timeline_key_press (GtkWidget   *widget,
                        GdkEventKey *event)
{
  MscTimeline *self = MSC_TIMELINE (widget);
  guint n = msc_timeline_n (self);
  gboolean extend = (event->state & GDK_SHIFT_MASK) != 0;
  guint cursor = self->cursor;

  if (n == 0)
    return GTK_WIDGET_CLASS (msc_timeline_parent_class)->key_press_event (widget, event);
  switch (event->keyval)
    {
    case GDK_KEY_Left:
    case GDK_KEY_KP_Left:
      cursor = cursor > 0 ? cursor - 1 : 0;
      break;
    case GDK_KEY_Right:
    case GDK_KEY_KP_Right:
      cursor = MIN (cursor + 1, n - 1);
      break;
    case GDK_KEY_Home:
    case GDK_KEY_KP_Home:
      cursor = 0;
      break;
    case GDK_KEY_End:
    case GDK_KEY_KP_End:
      cursor = n - 1;
      break;
    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
    case GDK_KEY_space:
      g_signal_emit (self, signals[ACTIVATE], 0);
      return TRUE;
    default:
      return GTK_WIDGET_CLASS (msc_timeline_parent_class)->key_press_event (widget, event);
    }
  msc_timeline_set (self, extend ? self->anchor : cursor, cursor);
  return TRUE;
}

char *
msc_timeline_dup_snapshot_text (MscTimeline *self,
                                guint        index)
{
  char committed[MSC_FORMAT_KB_LEN], ws[MSC_FORMAT_KB_LEN];
  g_autofree char *time = NULL;
  const MscSummaryRow *total;
  guint64 ws_value;

  g_return_val_if_fail (MSC_IS_TIMELINE (self), NULL);
  g_return_val_if_fail (index < msc_timeline_n (self), NULL);

  total = msc_timeline_total (self, index);
  time = msc_snapshot_time_text (msc_session_get_snapshot (self->session, index), TRUE);
  msc_format_kb (total->committed, FALSE, committed, sizeof committed);
  if (!msc_timeline_value (self, MSC_LINE_WORKING_SET, index, &ws_value))
    return g_strdup_printf (_("Snapshot %u, %s\nCommitted: %s K\nWorking Set: n/a"),
                            index + 1, time, committed);
  msc_format_kb (ws_value, FALSE, ws, sizeof ws);
  if (!total->ws_known)
    return g_strdup_printf (_("Snapshot %u, %s\nCommitted: %s K\nWorking Set: %s K (whole process)"),
                            index + 1, time, committed, ws);
  return g_strdup_printf (_("Snapshot %u, %s\nCommitted: %s K\nWorking Set: %s K"),
                          index + 1, time, committed, ws);
}

static gboolean
msc_timeline_query_tooltip (GtkWidget  *widget,
                            int         x,
                            int         y,
                            gboolean    keyboard,
                            GtkTooltip *tooltip)
{
  MscTimeline *self = MSC_TIMELINE (widget);
  g_autofree char *text = NULL;
  double distance;
  guint index;

  if (msc_timeline_n (self) == 0)
    return FALSE;
  index = keyboard ? self->cursor : msc_timeline_nearest (self, x, &distance);
  if (!keyboard && distance > MSC_TIMELINE_HIT)
    return FALSE;
  text = msc_timeline_dup_snapshot_text (self, index);
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

/* ---- session ---- */

/* A refresh appends (or, by time order, inserts) a snapshot; the marks the
 * user picked keep pointing at the same snapshots. */
static void
msc_timeline_snapshot_added (MscTimeline *self,
                             guint        index)
{
  if (msc_timeline_n (self) > 1)
    {
      self->anchor += index <= self->anchor;
      self->cursor += index <= self->cursor;
    }
  msc_timeline_selection_changed (self);
}

void
msc_timeline_set_session (MscTimeline *self,
                          MscSession  *session)
{
  guint n;

  g_return_if_fail (MSC_IS_TIMELINE (self));
  g_return_if_fail (session == NULL || MSC_IS_SESSION (session));

  if (self->session == session)
    return;
  if (self->session != NULL)
    g_clear_signal_handler (&self->added_id, self->session);
  g_set_object (&self->session, session);
  if (session != NULL)
    self->added_id = g_signal_connect_object (session, "snapshot-added",
                                              G_CALLBACK (msc_timeline_snapshot_added), self, G_CONNECT_SWAPPED);
  n = msc_timeline_n (self);
  self->anchor = self->cursor = n > 0 ? n - 1 : 0;
  msc_timeline_selection_changed (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSION]);
}

MscSession *
msc_timeline_get_session (MscTimeline *self)
{
  g_return_val_if_fail (MSC_IS_TIMELINE (self), NULL);
  return self->session;
}

/* ---- GObject ---- */

static void
msc_timeline_dispose (GObject *object)
{
  MscTimeline *self = MSC_TIMELINE (object);

  if (self->session != NULL)
    g_clear_signal_handler (&self->added_id, self->session);
  g_clear_object (&self->session);
  g_clear_pointer (&self->labels, g_array_unref);

  G_OBJECT_CLASS (msc_timeline_parent_class)->dispose (object);
}

static void
msc_timeline_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  MscTimeline *self = MSC_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_timeline_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  MscTimeline *self = MSC_TIMELINE (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      msc_timeline_set_session (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_timeline_class_init (MscTimelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = msc_timeline_dispose;
  object_class->get_property = msc_timeline_get_property;
  object_class->set_property = msc_timeline_set_property;
  widget_class->draw = msc_timeline_draw;
  widget_class->button_press_event = msc_timeline_button_press;
  widget_class->motion_notify_event = msc_timeline_motion_notify;
  widget_class->button_release_event = msc_timeline_button_release;
  widget_class->key_press_event = msc_timeline_key_press;
  widget_class->query_tooltip = msc_timeline_query_tooltip;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", "Session", "The snapshots shown", MSC_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * MscTimeline::selection-changed:
   * The cursor or the anchor moved (msc_timeline_get_selection()).
   */
  signals[SELECTION_CHANGED] =
    g_signal_new ("selection-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /**
   * MscTimeline::activate:
   * The user applies the selection (mouse released, Enter).
   */
  signals[ACTIVATE] =
    g_signal_new ("activate", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST | G_SIGNAL_ACTION,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_css_name (widget_class, "msc-timeline");
  gtk_widget_class_set_accessible_role (widget_class, ATK_ROLE_CHART);
}

static void
msc_timeline_init (MscTimeline *self)
{
  AtkObject *accessible = gtk_widget_get_accessible (GTK_WIDGET (self));

  self->labels = g_array_new (FALSE, FALSE, sizeof (GdkRectangle));
  gtk_widget_set_can_focus (GTK_WIDGET (self), TRUE);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  gtk_widget_add_events (GTK_WIDGET (self), GDK_BUTTON_PRESS_MASK | GDK_BUTTON_RELEASE_MASK |
                                            GDK_BUTTON1_MOTION_MASK | GDK_KEY_PRESS_MASK);
  atk_object_set_name (accessible, _("Timeline"));
  atk_object_set_description (accessible, _("No snapshots yet"));
}

GtkWidget *
msc_timeline_new (void)
{
  return g_object_new (MSC_TYPE_TIMELINE, NULL);
}
