/* msc-type-colors.h — one color per memory type, shared by the graphs and the
 * Summary view's color key; and the Show Changes highlights. */
#pragma once

#include <gtk/gtk.h>
#include "backends/backend.h"
#include "model/msc-diff.h"

G_BEGIN_DECLS

/* The color of type; on a dark theme a deeper shade that keeps light text
 * readable next to it. */
void     msc_type_color          (MscUseType type, gboolean dark, GdkRGBA *rgba);

/* The background that marks a NEW (green), REMOVED (red) or CHANGED (amber)
 * row or cell: light tints under dark text, deep shades under light text,
 * each with a contrast ratio above 4.5 against the theme's text. */
void     msc_change_color        (MscDiffStatus status, gboolean dark, GdkRGBA *rgba);

/* Whether widget is drawn on a dark background (light text on dark). */
gboolean msc_widget_is_dark      (GtkWidget *widget);

G_END_DECLS
