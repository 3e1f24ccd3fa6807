/* test-import.c — VMMap's CSV and text exports, hand-made in
 * tests/data/import/ (vmmap.csv: VMMap's layout of formats.md §3, "\r\r\n"
 * line ends, every field quoted, KB with ',' separators, zero empty;
 * vmmap.txt: the same data in the text layout of §4). Expected figures are
 * the numbers written in those files, times 1024. */
#include "config.h"

#include <string.h>

#include "model/msc-import.h"
#include "model/msc-loader.h"
#include "tests/model/model-test-util.h"

#define KB G_GUINT64_CONSTANT (1024)

static char *
import_path (const char *name)
{
  /* tests/data/model/<name> → tests/data/import/<name> */
  g_autofree char *model = model_data_path (name);
  g_autofree char *model_dir = g_path_get_dirname (model);
  g_autofree char *data = g_path_get_dirname (model_dir);

  return g_build_filename (data, "import", name, NULL);
}

static MscSession *
import_load (const char *name)
{
  g_autofree char *path = import_path (name);
  g_autoptr(GError) error = NULL;
  MscSession *session = msc_loader_load (path, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (session);
  return session;
}

/* The file's summary table, KB. Order: Size, Committed, Private, Total WS,
 * Private WS, Shareable WS, Shared WS, Locked WS, Blocks (a count), Largest. */
static const guint64 want_summary[11][10] = {
  { 5020, 2752, 300, 1564, 224, 1340, 1004, 0, 13, 0 },         /* Total */
  { 1204, 1204, 32, 1100, 20, 1080, 1000, 0, 3, 1204 },         /* Image */
  { 1216, 1216, 0, 256, 0, 256, 0, 0, 1, 1216 },                /* Mapped File */
  { 64, 64, 0, 4, 0, 4, 4, 0, 1, 64 },                          /* Shareable */
  { 1024, 132, 132, 100, 100, 0, 0, 0, 2, 1024 },               /* Heap */
  { 256, 64, 64, 40, 40, 0, 0, 0, 2, 256 },                     /* Managed Heap */
  { 1024, 16, 16, 12, 12, 0, 0, 0, 3, 1024 },                  /* Stack */
  { 64, 8, 8, 4, 4, 0, 0, 0, 1, 64 },                           /* Private Data */
  { 48, 48, 48, 48, 48, 0, 0, 0, 0, 0 },                        /* Page Table */
  { 120, 0, 0, 0, 0, 0, 0, 0, 0, 60 },                          /* Unusable */
  { 3131712, 0, 0, 0, 0, 0, 0, 0, 188, 2083712 },               /* Free */
};

static void
assert_row (const MscSummaryRow *row, const guint64 want[10])
{
  g_assert_cmpuint (row->size, ==, want[0] * KB);
  g_assert_cmpuint (row->committed, ==, want[1] * KB);
  g_assert_cmpuint (row->private_bytes, ==, want[2] * KB);
  g_assert_cmpuint (row->total_ws, ==, want[3] * KB);
  g_assert_cmpuint (row->private_ws, ==, want[4] * KB);
  g_assert_cmpuint (row->shareable_ws, ==, want[5] * KB);
  g_assert_cmpuint (row->shared_ws, ==, want[6] * KB);
  g_assert_cmpuint (row->locked_ws, ==, want[7] * KB);
  g_assert_cmpuint (row->blocks, ==, want[8]);
  g_assert_cmpuint (row->largest, ==, want[9] * KB);
  g_assert_true (row->ws_known && row->locked_known);
}

static MscRegion
region_at (const MscRegionTable *table, gsize i, guint64 address, gboolean sub)
{
  MscRegion r;

  g_assert_cmpuint (i, <, msc_region_table_length (table));
  r = msc_region_table_row (table, i);
  g_assert_cmphex (r.address, ==, address);
  g_assert_cmpint ((r.flags & MSC_REGION_SUBBLOCK) != 0, ==, sub);
  return r;
}

static void
assert_devenv (MscSession *session)
{
  MscProcess *process = msc_session_get_process (session);
  MscSnapshot *snapshot;
  const MscSummary *summary;
  const MscRegionTable *table;
  MscRegion r;

  g_assert_cmpstr (msc_process_get_name (process), ==, "devenv.exe");
  g_assert_cmpuint (msc_process_get_pid (process), ==, 29892);
  g_assert_cmpuint (msc_process_get_bits (process), ==, 32);  /* 8-digit addresses */
  g_assert_cmpuint (msc_session_get_n_snapshots (session), ==, 1);
  snapshot = msc_session_get_latest (session);
  g_assert_true (msc_snapshot_get_imported (snapshot));
  g_assert_cmpuint (msc_snapshot_get_page_table_size (snapshot), ==, 48 * KB);

  /* The summary is the file's, Unusable and Free included though the
   * details list neither. */
  summary = msc_snapshot_get_summary (snapshot);
  assert_row (&summary->total, want_summary[0]);
  for (int type = 0; type < MSC_N_TYPES; type++)
    {
      g_test_message ("summary row %d", type);
      assert_row (&summary->types[type], want_summary[type + 1]);
    }

  /* 7 allocations, 13 sub-blocks, in file order. */
  table = msc_snapshot_get_regions (snapshot);
  g_assert_cmpuint (msc_region_table_length (table), ==, 20);
  g_assert_cmpuint (msc_region_table_n_top_level (table), ==, 7);
  r = region_at (table, 2, 0x400000, FALSE);
  g_assert_cmpuint (r.type, ==, MSC_TYPE_IMAGE);
  g_assert_true (r.flags & MSC_REGION_ASLR);
  g_assert_cmpuint (r.size, ==, 1204 * KB);
  g_assert_cmpuint (r.shared_ws, ==, 1000 * KB);
  g_assert_cmpuint (r.blocks, ==, 3);
  g_assert_cmphex (r.protection, ==, MSC_PAGE_EXECUTE_WRITECOPY);
  g_assert_cmpuint (r.storage, ==, MSC_MEM_IMAGE);
  g_assert_cmpstr (msc_region_table_details (table, 2), ==, "C:\\Program Files\\devenv.exe");
  g_assert_cmpuint (msc_region_table_n_children (table, 2), ==, 3);
  r = region_at (table, 5, 0x525000, TRUE);
  g_assert_cmphex (r.protection, ==, MSC_PAGE_WRITECOPY);
  g_assert_cmpstr (msc_region_table_details (table, 5), ==, ".data");
  r = region_at (table, 8, 0x2A71000, TRUE);
  g_assert_cmphex (r.protection, ==, 0);   /* "Reserved" */
  g_assert_cmpuint (r.committed, ==, 0);   /* "" */
  /* Gen1 starts off a page boundary and, rounded to KB, overhangs its
   * allocation (0x40D0000) by 308 bytes: trimmed to stay its sub-block. */
  r = region_at (table, 11, 0x40A0134, TRUE);
  g_assert_cmpuint (r.size, ==, 0x40D0000 - 0x40A0134);
  r = region_at (table, 14, 0x41FC000, TRUE);
  g_assert_cmphex (r.protection, ==, MSC_PAGE_READWRITE | MSC_PAGE_GUARD);
  r = region_at (table, 12, 0x4100000, FALSE);
  g_assert_cmpuint (r.type, ==, MSC_TYPE_STACK);
  g_assert_cmpstr (msc_region_table_details (table, 12), ==, "Thread ID: 34888");
  region_at (table, 19, 0x5000000, TRUE);
}

static void
test_csv (void)
{
  g_autoptr(MscSession) session = import_load ("vmmap.csv");

  assert_devenv (session);
}

static void
test_txt (void)
{
  g_autoptr(MscSession) session = import_load ("vmmap.txt");

  assert_devenv (session);
}

/* Both layouts of one capture give the same regions, field for field. */
static void
test_csv_equals_txt (void)
{
  g_autoptr(MscSession) csv = import_load ("vmmap.csv");
  g_autoptr(MscSession) txt = import_load ("vmmap.txt");
  const MscRegionTable *a = model_regions (csv, 0), *b = model_regions (txt, 0);

  g_assert_cmpuint (msc_region_table_length (a), ==, msc_region_table_length (b));
  for (gsize i = 0; i < msc_region_table_length (a); i++)
    {
      MscRegion ra = msc_region_table_row (a, i), rb = msc_region_table_row (b, i);

      g_assert_cmpmem (&ra, sizeof ra, &rb, sizeof rb);
      g_assert_cmpstr (msc_region_table_details (a, i), ==, msc_region_table_details (b, i));
    }
}

/* Exporting an imported snapshot shows the file's summary again: the CSV
 * we write from vmmap.csv has the same summary lines, byte for byte. */
static void
test_export_again (void)
{
  g_autoptr(MscSession) session = import_load ("vmmap.csv");
  g_autoptr(GBytes) written = model_write (session, MSC_FILE_FORMAT_CSV);
  g_autofree char *path = import_path ("vmmap.csv");
  g_autoptr(GBytes) original = model_file_bytes (path);
  g_autofree char *ours = g_strndup (g_bytes_get_data (written, NULL), g_bytes_get_size (written));
  g_autofree char *theirs = g_strndup (g_bytes_get_data (original, NULL), g_bytes_get_size (original));
  g_auto(GStrv) our_lines = g_strsplit (ours, "\r\n", -1);
  g_auto(GStrv) their_lines = g_strsplit (theirs, "\r\r\n", -1);

  /* Lines 4..15: the summary header and its 11 rows. */
  for (guint i = 3; i < 15; i++)
    g_assert_cmpstr (our_lines[i], ==, their_lines[i]);
}

/* Our exports carry the capture's notes as "Note:" lines; reading them
 * back gives the notes again (tests/data/model/ws-unknown.mmp has two),
 * and its "n/a" Private of an image stays n/a through .mmp, CSV and text. */
static void
test_notes_round_trip (void)
{
  g_autofree char *path = model_data_path ("ws-unknown.mmp");
  g_autoptr(GError) error = NULL;
  g_autoptr(MscSession) session = msc_loader_load (path, NULL, &error);
  const char *notes;

  g_assert_no_error (error);
  notes = msc_snapshot_get_notes (msc_session_get_latest (session));
  g_assert_nonnull (strstr (notes, "QueryWorkingSetEx"));
  g_assert_nonnull (strchr (notes, '\n'));
  for (int f = 0; f < 2; f++)
    {
      MscFileFormat format = f == 0 ? MSC_FILE_FORMAT_CSV : MSC_FILE_FORMAT_TXT;
      g_autoptr(GBytes) written = model_write (session, format);
      gsize size;
      const char *data = g_bytes_get_data (written, &size);
      g_autoptr(MscSession) again = f == 0 ? msc_loader_load_memory_as (data, size, MSC_FILE_FORMAT_CSV, &error)
                                           : msc_loader_load_memory_as (data, size, MSC_FILE_FORMAT_TXT, &error);

      g_assert_no_error (error);
      g_assert_cmpstr (msc_snapshot_get_notes (msc_session_get_latest (again)), ==, notes);
      /* So does an unknown Private ("n/a"), in the summary and the regions. */
      g_assert_true (msc_snapshot_get_summary (msc_session_get_latest (again))->types[MSC_TYPE_IMAGE].private_unknown);
      g_assert_false (msc_snapshot_get_summary (msc_session_get_latest (again))->types[MSC_TYPE_PRIVATE_DATA].private_unknown);
    }
  g_assert_true (msc_snapshot_get_summary (msc_session_get_latest (session))->total.private_unknown);
}

static const struct {
  const char *name;
  int code;
  const char *needle1;
  const char *needle2;
} bad_files[] = {
  { "bad-no-summary.csv", MSC_IMPORT_ERROR_MISSING, "line 4", "no summary table" },
  { "bad-no-details.csv", MSC_IMPORT_ERROR_MISSING, "details table is missing", NULL },
  { "bad-no-details.txt", MSC_IMPORT_ERROR_MISSING, "details table is missing", NULL },
  { "bad-columns.csv", MSC_IMPORT_ERROR_MALFORMED, "line 21", "12 columns; expected 13" },
  { "bad-number.csv", MSC_IMPORT_ERROR_MALFORMED, "line 20", "“1,2x4” in column “Size”" },
  { "bad-summary-order.csv", MSC_IMPORT_ERROR_MALFORMED, "line 10", "“Stack” where VMMap writes “Managed Heap”" },
  { "bad-summary-short.txt", MSC_IMPORT_ERROR_MALFORMED, "line 10", "before its “Managed Heap” row" },
  { "bad-quote.csv", MSC_IMPORT_ERROR_MALFORMED, "line 6", "not closed" },
  { "bad-garbage.csv", MSC_IMPORT_ERROR_MALFORMED, "line 2", "not part of a VMMap export" },
  { "bad-order.csv", MSC_IMPORT_ERROR_MALFORMED, "line 23", "allocation at 00400000 is out of address order" },
  { "bad-outside.csv", MSC_IMPORT_ERROR_MALFORMED, "line 26", "sub-block at 02C71000 lies outside its allocation" },
  { "bad-row.txt", MSC_IMPORT_ERROR_MALFORMED, "line 18", "region at 00110000 has no size" },
};

static void
test_bad (void)
{
  for (gsize i = 0; i < G_N_ELEMENTS (bad_files); i++)
    {
      g_autofree char *path = import_path (bad_files[i].name);
      g_autoptr(GError) error = NULL;
      g_autoptr(MscSession) session = msc_loader_load (path, NULL, &error);

      g_test_message ("%s: %s", bad_files[i].name, error != NULL ? error->message : "(no error)");
      g_assert_null (session);
      model_assert_error (error, MSC_IMPORT_ERROR, bad_files[i].code, bad_files[i].name,
                          bad_files[i].needle1, bad_files[i].needle2, NULL);
    }
}

/* From memory, with what our own writers add: "n/a" where the OS gave no
 * figure, locale separators other than ','. */
static void
test_memory_cells (void)
{
  static const char csv[] =
    "\"Type\",\"Size\",\"Committed\",\"Private\",\"Total WS\",\"Private WS\",\"Shareable WS\","
    "\"Shared WS\",\"Locked WS\",\"Blocks\",\"Largest\",\r\n"
    "\"Total\",\"1.024\",\"8\",\"8\",\"n/a\",\"n/a\",\"n/a\",\"n/a\",\"n/a\",\"1\",\"\"\r\n"
    "\"Image\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"\r\n"
    "\"Mapped File\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"\r\n"
    "\"Shareable\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"\r\n"
    "\"Heap\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"\r\n"
    "\"Managed Heap\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"\r\n"
    "\"Stack\",\"1\xC2\xA0" "024\",\"8\",\"8\",\"n/a\",\"n/a\",\"n/a\",\"n/a\",\"n/a\",\"1\",\"1'024\"\r\n"
    "\"Private Data\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"\r\n"
    "\"Page Table\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"\r\n"
    "\"Unusable\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"\r\n"
    "\"Free\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\",\"\"\r\n"
    "\r\n"
    "\"Address\",\"Type\",\"Size\",\"Committed\",\"Private\",\"Total WS\",\"Private WS\","
    "\"Shareable WS\",\"Shared WS\",\"Locked WS\",\"Blocks\",\"Protection\",\"Details\",\r\n"
    "\"00007FFD00000000\",\"Thread Stack\",\"1,024\",\"8\",\"8\",\"n/a\",\"n/a\",\"n/a\",\"n/a\","
    "\"n/a\",\"1\",\"Read/Write\",\"Thread ID: 7 \"\"main\"\"\"\r\n";
  g_autoptr(GError) error = NULL;
  g_autoptr(MscSession) session = msc_loader_load_memory_as (csv, sizeof csv - 1, MSC_FILE_FORMAT_CSV, &error);
  const MscSummary *summary;
  MscRegion r;

  g_assert_no_error (error);
  summary = msc_snapshot_get_summary (msc_session_get_latest (session));
  g_assert_cmpuint (summary->total.size, ==, 1024 * KB);
  g_assert_false (summary->total.ws_known);
  g_assert_cmpuint (summary->types[MSC_TYPE_STACK].size, ==, 1024 * KB);
  g_assert_cmpuint (summary->types[MSC_TYPE_STACK].largest, ==, 1024 * KB);
  g_assert_true (summary->types[MSC_TYPE_IMAGE].ws_known);
  g_assert_cmpuint (msc_process_get_bits (msc_session_get_process (session)), ==, 64);
  r = model_region (session, 0, 0);
  g_assert_cmphex (r.address, ==, G_GUINT64_CONSTANT (0x7FFD00000000));
  g_assert_true (r.flags & MSC_REGION_WS_UNKNOWN);
  g_assert_true (r.flags & MSC_REGION_LOCKED_UNKNOWN);
  g_assert_cmpstr (msc_region_table_details (model_regions (session, 0), 0), ==, "Thread ID: 7 \"main\"");

  /* Not an export at all. */
  g_clear_object (&session);
  session = msc_loader_load_memory_as ("garbage\n", 8, MSC_FILE_FORMAT_TXT, &error);
  g_assert_null (session);
  model_assert_error (error, MSC_IMPORT_ERROR, MSC_IMPORT_ERROR_MALFORMED, "line 1", "garbage", NULL);
}

/* TRUE when text[cut, end) holds only sub-rows (indented addresses): the
 * one loss no total shows (msc-import.c, "completeness"). */
static gboolean
only_sub_rows_lost (const char *text,
                    gsize       cut,
                    gsize       end,
                    gboolean    at_line)
{
  if (!at_line)
    return FALSE;
  for (const char *p = text + cut; p != NULL && p < text + end; p = strchr (p, '\n'), p = p != NULL ? p + 1 : NULL)
    if (!g_str_has_prefix (p, "\"  ") && !g_str_has_prefix (p, "  "))
      return FALSE;
  return TRUE;
}

/* Every cut of a complete export after its details header — at a line
 * boundary, or in the middle of a line — must fail as truncated, never load
 * part of the rows (issue 15, defect 3). */
static void
assert_cuts_fail (const char    *label,
                  const char    *text,
                  gsize          length,
                  MscFileFormat  format)
{
  const char *header = strstr (text, format == MSC_FILE_FORMAT_CSV ? "\"Address\"" : "Address ");
  gsize end = length;
  guint n_cuts = 0;

  g_assert_nonnull (header);
  /* Trailing blank lines carry nothing: cutting them is no loss. */
  while (end > 0 && g_ascii_isspace (text[end - 1]))
    end--;
  for (const char *p = strchr (header, '\n'); p != NULL && (gsize) (p - text) < end; p = strchr (p + 1, '\n'))
    {
      const char *next = strchr (p + 1, '\n');
      gsize at_line = (gsize) (p - text) + 1;
      gsize mid_line = next != NULL ? at_line + (gsize) (next - p) / 2 : (at_line + end) / 2;

      for (guint k = 0; k < 2; k++)
        {
          gsize cut = k == 0 ? at_line : mid_line;
          g_autoptr(GError) error = NULL;
          g_autoptr(MscSession) session = NULL;

          if (cut >= end || only_sub_rows_lost (text, cut, end, k == 0))
            continue;
          session = msc_loader_load_memory_as (text, cut, format, &error);
          if (session != NULL)
            g_error ("%s cut at byte %" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT " loaded", label, cut, length);
          model_assert_error (error, MSC_IMPORT_ERROR, MSC_IMPORT_ERROR_TRUNCATED, "truncated at line", NULL);
          n_cuts++;
        }
    }
  g_test_message ("%s: %u cuts refused", label, n_cuts);
  g_assert_cmpuint (n_cuts, >, 4);
}

static void
test_truncated (void)
{
  static const struct {
    const char   *name;
    MscFileFormat format;
  } exports[] = { { "vmmap.csv", MSC_FILE_FORMAT_CSV }, { "vmmap.txt", MSC_FILE_FORMAT_TXT } };
  g_autoptr(MscSession) capture = model_load ("flat.mmp");

  for (gsize i = 0; i < G_N_ELEMENTS (exports); i++)
    {
      g_autofree char *path = import_path (exports[i].name);
      g_autoptr(GBytes) bytes = model_file_bytes (path);
      gsize length;
      const char *text = g_bytes_get_data (bytes, &length);

      assert_cuts_fail (exports[i].name, text, length, exports[i].format);
    }
  /* Our own exports of a capture, too. */
  for (MscFileFormat format = MSC_FILE_FORMAT_CSV; format <= MSC_FILE_FORMAT_TXT; format++)
    {
      g_autoptr(GBytes) bytes = model_write (capture, format);
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

      assert_cuts_fail (format == MSC_FILE_FORMAT_CSV ? "flat.mmp as CSV" : "flat.mmp as text", text,
                        g_bytes_get_size (bytes), format);
    }
}

/* VMMap's exports saved as UTF-16 with a BOM (as Windows tools do) load as
 * their UTF-8 originals (issue 15, defect 9: they were taken for XML). */
static void
test_utf16 (void)
{
  static const struct {
    const char *name;
    const char *charset;
    const char *bom;
  } cases[] = {
    { "vmmap.csv", "UTF-16LE", "\xFF\xFE" },
    { "vmmap.txt", "UTF-16BE", "\xFE\xFF" },
  };

  for (gsize i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(MscSession) reference = import_load (cases[i].name);
      g_autofree char *path = import_path (cases[i].name);
      g_autoptr(GBytes) bytes = model_file_bytes (path);
      gsize n = 0;
      g_autofree char *wide = g_convert (g_bytes_get_data (bytes, NULL), (gssize) g_bytes_get_size (bytes),
                                         cases[i].charset, "UTF-8", NULL, &n, NULL);
      g_autofree char *file = g_malloc (n + 2);
      g_autoptr(GError) error = NULL;
      g_autoptr(MscSession) session = NULL;
      const MscSummary *got, *want;

      g_assert_nonnull (wide);
      memcpy (file, cases[i].bom, 2);
      memcpy (file + 2, wide, n);
      session = msc_loader_load_memory (file, n + 2, NULL, &error);
      g_assert_no_error (error);
      got = msc_snapshot_get_summary (msc_session_get_latest (session));
      want = msc_snapshot_get_summary (msc_session_get_latest (reference));
      for (int type = 0; type < MSC_N_TYPES; type++)
        {
          g_assert_cmpuint (got->types[type].size, ==, want->types[type].size);
          g_assert_cmpuint (got->types[type].committed, ==, want->types[type].committed);
          g_assert_cmpuint (got->types[type].total_ws, ==, want->types[type].total_ws);
          g_assert_cmpuint (got->types[type].blocks, ==, want->types[type].blocks);
        }
      g_assert_cmpuint (msc_region_table_length (model_regions (session, 0)), ==,
                        msc_region_table_length (model_regions (reference, 0)));
    }
}

static void
test_sniff (void)
{
  g_assert_cmpint (msc_loader_sniff ("<?xml", 5, "a.csv"), ==, MSC_FILE_FORMAT_MMP);
  g_assert_cmpint (msc_loader_sniff ("\xEF\xBB\xBF\"Process:\"", 13, NULL), ==, MSC_FILE_FORMAT_CSV);
  g_assert_cmpint (msc_loader_sniff ("\"Process:\"", 10, "a.mmp"), ==, MSC_FILE_FORMAT_CSV);
  g_assert_cmpint (msc_loader_sniff ("Process: x", 10, "a.mmp"), ==, MSC_FILE_FORMAT_TXT);
  g_assert_cmpint (msc_loader_sniff ("\xFF\xFE<\0", 4, "a.txt"), ==, MSC_FILE_FORMAT_MMP);
  /* UTF-16 exports are told by their characters too (issue 15, defect 9). */
  g_assert_cmpint (msc_loader_sniff ("\xFF\xFE\"\0P\0", 6, "a.mmp"), ==, MSC_FILE_FORMAT_CSV);
  g_assert_cmpint (msc_loader_sniff ("\xFE\xFF\0 \0P\0r\0o\0c\0e\0s\0s\0:", 20, NULL), ==, MSC_FILE_FORMAT_TXT);
  g_assert_cmpint (msc_loader_sniff ("\xFE\xFF\0\xE9", 4, "a.csv"), ==, MSC_FILE_FORMAT_CSV);
  g_assert_cmpint (msc_loader_sniff ("Type  Size", 10, "a.TXT"), ==, MSC_FILE_FORMAT_TXT);
  g_assert_cmpint (msc_loader_sniff ("", 0, "a.csv"), ==, MSC_FILE_FORMAT_CSV);
  /* Nothing to go by: the .mmp reader explains best. */
  g_assert_cmpint (msc_loader_sniff ("\x01\x02", 2, "capture"), ==, MSC_FILE_FORMAT_MMP);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/import/csv", test_csv);
  g_test_add_func ("/import/txt", test_txt);
  g_test_add_func ("/import/csv-equals-txt", test_csv_equals_txt);
  g_test_add_func ("/import/export-again", test_export_again);
  g_test_add_func ("/import/notes-round-trip", test_notes_round_trip);
  g_test_add_func ("/import/bad", test_bad);
  g_test_add_func ("/import/memory-cells", test_memory_cells);
  g_test_add_func ("/import/sniff", test_sniff);
  g_test_add_func ("/import/truncated", test_truncated);
  g_test_add_func ("/import/utf16", test_utf16);

  return g_test_run ();
}
