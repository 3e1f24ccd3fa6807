/* msc-diff.h — what changed between two snapshots of one process.
 *
 * Snapshot A is the older ("from"), B the newer ("to"). Regions are matched
 * by allocation: top-level regions by address, sub-blocks by address within
 * a matched allocation. A region only in B is NEW, only in A REMOVED; a
 * matched pair whose figures differ is CHANGED, with a mask of the fields.
 *
 * For the Details view of B: msc_diff_get_status_b() per row. Rows of A that
 * have no counterpart in B (to show struck out, red) are listed by
 * msc_diff_get_removed(). Every difference, in address order, is also
 * available as a list of MscDiffChange (msc_diff_get_change()).
 */
#pragma once

#include <glib-object.h>

#include "model/msc-snapshot.h"

G_BEGIN_DECLS

typedef enum {
  MSC_DIFF_SAME = 0,
  MSC_DIFF_NEW,        /* only in B */
  MSC_DIFF_REMOVED,    /* only in A */
  MSC_DIFF_CHANGED,    /* in both, some field differs */
} MscDiffStatus;

/* Which fields of a matched pair differ (MscDiffChange.changed). */
typedef enum {
  MSC_DIFF_FIELD_SIZE         = 1u << 0,
  MSC_DIFF_FIELD_COMMITTED    = 1u << 1,
  MSC_DIFF_FIELD_PRIVATE      = 1u << 2,
  MSC_DIFF_FIELD_TOTAL_WS     = 1u << 3,
  MSC_DIFF_FIELD_PRIVATE_WS   = 1u << 4,
  MSC_DIFF_FIELD_SHAREABLE_WS = 1u << 5,
  MSC_DIFF_FIELD_SHARED_WS    = 1u << 6,
  MSC_DIFF_FIELD_LOCKED_WS    = 1u << 7,
  MSC_DIFF_FIELD_BLOCKS       = 1u << 8,
  MSC_DIFF_FIELD_PROTECTION   = 1u << 9,
  MSC_DIFF_FIELD_TYPE         = 1u << 10,  /* type or its Details-view string */
  MSC_DIFF_FIELD_DETAILS      = 1u << 11,
} MscDiffField;

#define MSC_DIFF_N_FIELDS 12

/* What could not be compared because one side is an export of VMMap's
 * CSV/TXT kind (msc_snapshot_get_imported()): such rows count as unchanged,
 * never as new or removed (issue 15, defect 7). */
typedef enum {
  MSC_DIFF_LIMIT_UNLISTED = 1u << 0,  /* Free, Unusable, Page Table regions: an export lists none */
  MSC_DIFF_LIMIT_KB       = 1u << 1,  /* figures compared in KB: an export keeps nothing finer */
} MscDiffLimit;

/* The column name of one field bit ("Size", "Private WS", ...), translated;
 * NULL for anything else. */
const char *msc_diff_field_name  (guint            field);
/* Size .. Locked WS: *bytes = region's figure, TRUE; other fields FALSE. */
gboolean    msc_diff_field_bytes (guint            field,
                                  const MscRegion *region,
                                  guint64         *bytes);

/* One difference. index_a / index_b are region-table indexes into A / B,
 * MSC_NO_PARENT (G_MAXSIZE) on the side where the region does not exist. */
typedef struct {
  MscDiffStatus status;
  guint         changed;   /* MscDiffField bits; 0 unless CHANGED */
  gsize         index_a;
  gsize         index_b;
} MscDiffChange;

/* B minus A for one summary row, in bytes (Blocks: a count). */
typedef struct {
  gint64 size;
  gint64 committed;
  gint64 private_bytes;
  gint64 total_ws;
  gint64 private_ws;
  gint64 shareable_ws;
  gint64 shared_ws;
  gint64 locked_ws;
  gint64 blocks;
  gint64 largest;
} MscSummaryDelta;

#define MSC_TYPE_DIFF (msc_diff_get_type ())
G_DECLARE_FINAL_TYPE (MscDiff, msc_diff, MSC, DIFF, GObject)

MscDiff             *msc_diff_new             (MscSnapshot *a,
                                               MscSnapshot *b);
MscSnapshot         *msc_diff_get_a           (MscDiff     *self);
MscSnapshot         *msc_diff_get_b           (MscDiff     *self);
gboolean             msc_diff_is_empty        (MscDiff     *self);
/* MscDiffLimit bits: what this diff could not compare. */
guint                msc_diff_get_limits      (MscDiff     *self);

/* Every difference, in address order, an allocation before its
 * sub-blocks. */
guint                msc_diff_get_n_changes   (MscDiff     *self);
const MscDiffChange *msc_diff_get_change      (MscDiff     *self,
                                               guint        i);
/* How many NEW, REMOVED and CHANGED regions (sub-blocks included). */
guint                msc_diff_count           (MscDiff     *self,
                                               MscDiffStatus status);

/* Per row of B (region-table index): SAME, NEW or CHANGED; *changed
 * (optional) gets the MscDiffField mask. */
MscDiffStatus        msc_diff_get_status_b    (MscDiff     *self,
                                               gsize        index_b,
                                               guint       *changed);
/* Per row of A: SAME, REMOVED or CHANGED. */
MscDiffStatus        msc_diff_get_status_a    (MscDiff     *self,
                                               gsize        index_a,
                                               guint       *changed);
/* The row of the other snapshot matched with this one, or MSC_NO_PARENT. */
gsize                msc_diff_get_match_b     (MscDiff     *self,
                                               gsize        index_a);
gsize                msc_diff_get_match_a     (MscDiff     *self,
                                               gsize        index_b);
/* Region-table indexes into A of the REMOVED rows, ascending. */
const gsize         *msc_diff_get_removed     (MscDiff     *self,
                                               guint       *n_removed);

/* B's summary minus A's; types[] indexed by MscUseType. */
const MscSummaryDelta *msc_diff_get_type_delta  (MscDiff    *self,
                                                 MscUseType  type);
const MscSummaryDelta *msc_diff_get_total_delta (MscDiff    *self);

G_END_DECLS
