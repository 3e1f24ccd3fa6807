/* msc-strings-model.c — see msc-strings-model.h.
 *
 * An iter holds the row's position among the shown rows (user_data).  An
 * unfiltered model shows the store's first n_examined strings as they are
 * (no index array); a filtered one keeps the store indices of its rows.
 */
#include "config.h"

#include <string.h>

#include "ui/msc-search.h"
#include "ui/msc-strings-model.h"

typedef struct {
  guint64 address;
  guint32 offset;       /* of the text in the pool */
  guint32 length;       /* characters, as found (the text may be cut) */
  guint8  encoding;     /* MscStringEncoding */
} MscStringsRow;

/* Shared by the models of one dialog (reference-counted with g_rc_box). */
typedef struct {
  GArray  *rows;        /* MscStringsRow, address order */
  GString *pool;        /* the texts, each NUL-terminated */
  guint64  n_added;
  int      address_digits;
} MscStringsStore;

struct _MscStringsModel
{
  GObject          parent_instance;

  MscStringsStore *store;
  char            *filter;      /* NULL: every row */
  GArray          *shown;       /* guint: store index per row; NULL without a filter */
  guint            n_examined;  /* store rows this model has looked at */
  int              stamp;
};

static void msc_strings_model_tree_model_init (GtkTreeModelIface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (MscStringsModel, msc_strings_model, G_TYPE_OBJECT,
  G_IMPLEMENT_INTERFACE (GTK_TYPE_TREE_MODEL, msc_strings_model_tree_model_init))

#define ROW_POS(iter) GPOINTER_TO_UINT ((iter)->user_data)

static void
msc_strings_store_clear (gpointer data)
{
  MscStringsStore *store = data;

  g_array_unref (store->rows);
  g_string_free (store->pool, TRUE);
}

static MscStringsStore *
msc_strings_store_new (int address_digits)
{
  MscStringsStore *store = g_rc_box_new0 (MscStringsStore);

  store->rows = g_array_new (FALSE, FALSE, sizeof (MscStringsRow));
  store->pool = g_string_new (NULL);
  store->address_digits = address_digits;
  return store;
}

static void
msc_strings_store_unref (MscStringsStore *store)
{
  g_rc_box_release_full (store, msc_strings_store_clear);
}

static const MscStringsRow *
msc_strings_store_row (MscStringsStore *store,
                       guint            index)
{
  return &g_array_index (store->rows, MscStringsRow, index);
}

static const char *
msc_strings_store_text (MscStringsStore     *store,
                        const MscStringsRow *row)
{
  return store->pool->str + row->offset;
}

static void
msc_strings_store_add (MscStringsStore *store,
                       MscStringsBatch *batch)
{
  const MscStringHit *hits = msc_strings_batch_get_hits (batch);
  guint n = msc_strings_batch_get_length (batch);

  store->n_added += n;
  for (guint i = 0; i < n && store->rows->len < MSC_STRINGS_MODEL_MAX_ROWS; i++)
    {
      MscStringsRow row = { hits[i].address, (guint32) store->pool->len, hits[i].length, hits[i].encoding };

      g_string_append_len (store->pool, hits[i].text, (gssize) strlen (hits[i].text) + 1);
      g_array_append_val (store->rows, row);
    }
}

/* ---- rows ---- */

static guint
msc_strings_model_n_rows (MscStringsModel *self)
{
  return self->shown != NULL ? self->shown->len : self->n_examined;
}

static const MscStringsRow *
msc_strings_model_row (MscStringsModel *self,
                       GtkTreeIter     *iter)
{
  guint pos = ROW_POS (iter);

  return msc_strings_store_row (self->store, self->shown != NULL ? g_array_index (self->shown, guint, pos) : pos);
}

static void
msc_strings_model_set_iter (MscStringsModel *self,
                            GtkTreeIter     *iter,
                            guint            pos)
{
  iter->stamp = self->stamp;
  iter->user_data = GUINT_TO_POINTER (pos);
  iter->user_data2 = NULL;
  iter->user_data3 = NULL;
}

static gboolean
msc_strings_model_valid (MscStringsModel *self,
                         GtkTreeIter     *iter)
{
  return iter != NULL && iter->stamp == self->stamp && ROW_POS (iter) < msc_strings_model_n_rows (self);
}

/* Takes in up to max_rows of the store rows this model has not looked at
 * yet; calls row-inserted for each one shown when notify. */
static void
msc_strings_model_examine (MscStringsModel *self,
                           guint            max_rows,
                           gboolean         notify)
{
  guint end = self->n_examined + MIN (max_rows, self->store->rows->len - self->n_examined);

  for (guint index = self->n_examined; index < end; index++)
    {
      const MscStringsRow *row = msc_strings_store_row (self->store, index);
      g_autoptr(GtkTreePath) path = NULL;
      GtkTreeIter iter;
      guint pos;

      if (self->shown != NULL)
        {
          if (!msc_search_contains (msc_strings_store_text (self->store, row), self->filter))
            continue;
          g_array_append_val (self->shown, index);
          pos = self->shown->len - 1;
        }
      else
        pos = index;
      self->n_examined = index + 1;
      if (!notify)
        continue;
      path = gtk_tree_path_new_from_indices ((int) pos, -1);
      msc_strings_model_set_iter (self, &iter, pos);
      gtk_tree_model_row_inserted (GTK_TREE_MODEL (self), path, &iter);
    }
  self->n_examined = end;
}

static const char *
msc_strings_encoding_label (guint8 encoding)
{
  /* The encodings' own names: not translated. */
  return encoding == MSC_STRING_UTF16LE ? "UTF-16LE" : "ASCII";
}

static char *
msc_strings_model_dup_cell (MscStringsModel *self,
                            GtkTreeIter     *iter,
                            int              column)
{
  const MscStringsRow *row = msc_strings_model_row (self, iter);
  const char *text = msc_strings_store_text (self->store, row);

  switch (column)
    {
    case MSC_STRINGS_COLUMN_ADDRESS:
      return g_strdup_printf ("%0*" G_GINT64_MODIFIER "X", self->store->address_digits, row->address);
    case MSC_STRINGS_COLUMN_ENCODING:
      return g_strdup (msc_strings_encoding_label (row->encoding));
    case MSC_STRINGS_COLUMN_TEXT:
    default:
      return row->length > MSC_STRINGS_MAX_TEXT ? g_strconcat (text, "…", NULL) : g_strdup (text);
    }
}

/* ---- GtkTreeModel ---- */

static GtkTreeModelFlags
msc_strings_model_get_flags (GtkTreeModel *model)
{
  return GTK_TREE_MODEL_LIST_ONLY | GTK_TREE_MODEL_ITERS_PERSIST;
}

static int
msc_strings_model_get_n_columns (GtkTreeModel *model)
{
  return MSC_STRINGS_N_COLUMNS;
}

static GType
msc_strings_model_get_column_type (GtkTreeModel *model,
                                   int           column)
{
  return G_TYPE_STRING;
}

static gboolean
msc_strings_model_get_iter (GtkTreeModel *model,
                            GtkTreeIter  *iter,
                            GtkTreePath  *path)
{
  MscStringsModel *self = MSC_STRINGS_MODEL (model);
  int *indices = gtk_tree_path_get_indices (path);

  if (gtk_tree_path_get_depth (path) != 1 || indices[0] < 0 || (guint) indices[0] >= msc_strings_model_n_rows (self))
    return FALSE;
  msc_strings_model_set_iter (self, iter, (guint) indices[0]);
  return TRUE;
}

static GtkTreePath *
msc_strings_model_get_path (GtkTreeModel *model,
                            GtkTreeIter  *iter)
{
  g_return_val_if_fail (msc_strings_model_valid (MSC_STRINGS_MODEL (model), iter), NULL);
  return gtk_tree_path_new_from_indices ((int) ROW_POS (iter), -1);
}

static void
msc_strings_model_get_value (GtkTreeModel *model,
                             GtkTreeIter  *iter,
                             int           column,
                             GValue       *value)
{
  MscStringsModel *self = MSC_STRINGS_MODEL (model);

  g_return_if_fail (msc_strings_model_valid (self, iter));
  g_return_if_fail (column >= 0 && column < MSC_STRINGS_N_COLUMNS);

  g_value_init (value, G_TYPE_STRING);
  g_value_take_string (value, msc_strings_model_dup_cell (self, iter, column));
}

static gboolean
msc_strings_model_iter_next (GtkTreeModel *model,
                             GtkTreeIter  *iter)
{
  MscStringsModel *self = MSC_STRINGS_MODEL (model);

  if (!msc_strings_model_valid (self, iter) || ROW_POS (iter) + 1 >= msc_strings_model_n_rows (self))
    {
      iter->stamp = 0;
      return FALSE;
    }
  msc_strings_model_set_iter (self, iter, ROW_POS (iter) + 1);
  return TRUE;
}

static gboolean
msc_strings_model_iter_previous (GtkTreeModel *model,
                                 GtkTreeIter  *iter)
{
  MscStringsModel *self = MSC_STRINGS_MODEL (model);

  if (!msc_strings_model_valid (self, iter) || ROW_POS (iter) == 0)
    {
      iter->stamp = 0;
      return FALSE;
    }
  msc_strings_model_set_iter (self, iter, ROW_POS (iter) - 1);
  return TRUE;
}

static gboolean
msc_strings_model_iter_nth_child (GtkTreeModel *model,
                                  GtkTreeIter  *iter,
                                  GtkTreeIter  *parent,
                                  int           n)
{
  MscStringsModel *self = MSC_STRINGS_MODEL (model);

  if (parent != NULL || n < 0 || (guint) n >= msc_strings_model_n_rows (self))
    return FALSE;
  msc_strings_model_set_iter (self, iter, (guint) n);
  return TRUE;
}

static gboolean
msc_strings_model_iter_children (GtkTreeModel *model,
                                 GtkTreeIter  *iter,
                                 GtkTreeIter  *parent)
{
  return msc_strings_model_iter_nth_child (model, iter, parent, 0);
}

static gboolean
msc_strings_model_iter_has_child (GtkTreeModel *model,
                                  GtkTreeIter  *iter)
{
  return FALSE;
}

static int
msc_strings_model_iter_n_children (GtkTreeModel *model,
                                   GtkTreeIter  *iter)
{
  return iter == NULL ? (int) msc_strings_model_n_rows (MSC_STRINGS_MODEL (model)) : 0;
}

static gboolean
msc_strings_model_iter_parent (GtkTreeModel *model,
                               GtkTreeIter  *iter,
                               GtkTreeIter  *child)
{
  return FALSE;
}

static void
msc_strings_model_tree_model_init (GtkTreeModelIface *iface)
{
  iface->get_flags = msc_strings_model_get_flags;
  iface->get_n_columns = msc_strings_model_get_n_columns;
  iface->get_column_type = msc_strings_model_get_column_type;
  iface->get_iter = msc_strings_model_get_iter;
  iface->get_path = msc_strings_model_get_path;
  iface->get_value = msc_strings_model_get_value;
  iface->iter_next = msc_strings_model_iter_next;
  iface->iter_previous = msc_strings_model_iter_previous;
  iface->iter_children = msc_strings_model_iter_children;
  iface->iter_has_child = msc_strings_model_iter_has_child;
  iface->iter_n_children = msc_strings_model_iter_n_children;
  iface->iter_nth_child = msc_strings_model_iter_nth_child;
  iface->iter_parent = msc_strings_model_iter_parent;
}

/* ---- GObject ---- */

static void
msc_strings_model_finalize (GObject *object)
{
  MscStringsModel *self = MSC_STRINGS_MODEL (object);

  g_clear_pointer (&self->store, msc_strings_store_unref);
  g_clear_pointer (&self->shown, g_array_unref);
  g_clear_pointer (&self->filter, g_free);
  G_OBJECT_CLASS (msc_strings_model_parent_class)->finalize (object);
}

static void
msc_strings_model_class_init (MscStringsModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = msc_strings_model_finalize;
}

static void
msc_strings_model_init (MscStringsModel *self)
{
  self->stamp = g_random_int ();
}

MscStringsModel *
msc_strings_model_new (int address_digits)
{
  MscStringsModel *self = g_object_new (MSC_TYPE_STRINGS_MODEL, NULL);

  self->store = msc_strings_store_new (address_digits);
  return self;
}

MscStringsModel *
msc_strings_model_new_filtered (MscStringsModel *model,
                                const char      *filter)
{
  MscStringsModel *self;

  g_return_val_if_fail (MSC_IS_STRINGS_MODEL (model), NULL);

  self = g_object_new (MSC_TYPE_STRINGS_MODEL, NULL);
  self->store = g_rc_box_acquire (model->store);
  if (filter != NULL && filter[0] != '\0')
    {
      self->filter = g_strdup (filter);
      self->shown = g_array_new (FALSE, FALSE, sizeof (guint));
    }
  msc_strings_model_examine (self, G_MAXUINT, FALSE);
  return self;
}

void
msc_strings_model_add_batch (MscStringsModel *self,
                             MscStringsBatch *batch)
{
  g_return_if_fail (MSC_IS_STRINGS_MODEL (self));
  g_return_if_fail (batch != NULL);

  msc_strings_store_add (self->store, batch);
}

gboolean
msc_strings_model_publish (MscStringsModel *self,
                           guint            max_rows)
{
  g_return_val_if_fail (MSC_IS_STRINGS_MODEL (self), FALSE);

  msc_strings_model_examine (self, max_rows, TRUE);
  return self->n_examined < self->store->rows->len;
}

const char *
msc_strings_model_get_filter (MscStringsModel *self)
{
  g_return_val_if_fail (MSC_IS_STRINGS_MODEL (self), NULL);
  return self->filter != NULL ? self->filter : "";
}

guint
msc_strings_model_get_n_rows (MscStringsModel *self)
{
  g_return_val_if_fail (MSC_IS_STRINGS_MODEL (self), 0);
  return msc_strings_model_n_rows (self);
}

guint
msc_strings_model_get_n_kept (MscStringsModel *self)
{
  g_return_val_if_fail (MSC_IS_STRINGS_MODEL (self), 0);
  return self->store->rows->len;
}

guint64
msc_strings_model_get_n_added (MscStringsModel *self)
{
  g_return_val_if_fail (MSC_IS_STRINGS_MODEL (self), 0);
  return self->store->n_added;
}

guint64
msc_strings_model_get_address (MscStringsModel *self,
                               GtkTreeIter     *iter)
{
  g_return_val_if_fail (MSC_IS_STRINGS_MODEL (self), 0);
  g_return_val_if_fail (msc_strings_model_valid (self, iter), 0);
  return msc_strings_model_row (self, iter)->address;
}

char *
msc_strings_model_dup_line (MscStringsModel *self,
                            GtkTreeIter     *iter)
{
  g_autofree char *address = NULL;
  g_autofree char *encoding = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (MSC_IS_STRINGS_MODEL (self), NULL);
  g_return_val_if_fail (msc_strings_model_valid (self, iter), NULL);

  address = msc_strings_model_dup_cell (self, iter, MSC_STRINGS_COLUMN_ADDRESS);
  encoding = msc_strings_model_dup_cell (self, iter, MSC_STRINGS_COLUMN_ENCODING);
  text = msc_strings_model_dup_cell (self, iter, MSC_STRINGS_COLUMN_TEXT);
  return g_strconcat (address, "\t", encoding, "\t", text, NULL);
}
