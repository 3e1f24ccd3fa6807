/* msc-strings-model.h — the Strings dialog's rows: a list GtkTreeModel over
 * the strings found so far, as they stream in from the scan.
 *
 * The strings live in one compact store (an array of small records and a
 * pool of their texts); a model shows the ones its filter, fixed at
 * construction, lets through.  Adding strings and showing them are apart:
 * a view pays a signal per inserted row (a few µs), so the caller shows
 * them in slices between frames (msc_strings_model_publish).  A new filter is a new model over the same
 * store (msc_strings_model_new_filtered), set on the view in one go: no
 * row-deleted storm when a keystroke hides 500,000 rows.  Rows are only
 * ever appended, so iters persist.
 */
#pragma once

#include <gtk/gtk.h>
#include "model/msc-strings.h"

G_BEGIN_DECLS

typedef enum {
  MSC_STRINGS_COLUMN_ADDRESS,   /* as the Details view shows it: "00007F12A3C4D010" */
  MSC_STRINGS_COLUMN_ENCODING,  /* "ASCII" or "UTF-16LE" */
  MSC_STRINGS_COLUMN_TEXT,      /* the string; "…" ends one cut at MSC_STRINGS_MAX_TEXT */
  MSC_STRINGS_N_COLUMNS
} MscStringsColumn;

/* Strings kept at most (about 40 MB); the scan goes on counting the rest. */
#define MSC_STRINGS_MODEL_MAX_ROWS 1000000

#define MSC_TYPE_STRINGS_MODEL (msc_strings_model_get_type ())
G_DECLARE_FINAL_TYPE (MscStringsModel, msc_strings_model, MSC, STRINGS_MODEL, GObject)

/* An empty store, unfiltered.  address_digits: 8 or 16. */
MscStringsModel *msc_strings_model_new          (int               address_digits);
/* The same store through filter (ASCII case-insensitive substring of the
 * text; NULL or "" lets everything through), with every string added so far
 * shown.  Strings added afterwards are published only by the model they
 * were added through: use the new one from then on. */
MscStringsModel *msc_strings_model_new_filtered (MscStringsModel  *model,
                                                 const char       *filter);
/* Appends a batch (address order) to the store; nothing is shown yet. */
void             msc_strings_model_add_batch    (MscStringsModel  *self,
                                                 MscStringsBatch  *batch);
/* Inserts the rows of up to max_rows added strings that pass the filter;
 * TRUE while added strings remain to be published. */
gboolean         msc_strings_model_publish      (MscStringsModel  *self,
                                                 guint             max_rows);
const char      *msc_strings_model_get_filter   (MscStringsModel  *self);
guint            msc_strings_model_get_n_rows   (MscStringsModel  *self); /* shown */
guint            msc_strings_model_get_n_kept   (MscStringsModel  *self); /* in the store, shown or not */
guint64          msc_strings_model_get_n_added  (MscStringsModel  *self); /* kept or not */
guint64          msc_strings_model_get_address  (MscStringsModel  *self,
                                                 GtkTreeIter      *iter);
/* "address\tencoding\ttext", the cells as shown (transfer full). */
char            *msc_strings_model_dup_line     (MscStringsModel  *self,
                                                 GtkTreeIter      *iter);

G_END_DECLS
