/* msc-timeline.c — the Timeline graph: selection, input, tooltips and
 * properties (its painting: msc-timeline-draw.c).
 *
 * Marks sit at their snapshot's time on the axis: refreshes minutes apart
 * look minutes apart, as in VMMap. Clicks and drags pick the nearest mark,
 * so marks close together stay reachable; the keyboard steps one by one.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "model/core/msc-format.h"
#include "ui/msc-timeline-private.h"
#include "ui/msc-ui-util.h"

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

guint
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

gboolean
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
