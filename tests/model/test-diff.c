/* test-diff.c — MscDiff on snapshots built by hand, where every expected
 * status, mask and delta below was worked out from the region lists. */
#include "config.h"

#include <string.h>

#include "model/msc-diff.h"
#include "model/msc-diff-format.h"
#include "tests/model/model-test-util.h"

#define KB G_GUINT64_CONSTANT (1024)

typedef struct {
  guint64     address;
  guint64     size;
  guint64     committed;
  guint32     protection;
  MscUseType  type;
  gboolean    sub;
  const char *details;
} Spec;

static MscSnapshot *
make_snapshot (const Spec *spec, gsize n, guint64 timestamp, guint64 page_table)
{
  MscRegionTable *table = msc_region_table_new ();

  for (gsize i = 0; i < n; i++)
    {
      MscRegion r = {
        .address = spec[i].address, .size = spec[i].size, .committed = spec[i].committed,
        .private_bytes = spec[i].committed, .total_ws = spec[i].committed / 2,
        .private_ws = spec[i].committed / 2, .protection = spec[i].protection,
        .type = (guint8) spec[i].type, .blocks = spec[i].sub ? 0 : 1,
        .flags = spec[i].sub ? MSC_REGION_SUBBLOCK : 0,
      };

      g_assert_cmpint (msc_region_table_append (table, &r, spec[i].details), ==, 0);
    }
  return msc_snapshot_new (timestamp, page_table, table);
}

#define RW MSC_PAGE_READWRITE
#define RO MSC_PAGE_READONLY
#define RX MSC_PAGE_EXECUTE_READ

/* A: row 0..11. */
static const Spec spec_a[] = {
  { 0x10000, 0x10000, 0x10000, RW, MSC_TYPE_PRIVATE_DATA, FALSE, "" },      /* 0 same */
  { 0x10000, 0x10000, 0x10000, RW, MSC_TYPE_PRIVATE_DATA, TRUE, "" },       /* 1 same */
  { 0x100000, 0x100000, 0x100000, RX, MSC_TYPE_IMAGE, FALSE, "/lib/a.so" }, /* 2 committed changes */
  { 0x100000, 0x1000, 0x1000, RO, MSC_TYPE_IMAGE, TRUE, "Header" },         /* 3 same */
  { 0x101000, 0xFF000, 0xFF000, RX, MSC_TYPE_IMAGE, TRUE, ".text" },        /* 4 committed changes */
  { 0x400000, 0x20000, 0x20000, RW, MSC_TYPE_HEAP, FALSE, "[heap]" },       /* 5 removed */
  { 0x400000, 0x20000, 0x20000, RW, MSC_TYPE_HEAP, TRUE, "[heap]" },        /* 6 removed */
  { 0x500000, 0x10000, 0x10000, RW, MSC_TYPE_PRIVATE_DATA, FALSE, "" },     /* 7 resized */
  { 0x600000, 0x10000, 0x10000, RW, MSC_TYPE_PRIVATE_DATA, FALSE, "" },     /* 8 re-protected */
  { 0x700000, 0x10000, 0x10000, RO, MSC_TYPE_MAPPED_FILE, FALSE, "/f" },    /* 9 retyped */
  { 0x710000, 0xEF0000, 0, 0, MSC_TYPE_FREE, FALSE, "" },                   /* 10 shrinks */
};

/* B: row 0..11. */
static const Spec spec_b[] = {
  { 0x10000, 0x10000, 0x10000, RW, MSC_TYPE_PRIVATE_DATA, FALSE, "" },      /* 0 */
  { 0x10000, 0x10000, 0x10000, RW, MSC_TYPE_PRIVATE_DATA, TRUE, "" },       /* 1 */
  { 0x100000, 0x100000, 0x80000, RX, MSC_TYPE_IMAGE, FALSE, "/lib/a.so" },  /* 2 ~ */
  { 0x100000, 0x1000, 0x1000, RO, MSC_TYPE_IMAGE, TRUE, "Header" },         /* 3 */
  { 0x101000, 0xFF000, 0x7F000, RX, MSC_TYPE_IMAGE, TRUE, ".text" },        /* 4 ~ */
  { 0x500000, 0x20000, 0x20000, RW, MSC_TYPE_PRIVATE_DATA, FALSE, "" },     /* 5 ~ size */
  { 0x600000, 0x10000, 0x10000, RO, MSC_TYPE_PRIVATE_DATA, FALSE, "" },     /* 6 ~ protection */
  { 0x700000, 0x10000, 0x10000, RO, MSC_TYPE_SHAREABLE, FALSE, "/f" },      /* 7 ~ type */
  { 0x710000, 0xEE8000, 0, 0, MSC_TYPE_FREE, FALSE, "" },                   /* 8 ~ size */
  /* New memory goes at the top of the free range (mmap's top-down order),
   * so the free region keeps its address. */
  { 0x15F8000, 0x8000, 0x8000, RW, MSC_TYPE_PRIVATE_DATA, FALSE, "new" },   /* 9 + */
  { 0x15F8000, 0x8000, 0x8000, RW, MSC_TYPE_PRIVATE_DATA, TRUE, "new" },    /* 10 + */
};

static MscDiff *
make_diff (void)
{
  g_autoptr(MscSnapshot) a = make_snapshot (spec_a, G_N_ELEMENTS (spec_a), 100, 8 * KB);
  g_autoptr(MscSnapshot) b = make_snapshot (spec_b, G_N_ELEMENTS (spec_b), 200, 12 * KB);

  return msc_diff_new (a, b);
}

static void
assert_b (MscDiff *diff, gsize row, MscDiffStatus status, guint mask)
{
  guint changed = 0xFFFF;

  g_test_message ("row %zu of B", row);
  g_assert_cmpint (msc_diff_get_status_b (diff, row, &changed), ==, status);
  g_assert_cmphex (changed, ==, mask);
}

/* Per-row statuses of B: the view the Details pane colours. */
static void
test_rows (void)
{
  g_autoptr(MscDiff) diff = make_diff ();
  const guint committed = MSC_DIFF_FIELD_COMMITTED | MSC_DIFF_FIELD_PRIVATE
                          | MSC_DIFF_FIELD_TOTAL_WS | MSC_DIFF_FIELD_PRIVATE_WS;

  assert_b (diff, 0, MSC_DIFF_SAME, 0);
  assert_b (diff, 1, MSC_DIFF_SAME, 0);
  assert_b (diff, 2, MSC_DIFF_CHANGED, committed);
  assert_b (diff, 3, MSC_DIFF_SAME, 0);
  assert_b (diff, 4, MSC_DIFF_CHANGED, committed);
  /* 0x500000 grew from 64 to 128 KB, committed and WS with it. */
  assert_b (diff, 5, MSC_DIFF_CHANGED, MSC_DIFF_FIELD_SIZE | committed);
  assert_b (diff, 6, MSC_DIFF_CHANGED, MSC_DIFF_FIELD_PROTECTION);
  assert_b (diff, 7, MSC_DIFF_CHANGED, MSC_DIFF_FIELD_TYPE);
  assert_b (diff, 8, MSC_DIFF_CHANGED, MSC_DIFF_FIELD_SIZE);
  assert_b (diff, 9, MSC_DIFF_NEW, 0);
  assert_b (diff, 10, MSC_DIFF_NEW, 0);

  g_assert_cmpint (msc_diff_get_status_a (diff, 5, NULL), ==, MSC_DIFF_REMOVED);
  g_assert_cmpint (msc_diff_get_status_a (diff, 6, NULL), ==, MSC_DIFF_REMOVED);
  g_assert_cmpint (msc_diff_get_status_a (diff, 10, NULL), ==, MSC_DIFF_CHANGED);
  g_assert_cmpint (msc_diff_get_status_a (diff, 9, NULL), ==, MSC_DIFF_CHANGED);
  g_assert_cmpuint (msc_diff_get_match_b (diff, 7), ==, 5);
  g_assert_cmpuint (msc_diff_get_match_a (diff, 7), ==, 9);
  g_assert_cmpuint (msc_diff_get_match_a (diff, 9), ==, MSC_NO_PARENT);
  g_assert_cmpuint (msc_diff_get_match_b (diff, 5), ==, MSC_NO_PARENT);
}

/* The list of changes: address order, allocation before sub-blocks. */
static void
test_changes (void)
{
  g_autoptr(MscDiff) diff = make_diff ();
  static const struct {
    MscDiffStatus status;
    gsize a, b;
  } want[] = {
    { MSC_DIFF_CHANGED, 2, 2 }, { MSC_DIFF_CHANGED, 4, 4 },
    { MSC_DIFF_REMOVED, 5, MSC_NO_PARENT }, { MSC_DIFF_REMOVED, 6, MSC_NO_PARENT },
    { MSC_DIFF_CHANGED, 7, 5 }, { MSC_DIFF_CHANGED, 8, 6 }, { MSC_DIFF_CHANGED, 9, 7 },
    { MSC_DIFF_CHANGED, 10, 8 },
    { MSC_DIFF_NEW, MSC_NO_PARENT, 9 }, { MSC_DIFF_NEW, MSC_NO_PARENT, 10 },
  };
  const gsize *removed;
  guint n_removed;

  g_assert_cmpuint (msc_diff_get_n_changes (diff), ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    {
      const MscDiffChange *c = msc_diff_get_change (diff, i);

      g_test_message ("change %u", i);
      g_assert_cmpint (c->status, ==, want[i].status);
      g_assert_cmpuint (c->index_a, ==, want[i].a);
      g_assert_cmpuint (c->index_b, ==, want[i].b);
    }
  g_assert_cmpuint (msc_diff_count (diff, MSC_DIFF_NEW), ==, 2);
  g_assert_cmpuint (msc_diff_count (diff, MSC_DIFF_REMOVED), ==, 2);
  g_assert_cmpuint (msc_diff_count (diff, MSC_DIFF_CHANGED), ==, 6);
  g_assert_cmpuint (msc_diff_count (diff, MSC_DIFF_SAME), ==, 3);
  removed = msc_diff_get_removed (diff, &n_removed);
  g_assert_cmpuint (n_removed, ==, 2);
  g_assert_cmpuint (removed[0], ==, 5);
  g_assert_cmpuint (removed[1], ==, 6);
  g_assert_false (msc_diff_is_empty (diff));
}

/* Deltas worked out from the lists (top-level rows only count):
 * Private Data: +64 KB (0x500000) +32 KB (new) = +96 KB size and commit,
 *   blocks +1, largest 64 → 128 KB;
 * Image: commit -512 KB; Heap: -128 KB, -1 block; Mapped File -64 KB, -1;
 * Shareable +64 KB, +1; Free: -32 KB; Page Table +4 KB. */
static void
test_summary_deltas (void)
{
  g_autoptr(MscDiff) diff = make_diff ();
  const MscSummaryDelta *pd = msc_diff_get_type_delta (diff, MSC_TYPE_PRIVATE_DATA);
  const MscSummaryDelta *total = msc_diff_get_total_delta (diff);

  g_assert_cmpint (pd->size, ==, 96 * 1024);
  g_assert_cmpint (pd->committed, ==, 96 * 1024);
  g_assert_cmpint (pd->private_ws, ==, 48 * 1024);
  g_assert_cmpint (pd->blocks, ==, 1);
  g_assert_cmpint (pd->largest, ==, 64 * 1024);
  g_assert_cmpint (msc_diff_get_type_delta (diff, MSC_TYPE_IMAGE)->committed, ==, -512 * 1024);
  g_assert_cmpint (msc_diff_get_type_delta (diff, MSC_TYPE_IMAGE)->size, ==, 0);
  g_assert_cmpint (msc_diff_get_type_delta (diff, MSC_TYPE_HEAP)->size, ==, -128 * 1024);
  g_assert_cmpint (msc_diff_get_type_delta (diff, MSC_TYPE_HEAP)->blocks, ==, -1);
  g_assert_cmpint (msc_diff_get_type_delta (diff, MSC_TYPE_MAPPED_FILE)->size, ==, -64 * 1024);
  g_assert_cmpint (msc_diff_get_type_delta (diff, MSC_TYPE_SHAREABLE)->size, ==, 64 * 1024);
  g_assert_cmpint (msc_diff_get_type_delta (diff, MSC_TYPE_FREE)->size, ==, -32 * 1024);
  g_assert_cmpint (msc_diff_get_type_delta (diff, MSC_TYPE_PAGE_TABLE)->size, ==, 4 * 1024);
  /* Total: sizes without Free: +96 -128 -64 +64 +4 = -28 KB; commit adds
   * Image's -512 too: -540 KB; blocks +1 -1 -1 +1 = 0. */
  g_assert_cmpint (total->size, ==, -28 * 1024);
  g_assert_cmpint (total->committed, ==, -540 * 1024);
  g_assert_cmpint (total->blocks, ==, 0);
}

static void
test_identical (void)
{
  g_autoptr(MscSnapshot) a = make_snapshot (spec_a, G_N_ELEMENTS (spec_a), 100, 8 * KB);
  g_autoptr(MscSnapshot) b = make_snapshot (spec_a, G_N_ELEMENTS (spec_a), 900, 8 * KB);
  g_autoptr(MscSnapshot) c = make_snapshot (spec_a, G_N_ELEMENTS (spec_a), 900, 12 * KB);
  g_autoptr(MscDiff) same = msc_diff_new (a, b);
  g_autoptr(MscDiff) self_diff = msc_diff_new (a, a);
  g_autoptr(MscDiff) page_tables = msc_diff_new (a, c);
  guint n_removed = 1;

  g_assert_true (msc_diff_is_empty (same));
  g_assert_true (msc_diff_is_empty (self_diff));
  g_assert_cmpuint (msc_diff_get_n_changes (same), ==, 0);
  g_assert_cmpuint (msc_diff_count (same, MSC_DIFF_SAME), ==, G_N_ELEMENTS (spec_a));
  msc_diff_get_removed (same, &n_removed);
  g_assert_cmpuint (n_removed, ==, 0);
  for (gsize i = 0; i < G_N_ELEMENTS (spec_a); i++)
    g_assert_cmpint (msc_diff_get_status_b (same, i, NULL), ==, MSC_DIFF_SAME);
  g_assert_cmpint (msc_diff_get_total_delta (same)->size, ==, 0);
  /* Same regions, bigger page tables: still a difference. */
  g_assert_false (msc_diff_is_empty (page_tables));
  g_assert_cmpuint (msc_diff_get_n_changes (page_tables), ==, 0);
}

/* An empty snapshot against a full one: everything is new. */
static void
test_empty_side (void)
{
  g_autoptr(MscSnapshot) empty = msc_snapshot_new (1, 0, NULL);
  g_autoptr(MscSnapshot) b = make_snapshot (spec_b, G_N_ELEMENTS (spec_b), 2, 0);
  g_autoptr(MscDiff) diff = msc_diff_new (empty, b);
  g_autoptr(MscDiff) back = msc_diff_new (b, empty);

  g_assert_cmpuint (msc_diff_count (diff, MSC_DIFF_NEW), ==, G_N_ELEMENTS (spec_b));
  g_assert_cmpuint (msc_diff_count (back, MSC_DIFF_REMOVED), ==, G_N_ELEMENTS (spec_b));
}

/* The text: summary first, then one marked line per change. */
static void
test_format (void)
{
  g_autoptr(MscDiff) diff = make_diff ();
  g_autoptr(GString) text = g_string_new (NULL);
  g_auto(GStrv) lines = NULL;
  const char *regions;

  msc_diff_format (diff, "a.mmp", "b.mmp", 64, text);
  g_assert_true (g_str_has_prefix (text->str, "--- a.mmp\t"));
  g_assert_nonnull (strstr (text->str, "\n+++ b.mmp\t"));
  regions = strstr (text->str, "Regions: 2 new, 2 removed, 6 changed\n");
  g_assert_nonnull (regions);
  /* The summary table comes before the regions, Heap's row in it. */
  g_assert_nonnull (g_strstr_len (text->str, regions - text->str, "\nHeap "));
  g_assert_nonnull (strstr (text->str, "\n- 0000000000400000    Heap (Private Data)"));
  g_assert_nonnull (strstr (text->str, "\n-   0000000000400000  Heap (Private Data)"));
  g_assert_nonnull (strstr (text->str, "\n+ 00000000015F8000    Private Data"));
  g_assert_nonnull (strstr (text->str, "\n~ 0000000000710000    Free                  Size 15,296 -> 15,264 KB\n"));
  g_assert_nonnull (strstr (text->str, "\n~ 0000000000500000    Private Data          Size 64 -> 128 KB"));
  g_assert_nonnull (strstr (text->str, "Protection Read/Write -> Read\n"));
  g_assert_nonnull (strstr (text->str, "Type Mapped File -> Shareable\n"));
  lines = g_strsplit (regions, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 10 + 1);  /* header, 10 changes, "" */
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_false (g_str_has_suffix (lines[i], " "));
}

/* Working sets the OS did not give (n/a) are not changes: the same region
 * with different (meaningless) WS bytes and WSUnknown on one side is the
 * same; Total's WS delta is 0 when either Total is n/a, though the page
 * tables, whose figure is known, grew. */
static void
test_unknown_ws_is_not_a_change (void)
{
  MscRegionTable *ta = msc_region_table_new ();
  MscRegionTable *tb = msc_region_table_new ();
  MscRegion r = {
    .address = 0x10000, .size = 0x10000, .committed = 0x10000, .private_bytes = 0x10000,
    .protection = RW, .type = MSC_TYPE_PRIVATE_DATA, .blocks = 1, .flags = MSC_REGION_WS_UNKNOWN,
  };
  g_autoptr(MscSnapshot) a = NULL;
  g_autoptr(MscSnapshot) b = NULL;
  g_autoptr(MscDiff) diff = NULL;

  g_assert_cmpint (msc_region_table_append (ta, &r, ""), ==, 0);
  r.total_ws = r.private_ws = 0x8000;
  g_assert_cmpint (msc_region_table_append (tb, &r, ""), ==, 0);
  a = msc_snapshot_new (1, 8 * KB, ta);
  b = msc_snapshot_new (2, 12 * KB, tb);
  diff = msc_diff_new (a, b);
  g_assert_cmpuint (msc_diff_count (diff, MSC_DIFF_CHANGED), ==, 0);
  g_assert_cmpuint (msc_diff_count (diff, MSC_DIFF_SAME), ==, 1);
  g_assert_cmpint (msc_diff_get_total_delta (diff)->committed, ==, 4 * KB);
  g_assert_cmpint (msc_diff_get_total_delta (diff)->total_ws, ==, 0);
  g_assert_cmpint (msc_diff_get_total_delta (diff)->private_ws, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/diff/rows", test_rows);
  g_test_add_func ("/diff/changes", test_changes);
  g_test_add_func ("/diff/summary-deltas", test_summary_deltas);
  g_test_add_func ("/diff/identical", test_identical);
  g_test_add_func ("/diff/empty-side", test_empty_side);
  g_test_add_func ("/diff/format", test_format);
  g_test_add_func ("/diff/unknown-ws-is-not-a-change", test_unknown_ws_is_not_a_change);

  return g_test_run ();
}
