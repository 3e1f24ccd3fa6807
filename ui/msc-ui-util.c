/* msc-ui-util.c — see msc-ui-util.h. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "ui/msc-ui-util.h"

void
msc_widget_foreground (GtkWidget *widget,
                       GdkRGBA   *fg)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  gtk_style_context_get_color (context, gtk_style_context_get_state (context), fg);
}

PangoLayout *
msc_small_layout (GtkWidget  *widget,
                  const char *text)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (widget, text);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_scale_new (PANGO_SCALE_SMALL));
  pango_layout_set_attributes (layout, attrs);
  pango_attr_list_unref (attrs);
  return layout;
}

static GDateTime *
msc_snapshot_local_time (MscSnapshot *snapshot)
{
  g_autoptr(GDateTime) utc = msc_snapshot_dup_date_time (snapshot);

  return utc != NULL ? g_date_time_to_local (utc) : NULL;
}

char *
msc_snapshot_time_text (MscSnapshot *snapshot,
                        gboolean     with_date)
{
  g_autoptr(GDateTime) local = msc_snapshot_local_time (snapshot);

  if (local == NULL)
    return g_strdup (_("unknown time"));
  return g_date_time_format (local, with_date ? "%x %X" : "%X");
}

gboolean
msc_snapshots_same_day (MscSnapshot *a,
                        MscSnapshot *b)
{
  g_autoptr(GDateTime) la = msc_snapshot_local_time (a);
  g_autoptr(GDateTime) lb = msc_snapshot_local_time (b);

  return la != NULL && lb != NULL && g_date_time_get_year (la) == g_date_time_get_year (lb) &&
         g_date_time_get_day_of_year (la) == g_date_time_get_day_of_year (lb);
}

void
msc_info_bar_show (GtkInfoBar *bar,
                   GtkLabel   *label,
                   const char *title,
                   const char *message)
{
  g_autofree char *markup = g_markup_printf_escaped ("<b>%s</b>\n%s", title, message);

  gtk_label_set_markup (label, markup);
  gtk_info_bar_set_revealed (bar, TRUE);
}

const char *
msc_diff_status_text (MscDiffStatus status)
{
  switch (status)
    {
    case MSC_DIFF_NEW:
      return C_("region", "New");
    case MSC_DIFF_REMOVED:
      return C_("region", "Removed");
    case MSC_DIFF_CHANGED:
      return C_("region", "Changed");
    case MSC_DIFF_SAME:
    default:
      return "";
    }
}

/* Adwaita names, present in every GTK 3 icon theme we target. */
const char *
msc_diff_status_icon (MscDiffStatus status)
{
  switch (status)
    {
    case MSC_DIFF_NEW:
      return "list-add-symbolic";
    case MSC_DIFF_REMOVED:
      return "list-remove-symbolic";
    case MSC_DIFF_CHANGED:
      return "document-edit-symbolic";
    case MSC_DIFF_SAME:
    default:
      return NULL;
    }
}

void
msc_dialog_slot_set (GtkWidget **slot,
                     GtkWidget  *dialog)
{
  g_assert (*slot == NULL);
  *slot = dialog;
  g_object_add_weak_pointer (G_OBJECT (dialog), (gpointer *) slot);
}

void
msc_dialog_slot_destroy (GtkWidget **slot)
{
  GtkWidget *dialog = *slot;

  if (dialog == NULL)
    return;
  g_object_remove_weak_pointer (G_OBJECT (dialog), (gpointer *) slot);
  *slot = NULL;
  gtk_widget_destroy (dialog);
}

char *
msc_format_count (guint64 count)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, count);
  gsize n = strlen (digits);
  GString *text = g_string_sized_new (n + n / 3);

  for (gsize i = 0; i < n; i++)
    {
      if (i > 0 && (n - i) % 3 == 0)
        g_string_append_c (text, ',');
      g_string_append_c (text, digits[i]);
    }
  return g_string_free (text, FALSE);
}

gboolean
msc_widget_under_dialog (GtkWidget *widget)
{
  GtkWidget *top = gtk_widget_get_toplevel (widget);
  g_autoptr(GList) windows = NULL;

  if (!GTK_IS_WINDOW (top))
    return FALSE;
  windows = gtk_window_list_toplevels ();
  for (GList *l = windows; l != NULL; l = l->next)
    {
      GtkWindow *window = l->data;

      /* Tooltips and menus are popups transient for top too: not dialogs. A
       * modeless one (Timeline, Strings) leaves the window in use. */
      if (GTK_WIDGET (window) != top && gtk_window_get_window_type (window) == GTK_WINDOW_TOPLEVEL
          && gtk_window_get_modal (window) && gtk_widget_get_visible (GTK_WIDGET (window))
          && gtk_window_get_transient_for (window) == GTK_WINDOW (top))
        return TRUE;
    }
  return FALSE;
}

void
msc_cancellable_drop (GCancellable **slot)
{
  if (*slot != NULL)
    g_cancellable_cancel (*slot);
  g_clear_object (slot);
}
