/* msc-view-text.h — the text of a tree view as it is on screen, for Edit →
 * Copy All: the visible columns' titles, then every row the user can see
 * (children of expanded rows, indented), the cells as their renderers draw
 * them, separated by tabs so that a spreadsheet takes them as columns. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Appends the view's text to text, one line per row. */
void msc_view_text_append (GString     *text,
                           GtkTreeView *view);

G_END_DECLS
