/* test-summary.c — VMMap's summary (formats.md §3.2) of the hand-made
 * fixtures. Every expected figure is summed by hand from the rows listed in
 * core-fixture.c (bytes). */
#include <glib.h>

#include "model/core/msc-summary.h"
#include "tests/core/core-fixture.h"

typedef struct {
  uint64_t size, committed, private_bytes, total_ws, private_ws, shareable_ws, shared_ws, locked_ws;
  uint64_t blocks, largest;
  int ws_known, locked_known;
} Expected;

static void
assert_row (const MscSummaryRow *row, const Expected *e, const char *name)
{
  g_test_message ("row %s", name);
  g_assert_cmpuint (row->size, ==, e->size);
  g_assert_cmpuint (row->committed, ==, e->committed);
  g_assert_cmpuint (row->private_bytes, ==, e->private_bytes);
  g_assert_cmpuint (row->total_ws, ==, e->total_ws);
  g_assert_cmpuint (row->private_ws, ==, e->private_ws);
  g_assert_cmpuint (row->shareable_ws, ==, e->shareable_ws);
  g_assert_cmpuint (row->shared_ws, ==, e->shared_ws);
  g_assert_cmpuint (row->locked_ws, ==, e->locked_ws);
  g_assert_cmpuint (row->blocks, ==, e->blocks);
  g_assert_cmpuint (row->largest, ==, e->largest);
  g_assert_cmpint (row->ws_known, ==, e->ws_known);
  g_assert_cmpint (row->locked_known, ==, e->locked_known);
}

static void
test_main_fixture (void)
{
  CoreFixture f;
  MscSummary s;
  /* Image = rows 17 + 23; Mapped File = 0; Shareable = 13; Heap = 4;
   * Stack = 7; Private Data = 11; Unusable = 2; Free = 3 + 16 + 22. */
  const Expected image = { 1441792 + 8192, 1392640 + 8192, 12288 + 4096, 1060864 + 8192, 8192 + 4096,
                           1052672 + 4096, 790528, 0, 4 + 1, 1441792, 1, 1 };
  const Expected mapped = { 139264, 139264, 0, 20480, 0, 20480, 8492, 0, 1, 139264, 1, 1 };
  const Expected shareable = { 65536, 16384, 0, 16384, 0, 16384, 16384, 0, 2, 65536, 1, 1 };
  const Expected heap = { 1048576, 1044480, 1044480, 737280, 737280, 0, 0, 0, 2, 1048576, 1, 1 };
  const Expected managed = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1 };
  const Expected stack = { 1048576, 249856, 249856, 40960, 40960, 0, 0, 8192, 3, 1048576, 1, 1 };
  const Expected private_data = { 131072, 1536, 1535, 512, 211, 301, 300, 0, 1, 131072, 1, 1 };
  /* Page Table from page_table_size 45056: Size = Committed = Private =
   * Total WS = Private WS; no Blocks, no Largest. */
  const Expected page_table = { 45056, 45056, 45056, 45056, 45056, 0, 0, 0, 0, 0, 1, 1 };
  const Expected unusable = { 57344, 0, 0, 0, 0, 0, 0, 0, 0, 57344, 1, 1 };
  /* Free: blocks = how many free regions (3), largest = row 16. */
  const Expected free_row = { 66846720 + 199032832 + 655360, 0, 0, 0, 0, 0, 0, 0, 3, 199032832, 1, 1 };
  /* Total: Size and Blocks of every row but Free (Page Table and Unusable
   * included); Committed .. Locked WS of every row; no Largest.
   *   size      1449984+139264+65536+1048576+0+1048576+131072+45056+57344 = 3985408
   *   committed 1400832+139264+16384+1044480+249856+1536+45056           = 2897408
   *   private   16384+1044480+249856+1535+45056                          = 1357311
   *   total WS  1069056+20480+16384+737280+40960+512+45056               = 1929728
   *   priv WS   12288+737280+40960+211+45056                             = 835795
   *   share WS  1056768+20480+16384+301                                  = 1093933
   *   shared WS 790528+8492+16384+300                                    = 815704
   *   blocks    5+1+2+2+3+1                                              = 14 */
  const Expected total = { 3985408, 2897408, 1357311, 1929728, 835795, 1093933, 815704, 8192, 14, 0, 1, 1 };

  core_fixture_main (&f);
  msc_summary_compute (&s, f.tables[1], 45056);
  assert_row (&s.types[MSC_TYPE_IMAGE], &image, "Image");
  assert_row (&s.types[MSC_TYPE_MAPPED_FILE], &mapped, "Mapped File");
  assert_row (&s.types[MSC_TYPE_SHAREABLE], &shareable, "Shareable");
  assert_row (&s.types[MSC_TYPE_HEAP], &heap, "Heap");
  assert_row (&s.types[MSC_TYPE_MANAGED_HEAP], &managed, "Managed Heap");
  assert_row (&s.types[MSC_TYPE_STACK], &stack, "Stack");
  assert_row (&s.types[MSC_TYPE_PRIVATE_DATA], &private_data, "Private Data");
  assert_row (&s.types[MSC_TYPE_PAGE_TABLE], &page_table, "Page Table");
  assert_row (&s.types[MSC_TYPE_UNUSABLE], &unusable, "Unusable");
  assert_row (&s.types[MSC_TYPE_FREE], &free_row, "Free");
  assert_row (&s.total, &total, "Total");
  core_fixture_clear (&f);
}

/* Snapshot 1 of the main fixture holds a Page Table *region*: it is not
 * counted (the row comes from page_table_size alone), and a Free region's
 * sub-block adds no block. */
static void
test_page_table_regions_ignored (void)
{
  CoreFixture f;
  MscSummary s;
  const Expected private_data = { 65536, 65536, 65536, 4096, 4096, 0, 0, 0, 1, 65536, 1, 1 };
  const Expected page_table = { 8192, 8192, 8192, 8192, 8192, 0, 0, 0, 0, 0, 1, 1 };
  const Expected free_row = { 0xFE0000, 0, 0, 0, 0, 0, 0, 0, 1, 0xFE0000, 1, 1 };
  const Expected total = { 65536 + 8192, 65536 + 8192, 65536 + 8192, 4096 + 8192, 4096 + 8192, 0, 0, 0,
                           1, 0, 1, 1 };

  core_fixture_main (&f);
  msc_summary_compute (&s, f.tables[0], 8192);
  assert_row (&s.types[MSC_TYPE_PRIVATE_DATA], &private_data, "Private Data");
  assert_row (&s.types[MSC_TYPE_PAGE_TABLE], &page_table, "Page Table");
  assert_row (&s.types[MSC_TYPE_FREE], &free_row, "Free");
  assert_row (&s.total, &total, "Total");
  core_fixture_clear (&f);
}

/* Unknown working sets: the rows they touch, and Total, say so. */
static void
test_unknown_ws (void)
{
  CoreFixture f;
  MscSummary s;
  const Expected private_data = { 65536, 65536, 65536, 0, 0, 0, 0, 0, 1, 65536, 0, 0 };
  const Expected heap = { 65536, 8192, 0, 8192, 0, 8192, 8192, 0, 2, 65536, 1, 0 };
  const Expected free_row = { 0xED0000, 0, 0, 0, 0, 0, 0, 0, 1, 0xED0000, 1, 1 };
  const Expected total = { 131072, 73728, 65536, 8192, 0, 8192, 8192, 0, 3, 0, 0, 0 };
  const Expected image = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1 };

  core_fixture_wow (&f);
  msc_summary_compute (&s, f.tables[0], 0);
  assert_row (&s.types[MSC_TYPE_PRIVATE_DATA], &private_data, "Private Data");
  assert_row (&s.types[MSC_TYPE_HEAP], &heap, "Heap");
  assert_row (&s.types[MSC_TYPE_FREE], &free_row, "Free");
  assert_row (&s.types[MSC_TYPE_IMAGE], &image, "Image");
  assert_row (&s.types[MSC_TYPE_PAGE_TABLE], &image, "Page Table");
  assert_row (&s.total, &total, "Total");
  core_fixture_clear (&f);
}

/* No region with a working set (another process under Wine): the page
 * tables' Size stands, their WS is as unknown as Total's. */
static void
test_no_ws_at_all (void)
{
  MscRegionTable *table = msc_region_table_new ();
  const MscRegion region = { .address = 0x10000, .size = 65536, .type = MSC_TYPE_PRIVATE_DATA,
                             .committed = 65536, .private_bytes = 65536, .blocks = 1,
                             .flags = MSC_REGION_WS_UNKNOWN };
  const MscRegion free_gap = { .address = 0x20000, .size = 65536, .type = MSC_TYPE_FREE };
  const Expected page_table = { 8192, 8192, 8192, 8192, 8192, 0, 0, 0, 0, 0, 0, 0 };
  MscSummary s;

  g_assert_cmpint (msc_region_table_append (table, &region, NULL), ==, 0);
  g_assert_cmpint (msc_region_table_append (table, &free_gap, NULL), ==, 0);
  msc_summary_compute (&s, table, 8192);
  assert_row (&s.types[MSC_TYPE_PAGE_TABLE], &page_table, "Page Table");
  g_assert_cmpint (s.total.ws_known, ==, 0);
  g_assert_cmpuint (s.total.size, ==, 65536 + 8192);
  msc_region_table_free (table);
}

static void
test_no_table (void)
{
  MscSummary s;
  const Expected page_table = { 4096, 4096, 4096, 4096, 4096, 0, 0, 0, 0, 0, 1, 1 };

  msc_summary_compute (&s, NULL, 4096);
  assert_row (&s.types[MSC_TYPE_PAGE_TABLE], &page_table, "Page Table");
  assert_row (&s.total, &page_table, "Total");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/summary/main-fixture", test_main_fixture);
  g_test_add_func ("/summary/page-table-regions-ignored", test_page_table_regions_ignored);
  g_test_add_func ("/summary/unknown-ws", test_unknown_ws);
  g_test_add_func ("/summary/no-table", test_no_table);
  g_test_add_func ("/summary/no-ws-at-all", test_no_ws_at_all);
  return g_test_run ();
}
