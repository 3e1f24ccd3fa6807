/* msc-type-colors.h — one color per memory type, shared by the graphs and the
 * Summary view's color key. */
#pragma once

#include <gtk/gtk.h>
#include "backends/backend.h"

G_BEGIN_DECLS

/* The color of type; on a dark theme a deeper shade that keeps light text
 * readable next to it. */
void     msc_type_color          (MscUseType type, gboolean dark, GdkRGBA *rgba);

/* Whether widget is drawn on a dark background (light text on dark). */
gboolean msc_widget_is_dark      (GtkWidget *widget);

G_END_DECLS
