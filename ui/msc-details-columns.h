/* msc-details-columns.h — the Details view's column widths: every address
 * and number column as wide as its widest cell at the current font, so no
 * value is ever clipped into another that looks valid ("000000000002000"
 * for 0000000000020000). The view's columns are fixed width (fixed-height
 * mode, for 100,000 rows), so GTK never measures the cells itself. */
#pragma once

#include <gtk/gtk.h>
#include "model/msc-diff.h"
#include "model/msc-snapshot.h"

G_BEGIN_DECLS

/* Sets the fixed width of each column of tree_view (the Details view's, its
 * sort column ids being MscDetailsColumn) to fit its title and, up to
 * Protection, the widest cell of the rows the view lists: snapshot's regions
 * (with diff, also those only A has), Free ones only when show_free. The
 * Details column keeps its width and ellipsizes. snapshot may be NULL
 * (titles only). */
void msc_details_columns_fit (GtkTreeView *tree_view,
                              MscSnapshot *snapshot,
                              MscDiff     *diff,
                              gboolean     show_free,
                              int          address_digits);

G_END_DECLS
