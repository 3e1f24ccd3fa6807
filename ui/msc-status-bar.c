/* msc-status-bar.c — the window's status line. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ui/msc-status-bar.h"
#include "ui/msc-ui-util.h"

/* Neither backend reports how far a scan or a load has got in a way that
 * maps to a fraction, so the bar pulses: it shows that work is under way. */
#define MSC_PULSE_MS 120

struct _MscStatusBar
{
  GtkBox          parent_instance;

  GtkLabel       *process_label;
  GtkLabel       *pid_label;
  GtkLabel       *time_label;
  GtkLabel       *changes_label;
  GtkMenuButton  *notes_button;
  GtkLabel       *notes_label;
  GtkLabel       *notes_text;
  GtkProgressBar *progress;
  GtkButton      *cancel_button;

  guint           pulse_id;
  char           *text;
};

enum {
  PROP_0,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (MscStatusBar, msc_status_bar, GTK_TYPE_BOX)

static void
msc_status_bar_update_text (MscStatusBar *self)
{
  g_autoptr(GString) text = g_string_new (gtk_label_get_text (self->process_label));
  GtkLabel *labels[] = { self->pid_label, self->time_label, self->changes_label };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (gtk_widget_get_visible (GTK_WIDGET (labels[i])) && gtk_label_get_text (labels[i])[0] != '\0')
      g_string_append_printf (text, " · %s", gtk_label_get_text (labels[i]));
  g_free (self->text);
  self->text = g_string_free (g_steal_pointer (&text), FALSE);
  atk_object_set_description (gtk_widget_get_accessible (GTK_WIDGET (self)), self->text);
}

void
msc_status_bar_set_process (MscStatusBar *self,
                            const char   *name,
                            guint         pid,
                            GDateTime    *time)
{
  g_autofree char *pid_text = NULL;
  g_autofree char *time_text = NULL;

  g_return_if_fail (MSC_IS_STATUS_BAR (self));

  if (name != NULL)
    pid_text = g_strdup_printf (_("PID: %u"), pid);
  if (time != NULL)
    {
      g_autofree char *when = g_date_time_format (time, "%x %X");

      time_text = g_strdup_printf (_("Snapshot: %s"), when);
    }
  gtk_label_set_text (self->process_label, name != NULL ? name : "");
  gtk_label_set_text (self->pid_label, pid_text != NULL ? pid_text : "");
  gtk_label_set_text (self->time_label, time_text != NULL ? time_text : "");
  msc_status_bar_update_text (self);
}

void
msc_status_bar_set_changes (MscStatusBar *self,
                            MscDiff      *diff,
                            guint         n_new,
                            guint         n_removed,
                            guint         n_changed)
{
  g_autofree char *from = NULL;
  g_autofree char *to = NULL;
  g_autofree char *text = NULL;
  gboolean with_date;

  g_return_if_fail (MSC_IS_STATUS_BAR (self));
  g_return_if_fail (diff == NULL || MSC_IS_DIFF (diff));

  gtk_widget_set_visible (GTK_WIDGET (self->time_label), diff == NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->changes_label), diff != NULL);
  if (diff != NULL)
    {
      with_date = !msc_snapshots_same_day (msc_diff_get_a (diff), msc_diff_get_b (diff));
      from = msc_snapshot_time_text (msc_diff_get_a (diff), with_date);
      to = msc_snapshot_time_text (msc_diff_get_b (diff), with_date);
      /* Translators: VMMap's Show Changes names the two refresh times; the
       * counts are of the regions the Details view lists and marks. */
      text = g_strdup_printf (_("Changes from %s to %s: %u new, %u removed, %u changed regions"), from, to,
                              n_new, n_removed, n_changed);
    }
  gtk_label_set_text (self->changes_label, text != NULL ? text : "");
  msc_status_bar_update_text (self);
}

void
msc_status_bar_set_notes (MscStatusBar *self,
                          const char   *notes)
{
  gboolean any = notes != NULL && notes[0] != '\0';
  g_autofree char *first = NULL;
  g_autofree char *label = NULL;

  g_return_if_fail (MSC_IS_STATUS_BAR (self));

  gtk_widget_set_visible (GTK_WIDGET (self->notes_button), any);
  gtk_label_set_text (self->notes_text, any ? notes : "");
  if (!any)
    return;
  /* The button shows the first note (notes are one per line); the popover
   * all of them. */
  first = g_strndup (notes, strcspn (notes, "\n"));
  /* Translators: the status bar's button to the capture's notes. */
  label = g_strdup_printf (_("Note: %s"), first);
  gtk_label_set_text (self->notes_label, label);
}

const char *
msc_status_bar_get_notes (MscStatusBar *self)
{
  g_return_val_if_fail (MSC_IS_STATUS_BAR (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->notes_button)))
    return NULL;
  return gtk_label_get_text (self->notes_text);
}

static gboolean
msc_status_bar_pulse (gpointer user_data)
{
  gtk_progress_bar_pulse (MSC_STATUS_BAR (user_data)->progress);
  return G_SOURCE_CONTINUE;
}

void
msc_status_bar_start_progress (MscStatusBar *self,
                               const char   *text)
{
  g_return_if_fail (MSC_IS_STATUS_BAR (self));

  gtk_progress_bar_set_text (self->progress, text);
  gtk_widget_show (GTK_WIDGET (self->progress));
  gtk_widget_show (GTK_WIDGET (self->cancel_button));
  if (self->pulse_id == 0)
    {
      self->pulse_id = g_timeout_add (MSC_PULSE_MS, msc_status_bar_pulse, self);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

void
msc_status_bar_set_cancel_label (MscStatusBar *self,
                                 const char   *label)
{
  g_return_if_fail (MSC_IS_STATUS_BAR (self));

  gtk_button_set_label (self->cancel_button, label != NULL ? label : _("_Cancel"));
}

void
msc_status_bar_stop_progress (MscStatusBar *self)
{
  g_return_if_fail (MSC_IS_STATUS_BAR (self));

  gtk_widget_hide (GTK_WIDGET (self->progress));
  gtk_widget_hide (GTK_WIDGET (self->cancel_button));
  if (self->pulse_id != 0)
    {
      g_clear_handle_id (&self->pulse_id, g_source_remove);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
    }
}

gboolean
msc_status_bar_get_busy (MscStatusBar *self)
{
  g_return_val_if_fail (MSC_IS_STATUS_BAR (self), FALSE);
  return self->pulse_id != 0;
}

const char *
msc_status_bar_get_text (MscStatusBar *self)
{
  g_return_val_if_fail (MSC_IS_STATUS_BAR (self), NULL);
  return self->text;
}

static void
msc_status_bar_finalize (GObject *object)
{
  MscStatusBar *self = MSC_STATUS_BAR (object);

  g_clear_handle_id (&self->pulse_id, g_source_remove);
  g_clear_pointer (&self->text, g_free);

  G_OBJECT_CLASS (msc_status_bar_parent_class)->finalize (object);
}

static void
msc_status_bar_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  MscStatusBar *self = MSC_STATUS_BAR (object);

  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, msc_status_bar_get_busy (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_status_bar_class_init (MscStatusBarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = msc_status_bar_finalize;
  object_class->get_property = msc_status_bar_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", "Busy", "Whether a scan or load is under way",
                          FALSE, G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/memscope/Memscope/msc-status-bar.ui");
  gtk_widget_class_bind_template_child (widget_class, MscStatusBar, process_label);
  gtk_widget_class_bind_template_child (widget_class, MscStatusBar, pid_label);
  gtk_widget_class_bind_template_child (widget_class, MscStatusBar, time_label);
  gtk_widget_class_bind_template_child (widget_class, MscStatusBar, changes_label);
  gtk_widget_class_bind_template_child (widget_class, MscStatusBar, notes_button);
  gtk_widget_class_bind_template_child (widget_class, MscStatusBar, notes_label);
  gtk_widget_class_bind_template_child (widget_class, MscStatusBar, notes_text);
  gtk_widget_class_bind_template_child (widget_class, MscStatusBar, progress);
  gtk_widget_class_bind_template_child (widget_class, MscStatusBar, cancel_button);
}

static void
msc_status_bar_init (MscStatusBar *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->text = g_strdup ("");
}

GtkWidget *
msc_status_bar_new (void)
{
  return g_object_new (MSC_TYPE_STATUS_BAR, NULL);
}
