/* msc-graph.c — VMMap's Committed, Private Bytes and Working Set graphs. */
#include "config.h"

#include <glib/gi18n.h>

#include "model/core/msc-format.h"
#include "model/msc-diff-format.h"
#include "ui/msc-graph.h"
#include "ui/msc-type-colors.h"
#include "ui/msc-ui-util.h"

#define MSC_GRAPH_TICKS 4     /* at most: scale labels at 0, 25, 50, 75, 100 % */
#define MSC_GRAPH_SCALE_GAP 3

struct _MscGraph
{
  GtkBox          parent_instance;

  GtkLabel       *title;
  GtkDrawingArea *area;

  MscGraphKind    kind;
  gboolean        has_summary;
  MscSummary      summary;
  gboolean        has_previous;   /* Show Changes: the snapshot compared with */
  MscSummary      previous;

  GtkWidget      *toplevel;       /* watched: a dialog taking focus hides our tooltip */
};

enum {
  PROP_0,
  PROP_KIND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MscGraph, msc_graph, GTK_TYPE_BOX)

static const char *
msc_graph_kind_name (MscGraphKind kind)
{
  switch (kind)
    {
    case MSC_GRAPH_PRIVATE_BYTES:
      return _("Private Bytes");
    case MSC_GRAPH_WORKING_SET:
      return _("Working Set");
    case MSC_GRAPH_COMMITTED:
    default:
      return _("Committed");
    }
}

static guint64
msc_graph_row_value (MscGraph            *self,
                     const MscSummaryRow *row)
{
  switch (self->kind)
    {
    case MSC_GRAPH_PRIVATE_BYTES:
      return row->private_bytes;
    case MSC_GRAPH_WORKING_SET:
      return row->total_ws;
    case MSC_GRAPH_COMMITTED:
    default:
      return row->committed;
    }
}

/* Where the OS gave the working set of the whole process only (Windows,
 * another process under Wine), the Working Set graph shows that figure as
 * one unsplit bar, marked as such, rather than nothing. */
static gboolean
msc_graph_process_level (MscGraph         *self,
                         const MscSummary *summary)
{
  return self->kind == MSC_GRAPH_WORKING_SET && !summary->total.ws_known && summary->process_ws != 0;
}

static guint64
msc_graph_total_value (MscGraph         *self,
                       const MscSummary *summary)
{
  if (msc_graph_process_level (self, summary))
    return summary->process_ws;
  return msc_graph_row_value (self, &summary->total);
}

guint64
msc_graph_get_value (MscGraph   *self,
                     MscUseType  type)
{
  g_return_val_if_fail (MSC_IS_GRAPH (self), 0);
  g_return_val_if_fail ((guint) type < MSC_N_TYPES, 0);

  /* Free memory is never committed: a "Free" bar would be noise. */
  if (!self->has_summary || type == MSC_TYPE_FREE)
    return 0;
  return msc_graph_row_value (self, &self->summary.types[type]);
}

/* VMMap's help: the Working Set graph's scale is the total committed memory,
 * so its bar shows how much of the commitment is resident. */
static guint64
msc_graph_scale_of (MscGraph         *self,
                    const MscSummary *summary)
{
  if (self->kind == MSC_GRAPH_WORKING_SET)
    return MAX (summary->total.committed, msc_graph_total_value (self, summary));
  return msc_graph_row_value (self, &summary->total);
}

guint64
msc_graph_get_scale (MscGraph *self)
{
  g_return_val_if_fail (MSC_IS_GRAPH (self), 0);

  if (!self->has_summary)
    return 0;
  if (self->has_previous)
    /* Room for the earlier total too, when memory shrank. */
    return MAX (msc_graph_scale_of (self, &self->summary), msc_graph_scale_of (self, &self->previous));
  return msc_graph_scale_of (self, &self->summary);
}

/* The change of the graph's total since the compared snapshot, in bytes. */
static gint64
msc_graph_total_delta (MscGraph *self)
{
  return (gint64) msc_graph_total_value (self, &self->summary)
         - (gint64) msc_graph_total_value (self, &self->previous);
}

/* " (+1,024 K)" with Show Changes, else "". */
static char *
msc_graph_delta_text (MscGraph *self,
                      gint64    delta)
{
  char change[MSC_DELTA_LEN];

  if (!self->has_previous || delta == 0)
    return g_strdup ("");
  return g_strdup_printf (_(" (%s K)"), msc_format_delta (delta, FALSE, change));
}

static gboolean
msc_graph_known (MscGraph *self)
{
  switch (self->kind)
    {
    case MSC_GRAPH_WORKING_SET:
      return self->has_summary && (self->summary.total.ws_known || msc_graph_process_level (self, &self->summary));
    case MSC_GRAPH_PRIVATE_BYTES:
      return self->has_summary && !self->summary.total.private_unknown;
    case MSC_GRAPH_COMMITTED:
    default:
      return self->has_summary;
    }
}

static void
msc_graph_update_title (MscGraph *self)
{
  g_autofree char *text = NULL;
  char kb[MSC_FORMAT_KB_LEN];

  if (!self->has_summary)
    text = g_strdup_printf ("%s:", msc_graph_kind_name (self->kind));
  else if (!msc_graph_known (self))
    text = g_strdup_printf (_("%s: n/a"), msc_graph_kind_name (self->kind));
  else
    {
      g_autofree char *delta = msc_graph_delta_text (self, msc_graph_total_delta (self));

      msc_format_kb (msc_graph_total_value (self, &self->summary), 0, kb, sizeof kb);
      if (msc_graph_process_level (self, &self->summary))
        /* Translators: "Working Set: 12,345 K (whole process)": the OS gave no figure by type */
        text = g_strdup_printf (_("%s: %s K%s (whole process)"), msc_graph_kind_name (self->kind), kb, delta);
      else
        /* Translators: "Committed: 12,345 K" and, with Show Changes, " (+1,024 K)" */
        text = g_strdup_printf (_("%s: %s K%s"), msc_graph_kind_name (self->kind), kb, delta);
    }
  gtk_label_set_text (self->title, text);
  atk_object_set_name (gtk_widget_get_accessible (GTK_WIDGET (self->area)),
                       msc_graph_kind_name (self->kind));
  atk_object_set_description (gtk_widget_get_accessible (GTK_WIDGET (self->area)), text);
}

/* Segments in summary order, each as wide as its share of the scale. */
static void
msc_graph_draw_bar (MscGraph *self,
                    cairo_t  *cr,
                    double    width,
                    double    height)
{
  gboolean dark = msc_widget_is_dark (GTK_WIDGET (self->area));
  guint64 scale = msc_graph_get_scale (self);
  double x = 0;

  if (scale == 0)
    return;
  if (msc_graph_process_level (self, &self->summary))
    {
      GdkRGBA color;

      /* No type's color: the figure is not split by type. */
      msc_widget_foreground (GTK_WIDGET (self->area), &color);
      color.alpha = 0.45;
      gdk_cairo_set_source_rgba (cr, &color);
      cairo_rectangle (cr, 0, 0, width * (double) self->summary.process_ws / (double) scale, height);
      cairo_fill (cr);
      return;
    }
  for (guint t = 0; t < MSC_N_TYPES; t++)
    {
      double w = width * (double) msc_graph_get_value (self, t) / (double) scale;
      GdkRGBA color;

      if (w <= 0)
        continue;
      msc_type_color (t, dark, &color);
      gdk_cairo_set_source_rgba (cr, &color);
      cairo_rectangle (cr, x, 0, MIN (w, width - x), height);
      cairo_fill (cr);
      x += w;
    }
}

/* Diagonal strokes over [x0, x1]: where the total grew (over the bars) or
 * shrank (over empty space), so the change reads without color. */
static void
msc_graph_hatch (cairo_t       *cr,
                 double         x0,
                 double         x1,
                 double         height,
                 const GdkRGBA *fg)
{
  cairo_save (cr);
  cairo_rectangle (cr, x0, 0, x1 - x0, height);
  cairo_clip (cr);
  gdk_cairo_set_source_rgba (cr, fg);
  cairo_set_line_width (cr, 1.5);
  for (double x = x0 - height; x < x1; x += 6)
    {
      cairo_move_to (cr, x, height);
      cairo_line_to (cr, x + height, 0);
    }
  cairo_stroke (cr);
  cairo_restore (cr);
}

/* Show Changes: the earlier total as a solid mark, the difference hatched;
 * a shrink is also outlined with dashes, where the bar used to end. */
static void
msc_graph_draw_change (MscGraph      *self,
                       cairo_t       *cr,
                       double         width,
                       double         height,
                       const GdkRGBA *fg)
{
  double scale = (double) MAX (msc_graph_get_scale (self), 1);
  double now = width * (double) msc_graph_total_value (self, &self->summary) / scale;
  double before = width * (double) msc_graph_total_value (self, &self->previous) / scale;
  GdkRGBA soft = *fg;

  if (ABS (now - before) < 0.5)
    return;
  soft.alpha = 0.6;
  msc_graph_hatch (cr, MIN (now, before), MAX (now, before), height, &soft);
  if (now < before)
    {
      static const double dash[] = { 3, 3 };

      cairo_save (cr);
      cairo_set_dash (cr, dash, G_N_ELEMENTS (dash), 0);
      cairo_set_line_width (cr, 1);
      cairo_rectangle (cr, now + 0.5, 1.5, before - now - 1, height - 3);
      cairo_stroke (cr);
      cairo_restore (cr);
    }
  gdk_cairo_set_source_rgba (cr, fg);
  cairo_rectangle (cr, CLAMP (before - 1, 0, width - 2), 0, 2, height);
  cairo_fill (cr);
}

/* A scale label in the tables' unit, "8,828 K": MiB on the axes beside K
 * in every table read as two different figures. */
static char *
msc_graph_tick_text (guint64 bytes)
{
  g_autofree char *k = msc_format_count ((bytes + 512) / 1024);

  return bytes == 0 ? g_strdup ("0") : g_strdup_printf ("%s K", k);
}

/* As many scale labels (4, 2 or 1 intervals) as fit without touching. */
static int
msc_graph_n_ticks (MscGraph *self,
                   double    width)
{
  g_autofree char *widest = msc_graph_tick_text (msc_graph_get_scale (self));
  g_autoptr(PangoLayout) layout = msc_small_layout (GTK_WIDGET (self->area), widest);
  int ticks = MSC_GRAPH_TICKS;
  int tw;

  pango_layout_get_pixel_size (layout, &tw, NULL);
  /* The end labels are kept inside the widget, so each moves half a label
   * towards its neighbour. */
  while (ticks > 1 && width / ticks < tw * 1.5 + 12)
    ticks /= 2;
  return ticks;
}

static void
msc_graph_draw_scale (MscGraph      *self,
                      cairo_t       *cr,
                      double         width,
                      double         top,
                      const GdkRGBA *fg)
{
  GtkWidget *widget = GTK_WIDGET (self->area);
  guint64 scale = msc_graph_get_scale (self);
  int ticks = msc_graph_n_ticks (self, width);

  for (int i = 0; i <= ticks; i++)
    {
      g_autofree char *text = msc_graph_tick_text (scale / ticks * i);
      g_autoptr(PangoLayout) layout = msc_small_layout (widget, text);
      double x = width * i / ticks;
      int tw, th;

      pango_layout_get_pixel_size (layout, &tw, &th);
      gdk_cairo_set_source_rgba (cr, fg);
      cairo_rectangle (cr, MIN (x, width - 1), top - MSC_GRAPH_SCALE_GAP, 1, MSC_GRAPH_SCALE_GAP);
      cairo_fill (cr);
      /* The first and last labels stay inside the widget. */
      x = CLAMP (x - tw / 2.0, 0, width - tw);
      cairo_move_to (cr, x, top);
      pango_cairo_show_layout (cr, layout);
    }
}

static gboolean
msc_graph_draw (GtkDrawingArea *area,
                cairo_t        *cr,
                MscGraph       *self)
{
  GtkWidget *widget = GTK_WIDGET (area);
  double width = gtk_widget_get_allocated_width (widget);
  double height = gtk_widget_get_allocated_height (widget);
  g_autoptr(PangoLayout) probe = msc_small_layout (widget, "0");
  GdkRGBA fg, frame;
  int th;

  pango_layout_get_pixel_size (probe, NULL, &th);
  msc_widget_foreground (widget, &fg);
  frame = fg;
  frame.alpha = 0.35;
  height -= th + MSC_GRAPH_SCALE_GAP;
  if (height < 4)
    return FALSE;

  if (msc_graph_known (self))
    msc_graph_draw_bar (self, cr, width, height);
  if (msc_graph_known (self) && self->has_previous)
    msc_graph_draw_change (self, cr, width, height, &fg);
  gdk_cairo_set_source_rgba (cr, &frame);
  cairo_set_line_width (cr, 1);
  cairo_rectangle (cr, 0.5, 0.5, width - 1, height - 1);
  cairo_stroke (cr);
  if (msc_graph_known (self))
    msc_graph_draw_scale (self, cr, width, height + MSC_GRAPH_SCALE_GAP, &frame);
  return FALSE;
}

#define MSC_GRAPH_WHOLE_PROCESS (-2)

/* Which type the pointer is over, MSC_GRAPH_WHOLE_PROCESS, or -1. */
static int
msc_graph_type_at (MscGraph *self,
                   double    x,
                   double    width)
{
  guint64 scale = msc_graph_get_scale (self);
  double left = 0;

  if (scale == 0 || !msc_graph_known (self))
    return -1;
  if (msc_graph_process_level (self, &self->summary))
    return x < width * (double) self->summary.process_ws / (double) scale ? MSC_GRAPH_WHOLE_PROCESS : -1;
  for (guint t = 0; t < MSC_N_TYPES; t++)
    {
      double w = width * (double) msc_graph_get_value (self, t) / (double) scale;

      if (w > 0 && x >= left && x < left + w)
        return (int) t;
      left += w;
    }
  return -1;
}

static gboolean
msc_graph_query_tooltip (GtkWidget  *widget,
                         int         x,
                         int         y,
                         gboolean    keyboard,
                         GtkTooltip *tooltip,
                         MscGraph   *self)
{
  int type = msc_graph_type_at (self, x, gtk_widget_get_allocated_width (widget));
  g_autofree char *text = NULL;
  g_autofree char *delta = NULL;
  char kb[MSC_FORMAT_KB_LEN];

  if (msc_widget_under_dialog (widget))
    return FALSE;
  if (type == MSC_GRAPH_WHOLE_PROCESS)
    {
      text = g_strdup_printf (_("Whole process: %s K\nThe OS gave no working set by region or type."),
                              msc_format_kb (self->summary.process_ws, 0, kb, sizeof kb));
      gtk_tooltip_set_text (tooltip, text);
      return TRUE;
    }
  if (type < 0)
    return FALSE;
  if (self->has_previous)
    delta = msc_graph_delta_text (self, (gint64) msc_graph_get_value (self, type)
                                        - (gint64) msc_graph_row_value (self, &self->previous.types[type]));
  text = g_strdup_printf (_("%s: %s K%s"), msc_use_type_name (type),
                          msc_format_kb (msc_graph_get_value (self, type), 0, kb, sizeof kb),
                          delta != NULL ? delta : "");
  gtk_tooltip_set_text (tooltip, text);
  return TRUE;
}

void
msc_graph_set_summary (MscGraph         *self,
                       const MscSummary *summary,
                       const MscSummary *previous)
{
  g_return_if_fail (MSC_IS_GRAPH (self));
  g_return_if_fail (previous == NULL || summary != NULL);

  self->has_summary = summary != NULL;
  if (summary != NULL)
    self->summary = *summary;
  self->has_previous = previous != NULL;
  if (previous != NULL)
    self->previous = *previous;
  msc_graph_update_title (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
}

static void
msc_graph_set_kind (MscGraph     *self,
                    MscGraphKind  kind)
{
  if (self->kind == kind)
    return;
  self->kind = kind;
  msc_graph_update_title (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->area));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_KIND]);
}

/* A dialog opening over the window takes the focus: the tooltip is asked
 * again, and msc_graph_query_tooltip() declines while the dialog stands. */
static void
msc_graph_toplevel_active (MscGraph *self)
{
  gtk_widget_trigger_tooltip_query (GTK_WIDGET (self->area));
}

static void
msc_graph_hierarchy_changed (GtkWidget *widget,
                             GtkWidget *previous_toplevel)
{
  MscGraph *self = MSC_GRAPH (widget);
  GtkWidget *top = gtk_widget_get_toplevel (widget);

  if (GTK_WIDGET_CLASS (msc_graph_parent_class)->hierarchy_changed != NULL)
    GTK_WIDGET_CLASS (msc_graph_parent_class)->hierarchy_changed (widget, previous_toplevel);
  if (self->toplevel != NULL)
    g_signal_handlers_disconnect_by_func (self->toplevel, msc_graph_toplevel_active, self);
  g_clear_weak_pointer (&self->toplevel);
  if (!GTK_IS_WINDOW (top))
    return;
  g_set_weak_pointer (&self->toplevel, top);
  g_signal_connect_object (top, "notify::is-active", G_CALLBACK (msc_graph_toplevel_active), self,
                           G_CONNECT_SWAPPED);
}

static void
msc_graph_dispose (GObject *object)
{
  MscGraph *self = MSC_GRAPH (object);

  if (self->toplevel != NULL)
    g_signal_handlers_disconnect_by_func (self->toplevel, msc_graph_toplevel_active, self);
  g_clear_weak_pointer (&self->toplevel);
  G_OBJECT_CLASS (msc_graph_parent_class)->dispose (object);
}

static void
msc_graph_style_updated (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (msc_graph_parent_class)->style_updated (widget);
  /* A theme switch (light/dark) changes the type shades. */
  gtk_widget_queue_draw (widget);
}

static void
msc_graph_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  MscGraph *self = MSC_GRAPH (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_int (value, self->kind);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_graph_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  MscGraph *self = MSC_GRAPH (object);

  switch (prop_id)
    {
    case PROP_KIND:
      msc_graph_set_kind (self, g_value_get_int (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_graph_class_init (MscGraphClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = msc_graph_dispose;
  object_class->get_property = msc_graph_get_property;
  object_class->set_property = msc_graph_set_property;
  widget_class->style_updated = msc_graph_style_updated;
  widget_class->hierarchy_changed = msc_graph_hierarchy_changed;

  /* An int, not a registered enum: the template sets it as a number. */
  properties[PROP_KIND] =
    g_param_spec_int ("kind", "Kind", "What the graph shows (MscGraphKind)",
                      MSC_GRAPH_COMMITTED, MSC_GRAPH_WORKING_SET, MSC_GRAPH_COMMITTED,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/memscope/Memscope/msc-graph.ui");
  gtk_widget_class_bind_template_child (widget_class, MscGraph, title);
  gtk_widget_class_bind_template_child (widget_class, MscGraph, area);
  gtk_widget_class_bind_template_callback (widget_class, msc_graph_draw);
  gtk_widget_class_bind_template_callback (widget_class, msc_graph_query_tooltip);
}

static void
msc_graph_init (MscGraph *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  msc_graph_update_title (self);
}

GtkWidget *
msc_graph_new (MscGraphKind kind)
{
  return g_object_new (MSC_TYPE_GRAPH, "kind", kind, NULL);
}
