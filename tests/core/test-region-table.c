/* test-region-table.c — the region table: hierarchy, find(), interning and
 * the memory budget. Expected values come from the hand-made fixture
 * (tests/core/core-fixture.c), not from the table itself. */
#include <string.h>

#include <glib.h>

#include "tests/core/core-fixture.h"

static MscRegion
region_at (uint64_t address, uint64_t size, uint16_t flags)
{
  MscRegion region = { .address = address, .size = size, .flags = flags,
                       .type = MSC_TYPE_PRIVATE_DATA };

  return region;
}

static void
test_hierarchy (void)
{
  CoreFixture f;
  const MscRegionTable *table;

  core_fixture_main (&f);
  table = f.tables[1];
  g_assert_cmpuint (msc_region_table_length (table), ==, 25);
  /* Top-level rows of core-fixture.c: 0 2 3 4 7 11 13 16 17 22 23. */
  g_assert_cmpuint (msc_region_table_n_top_level (table), ==, 11);
  g_assert_cmpuint (msc_region_table_top_level (table, 4), ==, 7);
  g_assert_cmpuint (msc_region_table_top_level (table, 11), ==, MSC_NO_PARENT);

  g_assert_cmpuint (msc_region_table_parent (table, 0), ==, MSC_NO_PARENT);
  g_assert_cmpuint (msc_region_table_parent (table, 1), ==, 0);
  g_assert_cmpuint (msc_region_table_parent (table, 10), ==, 7);
  g_assert_cmpuint (msc_region_table_parent (table, 21), ==, 17);
  g_assert_cmpuint (msc_region_table_n_children (table, 0), ==, 1);
  g_assert_cmpuint (msc_region_table_n_children (table, 2), ==, 0);
  g_assert_cmpuint (msc_region_table_n_children (table, 7), ==, 3);
  g_assert_cmpuint (msc_region_table_n_children (table, 17), ==, 4);
  g_assert_cmpuint (msc_region_table_n_children (table, 18), ==, 0);  /* a sub-block */

  g_assert_cmpuint (msc_region_table_address (table, 19), ==, 0x10001000);
  g_assert_cmpuint (msc_region_table_row (table, 19).size, ==, 1376256);
  g_assert_cmpstr (msc_region_table_details (table, 19), ==, ".text");
  g_assert_cmpstr (msc_region_table_details (table, 2), ==, "");
  g_assert_cmpuint (msc_region_table_row (table, 25).size, ==, 0);
  g_assert_cmpuint (msc_region_table_address (table, 25), ==, 0);
  g_assert_cmpuint (msc_region_table_type (table, 17), ==, MSC_TYPE_IMAGE);
  g_assert_cmpstr (msc_region_table_details (table, 25), ==, "");
  g_assert_cmpuint (msc_region_table_parent (table, 25), ==, MSC_NO_PARENT);
  core_fixture_clear (&f);
}

static void
test_find (void)
{
  CoreFixture f;
  const MscRegionTable *table;

  core_fixture_main (&f);
  table = f.tables[1];
  /* Before the first region, at starts, inside, last byte, one past the end. */
  g_assert_cmpuint (msc_region_table_find (table, 0), ==, MSC_NO_PARENT);
  g_assert_cmpuint (msc_region_table_find (table, 0xFFFF), ==, MSC_NO_PARENT);
  g_assert_cmpuint (msc_region_table_find (table, 0x10000), ==, 0);
  g_assert_cmpuint (msc_region_table_find (table, 0x10000 + 139263), ==, 0);
  g_assert_cmpuint (msc_region_table_find (table, 0x10000 + 139264), ==, 2);  /* next one starts */
  g_assert_cmpuint (msc_region_table_find (table, 0x32000), ==, 2);
  g_assert_cmpuint (msc_region_table_find (table, 0x40FF000), ==, 4);   /* a sub-block's address */
  g_assert_cmpuint (msc_region_table_find (table, 0x41C6123), ==, 7);
  g_assert_cmpuint (msc_region_table_find (table, 0x10154000), ==, 17);
  g_assert_cmpuint (msc_region_table_find (table, 0x10201FFF), ==, 23);
  g_assert_cmpuint (msc_region_table_find (table, 0x10202000), ==, MSC_NO_PARENT);
  g_assert_cmpuint (msc_region_table_find (table, UINT64_MAX), ==, MSC_NO_PARENT);
  core_fixture_clear (&f);

  /* Empty table. */
  {
    MscRegionTable *empty = msc_region_table_new ();

    g_assert_cmpuint (msc_region_table_find (empty, 0x1000), ==, MSC_NO_PARENT);
    msc_region_table_free (empty);
  }
}

/* Every address of a large table, against a linear search. */
static void
test_find_large (void)
{
  MscRegionTable *table = core_make_large_table (20000);
  size_t n = msc_region_table_length (table);
  size_t expected = MSC_NO_PARENT;

  for (size_t i = 0; i < n; i++)
    {
      MscRegion region = msc_region_table_row (table, i);

      if (region.flags & MSC_REGION_SUBBLOCK)
        continue;
      expected = i;
      g_assert_cmpuint (msc_region_table_find (table, region.address), ==, expected);
      g_assert_cmpuint (msc_region_table_find (table, region.address + region.size / 2), ==, expected);
      g_assert_cmpuint (msc_region_table_find (table, region.address + region.size - 1), ==, expected);
    }
  {
    MscRegion last = msc_region_table_row (table, expected);

    g_assert_cmpuint (msc_region_table_find (table, last.address + last.size), ==, MSC_NO_PARENT);
  }
  msc_region_table_free (table);
}

/* Out-of-order input still finds (by a linear scan). */
static void
test_find_unsorted (void)
{
  MscRegionTable *table = msc_region_table_new ();
  MscRegion a = region_at (0x5000, 0x1000, 0);
  MscRegion b = region_at (0x1000, 0x1000, 0);
  MscRegion c = region_at (0x1800, 0x100, 0);  /* overlaps b */

  g_assert_cmpint (msc_region_table_append (table, &a, NULL), ==, 0);
  g_assert_cmpint (msc_region_table_append (table, &b, NULL), ==, 0);
  g_assert_cmpint (msc_region_table_append (table, &c, NULL), ==, 0);
  g_assert_cmpuint (msc_region_table_find (table, 0x5800), ==, 0);
  g_assert_cmpuint (msc_region_table_find (table, 0x1000), ==, 1);
  g_assert_cmpuint (msc_region_table_find (table, 0x1850), ==, 1);
  g_assert_cmpuint (msc_region_table_find (table, 0x3000), ==, MSC_NO_PARENT);
  msc_region_table_free (table);
}

static void
test_append_errors (void)
{
  MscRegionTable *table = msc_region_table_new ();
  MscRegion sub = region_at (0x1000, 0x1000, MSC_REGION_SUBBLOCK);
  MscRegion bad = region_at (0x1000, 0x1000, 0);

  g_assert_cmpint (msc_region_table_append (table, &sub, "orphan"), ==, -1);
  bad.type = MSC_N_TYPES;
  g_assert_cmpint (msc_region_table_append (table, &bad, NULL), ==, -1);
  g_assert_cmpuint (msc_region_table_length (table), ==, 0);

  /* The sink callback stops the scan (non-zero) on the same errors. */
  g_assert_cmpint (msc_region_table_sink (table, &sub, NULL), !=, 0);
  bad.type = MSC_TYPE_HEAP;
  g_assert_cmpint (msc_region_table_sink (table, &bad, "Heap ID: 1"), ==, 0);
  g_assert_cmpint (msc_region_table_sink (table, &sub, NULL), ==, 0);
  g_assert_cmpuint (msc_region_table_length (table), ==, 2);
  g_assert_cmpuint (msc_region_table_n_children (table, 0), ==, 1);
  msc_region_table_free (table);
}

/* Identical details are stored once: the same pointer, and a million more
 * references cost no pool memory. */
static void
test_interning (void)
{
  MscRegionTable *table = msc_region_table_new ();
  char *copy = g_strdup ("/usr/lib/x86_64-linux-gnu/libc.so.6");

  for (int i = 0; i < 3; i++)
    {
      MscRegion region = region_at (0x1000 * (i + 1), 0x1000, 0);

      g_assert_cmpint (msc_region_table_append (table, &region, i == 1 ? copy : "/usr/lib/x86_64-linux-gnu/libc.so.6"), ==, 0);
    }
  g_assert_true (msc_region_table_details (table, 0) == msc_region_table_details (table, 1));
  g_assert_true (msc_region_table_details (table, 1) == msc_region_table_details (table, 2));
  g_assert_true (msc_region_table_details (table, 1) != copy);
  g_assert_cmpstr (msc_region_table_details (table, 1), ==, copy);

  /* Distinct strings stay distinct, including prefixes and NULL vs "". */
  {
    MscRegion r = region_at (0x10000, 0x1000, 0);
    MscRegion s = region_at (0x20000, 0x1000, 0);
    MscRegion t = region_at (0x30000, 0x1000, 0);

    g_assert_cmpint (msc_region_table_append (table, &r, "/usr/lib/x86_64-linux-gnu/libc.so"), ==, 0);
    g_assert_cmpint (msc_region_table_append (table, &s, NULL), ==, 0);
    g_assert_cmpint (msc_region_table_append (table, &t, ""), ==, 0);
    g_assert_cmpstr (msc_region_table_details (table, 3), ==, "/usr/lib/x86_64-linux-gnu/libc.so");
    g_assert_cmpstr (msc_region_table_details (table, 4), ==, "");
    g_assert_true (msc_region_table_details (table, 4) == msc_region_table_details (table, 5));
  }

  g_free (copy);
  msc_region_table_free (table);
}

/* Appends 5000 distinct "Thread ID: i" strings, then 5000 sub-blocks whose
 * details are those strings again (repeat) or empty. */
static MscRegionTable *
interning_table (gboolean repeat)
{
  MscRegionTable *table = msc_region_table_new ();

  for (int pass = 0; pass < 2; pass++)
    for (int i = 0; i < 5000; i++)
      {
        g_autofree char *name = g_strdup_printf ("Thread ID: %d", i);
        MscRegion region = region_at (0x100000 + (uint64_t) i * 0x1000, 0x1000,
                                      pass ? MSC_REGION_SUBBLOCK : 0);

        g_assert_cmpint (msc_region_table_append (table, &region, pass && !repeat ? "" : name), ==, 0);
      }
  return table;
}

/* Repeated details cost nothing: a table that references 5000 strings twice
 * is exactly as big as one that references them once. */
static void
test_interning_memory (void)
{
  MscRegionTable *repeated = interning_table (TRUE);
  MscRegionTable *once = interning_table (FALSE);

  g_assert_cmpuint (msc_region_table_memory_size (repeated), ==, msc_region_table_memory_size (once));
  for (size_t i = 0; i < 5000; i++)
    g_assert_true (msc_region_table_details (repeated, i) == msc_region_table_details (repeated, 5000 + i));
  g_assert_cmpstr (msc_region_table_details (repeated, 9999), ==, "Thread ID: 4999");
  g_assert_cmpstr (msc_region_table_details (once, 9999), ==, "");
  msc_region_table_free (repeated);
  msc_region_table_free (once);
}

/* The pool grows in chunks that never move: strings of every length,
 * many crossing where a chunk would end and some longer than a chunk,
 * read back as written, and a table sharing the pool stores none again. */
static void
test_shared_pool (void)
{
  MscRegionTable *table = msc_region_table_new ();
  MscRegionTable *sharing = msc_region_table_new_sharing (table);
  GPtrArray *strings = g_ptr_array_new_with_free_func (g_free);
  const char *first;
  size_t pool;

  for (guint i = 0; i < 3000; i++)
    {
      /* Lengths 1..300, and now and then 5,000 or 70,000 bytes. */
      gsize length = i % 997 == 5 ? 70000 : i % 101 == 3 ? 5000 : 1 + (i * 37) % 300;
      char *s = g_malloc (length + 1);
      MscRegion region = region_at (0x1000 * ((uint64_t) i + 1), 0x1000, 0);

      memset (s, 'a' + (int) (i % 26), length);
      g_snprintf (s, length + 1, "%u", i);
      s[strlen (s)] = length > strlen (s) ? '-' : '\0';
      s[length] = '\0';
      g_ptr_array_add (strings, s);
      g_assert_cmpint (msc_region_table_append (table, &region, s), ==, 0);
    }
  first = msc_region_table_details (table, 0);
  for (guint i = 0; i < strings->len; i++)
    g_assert_cmpstr (msc_region_table_details (table, i), ==, strings->pdata[i]);
  /* Nothing moved while the pool grew. */
  g_assert_true (msc_region_table_details (table, 0) == first);

  pool = msc_region_table_pool_size (table);
  for (guint i = 0; i < strings->len; i++)
    g_assert_cmpint (msc_region_table_append_from (sharing, table, i), ==, 0);
  g_assert_true (msc_region_table_shares_pool (table, sharing));
  g_assert_true (msc_region_table_pool_id (table) == msc_region_table_pool_id (sharing));
  g_assert_cmpuint (msc_region_table_pool_size (table), ==, pool);
  for (guint i = 0; i < strings->len; i++)
    {
      g_assert_true (msc_region_table_details (sharing, i) == msc_region_table_details (table, i));
      g_assert_true (msc_region_table_same (table, i, sharing, i));
    }
  /* The pool outlives the table that made it. */
  msc_region_table_free (table);
  g_assert_cmpstr (msc_region_table_details (sharing, strings->len - 1), ==, strings->pdata[strings->len - 1]);
  msc_region_table_free (sharing);
  g_ptr_array_unref (strings);
}

/* DEVELOPERS.md budget: <= 200 bytes per region in memory, measured on
 * 100,000 regions with a realistic details mix (core_make_large_table:
 * images with sections, heaps, one unique "Thread ID" per stack). */
static void
test_memory_budget (void)
{
  MscRegionTable *table = core_make_large_table (100000);
  size_t n = msc_region_table_length (table);
  double per_region = (double) msc_region_table_memory_size (table) / (double) n;

  g_assert_cmpuint (n, >=, 99995);
  g_test_message ("%zu regions: %.1f bytes/region", n, per_region);
  g_assert_cmpfloat (per_region, <=, 200.0);
  /* And it is an honest figure: at least the 84-byte rows themselves
   * (every figure here is a page multiple: nothing escaped). */
  g_assert_cmpuint (msc_region_table_n_escaped (table), ==, 0);
  g_assert_cmpfloat (per_region, >=, 84.0);
  msc_region_table_free (table);
}

/* Reads row i back and compares every byte with what was appended. */
static void
assert_row_is (const MscRegionTable *table, size_t i, const MscRegion *want)
{
  MscRegion got = msc_region_table_row (table, i);

  g_assert_cmpmem (&got, sizeof got, want, sizeof *want);
  g_assert_cmphex (msc_region_table_address (table, i), ==, want->address);
  g_assert_cmpuint (msc_region_table_type (table, i), ==, want->type);
}

/* The figures an MscRegion holds as 64-bit byte counts, by offset. */
static const size_t figure_offsets[] = {
  G_STRUCT_OFFSET (MscRegion, committed), G_STRUCT_OFFSET (MscRegion, private_bytes),
  G_STRUCT_OFFSET (MscRegion, total_ws), G_STRUCT_OFFSET (MscRegion, private_ws),
  G_STRUCT_OFFSET (MscRegion, shareable_ws), G_STRUCT_OFFSET (MscRegion, shared_ws),
  G_STRUCT_OFFSET (MscRegion, locked_ws), G_STRUCT_OFFSET (MscRegion, pss), G_STRUCT_OFFSET (MscRegion, swap),
};

/* Rows are stored packed (figures in 32-bit pages) with an escape to whole
 * MscRegions: every value must read back bit for bit, packed or escaped,
 * on a top-level row or a sub-block. */
static void
test_packing (void)
{
  /* Packs: 0, a page, the largest page count below the escape marker.
   * Escapes: off a page (low and high bits), the marker's page count,
   * 2^44, values near 2^64. */
  static const struct { uint64_t value; gboolean packs; } values[] = {
    { 0, TRUE }, { 4096, TRUE }, { G_GUINT64_CONSTANT (0xFFFFFFFE) << 12, TRUE },
    { 1, FALSE }, { 4095, FALSE }, { 4097, FALSE }, { G_GUINT64_CONSTANT (0xFFFFFFFF) << 12, FALSE },
    { G_GUINT64_CONSTANT (1) << 44, FALSE }, { (G_GUINT64_CONSTANT (1) << 44) + 4096, FALSE },
    { G_GUINT64_CONSTANT (1) << 63, FALSE }, { UINT64_MAX - 4095, FALSE }, { UINT64_MAX, FALSE },
  };
  MscRegionTable *table = msc_region_table_new ();
  MscRegionTable *other = msc_region_table_new_sharing (table);
  GArray *want = g_array_new (FALSE, FALSE, sizeof (MscRegion));
  size_t escaped = 0;
  MscRegion top = region_at (UINT64_MAX - 0xFFFFF, 0x100000, 0);

  /* u32, u16 and u8 fields at their maximum, addresses at the top of the
   * address space: stored as they are. */
  top.blocks = top.protection = top.storage = top.heap_id = top.thread_id = UINT32_MAX;
  top.flags = UINT16_MAX & ~MSC_REGION_SUBBLOCK;
  top.type = MSC_N_TYPES - 1;
  top.perms = UINT8_MAX;
  top.committed = top.private_bytes = G_GUINT64_CONSTANT (0xFFFFFFFE) << 12;
  g_assert_cmpint (msc_region_table_append (table, &top, "top"), ==, 0);
  g_array_append_val (want, top);
  for (size_t f = 0; f < G_N_ELEMENTS (figure_offsets); f++)
    for (size_t v = 0; v < G_N_ELEMENTS (values); v++)
      {
        MscRegion sub = region_at (UINT64_MAX - 0xFFFFF + v * 4096, 4096, (f + v) % 2 ? MSC_REGION_SUBBLOCK : 0);

        sub.flags |= MSC_REGION_PSS_KNOWN;
        sub.committed = sub.swap = 8192;
        G_STRUCT_MEMBER (uint64_t, &sub, figure_offsets[f]) = values[v].value;
        sub.thread_id = UINT32_MAX - (uint32_t) v;
        g_assert_cmpint (msc_region_table_append (table, &sub, (f + v) % 3 ? "x" : NULL), ==, 0);
        g_array_append_val (want, sub);
        escaped += !values[v].packs;
      }
  g_assert_cmpuint (msc_region_table_n_escaped (table), ==, escaped);
  for (size_t i = 0; i < want->len; i++)
    {
      assert_row_is (table, i, &g_array_index (want, MscRegion, i));
      g_assert_cmpstr (msc_region_table_details (table, i), ==, i == 0 ? "top" : ((i - 1) % 12 + (i - 1) / 12) % 3 ? "x" : "");
      g_assert_true (msc_region_table_same (table, i, table, i));
      /* Copies, escaped rows too, between tables sharing a pool. */
      g_assert_cmpint (msc_region_table_append_from (other, table, i), ==, 0);
    }
  g_assert_cmpuint (msc_region_table_n_escaped (other), ==, escaped);
  g_assert_cmpuint (msc_region_table_parent (table, 2), ==, msc_region_table_parent (other, 2));
  g_assert_cmpuint (msc_region_table_n_children (table, 1), ==, msc_region_table_n_children (other, 1));
  for (size_t i = 0; i < want->len; i++)
    {
      MscRegionTable *one = msc_region_table_new_sharing (table);
      MscRegion changed = g_array_index (want, MscRegion, i);
      const char *details = msc_region_table_details (table, i);

      assert_row_is (other, i, &changed);
      g_assert_true (msc_region_table_same (table, i, other, i));
      /* The same region in another table's rows (its own overflow index
       * when escaped) is the same; one bit less in a figure is not. */
      g_assert_cmpint (msc_region_table_append (one, &top, "top"), ==, 0);
      g_assert_cmpint (msc_region_table_append (one, &changed, details), ==, 0);
      changed.swap ^= 1;
      g_assert_cmpint (msc_region_table_append (one, &changed, details), ==, 0);
      changed.swap ^= 1;
      changed.perms ^= 0x80;  /* the last byte of a packed row */
      g_assert_cmpint (msc_region_table_append (one, &changed, details), ==, 0);
      assert_row_is (one, 3, &changed);
      g_assert_true (msc_region_table_same (table, i, one, 1));
      g_assert_false (msc_region_table_same (table, i, one, 2));
      g_assert_false (msc_region_table_same (table, i, one, 3));
      msc_region_table_free (one);
    }
  g_array_unref (want);
  msc_region_table_free (other);
  msc_region_table_free (table);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/region-table/hierarchy", test_hierarchy);
  g_test_add_func ("/region-table/find", test_find);
  g_test_add_func ("/region-table/find-large", test_find_large);
  g_test_add_func ("/region-table/find-unsorted", test_find_unsorted);
  g_test_add_func ("/region-table/append-errors", test_append_errors);
  g_test_add_func ("/region-table/interning", test_interning);
  g_test_add_func ("/region-table/interning-memory", test_interning_memory);
  g_test_add_func ("/region-table/memory-budget", test_memory_budget);
  g_test_add_func ("/region-table/packing", test_packing);
  g_test_add_func ("/region-table/shared-pool", test_shared_pool);
  return g_test_run ();
}
