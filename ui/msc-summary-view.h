/* msc-summary-view.h — VMMap's Summary view: one row per type plus Total,
 * with the graphs' color key; the selected row filters the Details view. */
#pragma once

#include <gtk/gtk.h>
#include "model/core/msc-summary.h"
#include "model/msc-diff.h"

G_BEGIN_DECLS

#define MSC_TYPE_SUMMARY_VIEW (msc_summary_view_get_type ())
G_DECLARE_FINAL_TYPE (MscSummaryView, msc_summary_view, MSC, SUMMARY_VIEW, GtkScrolledWindow)

GtkWidget   *msc_summary_view_new               (void);
/* summary may be NULL (empty cells). diff (nullable, Show Changes): each
 * changed figure also shows its change since the diff's A, "(+1,024)". */
void         msc_summary_view_set_summary       (MscSummaryView   *self,
                                                 const MscSummary *summary,
                                                 MscDiff          *diff);
/* The selected MscUseType, or -1 for Total (all types). */
int          msc_summary_view_get_selected_type (MscSummaryView   *self);
void         msc_summary_view_set_selected_type (MscSummaryView   *self,
                                                 int               type);
GtkTreeView *msc_summary_view_get_tree_view     (MscSummaryView   *self);

G_END_DECLS
