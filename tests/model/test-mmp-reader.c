/* test-mmp-reader.c — the .mmp reader against hand-made files in
 * tests/data/model/ whose every figure is worked out by hand below. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gstdio.h>

#include "model/core/msc-format.h"
#include "model/msc-loader.h"
#include "tests/model/model-test-util.h"

typedef struct {
  guint64     address;
  guint64     size;
  gboolean    sub;
  MscUseType  type;
  const char *details;
} ExpectedRegion;

static void
assert_regions (const MscRegionTable *table, const ExpectedRegion *expected, size_t n)
{
  g_assert_cmpuint (msc_region_table_length (table), ==, n);
  for (size_t i = 0; i < n; i++)
    {
      MscRegion region = msc_region_table_row (table, i);

      g_test_message ("region %zu", i);
      g_assert_cmpuint (region.address, ==, expected[i].address);
      g_assert_cmpuint (region.size, ==, expected[i].size);
      g_assert_cmpint (!!(region.flags & MSC_REGION_SUBBLOCK), ==, !!expected[i].sub);
      g_assert_cmpint (region.type, ==, expected[i].type);
      g_assert_cmpstr (msc_region_table_details (table, i), ==, expected[i].details);
      if (expected[i].sub)
        g_assert_cmpuint (region.blocks, ==, 0);
    }
}

/* Sum of the sub-blocks' sizes of top-level region i: must equal its size. */
static guint64
children_size (const MscRegionTable *table, size_t i)
{
  guint64 sum = 0;

  for (size_t k = 1; k <= msc_region_table_n_children (table, i); k++)
    {
      g_assert_cmpuint (msc_region_table_parent (table, i + k), ==, i);
      sum += msc_region_table_row (table, i + k).size;
    }
  return sum;
}

static void
assert_row (const MscSummaryRow *row, guint64 size, guint64 committed, guint64 private_bytes,
            guint64 total_ws, guint64 private_ws, guint64 shareable_ws, guint64 shared_ws,
            guint64 blocks)
{
  g_assert_cmpuint (row->size, ==, size);
  g_assert_cmpuint (row->committed, ==, committed);
  g_assert_cmpuint (row->private_bytes, ==, private_bytes);
  g_assert_cmpuint (row->total_ws, ==, total_ws);
  g_assert_cmpuint (row->private_ws, ==, private_ws);
  g_assert_cmpuint (row->shareable_ws, ==, shareable_ws);
  g_assert_cmpuint (row->shared_ws, ==, shared_ws);
  g_assert_cmpuint (row->blocks, ==, blocks);
}

/* flat.mmp: VMMap's attributes only, sub-blocks flat. */
static void
test_flat (void)
{
  g_autoptr(MscSession) session = model_load ("flat.mmp");
  MscProcess *process = msc_session_get_process (session);
  MscSnapshot *snapshot;
  const MscRegionTable *table;
  const MscSummary *summary;
  MscRegion image, stack;
  static const ExpectedRegion expected[] = {
    { 65536, 1048576, FALSE, MSC_TYPE_IMAGE, "C:\\Windows\\notepad.exe" },
    { 65536, 4096, TRUE, MSC_TYPE_IMAGE, "Header" },
    { 69632, 8192, TRUE, MSC_TYPE_IMAGE, ".text" },
    { 77824, 1036288, TRUE, MSC_TYPE_IMAGE, ".data" },
    { 2097152, 262144, FALSE, MSC_TYPE_HEAP, "Heap ID: 1 [LOW FRAGMENTATION]" },
    { 2097152, 131072, TRUE, MSC_TYPE_HEAP, "" },
    { 2228224, 131072, TRUE, MSC_TYPE_HEAP, "" },
    { 3145728, 1048576, FALSE, MSC_TYPE_STACK, "Thread ID: 812" },
    { 3145728, 1032192, TRUE, MSC_TYPE_STACK, "" },
    { 4177920, 4096, TRUE, MSC_TYPE_STACK, "" },
    { 4182016, 12288, TRUE, MSC_TYPE_STACK, "" },
    { 5242880, 65536, FALSE, MSC_TYPE_PRIVATE_DATA, "" },
    { 5308416, 10485760, FALSE, MSC_TYPE_FREE, "" },
    { 15794176, 61440, FALSE, MSC_TYPE_UNUSABLE, "" },
  };

  g_assert_cmpuint (msc_process_get_pid (process), ==, 1234);
  g_assert_cmpstr (msc_process_get_name (process), ==, "notepad.exe");
  g_assert_cmpuint (msc_process_get_bits (process), ==, 64);
  g_assert_cmpstr (msc_process_get_os (process), ==, "Windows 10.0.19045");
  g_assert_cmpstr (msc_process_get_user (process), ==, "alice");
  g_assert_cmpstr (msc_process_get_command_line (process), ==, "notepad.exe C:\\notes.txt");

  g_assert_cmpuint (msc_session_get_n_snapshots (session), ==, 1);
  snapshot = msc_session_get_latest (session);
  g_assert_cmpuint (msc_snapshot_get_timestamp (snapshot), ==, 133500000000000000);
  g_assert_cmpuint (msc_snapshot_get_page_table_size (snapshot), ==, 65536);
  g_assert_cmpuint (msc_snapshot_get_commit_charge (snapshot), ==, 0);
  g_assert_null (msc_snapshot_get_notes (snapshot));

  table = msc_snapshot_get_regions (snapshot);
  assert_regions (table, expected, G_N_ELEMENTS (expected));
  g_assert_cmpuint (msc_region_table_n_top_level (table), ==, 6);
  /* Sub-blocks add up to their allocation: 4096 + 8192 + 1036288,
   * 131072 + 131072, 1032192 + 4096 + 12288. */
  g_assert_cmpuint (msc_region_table_n_children (table, 0), ==, 3);
  g_assert_cmpuint (children_size (table, 0), ==, 1048576);
  g_assert_cmpuint (children_size (table, 4), ==, 262144);
  g_assert_cmpuint (children_size (table, 7), ==, 1048576);
  g_assert_cmpuint (msc_region_table_n_children (table, 11), ==, 0);

  image = msc_region_table_row (table, 0);
  g_assert_true (image.flags & MSC_REGION_ASLR);
  g_assert_cmpuint (image.blocks, ==, 3);
  g_assert_cmpuint (image.storage, ==, MSC_MEM_IMAGE);
  g_assert_cmpuint (image.protection, ==, MSC_PAGE_READONLY);
  /* No TotalWS attribute: PrivateWS + ShareableWS = 0 + 8192. */
  g_assert_cmpuint (image.total_ws, ==, 8192);
  g_assert_cmpuint (msc_region_table_row (table, 2).protection, ==, MSC_PAGE_EXECUTE_READ);
  g_assert_cmpuint (msc_region_table_row (table, 4).heap_id, ==, 1);
  stack = msc_region_table_row (table, 7);
  /* No ThreadId attribute: taken from Details "Thread ID: 812". */
  g_assert_cmpuint (stack.thread_id, ==, 812);
  g_assert_cmpuint (msc_region_table_row (table, 9).protection, ==, MSC_PAGE_READWRITE | MSC_PAGE_GUARD);

  /* Summary by hand (top-level regions only):
   *   Image    1048576 / 16384 committed / 0 private / WS 8192 = 0 + 8192 shareable, 4096 shared, 3 blocks
   *   Heap      262144 / 131072 / 131072 / WS 65536 private, 2 blocks
   *   Stack    1048576 / 16384 / 16384 / WS 12288 private, 3 blocks
   *   Private    65536 / 65536 / 65536 / WS 4096 private, 1 block
   *   PageTable  65536 everywhere (PageTableSize)
   *   Unusable   61440, Blocks empty as VMMap (formats.md §3.2);  Free 10485760, 1 block
   *   Total size 1048576+262144+1048576+65536+65536+61440 = 2551808 (no Free)
   *   committed 16384+131072+16384+65536+65536 = 294912
   *   private   131072+16384+65536+65536 = 278528
   *   total WS  8192+65536+12288+4096+65536 = 155648; private WS 147456
   *   blocks    3+2+3+1 = 9 (neither Unusable nor Free) */
  summary = msc_snapshot_get_summary (snapshot);
  assert_row (&summary->types[MSC_TYPE_IMAGE], 1048576, 16384, 0, 8192, 0, 8192, 4096, 3);
  assert_row (&summary->types[MSC_TYPE_HEAP], 262144, 131072, 131072, 65536, 65536, 0, 0, 2);
  assert_row (&summary->types[MSC_TYPE_STACK], 1048576, 16384, 16384, 12288, 12288, 0, 0, 3);
  assert_row (&summary->types[MSC_TYPE_PRIVATE_DATA], 65536, 65536, 65536, 4096, 4096, 0, 0, 1);
  assert_row (&summary->types[MSC_TYPE_PAGE_TABLE], 65536, 65536, 65536, 65536, 65536, 0, 0, 0);
  assert_row (&summary->types[MSC_TYPE_UNUSABLE], 61440, 0, 0, 0, 0, 0, 0, 0);
  assert_row (&summary->types[MSC_TYPE_FREE], 10485760, 0, 0, 0, 0, 0, 0, 1);
  assert_row (&summary->total, 2551808, 294912, 278528, 155648, 147456, 8192, 4096, 9);
  g_assert_cmpuint (summary->types[MSC_TYPE_IMAGE].largest, ==, 1048576);
  g_assert_true (msc_snapshot_get_summary (snapshot) == summary);
}

/* nested.mmp: sub-blocks as child elements, unknown root, no Process. */
static void
test_nested (void)
{
  g_autoptr(MscSession) session = model_load ("nested.mmp");
  MscProcess *process = msc_session_get_process (session);
  MscSnapshot *snapshot = msc_session_get_latest (session);
  const MscRegionTable *table = msc_snapshot_get_regions (snapshot);
  const MscSummary *summary;
  const char *font = "C:\\Windows\\Fonts\\a&b <font> \"x\".ttf";
  const ExpectedRegion expected[] = {
    { 3145728, 704512, FALSE, MSC_TYPE_IMAGE, "C:\\Program Files (x86)\\App\\devenv.exe" },
    { 3145728, 4096, TRUE, MSC_TYPE_IMAGE, "Header" },
    { 3149824, 700416, TRUE, MSC_TYPE_IMAGE, ".text" },
    { 8388608, 1245184, FALSE, MSC_TYPE_MAPPED_FILE, font },
    { 8388608, 1245184, TRUE, MSC_TYPE_MAPPED_FILE, font },
    { 16777216, 131072, FALSE, MSC_TYPE_SHAREABLE, "" },
    { 16777216, 65536, TRUE, MSC_TYPE_SHAREABLE, "" },
    { 16842752, 65536, TRUE, MSC_TYPE_SHAREABLE, "" },
    { 33554432, 65536, FALSE, MSC_TYPE_HEAP, "Heap ID: 2 [COMPATABILITY]" },
    { 50331648, 16777216, FALSE, MSC_TYPE_MANAGED_HEAP, "GC" },
    { 50331648, 1048576, TRUE, MSC_TYPE_MANAGED_HEAP, "GC" },
    { 51380224, 15728640, TRUE, MSC_TYPE_MANAGED_HEAP, "GC" },
    { 67108864, 2147483648, FALSE, MSC_TYPE_FREE, "" },
  };

  /* No Process element: pid 0, named after the file without ".mmp". */
  g_assert_cmpuint (msc_process_get_pid (process), ==, 0);
  g_assert_cmpstr (msc_process_get_name (process), ==, "nested");
  g_assert_cmpuint (msc_process_get_bits (process), ==, 0);
  g_assert_null (msc_process_get_os (process));

  g_assert_cmpuint (msc_snapshot_get_timestamp (snapshot), ==, 131665119834000000);
  assert_regions (table, expected, G_N_ELEMENTS (expected));
  g_assert_cmpuint (msc_region_table_n_top_level (table), ==, 6);
  /* 4096 + 700416; 65536 + 65536; 1048576 + 15728640. */
  g_assert_cmpuint (children_size (table, 0), ==, 704512);
  g_assert_cmpuint (children_size (table, 5), ==, 131072);
  g_assert_cmpuint (children_size (table, 9), ==, 16777216);
  g_assert_false (msc_region_table_row (table, 0).flags & MSC_REGION_ASLR);
  g_assert_true (msc_region_table_row (table, 8).flags & MSC_REGION_SHAREABLE_HEAP);
  g_assert_cmpuint (msc_region_table_row (table, 8).heap_id, ==, 2);

  /* By hand: Image WS = 8192 private + 69632 shareable = 77824;
   * Total size = 704512+1245184+131072+65536+16777216+33144832 = 52068352;
   * committed = 704512+1245184+65536+65536+1048576+33144832 = 36274176;
   * private = 20480+1048576+33144832 = 34213888;
   * total WS = 77824+262144+32768+16384+524288+33144832 = 34058240;
   * private WS = 8192+524288+33144832 = 33677312;
   * shareable WS = 69632+262144+32768+16384 = 380928; shared 69632+32768;
   * blocks = 2+1+2+1+2 = 8. */
  summary = msc_snapshot_get_summary (snapshot);
  assert_row (&summary->types[MSC_TYPE_IMAGE], 704512, 704512, 20480, 77824, 8192, 69632, 69632, 2);
  assert_row (&summary->types[MSC_TYPE_MAPPED_FILE], 1245184, 1245184, 0, 262144, 0, 262144, 0, 1);
  assert_row (&summary->types[MSC_TYPE_SHAREABLE], 131072, 65536, 0, 32768, 0, 32768, 32768, 2);
  assert_row (&summary->types[MSC_TYPE_HEAP], 65536, 65536, 0, 16384, 0, 16384, 0, 1);
  assert_row (&summary->types[MSC_TYPE_MANAGED_HEAP], 16777216, 1048576, 1048576, 524288, 524288, 0, 0, 2);
  assert_row (&summary->total, 52068352, 36274176, 34213888, 34058240, 33677312, 380928, 102400, 8);
}

/* utf16le.mmp: UTF-16LE with a BOM; text must come out as UTF-8. */
static void
test_utf16 (void)
{
  g_autoptr(MscSession) session = model_load ("utf16le.mmp");
  g_autoptr(GBytes) raw = model_data_bytes ("utf16le.mmp");
  const guint8 *bytes = g_bytes_get_data (raw, NULL);
  const MscRegionTable *table = model_regions (session, 0);

  /* The file really is UTF-16LE with a BOM: FF FE '<' 00. */
  g_assert_cmphex (bytes[0], ==, 0xFF);
  g_assert_cmphex (bytes[1], ==, 0xFE);
  g_assert_cmphex (bytes[2], ==, '<');
  g_assert_cmphex (bytes[3], ==, 0);

  g_assert_cmpstr (msc_process_get_name (msc_session_get_process (session)), ==,
                   "J\xC3\xB6rg\xE2\x80\x99s \xC3\x9C" "bersetzer.exe");
  g_assert_cmpuint (msc_process_get_bits (msc_session_get_process (session)), ==, 32);
  g_assert_cmpuint (msc_region_table_length (table), ==, 3);
  g_assert_cmpstr (msc_region_table_details (table, 0), ==,
                   "C:\\Users\\J\xC3\xB6rg\\\xD0\x94\xD0\xBE\xD0\xBA\xD1\x83\xD0\xBC\xD0\xB5\xD0\xBD\xD1\x82\xD1\x8B"
                   "\\\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E.dll");
  g_assert_cmpstr (msc_region_table_details (table, 2), ==, ".text \xE2\x82\xAC");
  /* 4096 + 12288 = 16384; WS missing → 4096 private + 12288 shareable. */
  g_assert_cmpuint (children_size (table, 0), ==, 16384);
  g_assert_cmpuint (msc_region_table_row (table, 0).total_ws, ==, 16384);
}

/* unknown.mmp: unknown root, elements, attributes; a harmless DOCTYPE. */
static void
test_unknown (void)
{
  g_autoptr(MscSession) session = model_load ("unknown.mmp");
  MscProcess *process = msc_session_get_process (session);
  MscSnapshot *snapshot = msc_session_get_latest (session);
  const MscRegionTable *table = msc_snapshot_get_regions (snapshot);
  MscRegion first, second;

  g_assert_cmpuint (msc_process_get_pid (process), ==, 4321);
  g_assert_cmpstr (msc_process_get_name (process), ==, "game.exe");
  g_assert_cmpuint (msc_process_get_bits (process), ==, 32);
  g_assert_cmpuint (msc_session_get_n_snapshots (session), ==, 1);
  g_assert_cmpuint (msc_snapshot_get_timestamp (snapshot), ==, 133000000000000000);
  g_assert_cmpuint (msc_snapshot_get_page_table_size (snapshot), ==, 8192);
  g_assert_cmpuint (msc_snapshot_get_n_threads (snapshot), ==, 7);

  /* The CDATA "<Region .../>" is text, the Allocation is not a region. */
  g_assert_cmpuint (msc_region_table_length (table), ==, 2);
  first = msc_region_table_row (table, 0);
  g_assert_cmpuint (first.address, ==, 1048576);
  g_assert_cmpuint (first.size, ==, 8192);
  g_assert_cmpuint (first.committed, ==, 4096);
  g_assert_cmpuint (first.total_ws, ==, 4096);
  g_assert_cmpuint (first.locked_ws, ==, 4096);
  g_assert_cmpint (first.type, ==, MSC_TYPE_PRIVATE_DATA);
  g_assert_cmpuint (first.blocks, ==, 1);
  g_assert_cmpstr (msc_region_table_details (table, 0), ==, "");
  second = msc_region_table_row (table, 1);
  g_assert_false (second.flags & MSC_REGION_SUBBLOCK);
  /* "shareable": Type is matched case-insensitively. */
  g_assert_cmpint (second.type, ==, MSC_TYPE_SHAREABLE);
  g_assert_cmpuint (second.total_ws, ==, 4096);
  g_assert_cmpuint (second.shared_ws, ==, 4096);
  g_assert_cmpstr (msc_region_table_details (table, 1), ==, "\\Sessions\\1\\BaseNamedObjects\\x");
}

/* two-snapshots.mmp: the later snapshot is written first. */
static void
test_two_snapshots (void)
{
  g_autoptr(MscSession) session = model_load ("two-snapshots.mmp");
  MscSnapshot *first, *second;

  g_assert_cmpuint (msc_session_get_n_snapshots (session), ==, 2);
  first = msc_session_get_snapshot (session, 0);
  second = msc_session_get_snapshot (session, 1);
  g_assert_true (msc_session_get_latest (session) == second);
  g_assert_cmpuint (msc_snapshot_get_timestamp (first), ==, 133500000000000000);
  g_assert_cmpuint (msc_snapshot_get_timestamp (second), ==, 133500000600000000);
  g_assert_cmpuint (msc_snapshot_get_page_table_size (first), ==, 8192);
  g_assert_cmpuint (msc_snapshot_get_page_table_size (second), ==, 12288);
  g_assert_cmpuint (msc_snapshot_get_commit_charge (second), ==, 3145728);
  g_assert_cmpuint (msc_snapshot_get_n_threads (second), ==, 3);
  g_assert_cmpstr (msc_snapshot_get_notes (second), ==, "second scan");
  g_assert_null (msc_snapshot_get_notes (first));
  g_assert_cmpuint (msc_region_table_length (msc_snapshot_get_regions (first)), ==, 1);
  g_assert_cmpuint (msc_region_table_length (msc_snapshot_get_regions (second)), ==, 2);
  /* Private Data: 1 MiB first, 3 MiB + 4 KiB a minute later (600000000 ticks). */
  g_assert_cmpuint (msc_snapshot_get_summary (first)->types[MSC_TYPE_PRIVATE_DATA].size, ==, 1048576);
  g_assert_cmpuint (msc_snapshot_get_summary (second)->types[MSC_TYPE_PRIVATE_DATA].size, ==, 3149824);
}

/* no-process.mmp: no Process, no Snapshot, no Type attributes. */
static void
test_no_process (void)
{
  g_autoptr(MscSession) session = model_load ("no-process.mmp");
  MscProcess *process = msc_session_get_process (session);
  MscSnapshot *snapshot = msc_session_get_latest (session);
  const MscRegionTable *table = msc_snapshot_get_regions (snapshot);
  static const ExpectedRegion expected[] = {
    { 4096, 12288, FALSE, MSC_TYPE_STACK, "Thread ID: 4711" },
    { 4096, 4096, TRUE, MSC_TYPE_STACK, "" },
    { 8192, 8192, TRUE, MSC_TYPE_STACK, "" },
    /* UseType 9 names nothing known and there is no Type: Private Data. */
    { 16384, 4096, FALSE, MSC_TYPE_PRIVATE_DATA, "unknown code" },
  };

  g_assert_cmpuint (msc_process_get_pid (process), ==, 0);
  g_assert_cmpstr (msc_process_get_name (process), ==, "no-process");
  g_assert_cmpuint (msc_session_get_n_snapshots (session), ==, 1);
  g_assert_cmpuint (msc_snapshot_get_timestamp (snapshot), ==, 0);
  g_assert_cmpuint (msc_snapshot_get_page_table_size (snapshot), ==, 0);
  assert_regions (table, expected, G_N_ELEMENTS (expected));
  g_assert_cmpuint (msc_region_table_row (table, 0).thread_id, ==, 4711);
  /* Missing numbers are 0: the reserved sub-block has no Commit. */
  g_assert_cmpuint (msc_region_table_row (table, 1).committed, ==, 0);
  g_assert_cmpuint (msc_region_table_row (table, 2).private_ws, ==, 8192);
  g_assert_cmpuint (msc_region_table_row (table, 2).total_ws, ==, 8192);
}

/* Figures the table cannot pack as 32-bit page counts (off a page, at and
 * near 2^64) and 32-bit fields at their maximum: exact through a load, a
 * save and a second load, which saves the same bytes. */
static void
test_exact_figures (void)
{
  static const char xml[] =
    "<MemoryMap><Snapshot>"
    "<Region Address=\"0\" Size=\"18446744073708503040\" Commit=\"18446744073708503039\""
    " PrivateBytes=\"18446744073708498944\" LockedWS=\"17592186036224\""
    " Blocks=\"4294967295\" Id=\"4294967295\" ThreadId=\"4294967295\""
    " Protection=\"4\" Storage=\"131072\" UseType=\"4\" Details=\"odd\"/>"
    "<Region Address=\"18446744073708503040\" Size=\"8192\" Commit=\"8192\" TotalWS=\"4097\" PrivateWS=\"1\""
    " Protection=\"4\" Storage=\"131072\" UseType=\"4\"/>"
    "</Snapshot></MemoryMap>";
  g_autoptr(GBytes) data = g_bytes_new_static (xml, sizeof xml - 1);
  g_autoptr(MscSession) session = model_load_bytes (data, MSC_FILE_FORMAT_MMP);
  g_autoptr(MscSession) again = NULL;
  g_autoptr(GBytes) saved = NULL, saved_again = NULL;
  MscRegion r, odd;

  g_assert_cmpuint (msc_region_table_n_escaped (model_regions (session, 0)), ==, 2);
  r = model_region (session, 0, 0);
  /* 2^64 - 1 MiB: the most a region can span with room for the rest. */
  g_assert_cmpuint (r.size, ==, G_MAXUINT64 - 0xFFFFF);
  g_assert_cmpuint (r.committed, ==, G_MAXUINT64 - 0x100000);
  g_assert_cmpuint (r.private_bytes, ==, G_MAXUINT64 - 0xFFFFF - 4096);
  g_assert_cmpuint (r.locked_ws, ==, G_GUINT64_CONSTANT (0xFFFFFFFE) << 12);
  g_assert_cmpuint (r.blocks, ==, G_MAXUINT32);
  g_assert_cmpuint (r.heap_id, ==, G_MAXUINT32);
  g_assert_cmpuint (r.thread_id, ==, G_MAXUINT32);
  /* Escaped for one figure off a page alone. */
  odd = model_region (session, 0, 1);
  g_assert_cmpuint (odd.total_ws, ==, 4097);
  g_assert_cmpuint (odd.private_ws, ==, 1);
  saved = model_write (session, MSC_FILE_FORMAT_MMP);
  again = model_load_bytes (saved, MSC_FILE_FORMAT_MMP);
  for (size_t i = 0; i < 2; i++)
    {
      MscRegion a = model_region (session, 0, i), b = model_region (again, 0, i);

      g_assert_cmpmem (&a, sizeof a, &b, sizeof b);
    }
  saved_again = model_write (again, MSC_FILE_FORMAT_MMP);
  g_assert_true (g_bytes_equal (saved, saved_again));
}

/* unordered.mmp: sorted by address, parents first, sub-blocks rebuilt. */
static void
test_unordered (void)
{
  g_autoptr(MscSession) session = model_load ("unordered.mmp");
  const MscRegionTable *table = model_regions (session, 0);
  static const ExpectedRegion expected[] = {
    { 65536, 16384, FALSE, MSC_TYPE_IMAGE, "A" },
    { 65536, 8192, TRUE, MSC_TYPE_IMAGE, "A0" },
    { 73728, 8192, TRUE, MSC_TYPE_IMAGE, "A1" },
    { 81920, 966656, FALSE, MSC_TYPE_FREE, "" },
    { 1048576, 131072, FALSE, MSC_TYPE_PRIVATE_DATA, "B" },
    { 1048576, 65536, TRUE, MSC_TYPE_PRIVATE_DATA, "B1" },
    { 1114112, 65536, TRUE, MSC_TYPE_PRIVATE_DATA, "B2" },
  };

  assert_regions (table, expected, G_N_ELEMENTS (expected));
  g_assert_cmpuint (msc_region_table_n_top_level (table), ==, 3);
  g_assert_cmpuint (msc_region_table_find (table, 1114112 + 100), ==, 4);
  g_assert_cmpuint (msc_region_table_find (table, 70000), ==, 0);
}

/* The same bytes read from memory give the same regions; without a file
 * name an unnamed process stays unnamed. */
static void
test_memory (void)
{
  g_autoptr(GBytes) bytes = model_data_bytes ("no-process.mmp");
  g_autoptr(GError) error = NULL;
  g_autoptr(MscSession) session = NULL;
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  session = msc_loader_load_memory_as (data, length, MSC_FILE_FORMAT_MMP, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (msc_process_get_name (msc_session_get_process (session)), ==, "");
  g_assert_cmpuint (msc_region_table_length (model_regions (session, 0)), ==, 4);
  g_assert_cmpuint (model_region (session, 0, 0).thread_id, ==, 4711);
}

/* ---- bad input ---- */

typedef struct {
  const char *name;
  int         code;
  const char *needle;   /* besides the path */
  const char *needle2;
} BadFile;

static const BadFile bad_files[] = {
  { "bad-truncated.mmp", MSC_MMP_ERROR_MALFORMED, "line 6", NULL },
  { "bad-letters.mmp", MSC_MMP_ERROR_INVALID, "line 5", "Size=\"12a4\"" },
  { "bad-overflow.mmp", MSC_MMP_ERROR_INVALID, "line 4", "Address=\"18446744073709551616\"" },
  { "bad-overflow32.mmp", MSC_MMP_ERROR_INVALID, "line 6", "Blocks=\"4294967296\"" },
  { "bad-negative.mmp", MSC_MMP_ERROR_INVALID, "line 4", "Commit=\"-4096\"" },
  { "bad-billion-laughs.mmp", MSC_MMP_ERROR_UNSAFE, "DOCTYPE", NULL },
  { "bad-xxe.mmp", MSC_MMP_ERROR_UNSAFE, "DOCTYPE", NULL },
  { "bad-parameter-entity.mmp", MSC_MMP_ERROR_UNSAFE, "DOCTYPE", NULL },
  { "bad-external-dtd.mmp", MSC_MMP_ERROR_UNSAFE, "DOCTYPE", NULL },
  { "bad-garbage.bin", MSC_MMP_ERROR_MALFORMED, "line 1", NULL },
  /* An encoding error is the file's fault, said as such (and quietly). */
  { "bad-utf16-surrogate.mmp", MSC_MMP_ERROR_MALFORMED, "not well-formed XML", NULL },
  { "bad-empty.mmp", MSC_MMP_ERROR_MALFORMED, "empty", NULL },
  { "bad-no-region.mmp", MSC_MMP_ERROR_NO_SNAPSHOT, "no memory snapshot", NULL },
  /* Impossible captures (issue 15, defect 4): counted twice, wrapping the
   * Total, or not writable as an export our reader takes back. */
  { "bad-overlap.mmp", MSC_MMP_ERROR_INVALID, "line 5", "0x100000 (131072 bytes) overlaps the allocation at 0x10000" },
  { "bad-wrap.mmp", MSC_MMP_ERROR_INVALID, "line 5", "ends past the top" },
  { "bad-huge-commit.mmp", MSC_MMP_ERROR_INVALID, "line 5", "Commit=18446744073709551615, more than its size" },
  { "bad-page-table.mmp", MSC_MMP_ERROR_INVALID, "PageTableSize=18446744073709551615", NULL },
  { "bad-sub-overlap.mmp", MSC_MMP_ERROR_INVALID, "line 6", "sub-block at 0x11000 (8192 bytes) overlaps" },
  { "bad-tiny.mmp", MSC_MMP_ERROR_INVALID, "line 4", "smaller than 1 KB" },
  /* Found by the fuzzer: 9000 bytes at 0xDCD8 shows as 9 KB in a CSV, which
   * read back overhangs the allocation at 0x10000. */
  { "bad-unaligned.mmp", MSC_MMP_ERROR_INVALID, "line 4", "0xDCD8 (9000 bytes) does not start and end on a 1 KB boundary" },
  /* Found by the fuzzer: a broken billion laughs kept libxml2 busy for a
   * minute before the DOCTYPE node reached us. */
  { "bad-entity-slow.mmp", MSC_MMP_ERROR_UNSAFE, "DOCTYPE", NULL },
};

/* Refusing a file is quick: the fuzz goal's 1 s per input, with room for
 * a sanitizer build on a busy machine. */
#define MSC_BAD_FILE_SECONDS 5.0

static void
test_bad_files (void)
{
  for (size_t i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      g_autofree char *path = model_data_path (bad_files[i].name);
      g_autoptr(GError) error = NULL;
      g_autoptr(MscSession) session = NULL;
      g_autoptr(GTimer) timer = g_timer_new ();

      g_test_message ("%s", bad_files[i].name);
      session = msc_loader_load (path, NULL, &error);
      g_assert_cmpfloat (g_timer_elapsed (timer, NULL), <, MSC_BAD_FILE_SECONDS);
      g_assert_null (session);
      model_assert_error (error, MSC_MMP_ERROR, bad_files[i].code, path, bad_files[i].needle,
                          bad_files[i].needle2, NULL);
      /* Nothing of /etc/passwd may ever show up. */
      g_assert_null (strstr (error->message, "root:"));
    }
}

/* From memory there is no path: the line alone locates the problem. */
static void
test_bad_memory (void)
{
  for (size_t i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      g_autoptr(GBytes) bytes = model_data_bytes (bad_files[i].name);
      g_autoptr(GError) error = NULL;
      g_autoptr(MscSession) session = NULL;
      gsize length;
      const char *data = g_bytes_get_data (bytes, &length);

      g_test_message ("%s", bad_files[i].name);
      session = msc_loader_load_memory_as (data, length, MSC_FILE_FORMAT_MMP, &error);
      g_assert_null (session);
      model_assert_error (error, MSC_MMP_ERROR, bad_files[i].code, bad_files[i].needle,
                          bad_files[i].needle2, NULL);
    }
}

/* Every bad input fails quietly: libxml2 must not print anything. */
static void
test_bad_quiet (void)
{
  if (g_test_subprocess ())
    {
      test_bad_files ();
      test_bad_memory ();
      return;
    }
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("");
}

static char *
write_temp (const char *dir, const char *name, const char *contents, gssize length)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return path;
}

/* libxml2's limits stay on (no XML_PARSE_HUGE): a 20 MB attribute is
 * refused, not buffered. */
static void
test_huge_attribute (void)
{
  g_autofree char *dir = model_temp_dir ();
  g_autofree char *filler = g_strnfill (20 * 1024 * 1024, 'A');
  g_autoptr(GString) text = g_string_new ("<?xml version=\"1.0\"?>\n<MemoryMap>\n<Region Address=\"1\" Details=\"");
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(MscSession) session = NULL;

  g_string_append (text, filler);
  g_string_append (text, "\"/>\n</MemoryMap>\n");
  g_assert_cmpuint (text->len, >, 20 * 1024 * 1024);
  path = write_temp (dir, "huge.mmp", text->str, (gssize) text->len);

  session = msc_loader_load (path, NULL, &error);
  g_assert_null (session);
  model_assert_error (error, MSC_MMP_ERROR, MSC_MMP_ERROR_MALFORMED, path, "line 3", NULL);
  model_remove_tree (dir);
}

static void
test_missing_file (void)
{
  g_autofree char *dir = model_temp_dir ();
  g_autofree char *path = g_build_filename (dir, "does-not-exist.mmp", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_null (msc_loader_load (path, NULL, &error));
  model_assert_error (error, MSC_LOADER_ERROR, MSC_LOADER_ERROR_OPEN, path, g_strerror (ENOENT), NULL);
  model_remove_tree (dir);
}

static void
test_directory (void)
{
  g_autofree char *dir = model_temp_dir ();
  g_autoptr(GError) error = NULL;

  g_assert_null (msc_loader_load (dir, NULL, &error));
  model_assert_error (error, MSC_LOADER_ERROR, MSC_LOADER_ERROR_OPEN, dir, g_strerror (EISDIR), NULL);
  model_remove_tree (dir);
}

static void
test_unreadable (void)
{
  g_autofree char *dir = model_temp_dir ();
  g_autofree char *path = write_temp (dir, "secret.mmp", "<MemoryMap/>", -1);
  g_autoptr(GError) error = NULL;
  FILE *probe;

  g_assert_cmpint (g_chmod (path, 0), ==, 0);
  probe = g_fopen (path, "rb");
  if (probe != NULL)
    {
      /* Privileged (root): permissions do not apply. */
      fclose (probe);
      model_remove_tree (dir);
      g_test_skip ("permissions are not enforced for this user");
      return;
    }
  g_assert_null (msc_loader_load (path, NULL, &error));
  model_assert_error (error, MSC_LOADER_ERROR, MSC_LOADER_ERROR_OPEN, path, g_strerror (EACCES), NULL);
  model_remove_tree (dir);
}

/* n regions of 4 KiB, one per line from line 4 on; a malformed number at
 * region bad (if any). */
static GString *
make_regions (guint n, guint bad)
{
  GString *text = g_string_new ("<?xml version=\"1.0\"?>\n<MemoryMap>\n<Snapshot Timestamp=\"1\">\n");

  for (guint i = 0; i < n; i++)
    g_string_append_printf (text, "<Region Address=\"%u\" Size=\"%s\" Type=\"Private Data\"/>\n",
                            (i + 1) * 4096, i == bad ? "4O96" : "4096");
  g_string_append (text, "</Snapshot>\n</MemoryMap>\n");
  return text;
}

/* Lines past 65535 (where libxml2 keeps node lines in 16 bits) are exact
 * too: the SAX reader asks the parser, which has just read the tag. */
static void
test_big_line (void)
{
  guint bad = 70000;   /* region index; line bad + 4 */
  g_autoptr(GString) text = make_regions (80000, bad);
  g_autoptr(GError) error = NULL;

  g_assert_null (msc_loader_load_memory_as (text->str, text->len, MSC_FILE_FORMAT_MMP, &error));
  model_assert_error (error, MSC_MMP_ERROR, MSC_MMP_ERROR_INVALID, "line 70004: ", "Size=\"4O96\"", NULL);
  g_assert_null (strstr (error->message, "near"));
}

/* Snapshots larger than a batch of the region queue (1,024 regions) are
 * placed on its worker: each still gets exactly its own regions, in order,
 * with sub-blocks under their parents, however the batches fall. */
static void
test_big_snapshots (void)
{
  GString *text = g_string_new ("<?xml version=\"1.0\"?>\n<MemoryMap>\n");
  g_autoptr(GError) error = NULL;
  g_autoptr(MscSession) session = NULL;
  const guint counts[] = { 3000, 2049 };

  for (guint s = 0; s < G_N_ELEMENTS (counts); s++)
    {
      g_string_append_printf (text, "<Snapshot Timestamp=\"%u\">\n", s + 1);
      for (guint i = 0; i < counts[s]; i++)
        {
          /* Every tenth allocation has one sub-block. */
          g_string_append_printf (text, "<Region Address=\"%u\" Size=\"%u\" Type=\"Private Data\" Details=\"s%u r%u\"/>\n",
                                  (i + 1) * 65536, 8192 * (s + 1), s, i);
          if (i % 10 == 0)
            g_string_append_printf (text, "  <Region Address=\"%u\" Size=\"4096\" Type=\"Private Data\"/>\n",
                                    (i + 1) * 65536);
        }
      g_string_append (text, "</Snapshot>\n");
    }
  g_string_append (text, "</MemoryMap>\n");
  session = msc_loader_load_memory_as (text->str, text->len, MSC_FILE_FORMAT_MMP, &error);
  g_string_free (text, TRUE);
  g_assert_no_error (error);
  g_assert_cmpuint (msc_session_get_n_snapshots (session), ==, 2);
  for (guint s = 0; s < G_N_ELEMENTS (counts); s++)
    {
      const MscRegionTable *table = msc_snapshot_get_regions (msc_session_get_snapshot (session, s));
      guint n_subs = (counts[s] + 9) / 10;
      gsize k = 0;

      g_assert_cmpuint (msc_region_table_length (table), ==, counts[s] + n_subs);
      g_assert_cmpuint (msc_region_table_n_top_level (table), ==, counts[s]);
      for (guint i = 0; i < counts[s]; i++)
        {
          g_autofree char *details = g_strdup_printf ("s%u r%u", s, i);
          MscRegion region = msc_region_table_row (table, k);

          g_assert_cmpuint (region.address, ==, (i + 1) * 65536);
          g_assert_cmpuint (region.size, ==, 8192 * (s + 1));
          g_assert_false (region.flags & MSC_REGION_SUBBLOCK);
          g_assert_cmpstr (msc_region_table_details (table, k), ==, details);
          k++;
          if (i % 10 == 0)
            g_assert_true (msc_region_table_row (table, k++).flags & MSC_REGION_SUBBLOCK);
        }
    }
}

static void
test_cancel (void)
{
  g_autofree char *dir = model_temp_dir ();
  g_autoptr(GString) text = make_regions (20000, G_MAXUINT);
  g_autofree char *path = write_temp (dir, "many.mmp", text->str, (gssize) text->len);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(MscSession) session = NULL;

  session = msc_loader_load (path, cancellable, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (msc_region_table_length (model_regions (session, 0)), ==, 20000);
  g_clear_object (&session);

  g_cancellable_cancel (cancellable);
  session = msc_loader_load (path, cancellable, &error);
  g_assert_null (session);
  model_assert_error (error, MSC_MMP_ERROR, MSC_MMP_ERROR_CANCELLED, path, NULL);
  model_remove_tree (dir);
}

/* libxml2's safety limits are explained in the file's terms, not in
 * libxml2's ("use XML_PARSE_HUGE option"; issue 15, defect 9). */
static void
test_limits_explained (void)
{
  g_autoptr(GString) deep = g_string_new (NULL);
  g_autoptr(GString) huge = g_string_new ("<M><Region Address=\"4096\" Size=\"4096\" Details=\"");
  const struct {
    GString    *text;
    const char *needle;
  } cases[] = {
    { deep, "nested more than 256 deep" },
    { huge, "longer than any capture has" },
  };

  for (guint i = 0; i < 300; i++)
    g_string_append (deep, "<a>");
  g_string_append (deep, "<Region Address=\"4096\" Size=\"4096\"/>");
  for (guint i = 0; i < 300; i++)
    g_string_append (deep, "</a>");
  for (guint i = 0; i < 11 * 4096; i++)  /* 11 MB */
    g_string_append (huge, "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                           "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                           "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
                           "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef");
  g_string_append (huge, "\"/></M>");
  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(MscSession) session = msc_loader_load_memory_as (cases[i].text->str, cases[i].text->len,
                                                                 MSC_FILE_FORMAT_MMP, &error);

      g_assert_null (session);
      model_assert_error (error, MSC_MMP_ERROR, MSC_MMP_ERROR_MALFORMED, cases[i].needle, NULL);
      g_assert_null (strstr (error->message, "XML_PARSE"));
      g_assert_null (strstr (error->message, "not well-formed"));
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/mmp-reader/flat", test_flat);
  g_test_add_func ("/mmp-reader/nested", test_nested);
  g_test_add_func ("/mmp-reader/utf16", test_utf16);
  g_test_add_func ("/mmp-reader/unknown", test_unknown);
  g_test_add_func ("/mmp-reader/two-snapshots", test_two_snapshots);
  g_test_add_func ("/mmp-reader/exact-figures", test_exact_figures);
  g_test_add_func ("/mmp-reader/no-process", test_no_process);
  g_test_add_func ("/mmp-reader/unordered", test_unordered);
  g_test_add_func ("/mmp-reader/memory", test_memory);
  g_test_add_func ("/mmp-reader/bad/files", test_bad_files);
  g_test_add_func ("/mmp-reader/bad/memory", test_bad_memory);
  g_test_add_func ("/mmp-reader/bad/quiet", test_bad_quiet);
  g_test_add_func ("/mmp-reader/bad/huge-attribute", test_huge_attribute);
  g_test_add_func ("/mmp-reader/bad/missing-file", test_missing_file);
  g_test_add_func ("/mmp-reader/bad/directory", test_directory);
  g_test_add_func ("/mmp-reader/bad/unreadable", test_unreadable);
  g_test_add_func ("/mmp-reader/bad/big-line", test_big_line);
  g_test_add_func ("/mmp-reader/cancel", test_cancel);
  g_test_add_func ("/mmp-reader/big-snapshots", test_big_snapshots);

  g_test_add_func ("/mmp-reader/limits-explained", test_limits_explained);

  return g_test_run ();
}
