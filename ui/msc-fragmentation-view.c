/* msc-fragmentation-view.c — the Fragmentation View's state: snapshot,
 * scale, zoom and scrolling, and what the pointer points at. Drawing is in
 * msc-fragmentation-draw.c.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "model/core/msc-format.h"
#include "ui/msc-fragmentation-view-private.h"
#include "ui/msc-ui-util.h"

#define MSC_ZOOM_STEP 2.0
#define MSC_ZOOM_MIN_RANGE 64.0
/* The closest zoom: a 4 KiB page 16 pixels wide (linear), or a sixteenth
 * of a logarithmic unit per pixel. */
#define MSC_MIN_BYTES_PER_PX (4096.0 / 16)
#define MSC_MIN_LOG_UNITS_PER_PX (1.0 / 16)

enum {
  SIGNAL_REGION_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (MscFragmentationView, msc_fragmentation_view, GTK_TYPE_BOX)

static int
msc_fragmentation_view_gutter (MscFragmentationView *self)
{
  g_autofree char *widest = g_strnfill ((gsize) self->address_digits, '0');
  g_autoptr(PangoLayout) layout = msc_small_layout (GTK_WIDGET (self->canvas), widest);
  int width;

  pango_layout_get_pixel_size (layout, &width, NULL);
  return width + 8;
}

/* The whole line fits the rows on screen at zoom 1. */
static double
msc_fragmentation_view_fit_units_per_px (MscFragmentationView *self,
                                         int                   width,
                                         int                   rows)
{
  return msc_fragmentation_layout_length (self->layout) / ((double) width * rows);
}

static double
msc_fragmentation_view_max_zoom (MscFragmentationView *self,
                                 int                   width,
                                 int                   rows)
{
  double closest = self->scale == MSC_FRAGMENTATION_SCALE_LINEAR ? MSC_MIN_BYTES_PER_PX : MSC_MIN_LOG_UNITS_PER_PX;

  /* A small capture fills the rows at zoom 1 already: zooming still works. */
  return MAX (MSC_ZOOM_MIN_RANGE, msc_fragmentation_view_fit_units_per_px (self, width, rows) / closest);
}

gboolean
msc_fragmentation_view_geometry (MscFragmentationView     *self,
                                 MscFragmentationGeometry *g)
{
  GtkWidget *canvas = GTK_WIDGET (self->canvas);

  if (self->layout == NULL || msc_fragmentation_layout_length (self->layout) <= 0)
    return FALSE;
  g->left = self->gutter;
  g->width = gtk_widget_get_allocated_width (canvas) - g->left - 2;
  g->rows = gtk_widget_get_allocated_height (canvas) / (MSC_FRAGMENTATION_ROW_HEIGHT + MSC_FRAGMENTATION_ROW_GAP);
  if (g->width < 8 || g->rows < 1)
    return FALSE;
  g->units_per_px = msc_fragmentation_view_fit_units_per_px (self, g->width, g->rows) / self->zoom;
  g->first_unit = floor (gtk_adjustment_get_value (self->adjustment)) * g->width * g->units_per_px;
  return TRUE;
}

static void
msc_fragmentation_view_update_zoom_label (MscFragmentationView           *self,
                                          const MscFragmentationGeometry *g)
{
  g_autofree char *text = NULL;

  if (self->scale == MSC_FRAGMENTATION_SCALE_LINEAR)
    {
      g_autofree char *size = g_format_size_full ((guint64) MAX (g->units_per_px, 1), G_FORMAT_SIZE_IEC_UNITS);

      /* Translators: the linear scale, e.g. "1 pixel = 256.0 MiB". */
      text = g_strdup_printf (_("1 pixel = %s"), size);
    }
  else
    /* Translators: the logarithmic scale's magnification. */
    text = g_strdup_printf (_("Zoom ×%.0f (logarithmic: sizes are not to scale)"), self->zoom);
  gtk_label_set_text (self->zoom_label, text);
}

/* Rows change with the size, zoom and scale: the scrollbar follows. */
static void
msc_fragmentation_view_relayout (MscFragmentationView *self)
{
  MscFragmentationGeometry g;
  double total;

  self->gutter = msc_fragmentation_view_gutter (self);
  if (!msc_fragmentation_view_geometry (self, &g))
    {
      gtk_label_set_text (self->zoom_label, "");
      return;
    }
  total = ceil (msc_fragmentation_layout_length (self->layout) / (g.width * g.units_per_px));
  gtk_adjustment_configure (self->adjustment, MIN (gtk_adjustment_get_value (self->adjustment), MAX (total - g.rows, 0)),
                            0, MAX (total, g.rows), 1, MAX (g.rows - 1, 1), g.rows);
  msc_fragmentation_view_update_zoom_label (self, &g);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

/* Zooms keeping the stretch at unit where it is on screen (row). */
static void
msc_fragmentation_view_zoom_at (MscFragmentationView *self,
                                double                zoom,
                                double                unit,
                                int                   row)
{
  MscFragmentationGeometry g;

  if (!msc_fragmentation_view_geometry (self, &g))
    {
      self->zoom = MAX (zoom, 1.0);
      return;
    }
  self->zoom = CLAMP (zoom, 1.0, msc_fragmentation_view_max_zoom (self, g.width, g.rows));
  msc_fragmentation_view_relayout (self);
  msc_fragmentation_view_geometry (self, &g);
  gtk_adjustment_set_value (self->adjustment, floor (unit / (g.width * g.units_per_px)) - row);
}

static double
msc_fragmentation_view_centre_unit (MscFragmentationView *self,
                                    int                  *row)
{
  MscFragmentationGeometry g;

  if (!msc_fragmentation_view_geometry (self, &g))
    return 0;
  *row = g.rows / 2;
  return g.first_unit + (g.rows / 2 + 0.5) * g.width * g.units_per_px;
}

static void
msc_fragmentation_view_zoom_in (MscFragmentationView *self)
{
  int row = 0;
  double unit = msc_fragmentation_view_centre_unit (self, &row);

  msc_fragmentation_view_zoom_at (self, self->zoom * MSC_ZOOM_STEP, unit, row);
}

static void
msc_fragmentation_view_zoom_out (MscFragmentationView *self)
{
  int row = 0;
  double unit = msc_fragmentation_view_centre_unit (self, &row);

  msc_fragmentation_view_zoom_at (self, self->zoom / MSC_ZOOM_STEP, unit, row);
}

static void
msc_fragmentation_view_zoom_fit (MscFragmentationView *self)
{
  msc_fragmentation_view_zoom_at (self, 1.0, 0, 0);
}

/* The position on the line under (x, y) of the canvas; FALSE off the rows. */
static gboolean
msc_fragmentation_view_unit_at (MscFragmentationView *self,
                                double                x,
                                double                y,
                                double               *unit,
                                int                  *row_out)
{
  MscFragmentationGeometry g;
  int row = (int) floor (y / (MSC_FRAGMENTATION_ROW_HEIGHT + MSC_FRAGMENTATION_ROW_GAP));

  if (!msc_fragmentation_view_geometry (self, &g) || row < 0 || row >= g.rows || x < g.left || x >= g.left + g.width)
    return FALSE;
  *unit = g.first_unit + (row * (double) g.width + (x - g.left)) * g.units_per_px;
  if (row_out != NULL)
    *row_out = row;
  return *unit < msc_fragmentation_layout_length (self->layout);
}

static guint
msc_fragmentation_view_fragment_at (MscFragmentationView *self,
                                    double                x,
                                    double                y)
{
  double unit;

  if (!msc_fragmentation_view_unit_at (self, x, y, &unit, NULL))
    return G_MAXUINT;
  return msc_fragmentation_layout_find (self->layout, unit);
}

gsize
msc_fragmentation_view_region_at (MscFragmentationView *self,
                                  double                x,
                                  double                y)
{
  guint i;

  g_return_val_if_fail (MSC_IS_FRAGMENTATION_VIEW (self), G_MAXSIZE);

  i = msc_fragmentation_view_fragment_at (self, x, y);
  return i == G_MAXUINT ? G_MAXSIZE : msc_fragmentation_layout_fragment (self->layout, i)->index;
}

/* "Heap (Private Data) · 00007F…0000–00007F…1000 · 132 K · details" */
static char *
msc_fragmentation_view_describe (MscFragmentationView *self,
                                 guint                 i)
{
  const MscFragment *fragment = msc_fragmentation_layout_fragment (self->layout, i);
  const MscRegionTable *table = msc_snapshot_get_regions (self->snapshot);
  MscRegion row = msc_region_table_row (table, fragment->index);
  const MscRegion *region = fragment->index != G_MAXSIZE ? &row : NULL;
  const char *details = region != NULL ? msc_region_table_details (table, fragment->index) : "";
  char kb[MSC_FORMAT_KB_LEN];

  msc_format_kb (fragment->size, FALSE, kb, sizeof kb);
  return g_strdup_printf ("%s · %0*" G_GINT64_MODIFIER "X–%0*" G_GINT64_MODIFIER "X · %s K%s%s",
                          region != NULL ? msc_region_type_string (region) : _("Free (not listed in the capture)"),
                          self->address_digits, fragment->address, self->address_digits,
                          fragment->address + fragment->size, kb, details[0] != '\0' ? " · " : "", details);
}

static void
msc_fragmentation_view_set_hovered (MscFragmentationView *self,
                                    guint                 i)
{
  g_autofree char *text = NULL;

  if (self->hovered == i)
    return;
  self->hovered = i;
  if (i != G_MAXUINT)
    {
      text = msc_fragmentation_view_describe (self, i);
      gtk_label_set_text (self->hover_label, text);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

static gboolean
msc_fragmentation_view_motion (MscFragmentationView *self,
                               GdkEventMotion       *event)
{
  msc_fragmentation_view_set_hovered (self, msc_fragmentation_view_fragment_at (self, event->x, event->y));
  return FALSE;
}

static gboolean
msc_fragmentation_view_leave (MscFragmentationView *self,
                              GdkEventCrossing     *event)
{
  msc_fragmentation_view_set_hovered (self, G_MAXUINT);
  return FALSE;
}

static gboolean
msc_fragmentation_view_button_press (MscFragmentationView *self,
                                     GdkEventButton       *event)
{
  guint i = msc_fragmentation_view_fragment_at (self, event->x, event->y);
  const MscFragment *fragment;

  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
  if (event->button != GDK_BUTTON_PRIMARY || event->type != GDK_BUTTON_PRESS || i == G_MAXUINT)
    return FALSE;
  self->selected = i;
  msc_fragmentation_view_set_hovered (self, G_MAXUINT);
  msc_fragmentation_view_set_hovered (self, i);
  fragment = msc_fragmentation_layout_fragment (self->layout, i);
  if (fragment->index != G_MAXSIZE)
    g_signal_emit (self, signals[SIGNAL_REGION_ACTIVATED], 0, (guint64) fragment->address);
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
  return TRUE;
}

static gboolean
msc_fragmentation_view_scroll (MscFragmentationView *self,
                               GdkEventScroll       *event)
{
  double dx = 0, dy = 0, unit;
  int row = 0;

  if (event->direction == GDK_SCROLL_UP)
    dy = -1;
  else if (event->direction == GDK_SCROLL_DOWN)
    dy = 1;
  else if (event->direction == GDK_SCROLL_SMOOTH)
    gdk_event_get_scroll_deltas ((GdkEvent *) event, &dx, &dy);
  if (dy == 0)
    return FALSE;
  if ((event->state & GDK_CONTROL_MASK) != 0 && msc_fragmentation_view_unit_at (self, event->x, event->y, &unit, &row))
    msc_fragmentation_view_zoom_at (self, self->zoom * pow (MSC_ZOOM_STEP, -dy), unit, row);
  else
    gtk_adjustment_set_value (self->adjustment, gtk_adjustment_get_value (self->adjustment) + 3 * dy);
  return TRUE;
}

static gboolean
msc_fragmentation_view_key_press (MscFragmentationView *self,
                                  GdkEventKey          *event)
{
  switch (event->keyval)
    {
    case GDK_KEY_plus:
    case GDK_KEY_equal:
    case GDK_KEY_KP_Add:
      msc_fragmentation_view_zoom_in (self);
      return TRUE;
    case GDK_KEY_minus:
    case GDK_KEY_KP_Subtract:
      msc_fragmentation_view_zoom_out (self);
      return TRUE;
    case GDK_KEY_0:
    case GDK_KEY_KP_0:
      msc_fragmentation_view_zoom_fit (self);
      return TRUE;
    default:
      return FALSE;
    }
}

static void
msc_fragmentation_view_rebuild (MscFragmentationView *self)
{
  g_clear_pointer (&self->layout, msc_fragmentation_layout_free);
  self->hovered = G_MAXUINT;
  self->selected = G_MAXUINT;
  if (self->snapshot != NULL)
    self->layout = msc_fragmentation_layout_new (self->snapshot, self->scale);
  msc_fragmentation_view_relayout (self);
  gtk_widget_queue_draw (GTK_WIDGET (self->legend));
}

static void
msc_fragmentation_view_scale_changed (MscFragmentationView *self)
{
  const char *id = gtk_combo_box_get_active_id (GTK_COMBO_BOX (self->scale_combo));

  msc_fragmentation_view_set_scale (self, g_strcmp0 (id, "linear") == 0 ? MSC_FRAGMENTATION_SCALE_LINEAR
                                                                        : MSC_FRAGMENTATION_SCALE_LOG);
}

void
msc_fragmentation_view_set_scale (MscFragmentationView  *self,
                                  MscFragmentationScale  scale)
{
  g_return_if_fail (MSC_IS_FRAGMENTATION_VIEW (self));

  if (self->scale == scale)
    return;
  self->scale = scale;
  gtk_combo_box_set_active_id (GTK_COMBO_BOX (self->scale_combo),
                               scale == MSC_FRAGMENTATION_SCALE_LINEAR ? "linear" : "log");
  self->zoom = 1;
  gtk_adjustment_set_value (self->adjustment, 0);
  msc_fragmentation_view_rebuild (self);
}

void
msc_fragmentation_view_set_snapshot (MscFragmentationView *self,
                                     MscSnapshot          *snapshot,
                                     MscDiff              *diff,
                                     int                   address_digits)
{
  g_return_if_fail (MSC_IS_FRAGMENTATION_VIEW (self));
  g_return_if_fail (snapshot == NULL || MSC_IS_SNAPSHOT (snapshot));
  g_return_if_fail (diff == NULL || (snapshot != NULL && msc_diff_get_b (diff) == snapshot));

  /* A refresh keeps the zoom and the rows in view. */
  g_set_object (&self->snapshot, snapshot);
  g_set_object (&self->diff, diff);
  self->address_digits = address_digits;
  msc_fragmentation_view_rebuild (self);
}

void
msc_fragmentation_view_set_zoom (MscFragmentationView *self,
                                 double                zoom)
{
  g_return_if_fail (MSC_IS_FRAGMENTATION_VIEW (self));
  msc_fragmentation_view_zoom_at (self, zoom, 0, 0);
}

double
msc_fragmentation_view_get_zoom (MscFragmentationView *self)
{
  g_return_val_if_fail (MSC_IS_FRAGMENTATION_VIEW (self), 1);
  return self->zoom;
}

void
msc_fragmentation_view_scroll_to (MscFragmentationView *self,
                                  guint64               address)
{
  MscFragmentationGeometry g;

  g_return_if_fail (MSC_IS_FRAGMENTATION_VIEW (self));

  if (!msc_fragmentation_view_geometry (self, &g))
    return;
  gtk_adjustment_set_value (self->adjustment,
                            floor (msc_fragmentation_layout_unit_of (self->layout, address) / (g.width * g.units_per_px))
                            - g.rows / 2);
}

void
msc_fragmentation_view_select_address (MscFragmentationView *self,
                                       guint64               address)
{
  g_return_if_fail (MSC_IS_FRAGMENTATION_VIEW (self));

  if (self->layout == NULL)
    return;
  self->selected = msc_fragmentation_layout_find (self->layout, msc_fragmentation_layout_unit_of (self->layout, address));
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

GtkWidget *
msc_fragmentation_view_get_canvas (MscFragmentationView *self)
{
  g_return_val_if_fail (MSC_IS_FRAGMENTATION_VIEW (self), NULL);
  return GTK_WIDGET (self->canvas);
}

const char *
msc_fragmentation_view_get_hover_text (MscFragmentationView *self)
{
  g_return_val_if_fail (MSC_IS_FRAGMENTATION_VIEW (self), NULL);
  return gtk_label_get_text (self->hover_label);
}

gint64
msc_fragmentation_view_get_draw_time (MscFragmentationView *self)
{
  g_return_val_if_fail (MSC_IS_FRAGMENTATION_VIEW (self), 0);
  return self->draw_time;
}

gint64
msc_fragmentation_view_get_draw_cpu_time (MscFragmentationView *self)
{
  g_return_val_if_fail (MSC_IS_FRAGMENTATION_VIEW (self), 0);
  return self->draw_cpu_time;
}

guint
msc_fragmentation_view_get_n_marks (MscFragmentationView *self)
{
  g_return_val_if_fail (MSC_IS_FRAGMENTATION_VIEW (self), 0);
  return self->n_marks;
}

static void
msc_fragmentation_view_scrolled (MscFragmentationView *self)
{
  gtk_widget_queue_draw (GTK_WIDGET (self->canvas));
}

static void
msc_fragmentation_view_dispose (GObject *object)
{
  MscFragmentationView *self = MSC_FRAGMENTATION_VIEW (object);

  g_clear_pointer (&self->layout, msc_fragmentation_layout_free);
  g_clear_object (&self->diff);
  g_clear_object (&self->snapshot);

  G_OBJECT_CLASS (msc_fragmentation_view_parent_class)->dispose (object);
}

static void
msc_fragmentation_view_class_init (MscFragmentationViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = msc_fragmentation_view_dispose;

  /* A click on a region: its address (the Details view selects it). */
  signals[SIGNAL_REGION_ACTIVATED] =
    g_signal_new ("region-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_UINT64);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/memscope/Memscope/msc-fragmentation-view.ui");
  gtk_widget_class_bind_template_child (widget_class, MscFragmentationView, canvas);
  gtk_widget_class_bind_template_child (widget_class, MscFragmentationView, legend);
  gtk_widget_class_bind_template_child (widget_class, MscFragmentationView, adjustment);
  gtk_widget_class_bind_template_child (widget_class, MscFragmentationView, scale_combo);
  gtk_widget_class_bind_template_child (widget_class, MscFragmentationView, zoom_label);
  gtk_widget_class_bind_template_child (widget_class, MscFragmentationView, hover_label);
  gtk_widget_class_bind_template_callback (widget_class, msc_fragmentation_view_draw);
  gtk_widget_class_bind_template_callback (widget_class, msc_fragmentation_view_draw_legend);
  gtk_widget_class_bind_template_callback (widget_class, msc_fragmentation_view_motion);
  gtk_widget_class_bind_template_callback (widget_class, msc_fragmentation_view_leave);
  gtk_widget_class_bind_template_callback (widget_class, msc_fragmentation_view_button_press);
  gtk_widget_class_bind_template_callback (widget_class, msc_fragmentation_view_scroll);
  gtk_widget_class_bind_template_callback (widget_class, msc_fragmentation_view_key_press);
  gtk_widget_class_bind_template_callback (widget_class, msc_fragmentation_view_relayout);
  gtk_widget_class_bind_template_callback (widget_class, msc_fragmentation_view_scale_changed);
  gtk_widget_class_bind_template_callback (widget_class, msc_fragmentation_view_zoom_in);
  gtk_widget_class_bind_template_callback (widget_class, msc_fragmentation_view_zoom_out);
  gtk_widget_class_bind_template_callback (widget_class, msc_fragmentation_view_zoom_fit);
}

static void
msc_fragmentation_view_init (MscFragmentationView *self)
{
  self->scale = MSC_FRAGMENTATION_SCALE_LOG;
  self->zoom = 1;
  self->address_digits = 16;
  self->hovered = G_MAXUINT;
  self->selected = G_MAXUINT;
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (self->adjustment, "value-changed", G_CALLBACK (msc_fragmentation_view_scrolled), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
msc_fragmentation_view_new (void)
{
  return g_object_new (MSC_TYPE_FRAGMENTATION_VIEW, NULL);
}
