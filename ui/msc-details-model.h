/* msc-details-model.h — the Details view's rows: a GtkTreeModel straight over
 * a snapshot's region table (no copy; 100,000 regions cost one index array).
 *
 * Top-level rows are the regions the filter lets through, in the sort
 * order; each has its sub-blocks as children, in address order. A model's
 * filter is fixed at construction: a new filter is a new (cheap) model.
 *
 * With a diff (Show Changes), the rows are those of the diff's B snapshot
 * plus the regions B no longer has, taken from A (as VMMap lists them, in
 * red): removed allocations as top-level rows, removed sub-blocks of a
 * surviving allocation among its children, all in address order.
 */
#pragma once

#include <gtk/gtk.h>
#include "model/msc-diff.h"
#include "model/msc-snapshot.h"

G_BEGIN_DECLS

/* Same order as VMMap's Details columns (and model/core's export cells). */
typedef enum {
  MSC_DETAILS_COLUMN_ADDRESS,
  MSC_DETAILS_COLUMN_TYPE,
  MSC_DETAILS_COLUMN_SIZE,
  MSC_DETAILS_COLUMN_COMMITTED,
  MSC_DETAILS_COLUMN_PRIVATE,
  MSC_DETAILS_COLUMN_TOTAL_WS,
  MSC_DETAILS_COLUMN_PRIVATE_WS,
  MSC_DETAILS_COLUMN_SHAREABLE_WS,
  MSC_DETAILS_COLUMN_SHARED_WS,
  MSC_DETAILS_COLUMN_LOCKED_WS,
  MSC_DETAILS_COLUMN_BLOCKS,
  MSC_DETAILS_COLUMN_PROTECTION,
  MSC_DETAILS_COLUMN_DETAILS,
  MSC_DETAILS_COLUMN_CHANGE,       /* "New", "Removed", "Changed" or "" */
  MSC_DETAILS_COLUMN_CHANGE_ICON,  /* an icon name for the same, or NULL */
  MSC_DETAILS_N_COLUMNS
} MscDetailsColumn;

#define MSC_DETAILS_ALL_TYPES (-1)

#define MSC_TYPE_DETAILS_MODEL (msc_details_model_get_type ())
G_DECLARE_FINAL_TYPE (MscDetailsModel, msc_details_model, MSC, DETAILS_MODEL, GObject)

/* type_filter: an MscUseType or MSC_DETAILS_ALL_TYPES. Free regions are
 * listed when show_free or when the filter is Free. address_digits: 8 or 16.
 * diff (nullable): the changes to mark; its B must be snapshot. */
MscDetailsModel *msc_details_model_new           (MscSnapshot      *snapshot,
                                                  MscDiff          *diff,
                                                  int               type_filter,
                                                  gboolean          show_free,
                                                  int               address_digits);
MscSnapshot     *msc_details_model_get_snapshot  (MscDetailsModel  *self);
guint            msc_details_model_get_n_rows    (MscDetailsModel  *self); /* top level */
/* The row's region (by value: the table packs its rows). */
gboolean         msc_details_model_get_region    (MscDetailsModel  *self,
                                                  GtkTreeIter      *iter,
                                                  MscRegion        *region);
const char      *msc_details_model_get_details   (MscDetailsModel  *self,
                                                  GtkTreeIter      *iter);
/* Row of the region at address (top level, or the sub-block containing it);
 * FALSE when the filter hides it. */
gboolean         msc_details_model_find_address  (MscDetailsModel  *self,
                                                  guint64           address,
                                                  GtkTreeIter      *iter);
/* SAME without a diff; *changed (optional) gets the MscDiffField mask. */
MscDiffStatus    msc_details_model_get_status    (MscDetailsModel  *self,
                                                  GtkTreeIter      *iter,
                                                  guint            *changed);
/* The MscDiffField bit of a column's figure, 0 for Address and Change. */
guint            msc_details_column_field        (int               column);

G_END_DECLS
