/* msc-details-view.h — VMMap's Details view: the regions of one snapshot. */
#pragma once

#include <gtk/gtk.h>
#include "model/msc-diff.h"
#include "model/msc-snapshot.h"

G_BEGIN_DECLS

#define MSC_TYPE_DETAILS_VIEW (msc_details_view_get_type ())
G_DECLARE_FINAL_TYPE (MscDetailsView, msc_details_view, MSC, DETAILS_VIEW, GtkScrolledWindow)

GtkWidget   *msc_details_view_new                  (void);
/* address_digits: 8 for a 32-bit process, else 16. snapshot may be NULL.
 * diff (nullable; its B is snapshot): Show Changes marks its differences
 * and lists the regions removed since its A. */
void         msc_details_view_set_snapshot         (MscDetailsView *self,
                                                    MscSnapshot    *snapshot,
                                                    MscDiff        *diff,
                                                    int             address_digits);
MscDiff     *msc_details_view_get_diff             (MscDetailsView *self);
int          msc_details_view_get_type_filter      (MscDetailsView *self);
void         msc_details_view_set_type_filter      (MscDetailsView *self,
                                                    int             type_filter);
gboolean     msc_details_view_get_show_free        (MscDetailsView *self);
void         msc_details_view_set_show_free        (MscDetailsView *self,
                                                    gboolean        show_free);
void         msc_details_view_expand_all           (MscDetailsView *self);
void         msc_details_view_collapse_all         (MscDetailsView *self);
/* Address of the selected row; FALSE when nothing is selected. */
gboolean     msc_details_view_get_selected_address (MscDetailsView *self,
                                                    guint64        *address);
/* The selected row's region or sub-block into region (optional; FALSE when
 * nothing is selected) and its Details text (optional, valid until the
 * view's snapshot changes). */
gboolean     msc_details_view_get_selected_region  (MscDetailsView  *self,
                                                    MscRegion       *region,
                                                    const char     **details);
/* Selects the row of address (the sub-block containing it, its allocation
 * expanded) and scrolls to it; FALSE when the view does not list it. */
gboolean     msc_details_view_select_address       (MscDetailsView *self,
                                                    guint64         address);
GtkTreeView *msc_details_view_get_tree_view        (MscDetailsView *self);

G_END_DECLS
