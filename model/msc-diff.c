/* msc-diff.c — a linear merge of two snapshots' sorted region arrays.
 *
 * Both tables keep their top-level regions in address order with each
 * allocation's sub-blocks right after it, so one pass over the top-level
 * indexes (and, inside a matched allocation, over its sub-blocks) pairs
 * everything up: O(n), no hashing, no allocation per region. Two
 * 100,000-region snapshots must diff within 50 ms (tests/bench/bench-diff.c).
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "model/core/msc-export.h"
#include "model/core/msc-format.h"
#include "model/msc-diff.h"
#include "model/msc-snapshot-private.h"

/* Region-table indexes are 32-bit (msc-region-table.c), so are ours. */
#define MSC_DIFF_NONE G_MAXUINT32
/* In match_a/match_b: a row left out of the comparison (MscDiffLimit). */
#define MSC_DIFF_UNCOMPARED (G_MAXUINT32 - 1)

struct _MscDiff
{
  GObject parent_instance;

  MscSnapshot     *a;
  MscSnapshot     *b;

  guint32         *match_a;   /* per row of A: its row in B, or NONE */
  guint32         *match_b;   /* per row of B: its row in A, or NONE */
  guint16         *mask_b;    /* per row of B: MscDiffField bits */
  GArray          *changes;   /* MscDiffChange, address order */
  GArray          *removed;   /* gsize, rows of A */
  guint            counts[MSC_DIFF_CHANGED + 1];
  guint            limits;    /* MscDiffLimit */

  MscSummaryDelta  types[MSC_N_TYPES];
  MscSummaryDelta  total;
};

G_DEFINE_TYPE (MscDiff, msc_diff, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_A,
  PROP_B,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- comparing two matched regions ---- */

/* Bit i of the mask is field i; the byte-valued ones first. */
static const struct {
  const char *name;    /* the Details view's column header */
  gssize      offset;  /* of a guint64 in MscRegion, -1 for the others */
} msc_diff_fields[MSC_DIFF_N_FIELDS] = {
  { N_("Size"), G_STRUCT_OFFSET (MscRegion, size) },
  { N_("Committed"), G_STRUCT_OFFSET (MscRegion, committed) },
  { N_("Private"), G_STRUCT_OFFSET (MscRegion, private_bytes) },
  { N_("Total WS"), G_STRUCT_OFFSET (MscRegion, total_ws) },
  { N_("Private WS"), G_STRUCT_OFFSET (MscRegion, private_ws) },
  { N_("Shareable WS"), G_STRUCT_OFFSET (MscRegion, shareable_ws) },
  { N_("Shared WS"), G_STRUCT_OFFSET (MscRegion, shared_ws) },
  { N_("Locked WS"), G_STRUCT_OFFSET (MscRegion, locked_ws) },
  { N_("Blocks"), -1 },
  { N_("Protection"), -1 },
  { N_("Type"), -1 },
  { N_("Details"), -1 },
};

/* Flags that change the Details-view type string ("Image (ASLR)", "Heap
 * (Shareable)", "64-bit thread stack"): a change there is a retype. */
#define MSC_DIFF_TYPE_FLAGS (MSC_REGION_ASLR | MSC_REGION_SHAREABLE_HEAP | MSC_REGION_STACK64)

/* A figure as compared: in KB when one side only has KB. */
static guint64
msc_diff_figure (guint    limits,
                 guint64  bytes)
{
  return (limits & MSC_DIFF_LIMIT_KB) ? msc_round_kb (bytes) * 1024 : bytes;
}

static guint
msc_diff_compare (guint                 limits,
                  const MscRegionTable *ta,
                  gsize                 ia,
                  const MscRegionTable *tb,
                  gsize                 ib)
{
  MscRegion ra = msc_region_table_row (ta, ia);
  MscRegion rb = msc_region_table_row (tb, ib);
  guint mask = 0;

  for (guint f = 0; f < MSC_DIFF_N_FIELDS && msc_diff_fields[f].offset >= 0; f++)
    if (msc_diff_figure (limits, G_STRUCT_MEMBER (guint64, &ra, msc_diff_fields[f].offset))
        != msc_diff_figure (limits, G_STRUCT_MEMBER (guint64, &rb, msc_diff_fields[f].offset)))
      mask |= 1u << f;
  /* n/a on either side is not a change (under Wine every WS cell is n/a). */
  if ((ra.flags | rb.flags) & MSC_REGION_WS_UNKNOWN)
    mask &= ~(MSC_DIFF_FIELD_TOTAL_WS | MSC_DIFF_FIELD_PRIVATE_WS | MSC_DIFF_FIELD_SHAREABLE_WS
              | MSC_DIFF_FIELD_SHARED_WS | MSC_DIFF_FIELD_LOCKED_WS);
  else if ((ra.flags | rb.flags) & MSC_REGION_LOCKED_UNKNOWN)
    mask &= ~MSC_DIFF_FIELD_LOCKED_WS;
  if ((ra.flags | rb.flags) & MSC_REGION_PRIVATE_UNKNOWN)
    mask &= ~MSC_DIFF_FIELD_PRIVATE;
  if (ra.blocks != rb.blocks)
    mask |= MSC_DIFF_FIELD_BLOCKS;
  if (msc_region_shown_protection (&ra) != msc_region_shown_protection (&rb))
    mask |= MSC_DIFF_FIELD_PROTECTION;
  if (ra.type != rb.type || (ra.flags & MSC_DIFF_TYPE_FLAGS) != (rb.flags & MSC_DIFF_TYPE_FLAGS))
    mask |= MSC_DIFF_FIELD_TYPE;
  if (strcmp (msc_region_table_details (ta, ia), msc_region_table_details (tb, ib)) != 0)
    mask |= MSC_DIFF_FIELD_DETAILS;
  return mask;
}

/* ---- the merge ---- */

typedef struct {
  const MscRegionTable *ta;
  const MscRegionTable *tb;
  /* B stored as what changed since A: the allocations it does not touch
   * are equal row for row, and are paired without comparing. */
  const MscRegionDelta *delta;
  MscRegionDeltaCursor  cursor;
} MscDiffTables;

static void
msc_diff_push (MscDiff       *self,
               MscDiffStatus  status,
               guint          changed,
               gsize          ia,
               gsize          ib)
{
  MscDiffChange change = {
    .status = status,
    .changed = changed,
    .index_a = ia == MSC_DIFF_NONE ? MSC_NO_PARENT : ia,
    .index_b = ib == MSC_DIFF_NONE ? MSC_NO_PARENT : ib,
  };

  self->counts[status]++;
  if (status == MSC_DIFF_REMOVED)
    g_array_append_val (self->removed, change.index_a);
  g_array_append_val (self->changes, change);
}

static void
msc_diff_pair (MscDiff             *self,
               const MscDiffTables *t,
               gsize                ia,
               gsize                ib)
{
  /* Most pairs are unchanged: a compare of packed rows, nothing unpacked. */
  guint mask = msc_region_table_same (t->ta, ia, t->tb, ib)
               ? 0 : msc_diff_compare (self->limits, t->ta, ia, t->tb, ib);

  self->match_a[ia] = (guint32) ib;
  self->match_b[ib] = (guint32) ia;
  self->mask_b[ib] = (guint16) mask;
  if (mask != 0)
    msc_diff_push (self, MSC_DIFF_CHANGED, mask, ia, ib);
  else
    self->counts[MSC_DIFF_SAME]++;
}

/* Rows [first, first + n) of one side have no counterpart. */
static void
msc_diff_unmatched (MscDiff  *self,
                    gboolean  in_a,
                    gsize     first,
                    gsize     n)
{
  for (gsize i = first; i < first + n; i++)
    msc_diff_push (self, in_a ? MSC_DIFF_REMOVED : MSC_DIFF_NEW, 0,
                   in_a ? i : MSC_DIFF_NONE, in_a ? MSC_DIFF_NONE : i);
}

/* The sub-blocks of a matched allocation: rows ia+1.. and ib+1.., each run
 * in address order, merged by address. */
static void
msc_diff_merge_children (MscDiff             *self,
                         const MscDiffTables *t,
                         gsize                ia,
                         gsize                ib)
{
  gsize ea = ia + 1 + msc_region_table_n_children (t->ta, ia);
  gsize eb = ib + 1 + msc_region_table_n_children (t->tb, ib);
  gsize ca = ia + 1, cb = ib + 1;

  while (ca < ea && cb < eb)
    {
      guint64 address_a = msc_region_table_address (t->ta, ca);
      guint64 address_b = msc_region_table_address (t->tb, cb);

      if (address_a < address_b)
        msc_diff_unmatched (self, TRUE, ca++, 1);
      else if (address_b < address_a)
        msc_diff_unmatched (self, FALSE, cb++, 1);
      else
        msc_diff_pair (self, t, ca++, cb++);
    }
  msc_diff_unmatched (self, TRUE, ca, ea - ca);
  msc_diff_unmatched (self, FALSE, cb, eb - cb);
}

/* An allocation the delta says is unchanged: rows ia.. and ib.. pair up. */
static void
msc_diff_same_allocation (MscDiff             *self,
                          const MscDiffTables *t,
                          gsize                ia,
                          gsize                ib)
{
  gsize n = 1 + msc_region_table_n_children (t->tb, ib);

  for (gsize i = 0; i < n; i++)
    {
      self->match_a[ia + i] = (guint32) (ib + i);
      self->match_b[ib + i] = (guint32) (ia + i);
    }
  self->counts[MSC_DIFF_SAME] += n;
}

/* A whole allocation (top-level row and its sub-blocks) on one side only. */
static void
msc_diff_unmatched_allocation (MscDiff              *self,
                               gboolean              in_a,
                               const MscRegionTable *table,
                               gsize                 top)
{
  msc_diff_unmatched (self, in_a, top, 1 + msc_region_table_n_children (table, top));
}

/* An allocation of a kind an export does not list, when one side is an
 * export: left out, with its sub-blocks. */
static gboolean
msc_diff_skip_unlisted (MscDiff              *self,
                        const MscRegionTable *table,
                        gsize                 top,
                        guint32              *match)
{
  guint8 type = msc_region_table_type (table, top);

  if (!(self->limits & MSC_DIFF_LIMIT_UNLISTED)
      || (type != MSC_TYPE_FREE && type != MSC_TYPE_UNUSABLE && type != MSC_TYPE_PAGE_TABLE))
    return FALSE;
  for (gsize i = top; i <= top + msc_region_table_n_children (table, top); i++)
    match[i] = MSC_DIFF_UNCOMPARED;
  return TRUE;
}

static void
msc_diff_merge (MscDiff       *self,
                MscDiffTables *t)
{
  gsize na = msc_region_table_n_top_level (t->ta);
  gsize nb = msc_region_table_n_top_level (t->tb);
  gsize ka = 0, kb = 0;

  while (ka < na || kb < nb)
    {
      gsize ia = ka < na ? msc_region_table_top_level (t->ta, ka) : MSC_NO_PARENT;
      gsize ib = kb < nb ? msc_region_table_top_level (t->tb, kb) : MSC_NO_PARENT;
      guint64 address_a = ia != MSC_NO_PARENT ? msc_region_table_address (t->ta, ia) : 0;
      guint64 address_b = ib != MSC_NO_PARENT ? msc_region_table_address (t->tb, ib) : 0;

      if (ia != MSC_NO_PARENT && msc_diff_skip_unlisted (self, t->ta, ia, self->match_a))
        ka++;
      else if (ib != MSC_NO_PARENT && msc_diff_skip_unlisted (self, t->tb, ib, self->match_b))
        kb++;
      else if (ib == MSC_NO_PARENT || (ia != MSC_NO_PARENT && address_a < address_b))
        {
          msc_diff_unmatched_allocation (self, TRUE, t->ta, ia);
          ka++;
        }
      else if (ia == MSC_NO_PARENT || address_b < address_a)
        {
          msc_diff_unmatched_allocation (self, FALSE, t->tb, ib);
          kb++;
        }
      else
        {
          if (t->delta != NULL && !msc_region_delta_touches (t->delta, address_b, &t->cursor))
            msc_diff_same_allocation (self, t, ia, ib);
          else
            {
              msc_diff_pair (self, t, ia, ib);
              msc_diff_merge_children (self, t, ia, ib);
            }
          ka++;
          kb++;
        }
    }
}

/* ---- summary deltas ---- */

static void
msc_diff_row_delta (guint                limits,
                    MscSummaryDelta     *delta,
                    const MscSummaryRow *a,
                    const MscSummaryRow *b)
{
  /* Two's-complement wrap gives the right signed delta for any figures
   * below 2^63 bytes. */
#define MSC_DIFF_DELTA(field) ((gint64) (msc_diff_figure (limits, b->field) - msc_diff_figure (limits, a->field)))
  delta->size = MSC_DIFF_DELTA (size);
  delta->committed = MSC_DIFF_DELTA (committed);
  delta->private_bytes = a->private_unknown || b->private_unknown ? 0 : MSC_DIFF_DELTA (private_bytes);
  /* A figure the OS did not give on either side (n/a) has no change to show. */
  if (a->ws_known && b->ws_known)
    {
      delta->total_ws = MSC_DIFF_DELTA (total_ws);
      delta->private_ws = MSC_DIFF_DELTA (private_ws);
      delta->shareable_ws = MSC_DIFF_DELTA (shareable_ws);
      delta->shared_ws = MSC_DIFF_DELTA (shared_ws);
    }
  else
    delta->total_ws = delta->private_ws = delta->shareable_ws = delta->shared_ws = 0;
  delta->locked_ws = a->locked_known && b->locked_known ? MSC_DIFF_DELTA (locked_ws) : 0;
  delta->largest = MSC_DIFF_DELTA (largest);
#undef MSC_DIFF_DELTA
  delta->blocks = (gint64) (b->blocks - a->blocks);
}

static void
msc_diff_summaries (MscDiff *self)
{
  const MscSummary *sa = msc_snapshot_get_summary (self->a);
  const MscSummary *sb = msc_snapshot_get_summary (self->b);

  for (int type = 0; type < MSC_N_TYPES; type++)
    msc_diff_row_delta (self->limits, &self->types[type], &sa->types[type], &sb->types[type]);
  msc_diff_row_delta (self->limits, &self->total, &sa->total, &sb->total);
}

/* ---- the object ---- */

static void
msc_diff_compute (MscDiff *self)
{
  MscDiffTables t = { msc_snapshot_get_regions (self->a), msc_snapshot_get_regions (self->b), NULL, { 0 } };
  gsize la = msc_region_table_length (t.ta);
  gsize lb = msc_region_table_length (t.tb);

  self->match_a = g_new (guint32, MAX (la, 1));
  self->match_b = g_new (guint32, MAX (lb, 1));
  self->mask_b = g_new0 (guint16, MAX (lb, 1));
  memset (self->match_a, 0xFF, la * sizeof *self->match_a);
  memset (self->match_b, 0xFF, lb * sizeof *self->match_b);
  if (msc_snapshot_get_imported (self->a) != msc_snapshot_get_imported (self->b))
    self->limits = MSC_DIFF_LIMIT_UNLISTED | MSC_DIFF_LIMIT_KB;
  else
    t.delta = msc_snapshot_get_delta_from (self->b, self->a);
  msc_diff_merge (self, &t);
  msc_diff_summaries (self);
}

static void
msc_diff_constructed (GObject *object)
{
  MscDiff *self = MSC_DIFF (object);

  G_OBJECT_CLASS (msc_diff_parent_class)->constructed (object);

  g_return_if_fail (MSC_IS_SNAPSHOT (self->a) && MSC_IS_SNAPSHOT (self->b));
  msc_diff_compute (self);
}

static void
msc_diff_finalize (GObject *object)
{
  MscDiff *self = MSC_DIFF (object);

  g_clear_object (&self->a);
  g_clear_object (&self->b);
  g_clear_pointer (&self->match_a, g_free);
  g_clear_pointer (&self->match_b, g_free);
  g_clear_pointer (&self->mask_b, g_free);
  g_clear_pointer (&self->changes, g_array_unref);
  g_clear_pointer (&self->removed, g_array_unref);

  G_OBJECT_CLASS (msc_diff_parent_class)->finalize (object);
}

static void
msc_diff_get_property (GObject    *object,
                       guint       prop_id,
                       GValue     *value,
                       GParamSpec *pspec)
{
  MscDiff *self = MSC_DIFF (object);

  switch (prop_id)
    {
    case PROP_A:
      g_value_set_object (value, self->a);
      break;
    case PROP_B:
      g_value_set_object (value, self->b);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_diff_set_property (GObject      *object,
                       guint         prop_id,
                       const GValue *value,
                       GParamSpec   *pspec)
{
  MscDiff *self = MSC_DIFF (object);

  switch (prop_id)
    {
    case PROP_A:
      self->a = g_value_dup_object (value);
      break;
    case PROP_B:
      self->b = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
msc_diff_class_init (MscDiffClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = msc_diff_constructed;
  object_class->finalize = msc_diff_finalize;
  object_class->get_property = msc_diff_get_property;
  object_class->set_property = msc_diff_set_property;

  /* The older snapshot: "from". */
  properties[PROP_A] =
    g_param_spec_object ("a", NULL, NULL, MSC_TYPE_SNAPSHOT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* The newer snapshot: "to". */
  properties[PROP_B] =
    g_param_spec_object ("b", NULL, NULL, MSC_TYPE_SNAPSHOT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
msc_diff_init (MscDiff *self)
{
  self->changes = g_array_new (FALSE, FALSE, sizeof (MscDiffChange));
  self->removed = g_array_new (FALSE, FALSE, sizeof (gsize));
}

/**
 * msc_diff_new:
 * @a: (transfer none): the older snapshot
 * @b: (transfer none): the newer snapshot
 *
 * Compares @a with @b at once (linear in their sizes). The diff keeps a
 * reference to both.
 *
 * Returns: (transfer full): the differences from @a to @b
 */
MscDiff *
msc_diff_new (MscSnapshot *a,
              MscSnapshot *b)
{
  g_return_val_if_fail (MSC_IS_SNAPSHOT (a), NULL);
  g_return_val_if_fail (MSC_IS_SNAPSHOT (b), NULL);

  return g_object_new (MSC_TYPE_DIFF, "a", a, "b", b, NULL);
}

/* Returns: (transfer none) */
MscSnapshot *
msc_diff_get_a (MscDiff *self)
{
  g_return_val_if_fail (MSC_IS_DIFF (self), NULL);

  return self->a;
}

/* Returns: (transfer none) */
MscSnapshot *
msc_diff_get_b (MscDiff *self)
{
  g_return_val_if_fail (MSC_IS_DIFF (self), NULL);

  return self->b;
}

/* TRUE when no region differs and neither do the page tables (a summary
 * figure, not a region: every other summary figure sums regions). */
guint
msc_diff_get_limits (MscDiff *self)
{
  g_return_val_if_fail (MSC_IS_DIFF (self), 0);

  return self->limits;
}

gboolean
msc_diff_is_empty (MscDiff *self)
{
  g_return_val_if_fail (MSC_IS_DIFF (self), TRUE);

  return self->changes->len == 0 && self->types[MSC_TYPE_PAGE_TABLE].size == 0;
}

guint
msc_diff_get_n_changes (MscDiff *self)
{
  g_return_val_if_fail (MSC_IS_DIFF (self), 0);

  return self->changes->len;
}

/* Returns: (transfer none): valid as long as the diff */
const MscDiffChange *
msc_diff_get_change (MscDiff *self,
                     guint    i)
{
  g_return_val_if_fail (MSC_IS_DIFF (self), NULL);
  g_return_val_if_fail (i < self->changes->len, NULL);

  return &g_array_index (self->changes, MscDiffChange, i);
}

/* MSC_DIFF_SAME counts the matched rows that did not change. */
guint
msc_diff_count (MscDiff       *self,
                MscDiffStatus  status)
{
  g_return_val_if_fail (MSC_IS_DIFF (self), 0);
  g_return_val_if_fail (status <= MSC_DIFF_CHANGED, 0);

  return self->counts[status];
}

static MscDiffStatus
msc_diff_row_status (guint32  match,
                     guint    mask,
                     gboolean in_a,
                     guint   *changed)
{
  if (match == MSC_DIFF_UNCOMPARED)
    mask = 0;
  if (changed != NULL)
    *changed = match != MSC_DIFF_NONE ? mask : 0;
  if (match == MSC_DIFF_NONE)
    return in_a ? MSC_DIFF_REMOVED : MSC_DIFF_NEW;
  return mask != 0 ? MSC_DIFF_CHANGED : MSC_DIFF_SAME;
}

MscDiffStatus
msc_diff_get_status_b (MscDiff *self,
                       gsize    index_b,
                       guint   *changed)
{
  g_return_val_if_fail (MSC_IS_DIFF (self), MSC_DIFF_SAME);
  g_return_val_if_fail (index_b < msc_region_table_length (msc_snapshot_get_regions (self->b)), MSC_DIFF_SAME);

  return msc_diff_row_status (self->match_b[index_b], self->mask_b[index_b], FALSE, changed);
}

MscDiffStatus
msc_diff_get_status_a (MscDiff *self,
                       gsize    index_a,
                       guint   *changed)
{
  guint32 match;

  g_return_val_if_fail (MSC_IS_DIFF (self), MSC_DIFF_SAME);
  g_return_val_if_fail (index_a < msc_region_table_length (msc_snapshot_get_regions (self->a)), MSC_DIFF_SAME);

  match = self->match_a[index_a];
  return msc_diff_row_status (match, match < MSC_DIFF_UNCOMPARED ? self->mask_b[match] : 0, TRUE, changed);
}

gsize
msc_diff_get_match_b (MscDiff *self,
                      gsize    index_a)
{
  g_return_val_if_fail (MSC_IS_DIFF (self), MSC_NO_PARENT);
  g_return_val_if_fail (index_a < msc_region_table_length (msc_snapshot_get_regions (self->a)), MSC_NO_PARENT);

  return self->match_a[index_a] >= MSC_DIFF_UNCOMPARED ? MSC_NO_PARENT : self->match_a[index_a];
}

gsize
msc_diff_get_match_a (MscDiff *self,
                      gsize    index_b)
{
  g_return_val_if_fail (MSC_IS_DIFF (self), MSC_NO_PARENT);
  g_return_val_if_fail (index_b < msc_region_table_length (msc_snapshot_get_regions (self->b)), MSC_NO_PARENT);

  return self->match_b[index_b] >= MSC_DIFF_UNCOMPARED ? MSC_NO_PARENT : self->match_b[index_b];
}

/**
 * msc_diff_get_removed:
 * @n_removed: (out): how many
 *
 * Returns: (array length=n_removed) (transfer none): rows of A with no
 *   counterpart in B, ascending; valid as long as the diff
 */
const gsize *
msc_diff_get_removed (MscDiff *self,
                      guint   *n_removed)
{
  g_return_val_if_fail (MSC_IS_DIFF (self), NULL);
  g_return_val_if_fail (n_removed != NULL, NULL);

  *n_removed = self->removed->len;
  return (const gsize *) (gpointer) self->removed->data;
}

/* Returns: (transfer none) */
const MscSummaryDelta *
msc_diff_get_type_delta (MscDiff    *self,
                         MscUseType  type)
{
  g_return_val_if_fail (MSC_IS_DIFF (self), NULL);
  g_return_val_if_fail (type < MSC_N_TYPES, NULL);

  return &self->types[type];
}

/* Returns: (transfer none) */
const MscSummaryDelta *
msc_diff_get_total_delta (MscDiff *self)
{
  g_return_val_if_fail (MSC_IS_DIFF (self), NULL);

  return &self->total;
}

/* Returns: the column name of one MscDiffField bit, translated ("Size",
 * "Private WS", ... "Details"), or NULL */
const char *
msc_diff_field_name (guint field)
{
  for (guint f = 0; f < MSC_DIFF_N_FIELDS; f++)
    if (field == 1u << f)
      return _(msc_diff_fields[f].name);
  return NULL;
}

/* For the byte-valued fields (Size .. Locked WS): sets *bytes to region's
 * figure and returns TRUE; FALSE for the others. */
gboolean
msc_diff_field_bytes (guint            field,
                      const MscRegion *region,
                      guint64         *bytes)
{
  for (guint f = 0; f < MSC_DIFF_N_FIELDS && msc_diff_fields[f].offset >= 0; f++)
    if (field == 1u << f)
      {
        *bytes = G_STRUCT_MEMBER (guint64, region, msc_diff_fields[f].offset);
        return TRUE;
      }
  return FALSE;
}
