/* core-fixture.c — the hand-made captures behind tests/data/core/. */
#include "tests/core/core-fixture.h"

#include <string.h>

enum {
  FREE = MSC_MEM_FREE,        /* 65536 */
  PRIV = MSC_MEM_PRIVATE,     /* 131072 */
  MAPD = MSC_MEM_MAPPED,      /* 262144 */
  IMG  = MSC_MEM_IMAGE,       /* 16777216 */
  SUB  = MSC_REGION_SUBBLOCK,
  P_R   = MSC_PERM_KNOWN | MSC_PERM_READ,
  P_RS  = P_R | MSC_PERM_SHARED,
  P_RW  = P_R | MSC_PERM_WRITE,
  P_RX  = P_R | MSC_PERM_EXECUTE,
  P_RWX = P_RW | MSC_PERM_EXECUTE,
  P_NO  = MSC_PERM_KNOWN,
};

typedef struct {
  MscRegion   region;
  const char *details;
} FixtureRow;

/* Columns: address, size, committed, private, total WS, private WS,
 * shareable WS, shared WS, locked WS, pss, swap, blocks, protection,
 * storage, heap id, thread id, flags, type, perms. All bytes. */
#define ROW(addr, size, commit, priv, tws, pws, sws, shws, lws, pss, swap, blocks, prot, stor, heap, \
            thread, flags, type, perms, details)                                                     \
  { { addr, size, commit, priv, tws, pws, sws, shws, lws, pss, swap, blocks, prot, stor, heap,       \
      thread, flags, type, perms }, details }

/* Snapshot 1 (earlier): a Private Data region, a Free region with a
 * sub-block and a Page Table region: the .mmp must write neither the free
 * region's sub-block nor the Page Table region. */
static const FixtureRow fixture_first[] = {
  ROW (0x10000, 65536, 65536, 65536, 4096, 4096, 0, 0, 0, 0, 0, 1, 4, PRIV, 0, 0, 0,
       MSC_TYPE_PRIVATE_DATA, 0, ""),
  ROW (0x20000, 0xFE0000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, FREE, 0, 0, 0, MSC_TYPE_FREE, 0, ""),
  ROW (0x20000, 0x1000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, FREE, 0, 0, SUB, MSC_TYPE_FREE, 0,
       "must not appear"),
  ROW (0x1000000, 0x1000, 0x1000, 0x1000, 0x1000, 0x1000, 0, 0, 0, 0, 0, 1, 4, PRIV, 0, 0, 0,
       MSC_TYPE_PAGE_TABLE, 0, "must not appear either"),
  ROW (0x1000000, 0x1000, 0x1000, 0x1000, 0x1000, 0x1000, 0, 0, 0, 0, 0, 0, 4, PRIV, 0, 0, SUB,
       MSC_TYPE_PAGE_TABLE, 0, "nor this"),
};

/* Snapshot 2 (latest), the one every expected file shows. Sub-block rows
 * ("sub") add up to their top-level row. Non-page-aligned figures on the
 * Private Data region test KB rounding: 1536 B -> 2 KB, 1535 -> 1,
 * 512 -> 1, 211/301/300 -> blank; Mapped File shared WS 8492 B -> 8 KB.
 * Page table size: 45056 B (44 KB). */
#define PRIVATE_DATA_DETAILS "[anon:\"q\" <&> tab\there \xC3\xA9\xE2\x82\xAC \xFF\xE2\x82 end]"
static const FixtureRow fixture_main[] = {
  /* 0: Mapped File, 136 KB, one sub-block */
  ROW (0x10000, 139264, 139264, 0, 20480, 0, 20480, 8492, 0, 0, 0, 1, 2, MAPD, 0, 0, 0,
       MSC_TYPE_MAPPED_FILE, P_RS, "/var/cache/fixture/data.bin"),
  ROW (0x10000, 139264, 139264, 0, 20480, 0, 20480, 8492, 0, 0, 0, 0, 2, MAPD, 0, 0, SUB,
       MSC_TYPE_MAPPED_FILE, P_RS, ""),
  /* 2: Unusable, 56 KB */
  ROW (0x32000, 57344, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, FREE, 0, 0, 0, MSC_TYPE_UNUSABLE, 0, ""),
  /* 3: Free, 65,280 KB */
  ROW (0x40000, 0x3FC0000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, FREE, 0, 0, 0, MSC_TYPE_FREE, 0, ""),
  /* 4: Heap, 1,024 KB: 1,020 KB committed + 4 KB reserved; Pss measured */
  ROW (0x4000000, 1048576, 1044480, 1044480, 737280, 737280, 0, 0, 0, 737280, 4096, 2, 4, PRIV, 1, 0,
       MSC_REGION_PSS_KNOWN, MSC_TYPE_HEAP, 0, "Heap ID: 1 [LOW FRAGMENTATION]"),
  ROW (0x4000000, 1044480, 1044480, 1044480, 737280, 737280, 0, 0, 0, 737280, 4096, 0, 4, PRIV, 1, 0,
       SUB | MSC_REGION_PSS_KNOWN, MSC_TYPE_HEAP, P_RW, "Heap ID: 1 [LOW FRAGMENTATION]"),
  ROW (0x40FF000, 4096, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, PRIV, 1, 0, SUB | MSC_REGION_PSS_KNOWN,
       MSC_TYPE_HEAP, P_NO, "Heap ID: 1 [LOW FRAGMENTATION]"),
  /* 7: Thread Stack, 1,024 KB: 780 reserved, 12 guard, 232 committed (8 locked) */
  ROW (0x4100000, 1048576, 249856, 249856, 40960, 40960, 0, 0, 8192, 0, 0, 3,
       MSC_PAGE_READWRITE | MSC_PAGE_GUARD, PRIV, 0, 4243, 0, MSC_TYPE_STACK, 0, "Thread ID: 4243"),
  ROW (0x4100000, 798720, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, PRIV, 0, 0, SUB, MSC_TYPE_STACK, 0, ""),
  ROW (0x41C3000, 12288, 12288, 12288, 0, 0, 0, 0, 0, 0, 0, 0, MSC_PAGE_READWRITE | MSC_PAGE_GUARD,
       PRIV, 0, 0, SUB, MSC_TYPE_STACK, 0, ""),
  ROW (0x41C6000, 237568, 237568, 237568, 40960, 40960, 0, 0, 8192, 0, 0, 0, 4, PRIV, 0, 0, SUB,
       MSC_TYPE_STACK, 0, ""),
  /* 11: Private Data, 128 KB, odd byte figures, text that needs escaping */
  ROW (0x4200000, 131072, 1536, 1535, 512, 211, 301, 300, 0, 0, 0, 1, MSC_PAGE_EXECUTE_READWRITE, PRIV,
       0, 0, MSC_REGION_NORESERVE, MSC_TYPE_PRIVATE_DATA, P_RWX, PRIVATE_DATA_DETAILS),
  ROW (0x4200000, 131072, 1536, 1535, 512, 211, 301, 300, 0, 0, 0, 0, MSC_PAGE_EXECUTE_READWRITE, PRIV,
       0, 0, SUB | MSC_REGION_NORESERVE, MSC_TYPE_PRIVATE_DATA, P_RWX, ""),
  /* 13: Shareable, 64 KB: 16 committed + 48 reserved */
  ROW (0x4220000, 65536, 16384, 0, 16384, 0, 16384, 16384, 0, 0, 0, 2, 2, MAPD, 0, 0, 0,
       MSC_TYPE_SHAREABLE, 0, ""),
  ROW (0x4220000, 16384, 16384, 0, 16384, 0, 16384, 16384, 0, 0, 0, 0, 2, MAPD, 0, 0, SUB,
       MSC_TYPE_SHAREABLE, 0, ""),
  ROW (0x4224000, 49152, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, MAPD, 0, 0, SUB, MSC_TYPE_SHAREABLE, 0, ""),
  /* 16: Free, 194,368 KB (the largest) */
  ROW (0x4230000, 0xBDD0000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, FREE, 0, 0, 0, MSC_TYPE_FREE, 0, ""),
  /* 17: Image (ASLR), 1,408 KB in 4 sections */
  ROW (0x10000000, 1441792, 1392640, 12288, 1060864, 8192, 1052672, 790528, 0, 0, 0, 4,
       MSC_PAGE_EXECUTE_READ, IMG, 0, 0, MSC_REGION_ASLR, MSC_TYPE_IMAGE, 0, "/usr/lib/libfixture.so.1"),
  ROW (0x10000000, 4096, 4096, 0, 4096, 0, 4096, 4096, 0, 0, 0, 0, 2, IMG, 0, 0, SUB | MSC_REGION_ASLR,
       MSC_TYPE_IMAGE, P_R, "Header"),
  ROW (0x10001000, 1376256, 1376256, 0, 1048576, 0, 1048576, 786432, 0, 0, 0, 0, MSC_PAGE_EXECUTE_READ,
       IMG, 0, 0, SUB | MSC_REGION_ASLR, MSC_TYPE_IMAGE, P_RX, ".text"),
  ROW (0x10151000, 12288, 12288, 12288, 8192, 8192, 0, 0, 0, 0, 0, 0, 4, IMG, 0, 0, SUB | MSC_REGION_ASLR,
       MSC_TYPE_IMAGE, P_RW, ".data"),
  ROW (0x10154000, 49152, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, IMG, 0, 0, SUB | MSC_REGION_ASLR,
       MSC_TYPE_IMAGE, P_NO, ""),
  /* 22: Free, 640 KB */
  ROW (0x10160000, 655360, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, FREE, 0, 0, 0, MSC_TYPE_FREE, 0, ""),
  /* 23: Image (no ASLR), 8 KB, copy-on-write partly private */
  ROW (0x10200000, 8192, 8192, 4096, 8192, 4096, 4096, 0, 0, 0, 0, 1, MSC_PAGE_EXECUTE_WRITECOPY, IMG,
       0, 0, 0, MSC_TYPE_IMAGE, 0, "/usr/bin/fixture"),
  ROW (0x10200000, 8192, 8192, 4096, 8192, 4096, 4096, 0, 0, 0, 0, 0, MSC_PAGE_EXECUTE_WRITECOPY, IMG,
       0, 0, SUB, MSC_TYPE_IMAGE, 0, ".text"),
};

/* The 32-bit fixture: no working-set figures for the Private Data region,
 * no Locked WS for the shareable heap. */
enum {
  WSU = MSC_REGION_WS_UNKNOWN,
  LKU = MSC_REGION_LOCKED_UNKNOWN | MSC_REGION_SHAREABLE_HEAP,
};
static const FixtureRow fixture_wow[] = {
  ROW (0x110000, 65536, 65536, 65536, 0, 0, 0, 0, 0, 0, 0, 1, 4, PRIV, 0, 0, WSU,
       MSC_TYPE_PRIVATE_DATA, 0, ""),
  ROW (0x110000, 65536, 65536, 65536, 0, 0, 0, 0, 0, 0, 0, 0, 4, PRIV, 0, 0, SUB | WSU,
       MSC_TYPE_PRIVATE_DATA, 0, ""),
  ROW (0x120000, 65536, 8192, 0, 8192, 0, 8192, 8192, 0, 0, 0, 2, 4, MAPD, 2, 0, LKU, MSC_TYPE_HEAP, 0,
       "Heap ID: 2 [COMPATABILITY]"),
  ROW (0x120000, 8192, 8192, 0, 8192, 0, 8192, 8192, 0, 0, 0, 0, 4, MAPD, 2, 0, SUB | LKU, MSC_TYPE_HEAP,
       0, "Heap ID: 2 [COMPATABILITY]"),
  ROW (0x122000, 57344, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, MAPD, 2, 0, SUB | LKU, MSC_TYPE_HEAP, 0,
       "Heap ID: 2 [COMPATABILITY]"),
  ROW (0x130000, 0xED0000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, FREE, 0, 0, 0, MSC_TYPE_FREE, 0, ""),
};

static MscRegionTable *
fixture_table (const FixtureRow *rows, size_t n)
{
  MscRegionTable *table = msc_region_table_new ();

  g_assert_nonnull (table);
  for (size_t i = 0; i < n; i++)
    g_assert_cmpint (msc_region_table_append (table, &rows[i].region, rows[i].details), ==, 0);
  return table;
}

void
core_fixture_main (CoreFixture *fixture)
{
  memset (fixture, 0, sizeof *fixture);
  fixture->process = (MscCaptureProcess) {
    .pid = 4242, .bits = 64, .name = "fixture", .user = "tester", .os = "Linux 6.18.44",
    .command_line = "fixture --hold \"x\"",
  };
  fixture->tables[0] = fixture_table (fixture_first, G_N_ELEMENTS (fixture_first));
  fixture->tables[1] = fixture_table (fixture_main, G_N_ELEMENTS (fixture_main));
  fixture->snapshots[0] = (MscCaptureSnapshot) {
    .timestamp = 134088372000000000ull, .page_table_size = 8192, .regions = fixture->tables[0],
  };
  fixture->snapshots[1] = (MscCaptureSnapshot) {
    .timestamp = 134088372600000000ull, .page_table_size = 45056, .commit_charge = 3002368,
    .n_threads = 2, .notes = "PSS \"partial\" <pagemap> & more", .regions = fixture->tables[1],
  };
  fixture->capture = (MscCapture) { fixture->process, fixture->snapshots, 2 };
}

void
core_fixture_wow (CoreFixture *fixture)
{
  memset (fixture, 0, sizeof *fixture);
  fixture->process = (MscCaptureProcess) { .pid = 77, .bits = 32, .name = "wow.exe" };
  fixture->tables[0] = fixture_table (fixture_wow, G_N_ELEMENTS (fixture_wow));
  fixture->snapshots[0] = (MscCaptureSnapshot) { .timestamp = 1, .regions = fixture->tables[0] };
  fixture->capture = (MscCapture) { fixture->process, fixture->snapshots, 1 };
}

void
core_fixture_clear (CoreFixture *fixture)
{
  msc_region_table_free (fixture->tables[0]);
  msc_region_table_free (fixture->tables[1]);
  memset (fixture, 0, sizeof *fixture);
}

static const MscCaptureSnapshot *
fixture_last (const CoreFixture *fixture)
{
  return &fixture->capture.snapshots[fixture->capture.n_snapshots - 1];
}

MscStatusCode
core_write_mmp (FILE *out, const CoreFixture *fixture, MscStatus *status)
{
  return msc_mmp_write (out, &fixture->capture, status);
}

MscStatusCode
core_write_csv (FILE *out, const CoreFixture *fixture, MscStatus *status)
{
  return msc_csv_write (out, &fixture->process, fixture_last (fixture), status);
}

MscStatusCode
core_write_txt (FILE *out, const CoreFixture *fixture, MscStatus *status)
{
  return msc_txt_write (out, &fixture->process, fixture_last (fixture), status);
}

MscStatusCode
core_write_summary (FILE *out, const CoreFixture *fixture, MscStatus *status)
{
  return msc_txt_write_summary (out, &fixture->process, fixture_last (fixture), status);
}

GBytes *
core_write_to_bytes (CoreWriteFn writer, const CoreFixture *fixture)
{
  MscStatus status = { 0 };
  FILE *out = tmpfile ();
  char *data;
  long len;

  g_assert_nonnull (out);
  g_assert_cmpint (writer (out, fixture, &status), ==, MSC_OK);
  len = ftell (out);
  g_assert_cmpint (len, >=, 0);
  data = g_malloc (len + 1);
  rewind (out);
  g_assert_cmpint (fread (data, 1, len, out), ==, len);
  data[len] = '\0';
  fclose (out);
  return g_bytes_new_take (data, len);
}

char *
core_expected (const char *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("MSC_TEST_DATA"), "core", name, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  const char *p;

  if (!g_file_get_contents (path, &text, NULL, &error))
    g_error ("%s", error->message);
  /* Each expected file opens with '#' lines saying how it was derived. */
  for (p = text; *p == '#'; p = strchr (p, '\n') + 1)
    g_assert_nonnull (strchr (p, '\n'));
  return g_strdup (p);
}

char *
core_crlf_to_lf (const char *text, gsize len)
{
  GString *lf = g_string_sized_new (len);

  for (gsize i = 0; i < len; i++)
    {
      if (text[i] == '\r')
        {
          g_assert_true (i + 1 < len && text[i + 1] == '\n');
          continue;
        }
      if (text[i] == '\n')
        g_assert_true (i > 0 && text[i - 1] == '\r');
      g_string_append_c (lf, text[i]);
    }
  return g_string_free (lf, FALSE);
}

/* One "library" of the large table: an image with 4 sections. */
static void
large_image (MscRegionTable *table, uint64_t *address, unsigned lib)
{
  static const char *sections[] = { "Header", ".text", ".data", "" };
  char path[64];
  MscRegion top = { .address = *address, .size = 4 * 0x10000, .committed = 3 * 0x10000,
                    .total_ws = 0x8000, .shareable_ws = 0x8000, .blocks = 4,
                    .protection = MSC_PAGE_EXECUTE_READ, .storage = MSC_MEM_IMAGE,
                    .type = MSC_TYPE_IMAGE, .flags = MSC_REGION_ASLR };

  g_snprintf (path, sizeof path, "/usr/lib/x86_64-linux-gnu/libexample-%u.so.%u", lib % 400, lib % 7);
  g_assert_cmpint (msc_region_table_append (table, &top, path), ==, 0);
  for (int s = 0; s < 4; s++)
    {
      MscRegion sub = top;

      sub.address = *address + (uint64_t) s * 0x10000;
      sub.size = 0x10000;
      sub.blocks = 0;
      sub.flags |= MSC_REGION_SUBBLOCK;
      sub.perms = MSC_PERM_KNOWN | MSC_PERM_READ;
      g_assert_cmpint (msc_region_table_append (table, &sub, sections[s]), ==, 0);
    }
  *address += top.size;
}

MscRegionTable *
core_make_large_table (size_t n)
{
  MscRegionTable *table = msc_region_table_new ();
  uint64_t address = 0x10000;
  unsigned k = 0;

  while (msc_region_table_length (table) + 5 <= n)
    {
      MscRegion region = { .address = address, .size = 0x21000, .committed = 0x21000,
                           .private_bytes = 0x21000, .total_ws = 0x3000, .private_ws = 0x3000,
                           .blocks = 1, .protection = MSC_PAGE_READWRITE, .storage = MSC_MEM_PRIVATE,
                           .perms = MSC_PERM_KNOWN | MSC_PERM_READ | MSC_PERM_WRITE };
      char details[48];

      switch (k++ % 4)
        {
        case 0:
          large_image (table, &address, k);
          continue;
        case 1:
          region.type = MSC_TYPE_HEAP;
          region.heap_id = 1 + k % 3;
          g_snprintf (details, sizeof details, "Heap ID: %u [LOW FRAGMENTATION]", region.heap_id);
          break;
        case 2:
          /* Each thread's stack names its thread: unique strings. */
          region.type = MSC_TYPE_STACK;
          region.thread_id = 1000 + k;
          g_snprintf (details, sizeof details, "Thread ID: %u", region.thread_id);
          break;
        default:
          region.type = k % 8 == 3 ? MSC_TYPE_FREE : MSC_TYPE_PRIVATE_DATA;
          details[0] = '\0';
          break;
        }
      g_assert_cmpint (msc_region_table_append (table, &region, details), ==, 0);
      address += region.size;
    }
  return table;
}
