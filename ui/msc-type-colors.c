/* msc-type-colors.c — VMMap's type colors. */
#include "ui/msc-type-colors.h"

/* Close to VMMap's key (Image purple, Mapped File blue, Heap orange-red,
 * Private Data yellow, ...) so users recognise the graphs at a glance. */
static const guint32 msc_light_colors[MSC_N_TYPES] = {
  [MSC_TYPE_IMAGE]        = 0xb38be0,
  [MSC_TYPE_MAPPED_FILE]  = 0x7fb2ec,
  [MSC_TYPE_SHAREABLE]    = 0x7fd3c4,
  [MSC_TYPE_HEAP]         = 0xf29163,
  [MSC_TYPE_MANAGED_HEAP] = 0x9ccf6e,
  [MSC_TYPE_STACK]        = 0xe8c35a,
  [MSC_TYPE_PRIVATE_DATA] = 0xf6e27a,
  [MSC_TYPE_PAGE_TABLE]   = 0xa9b6c4,
  [MSC_TYPE_UNUSABLE]     = 0xc9c3bb,
  [MSC_TYPE_FREE]         = 0xf4f4f2,
};

static const guint32 msc_dark_colors[MSC_N_TYPES] = {
  [MSC_TYPE_IMAGE]        = 0x8a5fc0,
  [MSC_TYPE_MAPPED_FILE]  = 0x3f7fc4,
  [MSC_TYPE_SHAREABLE]    = 0x2f9c8a,
  [MSC_TYPE_HEAP]         = 0xc9602f,
  [MSC_TYPE_MANAGED_HEAP] = 0x5f9a35,
  [MSC_TYPE_STACK]        = 0xb38a22,
  [MSC_TYPE_PRIVATE_DATA] = 0xb8a22c,
  [MSC_TYPE_PAGE_TABLE]   = 0x62707f,
  [MSC_TYPE_UNUSABLE]     = 0x6b655e,
  [MSC_TYPE_FREE]         = 0x3a3a3a,
};

/* Green and red as VMMap marks new and removed ranges; amber for a change. */
static const guint32 msc_light_change_colors[] = {
  [MSC_DIFF_SAME]    = 0xffffff,
  [MSC_DIFF_NEW]     = 0xc6efbf,
  [MSC_DIFF_REMOVED] = 0xf7cbc7,
  [MSC_DIFF_CHANGED] = 0xfae29b,
};

static const guint32 msc_dark_change_colors[] = {
  [MSC_DIFF_SAME]    = 0x000000,
  [MSC_DIFF_NEW]     = 0x275a27,
  [MSC_DIFF_REMOVED] = 0x722a2a,
  [MSC_DIFF_CHANGED] = 0x5e4a10,
};

static void
msc_rgba_from_hex (guint32  value,
                   GdkRGBA *rgba)
{
  rgba->red = ((value >> 16) & 0xff) / 255.0;
  rgba->green = ((value >> 8) & 0xff) / 255.0;
  rgba->blue = (value & 0xff) / 255.0;
  rgba->alpha = 1.0;
}

void
msc_type_color (MscUseType  type,
                gboolean    dark,
                GdkRGBA    *rgba)
{
  g_return_if_fail ((guint) type < MSC_N_TYPES);

  msc_rgba_from_hex (dark ? msc_dark_colors[type] : msc_light_colors[type], rgba);
}

void
msc_change_color (MscDiffStatus  status,
                  gboolean       dark,
                  GdkRGBA       *rgba)
{
  g_return_if_fail ((guint) status <= MSC_DIFF_CHANGED);

  msc_rgba_from_hex (dark ? msc_dark_change_colors[status] : msc_light_change_colors[status], rgba);
}

/* Themes do not say "dark" in a way GTK 3 exposes per widget; a light
 * foreground color is the reliable sign (Adwaita-dark, HighContrastInverse,
 * gtk-application-prefer-dark-theme all give one). */
gboolean
msc_widget_is_dark (GtkWidget *widget)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);
  gboolean faded = (gtk_style_context_get_state (context) & (GTK_STATE_FLAG_BACKDROP | GTK_STATE_FLAG_INSENSITIVE)) != 0;
  int known = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (widget), "msc-is-dark"));
  GdkRGBA fg;
  gboolean dark;

  /* While a dialog is open the window is in backdrop, and the theme fades
   * its text (Adwaita's #8b8e8f) so that it reads as a dark theme's: the
   * graphs turned to the dark palette's olive. The answer from before the
   * fade stands; the window inherits the faded color, so no state of this
   * widget's own context undoes it. */
  if (faded && known != 0)
    return known == 2;
  gtk_style_context_get_color (context, gtk_style_context_get_state (context), &fg);
  dark = 0.2126 * fg.red + 0.7152 * fg.green + 0.0722 * fg.blue > 0.5;
  if (!faded)
    g_object_set_data (G_OBJECT (widget), "msc-is-dark", GINT_TO_POINTER (dark ? 2 : 1));
  return dark;
}
