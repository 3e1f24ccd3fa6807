/* msc-window-options.c — the Options menu's settings in the main window:
 * Show Free Regions and Font act here at once, from the application's
 * MscOptions (not from GSettings, whose store may refuse the change); when
 * an option could not be saved, the message bar says so.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "backends/backend.h"
#include "ui/msc-application.h"
#include "ui/msc-window-private.h"

/* Options → Font applies to the Summary and Details views, as in VMMap. */
void
msc_window_apply_font (MscWindow *self)
{
  g_autoptr(PangoFontDescription) desc = pango_font_description_from_string (msc_options_get_font (self->options));
  g_autoptr(GString) css = g_string_new ("treeview {");
  PangoFontMask set = pango_font_description_get_set_fields (desc);

  if (set & PANGO_FONT_MASK_FAMILY)
    g_string_append_printf (css, " font-family: \"%s\";", pango_font_description_get_family (desc));
  if (set & PANGO_FONT_MASK_SIZE)
    g_string_append_printf (css, " font-size: %gpt;", pango_font_description_get_size (desc) / (double) PANGO_SCALE);
  if (set & PANGO_FONT_MASK_WEIGHT)
    /* CSS knows only the hundreds; Pango also has 350, 380, ... */
    g_string_append_printf (css, " font-weight: %d;",
                            CLAMP ((pango_font_description_get_weight (desc) + 50) / 100 * 100, 100, 900));
  if (set & PANGO_FONT_MASK_STYLE)
    g_string_append (css, pango_font_description_get_style (desc) == PANGO_STYLE_NORMAL
                          ? " font-style: normal;" : " font-style: italic;");
  g_string_append (css, " }");
  gtk_css_provider_load_from_data (self->font_css, css->str, -1, NULL);
}

static void
msc_window_font_response (GtkDialog *dialog,
                          int        response,
                          MscWindow *self)
{
  if (response == GTK_RESPONSE_OK)
    {
      g_autofree char *font = gtk_font_chooser_get_font (GTK_FONT_CHOOSER (dialog));

      msc_options_set_font (self->options, font);
    }
  gtk_widget_destroy (GTK_WIDGET (dialog));
}

static void
msc_window_font (GSimpleAction *action,
                 GVariant      *param,
                 gpointer       user_data)
{
  MscWindow *self = user_data;
  const char *font = msc_options_get_font (self->options);
  GtkWidget *dialog = gtk_font_chooser_dialog_new (_("Font of the Summary and Details Views"), GTK_WINDOW (self));

  gtk_window_set_modal (GTK_WINDOW (dialog), TRUE);
  if (font[0] != '\0')
    gtk_font_chooser_set_font (GTK_FONT_CHOOSER (dialog), font);
  g_signal_connect_object (dialog, "response", G_CALLBACK (msc_window_font_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
msc_window_option_not_saved (MscWindow  *self,
                             const char *message)
{
  msc_window_show_message (self, GTK_MESSAGE_WARNING, _("Options"), message);
}

static const GActionEntry msc_window_option_actions[] = {
  { "font", msc_window_font },
};

void
msc_window_add_option_actions (MscWindow *self)
{
  GtkWidget *views[] = { GTK_WIDGET (msc_summary_view_get_tree_view (self->summary_view)),
                         GTK_WIDGET (msc_details_view_get_tree_view (self->details_view)) };
  g_autoptr(GPropertyAction) show_free = g_property_action_new ("show-free-regions", self->options,
                                                                "show-free-regions");

  g_autoptr(GPropertyAction) trace_interval = g_property_action_new ("trace-interval", self->options,
                                                                     "trace-interval-seconds");

  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (show_free));
  if (msc_backend_can_trace ())
    g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (trace_interval));
  g_object_bind_property (self->options, "show-free-regions", self->details_view, "show-free", G_BINDING_SYNC_CREATE);
  g_action_map_add_action_entries (G_ACTION_MAP (self), msc_window_option_actions,
                                   G_N_ELEMENTS (msc_window_option_actions), self);
  self->font_css = gtk_css_provider_new ();
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    gtk_style_context_add_provider (gtk_widget_get_style_context (views[i]),
                                    GTK_STYLE_PROVIDER (self->font_css),
                                    GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  g_signal_connect_object (self->options, "notify::font", G_CALLBACK (msc_window_apply_font), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->options, "save-failed", G_CALLBACK (msc_window_option_not_saved), self,
                           G_CONNECT_SWAPPED);
  msc_window_apply_font (self);
}
